"""Snapshots of every screen at 80x24 and 120x40, in French and English.

Deterministic: a fixed player name, a private data folder, no clock on screen.
Update with: pytest tests/tui/test_snapshots.py --snapshot-update (then look at the SVGs).
"""

from __future__ import annotations

import pytest

from .conftest import CARDS, INJECT, LIB, make_app, settle

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "fr"]


def keys(*presses: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run_before


# screen -> (episode, presses)
SCREENS = {
    "library": (None, ()),
    "intro": (CARDS, ()),
    "scene-profile": (CARDS, ("enter",)),
    "feedback": (CARDS, ("enter", "1")),
    "scene-post": (CARDS, ("enter", "3")),
    "scene-message": (CARDS, ("enter", "3", "2")),
    "scene-email": (CARDS, ("enter", "3", "2", "1", "enter")),
    "scene-note": (CARDS, ("enter", "3", "2", "1", "enter", "2")),
    "reflection": (CARDS, ("enter", "1", "enter", "1", "enter", "1", "enter", "2", "1")),
    "debrief": (CARDS, ("enter", "1", "enter", "1", "enter", "1", "enter", "2", "1", "escape")),
    "help": (CARDS, ("enter", "question_mark")),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(screen, lang, size, snap_compare, data_dir):
    episode, presses = SCREENS[screen]
    app = make_app(episode, data_dir, lang=lang, library=[LIB])
    assert snap_compare(app, terminal_size=size, run_before=keys(*presses))


@pytest.mark.parametrize("screen", ["settings", "contrast", "injection"])
def test_more(screen, snap_compare, data_dir):
    if screen == "settings":
        app = make_app(CARDS, data_dir, lang="en")
        presses: tuple[str, ...] = ("enter", "s")
    elif screen == "contrast":
        app = make_app(CARDS, data_dir, lang="fr", theme="contrast")
        presses = ("enter", "2")
    else:
        app = make_app(INJECT, data_dir, lang="en", player="[bold]Eve[/]")
        presses = ("enter",)
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys(*presses))
