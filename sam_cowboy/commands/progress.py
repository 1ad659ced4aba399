"""A progress bar on stderr for commands whose work can take seconds (check, randomtest,
stats, import), so a trainer does not wonder whether the command hangs.

Drawn only when stderr is a terminal, and only once the work has lasted DELAY seconds:
quick commands, pipes, CI logs and `--json` output stay exactly as they were.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY = 1.0  # seconds of work before the bar shows
T = TypeVar("T")


class Bar:
    """One task's progress; shown after DELAY if `stream` is a terminal."""

    def __init__(self, description: str, total: int | None, stream: TextIO | None = None,
                 delay: float = DELAY) -> None:
        self.description = description
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if _is_terminal(self.stream):
            self._timer = threading.Timer(delay, self._show)
            self._timer.daemon = True
            self._timer.start()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            if self._timer is None:  # finished meanwhile
                return
            columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
            if self.total is not None:
                columns.append(MofNCompleteColumn())
            columns.append(TimeElapsedColumn())
            self.progress = Progress(*columns, console=Console(file=self.stream),
                                     transient=True)
            self.task = self.progress.add_task(self.description, total=self.total,
                                               completed=self.done)
            self.progress.start()

    def advance(self, step: int = 1) -> None:
        with self._lock:
            self.done += step
            if self.progress is not None and self.task is not None:
                self.progress.update(self.task, completed=self.done)

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self.progress is not None:
                self.progress.stop()
                self.progress = None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def working(description: str, total: int | None = None,
            stream: TextIO | None = None) -> Iterator[Bar]:
    """`with working("Checking"):` — a bar (a spinner when `total` is None) while it runs."""
    bar = Bar(description, total, stream)
    try:
        yield bar
    finally:
        bar.close()


def each(items: Iterable[T], description: str, stream: TextIO | None = None) -> Iterator[T]:
    """The items, one by one, with a bar that counts them."""
    listed = list(items)
    with working(description, len(listed), stream) as bar:
        for item in listed:
            yield item
            bar.advance()
