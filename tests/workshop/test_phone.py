"""The phone page in a real browser (headless Chromium): join, vote, reveal, at 320 px.

Needs /usr/bin/chromium (`bash .ci/chromium.sh`) and the playwright package (the `test`
extra, never `playwright install`); skips with the reason otherwise.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import aiohttp
import pytest

from workshop.support import RunningServer, create, facilitator

CHROMIUM = "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no {CHROMIUM}: run `bash .ci/chromium.sh` (Debian's chromium package)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is "
                               "not installed (`pip install -e '.[test]'`)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT = 20_000  # ms


def off_loop(coro):  # type: ignore[no-untyped-def]
    """asyncio.run in a thread: Playwright's sync API holds this thread's loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def run_facilitator(server: str, code: str, key: str, *ops: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    async def go() -> None:
        async with aiohttp.ClientSession() as h:
            f = await facilitator(h, server, code, key)
            for op, fields in ops:
                assert (await f.request(op, **fields))["ok"]
            await f.close()
    off_loop(go())


@pytest.mark.parametrize("size", [(320, 640), (390, 844)])
def test_phone_joins_votes_with_a_tap_and_keeps_its_buttons(tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    with RunningServer(str(tmp_path / "r.sqlite3")) as server, \
            sync_api.sync_playwright() as pw:
        made = off_loop(create(server.url, lang="en"))
        code = made["code"]
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]},
                                    has_touch=True, is_mobile=True, bypass_csp=True)
            page.set_default_timeout(WAIT)
            page.goto(made["join_url"])
            assert page.input_value("#code") == code
            page.fill("#name", "Zoé [b]x[/b] \x1b[2J")
            page.click("#join button[type=submit]")
            buttons = page.locator("#choices button")
            buttons.first.wait_for()
            count = buttons.count()
            assert count >= 2
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
            assert "[b]x[/b]" in page.inner_text("#who")  # the name as typed: text, not markup
            assert page.evaluate("document.activeElement.dataset.id") is not None  # on a choice
            page.keyboard.press("2")
            page.wait_for_function("document.querySelector('#choices button:nth-child(2)')"
                                   ".getAttribute('aria-pressed') === 'true'")
            [vote] = server.store.votes(code, 0)
            second = page.locator("#choices button").nth(1).get_attribute("data-id")
            assert vote["choice"] == second
            run_facilitator(server.url, code, made["key"], ("reveal", {"step": 0}))
            page.wait_for_function("document.querySelector('#tally').textContent"
                                   ".includes('most votes')")
            assert page.get_attribute("#tally", "aria-live") == "polite"
            # the tally under the buttons never hides them
            assert buttons.count() == count
            for i in range(count):
                box = buttons.nth(i).bounding_box()
                assert box is not None and box["width"] >= size[0] - 60
                assert box["height"] >= 44  # a thumb's target
            run_facilitator(server.url, code, made["key"], ("lock", {"step": 0}))
            page.wait_for_function("document.querySelector('#choices button').disabled")
            run_facilitator(server.url, code, made["key"], ("next", {"step": 0}))
            page.wait_for_function("document.querySelector('#outcome').textContent"
                                   ".includes('You voted') || document.querySelector("
                                   "'#phase').textContent.includes('open')")
            # reloading is the same person (cookie + the name kept), not a name clash
            page.reload()
            page.locator("#choices button").first.wait_for()
            assert len(server.store.participants(code)) == 1
            other = browser.new_page(viewport={"width": size[0], "height": size[1]},
                                     bypass_csp=True)
            other.goto(made["join_url"])
            other.fill("#name", "Zoé [b]x[/b]")
            other.click("#join button[type=submit]")
            other.wait_for_function("document.querySelector('#join-error').textContent"
                                    ".includes('already taken')")
        finally:
            browser.close()


def test_phone_composes_a_message_then_reflects_reads_its_debrief_and_commits(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.results import learning
    from sam_cowboy.workshop.session import Session

    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-03-02")
    typed = "[bold]x[/] [0] <b>y</b> \x1b[2J"
    with RunningServer(str(tmp_path / "r.sqlite3")) as server, \
            sync_api.sync_playwright() as pw:
        made = off_loop(create(server.url, lang="en"))
        code, key = made["code"], made["key"]
        session = Session(server.store, code)
        assert session.analysis.best_run is not None
        path = list(session.analysis.best_run.path)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 320, "height": 640}, has_touch=True,
                                    is_mobile=True, bypass_csp=True)
            page.set_default_timeout(WAIT)
            page.goto(made["join_url"])
            page.fill("#name", "Zoé")
            page.click("#join button[type=submit]")
            page.locator("#choices button").first.wait_for()
            for step, (_, choice) in enumerate(path):
                if "+" in choice:  # the compose scene: the phone builds the message
                    page.locator("#compose-send").wait_for()
                    assert page.locator("#compose-send").is_disabled()
                    page.locator("#choices button.fragment").nth(1).click()
                    page.keyboard.press("4")  # number keys tap fragments too
                    preview = page.inner_text("#message")
                    assert "Sales Engineer, Vectalis | I help logistics" in preview
                    page.click("#compose-send")
                    page.wait_for_function("document.querySelector('#choices').textContent"
                                           ".includes('You voted')")
                    assert [v["choice"] for v in server.store.votes(code, step)] == [choice]
                    assert page.evaluate("document.documentElement.scrollWidth") <= 320
                run_facilitator(server.url, code, key, ("pick", {"step": step, "choice": choice}),
                                ("next", {"step": step}))
            page.locator("#reflection").wait_for()
            assert page.locator("#debrief table").count() == 0  # the question comes first
            page.fill("#reflection", typed)
            page.click("#reflect-send")
            page.locator("#commitment").wait_for()
            text = page.inner_text("#debrief")
            assert "Your posture" in text and "Overall posture" in text and "%" in text
            assert "One action for work, by 2026-03-09" in text
            page.fill("#commit-own", typed)
            page.fill("#commit-date", "2026-04-01")
            page.click("#commit-send")
            page.wait_for_function("document.querySelector('#debrief').textContent"
                                   ".includes('Committed: ')")
            shown = page.inner_text("#debrief")
            assert "[bold]x[/] [0] <b>y</b>" in shown  # as typed: text, never markup
            assert page.locator("#debrief b").count() == 0
        finally:
            browser.close()
        (run,) = server.store.runs(session_code=code)
        assert run["reflection"] == typed
        (row,) = learning.commitments(server.store)
        assert (row["action"], row["due"], row["player"], row["run_id"]) == (
            typed, "2026-04-01", "Zoé", run["id"])


def test_phone_in_an_assessment_shows_the_story_without_scores_or_principles(
        tmp_path: Path) -> None:
    from sam_cowboy.workshop.session import Session

    with RunningServer(str(tmp_path / "r.sqlite3")) as server, \
            sync_api.sync_playwright() as pw:
        made = off_loop(create(server.url, lang="en", assess=True))
        code, key = made["code"], made["key"]
        best = Session(server.store, code).analysis.best_run
        assert best is not None
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 320, "height": 640}, bypass_csp=True)
            page.set_default_timeout(WAIT)
            page.goto(made["join_url"])
            page.fill("#name", "Zoé")
            page.click("#join button[type=submit]")
            page.locator("#choices button").first.wait_for()
            assert "scores and lessons are shown at the end" in page.inner_text("#assess")
            first = best.path[0][1]
            page.click(f"#choices button[data-id='{first}']")
            page.wait_for_function("document.querySelector('#vote-result').textContent"
                                   ".includes('recorded')")
            run_facilitator(server.url, code, key, ("pick", {"step": 0, "choice": first}))
            page.wait_for_function("document.querySelector('#outcome').textContent"
                                   ".includes('You voted')")
            outcome = page.inner_text("#outcome")
            assert "(+" not in outcome and "(-" not in outcome  # no score change
            assert page.locator("#outcome strong").count() == 0  # no bold principle
        finally:
            browser.close()
