"""What a decision cost (core.transfer.costs), the key decisions and the proposals: measured
over the choices that were shown, against the best run, which knows delayed payoffs."""

from __future__ import annotations

import pytest
from core_support import doc, ok

from sam_cowboy.commands.common import load_playable
from sam_cowboy.core import engine, transfer
from sam_cowboy.core.analysis import Analysis, analyse
from sam_cowboy.core.debrief import Debrief, build, impact_weights
from sam_cowboy.core.model import Episode
from sam_cowboy.library import builtin_dir

# The best run is slow, reward, thank (5): `slow` scores nothing on the spot but opens
# `reward` (hidden unless patient); `side` is a detour the best run never takes.
SCENES = """\
a:
  text: A
  actions: ["Take the slow road"]
  choices:
    - {id: slow, text: Slow, set: {patient: true}, goto: b}
    - {id: quick, text: Quick, score: {d: 1}, goto: b}
    - {id: wander, text: Wander, score: {d: -1}, goto: side}
b:
  text: B
  actions: ["Ask first"]
  choices:
    - {id: reward, text: Reward, if: "patient", score: {d: 3}, goto: c}
    - {id: fine, text: Fine, score: {d: 1}, goto: c}
    - {id: poor, text: Poor, goto: c}
side:
  text: Side
  choices:
    - {id: x, text: X, score: {d: 2}, goto: c}
    - {id: y, text: Y, goto: c}
    - {id: z, text: Z, if: "patient", score: {d: 5}, goto: c}
c:
  text: C
  choices:
    - {id: thank, text: Thank, score: {d: 2}, goto: end}
    - {id: skip, text: Skip, goto: end}
end:
  ending: {kind: good}
"""

SEASONED = """\
s:
  text: S
  actions: ["Use what you know"]
  choices:
    - {id: plain, text: Plain, score: {d: 1}, goto: end}
    - {id: vet, text: Vet, if: "season('d') >= 50", score: {d: 3}, goto: end}
end:
  ending: {kind: good}
"""


def prepared(scenes: str = SCENES, start: str = "a") -> tuple[Episode, Analysis, float]:
    episode = ok(doc(scenes, variables="patient: false\n", start=start))
    analysis = analyse(episode)
    assert analysis.bounds is not None
    return episode, analysis, impact_weights(episode, analysis.bounds)["d"]


def debrief(episode: Episode, analysis: Analysis, ids: list[str],
            season: dict[str, int] | None = None) -> Debrief:
    return build(episode, engine.replay(episode, ids, season=season), analysis)


def cost_rows(episode: Episode, analysis: Analysis, w: float, ids: list[str],
              season: dict[str, int] | None = None) -> list[tuple[str, float, bool]]:
    """scene, points in raw points of `d` (w: the overall percent one is worth), left_best."""
    found = transfer.costs(episode, debrief(episode, analysis, ids, season), analysis)
    return [(c.scene, round(c.points / w, 9), c.left_best) for c in found]


def test_the_best_run_costs_nothing_though_its_first_choice_scores_less() -> None:
    episode, analysis, w = prepared()
    assert analysis.best_run is not None
    assert [c for _, c in analysis.best_run.path] == ["slow", "reward", "thank"]
    d = debrief(episode, analysis, ["slow", "reward", "thank"])
    found = transfer.costs(episode, d, analysis)
    assert [c.points for c in found] == [0.0, 0.0, 0.0]
    assert not any(c.costly for c in found)
    offer = transfer.proposals(episode, d, analysis, "en")  # D4: keep doing what was right
    assert (offer.scene, offer.choice, offer.actions) == ("a", "slow", ("Take the slow road",))
    # no deviation: the largest score changes, as before
    assert [k.scene for k in d.key_decisions] == ["b", "c"]


def test_a_hidden_choice_is_not_the_reference() -> None:
    episode, analysis, w = prepared()
    # reward was hidden (not patient): fine was the best shown, so b costs nothing more
    rows = cost_rows(episode, analysis, w, ["quick", "fine", "thank"])
    assert ("b", 0.0, True) in rows
    # poor against fine (the best shown), not against the hidden reward
    rows = cost_rows(episode, analysis, w, ["quick", "poor", "thank"])
    assert rows[0] == ("b", 1.0, True)
    # once patient, reward was shown and was the best run's choice there
    rows = cost_rows(episode, analysis, w, ["slow", "fine", "thank"])
    assert rows[0] == ("b", 2.0, True)
    assert ("a", 0.0, False) in rows


def test_leaving_the_best_run_is_a_cost_even_when_it_scored_more() -> None:
    episode, analysis, w = prepared()
    d = debrief(episode, analysis, ["quick", "fine", "skip"])
    found = transfer.costs(episode, d, analysis)
    # c: thank was shown (2w); b: 0 (reward hidden); a: quick scored more than slow (-w)
    assert [(c.scene, c.left_best) for c in found] == [("c", True), ("b", True), ("a", True)]
    assert found[0].points == pytest.approx(2 * w)
    assert found[2].points == 0.0 and found[2].costly
    offer = transfer.proposals(episode, d, analysis, "en")
    assert (offer.scene, offer.choice) == ("b", "fine")  # c has no actions
    d = debrief(episode, analysis, ["quick", "fine", "thank"])
    offer = transfer.proposals(episode, d, analysis, "en")
    assert (offer.scene, offer.choice) == ("b", "fine")  # equal (0): the earlier is b, not a


def test_a_scene_the_best_run_never_visits_keeps_the_direct_difference() -> None:
    episode, analysis, w = prepared()
    rows = cost_rows(episode, analysis, w, ["wander", "y", "thank"])
    # against x (2w), not the hidden z (5w); side is not the best run's: not `left_best`
    assert ("side", 2.0, False) in rows
    assert ("a", 1.0, True) in rows


def test_the_replay_sees_the_runs_season() -> None:
    episode, analysis, w = prepared(SEASONED, start="s")
    assert analysis.best_run is not None and analysis.best_run.path == [("s", "vet")]
    assert cost_rows(episode, analysis, w, ["plain"], {"d": 80}) == [("s", 2.0, True)]
    assert cost_rows(episode, analysis, w, ["plain"]) == [("s", 0.0, True)]  # vet was hidden


def test_key_decisions_list_where_the_run_left_the_best_run_first() -> None:
    episode, analysis, w = prepared()
    d = debrief(episode, analysis, ["slow", "poor", "thank"])
    # poor changed no score, yet it is where the run left the best run: listed first
    assert [(k.scene, k.choice, k.verdict) for k in d.key_decisions] == [
        ("b", "poor", "other"), ("c", "thank", "same")]
    assert d.key_decisions[0].impact == 0 and d.key_decisions[0].changes == {}
    assert set(d.to_json()) == {"episode", "ending", "scenes", "path", "scores", "overall",
                                "variables"}


def builtin(stem: str) -> tuple[Episode, Analysis]:
    return load_playable(str(next(builtin_dir().glob(stem + "-*.yaml"))))


@pytest.mark.parametrize(("stem", "scene", "choice"), [
    ("ep04", "monday-meeting", "own-flop"), ("ep05", "codir", "roi-leads")])
def test_builtin_best_runs_cost_nothing(stem: str, scene: str, choice: str) -> None:
    episode, analysis = builtin(stem)
    assert analysis.best_run is not None
    d = build(episode, engine.replay(episode, [c for _, c in analysis.best_run.path]), analysis)
    assert not any(c.costly for c in transfer.costs(episode, d, analysis))
    offer = transfer.proposals(episode, d, analysis, "en")
    assert episode.transfer is not None
    first = next((s, c) for s, c in d.state.path if s in episode.transfer.actions)
    assert (offer.scene, offer.choice) == first == (scene, choice)
    assert offer.actions and all(d.verdict == "same" for d in d.key_decisions)


def finish(episode: Episode, analysis: Analysis, ids: list[str]) -> engine.State:
    """Play `ids`, then the best run's choice where shown, else the first shown."""
    assert analysis.best_run is not None
    best = dict(analysis.best_run.path)
    state = engine.replay(episode, ids)
    while not state.finished:
        shown = [c.id for c in engine.choices_shown(episode, state)]
        pick = best.get(state.scene, "")
        state, _ = engine.choose(episode, state, pick if pick in shown else shown[0])
    return state


def test_ep05_codir_is_not_blamed_for_a_choice_it_never_showed() -> None:
    """The review's example (D2): roi-leads is shown only if prep == 'listen'."""
    episode, analysis = builtin("ep05")
    d = build(episode, finish(episode, analysis, ["prep-story", "roi-pilot"]), analysis)
    codir = next(c for c in transfer.costs(episode, d, analysis) if c.scene == "codir")
    assert codir.points == 0.0 and codir.left_best  # roi-pilot was the best shown
    d = build(episode, finish(episode, analysis, ["prep-listen", "roi-pilot"]), analysis)
    codir = next(c for c in transfer.costs(episode, d, analysis) if c.scene == "codir")
    assert codir.points > 0  # roi-leads was shown this time
