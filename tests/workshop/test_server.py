"""The workshop server: the only process with the store; identities, votes, security."""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from sam_cowboy.workshop.server import TOO_LATE, serving_url
from workshop.support import RunningServer, create, facilitator, http, join, participant


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_the_page_is_served_from_the_package_with_no_cdn(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        async with http() as h:
            for path in ("/", "/KXTPRM"):
                async with h.get(server.url + path) as r:
                    assert r.status == 200
                    html = await r.text()
                    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
            assert 'aria-live="polite"' in html and "<button" in html
            for name in ("app.js", "app.css"):
                async with h.get(server.url + "/static/" + name) as r:
                    assert r.status == 200
                    text = await r.text()
                    assert "http://" not in text and "https://" not in text
                    assert "fonts.googleapis" not in text
            async with h.get(server.url + "/static/../server.py") as r:
                assert r.status == 404
            # a cross-site form cannot post JSON
            async with h.post(server.url + "/api/join", data='{"code": "X", "name": "Y"}',
                              headers={"Content-Type": "text/plain"}) as r:
                assert r.status == 415
    run(go())


def test_database_file_is_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with RunningServer(str(tmp_path / "r.sqlite3")):
            pass
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.sqlite3").stat().st_mode) == 0o600


def test_serving_url_never_says_0_0_0_0() -> None:
    assert "0.0.0.0" not in serving_url("0.0.0.0", 8000, None)
    assert serving_url("0.0.0.0", 8000, "https://room.example/") == "https://room.example"
    assert serving_url("127.0.0.1", 9000, None) == "http://127.0.0.1:9000"


def test_create_join_and_rejoin_with_the_token(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url)
        code = made["code"]
        assert made["join_url"] == f"{server.url}/{code}"
        assert server.store.session(code)["key_hash"].startswith("scrypt$")
        assert made["key"] not in str(server.store.session(code))
        async with http() as h:
            status, alice = await join(h, server.url, code, "Alice")
            assert status == 200 and alice["name"] == "Alice"
            status, again = await join(h, server.url, code, "Alice", alice["token"])
            assert status == 200 and again["participant"] == alice["participant"]
            status, thief = await join(h, server.url, code, "Alice")
            assert status == 409
            assert thief["message"] == f"name already taken in {code}: choose another"
            made_up = "x" * 40
            status, bob = await join(h, server.url, code, "Bob", made_up)
            assert status == 200 and bob["token"] != made_up  # tokens are the server's
        rows = server.store.participants(code)
        assert [r["name"] for r in rows] == ["Alice", "Bob"]
        assert all(alice["token"] not in str(r) for r in server.store.query(
            "SELECT * FROM participants"))
    run(go())


def test_anonymous_sessions_store_random_pseudonyms(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        code = (await create(server.url, anonymous=True))["code"]
        async with http() as h:
            _, a = await join(h, server.url, code, "Alice Martin")
            _, b = await join(h, server.url, code, "Alice Martin")
        assert a["participant"] != b["participant"]
        names = [r["name"] for r in server.store.participants(code)]
        assert all("Alice" not in n for n in names) and len(set(names)) == 2
    run(go())


def test_the_facilitator_key_and_only_it_opens_the_session(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url)
        code, key = made["code"], made["key"]
        stored = server.store.session(code)["key_hash"]
        async with http() as h:
            for wrong in ("nope", stored, ""):
                f = await facilitator_refused(h, server.url, code, wrong)
                assert f["error"] == "key"
            f = await facilitator(h, server.url, code, key)
            state = await f.until(lambda s: s["phase"] == "open")
            assert state["role"] == "facilitator" and "notes" in state
            await f.close()
            async with h.get(f"{server.url}/api/sessions/{code}/report",
                             headers={"Authorization": f"Bearer {stored}"}) as r:
                assert r.status == 403
    run(go())


async def facilitator_refused(h: aiohttp.ClientSession, url: str, code: str,
                              key: str) -> dict[str, Any]:
    from workshop.support import Peer

    p = Peer(h, url)
    answer = await p.hello(role="facilitator", code=code, key=key)
    await p.close()
    return answer


def test_votes_only_on_the_scene_seen_and_only_while_open(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url)
        code, key = made["code"], made["key"]
        async with http() as h:
            f = await facilitator(h, server.url, code, key)
            alice = await participant(h, server.url, code, "Alice")
            bob = await participant(h, server.url, code, "Bob")
            s0 = await alice.until(lambda s: s["step"] == 0)
            assert "notes" not in s0 and s0["phase"] == "open"
            first, second = s0["choices"][0]["id"], s0["choices"][1]["id"]
            assert (await alice.request("vote", step=0, choice=first))["ok"]
            # changing one's mind replaces the vote: one vote per participant
            assert (await alice.request("vote", step=0, choice=second))["ok"]
            assert (await alice.request("vote", step=0, choice=second))["ok"]
            # a vote for a scene not shown yet is not counted anywhere
            early = await bob.request("vote", step=1, choice=first)
            assert not early["ok"] and early["message"] == TOO_LATE
            await f.request("lock", step=0)
            late = await bob.request("vote", step=0, choice=first)
            assert late == {**late, "ok": False, "result": "too_late", "message": TOO_LATE}
            assert server.store.tally(code, 0) == {second: 1}
            assert (await f.request("next", step=0))["ok"]
            # a repeated `next` (lost reply) does not skip a scene
            assert (await f.request("next", step=0))["result"] == "already"
            s1 = await bob.until(lambda s: s["step"] == 1)
            assert s1["previous"]["winner"] == second
            assert server.store.votes(code, 1) == []
            for p in (f, alice, bob):
                await p.close()
    run(go())


def test_countdown_is_told_and_closes_the_vote(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url)
        async with http() as h:
            f = await facilitator(h, server.url, made["code"], made["key"])
            alice = await participant(h, server.url, made["code"], "Alice")
            await alice.until(lambda s: s["phase"] == "open")
            await f.request("countdown", seconds=2)
            told = await alice.until(lambda s: s.get("lock_in") is not None)
            assert 0 <= told["lock_in"] <= 2
            await alice.until(lambda s: s["phase"] == "locked")
            choice = told["choices"][0]["id"]
            late = await alice.request("vote", step=0, choice=choice)
            assert late["message"] == TOO_LATE
            for p in (f, alice):
                await p.close()
    run(go())


def test_a_tie_needs_the_facilitators_pick_and_no_vote_too(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url)
        async with http() as h:
            f = await facilitator(h, server.url, made["code"], made["key"])
            await f.until(lambda s: s["phase"] == "open")
            tie = await f.request("next", step=0)
            assert tie["result"] == "tie"
            assert (await f.request("pick", step=0, number=2))["ok"]
            state = await f.until(lambda s: s["phase"] == "decided")
            assert state["outcome"]["winner"] == state["choices"][1]["id"]
            assert (await f.request("next", step=0))["ok"]
            await f.until(lambda s: s["step"] == 1)
            await f.close()
    run(go())


def test_websocket_origin_is_checked(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        async with http() as h:
            with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                await h.ws_connect(server.url + "/ws", headers={"Origin": "http://evil.example"})
            assert e.value.status == 403
            ws = await h.ws_connect(server.url + "/ws", headers={"Origin": server.url})
            await ws.close()
    run(go())


def test_connection_cap_message_cap_and_join_rate(tmp_path: Path) -> None:
    with RunningServer(str(tmp_path / "r.sqlite3"), max_connections=1, max_message=512,
                       join_rate=3) as server:
        async def go() -> None:
            made = await create(server.url)  # one request of the 3 a minute
            async with http() as h:
                ws = await h.ws_connect(server.url + "/ws")
                with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                    await h.ws_connect(server.url + "/ws")
                assert e.value.status == 503
                await ws.send_str('{"op": "hello", "code": "' + "A" * 2000 + '"}')
                msg = await ws.receive(timeout=10)
                assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                    aiohttp.WSMsgType.CLOSING)
                await ws.close()
                assert (await join(h, server.url, made["code"], "A"))[0] == 200
                assert (await join(h, server.url, made["code"], "B"))[0] == 200
                status, body = await join(h, server.url, made["code"], "C")
                assert status == 429 and "wait a minute" in body["message"]
        run(go())


def test_browser_app_tabs_get_the_server_url_only() -> None:
    from sam_cowboy.workshop.serve import join_command

    cmd = join_command("http://10.0.0.5:8000", "fr")
    assert cmd.endswith("workshop join --server http://10.0.0.5:8000 --lang fr")
    assert "--db" not in cmd and "postgres" not in cmd


def test_a_server_restart_loses_nothing_the_client_sent(tmp_path: Path) -> None:
    """The participant's link says "reconnecting" while the server is down, connects again
    to the restarted server, and sends again the vote that had no reply: counted once."""
    from sam_cowboy.workshop.client import Link, join_session

    db = str(tmp_path / "r.sqlite3")
    first = RunningServer(db)
    port, url = first.port, first.url
    seen: list[dict[str, Any]] = []

    async def on_message(m: dict[str, Any]) -> None:
        seen.append(m)

    async def go() -> None:
        with first:
            made = await create(url, lang="en")
            joined = await join_session(url, made["code"], "Alice", None)
            link = Link(url, {"role": "participant", "code": made["code"],
                              "token": joined["token"]}, on_message)
            runner = asyncio.ensure_future(link.run())
            while not any(m["type"] == "state" for m in seen):
                await asyncio.sleep(0.05)
            choice = seen[-1]["choices"][1]["id"]
        # the server is down: the vote waits, the client says so
        vote = asyncio.ensure_future(link.request("vote", step=0, choice=choice))
        while not any(m.get("status") == "reconnecting" for m in seen):
            await asyncio.sleep(0.05)
        with RunningServer(db, port=port) as second:
            reply = await asyncio.wait_for(vote, 30)
            assert reply["ok"]
            assert (await link.request("vote", step=0, choice=choice))["ok"]
            assert second.store.tally(made["code"], 0) == {choice: 1}
            assert any(m.get("status") == "ok" for m in seen)
            await link.close()
            runner.cancel()

    asyncio.run(go())
