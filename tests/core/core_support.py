"""Helpers for the core tests: small episodes as YAML text, finding lookups, and the
brute-force reference that enumerates every concrete run with the real engine."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from sam_cowboy.core import engine, scoring
from sam_cowboy.core.findings import Finding
from sam_cowboy.core.loader import LoadResult, Series, load_episode_data
from sam_cowboy.core.model import Episode

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EP00_TEXT = (FIXTURES / "ep00-first-invite.yaml").read_text(encoding="utf-8")
FILE = "ep.yaml"


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def load(text: str | bytes, series: Series | None = None, file: str = FILE) -> LoadResult:
    if isinstance(text, str):
        text = src(text)
    return load_episode_data(text, file, series)


def ok(text: str, series: Series | None = None) -> Episode:
    result = load(text, series)
    errors = [f.format() for f in result.errors]
    assert result.episode is not None and not errors, errors
    return result.episode


HEAD = """\
sam_cowboy: 1
id: t
title: T
"""

DIMS = """\
dimensions:
  d: {label: D}
"""


def doc(scenes: str, *, variables: str = "", dims: str = DIMS, head: str = HEAD,
        start: str = "a", extra: str = "") -> str:
    """An episode: `scenes` is the body of `scenes:` written at column 0 (indented here)."""
    parts = [head, dims]
    if variables:
        parts.append("variables:\n" + textwrap.indent(src(variables), "  "))
    if extra:
        parts.append(src(extra))
    parts.append(f"start: {start}\n")
    parts.append("scenes:\n" + textwrap.indent(src(scenes), "  "))
    return "".join(parts)


SIMPLE_SCENES = """\
a:
  choices:
    - id: go
      text: Go
      score: {d: 1}
      feedback: Good.
      goto: end
    - id: stay
      text: Stay
      goto: end
end:
  ending: {kind: good}
"""


def locate(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in `text`."""
    text = src(text)
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, col


def matching(findings: list[Finding], severity: str | None = None,
             contains: str | None = None) -> list[Finding]:
    return [f for f in findings if (severity is None or f.severity == severity)
            and (contains is None or contains in f.message)]


def one(findings: list[Finding], severity: str, contains: str) -> Finding:
    found = matching(findings, severity, contains)
    assert len(found) == 1, (f"expected one {severity} containing {contains!r}, got:\n"
                             + "\n".join(f.format() for f in findings))
    return found[0]


def expect(findings: list[Finding], severity: str, contains: str, at: tuple[int, int],
           scene: str | None = None, choice: str | None = None) -> Finding:
    f = one(findings, severity, contains)
    assert (f.line, f.column) == at, f"{f.format()} is not at {at}"
    assert f.scene == scene, f"{f.format()}: scene {f.scene!r} != {scene!r}"
    assert f.choice == choice, f"{f.format()}: choice {f.choice!r} != {choice!r}"
    assert f.file == FILE
    return f


def errors_of(text: str) -> list[Finding]:
    return load(text).errors


# --------------------------------------------------------------------------- brute force

@dataclass
class Brute:
    """Every concrete state the real engine can reach, and what follows from them."""

    terminals: list[engine.State] = field(default_factory=list)
    entered: set[str] = field(default_factory=set)
    dead_scenes: set[str] = field(default_factory=set)
    shown: set[tuple[str, str]] = field(default_factory=set)
    states: int = 0

    def bounds(self, episode: Episode) -> dict[str, tuple[int, int]]:
        return {d: (min(s.scores[d] for s in self.terminals),
                    max(s.scores[d] for s in self.terminals)) for d in episode.dimensions}

    def overalls(self, episode: Episode) -> list[int]:
        bounds = self.bounds(episode)
        return [scoring.overall(episode, scoring.percents(episode, s.scores, bounds))
                for s in self.terminals]


class TooManyStates(Exception):
    pass


def _observed_visits(episode: Episode) -> frozenset[str]:
    out: set[str] = set()
    for scene in episode.scenes.values():
        for c in scene.choices:
            if c.condition is not None:
                out |= c.condition.calls("visits")
        for r in scene.route:
            if r.condition is not None:
                out |= r.condition.calls("visits")
    return frozenset(out)


def brute_force(episode: Episode, limit: int = 20_000) -> Brute:
    """Explore concrete engine states. The key keeps everything a run's future can depend on:
    scene, all variables, all raw scores, once-used choices and the visit counts of the
    scenes that some condition reads (the others are never observed)."""
    observed = sorted(_observed_visits(episode))

    def key(s: engine.State) -> tuple[object, ...]:
        return (s.scene, s.ending, tuple(sorted(s.variables.items())),
                tuple(sorted(s.scores.items())), s.once_used,
                tuple(s.visits.get(v, 0) for v in observed))

    out = Brute()
    first, _ = engine.begin(episode)
    out.entered.update(first.scenes)
    seen: dict[tuple[object, ...], int] = {key(first): 0}
    states = [first]
    succ: list[list[int]] = [[]]
    stack = [0]
    while stack:
        i = stack.pop()
        state = states[i]
        if state.finished:
            out.terminals.append(state)
            continue
        scene = episode.scenes[state.scene]
        for c in scene.choices:  # conditions alone, once aside: "shown somewhere"
            if c.condition is None or c.condition.evaluate(state):
                out.shown.add((scene.id, c.id))
        for c in engine.choices_shown(episode, state):
            nxt, _ = engine.choose(episode, state, c.id)
            out.entered.update(nxt.scenes[len(state.scenes):])
            k = key(nxt)
            j = seen.get(k)
            if j is None:
                j = len(states)
                if j >= limit:
                    raise TooManyStates
                seen[k] = j
                states.append(nxt)
                succ.append([])
                stack.append(j)
            succ[i].append(j)
    out.states = len(states)
    alive = [s.finished for s in states]
    back: list[list[int]] = [[] for _ in states]
    for i, js in enumerate(succ):
        for j in js:
            back[j].append(i)
    work = [i for i, a in enumerate(alive) if a]
    while work:
        j = work.pop()
        for i in back[j]:
            if not alive[i]:
                alive[i] = True
                work.append(i)
    out.dead_scenes = {states[i].scene for i, a in enumerate(alive) if not a}
    return out
