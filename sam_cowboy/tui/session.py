"""One run of an episode as the app plays it: the engine's state, the history for undo.

Nothing here decides anything: every move goes through `core.engine`, every score through
`core.debrief` / `core.scoring`. This only remembers previous states so practice mode can go
back one choice, and turns a saved list of choice ids back into a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.debrief import Debrief, build
from sam_cowboy.core.engine import Event, FeedbackShown, ScoreChanged, State
from sam_cowboy.core.model import Choice, Episode


@dataclass
class Step:
    """What the last choice did, for the feedback panel."""

    scene: str
    choice: Choice
    feedback: FeedbackShown | None
    changes: list[ScoreChanged]

    @property
    def worth_showing(self) -> bool:
        return self.feedback is not None or bool(self.changes)


@dataclass
class PlayRun:
    episode: Episode
    analysis: Analysis
    practice: bool = False
    state: State = field(init=False)
    history: list[State] = field(default_factory=list)
    last: Step | None = None

    def __post_init__(self) -> None:
        self.state, _ = engine.begin(self.episode)

    @classmethod
    def resume(cls, episode: Episode, analysis: Analysis, choices: list[str],
               practice: bool) -> PlayRun:
        """Replay saved choice ids; EngineError if the episode no longer allows them."""
        run = cls(episode, analysis, practice)
        for choice_id in choices:
            run.history.append(run.state)
            run.state, _ = engine.choose(episode, run.state, choice_id)
        return run

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
        state, events = engine.choose_number(self.episode, before, number)
        assert choice is not None
        self.history.append(before)
        self.state = state
        self.last = step_of(before.scene, choice, events)
        return self.last

    def can_undo(self) -> bool:
        return self.practice and bool(self.history)

    def undo(self) -> bool:
        if not self.can_undo():
            return False
        self.state = self.history.pop()
        self.last = None
        return True

    def debrief(self) -> Debrief:
        return build(self.episode, self.state, self.analysis)


def step_of(scene: str, choice: Choice, events: list[Event]) -> Step:
    feedback = next((e for e in events if isinstance(e, FeedbackShown)), None)
    changes = [e for e in events if isinstance(e, ScoreChanged) and e.choice is not None]
    return Step(scene, choice, feedback, changes)
