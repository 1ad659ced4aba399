"""A scene's card: a mock of what Sam is looking at — profile, post, message, email, note.

Drawn with the theme's colours (so high contrast applies), and never by colour alone: each
kind has its own frame and a title saying what it is.

The card is lines of text drawn for a width, frame included, shown by the story's one
widget (widgets/story.py). It was a framed container of four parts styled by CSS classes:
changing the kind restyled five widgets and laid them out again, half of a key press.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from textual.content import Content

from sam_cowboy.tui.text import data, markdown
from sam_cowboy.tui.widgets.drawn import wrapped

ICONS = {"profile": "◉", "post": "▤", "message": "✉", "email": "@", "note": "✎"}


class Frame(NamedTuple):
    """Box characters: corners, horizontal and vertical lines."""

    top_left: str
    top: str
    top_right: str
    side: str
    bottom_left: str
    bottom: str
    bottom_right: str


ROUND = Frame("╭", "─", "╮", "│", "╰", "─", "╯")
SOLID = Frame("┌", "─", "┐", "│", "└", "─", "┘")
DASHED = Frame("┏", "╍", "┓", "╏", "┗", "╍", "┛")
HEAVY = Frame("┏", "━", "┓", "┃", "┗", "━", "┛")
FRAMES = {"profile": (ROUND, "$primary"), "post": (ROUND, "$secondary"),
          "message": (ROUND, "$primary"), "email": (SOLID, "$primary"),
          "note": (DASHED, "$warning")}
NOTE_BACKGROUND = "on $warning 10%"


def initials(name: str) -> str:
    words = [w for w in name.replace(",", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "?"


def boxed(rows: list[Content], width: int, frame: Frame, style: str,
          title: str = "", title_style: str = "", inside: str = "") -> list[Content]:
    """`rows` (each at most width - 4 cells) in a frame `width` cells wide, one cell of
    padding on each side, the title in the top line as a framed container shows it."""
    inner = width - 4
    head = f"  {title}  " if title else ""  # as a container's border title shows it
    top_fill = max(0, width - 3 - len(head))
    lines = [Content.assemble((frame.top_left + frame.top, style),
                              (head, title_style or style),
                              (frame.top * top_fill + frame.top_right, style))]
    for row in rows:
        body = Content.assemble(" ", row, " " * max(0, inner - row.cell_length), " ")
        lines.append(Content.assemble((frame.side, style), body, (frame.side, style)))
    lines.append(Content.styled(frame.bottom_left + frame.bottom * (width - 2)
                                + frame.bottom_right, style))
    if inside:
        lines = [line.stylize(inside) for line in lines]
    return lines


@dataclass(frozen=True)
class Card:
    """A card to draw: its kind, its texts in the player's language, the UI's words."""

    kind: str
    fields: dict[str, str]
    labels: dict[str, str]

    def field(self, key: str) -> str:
        return self.fields.get(key, "").strip()

    @property
    def key(self) -> tuple[object, ...]:
        """Equal for cards drawn the same (a card holds dicts: it has no hash)."""
        return self.kind, tuple(self.fields.items()), tuple(self.labels.items())

    @property
    def title(self) -> str:
        return f"{ICONS.get(self.kind, '')} {self.labels.get(self.kind, self.kind)}"

    @property
    def plain(self) -> str:
        """The card's words, unwrapped and without its frame (for tests and tools)."""
        return "\n".join([self.title, *(part.plain for part in self.sections() if part)])

    def person(self, name: str) -> Content:
        return Content.assemble((f" {initials(name)} ", "reverse bold"), " ",
                                data(name, "bold"))

    def labelled(self, key: str, style: str = "") -> Content:
        colon = "\u202f: " if self.labels.get("_lang") == "fr" else ": "
        return Content.assemble((f"{self.labels[key]}{colon}", "dim"),
                                data(self.field(key), style))

    def sections(self) -> tuple[Content | None, Content | None, Content | None]:
        """(who or what, body, footer) for the card's kind; None where it has none."""
        kind, field = self.kind, self.field
        head = body = foot = None
        if kind == "profile":
            if field("name"):
                head = self.person(field("name"))
                if field("headline"):
                    head = Content.assemble(head, "\n", data(field("headline"), "italic"))
            elif field("headline"):
                head = data(field("headline"), "italic")
            if field("about"):
                body = Content.assemble((self.labels["about"], "bold"), "\n",
                                        markdown(field("about")))
        elif kind == "post":
            if field("author"):
                head = self.person(field("author"))
            if field("body"):
                body = markdown(field("body"))
            if field("reactions"):  # its value says what it counts: "48 reactions"
                foot = Content.assemble(("♥ ", "$accent"), data(field("reactions")))
        elif kind in ("message", "email"):
            lines = [self.labelled(k) for k in ("from", "to") if field(k)]
            if kind == "email" and field("subject"):
                lines.append(self.labelled("subject", "bold"))
            if lines:
                head = Content("\n").join(lines)
            if field("body"):
                body = markdown(field("body"))
        else:  # note, or a kind from a newer format: show its fields as they come
            texts = [markdown(v) for v in self.fields.values() if v.strip()]
            if texts:
                body = Content("\n\n").join(texts)
        return head, body, foot

    def draw(self, width: int, contrast: bool = False) -> list[Content]:
        """The card's lines, `width` cells wide (heavy white frame in high contrast)."""
        kind = self.kind
        frame, style = FRAMES.get(kind, FRAMES["note"])
        title_style = f"bold {style}"
        if contrast:
            frame, style = HEAVY, "$foreground"
        inner = max(1, width - 4)
        head, body, foot = self.sections()
        rows: list[Content] = []
        if head is not None:
            rows += wrapped(head, inner)
            if kind in ("profile", "email"):  # a rule under who it is from
                rows.append(Content.styled("▁" * inner, FRAMES[kind][1]))
        if body is not None:
            rows.append(Content(""))
            if kind == "message":  # the message itself in a bubble
                bubble = max(6, inner - 4)
                rows += boxed(wrapped(body, bubble - 4), bubble, ROUND, "$secondary")
            else:
                rows += wrapped(body, inner)
        if foot is not None:
            rows += [Content(""), Content.styled("▔" * inner, FRAMES["post"][1])]
            rows += wrapped(foot, inner)
        return boxed(rows, max(5, width), frame, style, self.title, title_style,
                     NOTE_BACKGROUND if kind == "note" else "")
