"""Settings: language, display (calm, light, high contrast), posture panel, practice mode,
and the trainer's assessment setting (kept with the player's settings; new counted runs then
hold scores and lessons back until the debrief and are flagged as assessments)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, RadioButton, RadioSet, Static

from sam_cowboy.messages import LANGUAGES
from sam_cowboy.tui.preferences import THEMES, assessing
from sam_cowboy.tui.screens.base import SamModal
from sam_cowboy.tui.screens.transfer import say
from sam_cowboy.tui.widgets.toggles import Dot, Tick

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


class SettingsScreen(SamModal):
    BINDINGS = [Binding("escape,s", "close", show=False)]

    def compose(self) -> ComposeResult:
        sam = self.sam
        with Vertical(classes="dialog", id="settings-box"):
            yield Static(id="settings-title", classes="dialog-title")
            with VerticalScroll(id="settings-scroll"):
                yield Static(id="lang-label", classes="setting-label")
                with RadioSet(id="lang"):
                    for code in LANGUAGES:
                        yield Dot(Content(LANGUAGE_NAMES.get(code, code)),
                                          value=code == sam.ui_lang, id=f"lang-{code}")
                yield Static(id="theme-label", classes="setting-label")
                with RadioSet(id="theme"):
                    for key in THEMES:
                        yield Dot(id=f"theme-{key}", value=key == sam.theme_key)
                yield Tick(value=sam.show_posture, id="sidebar")
                yield Tick(value=sam.practice, id="practice")
                yield Tick(value=assessing(sam.store.settings), id="assess")
            yield Button(id="close", variant="primary")

    def on_mount(self) -> None:
        self.draw()
        self.query_one("#lang", RadioSet).focus()
        self.call_after_refresh(self.cursor_on_choices)

    def cursor_on_choices(self) -> None:
        """The cursor of each list on its current value (a radio set starts on its first)."""
        for radio_set in self.query(RadioSet):
            for _ in range(max(0, radio_set.pressed_index)):
                radio_set.action_next_button()

    def draw(self) -> None:
        self.query_one("#settings-title", Static).update(
            Content.styled(self.t("settings_title"), "bold $primary"))
        self.query_one("#lang-label", Static).update(
            Content.styled(self.t("settings_language"), "bold"))
        self.query_one("#theme-label", Static).update(
            Content.styled(self.t("settings_theme"), "bold"))
        for key in THEMES:
            self.query_one(f"#theme-{key}", RadioButton).label = Content(self.t(f"theme_{key}"))
        self.query_one("#sidebar", Checkbox).label = Content(self.t("settings_sidebar"))
        self.query_one("#practice", Checkbox).label = Content(self.t("settings_practice"))
        self.query_one("#assess", Checkbox).label = Content(
            say(self.sam.ui_lang, "app_assess_setting"))
        self.query_one("#close", Button).label = Content(self.t("close"))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        chosen = event.pressed.id or ""
        if event.radio_set.id == "lang":
            self.sam.set_language(chosen.removeprefix("lang-"))
            self.draw()
        elif event.radio_set.id == "theme":
            self.sam.set_theme_key(chosen.removeprefix("theme-"))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "sidebar":
            self.sam.set_show_posture(event.value)
        elif event.checkbox.id == "practice":
            self.sam.set_practice(event.value)
        elif event.checkbox.id == "assess":
            self.sam.store.save_settings(assess=event.value)
            run = self.sam.run_in_progress
            if run is not None and not run.finished and run.assess != event.value:
                self.sam.notify(say(self.sam.ui_lang, "app_assess_next"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss("closed")

    def action_close(self) -> None:
        self.dismiss("closed")
