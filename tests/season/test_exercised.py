"""`exercised`: did a run meet a decision bearing on each dimension? The run-time answer
(scoring.exercised, `run --json`) and the static one (analysis.unexercised, `check`) agree."""

from __future__ import annotations

import json
import random
import textwrap
from pathlib import Path

import pytest

from sam_cowboy.cli import main
from sam_cowboy.core import engine, scoring
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode, load_episode_data
from sam_cowboy.core.model import Episode

ROOT = Path(__file__).resolve().parents[2]

BRANCHES = """\
sam_cowboy: 1
id: branches
title: Branches
dimensions:
  brand: {label: Brand}
  relationship: {label: Relationship}
  insight: {label: Insight}
variables:
  open: false
start: a
scenes:
  a:
    choices:
      - id: talk
        text: talk
        score: {brand: 1}
        feedback: ok
        goto: invite
      - id: skip
        text: skip
        score: {brand: -1}
        feedback: ok
        goto: post
  invite:
    choices:
      - id: note
        text: a note
        score: {relationship: 1}
        feedback: ok
        goto: post
      - id: blank
        text: blank
        goto: post
  post:
    choices:
      - id: hidden
        text: only when open
        if: open
        score: {insight: 1}
        feedback: ok
        goto: end
      - id: on
        text: go on
        goto: seen
  seen:
    on_enter: {score: {insight: 0}}
    choices:
      - {id: finish, text: finish, goto: end}
  end:
    ending: {kind: good}
"""


def _episode(text: str = BRANCHES) -> Episode:
    result = load_episode_data(textwrap.dedent(text), "branches.yaml")
    assert result.episode is not None, [f.format() for f in result.findings]
    return result.episode


def _run(episode: Episode, ids: list[str]) -> engine.State:
    return engine.replay(episode, ids)


def test_a_choice_shown_but_not_taken_exercises_its_dimension() -> None:
    ep = _episode()
    seen = scoring.exercised(ep, _run(ep, ["talk", "blank", "on", "finish"]))
    assert seen == {"brand": True, "relationship": True, "insight": False}


def test_a_skipped_scene_leaves_its_dimension_unexercised() -> None:
    ep = _episode()
    seen = scoring.exercised(ep, _run(ep, ["skip", "on", "finish"]))
    assert seen["relationship"] is False and seen["brand"] is True


def test_a_hidden_choice_does_not_count_but_a_shown_one_does() -> None:
    text = BRANCHES.replace("  open: false", "  open: true")
    ep = _episode(text)
    seen = scoring.exercised(ep, _run(ep, ["skip", "on", "finish"]))
    assert seen["insight"] is True


def test_on_enter_scores_count() -> None:
    text = BRANCHES.replace("{score: {insight: 0}}", "{score: {insight: 1}}")
    ep = _episode(text)
    assert scoring.exercised(ep, _run(ep, ["skip", "on", "finish"]))["insight"] is True


def test_analysis_finds_a_witness_for_each_unexercised_dimension() -> None:
    ep = _episode()
    analysis = analyse(ep)
    assert set(analysis.unexercised) == {"relationship", "insight"}
    for did, (path, ending) in analysis.unexercised.items():
        state = _run(ep, [c for _, c in path])
        assert state.ending == ending
        assert scoring.exercised(ep, state)[did] is False


def test_weakest_prefers_the_focus_on_ties_and_skips_the_unexercised() -> None:
    text = BRANCHES.replace("start: a", "focus: relationship\nstart: a")
    ep = _episode(text)
    percents = {"brand": 50, "relationship": 50, "insight": 0}
    assert scoring.weakest(ep, percents) == "insight"
    seen = {"brand": True, "relationship": True, "insight": False}
    assert scoring.weakest(ep, percents, seen) == "relationship"
    assert scoring.weakest(_episode(), percents, seen) == "brand"  # no focus: first declared
    assert scoring.weakest(ep, percents, dict.fromkeys(percents, False)) is None


def _random_runs(episode: Episode, n: int, seed: int = 1) -> list[engine.State]:
    rng = random.Random(seed)
    runs = []
    for _ in range(n):
        state, _ = engine.begin(episode)
        for _ in range(500):
            shown = engine.choices_shown(episode, state)
            if not shown:
                break
            state, _ = engine.choose(episode, state, rng.choice(shown).id)
        if state.ending is not None:
            runs.append(state)
    return runs


BUILTIN = sorted(p for p in (ROOT / "episodes").glob("*.yaml") if p.name != "series.yaml")


@pytest.mark.parametrize("path", BUILTIN, ids=[p.stem for p in BUILTIN])
def test_static_and_run_time_answers_agree_on_the_builtin_episodes(path: Path) -> None:
    episode = load_episode(path).episode
    if episode is None:
        pytest.skip("being rewritten")
    analysis = analyse(episode)
    for did, (steps, ending) in analysis.unexercised.items():
        state = _run(episode, [c for _, c in steps])
        assert state.ending == ending and scoring.exercised(episode, state)[did] is False
    for state in _random_runs(episode, 300):
        for did, ok in scoring.exercised(episode, state).items():
            if did not in analysis.unexercised:
                assert ok, (did, state.path)


def test_run_json_and_text_say_exercised(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "branches.yaml"
    path.write_text(textwrap.dedent(BRANCHES), encoding="utf-8")
    assert main(["run", str(path), "--choice-ids", "skip,on,finish", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d: s["exercised"] for d, s in data["scores"].items()} == {
        "brand": True, "relationship": False, "insight": False}
    assert set(data["scores"]["brand"]) == {"raw", "min", "max", "percent", "exercised"}
    assert main(["run", str(path), "--choice-ids", "skip,on,finish"]) == 0
    out = capsys.readouterr().out
    assert "relationship: " in out and out.count("not seen on this path") == 2


def test_check_warns_when_a_path_skips_a_dimension(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "branches.yaml"
    path.write_text(textwrap.dedent(BRANCHES), encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "without meeting" in line]
    assert len(lines) == 2
    end_line = textwrap.dedent(BRANCHES).splitlines().index("  end:") + 1
    assert all(line.startswith(f"{path}:{end_line}:3: warning:") for line in lines)
    assert any("`relationship`" in line and "a/skip" in line for line in lines)
