"""Exact static analysis: every state a run can reach, and what follows from them.

A run's future depends only on what conditions can observe: the scene, the variables,
visit counts and scores named in choice or route conditions, and which `once` choices are
used. Everything else is collapsed, so an acyclic episode has about one state per scene.
Visit counts and never-decreasing counters compared only with numbers are capped just above
the largest number they are compared with. Scores travel on the edges as deltas.

From that graph: bounds are longest/shortest paths (any loop between states that can still
reach an ending must change no score, else the score is unbounded, which is an error); the
best run maximises the rounded overall percent exactly: the linear relaxation gives an upper
bound per state, and only runs within one percent of the relaxed optimum are enumerated.
"""

from __future__ import annotations

import heapq
import operator
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sam_cowboy.core import expr as ex
from sam_cowboy.core import scoring
from sam_cowboy.core.findings import Finding
from sam_cowboy.core.graphs import strongly_connected
from sam_cowboy.core.liveness import Observables, live_at_rest
from sam_cowboy.core.model import Choice, Effects, Episode, Pos, Scene, Value
from sam_cowboy.core.perf import paused_gc

MAX_STATES = 500_000
MAX_ROUTE_HOPS = 10_000
MAX_CANDIDATES = 20_000  # candidate partial runs for the best run, plus 2 per state

Step = tuple[str, str]


@dataclass
class Run:
    path: list[Step]
    scores: dict[str, int]
    overall: int
    ending: str
    exact: bool = True  # False: the search budget ran out; within 2 points of the optimum


@dataclass
class Analysis:
    """What `check` reports beyond the loader's findings."""

    findings: list[Finding] = field(default_factory=list)
    states: int = 0
    edges: int = 0
    bounds: dict[str, tuple[int, int]] | None = None
    best_run: Run | None = None
    worst_run: Run | None = None
    unreachable: list[str] = field(default_factory=list)
    dead_ends: list[str] = field(default_factory=list)
    endings: list[str] = field(default_factory=list)
    # dimension -> a complete run on which no decision bears on it (see `_unexercised`)
    unexercised: dict[str, tuple[list[Step], str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.bounds is not None


class _Ctx:
    __slots__ = ("variables", "visits", "scores")

    def __init__(self, variables: Mapping[str, Value], visits: dict[str, int],
                 scores: dict[str, int]) -> None:
        self.variables = variables
        self.visits = visits
        self.scores = scores


class _Vars(Mapping[str, Value]):
    """Variables of an abstract state: the changed ones, else their initial values."""

    __slots__ = ("changed", "initial")

    def __init__(self, changed: dict[str, Value], initial: dict[str, Value]) -> None:
        self.changed = changed
        self.initial = initial

    def __getitem__(self, name: str) -> Value:
        value = self.changed.get(name)
        return self.initial[name] if value is None else value

    def __iter__(self) -> Iterator[str]:
        return iter(self.initial)

    def __len__(self) -> int:
        return len(self.initial)


class _StateLimit(Exception):
    pass


class _RouteLoop(Exception):
    def __init__(self, scene: str) -> None:
        self.scene = scene


# scene, changed observed variables as sorted (index, value), visits, scores, once-used bits
AbsState = tuple[str, tuple[tuple[int, Value], ...], tuple[int, ...], tuple[int, ...], int]


def _conditions(episode: Episode) -> list[ex.Expr]:
    out: list[ex.Expr] = []
    for scene in episode.scenes.values():
        out.extend(c.condition for c in scene.choices if c.condition is not None)
        out.extend(r.condition for r in scene.route if r.condition is not None)
    return out


def _literal_caps(conds: list[ex.Expr], is_target: Callable[[ex.Node], str | None]
                  ) -> dict[str, int | None]:
    """name -> cap when every use is `target op literal`, else None (no cap)."""
    caps: dict[str, int | None] = {}
    for cond in conds:
        uses: list[ex.Node] = []
        direct: set[int] = set()
        for node in ex.walk(cond.tree):
            if is_target(node) is not None:
                uses.append(node)
            if isinstance(node, ex.Binary) and node.op in ("==", "!=", "<", "<=", ">", ">="):
                for a, b in ((node.left, node.right), (node.right, node.left)):
                    name = is_target(a)
                    if name is not None and isinstance(b, ex.Lit) and type(b.value) is int:
                        direct.add(id(a))
                        old = caps.get(name, 0)
                        if old is not None:
                            caps[name] = max(old, b.value + 1)
        for node in uses:
            name = is_target(node)
            assert name is not None
            if id(node) not in direct:
                caps[name] = None
            else:
                caps.setdefault(name, 0)
    return caps


def _capped(value: Value, cap: int | None) -> Value:
    if cap is not None and isinstance(value, int) and not isinstance(value, bool):
        return min(value, cap)
    return value


class _Model:
    """The episode compiled for fast exploration."""

    def __init__(self, episode: Episode) -> None:
        self.episode = episode
        self.dims = list(episode.dimensions)
        conds = _conditions(episode)
        observed_vars: set[str] = set()
        observed_visits: set[str] = set()
        observed_scores: set[str] = set()
        for c in conds:
            observed_vars |= c.variables()
            observed_visits |= c.calls("visits")
            observed_scores |= c.calls("score")
        self.var_names = sorted(observed_vars)
        self.visit_names = sorted(observed_visits)
        self.score_names = sorted(observed_scores)
        self.var_index = {n: i for i, n in enumerate(self.var_names)}
        self.visit_index = {n: i for i, n in enumerate(self.visit_names)}
        self.score_index = {n: i for i, n in enumerate(self.score_names)}
        self.dim_index = {d: i for i, d in enumerate(self.dims)}
        self.zero = (0,) * len(self.dims)
        visit_caps = _literal_caps(conds, lambda n: n.argument if isinstance(n, ex.Call)
                                   and n.function == "visits" else None)
        self.visit_caps = [visit_caps.get(n) for n in self.visit_names]
        var_caps = _literal_caps(conds, lambda n: n.name if isinstance(n, ex.Var) else None)
        # only never-decreasing integer counters may be capped
        for scene in episode.scenes.values():
            for eff in [scene.on_enter, *(c.effects for c in scene.choices)]:
                for name, amount in eff.add.items():
                    if amount < 0:
                        var_caps[name] = None
        self.var_caps = [var_caps.get(n) if type(episode.variables[n]) is int else None
                         for n in self.var_names]
        self.once_bits: dict[tuple[str, str], int] = {}
        for scene in episode.scenes.values():
            for choice in scene.choices:
                if choice.once:
                    self.once_bits[(scene.id, choice.id)] = 1 << len(self.once_bits)
        self.initial_vars: tuple[Value, ...] = tuple(
            _capped(episode.variables[n], cap)
            for n, cap in zip(self.var_names, self.var_caps, strict=True))
        self.initial_by_name = dict(zip(self.var_names, self.initial_vars, strict=True))
        self._liveness()
        self.start: AbsState = (
            episode.start,
            (),
            tuple(0 for _ in self.visit_names),
            tuple(0 for _ in self.score_names),
            0,
        )

    def _liveness(self) -> None:
        observables = Observables(self.var_names, self.visit_names, self.score_names,
                                  list(self.once_bits))
        self.once_base = observables.count - len(self.once_bits)
        self.live_rest = live_at_rest(self.episode, observables)
        self._canon_cache: dict[frozenset[int], tuple[list[int], list[int], int]] = {}

    def canon(self, state: AbsState) -> AbsState:
        """Reset what no later condition can observe from this resting state."""
        scene, variables, visits, scores, once = state
        live = self.live_rest[scene]
        if variables:
            kept = tuple(e for e in variables if e[0] in live)
            if len(kept) != len(variables):
                variables = kept
        if visits or scores or once:
            plan = self._canon_cache.get(live)
            if plan is None:
                nv, ns = len(self.var_names), len(self.visit_names)
                once_keep = sum(1 << k for k in range(len(self.once_bits))
                                if self.once_base + k in live)
                plan = ([i for i in range(ns) if nv + i not in live],
                        [i for i in range(len(self.score_names)) if nv + ns + i not in live],
                        once_keep)
                self._canon_cache[live] = plan
            dead_visits, dead_scores, once_keep = plan
            if dead_visits:
                vl = list(visits)
                for i in dead_visits:
                    vl[i] = 0
                visits = tuple(vl)
            if dead_scores:
                sl = list(scores)
                for i in dead_scores:
                    sl[i] = 0
                scores = tuple(sl)
            once &= once_keep
        return (scene, variables, visits, scores, once)

    def delta(self, effects: Effects) -> tuple[int, ...]:
        if not effects.score:
            return self.zero
        get = effects.score.get
        return tuple([get(d, 0) for d in self.dims])

    def apply(self, state: AbsState, effects: Effects) -> AbsState:
        """Apply effects to what conditions observe. Variables are stored sparsely: sorted
        (index, value) pairs for those that differ from their initial value."""
        if not effects:
            return state
        scene, variables, visits, scores, once = state
        if self.var_index and (effects.set or effects.add):
            vs = dict(variables)
            initial = self.initial_vars
            for name, value in effects.set.items():
                i = self.var_index.get(name)
                if i is not None:
                    vs[i] = _capped(value, self.var_caps[i])
            for name, amount in effects.add.items():
                i = self.var_index.get(name)
                if i is not None:
                    v = vs.get(i, initial[i])
                    assert isinstance(v, int)
                    vs[i] = _capped(v + amount, self.var_caps[i])
            variables = tuple(sorted((i, v) for i, v in vs.items() if v != initial[i]
                                     or type(v) is not type(initial[i])))
        if self.score_index and effects.score:
            ss = list(scores)
            for dim, d in effects.score.items():
                i = self.score_index.get(dim)
                if i is not None:
                    ss[i] += d
            scores = tuple(ss)
        return (scene, variables, visits, scores, once)

    def ctx(self, state: AbsState) -> _Ctx:
        names = self.var_names
        variables = _Vars({names[i]: v for i, v in state[1]}, self.initial_by_name)
        return _Ctx(variables, dict(zip(self.visit_names, state[2], strict=True)),
                    dict(zip(self.score_names, state[3], strict=True)))

    def enter(self, state: AbsState, target: str, entered: set[str]
              ) -> tuple[AbsState, list[int]]:
        """Enter `target` and follow routes: the resting state and the score delta on the way."""
        delta = [0] * len(self.dims)
        seen: set[AbsState] = set()
        scenes = self.episode.scenes
        for _ in range(MAX_ROUTE_HOPS):
            scene = scenes[target]
            entered.add(target)
            _, variables, visits, scores, once = state
            i = self.visit_index.get(target)
            if i is not None:
                vl = list(visits)
                cap = self.visit_caps[i]
                vl[i] = vl[i] + 1 if cap is None else min(vl[i] + 1, cap)
                visits = tuple(vl)
            state = (target, variables, visits, scores, once)
            if scene.on_enter:
                for dim, d in scene.on_enter.score.items():
                    delta[self.dim_index[dim]] += d
                state = self.apply(state, scene.on_enter)
            if not scene.route:
                return state, delta
            if state in seen:
                raise _RouteLoop(target)
            seen.add(state)
            ctx = self.ctx(state)
            for entry in scene.route:
                if entry.condition is None or entry.condition.evaluate(ctx):
                    target = entry.goto
                    break
        raise _RouteLoop(target)


class _Graph:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.index: dict[AbsState, int] = {}
        self.states: list[AbsState] = []
        self.out: list[list[tuple[int, tuple[int, ...], str]]] = []
        self.terminal: list[bool] = []

    def node(self, state: AbsState, terminal: bool) -> tuple[int, bool]:
        i = self.index.get(state)
        if i is not None:
            return i, False
        i = len(self.states)
        if i >= self.limit:
            raise _StateLimit()
        self.index[state] = i
        self.states.append(state)
        self.out.append([])
        self.terminal.append(terminal)
        return i, True


def analyse(episode: Episode, max_states: int = MAX_STATES) -> Analysis:
    """Explore the episode's reachable states and derive bounds, runs and findings."""
    with paused_gc():
        return _analyse(episode, max_states)


def _analyse(episode: Episode, max_states: int) -> Analysis:
    result = Analysis()
    model = _Model(episode)
    graph = _Graph(max_states)
    entered: set[str] = set()
    shown_somewhere: set[tuple[str, str]] = set()
    changed: set[str] = set()
    file = episode.file

    def finding(sev: str, pos: Pos, message: str, scene: str | None = None,
                choice: str | None = None) -> None:
        result.findings.append(Finding(sev, file, pos.line, pos.column, message, scene,  # type: ignore[arg-type]
                                       choice))

    try:
        root_delta = _explore(model, graph, entered, shown_somewhere, changed)
    except _StateLimit:
        finding("error", episode.start_pos, _state_limit_message(model, graph, max_states))
        return result
    except _RouteLoop as loop:
        scene = episode.scenes[loop.scene]
        finding("error", scene.pos, f"the routes starting at `{loop.scene}` send the run round "
                "in a loop without ever showing a choice; give the loop a way out",
                loop.scene)
        return result
    result.states = len(graph.states)
    result.edges = sum(len(o) for o in graph.out)
    scenes = episode.scenes

    # -- findings that need only reachability --------------------------------------
    result.unreachable = [sid for sid in scenes if sid not in entered]
    for sid in result.unreachable:
        finding("warning", scenes[sid].pos, f"no run can reach scene `{sid}`: link to it with "
                "a `goto`, fix the conditions that hide its way in, or delete it", sid)
    for scene in scenes.values():
        if scene.id not in entered:
            continue
        for c in scene.choices:
            if c.condition is not None and (scene.id, c.id) not in shown_somewhere:
                line, col = c.condition.offset_base
                finding("warning", Pos(line, col), f"the condition `{c.condition.source}` of "
                        f"choice `{c.id}` never holds when a run is in `{scene.id}`, so the "
                        "choice is never shown: check the condition", scene.id, c.id)
        for c in scene.choices:
            if c.effects.score and c.feedback is None:
                finding("warning", c.pos, f"choice `{c.id}` changes a score but has no "
                        "`feedback`: tell the player why it matters", scene.id, c.id)
    for did, dim in episode.dimensions.items():
        if did not in changed:
            finding("warning", dim.pos, f"no reachable choice changes the dimension `{did}`: "
                    "score it somewhere, or remove it from this episode")

    alive = _alive(graph)
    terminals = [i for i, t in enumerate(graph.terminal) if t]
    result.endings = sorted({graph.states[i][0] for i in terminals},
                            key=list(scenes).index)
    dead: dict[str, bool] = {}
    for i, state in enumerate(graph.states):
        if not alive[i]:
            dead[state[0]] = dead.get(state[0], False) or not graph.out[i]
    result.dead_ends = [sid for sid in scenes if sid in dead]
    for sid in result.dead_ends:
        why = ("every choice can be hidden there" if dead[sid] else
               "from there, its choices lead only to a loop or a scene with no way to an ending")
        finding("warning", scenes[sid].pos, f"a run can get stuck in `{sid}`: {why}; add a "
                "choice without condition or a way out", sid)
    if not terminals:
        finding("error", episode.start_pos, "no ending can be reached from the start: add a "
                "scene with `ending:` and a way to it")
        return result

    result.unexercised = _unexercised(model, graph, alive, root_delta)

    # -- exact bounds ----------------------------------------------------------
    order, comp = _components(graph, alive)
    pots, bad = _potentials(graph, alive, order, comp, len(model.dims))
    if bad:
        for dim_i, members, at, cid in bad:
            names = [graph.states[m][0] for m in members]
            through = " → ".join(dict.fromkeys(names))
            did = model.dims[dim_i]
            sid = graph.states[at][0]
            choice = scenes[sid].choice(cid)
            finding("error", choice.pos if choice else episode.dimensions[did].pos,
                    f"the score `{did}` is unbounded: choice `{cid}` of `{sid}` changes it on "
                    f"a loop ({through}) that a run can go round again and again; make the "
                    "looping choice `once: true`, guard it with a condition, or move its score "
                    "out of the loop", sid, cid)
        return result
    lows, highs = _extremes(graph, alive, order, comp, pots, root_delta)
    bounds = {did: (lows[d], highs[d]) for d, did in enumerate(model.dims)}
    result.bounds = bounds
    best = _best_run(episode, model, graph, alive, order, comp, pots, root_delta, bounds, +1)
    worst = _best_run(episode, model, graph, alive, order, comp, pots, root_delta, bounds, -1)
    result.best_run, result.worst_run = best, worst
    for run, what in ((best, "best"), (worst, "worst")):
        if not run.exact:
            finding("warning", episode.start_pos, f"the {what} run shown ({run.overall}%) could "
                    "not be proven exact within the analysis budget: it is within 2 points of "
                    "the true one; fewer equivalent paths make the search exact")
    return result


def _explore(model: _Model, graph: _Graph, entered: set[str],
             shown_somewhere: set[tuple[str, str]], changed: set[str]) -> tuple[int, ...]:
    scenes = model.episode.scenes
    first, delta = model.enter(model.start, model.episode.start, entered)
    root_delta = tuple(delta)
    for d, v in zip(model.dims, root_delta, strict=True):
        if v:
            changed.add(d)
    first = model.canon(first)
    start_i, _ = graph.node(first, scenes[first[0]].ending is not None)
    queue = deque([start_i])
    compiled: dict[str, list[tuple[Choice, int, tuple[int, ...]]]] = {}
    while queue:
        i = queue.popleft()
        state = graph.states[i]
        scene: Scene = scenes[state[0]]
        if scene.ending is not None:
            continue
        choices = compiled.get(scene.id)
        if choices is None:
            choices = [(c, model.once_bits.get((scene.id, c.id), 0), model.delta(c.effects))
                       for c in scene.choices]
            compiled[scene.id] = choices
        ctx = None
        out = graph.out[i]
        for choice, bit, cdelta in choices:
            if choice.condition is not None:
                if ctx is None:
                    ctx = model.ctx(state)
                if not choice.condition.evaluate(ctx):
                    continue
            shown_somewhere.add((scene.id, choice.id))
            if bit and state[4] & bit:
                continue
            after = model.apply(state, choice.effects)
            if bit:
                after = (after[0], after[1], after[2], after[3], after[4] | bit)
            rest, edelta = model.enter(after, choice.goto, entered)
            total = tuple(a + b for a, b in zip(cdelta, edelta, strict=True)) if any(edelta) \
                else cdelta
            if any(total):
                for d, v in zip(model.dims, total, strict=True):
                    if v:
                        changed.add(d)
            j, new = graph.node(model.canon(rest), scenes[rest[0]].ending is not None)
            out.append((j, total, choice.id))
            if new:
                queue.append(j)
    return root_delta


def _unexercised(model: _Model, graph: _Graph, alive: list[bool],
                 root_delta: tuple[int, ...]) -> dict[str, tuple[list[Step], str]]:
    """For each dimension, a shortest complete run (path, ending) that never meets it.

    A decision bears on a dimension when one of the choices shown there (an edge of its
    state) changes it, counting the `on_enter` scores of the scenes the choice leads to:
    exactly what `scoring.exercised` finds by replaying a concrete run. A run that never
    meets a dimension ends with its raw score at 0, a percent that says nothing.
    """
    out: dict[str, tuple[list[Step], str]] = {}
    for d, did in enumerate(model.dims):
        if root_delta[d]:
            continue
        parent: dict[int, tuple[int, str] | None] = {0: None}
        queue = deque([0])
        found = None
        while queue:
            v = queue.popleft()
            if graph.terminal[v]:
                found = v
                break
            if any(delta[d] for _, delta, _ in graph.out[v]):
                continue
            for w, _, cid in graph.out[v]:
                if alive[w] and w not in parent:
                    parent[w] = (v, cid)
                    queue.append(w)
        if found is None:
            continue
        path: list[Step] = []
        cur = found
        while (link := parent[cur]) is not None:
            prev, cid = link
            path.append((graph.states[prev][0], cid))
            cur = prev
        path.reverse()
        out[did] = (path, graph.states[found][0])
    return out


def _state_limit_message(model: _Model, graph: _Graph, limit: int) -> str:
    names = ([f"variable `{n}`" for n in model.var_names]
             + [f"visits('{n}')" for n in model.visit_names]
             + [f"score('{n}')" for n in model.score_names])
    values: dict[int, set[object]] = {}
    nv, ns = len(model.var_names), len(model.visit_names)
    for state in graph.states:
        for i, v in state[1]:
            values.setdefault(i, set()).add(v)
        for i, v in enumerate(state[2]):
            values.setdefault(nv + i, set()).add(v)
        for i, v in enumerate(state[3]):
            values.setdefault(nv + ns + i, set()).add(v)
    counts = [(len(values.get(k, ())) + (1 if k < nv else 0), name)
              for k, name in enumerate(names)]
    counts.sort(reverse=True)
    culprits = ", ".join(f"{n} ({c:,} values)" for c, n in counts[:3] if c > 1)
    return (f"the episode has more than {limit:,} distinct states, so it cannot be analysed "
            f"exactly; the conditions observe {culprits or 'once choices'}: compare counters "
            "only with numbers, stop loops from adding without end, or use fewer variables "
            "in conditions")


def _alive(graph: _Graph) -> list[bool]:
    """States from which an ending can be reached."""
    n = len(graph.states)
    back: list[list[int]] = [[] for _ in range(n)]
    for i, out in enumerate(graph.out):
        for j, _, _ in out:
            back[j].append(i)
    alive = [False] * n
    stack = [i for i in range(n) if graph.terminal[i]]
    for i in stack:
        alive[i] = True
    while stack:
        j = stack.pop()
        for i in back[j]:
            if not alive[i]:
                alive[i] = True
                stack.append(i)
    return alive


def _components(graph: _Graph, alive: list[bool]) -> tuple[list[list[int]], list[int]]:
    """Strongly connected components of the alive graph, in topological order."""
    succ = [[w for w, _, _ in out if alive[w]] if alive[v] else []
            for v, out in enumerate(graph.out)]
    return strongly_connected(succ, [v for v in range(len(succ)) if alive[v]])


Unbounded = tuple[int, list[int], int, str]  # dimension, loop states, state, choice id


def _potentials(graph: _Graph, alive: list[bool], comps: list[list[int]], comp: list[int],
                dims: int) -> tuple[dict[int, tuple[int, ...]], list[Unbounded]]:
    """Score offsets inside each loop (component); a loop that changes a score is reported
    with one of its choices that changes it."""
    pots: dict[int, tuple[int, ...]] = {}
    bad: list[Unbounded] = []
    for c, members in enumerate(comps):
        if len(members) == 1:
            v = members[0]
            for w, delta, cid in graph.out[v]:
                if w == v:
                    for d in range(dims):
                        if delta[d] != 0 and all(b[0] != d for b in bad):
                            bad.append((d, [v], v, cid))
            continue
        root = members[0]
        pots[root] = (0,) * dims
        queue = deque([root])
        while queue:
            v = queue.popleft()
            for w, delta, _ in graph.out[v]:
                if alive[w] and comp[w] == c and w not in pots:
                    pots[w] = tuple(a + b for a, b in zip(pots[v], delta, strict=True))
                    queue.append(w)
        broken = {d for v in members for w, delta, _ in graph.out[v]
                  if alive[w] and comp[w] == c
                  for d in range(dims) if pots[v][d] + delta[d] != pots[w][d]}
        for d in sorted(broken):
            if any(b[0] == d for b in bad):
                continue
            v, cid = next((v, cid) for v in members for w, delta, cid in graph.out[v]
                          if alive[w] and comp[w] == c and delta[d] != 0)
            bad.append((d, members, v, cid))
    return pots, bad


def _extremes(graph: _Graph, alive: list[bool], comps: list[list[int]], comp: list[int],
              pots: dict[int, tuple[int, ...]], root_delta: tuple[int, ...]
              ) -> tuple[list[int], list[int]]:
    """Least and greatest raw score of each dimension over complete runs.

    One pass over the components in topological order; inside a component every path
    between two states changes the scores by the difference of their potentials.
    """
    dims = len(root_delta)
    zero = (0,) * dims
    lo_entry: dict[int, list[int]] = {}
    hi_entry: dict[int, list[int]] = {}
    p0 = pots.get(0, zero)
    lo_entry[comp[0]] = [a - b for a, b in zip(root_delta, p0, strict=True)]
    hi_entry[comp[0]] = list(lo_entry[comp[0]])
    lows = [0] * dims
    highs = [0] * dims
    found = False
    rng = range(dims)
    for c, members in enumerate(comps):
        lo_base = lo_entry.get(c)
        if lo_base is None:
            continue
        hi_base = hi_entry[c]
        for v in members:
            pv = pots.get(v, zero) if len(members) > 1 else zero
            out = graph.out[v]
            if graph.terminal[v]:
                if not found:
                    lows = [lo_base[d] + pv[d] for d in rng]
                    highs = [hi_base[d] + pv[d] for d in rng]
                    found = True
                else:
                    for d in rng:
                        x = lo_base[d] + pv[d]
                        if x < lows[d]:
                            lows[d] = x
                        y = hi_base[d] + pv[d]
                        if y > highs[d]:
                            highs[d] = y
            for w, delta, _ in out:
                cw = comp[w]
                if cw == c or not alive[w]:
                    continue
                pw = pots.get(w, zero)
                lo_old = lo_entry.get(cw)
                if lo_old is None:
                    lo_entry[cw] = [lo_base[d] + pv[d] + delta[d] - pw[d] for d in rng]
                    hi_entry[cw] = [hi_base[d] + pv[d] + delta[d] - pw[d] for d in rng]
                    continue
                hi_old = hi_entry[cw]
                for d in rng:
                    x = lo_base[d] + pv[d] + delta[d] - pw[d]
                    if x < lo_old[d]:
                        lo_old[d] = x
                    y = hi_base[d] + pv[d] + delta[d] - pw[d]
                    if y > hi_old[d]:
                        hi_old[d] = y
    assert found
    return lows, highs


def _to_go(graph: _Graph, alive: list[bool], comps: list[list[int]], comp: list[int],
           pots: dict[int, tuple[int, ...]], weight: Callable[[tuple[int, ...]], float],
           edge_w: list[list[float]]) -> list[float]:
    """For each alive state, the greatest weight still to gain before an ending."""
    n = len(graph.states)
    inf = float("-inf")
    togo = [inf] * n
    terminal = graph.terminal
    for c in range(len(comps) - 1, -1, -1):
        members = comps[c]
        if len(members) == 1:
            v = members[0]
            best = 0.0 if terminal[v] else inf
            ws = edge_w[v]
            for k, (w, _, _) in enumerate(graph.out[v]):
                if alive[w] and w != v:
                    x = ws[k] + togo[w]
                    if x > best:
                        best = x
            togo[v] = best
            continue
        # inside a loop every path between two states costs the difference of potentials
        pot = {v: weight(pots[v]) for v in members}
        best = inf
        for v in members:
            if terminal[v]:
                best = max(best, pot[v])
            ws = edge_w[v]
            for k, (w, _, _) in enumerate(graph.out[v]):
                if alive[w] and comp[w] != c:
                    best = max(best, pot[v] + ws[k] + togo[w])
        for v in members:
            togo[v] = best - pot[v]
    return togo


def _best_run(episode: Episode, model: _Model, graph: _Graph, alive: list[bool],
              comps: list[list[int]], comp: list[int], pots: dict[int, tuple[int, ...]],
              root_delta: tuple[int, ...], bounds: dict[str, tuple[int, int]],
              sign: int) -> Run:
    """The complete run with the highest (sign=+1) or lowest (-1) rounded overall percent.

    Let L be the weighted mean of the dimensions' percents before rounding them (linear in
    the raw scores). Rounding moves the weighted mean by at most half a point, so a run can
    beat one whose overall is O only if sign*L >= sign*O. A best-first search on the bound
    "L so far + the most L still to gain" therefore finds the linear optimum first and then
    looks only at the few runs that could still beat the best overall found.
    """
    dims = model.dims
    total_w = sum(episode.dimensions[d].weight for d in dims)
    coef: list[float] = []
    const = 0.0
    for d in dims:
        lo, hi = bounds[d]
        w = episode.dimensions[d].weight
        if hi == lo:
            coef.append(0.0)
            const += 100.0 * w / total_w
        else:
            coef.append(sign * 100.0 * w / (hi - lo) / total_w)
            const -= 100.0 * w * lo / (hi - lo) / total_w
    const *= sign

    def weight(delta: Iterable[int]) -> float:
        return float(sum(map(operator.mul, coef, delta)))

    edge_w = [[sum(map(operator.mul, coef, delta)) for _, delta, _ in out] for out in graph.out]
    togo = _to_go(graph, alive, comps, comp, pots, weight, edge_w)
    eps = 1e-7
    start = (0, root_delta)
    start_l = const + weight(root_delta)
    parent: dict[tuple[int, tuple[int, ...]], tuple[tuple[int, tuple[int, ...]], str] | None] = {
        start: None}
    heap: list[tuple[float, int, float, tuple[int, tuple[int, ...]]]] = [
        (-(start_l + togo[0]), 0, start_l, start)]
    counter = 1
    best_pct: int | None = None
    best_key: tuple[int, float] | None = None
    best_item: tuple[int, tuple[int, ...]] | None = None
    threshold = float("-inf")
    budget = MAX_CANDIDATES + 2 * len(graph.states)
    exact = True
    while heap:
        neg_bound, _, lin, item = heapq.heappop(heap)
        if -neg_bound < threshold - eps:
            break  # nothing left can beat the best run found
        v, vec = item
        if graph.terminal[v]:
            scores = dict(zip(dims, vec, strict=True))
            pct = scoring.overall(episode, scoring.percents(episode, scores, bounds))
            key = (sign * pct, lin)
            if best_key is None or key > best_key:
                best_key, best_item, best_pct = key, item, pct
                threshold = sign * pct
            continue
        if len(parent) > budget:
            exact = False
            continue  # enough candidates: finish with the best found so far
        ws = edge_w[v]
        for k, (w, delta, cid) in enumerate(graph.out[v]):
            if not alive[w]:
                continue
            nlin = lin + ws[k]
            bound = nlin + togo[w]
            if bound < threshold - eps:
                continue
            nvec = tuple(map(operator.add, vec, delta))
            nxt = (w, nvec)
            if nxt in parent:
                continue
            parent[nxt] = (item, cid)
            heapq.heappush(heap, (-bound, counter, nlin, nxt))
            counter += 1
    assert best_item is not None and best_pct is not None
    path: list[Step] = []
    cur: tuple[int, tuple[int, ...]] | None = best_item
    while cur is not None:
        link = parent[cur]
        if link is None:
            break
        prev, cid = link
        path.append((graph.states[prev[0]][0], cid))
        cur = prev
    path.reverse()
    scores = dict(zip(dims, best_item[1], strict=True))
    return Run(path, scores, best_pct, graph.states[best_item[0]][0], exact)
