"""Saves (issue 15, item 7): two windows never lose a finished run; a malformed save is moved
aside and the app starts; "saved" is only said when the write happened."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sam_cowboy.tui.saves import SaveStore


def test_two_windows_keep_each_others_finished_runs(tmp_path: Path) -> None:
    a, b = SaveStore(tmp_path, "Alex"), SaveStore(tmp_path, "Alex")  # both read an empty save
    assert a.record_completion("ep1", "h", ["x"], "end", "good", 90)
    assert b.record_completion("ep2", "h", ["y"], "end", "bad", 10)  # b never saw a's run
    b.save_settings(theme="contrast")
    a.save_settings(lang="fr")
    again = SaveStore(tmp_path, "Alex")
    assert again.best("ep1") == 90 and again.best("ep2") == 10
    assert again.completed_ids() == {"ep1", "ep2"}
    assert again.settings == {"theme": "contrast", "lang": "fr"}


def test_progress_of_one_window_survives_the_others_completion(tmp_path: Path) -> None:
    a, b = SaveStore(tmp_path, "Alex"), SaveStore(tmp_path, "Alex")
    a.save_progress("ep1", "h", ["x"], "s2", False)
    b.record_completion("ep2", "h", ["y"], "end", "good", 50)
    assert SaveStore(tmp_path, "Alex").in_progress("ep1") is not None


WRITER = """
import sys
from pathlib import Path
from sam_cowboy.tui.saves import SaveStore
store = SaveStore(Path(sys.argv[1]), "Alex")
for i in range(20):
    assert store.record_completion(f"ep-{sys.argv[2]}", "h", ["c"], "end", "good", i)
"""


def test_concurrent_processes_lose_nothing(tmp_path: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name])
             for name in ("a", "b", "c")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    store = SaveStore(tmp_path, "Alex")
    for name in ("a", "b", "c"):
        assert len(store.completed_runs(f"ep-{name}")) == 20
    assert store.problem is None


def test_a_save_with_wrong_types_is_moved_aside_and_the_rest_kept(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, "Alex")
    store.record_completion("good-ep", "h", ["x"], "end", "good", 70)
    data = json.loads(store.path.read_text("utf-8"))
    data["settings"] = {"theme": 5, "sidebar": "yes", "lang": "fr"}
    data["completed"]["bad-ep"] = "not a list"
    data["completed"]["worse-ep"] = [{"overall": "100"}, 3]
    data["in_progress"] = {"e": {"choices": 3}, "f": [1]}
    store.path.write_text(json.dumps(data), "utf-8")
    again = SaveStore(tmp_path, "Alex")
    assert again.problem is not None and "damaged" in again.problem
    assert again.best("good-ep") == 70 and again.settings == {"lang": "fr"}
    assert again.in_progress("e") is None and again.completed_ids() == {"good-ep"}
    aside = [p for p in again.path.parent.iterdir() if "unreadable" in p.name]
    assert len(aside) == 1 and json.loads(aside[0].read_text("utf-8")) == data
    assert again.record_completion("bad-ep", "h", ["x"], "end", "good", 40)
    assert SaveStore(tmp_path, "Alex").best("bad-ep") == 40


def test_not_json_at_all(tmp_path: Path) -> None:
    path = tmp_path / "players"
    path.mkdir()
    store = SaveStore(tmp_path, "x")
    store.path.write_bytes(b"\xff\xfe[[[[")
    again = SaveStore(tmp_path, "x")
    assert again.problem and again.completed_ids() == set()
    assert again.save_settings(theme="calm")


def test_saved_is_only_said_when_written(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be", "utf-8")
    store = SaveStore(blocker, "Alex")  # players/ cannot be made: like a read-only disk
    assert store.record_completion("ep", "h", ["x"], "end", "good", 80) is False
    assert store.last_saved is False and store.problem and "not saved" in store.problem
    assert store.best("ep") == 80  # kept for this session all the same
    ok = SaveStore(tmp_path / "fine", "Alex")
    assert ok.record_completion("ep", "h", ["x"], "end", "good", 80) and ok.last_saved


def test_an_unreadable_save_is_not_overwritten(tmp_path: Path) -> None:
    store = SaveStore(tmp_path, "Alex")
    store.record_completion("ep", "h", ["x"], "end", "good", 80)
    store.path.unlink()
    store.path.mkdir()  # exists, cannot be read as a file
    again = SaveStore(tmp_path, "Alex")
    assert again.problem
    assert again.record_completion("ep", "h", ["x"], "end", "good", 10) is False
    assert store.path.is_dir()


def test_the_app_starts_on_a_save_with_wrong_types(tmp_path: Path) -> None:
    import asyncio

    import pytest

    pytest.importorskip("textual")
    from sam_cowboy.tui.app import create_app
    from sam_cowboy.tui.saves import player_slug

    data = tmp_path / "data"
    save = data / "players" / f"{player_slug('Alex')}.json"
    save.parent.mkdir(parents=True)
    save.write_text(json.dumps({"format": 1, "player": "Alex", "settings": {"theme": 5,
                    "lang": ["fr"], "sidebar": "no"}, "in_progress": {"ep01": {"choices": 7}},
                    "completed": {"ep01": "x"}}), "utf-8")

    async def scenario() -> None:
        app = create_app(episode=None, analysis=None, lang="en", data_dir=data, builtin=True,
                         player="Alex")
        async with app.run_test(size=(100, 40)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if app.items is not None:
                    break
            assert app.items and app.store.completed_ids() == set()

    asyncio.run(scenario())
    assert any("unreadable" in p.name for p in save.parent.iterdir())
