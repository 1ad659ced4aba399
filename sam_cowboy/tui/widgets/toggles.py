"""Checkbox and radio button whose state shows as a character, not only as a colour."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class Tick(Checkbox):
    """[X] when on, [ ] when off."""

    def on_mount(self) -> None:
        self._mark(self.value)

    def watch_value(self) -> None:
        super().watch_value()
        self._mark(self.value)

    def _mark(self, value: bool) -> None:
        self.BUTTON_INNER = "X" if value else " "
        self.refresh()


class Dot(RadioButton):
    """(●) when chosen, ( ) otherwise."""

    def on_mount(self) -> None:
        self._mark(self.value)

    def watch_value(self) -> None:
        super().watch_value()
        self._mark(self.value)

    def _mark(self, value: bool) -> None:
        self.BUTTON_INNER = "●" if value else " "
        self.refresh()
