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
