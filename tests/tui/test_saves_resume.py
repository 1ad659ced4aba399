"""Autosave, resume after quitting, practice mode (undo, never counted), locked episodes."""

from __future__ import annotations

import json

from sam_cowboy.atomic import write_text_atomic as atomic_write
from sam_cowboy.tui.saves import SaveStore, player_slug
from sam_cowboy.tui.screens.debrief import DebriefScreen
from sam_cowboy.tui.screens.intro import IntroScreen
from sam_cowboy.tui.screens.library import LibraryScreen
from sam_cowboy.tui.screens.resume import ResumeScreen
from sam_cowboy.tui.screens.scene import SceneScreen

from .conftest import CARDS, LIB, PLAYER, debrief_json, make_app, play, run_json, screen_text, settle


async def test_quit_mid_episode_then_resume(data_dir, capsys):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [2, 1])
        await pilot.press("q")
        await pilot.pause()
    assert app.exit_message and "saved" in app.exit_message
    saved = SaveStore(data_dir, "Alex").in_progress("test-cards")
    assert saved is not None and saved["choices"] == ["pitch", "comment"]
    assert saved["scene"] == "message"
    # next launch: the offer to continue, then the rest of the episode
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        assert "after 2 choice(s)" in screen_text(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.state.scene == "message"
        await play(pilot, [1, 1, 1], start=False)
        assert isinstance(app.screen, DebriefScreen)
        assert debrief_json(app.screen.debrief, "en") == run_json(CARDS, [2, 1, 1, 1, 1], capsys)
    assert SaveStore(data_dir, "Alex").in_progress("test-cards") is None


async def test_start_over_discards_the_save(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1])
        await pilot.press("q")
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right", "enter")  # "Start over"
        await settle(pilot)
        assert isinstance(app.screen, IntroScreen)
        assert SaveStore(data_dir, "Alex").in_progress("test-cards") is None
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.run.state.path == ()


async def test_library_launch_offers_to_resume(data_dir):
    app = make_app(LIB / "a.yaml", data_dir, library=[LIB])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # start
        await settle(pilot)
        await pilot.press("q")
    app = make_app(None, data_dir, library=[LIB])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.episode.id == "lib-a"


async def test_resume_of_a_changed_episode_starts_again(data_dir):
    store = SaveStore(data_dir, "Alex")
    store.save_progress("test-cards", "old", ["no-such-choice"], "post", False)
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.state.path == ()


async def test_undo_only_in_practice_mode(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1])
        await pilot.press("u")
        await settle(pilot)
        assert [c for _, c in app.screen.run.state.path] == ["personal"]
        assert "u" not in [k for k, _, _ in app.screen.keys()]
    app = make_app(CARDS, data_dir, practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right", "enter")  # start over rather than continue
        await settle(pilot)
        await play(pilot, [1])
        assert "PRACTICE" in screen_text(app.screen)
        await pilot.press("1")
        await settle(pilot)
        assert app.screen.feedback_mode
        await pilot.press("u")  # undo from the consequence panel
        await settle(pilot)
        assert not app.screen.feedback_mode
        assert [c for _, c in app.screen.run.state.path] == ["personal"]
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.run.state.path == ()
        assert app.screen.run.state.scores == {"brand": 0, "relationship": 0}
        await play(pilot, [1, 1, 1, 1, 1], start=False)
        assert isinstance(app.screen, DebriefScreen)
        assert "Practice run" in screen_text(app.screen)
    store = SaveStore(data_dir, "Alex")
    assert store.best("test-cards") is None  # practice runs never count
    assert store.in_progress("test-cards") is None


async def test_practice_turned_on_mid_run_marks_the_run(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [1])
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#practice").focus()
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.run.practice
        await pilot.press("u")
        await settle(pilot)
        assert app.screen.run.state.path == ()


async def test_locked_episode(data_dir):
    app = make_app(None, data_dir, library=[LIB])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        text = screen_text(app.screen)
        assert "○ New" in text and "⊘ Locked" in text
        await pilot.press("down", "enter")  # lib-b requires lib-a
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert "first finish: “First step”" in screen_text(app.screen)
        await pilot.press("up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, IntroScreen)
        await play(pilot, [1])
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")  # the reflection question comes first: skipped
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        text = screen_text(app.screen)
        assert "✓ Completed · best 100%" in text and "Locked" not in text
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, IntroScreen)
        assert app.screen.episode.id == "lib-b"


async def test_completion_waits_for_the_analysis(data_dir, monkeypatch, capsys):
    """A player who ends the episode before its analysis is done (it starts late, or takes
    seconds on a big episode) gets the completion recorded with the right percent."""
    import time

    from sam_cowboy.tui import analyses

    slow = analyses.AnalysisScheduler.analyse

    def slow_analysis(self, episode):  # in the worker thread
        time.sleep(0.5)
        return slow(self, episode)

    monkeypatch.setattr(analyses, "ANALYSIS_DELAY", 60)  # the debrief asks for it at once
    monkeypatch.setattr(analyses.AnalysisScheduler, "analyse", slow_analysis)
    app = make_app(CARDS, data_dir, analysed=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [1, 1, 1, 1, 1])
        for _ in range(100):  # the debrief shows once the analysis is done
            if isinstance(app.screen, DebriefScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, DebriefScreen)
    expected = run_json(CARDS, [1, 1, 1, 1, 1], capsys)["overall"]["percent"]
    assert expected > 0
    assert SaveStore(data_dir, PLAYER).best("test-cards") == expected


def test_atomic_write_and_unreadable_file(tmp_path):
    target = tmp_path / "players" / "x.json"
    atomic_write(target, '{"a": 1}')
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]  # no temp file left
    store = SaveStore(tmp_path, "x")
    store.path.write_text("{not json")
    store = SaveStore(tmp_path, "x")
    assert store.in_progress("e") is None
    assert any(p.name.startswith("x.unreadable") for p in store.path.parent.iterdir())
    store.save_progress("e", "h", ["a"], "s", False)
    assert SaveStore(tmp_path, "x").in_progress("e")["choices"] == ["a"]


def test_players_are_kept_apart(tmp_path):
    a, b = SaveStore(tmp_path, "Jo Dupont"), SaveStore(tmp_path, "jo-dupont")
    assert a.path != b.path
    a.record_completion("e", "h", ["x"], "end", "good", 80)
    assert SaveStore(tmp_path, "Jo Dupont").best("e") == 80
    assert SaveStore(tmp_path, "jo-dupont").best("e") is None
    assert player_slug("../../etc") .startswith("etc-")


async def test_an_assessment_resumed_from_its_save_goes_on_holding_scores_back(data_dir):
    SaveStore(data_dir, "Alex").save_settings(assess=True)
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [2, 1])
        assert app.screen.run.assess
        await pilot.press("q")
        await pilot.pause()
    saved = SaveStore(data_dir, "Alex").in_progress("test-cards")
    assert saved is not None and saved["assess"] is True
    SaveStore(data_dir, "Alex").save_settings(assess=False)  # turned off since: the run stays one
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.state.scene == "message" and app.screen.run.assess
