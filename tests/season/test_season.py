"""The built-in season: checked clean, and each episode teaches as issue 4 requires."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode, load_series
from sam_cowboy.library import builtin_dir, builtin_library, episode_files

ROOT = Path(__file__).resolve().parents[2]
ALL_FILES = episode_files(ROOT / "episodes")  # the season in order, then extras (the quiz)
SEASON_ORDER = load_series(ROOT / "episodes" / "series.yaml").episodes
FILES = [p for p in ALL_FILES if p.stem in SEASON_ORDER]
IDS = [p.stem for p in FILES]


def test_the_season_has_six_episodes_in_series_order() -> None:
    assert IDS == ["ep01-google-test", "ep02-first-steps", "ep03-sharing-insight",
                   "ep04-illectronisme", "ep05-accessible-director", "ep06-seminar"]


CRAFT_WARNINGS = ("the best choice is the longest", "without meeting any decision")


def test_check_reports_no_error_and_no_warning_but_the_craft_ones() -> None:
    """The craft warnings (issue 13) are asserted in test_trainer_grade.py."""
    out = subprocess.run([sys.executable, "-m", "sam_cowboy", "check", str(ROOT / "episodes")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[-1].startswith(f"{len(ALL_FILES)} files checked: 0 errors"), out.stdout
    others = [line for line in lines[:-1] if not any(w in line for w in CRAFT_WARNINGS)]
    assert not others, others


def test_the_installed_library_holds_the_season() -> None:
    library = builtin_library()
    assert library.ids()[:6] == IDS
    assert (builtin_dir() / "series.yaml").is_file()


@pytest.fixture(scope="module", params=FILES, ids=IDS)
def loaded(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    episode = load_episode(request.param).require()
    return episode, analyse(episode)


def test_best_run_ends_good_and_worst_run_ends_bad(loaded) -> None:  # type: ignore[no-untyped-def]
    episode, analysis = loaded
    best = engine.replay(episode, [c for _, c in analysis.best_run.path])
    worst = engine.replay(episode, [c for _, c in analysis.worst_run.path])
    assert episode.scenes[best.ending].ending.kind == "good"
    assert episode.scenes[worst.ending].ending.kind == "bad"
    assert analysis.best_run.overall > analysis.worst_run.overall


def test_shape_of_each_episode(loaded) -> None:  # type: ignore[no-untyped-def]
    episode, analysis = loaded
    scenes = episode.scenes.values()
    assert 12 <= len(episode.scenes) <= 40
    kinds = {s.ending.kind for s in scenes if s.ending}
    assert len(analysis.endings) >= 3 and len(kinds) >= 2
    assert episode.languages == ("fr", "en")
    assert 3 <= len(episode.debrief) <= 5
    assert sum(1 for s in scenes if s.trainer_notes) >= 3
    assert any(s.card for s in scenes)
    callbacks = [b for s in scenes for b in s.text if b.condition is not None]
    callbacks += [c for s in scenes for c in s.choices if c.condition is not None]
    assert callbacks, "at least one callback to an earlier decision"


def test_every_scored_dimension_moves_both_ways(loaded) -> None:  # type: ignore[no-untyped-def]
    episode, analysis = loaded
    for did, (low, high) in analysis.bounds.items():
        ups = any(c.effects.score.get(did, 0) > 0 for s in episode.scenes.values()
                  for c in s.choices)
        downs = any(c.effects.score.get(did, 0) < 0 for s in episode.scenes.values()
                    for c in s.choices)
        assert ups and downs and low < high, did


def test_every_scoring_choice_explains_itself(loaded) -> None:  # type: ignore[no-untyped-def]
    episode, _ = loaded
    for scene in episode.scenes.values():
        for choice in scene.choices:
            if choice.effects.score:
                assert choice.feedback is not None
                assert set(choice.feedback.values) == {"fr", "en"}
