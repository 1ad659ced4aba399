"""The html export in headless Chromium: one set of rules with the core, proven run by run.

Every built-in episode is exported, then played in the browser along its best run and along
random runs, in each of its languages, by clicking the choice buttons by their accessible
names; at every step the page shows exactly the choices the core shows; at the end the page's
result (path, scenes, scores, ending, variables, label) equals `sam-cowboy run --json` for
the same choices, and the debrief states the overall percent as a number followed by `%`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sam_cowboy.cli import main
from sam_cowboy.commands.common import load_playable
from sam_cowboy.library import builtin_dir, episode_files

from .playing import CHOICE_BUTTONS, play, random_run, run_json

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

BUILTIN = [p.stem for p in episode_files(builtin_dir())]
RANDOM_RUNS = 2


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    out = {}
    for stem in BUILTIN:
        episode, _ = load_playable(str(builtin_dir() / f"{stem}.yaml"))
        path = folder / f"{episode.id}.html"
        assert main(["export", str(builtin_dir() / f"{stem}.yaml"), "-o", str(path)]) == 0
        out[stem] = path
    return out


def open_page(browser: Browser, path: Path, lang: str, width: int = 800) -> tuple[Page, list[str]]:
    """A fresh page on the file; the list collects script errors and every request made."""
    page = browser.new_page(viewport={"width": width, "height": 700})
    log: list[str] = []
    page.on("pageerror", lambda e: log.append(f"error: {e}"))
    page.on("console", lambda m: log.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("request", lambda r: log.append(f"request: {r.url}"))
    page.goto(path.as_uri() + f"?lang={lang}")
    page.wait_for_selector("#sam-scene-title")
    return page, log


def overall_shown(page: Page) -> int:
    text = page.locator("#sam-overall").inner_text()
    m = re.search(r"(\d+)%", text)
    assert m, text
    return int(m.group(1))


@pytest.mark.parametrize("stem", BUILTIN)
def test_best_and_random_runs_equal_run_json(browser: Browser, exported: dict[str, Path],
                                             stem: str) -> None:
    source = str(builtin_dir() / f"{stem}.yaml")
    episode, analysis = load_playable(source)
    assert analysis.best_run is not None
    runs = [[c for _, c in analysis.best_run.path]]
    runs += [random_run(episode, seed) for seed in range(RANDOM_RUNS)]
    for n, ids in enumerate(runs):
        lang = episode.languages[n % len(episode.languages)]
        page, log = open_page(browser, exported[stem], lang)
        try:
            play(page, episode, ids, lang)
            expected = run_json(source, ids, lang)
            assert page.evaluate("window.samCowboy.result()") == expected
            assert page.locator(CHOICE_BUTTONS).count() == 0
            assert page.locator("#sam-overall").count() == 0  # the question comes first
            page.locator("#sam-reflect-skip").click()
            assert overall_shown(page) == expected["overall"]["percent"]
            if n == 0:
                assert expected["overall"]["percent"] == analysis.best_run.overall
            assert [e for e in log if not e.startswith("request: file:")] == []
            assert len(log) == 1  # the page itself: no other request, no error, no CSP report
        finally:
            page.close()


def test_keyboard_focus_and_small_screen(browser: Browser, exported: dict[str, Path]) -> None:
    """Digits choose, focus moves to the new scene's heading, Tab reaches the first choice,
    and at 320 px nothing scrolls sideways."""
    stem = BUILTIN[0]
    episode, _ = load_playable(str(builtin_dir() / f"{stem}.yaml"))
    page, _ = open_page(browser, exported[stem], episode.languages[0], width=320)
    try:
        first = page.locator("#sam-scene-title").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.keyboard.press("1")
        page.wait_for_function("document.activeElement && document.activeElement.id === "
                               "'sam-scene-title'")
        assert page.locator("#sam-scene-title").inner_text() != first
        assert page.evaluate("window.samCowboy.result().path.length") == 1
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "BUTTON"
        page.keyboard.press("Enter")
        assert page.evaluate("window.samCowboy.result().path.length") == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        while page.locator(CHOICE_BUTTONS).count():  # the last one of at most nine keys
            page.keyboard.press(str(min(page.locator(CHOICE_BUTTONS).count(), 9)))
        page.locator("#sam-reflect-skip").click()
        assert page.locator("#sam-overall").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        page.close()


def test_language_switch_keeps_the_run(browser: Browser, exported: dict[str, Path]) -> None:
    stem = BUILTIN[0]
    episode, _ = load_playable(str(builtin_dir() / f"{stem}.yaml"))
    assert len(episode.languages) > 1
    page, _ = open_page(browser, exported[stem], episode.languages[0])
    try:
        page.locator(CHOICE_BUTTONS).first.click()
        before = page.evaluate("window.samCowboy.result()")
        page.select_option("#sam-lang", episode.languages[1])
        assert page.evaluate("document.documentElement.lang") == episode.languages[1]
        after = page.evaluate("window.samCowboy.result()")
        assert after["path"] == before["path"] and after["scores"] == before["scores"]
        title = episode.scenes[before["scenes"][-1]].title
        if title is not None:
            assert page.locator("#sam-scene-title").inner_text().strip() == \
                " ".join(title.values[episode.languages[1]].split())
    finally:
        page.close()


def test_integers_are_exact_as_in_python(browser: Browser, tmp_path: Path) -> None:
    """Past 2**53 a double would round: the player's BigInt shows the same choices and
    numbers as the core (tests/export/bigint.yaml multiplies the format's largest number
    past 2**53 and has a choice for each behaviour)."""
    source = Path(__file__).with_name("bigint.yaml")
    out = tmp_path / "big.html"
    assert main(["export", str(source), "-o", str(out)]) == 0
    episode, _ = load_playable(str(source))
    page, log = open_page(browser, out, "en")
    try:
        assert "Big is 1000000000000." in page.locator("#sam-scene").inner_text()
        positions = play(page, episode, ["exact"], "en")  # 2 choices shown, as in the core
        assert "Now 1000000000001." in page.locator("#sam-feedback").inner_text()
        assert "Big ends at 1000000000001." in page.locator("#sam-scene").inner_text()
        result = page.evaluate("window.samCowboy.result()")
        expected = run_json(str(source), positions, "en")
        assert result == expected
        assert len(log) == 1
    finally:
        page.close()
