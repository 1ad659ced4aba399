"""The progress bar of long commands: on a terminal after a second of work, else nothing."""

from __future__ import annotations

import io
import time

from sam_cowboy.commands import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_not_a_terminal():
    out = io.StringIO()
    assert list(progress.each([1, 2, 3], "Checking", stream=out)) == [1, 2, 3]
    assert out.getvalue() == ""


def test_no_bar_for_quick_work():
    out = Terminal()
    with progress.working("Checking", stream=out):
        pass
    assert out.getvalue() == ""


def test_bar_after_the_delay_on_a_terminal(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    out = Terminal()
    bar = progress.Bar("Checking", 3, stream=out, delay=0.0)
    for _ in range(50):  # the bar starts in a timer thread
        if bar.progress is not None:
            break
        time.sleep(0.01)
    assert bar.progress is not None
    bar.advance()
    assert bar.done == 1
    bar.close()
    assert "Checking" in out.getvalue()
