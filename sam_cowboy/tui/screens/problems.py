"""An episode that cannot be played: its findings, `file:line:col: message`, in the app.

With --watch the window waits for the next save (it closes by itself once a fixed version
loads); otherwise `q` quits, and the command exits with status 1.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sam_cowboy.tui.screens.base import SamModal
from sam_cowboy.tui.text import data

SHOWN = 20  # findings listed; the rest are counted


class ProblemsScreen(SamModal):
    BINDINGS = [Binding("q", "app.quit_app", show=False),
                Binding("pageup", "scroll(-1)", show=False),
                Binding("pagedown", "scroll(1)", show=False)]

    def __init__(self, problems: list[str], watching: bool) -> None:
        super().__init__()
        self.problems = list(problems)
        self.watching = watching

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="problems-box"):
            yield Static(Content.styled(self.t("problems_title"), "bold $error"),
                         classes="dialog-title")
            with VerticalScroll(id="problems-scroll"):
                yield Static(id="problems-list")
            yield Static(Content.styled(self.t("problems_watch" if self.watching
                                               else "problems_quit"), "italic"),
                         id="problems-hint")

    def on_mount(self) -> None:
        self.show(self.problems)
        self.query_one("#problems-scroll", VerticalScroll).focus()

    def show(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = [Content.assemble(("× ", "bold $error"), data(p)) for p in problems[:SHOWN]]
        if len(problems) > SHOWN:
            lines.append(Content(self.t("problems_more", count=len(problems) - SHOWN)))
        self.query_one("#problems-list", Static).update(Content("\n").join(lines))

    def action_scroll(self, direction: int) -> None:
        box = self.query_one("#problems-scroll", VerticalScroll)
        if direction < 0:
            box.scroll_page_up()
        else:
            box.scroll_page_down()
