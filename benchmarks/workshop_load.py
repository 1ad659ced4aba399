"""A room of N browser participants against `sam-cowboy workshop serve`, to its ending.

    .venv/bin/python benchmarks/workshop_load.py [--participants 300] [--db postgresql://...]

Starts one `workshop serve` on a fresh SQLite file (or, with --db postgresql://..., two
serve processes on that database, the participants split between them), creates a live
session of ep01, connects N participants over the phone page's own protocol (POST /api/join,
then one WebSocket each, as app.js does) and a facilitator (the projector), and plays the
episode to its ending: on each scene every participant votes at once, and the time from the
last vote's reply to the projector's state counting all N votes is the tally latency. Prints
one JSON line:

    {"participants": N, "votes_sent": V, "votes_counted": V, "tally_p95_ms": ...,
     "server_rss_mib": ..., "client_errors": 0}

votes_counted comes from the session's report (the room's votes as stored); server_rss_mib
is the largest resident memory seen of any serve process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def start_server(db: str, data: Path) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {**os.environ, "SAM_COWBOY_DATA_DIR": str(data)}
    proc = subprocess.Popen([sys.executable, "-m", "sam_cowboy", "workshop", "serve", "--port",
                             str(port), "--db", db, "--join-rate", "1000000"], env=env,
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    if not first.startswith("Serving workshops on "):
        raise SystemExit(f"serve did not start: {first!r}")
    return proc, f"http://127.0.0.1:{port}"


class Peer:
    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http = http
        self.url = url
        self.state: dict[str, Any] = {}
        self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.changed = asyncio.Event()
        self.ids = 0
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.errors = 0

    async def connect(self, hello: dict[str, Any]) -> None:
        self.ws = await self.http.ws_connect(self.url + "/ws", max_msg_size=8 << 20)
        await self.ws.send_json({"op": "hello", **hello})
        welcome = await self.ws.receive_json()
        if welcome.get("type") != "welcome":
            raise RuntimeError(str(welcome))
        asyncio.ensure_future(self.read())

    async def read(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(msg.data)
            if data["type"] == "state":
                self.state = data
                self.changed.set()
            elif data["type"] == "reply":
                fut = self.replies.pop(data["id"], None)
                if fut is not None:
                    fut.set_result(data)

    async def until(self, test: Any) -> dict[str, Any]:
        while not (self.state and test(self.state)):
            self.changed.clear()
            await self.changed.wait()
        return self.state

    async def request(self, op: str, **fields: Any) -> dict[str, Any]:
        assert self.ws is not None
        self.ids += 1
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.replies[self.ids] = fut
        await self.ws.send_json({"op": op, "id": self.ids, **fields})
        return await fut


async def play(urls: list[str], n: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    conn = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=conn,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        async with http.post(urls[0] + "/api/sessions",
                             json={"episode": "ep01-google-test", "lang": "en"}) as r:
            made = await r.json()
        code, key = made["code"], made["key"]
        projector = Peer(http, urls[-1])
        await projector.connect({"role": "facilitator", "code": code, "key": key})
        people: list[Peer] = []
        errors = 0
        for i in range(n):
            url = urls[i % len(urls)]
            async with http.post(url + "/api/join", json={"code": code,
                                                          "name": f"P{i:04d}"}) as r:
                joined = await r.json()
                if r.status != 200:
                    errors += 1
                    continue
            p = Peer(http, url)
            await p.connect({"role": "participant", "code": code, "token": joined["token"]})
            people.append(p)
        sent = 0
        latencies: list[float] = []
        step = 0
        while True:
            await asyncio.wait_for(asyncio.gather(*(p.until(
                lambda s, st=step: s.get("step") == st) for p in people)), 60)
            state = people[0].state
            if state["phase"] == "ended":
                break
            choices = [c["id"] for c in state["choices"]]
            picks = [rng.choice(choices) for _ in people]
            replies = await asyncio.gather(*(p.request("vote", step=step, choice=c)
                                             for p, c in zip(people, picks, strict=True)))
            last = time.perf_counter()
            sent += len(picks)
            errors += sum(1 for r in replies if not r.get("ok"))
            await asyncio.wait_for(projector.until(
                lambda s, st=step: s.get("step") == st and s.get("votes_cast") == len(people)),
                60)
            latencies.append((time.perf_counter() - last) * 1000)
            reply = await projector.request("next", step=step)
            if reply.get("result") == "tie":
                await projector.request("pick", step=step, number=1)
                reply = await projector.request("next", step=step)
            if not reply.get("ok"):
                errors += 1
                break
            step += 1
        async with http.get(f"{urls[0]}/api/sessions/{code}/report",
                            params={"format": "json"},
                            headers={"Authorization": f"Bearer {key}"}) as r:
            report = json.loads(await r.text())
        counted = sum(c["count"] for sc in report["scenes"] for c in sc["choices"])
        for p in [projector, *people]:
            if p.ws is not None:
                await p.ws.close()
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))] \
        if latencies else None
    return {"votes_sent": sent, "votes_counted": counted,
            "tally_p95_ms": round(p95, 1) if p95 is not None else None,
            "client_errors": errors, "scenes": len(latencies)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=300)
    ap.add_argument("--db", help="postgresql://... : two serve processes on that database")
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sam-cowboy-load-") as tmp:
        data = Path(tmp)
        db = args.db or str(data / "results.sqlite3")
        count = 2 if db.startswith(("postgresql://", "postgres://")) else 1
        servers = [start_server(db, data) for _ in range(count)]
        peak = [0.0]
        stop = False

        async def sample() -> None:
            while not stop:
                peak[0] = max(peak[0], *(rss_mib(p.pid) for p, _ in servers))
                await asyncio.sleep(0.2)

        async def run() -> dict[str, Any]:
            nonlocal stop
            sampler = asyncio.ensure_future(sample())
            try:
                return await play([u for _, u in servers], args.participants, args.seed)
            finally:
                stop = True
                await sampler

        try:
            result = asyncio.run(run())
        finally:
            for p, _ in servers:
                p.terminate()
                p.wait(30)
    print(json.dumps({"participants": args.participants, "votes_sent": result["votes_sent"],
                      "votes_counted": result["votes_counted"],
                      "tally_p95_ms": result["tally_p95_ms"],
                      "server_rss_mib": round(peak[0], 1),
                      "client_errors": result["client_errors"],
                      "servers": count, "scenes": result["scenes"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
