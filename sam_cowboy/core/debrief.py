"""What a finished (or stopped) run means: the debrief's view model.

Built once from the engine's state and the analysis, then laid out by the app, plain mode,
workshops and reports, and serialised as `sam-cowboy run --json`. Every rule of the debrief
lives here: which dimension to work on, which decisions mattered, how the path lines up
with the best run, and the word that tells a trainee where they stand (raw figures stay in
the JSON and reports). Renderers translate the codes (`level`, `verdict`) and lay out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sam_cowboy.core import scoring
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.engine import State
from sam_cowboy.core.i18n import render
from sam_cowboy.core.model import Episode, Profile

# percent from which each word applies, best first (a trainee reads words, not figures)
LEVELS = (("strong", 80), ("good", 60), ("developing", 40), ("weak", 0))
NOT_SEEN = "not_seen"  # no decision of this run bore on the dimension


def level(percent: int, exercised: bool = True) -> str:
    """The word code for a percent: strong, good, developing, weak, or not_seen."""
    if not exercised:
        return NOT_SEEN
    return next(code for code, low in LEVELS if percent >= low)


@dataclass(frozen=True)
class DimensionResult:
    id: str
    raw: int
    min: int
    max: int
    percent: int
    exercised: bool = True  # False: "not seen on this path" rather than a percent

    @property
    def level(self) -> str:
        return level(self.percent, self.exercised)


@dataclass(frozen=True)
class KeyDecision:
    scene: str
    choice: str
    impact: float  # effect on the overall percent, before rounding
    changes: dict[str, int]
    best_choice: str | None  # what the best run did in that scene (None: it never came)

    @property
    def verdict(self) -> str:
        """same (the best run chose this too), other (it chose `best_choice`), or never
        (the best run never came to this scene)."""
        if self.best_choice is None:
            return "never"
        return "same" if self.best_choice == self.choice else "other"


@dataclass(frozen=True)
class PathRow:
    """One line of the path beside the best run: a scene, what each did there (None: that
    run did not pass through it)."""

    scene: str
    mine: str | None
    best: str | None

    @property
    def same(self) -> bool:
        return self.mine is not None and self.mine == self.best


@dataclass(frozen=True)
class Debrief:
    episode: Episode
    state: State
    dimensions: list[DimensionResult]
    overall: int
    profile: Profile | None
    key_decisions: list[KeyDecision] = field(default_factory=list)
    weakest: str | None = None  # None when every exercised dimension is at 100%
    path: list[PathRow] = field(default_factory=list)  # empty when there is no best run
    best_overall: int | None = None

    @property
    def ending_kind(self) -> str | None:
        if self.state.ending is None:
            return None
        ending = self.episode.scenes[self.state.ending].ending
        return ending.kind if ending else None

    @property
    def overall_level(self) -> str:
        return level(self.overall)

    def to_json(self, lang: str | None = None) -> dict[str, object]:
        """The object `sam-cowboy run --json` prints (CLI.md)."""
        state = self.state
        return {
            "episode": self.episode.id,
            "ending": ({"scene": state.ending, "kind": self.ending_kind}
                       if state.ending is not None else None),
            "scenes": list(state.scenes),
            "path": [{"scene": s, "choice": c} for s, c in state.path],
            "scores": {d.id: {"raw": d.raw, "min": d.min, "max": d.max, "percent": d.percent}
                       for d in self.dimensions},  # `run` adds `exercised` beside `percent`
            "overall": {"percent": self.overall,
                        "label": _label(self.episode, self.profile, lang)},
            "variables": dict(state.variables),
        }


def _label(episode: Episode, profile: Profile | None, lang: str | None) -> str | None:
    if profile is None:
        return None
    return render(profile.label, lang or episode.default_language, episode.default_language)


def impact_weights(episode: Episode, bounds: dict[str, tuple[int, int]]) -> dict[str, float]:
    """How many overall percent one raw point of each dimension is worth."""
    total = sum(d.weight for d in episode.dimensions.values())
    out = {}
    for did, dim in episode.dimensions.items():
        lo, hi = bounds[did]
        out[did] = 0.0 if hi == lo else 100.0 * dim.weight / (hi - lo) / total
    return out


def align(mine: list[str], best: list[str]) -> list[tuple[int | None, int | None]]:
    """The two runs' scenes lined up: pairs of indexes, a scene both passed through on one
    row (longest common subsequence), the others on rows of their own, in path order."""
    n, m = len(mine), len(best)
    common = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            common[i][j] = common[i + 1][j + 1] + 1 if mine[i] == best[j] else \
                max(common[i + 1][j], common[i][j + 1])
    rows: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and mine[i] == best[j]:
            rows.append((i, j))
            i, j = i + 1, j + 1
        elif j >= m or (i < n and common[i + 1][j] >= common[i][j + 1]):
            rows.append((i, None))
            i += 1
        else:
            rows.append((None, j))
            j += 1
    return rows


def path_rows(mine: list[tuple[str, str]], best: list[tuple[str, str]]) -> list[PathRow]:
    rows = []
    for i, j in align([s for s, _ in mine], [s for s, _ in best]):
        scene = mine[i][0] if i is not None else best[j][0]  # type: ignore[index]
        rows.append(PathRow(scene, mine[i][1] if i is not None else None,
                            best[j][1] if j is not None else None))
    return rows


def build(episode: Episode, state: State, analysis: Analysis,
          start: State | None = None) -> Debrief:
    """The debrief of `state` (begun at `start`, default the episode's start)."""
    assert analysis.bounds is not None, "debriefs need an episode without errors"
    bounds = analysis.bounds
    seen = scoring.exercised(episode, state, start)
    dims = []
    for did in episode.dimensions:
        lo, hi = bounds[did]
        raw = state.scores.get(did, 0)
        dims.append(DimensionResult(did, raw, lo, hi, scoring.percent(raw, lo, hi), seen[did]))
    percents = {d.id: d.percent for d in dims}
    overall = scoring.overall(episode, percents)
    weights = impact_weights(episode, bounds)
    per_step: dict[tuple[str, str], dict[str, int]] = {}
    for scene, choice, dim, delta in state.changes:
        if choice:
            step = per_step.setdefault((scene, choice), {})
            step[dim] = step.get(dim, 0) + delta
    best_at: dict[str, str] = {}
    best_path: list[tuple[str, str]] = []
    if analysis.best_run is not None:
        best_path = list(analysis.best_run.path)
        for scene, choice in best_path:
            best_at.setdefault(scene, choice)
    steps = dict.fromkeys(state.path)  # each distinct decision once, in path order
    decisions = [
        KeyDecision(scene, choice,
                    sum(weights[d] * v for d, v in per_step.get((scene, choice), {}).items()),
                    per_step.get((scene, choice), {}), best_at.get(scene))
        for scene, choice in steps
    ]
    # Leaving the best run comes first even without a direct score change: that is where
    # the delayed payoffs (and the run's worth) were lost; then the largest score changes.
    decisions.sort(key=lambda k: (k.verdict != "other", -abs(k.impact)))
    key = [k for k in decisions if k.verdict == "other" or k.impact != 0][:5]
    weakest = scoring.weakest(episode, percents, seen)
    if weakest is not None and percents[weakest] >= 100:
        weakest = None  # nothing left to practise on this path
    best = analysis.best_run
    last = episode.scenes.get(state.ending) if state.ending is not None else None
    ending_kind = last.ending.kind if last is not None and last.ending is not None else None
    return Debrief(episode, state, dims, overall,
                   scoring.profile_for(episode, overall, ending_kind), key,
                   weakest, path_rows(list(state.path), best_path) if best else [],
                   best.overall if best else None)
