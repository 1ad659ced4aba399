"""A real workshop server on a free port, in a thread, for tests; and small async helpers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from typing import Any

import aiohttp
from aiohttp import web

from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.server import Config, make_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningServer:
    def __init__(self, db: str, port: int | None = None, **config: Any) -> None:
        self.port = port or free_port()
        self.store = open_store(db)
        self.config = Config(host="127.0.0.1", port=self.port, **config)
        self.url = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.app = make_app(self.store, self.config)
        self.runner = web.AppRunner(self.app)
        self.loop.run_until_complete(self.runner.setup())
        self.loop.run_until_complete(web.TCPSite(self.runner, "127.0.0.1", self.port).start())
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(self.runner.cleanup())

    def __enter__(self) -> RunningServer:
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.store.close()


def http() -> aiohttp.ClientSession:
    """A client session without cookies: each participant says who they are by token."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())


async def create(server: str, episode: str = "ep01-google-test", **body: Any) -> dict[str, Any]:
    from sam_cowboy.workshop.client import post

    return await post(server, "/api/sessions", {"episode": episode, **body})


class Peer:
    """One WebSocket client that records what it is sent."""

    def __init__(self, http: aiohttp.ClientSession, server: str) -> None:
        self.http = http
        self.server = server
        self.states: list[dict[str, Any]] = []
        self.replies: dict[int, dict[str, Any]] = {}
        self.others: list[dict[str, Any]] = []
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.ids = 0
        self.changed = asyncio.Event()
        self.reader: asyncio.Task[None] | None = None

    async def hello(self, **hello: Any) -> dict[str, Any]:
        self.ws = await self.http.ws_connect(self.server + "/ws")
        await self.ws.send_json({"op": "hello", **hello})
        first = await self.ws.receive_json(timeout=10)
        if first.get("type") == "welcome":
            self.reader = asyncio.ensure_future(self._read())
        return dict(first)

    async def _read(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(msg.data)
            if data["type"] == "state":
                self.states.append(data)
            elif data["type"] == "reply":
                self.replies[data["id"]] = data
            else:
                self.others.append(data)
            self.changed.set()

    async def until(self, test: Any, timeout: float = 10) -> dict[str, Any]:
        """The first state (latest first) for which test(state) holds, waiting for it."""
        async def wait() -> dict[str, Any]:
            while True:
                for s in reversed(self.states):
                    if test(s):
                        return s
                self.changed.clear()
                await self.changed.wait()
        return await asyncio.wait_for(wait(), timeout)

    async def request(self, op: str, timeout: float = 10, **fields: Any) -> dict[str, Any]:
        assert self.ws is not None
        self.ids += 1
        rid = self.ids
        await self.ws.send_json({"op": op, "id": rid, **fields})

        async def wait() -> dict[str, Any]:
            while rid not in self.replies:
                self.changed.clear()
                await self.changed.wait()
            return self.replies[rid]
        return await asyncio.wait_for(wait(), timeout)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


async def join(http: aiohttp.ClientSession, server: str, code: str, name: str,
               token: str | None = None) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {"code": code, "name": name}
    if token:
        body["token"] = token
    async with http.post(server + "/api/join", json=body) as r:
        return r.status, await r.json()


async def participant(http: aiohttp.ClientSession, server: str, code: str,
                      name: str) -> Peer:
    status, data = await join(http, server, code, name)
    assert status == 200, data
    p = Peer(http, server)
    welcome = await p.hello(role="participant", code=code, token=data["token"])
    assert welcome["type"] == "welcome", welcome
    return p


async def facilitator(http: aiohttp.ClientSession, server: str, code: str, key: str) -> Peer:
    f = Peer(http, server)
    welcome = await f.hello(role="facilitator", code=code, key=key)
    assert welcome["type"] == "welcome", welcome
    return f


def pg_outage(seconds: float, down: Any = None) -> None:
    """Stop the test PostgreSQL (.ci/postgres.sh's cluster) for `seconds`, then start it
    again with the same options, as a database restart in production would. `down` (a
    threading.Event) is set once it is stopped."""
    import os
    import shlex
    import subprocess
    import time
    from pathlib import Path

    pgdir = os.environ.get("SAM_COWBOY_PG_DIR", "/tmp/sam-cowboy-pg")
    words = shlex.split(Path(pgdir, "postmaster.opts").read_text())
    binary, args = Path(words[0]).parent, words[1:]
    at = args.index("-D")
    del args[at:at + 2]
    su = ["su", "postgres", "-s", "/bin/sh", "-c"]
    subprocess.run(su + [f"'{binary}/pg_ctl' -D '{pgdir}' -m fast -w stop"], check=True,
                   capture_output=True)
    if down is not None:
        down.set()  # a threading.Event: the database is down from now on
    time.sleep(seconds)
    subprocess.run(su + [f"'{binary}/pg_ctl' -D '{pgdir}' -w -l '{pgdir}.log' "
                         f"-o \"{' '.join(args)}\" start"], check=True, capture_output=True)


def pg_restartable() -> str | None:
    """Why pg_outage cannot run here, or None."""
    import os
    from pathlib import Path

    pgdir = os.environ.get("SAM_COWBOY_PG_DIR", "/tmp/sam-cowboy-pg")
    if os.geteuid() != 0:
        return "restarting PostgreSQL needs root (su postgres), as in CI"
    if not Path(pgdir, "postmaster.opts").is_file():
        return f"no cluster of .ci/postgres.sh in {pgdir}"
    return None
