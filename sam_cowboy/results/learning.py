"""The transfer step's rows: reflection answers, commitments, follow-ups, assessment runs.

Functions over any Store (SQLite or PostgreSQL), so both backends share them. Text is
stored exactly as typed; whoever shows it sanitises it.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime
from typing import Any

from sam_cowboy.core.transfer import FOLLOW_UP_ANSWERS, parse_day
from sam_cowboy.results.base import Row, Store, StoreError

ENV_TODAY = "SAM_COWBOY_TODAY"


def today() -> date:
    """SAM_COWBOY_TODAY (YYYY-MM-DD: for trainers' rehearsals and tests), else the date."""
    given = os.environ.get(ENV_TODAY)
    if given:
        day = parse_day(given)
        if day is None:
            raise StoreError(f"{ENV_TODAY}={given!r} is not a date: write YYYY-MM-DD")
        return day
    return date.today()


def mark_assessment(store: Store, run_id: int) -> None:
    store.execute("UPDATE runs SET assessment = 1 WHERE id = ?", (run_id,))


def assessment_runs(store: Store) -> set[int]:
    """Ids of the runs that are assessments: played with --assess, or in a session created
    with --assess."""
    rows = store.query("SELECT r.id FROM runs r LEFT JOIN sessions s ON s.code = "
                       "r.session_code WHERE r.assessment = 1 OR s.assessment = 1")
    return {int(r["id"]) for r in rows}


def save_reflection(store: Store, run_id: int, answer: str) -> None:
    store.execute("UPDATE runs SET reflection = ? WHERE id = ?", (answer, run_id))


def add_commitment(store: Store, *, run_id: int | None, player: str, episode_id: str,
                   action: str, due: date, scene: str | None = None,
                   choice: str | None = None, own: bool = False,
                   at: float | None = None) -> int:
    with store.transaction():
        row = store.query_one(
            "INSERT INTO commitments (run_id, player, episode_id, scene, choice, action, own, "
            "due, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (run_id, player, episode_id, scene, choice, action, int(own), due.isoformat(),
             at if at is not None else time.time()))
    assert row is not None
    return int(row["id"])


def commitments(store: Store, *, player: str | None = None,
                episode_id: str | None = None) -> list[Row]:
    where, params = [], []
    for column, value in (("player", player), ("episode_id", episode_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = "SELECT * FROM commitments" + (" WHERE " + " AND ".join(where) if where else "")
    rows = store.query(sql + " ORDER BY due, id", params)
    for r in rows:
        r["own"] = bool(r["own"])
    return rows


def run_commitments(store: Store, run_id: int) -> list[Row]:
    """The commitments made after one run (a workshop participant makes at most one)."""
    rows = store.query("SELECT * FROM commitments WHERE run_id = ? ORDER BY id", (run_id,))
    for r in rows:
        r["own"] = bool(r["own"])
    return rows


def follow_up(store: Store, commitment_id: int, status: str, note: str | None,
              asked_on: date, at: float | None = None) -> None:
    """Record the answer to "Did you do it?" and set the commitment's status to it."""
    if status not in FOLLOW_UP_ANSWERS:
        raise ValueError(status)
    now = at if at is not None else time.time()
    with store.transaction():
        store.execute("INSERT INTO follow_ups (commitment_id, status, note, asked_on, at) "
                      "VALUES (?, ?, ?, ?, ?)",
                      (commitment_id, status, note, asked_on.isoformat(), now))
        store.execute("UPDATE commitments SET status = ?, note = ?, followed_at = ? "
                      "WHERE id = ?", (status, note, now, commitment_id))


def follow_ups(store: Store, commitment_ids: list[int] | None = None) -> list[Row]:
    if commitment_ids is None:
        return store.query("SELECT * FROM follow_ups ORDER BY at, id")
    if not commitment_ids:
        return []
    marks = ", ".join("?" for _ in commitment_ids)
    return store.query(f"SELECT * FROM follow_ups WHERE commitment_id IN ({marks}) "
                       "ORDER BY at, id", commitment_ids)


def public(row: Row) -> dict[str, Any]:
    """A commitment as `sam-cowboy commitments --json` prints it."""
    return {"id": row["id"], "player": row["player"], "episode": row["episode_id"],
            "scene": row["scene"], "choice": row["choice"], "action": row["action"],
            "own": row["own"], "due": row["due"], "status": row["status"],
            "note": row["note"], "run": row["run_id"],
            "made_at": datetime.fromtimestamp(row["made_at"], tz=UTC).isoformat(
                timespec="seconds").replace("+00:00", "Z")}
