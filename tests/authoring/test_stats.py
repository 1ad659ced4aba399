from __future__ import annotations

from sam_cowboy.authoring.stats import compute, words
from sam_cowboy.core.loader import load_episode

from .conftest import ODD


def test_words() -> None:
    assert words("Sam's post — « bonjour » l'équipe, 42 fois!") == 6


def test_stats_counts(cli) -> None:  # type: ignore[no-untyped-def]
    data = cli.json("stats", str(ODD / "conditions.yaml"), "--json")
    assert data["scenes"] == 7 and data["route_scenes"] == 1
    assert data["endings"] == {"good": 1, "mixed": 1, "bad": 1}
    assert data["choices"] == 6 and data["conditional_choices"] == 4
    assert set(data["words"]) == {"fr", "en"}
    assert data["playthrough"]["words"]["en"] > 0
    assert data["playthrough"]["reading_minutes"]["en"] >= 0


def test_average_playthrough_counts_what_is_shown() -> None:
    ep = load_episode(ODD / "loops.yaml").episode
    s = compute(ep, runs=200)
    # hub title+text, shown choices, feedback, ending text; at least 3 hub visits per run
    assert s.run_words["en"] > 3 * 3
    assert s.mean_choices >= 3


def test_stats_text(cli, builtin) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("stats", str(builtin), "-n", "200")
    assert code == 0 and "average playthrough" in out and "min of reading" in out


# -- craft figures: is the best choice visible from its length? are there dilemmas? -----

def _craft_episode(long_best: int, decisions: int = 4) -> str:
    """`decisions` scenes of two choices; in the first `long_best`, the best is longer."""
    scenes = []
    for i in range(decisions):
        nxt = f"s{i + 1}" if i + 1 < decisions else "end"
        good, bad = ("a much longer careful answer", "short") if i < long_best else \
            ("brief", "a long sincere wrong belief")
        scenes.append(f"""\
  s{i}:
    choices:
      - {{id: good, text: "{good}", score: {{brand: 2, relationship: -1}}, feedback: f, goto: {nxt}}}
      - {{id: bad, text: "{bad}", score: {{brand: -1, relationship: -2}}, feedback: f, goto: {nxt}}}
""")
    return ("sam_cowboy: 1\nid: craft\ntitle: Craft\n"
            "dimensions:\n  brand: {label: B}\n  relationship: {label: R}\n"
            "start: s0\nscenes:\n" + "".join(scenes)
            + "  neutral:\n    choices:\n      - {text: x, goto: end}\n"
            + "      - {text: a longer y, goto: end}\n"
            + "  end:\n    ending: {kind: good}\n")


def test_stats_reports_best_is_longest_and_dilemmas(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "craft.yaml"
    path.write_text(_craft_episode(3), encoding="utf-8")
    data = cli.json("stats", str(path), "-n", "20", "--json")
    craft = data["craft"]
    longest = craft["best_is_longest"]["en"]
    assert (longest["scenes"], longest["decision_scenes"]) == (3, 4)  # `neutral` is no decision
    assert longest["max_margin_percent"] == round(100 * (len("a much longer careful answer")
                                                         / len("short") - 1))
    assert [w["scene"] for w in longest["where"]] == ["s0", "s1", "s2"]
    assert craft["dilemmas"] == 4 and craft["best_run_dilemmas"] == 4
    runs = craft["mechanical_runs"]
    assert runs["greedy"]["overall"] > runs["worst"]["overall"]
    assert runs["worst"]["percents"]["brand"] == 0
    code, out, _ = cli("stats", str(path), "-n", "20")
    assert code == 0
    assert "en: the best choice is the longest in 3 of 4 decision scenes" in out
    assert "dilemmas (a choice raising one dimension and lowering another): 4" in out


def test_check_warns_when_the_best_is_longest_in_more_than_half(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "craft.yaml"
    path.write_text(_craft_episode(3), encoding="utf-8")
    code, out, _ = cli("check", str(path))
    assert code == 0
    warned = [line for line in out.splitlines() if "is the longest in 3 of 4" in line]
    assert len(warned) == 1 and warned[0].startswith(f"{path}:")
    path.write_text(_craft_episode(2), encoding="utf-8")  # exactly half: no warning
    code, out, _ = cli("check", str(path))
    assert "is the longest in" not in out


def test_small_episodes_are_not_judged_on_length(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "craft.yaml"
    path.write_text(_craft_episode(3, decisions=3), encoding="utf-8")
    code, out, _ = cli("check", str(path))
    assert "is the longest in" not in out
