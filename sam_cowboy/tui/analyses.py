"""Analyses for the app: each episode version analysed once, in a worker thread.

The analysis (bounds, best run, findings) is pure Python and holds the GIL: it starts a
moment after it is asked for, so the intro and the first scene draw first (they need no
bounds), and at once when something waits for it (the debrief).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sam_cowboy.core.model import Episode

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from sam_cowboy.core.analysis import Analysis

ANALYSIS_DELAY = 0.3  # seconds after an episode is shown before its analysis starts

Key = tuple[str, str]


def key_of(episode: Episode) -> Key:
    """An episode version: its id and the hash of its text."""
    return episode.id, episode.content_hash


def errors_of(analysis: Analysis | None) -> list[str]:
    """The analysis' errors as lines (file:line:col: ...); none while it is unknown."""
    if analysis is None:
        return []
    found = [f.format() for f in analysis.findings if f.severity == "error"]
    if not found and not analysis.ok:
        found = ["?"]
    return found


class AnalysisScheduler:
    """Analyses kept by episode version; `on_ready(episode, analysis)` runs on the UI thread
    when one is known."""

    def __init__(self, app: App[Any], on_ready: Callable[[Episode, Analysis], None],
                 use_disk_cache: bool = True) -> None:
        self.app = app
        self.on_ready = on_ready
        self.use_disk_cache = use_disk_cache  # off under --watch: versions change under it
        self.known: dict[Key, Analysis] = {}
        self.running: set[Key] = set()
        self.timers: dict[Key, Timer] = {}

    @property
    def busy(self) -> bool:
        """An analysis is running or about to."""
        return bool(self.running)

    def cached(self, episode: Episode) -> Analysis | None:
        return self.known.get(key_of(episode))

    def remember(self, episode: Episode, analysis: Analysis) -> None:
        self.known[key_of(episode)] = analysis

    def request(self, episode: Episode, now: bool = False) -> None:
        """Analyse `episode` (after ANALYSIS_DELAY unless `now`), unless known or running."""
        cached = self.cached(episode)
        if cached is not None:
            self.on_ready(episode, cached)
            return
        key = key_of(episode)
        if key in self.running:
            timer = self.timers.pop(key, None) if now else None
            if timer is not None:  # wanted at once (the debrief): no wait
                timer.stop()
                self._start(episode)
            return
        self.running.add(key)
        if now or ANALYSIS_DELAY <= 0:
            self._start(episode)
            return

        def start() -> None:
            if self.timers.pop(key, None) is not None:
                self._start(episode)

        self.timers[key] = self.app.set_timer(ANALYSIS_DELAY, start)

    def _start(self, episode: Episode) -> None:
        def work() -> None:
            try:
                analysis = self.analyse(episode)
            except Exception as e:  # reported as the episode's error, never waited on
                from sam_cowboy.library import failed_analysis

                analysis = failed_analysis(episode, f"the analysis failed ({type(e).__name__})")
            self.app.call_from_thread(self._done, episode, analysis)

        self.app.run_worker(work, thread=True, group="analysis", exit_on_error=False)

    def _done(self, episode: Episode, analysis: Analysis) -> None:
        key = key_of(episode)
        self.known[key] = analysis
        self.running.discard(key)
        self.on_ready(episode, analysis)

    def analyse(self, episode: Episode) -> Analysis:
        """From the on-disk cache that `run` and workshops share when the file on disk is
        still this version (ep05's analysis takes seconds), else computed here."""
        from sam_cowboy.core.analysis import analyse

        path = Path(episode.file)
        if self.use_disk_cache and path.is_file():
            try:
                same = hashlib.sha256(path.read_bytes()).hexdigest()[:16] == episode.content_hash
            except OSError:
                same = False
            if same:
                from sam_cowboy.analysis_cache import cached_analysis

                return cached_analysis(episode, path)
        return analyse(episode)
