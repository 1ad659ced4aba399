"""Every app run in the results store (source "app"), abandon and resume, practice, --at."""

from __future__ import annotations

import contextlib
import io

import pytest

from sam_cowboy import cli
from sam_cowboy.results import open_store
from sam_cowboy.tui.saves import SaveStore
from sam_cowboy.tui.screens.debrief import DebriefScreen
from sam_cowboy.tui.screens.intro import IntroScreen
from sam_cowboy.tui.screens.problems import ProblemsScreen
from sam_cowboy.tui.screens.scene import SceneScreen

from .conftest import CARDS, EPISODES, make_app, play, run_json, screen_text, settle


def stored_runs() -> list[dict]:
    """The runs in the default store: $SAM_COWBOY_DATA_DIR (the data_dir fixture)."""
    store = open_store(None)
    try:
        runs = store.runs(episode_id="test-cards")
        for run in runs:
            run["decisions"] = store.decisions(run["id"])
        return runs
    finally:
        store.close()


def choices_of(run: dict) -> list[str]:
    return [d["choice"] for d in run["decisions"]]


async def test_a_finished_run_is_recorded_like_plain_mode(data_dir, capsys):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1, 1, 1, 1, 1])
        assert isinstance(app.screen, DebriefScreen)
    expected = run_json(CARDS, [1, 1, 1, 1, 1], capsys)
    [run] = stored_runs()
    assert run["source"] == "app" and run["player"] == "Alex" and run["lang"] == "en"
    assert run["status"] == "finished" and not run["practice"] and not run["test"]
    assert run["ending"] == expected["ending"]["scene"]
    assert run["overall"] == expected["overall"]["percent"]
    assert choices_of(run) == [step["choice"] for step in expected["path"]]
    assert run["scores"] == {d: s["raw"] for d, s in expected["scores"].items()}
    assert run["episode_hash"] == app.config.episode.content_hash
    # each decision carries its score changes, as the engine reported them
    first = run["decisions"][0]
    assert first["scene"] == "profile" and first["changes"]


async def test_quit_abandons_and_resume_continues_the_same_stored_run(data_dir, capsys):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [2, 1])
        await pilot.press("q")
        await pilot.pause()
    [run] = stored_runs()
    assert run["status"] == "abandoned" and choices_of(run) == ["pitch", "comment"]
    saved = SaveStore(data_dir, "Alex").in_progress("test-cards")
    assert saved["results"]["run_id"] == run["id"]
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # continue
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        await play(pilot, [1, 1, 1], start=False)
        assert isinstance(app.screen, DebriefScreen)
    [again] = stored_runs()  # one run played in two sittings is one stored run
    assert again["id"] == run["id"] and again["status"] == "finished"
    assert [d["seq"] for d in again["decisions"]] == [0, 1, 2, 3, 4]
    expected = run_json(CARDS, [2, 1, 1, 1, 1], capsys)
    assert choices_of(again) == [step["choice"] for step in expected["path"]]
    assert again["overall"] == expected["overall"]["percent"]


async def test_start_over_abandons_the_saved_run_for_good(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1])
        await pilot.press("q")
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right", "enter")  # start over
        await settle(pilot)
        await play(pilot, [3, 1, 1, 1, 1])
        assert isinstance(app.screen, DebriefScreen)
    first, second = stored_runs()
    assert first["status"] == "abandoned" and choices_of(first) == ["personal"]
    assert second["status"] == "finished" and choices_of(second)[0] == "nothing"


async def test_leaving_without_quitting_abandons(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1])
    [run] = stored_runs()
    assert run["status"] == "abandoned"


async def test_practice_run_with_undo_is_marked_and_logs_every_choice(data_dir, capsys):
    app = make_app(CARDS, data_dir, practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [2])
        await pilot.press("u")  # back to the first scene
        await settle(pilot)
        assert app.screen.run.state.path == ()
        await play(pilot, [1, 1, 1, 1, 1], start=False)
        assert isinstance(app.screen, DebriefScreen)
    [run] = stored_runs()
    expected = run_json(CARDS, [1, 1, 1, 1, 1], capsys)
    assert run["practice"] and run["status"] == "finished"
    # the log keeps the undone choice; the outcome is the path finally taken
    assert choices_of(run) == ["pitch"] + [step["choice"] for step in expected["path"]]
    assert run["scores"] == {d: s["raw"] for d, s in expected["scores"].items()}
    assert run["overall"] == expected["overall"]["percent"]
    assert SaveStore(data_dir, "Alex").best("test-cards") is None


async def test_practice_turned_on_mid_run_marks_the_stored_run(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [1])
        app.set_practice(True)
        await settle(pilot)
        await pilot.press("q")
    [run] = stored_runs()
    assert run["practice"]


async def test_at_and_set_make_a_test_run(data_dir):
    app = make_app(CARDS, data_dir, at="message", preset={"seen": 3})
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IntroScreen)
        assert "Test run: starts at “message”, with seen=3" in screen_text(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.state.scene == "message" and app.screen.run.test
        assert "TEST RUN" in screen_text(app.screen)
        await play(pilot, [1, 1, 1], start=False)
        assert isinstance(app.screen, DebriefScreen)
        assert "Test run (--at / --set)" in screen_text(app.screen)
        await pilot.press("r")  # play the test again: from the same scene
        await settle(pilot)
        assert app.screen.run.state.scene == "message" and app.screen.run.test
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("q")
    store = SaveStore(data_dir, "Alex")
    assert store.best("test-cards") is None  # never counted
    assert store.in_progress("test-cards") is None  # never saved to resume
    finished, left = stored_runs()
    assert finished["test"] and finished["status"] == "finished"
    assert left["test"] and left["status"] == "abandoned"
    assert app.exit_message == "See you soon!"


async def test_a_test_run_leaves_the_real_save_alone(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [2, 1])
        await pilot.press("q")
    app = make_app(CARDS, data_dir, at="email")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IntroScreen)  # no offer to resume in a test run
        await pilot.press("enter")
        await settle(pilot)
        await play(pilot, [1], start=False)
        await pilot.press("q")
    saved = SaveStore(data_dir, "Alex").in_progress("test-cards")
    assert saved is not None and saved["choices"] == ["pitch", "comment"]


def test_play_passes_at_set_db_and_watch_to_the_app(monkeypatch, data_dir):
    import sam_cowboy.tui.run as run_module

    seen: dict = {}

    def fake_run_app(**kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(run_module, "run_app", fake_run_app)
    code = cli.main(["play", str(CARDS), "--at", "email", "--set", "seen=2",
                     "--db", str(data_dir / "x.sqlite3"), "--watch"])
    assert code == 0
    assert seen["at"] == "email" and seen["preset"] == {"seen": 2}
    assert seen["db"] == str(data_dir / "x.sqlite3") and seen["watch"] == CARDS
    assert seen["analysis"] is None  # analysed in the app, after the first frame
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert cli.main(["play", str(CARDS), "--at", "nowhere"]) == 2
    assert "--at: no scene `nowhere`" in err.getvalue()


async def test_analysis_errors_are_shown_in_the_app_and_exit_1(data_dir):
    app = make_app(EPISODES / "unbounded.yaml", data_dir, analysed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(100):  # the analysis starts a moment after the intro shows
            await settle(pilot)
            if isinstance(app.screen, ProblemsScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(app.screen)
        assert "unbounded.yaml:" in text and "error" in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1
    assert app.exit_error is not None and "unbounded.yaml:" in app.exit_error


@pytest.mark.parametrize("db", ["ok", "broken"])
async def test_a_store_that_fails_never_stops_play(db, data_dir, tmp_path):
    url = str(tmp_path / "r.sqlite3") if db == "ok" else str(tmp_path / "no" / "\0bad")
    app = make_app(CARDS, data_dir, db=url)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1, 1, 1, 1, 1])
        assert isinstance(app.screen, DebriefScreen)
    if db == "ok":
        store = open_store(url)
        assert [r["status"] for r in store.runs()] == ["finished"]
        store.close()
    else:
        assert app.results_problem
