"""The results store's interface and the SQL both backends share (see store.py for opening one).

Everything that is played is kept here: runs and their decisions (app, plain mode,
workshops), and the state of workshop sessions (participants, votes, the group's path).
For workshops, only the workshop server opens the store (docs/workshops.md); several
servers on one PostgreSQL database share sessions and wake each other with NOTIFY.

Where the store lives, first match wins:
  1. `--db URL` on the command line (`open_store(url)`),
  2. the environment variable SAM_COWBOY_DB,
  3. `results.sqlite3` in the data directory: SAM_COWBOY_DATA_DIR, else the platform's user
     data directory (platformdirs: ~/.local/share/sam-cowboy on Linux).
A URL is `postgresql://...` / `postgres://...` (psycopg 3), `sqlite:///abs/path`,
`sqlite:relative/path`, or a plain file path.

Times are Unix seconds (float); scores and changes are JSON text, so both dialects store the
same thing. SQL is written once with `?` placeholders.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sam_cowboy.results.migrations import LATEST, MIGRATIONS
from sam_cowboy.userdirs import data_dir

ENV_DB = "SAM_COWBOY_DB"
DB_FILE = "results.sqlite3"

Row = dict[str, Any]


class StoreError(Exception):
    """The store cannot be opened or used; the message is one line for the user."""


class StoreUnavailable(StoreError):
    """The database cannot be reached right now (restarting, network): try again later.
    Nothing of the failed call was committed, or it was and repeating it changes nothing
    (every workshop write is idempotent), so the caller retries the whole call."""


def default_url() -> str:
    return os.environ.get(ENV_DB) or str(data_dir() / DB_FILE)


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    if "://" in url and "@" in url.split("://", 1)[1]:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


EVENTS_CHANNEL = "sam_cowboy_events"  # NOTIFY payload: the session code that changed


class Store:
    """The interface and the SQL both backends share; subclasses supply the connection."""

    dialect = "base"
    url = ""
    types: dict[str, str] = {}

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._depth = 0

    # ------------------------------------------------------------ backend hooks

    def _raw_execute(self, sql: str, params: Sequence[Any]) -> Any:
        raise NotImplementedError

    def _begin(self, exclusive: bool) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def _translate(self, error: BaseException) -> BaseException:
        """A backend's own exception as a StoreError (one line); others unchanged."""
        return error

    def _migration_lock(self) -> None:
        """Inside the migration transaction: serialise migrating processes."""

    def row_lock(self, shared: bool) -> str:
        """Suffix of a SELECT that locks the session row for the rest of the transaction."""
        return ""

    def close(self) -> None:
        raise NotImplementedError

    def notify(self, code: str) -> None:
        """Tell the other servers that session `code` changed (on commit, inside a
        transaction). Nothing to do with SQLite: one server owns the file."""

    # ------------------------------------------------------------ plumbing

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._lock:
            return self._raw_execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            cur = self._raw_execute(sql, params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def transaction(self, exclusive: bool = True) -> Iterator[Store]:
        """One atomic unit of work; nested calls join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self._begin(exclusive)
            self._depth = 1
            try:
                yield self
            except BaseException as e:
                self._depth = 0
                self._rollback()
                translated = self._translate(e)
                if translated is e:
                    raise
                raise translated from None
            else:
                self._depth = 0
                self._commit()

    def schema_version(self) -> int:
        row = self.query_one("SELECT max(version) AS v FROM schema_migrations")
        return int(row["v"] or 0) if row else 0

    def migrate(self) -> None:
        try:
            current: int | None = self.schema_version()
        except StoreError:
            current = None  # a new database: no schema_migrations table yet
        if current is not None and current > LATEST:
            raise StoreError(f"the results database {describe(self.url)} has schema version "
                             f"{current}, newer than this sam-cowboy ({LATEST}): upgrade "
                             f"sam-cowboy")
        if current == LATEST:
            return
        with self.transaction():
            self._migration_lock()
            self.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                         "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at "
                         f"{self.types['real']} NOT NULL)")
            current = self.schema_version()
            for version, name, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    self.execute(statement.format(**self.types))
                self.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                             "VALUES (?, ?, ?)", (version, name, time.time()))

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        row = self.query_one(sql + " RETURNING id", params)
        assert row is not None
        return int(row["id"])

    # ------------------------------------------------------------ runs

    def start_run(self, *, player: str, episode_id: str, episode_hash: str, lang: str,
                  source: str = "play", practice: bool = False, test: bool = False,
                  session_code: str | None = None, participant_id: int | None = None,
                  scene: str | None = None, scores: dict[str, int] | None = None,
                  at: float | None = None) -> int:
        now = at if at is not None else time.time()
        with self.transaction():
            return self._insert_id(
                "INSERT INTO runs (player, episode_id, episode_hash, lang, source, started_at, "
                "updated_at, scene, scores, practice, test, session_code, participant_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (player, episode_id, episode_hash, lang, source, now, now, scene,
                 dumps(scores or {}), int(practice), int(test), session_code, participant_id))

    def record_decisions(self, run_id: int, decisions: Sequence[Row], *,
                         scene: str | None = None, scores: dict[str, int] | None = None,
                         at: float | None = None) -> None:
        """Add decisions {seq, scene, choice, at, changes} and the run's position so far.

        Recording the same seq again changes nothing (a retry after a lost reply is safe).
        """
        now = at if at is not None else time.time()
        with self.transaction():
            for d in decisions:
                self.execute("INSERT INTO decisions (run_id, seq, scene, choice, at, changes) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, seq) DO NOTHING",
                             (run_id, d["seq"], d["scene"], d["choice"], d["at"],
                              dumps(d.get("changes", []))))
            sets: list[str] = ["updated_at = ?"]
            params: list[Any] = [now]
            if scene is not None:
                sets.append("scene = ?")
                params.append(scene)
            if scores is not None:
                sets.append("scores = ?")
                params.append(dumps(scores))
            self.execute(f"UPDATE runs SET {', '.join(sets)} WHERE id = ?", (*params, run_id))

    def finish_run(self, run_id: int, *, ending: str | None, ending_kind: str | None,
                   scores: dict[str, int], overall: int | None, at: float | None = None,
                   status: str = "finished") -> None:
        now = at if at is not None else time.time()
        self.execute("UPDATE runs SET status = ?, ending = ?, ending_kind = ?, scores = ?, "
                     "overall = ?, ended_at = ?, updated_at = ?, "
                     "scene = COALESCE(?, scene) WHERE id = ?",
                     (status, ending, ending_kind, dumps(scores), overall, now, now, ending,
                      run_id))

    def abandon_run(self, run_id: int, at: float | None = None) -> None:
        now = at if at is not None else time.time()
        self.execute("UPDATE runs SET status = 'abandoned', ended_at = ?, updated_at = ? "
                     "WHERE id = ? AND status = 'playing'", (now, now, run_id))

    def mark_practice(self, run_id: int) -> None:
        """Practice was turned on during the run: it never counts as a completed score."""
        self.execute("UPDATE runs SET practice = 1, updated_at = ? WHERE id = ?",
                     (time.time(), run_id))

    def reopen_run(self, run_id: int) -> None:
        """A resumed run is playing again (it was marked abandoned when its process died)."""
        self.execute("UPDATE runs SET status = 'playing', ended_at = NULL WHERE id = ? "
                     "AND status = 'abandoned'", (run_id,))

    def run(self, run_id: int) -> Row | None:
        return _decode_run(self.query_one("SELECT * FROM runs WHERE id = ?", (run_id,)))

    def runs(self, *, session_code: str | None = None, player: str | None = None,
             episode_id: str | None = None) -> list[Row]:
        where, params = [], []
        for column, value in (("session_code", session_code), ("player", player),
                              ("episode_id", episode_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "")
        return [_decode_run(r) for r in self.query(sql + " ORDER BY id", params)]  # type: ignore[misc]

    def decisions(self, run_id: int) -> list[Row]:
        rows = self.query("SELECT * FROM decisions WHERE run_id = ? ORDER BY seq", (run_id,))
        for r in rows:
            r["changes"] = json.loads(r["changes"])
        return rows

    def session_decisions(self, code: str) -> list[Row]:
        rows = self.query("SELECT d.* FROM decisions d JOIN runs r ON r.id = d.run_id "
                          "WHERE r.session_code = ? ORDER BY d.run_id, d.seq", (code,))
        for r in rows:
            r["changes"] = json.loads(r["changes"])
        return rows

    def open_run(self, session_code: str, participant_id: int) -> Row | None:
        """The participant's latest run in a session that is not finished, if any."""
        return _decode_run(self.query_one(
            "SELECT * FROM runs WHERE session_code = ? AND participant_id = ? "
            "ORDER BY id DESC LIMIT 1", (session_code, participant_id)))

    # ------------------------------------------------------------ sessions

    def create_session(self, row: Row) -> bool:
        """Insert a session; False if its code exists already (with another key: a clash;
        with the same key hash: a retried create, done)."""
        now = time.time()
        row = {**row, "created_at": row.get("created_at", now), "updated_at": now}
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.transaction():
            old = self.query_one("SELECT key_hash FROM sessions WHERE code = ?", (row["code"],))
            if old is not None:
                return bool(old["key_hash"] == row["key_hash"])
            self.execute(f"INSERT INTO sessions ({cols}) VALUES ({marks})", tuple(row.values()))
        return True

    def session(self, code: str) -> Row | None:
        return self.query_one("SELECT * FROM sessions WHERE code = ?", (code,))

    def session_state(self, code: str) -> Row | None:
        """The columns that change while a session runs."""
        return self.query_one("SELECT step, phase, revealed, lock_at, winner, path, version "
                              "FROM sessions WHERE code = ?", (code,))

    def update_session(self, code: str, at_step: int | None = None,
                       in_phase: str | None = None, **fields: Any) -> bool:
        """Change the session, only if it is still at `at_step` (and `in_phase`) when given,
        so that a facilitator's command repeated after a lost reply is not applied twice."""
        sets = ", ".join(f"{k} = ?" for k in fields)
        where: list[str] = ["code = ?"]
        params: list[Any] = [code]
        if at_step is not None:
            where.append("step = ?")
            params.append(at_step)
        if in_phase is not None:
            where.append("phase = ?")
            params.append(in_phase)
        with self.transaction():
            cur = self.execute(f"UPDATE sessions SET {sets}{', ' if sets else ''}"
                               "version = version + 1, updated_at = ? "
                               f"WHERE {' AND '.join(where)}",
                               (*fields.values(), time.time(), *params))
            if cur.rowcount:
                self.notify(code)
        return bool(cur.rowcount)

    def lock_session(self, code: str, shared: bool) -> Row | None:
        """Inside a transaction: read the session row and lock it against changes."""
        return self.query_one("SELECT * FROM sessions WHERE code = ?" + self.row_lock(shared),
                              (code,))

    def participant_by_token(self, code: str, token_hash: str) -> Row | None:
        return self.query_one("SELECT * FROM participants WHERE session_code = ? AND "
                              "token_hash = ?", (code, token_hash))

    def join(self, code: str, name: str, token_hash: str) -> tuple[int, str]:
        """A participant's id and name: the one holding `token_hash` if any (rejoining),
        else a new one named `name`. ValueError('taken') when `name` belongs to another
        participant: nobody takes over somebody else by their name."""
        now = time.time()
        with self.transaction():
            mine = self.participant_by_token(code, token_hash)
            if mine is not None:
                self.execute("UPDATE participants SET last_seen = ? WHERE id = ?",
                             (now, mine["id"]))
                return int(mine["id"]), str(mine["name"])
            if self.query_one("SELECT id FROM participants WHERE session_code = ? AND "
                              "name = ?", (code, name)) is not None:
                raise ValueError("taken")
            pid = self._insert_id("INSERT INTO participants (session_code, name, joined_at, "
                                  "last_seen, token_hash) VALUES (?, ?, ?, ?, ?)",
                                  (code, name, now, now, token_hash))
            self.notify(code)
        return pid, name

    def touch(self, *participant_ids: int) -> None:
        """These participants are here now (one statement however many)."""
        if participant_ids:
            marks = ", ".join("?" for _ in participant_ids)
            self.execute(f"UPDATE participants SET last_seen = ? WHERE id IN ({marks})",
                         (time.time(), *participant_ids))

    def participants(self, code: str) -> list[Row]:
        return self.query("SELECT id, session_code, name, joined_at, last_seen FROM "
                          "participants WHERE session_code = ? ORDER BY id", (code,))

    def vote(self, code: str, step: int, participant_id: int, scene: str, choice: str,
             at: float | None = None) -> str:
        """Cast or change a vote on the scene at `step`: 'ok', or 'closed' (that scene is
        locked, decided or gone: the vote is not counted anywhere), or 'invalid' (not a
        participant of this session). Casting the same vote
        again changes nothing, so a retry after a lost reply is harmless."""
        now = at if at is not None else time.time()
        with self.transaction(exclusive=True):
            s = self.lock_session(code, shared=True)
            if s is None or s["step"] != step or s["phase"] != "open" or \
                    (s["lock_at"] is not None and s["lock_at"] <= now):
                return "closed"
            seen = self.execute("UPDATE participants SET last_seen = ? WHERE id = ? AND "
                                "session_code = ?", (now, participant_id, code))
            if not seen.rowcount:
                return "invalid"  # not a participant of this session
            self.execute("INSERT INTO votes (session_code, step, participant_id, scene, choice, "
                         "at) VALUES (?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (session_code, step, participant_id) DO UPDATE SET "
                         "choice = excluded.choice, at = excluded.at, "
                         "changes = votes.changes + CASE WHEN votes.choice = excluded.choice "
                         "THEN 0 ELSE 1 END",
                         (code, step, participant_id, scene, choice, now))
            self.notify(code)
        return "ok"

    def votes(self, code: str, step: int | None = None) -> list[Row]:
        if step is None:
            return self.query("SELECT * FROM votes WHERE session_code = ? "
                              "ORDER BY step, participant_id", (code,))
        return self.query("SELECT * FROM votes WHERE session_code = ? AND step = ? "
                          "ORDER BY participant_id", (code, step))

    def tally(self, code: str, step: int) -> dict[str, int]:
        rows = self.query("SELECT choice, count(*) AS n FROM votes WHERE session_code = ? "
                          "AND step = ? GROUP BY choice", (code, step))
        return {r["choice"]: int(r["n"]) for r in rows}


def _decode_run(row: Row | None) -> Row | None:
    if row is None:
        return None
    row["scores"] = json.loads(row["scores"] or "{}")
    row["practice"] = bool(row["practice"])
    row["test"] = bool(row["test"])
    return row
