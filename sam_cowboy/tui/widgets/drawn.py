"""A text drawn for the width it is given: frames, rules and highlights that span a widget.

A widget whose `render()` returns `Drawn(build)` is one widget however many parts its text
has; Textual asks for its height and its lines at the width it lays it out with, and
`build(width)` runs once per width.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class Drawn(Visual):
    def __init__(self, build: Callable[[int], Content]) -> None:
        self._build = build
        self._built: tuple[int, Content] | None = None

    def content(self, width: int) -> Content:
        if self._built is None or self._built[0] != width:
            self._built = (width, self._build(width))
        return self._built[1]

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        return self.content(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_minimal_width(self, rules: RulesMap) -> int:
        return 12

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.content(width).get_height(rules, width)
