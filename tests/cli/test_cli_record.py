"""`play --plain` records each run in the results store: finished and abandoned, test runs marked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sam_cowboy.results import open_store

FIXTURE = Path(__file__).resolve().parents[1] / "core" / "fixtures" / "ep00-first-invite.yaml"


def play(db: Path, answers: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sam_cowboy", "play", str(FIXTURE), "--plain",
                           "--db", str(db), "--player", "Zoé [bold]\x1b[2J", *args],
                          input=answers, capture_output=True, text=True, check=False)


def test_a_finished_run_is_recorded_with_its_decisions(tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite3"
    out = play(db, "1\n2\n")
    assert out.returncode == 0, out.stderr
    store = open_store(str(db))
    (run,) = store.runs()
    assert run["player"] == "Zoé [bold]"
    assert run["episode_id"] == "ep00-first-invite" and run["ending"] == "accepted"
    assert [d["choice"] for d in store.decisions(run["id"])] == ["fix-profile", "personal"]
    store.close()


def test_end_of_input_records_an_abandoned_run(tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite3"
    assert play(db, "1\n").returncode == 0
    store = open_store(str(db))
    (run,) = store.runs()
    assert run["status"] == "abandoned" and run["ending"] is None
    store.close()


def test_a_run_started_with_at_is_marked_as_a_test(tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite3"
    assert play(db, "2\n", "--at", "invite").returncode == 0
    store = open_store(str(db))
    (run,) = store.runs()
    assert run["test"]
    store.close()
