"""A room of participant processes (`workshop join --plain`) and a scripted facilitator.

Used by the load tests and by benchmarks/workshop_bench.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.session import Session, create_session


def participant(url: str, code: str, name: str, env: dict[str, str],
                stdin: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "sam_cowboy", "workshop", "join", code,
                             "--name", name, "--plain", "--db", url], stdin=stdin,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def vote_of(i: int, step: int) -> int:
    """Participant i's answer at a step (1 or 2: every scene of ep01 has at least two)."""
    return 1 + ((i + step) % 3 == 0)


def run_room(url: str, n: int, tmp: Path, kill: bool = True, poll: str = "0.2",
             timeout: float = 240.0) -> dict[str, object]:
    from sam_cowboy.commands.common import load_playable

    ep, analysis = load_playable("ep01-google-test")
    store = open_store(url)
    code, key = create_session(store, ep, analysis, "ep01-google-test")
    s = Session(store, code, ep)
    env = {**os.environ, "SAM_COWBOY_POLL_SECONDS": poll, "PYTHONUNBUFFERED": "1"}
    steps = 12  # more answers than any path of ep01 needs
    procs: dict[int, subprocess.Popen[bytes]] = {}
    for i in range(n):
        procs[i] = participant(url, code, f"p{i:03d}", env)
        if not (kill and i == 0):  # p000 waits with no input, then is killed and restarted
            assert procs[i].stdin is not None
            procs[i].stdin.write("".join(f"{vote_of(i, k)}\n" for k in range(steps)).encode())
            procs[i].stdin.close()
    began = time.time()
    marks: list[tuple[str, float]] = []  # (what, seconds since began): where time goes
    deadline = time.time() + timeout
    expected: list[Counter[str]] = []
    restarted = False
    killed_after_vote = False
    while s.refresh()["phase"] != "ended":
        assert time.time() < deadline, f"step {s.step}: only {sum(s.tally().values())} votes"
        if kill and not restarted and len(s.participants()) == n:
            procs[0].kill()  # mid-vote: it had joined but not voted
            procs[0].wait()
            procs[0] = participant(url, code, "p000", env)
            assert procs[0].stdin is not None
            procs[0].stdin.write("".join(f"{vote_of(0, k)}\n" for k in range(steps)).encode())
            procs[0].stdin.close()
            restarted = True
            marks.append(("all joined", time.time() - began))
        tally = s.tally()
        if sum(tally.values()) < n:
            time.sleep(0.05)
            continue
        if kill and not killed_after_vote:  # p001 voted: kill it, restart it, vote stays
            procs[1].kill()
            procs[1].wait()
            rest = "".join(f"{vote_of(1, k)}\n" for k in range(s.step + 1, steps)).encode()
            procs[1] = participant(url, code, "p001", env)
            assert procs[1].stdin is not None
            procs[1].stdin.write(rest)
            procs[1].stdin.close()
            killed_after_vote = True
        shown = s.choices()
        want: Counter[str] = Counter(shown[vote_of(i, s.step) - 1].id for i in range(n))
        expected.append(want)
        assert tally == dict(want), (s.step, tally, want)
        marks.append((f"step {s.step}: all {n} votes", time.time() - began))
        if s.decide(key) is None:
            s.decide(key, s.leaders()[0])
        s.advance(key)
        marks.append((f"step {s.step - 1}: advanced", time.time() - began))
    codes = {}
    for i, p in procs.items():
        try:
            codes[i] = p.wait(timeout=max(5.0, deadline - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            codes[i] = -9
    errors = {i: p.stderr.read().decode()[-300:] for i, p in procs.items()  # type: ignore[union-attr]
              if codes[i] != 0}
    marks.append(("all exited", time.time() - began))
    return {"marks": marks, "session": s, "store": store, "expected": expected, "codes": codes,
            "errors": errors, "key": key}
