"""Episode text and people's names to screen content, as data and never as markup.

Everything shown from an episode or a player goes through here and comes out as a
`textual.content.Content` built from plain strings: brackets, backslashes and escape
sequences are characters like any other. Scene text is Markdown: a small renderer handles
paragraphs, lists, headings, quotes, emphasis, code and links by building styled spans
itself (it never hands text to a markup parser).
"""

from __future__ import annotations

import re

from textual.content import Content
from textual.widgets import Static

from sam_cowboy.core.i18n import strip_controls

NNBSP = "\u202f"  # narrow no-break space: French puts it before : ; ! ? » and after «
_GLUE = "\u2800"  # not whitespace to the wrapper, one cell wide, like the spaces it stands for
_NO_BREAK = str.maketrans({"\u00a0": _GLUE, NNBSP: _GLUE, "\u2007": _GLUE})
_FR_BEFORE = re.compile(r"[ \u00a0\u202f]+([:;!?»%])")
_FR_AFTER = re.compile(r"«[ \u00a0\u202f]+")


def french_spaces(text: str) -> str:
    """French typography that survives line wrapping: the space before `:;!?»%` and after `«`
    becomes a narrow no-break space, so "Conséquence :" never wraps before its colon."""
    if " " not in text and "\u00a0" not in text:
        return text
    return _FR_AFTER.sub("«" + NNBSP, _FR_BEFORE.sub(NNBSP + r"\1", text))


def _keep_no_break_spaces() -> None:
    """Textual wraps at every whitespace character, no-break spaces included (its chunks are
    `\\S+\\s*`). Wrap offsets are computed on a copy where no-break spaces are a non-space
    character of the same width; the text drawn keeps its real characters."""
    import textual.content as textual_content

    original = getattr(textual_content, "divide_line", None)
    if original is None or getattr(original, "keeps_no_break", False):
        return

    def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
        offsets: list[int] = original(text.translate(_NO_BREAK), width, fold=fold)
        return offsets

    divide_line.keeps_no_break = True  # type: ignore[attr-defined]
    textual_content.divide_line = divide_line  # type: ignore[attr-defined]


_keep_no_break_spaces()


def content_key(content: Content) -> tuple[object, ...]:
    """What makes two contents draw the same: their text and their styles (Content compares
    and hashes by text alone)."""
    return (content.plain, tuple(content.spans))


def put(widget: Static, content: Content) -> None:
    """`widget.update(content)` only when the content changed (text or styles): a scene that
    changes little redraws little (a Static update costs a layout pass)."""
    old = getattr(widget, "_sam_shown", None)
    if old is not None and content_key(old) == content_key(content):
        return
    widget._sam_shown = content  # type: ignore[attr-defined]
    widget.update(content)


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
    return Content.assemble(*parts)  # type: ignore[arg-type]


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
