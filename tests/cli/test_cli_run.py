"""`sam-cowboy run`: the JSON of CLI.md, numbers among shown choices, ids, errors."""

from __future__ import annotations

import json
import textwrap

import pytest
from cli_support import EP00, one_line_error, sam

CLI_MD_EXAMPLE = {
    "episode": "ep00-first-invite",
    "ending": {"scene": "accepted", "kind": "good"},
    "scenes": ["monday", "invite", "verdict", "accepted"],
    "path": [{"scene": "monday", "choice": "fix-profile"},
             {"scene": "invite", "choice": "personal"}],
    "scores": {"brand": {"raw": 2, "min": 0, "max": 2, "percent": 100},
               "relationship": {"raw": 2, "min": -2, "max": 2, "percent": 100}},
    "overall": {"percent": 100, "label": None},
    "variables": {"profile_ready": True, "invitations": 1},
}


def run_json(*args: str, path=EP00) -> dict:
    done = sam("run", str(path), *args, "--json")
    assert done.code == 0, done.err
    data = json.loads(done.out)
    for entry in data["scores"].values():  # `exercised` extends the contract: tests/season
        assert isinstance(entry.pop("exercised"), bool)
    return data


def test_run_choices_gives_the_json_of_cli_md() -> None:
    assert run_json("--choices", "1,2") == CLI_MD_EXAMPLE


def test_run_choice_ids_gives_the_same_json() -> None:
    assert run_json("--choice-ids", "fix-profile,personal") == CLI_MD_EXAMPLE


def test_run_with_lang_gives_the_same_json() -> None:
    assert run_json("--choices", "1,2", "--lang", "en") == CLI_MD_EXAMPLE


def test_run_other_path() -> None:
    data = run_json("--choices", "2,1")
    assert data["ending"] == {"scene": "ignored", "kind": "bad"}
    assert data["scenes"] == ["monday", "invite", "verdict", "ignored"]
    assert data["scores"]["brand"] == {"raw": 0, "min": 0, "max": 2, "percent": 0}
    assert data["scores"]["relationship"] == {"raw": -2, "min": -2, "max": 2, "percent": 0}
    assert data["overall"] == {"percent": 0, "label": None}
    assert data["variables"] == {"profile_ready": False, "invitations": 1}


def test_choices_running_out_gives_ending_null() -> None:
    data = run_json("--choices", "1")
    assert data["ending"] is None
    assert data["scenes"] == ["monday", "invite"]
    assert data["path"] == [{"scene": "monday", "choice": "fix-profile"}]
    assert data["scores"]["brand"]["raw"] == 2
    assert data["scores"]["relationship"]["raw"] == 0
    assert data["variables"] == {"profile_ready": True, "invitations": 0}
    assert set(data) >= set(CLI_MD_EXAMPLE)


def test_no_choices_at_all() -> None:
    done = sam("run", str(EP00), "--json")
    assert done.code == 0, done.err
    data = json.loads(done.out)
    assert data["ending"] is None and data["scenes"] == ["monday"] and data["path"] == []


@pytest.mark.parametrize("choices,scene,shown", [
    ("3", "monday", ["fix-profile", "invite-now"]),
    ("0", "monday", ["fix-profile", "invite-now"]),
    ("1,5", "invite", ["pitch", "personal"]),
])
def test_number_out_of_range_exits_2_naming_scene_and_shown_choices(choices, scene,
                                                                    shown) -> None:
    done = sam("run", str(EP00), "--choices", choices, "--json")
    assert done.code == 2
    line = one_line_error(done)
    assert f"`{scene}`" in line or scene in line
    for cid in shown:
        assert cid in line
    assert done.out == ""


def test_unknown_id_exits_2_naming_scene_and_shown_choices() -> None:
    done = sam("run", str(EP00), "--choice-ids", "fix-profile,pich", "--json")
    assert done.code == 2
    line = one_line_error(done)
    assert "pich" in line and "invite" in line and "pitch" in line and "personal" in line


@pytest.mark.parametrize("choices", ["a", "1,x", "-1", "1.5"])
def test_choices_must_be_numbers(choices: str) -> None:
    done = sam("run", str(EP00), f"--choices={choices}")
    assert done.code == 2
    one_line_error(done)


HIDDEN = textwrap.dedent("""\
    sam_cowboy: 1
    id: hidden
    title: Hidden
    dimensions: {d: {label: D}}
    variables: {seen: false}
    profiles:
      - {min: 0, label: {en: Beginner, fr: Débutant}}
      - {min: 50, label: {en: Expert, fr: Expert·e}}
    languages: [en, fr]
    start: a
    scenes:
      a:
        choices:
          - {id: secret, text: {en: S, fr: S}, if: "seen", goto: end}
          - {id: look, text: {en: L, fr: R}, once: true, set: {seen: true}, goto: a}
          - {id: go, text: {en: G, fr: A}, score: {d: 1}, feedback: {en: F, fr: F}, goto: end}
      end:
        ending: {kind: good}
    """)


@pytest.fixture
def hidden(tmp_path):
    path = tmp_path / "hidden.yaml"
    path.write_text(HIDDEN, encoding="utf-8")
    return path


def test_numbers_count_only_the_shown_choices(hidden) -> None:
    # first: look (1), go (2); then: secret (1), go (2) — look is used up
    data = run_json("--choices", "1,2", path=hidden)
    assert data["path"] == [{"scene": "a", "choice": "look"}, {"scene": "a", "choice": "go"}]
    assert data["scenes"] == ["a", "a", "end"]
    data = run_json("--choices", "1,1", path=hidden)
    assert data["path"][-1] == {"scene": "a", "choice": "secret"}
    done = sam("run", str(hidden), "--choice-ids", "secret")
    assert done.code == 2
    line = one_line_error(done)
    assert "look" in line and "go" in line


@pytest.mark.parametrize("lang,label", [("en", "Expert"), ("fr", "Expert·e"),
                                        ("de", "Expert")])
def test_overall_label_in_the_chosen_language(hidden, lang: str, label: str) -> None:
    data = run_json("--choices", "2", "--lang", lang, path=hidden)
    assert data["overall"] == {"percent": 100, "label": label}
    data = run_json("--choices", "1,1", "--lang", lang, path=hidden)
    assert data["overall"]["label"] in ("Beginner", "Débutant")


def test_run_text_output(hidden) -> None:
    done = sam("run", str(hidden), "--choices", "2")
    assert done.code == 0 and done.out.strip()


def test_run_episode_with_errors_exits_1_with_one_line(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    bad = HIDDEN.replace("fr: F}, goto: end}", "fr: F}, goto: ned}")
    assert bad != HIDDEN
    path.write_text(bad, encoding="utf-8")
    done = sam("run", str(path), "--choices", "1")
    assert done.code == 1
    line = one_line_error(done)
    assert f"{path}:" in line and "`ned`" in line


def test_run_missing_file_exits_2() -> None:
    done = sam("run", "/nonexistent/ep.yaml", "--choices", "1")
    assert done.code == 2
    one_line_error(done)


def test_run_with_both_choices_and_ids_is_bad_usage() -> None:
    done = sam("run", str(EP00), "--choices", "1", "--choice-ids", "fix-profile")
    assert done.code == 2
    one_line_error(done)
