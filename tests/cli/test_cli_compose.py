"""`sam-cowboy run` and `check` with compose scenes (`2+4+1`) and a season (`--season`)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from cli_support import LINE_RE, one_line_error, sam

EPISODE = textwrap.dedent("""\
    sam_cowboy: 1
    id: compose-demo
    title: Compose demo
    dimensions:
      brand: {label: Brand}
      relationship: {label: Relationship}
    start: recall
    scenes:
      recall:
        route:
          - if: "weakest() == 'relationship'"
            goto: warmup
          - goto: headline
      warmup:
        choices:
          - text: Ask about their week
            score: {relationship: 1}
            feedback: Good.
            goto: headline
          - text: Pitch
            score: {relationship: -1}
            feedback: Too soon.
            goto: headline
      headline:
        compose:
          prompt: Build the headline
          pick: 2
          ordered: true
          separator: " | "
          fragments:
            - id: client
              text: I help CFOs
              score: {brand: 2}
            - id: title
              text: "Sales rep [bold]"
              score: {brand: -1}
            - id: proof
              text: 40 audits
              score: {brand: 1}
          checklist:
            - id: client-first
              text: The client comes first
              first: client
              score: {relationship: 1}
              tip: Open with who you help.
          goto: end
      end:
        ending: {kind: good}
    """)


@pytest.fixture()
def episode(tmp_path: Path) -> Path:
    path = tmp_path / "compose-demo.yaml"
    path.write_text(EPISODE, encoding="utf-8")
    return path


def run_json(path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    done = sam("run", str(path), *args, "--json")
    assert done.code == 0, done.err
    return json.loads(done.out)  # type: ignore[no-any-return]


def test_a_composition_by_fragment_numbers(episode: Path) -> None:
    data = run_json(episode, "--choices", "3+1")
    assert data["ending"] == {"scene": "end", "kind": "good"}
    assert data["path"] == [{"scene": "headline", "choice": "proof+client",
                             "fragments": ["proof", "client"],
                             "message": "40 audits | I help CFOs",
                             "checklist": {"client-first": False}}]
    assert data["scores"]["brand"]["raw"] == 3
    assert data["scores"]["relationship"]["raw"] == 0
    assert "season" not in data


def test_a_composition_by_fragment_ids_and_markup_stays_text(episode: Path) -> None:
    data = run_json(episode, "--choice-ids", "client+title")
    assert data["path"][0]["message"] == "I help CFOs | Sales rep [bold]"
    assert data["path"][0]["checklist"] == {"client-first": True}
    assert data["scores"]["relationship"]["raw"] == 1


@pytest.mark.parametrize("choices,message", [
    ("1", "the message for `headline` takes 2 fragments, not 1: join them with `+`"),
    ("1+4", "fragment 4 is not offered in scene `headline` (offered: 1=client, 2=title, "
            "3=proof)"),
    ("1+2+3", "the message for `headline` takes 2 fragments, not 3"),
    ("1+1", "used twice"),
    ("1+x", "--choices takes numbers separated by commas (fragments: numbers joined by +"),
])
def test_bad_compositions_exit_2_with_one_line(episode: Path, choices: str,
                                               message: str) -> None:
    done = sam("run", str(episode), "--choices", choices, "--json")
    assert done.code == 2
    assert message in one_line_error(done)


def test_the_season_drives_the_retrieval_scene(episode: Path) -> None:
    data = run_json(episode, "--season", "relationship=40,brand=70", "--choices", "1,1+3")
    assert data["scenes"][:2] == ["recall", "warmup"]
    assert data["season"] == {"relationship": 40, "brand": 70}
    assert run_json(episode, "--season", "relationship=90,brand=70",
                    "--choices", "1+3")["scenes"][:2] == ["recall", "headline"]
    assert run_json(episode, "--choices", "1+3")["scenes"][1] == "headline"


@pytest.mark.parametrize("season,message", [
    ("relationsip=40", "--season: unknown dimension `relationsip` (did you mean"),
    ("brand=101", "--season: `brand` takes a percent from 0 to 100, not `101`"),
    ("brand", "--season: `brand` is not DIMENSION=PERCENT"),
])
def test_bad_season_values_exit_2(episode: Path, season: str, message: str) -> None:
    done = sam("run", str(episode), "--season", season, "--choices", "1+2")
    assert done.code == 2
    assert message in one_line_error(done)


def test_check_reports_bounds_over_every_history_and_the_best_runs_history(
        episode: Path) -> None:
    done = sam("check", str(episode), "--json")
    assert done.code == 0, done.out
    entry = json.loads(done.out)["files"][0]
    assert entry["errors"] == [] and entry["warnings"] == []
    assert entry["bounds"] == {"brand": [0, 3], "relationship": [-1, 2]}
    best = entry["best_run"]
    assert best["path"] == [{"scene": "warmup", "choice": "1"},
                            {"scene": "headline", "choice": "client+proof"}]
    assert best["season"]["relationship"] < best["season"].get("brand", 101)


def test_check_points_at_a_fragment_no_message_can_use(episode: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EPISODE.replace("text: 40 audits\n", "text: 40 audits\n"
                                   "          if: \"visits('end') > 0\"\n"), encoding="utf-8")
    done = sam("check", str(bad))
    lines = [LINE_RE.match(line) for line in done.out.splitlines()]
    found = [m for m in lines if m and "fragment `proof`" in m["msg"]]
    assert len(found) == 1 and found[0]["sev"] == "warning"
    line = EPISODE.splitlines().index("          text: 40 audits") + 2
    assert (int(found[0]["line"]), int(found[0]["col"])) == (line, 16)


def test_run_help_documents_the_syntax() -> None:
    done = sam("run", "--help")
    assert "2+4+1" in done.out and "--season" in done.out


ROOT = Path(__file__).resolve().parents[2] / "episodes"


@pytest.mark.parametrize("history,scene", [
    ("brand=20,relationship=60", "recall-brand"),
    ("brand=80,relationship=30,targeting=90", "recall-relationship"),
    ("brand=80,relationship=70,targeting=10", "recall-targeting"),
    ("authenticity=5,brand=50", "recall-authenticity"),
    ("insight=10", "monday-kit"),
    ("", "monday-kit"),
])
def test_ep03_opens_on_the_weakest_earlier_skill(history: str, scene: str) -> None:
    args = ["--season", history] if history else []
    data = run_json(ROOT / "ep03-sharing-insight.yaml", *args, "--choices", "")
    assert data["scenes"][:2] == ["recall", scene]
    assert data["variables"]["recalled"] is False


def test_ep03_retrieval_scores_nothing_and_records_the_answer() -> None:
    data = run_json(ROOT / "ep03-sharing-insight.yaml", "--season", "brand=10",
                    "--choices", "1")
    assert data["variables"]["recalled"] is True
    assert all(entry["raw"] == 0 for entry in data["scores"].values())


def test_the_built_in_compose_scenes_play_by_fragment_ids() -> None:
    ep01 = run_json(ROOT / "ep01-google-test.yaml", "--choice-ids",
                    "google-self,clean-up,promise+job")
    step = ep01["path"][-1]
    assert step["choice"] == "job+promise" and step["checklist"] == {
        "found": True, "promise": True, "reassure": True}
    assert ep01["variables"]["headline_client"] is True


def test_every_note_to_helene_fits_linkedins_200_characters() -> None:
    from sam_cowboy.core.loader import load_episode

    ep = load_episode(ROOT / "ep02-first-steps.yaml").require()
    scene = ep.scenes["note-helene"]
    assert scene.compose is not None and scene.compose.max_length == 200
    assert len(scene.choices) == 20
    assert max(len(t) for c in scene.choices for t in c.text.values.values()) <= 200


def test_plain_mode_composes_from_numbered_fragments() -> None:
    """A compose scene in `play --plain`: the fragments numbered, the message typed as
    numbers joined by +; a wrong answer is asked again, never a traceback."""
    from cli_support import sam

    done = sam("play", "ep01-google-test", "--plain", "--lang", "en",
               stdin="1\n1\n1\n9\n2+2\n2+4\n")
    assert done.code == 0, done.err
    out = done.out
    assert "Your message: 2 numbers (of 5) joined by +" in out
    assert out.count("Please type 2 different numbers from 1 to 5") == 2  # 9, then 2+2
    assert "✓ The job title, to be found" in out and "+2 Professional brand" in out
    assert "## The summary" in out  # the scene after the headline
