"""Snapshots of a compose scene's fragment picker (two fragments picked, order matters) at
80x24 and 120x40 in French and English, and of a message's consequence (its checklist).

Update with: pytest tests/tui/test_compose_snapshots.py --snapshot-update (then look at the
SVGs).
"""

from __future__ import annotations

import pytest

from .conftest import EPISODES, make_app
from .test_snapshots import keys

COMPOSE = EPISODES / "compose.yaml"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_picker(lang, size, snap_compare, data_dir):
    app = make_app(COMPOSE, data_dir, lang=lang)
    assert snap_compare(app, terminal_size=size, run_before=keys("enter", "1", "2", "1"))


def test_message_consequence(snap_compare, data_dir):
    app = make_app(COMPOSE, data_dir, lang="en")
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=keys("enter", "1", "2", "1", "enter"))
