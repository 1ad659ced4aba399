"""From raw scores to the percentages and posture label of the debrief.

All arithmetic is exact (fractions) and rounds half away from zero, as the spec requires, so
the app, `run` and the analysis always agree to the unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from sam_cowboy.core import engine
from sam_cowboy.core.engine import State
from sam_cowboy.core.model import Episode, Profile

Bounds = Mapping[str, tuple[int, int]]


def round_half_away(x: Fraction) -> int:
    n = int(abs(x) + Fraction(1, 2))
    return n if x >= 0 else -n


def percent(raw: int, low: int, high: int) -> int:
    if high == low:
        return 100
    p = round_half_away(Fraction(100 * (raw - low), high - low))
    return max(0, min(100, p))


def percents(episode: Episode, scores: Mapping[str, int], bounds: Bounds) -> dict[str, int]:
    return {d: percent(scores.get(d, 0), *bounds[d]) for d in episode.dimensions}


def overall(episode: Episode, dim_percents: Mapping[str, int]) -> int:
    total = Fraction(0)
    weights = Fraction(0)
    for did, dim in episode.dimensions.items():
        w = Fraction(str(dim.weight))  # the decimal the author wrote, not its binary float
        total += w * dim_percents[did]
        weights += w
    return round_half_away(total / weights) if weights else 100


def profile_for(episode: Episode, overall_percent: int,
                ending_kind: str | None = None) -> Profile | None:
    """The profile with the highest `min` not above the overall percent, among those given
    to the run's ending (a profile with `endings` needs a run that reached one of them)."""
    chosen = None
    for profile in episode.profiles:
        if profile.endings is not None and ending_kind not in profile.endings:
            continue
        if profile.min <= overall_percent and (chosen is None or profile.min >= chosen.min):
            chosen = profile
    return chosen


def exercised(episode: Episode, state: State, start: State | None = None) -> dict[str, bool]:
    """Per dimension: did the run meet a decision that bears on it?

    A dimension is exercised when a score change on it was applied during the run, or when
    at one of the run's decisions a choice shown there would have changed it (its own
    `score`, or the `on_enter` of the scenes it leads to). A dimension that is not exercised
    sits at the percent of a raw 0, which says nothing about the player: the debrief shows
    "not seen on this path" instead. The run is replayed from `start` (default: the
    episode's start) to know exactly which choices were shown; a run that cannot be replayed
    from there (a test run begun mid-episode with preset variables) falls back to every
    choice of the scenes where it decided.
    """
    seen = {dim for _, _, dim, delta in state.changes if delta}
    try:
        seen |= _offered(episode, state,
                         start or engine.begin(episode, season=state.season.values)[0])
    except engine.EngineError:
        for scene_id, _ in state.path:
            for choice in episode.scenes[scene_id].choices:
                seen |= {d for d, v in choice.effects.score.items() if v}
                target = episode.scenes[choice.goto].on_enter.score
                seen |= {d for d, v in target.items() if v}
    return {did: did in seen for did in episode.dimensions}


def _offered(episode: Episode, state: State, start: State) -> set[str]:
    """Dimensions some shown choice of the run would have changed."""
    seen: set[str] = set()
    current = start
    for scene_id, choice_id in state.path:
        if current.scene != scene_id:
            raise engine.EngineError(f"the run does not pass through `{scene_id}` here")
        for choice in engine.choices_shown(episode, current):
            after, _ = engine.choose(episode, current, choice.id)
            seen |= {d for d in episode.dimensions
                     if after.scores.get(d, 0) != current.scores.get(d, 0)}
        current, _ = engine.choose(episode, current, choice_id)
    return seen


def weakest(episode: Episode, dim_percents: Mapping[str, int],
            seen: Mapping[str, bool] | None = None) -> str | None:
    """The dimension to work on: the lowest percent among the exercised dimensions; ties go
    to the episode's `focus`, then to the heaviest weight, then to the first declared."""
    candidates = [d for d in episode.dimensions if seen is None or seen.get(d, False)]
    if not candidates:
        return None
    order = list(episode.dimensions)
    return min(candidates, key=lambda d: (dim_percents[d], d != episode.focus,
                                          -episode.dimensions[d].weight, order.index(d)))
