"""One run of an episode as the app plays it: the engine's state, the history for undo.

Nothing here decides anything: every move goes through `core.engine`, every score through
`core.debrief` / `core.scoring`. This only remembers previous states so practice mode can go
back one choice, turns a saved list of choice ids back into a run, and hands every engine
outcome to `on_step` (the results recorder) exactly as plain mode does.

The analysis (exact bounds, best run) may arrive after the run has started: the app shows
the first scene while it is computed in a worker; `analysis` is None until then.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sam_cowboy.core import engine
from sam_cowboy.core.engine import Composed, Event, FeedbackShown, ScoreChanged, State
from sam_cowboy.core.model import Choice, Episode, Value

if TYPE_CHECKING:  # the analysis and the debrief load after the first scene is drawn
    from sam_cowboy.core.analysis import Analysis
    from sam_cowboy.core.debrief import Debrief

Outcome = tuple[State, list[Event]]


@dataclass(frozen=True)
class TestStart:
    """`play --at SCENE --set NAME=VALUE`: where a test run starts and what it presets."""

    at: str | None = None
    preset: Mapping[str, Value] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.at) or bool(self.preset)


@dataclass
class Step:
    """What the last choice did, for the feedback panel."""

    scene: str
    choice: Choice
    feedback: FeedbackShown | None
    changes: list[ScoreChanged]
    composed: Composed | None = None  # a compose scene's message and its checklist

    @property
    def worth_showing(self) -> bool:
        return self.feedback is not None or bool(self.changes)


@dataclass
class PlayRun:
    episode: Episode
    analysis: Analysis | None
    practice: bool = False
    start: TestStart = field(default_factory=TestStart)
    state: State = field(init=False)
    history: list[State] = field(default_factory=list)
    last: Step | None = None
    began: Outcome = field(init=False)
    replayed: list[Outcome] = field(default_factory=list)  # outcomes of a resume's replay
    on_step: Callable[[State, list[Event]], None] | None = None
    assess: bool = False  # scores, gauges and principles wait for the debrief
    season: Mapping[str, int] | None = None  # the player's earlier results: season('d')

    def __post_init__(self) -> None:
        self.began = engine.begin(self.episode, at=self.start.at,
                                  preset=dict(self.start.preset) or None, season=self.season)
        self.state = self.began[0]

    @classmethod
    def resume(cls, episode: Episode, analysis: Analysis | None, choices: list[str],
               practice: bool, start: TestStart | None = None,
               season: Mapping[str, int] | None = None, assess: bool = False) -> PlayRun:
        """Replay saved choice ids under the season the run began with; EngineError if the
        episode no longer allows them."""
        run = cls(episode, analysis, practice, start or TestStart(), season=season,
                  assess=assess)
        for choice_id in choices:
            run.history.append(run.state)
            outcome = engine.choose(episode, run.state, choice_id)
            run.replayed.append(outcome)
            run.state = outcome[0]
        return run

    @property
    def test(self) -> bool:
        """Started mid-episode or with preset variables: never saved, never counted."""
        return self.state.test

    @property
    def shown(self) -> list[Choice]:
        return engine.choices_shown(self.episode, self.state)

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def choice_ids(self) -> list[str]:
        return [choice for _, choice in self.state.path]

    def choose_number(self, number: int) -> Step:
        before = self.state
        shown = self.shown
        choice = shown[number - 1] if 1 <= number <= len(shown) else None
        if choice is None:
            raise engine.EngineError(f"choice {number} is not shown in scene `{before.scene}`")
        return self._took(before, choice, engine.choose(self.episode, before, choice.id))

    def compose(self, fragment_ids: list[str]) -> Step:
        """Send a compose scene's message: shown fragment ids, in the order picked."""
        before = self.state
        state, events = engine.compose(self.episode, before, fragment_ids)
        choice = self.episode.scenes[before.scene].choice(state.path[-1][1])
        assert choice is not None  # the engine made this message a choice of the scene
        return self._took(before, choice, (state, events))

    def _took(self, before: State, choice: Choice, outcome: Outcome) -> Step:
        state, events = outcome
        self.history.append(before)
        self.state = state
        self.last = step_of(before.scene, choice, events)
        if self.on_step is not None:
            self.on_step(state, events)
        return self.last

    def ahead(self) -> list[tuple[State, list[ScoreChanged]]]:
        """The state each shown choice leads to and the score changes it makes, endings
        left out; nothing is recorded (the screen draws these while the player reads)."""
        outcomes = []
        for choice in self.shown:
            try:
                state, events = engine.choose(self.episode, self.state, choice.id)
            except engine.EngineError:
                continue
            if not state.finished:
                outcomes.append((state, score_changes(events)))
        return outcomes

    def can_undo(self) -> bool:
        return self.practice and bool(self.history)

    def undo(self) -> bool:
        if not self.can_undo():
            return False
        self.state = self.history.pop()
        self.last = None
        return True

    def debrief(self) -> Debrief:
        from sam_cowboy.core.debrief import build

        assert self.analysis is not None, "the debrief needs the analysis"
        return build(self.episode, self.state, self.analysis, self.began[0])


def step_of(scene: str, choice: Choice, events: list[Event]) -> Step:
    feedback = next((e for e in events if isinstance(e, FeedbackShown)), None)
    composed = next((e for e in events if isinstance(e, Composed)), None)
    return Step(scene, choice, feedback, score_changes(events), composed)


def score_changes(events: list[Event]) -> list[ScoreChanged]:
    """The changes a choice made (not those of entering a scene)."""
    return [e for e in events if isinstance(e, ScoreChanged) and e.choice is not None]
