"""What every screen of the app shares: the key bar and relabelling on a language change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

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

    def relabel(self) -> None:
        """Draw every text again in the current language."""
        self.refresh_keys()

    def on_mount(self) -> None:
        self.refresh_keys()


class SamModal(ModalScreen[str]):
    @property
    def sam(self) -> SamApp:
        return cast("SamApp", self.app)

    def t(self, key: str, **values: object) -> str:
        return self.sam.t(key, **values)
