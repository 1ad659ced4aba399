"""Lines drawn for the width they are given: frames, rules and highlights that span a widget.

A widget whose `render()` returns `Drawn(build)` is one widget however many parts its text
has. Textual asks for its height and its lines at the width it lays it out with;
`build(width)` runs once per width and returns lines already wrapped to it, so Textual
neither wraps them again nor measures them by wrapping (a `DrawnWidget` says
`text-wrap: nowrap`). Wrapping was three passes over the same text per key press.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget


def wrapped(content: Content, width: int) -> list[Content]:
    """The lines of `content` wrapped to `width` cells, blank lines kept."""
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        lines.extend(line.wrap(max(1, width)) or [Content("")])
    return lines


class Drawn(Visual):
    def __init__(self, build: Callable[[int], list[Content]]) -> None:
        self._build = build
        self._built: tuple[int, list[Content], Content] | None = None

    def lines(self, width: int) -> list[Content]:
        return self._content(width)[0]

    def _content(self, width: int) -> tuple[list[Content], Content]:
        if self._built is None or self._built[0] != width:
            lines = self._build(width)
            self._built = (width, lines, Content("\n").join(lines))
        return self._built[1], self._built[2]

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        return self._content(width)[1].render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_minimal_width(self, rules: RulesMap) -> int:
        return 12

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._content(width)[0])


class DrawnWidget(Widget):
    """A widget showing one `Drawn`: subclasses say what `draw(width)` gives and call
    `redraw()` when it changes; a new theme draws it again (colours computed from it)."""

    DEFAULT_CSS = "DrawnWidget { text-wrap: nowrap; text-overflow: clip; height: auto; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._drawn: Drawn | None = None
        self._theme = ""

    def redraw(self, layout: bool = True) -> None:
        self._drawn = None
        self.refresh(layout=layout)

    def render(self) -> Drawn:
        if self._drawn is None or self._theme != self.app.theme:
            self._theme = self.app.theme
            self._drawn = Drawn(self.draw)
        return self._drawn

    def draw(self, width: int) -> list[Content]:
        raise NotImplementedError
