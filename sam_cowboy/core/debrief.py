"""What a finished (or stopped) run means: scores, label, key decisions, best run beside it.

Built once from the engine's state and the analysis, then drawn by the app, plain mode and
workshop reports alike, and serialised as `sam-cowboy run --json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sam_cowboy.core import scoring
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.engine import State
from sam_cowboy.core.i18n import render
from sam_cowboy.core.model import Episode, Profile


@dataclass(frozen=True)
class DimensionResult:
    id: str
    raw: int
    min: int
    max: int
    percent: int


@dataclass(frozen=True)
class KeyDecision:
    scene: str
    choice: str
    impact: float  # effect on the overall percent, before rounding
    changes: dict[str, int]
    best_choice: str | None  # what the best run did in that scene (None: it never came)


@dataclass(frozen=True)
class Debrief:
    episode: Episode
    state: State
    dimensions: list[DimensionResult]
    overall: int
    profile: Profile | None
    key_decisions: list[KeyDecision] = field(default_factory=list)
    weakest: str | None = None

    @property
    def ending_kind(self) -> str | None:
        if self.state.ending is None:
            return None
        ending = self.episode.scenes[self.state.ending].ending
        return ending.kind if ending else None

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
                       for d in self.dimensions},
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


def build(episode: Episode, state: State, analysis: Analysis) -> Debrief:
    assert analysis.bounds is not None, "debriefs need an episode without errors"
    bounds = analysis.bounds
    dims = []
    for did in episode.dimensions:
        lo, hi = bounds[did]
        raw = state.scores.get(did, 0)
        dims.append(DimensionResult(did, raw, lo, hi, scoring.percent(raw, lo, hi)))
    overall = scoring.overall(episode, {d.id: d.percent for d in dims})
    weights = impact_weights(episode, bounds)
    per_step: dict[tuple[str, str], dict[str, int]] = {}
    for scene, choice, dim, delta in state.changes:
        if choice:
            step = per_step.setdefault((scene, choice), {})
            step[dim] = step.get(dim, 0) + delta
    best_at: dict[str, str] = {}
    if analysis.best_run is not None:
        for scene, choice in analysis.best_run.path:
            best_at.setdefault(scene, choice)
    decisions = [
        KeyDecision(scene, choice, sum(weights[d] * v for d, v in changes.items()), changes,
                    best_at.get(scene))
        for (scene, choice), changes in per_step.items()
    ]
    decisions.sort(key=lambda k: -abs(k.impact))
    key = [k for k in decisions if k.impact != 0][:5]
    weakest = min(dims, key=lambda d: (d.percent, -episode.dimensions[d.id].weight)).id \
        if dims else None
    return Debrief(episode, state, dims, overall, scoring.profile_for(episode, overall), key,
                   weakest)
