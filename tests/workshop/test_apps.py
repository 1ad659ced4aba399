"""The facilitator's dashboard and the participant app, driven by Textual's pilot."""

from __future__ import annotations

import asyncio
import time

from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.host import HostApp
from sam_cowboy.workshop.join import JoinApp
from sam_cowboy.workshop.session import Session, clean_name, create_session


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


def test_participant_sees_the_tally_once_revealed(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    """Defect a: the reveal reaches participants, in counts and percents (words, not colour)."""
    store, code, key = setup(tmp_path, ep01)
    s = Session(store, code)
    c1, c2 = [c.id for c in s.choices()][:2]
    s.vote(s.join("Bob"), c2)
    s.vote(s.join("Cy"), c2)

    async def run() -> None:
        app = JoinApp(store, Session(store, code), "Ann", ui="en")
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause(0.5)
            assert "Votes so far" not in screen_text(app)  # hidden until revealed
            s.vote(app.pid, c1)
            s.reveal(key)
            await pilot.pause(0.6)
            text = screen_text(app)
            assert "Votes so far (revealed by the facilitator):" in text
            assert "1 vote (33%)" in text and "2 votes (67%) ← most votes" in text
            assert "Total: 3 votes" in text
            s.reveal(key, False)  # hidden again: gone from the participant's screen
            await pilot.pause(0.6)
            assert "Votes so far" not in screen_text(app)
            s.lock(key)
            s.reveal(key)  # revealed after the lock: the final split, still shown in words
            await pilot.pause(0.6)
            text = screen_text(app)
            assert "The room's votes:" in text and "2 votes (67%)" in text
            s.decide(key)
            await pilot.pause(0.6)
            assert "The room's votes:" in screen_text(app)
            assert "The room chose" in screen_text(app)

    asyncio.run(run())


def test_plain_participant_sees_the_tally_once_revealed(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    import io
    import threading

    from sam_cowboy.workshop.plainjoin import join_plain

    store, code, key = setup(tmp_path, ep01)
    s = Session(open_store(str(tmp_path / "r.db")), code)  # the host: its own connection
    c2 = s.choices()[1].id
    s.vote(s.join("Bob"), c2)
    out = io.StringIO()
    lines = iter(["1\n"])
    done = threading.Event()
    failed: list[BaseException] = []

    def facilitate() -> None:
        try:
            host()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            failed.append(e)
        finally:
            done.set()

    def host() -> None:
        while sum(s.tally().values()) < 2:
            time.sleep(0.02)
        s.reveal(key)
        time.sleep(0.5)
        s.decide(key, c2)  # a tie: the facilitator takes Bob's
        s.advance(key)

    thread = threading.Thread(target=facilitate)
    thread.start()

    def read_line() -> str | None:
        try:
            return next(lines)
        except StopIteration:
            done.wait(10)
            return None

    assert join_plain(Session(store, code), "Ann", "en", out, read_line, interactive=False,
                      poll=0.05) == 0
    thread.join()
    assert not failed, failed
    text = out.getvalue()
    assert "Votes so far (revealed by the facilitator):" in text
    assert "1 vote (50%)" in text and "Total: 2 votes" in text
    assert "The room's votes:" in text  # with the outcome, the final split


def test_join_form_strips_control_characters(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    """Defect b: a paste with BEL, ESC sequences or C1 (0x9b) never reaches a field."""
    from textual import events

    store, code, _ = setup(tmp_path, ep01)
    bells: list[object] = []

    async def run() -> None:
        app = JoinApp(store)
        app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
        async with app.run_test(size=(100, 50)) as pilot:
            code_input = app.query_one("#code")
            name_input = app.query_one("#name")
            await pilot.click("#code")
            code_input.post_message(events.Paste(f"\x07{code[:3]}\x9b2J{code[3:]}\x1b[0m"))
            await pilot.pause(0.1)
            assert code_input.value == code[:3] + "2J" + code[3:] or \
                code_input.value == code  # 0x9b may take "2J" with it as a CSI sequence
            code_input.value = code  # set by program: cleaned as well
            await pilot.click("#name")
            name_input.post_message(events.Paste("Zo\x07é\x1b]0;pwned\x07 [b]x\x9b31m\tY\n2"))
            await pilot.pause(0.1)
            value = name_input.value
            assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in value), repr(value)
            assert value.startswith("Zoé") and "[b]x" in value
            name_input.value = "Ann\x07\x9b"
            assert name_input.value == "Ann"
            name_input.value = "Zo\x07é [b]x"
            await pilot.press(*"x" * 50)  # past max_length: refused, and no bell
            assert len(name_input.value) == 40 and not bells
            await pilot.press("enter")
            await pilot.pause(0.4)
            rendered = screen_text(app)
            assert not any(ord(c) < 32 and c != "\n" or 0x7f <= ord(c) <= 0x9f
                           for c in rendered), repr(rendered)

    asyncio.run(run())
    s = Session(store, code)
    [p] = s.participants()
    assert p["name"].startswith("Zoé") and "[b]x" in p["name"]
    assert p["name"] == clean_name(p["name"])


def test_participant_sees_code_and_own_name(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    """Defect c: "CODE · name" is visible once joined, drawn as plain text (not markup)."""
    store, code, _ = setup(tmp_path, ep01)

    async def run() -> None:
        app = JoinApp(store)
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.click("#code")
            await pilot.press(*code.lower())
            await pilot.click("#name")
            await pilot.press(*"[bold]Zoé[/bold]")
            await pilot.press("enter")
            await pilot.pause(0.4)
            who = app.query_one("#who")
            assert who.display and who.region.height >= 1  # on screen, not a hidden title
            assert f"{code} · [bold]Zoé[/bold]" in str(who.render())
            assert f"{code} · [bold]Zoé[/bold]" in screen_text(app)

    asyncio.run(run())

    anon_store, anon_code, _ = setup(tmp_path / "anon", ep01, anonymous=True)

    async def anonymous() -> None:
        app = JoinApp(anon_store, Session(anon_store, anon_code), "Ann")
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.pause(0.3)
            assert f"{anon_code} · Ann (anonymous session: your name is not stored)" in \
                str(app.query_one("#who").render())

    asyncio.run(anonymous())


def test_killed_facilitator_host_again_picks_up(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    """The real `workshop host CODE` in a terminal (a pty): r, then t (the countdown); it is
    killed (SIGKILL) mid-countdown; `host CODE` again: the countdown locks the vote on time,
    Enter settles the winner, Enter opens the next scene."""
    import fcntl
    import os
    import pty
    import signal
    import struct
    import subprocess
    import sys
    import termios
    import threading

    store, code, key = setup(tmp_path, ep01)
    db = str(tmp_path / "r.db")
    s = Session(store, code)
    first = s.choices()[0].id
    s.vote(s.join("Ann"), first)

    def start() -> tuple[subprocess.Popen[bytes], int, list[bytes]]:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 140, 0, 0))
        proc = subprocess.Popen([sys.executable, "-m", "sam_cowboy", "workshop", "host", code,
                                 "--db", db, "--countdown", "3"],
                                stdin=slave, stdout=slave, stderr=slave, close_fds=True,
                                env={**os.environ, "TERM": "xterm-256color"},
                                start_new_session=True)
        os.close(slave)
        seen: list[bytes] = []

        def drain() -> None:  # a terminal is read, or the app blocks writing to it
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return
                if not data:
                    return
                seen.append(data)

        threading.Thread(target=drain, daemon=True).start()
        return proc, master, seen

    def wait_for(test, what: str, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if test():
                return
            time.sleep(0.05)
        raise AssertionError(f"never: {what}")

    proc, master, seen = start()
    try:
        wait_for(lambda: b"Session" in b"".join(seen) and b"Participants" in b"".join(seen),
                 "the dashboard drawn")
        os.write(master, b"r")
        wait_for(lambda: s.refresh()["revealed"] == 1, "the tally revealed")
        os.write(master, b"t")
        wait_for(lambda: s.refresh()["lock_at"] is not None, "the countdown started")
        lock_at = float(s.row["lock_at"])
        proc.send_signal(signal.SIGKILL)  # the facilitator's laptop dies
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)
    assert s.refresh()["phase"] == "open" and s.row["revealed"] == 1

    proc, master, seen = start()  # `host CODE` again: the key was kept on this machine
    try:
        wait_for(lambda: s.refresh()["phase"] == "locked", "the countdown locking the vote")
        assert time.time() >= lock_at - 0.01
        assert s.row["lock_at"] == lock_at  # the same countdown, not a new one
        os.write(master, b"\r")
        wait_for(lambda: s.refresh()["phase"] == "decided", "the winner settled")
        assert s.row["winner"] == first
        os.write(master, b"\r")
        wait_for(lambda: s.refresh()["step"] == 1, "the next scene")
        assert s.phase == "open" and s.path == [("monday-email", first)]
        os.write(master, b"q")
        proc.wait(timeout=10)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)
    [run] = store.runs(session_code=code)
    assert [d["choice"] for d in store.decisions(run["id"])] == [first]


def test_trainer_notes_never_reach_participants(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    import io

    from sam_cowboy.core.i18n import render

    store, code, key = setup(tmp_path, ep01, lang="en")
    s = Session(store, code)
    notes = render(s.episode.scenes["monday-email"].trainer_notes, "en", "en")
    fragment = notes[:40]

    async def run() -> None:
        host = HostApp(Session(store, code), key)
        async with host.run_test(size=(140, 50)) as pilot:
            await pilot.pause(0.3)
            assert fragment in " ".join(screen_text(host).split())
        app = JoinApp(store, Session(store, code), "Ann")
        async with app.run_test(size=(100, 60)) as pilot:
            await pilot.pause(0.4)
            s.reveal(key)
            s.decide(key, s.choices()[0].id)
            await pilot.pause(0.5)
            assert fragment not in " ".join(screen_text(app).split())

    asyncio.run(run())
    from sam_cowboy.workshop.plainjoin import join_plain

    out = io.StringIO()
    s.advance(key)
    join_plain(Session(store, code), "Bob", "en", out, lambda: None, interactive=False,
               poll=0.05)
    assert fragment not in " ".join(out.getvalue().split())


def test_async_dashboard_shows_progress_and_live_aggregate(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.core import engine
    from sam_cowboy.results.recorder import RunRecorder

    store, code, key = setup(tmp_path, ep01, mode="async")
    s = Session(store, code)
    ep, analysis = ep01
    for name, steps in (("Ann [b]x[/b]", 3), ("Bob", 1)):
        pid = s.join(name)
        rec = RunRecorder(store, ep, name, s.lang, source="workshop", analysis=analysis,
                          session_code=code, participant_id=pid)
        state, events = engine.begin(ep)
        rec.begin(state, events)
        for _ in range(steps):
            state, events = engine.choose_number(ep, state, 1)
            rec.step(state, events)
    s.join("Cy")  # joined, not started

    async def run() -> None:
        app = HostApp(Session(store, code), key)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause(0.4)
            text = screen_text(app)
            lines = {ln.split()[0]: ln for ln in text.splitlines() if ln.strip()}
            assert "Ann [b]x[/b]" in text  # as typed, never markup
            assert lines["Ann"].split()[2] == "3" and "playing" in lines["Ann"]
            assert lines["Bob"].split()[1] == "1" and lines["Cy"].split()[1] == "0"
            assert "joined" in lines["Cy"]
            assert "Live aggregate (mean percent)" in text
            for dim in ep.dimensions.values():
                from sam_cowboy.core.i18n import render

                assert render(dim.label, s.lang, ep.default_language) in text
            assert "%" in text

    asyncio.run(run())


def test_dashboard_redraws_on_a_vote(store, ep01, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: the dashboard is woken by NOTIFY (its own clock slowed to 30 s here, so
    nothing else could redraw it); SQLite: it polls every 0.2 s."""
    from sam_cowboy.results.store import open_store
    from sam_cowboy.workshop import host as host_module

    ep, analysis = ep01
    code, key = create_session(store, ep, analysis, "ep01-google-test")
    if store.dialect == "postgresql":
        monkeypatch.setattr(host_module, "PUSH_POLL_SECONDS", 30.0)
    voter = Session(open_store(store.url), code)  # a participant's process, in effect
    people = [voter.join(n) for n in ("Ann", "Bob", "Cy")]

    async def run() -> None:
        app = HostApp(Session(store, code), key)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause(0.6)
            for k, pid in enumerate(people, 1):
                t0 = time.monotonic()
                voter.vote(pid, voter.choices()[0].id)
                while sum(app.tally_shown.values()) < k and time.monotonic() - t0 < 5:
                    await pilot.pause(0.01)
                assert sum(app.tally_shown.values()) == k
                assert time.monotonic() - t0 < 0.45, (store.dialect, k)
            assert "3 votes" in screen_text(app)

    asyncio.run(run())


def test_participant_app_restarted_mid_vote_resumes(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    """The participant's app dies mid-vote; joining again with the same name: the same
    participant, the vote kept and marked, the run going on."""
    store, code, key = setup(tmp_path, ep01)

    async def first() -> int:
        app = JoinApp(store, Session(store, code), "Ann")
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.pause(0.3)
            buttons = list(app.query("#choices Button"))
            await pilot.click(f"#{buttons[1].id}")
            await pilot.pause(0.3)
            assert app.pid is not None
            return app.pid

    pid = asyncio.run(first())
    s = Session(store, code)
    second_choice = s.choices()[1]
    assert s.my_vote(pid) == second_choice.id
    assert store.open_run(code, pid)["status"] == "abandoned"  # it left mid-session

    async def again() -> None:
        app = JoinApp(store, Session(store, code), "Ann")
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.pause(0.4)
            assert app.pid == pid
            buttons = list(app.query("#choices Button"))
            assert [b.variant for b in buttons][1] == "success"  # the kept vote, marked
            assert "Your vote:" in screen_text(app)
            assert store.open_run(code, pid)["status"] == "playing"

    asyncio.run(again())
    assert s.tally() == {second_choice.id: 1}
    assert len(store.runs(session_code=code)) == 1
