"""On launch, when a run was left in progress: continue it, start over, or not now."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from sam_cowboy.core.model import Episode
from sam_cowboy.messages import quote
from sam_cowboy.tui.screens.base import SamModal
from sam_cowboy.tui.text import data


class ResumeScreen(SamModal):
    BINDINGS = [Binding("escape", "dismiss_later", show=False),
                Binding("left", "app.focus_previous", show=False),
                Binding("right", "app.focus_next", show=False)]

    def __init__(self, episode: Episode, record: dict[str, Any], later: bool) -> None:
        super().__init__()
        self.episode = episode
        self.record = record
        self.later = later

    def compose(self) -> ComposeResult:
        ep, say = self.episode, self.sam.say
        scene_id = str(self.record.get("scene", ""))
        scene = ep.scenes.get(scene_id)
        where = say(ep, scene.title) if scene is not None and scene.title else scene_id
        count = len(self.record.get("choices") or [])
        with Vertical(classes="dialog", id="resume-box"):
            yield Static(Content.styled(self.t("resume_title"), "bold $primary"),
                         classes="dialog-title")
            lang = self.sam.ui_lang
            yield Static(data(self.t("resume_body", episode=quote(say(ep, ep.title), lang),
                                     scene=quote(where, lang), count=count)))
            if self.record.get("practice"):
                yield Static(Content.styled(self.t("practice_tag"), "bold reverse"))
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content(self.t("resume_yes")), id="resume", variant="primary")
                yield Button(Content(self.t("resume_later" if self.later
                                            else "resume_restart")),
                             id="later" if self.later else "restart")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "later")

    def action_dismiss_later(self) -> None:
        self.dismiss("later")
