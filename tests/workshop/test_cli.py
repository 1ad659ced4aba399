"""The commands as a user types them: create, join --plain, errors in one line."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.session import Session


def cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sam_cowboy", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def test_create_json_and_host_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "r.db")
    r = cli("workshop", "create", "ep01-google-test", "--json", "--db", db, "--title", "T")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) >= {"code", "facilitator_key"}
    s = Session(open_store(db), data["code"])
    assert s.authorised(data["facilitator_key"]) and s.row["title"] == "T"
    r = cli("workshop", "host", data["code"], "--db", db, "--key", "nope")
    assert r.returncode == 2 and "facilitator key" in r.stderr and r.stderr.count("\n") == 1


def test_errors_are_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "r.db")
    for args, code in ((["workshop", "join", "ABCDEF", "--name", "x", "--plain", "--db", db], 1),
                       (["workshop", "join", "12", "--name", "x", "--plain", "--db", db], 1),
                       (["workshop", "create", "no-such-episode", "--db", db], 2),
                       (["workshop", "create", "ep01-google-test", "--db", "mysql://x/y"], 2),
                       (["workshop"], 2)):
        r = cli(*args)
        assert r.returncode == code, (args, r.stderr)
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr


def test_plain_participants_live(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "r.db")
    data = json.loads(cli("workshop", "create", "ep01-google-test", "--json", "--db",
                          db).stdout)
    code, key = data["code"], data["facilitator_key"]
    s = Session(open_store(db), code)

    def facilitate() -> None:
        deadline = time.time() + 90
        while s.refresh()["phase"] != "ended" and time.time() < deadline:
            if sum(s.tally().values()) < 2:
                time.sleep(0.05)
                continue
            if s.decide(key) is None:
                s.decide(key, s.leaders()[0])
            s.advance(key)

    thread = threading.Thread(target=facilitate)
    thread.start()
    procs = [subprocess.Popen([sys.executable, "-m", "sam_cowboy", "workshop", "join", code,
                               "--name", name, "--plain", "--db", db, "--lang", "en"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for name in ("Ann", "Bob\x1b[2J")]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("x\n9\n" + "1\n" * 12)
        p.stdin.close()
    outs = [p.stdout.read() for p in procs]  # type: ignore[union-attr]
    for p in procs:
        p.wait(timeout=120)
    thread.join()
    assert [p.returncode for p in procs] == [0, 0]
    for out in outs:
        assert "Please type a number from 1 to 3" in out
        assert "The room chose:" in out and "Consequence:" in out
        assert "Your personal debrief" in out and "Overall posture" in out
        assert "\x1b" not in out
    assert "Bob" in outs[1]


def test_plain_participant_async_resumes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "r.db")
    code = json.loads(cli("workshop", "create", "ep01-google-test", "--json", "--mode",
                          "async", "--db", db).stdout)["code"]
    r = cli("workshop", "join", code, "--name", "Ann", "--plain", "--db", db, stdin="1\n1\n")
    assert r.returncode == 0
    store = open_store(db)
    [run] = store.runs(session_code=code)
    assert run["status"] == "abandoned" and len(store.decisions(run["id"])) == 2
    r = cli("workshop", "join", code, "--name", "Ann", "--plain", "--db", db, "--lang", "en",
            stdin="1\n" * 15)
    assert r.returncode == 0 and "Resuming" in r.stdout
    [run] = store.runs(session_code=code)
    assert run["status"] == "finished" and run["overall"] is not None


def test_create_from_an_episode_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """EPISODE may be a file: the session remembers it, and participants load that file."""
    import shutil

    from sam_cowboy.library import resolve

    source = resolve("ep01-google-test")
    assert source is not None
    mine = tmp_path / "episodes" / "my-episode.yaml"
    mine.parent.mkdir()
    shutil.copy(source, mine)
    if (source.parent / "series.yaml").exists():  # the series' dimensions, beside it
        shutil.copy(source.parent / "series.yaml", mine.parent / "series.yaml")
    db = str(tmp_path / "r.db")
    r = cli("workshop", "create", str(mine), "--json", "--db", db, "--mode", "async")
    assert r.returncode == 0, r.stderr
    code = json.loads(r.stdout)["code"]
    s = Session(open_store(db), code)
    assert s.row["episode_ref"] == str(mine.resolve())
    r = cli("workshop", "join", code, "--name", "Ann", "--plain", "--db", db, "--lang", "en",
            stdin="1\n" * 15)
    assert r.returncode == 0, r.stderr
    [run] = open_store(db).runs(session_code=code)
    assert run["status"] == "finished"
    mine.write_text(mine.read_text() + "\n# edited\n")  # changed since: refused in one line
    r = cli("workshop", "join", code, "--name", "Bob", "--plain", "--db", db, stdin="")
    assert r.returncode == 1 and "changed since" in r.stderr and r.stderr.count("\n") == 1
