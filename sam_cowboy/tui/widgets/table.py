"""A table whose cells wrap under themselves: rows stay aligned however long a cell is.

For the debrief's path beside the best run (two columns of choices that drifted apart row
by row when they were two texts side by side). Drawn for its width like the story.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.content import Content

from sam_cowboy.tui.text import content_key
from sam_cowboy.tui.widgets.drawn import DrawnWidget, wrapped

GAP = 2  # cells between columns


def layout(widths: list[int | None], width: int) -> list[int]:
    """Column widths: fixed ones as given, the others share what is left equally."""
    fixed = sum(w for w in widths if w is not None) + GAP * (len(widths) - 1)
    flexible = [w for w in widths if w is None]
    share = max(8, (width - fixed) // max(1, len(flexible)))
    return [w if w is not None else share for w in widths]


class Table(DrawnWidget):
    """Rows of cells under a header row; `widths`: cells per column, None to share."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.header: list[Content] = []
        self.rows: list[list[Content]] = []
        self.widths: list[int | None] = []

    @property
    def plain(self) -> str:
        return "\n".join("\t".join(c.plain for c in row) for row in [self.header, *self.rows])

    def set_rows(self, header: list[Content], rows: list[list[Content]],
                 widths: list[int | None]) -> None:
        self.header, self.rows, self.widths = header, rows, widths
        self.redraw()

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        key = tuple(tuple(content_key(c) for c in row) for row in [self.header, *self.rows])
        return (key, tuple(self.widths)), (self.header, self.rows, self.widths)

    def draw(self, header: list[Content], rows: list[list[Content]],
             widths: list[int | None], width: int) -> list[Content]:
        if not header:
            return []
        columns = layout(widths, width)
        lines = self.row(header, columns)
        lines.append(Content.styled("─" * min(width, sum(columns) + GAP * (len(columns) - 1)),
                                    "$text-muted"))
        for row in rows:
            lines += self.row(row, columns)
        return lines

    @staticmethod
    def row(cells: list[Content], columns: list[int]) -> list[Content]:
        """One row: each cell wrapped to its column, padded, side by side."""
        wrapped_cells = [wrapped(cell, size) for cell, size in zip(cells, columns, strict=True)]
        height = max(len(c) for c in wrapped_cells)
        lines = []
        for n in range(height):
            parts: list[Content | str] = []
            for index, (cell, size) in enumerate(zip(wrapped_cells, columns, strict=True)):
                text = cell[n] if n < len(cell) else Content("")
                parts.append(text)
                if index < len(columns) - 1:
                    parts.append(" " * (max(0, size - text.cell_length) + GAP))
            lines.append(Content.assemble(*parts))
        return lines
