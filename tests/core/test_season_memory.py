"""season('d') and weakest(): parsing, type checks, the engine input, and the analysis,
whose bounds must be exact over every possible history (checked by brute force)."""

from __future__ import annotations

import pytest
from core_support import doc, errors_of, load, locate, ok
from hypothesis import given, settings
from hypothesis import strategies as st

from sam_cowboy.core import engine, scoring
from sam_cowboy.core import season as seasons
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.model import Episode

DIMS = """\
dimensions:
  brand: {label: Brand}
  relationship: {label: Relationship}
"""

RECALL = """\
a:
  route:
    - if: "weakest() == 'relationship'"
      goto: rel
    - if: "season('brand') >= 0 and season('brand') < 50"
      goto: brd
    - goto: fresh
rel:
  choices:
    - text: Warm note
      score: {relationship: 2}
      feedback: Yes.
      goto: end
    - text: Pitch
      score: {relationship: -1}
      feedback: No.
      goto: end
    - text: Referral
      if: "season('relationship') > 70"
      score: {relationship: 3, brand: 1}
      feedback: Only for the strong.
      goto: end
brd:
  choices:
    - text: Fix headline
      score: {brand: 2}
      feedback: Yes.
      goto: end
    - text: Keep CV
      score: {brand: -2}
      feedback: No.
      goto: end
fresh:
  choices:
    - text: Start
      score: {brand: 1, relationship: 1}
      feedback: Fine.
      goto: end
    - text: Ghost
      if: "season('relationship') == -1"
      score: {relationship: -3}
      feedback: Ouch.
      goto: end
end:
  ending: {kind: good}
"""


def recall() -> Episode:
    return ok(doc(RECALL, dims=DIMS))


def runs(episode: Episode, history: dict[str, int]) -> list[engine.State]:
    """Every complete run under one history, with the real engine."""
    out = []
    stack = [engine.begin(episode, season=history)[0]]
    while stack:
        state = stack.pop()
        if state.finished:
            out.append(state)
            continue
        for c in engine.choices_shown(episode, state):
            stack.append(engine.choose(episode, state, c.id)[0])
    return out


# ------------------------------------------------------------------ language

def test_season_and_weakest_type_check() -> None:
    ep = recall()
    cond = ep.scenes["a"].route[0].condition
    assert cond is not None and cond.calls("weakest") == {""}
    for bad, message, needle in [
        ("weakest() == 1", "`==` compares a text with a number", "=="),
        ("season('brnd') > 1", "season() names an unknown dimension `brnd` (did you mean",
         "'brnd'"),
        ("season('brand') + 1 > 3", "compare season('brand') directly with a number",
         "season('brand') +"),
        ("weakest('brand') == ''", "weakest() takes no argument", "'brand') =="),
        ("season(brand) > 1", "season() takes one quoted id", "brand) >"),
    ]:
        text = doc(RECALL.replace("weakest() == 'relationship'", bad), dims=DIMS)
        found = [f for f in errors_of(text) if message in f.message]
        assert len(found) == 1, (bad, [f.message for f in errors_of(text)])
        line, col = locate(text, bad)
        assert (found[0].line, found[0].column) == (line, col + bad.index(needle)), bad


def test_a_variable_cannot_be_called_season() -> None:
    result = load(doc(RECALL, dims=DIMS, variables="season: 1\n"))
    assert any("word of the condition language" in f.message for f in result.errors)


# ------------------------------------------------------------------ engine

def test_the_engine_takes_the_season_as_input() -> None:
    ep = recall()
    assert engine.begin(ep)[0].scene == "fresh"  # no history: season() is -1, weakest() ''
    assert engine.begin(ep, season={"brand": 30, "relationship": 80})[0].scene == "brd"
    state = engine.begin(ep, season={"brand": 60, "relationship": 20})[0]
    assert state.scene == "rel" and state.season.weakest == "relationship"
    assert [c.text.values["en"] for c in engine.choices_shown(ep, state)] == ["Warm note",
                                                                             "Pitch"]
    # a tie goes to the first dimension of the episode; unknown dimensions are left out
    tie = engine.begin(ep, season={"relationship": 40, "brand": 40, "other": 1})[0]
    assert tie.season.weakest == "brand" and tie.season.get("other") == -1
    with pytest.raises(engine.EngineError, match="percent from 0 to 100, not 101"):
        engine.begin(ep, season={"brand": 101})
    assert scoring.exercised(ep, engine.choose_number(ep, state, 1)[0])["relationship"]


# ------------------------------------------------------------------ analysis

ALL = [None, *range(101)]


def every_history() -> list[dict[str, int]]:
    return [{k: v for k, v in (("brand", b), ("relationship", r)) if v is not None}
            for b in ALL for r in ALL]


def test_bounds_and_best_run_are_exact_over_every_history() -> None:
    ep = recall()
    analysis = analyse(ep)
    assert analysis.bounds is not None and analysis.best_run is not None
    assert analysis.worst_run is not None
    lows: dict[str, int] = {}
    highs: dict[str, int] = {}
    overalls: list[int] = []
    entered: set[str] = set()
    for history in every_history():
        for state in runs(ep, history):
            entered.update(state.scenes)
            for d, v in state.scores.items():
                lows[d] = min(lows.get(d, v), v)
                highs[d] = max(highs.get(d, v), v)
            overalls.append(scoring.overall(ep, scoring.percents(ep, state.scores,
                                                                 analysis.bounds)))
    assert analysis.bounds == {d: (lows[d], highs[d]) for d in ep.dimensions}
    assert analysis.best_run.overall == max(overalls)
    assert analysis.worst_run.overall == min(overalls)
    assert set(analysis.unreachable) == set(ep.scenes) - entered
    # the best run says under which history it is possible, and it replays there
    best = analysis.best_run
    assert best.season is not None
    state = engine.replay(ep, [c for _, c in best.path], season=best.season)
    assert state.finished and dict(state.scores) == best.scores


def test_a_choice_only_some_histories_allow_is_not_reported_as_never_shown() -> None:
    findings = analyse(recall()).findings
    assert not [f for f in findings if f.severity == "warning"], [f.message for f in findings]


def test_the_cases_are_few_and_each_is_a_real_history() -> None:
    ep = recall()
    cases = seasons.cases(ep)
    # brand: -1 | 0..49 | 50..100; relationship: -1 | 0 | 1..70 | 71..100; weakest: 3 values
    assert 0 < len(cases) <= 3 * 4 * 3
    for case in cases:
        assert engine.make_season(ep, case.values) == case or not case.values


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["brand", "relationship", "insight"]),
                       st.integers(0, 100)))
def test_no_history_leaves_the_bounds(history: dict[str, int]) -> None:
    ep = ok(doc(RECALL, dims=DIMS + "  insight: {label: Insight}\n"))
    analysis = analyse(ep)
    assert analysis.bounds is not None and analysis.best_run is not None
    for state in runs(ep, history):
        for d, (lo, hi) in analysis.bounds.items():
            assert lo <= state.scores[d] <= hi
        pct = scoring.overall(ep, scoring.percents(ep, state.scores, analysis.bounds))
        assert pct <= analysis.best_run.overall


def test_the_season_input_is_the_latest_exercised_percent() -> None:
    runs = [{"brand": (30, True), "relationship": (80, True)},
            {"brand": (90, True), "relationship": (10, False)},  # not met: says nothing
            {"insight": (55, True)}]
    assert seasons.latest(runs) == {"brand": 90, "relationship": 80, "insight": 55}
    assert seasons.latest([]) == {}


def test_observed_says_whether_any_condition_reads_the_season() -> None:
    from sam_cowboy.core.loader import load_episode
    from sam_cowboy.library import builtin_dir, episode_files

    reads = {load_episode(f).require().id: seasons.observed(load_episode(f).require())
             for f in episode_files(builtin_dir())}
    assert reads["ep01-google-test"] is False and reads["ep02-first-steps"] is False
    assert all(reads[e] for e in ("ep03-sharing-insight", "ep04-illectronisme",
                                  "ep05-accessible-director", "ep06-seminar"))
