"""The footer: the keys that work on this screen, in words, clickable.

When the terminal is too narrow for all of them, keys are left out from the middle of the
list (the screen's own keys come first, help and quit last), so help and quit always show.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.content import Content

from sam_cowboy.tui.widgets.drawn import DrawnWidget

Key = tuple[str, str, str | None]  # shown key, description, action (None: not clickable)
KEEP_LAST = 2  # help and quit


class KeyBar(DrawnWidget):
    """One line: ` 1-9  Choose   ?  Help …`; a click on a key runs its action.

    A scene's keys and its consequence's keys alternate at every press: both lines are kept
    drawn."""

    DEFAULT_CSS = "KeyBar { dock: bottom; height: 1; }"
    LINKS = True

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._keys: tuple[Key, ...] = ()

    @property
    def plain(self) -> str:
        """The keys and their words, as the line shows them at its width."""
        return "\n".join(line.plain for line in self.draw(self._keys, self.size.width or 80))

    def set_keys(self, keys: list[Key]) -> None:
        if tuple(keys) == self._keys:
            return  # unchanged: no redraw
        self._keys = tuple(keys)
        self.redraw(layout=False)

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        return self._keys, (self._keys,)

    @staticmethod
    def _width(key: Key) -> int:
        return len(key[0]) + len(key[1]) + 5

    def draw(self, shown: tuple[Key, ...], width: int) -> list[Content]:
        keys = list(shown)
        while len(keys) > KEEP_LAST + 1 and sum(self._width(k) for k in keys) > width:
            del keys[-KEEP_LAST - 1]
        parts: list[Content | str | tuple[str, str]] = []
        for key, words, action in keys:
            target = action if action and "." in action else f"screen.{action}"
            click = f" @click={target}" if action else ""
            parts.append((f" {key} ", f"bold reverse{click}"))
            parts.append((f" {words}  ", click.strip()))
        return [Content.assemble(*parts)]
