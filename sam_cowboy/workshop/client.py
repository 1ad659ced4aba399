"""A client of the workshop server (docs/workshops.md): what `create`, `host`, `join` and the
benchmark use. It never holds a database URL, only the server's URL and its own secret.

`Link` keeps one WebSocket open: when it drops (the server restarting, a network cut) it
says "reconnecting", connects again with backoff, says hello again and sends again the
requests that had no reply; the server makes each of them harmless to repeat.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from sam_cowboy.workshop.session import SessionError, normalise_code

BACKOFF_MAX = 2.0
TIMEOUT = aiohttp.ClientTimeout(total=60)


class ClientError(Exception):
    """One line for the user: unknown session, wrong key, name taken, server down."""

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


def split_join_url(url: str) -> tuple[str, str]:
    """`http://host:8000/KXTPRM` -> (`http://host:8000`, `KXTPRM`)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ClientError(f"`{url}` is not a join URL (like http://host:8000/KXTPRM)")
    path = parts.path.strip("/")
    prefix, _, code = path.rpartition("/")
    try:
        code = normalise_code(code)
    except SessionError as e:
        raise ClientError(f"`{url}` is not a join URL: {e}") from None
    base = f"{parts.scheme}://{parts.netloc}" + (f"/{prefix}" if prefix else "")
    return base, code


def ws_url(server: str) -> str:
    parts = urlsplit(server)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/ws"


async def post(server: str, path: str, body: dict[str, Any],
               headers: dict[str, str] | None = None) -> dict[str, Any]:
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http, \
                http.post(server.rstrip("/") + path, json=body, headers=headers) as r:
            try:
                data = await r.json(content_type=None)
            except ValueError:
                data = {"message": (await r.text()).strip()[:200]}
            if r.status != 200:
                raise ClientError(str(data.get("message") or f"HTTP {r.status}"),
                                  str(data.get("error") or "error"))
            return dict(data)
    except aiohttp.ClientError as e:
        raise ClientError(f"cannot reach the workshop server {server}: {e}") from None


async def get_text(server: str, path: str, key: str, params: dict[str, str]) -> str:
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http, \
                http.get(server.rstrip("/") + path, params=params,
                         headers={"Authorization": f"Bearer {key}"}) as r:
            text = await r.text()
            if r.status != 200:
                try:
                    message = json.loads(text).get("message")
                except ValueError:
                    message = None
                raise ClientError(message or f"HTTP {r.status}", "key" if r.status == 403
                                  else "error")
            return text
    except aiohttp.ClientError as e:
        raise ClientError(f"cannot reach the workshop server {server}: {e}") from None


class Link:
    """One WebSocket to the server, reconnected as needed.

    on_message(msg) gets every `state`, `status` and `error` message; request(op) returns the
    server's reply to that request. Fatal errors (wrong key, unknown session) end run()."""

    def __init__(self, server: str, hello: dict[str, Any],
                 on_message: Callable[[dict[str, Any]], Awaitable[None] | None]) -> None:
        self.server = server
        self.hello = {"op": "hello", **hello}
        self.on_message = on_message
        self.pending: dict[int, tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]] = {}
        self.ids = itertools.count(1)
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.connected = asyncio.Event()
        self.closing = False
        self.fatal: ClientError | None = None

    async def _emit(self, msg: dict[str, Any]) -> None:
        result = self.on_message(msg)
        if result is not None:
            await result

    async def run(self) -> None:
        """Stay connected until close(); raise ClientError on a fatal refusal."""
        delay = 0.1
        first = True
        async with aiohttp.ClientSession() as http:
            while not self.closing:
                try:
                    async with http.ws_connect(ws_url(self.server), heartbeat=20,
                                               max_msg_size=8 * 1024 * 1024) as ws:
                        await ws.send_json(self.hello)
                        welcome = await ws.receive_json(timeout=30)
                        if welcome.get("type") == "error":
                            raise ClientError(str(welcome.get("message")),
                                              str(welcome.get("error")))
                        self.ws = ws
                        self.connected.set()
                        if not first:
                            await self._emit({"type": "status", "status": "ok"})
                        first = False
                        delay = 0.1
                        for rid, (req, _) in list(self.pending.items()):
                            await ws.send_json({**req, "id": rid})
                        async for msg in ws:
                            if msg.type != aiohttp.WSMsgType.TEXT:
                                break
                            data = json.loads(msg.data)
                            if data.get("type") == "reply":
                                entry = self.pending.pop(data.get("id"), None)
                                if entry is not None and not entry[1].done():
                                    entry[1].set_result(data)
                                continue
                            await self._emit(data)
                except ClientError as e:
                    self.fatal = e
                    for _, fut in self.pending.values():
                        if not fut.done():
                            fut.set_exception(e)
                    raise
                except (TimeoutError, aiohttp.ClientError, ConnectionError, ValueError, TypeError):
                    pass
                self.ws = None
                self.connected.clear()
                if self.closing:
                    break
                await self._emit({"type": "status", "status": "reconnecting"})
                await asyncio.sleep(delay)
                delay = min(BACKOFF_MAX, delay * 2)

    async def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """Send a request; its reply (sent again after a reconnection until answered)."""
        if self.fatal is not None:
            raise self.fatal
        rid = next(self.ids)
        req = {"op": op, **fields}
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[rid] = (req, fut)
        if self.ws is not None and not self.ws.closed:
            try:
                await self.ws.send_json({**req, "id": rid})
            except (ConnectionError, RuntimeError, aiohttp.ClientError):
                pass  # sent again on reconnection
        return await fut

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()


async def join_session(server: str, code: str, name: str, token: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "name": name}
    if token:
        body["token"] = token
    return await post(server, "/api/join", body)
