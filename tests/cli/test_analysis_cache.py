"""The on-disk analysis cache: same answers as a fresh analysis, never an error when broken,
never trusted when edited (issue 15, item 8)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
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
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "cache" / "analysis"


def entry(path: Path) -> Path:
    return analysis_cache.cache_dir() / f"{analysis_cache.cache_key(path)}.json"


def test_a_cached_analysis_equals_a_fresh_one(episode_file: Path, cache: Path) -> None:
    episode = load_episode(episode_file).require()
    first = analysis_cache.cached_analysis(episode, episode_file)
    assert len(list(cache.glob("*.json"))) == 1
    second = analysis_cache.cached_analysis(episode, episode_file)
    assert second == first == analyse(episode)


def test_folder_key_and_entry_are_private_and_named_by_digest_and_version(
        episode_file: Path, cache: Path, tmp_path: Path) -> None:
    import hashlib

    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    key = tmp_path / "data" / analysis_cache.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    (found,) = cache.glob("*.json")
    assert stat.S_IMODE(found.stat().st_mode) == 0o600
    digest = analysis_cache.source_digest(episode_file)[0]
    assert found.name == f"{digest}-{analysis_cache.TOOL}.json"
    body = json.loads(found.read_bytes().partition(b"\n")[2])
    assert body["source"] == digest and body["tool"] == analysis_cache.TOOL
    assert len(digest) == len(hashlib.sha256().hexdigest())


def test_editing_the_episode_or_its_series_misses_the_cache(episode_file: Path) -> None:
    key = analysis_cache.cache_key(episode_file)
    episode_file.write_text(episode_file.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert analysis_cache.cache_key(episode_file) != key
    key = analysis_cache.cache_key(episode_file)
    series = episode_file.parent / "series.yaml"
    series.write_text(series.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert analysis_cache.cache_key(episode_file) != key


def test_an_edited_entry_is_ignored_and_replaced(episode_file: Path) -> None:
    """The attack of the issue: valid JSON, the right digest, a better score; no key."""
    episode = load_episode(episode_file).require()
    fresh = analysis_cache.cached_analysis(episode, episode_file)
    target = entry(episode_file)
    mac, _, payload = target.read_bytes().partition(b"\n")
    data = json.loads(payload)
    data["analysis"]["bounds"] = {d: [0, 0] for d in data["analysis"]["bounds"]}
    data["analysis"]["findings"] = []
    target.write_bytes(mac + b"\n" + json.dumps(data).encode())
    again = analysis_cache.cached_analysis(episode, episode_file)
    assert again == fresh == analyse(episode)
    assert json.loads(target.read_bytes().partition(b"\n")[2]) != data  # replaced


def test_an_entry_signed_with_another_key_is_ignored(episode_file: Path, tmp_path: Path) -> None:
    episode = load_episode(episode_file).require()
    fresh = analysis_cache.cached_analysis(episode, episode_file)
    target = entry(episode_file)
    payload = target.read_bytes().partition(b"\n")[2]
    data = json.loads(payload)
    data["analysis"]["bounds"] = {d: [0, 0] for d in data["analysis"]["bounds"]}
    forged = json.dumps(data).encode()
    target.write_bytes(analysis_cache._sign(b"k" * 32, forged).encode() + b"\n" + forged)
    assert analysis_cache.cached_analysis(episode, episode_file) == fresh


def test_a_corrupt_entry_is_ignored_and_replaced(episode_file: Path) -> None:
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    target = entry(episode_file)
    target.write_text("{not json", "utf-8")
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)
    assert json.loads(target.read_bytes().partition(b"\n")[2])["analysis"]["bounds"]


def test_a_fifo_at_the_entry_does_not_hang(episode_file: Path, tmp_path: Path) -> None:
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    target = entry(episode_file)
    target.unlink()
    os.mkfifo(target)
    env = {**os.environ}
    code = ("import sys; from pathlib import Path; from sam_cowboy import analysis_cache as c; "
            "from sam_cowboy.core.loader import load_episode; p = Path(sys.argv[1]); "
            "c.cached_analysis(load_episode(p).require(), p); print('done')")
    done = subprocess.run([sys.executable, "-c", code, str(episode_file)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "done", done.stderr


def test_a_symlink_to_dev_zero_is_not_read(episode_file: Path) -> None:
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    target = entry(episode_file)
    target.unlink()
    target.symlink_to("/dev/zero")
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)
    assert not target.is_symlink()  # replaced by a real entry
    assert os.stat("/dev/zero")  # and /dev/zero left alone


def test_an_oversized_entry_is_not_read(episode_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    monkeypatch.setattr(analysis_cache, "MAX_ENTRY", 100)
    assert analysis_cache._read_entry(entry(episode_file), analysis_cache.user_key(),
                                      analysis_cache.source_digest(episode_file)[0],
                                      episode) is None


def test_a_cache_for_other_scenes_is_not_trusted(episode_file: Path) -> None:
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    target = entry(episode_file)
    payload = target.read_bytes().partition(b"\n")[2]
    data = json.loads(payload)
    data["analysis"]["best_run"]["path"][0][1] = "no-such-choice"
    signed = json.dumps(data).encode()  # even when signed with the right key
    target.write_bytes(analysis_cache._sign(analysis_cache.user_key(), signed).encode()
                       + b"\n" + signed)
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)


def test_a_key_readable_by_others_disables_the_cache(episode_file: Path, tmp_path: Path,
                                                     cache: Path) -> None:
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    key = tmp_path / "data" / analysis_cache.KEY_FILE
    key.chmod(0o644)
    with pytest.raises(OSError):
        analysis_cache.user_key()
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)


def test_a_loose_cache_folder_is_made_private(episode_file: Path, cache: Path) -> None:
    cache.mkdir(parents=True, mode=0o777)
    cache.chmod(0o777)
    episode = load_episode(episode_file).require()
    analysis_cache.cached_analysis(episode, episode_file)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_an_unwritable_cache_folder_only_costs_time(episode_file: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", "utf-8")
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(blocker / "cache"))
    episode = load_episode(episode_file).require()
    assert analysis_cache.cached_analysis(episode, episode_file) == analyse(episode)
