from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sam_cowboy.commands.common import load_playable
from sam_cowboy.core import engine
from sam_cowboy.results.migrations import LATEST, MIGRATIONS
from sam_cowboy.results.recorder import RunRecorder
from sam_cowboy.results.store import StoreError, default_url, open_store

EP = "ep01-google-test"


@pytest.fixture(scope="module")
def episode():  # type: ignore[no-untyped-def]
    return load_playable(EP)


def test_sqlite_is_wal_and_migrated(tmp_path: Path) -> None:
    s = open_store(str(tmp_path / "r.db"))
    assert s.schema_version() == LATEST
    assert s.query_one("PRAGMA journal_mode")["journal_mode"] == "wal"  # type: ignore[index]
    s.close()
    again = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    assert again.schema_version() == LATEST
    assert again.query_one("SELECT count(*) AS n FROM schema_migrations")["n"] == LATEST  # type: ignore[index]


def test_old_schema_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT "
                 "NOT NULL, applied_at REAL NOT NULL)")
    types = {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "real": "REAL", "bigint": "INTEGER"}
    for statement in MIGRATIONS[0][2]:
        conn.execute(statement.format(**types))
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'initial', 0)")
    conn.commit()
    conn.close()
    s = open_store(str(path))
    assert s.schema_version() == LATEST
    names = {r["name"] for r in s.query("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "votes_step" in names


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    s = open_store(str(tmp_path / "r.db"))
    s.execute("INSERT INTO schema_migrations VALUES (?, 'future', 0)", (LATEST + 1,))
    s.close()
    with pytest.raises(StoreError, match="newer than this sam-cowboy"):
        open_store(str(tmp_path / "r.db"))


def test_where_the_store_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SAM_COWBOY_DB", raising=False)
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    assert default_url() == str(tmp_path / "data" / "results.sqlite3")
    monkeypatch.setenv("SAM_COWBOY_DB", str(tmp_path / "other.db"))
    assert default_url() == str(tmp_path / "other.db")
    open_store().close()
    assert (tmp_path / "other.db").exists()
    with pytest.raises(StoreError, match="unknown database URL"):
        open_store("mysql://u:secret@h/db")
    with pytest.raises(StoreError) as info:
        open_store("postgresql://u:secret@127.0.0.1:1/db")
    assert "secret" not in str(info.value) and "\n" not in str(info.value)


def play(store, episode, choices, **kw):  # type: ignore[no-untyped-def]
    ep, analysis = episode
    rec = RunRecorder(store, ep, "Ann", "en", analysis=analysis, **kw)
    state, events = engine.begin(ep)
    rec.begin(state, events)
    for number in choices:
        state, events = engine.choose_number(ep, state, number)
        rec.step(state, events)
    return rec, state


def test_recorder_keeps_a_whole_run(store, episode) -> None:  # type: ignore[no-untyped-def]
    ep, analysis = episode
    best = [c for _, c in analysis.best_run.path]
    rec = RunRecorder(store, ep, "Ann", "fr", analysis=analysis)
    state, events = engine.begin(ep)
    rec.begin(state, events)
    seen = []
    for cid in best:
        state, events = engine.choose(ep, state, cid)
        seen.append(events)
        rec.step(state, events)
    assert state.finished and rec.done
    run = store.run(rec.run_id)
    assert run["status"] == "finished" and run["ending"] == state.ending
    assert run["episode_hash"] == ep.content_hash and run["lang"] == "fr"
    assert run["overall"] == analysis.best_run.overall
    assert run["scores"] == dict(state.scores)
    assert run["ended_at"] >= run["started_at"]
    decisions = store.decisions(rec.run_id)
    assert [(d["scene"], d["choice"]) for d in decisions] == list(state.path)
    for d, events in zip(decisions, seen, strict=True):
        expected = [[e.dimension, e.delta, e.scene, e.choice] for e in events
                    if isinstance(e, engine.ScoreChanged)]
        assert d["changes"] == expected


def test_abandoned_practice_and_test_runs(store, episode) -> None:  # type: ignore[no-untyped-def]
    rec, _ = play(store, episode, [1, 1], practice=True)
    rec.abandon()
    run = store.run(rec.run_id)
    assert run["status"] == "abandoned" and run["practice"] and not run["test"]
    assert len(store.decisions(rec.run_id)) == 2
    ep, analysis = episode
    state, events = engine.begin(ep, at="photo")
    with RunRecorder(store, ep, "Bo", "en", analysis=analysis) as rec2:
        rec2.begin(state, events)
    assert store.run(rec2.run_id)["test"]
    assert store.run(rec2.run_id)["status"] == "abandoned"
    assert [r["player"] for r in store.runs(player="Bo")] == ["Bo"]


def test_a_run_turned_to_practice_is_marked(store, episode) -> None:  # type: ignore[no-untyped-def]
    rec, _ = play(store, episode, [1], practice=False)
    assert not store.run(rec.run_id)["practice"]
    store.mark_practice(rec.run_id)
    assert store.run(rec.run_id)["practice"]


def test_recorder_never_breaks_play(tmp_path: Path, episode) -> None:  # type: ignore[no-untyped-def]
    s = open_store(str(tmp_path / "r.db"))
    errors: list[str] = []
    ep, analysis = episode
    rec = RunRecorder(s, ep, "Ann", "en", analysis=analysis, on_error=errors.append)
    state, events = engine.begin(ep)
    rec.begin(state, events)
    s.execute("DROP TABLE decisions")
    state, events = engine.choose_number(ep, state, 1)
    rec.step(state, events)  # no exception
    rec.step(*engine.choose_number(ep, state, 1))
    assert len(errors) == 1 and "decisions" in errors[0]
