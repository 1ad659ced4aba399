"""Which observables a resting state must keep: those a later condition may still read.

An observable is a variable, a visit count, a score or a `once` choice that some condition
(or `once`) observes. At a scene where players choose, an observable matters only if some
path ahead reads it before a `set` overwrites it (liveness), and only if it can differ from
its initial value there: no scene before every change of it needs it. Each observable's live
region is computed on its own, walking backwards from where it is read and stopping before
the first scene that could change it, so the total work is the sum of the regions, not
scenes times observables.
"""

from __future__ import annotations

from collections.abc import Mapping

from sam_cowboy.core.graphs import breadth_first_order
from sam_cowboy.core.model import Effects, Episode


class Observables:
    """The numbering: variables, then visit counts, then scores, then once choices."""

    def __init__(self, variables: list[str], visits: list[str], scores: list[str],
                 once: list[tuple[str, str]]) -> None:
        self.var = {n: i for i, n in enumerate(variables)}
        base = len(variables)
        self.visit = {n: base + i for i, n in enumerate(visits)}
        base += len(visits)
        self.score = {n: base + i for i, n in enumerate(scores)}
        base += len(scores)
        self.once = {key: base + i for i, key in enumerate(once)}
        self.count = base + len(once)


def _effects(obs: Observables, effects: Effects, scene: str,
             mods: dict[int, set[str]]) -> set[int]:
    """Record which observables `effects` change at `scene`; return the variables it sets."""
    for name in (*effects.set, *effects.add):
        i = obs.var.get(name)
        if i is not None:
            mods.setdefault(i, set()).add(scene)
    for dim in effects.score:
        i = obs.score.get(dim)
        if i is not None:
            mods.setdefault(i, set()).add(scene)
    return {obs.var[n] for n in effects.set if n in obs.var}


def live_at_rest(episode: Episode, obs: Observables) -> Mapping[str, frozenset[int]]:
    """scene -> the observables a resting state there must keep."""
    scenes = episode.scenes
    ids = list(scenes)
    number = {sid: k for k, sid in enumerate(ids)}
    succ = [[number[c.goto] for c in sc.choices] + [number[r.goto] for r in sc.route]
            for sc in scenes.values()]
    order = breadth_first_order(succ, number[episode.start])
    topo = {sid: order[number[sid]] for sid in ids}  # -1: no run reaches it

    mods: dict[int, set[str]] = {}
    rest_reads: dict[int, set[str]] = {}
    route_reads: dict[int, set[str]] = {}
    enter_kills: dict[str, set[int]] = {}
    choice_preds: dict[str, list[tuple[str, set[int]]]] = {sid: [] for sid in ids}
    route_preds: dict[str, list[str]] = {sid: [] for sid in ids}
    for sid, sc in scenes.items():
        if topo[sid] < 0:
            continue  # what an unreachable scene does or reads never matters
        i = obs.visit.get(sid)
        if i is not None:
            mods.setdefault(i, set()).add(sid)
        enter_kills[sid] = _effects(obs, sc.on_enter, sid, mods)
        for c in sc.choices:
            kills = _effects(obs, c.effects, sid, mods)
            choice_preds[c.goto].append((sid, kills))
            reads = _reads(obs, c.condition)
            once = obs.once.get((sid, c.id))
            if once is not None:
                mods.setdefault(once, set()).add(sid)
                reads.add(once)
            for r in reads:
                rest_reads.setdefault(r, set()).add(sid)
        for entry in sc.route:
            route_preds[entry.goto].append(sid)
            for r in _reads(obs, entry.condition):
                route_reads.setdefault(r, set()).add(sid)

    live: dict[str, set[int]] = {}
    for i, changed_at in mods.items():
        first = min(topo[s] for s in changed_at)
        rest_live: set[str] = set()
        enter_live: set[str] = set()
        work: list[tuple[bool, str]] = [(True, s) for s in rest_reads.get(i, ())]
        work += [(False, s) for s in route_reads.get(i, ()) if i not in enter_kills[s]]
        while work:
            at_rest, sid = work.pop()
            if topo[sid] < first:
                continue  # no change of it can have happened yet: it still has its initial value
            if at_rest:
                if sid in rest_live:
                    continue
                rest_live.add(sid)
                live.setdefault(sid, set()).add(i)
                if i not in enter_kills[sid]:
                    work.append((False, sid))
                continue
            if sid in enter_live:
                continue
            enter_live.add(sid)
            for pred, kills in choice_preds[sid]:
                if i not in kills:
                    work.append((True, pred))
            for pred in route_preds[sid]:
                if i not in enter_kills[pred]:
                    work.append((False, pred))
    return {sid: frozenset(live.get(sid, ())) for sid in ids}


def _reads(obs: Observables, cond: object) -> set[int]:
    from sam_cowboy.core.expr import Expr

    if not isinstance(cond, Expr):
        return set()
    out = {obs.var[n] for n in cond.variables()}
    out.update(obs.visit[s] for s in cond.calls("visits"))
    out.update(obs.score[d] for d in cond.calls("score"))
    return out
