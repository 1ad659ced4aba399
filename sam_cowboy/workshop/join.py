"""`workshop join JOIN_URL`: the participant app, a client of the workshop server.

Without a code or a name it asks for them. Then: the scene (Markdown rendered), the choices
as buttons numbered 1, 2, 3 with focus on the first, the number keys voting directly (on a
compose scene they pick fragments, in the message's order, and Send votes the message), the
countdown, the tally when the facilitator reveals it, the room's choice, and at the end the
transfer step: one reflection question, then the personal debrief, then one commitment. If
the connection drops it says "reconnecting" and carries on.
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
from sam_cowboy.core.transfer import parse_day
from sam_cowboy.learning_plain import words as transfer_words
from sam_cowboy.workshop import identity
from sam_cowboy.workshop.client import ClientError, Link, join_session
from sam_cowboy.workshop.host import scene_markdown
from sam_cowboy.workshop.session import SessionError, normalise_code
from sam_cowboy.workshop.texts import debrief_lines, tally_lines, top_messages, w


class ChoiceButton(Button):
    def __init__(self, number: int, choice: dict[str, Any]) -> None:
        super().__init__(Text(f"{number}. {choice['text']}"), id=f"choice-{number}")
        self.number = number
        self.choice = choice


class FragmentButton(Button):
    """A piece of the message on a compose scene: pressing it puts it in (or takes it out)."""

    def __init__(self, fragment: dict[str, Any]) -> None:
        super().__init__(Text(f"{fragment['n']}. {fragment['text']}"),
                         id=f"fragment-{fragment['n']}")
        self.number = int(fragment["n"])
        self.fragment = fragment


class ProposalButton(Button):
    def __init__(self, number: int, action: str) -> None:
        super().__init__(Text(f"{number}. {strip_controls(action)}"), id=f"proposal-{number}")
        self.number = number


class JoinApp(App[int]):
    TITLE = "Sam the Social Cowboy — workshop"
    CSS = """
    #form { padding: 1 2; height: auto; }
    #status { height: auto; color: $warning; }
    #scene { height: 1fr; }
    #choices { height: auto; }
    #choices Button { width: 100%; height: auto; min-height: 3; content-align: left middle; }
    #choices Button.mine, #choices Button.picked { text-style: bold reverse; }
    #info { height: auto; padding: 0 1; }
    #transfer { height: auto; padding: 0 1; }
    #transfer Button { width: 100%; height: auto; min-height: 3; content-align: left middle; }
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
        self.message: list[str] = []  # a compose scene: the fragment ids picked, in order
        self.reflected = False  # the reflection question answered or skipped here
        self.commit_skipped = False
        self.committed: dict[str, str] | None = None
        self.transfer_stage = ""

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
            yield Vertical(id="transfer")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scene").display = False
        if self.code and self.wanted_name:  # from the command line: a refusal ends (exit 1)
            self.run_worker(self.join(self.code, self.wanted_name, final=True), exclusive=True)
        else:
            self.query_one("#code" if not self.code else "#name", Input).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        b = event.button
        if isinstance(b, ChoiceButton):
            await self.vote(b.choice)
        elif isinstance(b, FragmentButton):
            await self.pick_fragment(b.fragment["id"])
        elif isinstance(b, ProposalButton):
            await self.commit(proposal=b.number)
        elif b.id == "compose-send":
            await self.vote(None)
        elif b.id == "compose-clear":
            self.message = []
            await self.draw()
        elif b.id == "reflect-send":
            await self.reflect(self.query_one("#reflection", Input).value)
        elif b.id == "reflect-skip":
            await self.reflect("")
        elif b.id == "commit-send":
            await self.commit(action=self.query_one("#commit-own", Input).value)
        elif b.id == "commit-skip":
            self.commit_skipped = True
            await self.draw()
        elif b.id == "join-button":
            await self.submit()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "reflection":
            await self.reflect(event.value)
        elif event.input.id in ("commit-own", "commit-date"):
            await self.commit(action=self.query_one("#commit-own", Input).value)
        else:
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
            if msg.get("assessment") and not self.state:
                self.notify(transfer_words(self.ui, "assess"), markup=False)
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
        spec = v.get("compose")
        choices = v.get("choices") or []
        mine = s.get("you", {}).get("vote") if live else None
        open_ = (s["phase"] == "open") if live else not v.get("ended")
        if new_scene:
            self.message = []
        if spec is not None:
            await self.draw_compose(box, spec, new_scene, open_)
        elif new_scene or len(box.children) != len(choices):
            await box.remove_children()
            await box.mount_all(ChoiceButton(c["n"], c) for c in choices)
            if choices and open_:
                box.children[0].focus()
        for b in box.query(ChoiceButton):
            b.disabled = not open_
            b.set_class(b.choice["id"] == mine, "mine")
        self.query_one("#info", Static).update(self.info_text())
        await self.draw_transfer(v.get("debrief") if not live else s.get("debrief"))

    async def draw_compose(self, box: Vertical, spec: dict[str, Any], new_scene: bool,
                           open_: bool) -> None:
        """The fragments as buttons, the message so far, Send and Clear."""
        if new_scene or not box.query(FragmentButton):
            await box.remove_children()
            widgets: list[Static | Button] = []
            if spec["prompt"]:
                widgets.append(Static(Text(strip_controls(spec["prompt"]))))
            widgets += [FragmentButton(f) for f in spec["fragments"]]
            widgets += [Static(id="message"),
                        Button(Text(w("compose_send", self.ui)), id="compose-send",
                               variant="primary", disabled=True),
                        Button(Text(w("compose_clear", self.ui)), id="compose-clear",
                               disabled=True)]
            await box.mount_all(widgets)
            if open_:
                box.query(FragmentButton).first().focus()
        texts = {f["id"]: f["text"] for f in spec["fragments"]}
        message = spec["separator"].join(texts[i] for i in self.message if i in texts)
        self.query_one("#message", Static).update(
            Text(w("your_message", self.ui, message=strip_controls(message))))
        for b in box.query(FragmentButton):
            b.disabled = not open_
            b.set_class(b.fragment["id"] in self.message, "picked")
        count = len(self.message)
        self.query_one("#compose-send", Button).disabled = \
            not open_ or not spec["pick_min"] <= count <= spec["pick_max"]
        self.query_one("#compose-clear", Button).disabled = not open_ or not count

    async def pick_fragment(self, fragment_id: str) -> None:
        if fragment_id in self.message:
            self.message.remove(fragment_id)
        else:
            self.message.append(fragment_id)
        await self.draw()

    def transfer_of(self, d: dict[str, Any] | None) -> str:
        """Where the transfer step is: reflect, commit, done, skipped ('' before the end)."""
        if not d:
            return ""
        tr = d["transfer"]
        if not tr["reflection"] and not self.reflected:
            return "reflect"
        if self.committed or tr["commitment"]:
            return "done"
        return "skipped" if self.commit_skipped else "commit"

    async def draw_transfer(self, d: dict[str, Any] | None) -> None:
        """After the ending: the question, then (with the numbers in #info) one commitment.
        Built again only when its stage changes, so a push never wipes what is typed."""
        stage = self.transfer_of(d)
        if stage == self.transfer_stage:
            return
        self.transfer_stage = stage
        box = self.query_one("#transfer", Vertical)
        await box.remove_children()
        if not d or stage == "skipped":
            return
        tr, ui = d["transfer"], self.ui
        widgets: list[Static | Button | Input] = []
        if stage == "reflect":
            widgets += [Static(Text(transfer_words(ui, "reflect"), style="bold")),
                        Static(Text(strip_controls(tr["question"]))),
                        Input(id="reflection", max_length=1000,
                              placeholder=transfer_words(ui, "answer").rstrip(": ")),
                        Button(Text(w("compose_send", ui)), id="reflect-send",
                               variant="primary"),
                        Button(Text(w("skip", ui)), id="reflect-skip")]
        elif stage == "done":
            done = self.committed or tr["commitment"]
            widgets.append(Static(Text(w("committed", ui, action=strip_controls(done["action"]),
                                         due=done["due"]), style="bold")))
        else:
            heading = transfer_words(ui, "commit_on", due=tr["due"],
                                     choice=strip_controls(tr["about"])) if tr["about"] \
                else transfer_words(ui, "commit", due=tr["due"])
            widgets.append(Static(Text(heading, style="bold")))
            widgets += [ProposalButton(i, a) for i, a in enumerate(tr["proposals"], 1)]
            widgets += [Static(Text(w("commit_own", ui))),
                        Input(id="commit-own", max_length=1000),
                        Static(Text(w("commit_date", ui))),
                        Input(value=tr["due"], id="commit-date", max_length=10),
                        Button(Text(w("commit_own", ui)), id="commit-send", variant="primary"),
                        Button(Text(w("skip", ui)), id="commit-skip")]
        await box.mount_all(widgets)
        for widget in box.query("Input, ProposalButton").results():
            widget.focus()
            break
        self.query_one("#info", Static).update(self.info_text())

    async def reflect(self, text: str) -> None:
        if self.link is not None and text.strip():
            reply = await self.link.request("reflect", text=text)
            if not reply.get("ok"):
                self.notify(str(reply.get("message")), severity="warning", markup=False)
                return
        self.reflected = True
        await self.draw()

    async def commit(self, proposal: int | None = None, action: str | None = None) -> None:
        if self.link is None:
            return
        due = self.query_one("#commit-date", Input).value.strip()
        if parse_day(due) is None:
            self.notify(w("commit_date", self.ui), severity="warning", markup=False)
            return
        if proposal is not None:
            reply = await self.link.request("commit", proposal=proposal, due=due)
        elif action and action.strip():
            reply = await self.link.request("commit", action=action.strip(), due=due)
        else:
            return
        if not reply.get("ok"):
            self.notify(str(reply.get("message")), severity="warning", markup=False)
            return
        self.committed = {"action": str(reply["action"]), "due": str(reply["due"])}
        await self.draw()

    def info_text(self) -> Text:
        s, ui = self.state, self.ui
        v = self.view()
        out = Text()
        if s.get("mode") != "live":
            last = v.get("last")
            for f in (last or {}).get("feedback", []):
                out.append(f + "\n")
            if v.get("debrief") and self.transfer_stage != "reflect":
                out.append("\n".join(debrief_lines(v["debrief"], ui)) + "\n")
            return out
        phase = s["phase"]
        if phase == "open" and s.get("lock_in") is not None:
            out.append(w("closes_in", ui, seconds=round(s["lock_in"])) + "\n", style="bold")
        elif phase == "locked":
            out.append(w("locked", ui) + "\n")
        if s.get("tally") is not None and phase != "ended":
            out.append(w("tally_open" if phase == "open" else "tally_final", ui) + "\n")
            if s.get("compose"):  # one message per person: the three most chosen
                out.append(w("composed", ui, n=s["votes_cast"], of=s["participants"]) + "\n")
                out.append(w("top_messages", ui) + "\n")
                out.append("\n".join(top_messages(s["choices"], s["tally"], ui)) + "\n")
            else:
                out.append("\n".join(tally_lines([c["text"] for c in s["choices"]],
                                                 [c["id"] for c in s["choices"]], s["tally"],
                                                 ui)) + "\n")
        o = s.get("outcome")
        if o:
            out.append(w("room_chose", ui, choice=o["winner_text"]) + "\n", style="bold")
            for f in o["feedback"]:
                out.append(f + "\n")
        if phase == "ended":
            out.append(w("session_ended", ui) + "\n" + w("personal", ui) + "\n")
            if s.get("debrief") and self.transfer_stage != "reflect":
                out.append("\n".join(debrief_lines(s["debrief"], ui)) + "\n")
        return out

    async def vote(self, choice: dict[str, Any] | None) -> None:
        """Vote for `choice`, or (None) for the message composed from the fragments."""
        if self.link is None:
            return
        s = self.state
        what: dict[str, Any] = {"choice": choice["id"]} if choice is not None \
            else {"fragments": list(self.message)}
        if s.get("mode") == "live":
            reply = await self.link.request("vote", step=s["step"], **what)
        else:
            reply = await self.link.request("choose", seq=self.view()["seq"], **what)
        if not reply.get("ok"):
            self.notify(str(reply.get("message")), severity="warning", markup=False)
        elif s.get("mode") == "live":
            voted = str(reply.get("choice"))
            s.setdefault("you", {})["vote"] = voted
            for b in self.query(ChoiceButton):
                b.set_class(b.choice["id"] == voted, "mine")
            text = next((c["text"] for c in s.get("choices") or [] if c["id"] == voted), voted)
            self.notify(w("voted", self.ui, choice=text), markup=False)

    async def action_vote(self, number: int) -> None:
        if isinstance(self.focused, Input):
            return
        for f in self.query(FragmentButton):
            if f.number == number and not f.disabled:
                f.focus()
                await self.pick_fragment(f.fragment["id"])
                return
        for p in self.query(ProposalButton):  # after the ending: a number picks a proposal
            if p.number == number:
                await self.commit(proposal=number)
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
