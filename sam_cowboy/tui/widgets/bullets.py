"""A list whose items wrap under their own text (hanging indent), for objectives, questions,
key decisions and paths: easier to read than text that runs back under the bullet.

One widget that wraps its items itself: a row of two widgets per item cost the intro screen
more layout time than all its other widgets together.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from sam_cowboy.tui.text import wrap
from sam_cowboy.tui.widgets.drawn import wrapped


class BulletList(Widget):
    DEFAULT_CSS = """
    BulletList { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._heading: Content | None = None
        self._items: list[tuple[Content, Content]] = []

    def set_items(self, heading: Content | None, items: list[tuple[str | Content, Content]]
                  ) -> None:
        """`items`: (bullet, text), e.g. ("  • ", objective) or (" 1. ", choice)."""
        self._heading = heading
        self._items = [(b if isinstance(b, Content) else Content(b), t) for b, t in items]
        self.refresh(layout=True)

    @property
    def plain(self) -> str:
        """The list as plain text, one item per line, unwrapped."""
        rows = [] if self._heading is None else [self._heading.plain]
        return "\n".join(rows + [b.plain + t.plain for b, t in self._items])

    def lines(self, width: int) -> list[Content]:
        """The list wrapped to `width` cells, each item's lines indented under its text."""
        width = max(width, 1)
        out: list[Content] = []
        if self._heading is not None:
            out.extend(wrap(self._heading, width))
        for bullet, text in self._items:
            indent = min(bullet.cell_length, max(width - 1, 0))
            body = wrapped(text, max(width - indent, 1)) or [Content("")]
            out.append(bullet + body[0])
            pad = Content(" " * indent)
            out.extend(pad + line for line in body[1:])
        return out

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))
