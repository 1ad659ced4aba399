"""The season as an unknown input: the finitely many cases the analysis must consider.

A run's conditions see the player's earlier results through `season('d')` (a percent, or -1
when no earlier episode gave one) and `weakest()` (the dimension with the lowest latest
percent, ties to the first in the episode's order; '' without any earlier result). The loader
only lets `season('d')` be compared directly with a number, so each dimension's -1..100 splits
into intervals on which every comparison keeps its truth value. A *case* is one interval per
observed dimension plus the value of weakest() when it is used; the cases that some history
realises are exactly those kept here, each with a history that realises it. Analysing every
case gives bounds that are exact over every possible history: no fewer (each case is
realisable), no more (every history falls in a case).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from sam_cowboy.core import expr as ex
from sam_cowboy.core.model import Episode

MAX_CASES = 512


class TooManyCases(Exception):
    pass


def conditions(episode: Episode) -> list[ex.Expr]:
    out: list[ex.Expr] = []
    for scene in episode.scenes.values():
        out.extend(c.condition for c in scene.choices if c.condition is not None)
        out.extend(r.condition for r in scene.route if r.condition is not None)
    return out


def reads_season(cond: ex.Expr | None) -> bool:
    return cond is not None and bool(cond.calls("season") or cond.calls("weakest"))


def observed(episode: Episode) -> bool:
    """Whether any condition of the episode reads the season: if none does, a run plays the
    same whatever the player's history, and nobody needs to look it up."""
    return any(reads_season(c) for c in conditions(episode))


def _thresholds(conds: list[ex.Expr]) -> dict[str, set[int]]:
    """season dimension -> the numbers it is compared with."""
    out: dict[str, set[int]] = {}
    for cond in conds:
        for node in ex.walk(cond.tree):
            if isinstance(node, ex.Binary):
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(a, ex.Call) and a.function == "season":
                        t = ex.int_literal(b)
                        if t is not None:
                            out.setdefault(a.argument, set()).add(t)
            if isinstance(node, ex.Call) and node.function == "season":
                out.setdefault(node.argument, set())
    return out


def _intervals(thresholds: set[int]) -> list[tuple[int, int]]:
    """-1..100 cut where a comparison with one of `thresholds` can change its truth value."""
    starts = {ex.UNKNOWN, 0}
    for t in thresholds:
        starts.update(x for x in (t, t + 1) if ex.UNKNOWN <= x <= 100)
    ordered = sorted(starts)
    return [(lo, (ordered[k + 1] - 1) if k + 1 < len(ordered) else 100)
            for k, lo in enumerate(ordered)]


def cases(episode: Episode) -> list[ex.Season]:
    """One realising history per case; [] when no condition reads the season."""
    conds = conditions(episode)
    if not any(reads_season(c) for c in conds):
        return []
    observed = _thresholds(conds)
    dims = list(observed)
    uses_weakest = any(c.calls("weakest") for c in conds)
    order = tuple(episode.dimensions)
    rank = {d: i for i, d in enumerate(order)}
    per_dim = [_intervals(observed[d]) for d in dims]
    out: list[ex.Season] = []
    for combo in itertools.product(*per_dim):
        present = {d: iv for d, iv in zip(dims, combo, strict=True) if iv[0] != ex.UNKNOWN}
        if not uses_weakest:
            history = {d: lo for d, (lo, _) in present.items()}
            out.append(ex.Season(history, order))
        else:
            out.extend(_weakest_cases(present, set(dims), order, rank))
        if len(out) > MAX_CASES:
            raise TooManyCases()
    return out


def _weakest_cases(present: dict[str, tuple[int, int]], observed: set[str],
                   order: tuple[str, ...], rank: dict[str, int]) -> list[ex.Season]:
    """For fixed intervals, a history for each value weakest() can take.

    weakest() = w needs w present at some v_w and every other present d above it (strictly
    when d comes first in the episode's order). Taking v_w as low as its interval allows and
    every other d at the top of its interval is possible exactly when the case is; a
    dimension no condition observes may join the history just for weakest()."""
    out = [ex.Season({}, order)] if not present else []  # '': no earlier result at all
    for w in order:
        if w in observed and w not in present:
            continue  # its interval says it has no earlier result
        v_w = present[w][0] if w in present else 0
        history = {w: v_w}
        for d, (_, hi) in present.items():
            if d == w:
                continue
            if hi < v_w or (hi == v_w and rank[d] < rank[w]):
                break
            history[d] = hi
        else:
            season = ex.Season(history, order)
            assert season.weakest == w
            out.append(season)
    return out


def latest(results: Iterable[Mapping[str, tuple[int, bool]]]) -> dict[str, int]:
    """The season input from a player's finished runs of earlier episodes, oldest first:
    each run maps a dimension to (percent, exercised). A dimension's value is its percent in
    the most recent run that exercised it; a percent the run did not exercise says nothing
    about the player (docs/format-notes.md), so it never overwrites an earlier one."""
    out: dict[str, int] = {}
    for run in results:
        for dim, (percent, exercised) in run.items():
            if exercised:
                out[dim] = percent
    return out
