"""Every built-in episode fits 80x24 and 120x40, in French and English: along its best run,
and at every scene where a choice or a message is asked, what the choices refer to is on
screen with them or announced and one key (t) away, every choice (a compose scene: every
fragment, the message and the hint) shows without scrolling, every gauge label shows on one
line, and Global always shows."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import analyse
from sam_cowboy.library import builtin_dir, episode_files
from sam_cowboy.tui import session
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.widgets.choices import ChoiceList
from sam_cowboy.tui.widgets.compose import ComposePicker
from sam_cowboy.tui.widgets.posture import PostureSidebar, PostureText

from .conftest import best_steps, load, make_app, settle

EPISODES = episode_files(builtin_dir())
ANALYSES: dict[str, object] = {}


def shown_lines(widget) -> list[str]:
    """The lines a widget shows on screen now (what is scrolled out of sight excluded)."""
    region = widget.region
    return [strip.text for strip in widget.render_lines(Region(0, 0, region.width,
                                                               region.height))]


def check_posture(screen: SceneScreen, lang: str) -> None:
    sidebar = screen.query_one("#posture", PostureSidebar)
    assert sidebar.max_scroll_y == 0, "part of the posture is out of sight"
    text = screen.query_one("#posture-text", PostureText)
    lines = [line.replace("\u00a0", " ") for line in shown_lines(text)]
    assert len(lines) <= sidebar.region.height
    episode = screen.run.episode
    labels = [screen.sam.say(episode, d.label) for d in episode.dimensions.values()]
    for label in [screen.t("overall_short"), *labels]:
        assert any(label in line for line in lines), (label, lines)


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def check_choices(screen: SceneScreen) -> None:
    """Every choice shows without scrolling; in a compose scene the picker instead, with
    every fragment offered, the message line and the hint (how many are left)."""
    box = screen.query_one("#choices-box", VerticalScroll)
    assert box.display and box.max_scroll_y == 0, f"{screen.run.state.scene}: choices cut off"
    if not screen.compose_mode:
        assert screen.query_one("#choices", ChoiceList).display
        assert not screen.query_one("#compose", ComposePicker).display
        return
    picker = screen.query_one("#compose", ComposePicker)
    assert picker.display and not screen.query_one("#choices", ChoiceList).display
    on_screen = words(" ".join(shown_lines(picker)))
    run = screen.run
    fragments = engine.fragments_shown(run.episode, run.state)
    assert fragments and picker.count == len(fragments)
    for n, fragment in enumerate(fragments, 1):
        text = words(screen.sam.say(run.episode, fragment.text, run.state.variables))
        assert f"{n}. [ ] {text}" in on_screen, (n, text, on_screen)
    assert words(picker.footer.plain.splitlines()[-1]) in on_screen  # the hint, last


def check_referent(screen: SceneScreen) -> bool:
    """The story fits above the choices, or the choices say it does not (the key to see
    it); returns whether it was announced."""
    story = screen.query_one("#story", VerticalScroll)
    choices = screen.query_one("#compose" if screen.compose_mode else "#choices", ChoiceList)
    if story.max_scroll_y == 0:
        assert screen.t("story_more") not in choices.plain
        return False
    assert screen.t("story_more") in choices.plain
    assert "t" in [key for key, _, _ in screen.keys()]
    return True


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", EPISODES, ids=lambda p: p.stem)
async def test_every_scene_on_the_best_run_fits(path, lang, size, data_dir):
    episode = load(path)
    if path.stem not in ANALYSES:
        ANALYSES[path.stem] = analyse(episode)
    analysis = ANALYSES[path.stem]
    app = make_app(path, data_dir, lang=lang)
    app.analyses.remember(episode, analysis)  # type: ignore[arg-type]
    assert analysis.best_run is not None  # type: ignore[attr-defined]
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        path = analysis.best_run.path  # type: ignore[attr-defined]
        for (scene_id, _choice), step in zip(path, best_steps(episode, path), strict=True):
            screen = app.screen
            assert isinstance(screen, SceneScreen)
            assert screen.run.state.scene == scene_id
            check_posture(screen, lang)
            check_choices(screen)
            if check_referent(screen):
                await pilot.press("t")  # the announced key: the story alone, its end in sight
                await settle(pilot)
                story = screen.query_one("#story", VerticalScroll)
                assert story.scroll_y == story.max_scroll_y
                assert not screen.query_one("#choices-box").display
                await pilot.press("t")
                await settle(pilot)
                assert screen.query_one("#choices-box").display
            if isinstance(step, str):  # a compose scene: its fragments, then Enter sends
                await pilot.press(*step.split("+"))
                await settle(pilot)
                check_choices_box_fits(screen)  # the message built, still in sight
                await pilot.press("enter")
            else:
                await pilot.press(str(step))
            await settle(pilot)
            if isinstance(app.screen, SceneScreen) and app.screen.feedback_mode:
                check_feedback(app.screen)
                await pilot.press("enter")
                await settle(pilot)


def check_feedback(screen: SceneScreen) -> None:
    """The consequence fits its box, or says more is below; Continue always shows."""
    scroll = screen.query_one("#fb-scroll", VerticalScroll)
    continue_line = "\n".join(shown_lines(screen.query_one("#fb-continue")))
    assert screen.t("continue") in continue_line
    if scroll.max_scroll_y > 0:
        # the hint may wrap at 80 columns: compare the words, not the line breaks
        assert " ".join(screen.t("feedback_more").split()) in " ".join(continue_line.split())


def check_choices_box_fits(screen: SceneScreen) -> None:
    box = screen.query_one("#choices-box", VerticalScroll)
    assert box.max_scroll_y == 0, f"{screen.run.state.scene}: the picker is cut off"
    picker = screen.query_one("#compose", ComposePicker)
    assert picker.ready
    assert words(picker.footer.plain) in words(" ".join(shown_lines(picker)))


def asking_scenes(episode) -> list[str]:  # type: ignore[no-untyped-def]
    """The scenes that ask for a choice or a message (not routes, not endings)."""
    return [sid for sid, scene in episode.scenes.items()
            if scene.ending is None and not scene.route]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", EPISODES, ids=lambda p: p.stem)
async def test_every_scene_fits(path, lang, size, data_dir):
    """Each scene that asks something, opened as a test run starts it (`play --at`), off
    the best run too: the choices or the fragments show whole, the story is in sight or
    announced, the posture fits."""
    episode = load(path)
    app = make_app(path, data_dir, lang=lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for scene_id in asking_scenes(episode):
            run = session.PlayRun(episode, None, start=session.TestStart(at=scene_id))
            if run.finished or run.state.scene != scene_id:
                continue
            await app.switch_screen(SceneScreen(run))
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SceneScreen)
            check_choices(screen)
            check_referent(screen)
            check_posture(screen, lang)
