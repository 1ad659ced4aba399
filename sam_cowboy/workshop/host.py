"""`workshop host CODE`: the projector view, driven by the facilitator's keys.

A client of the workshop server like any other (it holds the facilitator key, never a
database URL). It shows how to join (the join URL in large type and its QR code), the scene
with its Markdown rendered, who has voted (a count in anonymous sessions), the tally once
revealed, and the trainer notes only when the facilitator presses `n`.
"""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Footer, Markdown, Static

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.workshop.bigtext import big
from sam_cowboy.workshop.client import ClientError, Link
from sam_cowboy.workshop.plainhost import state_lines
from sam_cowboy.workshop.texts import compose_lines, tally_lines


def qr_text(url: str) -> Text:
    """The QR code of `url` in half blocks (two modules per character cell), dark on light."""
    import segno

    rows = [list(r) for r in segno.make(url, error="l").matrix_iter(border=2)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    out = Text(style="black on white", no_wrap=True)
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        for a, b in zip(top, bottom, strict=True):
            out.append("█" if a and b else "▀" if a else "▄" if b else " ")
        out.append("\n")
    out.rstrip()
    return out


def scene_markdown(scene: dict[str, Any]) -> str:
    """The scene as Markdown: the episode's own Markdown, headings only from its title."""
    parts = []
    if scene["title"]:
        parts.append("## " + scene["title"].replace("\n", " "))
    parts += scene["paragraphs"]
    card = scene.get("card")
    if card:
        parts += ["> " + v.replace("\n", "\n> ") for v in card["fields"].values()]
    ending = scene.get("ending")
    if ending:
        parts.append(f"**{ending['title'] or ending['kind']}**")
    return "\n\n".join(parts)


class HostApp(App[int]):
    TITLE = "Sam the Social Cowboy — workshop"
    CSS = """
    #join { height: auto; padding: 0 1; }
    #join-url { width: 1fr; text-style: bold; content-align: center middle; height: auto; padding: 1 2;
                background: $boost; }
    #qr { width: auto; height: auto; margin: 0 2; }
    #status { height: auto; color: $warning; }
    #main { height: 1fr; }
    #scene { width: 3fr; height: 1fr; }
    #side { width: 2fr; height: 1fr; padding: 0 1; }
    #notes { display: none; border: round $accent; height: auto; padding: 0 1; }
    #notes.shown { display: block; }
    """
    BINDINGS = [
        Binding("r", "reveal", "reveal/hide tally"),
        Binding("t", "countdown", "countdown"),
        Binding("l", "lock", "lock"),
        Binding("enter,space", "next", "next scene"),
        *[Binding(str(n), f"pick({n})", f"pick {n}", show=False) for n in range(1, 10)],
        Binding("n", "notes", "trainer notes"),
        Binding("e", "end", "end session"),
        Binding("q", "quit", "quit"),
    ]
    LIVE_ONLY = {"reveal", "countdown", "lock", "next", "pick", "notes"}

    def __init__(self, server: str, code: str, key: str, countdown: float = 20.0) -> None:
        super().__init__()
        self.server = server
        self.code = code
        self.key = key
        self.countdown = countdown
        self.state: dict[str, Any] = {}
        self.notes_shown = False
        self.link = Link(server, {"role": "facilitator", "code": code, "key": key},
                         self.on_server)
        self.error: str | None = None
        self.deadline: float | None = None
        self.end_asked = 0.0

    def compose(self) -> ComposeResult:
        with Horizontal(id="join"):
            yield Static(id="join-url")
            yield Static(id="qr")
        yield Static(id="status")
        with Horizontal(id="main"):
            with VerticalScroll(id="scene"):
                yield Markdown(id="scene-md")
            with Vertical(id="side"):
                yield Static(id="votes")
                yield Static(id="tally")
                yield Static(id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self.stay_connected(), exclusive=True)
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        """The countdown, second by second, between the server's pushes."""
        if self.deadline is not None and self.state.get("phase") == "open":
            self.query_one("#votes", Static).update(self.votes_text())

    async def stay_connected(self) -> None:
        try:
            await self.link.run()
        except ClientError as e:
            self.error = str(e)
            self.exit(1)

    async def on_server(self, msg: dict[str, Any]) -> None:
        if msg["type"] == "status":
            self.query_one("#status", Static).update(
                Text("reconnecting…" if msg["status"] == "reconnecting" else ""))
        elif msg["type"] == "state" and self.is_running:
            old_mode = self.state.get("mode")
            self.state = msg
            if old_mode != msg.get("mode"):
                self.refresh_bindings()
            try:
                await self.draw()
            except NoMatches:
                pass  # a state arriving as the app closes

    async def draw(self) -> None:
        s = self.state
        url = str(s.get("join_url", ""))
        join = Text(f"Join: {url}\n\n", style="bold")
        join.append(big(self.code), style="bold")
        self.query_one("#join-url", Static).update(join)
        self.query_one("#qr", Static).update(qr_text(url) if url else Text(""))
        if s.get("mode") == "async":
            await self.query_one("#scene-md", Markdown).update(
                f"## {strip_controls(str(s.get('title') or self.code))} (async)")
            self.query_one("#votes", Static).update(Text("\n".join(state_lines(s))))
            return
        await self.query_one("#scene-md", Markdown).update(scene_markdown(s["scene"]))
        self.deadline = None if s.get("lock_in") is None else time.monotonic() + s["lock_in"]
        self.query_one("#votes", Static).update(self.votes_text())
        tally = Text()
        if s.get("compose"):  # one message per person: counts, top messages, the room's
            tally = Text("\n".join(compose_lines(s)))
        elif s["revealed"] or s["phase"] in ("decided", "ended"):
            tally = Text("\n".join(tally_lines([c["text"] for c in s["choices"]],
                                               [c["id"] for c in s["choices"]],
                                               s.get("tally") or {}, s["lang"])))
        if s.get("outcome"):
            tally.append(f"\nThe room chose: {s['outcome']['winner_text']}", style="bold")
        self.query_one("#tally", Static).update(tally)
        notes = self.query_one("#notes", Static)
        notes.update(Text(s.get("notes") or "(no trainer notes for this scene)"))
        notes.set_class(self.notes_shown, "shown")

    def votes_text(self) -> Text:
        s = self.state
        voters = s.get("voters") or []
        who = f"{s['votes_cast']} of {s['participants']} voted"
        if voters and not s["anonymous"]:
            who += ": " + ", ".join(voters)
        phase = s["phase"]
        if self.deadline is not None and phase == "open":
            phase += f" — closes in {max(0, round(self.deadline - time.monotonic()))} s"
        return Text(f"{phase}\n{who}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows only the keys of the session's mode."""
        if self.state.get("mode") == "async" and action in self.LIVE_ONLY:
            return None
        return True

    async def send(self, op: str, **fields: Any) -> None:
        reply = await self.link.request(op, step=self.state.get("step"), **fields)
        if not reply.get("ok"):
            self.notify(str(reply.get("message")), severity="warning", markup=False)

    async def action_reveal(self) -> None:
        await self.send("hide" if self.state.get("revealed") else "reveal")

    async def action_countdown(self) -> None:
        await self.send("countdown", seconds=self.countdown)

    async def action_lock(self) -> None:
        await self.send("lock")

    async def action_next(self) -> None:
        await self.send("next")

    async def action_pick(self, number: int) -> None:
        await self.send("pick", number=number)

    async def action_end(self) -> None:
        """Ending is for good: a second `e` within 3 s confirms it."""
        now = time.monotonic()
        if now - self.end_asked > 3:
            self.end_asked = now
            self.notify("Press e again to end the session for everyone.", markup=False)
            return
        self.end_asked = 0.0
        await self.send("end")

    async def action_notes(self) -> None:
        self.notes_shown = not self.notes_shown
        self.query_one("#notes", Static).set_class(self.notes_shown, "shown")

    async def action_quit(self) -> None:
        await self.link.close()
        self.exit(0)


def run_host(server: str, code: str, key: str, countdown: float = 20.0) -> int:
    app = HostApp(server, code, key, countdown)
    result = app.run()
    if app.error:
        raise ClientError(app.error, "key" if "facilitator key" in app.error else "error")
    return result or 0
