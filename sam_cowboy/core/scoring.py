"""From raw scores to the percentages and posture label of the debrief.

All arithmetic is exact (fractions) and rounds half away from zero, as the spec requires, so
the app, `run` and the analysis always agree to the unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

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


def profile_for(episode: Episode, overall_percent: int) -> Profile | None:
    """The profile with the highest `min` not above the overall percent."""
    chosen = None
    for profile in episode.profiles:
        if profile.min <= overall_percent and (chosen is None or profile.min >= chosen.min):
            chosen = profile
    return chosen
