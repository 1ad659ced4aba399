"""The transfer step in the app (Pilot, 80x24): the reflection question before the numbers,
a dated commitment at the debrief's end, "Did you do it?" at launch, the assessment setting."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learning.learning_support import sam  # noqa: E402
from textual.containers import Vertical  # noqa: E402
from textual.widget import Widget  # noqa: E402
from textual.widgets import Button, Checkbox, Input, Static  # noqa: E402
from tui.conftest import PLAYER, make_app, play, screen_text, settle  # noqa: E402

from sam_cowboy.core import engine, transfer  # noqa: E402
from sam_cowboy.learning_plain import WORDS  # noqa: E402
from sam_cowboy.results import learning, open_store  # noqa: E402
from sam_cowboy.tui.screens.debrief import DebriefScreen  # noqa: E402
from sam_cowboy.tui.screens.followup import FollowUpScreen  # noqa: E402
from sam_cowboy.tui.screens.settings import SettingsScreen  # noqa: E402
from sam_cowboy.tui.screens.transfer import TransferScreen  # noqa: E402
from sam_cowboy.tui.widgets.bullets import BulletList  # noqa: E402

EP04 = Path(__file__).resolve().parents[2] / "episodes" / "ep04-illectronisme.yaml"
PATH = [1, 1, 1, 1, 1]  # ends at end-ghost; the costliest decision has proposals
MARKUP = "[bold]x[/] [0] \x1b[2J"
SIZE = (80, 24)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SAM_COWBOY_DB", str(tmp_path / "r.sqlite3"))
    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-03-02")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "r.sqlite3"


def on_screen(widget: Widget, size: tuple[int, int] = SIZE) -> bool:
    """Drawn and entirely inside the terminal, above the key bar."""
    r = widget.region
    return widget.display and r.width > 0 and r.height > 0 and r.x >= 0 and \
        r.right <= size[0] and r.y >= 0 and r.bottom <= size[1] - 1


def stored():
    store = open_store(None)
    try:
        return learning.commitments(store), store.runs(episode_id="ep04-illectronisme"), \
            learning.follow_ups(store), learning.assessment_runs(store)
    finally:
        store.close()


def shown(widget: Static) -> str:
    return str(getattr(widget.visual, "plain", widget.visual))


# ------------------------------------------------------------ reflection, then commitment


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_reflection_first_then_numbers_then_a_dated_commitment(db, tmp_path, lang):
    asyncio.run(_reflect_and_commit(tmp_path, lang))


async def _reflect_and_commit(tmp_path: Path, lang: str) -> None:
    app = make_app(EP04, tmp_path / "data", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await play(pilot, PATH)
        screen = app.screen
        assert isinstance(screen, DebriefScreen) and screen.reflecting
        # the question alone: no numbers, no buttons; the answer field has the cursor
        assert not screen.query_one("#db-numbers", Vertical).display
        assert not screen.query_one("#debrief-buttons").display
        assert app.focused is screen.query_one("#db-answer", Input)
        question = transfer.reflection_question(app.config.episode, screen.debrief, lang)
        assert question.split()[0] in shown(screen.query_one("#db-reflect-question", Static))
        for part in ("#db-reflect-question", "#db-answer", "#db-reflect-hint"):
            assert on_screen(screen.query_one(part)), part
        await pilot.press("o", "k", "space")
        screen.query_one("#db-answer", Input).value += MARKUP
        await pilot.press("enter")
        await settle(pilot)
        # then the numbers, the answer shown as typed (no markup, no escape)
        assert not screen.reflecting
        assert screen.query_one("#db-numbers", Vertical).display
        answer = shown(screen.query_one("#db-reflection", Static))
        assert "ok [bold]x[/] [0]" in answer and "\x1b" not in answer
        # the commitment: the decision it is about, the proposals, a button and `t`
        offer = transfer.proposals(app.config.episode, screen.debrief, screen.run.analysis,
                                   lang)
        assert offer.scene is not None and len(offer.actions) >= 2
        section = shown(screen.query_one("#db-commit", Static))
        assert "2026-03-09" in section
        assert "2. " in section
        assert any(key == "t" for key, _, _ in screen.keys())
        # keyboard only: Tab from the debrief reaches the button, Enter opens the screen
        await pilot.press("tab")
        assert app.focused is screen.query_one("#db-commit-button", Button)
        await pilot.press("enter")
        await settle(pilot)
        tr = app.screen
        assert isinstance(tr, TransferScreen)
        for part in ("#tr-about", "#tr-offers", "#tr-own", "#tr-due", "#tr-save", "#tr-skip"):
            assert on_screen(tr.query_one(part)), part
        scene = app.config.episode.scenes[offer.scene]
        choice = scene.choice(offer.choice)
        assert app.say(app.config.episode, choice.text).split()[0] in shown(
            tr.query_one("#tr-about", Static))
        assert tr.query_one("#tr-due", Input).value == "2026-03-09"  # today + 7
        await pilot.press("down", "enter")  # the second proposal; then its date
        due = tr.query_one("#tr-due", Input)
        assert app.focused is due
        for bad, says in (("2026-02-30", "YYYY-MM-DD" if lang == "en" else "AAAA-MM-JJ"),
                          ("2026-03-01", "2026-03-01")):
            due.value = bad
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen is tr and app.focused is due  # stays, says what to change
            problem = shown(tr.query_one("#tr-problem", Static))
            assert says in problem and "Traceback" not in problem
            assert on_screen(tr.query_one("#tr-problem"))
        due.value = "2026-03-20"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert not screen.query_one("#db-commit-button").display
        assert "2026-03-20" in shown(screen.query_one("#db-commit", Static))
        assert not any(key == "t" for key, _, _ in screen.keys())  # one commitment a run
        app.results.flush()
    commitments, runs, _, _ = stored()
    (c,) = commitments
    assert (c["action"], c["own"], c["due"]) == (offer.actions[1], False, "2026-03-20")
    assert (c["scene"], c["choice"], c["player"]) == (offer.scene, offer.choice, PLAYER)
    (run,) = runs
    assert c["run_id"] == run["id"] and run["status"] == "finished"
    assert run["reflection"] == "ok " + MARKUP  # stored exactly as typed


def test_own_action_is_data_and_skipping_stores_nothing(db, tmp_path):
    asyncio.run(_own_action(tmp_path))


async def _own_action(tmp_path: Path) -> None:
    app = make_app(EP04, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await play(pilot, PATH)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        await pilot.press("escape")  # skips the question, never leaves the debrief
        assert app.screen is screen and not screen.reflecting
        assert not screen.query_one("#db-reflection").display
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TransferScreen)
        await pilot.press("escape")  # skips the commitment
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("t")
        await settle(pilot)
        tr = app.screen
        assert isinstance(tr, TransferScreen)
        await pilot.press("tab")
        own = tr.query_one("#tr-own", Input)
        assert app.focused is own
        own.value = "Call [bold]Paul[/] " + MARKUP
        await pilot.press("enter")  # then the date, kept as proposed
        assert app.focused is tr.query_one("#tr-due", Input)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        section = shown(screen.query_one("#db-commit", Static))
        assert "Call [bold]Paul[/] [bold]x[/] [0]" in section and "\x1b" not in section
        app.results.flush()
    commitments, runs, _, _ = stored()
    (c,) = commitments
    assert c["action"] == "Call [bold]Paul[/] " + MARKUP and c["own"]
    assert c["due"] == "2026-03-09"
    assert runs[-1]["reflection"] is None


def test_practice_and_test_runs_go_straight_to_the_numbers(db, tmp_path):
    asyncio.run(_not_counted(tmp_path))


async def _not_counted(tmp_path: Path) -> None:
    for kwargs, path in (({"practice": True}, PATH), ({"at": "lunch-learn"}, [1])):
        app = make_app(EP04, tmp_path / "data", **kwargs)
        async with app.run_test(size=SIZE) as pilot:
            await play(pilot, path)
            screen = app.screen
            assert isinstance(screen, DebriefScreen) and not screen.reflecting
            assert screen.query_one("#db-numbers").display
            assert not screen.query_one("#db-commit").display
            assert not screen.query_one("#db-commit-button").display
            await pilot.press("t")
            assert app.screen is screen


# ------------------------------------------------------------ "Did you do it?" at launch


def seed(*rows: tuple[str, str, str]) -> list[int]:
    store = open_store(None)
    try:
        return [learning.add_commitment(store, run_id=None, player=player,
                                        episode_id="ep04-illectronisme", action=action,
                                        due=date.fromisoformat(due))
                for player, action, due in rows]
    finally:
        store.close()


async def wait_for(pilot, kind: type) -> None:
    for _ in range(200):
        if isinstance(pilot.app.screen, kind):
            await settle(pilot)  # drawn
            return
        await pilot.pause(0.02)
    raise AssertionError(f"no {kind.__name__}: {pilot.app.screen}")


def test_did_you_do_it_at_launch(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-03-10")
    seed((PLAYER, "Call [bold]Théo[/] \x1b[2J", "2026-03-09"),  # due: asked
         (PLAYER, "Later one", "2026-03-10"),  # due today: not yet
         ("someone else", "Theirs", "2026-03-01"))  # another player's
    asyncio.run(_follow_up(tmp_path))
    listed = json.loads(sam(db, "commitments", "--json").stdout)
    by_action = {c["action"]: c for c in listed}
    assert by_action["Call [bold]Théo[/] \x1b[2J"]["status"] == "partly"
    assert by_action["Call [bold]Théo[/] \x1b[2J"]["note"] == "tried [/] [0]"
    assert by_action["Later one"]["status"] == "open"
    assert by_action["Theirs"]["status"] == "open"
    (asked,) = stored()[2]
    assert (asked["status"], asked["asked_on"]) == ("partly", "2026-03-10")


async def _follow_up(tmp_path: Path) -> None:
    app = make_app(None, tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, FollowUpScreen)
        modal = app.screen
        title = shown(modal.query_one("#fu-title", Static))
        assert "Did you do it?" in title and "Call [bold]Théo[/]" in title
        assert "2026-03-09" in title and "\x1b" not in title and "of" not in title
        for part in ("#fu-title", "#fu-1", "#fu-2", "#fu-3", "#fu-note", "#fu-later"):
            assert on_screen(modal.query_one(part)), part
        await pilot.press("2")
        note = modal.query_one("#fu-note", Input)
        assert app.focused is note
        await pilot.press("t", "r", "i", "e", "d", "space")
        note.value += "[/] [0]"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, FollowUpScreen)  # one due: asked once
        app.results.flush()


def test_ask_me_later_leaves_it_open_and_the_next_one_follows(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-03-10")
    first, second = seed((PLAYER, "First", "2026-03-01"), (PLAYER, "Second", "2026-03-02"))
    asyncio.run(_later(tmp_path, "fr"))
    commitments, _, follow_ups, _ = stored()
    status = {c["id"]: (c["status"], c["note"]) for c in commitments}
    assert status == {first: ("open", None), second: ("done", None)}
    assert [f["commitment_id"] for f in follow_ups] == [second]


async def _later(tmp_path: Path, lang: str) -> None:
    app = make_app(EP04, tmp_path / "data", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, FollowUpScreen)
        assert "1 sur 2" in shown(app.screen.query_one("#fu-title", Static))
        assert "L'avez-vous fait" in shown(app.screen.query_one("#fu-title", Static))
        for part in ("#fu-title", "#fu-3", "#fu-note", "#fu-hint", "#fu-record", "#fu-later"):
            assert on_screen(app.screen.query_one(part)), part
        await pilot.press("escape")  # ask me later
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, FollowUpScreen) and "Second" in shown(
            modal.query_one("#fu-title", Static))
        assert modal.query_one("#fu-record", Button).disabled  # an answer first
        await pilot.press("1", "enter")  # done, no note
        await settle(pilot)
        assert not isinstance(app.screen, FollowUpScreen)
        app.results.flush()


# ------------------------------------------------------------ the assessment setting


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_assessment_setting_holds_lessons_back_until_the_debrief(db, tmp_path, lang):
    asyncio.run(_assess(tmp_path, lang))
    _, runs, _, assessments = stored()
    assert [r["id"] for r in runs if r["status"] == "finished"] == sorted(assessments)
    assert len(assessments) == 1


async def _assess(tmp_path: Path, lang: str) -> None:
    app = make_app(EP04, tmp_path / "data", lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        tick = settings.query_one("#assess", Checkbox)
        label = WORDS[lang]["app_assess_setting"].split()[0]
        assert label in str(tick.label) and not tick.value
        for _ in range(10):  # keyboard only: Tab to the setting, space turns it on
            if app.focused is tick:
                break
            await pilot.press("tab")
        assert app.focused is tick
        await pilot.press("space")
        assert tick.value
        await pilot.press("escape")
        await settle(pilot)
        assert app.store.settings["assess"] is True
        await play(pilot, PATH)
        screen = app.screen
        assert isinstance(screen, DebriefScreen) and screen.run.assess
        await pilot.press("escape")
        held = screen.query_one("#db-held", BulletList)
        assert held.display
        assert WORDS[lang]["held"] in held.plain
        # every consequence of the path, its principle included (the part in **bold**)
        episode, state = app.config.episode, screen.run.began[0]
        principles = []
        for _, choice in screen.run.state.path:
            state, events = engine.choose(episode, state, choice)
            for e in events:
                if isinstance(e, engine.FeedbackShown):
                    text = app.say(episode, e.text, e.variables)
                    if "**" in text:
                        principles.append(text.split("**")[1])
        assert principles and all(p in held.plain for p in principles)
        app.results.flush()
    # kept between sessions: a new app starts its runs as assessments, practice aside
    again = make_app(EP04, tmp_path / "data", lang=lang)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert again.screen.query_one("#assess", Checkbox).value
        await pilot.press("escape")
        again.runs.build(again.config.episode, None, True, lang)
        assert not again.runs.current.assess  # a practice run is no assessment
        again.runs.leave()


def test_no_assessment_by_default(db, tmp_path):
    async def scenario() -> None:
        app = make_app(EP04, tmp_path / "data")
        async with app.run_test(size=SIZE) as pilot:
            await play(pilot, PATH)
            screen = app.screen
            assert isinstance(screen, DebriefScreen) and not screen.run.assess
            await pilot.press("escape")
            assert not screen.query_one("#db-held").display
            assert "What each consequence taught" not in screen_text(screen)
            app.results.flush()

    asyncio.run(scenario())
    assert stored()[3] == set()


def test_a_bad_today_is_said_calmly(db, tmp_path, monkeypatch):
    """SAM_COWBOY_TODAY that is no date: one notice, the date of the machine, play goes on."""
    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-99-99")

    async def scenario() -> None:
        app = make_app(EP04, tmp_path / "data")
        async with app.run_test(size=SIZE) as pilot:
            await play(pilot, PATH)
            screen = app.screen
            assert isinstance(screen, DebriefScreen)
            await pilot.press("escape")
            week = transfer.due_date(date.today()).isoformat()
            assert week in shown(screen.query_one("#db-commit", Static))

    asyncio.run(scenario())
