"""`sam-cowboy workshop serve`: the one process that opens the results store.

The facilitator, the projector, terminal participants and browsers talk to it over HTTP and
one WebSocket each (aiohttp); see docs/workshops.md for the protocol. All store calls run on
one worker thread, in order; a lost database (PostgreSQL restarting) is retried with backoff
while clients are told "reconnecting", and every write is idempotent, so a retried call
never counts twice. Several servers on one PostgreSQL database wake each other with
LISTEN/NOTIFY: a vote on one reaches the facilitator on another.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web

from sam_cowboy.core import engine
from sam_cowboy.core.debrief import build
from sam_cowboy.core.engine import State
from sam_cowboy.results.base import Store, StoreError, StoreUnavailable
from sam_cowboy.workshop import identity
from sam_cowboy.workshop.session import (
    CODE_LENGTH,
    NameTaken,
    Session,
    SessionError,
    create_session,
    load_source,
    new_identity,
    normalise_code,
)
from sam_cowboy.workshop.views import (
    choices_view,
    compose_view,
    composition_id,
    debrief_view,
    held_lessons,
    outcome_view,
    scene_view,
    text_of,
)

T = TypeVar("T")

TOO_LATE = "too late: the vote on this scene is closed"
HELLO_SECONDS = 10.0      # a socket that does not say who it is by then is closed
PUSH_DELAY = 0.03         # s: changes this close together are pushed once
TOUCH_SECONDS = 5.0       # connected participants count as present ("last seen")
BACKOFF_MAX = 2.0
OUTAGE_GIVE_UP = 300.0    # s of database outage after which a request fails
COOKIE_PREFIX = "sc_"
SEND_SECONDS = 10.0       # a push a client has not taken by then closes its socket
TEXT_MAX = 1000           # characters in a typed reflection or commitment
WRITES_PER_MINUTE = 30    # reflections and commitments per participant


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    max_connections: int = 2000      # WebSockets open at once
    max_message: int = 4096          # bytes in one WebSocket message
    max_body: int = 2 * 1024 * 1024  # bytes in one HTTP request (an episode's text)
    join_rate: int = 120             # joins (and key attempts) per minute per address


def machine_address() -> str:
    """This machine's address on its network (what browsers in the room can reach)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            return str(s.getsockname()[0])
    except OSError:
        return socket.gethostname()


def serving_url(host: str, port: int, public_url: str | None) -> str:
    if public_url:
        return public_url.rstrip("/")
    if host in ("0.0.0.0", "::", ""):
        host = machine_address()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class RateLimit:
    """At most `per_minute` events per key in any 60 s."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.seen: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        q = self.seen.setdefault(key, deque())
        while q and now - q[0] > 60:
            q.popleft()
        if len(q) >= self.per_minute:
            return False
        q.append(now)
        if len(self.seen) > 10000:  # forget quiet addresses
            for k in [k for k, v in self.seen.items() if not v or now - v[-1] > 60]:
                del self.seen[k]
        return True


@dataclass(eq=False)
class Conn:
    ws: web.WebSocketResponse
    role: str
    pid: int | None = None
    name: str = ""
    seen: set[int] = field(default_factory=set)  # steps shown to this participant, open
    pushed: int = -1  # the session version last sent


@dataclass
class Snapshot:
    row: dict[str, Any]
    votes: dict[int, str]                  # current step: participant -> choice
    previous: dict[int, str]               # the step before
    people: list[dict[str, Any]]
    extra: dict[int, Any] = field(default_factory=dict)  # per participant (debrief, async)
    progress: list[dict[str, Any]] = field(default_factory=list)  # async, for the projector


class Room:
    """One session as this server sees it: its clients and the last state read."""

    def __init__(self, hub: Hub, session: Session) -> None:
        self.hub = hub
        self.session = session
        self.code = session.code
        self.conns: set[Conn] = set()
        self.snapshot: Snapshot | None = None
        self.dirty = False
        self.pushing: asyncio.Task[None] | None = None
        self.pushed_version = -1
        self.lock_timer: tuple[int, float] | None = None
        self.touched = 0.0
        self.debriefs: dict[int, dict[str, Any]] = {}

    # ------------------------------------------------------------ reading (store thread)

    def read(self) -> Snapshot:
        s = self.session
        row = s.refresh()
        step = int(row["step"])
        votes: dict[int, str] = {}
        previous: dict[int, str] = {}
        for v in s.store.query("SELECT step, participant_id, choice FROM votes WHERE "
                               "session_code = ? AND step IN (?, ?)",
                               (self.code, step, step - 1)):
            (votes if int(v["step"]) == step else previous)[int(v["participant_id"])] = \
                str(v["choice"])
        people = s.participants()
        here = {c.pid for c in self.conns if c.pid is not None}
        now = time.time()
        if here and now - self.touched > TOUCH_SECONDS:
            self.touched = now
            s.store.touch(*sorted(here))
        snap = Snapshot(dict(row), votes, previous, people)
        if s.mode == "live" and row["phase"] == "ended":
            for pid in here:
                if pid not in self.debriefs:
                    self.debriefs[pid] = self.live_debrief(pid)
                snap.extra[pid] = self.debriefs[pid]
        elif s.mode == "async":
            for pid in here:
                snap.extra[pid] = self.async_view(pid)
            if any(c.role == "facilitator" for c in self.conns):
                snap.progress = s.progress()
        return snap

    def refresh_own(self, pid: int) -> None:
        """Read again what only participant `pid` sees (their debrief, their async run)."""
        if self.session.mode == "live":
            self.debriefs[pid] = self.live_debrief(pid)
            extra: Any = self.debriefs[pid]
        else:
            extra = self.async_view(pid)
        if self.snapshot is not None:
            self.snapshot.extra[pid] = extra

    def live_debrief(self, pid: int) -> dict[str, Any]:
        """A participant's debrief at the session's end, scored on their own votes."""
        s = self.session
        held = held_lessons(s.episode, s.path, s.lang) if s.assessment else None
        return debrief_view(s, s.debrief_for(pid), s.lang, s.store.open_run(self.code, pid),
                            held)

    def async_state(self, pid: int) -> tuple[State, int, dict[str, Any] | None]:
        """A participant's own run: where it is, how many decisions, its id."""
        s = self.session
        run = s.store.open_run(self.code, pid)
        state, _ = engine.begin(s.episode)
        seq = 0
        if run is not None:
            for d in s.store.decisions(run["id"]):
                state, _ = engine.choose(s.episode, state, d["choice"])
                seq += 1
        return state, seq, run

    def async_view(self, pid: int) -> dict[str, Any]:
        s = self.session
        state, seq, run = self.async_state(pid)
        view: dict[str, Any] = {"seq": seq, "scene": scene_view(s.episode, state, s.lang),
                                "choices": [] if state.finished else
                                choices_view(s.episode, state, s.lang),
                                "ended": state.finished, "debrief": None}
        if seq and state.path:
            before, _ = engine.begin(s.episode)
            for _, c in state.path[:-1]:
                before, _ = engine.choose(s.episode, before, c)
            view["last"] = outcome_view(s.episode, before, state.path[-1][1], s.lang,
                                        s.assessment)
        if state.finished:
            held = held_lessons(s.episode, list(state.path), s.lang) if s.assessment else None
            view["debrief"] = debrief_view(s, build(s.episode, state, s.analysis), s.lang,
                                           run, held)
        else:
            view["compose"] = compose_view(s.episode, state, s.lang)
        return view

    # ------------------------------------------------------------ pushing (event loop)

    def request_push(self) -> None:
        self.dirty = True
        if self.pushing is None or self.pushing.done():
            self.pushing = asyncio.ensure_future(self._push_loop())

    async def _push_loop(self) -> None:
        while self.dirty:
            self.dirty = False
            await asyncio.sleep(PUSH_DELAY)
            try:
                self.snapshot = await self.hub.call(self.read)
            except StoreError:
                continue
            await self.push_all()

    async def push_all(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        version = int(snap.row["version"])
        everyone = version != self.pushed_version or bool(snap.row["revealed"]) or \
            snap.row["phase"] == "ended" or self.session.mode == "async"
        self.pushed_version = version
        self.schedule_lock(snap)
        common = self.common_view(snap)
        facilitator = self.facilitator_view(snap, common)
        sends = []
        for c in list(self.conns):
            if c.role == "facilitator":
                sends.append(self.send(c, facilitator))
            elif everyone or c.pushed != version:
                c.pushed = version
                sends.append(self.send(c, self.participant_view(snap, common, c)))
        if sends:
            await asyncio.gather(*sends)

    async def push_one(self, conn: Conn) -> None:
        snap = self.snapshot
        if snap is None:
            return
        common = self.common_view(snap)
        await self.send(conn, self.facilitator_view(snap, common) if conn.role == "facilitator"
                        else self.participant_view(snap, common, conn))

    @staticmethod
    async def send(conn: Conn, payload: dict[str, Any]) -> None:
        if conn.ws.closed:
            return
        try:
            # a client that stops reading must not hold up the room's pushes
            await asyncio.wait_for(conn.ws.send_str(json.dumps(payload, ensure_ascii=False)),
                                   SEND_SECONDS)
        except TimeoutError:
            await conn.ws.close()
        except (ConnectionError, RuntimeError):
            pass  # the client went away; its handler cleans up

    def phase_of(self, row: dict[str, Any]) -> str:
        phase = str(row["phase"])
        if phase == "open" and row["lock_at"] is not None and row["lock_at"] <= time.time():
            return "locked"
        return phase

    def schedule_lock(self, snap: Snapshot) -> None:
        """At the countdown's end, lock the vote (any server may do it: it is idempotent)."""
        row = snap.row
        if row["phase"] != "open" or row["lock_at"] is None:
            return
        key = (int(row["step"]), float(row["lock_at"]))
        if self.lock_timer == key:
            return
        self.lock_timer = key
        delay = max(0.0, key[1] - time.time())
        asyncio.get_running_loop().call_later(
            delay, lambda: asyncio.ensure_future(self.lock_due(key[0])))

    async def lock_due(self, step: int) -> None:
        try:
            await self.hub.call(self.session.lock, step)
        except StoreError:
            return
        self.request_push()

    def common_view(self, snap: Snapshot) -> dict[str, Any]:
        s = self.session
        row = snap.row
        ep = s.episode
        view: dict[str, Any] = {
            "type": "state", "code": self.code, "title": row["title"], "mode": s.mode,
            "lang": s.lang, "anonymous": s.anonymous, "version": int(row["version"]),
            "participants": len(snap.people), "join_url": self.hub.join_url(self.code),
            "assessment": s.assessment,
        }
        if s.mode == "async":
            return view
        state = s.group_state()
        phase = self.phase_of(row)
        step = int(row["step"])
        tally_visible = bool(row["revealed"]) or phase in ("decided", "ended")
        counts: dict[str, int] = {}
        for choice in snap.votes.values():
            counts[choice] = counts.get(choice, 0) + 1
        view.update({
            "step": step, "phase": phase, "revealed": bool(row["revealed"]),
            "lock_in": None if phase != "open" or row["lock_at"] is None else
            max(0.0, round(float(row["lock_at"]) - time.time(), 1)),
            "scene": scene_view(ep, state, s.lang),
            "choices": [] if phase == "ended" else choices_view(ep, state, s.lang),
            "compose": compose_view(ep, state, s.lang),
            "votes_cast": len(snap.votes),
            "tally": counts if tally_visible else None,
            "outcome": outcome_view(ep, state, str(row["winner"]), s.lang, s.assessment)
            if phase == "decided" and row["winner"] else None,
            "previous": None,
        })
        path = s.path
        if path:
            before, _ = engine.begin(ep)
            for _, c in path[:-1]:
                before, _ = engine.choose(ep, before, c)
            prev: dict[str, Any] = outcome_view(ep, before, path[-1][1], s.lang, s.assessment)
            prev_counts: dict[str, int] = {}
            for choice in snap.previous.values():
                prev_counts[choice] = prev_counts.get(choice, 0) + 1
            prev.update({"step": step - 1, "tally": prev_counts,
                         "choices": choices_view(ep, before, s.lang),
                         "compose": compose_view(ep, before, s.lang)})
            view["previous"] = prev
        return view

    def participant_view(self, snap: Snapshot, common: dict[str, Any],
                         conn: Conn) -> dict[str, Any]:
        view = dict(common)
        pid = conn.pid
        assert pid is not None
        view["you"] = {"participant": pid, "name": conn.name, "vote": snap.votes.get(pid),
                       "previous_vote": snap.previous.get(pid)}
        if self.session.mode == "async":
            view["run"] = snap.extra.get(pid)
            return view
        if common["phase"] == "open":
            conn.seen.add(int(common["step"]))
        if common["phase"] == "ended":
            view["debrief"] = snap.extra.get(pid)
        return view

    def facilitator_view(self, snap: Snapshot, common: dict[str, Any]) -> dict[str, Any]:
        s = self.session
        view = dict(common)
        view["role"] = "facilitator"
        names = {int(p["id"]): str(p["name"]) for p in snap.people}
        view["people"] = [names[p] for p in sorted(names)] if not s.anonymous else []
        if s.mode == "async":
            view["progress"] = snap.progress
            return view
        counts: dict[str, int] = {}
        for choice in snap.votes.values():
            counts[choice] = counts.get(choice, 0) + 1
        view["tally"] = counts
        view["voters"] = [] if s.anonymous else sorted(names.get(p, "?") for p in snap.votes)
        scene = s.episode.scenes[s.group_state().scene]
        view["notes"] = text_of(s.episode, scene.trainer_notes, s.lang, s.group_state()) \
            if scene.trainer_notes else ""
        top = max(counts.values(), default=0)
        view["leaders"] = [c["id"] for c in common["choices"] if top and counts.get(c["id"]) == top]
        return view


class Hub:
    """The server's state: the store, its thread, the rooms, the limits."""

    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.db = ThreadPoolExecutor(1, thread_name_prefix="store")
        self.rooms: dict[str, Room] = {}
        self.connections = 0
        self.reconnecting = False
        self.joins = RateLimit(config.join_rate)
        self.writes = RateLimit(WRITES_PER_MINUTE)
        self.url = serving_url(config.host, config.port, config.public_url)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_listening = threading.Event()

    def join_url(self, code: str) -> str:
        return f"{self.url}/{code}"

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on the store thread; through a database outage, retry with
        backoff (clients hear "reconnecting") until it answers."""
        loop = asyncio.get_running_loop()
        delay = 0.1
        started = time.monotonic()
        while True:
            try:
                result = await loop.run_in_executor(self.db, fn, *args)
            except StoreUnavailable:
                if time.monotonic() - started > OUTAGE_GIVE_UP:
                    raise
                if not self.reconnecting:
                    self.reconnecting = True
                    await self.broadcast({"type": "status", "status": "reconnecting"})
                await asyncio.sleep(delay)
                delay = min(BACKOFF_MAX, delay * 2)
                continue
            if self.reconnecting:
                self.reconnecting = False
                await self.broadcast({"type": "status", "status": "ok"})
                for room in self.rooms.values():
                    room.request_push()
            return result

    async def broadcast(self, payload: dict[str, Any]) -> None:
        await asyncio.gather(*(Room.send(c, payload) for room in self.rooms.values()
                               for c in list(room.conns)))

    async def room(self, code: str) -> Room:
        """The room of session `code`, loading it on first use; SessionError if unknown."""
        code = normalise_code(code)
        room = self.rooms.get(code)
        if room is None:
            session = await self.call(Session, self.store, code)
            room = self.rooms.setdefault(code, Room(self, session))
            room.snapshot = await self.call(room.read)
        return room

    def on_event(self, code: str | None) -> None:
        """Another server (or this one) changed session `code` (None: maybe all)."""
        for c, room in self.rooms.items():
            if code is None or c == code:
                room.request_push()


# ------------------------------------------------------------------ HTTP

HUB = web.AppKey("hub", Hub)

def _address(request: web.Request) -> str:
    return request.remote or "?"


def _error(status: int, message: str, error: str = "error") -> web.Response:
    return web.json_response({"error": error, "message": message}, status=status)


def _origin_ok(request: web.Request, hub: Hub) -> bool:
    """Browsers send Origin on a WebSocket: only our own pages may open one."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser (terminal clients): nothing to forge on their behalf
    parts = urlsplit(origin)
    allowed = {urlsplit(hub.url).netloc}
    host = request.headers.get("Host")
    if host:
        allowed.add(host)
    return parts.scheme in ("http", "https") and parts.netloc in allowed


async def page(request: web.Request) -> web.Response:
    code = request.match_info.get("code")
    if code is not None and len(code.replace("-", "")) != CODE_LENGTH:
        raise web.HTTPNotFound()
    html = resources.files("sam_cowboy.workshop").joinpath("static/index.html").read_text(
        encoding="utf-8")
    return web.Response(text=html, content_type="text/html", headers=_page_headers())


def _page_headers() -> dict[str, str]:
    return {"Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; "
            "img-src 'self' data:; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store"}


STATIC_TYPES = {"app.js": "text/javascript", "app.css": "text/css"}


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in STATIC_TYPES:
        raise web.HTTPNotFound()
    text = resources.files("sam_cowboy.workshop").joinpath(f"static/{name}").read_text(
        encoding="utf-8")
    return web.Response(text=text, content_type=STATIC_TYPES[name],
                        headers={"X-Content-Type-Options": "nosniff"})


async def health(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    return web.json_response({"ok": True, "reconnecting": hub.reconnecting})


async def _json_body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":  # a cross-site form cannot send this
        raise web.HTTPUnsupportedMediaType(text="send JSON (Content-Type: application/json)")
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="the request is not JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="the request is not a JSON object")
    return body


async def create(request: web.Request) -> web.Response:
    """Create a session from a built-in episode id or an episode's text."""
    hub = request.app[HUB]
    if not hub.joins.allow(_address(request)):
        return _error(429, "too many requests from this address: wait a minute", "rate")
    body = await _json_body(request)
    mode = body.get("mode", "live")
    source = body.get("source")
    series = body.get("series_source")
    ref = str(body.get("episode") or "")
    if source is not None and not isinstance(source, str) or \
            series is not None and not isinstance(series, str) or mode not in ("live", "async"):
        return _error(400, "bad request: episode, source, mode (live or async)")

    def prepare() -> tuple[Any, Any]:
        from sam_cowboy.core.analysis import analyse
        from sam_cowboy.library import builtin_library

        if source is not None:
            episode = load_source(source, series, name=ref.rsplit("/", 1)[-1] or "episode.yaml")
        else:  # only built-in episodes by id: a client never names a file on the server
            entry = builtin_library().find(ref)
            if entry is None:
                raise SessionError(f"`{ref}` is not a built-in episode of this server: send "
                                   f"the episode's text")
            from sam_cowboy.analysis_cache import cached_analysis
            from sam_cowboy.core.loader import load_episode

            loaded = load_episode(entry.path)
            if loaded.episode is None:
                raise SessionError(f"the built-in episode `{ref}` has errors: run "
                                   f"`sam-cowboy check {ref}`")
            return loaded.episode, cached_analysis(loaded.episode, entry.path)
        return episode, analyse(episode)

    try:
        episode, analysis = await asyncio.get_running_loop().run_in_executor(None, prepare)
    except SessionError as e:
        return _error(400, str(e))
    except Exception as e:  # load_playable's InputError/UsageError: one line for the user
        return _error(400, str(e) or type(e).__name__)
    errors = [f for f in analysis.findings if f.severity == "error"]
    if errors:
        return _error(400, errors[0].format())
    from sam_cowboy.core.i18n import choose_language

    lang = choose_language(episode, body.get("lang") or None)
    chosen = await asyncio.get_running_loop().run_in_executor(None, new_identity)  # scrypt
    code, key = await hub.call(
        lambda: create_session(hub.store, episode, analysis, ref or episode.id, mode=mode,
                               title=str(body.get("title") or ""),
                               anonymous=bool(body.get("anonymous")), lang=lang,
                               assess=bool(body.get("assess")),
                               source=source, series_source=series, identity_=chosen))
    return web.json_response({"code": code, "key": key, "join_url": hub.join_url(code)})


async def join(request: web.Request) -> web.Response:
    """A participant joins (or rejoins with their token); the token comes back, and as a
    cookie for the browser."""
    hub = request.app[HUB]
    if not hub.joins.allow(_address(request)):
        return _error(429, "too many joins from this address: wait a minute", "rate")
    body = await _json_body(request)
    try:
        room = await hub.room(str(body.get("code") or ""))
    except SessionError as e:
        return _error(404, str(e), "unknown")
    token = body.get("token") or request.cookies.get(COOKIE_PREFIX + room.code)
    if not isinstance(token, str) or not 20 <= len(token) <= 100 or \
            await hub.call(room.session.participant, token) is None:
        token = identity.new_token()  # only tokens this session gave out name someone
    try:
        pid, name = await hub.call(room.session.join, str(body.get("name") or ""), token)
    except NameTaken as e:
        return _error(409, str(e), "name_taken")
    except SessionError as e:
        return _error(400, str(e))
    room.request_push()
    response = web.json_response({"token": token, "participant": pid, "name": name,
                                  "code": room.code, "mode": room.session.mode,
                                  "anonymous": room.session.anonymous})
    response.set_cookie(COOKIE_PREFIX + room.code, token, max_age=30 * 86400, httponly=True,
                        samesite="Strict", path="/")
    return response


async def report(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    fmt = request.query.get("format", "md")
    from sam_cowboy.workshop.report import FORMATS, render_report

    if fmt not in FORMATS:
        return _error(400, f"unknown format {fmt}")
    try:
        room = await hub.room(request.match_info["code"])
    except SessionError as e:
        return _error(404, str(e), "unknown")
    auth = request.headers.get("Authorization", "")
    key = auth[7:] if auth.startswith("Bearer ") else None
    if not hub.joins.allow(_address(request)) or not await _check_key(room, key):
        return _error(403, f"that is not the facilitator key of session {room.code}", "key")
    options = {k: v for k, v in request.query.items() if k in ("actor_homepage",)}
    text = await hub.call(lambda: render_report(room.session, fmt, **options))
    return web.Response(text=text, content_type="text/plain", charset="utf-8")


async def _check_key(room: Room, key: str | None) -> bool:
    stored = str(room.session.row["key_hash"])
    return await asyncio.get_running_loop().run_in_executor(None, identity.verify_key, key,
                                                            stored)


# ------------------------------------------------------------------ WebSocket

async def websocket(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB]
    if not _origin_ok(request, hub):
        return _error(403, "this page may not open a workshop connection", "origin")
    if hub.connections >= hub.config.max_connections:
        return _error(503, "the workshop server is full: try again in a moment", "full")
    ws = web.WebSocketResponse(max_msg_size=hub.config.max_message, heartbeat=20)
    await ws.prepare(request)
    hub.connections += 1
    conn: Conn | None = None
    room: Room | None = None
    try:
        try:
            first = await ws.receive(timeout=HELLO_SECONDS)
        except TimeoutError:
            return ws
        if first.type != WSMsgType.TEXT:
            return ws
        try:
            hello = json.loads(first.data)
            assert isinstance(hello, dict) and hello.get("op") == "hello"
        except (ValueError, AssertionError):
            await ws.send_json({"type": "error", "error": "hello",
                                "message": "say hello first"})
            return ws
        try:
            room = await hub.room(str(hello.get("code") or ""))
        except SessionError as e:
            await ws.send_json({"type": "error", "error": "unknown", "message": str(e)})
            return ws
        conn = await _welcome(request, hub, room, ws, hello)
        if conn is None:
            return ws
        room.conns.add(conn)
        room.snapshot = await hub.call(room.read)  # with what this client needs
        await room.push_one(conn)
        if hub.reconnecting:
            await Room.send(conn, {"type": "status", "status": "reconnecting"})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            try:
                data = json.loads(msg.data)
                if not isinstance(data, dict):
                    raise ValueError
            except ValueError:
                continue
            try:
                reply = await _handle(hub, room, conn, data)
            except SessionError as e:
                reply = {"ok": False, "result": "invalid", "message": str(e)}
            except StoreError as e:
                reply = {"ok": False, "result": "unavailable", "message": str(e)}
            if reply is not None:
                reply = {"type": "reply", "id": data.get("id"), **reply}
                await Room.send(conn, reply)
    finally:
        hub.connections -= 1
        if room is not None and conn is not None:
            room.conns.discard(conn)
    return ws


async def _welcome(request: web.Request, hub: Hub, room: Room, ws: web.WebSocketResponse,
                   hello: dict[str, Any]) -> Conn | None:
    role = hello.get("role", "participant")
    if role == "facilitator":
        if not hub.joins.allow(_address(request)) or \
                not await _check_key(room, hello.get("key")):
            await ws.send_json({"type": "error", "error": "key",
                                "message": f"that is not the facilitator key of session "
                                           f"{room.code}"})
            return None
        await ws.send_json({"type": "welcome", "role": "facilitator", "code": room.code})
        return Conn(ws, "facilitator")
    token = hello.get("token") or request.cookies.get(COOKIE_PREFIX + room.code)
    row = await hub.call(room.session.participant, token) if isinstance(token, str) else None
    if row is None:
        await ws.send_json({"type": "error", "error": "token",
                            "message": f"join session {room.code} first (with a name)"})
        return None
    conn = Conn(ws, "participant", int(row["id"]), str(row["name"]))
    await ws.send_json({"type": "welcome", "role": "participant", "code": room.code,
                        "participant": conn.pid, "name": conn.name})
    return conn


async def _handle(hub: Hub, room: Room, conn: Conn, data: dict[str, Any]) -> dict[str, Any] | None:
    op = data.get("op")
    s = room.session
    if op == "ping":
        return {"ok": True, "result": "pong"}
    if conn.role == "participant":
        assert conn.pid is not None
        pid = conn.pid
        if op == "vote":
            step, choice = data.get("step"), data.get("choice")
            fragments = data.get("fragments")
            if isinstance(fragments, list) and all(isinstance(f, str) for f in fragments):
                choice = await hub.call(  # the scene's state is the store thread's to read
                    lambda: composition_id(s.episode, s.group_state(), fragments)) or ""
            if not isinstance(step, int) or not isinstance(choice, str):
                return {"ok": False, "result": "invalid", "message": "vote needs step, choice"}
            if step not in conn.seen:  # not shown open to them (yet, or any more)
                result = "closed"
            else:
                result = await hub.call(s.vote, pid, step, choice)
            if result == "ok":
                room.request_push()
                return {"ok": True, "result": "ok", "step": step, "choice": choice}
            if result == "closed":
                return {"ok": False, "result": "too_late", "message": TOO_LATE, "step": step}
            return {"ok": False, "result": "invalid", "message": "not a choice of this scene"}
        if op == "choose" and s.mode == "async":
            return await _choose(hub, room, pid, data)
        if op == "leave":
            await hub.call(s.leave, pid)
            return {"ok": True, "result": "ok"}
        if op in ("reflect", "commit"):
            if not hub.writes.allow(f"{room.code}:{pid}"):
                return {"ok": False, "result": "rate", "message": "too many answers: wait a "
                        "minute"}
            reply = await hub.call(_transfer_step, room, pid, op, data)
            if reply["ok"]:  # only this participant's view changed: not a push to the room
                await hub.call(room.refresh_own, pid)
                await room.push_one(conn)
            return reply
        return {"ok": False, "result": "unknown", "message": f"unknown request {op!r}"}
    return await _facilitate(hub, room, data)


def _transfer_step(room: Room, pid: int, op: str, data: dict[str, Any]) -> dict[str, Any]:
    """After the participant's run ended: `reflect {text}` stores the answer to the
    reflection question on their run; `commit {proposal: N | action: TEXT, due?}` stores
    their one commitment (a repeated one answers `already`). Typed text is kept as typed."""
    from sam_cowboy.core import transfer
    from sam_cowboy.results import learning

    def bad(message: str) -> dict[str, Any]:
        return {"ok": False, "result": "invalid", "message": message}

    s = room.session
    run = s.store.open_run(room.code, pid)
    if s.mode == "live":
        ended = s.poll()["phase"] == "ended"
        state = s.personal_state(s.my_votes(pid))
    else:
        state, _, run = room.async_state(pid)
        ended = state.finished
    if run is None or not ended:
        return bad("the debrief comes at the end of the run")
    if op == "reflect":
        text = data.get("text")
        if not isinstance(text, str) or len(text) > TEXT_MAX:
            return bad(f"reflect needs text (at most {TEXT_MAX} characters)")
        if text.strip():
            learning.save_reflection(s.store, int(run["id"]), text)
        return {"ok": True, "result": "ok"}
    done = learning.run_commitments(s.store, int(run["id"]))
    if done:
        return {"ok": True, "result": "already", "action": done[0]["action"],
                "due": done[0]["due"]}
    debrief = s.debrief_for(pid) if s.mode == "live" else build(s.episode, state, s.analysis)
    offer = transfer.proposals(s.episode, debrief, s.analysis, s.lang)
    due = transfer.due_date(learning.today())
    if data.get("due") is not None:
        day = transfer.parse_day(str(data["due"]))
        if day is None:
            return bad("the date is YYYY-MM-DD")
        due = day
    number, action = data.get("proposal"), data.get("action")
    if isinstance(number, int) and not isinstance(number, bool):
        if not 1 <= number <= len(offer.actions):
            return bad(f"proposal N: N from 1 to {len(offer.actions)}")
        action, own = offer.actions[number - 1], False
    elif isinstance(action, str) and action.strip() and len(action) <= TEXT_MAX:
        own = True
    else:
        return bad(f"commit needs a proposal number or an action (at most {TEXT_MAX} "
                   "characters)")
    learning.add_commitment(s.store, run_id=int(run["id"]), player=str(run["player"]),
                            episode_id=s.episode.id, action=action, due=due,
                            scene=offer.scene, choice=offer.choice, own=own)
    return {"ok": True, "result": "ok", "action": action, "due": due.isoformat()}


async def _choose(hub: Hub, room: Room, pid: int, data: dict[str, Any]) -> dict[str, Any]:
    """Async mode: the participant's next choice, recorded in their own run. `seq` (how
    many decisions they had made) makes a repeated request harmless."""
    seq, choice = data.get("seq"), data.get("choice")
    s = room.session

    def act() -> dict[str, Any]:
        from sam_cowboy.results.recorder import RunRecorder

        state, done, run = room.async_state(pid)
        chosen = choice
        fragments = data.get("fragments")
        if isinstance(fragments, list) and all(isinstance(f, str) for f in fragments):
            chosen = composition_id(s.episode, state, fragments)
        if not isinstance(seq, int) or seq != done:
            return {"ok": seq == done - 1, "result": "already" if seq == done - 1 else "stale"}
        if state.finished or chosen not in {c.id for c in engine.choices_shown(s.episode,
                                                                              state)}:
            return {"ok": False, "result": "invalid", "message": "not a choice of this scene"}
        name = str(s.store.query_one("SELECT name FROM participants WHERE id = ?",
                                     (pid,))["name"])  # type: ignore[index]
        errors: list[str] = []
        rec = RunRecorder(s.store, s.episode, name, s.lang, source="workshop",
                          analysis=s.analysis, session_code=s.code, participant_id=pid,
                          run_id=run["id"] if run else None, seq=done,
                          on_error=errors.append)
        if run is None:
            rec.begin(state)
        elif run["status"] == "abandoned":
            s.store.reopen_run(run["id"])
        after, events = engine.choose(s.episode, state, str(chosen))
        rec.step(after, events)
        if errors:
            raise StoreUnavailable(errors[0])
        return {"ok": True, "result": "ok", "seq": done + 1}

    reply = await hub.call(act)
    room.request_push()
    return reply


async def _facilitate(hub: Hub, room: Room, data: dict[str, Any]) -> dict[str, Any]:
    s = room.session
    op = data.get("op")
    step = data.get("step")
    if step is not None and not isinstance(step, int):
        return {"ok": False, "result": "invalid", "message": "step must be a number"}

    def act() -> dict[str, Any]:
        s.refresh()
        at = s.step if step is None else step
        if op in ("reveal", "hide"):
            s.reveal(op == "reveal")
        elif op == "lock":
            s.lock(at)
        elif op == "countdown":
            seconds = data.get("seconds")
            if not isinstance(seconds, (int, float)) or not 0 < seconds <= 3600:
                return {"ok": False, "result": "invalid", "message": "countdown N: N seconds"}
            s.countdown(float(seconds))
        elif op == "pick":
            choice = data.get("choice")
            number = data.get("number")
            shown = [c.id for c in s.choices()]
            if isinstance(number, int):
                if not 1 <= number <= len(shown):
                    return {"ok": False, "result": "invalid",
                            "message": f"pick N: N from 1 to {len(shown)}"}
                choice = shown[number - 1]
            if not isinstance(choice, str) or choice not in shown:
                return {"ok": False, "result": "invalid", "message": "not a choice of this scene"}
            if s.decide(choice, at) is None:
                return {"ok": False, "result": "stale", "message": "that scene is over"}
        elif op == "next":
            if at != s.step:
                return {"ok": True, "result": "already"}  # a repeated `next`: done before
            if s.phase in ("open", "locked") and s.decide(None, at) is None:
                return {"ok": False, "result": "tie", "message": "a tie or no vote: pick N "
                        "first (the room's choice)"}
            s.advance(at)
        elif op == "end":
            s.end()
        else:
            return {"ok": False, "result": "unknown", "message": f"unknown command {op!r}"}
        return {"ok": True, "result": "ok"}

    if s.mode == "async" and op not in ("end",):
        return {"ok": False, "result": "invalid", "message": "an async session has no votes"}
    reply = await hub.call(act)
    room.request_push()
    return reply


# ------------------------------------------------------------------ running

def make_app(store: Store, config: Config) -> web.Application:
    app = web.Application(client_max_size=config.max_body)
    hub = Hub(store, config)
    app[HUB] = hub
    app.router.add_get("/", page)
    app.router.add_get("/ws", websocket)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/api/health", health)
    app.router.add_post("/api/sessions", create)
    app.router.add_post("/api/join", join)
    app.router.add_get("/api/sessions/{code}/report", report)
    app.router.add_get("/{code}", page)

    async def start(app: web.Application) -> None:
        hub.loop = asyncio.get_running_loop()
        if store.dialect == "postgresql":
            from sam_cowboy.results.postgres import listen

            loop = hub.loop

            def on_event(code: str | None) -> None:
                loop.call_soon_threadsafe(hub.on_event, code)

            threading.Thread(target=listen, args=(store.url, on_event, hub.stop_listening),
                             daemon=True, name="listen").start()

    async def stop(app: web.Application) -> None:
        hub.stop_listening.set()
        for room in hub.rooms.values():
            if room.pushing is not None:
                room.pushing.cancel()
            for c in list(room.conns):
                await c.ws.close()
        hub.db.shutdown(wait=False)

    app.on_startup.append(start)
    app.on_shutdown.append(stop)
    return app


def serve(store: Store, config: Config, announce: Callable[[str], None]) -> None:
    """Serve until interrupted; `announce` gets the first line (`Serving workshops on URL`)."""

    async def main() -> None:
        app = make_app(store, config)
        runner = web.AppRunner(app, handle_signals=True)
        await runner.setup()
        site = web.TCPSite(runner, config.host, config.port)
        await site.start()
        announce(f"Serving workshops on {app[HUB].url}")
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
