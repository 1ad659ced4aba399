"""An option list for people: the highlighted option carries a visible mark (▶), not only a
colour, and long options wrap under their own text (hanging indent), not under the number."""

from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from sam_cowboy.tui.widgets.choices import BLANK, MARK
from sam_cowboy.tui.widgets.drawn import wrapped


class MarkedOptionList(OptionList):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._items: list[tuple[Content, Content]] = []
        self._wrapped_at = 0
        self._marks_drawn = False  # set_items draws the mark itself: no second pass
        self._marked_at: int | None = None  # the option drawn with the mark

    def set_items(self, items: list[tuple[Content, Content]],
                  highlighted: int | None = 0) -> None:
        """Options as (head, body): e.g. ("3. ", "the choice's text")."""
        self._items = list(items)
        self._wrapped_at = self._width()
        self.set_options([Option(self._marked(i, highlighted), id=f"o{i}")
                          for i in range(len(items))])
        self._marks_drawn = True
        try:
            self.highlighted = highlighted if items else None
        finally:
            self._marks_drawn = False

    def _width(self) -> int:
        return max(0, self.scrollable_content_region.width - 1)

    def _marked(self, index: int, highlighted: int | None) -> Content:
        head, body = self._items[index]
        indent = len(MARK) + head.cell_length
        width = self._wrapped_at
        if width > indent + 8:
            body = Content("\n" + " " * indent).join(wrapped(body, width - indent))
        mark = (MARK, "bold") if index == highlighted else BLANK
        return Content.assemble(mark, head, body)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        old, new = self._marked_at, highlighted
        self._marked_at = new
        if self._marks_drawn:
            return
        for index in {old, new}:
            if index is not None and 0 <= index < len(self._items) \
                    and index < self.option_count:
                self.replace_option_prompt_at_index(index, self._marked(index, new))

    def on_resize(self, event: Resize) -> None:
        width = self._width()
        if width != self._wrapped_at and self._items:
            self._wrapped_at = width
            for index in range(min(len(self._items), self.option_count)):
                self.replace_option_prompt_at_index(index,
                                                    self._marked(index, self.highlighted))
