"""A scrolling pane that draws nothing of its own: only its children and its scrollbar.

Textual draws a container's own lines (its background, padding and border) again each
time its size changes, which is every scene for the story and the choices. A pane has no
border, and its padding is the background: Textual gives it blank lines (`BLANK`) without
drawing them.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class Pane(VerticalScroll, can_focus=False):
    BLANK = True
