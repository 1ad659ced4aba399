"""French typography: set once where text is rendered for French, kept through wrapping."""

from __future__ import annotations

from textual.content import Content

from sam_cowboy.core.i18n import NNBSP, typeset
from sam_cowboy.messages import colon, quote, t
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.text import wrap

from .conftest import CARDS, make_app, play


def test_typeset_french():
    assert typeset("Conséquence : « oui » ! Vraiment ?", "fr") == \
        f"Conséquence{NNBSP}: «{NNBSP}oui{NNBSP}»{NNBSP}! Vraiment{NNBSP}?"
    assert typeset("a\u00a0: b; c!", "fr") == f"a{NNBSP}: b{NNBSP}; c{NNBSP}!"
    assert typeset("http://x.fr à 10:30", "fr") == "http://x.fr à 10:30"
    assert typeset("Quoi ?!", "fr") == f"Quoi{NNBSP}?!"
    assert typeset("Really? Yes: «x»", "en") == "Really? Yes: «x»"  # English untouched
    assert typeset(typeset("« a » : b", "fr"), "fr") == typeset("« a » : b", "fr")


def test_messages_and_quotes_are_typeset():
    assert t("choices", "fr") == f"Vos choix{NNBSP}:"
    assert quote("oui", "fr") == f"«{NNBSP}oui{NNBSP}»"
    assert quote("“So when are you posting?”", "en") == "“So when are you posting?”"
    assert colon("Conséquence", "fr") == f"Conséquence{NNBSP}: "


def test_wrapping_never_breaks_at_a_no_break_space():
    text = Content(typeset("Vous avez choisi : « Une invitation » ! Bien", "fr"))
    for width in range(20, 40):  # from the longest glued unit: narrower, it must fold
        lines = [line.plain for line in wrap(text, width)]
        assert "".join(lines).replace(" ", "") == text.plain.replace(" ", "")
        for plain in lines:
            assert not plain.strip().startswith((":", "»", "!")), (width, plain)
            assert not plain.strip().endswith("«"), (width, plain)
    # styles follow their characters
    styled = Content.assemble(("Conséquence", "bold"), f"{NNBSP}: la suite du texte")
    first = wrap(styled, 14)[0]
    assert first.plain == f"Conséquence{NNBSP}:" and first.spans


async def test_feedback_in_french_at_80x24(data_dir):
    app = make_app(CARDS, data_dir, lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.screen.feedback_mode
        widget = app.screen.query_one("#fb-body")
        assert widget.visual.plain.count(f"{NNBSP}:") >= 2
        shown = "\n".join(str(line.text) for line in widget.render_lines(widget.region))
        for line in shown.splitlines():
            assert not line.strip().startswith((":", "»")), line
