"""`workshop join JOIN_URL`: the participant app, a client of the workshop server.

Without a code or a name it asks for them. Then: the scene (Markdown rendered), the choices
as buttons numbered 1, 2, 3 with focus on the first, the number keys voting directly, the
countdown, the tally when the facilitator reveals it, the room's choice, and at the end the
personal debrief. If the connection drops it says "reconnecting" and carries on.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Button, Footer, Input, Markdown, Static

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.workshop import identity
from sam_cowboy.workshop.client import ClientError, Link, join_session
from sam_cowboy.workshop.host import scene_markdown
from sam_cowboy.workshop.session import SessionError, normalise_code
from sam_cowboy.workshop.texts import debrief_lines, tally_lines, w


class ChoiceButton(Button):
    def __init__(self, number: int, choice: dict[str, Any]) -> None:
        super().__init__(Text(f"{number}. {choice['text']}"), id=f"choice-{number}")
        self.number = number
        self.choice = choice


class JoinApp(App[int]):
    TITLE = "Sam the Social Cowboy — workshop"
    CSS = """
    #form { padding: 1 2; height: auto; }
    #status { height: auto; color: $warning; }
    #scene { height: 1fr; }
    #choices { height: auto; }
    #choices Button { width: 100%; height: auto; min-height: 3; content-align: left middle; }
    #choices Button.mine { text-style: bold reverse; }
    #info { height: auto; padding: 0 1; }
    """
    BINDINGS = [*[Binding(str(n), f"vote({n})", f"vote {n}", show=n <= 3)
                  for n in range(1, 10)],
                Binding("q", "quit", "quit")]

    def __init__(self, server: str, code: str = "", name: str | None = None,
                 ui: str = "en") -> None:
        super().__init__()
        self.server = server
        self.code = code
        self.wanted_name = name or ""
        self.ui = ui
        self.state: dict[str, Any] = {}
        self.link: Link | None = None
        self.shown: tuple[int, str] | None = None
        self.error: str | None = None
        self.error_kind = "error"

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(w("code_label", self.ui)))
            yield Input(value=self.code, id="code", max_length=9)
            yield Static(Text(w("name_label", self.ui)))
            yield Input(value=self.wanted_name, id="name", max_length=40)
            yield Button(Text(w("join", self.ui)), id="join-button", variant="primary")
            yield Static(id="form-error")
        yield Static(id="status")
        with VerticalScroll(id="scene"):
            yield Static(id="who")
            yield Markdown(id="scene-md")
            yield Vertical(id="choices")
            yield Static(id="info")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scene").display = False
        if self.code and self.wanted_name:  # from the command line: a refusal ends (exit 1)
            self.run_worker(self.join(self.code, self.wanted_name, final=True), exclusive=True)
        else:
            self.query_one("#code" if not self.code else "#name", Input).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, ChoiceButton):
            await self.vote(event.button.choice)
        elif event.button.id == "join-button":
            await self.submit()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        await self.submit()

    async def submit(self) -> None:
        code = self.query_one("#code", Input).value
        name = strip_controls(self.query_one("#name", Input).value).strip()
        try:
            code = normalise_code(code)
        except SessionError as e:
            self.query_one("#form-error", Static).update(Text(str(e)))
            return
        if not name:
            self.query_one("#form-error", Static).update(Text(w("name_label", self.ui)))
            return
        self.run_worker(self.join(code, name), exclusive=True)

    async def join(self, code: str, name: str, final: bool = False) -> None:
        token = identity.recall_token(self.server, code, name)
        try:
            joined = await join_session(self.server, code, name, token)
        except ClientError as e:
            if final:
                self.error, self.error_kind = str(e), e.kind
                self.exit(1)
                return
            self.query_one("#form").display = True
            self.query_one("#form-error", Static).update(Text(str(e)))
            return
        identity.remember_token(self.server, code, name, joined["token"])
        self.code = code
        self.query_one("#form").display = False
        self.query_one("#scene").display = True
        self.query_one("#who", Static).update(
            Text(f"{code} · {joined['name']}" + (f" ({w('anonymous_note', self.ui)})"
                                                  if joined["anonymous"] else "")))
        self.link = Link(self.server, {"role": "participant", "code": code,
                                       "token": joined["token"]}, self.on_server)
        try:
            await self.link.run()
        except ClientError as e:
            self.error, self.error_kind = str(e), e.kind
            self.exit(1)

    async def on_server(self, msg: dict[str, Any]) -> None:
        if msg["type"] == "status":
            self.query_one("#status", Static).update(
                Text(w("reconnecting", self.ui) if msg["status"] == "reconnecting" else ""))
        elif msg["type"] == "state" and self.is_running:
            self.state = msg
            try:
                await self.draw()
            except NoMatches:
                pass  # a state arriving as the app closes

    def view(self) -> dict[str, Any]:
        s = self.state
        return s if s.get("mode") == "live" else (s.get("run") or {})

    async def draw(self) -> None:
        s = self.state
        live = s.get("mode") == "live"
        v = self.view()
        if not v.get("scene"):
            return
        key = (int(s["step"] if live else v["seq"]), str(s.get("phase")))
        new_scene = self.shown is None or self.shown[0] != key[0]
        if new_scene:
            await self.query_one("#scene-md", Markdown).update(scene_markdown(v["scene"]))
        self.shown = key
        box = self.query_one("#choices", Vertical)
        choices = v.get("choices") or []
        mine = s.get("you", {}).get("vote") if live else None
        open_ = (s["phase"] == "open") if live else not v.get("ended")
        if new_scene or len(box.children) != len(choices):
            await box.remove_children()
            await box.mount_all(ChoiceButton(c["n"], c) for c in choices)
            if choices and open_:
                box.children[0].focus()
        for b in box.query(ChoiceButton):
            b.disabled = not open_
            b.set_class(b.choice["id"] == mine, "mine")
        self.query_one("#info", Static).update(self.info_text())

    def info_text(self) -> Text:
        s, ui = self.state, self.ui
        v = self.view()
        out = Text()
        if s.get("mode") != "live":
            last = v.get("last")
            for f in (last or {}).get("feedback", []):
                out.append(f + "\n")
            if v.get("debrief"):
                out.append("\n".join(debrief_lines(v["debrief"], ui)) + "\n")
            return out
        phase = s["phase"]
        if phase == "open" and s.get("lock_in") is not None:
            out.append(w("closes_in", ui, seconds=round(s["lock_in"])) + "\n", style="bold")
        elif phase == "locked":
            out.append(w("locked", ui) + "\n")
        if s.get("tally") is not None and phase != "ended":
            out.append(w("tally_open" if phase == "open" else "tally_final", ui) + "\n")
            out.append("\n".join(tally_lines([c["text"] for c in s["choices"]],
                                             [c["id"] for c in s["choices"]], s["tally"], ui))
                       + "\n")
        o = s.get("outcome")
        if o:
            out.append(w("room_chose", ui, choice=o["winner_text"]) + "\n", style="bold")
            for f in o["feedback"]:
                out.append(f + "\n")
        if phase == "ended":
            out.append(w("session_ended", ui) + "\n" + w("personal", ui) + "\n")
            if s.get("debrief"):
                out.append("\n".join(debrief_lines(s["debrief"], ui)) + "\n")
        return out

    async def vote(self, choice: dict[str, Any]) -> None:
        if self.link is None:
            return
        s = self.state
        if s.get("mode") == "live":
            reply = await self.link.request("vote", step=s["step"], choice=choice["id"])
        else:
            reply = await self.link.request("choose", seq=self.view()["seq"],
                                            choice=choice["id"])
        if not reply.get("ok"):
            self.notify(str(reply.get("message")), severity="warning", markup=False)
        elif s.get("mode") == "live":
            s.setdefault("you", {})["vote"] = choice["id"]
            for b in self.query(ChoiceButton):
                b.set_class(b.choice["id"] == choice["id"], "mine")
            self.notify(w("voted", self.ui, choice=choice["text"]), markup=False)

    async def action_vote(self, number: int) -> None:
        if isinstance(self.focused, Input):
            return
        for b in self.query(ChoiceButton):
            if b.number == number and not b.disabled:
                b.focus()
                await self.vote(b.choice)

    async def action_quit(self) -> None:
        if self.link is not None:
            if self.state.get("mode") == "live" and self.state.get("phase") != "ended":
                try:  # leaving before the end: the run is abandoned (until one rejoins)
                    await asyncio.wait_for(self.link.request("leave"), 2)
                except (TimeoutError, ClientError):
                    pass
            await self.link.close()
        self.exit(0)


def run_join(server: str, code: str, name: str | None, ui: str) -> int:
    app = JoinApp(server, code, name, ui)
    result = app.run()
    if app.error:
        raise ClientError(app.error, app.error_kind)
    return result or 0
