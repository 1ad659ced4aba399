"""The choices of a scene: a label, then numbered choices; picked with 1-9, arrows + Enter,
or the mouse.

One widget drawn as text, under a rule. The highlighted choice carries a visible mark (▶) and the cursor
colours, not only a colour, and long choices wrap under their own text (hanging indent), not
under the number. It never takes the focus: the scene screen owns the keys and moves the
highlight itself (an OptionList and its label were two widgets and a focus to move).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual import events
from textual.color import Color
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget

from sam_cowboy.tui.text import content_key
from sam_cowboy.tui.widgets.drawn import DrawnWidget, wrapped

MARK = "▶ "
BLANK = "  "
SIDE = 1  # cells left blank on each side, under the rule that spans the width
SIDE_SPACE = " " * SIDE
HOVER = "on $block-hover-background"
ROWS_KEPT = 16  # layouts of choices kept (a few widths and scenes): clicks find their row


def choices_key(label: Content, prompts: list[Content]) -> Hashable:
    return content_key(label), tuple(content_key(p) for p in prompts)


class ChoiceList(DrawnWidget, can_focus=False):

    class Picked(Message):
        """A choice was clicked (`index` from 0)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.label = Content("")
        self.note = Content("")  # under the label: where to find what the choices refer to
        self.prompts: list[Content] = []
        self.footer = Content("")  # under the choices: what a compose scene's message reads
        self.highlighted: int | None = None
        self.hover: int | None = None
        self._key = choices_key(self.label, self.prompts)
        # each choice's first line and line count, for the choices and width they were drawn at
        self._rows: dict[tuple[Hashable, Hashable, int], list[tuple[int, int]]] = {}

    @property
    def option_count(self) -> int:
        return len(self.prompts)

    @property
    def plain(self) -> str:
        return "\n".join([self.label.plain] + ([self.note.plain] if self.note.plain else [])
                         + [p.plain for p in self.prompts]
                         + ([self.footer.plain] if self.footer.plain else []))

    def set_choices(self, label: Content, prompts: list[Content], highlight: int = 0,
                    footer: Content | None = None) -> None:
        """The label, then the choices (numbered from 1), the one at `highlight` highlighted,
        then `footer`."""
        self.label, self.prompts = label, list(prompts)
        self.footer = footer if footer is not None else Content("")
        self._key = choices_key(label, self.prompts)
        self.highlighted = max(0, min(highlight, len(prompts) - 1)) if prompts else None
        self.hover = None
        self.redraw()

    def set_note(self, note: Content) -> None:
        if content_key(note) != content_key(self.note):
            self.note = note
            self.redraw()

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        return ((self._key, content_key(self.note), content_key(self.footer), self.highlighted,
                 self.hover), (self.label, self.prompts, self.highlighted, self.hover))

    def rows(self) -> list[tuple[int, int]]:
        """Each choice's first line and line count, as drawn at the current width."""
        width = self.size.width
        key = (self._key, content_key(self.note), width)
        if key not in self._rows:
            self.draw(self.label, self.prompts, self.highlighted, self.hover, width)
        return self._rows[key]

    def move(self, step: int) -> None:
        """Move the highlight `step` choices (it stops at the first and the last)."""
        if not self.prompts:
            return
        current = self.highlighted if self.highlighted is not None else 0
        self.highlighted = max(0, min(len(self.prompts) - 1, current + step))
        self.redraw(layout=False)
        self._show_highlighted()

    def _show_highlighted(self) -> None:
        """Scroll the container so the highlighted choice is in view."""
        rows = self.rows()
        if self.highlighted is None or self.highlighted >= len(rows):
            return
        first, count = rows[self.highlighted]
        parent = self.parent
        if isinstance(parent, Widget) and parent.is_scrollable:
            parent.scroll_to_region(Region(0, first, self.size.width, count), animate=False,
                                    immediate=True)

    def cursor_style(self) -> str:
        """The theme's cursor, as an option list draws it: its background, and text that
        contrasts with it (CSS's `auto 87%`, which a text style cannot say)."""
        variables = self.app.theme_variables
        background = Color.parse(variables.get("block-cursor-background", "ansi_blue"))
        text = background + background.get_contrast_text(0.87)
        return f"bold {text.hex} on {background.hex}"

    def draw(self, label: Content, prompts: list[Content], highlighted: int | None,
             hover: int | None, width: int) -> list[Content]:
        inner = max(1, width - 2 * SIDE)
        lines = [Content.styled("▔" * width, "$panel")]
        lines += [SIDE_SPACE + line for line in wrapped(label, inner)] if label.plain else []
        lines += [SIDE_SPACE + line for line in wrapped(self.note, inner)] if self.note.plain \
            else []
        rows: list[tuple[int, int]] = []
        cursor = self.cursor_style()
        for index, prompt in enumerate(prompts):
            head = f"{index + 1}. "
            indent = len(MARK) + len(head)
            chosen = index == highlighted
            style = cursor if chosen else HOVER if index == hover else ""
            parts = wrapped(prompt, max(8, inner - indent - 1))
            rows.append((len(lines), len(parts)))
            for n, text in enumerate(parts):
                lead = ((MARK if chosen else BLANK) + head) if n == 0 else " " * indent
                if style:  # the whole width in the cursor's colours
                    pad = " " * max(0, inner - indent - text.cell_length)
                    line = Content.assemble((lead, "bold"), text, pad).stylize(style)
                else:
                    line = Content.assemble((lead, "bold"), text)
                lines.append(SIDE_SPACE + line)
        if self.footer.plain:
            lines += [SIDE_SPACE + line for line in wrapped(self.footer, inner)]
        if len(self._rows) > ROWS_KEPT:
            self._rows.clear()
        self._rows[choices_key(label, prompts), content_key(self.note), width] = rows
        return lines

    def _choice_at(self, y: int) -> int | None:
        for index, (first, count) in enumerate(self.rows()):
            if first <= y < first + count:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = self._choice_at(event.y)
        if hover != self.hover:
            self.hover = hover
            self.redraw(layout=False)

    def on_leave(self, event: events.Leave) -> None:
        if self.hover is not None:
            self.hover = None
            self.redraw(layout=False)

    def on_click(self, event: events.Click) -> None:
        index = self._choice_at(event.y)
        if index is not None:
            event.stop()
            self.highlighted = index
            self.redraw(layout=False)
            self.post_message(self.Picked(index))
