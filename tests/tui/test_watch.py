"""`play EPISODE --watch`: the app reloads the file on every save, shows its errors, and keeps
the player on the same scene."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from sam_cowboy.results import open_store
from sam_cowboy.tui.screens.intro import IntroScreen
from sam_cowboy.tui.screens.problems import ProblemsScreen
from sam_cowboy.tui.screens.scene import SceneScreen

from .conftest import CARDS, make_app, play, screen_text, settle

FAST = {"debounce": 50, "step": 10}  # native notifications (polling misses quick saves)


async def saved(pilot, path: Path, text: str) -> None:
    """Write the file as an editor would, then wait until the app has reloaded it."""
    watcher = pilot.app.watcher
    before = watcher.reloads
    await asyncio.sleep(0.1)  # a new modification time, even on coarse file systems
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # save by rename, like many editors
    for _ in range(200):
        await pilot.pause(0.025)
        if watcher.reloads > before:
            break
    else:
        raise AssertionError("the app did not reload the file")
    await settle(pilot)


async def test_reload_keeps_the_scene_shows_errors_and_restarts_calmly(data_dir, tmp_path):
    path = tmp_path / "cards.yaml"
    shutil.copy(CARDS, path)
    original = path.read_text(encoding="utf-8")
    app = make_app(path, data_dir, watch=path, watch_options=FAST)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [2, 1])
        screen = app.screen
        assert isinstance(screen, SceneScreen) and screen.run.state.scene == "message"
        # 1. an edit of the current scene: same scene, same path, the new text on screen
        await saved(pilot, path, original.replace("A message arrives.",
                                                  "A short message arrives."))
        screen = app.screen
        assert isinstance(screen, SceneScreen)
        assert screen.run.state.scene == "message"
        assert [c for _, c in screen.run.state.path] == ["pitch", "comment"]
        assert "A short message arrives." in screen_text(screen)
        assert screen.run.episode.content_hash == app.config.episode.content_hash
        # 2. a version with errors: findings in the app (file:line:col), no crash
        await saved(pilot, path, original.replace("goto: email", "goto: emial"))
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app.screen)
        assert f"{path}:" in text and "emial" in text and "error" in text
        assert "save it" in text
        # 3. fixed: the problems close, the player is where they were
        await saved(pilot, path, original.replace("A message arrives.", "Fixed."))
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.state.scene == "message"
        assert "Fixed." in screen_text(app.screen)
        # 4. the path no longer exists: the run starts again from the beginning
        await saved(pilot, path, original.replace("id: comment", "id: ask"))
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.state.path == ()
        assert app.screen.run.state.scene == "profile"
        await play(pilot, [1], start=False)
        await pilot.press("q")
    # each version played is its own stored run; the replayed choices are in the new one
    store = open_store(None)
    runs = store.runs(episode_id="test-cards")
    counts = [len(store.decisions(r["id"])) for r in runs]
    store.close()
    assert [r["status"] for r in runs] == ["abandoned"] * 4
    assert counts == [2, 2, 2, 1]
    assert len({r["episode_hash"] for r in runs}) == 4


async def test_reload_on_the_intro_and_a_broken_start(data_dir, tmp_path):
    path = tmp_path / "cards.yaml"
    original = CARDS.read_text(encoding="utf-8")
    path.write_text("sam_cowboy: 1\nid: [oops\n", encoding="utf-8")
    app = make_app(None, data_dir, watch=path, watch_options=FAST)
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if isinstance(app.screen, ProblemsScreen):
                break
        assert isinstance(app.screen, ProblemsScreen)
        assert f"{path}:" in screen_text(app.screen)
        await saved(pilot, path, original)
        assert isinstance(app.screen, IntroScreen)
        await saved(pilot, path, original.replace("Sam's week", "Sam's big week"))
        assert isinstance(app.screen, IntroScreen)
        assert "Sam's big week" in screen_text(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.episode is app.config.episode
        assert "Sam's big week" in screen_text(app.screen)
