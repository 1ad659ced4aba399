"""`workshop host CODE --plain`: the facilitator in plain text (screen readers, scripts).

One command per line on standard input: reveal, hide, lock, countdown N, pick N, next,
notes, end. After each, the room's state in plain text. End of input leaves the session as
it is. Each command carries the step it was typed for, so one repeated after a lost reply
is not applied twice.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any, TextIO

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.plain import plain_markdown
from sam_cowboy.workshop.client import Link
from sam_cowboy.workshop.plainjoin import Lines
from sam_cowboy.workshop.texts import compose_lines, tally_lines

COMMANDS = ("reveal", "hide", "lock", "countdown N", "pick N", "next", "notes", "end")
SETTLE = 2.0  # s to wait for the state that follows a command


def state_lines(s: dict[str, Any]) -> list[str]:
    """The room's state: scene, phase, votes cast / participants, tally when revealed."""
    if s.get("mode") == "async":
        lines = [f"session {s['code']} (async): {s['participants']} participants"]
        for p in s.get("progress", []):
            lines.append(f"  {p['name']}: {p['status']}, {p['decisions']} decisions"
                         + (f", {p['overall']}%" if p["overall"] is not None else ""))
        return lines
    scene = s["scene"]
    title = plain_markdown(scene["title"]) if scene["title"] else scene["id"]
    lines = [f"scene {s['step'] + 1}: {title}",
             f"phase: {s['phase']}" + (f" (closes in {round(s['lock_in'])} s)"
                                       if s.get("lock_in") is not None else ""),
             f"votes: {s['votes_cast']} / {s['participants']}"]
    if s.get("voters"):
        lines.append("voted: " + ", ".join(s["voters"]))
    if s.get("compose"):
        lines += compose_lines(s, lambda x: plain_markdown(strip_controls(x)))
    elif (s["revealed"] or s["phase"] in ("decided", "ended")) and s["choices"]:
        lines.append("tally:")
        lines += tally_lines([plain_markdown(c["text"]) for c in s["choices"]],
                             [c["id"] for c in s["choices"]], s.get("tally") or {}, s["lang"])
    elif s["choices"]:
        lines.append("choices: " + "; ".join(f"{c['n']}. {plain_markdown(c['text'])}"
                                              for c in s["choices"]))
    if s.get("outcome"):
        lines.append(f"the room's choice: {plain_markdown(s['outcome']['winner_text'])}")
    if scene.get("ending"):
        lines.append(f"ending: {plain_markdown(scene['ending']['title'] or scene['id'])}")
    return lines


def host_plain(server: str, code: str, key: str, out: TextIO,
               read_line: Callable[[], str | None], err: TextIO = sys.stderr) -> int:
    return asyncio.run(_host(server, code, key, out, read_line, err))


async def _host(server: str, code: str, key: str, out: TextIO,
                read_line: Callable[[], str | None], err: TextIO) -> int:
    latest: dict[str, Any] = {}
    changed = asyncio.Event()

    def say(line: str = "") -> None:
        out.write(line + "\n")
        out.flush()

    async def on_message(msg: dict[str, Any]) -> None:
        if msg["type"] == "state":
            latest.clear()
            latest.update(msg)
            changed.set()
        elif msg["type"] == "status":
            say("(reconnecting…)" if msg["status"] == "reconnecting" else "(reconnected)")

    link = Link(server, {"role": "facilitator", "code": code, "key": key}, on_message)
    runner = asyncio.ensure_future(link.run())

    async def settle(version: int | None) -> None:
        """Until a state newer than `version` came (or SETTLE s passed)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + SETTLE
        while latest.get("version") == version or not latest:
            changed.clear()
            waiter = asyncio.ensure_future(changed.wait())
            done, _ = await asyncio.wait({waiter, runner}, timeout=max(0.0, end - loop.time()),
                                         return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
            if runner.done():
                runner.result()
            if not done:
                return

    try:
        await settle(None)
        for line in state_lines(latest):
            say(line)
        lines = Lines(read_line)
        while True:
            text = await lines.get()
            if text is None:
                return 0
            words = text.split()
            if not words:
                continue
            op, args = words[0].lower(), words[1:]
            if op == "notes":
                notes = latest.get("notes") or "(no trainer notes for this scene)"
                say("notes: " + plain_markdown(notes))
                continue
            request: dict[str, Any] = {"step": latest.get("step")}
            if op in ("countdown", "pick"):
                if len(args) != 1 or not args[0].isdigit():
                    print(f"sam-cowboy: `{op}` needs a number: {op} N", file=err)
                    continue
                request["seconds" if op == "countdown" else "number"] = int(args[0])
            elif op not in ("reveal", "hide", "lock", "next", "end") or args:
                print(f"sam-cowboy: unknown command `{text.strip()[:40]}` (commands: "
                      f"{', '.join(COMMANDS)})", file=err)
                continue
            before = latest.get("version")
            reply = await link.request(op, **request)
            if not reply.get("ok"):
                print(f"sam-cowboy: {reply.get('message')}", file=err)
            elif reply.get("result") != "already":
                await settle(before)
            for line in state_lines(latest):
                say(line)
    finally:
        await link.close()
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
