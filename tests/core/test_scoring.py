"""Scoring: percent formula, clamp, max == min, weighted overall, rounding, profiles."""

from __future__ import annotations

from fractions import Fraction

import pytest
from core_support import EP00_TEXT, SIMPLE_SCENES, doc, errors_of, locate, ok

from sam_cowboy.core import engine, scoring
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.debrief import build


@pytest.mark.parametrize("raw,lo,hi,pct", [
    (0, 0, 2, 0), (1, 0, 2, 50), (2, 0, 2, 100),
    (-2, -2, 2, 0), (0, -2, 2, 50), (2, -2, 2, 100),
    (1, 0, 3, 33), (2, 0, 3, 67),
    (1, 0, 8, 13),        # 12.5 -> 13 (half away from zero, not to even)
    (1, 0, 40, 3),        # 2.5 -> 3 (Python's round would give 2)
    (1, 0, 200, 1),       # 0.5 -> 1 (Python's round would give 0)
    (3, 0, 8, 38),        # 37.5 -> 38
    (-7, -8, 0, 13),      # 12.5 -> 13
    (5, 0, 2, 100), (-3, 0, 2, 0), (100, -5, 5, 100), (-100, -5, 5, 0),  # clamped
    (0, 0, 0, 100), (7, 7, 7, 100), (-3, 5, 5, 100), (9, 5, 5, 100),  # max == min
])
def test_percent(raw: int, lo: int, hi: int, pct: int) -> None:
    assert scoring.percent(raw, lo, hi) == pct


@pytest.mark.parametrize("x,n", [(Fraction(5, 2), 3), (Fraction(-5, 2), -3),
                                 (Fraction(3, 2), 2), (Fraction(-3, 2), -2),
                                 (Fraction(1, 2), 1), (Fraction(-1, 2), -1),
                                 (Fraction(49, 100), 0), (Fraction(-49, 100), 0),
                                 (Fraction(251, 100), 3), (Fraction(0), 0), (Fraction(7), 7)])
def test_round_half_away_from_zero(x: Fraction, n: int) -> None:
    assert scoring.round_half_away(x) == n


TWO_DIMS = """\
dimensions:
  a: {{label: A, weight: {wa}}}
  b: {{label: B, weight: {wb}}}
"""
SCENES_AB = """\
s:
  choices:
    - text: Go
      score: {a: 1, b: 1}
      feedback: F
      goto: end
end:
  ending: {kind: good}
"""


def two_dims(wa: str, wb: str):
    return ok(doc(SCENES_AB, dims=TWO_DIMS.format(wa=wa, wb=wb), start="s"))


@pytest.mark.parametrize("wa,wb,pa,pb,overall", [
    ("1", "1", 0, 100, 50),
    ("1", "2", 0, 100, 67),       # 66.67
    ("1", "2", 100, 0, 33),       # 33.33
    ("1", "1", 50, 25, 38),       # 37.5 -> 38
    ("1", "1", 0, 1, 1),          # 0.5 -> 1
    ("1", "3", 0, 2, 2),          # 1.5 -> 2
    ("3", "1", 2, 0, 2),
    ("0.5", "1.5", 0, 2, 2),      # 1.5 -> 2
    ("0.1", "0.3", 0, 2, 2),      # weights as the author wrote them: 0.75 * 2 = 1.5 -> 2
    ("0.2", "0.6", 0, 2, 2),
    ("1", "1", 100, 100, 100),
    ("1", "1", 0, 0, 0),
    ("2.5", "2.5", 33, 34, 34),   # 33.5 -> 34
])
def test_weighted_overall(wa: str, wb: str, pa: int, pb: int, overall: int) -> None:
    episode = two_dims(wa, wb)
    assert scoring.overall(episode, {"a": pa, "b": pb}) == overall


def test_ep00_weights_in_overall() -> None:
    episode = ok(EP00_TEXT)
    # brand weight 1, relationship weight 2
    assert scoring.overall(episode, {"brand": 100, "relationship": 0}) == 33
    assert scoring.overall(episode, {"brand": 0, "relationship": 100}) == 67
    assert scoring.overall(episode, {"brand": 100, "relationship": 50}) == 67


def test_percents_for_every_dimension() -> None:
    episode = ok(EP00_TEXT)
    bounds = {"brand": (0, 2), "relationship": (-2, 2)}
    assert scoring.percents(episode, {"brand": 1, "relationship": -1}, bounds) == {
        "brand": 50, "relationship": 25}


PROFILES = """\
profiles:
  - {min: 0, label: Beginner}
  - {min: 50, label: Improving, advice: Keep going}
  - {min: 80, label: Expert}
"""


@pytest.mark.parametrize("overall,label", [(0, "Beginner"), (49, "Beginner"),
                                           (50, "Improving"), (79, "Improving"),
                                           (80, "Expert"), (100, "Expert")])
def test_profile_is_the_highest_min_not_above_overall(overall: int, label: str) -> None:
    episode = ok(doc(SIMPLE_SCENES, extra=PROFILES))
    profile = scoring.profile_for(episode, overall)
    assert profile is not None and profile.label.values == {"en": label}


def test_profiles_in_any_order() -> None:
    shuffled = "profiles:\n  - {min: 80, label: Expert}\n  - {min: 0, label: Beginner}\n" \
               "  - {min: 50, label: Improving}\n"
    episode = ok(doc(SIMPLE_SCENES, extra=shuffled))
    assert scoring.profile_for(episode, 60).label.values == {"en": "Improving"}  # type: ignore


def test_no_profile_below_every_min() -> None:
    episode = ok(doc(SIMPLE_SCENES, extra="profiles:\n  - {min: 10, label: X}\n"))
    assert scoring.profile_for(episode, 5) is None
    assert scoring.profile_for(episode, 10) is not None


def test_no_profiles_no_label() -> None:
    episode = ok(doc(SIMPLE_SCENES))
    assert scoring.profile_for(episode, 100) is None


def test_fractional_profile_min() -> None:
    episode = ok(doc(SIMPLE_SCENES, extra="profiles:\n  - {min: 0, label: A}\n"
                     "  - {min: 49.5, label: B}\n"))
    assert scoring.profile_for(episode, 49).label.values == {"en": "A"}  # type: ignore
    assert scoring.profile_for(episode, 50).label.values == {"en": "B"}  # type: ignore


ENDING_PROFILES = """\
profiles:
  - {min: 0, label: Cowboy}
  - {min: 50, label: Seller, endings: [good, mixed]}
  - {min: 80, label: Smart, endings: [good]}
"""

TWO_ENDINGS = """\
a:
  choices:
    - {id: honest, text: Honest, score: {d: 1}, goto: good}
    - {id: lie, text: Lie, score: {d: 1}, goto: mixed}
    - {id: worse, text: Worse, score: {d: 1}, goto: bad}
good:
  ending: {kind: good}
mixed:
  ending: {kind: mixed}
bad:
  ending: {kind: bad}
"""


@pytest.mark.parametrize("choice,label", [("honest", "Smart"), ("lie", "Seller"),
                                          ("worse", "Cowboy")])
def test_a_profile_with_endings_is_given_only_to_runs_that_reach_one(choice: str,
                                                                       label: str) -> None:
    """The same 100 % reads "Smart" after the good ending only: a lie that closed it does not
    read as mastery."""
    episode = ok(doc(TWO_ENDINGS, extra=ENDING_PROFILES))
    state, _ = engine.choose(episode, engine.begin(episode)[0], choice)
    debrief = build(episode, state, analyse(episode))
    assert debrief.overall == 100
    assert debrief.profile is not None and debrief.profile.label.values == {"en": label}
    assert debrief.to_json()["overall"]["label"] == label  # type: ignore[index]


def test_profile_endings_must_be_ending_kinds() -> None:
    text = doc(SIMPLE_SCENES, extra="profiles:\n  - {min: 0, label: A, endings: [good, happy]}\n")
    errors = errors_of(text)
    assert [(e.line, e.column) for e in errors] == [locate(text, "happy")]
    assert "good, mixed, bad" in errors[0].message and "happy" in errors[0].message


def test_debrief_of_ep00_matches_cli_example() -> None:
    episode = ok(EP00_TEXT)
    analysis = analyse(episode)
    state = engine.replay(episode, ["fix-profile", "personal"])
    assert build(episode, state, analysis).to_json("fr") == {
        "episode": "ep00-first-invite",
        "ending": {"scene": "accepted", "kind": "good"},
        "scenes": ["monday", "invite", "verdict", "accepted"],
        "path": [{"scene": "monday", "choice": "fix-profile"},
                 {"scene": "invite", "choice": "personal"}],
        "scores": {"brand": {"raw": 2, "min": 0, "max": 2, "percent": 100},
                   "relationship": {"raw": 2, "min": -2, "max": 2, "percent": 100}},
        "overall": {"percent": 100, "label": None},
        "variables": {"profile_ready": True, "invitations": 1},
    }


def test_run_in_progress_is_clamped() -> None:
    episode = ok(doc("""\
        a:
          on_enter: {score: {d: 5}}
          choices:
            - text: Go
              score: {d: -5}
              feedback: F
              goto: end
        end:
          ending: {kind: good}
        """))
    analysis = analyse(episode)
    assert analysis.bounds == {"d": (0, 0)}
    state, _ = engine.begin(episode)
    debrief = build(episode, state, analysis)
    assert debrief.dimensions[0].raw == 5 and debrief.dimensions[0].percent == 100
    assert debrief.to_json()["ending"] is None


def test_debrief_label_uses_the_profile() -> None:
    episode = ok(doc(SIMPLE_SCENES, extra=PROFILES))
    analysis = analyse(episode)
    best = build(episode, engine.replay(episode, ["go"]), analysis)
    worst = build(episode, engine.replay(episode, ["stay"]), analysis)
    assert best.to_json()["overall"] == {"percent": 100, "label": "Expert"}
    assert worst.to_json()["overall"] == {"percent": 0, "label": "Beginner"}
