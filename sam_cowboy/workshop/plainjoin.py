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
from datetime import date
from typing import Any, TextIO

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.core.transfer import split_due
from sam_cowboy.learning_plain import shown
from sam_cowboy.learning_plain import words as transfer_words
from sam_cowboy.messages import t
from sam_cowboy.plain import plain_markdown
from sam_cowboy.workshop import identity
from sam_cowboy.workshop.client import ClientError, Link, join_session
from sam_cowboy.workshop.texts import debrief_lines, tally_lines, top_messages, w

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

    def choices(self, choices: list[dict[str, Any]], compose: dict[str, Any] | None) -> None:
        if compose is not None:
            if compose["prompt"]:
                self.say(plain_markdown(compose["prompt"]))
            for f in compose["fragments"]:
                self.say(f"  {f['n']}. {plain_markdown(f['text'])}")
            return
        self.say(t("choices", self.ui))
        for c in choices:
            self.say(f"  {c['n']}. {plain_markdown(c['text'])}")

    def tally(self, choices: list[dict[str, Any]], tally: dict[str, int], final: bool,
              compose: bool = False) -> None:
        self.say()
        self.say(w("tally_final" if final else "tally_open", self.ui))
        if compose:  # one line per message someone composed: the three most chosen
            self.say(w("top_messages", self.ui))
            for line in top_messages(choices, tally, self.ui,
                                     lambda x: plain_markdown(strip_controls(x))):
                self.say(line)
            return
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


def vote_prompt(s: dict[str, Any], ui: str) -> str:
    """What to type: a number among the choices, or a compose scene's fragments `2+4`."""
    spec = s.get("compose")
    if spec is None:
        return w("vote_prompt", ui, low=1, high=len(s["choices"]))
    low, high = spec["pick_min"], spec["pick_max"]
    pick = str(low) if low == high else f"{low}-{high}"
    return t("compose_how", ui, pick=pick, count=len(spec["fragments"])) + " "


def read_answer(answer: str, s: dict[str, Any], ui: str) -> dict[str, Any] | str:
    """The vote a typed line means (`{"choice": id}` or `{"fragments": [ids]}`), else the
    line that says what to type."""
    spec = s.get("compose")
    if spec is None:
        choices = s["choices"]
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return {"choice": choices[int(answer) - 1]["id"]}
        return t("not_a_choice", ui, low=1, high=len(choices))
    fragments = spec["fragments"]
    parts = [x.strip() for x in answer.replace(",", "+").split("+")]
    low, high = spec["pick_min"], spec["pick_max"]
    if all(x.isdigit() for x in parts) and low <= len(parts) <= high and \
            len(set(parts)) == len(parts) and all(1 <= int(x) <= len(fragments) for x in parts):
        return {"fragments": [fragments[int(x) - 1]["id"] for x in parts]}
    pick = str(low) if low == high else f"{low}-{high}"
    return t("compose_again", ui, pick=pick, count=len(fragments))


def choice_text(choices: list[dict[str, Any]], choice_id: str) -> str:
    return next((c["text"] for c in choices if c["id"] == choice_id), choice_id)


async def transfer_step(p: Printer, link: Link, d: dict[str, Any] | None,
                        next_line: Callable[[], Any]) -> None:
    """After the ending, as plain mode does it: one line answers the reflection question
    (empty: skip), then the numbers, then one line picks a proposed commitment by number or
    writes one's own, a last word YYYY-MM-DD setting its date (empty: skip). End of input
    skips whatever is left. What was stored already (a rejoin) is not asked again."""
    if d is None:
        return
    ui, tr = p.ui, d["transfer"]
    ended = False

    def text(value: str) -> str:  # the server's text, as printed: one line, no controls
        return plain_markdown(strip_controls(value)).replace("\n", " ")

    async def ask(prompt: str) -> str | None:
        nonlocal ended
        if ended:
            return None
        p.prompt(prompt)
        line = await next_line()
        if line is None:
            ended = True
            p.say()
            return None
        p.say(shown(line))
        return str(line).rstrip("\r\n")

    async def send(op: str, **fields: Any) -> dict[str, Any] | None:
        reply = await link.request(op, **fields)
        if not reply.get("ok"):
            p.say(w("not_recorded", ui, reason=shown(str(reply.get("message")))))
            return None
        return reply

    if not tr["reflection"]:
        p.say()
        p.say(f"# {transfer_words(ui, 'reflect')}")
        p.say(text(tr["question"]))
        answer = await ask(transfer_words(ui, "answer"))
        if answer and answer.strip():
            await send("reflect", text=answer)
    p.say()
    for line in debrief_lines(d, ui, text):
        p.say(line)
    done = tr["commitment"]
    if done:
        p.say()
        p.say(w("committed", ui, action=text(done["action"]), due=done["due"]))
        return
    due = date.fromisoformat(tr["due"])
    p.say()
    p.say(transfer_words(ui, "commit_on", due=tr["due"], choice=text(tr["about"]))
          if tr["about"] else transfer_words(ui, "commit", due=tr["due"]))
    for i, action in enumerate(tr["proposals"], 1):
        p.say(f"  {i}. {text(action)}")
    p.say(transfer_words(ui, "own"))
    typed = await ask(transfer_words(ui, "commit_pick"))
    if typed is None or not typed.strip():
        return
    picked, day = split_due(typed.strip(), due)
    if picked.isdigit() and 1 <= int(picked) <= len(tr["proposals"]):
        reply = await send("commit", proposal=int(picked), due=day.isoformat())
    else:
        reply = await send("commit", action=picked, due=day.isoformat())
    if reply is not None:
        p.say(w("committed", ui, action=text(reply["action"]), due=reply["due"]))


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
        if msg.get("assessment") and self.once(-1, "assess"):
            self.p.say(transfer_words(self.ui, "assess"))
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
            p.tally(prev["choices"], prev["tally"], final=True,
                    compose=prev.get("compose") is not None)
            p.outcome(prev, s["you"]["previous_vote"], prev["choices"])
        if phase == "ended":
            if self.once(step, "ended"):
                p.scene(s["scene"])
                p.say()
                p.say(w("session_ended", ui))
                p.say(f"== {w('personal', ui)} ==")
                self.done = True
            return
        if step != self.shown_step:
            self.shown_step = step
            p.scene(s["scene"])
            p.choices(s["choices"], s.get("compose"))
            mine = s["you"]["vote"]
            if mine is not None:
                self.voted_step = step
                p.say(w("your_vote", ui, choice=plain_markdown(choice_text(s["choices"], mine))))
        if phase == "open" and s.get("lock_in") is not None and self.once(step, "countdown"):
            p.say(w("closes_in", ui, seconds=round(s["lock_in"])))
        if phase == "locked" and self.once(step, "locked"):
            p.say(w("locked", ui))
        compose = s.get("compose") is not None
        if s.get("tally") is not None and phase == "open" and self.once(step, "tally"):
            p.tally(s["choices"], s["tally"], final=False, compose=compose)
        if phase == "decided" and s.get("outcome") and self.once(step, "outcome"):
            p.tally(s["choices"], s["tally"] or {}, final=True, compose=compose)
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
                self.p.prompt(vote_prompt(s, self.ui))
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
        pending = reading

        async def next_line() -> str | None:
            nonlocal pending
            if pending is not None:
                got, pending = pending, None
                return await got
            return await lines.get()

        assert self.link is not None and self.state is not None
        await transfer_step(self.p, self.link, self.state.get("debrief"), next_line)

    async def vote(self, line: str) -> None:
        p, ui, s = self.p, self.ui, self.state
        assert s is not None and self.link is not None
        answer = line.strip()
        p.say(strip_controls(answer))
        if s["phase"] != "open":
            p.say(w("too_late", ui))
            return
        vote = read_answer(answer, s, ui)
        if isinstance(vote, str):
            p.say(vote)
            return
        reply = await self.link.request("vote", step=s["step"], **vote)
        if reply.get("ok"):
            self.voted_step = s["step"]
            text = choice_text(s["choices"], str(reply.get("choice")))
            p.say(w("voted", ui, choice=plain_markdown(text)))
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
            if msg.get("assessment") and self.run is None:
                self.p.say(transfer_words(self.p.ui, "assess"))
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
            assert self.link is not None
            if run["ended"]:
                await transfer_step(p, self.link, run.get("debrief"), lines.get)
                return
            p.choices(run["choices"], run.get("compose"))
            while True:
                p.prompt(t("prompt", ui, low=1, high=len(run["choices"]))
                         if run.get("compose") is None else vote_prompt(run, ui))
                line = await lines.get()
                if line is None:
                    p.say()
                    p.say(t("input_ended", ui))
                    return
                answer = line.strip()
                p.say(strip_controls(answer))
                vote = read_answer(answer, run, ui)
                if not isinstance(vote, str):
                    break
                p.say(vote)
            reply = await self.link.request("choose", seq=run["seq"], **vote)
            if not reply.get("ok"):
                raise ClientError(str(reply.get("message") or reply.get("result")))
