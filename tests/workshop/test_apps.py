"""The facilitator's dashboard and the participant app, driven by Textual's pilot."""

from __future__ import annotations

import asyncio

from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.host import HostApp
from sam_cowboy.workshop.join import JoinApp
from sam_cowboy.workshop.session import Session, create_session


def setup(tmp_path, ep01, **kw):  # type: ignore[no-untyped-def]
    store = open_store(str(tmp_path / "r.db"))
    ep, analysis = ep01
    code, key = create_session(store, ep, analysis, "ep01-google-test", **kw)
    return store, code, key


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(w.render()) for w in app.query("Static"))


def test_host_reveals_locks_advances_and_picks_up_after_a_kill(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    store, code, key = setup(tmp_path, ep01)
    s = Session(store, code)
    a, b = s.join("Ann [red]x[/red]"), s.join("Bob")
    first = s.choices()[0].id
    s.vote(a, first)
    s.vote(b, first)

    async def first_host() -> None:
        app = HostApp(Session(store, code), key)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause(0.3)
            text = screen_text(app)
            assert "tally hidden" in text and "2 votes" in text
            assert "Ann [red]x[/red]" in text  # a name is shown as typed, never as markup
            assert "Trainer notes" in text
            await pilot.press("r")
            await pilot.press("enter")  # lock
            await pilot.pause(0.3)
            assert "Vote locked" in screen_text(app)

    asyncio.run(first_host())
    assert s.refresh()["revealed"] and s.phase == "locked"

    async def second_host() -> None:  # the facilitator's laptop restarted: same session
        app = HostApp(Session(store, code), key)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause(0.3)
            assert "Vote locked" in screen_text(app)
            await pilot.press("enter")  # settle the winner
            await pilot.pause(0.2)
            assert "The room chose" in screen_text(app)
            await pilot.press("enter")  # next scene
            await pilot.pause(0.3)
            assert "Voting open" in screen_text(app)

    asyncio.run(second_host())
    assert s.refresh()["step"] == 1 and s.path[0] == ("monday-email", first)


def test_host_countdown_and_tie(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    store, code, key = setup(tmp_path, ep01)
    s = Session(store, code)
    c1, c2 = [c.id for c in s.choices()][:2]
    s.vote(s.join("A"), c1)
    s.vote(s.join("B"), c2)

    async def run() -> None:
        app = HostApp(Session(store, code), key, countdown=0.4)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.press("t")
            await pilot.pause(0.8)
            assert Session(store, code).row["phase"] == "locked"
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert "A tie" in screen_text(app)
            await pilot.press("2")
            await pilot.pause(0.2)
            assert Session(store, code).row["winner"] == c2

    asyncio.run(run())


def test_participant_app_joins_with_a_form_and_votes(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    store, code, key = setup(tmp_path, ep01)

    async def run() -> None:
        app = JoinApp(store)
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.click("#code")
            await pilot.press(*code.lower())
            await pilot.click("#name")
            await pilot.press(*"Zoé")
            await pilot.press("enter")
            await pilot.pause(0.4)
            buttons = list(app.query("#choices Button"))
            assert len(buttons) == 3
            await pilot.click(f"#{buttons[1].id}")
            await pilot.pause(0.3)
            s = Session(store, code)
            assert sum(s.tally().values()) == 1
            await pilot.click(f"#{buttons[0].id}")  # changed before the lock
            await pilot.pause(0.3)
            assert s.tally() == {s.choices()[0].id: 1}
            s.decide(key)
            await pilot.pause(0.5)
            assert "The room chose" in screen_text(app)
            assert all(b.disabled for b in app.query("#choices Button"))

    asyncio.run(run())


def test_participant_app_async_resumes(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    store, code, _ = setup(tmp_path, ep01, mode="async")

    async def play(clicks: int) -> None:
        app = JoinApp(store, Session(store, code), "Ann")
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.pause(0.3)
            for _ in range(clicks):
                button = app.query("#choices Button").first()
                await pilot.click(f"#{button.id}")
                await pilot.pause(0.2)

    asyncio.run(play(2))
    [run] = store.runs(session_code=code)
    assert len(store.decisions(run["id"])) == 2 and run["status"] == "abandoned"
    asyncio.run(play(1))
    [run] = store.runs(session_code=code)
    assert len(store.decisions(run["id"])) == 3
