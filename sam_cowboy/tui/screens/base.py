"""What every screen of the app shares: the key bar and relabelling on a language change."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import ModalScreen, Screen

from sam_cowboy.tui.widgets.keybar import Key, KeyBar

if TYPE_CHECKING:
    from sam_cowboy.tui.app import SamApp


class SamScreen(Screen[None]):
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

    def refresh_keys(self) -> None:
        for bar in self.query(KeyBar):
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
