"""Lines drawn for the width they are given: frames, rules and highlights that span a widget.

A widget whose `render()` returns `Drawn(build)` is one widget however many parts its text
has. Textual asks for its height and its lines at the width it lays it out with;
`build(width)` runs once per width and returns lines already wrapped to it, so Textual
neither wraps them again nor measures them by wrapping (a `DrawnWidget` says
`text-wrap: nowrap`). Wrapping was three passes over the same text per key press.
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
    """A widget showing one `Drawn` at a time, found by a key that says what it shows.

    Subclasses say what they show now with `drawing()` (a key, and the arguments their
    `draw(*arguments, width)` takes), and call `redraw()` when it changes. The last KEEP
    drawings are kept with their lines and strips: a widget that goes back to one of them
    draws nothing new, and `prepare()` builds one while the player reads, so showing it
    later costs neither wrapping nor rendering. A new theme draws everything again (colours
    are computed from it).
    """

    DEFAULT_CSS = "DrawnWidget { text-wrap: nowrap; text-overflow: clip; height: auto; }"
    KEEP = 1
    LINKS = False  # True: the text has `@click` actions, underlined under the mouse
    draw: Callable[..., list[Content]]  # draw(*arguments, width): the lines, wrapped

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._drawings: dict[Hashable, Drawn] = {}
        self._theme = ""
        if not self.LINKS:  # strips go to the screen as drawn, not copied to style links
            self.set_reactive(Widget.auto_links, False)

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        """What the widget shows now: its key (equal keys draw the same) and the arguments
        of `draw`."""
        raise NotImplementedError

    def redraw(self, layout: bool = True) -> None:
        self.refresh(layout=layout)

    def render(self) -> Drawn:
        return self._drawn(*self.drawing())

    def prepare(self, key: Hashable, *arguments: object) -> None:
        """Wrap and render the drawing for `key` now, at the widget's width."""
        width = self.size.width
        if not width or not self.is_mounted:
            return
        drawn = self._drawn(key, arguments)
        lines = drawn.lines(width)
        drawn.render_strips(width, len(lines), self.visual_style,
                            RenderOptions(self._get_style, self.styles,  # type: ignore[arg-type]
                                          None, None))

    def _drawn(self, key: Hashable, arguments: tuple[object, ...]) -> Drawn:
        """The drawing for `key`, made with `draw(*arguments, width)` if it is not kept."""
        if self._theme != self.app.theme:
            self._theme = self.app.theme
            self._drawings.clear()
        drawn = self._drawings.pop(key, None)
        if drawn is None:
            drawn = Drawn(partial(self.draw, *arguments))
        self._drawings[key] = drawn  # the most recently used last
        while len(self._drawings) > self.KEEP:
            del self._drawings[next(iter(self._drawings))]
        return drawn
