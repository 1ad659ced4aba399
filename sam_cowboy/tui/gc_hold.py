"""Python's cycle collector held while the app starts, then pointed at new objects only.

Starting the app imports Textual and our modules and builds two screens: hundreds of
thousands of objects that live as long as the process. The collector walked them again and
again (about 80 ms, a fifth of the time from process start to the first scene, against
20 ms for a bare Textual app). `hold()` stops it when a command that opens the app begins;
`freeze()`, once everything is imported, moves what exists to the permanent generation so
later passes skip it; `release()` starts it again once the app is idle. Garbage made in the
meantime (a second or two of start-up) is collected then. The price: cyclic garbage made
before `freeze` is frozen too and never freed (about 500 small objects, measured on ep01).
"""

from __future__ import annotations

import gc

_held = False


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
        gc.enable()
