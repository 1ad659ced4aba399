"""Episode text and people's names to screen content, as data and never as markup.

Everything shown from an episode or a player goes through here and comes out as a
`textual.content.Content` built from plain strings: brackets, backslashes and escape
sequences are characters like any other. Scene text is Markdown: a small renderer handles
paragraphs, lists, headings, quotes, emphasis, code and links by building styled spans
itself (it never hands text to a markup parser).
"""

from __future__ import annotations

import re
from typing import Any

from textual.content import Content
from textual.widgets import Static

from sam_cowboy.core.safe_text import strip_controls

NNBSP = "\u202f"  # narrow no-break space: French puts it before : ; ! ? » and after «
_NO_BREAK_SPACES = ("\u00a0", NNBSP, "\u2007")
# Not whitespace to the wrapper and one cell wide, like the no-break spaces it stands in for
# while offsets are computed: Textual splits lines at every whitespace character
_GLUE = str.maketrans({c: "\u2800" for c in _NO_BREAK_SPACES})


def wrap(content: Content, width: int) -> list[Content]:
    """`content.wrap(width)` that never breaks a line at a no-break space.

    The wrapper treats no-break spaces as spaces, so "Conséquence :" could leave its colon
    at the start of the next line. Lines are wrapped on a copy where they are a glue
    character, then each line takes its characters back from the original text.
    """
    plain = content.plain
    if not any(c in plain for c in _NO_BREAK_SPACES):
        return content.wrap(width)
    glued_plain = plain.translate(_GLUE)
    lines: list[Content] = []
    cursor = 0
    for line in Content(glued_plain, list(content.spans)).wrap(width):
        at = glued_plain.find(line.plain, cursor)
        if at < 0:  # the wrapper changed the characters (tabs): keep its line as it is
            lines.append(line)
            continue
        cursor = at + len(line.plain)
        lines.append(Content(plain[at:cursor], list(line.spans)))
    return lines


def content_key(content: Content) -> tuple[object, ...]:
    """What makes two contents draw the same: their text and their styles (Content compares
    and hashes by text alone)."""
    return (content.plain, tuple(content.spans))


class Shown(Static):
    """A Static that updates only when its content changes (text or styles): a scene that
    changes little redraws little (an update costs a layout pass)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown: Content | None = None

    def put(self, content: Content) -> None:
        if self.shown is not None and content_key(self.shown) == content_key(content):
            return
        self.shown = content
        self.update(content)


def data(text: str, style: str = "") -> Content:
    """Plain text from outside (episode, player) as content; controls removed."""
    clean = strip_controls(text)
    return Content.styled(clean, style) if style else Content(clean)


_INLINE = re.compile(
    r"(?P<esc>\\[\\`*_{}\[\]()#+\-.!>~|])"
    r"|(?P<code>`[^`\n]+`)"
    r"|(?P<strong>\*\*(?=\S)(?:[^*]|\*(?!\*))+?(?<=\S)\*\*|__(?=\S)[^_]+?(?<=\S)__)"
    r"|(?P<em>\*(?=\S)[^*\n]+?(?<=\S)\*|(?<![\w])_(?=\S)[^_\n]+?(?<=\S)_(?![\w]))"
    r"|(?P<link>\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\))"
)


def inline(text: str, style: str = "") -> Content:
    """Markdown emphasis, code and links of one block, as styled content."""
    parts: list[str | tuple[str, str]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            parts.append((text[pos:m.start()], style) if style else text[pos:m.start()])
        kind = m.lastgroup if m.lastgroup not in ("label", "url") else "link"
        token = m.group(0)
        if m.group("esc"):
            parts.append((token[1], style) if style else token[1])
        elif m.group("code"):
            parts.append((token[1:-1], f"{style} $text-accent".strip()))
        elif m.group("strong"):
            parts.append(inline(token[2:-2], f"{style} bold".strip()))  # type: ignore[arg-type]
        elif m.group("em"):
            parts.append(inline(token[1:-1], f"{style} italic".strip()))  # type: ignore[arg-type]
        elif kind == "link" and m.group("label"):
            parts.append(inline(m.group("label"), f"{style} underline".strip()))  # type: ignore[arg-type]
        pos = m.end()
    if pos < len(text):
        parts.append((text[pos:], style) if style else text[pos:])
    return Content.assemble(*parts)


_BULLET = re.compile(r"^\s{0,3}[-*+]\s+")
_NUMBERED = re.compile(r"^\s{0,3}(\d{1,9})[.)]\s+")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")


def markdown(text: str) -> Content:
    """A Markdown text (one or more blocks) as content; blank line between blocks."""
    text = strip_controls(text).replace("\r\n", "\n").replace("\t", "    ")
    out: list[Content] = []
    for line in text.split("\n"):
        m = _HEADING.match(line)
        if m:
            out.append(inline(m.group(2), "bold"))
            continue
        m = _BULLET.match(line)
        if m:
            out.append(Content.assemble("  • ", inline(line[m.end():])))
            continue
        m = _NUMBERED.match(line)
        if m:
            out.append(Content.assemble(f"  {m.group(1)}. ", inline(line[m.end():])))
            continue
        m = _QUOTE.match(line)
        if m:
            out.append(Content.assemble(("  │ ", "dim"), inline(line[m.end():], "italic")))
            continue
        if line.endswith("  "):  # hard break: same as a newline here
            line = line.rstrip()
        elif line.endswith("\\"):
            line = line[:-1]
        out.append(inline(line))
    while out and not out[-1].plain.strip():
        out.pop()
    return Content("\n").join(out)


def paragraphs(blocks: list[str]) -> Content:
    return Content("\n\n").join(markdown(b) for b in blocks if b.strip())
