"""`play EPISODE --watch`: reload the episode whenever its file (or its series.yaml) is saved.

watchfiles watches the file's folder (editors often save by writing a new file and renaming
it over the old one) with a short debounce, so one save is one reload. Loading and the
analysis run in a thread, never on the UI thread; the app then shows the findings, or
switches to the new version and keeps the player where they were (see SamApp.reloaded).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis
    from sam_cowboy.core.model import Episode
    from sam_cowboy.tui.app import SamApp

DEBOUNCE_MS = 300


class Watcher:
    def __init__(self, app: SamApp, path: Path, debounce: int = DEBOUNCE_MS,
                 **options: Any) -> None:
        self.app = app
        self.path = Path(path)  # as the user typed it: findings name it that way
        self.debounce = debounce
        self.options = options  # more watchfiles.awatch options (tests: force_polling=True)
        self._stop: asyncio.Event | None = None
        self.reloads = 0  # versions loaded so far (tests wait on it)

    def start(self) -> None:
        self.app.run_worker(self._watch(), group="watch", exit_on_error=False)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()

    def _wanted(self, _change: object, path: str) -> bool:
        return Path(path).name in (self.path.name, "series.yaml")

    async def _watch(self) -> None:
        from watchfiles import awatch

        self._stop = asyncio.Event()
        async for _changes in awatch(self.path.resolve().parent, watch_filter=self._wanted,
                                     debounce=self.debounce, stop_event=self._stop,
                                     recursive=False, **self.options):
            episode, analysis, problems = await asyncio.to_thread(self.load)
            self.reloads += 1
            self.app.reloaded(episode, analysis, problems)

    def load(self) -> tuple[Episode | None, Analysis | None, list[str]]:
        """The new version, checked like `sam-cowboy check` does (loader, then analysis)."""
        from sam_cowboy.core.analysis import analyse
        from sam_cowboy.core.loader import load_episode

        try:
            result = load_episode(self.path)
        except OSError as e:
            return None, None, [f"{self.path}: {e.strerror or e}"]
        if result.episode is None:
            return None, None, [f.format() for f in result.errors] or [f"{self.path}: ?"]
        analysis = analyse(result.episode)
        return result.episode, analysis, self.app.errors_of(analysis)
