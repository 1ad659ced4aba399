"""Issue 13's automated figures over the built-in season ("trainer-grade").

These fail on the season as it was before the issue-13 rewrite (ep01-ep06); they pass when
the rewritten episodes are merged. The figures are those of `sam-cowboy stats` (see
docs/format-notes.md, "Craft figures"), computed by sam_cowboy/authoring/stats.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sam_cowboy.authoring.stats import best_is_longest, craft, mechanical_run
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode
from sam_cowboy.library import episode_files

ROOT = Path(__file__).resolve().parents[2]
SEASON = [p for p in episode_files(ROOT / "episodes") if p.stem.startswith("ep0")]
FOCUS = {
    "ep01-google-test": "brand",
    "ep02-first-steps": "relationship",
    "ep03-sharing-insight": "insight",
    "ep04-illectronisme": "authenticity",
    "ep05-accessible-director": "authenticity",
    "ep06-seminar": "targeting",
}


@pytest.fixture(scope="module")
def season():  # type: ignore[no-untyped-def]
    out = []
    for path in SEASON:
        episode = load_episode(path).require()
        out.append((episode, analyse(episode)))
    return out


def test_the_season_is_six_episodes() -> None:
    assert [p.stem for p in SEASON] == list(FOCUS)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_best_choice_is_longest_in_at_most_a_third_of_decision_scenes(season, lang: str) -> None:  # type: ignore[no-untyped-def]
    longest = decisions = 0
    where = []
    for episode, analysis in season:
        lg = best_is_longest(episode, analysis.bounds, lang)
        longest += lg.count
        decisions += lg.decision_scenes
        where += [f"{episode.id}/{sid} (+{100 * m:.0f}%)" for sid, m in lg.scenes]
    assert decisions > 0
    assert 3 * longest <= decisions, f"{longest} of {decisions}: {where}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_best_choice_is_never_longer_by_more_than_30_percent(season, lang: str) -> None:  # type: ignore[no-untyped-def]
    too_long = []
    for episode, analysis in season:
        lg = best_is_longest(episode, analysis.bounds, lang)
        too_long += [f"{episode.id}/{sid} (+{100 * m:.0f}%)" for sid, m in lg.scenes
                     if m > 0.30]
    assert not too_long


def test_every_episode_has_two_dilemmas_and_the_best_run_pays_something(season) -> None:  # type: ignore[no-untyped-def]
    for episode, analysis in season:
        figures = craft(episode, analysis)
        assert len(figures.dilemmas) >= 2, (episode.id, figures.dilemmas)
        assert figures.best_run_dilemmas, (episode.id, "the best run pays nothing")


def test_the_worst_choice_run_has_no_dimension_above_40_percent(season) -> None:  # type: ignore[no-untyped-def]
    for episode, analysis in season:
        run = mechanical_run(episode, analysis, "worst")
        assert run.ending is not None, episode.id
        high = {d: p for d, p in run.percents.items() if p > 40}
        assert not high, (episode.id, run.ending, high)


def test_no_path_finishes_with_a_dimension_never_exercised(season) -> None:  # type: ignore[no-untyped-def]
    for episode, analysis in season:
        assert not analysis.unexercised, (episode.id, analysis.unexercised)


def test_each_episode_declares_its_focus(season) -> None:  # type: ignore[no-untyped-def]
    assert {episode.id: episode.focus for episode, _ in season} == FOCUS


def test_every_dimension_has_a_habit_in_french_and_english(season) -> None:  # type: ignore[no-untyped-def]
    for episode, _ in season:
        for did, dim in episode.dimensions.items():
            assert dim.habit is not None, (episode.id, did)
            for lang in ("fr", "en"):
                assert dim.habit.values.get(lang, "").strip(), (episode.id, did, lang)


def test_check_reports_no_error_and_no_warning_at_all() -> None:
    out = subprocess.run([sys.executable, "-m", "sam_cowboy", "check", str(ROOT / "episodes")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1].endswith("0 errors, 0 warnings"), out.stdout
