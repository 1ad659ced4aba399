"""The workshop commands against a real `workshop serve`: create, host --plain, join --plain."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from workshop.support import free_port

TIMEOUT = 60


class Proc:
    """A command whose output lines are read by a thread, to wait for one."""

    def __init__(self, args: list[str], env: dict[str, str], stdin: bool = True) -> None:
        self.p = subprocess.Popen([sys.executable, "-m", "sam_cowboy", *args], env=env,
                                  stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []

        def pump() -> None:
            assert self.p.stdout is not None
            for line in self.p.stdout:
                self.lines.put(line.rstrip("\n"))
            self.lines.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def until(self, pattern: str) -> str:
        while True:
            line = self.lines.get(timeout=TIMEOUT)
            if line is None:
                raise AssertionError(f"ended before {pattern!r}: {self.seen[-20:]} "
                                     f"{self.p.stderr.read() if self.p.stderr else ''}")
            self.seen.append(line)
            if re.search(pattern, line):
                return line

    def send(self, text: str) -> None:
        assert self.p.stdin is not None
        self.p.stdin.write(text)
        self.p.stdin.flush()

    def close(self) -> int:
        if self.p.stdin:
            self.p.stdin.close()
        return self.p.wait(TIMEOUT)

    def rest(self) -> list[str]:
        out = []
        while (line := self.lines.get(timeout=TIMEOUT)) is not None:
            out.append(line)
        self.seen += out
        return out


def env_for(tmp_path: Path, who: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SAM_COWBOY_DATA_DIR"] = str(tmp_path / who)
    env.pop("SAM_COWBOY_DB", None)
    env.pop("SAM_COWBOY_FACILITATOR_KEY", None)
    env["SAM_COWBOY_LANG"] = "en"
    return env


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    serve = Proc(["workshop", "serve", "--port", str(port), "--db",
                  str(tmp_path / "results.sqlite3")],
                 {**env_for(tmp_path, "server"), "SAM_COWBOY_TODAY": "2026-03-02"}, stdin=False)
    first = serve.lines.get(timeout=TIMEOUT)
    yield first, f"http://127.0.0.1:{port}"
    serve.p.terminate()
    serve.p.wait(TIMEOUT)


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sam_cowboy", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=TIMEOUT)


def test_serve_says_where_and_create_prints_code_key_join_url(served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, url = served
    assert first == f"Serving workshops on {url}"
    fac = env_for(tmp_path, "facilitator")
    made = run(["workshop", "create", "ep01-google-test", "--server", url, "--json", "--lang", "en"], fac)
    assert made.returncode == 0, made.stderr
    data = json.loads(made.stdout)
    assert set(data) == {"code", "key", "join_url"} and data["join_url"] == f"{url}/{data['code']}"
    text = run(["workshop", "create", "ep01-google-test", "--server", url], fac)
    labels = [line.split(":", 1)[0] for line in text.stdout.splitlines()]
    assert labels == ["code", "key", "join_url"]
    # an episode file is sent as text: the server plays exactly it
    src = Path(__file__).parents[2] / "episodes"
    ep = next(src.glob("ep01*.yaml"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "ep.yaml").write_bytes(ep.read_bytes())
    if (src / "series.yaml").is_file():
        (tmp_path / "mine" / "series.yaml").write_bytes((src / "series.yaml").read_bytes())
    own = run(["workshop", "create", str(tmp_path / "mine" / "ep.yaml"), "--server", url,
               "--json"], fac)
    assert own.returncode == 0, own.stderr


def test_errors_are_one_line(served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    env = env_for(tmp_path, "x")
    made = json.loads(run(["workshop", "create", "ep01-google-test", "--server", url, "--json", "--lang", "en"],
                          env_for(tmp_path, "fac")).stdout)
    wrong = run(["workshop", "host", made["code"], "--server", url, "--plain"],
                {**env, "SAM_COWBOY_FACILITATOR_KEY": "not-the-key"}, "next\n")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (f"sam-cowboy: that is not the facilitator key of session "
                                    f"{made['code']}")
    down = run(["workshop", "join", "http://127.0.0.1:9/ABCDEF", "--name", "A", "--plain"], env)
    assert down.returncode == 2 and len(down.stderr.strip().splitlines()) == 1
    bad = run(["workshop", "join", "http://127.0.0.1:9/AB1", "--plain", "--name", "A"], env)
    assert bad.returncode == 2 and "not a join URL" in bad.stderr
    none = run(["workshop", "create", "ep01-google-test"], env)
    assert none.returncode == 2 and "--server" in none.stderr
    assert "Traceback" not in wrong.stderr + down.stderr + bad.stderr + none.stderr


def test_a_live_session_in_plain_text(served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    fac = env_for(tmp_path, "facilitator")
    made = json.loads(run(["workshop", "create", "ep01-google-test", "--server", url, "--json", "--lang", "en"],
                          fac).stdout)
    code, join_url = made["code"], made["join_url"]
    alice = Proc(["workshop", "join", join_url, "--name", "Alice", "--plain"],
                 env_for(tmp_path, "alice"))
    alice.until("You joined session")
    bob = Proc(["workshop", "join", join_url, "--name", "Bob", "--plain"],
               env_for(tmp_path, "bob"))
    bob.until("You joined session")
    # somebody else with Alice's name (no token): refused, exit 1
    thief = run(["workshop", "join", join_url, "--name", "Alice", "--plain"],
                env_for(tmp_path, "thief"), "1\n")
    assert thief.returncode == 1
    assert thief.stderr.strip() == f"sam-cowboy: name already taken in {code}: choose another"
    alice.send("1\n")
    alice.until("Vote recorded")
    bob.send("2\n")
    bob.until("Vote recorded")
    host = run(["workshop", "host", code, "--server", url, "--plain"], fac,
               "countdown 30\nreveal\nbogus\npick 1\nnotes\nnext\n")
    assert host.returncode == 0, host.stderr
    out = host.stdout
    assert "bogus" in host.stderr, (out, host.stderr)
    assert "phase: open" in out and "votes: 2 / 2" in out and "voted: Alice, Bob" in out
    assert "(closes in" in out and "tally:" in out and "most votes" in out
    assert "the room's choice:" in out and "scene 2:" in out and "notes:" in out
    assert host.stderr.count("\n") == 1 and "unknown command `bogus`" in host.stderr
    for p in (alice, bob):
        p.until(r"the vote closes in (2[0-9]|30) s")
        p.until("The room chose:")
    alice.until("You voted:")
    # to the end: the host takes the best choice each time
    while True:
        for p in (alice, bob):
            p.send("1\n")
            # a compose scene: each person builds their message from the fragments
            if "Please type" in p.until("Vote recorded|Please type"):
                p.send("2+4\n")
                assert "Vote recorded: Sales Engineer, Vectalis | I help" in p.until(
                    "Vote recorded")
        step = run(["workshop", "host", code, "--server", url, "--plain"], fac, "next\n")
        assert step.returncode == 0, step.stderr
        if "ending:" in step.stdout or "phase: ended" in step.stdout:
            break
    alice.until("Your personal debrief")
    # the transfer step: one question first, then the numbers, then one commitment
    alice.until("Before the numbers, one question")
    alice.send("[bold]x[/] [0] \x1b[2J typed\n")
    assert alice.until(r"typed$") == "Your answer (one line, empty line: skip): [bold]x[/] [0] typed"
    alice.until("^Your posture")
    alice.until("One action for work, by 2026-03-09")
    alice.send("[bold]Call[/] Paul 2026-04-01\n")
    assert "Committed: [bold]Call[/] Paul (by 2026-04-01)." in alice.until("Committed")
    bob.until("Before the numbers, one question")
    assert alice.close() == 0 and bob.close() == 0  # bob: end of input skips the rest
    rest = alice.rest() + bob.rest()
    assert "Traceback" not in "".join(rest) and not any("\x1b" in x for x in alice.seen)
    assert any(x.startswith("Your posture") for x in bob.seen + rest)
    report = json.loads(run(["report", code, "--server", url, "--format", "json"], fac).stdout)
    assert [r["answer"] for r in report["transfer"]["reflections"]] == [
        "[bold]x[/] [0] \x1b[2J typed"]
    assert [(c["action"], c["due"], c["player"]) for c in report["transfer"]["commitments"]] == [
        ("[bold]Call[/] Paul", "2026-04-01", "Alice")]


def test_a_vote_typed_while_locked_is_too_late_and_never_counted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """From a terminal, a number typed after the lock is answered and dropped: it is not
    stored for the next scene when that one opens."""
    import asyncio
    import io

    from sam_cowboy.workshop.plainjoin import join_plain
    from workshop.support import RunningServer, create, facilitator

    os.environ["SAM_COWBOY_DATA_DIR"] = str(tmp_path / "data")
    typed: queue.Queue[str | None] = queue.Queue()
    out = io.StringIO()
    with RunningServer(str(tmp_path / "r.sqlite3")) as server:
        made = asyncio.run(create(server.url))
        code = made["code"]
        done = threading.Event()

        def participant() -> None:
            join_plain(server.url, code, "Alice", "en", out, typed.get, interactive=True)
            done.set()

        threading.Thread(target=participant, daemon=True).start()

        async def drive() -> None:
            import aiohttp

            async with aiohttp.ClientSession() as h:
                f = await facilitator(h, server.url, code, made["key"])
                await f.until(lambda s: s["participants"] == 1)
                await asyncio.sleep(0.3)  # Alice has been shown scene 1
                assert (await f.request("lock", step=0))["ok"]
                await f.until(lambda s: s["phase"] == "locked")
                await asyncio.sleep(0.3)
                typed.put("1\n")
                for _ in range(100):
                    if "too late" in out.getvalue():
                        break
                    await asyncio.sleep(0.05)
                await f.request("pick", step=0, number=1)
                await f.request("next", step=0)
                await f.until(lambda s: s["step"] == 1)
                await asyncio.sleep(0.5)
                await f.close()

        asyncio.run(drive())
        assert "too late: the vote on this scene is closed" in out.getvalue()
        assert server.store.votes(code) == []
        typed.put(None)
        done.wait(TIMEOUT)


def test_serve_never_prints_a_database_password(tmp_path) -> None:  # type: ignore[no-untyped-def]
    r = run(["workshop", "serve", "--port", str(free_port()), "--db",
             "postgresql://sam:s3cret-pw@127.0.0.1:9/none"], env_for(tmp_path, "s"))
    assert r.returncode == 2 and "s3cret-pw" not in r.stdout + r.stderr
    assert "postgresql://sam@127.0.0.1:9/none" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_async_session_at_ones_own_pace_resumes_after_a_kill(served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, url = served
    fac = env_for(tmp_path, "facilitator")
    made = json.loads(run(["workshop", "create", "ep01-google-test", "--server", url, "--json",
                           "--lang", "en", "--mode", "async"], fac).stdout)
    me = env_for(tmp_path, "ann")
    first = run(["workshop", "join", made["join_url"], "--name", "Ann", "--plain"], me, "1\n")
    assert first.returncode == 0, first.stderr
    assert "Your choices:" in first.stdout and "Consequence" in first.stdout
    # joining again (same machine: same token) goes on from the second scene
    rest = run(["workshop", "join", made["join_url"], "--name", "Ann", "--plain"], me,
               "1\n2+4\n" * 30)  # 2+4: the message on the compose scene, else not a choice
    assert rest.returncode == 0, rest.stderr
    assert "Debrief" in rest.stdout or "débriefing" in rest.stdout.lower()
    assert "Before the numbers, one question" in rest.stdout and "Committed:" in rest.stdout
    host = run(["workshop", "host", made["code"], "--server", url, "--plain"], fac, "")
    assert "Ann: finished" in host.stdout, host.stdout
