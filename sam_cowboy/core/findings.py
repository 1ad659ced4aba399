"""What `check` tells an author: a problem or a doubt, pinned to a file, line and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sam_cowboy.core.safe_text import one_line

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    file: str
    line: int
    column: int
    message: str
    scene: str | None = None
    choice: str | None = None

    def format(self) -> str:
        """One line, whatever a key or id quoted in the message holds."""
        return one_line(f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}")

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "scene": self.scene,
                "choice": self.choice, "message": self.message}


class EpisodeError(Exception):
    """The project's one error type for input that cannot be used: it carries findings."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        first = findings[0] if findings else None
        super().__init__(first.format() if first else "invalid episode")


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the closest known name, or an empty string."""
    import difflib  # only when a name is misspelt

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
