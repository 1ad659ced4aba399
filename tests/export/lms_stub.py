"""A minimal LMS for the package tests, written from the specifications, on 127.0.0.1.

- `/content/...`: the unpacked package, as an LMS serves it.
- cmi5 (cmi5 spec, sections 8 and 10): `/fetch` answers one POST with an auth token (a second
  POST gets the spec's error body), `/xapi/activities/state` returns LMS.LaunchData (with
  contextTemplate, session id, launchMode, masteryScore) to that token only, the
  cmi5LearnerPreferences agent profile (section 11) when a language preference is set, and
  `/xapi/statements` takes statements only with that token and the version header, checks
  each with `sam_cowboy.export.xapi_rules` (400 and the problems when invalid) and keeps them.
- SCORM 1.2: `/scorm.html` is a parent page whose `window.API` is the run-time API of the
  SCORM 1.2 RTE (scorm12_api.js), with the package in an iframe.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlparse

from sam_cowboy.export.xapi_rules import SESSION_EXTENSION, statement_errors

HERE = Path(__file__).parent


@dataclass
class Lms:
    content: Path
    mastery: float | None = 0.65
    launch_mode: str = "Normal"
    language_preference: str | None = None
    token: str = field(default_factory=lambda: base64.b64encode(
        f"au:{uuid.uuid4()}".encode()).decode())
    registration: str = field(default_factory=lambda: str(uuid.uuid4()))
    session_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    activity_id: str = "urn:uuid:5d3a8a0e-6f5e-4b5c-8c1f-2f6a1d0b9e11"
    actor: dict[str, Any] = field(default_factory=lambda: {
        "objectType": "Agent", "name": "Learner", "account": {
            "homePage": "https://lms.test.local", "name": "learner-1"}})
    base: str = ""
    fetches: int = 0
    statements: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[list[str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def launch_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "contextTemplate": {"extensions": {SESSION_EXTENSION: self.session_id}},
            "launchMode": self.launch_mode, "moveOn": "CompletedAndPassed",
            "returnURL": f"{self.base}/done"}
        if self.mastery is not None:
            data["masteryScore"] = self.mastery
        return data

    def launch_url(self) -> str:
        query = urlencode({"endpoint": f"{self.base}/xapi/", "fetch": f"{self.base}/fetch",
                           "actor": json.dumps(self.actor), "registration": self.registration,
                           "activityId": self.activity_id}, quote_via=quote)
        return f"{self.base}/content/index.html?{query}"

    def verbs(self) -> list[str]:
        with self.lock:
            return [s["verb"]["id"].rsplit("/", 1)[-1] for s in self.statements]


def _handler(lms: Lms) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def reply(self, code: int, body: bytes | str | Any, kind: str = "application/json") -> None:
            if not isinstance(body, bytes | str):
                body = json.dumps(body)
            data = body.encode() if isinstance(body, str) else body
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def authorised(self) -> bool:
            if self.headers.get("Authorization") != f"Basic {lms.token}":
                self.reply(401, {"error": "bad or missing token"})
                return False
            if not str(self.headers.get("X-Experience-API-Version", "")).startswith("1.0"):
                self.reply(400, {"error": "X-Experience-API-Version 1.0.x required"})
                return False
            return True

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/scorm.html":
                page = (HERE / "scorm12_api.html").read_text(encoding="utf-8")
                self.reply(200, page, "text/html; charset=utf-8")
            elif url.path.startswith("/content/"):
                path = (lms.content / url.path.removeprefix("/content/")).resolve()
                if lms.content.resolve() not in path.parents or not path.is_file():
                    self.reply(404, {"error": "no such file"})
                    return
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                self.reply(200, path.read_bytes(), kind)
            elif url.path == "/xapi/activities/state":
                if not self.authorised():
                    return
                q = parse_qs(url.query)
                wanted = {"stateId": ["LMS.LaunchData"], "activityId": [lms.activity_id],
                          "registration": [lms.registration]}
                if any(q.get(k) != v for k, v in wanted.items()) or \
                        json.loads(q.get("agent", ["null"])[0]) != lms.actor:
                    self.reply(404, {"error": "no such state document"})
                    return
                self.reply(200, lms.launch_data())
            elif url.path == "/xapi/statements":
                if not self.authorised():
                    return
                f = {k: v[0] for k, v in parse_qs(url.query).items()}
                with lms.lock:
                    found = [s for s in lms.statements
                             if ("verb" not in f or s["verb"]["id"] == f["verb"])
                             and ("registration" not in f
                                  or s.get("context", {}).get("registration") == f["registration"])
                             and ("activity" not in f or s["object"].get("id") == f["activity"])
                             and ("agent" not in f or s["actor"] == json.loads(f["agent"]))]
                self.reply(200, {"statements": found[:int(f.get("limit", 0)) or None],
                                 "more": ""})
            elif url.path == "/xapi/agents/profile":
                if not self.authorised():
                    return
                q = parse_qs(url.query)
                if lms.language_preference is None or \
                        q.get("profileId") != ["cmi5LearnerPreferences"] or \
                        json.loads(q.get("agent", ["null"])[0]) != lms.actor:
                    self.reply(404, {"error": "no such profile"})
                    return
                self.reply(200, {"languagePreference": lms.language_preference})
            else:
                self.reply(404, {"error": "not found"})

        def do_POST(self) -> None:
            url = urlparse(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            if url.path == "/fetch":
                with lms.lock:
                    lms.fetches += 1
                    first = lms.fetches == 1
                if first:
                    self.reply(200, {"auth-token": lms.token})
                else:  # cmi5 8.2: the fetch URL may be used once
                    self.reply(200, {"error-code": "1", "error-text": "already in use"})
            elif url.path == "/xapi/statements":
                if not self.authorised():
                    return
                try:
                    data = json.loads(body)
                except ValueError:
                    self.reply(400, {"error": "not JSON"})
                    return
                batch = data if isinstance(data, list) else [data]
                problems = [e for s in batch for e in statement_errors(s)]
                with lms.lock:
                    if problems:
                        lms.rejected.append(problems)
                    else:
                        lms.statements.extend(batch)
                if problems:
                    self.reply(400, {"errors": problems})
                else:
                    self.reply(200, [s.get("id") for s in batch])
            else:
                self.reply(404, {"error": "not found"})

    return Handler


@contextmanager
def serve(lms: Lms) -> Iterator[Lms]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(lms))
    lms.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield lms
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
