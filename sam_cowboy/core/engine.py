"""The rules of play as a pure state machine: a state and a choice in, a new state and events out.

Every way to play (the app, plain mode, `run`, randomtest, workshops) calls `begin` and
`choose`; none re-implements a rule. Events say what happened so that interfaces draw them
and the results store records them without recomputing anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from sam_cowboy.core.expr import NO_SEASON, Season
from sam_cowboy.core.model import Choice, Effects, Episode, Fragment, Text, Value

MAX_ROUTE_HOPS = 10_000


class EngineError(Exception):
    """A move the rules do not allow (a choice not shown, a route loop)."""


# ------------------------------------------------------------------ events

@dataclass(frozen=True, slots=True)
class SceneEntered:
    scene: str


@dataclass(frozen=True, slots=True)
class ChoiceMade:
    scene: str
    choice: str


@dataclass(frozen=True, slots=True)
class Composed:
    """A message composed in a compose scene (after its ChoiceMade, before its scores):
    the fragments in the message's order, the message, and each checklist item met or not."""

    scene: str
    fragments: tuple[str, ...]
    text: Text
    checklist: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class ScoreChanged:
    dimension: str
    delta: int
    value: int
    scene: str
    choice: str | None  # None: the scene's on_enter


@dataclass(frozen=True, slots=True)
class VariableChanged:
    name: str
    old: Value
    new: Value


@dataclass(frozen=True, slots=True)
class FeedbackShown:
    """The consequence of a choice; `variables` are the values its {name}s show."""

    scene: str
    choice: str
    text: Text
    variables: Mapping[str, Value]


@dataclass(frozen=True, slots=True)
class RouteFollowed:
    scene: str
    goto: str


@dataclass(frozen=True, slots=True)
class EndingReached:
    scene: str
    kind: str


Event = (SceneEntered | ChoiceMade | Composed | ScoreChanged | VariableChanged | FeedbackShown
         | RouteFollowed | EndingReached)


# ------------------------------------------------------------------ state

@dataclass(frozen=True, slots=True)
class State:
    """Everything a run has done so far. Never mutated: each step makes a new one."""

    scene: str
    variables: Mapping[str, Value]
    visits: Mapping[str, int]
    scores: Mapping[str, int]
    once_used: frozenset[tuple[str, str]] = frozenset()
    path: tuple[tuple[str, str], ...] = ()
    scenes: tuple[str, ...] = ()
    ending: str | None = None
    test: bool = False  # started mid-episode or with preset variables
    season: Season = NO_SEASON  # earlier episodes' results: season('d'), weakest()
    changes: tuple[tuple[str, str, str, int], ...] = field(default=(), compare=False)

    @property
    def finished(self) -> bool:
        return self.ending is not None


Outcome = tuple[State, list[Event]]


class _Run:
    """Mutable scratch copy of a state while one step is applied."""

    __slots__ = ("variables", "visits", "scores", "scenes", "events", "changes", "season")

    def __init__(self, state: State) -> None:
        self.season = state.season
        self.variables = dict(state.variables)
        self.visits = dict(state.visits)
        self.scores = dict(state.scores)
        self.scenes = list(state.scenes)
        self.events: list[Event] = []
        self.changes = list(state.changes)

    def apply(self, effects: Effects, scene: str, choice: str | None) -> None:
        for dim, delta in effects.score.items():
            value = self.scores.get(dim, 0) + delta
            self.scores[dim] = value
            self.events.append(ScoreChanged(dim, delta, value, scene, choice))
            self.changes.append((scene, choice or "", dim, delta))
        for name, new in effects.set.items():
            old = self.variables[name]
            self.variables[name] = new
            self.events.append(VariableChanged(name, old, new))
        for name, amount in effects.add.items():
            old = self.variables[name]
            assert isinstance(old, int)
            self.variables[name] = old + amount
            self.events.append(VariableChanged(name, old, old + amount))

    def enter(self, episode: Episode, target: str) -> tuple[str, str | None]:
        """Enter `target`, follow routes; return the scene where the run stops and its ending."""
        for _ in range(MAX_ROUTE_HOPS):
            scene = episode.scenes[target]
            self.visits[target] = self.visits.get(target, 0) + 1
            self.scenes.append(target)
            self.events.append(SceneEntered(target))
            if scene.on_enter:
                self.apply(scene.on_enter, target, None)
            if scene.ending is not None:
                self.events.append(EndingReached(target, scene.ending.kind))
                return target, target
            if not scene.route:
                return target, None
            for entry in scene.route:
                if entry.condition is None or entry.condition.evaluate(self):
                    self.events.append(RouteFollowed(target, entry.goto))
                    target = entry.goto
                    break
            else:  # the loader guarantees a final entry without condition
                raise EngineError(f"no route entry of `{target}` applies")
        raise EngineError(f"routes keep sending the run around without a choice (from "
                          f"`{target}`, {MAX_ROUTE_HOPS} hops): a route loop")

    def state(self, base: State, scene: str, ending: str | None,
              path: tuple[tuple[str, str], ...], once_used: frozenset[tuple[str, str]]) -> State:
        return replace(base, scene=scene, variables=self.variables, visits=self.visits,
                       scores=self.scores, scenes=tuple(self.scenes), ending=ending, path=path,
                       once_used=once_used, changes=tuple(self.changes))


def make_season(episode: Episode, values: Mapping[str, int] | None) -> Season:
    """The season input of a run: the player's latest percent per dimension in earlier
    episodes. Dimensions this episode does not have are left out (weakest() names one of
    its own); a value outside 0-100 is refused."""
    kept: dict[str, int] = {}
    for dim, value in (values or {}).items():
        if type(value) is not int or not 0 <= value <= 100:
            raise EngineError(f"the season value of `{dim}` must be a percent from 0 to 100, "
                              f"not {value!r}")
        if dim in episode.dimensions:
            kept[dim] = value
    return Season(kept, tuple(episode.dimensions)) if kept else NO_SEASON


def begin(episode: Episode, at: str | None = None,
          preset: Mapping[str, Value] | None = None,
          season: Mapping[str, int] | None = None) -> Outcome:
    """Start a run at the episode's start (or at `at`, with `preset` variables: a test run).

    `season` maps dimensions to the player's latest percent in earlier episodes (read from
    their saves by the caller); the conditions see it as season('d') and weakest()."""
    variables = dict(episode.variables)
    for name, value in (preset or {}).items():
        if name not in variables:
            raise EngineError(f"unknown variable `{name}`")
        if type(value) is not type(variables[name]):
            raise EngineError(f"`{name}` needs a value like {variables[name]!r}")
        variables[name] = value
    target = at or episode.start
    if target not in episode.scenes:
        raise EngineError(f"no scene `{target}` in this episode")
    blank = State(target, variables, {}, {d: 0 for d in episode.dimensions},
                  test=bool(at) or bool(preset), season=make_season(episode, season))
    run = _Run(blank)
    scene, ending = run.enter(episode, target)
    return run.state(blank, scene, ending, (), frozenset()), run.events


def choices_shown(episode: Episode, state: State) -> list[Choice]:
    """The choices a player sees now: conditions hold and `once` choices not yet used."""
    if state.ending is not None:
        return []
    scene = episode.scenes[state.scene]
    return [c for c in scene.choices
            if (not c.once or (scene.id, c.id) not in state.once_used)
            and (c.condition is None or c.condition.evaluate(state))]


def choose(episode: Episode, state: State, choice_id: str) -> Outcome:
    """Pick a shown choice by id: score, set, add, feedback, then enter its `goto`."""
    shown = choices_shown(episode, state)
    choice = next((c for c in shown if c.id == choice_id), None)
    if choice is None:
        ids = ", ".join(c.id for c in shown) or "none"
        raise EngineError(f"no choice `{choice_id}` is shown in scene `{state.scene}` "
                          f"(shown: {ids})")
    run = _Run(state)
    run.events.append(ChoiceMade(state.scene, choice.id))
    spec = episode.scenes[state.scene].compose
    if choice.fragments and spec is not None:
        run.events.append(Composed(state.scene, choice.fragments, choice.text, tuple(
            (item.id, item.met(choice.fragments)) for item in spec.checklist)))
    run.apply(choice.effects, state.scene, choice.id)
    if choice.feedback is not None:
        run.events.append(FeedbackShown(state.scene, choice.id, choice.feedback,
                                        dict(run.variables)))
    scene, ending = run.enter(episode, choice.goto)
    once_used = state.once_used | {(state.scene, choice.id)} if choice.once else state.once_used
    return (run.state(state, scene, ending, state.path + ((state.scene, choice.id),), once_used),
            run.events)


def fragments_shown(episode: Episode, state: State) -> list[Fragment]:
    """In a compose scene, the fragments offered now (their conditions hold); else none."""
    compose = episode.scenes[state.scene].compose if state.ending is None else None
    if compose is None:
        return []
    return [f for f in compose.fragments
            if f.condition is None or f.condition.evaluate(state)]


def compose(episode: Episode, state: State, fragment_ids: Sequence[str]) -> Outcome:
    """Compose a message from shown fragments (in the message's order), like a choice: the
    fragments' and the met checklist items' effects, the checklist as feedback, the `goto`."""
    spec = episode.scenes[state.scene].compose if state.ending is None else None
    if spec is None:
        raise EngineError(f"scene `{state.scene}` does not ask to compose a message")
    shown = [f.id for f in fragments_shown(episode, state)]
    for fid in fragment_ids:
        if fid not in shown:
            raise EngineError(f"no fragment `{fid}` is offered in scene `{state.scene}` "
                              f"(offered: {', '.join(shown) or 'none'})")
    if len(set(fragment_ids)) != len(fragment_ids):
        raise EngineError(f"a fragment is used twice in the message for `{state.scene}`")
    if not spec.pick_min <= len(fragment_ids) <= spec.pick_max:
        wanted = (str(spec.pick_min) if spec.pick_min == spec.pick_max
                  else f"{spec.pick_min} to {spec.pick_max}")
        raise EngineError(f"the message for `{state.scene}` takes {wanted} fragments, not "
                          f"{len(fragment_ids)}: join them with `+`, e.g. 2+4+1")
    ids = list(fragment_ids)
    if not spec.ordered:  # the message reads in the order the author listed the fragments
        ids.sort(key=[f.id for f in spec.fragments].index)
    return choose(episode, state, "+".join(ids))


def compose_numbers(episode: Episode, state: State, numbers: Sequence[int]) -> Outcome:
    """Compose from 1-based positions among the shown fragments (`2+4+1`)."""
    shown = fragments_shown(episode, state)
    for n in numbers:
        if not 1 <= n <= len(shown):
            listed = ", ".join(f"{i}={f.id}" for i, f in enumerate(shown, 1)) or "none"
            raise EngineError(f"fragment {n} is not offered in scene `{state.scene}` "
                              f"(offered: {listed})")
    return compose(episode, state, [shown[n - 1].id for n in numbers])


def choose_number(episode: Episode, state: State, number: int) -> Outcome:
    """Pick the `number`-th (1-based) shown choice."""
    if state.ending is None and episode.scenes[state.scene].compose is not None:
        raise EngineError(f"scene `{state.scene}` asks to compose a message: give fragment "
                          "numbers joined by `+`, e.g. 2+4+1")
    shown = choices_shown(episode, state)
    if not 1 <= number <= len(shown):
        raise EngineError(f"choice {number} is not shown in scene `{state.scene}` "
                          f"(shown: {_numbered(shown)})")
    return choose(episode, state, shown[number - 1].id)


def _numbered(shown: list[Choice]) -> str:
    return ", ".join(f"{i}={c.id}" for i, c in enumerate(shown, 1)) or "none"


def replay(episode: Episode, choice_ids: list[str],
           season: Mapping[str, int] | None = None) -> State:
    """Play a list of choice ids from the start; the state where it stops."""
    state, _ = begin(episode, season=season)
    for cid in choice_ids:
        state, _ = choose(episode, state, cid)
    return state
