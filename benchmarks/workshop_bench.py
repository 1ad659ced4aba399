"""Workshop figures: vote-to-tally latency at 50 participants, memory per browser participant.

    .venv/bin/python benchmarks/workshop_bench.py [--participants 50] [--browsers 5]
        [--db postgresql://...] [--skip-memory]

1. Latency: the facilitator's dashboard (HostApp, headless, as on the projector) runs in
   this process; 50 `workshop join --plain` processes vote on one SQLite file (or --db).
   For each vote: time from the vote's commit (its `at`) to the first redraw of the tally
   that counts it. Target: < 0.5 s. SQLite: the dashboard polls (0.2 s). PostgreSQL: it is
   woken by LISTEN/NOTIFY; SAM_COWBOY_NOTIFY=0 turns that off (polling, the "before").
2. Memory: `sam-cowboy serve` starts one participant process per browser tab; we open N
   WebSocket sessions as a browser does and read the resident memory (RSS) of the
   processes it spawned, per participant.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def latency(n: int, db: str | None = None) -> None:
    from sam_cowboy.commands.common import load_playable
    from sam_cowboy.results.store import open_store
    from sam_cowboy.workshop.host import HostApp
    from sam_cowboy.workshop.session import Session, create_session

    tmp = Path(tempfile.mkdtemp())
    url = db or str(tmp / "bench.sqlite3")
    ep, analysis = load_playable("ep01-google-test")
    store = open_store(url)
    code, key = create_session(store, ep, analysis, "ep01-google-test")
    env = {**os.environ, "SAM_COWBOY_DATA_DIR": str(tmp)}
    procs = [subprocess.Popen([sys.executable, "-m", "sam_cowboy", "workshop", "join", code,
                               "--name", f"p{i}", "--plain", "--db", url],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
             for i in range(n)]

    async def run() -> list[float]:
        app = HostApp(Session(store, code), key)
        async with app.run_test(size=(140, 50)) as pilot:
            while len(Session(store, code).participants()) < n:
                await pilot.pause(0.1)
            await pilot.pause(1.0)
            for i, p in enumerate(procs):  # votes spread over ~2.5 s, as in a room
                assert p.stdin is not None
                p.stdin.write(f"{1 + i % 2}\n".encode())
                p.stdin.flush()
                await pilot.pause(0.05)
            deadline = time.time() + 30
            while sum(app.tally_shown.values()) < n and time.time() < deadline:
                await pilot.pause(0.05)
            seen = list(app.tally_seen_at)
        votes = sorted(v["at"] for v in store.votes(code, 0))
        out = []
        for k, at in enumerate(votes, 1):
            shown = next((t for t, total in seen if total >= k), None)
            if shown is not None:
                out.append(shown - at)
        return out

    lat = asyncio.run(run())
    for p in procs:
        p.kill()
    lat.sort()
    backend = "SQLite (polling)" if not db else "PostgreSQL " + (
        "(polling)" if os.environ.get("SAM_COWBOY_NOTIFY") == "0" else "(LISTEN/NOTIFY)")
    print(f"vote -> tally on the dashboard, {n} participants, {backend}: "
          f"{len(lat)}/{n} votes seen; median {statistics.median(lat) * 1000:.0f} ms, "
          f"p95 {lat[int(0.95 * (len(lat) - 1))] * 1000:.0f} ms, "
          f"max {lat[-1] * 1000:.0f} ms (target < 500 ms)")


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out + [g for c in out for g in children(c)]


def memory(browsers: int, port: int = 8791) -> None:
    import aiohttp

    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "SAM_COWBOY_DATA_DIR": str(tmp)}
    server = subprocess.Popen([sys.executable, "-m", "sam_cowboy", "serve", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        time.sleep(2.5)
        base = rss_kb(server.pid) + sum(rss_kb(c) for c in children(server.pid))

        async def open_tabs() -> float:
            async with aiohttp.ClientSession() as http:
                sockets = []
                for _ in range(browsers):
                    ws = await http.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=40")
                    sockets.append(ws)
                await asyncio.sleep(6)
                kids = children(server.pid)
                total = rss_kb(server.pid) + sum(rss_kb(c) for c in kids)
                for ws in sockets:
                    await ws.close()
                return (total - base) / browsers

        per = asyncio.run(open_tabs())
        print(f"memory per browser participant under serve: {per / 1024:.1f} MiB RSS "
              f"({browsers} tabs; one participant-app process per tab)")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=50)
    parser.add_argument("--browsers", type=int, default=5)
    parser.add_argument("--db", help="results database for the latency figure (default: a "
                        "new SQLite file)")
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    latency(args.participants, args.db)
    if not args.skip_memory:
        memory(args.browsers)
