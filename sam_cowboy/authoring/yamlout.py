"""Writing YAML scalars by hand, so generated files read like hand-written ones."""

from __future__ import annotations

import json
import re

_PLAIN_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.,'’!?()/-]*\Z")
_RESERVED = {"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"}


def quoted(s: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one), on one line."""
    return json.dumps(s, ensure_ascii=False)


def scalar(s: str, indent: int) -> str:
    """`s` as a YAML value to follow `key: `, at a key indented by `indent` spaces.

    Multi-line text becomes a literal block (`|-`) when that keeps it exact; everything
    else is double-quoted.
    """
    if "\n" in s and _block_safe(s):
        pad = " " * (indent + 2)
        return "|-\n" + "\n".join(pad + line if line else "" for line in s.split("\n"))
    return quoted(s)


def _block_safe(s: str) -> bool:
    if s != s.strip() or not s:
        return False
    for line in s.split("\n"):
        if line != line.rstrip():
            return False
        if any((ord(ch) < 32 and ch != "\t") or 0x7F <= ord(ch) <= 0x9F or ch == "\ufeff"
               for ch in line):
            return False
    return not s.split("\n")[0].startswith((" ", "\t"))


def key(s: str) -> str:
    """A mapping key: plain when it is a simple id, else quoted."""
    if _PLAIN_SAFE.match(s) and s.lower() not in _RESERVED and ": " not in s \
            and not s[0].isdigit():
        return s
    return quoted(s)
