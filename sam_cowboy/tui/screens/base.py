"""What every screen of the app shares: the key bar, and redrawing when a setting changes.

The app's settings are reactives (`ui_lang`, `show_posture`, `practice`, `busy`); each
screen watches them and redraws through the typed hooks below, which screens override.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events, on
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from sam_cowboy.tui.widgets.keybar import Key, KeyBar

if TYPE_CHECKING:
    from sam_cowboy.tui.app import SamApp

W = TypeVar("W", bound=Widget)


class SamScreen(Screen[None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._parts: dict[str, Widget] = {}

    @property
    def sam(self) -> SamApp:
        return cast("SamApp", self.app)

    def t(self, key: str, **values: object) -> str:
        return self.sam.t(key, **values)

    def keys(self) -> list[Key]:
        return []

    def common_keys(self) -> list[Key]:
        return [("s", self.t("key_settings"), "app.settings"),
                ("?", self.t("key_help"), "app.help"),
                ("q", self.t("key_quit"), "app.quit_app")]

    def part(self, selector: str, kind: type[W]) -> W:
        """A widget of this screen, found once: screens keep the widgets they compose, and a
        query walks the whole screen (it was a fifth of the time a key press took)."""
        found = self._parts.get(selector)
        if found is None or not found.is_attached:
            found = self._parts[selector] = self.query_one(selector, kind)
        return cast(W, found)

    def refresh_keys(self) -> None:
        try:
            bar = self.part("KeyBar", KeyBar)
        except NoMatches:  # not composed yet
            return
        bar.set_keys(self.keys())

    # hooks: what a screen does when a setting changes
    def relabel(self) -> None:
        """Draw every text again in the current language."""
        self.refresh_keys()

    def posture_visibility_changed(self) -> None:
        """The posture panel was shown or hidden (key p, settings)."""

    def practice_changed(self) -> None:
        """Practice mode was switched on or off."""
        self.refresh_keys()

    def busy_changed(self) -> None:
        """The app started or finished a long piece of work (`SamApp.busy`)."""

    @on(events.Mount)
    def follow_settings(self) -> None:
        """Runs with each screen's own `on_mount` (Textual calls the handlers of every class)."""
        sam = self.sam
        self.watch(sam, "ui_lang", lambda: self.relabel(), init=False)
        self.watch(sam, "show_posture", lambda: self.posture_visibility_changed(), init=False)
        self.watch(sam, "practice", lambda: self.practice_changed(), init=False)
        self.watch(sam, "busy", lambda: self.busy_changed(), init=False)
        self.refresh_keys()


class SamModal(ModalScreen[str]):
    @property
    def sam(self) -> SamApp:
        return cast("SamApp", self.app)

    def t(self, key: str, **values: object) -> str:
        return self.sam.t(key, **values)
