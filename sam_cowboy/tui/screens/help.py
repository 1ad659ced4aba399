"""Help: how to play and every key, in plain words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from sam_cowboy.tui.screens.base import SamModal


class HelpScreen(SamModal):
    BINDINGS = [Binding("escape,question_mark,f1,q,enter", "close", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-box"):
            yield Static(Content.styled(self.t("help_title"), "bold $primary"),
                         classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(Content("\n\n").join([
                    Content.styled(self.t("help_how"), "bold"),
                    Content(self.t("help_body")),
                    Content.styled(self.t("help_keys"), "bold"),
                    Content(self.t("help_key_lines")),
                    Content(self.t("help_saving")),
                    Content.styled(self.t("help_plain"), "italic")]))
            yield Button(Content(self.t("close")), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss("closed")

    def action_close(self) -> None:
        self.dismiss("closed")
