"""The season a run of the app starts with: the player's latest percents in other episodes.

Read from the results store in its own thread (`Results`), when the player starts a run:
the run's first scene depends on it (a retrieval scene re-tests the weakest earlier skill).
The app waits for it, as the first scene cannot be drawn without it; it costs one query and
the replay of the player's earlier runs (their analyses come from the cache). A store that
cannot be opened gives no season: the episode starts as it would for a new player.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sam_cowboy.core.model import Episode
    from sam_cowboy.tui.app import SamApp
    from sam_cowboy.tui.session import TestStart


def season_for_run(app: SamApp, episode: Episode, start: TestStart | None,
                   resume: dict[str, Any] | None,
                   replay: list[str] | None) -> Mapping[str, int] | None:
    """The season of the run `app.start_run` is about to build. None for a test run (--at,
    --set) and for an episode whose conditions never read the season; a reload (--watch)
    keeps the season of the run it replays; a resumed run gets the season it began with (the
    results that had ended when its stored run started), so its saved choices replay
    exactly."""
    from sam_cowboy.core.season import observed

    if start or not observed(episode):  # nothing to look up: the first scene needs no wait
        return None
    from sam_cowboy.results.season_memory import library_folders, season_for

    current = app.runs.current
    if replay is not None and current is not None:
        return current.season
    results, player, episode_id = app.results, app.player, episode.id
    saved = resume.get("results") if isinstance(resume, dict) else None
    folders = library_folders(app.config.library, builtin=app.config.builtin)
    box: Future[dict[str, int] | None] = Future()

    def act() -> None:
        try:
            store = results.store()
            if store is None:
                box.set_result(None)
                return
            as_of = None
            if isinstance(saved, dict) and saved.get("store") == results.store_id \
                    and isinstance(saved.get("run_id"), int):
                row = store.run(int(saved["run_id"]))
                if row is not None and row.get("player") == player \
                        and row.get("episode_id") == episode_id:
                    as_of = float(row["started_at"])
            box.set_result(season_for(store, player, episode_id, folders, as_of=as_of))
        finally:
            if not box.done():
                box.set_result(None)  # the error itself is reported by Results, once

    results.submit(act)
    results.flush()  # runs `act` now, unless recording has stopped: then nothing ran
    return box.result() if box.done() else None

