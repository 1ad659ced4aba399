"""The debrief's one view model (core.debrief) and its layouts: the app and plain mode."""

from __future__ import annotations

import io
from dataclasses import replace

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.debrief import NOT_SEEN, align, build, level, path_rows
from sam_cowboy.messages import t
from sam_cowboy.plain import PlainPlayer
from sam_cowboy.tui.screens.debrief import DebriefScreen
from sam_cowboy.tui.widgets.table import Table

from .conftest import CARDS, load, make_app, play, screen_text


def test_paths_are_aligned_scene_by_scene():
    assert align(list("abcd"), list("abxd")) == [(0, 0), (1, 1), (2, None), (None, 2), (3, 3)]
    assert align(list("ab"), list("cab")) == [(None, 0), (0, 1), (1, 2)]
    rows = path_rows([("a", "1"), ("b", "2")], [("a", "1"), ("c", "3"), ("b", "9")])
    assert [(r.scene, r.mine, r.best, r.same) for r in rows] == [
        ("a", "1", "1", True), ("c", None, "3", False), ("b", "2", "9", False)]


def test_words_not_numbers():
    assert [level(p) for p in (100, 80, 79, 60, 40, 39, 0)] == [
        "strong", "strong", "good", "good", "developing", "weak", "weak"]
    assert level(0, exercised=False) == NOT_SEEN


def test_a_dimension_not_exercised_is_not_seen_and_never_the_weakest():
    episode = load(CARDS)
    analysis = analyse(episode)
    state, _ = engine.begin(episode)
    first = engine.choices_shown(episode, state)[0]
    state, _ = engine.choose(episode, state, first.id)
    debrief = build(episode, state, analysis)
    seen = {d.id: d.exercised for d in debrief.dimensions}
    assert any(seen.values())
    for d in debrief.dimensions:
        assert (d.level == NOT_SEEN) == (not d.exercised)
    assert debrief.weakest is None or seen[debrief.weakest]


def test_weakest_tie_goes_to_the_focus():
    episode = load(CARDS)
    analysis = analyse(episode)
    state, _ = engine.begin(episode)
    tied = {d: 50 for d in episode.dimensions}
    from sam_cowboy.core import scoring

    for focus in episode.dimensions:
        focused = replace(episode, focus=focus)
        assert scoring.weakest(focused, tied) == focus
    assert build(episode, state, analysis).weakest is None  # nothing exercised yet


async def test_app_debrief_is_a_table_in_words(data_dir):
    app = make_app(CARDS, data_dir, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1, 1, 1, 2, 1])
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        db = screen.debrief
        table = screen.query_one("#db-paths", Table)
        assert len(table.rows) == len(db.path)  # one row per scene, both runs on it
        lines = table.draw(table.header, table.rows, table.widths, 76)
        assert max(line.cell_length for line in lines) <= 76
        shown = screen_text(screen)
        assert "raw" not in shown
        for d in db.dimensions:
            assert screen.t(f"level_{d.level}") in shown


def test_plain_debrief_uses_the_same_view_model():
    episode = load(CARDS)
    analysis = analyse(episode)
    answers = iter(["1", "1", "1", "2", "1"])
    out = io.StringIO()
    player = PlainPlayer(episode, analysis, "en", "en", out, lambda: next(answers, None))
    debrief = player.play()
    assert debrief is not None
    text = out.getvalue()
    assert "raw" not in text
    for n in range(1, len(debrief.path) + 1):
        assert f"\n{n}. " in text
    for d in debrief.dimensions:
        assert t(f"level_{d.level}", "en") in text


def test_plain_mode_echoes_once_and_says_how_to_leave():
    episode = load(CARDS)
    analysis = analyse(episode)
    typed = iter(["x", "?", "q"])
    out = io.StringIO()
    player = PlainPlayer(episode, analysis, "en", "en", out, lambda: next(typed, None),
                         echo=False)  # a terminal already shows what is typed
    assert player.play() is None
    text = out.getvalue()
    assert "\nx\n" not in text  # not echoed a second time
    assert "q to leave" in text  # the wrong answer says how to leave
    assert "Type the number of a choice" in text  # ? explains
    assert "You left the episode" in text
    piped = io.StringIO()
    answers = iter(["1"])
    PlainPlayer(episode, analysis, "en", "en", piped, lambda: next(answers, None)).play()
    assert piped.getvalue().count(": 1\n") == 1  # piped answers echoed once, for the record
