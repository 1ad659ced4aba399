"""Contrast: every theme, NO_COLOR included, meets WCAG 2 ratios on the styles the app
renders: 4.5:1 for text, 3:1 for the highlighted choice against the list around it and for
the scrollbar thumb against its track."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.containers import VerticalScroll

from sam_cowboy.tui.preferences import THEMES
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.widgets.choices import ChoiceList

from .conftest import CARDS, make_app, settle

TEXT, GRAPHIC = 4.5, 3.0


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color.rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: Color, b: Color, no_color: bool = False) -> float:
    if no_color:  # what a NO_COLOR terminal shows: each colour as its grey
        a, b = a.monochrome, b.monochrome
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(color: Color, background: Color) -> Color:
    """A colour with transparency as drawn over its background."""
    return background + color


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
@pytest.mark.parametrize("theme", list(THEMES))
async def test_theme_contrast(theme, no_color, data_dir):
    app = make_app(CARDS, data_dir, theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SceneScreen)
        background = screen.styles.background
        text = over(screen.styles.color, background)
        assert ratio(text, background, no_color) >= TEXT
        variables = app.theme_variables
        muted = over(Color.parse(variables["text-muted"]), background)
        assert ratio(muted, background, no_color) >= TEXT, "muted text"
        surface = Color.parse(variables["surface"])
        assert ratio(over(Color.parse(variables["foreground"]), surface), surface,
                     no_color) >= TEXT, "text on panels"
        # the highlighted choice: its text on the cursor, the cursor against the list
        choices = screen.query_one("#choices", ChoiceList)
        cursor = choices.cursor_style().split()
        cursor_text, cursor_back = Color.parse(cursor[1]), Color.parse(cursor[3])
        assert ratio(cursor_text, cursor_back, no_color) >= TEXT, "highlighted choice text"
        assert ratio(cursor_back, background, no_color) >= GRAPHIC, "highlighted choice"
        # the scrollbar: its thumb against its track
        story = screen.query_one("#story", VerticalScroll)
        thumb = story.styles.scrollbar_color
        track = story.styles.scrollbar_background
        assert ratio(over(thumb, over(track, background)), over(track, background),
                     no_color) >= GRAPHIC, "scrollbar"
