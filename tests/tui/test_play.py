"""Whole episodes played through the app with key presses, checked against `sam-cowboy run`."""

from __future__ import annotations

import json

import pytest

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.debrief import build
from sam_cowboy.library import builtin_dir, episode_files
from sam_cowboy.tui.screens.debrief import DebriefScreen
from sam_cowboy.tui.screens.intro import IntroScreen
from sam_cowboy.tui.screens.scene import SceneScreen

from .conftest import CARDS, LIB, best_steps, debrief_json, load, make_app, play, run_json, screen_text, settle

PATHS = [[1, 1, 1, 1, 1], [2, 2, 1, 2, 1], [3, 1, 1, 2, 1], [1, 2, 1, 1, 1]]


@pytest.mark.parametrize("numbers", PATHS)
@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_debrief_equals_run(numbers, lang, data_dir, capsys):
    app = make_app(CARDS, data_dir, lang=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, numbers)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        expected = run_json(CARDS, numbers, capsys, lang=lang)
        assert debrief_json(screen.debrief, lang) == expected  # one view model: `run` too
        shown = screen_text(screen)
        for dim in expected["scores"].values():
            assert f"{dim['percent']:>3}%" in shown
        assert "raw" not in shown and "brut" not in shown  # words for trainees, not figures
        assert f"{expected['overall']['percent']}%" in shown
        if expected["overall"]["label"]:
            assert expected["overall"]["label"] in shown
    # completed (not practice): kept for the player with its overall percent
    from sam_cowboy.tui.saves import SaveStore

    store = SaveStore(data_dir, "Alex")
    assert store.best("test-cards") == expected["overall"]["percent"]
    assert store.in_progress("test-cards") is None


async def test_arrows_enter_and_mouse(data_dir, capsys):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#start")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        await pilot.press("down", "enter")  # choice 2
        await settle(pilot)
        assert app.screen.feedback_mode
        await pilot.press("space")
        await settle(pilot)
        await pilot.click("#choices", offset=(6, 2))  # under the rule and the label: choice 1
        await settle(pilot)
        assert app.screen.feedback_mode
        await pilot.click("#fb-continue", offset=(3, 0))  # "Continue ⏎"
        await settle(pilot)
        assert [c for _, c in app.screen.run.state.path] == ["pitch", "comment"]
        await play(pilot, [1, 1, 1], start=False)
        assert isinstance(app.screen, DebriefScreen)
        assert debrief_json(app.screen.debrief, "en") == run_json(CARDS, [2, 1, 1, 1, 1], capsys)


async def test_scene_keys_never_move_the_focus(data_dir):
    """The screen owns the keys: arrows, Home/End move the highlight, Enter picks it; in the
    consequence panel Up/Down scroll it and Enter continues; nothing is ever focused."""
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        screen = app.screen
        choices = screen.query_one("#choices")
        assert app.focused is None and choices.highlighted == 0
        await pilot.press("end")
        assert choices.highlighted == choices.option_count - 1
        await pilot.press("home", "down", "down", "up")
        assert choices.highlighted == 1
        await pilot.press("enter")  # choice 2
        await settle(pilot)
        assert screen.feedback_mode and app.focused is None
        await pilot.press("down", "up", "pagedown")  # scroll the panel, choose nothing
        await settle(pilot)
        assert screen.feedback_mode and len(screen.run.state.path) == 1
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.feedback_mode and app.focused is None
        assert [c for _, c in screen.run.state.path] == ["pitch"]
        await pilot.hover("#choices", offset=(8, 3))  # the mouse over the second choice
        assert choices.hover == 1 and choices.highlighted == 0
        await pilot.hover("#story")
        assert choices.hover is None


async def test_closing_while_the_first_scene_mounts(data_dir):
    """Start, then the app closes at once (q right after Enter): no traceback on the way out."""
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.action_start()  # the scene is pushed; the app closes before it mounts
    assert app.return_code in (0, None)


async def test_number_out_of_range_is_ignored(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        await pilot.press("9")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.run.state.path == ()
        assert not app.screen.feedback_mode


def builtin_episodes():
    folder = builtin_dir()
    return [p for p in episode_files(folder)] if folder.is_dir() else []


@pytest.mark.parametrize("path", builtin_episodes(), ids=lambda p: p.stem)
async def test_builtin_episode_plays_to_the_end(path, data_dir, capsys, tmp_path):
    import shutil

    from sam_cowboy.core.loader import load_episode

    # a copy: the season is being written while tests run; both sides must read the same file
    copy = tmp_path / "season"
    copy.mkdir()
    for f in (path, path.parent / "series.yaml"):
        if f.is_file():
            shutil.copy(f, copy / f.name)
    path = copy / path.name
    result = load_episode(path)
    if result.episode is None:
        pytest.skip(f"{path.name} does not load yet")
    episode = result.episode
    analysis = analyse(episode)
    if not analysis.ok or analysis.best_run is None:
        pytest.skip(f"{path.name} has errors")
    # the best run, as numbers among the choices shown (in a compose scene, the fragments
    # picked with their numbers, then Enter): the app must reproduce it exactly
    numbers = best_steps(episode, analysis.best_run.path)
    state = engine.replay(episode, [c for _, c in analysis.best_run.path])
    from sam_cowboy.tui.app import create_app

    app = create_app(episode=episode, analysis=analysis, lang="en", player="Alex",
                     data_dir=data_dir, builtin=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, numbers)
        assert isinstance(app.screen, DebriefScreen)
        got = debrief_json(app.screen.debrief, "en")
        assert got == debrief_json(build(episode, state, analysis), "en")
        expected = run_json(path, [c for _, c in analysis.best_run.path], capsys)
        for step in expected["path"]:  # type: ignore[attr-defined]
            for extra in ("fragments", "message", "checklist"):  # run's words on a composition
                step.pop(extra, None)
        assert got == expected
        assert got["overall"]["percent"] == analysis.best_run.overall


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_first_episode_shows_every_choice_at_80x24(lang, data_dir):
    """A trainee at 80x24 sees all of a scene's choices without scrolling them (the story
    above scrolls instead): a choice below the fold is a choice that does not exist."""
    from sam_cowboy.tui.app import create_app

    path = next(p for p in builtin_episodes() if p.stem.startswith("ep01"))
    episode = load(path)
    analysis = analyse(episode)
    app = create_app(episode=episode, analysis=analysis, lang=lang, player="Alex",
                     data_dir=data_dir, builtin=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        story = app.screen.query_one("#story")
        assert story.max_scroll_y > 0  # the first scene's story is longer than its room
        await pilot.press("pagedown")
        assert story.scroll_y > 0
        await pilot.press("pageup")
        assert story.scroll_y == 0
        steps = best_steps(episode, analysis.best_run.path)
        for (scene, _choice), step in zip(analysis.best_run.path, steps, strict=True):
            screen = app.screen
            box = screen.query_one("#choices-box")
            assert box.max_scroll_y == 0, f"{scene}: choices cut off"
            if episode.scenes[scene].compose is not None:  # every fragment, and the hint
                picker = screen.query_one("#compose")
                assert picker.display and not screen.query_one("#choices").display
                assert picker.count == len(engine.fragments_shown(episode, screen.run.state))
            await play(pilot, [step], start=False)


async def test_intro_shows_episode_and_starts_with_enter(data_dir):
    app = make_app(CARDS, data_dir, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, IntroScreen)
        text = screen_text(app.screen)
        assert "La semaine de Sam" in text and "environ 4 min" in text
        assert "Voir chaque carte." in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)


async def test_language_switch_in_settings(data_dir):
    app = make_app(CARDS, data_dir, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [])
        assert "Monday: the profile" in screen_text(app.screen)
        await pilot.press("s")
        await settle(pilot)
        await pilot.click("#lang-fr")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "Lundi\u202f: le profil" in screen_text(app.screen)  # no-break space: text.py
        assert "Choisir" in screen_text(app.screen)
    from sam_cowboy.tui.saves import SaveStore

    assert SaveStore(data_dir, "Alex").settings["lang"] == "fr"


async def test_posture_toggle_and_help(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        sidebar = app.screen.query_one("#posture")
        assert sidebar.display
        await pilot.press("p")
        assert not sidebar.display
        await pilot.press("p")
        assert sidebar.display
        await pilot.press("question_mark")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("f1")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("q")  # closes help, does not quit
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert app.is_running


async def test_feedback_shows_changes_in_words_and_signs(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [])
        await pilot.press("2")
        await settle(pilot)
        text = screen_text(app.screen)
        assert "No answer." in text
        assert "−2 Relationship (down)" in text
        assert "−1 Professional brand (down)" in text
        # the panel stays until Enter or Space
        await pilot.pause(0.2)
        assert app.screen.feedback_mode
        await pilot.press("1")  # numbers do nothing while the consequence is shown
        assert [c for _, c in app.screen.run.state.path] == ["pitch"]
        await pilot.press("space")
        await settle(pilot)
        assert not app.screen.feedback_mode
        assert "Tuesday: a post" in screen_text(app.screen)


async def test_library_next_episode_button(data_dir):
    app = make_app(LIB / "a.yaml", data_dir, library=[LIB])
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [1])
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")  # the reflection question comes first: skipped
        assert app.screen.query_one("#next").display
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, IntroScreen)
        assert app.screen.episode.id == "lib-b"


def test_no_tui_import_for_check_and_run(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from sam_cowboy import cli; "
            f"cli.main(['check', {str(CARDS)!r}]); "
            f"cli.main(['run', {str(CARDS)!r}, '--choices', '1', '--json']); "
            "bad = [m for m in sys.modules if m.startswith(('textual', 'sam_cowboy.tui'))]; "
            "print(json.dumps(bad))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == []


@pytest.mark.parametrize(("theme", "background"), [("calm", "#1B222C"), ("light", "#FBFAF7"),
                                                   ("contrast", "#000000")])
async def test_the_saved_theme_is_the_first_one_drawn(theme, background, data_dir):
    from textual.color import Color

    app = make_app(CARDS, data_dir, theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.styles.background == Color.parse(background)
        assert app.current_theme.dark is (theme != "light")


async def test_the_analysis_is_kept_on_disk_between_launches(data_dir, monkeypatch):
    """ep05's analysis takes seconds: the app shares `run`'s on-disk cache (not with --watch)."""
    import sam_cowboy.analysis_cache
    import sam_cowboy.core.analysis as analysis_module

    calls: list[str] = []
    real = analysis_module.analyse

    def counted(episode):  # type: ignore[no-untyped-def]
        calls.append(episode.id)
        return real(episode)

    monkeypatch.setattr(analysis_module, "analyse", counted)
    monkeypatch.setattr(sam_cowboy.analysis_cache, "analyse", counted)
    cache = data_dir / "cache"
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(cache))
    for _ in range(2):
        app = make_app(CARDS, data_dir, analysed=False)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(40):  # the intro asks for it after a short delay
                await pilot.pause(0.05)
                await settle(pilot)
                if app.cached_analysis(app.config.episode) is not None:
                    break
            assert app.cached_analysis(app.config.episode) is not None
    assert len(calls) == 1 and list(cache.glob("analysis/*.json"))


@pytest.mark.parametrize(("theme", "border"), [("contrast", ("heavy", "#FFFFFF")),
                                               ("calm", ("tall", "#BEF7FF"))])
async def test_the_start_button_is_styled_like_every_button(theme, border, data_dir):
    """It carries only the styles it uses: the high-contrast border must still reach it."""
    from textual.color import Color

    app = make_app(CARDS, data_dir, theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        kind, color = app.screen.query_one("#start").styles.border_top
        assert (kind, color.hex.upper()) == (border[0], Color.parse(border[1]).hex.upper())
