"""Safe YAML 1.2 reading with a position for every node, in bounded time and memory.

We build values from PyYAML's event stream (libyaml's C parser when present) instead of
using its composer and constructor: the event loop is iterative, so 20,000 levels of nesting
cannot overflow a stack; aliases are shared, never copied, and their expanded size is counted
in nodes and in characters, so an alias bomb stops early (whoever prints or walks the tree
later pays for the expanded size, not the shared one); numbers are bounded so that no later
arithmetic or conversion can overflow; and booleans follow YAML 1.2 (`no` is a string).

Every limit is a YamlError with the line and column where it was crossed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sam_cowboy.core.model import Pos

MAX_BYTES = 4 * 1024 * 1024  # the season's longest episode is 75 KB
MAX_DEPTH = 64
MAX_NODES = 250_000  # values in the document, each alias counted as what it expands to
MAX_EXTRA_CHARS = 1_000_000  # characters aliases may add beyond the file's own length
MAX_NUMBER = 10**12  # episodes count points and minutes: far below any overflow

Scalar = str | int | float | bool | None
Reader = Callable[[str], object]  # YAML text -> tree (YMap, YSeq, scalars); raises YamlError


class YamlError(Exception):
    """Input that is not usable YAML; line and column are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class YMap(dict[str, object]):
    """A YAML mapping that remembers where it, its keys and its values stand."""

    __slots__ = ("pos", "key_pos", "value_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.value_pos: dict[str, Pos] = {}


class YSeq(list[object]):
    """A YAML sequence that remembers where it and its items stand."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []


_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {None, "!", *(_TAG + t for t in ("str", "int", "float", "bool", "null", "map",
                                                  "seq"))}


def resolve_plain(text: str) -> Scalar:
    """YAML 1.2 core schema for plain scalars; only true/false (any case) are booleans."""
    if text in _NULLS:
        return None
    low = text.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(text):
            return _bounded(text, 10, 0)
        if _OCT.match(text):
            return _bounded(text, 8, 2)
        if _HEX.match(text):
            return _bounded(text, 16, 2)
        if _FLOAT.match(text):
            value = float(text)
            if not abs(value) <= MAX_NUMBER:
                raise ValueError(text)
            return value
        if _INF.match(text):  # the loader refuses them where a number is expected
            return float("-inf") if text[0] == "-" else float("inf")
        if _NAN.match(text):
            return float("nan")
    return text


def _bounded(text: str, base: int, skip: int) -> int:
    """`text` as an integer of at most MAX_NUMBER in size, else ValueError. The digits are
    counted before converting, so a 100,000-digit number costs nothing."""
    digits = text[skip:].lstrip("+-").lstrip("0")
    if len(digits) > 40:
        raise ValueError(text)
    value = int(text[skip:], base)
    if abs(value) > MAX_NUMBER:
        raise ValueError(text)
    return value


def _tagged(text: str, tag: str, pos: Pos) -> Scalar:
    kind = tag[len(_TAG):] if tag.startswith(_TAG) else "str"
    if kind == "str":
        return text
    value = resolve_plain(text)
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "null": value is None,
    }.get(kind, False)
    if not ok:
        raise YamlError(f"`{text}` is not a valid !!{kind}", pos.line, pos.column)
    if kind == "float" and isinstance(value, (int, float)):
        return float(value)
    return value


def read_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of an episode file, refused before reading when it is not a regular file or
    is over MAX_BYTES (stat, then a read of at most MAX_BYTES + 1 bytes, so a file that grows
    meanwhile is refused too). Raises YamlError; OSError when it cannot be opened."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb", buffering=0) as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise YamlError(f"this is {kind}: give the path of a file")
        if info.st_size > MAX_BYTES:
            raise YamlError(_too_big(info.st_size))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_BYTES:
            chunk = f.read(MAX_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_BYTES:
            raise YamlError(_too_big(total))
        return b"".join(chunks)


def _too_big(size: int) -> str:
    return (f"the file is {size / 1e6:.1f} MB; files are limited to "
            f"{MAX_BYTES // (1024 * 1024)} MiB: split an episode into several")


def decode(data: bytes) -> str:
    """Bytes to text, refusing binary and non-UTF-8 input with a position."""
    if len(data) > MAX_BYTES:
        raise YamlError(_too_big(len(data)))
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data[:nul])
        raise YamlError("this is a binary file, not YAML text (it contains a NUL byte)", line, col)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data[:exc.start])
        raise YamlError("the file is not UTF-8 text: save it as UTF-8 in your editor",
                        line, col) from None


def _line_col(prefix: bytes) -> tuple[int, int]:
    line = prefix.count(b"\n") + 1
    col = len(prefix) - (prefix.rfind(b"\n") + 1) + 1
    return line, col


@dataclass(slots=True)
class _Frame:
    container: YMap | YSeq
    key: str | None = None
    key_pos: Pos | None = None
    size: int = 1
    chars: int = 0
    anchor: str | None = None


def _pos(mark: object) -> Pos:
    return Pos(getattr(mark, "line", 0) + 1, getattr(mark, "column", 0) + 1)


def read_yaml(text: str) -> object:
    """Parse one YAML document into plain values, YMap and YSeq. Raises YamlError."""
    import yaml

    if len(text) > MAX_BYTES:
        raise YamlError(f"the text is longer than {MAX_BYTES // (1024 * 1024)} MiB")
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when built
    try:
        loader = loader_class(text)
    except UnicodeEncodeError as exc:
        raise _surrogate_error(text, exc) from None
    try:
        return _build(loader, yaml, len(text) + MAX_EXTRA_CHARS)
    except UnicodeEncodeError as exc:
        raise _surrogate_error(text, exc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(f"malformed YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        line, col = (1, 1)
        if isinstance(position, int):
            prefix = text[:position]
            line = prefix.count("\n") + 1
            col = position - (prefix.rfind("\n") + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise YamlError(f"unreadable YAML: {reason}", line, col) from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()


def _surrogate_error(text: str, exc: UnicodeEncodeError) -> YamlError:
    prefix = text[:exc.start]
    line = prefix.count("\n") + 1
    col = exc.start - (prefix.rfind("\n") + 1) + 1
    return YamlError("the text contains an invalid character (a lone surrogate): save the file "
                     "as UTF-8 text", line, col)


def _build(loader: object, yaml: Any, max_chars: int) -> object:
    get_event = loader.get_event  # type: ignore[attr-defined]
    stack: list[_Frame] = []
    anchors: dict[str, tuple[object, int, int]] = {}  # value, nodes, characters
    root: list[object] = []
    nodes = 0
    chars = 0
    documents = 0
    ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
    MappingStart, SequenceStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
    MappingEnd, SequenceEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent

    def attach(value: object, size: int, length: int, pos: Pos, is_key_capable: bool,
               raw: str | None) -> None:
        nonlocal nodes, chars
        nodes += size
        chars += length
        if nodes > MAX_NODES:
            raise YamlError(f"the file holds more than {MAX_NODES:,} values (aliases counted "
                            "as what they repeat): split it into several episodes",
                            pos.line, pos.column)
        if chars > max_chars:
            raise YamlError(f"aliases here expand the text to more than {max_chars:,} "
                            "characters: repeat less, or split the episode", pos.line, pos.column)
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        top.size += size
        top.chars += length
        c = top.container
        if type(c) is YSeq:
            c.append(value)
            c.item_pos.append(pos)
            return
        assert isinstance(c, YMap)
        if top.key is None:
            if not is_key_capable:
                raise YamlError("a key must be a plain name, not a list or mapping",
                                pos.line, pos.column)
            key = raw if raw is not None else str(value)
            if key in c:
                raise YamlError(f"the key `{key}` appears twice in this mapping; keep one",
                                pos.line, pos.column)
            top.key = key
            top.key_pos = pos
        else:
            key = top.key
            c[key] = value
            c.key_pos[key] = top.key_pos or pos
            c.value_pos[key] = pos
            top.key = None

    while True:
        event = get_event()
        if event is None:
            break
        cls = type(event)
        if cls is ScalarEvent:
            pos = _pos(event.start_mark)
            tag = event.tag
            if tag not in _ALLOWED_TAGS:
                raise YamlError(f"the tag `{tag}` is not allowed: episodes hold plain data",
                                pos.line, pos.column)
            raw = event.value
            plain = event.style is None or event.style == ""
            try:
                if tag in (None, "!"):
                    value: object = resolve_plain(raw) if plain and tag is None else raw
                else:
                    value = _tagged(raw, tag, pos)
            except ValueError:
                raise YamlError(f"this number is out of range (at most {MAX_NUMBER:,} either "
                                "side of 0): put it in quotes if it is a "
                                "text", pos.line, pos.column) from None
            if not plain and event.style in ("'", '"'):
                pos = Pos(pos.line, pos.column + 1)
            attach(value, 1, len(raw), pos, True, raw)
            if event.anchor:
                anchors[event.anchor] = (value, 1, len(raw))
        elif cls is MappingStart or cls is SequenceStart:
            pos = _pos(event.start_mark)
            if event.tag not in _ALLOWED_TAGS:
                raise YamlError(f"the tag `{event.tag}` is not allowed: episodes hold plain data",
                                pos.line, pos.column)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(f"the YAML is nested more than {MAX_DEPTH} levels deep",
                                pos.line, pos.column)
            container: YMap | YSeq = YMap(pos) if cls is MappingStart else YSeq(pos)
            attach(container, 0, 0, pos, False, None)
            stack.append(_Frame(container, anchor=event.anchor))
        elif cls is MappingEnd or cls is SequenceEnd:
            frame = stack.pop()
            if stack:
                stack[-1].size += frame.size
                stack[-1].chars += frame.chars
            if frame.anchor:
                anchors[frame.anchor] = (frame.container, frame.size, frame.chars)
        elif cls is AliasEvent:
            pos = _pos(event.start_mark)
            found = anchors.get(event.anchor)
            if found is None:
                raise YamlError(f"unknown alias `*{event.anchor}`", pos.line, pos.column)
            value, size, length = found
            attach(value, size, length, pos, not isinstance(value, (YMap, YSeq)), None)
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                pos = _pos(event.start_mark)
                raise YamlError("only one YAML document per file: remove the second `---`",
                                pos.line, pos.column)
    return root[0] if root else None
