"""French punctuation stays with its word: Textual wraps at every space, no-break ones too."""

from __future__ import annotations

from textual.content import Content

from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.text import NNBSP, french_spaces

from .conftest import CARDS, make_app, play


def test_french_spaces():
    assert french_spaces("Conséquence : « oui » ! 20 %") == \
        f"Conséquence{NNBSP}: «{NNBSP}oui{NNBSP}»{NNBSP}! 20{NNBSP}%"
    assert french_spaces("a\u00a0: b") == f"a{NNBSP}: b"
    assert french_spaces("http://x.fr") == "http://x.fr"


def test_no_break_spaces_are_kept_when_wrapping():
    text = Content(french_spaces("Vous avez choisi : « Une invitation »"))
    for width in range(13, 40):  # narrower than its longest glued unit, a word must fold
        for line in text.wrap(width):
            plain = line.plain.strip()
            assert not plain.startswith((":", "»")), (width, plain)
            assert not plain.endswith("«"), (width, plain)
    # an author's own no-break space is kept too
    lines = [c.plain.strip() for c in Content("Ah Conséquence\u00a0: ok").wrap(15)]
    assert lines[0] == "Ah" and lines[1].startswith("Conséquence\u00a0:")


async def test_feedback_in_french_at_80x24(data_dir):
    app = make_app(CARDS, data_dir, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.screen.feedback_mode
        for widget_id in ("#fb-body",):  # "Vous avez choisi :", "Conséquence :"
            widget = app.screen.query_one(widget_id)
            assert widget.visual.plain.count(f"{NNBSP}:") >= 2
            for width in range(14, widget.content_size.width + 1):
                for line in widget.visual.wrap(width):
                    text = line.plain.strip()
                    assert not text.startswith((":", "»")), (widget_id, width, text)
