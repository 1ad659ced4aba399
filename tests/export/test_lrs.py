"""`report CODE --format xapi --lrs URL`: batched statements with retries, configurable IRIs.

Two LRSs: a local server that checks every statement with the xAPI 1.0.3 rules
(`sam_cowboy.export.xapi_rules`) and can fail on purpose (503 then success, 400), always run;
and Ralph (the open-source LRS of France Université Numérique, `ralph-malph` on PyPI) with its
file-system backend (which takes one write: the statements go in one batch), run when
SAM_COWBOY_TEST_RALPH names its `ralph` command (`bash .ci/lrs.sh` installs it in its own
virtual environment and prints that path).
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sam_cowboy.cli import main
from sam_cowboy.export.lrs import LrsError, post_statements, rebase
from sam_cowboy.export.xapi_rules import statement_errors
from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.report import render_report
from sam_cowboy.workshop.session import Session, create_session

USER, PASSWORD = "trainer", "pa:ss wörd"
RALPH_PASSWORD = "ralph-s3cret"
BASE = "https://learning.example.com/sam-cowboy/"


class Validating:
    """A local LRS: Basic auth, version header, every statement valid, or it says why."""

    def __init__(self, fail_first: int = 0, status: int = 503) -> None:
        self.fail_first, self.status = fail_first, status
        self.requests = 0
        self.batches: list[list[dict[str, Any]]] = []
        self.problems: list[str] = []


@pytest.fixture
def lrs() -> Iterator[tuple[Validating, str]]:
    state = Validating()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def answer(self, code: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests += 1
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if self.path != "/xapi/statements" or self.headers.get("Authorization") != expected \
                    or self.headers.get("X-Experience-API-Version") != "1.0.3":
                self.answer(401, {"message": "unauthorised"})
                return
            if state.fail_first > 0:
                state.fail_first -= 1
                self.answer(state.status, {"message": "try later"}, {"Retry-After": "0"})
                return
            batch = json.loads(body)
            problems = [p for s in batch for p in statement_errors(s)]
            if problems:
                state.problems += problems
                self.answer(400, {"message": "; ".join(problems)})
                return
            state.batches.append(batch)
            self.answer(200, [s["id"] for s in batch])

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/xapi/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A finished workshop session with three participants: (database URL, code)."""
    from sam_cowboy.commands.common import load_playable

    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    url = str(tmp_path / "r.db")
    store = open_store(url)
    episode, analysis = load_playable("ep01-google-test")
    code, key = create_session(store, episode, analysis, "ep01-google-test")
    s = Session(store, code)
    people = [s.join(n, f"token-{i}")[0] for i, n in enumerate(("Ann", "Bob", "Cy"))]
    for _ in range(100):  # a majority at each step (a tie would wait for the facilitator)
        if s.phase == "ended":
            break
        for i, p in enumerate(people):
            s.vote(p, s.step, s.choices()[min(i, 1)].id)
        s.decide()
        s.advance()
    return url, code


def report_statements(url: str, code: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(render_report(Session(open_store(url), code), "xapi"))
    return data


def test_report_posts_batches_with_iris_of_ours(lrs: tuple[Validating, str], session: tuple[str, str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    state, endpoint = lrs
    url, code = session
    expected = report_statements(url, code)
    monkeypatch.setenv("SAM_COWBOY_LRS_PASSWORD", PASSWORD)
    assert main(["report", code, "--db", url, "--format", "xapi", "--lrs", endpoint,
                 "--lrs-user", USER, "--lrs-batch", "7", "--iri-base", BASE,
                 "--actor-homepage", "https://people.example.com"]) == 0
    out = capsys.readouterr().out
    assert f"{len(expected)} statements sent" in out and PASSWORD not in out
    sent = [s for batch in state.batches for s in batch]
    assert state.problems == [] and [len(b) for b in state.batches][:-1] == \
        [7] * (len(state.batches) - 1)
    assert [s["id"] for s in sent] == [s["id"] for s in expected]
    text = json.dumps(sent)
    assert "sam-cowboy.invalid" not in text and BASE + "episodes/ep01-google-test" in text
    assert {s["actor"]["account"]["homePage"] for s in sent} == {"https://people.example.com"}


def test_retries_then_clear_errors(lrs: tuple[Validating, str], session: tuple[str, str],
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    state, endpoint = lrs
    statements = rebase(report_statements(*session), BASE, None)
    state.fail_first = 2
    waits: list[float] = []
    sent = post_statements(statements, endpoint, USER, PASSWORD, batch=100, retries=3,
                           sleep=waits.append)
    assert (sent.batches, sent.attempts) == (1, 3) and waits == [0.0, 0.0]
    state.fail_first, state.status = 5, 502
    with pytest.raises(LrsError) as e:
        post_statements(statements, endpoint, USER, PASSWORD, retries=2, sleep=waits.append)
    assert "HTTP 502" in str(e.value) and "after 3 attempts" in str(e.value)
    with pytest.raises(LrsError) as e:
        post_statements(statements, endpoint, USER, "wrong", sleep=waits.append)
    assert "HTTP 401" in str(e.value) and "wrong" not in str(e.value)
    broken = [dict(statements[0], verb={"id": "not an iri"})]
    with pytest.raises(LrsError) as e:
        post_statements(broken, endpoint, USER, PASSWORD, sleep=waits.append)
    assert "HTTP 400" in str(e.value) and "verb.id" in str(e.value)
    url, code = session
    monkeypatch.setenv("SAM_COWBOY_LRS_PASSWORD", PASSWORD)
    # the placeholder IRIs never reach a real LRS; a URL's password never reaches a message
    assert main(["report", code, "--db", url, "--format", "xapi", "--lrs", endpoint]) == 2
    assert "--iri-base" in capsys.readouterr().err
    refused = endpoint.replace("http://", f"http://{USER}:hunter2@")
    assert main(["report", code, "--db", url, "--format", "xapi", "--lrs", refused + "nowhere",
                 "--lrs-user", USER, "--iri-base", BASE, "--lrs-retries", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "hunter2" not in err and "Traceback" not in err


def test_iri_base_applies_to_the_file_too(session: tuple[str, str], tmp_path: Path) -> None:
    url, code = session
    out = tmp_path / "x.json"
    assert main(["report", code, "--db", url, "--format", "xapi", "-o", str(out),
                 "--iri-base", BASE]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data and all(statement_errors(s) == [] for s in data)
    assert "sam-cowboy.invalid" not in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ a real LRS: Ralph

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_against_ralph(session: tuple[str, str], tmp_path: Path,
                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Ralph's Basic auth takes an ASCII password; the local LRS tests the others."""
    ralph = os.environ.get("SAM_COWBOY_TEST_RALPH")
    if not ralph or not os.access(ralph, os.X_OK):
        pytest.skip("set SAM_COWBOY_TEST_RALPH to Ralph's `ralph` command (bash .ci/lrs.sh)")
    env = dict(os.environ, RALPH_APP_DIR=str(tmp_path / "ralph"),
               RALPH_AUTH_FILE=str(tmp_path / "auth.json"), RALPH_RUNSERVER_BACKEND="fs")
    subprocess.run([ralph, "auth", "-u", USER, "-p", RALPH_PASSWORD, "-s", "all", "-M",
                    "mailto:trainer@example.com", "-w"], env=env, check=True,
                   capture_output=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen([ralph, "runserver", "-b", "fs", "--fs-default-directory-path",
                               str(tmp_path / "fs"), "-h", "127.0.0.1", "-p", str(port)],
                              env=env, stdout=subprocess.DEVNULL,
                              stderr=(tmp_path / "ralph.log").open("wb"), cwd=tmp_path)
    endpoint = f"http://127.0.0.1:{port}/xAPI/"
    auth = "Basic " + base64.b64encode(f"{USER}:{RALPH_PASSWORD}".encode()).decode()

    def get(path: str) -> Any:
        request = urllib.request.Request(endpoint + path, headers={
            "Authorization": auth, "X-Experience-API-Version": "1.0.3"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("statements")
                break
            except urllib.error.HTTPError:
                raise
            except OSError:  # not listening yet
                assert time.monotonic() < deadline, (tmp_path / "ralph.log").read_text()[-2000:]
                time.sleep(0.3)
        url, code = session
        monkeypatch.setenv("SAM_COWBOY_LRS_PASSWORD", RALPH_PASSWORD)
        expected = report_statements(url, code)
        # one batch: Ralph's file-system backend writes its file once (its other backends
        # need Elasticsearch, MongoDB or ClickHouse); the batching is tested above
        assert main(["report", code, "--db", url, "--format", "xapi", "--lrs", endpoint,
                     "--lrs-user", USER, "--lrs-batch", "1000", "--iri-base", BASE]) == 0
        stored = get(f"statements?limit={len(expected) + 10}")["statements"]
        assert sorted(s["id"] for s in stored) == sorted(s["id"] for s in expected)
        assert all(s["object"]["id"].startswith(BASE) for s in stored)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
