"""Episode text and player names are data: never parsed as markup or escape sequences."""

from __future__ import annotations

from sam_cowboy.tui.screens.debrief import DebriefScreen
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.text import markdown

from .conftest import INJECT, make_app, screen_text, settle


def test_markdown_renderer_keeps_brackets():
    content = markdown("a [bold]b[/] [0] [link=x]c \x1b[2J d **e** \\*f*")
    assert content.plain == "a [bold]b[/] [0] [link=x]c  d e *f*"
    assert all(span.style == "bold" for span in content.spans)


async def test_injection_texts_are_shown_as_written(data_dir):
    app = make_app(INJECT, data_dir, player="[bold]Eve[/] [link=x]\x1b[2J")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app.screen)
        assert "[bold]Title[/] [0] [link=x]t" in text
        assert "[red]summary[/red]" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SceneScreen)
        text = screen_text(app.screen)
        for literal in ("[bold]Scene[/bold]", "Text [bold]not bold[/] [0] [link=x]y[/link]",
                        "[b]From[/b]", "[0]", "[link=x]Subject[/link]", "Body [/]",
                        "[b]Brand[/b] [0]", "[bold] ", "end [/]"):
            assert literal in text, literal
        assert "\x1b" not in text
        assert "[bold]Choice[/] [0]" in app.screen.query_one("#choices").plain
        await pilot.press("1")
        await settle(pilot)
        assert "[i]Feedback[/i] [/] [link=x]z" in screen_text(app.screen)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app.screen)
        assert "Note [bold]x[/] [0]" in text
        assert "Second [@click=app.quit]q[/]" in text
        await pilot.click("#scene-text")  # a click on the text runs no action
        await settle(pilot)
        assert app.is_running
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app.screen)
        for literal in ("The end: [bold]The end[/]", "End [bold]",
                        "Question [link=http://evil]click[/link] [/]", "[reverse]Label[/]",
                        "Advice [@click=app.quit]x[/]"):
            assert literal in text, literal
        assert "\x1b" not in text
    assert app.player == "[bold]Eve[/] [link=x]"


async def test_player_name_in_library_is_data(data_dir):
    app = make_app(None, data_dir, player="[bold]Eve[/]")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Hello [bold]Eve[/]!" in screen_text(app.screen)
