"""Lines drawn for the width they are given: frames, rules and highlights that span a widget.

A widget whose `render()` returns `Drawn(build)` is one widget however many parts its text
has. Textual asks for its height and its lines at the width it lays it out with;
`build(width)` runs once per width and returns lines already wrapped to it (never at a
no-break space: `text.wrap`), so Textual neither wraps them again nor measures them by
wrapping (a `DrawnWidget` says `text-wrap: nowrap`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from sam_cowboy.tui.text import wrap


def wrapped(content: Content, width: int) -> list[Content]:
    """The lines of `content` wrapped to `width` cells, blank lines kept."""
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        lines.extend(wrap(line, max(1, width)) or [Content("")])
    return lines


class Drawn(Visual):
    def __init__(self, build: Callable[[int], list[Content]]) -> None:
        self._build = build
        self._built: tuple[int, list[Content], Content] | None = None
        self._strips: tuple[tuple[int, int | None, Style], list[Strip]] | None = None

    def lines(self, width: int) -> list[Content]:
        return self._content(width)[0]

    def _content(self, width: int) -> tuple[list[Content], Content]:
        if self._built is None or self._built[0] != width:
            lines = self._build(width)
            self._built = (width, lines, Content("\n").join(lines))
        return self._built[1], self._built[2]

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        """The same strips for the same size and style: Textual keeps, on each strip, what it
        made of it (cropped, filtered), so strips drawn again cost almost nothing."""
        key = (width, height, style)
        if self._strips is not None and self._strips[0] == key and options.selection is None:
            return list(self._strips[1])
        strips = self._content(width)[1].render_strips(width, height, style, options)
        if options.selection is None:
            self._strips = (key, strips)
        return list(strips)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_minimal_width(self, rules: RulesMap) -> int:
        return 12

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._content(width)[0])


class DrawnWidget(Widget):
    """A widget showing one `Drawn`, found by a key that says what it shows.

    Subclasses say what they show now with `drawing()` (a key, and the arguments their
    `draw(*arguments, width)` takes), and call `redraw()` when it changes. The drawing is
    kept while its key and the theme stay the same (Textual asks for the height and the
    lines separately, and again on every refresh).
    """

    DEFAULT_CSS = "DrawnWidget { text-wrap: nowrap; text-overflow: clip; height: auto; }"
    LINKS = False  # True: the text has `@click` actions, underlined under the mouse
    draw: Callable[..., list[Content]]  # draw(*arguments, width): the lines, wrapped

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._drawing: tuple[Hashable, str, Drawn] | None = None
        if not self.LINKS:  # strips go to the screen as drawn, not copied to style links
            self.set_reactive(Widget.auto_links, False)

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        """What the widget shows now: its key (equal keys draw the same) and the arguments
        of `draw`."""
        raise NotImplementedError

    def redraw(self, layout: bool = True) -> None:
        self.refresh(layout=layout)

    def render(self) -> Drawn:
        key, arguments = self.drawing()
        theme = self.app.theme  # colours are computed from it
        kept = self._drawing
        if kept is None or kept[0] != key or kept[1] != theme:
            kept = self._drawing = (key, theme, Drawn(partial(self.draw, *arguments)))
        return kept[2]
