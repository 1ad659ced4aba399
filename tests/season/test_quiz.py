"""The pre/post quiz: ten scored questions, in the library but not in the season's order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sam_cowboy.authoring.stats import craft
from sam_cowboy.core import engine, scoring
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode, load_series
from sam_cowboy.library import builtin_library

ROOT = Path(__file__).resolve().parents[2]
QUIZ = ROOT / "episodes" / "quiz-social-selling.yaml"


def _quiz():  # type: ignore[no-untyped-def]
    return load_episode(QUIZ).require()


def test_check_is_clean() -> None:
    out = subprocess.run([sys.executable, "-m", "sam_cowboy", "check", str(QUIZ)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "1 file checked: 0 errors, 0 warnings", \
        out.stdout


def test_in_the_library_not_in_the_season_order() -> None:
    assert "quiz-social-selling" in builtin_library().ids()
    series = load_series(ROOT / "episodes" / "series.yaml")
    assert "quiz-social-selling" not in series.episodes


def test_ten_questions_two_per_dimension_one_right_answer_each() -> None:
    quiz = _quiz()
    questions = [s for s in quiz.scenes.values() if len(s.choices) >= 3]
    assert len(questions) == 10
    per_dim: dict[str, int] = {}
    positions = set()
    for q in questions:
        right = [c for c in q.choices if c.effects.add.get("correct")]
        assert len(right) == 1, q.id
        (dim,) = right[0].effects.score
        per_dim[dim] = per_dim.get(dim, 0) + 1
        positions.add(q.choices.index(right[0]))
        for c in q.choices:
            assert set(c.text.values) == {"fr", "en"} and c.feedback is not None
            assert set(c.feedback.values) == {"fr", "en"}
    assert per_dim == dict.fromkeys(quiz.dimensions, 2)
    assert positions == {0, 1, 2}  # the right answer is not always in the same place


def test_reading_the_lengths_does_not_pass_the_quiz() -> None:
    quiz = _quiz()
    figures = craft(quiz, analyse(quiz))
    for lang in ("fr", "en"):
        assert 3 * figures.longest[lang].count <= figures.longest[lang].decision_scenes
    assert figures.runs["longest"].kind == "bad"


def test_endings_follow_the_count_of_right_answers() -> None:
    quiz = _quiz()
    questions = [s for s in quiz.scenes.values() if len(s.choices) >= 3]
    for n_right, kind in ((10, "good"), (8, "good"), (7, "mixed"), (5, "mixed"), (4, "bad")):
        ids = ["start"]
        for i, q in enumerate(questions):
            pick = [c for c in q.choices if bool(c.effects.add) == (i < n_right)][0]
            ids.append(pick.id)
        state = engine.replay(quiz, ids)
        assert state.variables["correct"] == n_right
        assert quiz.scenes[state.ending].ending.kind == kind  # type: ignore[union-attr]
        seen = scoring.exercised(quiz, state)
        assert all(seen.values())  # every question is on every path
