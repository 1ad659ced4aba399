"""`sam-cowboy handouts`: printable HTML in fr and en, from package data, escaped, atomic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sam_cowboy.cli import main
from sam_cowboy.kit.handouts import (
    LANGUAGES,
    NOTE_LIMIT,
    PLACEHOLDER_RE,
    invitation_templates,
    load_handouts,
    render_all,
)

EXPECTED = ["headline", "invitations", "frameworks", "qualification", "plan"]


def test_the_five_handouts_exist_in_both_languages_with_the_same_shape() -> None:
    handouts = load_handouts()
    assert [h.id for h in handouts] == EXPECTED
    for h in handouts:
        fr, en = (h.blocks[lang] for lang in LANGUAGES)
        assert [sorted(b) for b in fr] == [sorted(b) for b in en], h.id
        assert h.title["fr"] and h.title["en"] and h.title["fr"] != h.title["en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_invitation_note_fits_in_200_characters_even_filled_in(lang: str) -> None:
    templates = invitation_templates(load_handouts(), lang)
    assert len(templates) >= 4
    for label, text in templates:
        assert len(text) <= NOTE_LIMIT, label
        # a first name, a company or a topic of 20 characters must still fit
        filled = PLACEHOLDER_RE.sub("x" * 20, text)
        assert len(filled) <= NOTE_LIMIT, (label, len(filled))
        assert "rendez-vous" not in text.lower() and "meeting" not in text.lower()  # no pitch


def test_the_30_day_plan_has_three_habits() -> None:
    plan = next(h for h in load_handouts() if h.id == "plan")
    for lang in LANGUAGES:
        tables = [b["table"] for b in plan.blocks[lang] if "table" in b]
        assert len(tables) == 1 and len(tables[0]["rows"]) == 3


def test_the_command_writes_printable_files(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kit"
    assert main(["handouts", "-o", str(out)]) == 0
    assert "12 files written" in capsys.readouterr().out
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == sorted(["handouts-fr.html", "handouts-en.html"]
                           + [f"{lang}/{i:02d}-{hid}.html" for lang in LANGUAGES
                              for i, hid in enumerate(EXPECTED, 1)])
    fr = (out / "handouts-fr.html").read_text("utf-8")
    assert fr.startswith("<!DOCTYPE html>") and '<html lang="fr">' in fr
    assert fr.count('<section class="sheet"') == 5 and "@page" in fr
    assert "La formule du titre LinkedIn" in fr and "J&#x27;aide" in fr
    en = (out / "en" / "02-invitations.html").read_text("utf-8")
    assert "Invitation notes" in en and "/ 200 characters" in en
    # a second run replaces the files, leaving no temporary file behind
    assert main(["handouts", "-o", str(out)]) == 0
    assert not [p for p in out.rglob("*.tmp")]


def test_bad_output_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    assert main(["handouts", "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a folder" in err[0]


HOSTILE = """\
handouts:
  - id: x
    fr:
      title: "<script>alert(1)</script> [bold]"
      blocks:
        - p: "[bold]gras[/] \\x1b[2J [0] & <b>"
        - ul: ["<i>a</i>"]
        - templates: [{label: "<l>", text: "\\x1b[31mred [Prénom]"}]
        - table: {head: ["<h>"], rows: [["<td>"]]}
    en:
      title: "t"
      blocks: []
"""


def test_text_is_escaped_never_markup() -> None:
    html = render_all(load_handouts(HOSTILE), "fr")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "<i>a" not in html and "<l>" not in html
    assert "\x1b" not in html
    assert "[bold]gras[/]" in html and "[0] &amp; &lt;b&gt;" in html
    assert re.search(r"<td>&lt;td&gt;</td>", html)
