"""Scenes drawn ahead while the player reads, and drawings kept: what a key press no longer
does (wrap a story, render a line again) and what it must still show."""

from __future__ import annotations

from textual.content import Content

from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.widgets.choices import ChoiceList
from sam_cowboy.tui.widgets.drawn import Drawn, DrawnWidget
from sam_cowboy.tui.widgets.keybar import KeyBar
from sam_cowboy.tui.widgets.posture import PostureText
from sam_cowboy.tui.widgets.story import StoryView

from .conftest import CARDS, make_app, play, screen_text, settle

READ = 0.3  # seconds a player reads: enough for the scenes ahead to be drawn


def count_calls(monkeypatch, cls: type, name: str) -> list[str]:
    """Calls of `cls.name` made to show something, not to prepare it (`DrawnWidget.prepare`
    runs while the player reads)."""
    calls: list[str] = []
    original = getattr(cls, name)
    preparing = [False]

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not preparing[0]:
            calls.append(type(self).__name__)
        return original(self, *args, **kwargs)

    original_prepare = DrawnWidget.prepare

    def prepare(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        preparing[0] = True
        try:
            return original_prepare(self, *args, **kwargs)
        finally:
            preparing[0] = False

    monkeypatch.setattr(cls, name, counting)
    monkeypatch.setattr(DrawnWidget, "prepare", prepare)
    return calls


async def test_the_next_scene_is_drawn_before_its_key(data_dir, monkeypatch):
    """After a pause to read, the key that brings a scene (a choice, or Enter after its
    consequence) wraps no story, no choices and no gauges: they were drawn ahead. So does
    the key that shows a consequence and moves the gauges."""
    stories = count_calls(monkeypatch, StoryView, "draw")
    choices = count_calls(monkeypatch, ChoiceList, "draw")
    gauges = count_calls(monkeypatch, PostureText, "draw")
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        for number in [2, 1, 1]:  # a choice with a consequence, then two without
            screen = app.screen
            assert isinstance(screen, SceneScreen)
            scene = screen.run.state.scene
            await pilot.pause(READ)
            stories.clear()
            choices.clear()
            gauges.clear()
            await pilot.press(str(number))
            await pilot.pause()
            if screen.feedback_mode:
                assert screen.run.last is not None and screen.run.last.changes
                assert gauges == [], "the gauges were drawn on the key press"
                await pilot.pause(READ)
                stories.clear()
                choices.clear()
                await pilot.press("enter")
                await pilot.pause()
            assert screen.run.state.scene != scene
            assert stories == [] and choices == [], "the scene was drawn on the key press"
            assert gauges == []
            assert screen.query_one("#scene-text", StoryView).plain in screen_text(screen)


async def test_a_key_pressed_at_once_still_shows_the_right_scene(data_dir):
    """No pause to read: the scene drawn is the run's, not one drawn ahead for another
    choice."""
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        for number in [1, 2, 1]:
            screen = app.screen
            await pilot.press(str(number))
            if screen.feedback_mode:
                await pilot.press("enter")
            await pilot.pause()
            expected, _card = screen.story_of(screen.run.state)
            assert screen.query_one("#scene-text", StoryView).text.plain == expected.plain
            labels = [p.plain for p in screen.choices_of(screen.run.state)[1]]
            assert screen.query_one("#choices", ChoiceList).plain.splitlines()[1:] == labels


async def test_the_story_keeps_its_width_when_the_consequence_shows(data_dir):
    """The text does not wrap anew under the consequence panel (nor does it jump)."""
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        story = app.screen.query_one("#scene-text", StoryView)
        width = story.size.width
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen) and app.screen.feedback_mode
        assert story.size.width == width


async def test_key_bars_are_drawn_once_per_set_of_keys(data_dir, monkeypatch):
    """The scene's keys and the consequence's keys alternate at every press: each line is
    drawn once, then shown again as it was."""
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        bar = app.screen.query_one(KeyBar)
        drawn = count_calls(monkeypatch, KeyBar, "draw")
        scene = [("1-3", "Choose", None), ("q", "Quit", "app.quit")]
        consequence = [("⏎", "Continue", "continue"), ("q", "Quit", "app.quit")]
        for keys in (scene, consequence, scene, consequence):
            bar.set_keys(keys)
            lines = bar.render().lines(bar.size.width)
            assert keys[0][1] in lines[0].plain
        assert len(drawn) == 2


def test_a_drawing_is_built_once_per_width():
    built: list[int] = []

    def build(width: int) -> list[Content]:
        built.append(width)
        return [Content("word " * 12).wrap(width)[0]]

    drawn = Drawn(build)
    assert drawn.lines(20) is drawn.lines(20) and built == [20]
    assert drawn.get_height({}, 20) == 1 and built == [20]  # type: ignore[arg-type]
    drawn.lines(30)
    assert built == [20, 30]
