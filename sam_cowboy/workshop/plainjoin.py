"""`workshop join JOIN_URL --plain`: a participant in plain text, talking to the server.

Live mode: each scene and its choices; a number is a vote for the scene shown. From a
terminal, a line is read as it is typed: another number changes the vote while it is open,
and one typed after the vote closed is answered "too late" and counted nowhere. From a pipe
or a script, a line is read when a scene opens and waits for a vote (so `printf '1\\n2\\n'`
votes 1 on the first scene, 2 on the second). Async mode: the episode at one's own pace.
The token the server gives is kept in the user data folder: joining again (after a crash)
is the same person.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TextIO

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.messages import t
from sam_cowboy.plain import plain_markdown
from sam_cowboy.workshop import identity
from sam_cowboy.workshop.client import ClientError, Link, join_session
from sam_cowboy.workshop.texts import tally_lines, w

EOF_MARK = None


async def first(*futures: asyncio.Future[Any]) -> None:
    """Until one of `futures` is done."""
    await asyncio.wait(set(futures), return_when=asyncio.FIRST_COMPLETED)


class Lines:
    """Standard input read by a thread and handed to the event loop line by line."""

    def __init__(self, read_line: Callable[[], str | None]) -> None:
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.ended = False
        loop = asyncio.get_running_loop()

        def pump() -> None:
            while True:
                line = read_line()
                loop.call_soon_threadsafe(self.queue.put_nowait, line)
                if line is None:
                    return

        threading.Thread(target=pump, daemon=True).start()

    async def get(self) -> str | None:
        if self.ended:
            return None
        line = await self.queue.get()
        if line is None:
            self.ended = True
        return line


class Printer:
    """Says things in plain lines: no colour, no cursor movement, text as data."""

    def __init__(self, out: TextIO, ui: str) -> None:
        self.out = out
        self.ui = ui

    def say(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def prompt(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    @property
    def colon(self) -> str:
        return " : " if self.ui == "fr" else ": "

    def scene(self, scene: dict[str, Any]) -> None:
        self.say()
        if scene["title"]:
            self.say(f"## {plain_markdown(scene['title'])}")
        for p in scene["paragraphs"]:
            self.say(plain_markdown(p))
            self.say()
        card = scene.get("card")
        if card:
            self.say(f"+-- {t(card['kind'] + '_card', self.ui)} --")
            labels = {k: t(k, self.ui) for k in ("from", "to", "subject", "reactions")}
            for key, value in card["fields"].items():
                prefix = f"{labels[key]}{self.colon}" if key in labels else ""
                for line in plain_markdown(value).splitlines() or [""]:
                    self.say(f"| {prefix}{line}")
                    prefix = ""
            self.say("+--")
            self.say()
        ending = scene.get("ending")
        if ending:
            kind = t(f"ending_{ending['kind']}", self.ui)
            title = plain_markdown(ending["title"])
            self.say(f"*** {t('the_end', self.ui)}{self.colon + title if title else ''} "
                     f"({kind}) ***")

    def choices(self, choices: list[dict[str, Any]]) -> None:
        self.say(t("choices", self.ui))
        for c in choices:
            self.say(f"  {c['n']}. {plain_markdown(c['text'])}")

    def tally(self, choices: list[dict[str, Any]], tally: dict[str, int], final: bool) -> None:
        self.say()
        self.say(w("tally_final" if final else "tally_open", self.ui))
        for line in tally_lines([plain_markdown(c["text"]) for c in choices],
                                [c["id"] for c in choices], tally, self.ui):
            self.say(line)

    def outcome(self, outcome: dict[str, Any], mine: str | None,
                choices: list[dict[str, Any]]) -> None:
        self.say()
        self.say(w("room_chose", self.ui, choice=plain_markdown(outcome["winner_text"])))
        for text in outcome["feedback"]:
            self.say(f"{t('consequence', self.ui)}{self.colon}{plain_markdown(text)}")
        if mine is None:
            self.say(w("no_vote", self.ui))
            return
        text = next((c["text"] for c in choices if c["id"] == mine), mine)
        worth = ", ".join(f"{d:+d} {label}" for label, d in outcome["worth"].get(mine, []))
        self.say(w("you_chose", self.ui, choice=plain_markdown(text))
                 + (f" ({worth})" if worth else ""))


def join_plain(server: str, code: str, name: str, ui: str, out: TextIO,
               read_line: Callable[[], str | None], interactive: bool) -> int:
    return asyncio.run(_join(server, code, name, ui, out, read_line, interactive))


async def _join(server: str, code: str, name: str, ui: str, out: TextIO,
                read_line: Callable[[], str | None], interactive: bool) -> int:
    token = identity.recall_token(server, code, name)
    joined = await join_session(server, code, name, token)
    identity.remember_token(server, code, name, joined["token"])
    p = Printer(out, ui)
    p.say(w("joined", ui, code=code, name=strip_controls(joined["name"])))
    if joined["anonymous"]:
        p.say(w("anonymous_note", ui))
    player = LivePlayer(p, interactive) if joined["mode"] == "live" else AsyncPlayer(p)
    link = Link(server, {"role": "participant", "code": code, "token": joined["token"]},
                player.on_message)
    player.link = link
    runner = asyncio.ensure_future(link.run())
    lines = Lines(read_line)
    try:
        await player.play(lines, runner)
    finally:
        await link.close()
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
    return 0


class LivePlayer:
    def __init__(self, p: Printer, interactive: bool) -> None:
        self.p = p
        self.ui = p.ui
        self.interactive = interactive
        self.link: Link | None = None
        self.state: dict[str, Any] | None = None
        self.changed = asyncio.Event()
        self.shown_step: int | None = None
        self.told: set[tuple[int, str]] = set()
        self.voted_step: int | None = None
        self.done = False

    async def on_message(self, msg: dict[str, Any]) -> None:
        if msg["type"] == "status":
            self.p.say(w("reconnecting" if msg["status"] == "reconnecting" else "reconnected",
                         self.p.ui))
            return
        if msg["type"] != "state":
            return
        self.state = msg
        self.show(msg)
        self.changed.set()

    def once(self, step: int, what: str) -> bool:
        if (step, what) in self.told:
            return False
        self.told.add((step, what))
        return True

    def show(self, s: dict[str, Any]) -> None:
        p, ui = self.p, self.ui
        step, phase = s["step"], s["phase"]
        prev = s.get("previous")
        if self.shown_step is not None and prev and prev["step"] >= self.shown_step and \
                self.once(prev["step"], "outcome"):
            # the outcome of a scene that was decided between two pushes
            p.tally(prev["choices"], prev["tally"], final=True)
            p.outcome(prev, s["you"]["previous_vote"], prev["choices"])
        if phase == "ended":
            if self.once(step, "ended"):
                p.scene(s["scene"])
                p.say()
                p.say(w("session_ended", ui))
                p.say(f"== {w('personal', ui)} ==")
                for line in s.get("debrief") or []:
                    p.say(line)
                self.done = True
            return
        if step != self.shown_step:
            self.shown_step = step
            p.scene(s["scene"])
            p.choices(s["choices"])
            mine = s["you"]["vote"]
            if mine is not None:
                self.voted_step = step
                text = next((c["text"] for c in s["choices"] if c["id"] == mine), mine)
                p.say(w("your_vote", ui, choice=plain_markdown(text)))
        if phase == "open" and s.get("lock_in") is not None and self.once(step, "countdown"):
            p.say(w("closes_in", ui, seconds=round(s["lock_in"])))
        if phase == "locked" and self.once(step, "locked"):
            p.say(w("locked", ui))
        if s.get("tally") is not None and phase == "open" and self.once(step, "tally"):
            p.tally(s["choices"], s["tally"], final=False)
        if phase == "decided" and s.get("outcome") and self.once(step, "outcome"):
            p.tally(s["choices"], s["tally"] or {}, final=True)
            p.outcome(s["outcome"], s["you"]["vote"], s["choices"])

    async def wait_change(self, runner: asyncio.Future[None]) -> None:
        self.changed.clear()
        waiter = asyncio.ensure_future(self.changed.wait())
        await first(waiter, runner)
        waiter.cancel()
        if runner.done():
            runner.result()  # a fatal refusal from the server: raise it

    async def play(self, lines: Lines, runner: asyncio.Future[None]) -> None:
        reading: asyncio.Future[str | None] | None = None
        prompted: int | None = None
        while not self.done:
            s = self.state
            wants = s is not None and not lines.ended and (
                self.interactive or s["phase"] == "open" and self.voted_step != s["step"])
            if s is not None and s["phase"] == "open" and self.voted_step != s["step"] and \
                    prompted != s["step"] and not lines.ended:
                self.p.prompt(w("vote_prompt", self.ui, low=1, high=len(s["choices"])))
                prompted = s["step"]
            if wants and reading is None:
                reading = asyncio.ensure_future(lines.get())
            if reading is None:
                if s is not None and lines.ended and s["phase"] == "open" and \
                        self.voted_step != s["step"]:
                    self.p.say()
                    self.p.say(t("input_ended", self.ui))
                    assert self.link is not None
                    await self.link.request("leave")
                    return
                await self.wait_change(runner)
                continue
            waiter = asyncio.ensure_future(self.changed.wait())
            self.changed.clear()
            await first(reading, waiter, runner)
            waiter.cancel()
            if runner.done():
                runner.result()
            if not reading.done():
                continue
            line = reading.result()
            reading = None
            if line is None:
                continue
            await self.vote(line)
            prompted = None if self.interactive else prompted

    async def vote(self, line: str) -> None:
        p, ui, s = self.p, self.ui, self.state
        assert s is not None and self.link is not None
        answer = line.strip()
        p.say(strip_controls(answer))
        if s["phase"] != "open":
            p.say(w("too_late", ui))
            return
        choices = s["choices"]
        if not (answer.isdigit() and 1 <= int(answer) <= len(choices)):
            p.say(t("not_a_choice", ui, low=1, high=len(choices)))
            return
        choice = choices[int(answer) - 1]
        reply = await self.link.request("vote", step=s["step"], choice=choice["id"])
        if reply.get("ok"):
            self.voted_step = s["step"]
            p.say(w("voted", ui, choice=plain_markdown(choice["text"])))
            if self.interactive:
                p.say(w("vote_again", ui))
        elif reply.get("result") == "too_late":
            p.say(w("too_late", ui))
        else:
            p.say(str(reply.get("message")))


class AsyncPlayer:
    """At one's own pace: the server keeps the run; this shows it and sends choices."""

    def __init__(self, p: Printer) -> None:
        self.p = p
        self.link: Link | None = None
        self.run: dict[str, Any] | None = None
        self.changed = asyncio.Event()
        self.shown: int | None = None

    async def on_message(self, msg: dict[str, Any]) -> None:
        if msg["type"] == "status":
            self.p.say(w("reconnecting" if msg["status"] == "reconnecting" else "reconnected",
                         self.p.ui))
        elif msg["type"] == "state" and msg.get("run"):
            self.run = msg["run"]
            self.changed.set()

    async def play(self, lines: Lines, runner: asyncio.Future[None]) -> None:
        p, ui = self.p, self.p.ui
        while True:
            while self.run is None or self.run["seq"] == self.shown:
                self.changed.clear()
                waiter = asyncio.ensure_future(self.changed.wait())
                await first(waiter, runner)
                waiter.cancel()
                if runner.done():
                    runner.result()
            run = self.run
            self.shown = run["seq"]
            if run.get("last"):
                for text in run["last"]["feedback"]:
                    p.say()
                    p.say(f"{t('consequence', ui)}{p.colon}{plain_markdown(text)}")
            p.scene(run["scene"])
            if run["ended"]:
                for line in run.get("debrief") or []:
                    p.say(line)
                return
            p.choices(run["choices"])
            while True:
                p.prompt(t("prompt", ui, low=1, high=len(run["choices"])))
                line = await lines.get()
                if line is None:
                    p.say()
                    p.say(t("input_ended", ui))
                    return
                answer = line.strip()
                p.say(strip_controls(answer))
                if answer.isdigit() and 1 <= int(answer) <= len(run["choices"]):
                    break
                p.say(t("not_a_choice", ui, low=1, high=len(run["choices"])))
            assert self.link is not None
            reply = await self.link.request("choose", seq=run["seq"],
                                            choice=run["choices"][int(answer) - 1]["id"])
            if not reply.get("ok"):
                raise ClientError(str(reply.get("message") or reply.get("result")))
