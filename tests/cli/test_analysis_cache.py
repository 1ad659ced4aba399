"""The on-disk analysis cache: same answers as a fresh analysis, never an error when broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sam_cowboy import analysis_cache
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def episode_file(tmp_path: Path) -> Path:
    for name in ("series.yaml", "ep03-sharing-insight.yaml"):
        shutil.copy(ROOT / "episodes" / name, tmp_path / name)
    return tmp_path / "ep03-sharing-insight.yaml"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(folder))
    return folder / "analysis"


def test_a_cached_analysis_equals_a_fresh_one(episode_file: Path, cache: Path) -> None:
    episode = load_episode(episode_file).require()
    first = analysis_cache.cached_analysis(episode, episode_file)
    assert len(list(cache.glob("*.json"))) == 1
    second = analysis_cache.cached_analysis(episode, episode_file)
    assert second == first == analyse(episode)


def test_editing_the_episode_or_its_series_misses_the_cache(episode_file: Path) -> None:
    key = analysis_cache.cache_key(episode_file)
    episode_file.write_text(episode_file.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert analysis_cache.cache_key(episode_file) != key
    key = analysis_cache.cache_key(episode_file)
    series = episode_file.parent / "series.yaml"
    series.write_text(series.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert analysis_cache.cache_key(episode_file) != key


def test_a_corrupt_cache_file_is_ignored_and_replaced(episode_file: Path, cache: Path) -> None:
    episode = load_episode(episode_file).require()
    target = cache / f"{analysis_cache.cache_key(episode_file)}.json"
    cache.mkdir(parents=True)
    target.write_text("{not json", "utf-8")
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)
    assert json.loads(target.read_text("utf-8"))["bounds"]


def test_a_cache_for_other_scenes_is_not_trusted(episode_file: Path, cache: Path) -> None:
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    target = cache / f"{analysis_cache.cache_key(episode_file)}.json"
    data = json.loads(target.read_text("utf-8"))
    data["best_run"]["path"][0][1] = "no-such-choice"
    target.write_text(json.dumps(data), "utf-8")
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)


def test_an_unwritable_cache_folder_only_costs_time(episode_file: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", "utf-8")
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(blocker / "cache"))
    episode = load_episode(episode_file).require()
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)
