"""The projector (host) and participant apps as clients of a real server (Textual pilot)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from sam_cowboy.workshop.host import HostApp
from sam_cowboy.workshop.join import ChoiceButton, JoinApp
from workshop.support import RunningServer, create, facilitator, participant


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    with RunningServer(str(tmp_path / "results.sqlite3")) as s:
        yield s


async def settle(pilot, test, tries: int = 200) -> None:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        if test():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.export_screenshot()


def test_projector_shows_how_to_join_who_voted_and_notes_only_on_n(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url, lang="en")
        code = made["code"]
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as h:
            alice = await participant(h, server.url, code, "Alice [b]x[/b]")
            s0 = await alice.until(lambda s: s["phase"] == "open")
            app = HostApp(server.url, code, made["key"])
            async with app.run_test(size=(160, 50)) as pilot:
                await settle(pilot, lambda: bool(app.state))
                await pilot.pause(0.2)
                from sam_cowboy.workshop.bigtext import big

                join_box = str(app.query_one("#join-url").render())
                assert made["join_url"] in join_box and big(code).splitlines()[0] in join_box
                qr = str(app.query_one("#qr").render())
                assert "▀" in qr and "▄" in qr and app.query_one("#qr").size.width > 20
                assert not app.query_one("#notes").display or \
                    "shown" not in app.query_one("#notes").classes
                await alice.request("vote", step=0, choice=s0["choices"][0]["id"])
                await settle(pilot, lambda: app.state.get("votes_cast") == 1)
                await pilot.pause(0.2)
                assert "Alice [b]x[/b]" in str(app.query_one("#votes").render())
                await pilot.press("n")
                assert "shown" in app.query_one("#notes").classes
                await pilot.press("r")
                await settle(pilot, lambda: app.state.get("revealed") is True)
                await pilot.press("enter")
                await settle(pilot, lambda: app.state.get("step") == 1)
                assert "**" not in screen_text(app)  # Markdown rendered, not shown raw
                shown = {b.binding.action for b in app.active_bindings.values()
                         if b.enabled and b.binding.show}
                assert {"reveal", "next", "notes", "lock", "countdown"} <= shown
                await pilot.press("q")
            await alice.close()
    asyncio.run(go())


def test_anonymous_projector_shows_a_count_not_names(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url, anonymous=True, lang="en")
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as h:
            p = await participant(h, server.url, made["code"], "Alice")
            s0 = await p.until(lambda s: s["phase"] == "open")
            await p.request("vote", step=0, choice=s0["choices"][0]["id"])
            app = HostApp(server.url, made["code"], made["key"])
            async with app.run_test(size=(160, 50)) as pilot:
                await settle(pilot, lambda: app.state.get("votes_cast") == 1)
                await pilot.pause(0.1)
                votes = str(app.query_one("#votes").render())
                assert "1 of 1 voted" in votes and "Alice" not in votes
            await p.close()
    asyncio.run(go())


def test_participant_app_votes_with_number_keys_focus_on_choices(server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "me"))

    async def go() -> None:
        made = await create(server.url, lang="en")
        code = made["code"]
        app = JoinApp(server.url, code, "Alice", "en")
        async with app.run_test(size=(100, 50)) as pilot:
            await settle(pilot, lambda: len(app.query(ChoiceButton)) > 0)
            await pilot.pause(0.1)
            assert isinstance(app.focused, ChoiceButton) and app.focused.number == 1
            await pilot.press("2")
            await settle(pilot, lambda: server.store.votes(code, 0) != [])
            [vote] = server.store.votes(code, 0)
            assert vote["choice"] == app.state["choices"][1]["id"]
            async with aiohttp.ClientSession() as h:
                f = await facilitator(h, server.url, code, made["key"])
                await f.request("reveal", step=0)
                await settle(pilot, lambda: app.state.get("revealed") is True)
                await pilot.pause(0.1)
                # revealing the tally keeps the choices on screen
                assert len(app.query(ChoiceButton)) == len(app.state["choices"])
                assert "most votes" in str(app.query_one("#info").render())
                await f.request("lock", step=0)
                await settle(pilot, lambda: app.state.get("phase") == "locked")
                await pilot.pause(0.1)
                assert all(b.disabled for b in app.query(ChoiceButton))
                await f.close()
            await pilot.press("q")
        # quitting before the end leaves: the run is abandoned until one joins again
        [run] = server.store.runs(session_code=code)
        assert run["status"] == "abandoned"
    asyncio.run(go())


def test_participant_app_says_name_taken(server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "other"))

    async def go() -> None:
        made = await create(server.url, lang="en")
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as h:
            first = await participant(h, server.url, made["code"], "Alice")
            # typed in the form: said there, to choose another
            app = JoinApp(server.url, made["code"], None, "en")
            async with app.run_test(size=(100, 40)) as pilot:
                await pilot.click("#name")
                await pilot.press(*"Alice", "enter")
                await settle(pilot, lambda: "already taken" in str(
                    app.query_one("#form-error").render()))
            # given on the command line: refused, exit 1
            app = JoinApp(server.url, made["code"], "Alice", "en")
            async with app.run_test(size=(100, 40)) as pilot:
                await settle(pilot, lambda: app.error is not None)
            assert app.error == f"name already taken in {made['code']}: choose another"
            assert app.error_kind == "name_taken" and app.return_value == 1
            await first.close()
    asyncio.run(go())


def test_participant_app_plays_an_async_session(server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "me"))

    async def go() -> None:
        made = await create(server.url, lang="en", mode="async")
        code = made["code"]
        app = JoinApp(server.url, code, "Ann", "en")
        async with app.run_test(size=(100, 50)) as pilot:
            await settle(pilot, lambda: len(app.query(ChoiceButton)) > 0)
            first_scene = app.view()["scene"]["id"]
            await pilot.press("1")
            await settle(pilot, lambda: app.view().get("seq") == 1)
            await pilot.pause(0.1)
            assert app.view()["scene"]["id"] != first_scene
            [run] = server.store.runs(session_code=code)
            assert len(server.store.decisions(run["id"])) == 1
            await pilot.press("q")
    asyncio.run(go())


def test_async_projector_footer_shows_only_async_keys(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url, lang="en", mode="async")
        app = HostApp(server.url, made["code"], made["key"])
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot, lambda: app.state.get("mode") == "async")
            await pilot.pause(0.1)
            shown = {b.binding.action for b in app.active_bindings.values()
                     if b.enabled and b.binding.show}
            assert "reveal" not in shown and "next" not in shown and "notes" not in shown
            assert {"end", "quit"} <= shown
            await pilot.press("e")  # once: only asks
            await pilot.pause(0.3)
            assert server.store.session(made["code"])["phase"] != "ended"
            await pilot.press("e")
            await settle(pilot, lambda: server.store.session(made["code"])["phase"] == "ended")
    asyncio.run(go())


def test_projector_with_a_wrong_key_ends_with_one_line(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url, lang="en")
        app = HostApp(server.url, made["code"], "not-the-key")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, lambda: app.error is not None)
        assert app.error == f"that is not the facilitator key of session {made['code']}"
        assert app.return_value == 1
    asyncio.run(go())


def test_participant_app_composes_reflects_reads_its_debrief_and_commits(
        server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.results import learning
    from sam_cowboy.workshop.join import FragmentButton, ProposalButton
    from sam_cowboy.workshop.session import Session

    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "me"))
    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-03-02")
    typed = "[bold]x[/] [0] \x1b[2J"

    async def go() -> None:
        made = await create(server.url, lang="en")
        code = made["code"]
        best = Session(server.store, code).analysis.best_run
        assert best is not None
        app = JoinApp(server.url, code, "Alice", "en")
        async with app.run_test(size=(100, 60)) as pilot, \
                aiohttp.ClientSession() as h:
            f = await facilitator(h, server.url, code, made["key"])
            for step, (_, choice) in enumerate(best.path):
                await settle(pilot, lambda n=step: app.state.get("step") == n)
                if "+" in choice:  # the compose scene: number keys pick, Send votes
                    await settle(pilot, lambda: len(app.query(FragmentButton)) > 0)
                    await pilot.pause(0.1)
                    assert app.query_one("#compose-send").disabled
                    await pilot.press("2", "4")
                    await pilot.pause(0.1)
                    assert "Sales Engineer, Vectalis | I help" in str(
                        app.query_one("#message").render())
                    await pilot.click("#compose-send")
                    await settle(pilot, lambda n=step: server.store.votes(code, n) != [])
                    assert [v["choice"] for v in server.store.votes(code, step)] == [choice]
                await f.request("pick", step=step, choice=choice)
                await f.request("next", step=step)
            await settle(pilot, lambda: bool(app.query("#reflection")))
            await pilot.pause(0.1)
            assert "Your posture" not in str(app.query_one("#info").render())  # question first
            app.query_one("#reflection").focus()
            await pilot.press(*typed.replace("\x1b", ""), "enter")
            await settle(pilot, lambda: len(app.query(ProposalButton)) > 0)
            info = str(app.query_one("#info").render())
            assert "Your posture" in info and "Overall posture" in info
            assert app.focused is app.query_one("#proposal-1")  # focus on the first proposal
            await pilot.press("1")  # as in plain mode, a number picks a proposal
            await settle(pilot, lambda: app.transfer_stage == "done")
            await f.close()
            await pilot.press("q")
        (run,) = server.store.runs(session_code=code)
        assert run["reflection"] == typed.replace("\x1b", "")
        (row,) = learning.commitments(server.store)
        assert not row["own"] and row["due"] == "2026-03-09" and row["run_id"] == run["id"]
    asyncio.run(go())


def test_projector_on_a_compose_scene_shows_how_many_composed_and_the_top_messages(
        server) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.workshop.session import Session

    async def go() -> None:
        made = await create(server.url, lang="en")
        code = made["code"]
        best = Session(server.store, code).analysis.best_run
        assert best is not None
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as h:
            f = await facilitator(h, server.url, code, made["key"])
            ann = await participant(h, server.url, code, "Ann")
            step = next(i for i, (_, c) in enumerate(best.path) if "+" in c)
            for i in range(step):
                await f.request("pick", step=i, choice=best.path[i][1])
                await f.request("next", step=i)
            await ann.until(lambda s: s["step"] == step and s["phase"] == "open")
            message = best.path[step][1]
            assert (await ann.request("vote", step=step, fragments=message.split("+")))["ok"]
            app = HostApp(server.url, code, made["key"])
            async with app.run_test(size=(160, 50)) as pilot:
                await settle(pilot, lambda: app.state.get("votes_cast") == 1)
                await pilot.pause(0.1)
                tally = str(app.query_one("#tally").render())
                assert "1 of 1 participants composed a message" in tally
                assert "Sales Engineer" not in tally  # messages wait for the reveal
                await pilot.press("r")
                await settle(pilot, lambda: app.state.get("revealed") is True)
                await pilot.pause(0.1)
                tally = str(app.query_one("#tally").render())
                assert "The most-chosen messages:" in tally and ": 1 vote" in tally
                assert "The room's message: Sales Engineer, Vectalis | I help" in tally
                await pilot.press("q")
            for p in (f, ann):
                await p.close()
    asyncio.run(go())


def test_participant_app_plays_an_async_session_to_its_end_and_commits(
        server, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input

    from sam_cowboy.results import learning
    from sam_cowboy.workshop.session import Session

    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "me"))

    async def go() -> None:
        made = await create(server.url, lang="en", mode="async")
        code = made["code"]
        best = Session(server.store, code).analysis.best_run
        assert best is not None
        app = JoinApp(server.url, code, "Ann", "en")
        async with app.run_test(size=(100, 60)) as pilot:
            for seq, (_, choice) in enumerate(best.path):
                await settle(pilot, lambda n=seq: app.view().get("seq") == n and
                             bool(app.view().get("choices")))
                await pilot.pause(0.1)
                v = app.view()
                if v.get("compose"):
                    ids = [f["id"] for f in v["compose"]["fragments"]]
                    await pilot.press(*(str(ids.index(x) + 1) for x in choice.split("+")))
                    await pilot.pause(0.1)
                    app.query_one("#compose-send").focus()
                    await pilot.press("enter")
                else:
                    await pilot.press(str([c["id"] for c in v["choices"]].index(choice) + 1))
            await settle(pilot, lambda: bool(app.query("#reflect-skip")))
            app.query_one("#reflect-skip").focus()
            await pilot.press("enter")
            await settle(pilot, lambda: bool(app.query("#commit-own")))
            app.query_one("#commit-own", Input).value = "Call Paul [b]now[/b]"
            app.query_one("#commit-date", Input).value = "2031-01-02"
            app.query_one("#commit-own").focus()
            await pilot.press("enter")
            await settle(pilot, lambda: app.transfer_stage == "done")
            await pilot.press("q")
        (run,) = server.store.runs(session_code=code)
        assert run["status"] == "finished" and not run.get("reflection")
        assert [d["choice"] for d in server.store.decisions(run["id"])] == \
            [c for _, c in best.path]
        (row,) = learning.commitments(server.store)
        assert (row["action"], row["due"], row["own"]) == ("Call Paul [b]now[/b]", "2031-01-02",
                                                           True)
    asyncio.run(go())
