"""End to end: a participant joins a live session from a real browser through `serve`.

`sam-cowboy serve` runs in a subprocess; headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright, never a browser Playwright downloads) opens its page; the participant
types the session code and a name into the join app rendered by xterm.js, votes with a
mouse click, and the facilitator (the Session API, as the host app calls it) reveals,
locks, settles and advances while the test reads what the browser shows: "CODE · name"
once joined, the revealed tally in counts and percents, the lock, the room's choice. A
paste of ESC, BEL and C1 (0x9b) characters into the name field leaves none in it. Last, the host
dashboard (in process) lists the participant under the name as typed, markup and all.

The page draws the terminal on a canvas, so the screen is read from xterm.js's own buffer:
a script added before the page loads catches the Terminal object when textual-serve's
textual.js stores it (`this.terminal = new Terminal(...)`).

Needs /usr/bin/chromium (`bash .ci/chromium.sh`) and the playwright package (the `test`
extra); skips with the reason otherwise. Every wait is bounded, the whole test takes well
under a minute, and serve (with the app processes it starts) and Chromium are ended even
when an assertion fails.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sam_cowboy.core import engine
from sam_cowboy.core.engine import FeedbackShown
from sam_cowboy.core.i18n import render, scene_paragraphs
from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.host import HostApp
from sam_cowboy.workshop.session import Session, clean_name, create_session
from sam_cowboy.workshop.texts import w

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no {CHROMIUM}: run `bash .ci/chromium.sh` (Debian's chromium package)",
                allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed "
    "(`pip install -e '.[test]'`; its browser download is not needed)")

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
BUDGET = 55.0  # seconds for the whole test, however loaded the machine
UI = "en"

# Catch textual.js's Terminal as it is stored, then remove the trap.
CATCH_TERMINAL = """
(() => {
  Object.defineProperty(Object.prototype, 'terminal', {
    configurable: true,
    set(value) {
      Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true,
                                               enumerable: true});
      if (value && value.buffer && value.buffer.active && value.options) {
        window.__samTerminal = value;
        delete Object.prototype.terminal;
      }
    },
  });
})();
"""
# The visible rows as text: from the buffer, else from a DOM renderer's rows.
READ_SCREEN = """() => {
  const t = window.__samTerminal;
  if (t) {
    const b = t.buffer.active, rows = [];
    for (let i = 0; i < t.rows; i++) {
      const line = b.getLine(b.viewportY + i);
      rows.push(line ? line.translateToString(true) : '');
    }
    return rows;
  }
  const dom = document.querySelector('.xterm-rows');
  return dom && dom.children.length ? Array.from(dom.children, r => r.textContent) : null;
}"""
# Foreground colour of one cell: a focused Input's border is drawn in the accent colour.
CELL_COLOUR = """([row, col]) => {
  const t = window.__samTerminal, b = t.buffer.active;
  const cell = b.getLine(b.viewportY + row).getCell(col);
  return [cell.getFgColorMode(), cell.getFgColor()];
}"""
# What a paste of `text` into the terminal does (xterm.js reads clipboardData).
PASTE = """(text) => {
  const area = document.querySelector('.xterm-helper-textarea');
  const data = new DataTransfer();
  data.setData('text/plain', text);
  area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                  cancelable: true}));
}"""
SCREEN_BOX = """() => {
  const t = window.__samTerminal, r = document.querySelector('.xterm-screen')
    .getBoundingClientRect();
  return [r.left, r.top, r.width / t.cols, r.height / t.rows];
}"""


def flat(text: str) -> str:
    """Whitespace collapsed: a paragraph wrapped on screen matches its source text."""
    return " ".join(text.split())


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self, cap: float) -> float:
        return max(0.0, min(cap, self.end - time.monotonic()))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """serve, then whatever is left of its process group (the app processes it started)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # serve exits gracefully, quitting its apps
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # its own group: start_new_session=True
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass


@pytest.fixture
def deadline() -> Deadline:
    return Deadline(BUDGET)


@pytest.fixture
def served(tmp_path: Path, deadline: Deadline) -> Iterator[tuple[str, Path]]:
    """`sam-cowboy serve` on a free loopback port: (base URL, its log)."""
    db = str(tmp_path / "r.db")
    log = tmp_path / "serve.log"
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    end = time.monotonic() + deadline.left(25)
    proc: subprocess.Popen[bytes] | None = None
    try:
        while time.monotonic() < end:  # a free port can be taken before serve binds it
            port = free_port()
            with log.open("ab") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "sam_cowboy", "--lang", UI, "serve", "--host",
                     "127.0.0.1", "--port", str(port), "--db", db],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True)
            url = f"http://127.0.0.1:{port}/"
            while time.monotonic() < end and proc.poll() is None:
                try:
                    with direct.open(url, timeout=1) as r:
                        if r.status == 200:
                            yield url, log
                            return
                except OSError:
                    time.sleep(0.1)
            stop_group(proc)
        pytest.fail(f"sam-cowboy serve did not start:\n{log.read_text(errors='replace')}")
    finally:
        if proc is not None:
            stop_group(proc)


class Screen:
    """The browser's terminal, read again and again until what is awaited shows."""

    def __init__(self, page: Page, deadline: Deadline, log: Path) -> None:
        self.page = page
        self.deadline = deadline
        self.log = log
        self.rows: list[str] = []

    def read(self) -> list[str]:
        try:
            rows = self.page.evaluate(READ_SCREEN)
        except sync_api.Error:
            rows = None  # the page is still starting
        self.rows = list(rows or [])
        return self.rows

    @property
    def text(self) -> str:
        return flat("\n".join(self.rows))

    def wait(self, what: str, ok: Callable[[], bool], timeout: float = 15.0) -> None:
        end = time.monotonic() + self.deadline.left(timeout)
        while True:
            self.read()
            try:
                if ok():
                    return
            except (IndexError, ValueError, StopIteration, sync_api.Error):
                pass  # not drawn yet
            if time.monotonic() >= end:
                break
            time.sleep(0.15)
        self.fail(f"the browser never showed {what}")

    def wait_text(self, *texts: str, timeout: float = 15.0) -> None:
        wanted = [flat(t) for t in texts]
        self.wait(" and ".join(repr(t) for t in wanted),
                  lambda: all(t in self.text for t in wanted), timeout)

    def fail(self, message: str) -> None:
        screen = re.sub(r"\n{3,}", "\n\n", "\n".join(r.rstrip() for r in self.rows)).strip()
        log = self.log.read_text(errors="replace")[-3000:]
        try:
            caught = self.page.evaluate("() => !!window.__samTerminal")
        except sync_api.Error:
            caught = False
        hint = "" if caught else ("\n(the xterm.js Terminal was never caught: did "
                                  "textual-serve's textual.js stop storing it as `terminal`?)")
        pytest.fail(f"{message}{hint}\n--- screen ---\n{screen}\n--- serve log ---\n{log}")

    def row_of(self, test: Callable[[str], bool], start: int = 0) -> int:
        return next(i for i, r in enumerate(self.rows) if i >= start and test(r))

    def field_row(self, label: str) -> int:
        """The middle row of the Input under `label` (a tall border: ▔ row, text, ▁ row)."""
        below = self.row_of(lambda r: r.strip() == label)
        return self.row_of(lambda r: r.lstrip().startswith("▊") and "▔" not in r, below)

    def border_colour(self, row: int) -> list[int]:
        return list(self.page.evaluate(CELL_COLOUR, [row, self.rows[row].index("▊")]))

    def click_cell(self, row: int, col: int) -> None:
        left, top, cell_w, cell_h = self.page.evaluate(SCREEN_BOX)
        self.page.mouse.click(left + (col + 0.5) * cell_w, top + (row + 0.5) * cell_h)


def test_a_browser_participant_joins_votes_and_sees_the_room_choice(  # type: ignore[no-untyped-def]
        tmp_path: Path, ep01, deadline: Deadline, served) -> None:
    url, log = served
    ep, analysis = ep01
    store = open_store(str(tmp_path / "r.db"))
    code, key = create_session(store, ep, analysis, "ep01-google-test", lang="en",
                               title="Browser test")
    s = Session(store, code)
    state = s.group_state()

    def heading(st: engine.State) -> str:  # what a scene shows first: its title, else text
        scene = ep.scenes[st.scene]
        if scene.title:
            return render(scene.title, s.lang, ep.default_language, st.variables)
        return scene_paragraphs(ep, scene, s.lang, st)[0][:60]

    shown = s.choices()
    labels = [render(c.text, s.lang, ep.default_language, state.variables) for c in shown]
    assert len(shown) >= 2
    typed_name, pasted = "[bold]Zoé", "\x1b[2J\x07\x9b1m"

    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 1500},
            timeout=deadline.left(30) * 1000)
        try:
            context.set_default_timeout(10_000)
            # loopback only: the page's web font link is refused here, not looked up
            context.route("**/*", lambda route: route.continue_()
                          if route.request.url.startswith(url) else route.abort())
            page = context.pages[0] if context.pages else context.new_page()
            page.add_init_script(CATCH_TERMINAL)
            screen = Screen(page, deadline, log)
            page.goto(url + "?fontsize=12", wait_until="load")

            # the join form: the session code first
            code_label, name_label = w("code_label", UI), w("name_label", UI)
            screen.wait_text(code_label, name_label, timeout=25)
            page.locator(".xterm-helper-textarea").focus()  # the terminal has the keyboard
            code_row, name_row = screen.field_row(code_label), screen.field_row(name_label)
            screen.wait("the code field focused", lambda: screen.border_colour(code_row)
                        != screen.border_colour(name_row))
            focused = screen.border_colour(code_row)
            typed_code = f"{code[:3]}-{code[3:]}".lower()  # as someone reads it out
            page.keyboard.type(typed_code)
            screen.wait_text(typed_code)
            page.keyboard.press("Enter")
            # Enter moves the focus to the name field; keys typed before that lands would
            # still go to the code field, as they would for someone typing that fast
            screen.wait("the name field focused", lambda: screen.border_colour(name_row)
                        == focused != screen.border_colour(code_row))
            page.keyboard.type(typed_name)
            page.evaluate(PASTE, pasted)  # no key types ESC into a field; a paste can
            screen.wait("the name as typed, markup and all", lambda: typed_name in
                        screen.rows[name_row] and "[2J" in screen.rows[name_row])
            page.keyboard.press("Enter")

            # the room's first scene, one button per choice
            screen.wait_text(heading(state), "1. " + labels[0], "2. " + labels[1], timeout=20)
            people = s.participants()
            assert len(people) == 1
            name, pid = str(people[0]["name"]), int(people[0]["id"])
            # markup kept as typed; no control character reaches the store (Textual turns
            # a pasted ESC into a "^" key; whatever else gets through, clean_name strips)
            assert name.startswith(typed_name) and name == clean_name(name), repr(name)
            assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in name), repr(name)
            # the participant sees which session and under which name, as text
            screen.wait_text(f"{code} · {name}")

            # a click on the second choice is a vote
            row = screen.row_of(lambda r: r.strip().startswith("2. "))
            screen.click_cell(row, screen.rows[row].index("2. ") + 1)
            screen.wait_text(w("your_vote", UI, choice=labels[1]))
            assert s.tally() == {shown[1].id: 1}

            # the facilitator reveals the tally, locks the vote: the browser says so
            s.reveal(key)
            assert s.refresh()["revealed"] == 1
            screen.wait_text(w("tally_open", UI), f"{labels[1]}: ", "1 vote (100%)",
                             w("total_votes", UI, votes="1 vote"))
            s.lock(key)
            screen.wait_text(w("locked", UI), w("your_vote", UI, choice=labels[1]))

            # the room's choice and its consequence, as the participant's browser shows them
            assert s.decide(key) == shown[1].id
            _, events = engine.choose(ep, state, shown[1].id)
            feedback = [render(e.text, s.lang, ep.default_language, e.variables)
                        for e in events if isinstance(e, FeedbackShown)]
            assert feedback, "the chosen choice has a consequence to show"
            screen.wait_text(w("room_chose", UI, choice=labels[1]), *feedback)

            # next scene: its title, the buttons again, the last scene's outcome gone
            s.advance(key)
            after = s.group_state()
            assert after.scene != state.scene
            next_labels = [render(c.text, s.lang, ep.default_language, after.variables)
                           for c in engine.choices_shown(ep, after)]
            screen.wait_text(heading(after), "1. " + next_labels[0])
            screen.wait("the outcome cleared", lambda: flat(
                w("room_chose", UI, choice="")) not in screen.text)
            run = store.open_run(code, pid)
            assert run is not None
            assert [(d["scene"], d["choice"]) for d in store.decisions(run["id"])] == \
                [(state.scene, shown[1].id)]
        finally:
            context.close()

    # the projector lists the participant by the name stored, drawn as text, not markup
    async def host_screen() -> str:
        app = HostApp(Session(store, code), key)
        async with app.run_test(size=(140, 50)) as pilot:
            await pilot.pause(0.3)
            return "\n".join(str(widget.render()) for widget in app.query("Static"))

    assert name in asyncio.run(host_screen())
