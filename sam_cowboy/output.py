"""Every line the command prints goes through one sanitiser (`core.safe_text`).

Keys, ids, `goto` targets, conditions, CSV keys and episode text reach error messages,
reports and listings through many paths; rather than trust each of them, `safe_output`
puts a filter in front of stdout and stderr for the whole command: escape sequences,
C0/C1 control characters and bidi controls never reach the terminal (tabs and newlines do).
The full-screen app draws through its own driver on the real terminal and is unaffected;
it shows file text through `Text`/`Content` with the same sanitiser.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from sam_cowboy.core.safe_text import strip_controls


class SafeStream(io.TextIOBase):
    """A text stream that writes to `target` what `strip_controls` keeps of each write.

    A sequence split across two writes is still harmless: its ESC is removed from the
    first, and what follows it is plain text. `buffer` is not offered, so nothing
    bypasses the filter."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target

    def write(self, s: str) -> int:
        self.target.write(strip_controls(s))
        return len(s)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.target, "errors", None)


@contextmanager
def safe_output() -> Iterator[None]:
    """stdout and stderr filtered for the duration of the block, then restored."""
    saved = sys.stdout, sys.stderr
    sys.stdout = SafeStream(saved[0])
    sys.stderr = SafeStream(saved[1])
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # a closed pipe: nothing more can be said
        sys.stdout, sys.stderr = saved
