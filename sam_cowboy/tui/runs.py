"""The run being played: built from a fresh start, a save or a reload; saved after each
choice; recorded once it ends. No drawing here: the app shows what this returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sam_cowboy.core.engine import EngineError
from sam_cowboy.core.model import Episode
from sam_cowboy.tui.analyses import key_of
from sam_cowboy.tui.preferences import assessing
from sam_cowboy.tui.results import Results, RunLog, abandon_saved
from sam_cowboy.tui.saves import SaveStore
from sam_cowboy.tui.session import PlayRun, TestStart

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis


class RunController:
    """The run in progress, its results log, and the finished runs waiting for their
    analysis (the overall percent needs the exact bounds)."""

    def __init__(self, store: SaveStore, results: Results, player: str,
                 defer: Callable[..., Any]) -> None:
        self.store = store
        self.results = results
        self.player = player
        self.defer = defer  # runs a call after the next frame (the app's call_after_refresh)
        self.current: PlayRun | None = None
        self.log: RunLog | None = None
        self.unrecorded: list[PlayRun] = []

    def build(self, episode: Episode, analysis: Analysis | None, practice: bool,
              lang: str, resume: dict[str, Any] | None = None, start: TestStart | None = None,
              replay: list[str] | None = None,
              season: Mapping[str, int] | None = None) -> tuple[PlayRun, bool]:
        """A run of `episode`, fresh, from a save (`resume`) or replaying `replay` (a reload);
        made current. Also says whether the saved or replayed choices could not be replayed
        (the run then starts afresh)."""
        start = start or TestStart()
        run: PlayRun | None = None
        failed = False
        choices = resume.get("choices") if resume is not None else replay
        if choices is not None:
            try:
                if not isinstance(choices, list):
                    raise EngineError("no choices saved")
                was_practice = bool(resume.get("practice", False)) if resume is not None \
                    else practice
                # an assessment goes on as one: from its save, or the run a reload replays
                was_assess = resume.get("assess") is True if resume is not None else \
                    self.current is not None and self.current.assess
                run = PlayRun.resume(episode, analysis, [str(c) for c in choices],
                                     was_practice, start, season, assess=was_assess)
            except EngineError:
                failed = True
                if resume is not None:
                    self.discard_progress(episode.id)
                resume = None
        if run is None:
            run = PlayRun(episode, analysis, practice, start, season=season,
                          assess=assessing(self.store.settings) and not practice)
        self.leave()
        self.current = run
        self.log = RunLog(self.results, run, self.player, lang, resume=resume, defer=self.defer)
        run.on_step = self.log.step
        return run, failed

    def leave(self) -> None:
        """The run on screen is left before its ending: abandoned in the results store."""
        run, log = self.current, self.log
        if log is not None and run is not None and not run.finished:
            log.abandon()
        self.current = None
        self.log = None

    def discard_progress(self, episode_id: str) -> None:
        """The player will not continue the saved run: gone from the save, abandoned."""
        record = self.store.in_progress(episode_id)
        if record is not None:
            abandon_saved(self.results, self.player, record.get("results"))
        self.store.clear_progress(episode_id)

    def after_step(self, run: PlayRun) -> bool:
        """After every choice: save the run, or record it once it has ended. True when the
        run ended before its analysis was known (the caller asks for it now)."""
        if run.test:  # --at / --set: never saved, never counted
            return False
        if not run.finished:
            self.autosave(run)
            return False
        if run.practice:
            self.store.clear_progress(run.episode.id)
            return False
        if run.analysis is None:
            self.unrecorded.append(run)
            return True
        self.record_completion(run)
        return False

    def analysis_ready(self, episode: Episode, analysis: Analysis) -> None:
        """Give the analysis to the run in progress and record the runs waiting for it."""
        key = key_of(episode)
        run = self.current
        if run is not None and run.analysis is None and key_of(run.episode) == key:
            run.analysis = analysis
        for done in [r for r in self.unrecorded if key_of(r.episode) == key]:
            self.unrecorded.remove(done)
            done.analysis = done.analysis or analysis
            self.record_completion(done)

    def record_completion(self, run: PlayRun) -> None:
        """Keep a finished run for the player, with its overall percent."""
        self.store.record_completion(run.episode.id, run.episode.content_hash, run.choice_ids,
                                     run.state.ending, ending_kind(run), overall(run))

    def autosave(self, run: PlayRun) -> None:
        if not run.finished and not run.test:
            log = self.log if self.current is run else None
            self.store.save_progress(run.episode.id, run.episode.content_hash, run.choice_ids,
                                     run.state.scene, run.practice,
                                     results=log.saved() if log is not None else None,
                                     assess=run.assess)

    def undone(self, run: PlayRun) -> None:
        """Practice undo: the stored run's position follows; the save too."""
        if self.log is not None and self.current is run:
            self.log.undone(run.state)
        self.autosave(run)

    def practise_from_now(self) -> bool:
        """Practice mode switched on mid-run: the run stops counting. True if it changed."""
        run = self.current
        if run is None or run.finished or run.practice:
            return False
        run.practice = True
        if self.log is not None:
            self.log.mark_practice()
        self.autosave(run)
        return True

    def quit(self) -> bool:
        """The app closes: a run left unfinished is abandoned and saved to resume. True if
        there was one."""
        run = self.current
        if run is None or run.finished:
            return False
        if self.log is not None:
            self.log.abandon()
        self.results.flush()  # the stored run's id goes into the save
        self.autosave(run)
        return True


def ending_kind(run: PlayRun) -> str | None:
    ending = run.state.ending
    scene = run.episode.scenes.get(ending) if ending else None
    return scene.ending.kind if scene is not None and scene.ending else None


def overall(run: PlayRun) -> int:
    from sam_cowboy.core import scoring

    if run.analysis is None or run.analysis.bounds is None:
        return 0
    return scoring.overall(run.episode, scoring.percents(run.episode, run.state.scores,
                                                          run.analysis.bounds))
