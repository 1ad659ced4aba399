"""PostgreSQL: two servers on one database serve one room; a database restart during a vote
loses nothing and doubles nothing. Needs SAM_COWBOY_TEST_PG (.ci/postgres.sh)."""

from __future__ import annotations

import asyncio
import os
import threading

import aiohttp
import pytest
from pg_support import PG_ENV, reset_pg

from workshop.support import (
    RunningServer,
    create,
    facilitator,
    participant,
    pg_outage,
    pg_restartable,
)

URL = os.environ.get(PG_ENV)
pytestmark = pytest.mark.skipif(not URL, reason=f"{PG_ENV} is not set (run .ci/postgres.sh)")


def http() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())


def test_two_servers_one_room() -> None:
    assert URL
    reset_pg(URL)
    with RunningServer(URL) as a, RunningServer(URL) as b:
        async def go() -> None:
            made = await create(a.url, lang="en")
            code = made["code"]
            async with http() as h:
                f = await facilitator(h, a.url, code, made["key"])
                alice = await participant(h, b.url, code, "Alice")
                s0 = await alice.until(lambda s: s["phase"] == "open")
                # the name is taken on every server
                from workshop.support import join

                status, _ = await join(h, a.url, code, "Alice")
                assert status == 409
                assert (await alice.request("vote", step=0,
                                            choice=s0["choices"][0]["id"]))["ok"]
                seen = await f.until(lambda s: s["votes_cast"] == 1)
                assert seen["voters"] == ["Alice"]
                await f.request("reveal", step=0)
                await alice.until(lambda s: s["tally"] is not None)
                assert (await f.request("next", step=0))["ok"]
                s1 = await alice.until(lambda s: s["step"] == 1)
                assert s1["previous"]["winner"] == s0["choices"][0]["id"]
                for p in (f, alice):
                    await p.close()
        asyncio.run(go())


def test_a_database_restart_during_a_vote_loses_and_doubles_nothing() -> None:
    why = pg_restartable()
    if why:
        pytest.skip(why)
    assert URL
    reset_pg(URL)
    with RunningServer(URL) as server:
        async def go() -> None:
            made = await create(server.url, lang="en")
            code = made["code"]
            async with http() as h:
                f = await facilitator(h, server.url, code, made["key"])
                people = [await participant(h, server.url, code, f"P{i}") for i in range(4)]
                s0 = await people[0].until(lambda s: s["phase"] == "open")
                choice = s0["choices"][0]["id"]
                for p in people:
                    await p.until(lambda s: s["phase"] == "open")
                assert (await people[0].request("vote", step=0, choice=choice))["ok"]
                down = threading.Event()
                outage = threading.Thread(target=pg_outage, args=(1.0, down))
                outage.start()
                while not down.is_set():
                    await asyncio.sleep(0.02)
                replies = await asyncio.gather(*(p.request("vote", step=0, choice=choice,
                                                           timeout=60)
                                                 for p in people[1:]))
                outage.join()
                assert all(r["ok"] for r in replies)
                assert any(m.get("status") == "reconnecting" for p in people
                           for m in p.others)
                state = await f.until(lambda s: s["votes_cast"] == 4, timeout=30)
                assert state["tally"] == {choice: 4}
                assert (await f.request("next", step=0, timeout=30))["ok"]
                await f.until(lambda s: s["step"] == 1, timeout=30)
                for p in [f, *people]:
                    await p.close()
            assert server.store.tally(code, 0) == {choice: 4}
            assert len(server.store.participants(code)) == 4
        asyncio.run(go())
