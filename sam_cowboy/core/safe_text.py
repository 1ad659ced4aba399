"""Text from a file or a person, made safe to print: nothing in it is obeyed by a terminal.

One sanitiser for everything the tool prints or draws: episode text, ids, YAML keys,
conditions, player names. It removes escape sequences (CSI, OSC, DCS...), C0 and C1
control characters (tab and newline are kept) and the bidirectional overrides and
isolates (U+202A-U+202E, U+2066-U+2069) that can make a line read differently from
what it holds.
"""

from __future__ import annotations

import re

CONTROL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"                      # CSI: colours, cursor, clear screen
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"   # OSC, DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]"                             # other escape sequences
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"               # the remaining control characters
    r"|[\u202a-\u202e\u2066-\u2069]"                # bidi embeddings, overrides, isolates
)

NAME_MAX = 40


def strip_controls(s: str) -> str:
    """Remove escape sequences, control characters and bidi controls; keep tabs and newlines."""
    return CONTROL.sub("", s)


def one_line(s: str) -> str:
    """`strip_controls`, with every run of white space (newlines too) folded to one space."""
    return " ".join(strip_controls(s).split())


def clean_name(name: str | None, limit: int = NAME_MAX) -> str:
    """A name a person typed, fit to show and store: one line, no controls, at most `limit`
    characters. May be empty: each caller decides what an empty name means."""
    return one_line(name or "")[:limit].strip()
