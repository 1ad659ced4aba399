"""Python's cycle collector held while the app starts, then pointed at new objects only.

Starting the app imports Textual and our modules and builds two screens: hundreds of
thousands of objects that live as long as the process. The collector walked them again and
again (about 80 ms, a fifth of the time from process start to the first scene, against
20 ms for a bare Textual app). `hold()` stops it when a command that opens the app begins;
`freeze()`, once everything is imported, moves what exists to the permanent generation so
later passes skip it; `release()` starts it again once the app is idle. Garbage made in the
meantime (a second or two of start-up) is collected then. The price: cyclic garbage made
before `freeze` is frozen too and never freed (about 500 small objects, measured on ep01).

`release()` also lets young objects pile up to YOUNG_BATCH before a pass instead of
Python's 700. Drawing a scene makes thousands of short-lived objects: at 700 the collector
ran 15 times per key press, 3.8 ms of an 11 ms press on the built-in episodes; at 20,000 it
runs once every six presses, 0.6 ms per press on average (benchmarks/tui_startup.py).
`tidy()`, called once a scene's work ahead is done, runs that pass while the player reads,
so the next key press starts with no young objects pending.
"""

from __future__ import annotations

import gc

_held = False
YOUNG_BATCH = 20_000  # objects allocated (net) before a pass over the young generation


def hold() -> None:
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def freeze() -> None:
    if _held:
        gc.freeze()


def release() -> None:
    """Start collecting again (only if `hold` stopped it: tests never hold it)."""
    global _held
    if _held:
        _held = False
        gc.set_threshold(YOUNG_BATCH, *gc.get_threshold()[1:])
        gc.enable()


def tidy() -> None:
    """A pass over the young generation now, while nothing waits (not while held)."""
    if gc.isenabled():
        gc.collect(0)
