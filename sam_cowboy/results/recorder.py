"""Recording a run as it is played: the small API the app, plain mode and workshops call.

    store = open_store(args.db)                       # or None: record nothing
    rec = RunRecorder(store, episode, player, lang, practice=False, test=state.test,
                      analysis=analysis)
    state, events = engine.begin(episode); rec.begin(state, events)   # optional
    state, events = engine.choose(...);    rec.step(state, events)    # after every choice
    rec.finish(state)     # at the ending (step() does it by itself when state.finished)
    rec.abandon()         # the player left before an ending

The recorder stores what the engine's events say (ChoiceMade, ScoreChanged); it recomputes
nothing. It never breaks play: a store error is reported once through `on_error` (default:
one line on stderr) and recording stops. It is also a context manager that abandons the run
on leaving without an ending.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from sam_cowboy.core import scoring
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.engine import ChoiceMade, EndingReached, Event, ScoreChanged, State
from sam_cowboy.core.model import Episode
from sam_cowboy.results.store import Store, StoreError


def _warn(message: str) -> None:
    print(f"sam-cowboy: results not recorded: {message}", file=sys.stderr)


def changes_of(events: Sequence[Event]) -> list[list[Any]]:
    """[[dimension, delta, scene, choice or null], ...] from the ScoreChanged events."""
    return [[e.dimension, e.delta, e.scene, e.choice] for e in events
            if isinstance(e, ScoreChanged)]


def overall_of(episode: Episode, state: State, analysis: Analysis | None) -> int | None:
    if analysis is None or analysis.bounds is None:
        return None
    return scoring.overall(episode, scoring.percents(episode, state.scores, analysis.bounds))


class RunRecorder:
    def __init__(self, store: Store | None, episode: Episode, player: str, lang: str, *,
                 practice: bool = False, test: bool = False, source: str = "play",
                 analysis: Analysis | None = None, session_code: str | None = None,
                 participant_id: int | None = None, run_id: int | None = None,
                 seq: int = 0, on_error: Callable[[str], None] = _warn) -> None:
        self.store = store
        self.episode = episode
        self.player = player
        self.lang = lang
        self.practice = practice
        self.test = test
        self.source = source
        self.analysis = analysis
        self.session_code = session_code
        self.participant_id = participant_id
        self.run_id = run_id  # set: continue a stored run (resume)
        self.seq = seq        # decisions already stored for that run
        self.on_error = on_error
        self.done = False

    # -------------------------------------------------------------- safety

    def _guard(self, action: Callable[[], None]) -> None:
        if self.store is None:
            return
        try:
            action()
        except StoreError as e:
            self.store = None
            self.on_error(str(e))

    def _ensure(self, state: State | None) -> None:
        if self.run_id is None and self.store is not None:
            self.run_id = self.store.start_run(
                player=self.player, episode_id=self.episode.id,
                episode_hash=self.episode.content_hash, lang=self.lang, source=self.source,
                practice=self.practice, test=self.test or bool(state and state.test),
                session_code=self.session_code, participant_id=self.participant_id,
                scene=state.scene if state else None,
                scores=dict(state.scores) if state else None)

    # -------------------------------------------------------------- API

    def begin(self, state: State, events: Sequence[Event] = ()) -> None:
        """The run started (engine.begin's outcome); creates the stored run."""
        self._guard(lambda: self._ensure(state))
        if state.finished:
            self.finish(state)

    def step(self, state: State, events: Sequence[Event]) -> None:
        """After each engine.choose: store the decision and its score changes."""
        if self.done:
            return

        def act() -> None:
            self._ensure(state)
            assert self.store is not None and self.run_id is not None
            now = time.time()
            made = [e for e in events if isinstance(e, ChoiceMade)]
            changes = changes_of(events)
            rows = []
            for e in made:
                rows.append({"seq": self.seq, "scene": e.scene, "choice": e.choice,
                             "at": now, "changes": changes})
                self.seq += 1
            self.store.record_decisions(self.run_id, rows, scene=state.scene,
                                        scores=dict(state.scores), at=now)

        self._guard(act)
        if state.finished or any(isinstance(e, EndingReached) for e in events):
            self.finish(state)

    def finish(self, state: State) -> None:
        """The run reached its ending: store the ending and the final scores."""
        if self.done:
            return
        self.done = True

        def act() -> None:
            self._ensure(state)
            assert self.store is not None and self.run_id is not None
            ending = state.ending
            scene = self.episode.scenes.get(ending) if ending else None
            kind = scene.ending.kind if scene is not None and scene.ending else None
            self.store.finish_run(self.run_id, ending=ending, ending_kind=kind,
                                  scores=dict(state.scores),
                                  overall=overall_of(self.episode, state, self.analysis),
                                  status="finished" if ending else "stopped")

        self._guard(act)

    def abandon(self) -> None:
        """The player left before an ending (quit, end of input)."""
        if self.done:
            return
        self.done = True

        def act() -> None:
            if self.run_id is not None and self.store is not None:
                self.store.abandon_run(self.run_id)

        self._guard(act)

    def __enter__(self) -> RunRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.abandon()
