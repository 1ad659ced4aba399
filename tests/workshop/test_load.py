"""Many participant processes at once: nothing lost, counts exact, kills survived."""

from __future__ import annotations

import os
from collections import Counter

import pytest
from pg_support import PG_ENV, reset_pg

from .load import run_room


def check(result: dict[str, object], n: int) -> None:
    print("\n".join(f"{t:7.2f} s  {what}" for what, t in result["marks"]))  # type: ignore[attr-defined]
    assert result["errors"] == {}, result["errors"]
    s = result["session"]
    store = s.store  # type: ignore[attr-defined]
    expected: list[Counter[str]] = result["expected"]  # type: ignore[assignment]
    votes = store.votes(s.code)  # type: ignore[attr-defined]
    assert len(votes) == n * len(expected)
    for step, want in enumerate(expected):
        got = Counter(v["choice"] for v in votes if v["step"] == step)
        assert got == want
    runs = store.runs(session_code=s.code)  # type: ignore[attr-defined]
    assert len(runs) == n and all(r["status"] == "finished" for r in runs)
    votes_of = s._votes_by_participant()  # type: ignore[attr-defined]
    for r in runs:  # each run scored on its own votes, with its ending and overall
        assert r["ending"] and r["overall"] is not None and r["ended_at"] is not None
        mine = s.personal_state(votes_of[int(r["participant_id"])])  # type: ignore[attr-defined]
        assert r["scores"] == dict(mine.scores)
    assert len(store.session_decisions(s.code)) == n * len(expected)  # type: ignore[attr-defined]
    assert len(s.participants()) == n  # type: ignore[attr-defined]


def test_fifty_participants_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = str(tmp_path / "room.sqlite3")
    check(run_room(url, 50, tmp_path), 50)


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} is not set")
def test_two_hundred_participants_postgresql(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = os.environ[PG_ENV]
    reset_pg(url)
    check(run_room(url, 200, tmp_path, poll="0.5", timeout=420), 200)
