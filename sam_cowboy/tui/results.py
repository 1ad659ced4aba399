"""Recording the app's runs in the results store, exactly as plain mode does, off the UI thread.

Every run played in the app is recorded with `results.recorder.RunRecorder` (source "app"):
player, episode id and content hash, language, each decision with its score changes, the
ending and final scores. The store is the one `play --db` names, else $SAM_COWBOY_DB, else
the data folder (`open_store(None)`). It is opened, and the results modules imported, in one
background thread on the first recording, so neither SQLite nor psycopg is loaded before the
first frame, and a slow disk or server never delays a key press. Calls run in that thread in
the order they were made; quitting waits for them.

What a report reader finds:
- a finished run: status `finished`, its decisions, ending and overall percent;
- a run left before its ending (`q`): status `abandoned`. When the player later continues it
  from the autosave, the same stored run is reopened (`reopen_run`) and its decisions go on
  from where they stopped, so one run played in two sittings is one row, not two. Starting
  over abandons the saved run for good. If the episode file changed in between (another
  content hash) or the store is another one, a new run is recorded, replayed choices
  included;
- practice runs are marked `practice` (turning practice on in the middle of a run marks the
  stored run too). Undo is practice-only: the stored decisions are the log of every choice
  made, in order, an undone one included (the store has no "undone" mark); the run's scene,
  scores, ending and overall are those of the path the player finally took;
- `--at` / `--set` runs are marked `test`; they are never autosaved, resumed or counted;
- `--watch`: a reload that changes the episode ends the stored run (abandoned) and records a
  new one against the new version, its replayed choices included.

A store that cannot be opened or written stops recording with one calm notification; play
goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sam_cowboy.core.engine import Event, State

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from sam_cowboy.results.recorder import RunRecorder
    from sam_cowboy.results.store import Store
    from sam_cowboy.tui.session import PlayRun

SOURCE = "app"


class Results:
    """The app's link to the results store: one worker thread, calls in order."""

    def __init__(self, db: str | None, on_error: Callable[[str], None]) -> None:
        self.db = db
        self.on_error = on_error
        self._pool: ThreadPoolExecutor | None = None
        self._store: Store | None = None
        self._opened = False
        self._failed = False
        self.store_id: str | None = None  # a hash of the store's URL (no password kept)
        self._lock = threading.Lock()
        # Calls wait here until `release()` (the app calls it once the first scene is on
        # screen), so opening the store never competes with drawing the first frames.
        self._held: list[Callable[[], None]] | None = []
        self._deferred: list[RunLog] = []  # runs whose calls may wait for the next frame

    # ------------------------------------------------------------ thread side

    def store(self) -> Store | None:
        """The open store (worker thread only), or None when it cannot be used."""
        if not self._opened:
            self._opened = True
            from sam_cowboy.results import StoreError, open_store

            try:
                self._store = open_store(self.db)
            except StoreError as e:
                self.fail(str(e))
                return None
            url = str(getattr(self._store, "url", "") or self.db or "")
            import hashlib

            self.store_id = hashlib.sha256(url.encode()).hexdigest()[:16]
        return self._store

    def fail(self, message: str) -> None:
        """Recording stops; the player is told once."""
        with self._lock:
            if self._failed:
                return
            self._failed = True
        self._store = None
        self.on_error(message)

    def _call(self, action: Callable[[], None]) -> None:
        if self._failed:
            return
        try:
            action()
        except Exception as e:  # never break play: tell once and stop recording
            self.fail(str(e) or type(e).__name__)

    # ------------------------------------------------------------ UI side

    def release(self) -> None:
        """Start the results thread (idempotent); held calls run first, in order."""
        held, self._held = self._held, None
        for action in held or []:
            self.submit(action)

    def submit(self, action: Callable[[], None]) -> None:
        if self._failed:
            return
        if self._held is not None:
            self._held.append(action)
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sam-results")
        self._pool.submit(self._call, action)

    def _push_deferred(self) -> None:
        for log in self._deferred:
            log.push()

    def flush(self) -> None:
        """Wait for every call made so far."""
        self._push_deferred()
        self.release()
        if self._pool is not None:
            self._pool.submit(lambda: None).result()

    def close(self) -> None:
        """Finish every pending call, then close the store."""
        self._push_deferred()
        self._deferred.clear()
        self.release()
        if self._pool is None:
            return

        def close_store() -> None:
            if self._store is not None:
                self._store.close()
                self._store = None

        self._pool.submit(close_store)
        self._pool.shutdown(wait=True)
        self._pool = None
        self._opened = False


class RunLog:
    """The stored record of one app run. Methods are called on the UI thread."""

    def __init__(self, results: Results, run: PlayRun, player: str, lang: str,
                 resume: dict[str, Any] | None = None,
                 defer: Callable[[Callable[[], None]], None] | None = None) -> None:
        self.results = results
        # `defer` runs a callable after the next frame (App.call_after_refresh): a decision is
        # handed to the results thread once the next scene is drawn, not while it is drawn.
        self.defer = defer
        self._pending: list[Callable[[], None]] = []
        if defer is not None:
            results._deferred.append(self)
        self.run = run
        self.player = player
        self.lang = lang
        self.recorder: RunRecorder | None = None
        self.run_id: int | None = None  # set by the worker once the run is stored
        self.ended = False
        began, replayed = run.began, list(run.replayed)
        practice, test = run.practice, run.test
        saved = resume.get("results") if isinstance(resume, dict) else None
        episode = run.episode

        def start() -> None:
            store = results.store()
            if store is None:
                return
            from sam_cowboy.results.recorder import RunRecorder

            recorder = RunRecorder(store, episode, player, lang, practice=practice, test=test,
                                   source=SOURCE, analysis=run.analysis,
                                   on_error=results.fail)
            continued = self._continue(store, saved, len(replayed))
            if continued is not None:
                recorder.run_id, recorder.seq = continued
            else:
                recorder.begin(*began)
                for state, events in replayed:
                    recorder.step(state, events)
            self.recorder = recorder
            self.run_id = recorder.run_id
            if run.assess and continued is None and recorder.run_id is not None:
                from sam_cowboy.results.learning import mark_assessment

                mark_assessment(store, recorder.run_id)

        results.submit(start)

    def _continue(self, store: Store, saved: object, count: int) -> tuple[int, int] | None:
        """The stored run to go on with after a resume: (run id, decisions stored), or None."""
        if not isinstance(saved, dict) or saved.get("store") != self.results.store_id:
            return None
        run_id = saved.get("run_id")
        if not isinstance(run_id, int):
            return None
        row = store.run(run_id)
        episode = self.run.episode
        if (row is None or row.get("player") != self.player
                or row.get("episode_id") != episode.id
                or row.get("episode_hash") != episode.content_hash
                or row.get("status") not in ("playing", "abandoned")):
            return None
        if len(store.decisions(run_id)) != count:
            return None
        store.reopen_run(run_id)
        return run_id, count

    def _with(self, action: Callable[[RunRecorder], None], later: bool = False) -> None:
        analysis = self.run.analysis

        def act() -> None:
            if self.recorder is not None:
                if analysis is not None:
                    self.recorder.analysis = analysis
                action(self.recorder)

        if later and self.defer is not None:
            self._pending.append(act)
            if len(self._pending) == 1:
                self.defer(self.push)
            return
        self.push()
        self.results.submit(act)

    def push(self) -> None:
        """Hand the deferred calls to the results thread, in order."""
        pending, self._pending = self._pending, []
        for act in pending:
            self.results.submit(act)

    def step(self, state: State, events: list[Event]) -> None:
        """After each choice (PlayRun.on_step)."""
        if state.finished:
            self.ended = True
        self._with(lambda r: r.step(state, events), later=True)

    def undone(self, state: State) -> None:
        """Practice undo: the run's position goes back; the decisions log keeps the choice."""
        def act(r: RunRecorder) -> None:
            if r.store is not None and r.run_id is not None and not r.done:
                r.store.record_decisions(r.run_id, [], scene=state.scene,
                                         scores=dict(state.scores))

        self._with(act)

    def mark_practice(self) -> None:
        """Practice turned on in the middle of the run: the stored run is practice too."""
        def act(r: RunRecorder) -> None:
            r.practice = True
            if r.store is not None and r.run_id is not None:
                r.store.mark_practice(r.run_id)

        self._with(act)

    def abandon(self) -> None:
        """The player left before an ending (quit, a reload that restarts the run)."""
        if self.ended:
            return
        self.ended = True
        self._with(lambda r: r.abandon())

    def saved(self) -> dict[str, Any] | None:
        """What the autosave keeps to continue this stored run later."""
        if self.run_id is None or self.results.store_id is None:
            return None
        return {"store": self.results.store_id, "run_id": self.run_id}


def abandon_saved(results: Results, player: str, saved: object) -> None:
    """A saved run the player chose not to continue: abandoned for good in the store."""
    if not isinstance(saved, dict) or not isinstance(saved.get("run_id"), int):
        return
    run_id = int(saved["run_id"])

    def act() -> None:
        store = results.store()
        if store is None or saved.get("store") != results.store_id:
            return
        row = store.run(run_id)
        if row is not None and row.get("player") == player:
            store.abandon_run(run_id)

    results.submit(act)
