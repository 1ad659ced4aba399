from __future__ import annotations

from sam_cowboy.workshop.bigtext import GLYPHS, big
from sam_cowboy.workshop.session import ALPHABET


def test_every_code_letter_has_a_glyph_of_five_by_five() -> None:
    assert set(GLYPHS) == set(ALPHABET)
    assert all(len(g) == 5 and all(len(row) == 5 for row in g) for g in GLYPHS.values())
    assert len(set(GLYPHS.values())) == len(GLYPHS)  # no two letters look the same
    rows = big("KXT").splitlines()
    assert len(rows) == 5 and all(len(r) == 5 * 3 + 2 * 2 for r in rows)
