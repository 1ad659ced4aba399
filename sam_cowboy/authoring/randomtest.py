"""Random playthroughs with coverage and score distributions, driven by `core.engine`.

Every decision is the engine's: which choices are shown (`engine.choices_shown`) and what a
choice does (`engine.choose`: scores, variables, feedback, routes, ending). Nothing here
knows a rule of play. What makes 10,000 runs fast is that each answer is asked of the engine
once and reused, under a key made of exactly what the engine can read to give it:

- whether choice C of scene S is shown depends only on C's `once` flag and on the values
  C's condition reads (variables, `visits()` counts, `score()` raw scores);
- what picking C does depends only on the values read by the route conditions the move may
  pass through and the old values of the variables it may `add` to (everything else it
  changes is a constant: score deltas, `set` values, visit increments).

A run's state is one flat list (variables, the visit counts some `visits()` names, raw
scores, `once` flags). On a cache miss the walker builds an engine `State` from that list,
asks the engine, and stores the answer: for visibility, one entry per choice; for a move,
slot updates (absolute values for the variables the move writes, increments for visits and
scores, the `once` flag). Later runs that reach the same keys replay the answers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from sam_cowboy.core import engine
from sam_cowboy.core.expr import Expr
from sam_cowboy.core.model import Episode

DEFAULT_RUNS = 10_000
DEFAULT_SEED = 0
DEFAULT_MAX_STEPS = 1_000

# Outcome of a run
ENDED, DEAD_END, LOOP_LIMIT = 0, 1, 2

Flat = list[object]
Getter = Callable[[Flat], object]
Update = tuple[int, object, bool]  # (slot, value, is_increment)


class _Move:
    """A cached step: where it stops and how it changes the run's flat state."""

    __slots__ = ("scene", "updates", "loop")

    def __init__(self, scene: str, updates: tuple[Update, ...], loop: bool = False) -> None:
        self.scene = scene
        self.updates = updates
        self.loop = loop  # the engine refused: the routes loop without a choice


class _SceneInfo:
    __slots__ = ("id", "ending", "ids", "visible", "moves", "fixed", "shown")

    def __init__(self, sid: str, ending: bool, ids: list[str],
                 visible: list[tuple[Getter, dict[object, bool]]],
                 moves: list[tuple[Getter, dict[object, _Move]]]) -> None:
        self.id = sid
        self.ending = ending
        self.ids = ids
        self.visible = visible
        self.moves = moves
        # no condition, no `once`: the engine's answer cannot change, keep it whole
        self.fixed = all(get is _const for get, _ in visible)
        self.shown: list[int] | None = None


def _const(flat: Flat) -> object:
    return ()


def _getter(indices: set[int]) -> Getter:
    ordered = sorted(indices)
    if not ordered:
        return _const
    if len(ordered) == 1:
        i = ordered[0]
        return lambda flat: flat[i]
    return itemgetter(*ordered)


class Walker:
    """The engine's answers for one episode, asked lazily and cached under local keys."""

    def __init__(self, episode: Episode) -> None:
        self.episode = episode
        scenes = episode.scenes
        self.dims = list(episode.dimensions)
        self.var_names = tuple(episode.variables)
        observed_visits: set[str] = set()
        for scene in scenes.values():
            for cond in self._conditions(scene):
                observed_visits |= cond.calls("visits")
        self.visit_names = tuple(sid for sid in scenes if sid in observed_visits)
        self.once_keys = tuple((sid, c.id) for sid, scene in scenes.items()
                               for c in scene.choices if c.once)
        slots: list[tuple[str, object]] = [("var", n) for n in self.var_names]
        slots += [("visits", n) for n in self.visit_names]
        slots += [("score", d) for d in self.dims]
        slots += [("once", k) for k in self.once_keys]
        self.slot = {s: i for i, s in enumerate(slots)}
        self.score_slots = [self.slot[("score", d)] for d in self.dims]
        self.scenes = {sid: self._info(sid) for sid in scenes}
        self.picked: set[tuple[str, str]] = set()
        self.entered: set[str] = set()
        self.misses = 0  # questions asked of the engine
        self.start_scene: str | None = None
        self.start_flat: Flat = []
        try:
            state, _ = engine.begin(episode)
        except engine.EngineError:
            return  # the routes loop from the very start: every run hits the loop limit
        self.entered.update(state.scenes)
        self.start_scene = state.scene
        self.start_flat = self.flat(state)

    @staticmethod
    def _conditions(scene: object) -> list[Expr]:
        conds = [c.condition for c in scene.choices if c.condition is not None]  # type: ignore[attr-defined]
        conds += [r.condition for r in scene.route if r.condition is not None]  # type: ignore[attr-defined]
        return conds

    def _reads(self, cond: Expr) -> set[int]:
        slot = self.slot
        out = {slot[("var", n)] for n in cond.variables()}
        out |= {slot[("visits", n)] for n in cond.calls("visits")}
        out |= {slot[("score", n)] for n in cond.calls("score")}
        return out

    def _info(self, sid: str) -> _SceneInfo:
        scenes = self.episode.scenes
        scene = scenes[sid]
        visible: list[tuple[Getter, dict[object, bool]]] = []
        moves: list[tuple[Getter, dict[object, _Move]]] = []
        for c in scene.choices:
            reads = self._reads(c.condition) if c.condition is not None else set()
            if c.once:
                reads.add(self.slot[("once", (sid, c.id))])
            visible.append((_getter(reads), {}))
            move_reads = {self.slot[("var", n)] for n in c.effects.add}
            seen: set[str] = set()
            todo = [c.goto]
            while todo:  # every scene this move may enter, through routes
                target = todo.pop()
                if target in seen:
                    continue
                seen.add(target)
                entered = scenes[target]
                move_reads |= {self.slot[("var", n)] for n in entered.on_enter.add}
                for r in entered.route:
                    if r.condition is not None:
                        move_reads |= self._reads(r.condition)
                    todo.append(r.goto)
            moves.append((_getter(move_reads), {}))
        return _SceneInfo(sid, scene.ending is not None, [c.id for c in scene.choices],
                          visible, moves)

    def flat(self, state: engine.State) -> Flat:
        out: Flat = [state.variables[n] for n in self.var_names]
        out += [state.visits.get(n, 0) for n in self.visit_names]
        out += [state.scores.get(d, 0) for d in self.dims]
        out += [k in state.once_used for k in self.once_keys]
        return out

    def state(self, scene: str, flat: Flat) -> engine.State:
        """An engine state with the values of `flat` (all the engine may read)."""
        nv, nvis, nd = len(self.var_names), len(self.visit_names), len(self.dims)
        variables = dict(zip(self.var_names, flat[:nv], strict=True))
        visits = {n: v for n, v in zip(self.visit_names, flat[nv:nv + nvis], strict=True) if v}
        scores = dict(zip(self.dims, flat[nv + nvis:nv + nvis + nd], strict=True))
        once = frozenset(k for k, used in zip(self.once_keys, flat[nv + nvis + nd:],
                                               strict=True) if used)
        ending = scene if self.episode.scenes[scene].ending is not None else None
        return engine.State(scene, variables, visits, scores, once,  # type: ignore[arg-type]
                            ending=ending)

    def shown(self, info: _SceneInfo, flat: Flat) -> list[int]:
        """Indices of the choices shown in `info`'s scene for this flat state."""
        out = []
        for i, (get, cache) in enumerate(info.visible):
            v = cache.get(get(flat))
            if v is None:
                v = self.ask_visible(info, flat)[i]
            if v:
                out.append(i)
        return out

    def ask_visible(self, info: _SceneInfo, flat: Flat) -> list[bool]:
        """Ask the engine which choices it shows; cache each answer under its own key."""
        self.misses += 1
        state = self.state(info.id, flat)
        shown = {c.id for c in engine.choices_shown(self.episode, state)}
        answer = [cid in shown for cid in info.ids]
        for (get, cache), v in zip(info.visible, answer, strict=True):
            cache[get(flat)] = v
        return answer

    def ask_move(self, info: _SceneInfo, i: int, flat: Flat) -> _Move:
        """Ask the engine what picking choice i does here; cache it under the move's key."""
        self.misses += 1
        get, cache = info.moves[i]
        old = self.state(info.id, flat)
        choice_id = info.ids[i]
        self.picked.add((info.id, choice_id))
        try:
            new, _ = engine.choose(self.episode, old, choice_id)
        except engine.EngineError:
            move = _Move(info.id, (), loop=True)
        else:
            move = _Move(new.scene, self._updates(old, new, choice_id))
            self.entered.update(new.scenes)
        cache[get(flat)] = move
        return move

    def _updates(self, old: engine.State, new: engine.State, choice_id: str
                 ) -> tuple[Update, ...]:
        scenes = self.episode.scenes
        choice = scenes[old.scene].choice(choice_id)
        assert choice is not None
        written: set[str] = set(choice.effects.set) | set(choice.effects.add)
        for sid in new.scenes:
            written |= set(scenes[sid].on_enter.set) | set(scenes[sid].on_enter.add)
        slot = self.slot
        out: list[Update] = []
        for name in self.var_names:
            if name in written:
                out.append((slot[("var", name)], new.variables[name], False))
        for name in self.visit_names:
            n = new.visits.get(name, 0) - old.visits.get(name, 0)
            if n:
                out.append((slot[("visits", name)], n, True))
        for d in self.dims:
            n = new.scores.get(d, 0) - old.scores.get(d, 0)
            if n:
                out.append((slot[("score", d)], n, True))
        for key in new.once_used - old.once_used:
            out.append((slot[("once", key)], True, False))
        return tuple(out)


Step = tuple[str, Flat, list[str], str]  # scene, state there, ids shown, id picked


@dataclass
class Report:
    episode: Episode
    runs: int
    seed: int
    max_steps: int
    endings: dict[str, int]
    unvisited_scenes: list[str]
    unpicked_choices: list[str]
    dead_end_runs: int
    loop_limit_runs: int
    dead_end_scenes: dict[str, int]
    # raw score -> number of runs that reached an ending with it, per dimension
    histograms: dict[str, dict[int, int]]
    mean_steps: float
    engine_calls: int = 0  # questions asked of the engine (cache misses)
    extra: dict[str, object] = field(default_factory=dict)

    def score_summary(self) -> dict[str, dict[str, float | int | None]]:
        out: dict[str, dict[str, float | int | None]] = {}
        for dim, hist in self.histograms.items():
            n = sum(hist.values())
            if not n:
                out[dim] = {"min": None, "max": None, "mean": None}
                continue
            mean = sum(v * c for v, c in hist.items()) / n
            out[dim] = {"min": min(hist), "max": max(hist), "mean": round(mean, 2)}
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "runs": self.runs,
            "seed": self.seed,
            "endings": self.endings,
            "unvisited_scenes": self.unvisited_scenes,
            "unpicked_choices": self.unpicked_choices,
            "dead_end_runs": self.dead_end_runs,
            "loop_limit_runs": self.loop_limit_runs,
            "scores": self.score_summary(),
        }


def random_runs(episode: Episode, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED,
                max_steps: int = DEFAULT_MAX_STEPS, walker: Walker | None = None,
                on_run: Callable[[list[Step], str | None, Flat, int], None] | None = None
                ) -> Report:
    """Play `runs` random playthroughs (uniform among shown choices; same seed, same runs).

    A run stops at an ending, in a dead end (no choice shown outside an ending), or after
    `max_steps` choices (a loop limit; also when the engine reports a route loop).
    `on_run(steps, last_scene, last_flat, outcome)` sees each run's steps, for callers that
    tally more (stats counts the words a run shows); tracking costs time.
    """
    w = walker or Walker(episode)
    rng = random.Random(seed)
    rnd = rng.random
    endings: dict[str, int] = {sid: 0 for sid in episode.endings()}
    score_slots = w.score_slots
    finals: list[tuple[object, ...]] = []
    dead_end_runs = loop_limit_runs = 0
    dead_end_scenes: dict[str, int] = {}
    total_steps = 0
    track = on_run is not None
    start_scene = w.start_scene
    start_flat = w.start_flat
    infos = w.scenes
    ask_visible = w.ask_visible
    ask_move = w.ask_move
    scores_of = itemgetter(*score_slots) if len(score_slots) > 1 else None
    for _ in range(runs):
        if start_scene is None:  # the routes loop from the very start
            loop_limit_runs += 1
            if track:
                on_run([], None, [], LOOP_LIMIT)  # type: ignore[misc]
            continue
        flat = start_flat[:]
        info = infos[start_scene]
        steps = 0
        path: list[Step] = []
        outcome = ENDED
        while not info.ending:
            shown = info.shown
            if shown is None:
                shown = []
                answer = None
                for i, (get, cache) in enumerate(info.visible):
                    v = cache.get(get(flat))
                    if v is None:
                        if answer is None:
                            answer = ask_visible(info, flat)
                        v = answer[i]
                    if v:
                        shown.append(i)
                if info.fixed:
                    info.shown = shown
            if not shown:
                outcome = DEAD_END
                break
            if steps >= max_steps:
                outcome = LOOP_LIMIT
                break
            i = shown[int(rnd() * len(shown))]
            mget, mcache = info.moves[i]
            move = mcache.get(mget(flat))
            if move is None:
                move = ask_move(info, i, flat)
            steps += 1
            if track:
                path.append((info.id, flat[:], [info.ids[k] for k in shown], info.ids[i]))
            if move.loop:
                outcome = LOOP_LIMIT
                break
            for slot, value, increment in move.updates:
                if increment:
                    flat[slot] += value  # type: ignore[operator,unused-ignore]
                else:
                    flat[slot] = value
            info = infos[move.scene]
        total_steps += steps
        if outcome == ENDED:
            endings[info.id] += 1
            finals.append(scores_of(flat) if scores_of is not None
                          else tuple(flat[k] for k in score_slots))
        elif outcome == DEAD_END:
            dead_end_runs += 1
            dead_end_scenes[info.id] = dead_end_scenes.get(info.id, 0) + 1
        else:
            loop_limit_runs += 1
        if track:
            on_run(path, info.id, flat, outcome)  # type: ignore[misc]
    histograms: dict[str, dict[int, int]] = {}
    for d, dim in enumerate(w.dims):
        hist: dict[int, int] = {}
        for values in finals:
            raw: int = values[d]  # type: ignore[assignment]
            hist[raw] = hist.get(raw, 0) + 1
        histograms[dim] = dict(sorted(hist.items()))
    unvisited = [sid for sid in episode.scenes if sid not in w.entered]
    unpicked = [f"{sid}/{c.id}" for sid, scene in episode.scenes.items()
                for c in scene.choices if (sid, c.id) not in w.picked]
    return Report(episode, runs, seed, max_steps, endings, unvisited, unpicked, dead_end_runs,
                  loop_limit_runs, dead_end_scenes, histograms,
                  total_steps / runs if runs else 0.0, w.misses)


# ------------------------------------------------------------------ text report

def format_report(report: Report, width: int = 40) -> str:
    ep = report.episode
    lines = [f"{report.runs} random runs of {ep.id} (seed {report.seed}), "
             f"{report.mean_steps:.1f} choices per run on average"]
    finished = sum(report.endings.values())
    lines.append("")
    lines.append("Endings:")
    for sid, count in report.endings.items():
        kind = ep.scenes[sid].ending.kind  # type: ignore[union-attr]
        share = 100 * count / report.runs if report.runs else 0
        note = "  <- never reached" if count == 0 else ""
        lines.append(f"  {sid:<28} {kind:<5} {count:>7} {share:6.1f}%{note}")
    if report.dead_end_runs:
        where = ", ".join(f"{s} ({n})" for s, n in report.dead_end_scenes.items())
        lines.append(f"  stuck in a dead end: {report.dead_end_runs} run(s), in {where}")
    if report.loop_limit_runs:
        lines.append(f"  hit the loop limit ({report.max_steps} choices, or routes looping "
                     f"without a choice): {report.loop_limit_runs} run(s)")
    lines.append("")
    lines.append(f"Raw scores at the endings ({finished} runs):")
    for dim, hist in report.histograms.items():
        summary = report.score_summary()[dim]
        if not hist:
            lines.append(f"  {dim}: no run reached an ending")
            continue
        lines.append(f"  {dim}: min {summary['min']}, max {summary['max']}, "
                     f"mean {summary['mean']}")
        top = max(hist.values())
        for value in range(min(hist), max(hist) + 1):
            count = hist.get(value, 0)
            bar = "#" * (round(width * count / top) if count else 0)
            if count and not bar:
                bar = "."
            lines.append(f"    {value:>5} | {bar:<{width}} {count}")
    lines.append("")
    if report.unvisited_scenes:
        lines.append(f"Scenes never visited ({len(report.unvisited_scenes)}): "
                     + ", ".join(report.unvisited_scenes))
    else:
        lines.append("Every scene was visited.")
    if report.unpicked_choices:
        lines.append(f"Choices never picked ({len(report.unpicked_choices)}): "
                     + ", ".join(report.unpicked_choices))
    else:
        lines.append("Every choice was picked.")
    return "\n".join(lines) + "\n"
