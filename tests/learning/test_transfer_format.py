"""The `reflection` and scene `actions` extension: loading, errors at file:line:col, and the
pure transfer logic (costliest decision, defaults, dates, statuses)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from sam_cowboy.core import engine, transfer
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.debrief import build
from sam_cowboy.core.loader import load_episode_data

EPISODE = """\
sam_cowboy: 1
id: tiny
title: {fr: Petit, en: Tiny}
languages: [fr, en]
dimensions:
  tact: {label: {fr: Tact, en: Tact}, habit: {fr: "Écoutez d'abord.", en: "Listen first."}}
reflection: {fr: "Et vous ?", en: "And you?"}
start: a
scenes:
  a:
    text: "A"
    actions:
      - {fr: "Appeler", en: "Call someone"}
      - {fr: "Écrire", en: "Write to someone"}
    choices:
      - {id: good, text: "Bien", score: {tact: 2}, goto: b}
      - {id: bad, text: "Mal", score: {tact: -1}, goto: b}
  b:
    text: "B"
    choices:
      - {id: ok, text: "OK", goto: end}
      - {id: rude, text: "Rude", score: {tact: -1}, goto: end}
  end:
    ending: {kind: good}
"""


def load(text: str):  # type: ignore[no-untyped-def]
    return load_episode_data(text, "tiny.yaml", series=None)


def debrief_of(episode, path):  # type: ignore[no-untyped-def]
    analysis = analyse(episode)
    state, _ = engine.begin(episode)
    for choice in path:
        state, _ = engine.choose(episode, state, choice)
    return build(episode, state, analysis), analysis


def test_loaded_and_tied_to_the_costliest_decision() -> None:
    ep = load(EPISODE).require()
    assert ep.transfer is not None and set(ep.transfer.actions) == {"a"}
    d, analysis = debrief_of(ep, ["bad", "ok"])
    costs = transfer.costs(ep, d, analysis)
    assert costs[0].scene == "a" and costs[0].points > 0
    offer = transfer.proposals(ep, d, analysis, "en")
    assert offer.scene == "a" and offer.choice == "bad"
    assert offer.actions == ("Call someone", "Write to someone")
    assert transfer.reflection_question(ep, d, "fr") == "Et vous\u202f?"  # French typography


def test_defaults_from_the_habit_when_the_costly_decision_has_no_actions() -> None:
    ep = load(EPISODE).require()
    d, analysis = debrief_of(ep, ["good", "rude"])   # only b cost anything; b has no actions
    offer = transfer.proposals(ep, d, analysis, "en")
    assert offer.scene is None and offer.actions == ("Listen first.",)
    bare = load(EPISODE.replace('reflection: {fr: "Et vous ?", en: "And you?"}\n', "")).require()
    d2, _ = debrief_of(bare, ["good", "rude"])
    question = transfer.reflection_question(bare, d2, "en")
    assert question.startswith("Listen first.") and question.endswith("?")


def errors(text: str) -> list[str]:
    return [f"{f.file}:{f.line}:{f.column}: {f.message}"
            for f in load(text).errors]


def test_too_many_actions_is_an_error_at_its_line() -> None:
    text = EPISODE.replace('      - {fr: "Écrire", en: "Write to someone"}\n',
                           '      - {fr: "Écrire", en: "Write to someone"}\n' * 3)
    found = errors(text)
    assert any(e.startswith("tiny.yaml:12:5:") and "at most 3" in e for e in found), found


def test_actions_on_an_ending_and_bad_types_are_errors() -> None:
    found = errors(EPISODE.replace("    ending: {kind: good}",
                                   "    ending: {kind: good}\n    actions: [x]"))
    assert any(e.startswith("tiny.yaml:25:5:") and "no `choices`" in e for e in found), found
    found = errors(EPISODE.replace("    actions:\n", "    actions: 3\n    x-was:\n"))
    assert any(e.startswith("tiny.yaml:12:14:") for e in found), found
    found = errors(EPISODE.replace('reflection: {fr: "Et vous ?", en: "And you?"}',
                                   "reflection: [1]"))
    assert any(e.startswith("tiny.yaml:7:13:") and "reflection" in e for e in found), found


def test_check_reports_it_through_the_cli(tmp_path: Path) -> None:
    f = tmp_path / "tiny.yaml"
    f.write_text(EPISODE.replace("    actions:\n", "    actions: {}\n    x-was:\n"))
    done = subprocess.run([sys.executable, "-m", "sam_cowboy", "check", str(f)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{f}:12:14: error:" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_dates_and_statuses() -> None:
    assert transfer.due_date(date(2026, 12, 28)) == date(2027, 1, 4)
    assert not transfer.is_due("2026-03-09", "open", date(2026, 3, 9))
    assert transfer.is_due("2026-03-09", "open", date(2026, 3, 10))
    assert not transfer.is_due("2026-03-09", "done", date(2026, 4, 1))
    assert transfer.parse_day("2026-02-30") is None
    assert transfer.story_only("She smiles. **Ask first**: it works.") == "She smiles."
    assert transfer.story_only("**All lesson**") == ""


def test_split_due() -> None:
    d = date(2026, 3, 9)
    assert transfer.split_due("2 2026-03-20", d) == ("2", date(2026, 3, 20))
    assert transfer.split_due("Call Paul", d) == ("Call Paul", d)
    assert transfer.split_due("2026-03-20", d) == ("2026-03-20", d)  # a date alone is text
    assert transfer.split_due("x 2026-02-30", d) == ("x 2026-02-30", d)
