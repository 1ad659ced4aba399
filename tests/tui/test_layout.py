"""Every built-in episode fits 80x24 and 120x40, in French and English: along its best run,
what the choices refer to is on screen with them or announced and one key (t) away, every
gauge label shows on one line, and Global always shows."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region

from sam_cowboy.core.analysis import analyse
from sam_cowboy.library import builtin_dir, episode_files
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.widgets.choices import ChoiceList
from sam_cowboy.tui.widgets.posture import PostureSidebar, PostureText

from .conftest import load, make_app, settle

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


def check_referent(screen: SceneScreen) -> bool:
    """The story fits above the choices, or the choices say it does not (the key to see
    it); returns whether it was announced."""
    story = screen.query_one("#story", VerticalScroll)
    choices = screen.query_one("#choices", ChoiceList)
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
        for scene_id, choice_id in analysis.best_run.path:  # type: ignore[attr-defined]
            screen = app.screen
            assert isinstance(screen, SceneScreen)
            assert screen.run.state.scene == scene_id
            check_posture(screen, lang)
            if check_referent(screen):
                await pilot.press("t")  # the announced key: the story alone, its end in sight
                await settle(pilot)
                story = screen.query_one("#story", VerticalScroll)
                assert story.scroll_y == story.max_scroll_y
                assert not screen.query_one("#choices-box").display
                await pilot.press("t")
                await settle(pilot)
                assert screen.query_one("#choices-box").display
            number = [c.id for c in screen.run.shown].index(choice_id) + 1
            if number <= 9:
                await pilot.press(str(number))
            else:  # a compose scene lists up to 20 messages: the arrows reach past nine
                await pilot.press(*["down"] * (number - 1), "enter")
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
