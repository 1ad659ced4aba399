"""The footer: the keys that work on this screen, in words, clickable.

When the terminal is too narrow for all of them, keys are left out from the middle of the
list (the screen's own keys come first, help and quit last), so help and quit always show.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

Key = tuple[str, str, str | None]  # shown key, description, action (None: not clickable)
KEEP_LAST = 2  # help and quit


class KeyBar(Static):
    """One line: ` 1-9  Choose   ?  Help …`; a click on a key runs its action."""

    DEFAULT_CSS = "KeyBar { dock: bottom; height: 1; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._keys: list[Key] = []

    def set_keys(self, keys: list[Key]) -> None:
        if keys == self._keys:
            return  # unchanged: no redraw
        self._keys = list(keys)
        self._draw()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    @staticmethod
    def _width(key: Key) -> int:
        return len(key[0]) + len(key[1]) + 5

    def _draw(self) -> None:
        keys = list(self._keys)
        width = self.size.width or 80
        while len(keys) > KEEP_LAST + 1 and sum(self._width(k) for k in keys) > width:
            del keys[-KEEP_LAST - 1]
        parts: list[Content | str | tuple[str, str]] = []
        for key, words, action in keys:
            target = action if action and "." in action else f"screen.{action}"
            click = f" @click={target}" if action else ""
            parts.append((f" {key} ", f"bold reverse{click}"))
            parts.append((f" {words}  ", click.strip()))
        self.update(Content.assemble(*parts))
