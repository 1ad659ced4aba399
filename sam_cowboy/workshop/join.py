"""`workshop join CODE --name NAME`: the participant's terminal app (also served to browsers).

Without a code or a name (as under `sam-cowboy serve`), it first asks for both. Live mode:
the room's current scene, one button per choice; a vote can be changed until it locks; then
the room's choice and its consequence; at the end, the personal debrief. Async mode: the
episode at one's own pace, recorded in the session; joining again resumes. Everything a
person typed or an episode says is drawn as Text (or plain Content), never as markup.

The form's fields never hold a control character: a pasted ESC, BEL or C1 (`\x9b`, the
8-bit CSI) is stripped before it reaches the field, so nothing a participant pastes is
echoed to the terminal as a command, and a refused keystroke does not ring the bell.
Once joined, the top line says which session and which name ("KXTPRM · Zoé"). When the
facilitator reveals the tally, it is shown here too, with counts and percents in words.
"""

from __future__ import annotations

import io
import re
import time

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from sam_cowboy.core import engine
from sam_cowboy.core.engine import FeedbackShown, State
from sam_cowboy.core.i18n import render, scene_paragraphs, strip_controls
from sam_cowboy.plain import PlainPlayer
from sam_cowboy.results.recorder import RunRecorder
from sam_cowboy.results.store import Store, StoreError
from sam_cowboy.workshop.session import Session, SessionError, clean_name
from sam_cowboy.workshop.texts import tally_lines, w

POLL_SECONDS = 0.3
TOUCH_EVERY = 5.0
NO_CONTROLS = r"[^\x00-\x1f\x7f-\x9f]*"  # what a field's whole value must match


def without_controls(text: str) -> str:
    """Text for a one-line field: escape sequences and control characters removed, tabs
    and line breaks as spaces."""
    return strip_controls(re.sub(r"[\t\r\n]", " ", text))


class CleanInput(Input):
    """An Input that never holds a control character (typed, pasted or set)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(restrict=NO_CONTROLS, **kwargs)  # type: ignore[arg-type]

    def validate_value(self, value: str) -> str:  # Textual calls it on every assignment
        return without_controls(value)

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(without_controls(text), start, end)

    def restricted(self) -> None:
        """Refused (too long): no bell, which would be one more control character."""


class JoinApp(App[None]):
    TITLE = "Sam the Social Cowboy — workshop"
    CSS = """
    #form { width: 60; height: auto; margin: 2 4; }
    #form Input { margin-bottom: 1; }
    #view { padding: 1 2; }
    #choices Button { width: 100%; height: auto; margin-bottom: 1; }
    #who { text-style: bold; margin-bottom: 1; }
    #tally { margin-top: 1; }
    #status { color: $accent; margin-top: 1; }
    #error { color: $error; }
    """
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, store: Store, session: Session | None = None, name: str | None = None,
                 ui: str = "en") -> None:
        super().__init__()
        self.store = store
        self.session = session
        self.name_given = name
        self.ui = ui
        self.pid: int | None = None
        self.shown: tuple[int, str] | None = None
        self.async_state: State | None = None
        self.recorder: RunRecorder | None = None
        self.feedback = ""
        self.touched = 0.0
        self.generation = 0
        self.button_choice: dict[str, str] = {}
        self.buttons_for: tuple[object, ...] | None = None
        self.tally_drawn: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Label(w("code_label", self.ui))
            yield CleanInput(placeholder="KXTPRM", id="code", max_length=12)
            yield Label(w("name_label", self.ui))
            yield CleanInput(id="name", max_length=40)
            yield Button(w("join", self.ui), id="join", variant="primary")
            yield Static(id="error")
        with VerticalScroll(id="view"):
            yield Static(id="who")
            yield Static(id="scene")
            yield Vertical(id="choices")
            yield Static(id="tally")
            yield Static(id="status")

    def on_mount(self) -> None:
        self.query_one("#view").display = False
        if self.session is not None and self.name_given:
            self.start(self.session, self.name_given)
        elif self.session is not None:
            self.query_one("#code", Input).value = self.session.code
            self.query_one("#name", Input).focus()
        else:
            self.query_one("#code", Input).focus()

    # ------------------------------------------------------------ joining

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "code":
            self.query_one("#name", Input).focus()
        else:
            self.try_join()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id or ""
        if bid == "join":
            self.try_join()
        elif bid.startswith("choice-"):
            self.pick(self.button_choice[bid])

    def try_join(self) -> None:
        code = self.query_one("#code", Input).value
        name = self.query_one("#name", Input).value
        try:
            clean_name(name)
            session = self.session if self.session is not None and not code else \
                Session(self.store, code)
            self.start(session, name)
        except (SessionError, StoreError) as e:
            self.query_one("#error", Static).update(Text(str(e)))

    def start(self, session: Session, name: str) -> None:
        self.session = session
        self.pid = session.join(name)
        self.query_one("#form").display = False
        self.query_one("#view").display = True
        who = f"{session.code} · {clean_name(name)}"
        self.sub_title = who
        if session.anonymous:
            who += f" ({w('anonymous_note', self.ui)})"
        self.query_one("#who", Static).update(Content(who))  # plain: never markup
        if session.mode == "async":
            self.start_async(name)
        else:
            self.poll()
            self.set_interval(POLL_SECONDS, self.poll)

    # ------------------------------------------------------------ drawing

    def scene_text(self, state: State) -> Text:
        s = self.session
        assert s is not None
        scene = s.episode.scenes[state.scene]
        text = Text()
        d = s.episode.default_language
        if scene.title:
            text.append(render(scene.title, s.lang, d, state.variables) + "\n\n", style="bold")
        for para in scene_paragraphs(s.episode, scene, s.lang, state):
            text.append(para + "\n\n")
        if scene.card:
            for value in scene.card.fields.values():
                text.append("│ " + render(value, s.lang, d, state.variables) + "\n",
                            style="italic")
        return text

    def set_choices(self, state: State, marked: str | None, enabled: bool) -> None:
        """One button per shown choice; same scene: restyle them, else new buttons."""
        s = self.session
        assert s is not None
        box = self.query_one("#choices", Vertical)
        shown = engine.choices_shown(s.episode, state)
        key = (state.scene, len(state.path), tuple(c.id for c in shown))
        if key == self.buttons_for:
            for button in box.query(Button):
                cid = self.button_choice.get(button.id or "")
                button.disabled = not enabled
                button.variant = "success" if cid == marked else "default"
            return
        self.buttons_for = key
        box.remove_children()
        self.generation += 1
        for i, c in enumerate(shown, 1):
            label = Text(f"{i}. " + render(c.text, s.lang, s.episode.default_language,
                                           state.variables))
            bid = f"choice-{self.generation}-{i}"
            self.button_choice[bid] = c.id
            box.mount(Button(label, id=bid, disabled=not enabled,
                             variant="success" if c.id == marked else "default"))

    def status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text if isinstance(text, Text)
                                                 else Text(text))

    def debrief_text(self, state: State | None = None) -> Text:
        s = self.session
        assert s is not None and self.pid is not None
        out = io.StringIO()
        player = PlainPlayer(s.episode, s.analysis, s.lang, self.ui, out, lambda: None)
        if state is None:
            player.say(w("personal", self.ui))
            player.show_debrief(s.debrief_for(self.pid))
        else:
            from sam_cowboy.core.debrief import build

            player.show_debrief(build(s.episode, state, s.analysis))
        return Text(out.getvalue())

    # ------------------------------------------------------------ live

    def poll(self) -> None:
        s = self.session
        if s is None or self.pid is None:
            return
        try:
            s.poll()
            if time.time() - self.touched > TOUCH_EVERY:
                self.touched = time.time()
                s.store.touch(self.pid)
        except StoreError as e:
            self.status(str(e))
            return
        phase, step = s.phase, s.step
        try:
            tally = s.tally() if s.row["revealed"] and phase != "ended" else None
        except StoreError:
            tally = self.tally_drawn
        if self.shown == (step, phase) and phase != "open" and tally == self.tally_drawn:
            return
        state = s.group_state()
        mine = s.my_vote(self.pid)
        if self.shown != (step, phase):
            self.shown = (step, phase)
            text = self.scene_text(state)
            if phase == "ended":
                text.append(w("session_ended", self.ui) + "\n\n", style="bold")
                text.append_text(self.debrief_text())
                self.query_one("#choices", Vertical).remove_children()
                self.buttons_for = None
            self.query_one("#scene", Static).update(text)
            if phase != "ended":
                self.set_choices(state, mine, phase == "open")
        self.draw_tally(state, tally, phase)
        status = Text()
        if phase == "open":
            lock_at = s.row["lock_at"]
            if lock_at is not None:
                status.append(w("countdown", self.ui,
                                seconds=max(0, int(lock_at - time.time() + 0.999))) + "\n")
        elif phase in ("locked", "decided"):
            status.append(w("locked", self.ui) + "\n")
        if mine is not None and phase != "ended":
            choice = s.episode.scenes[state.scene].choice(mine)
            status.append(w("your_vote", self.ui, choice=render(
                choice.text, s.lang, s.episode.default_language, state.variables)
                if choice else mine) + "\n")
        if phase == "decided" and s.row["winner"]:
            winner = str(s.row["winner"])
            choice = s.episode.scenes[state.scene].choice(winner)
            status.append(w("room_chose", self.ui, choice=render(
                choice.text, s.lang, s.episode.default_language, state.variables)
                if choice else winner) + "\n", style="bold")
            _, events = engine.choose(s.episode, state, winner)
            for e in events:
                if isinstance(e, FeedbackShown):
                    status.append(render(e.text, s.lang, s.episode.default_language,
                                         e.variables) + "\n")
        self.status(status)

    def draw_tally(self, state: State, tally: dict[str, int] | None, phase: str) -> None:
        """The room's votes, once the facilitator has revealed them: in words and numbers."""
        self.tally_drawn = tally
        box = self.query_one("#tally", Static)
        if tally is None:
            box.update(Text())
            return
        s = self.session
        assert s is not None
        shown = engine.choices_shown(s.episode, state)
        labels = [render(c.text, s.lang, s.episode.default_language, state.variables)
                  for c in shown]
        text = Text(w("tally_open" if phase == "open" else "tally_final", self.ui) + "\n",
                    style="bold")
        text.append("\n".join(tally_lines(labels, [c.id for c in shown], tally, self.ui)))
        box.update(text)

    def pick(self, choice_id: str) -> None:
        s = self.session
        assert s is not None and self.pid is not None
        if s.mode == "async":
            self.async_step(choice_id)
            return
        result = s.vote(self.pid, choice_id)
        if result == "locked":
            self.status(w("too_late", self.ui))
        self.shown = None
        self.poll()

    # ------------------------------------------------------------ async

    def start_async(self, name: str) -> None:
        s = self.session
        assert s is not None and self.pid is not None
        ep = s.episode
        run = s.store.open_run(s.code, self.pid)
        state, events = engine.begin(ep)
        seq = 0
        if run is not None:
            decisions = s.store.decisions(run["id"])
            for d in decisions:
                state, _ = engine.choose(ep, state, d["choice"])
            seq = len(decisions)
            if run["status"] == "abandoned":
                s.store.reopen_run(run["id"])
        player = str(s.store.query_one("SELECT name FROM participants WHERE id = ?",
                                       (self.pid,))["name"])  # type: ignore[index]
        self.recorder = RunRecorder(s.store, ep, player, s.lang, source="workshop",
                                    analysis=s.analysis, session_code=s.code,
                                    participant_id=self.pid,
                                    run_id=run["id"] if run else None, seq=seq)
        if run is None:
            self.recorder.begin(state, events)
        self.async_state = state
        self.draw_async()

    def async_step(self, choice_id: str) -> None:
        s = self.session
        assert s is not None and self.async_state is not None and self.recorder is not None
        state, events = engine.choose(s.episode, self.async_state, choice_id)
        self.recorder.step(state, events)
        self.async_state = state
        self.feedback = "\n".join(render(e.text, s.lang, s.episode.default_language,
                                         e.variables)
                                  for e in events if isinstance(e, FeedbackShown))
        self.draw_async()

    def draw_async(self) -> None:
        state = self.async_state
        assert state is not None
        text = Text()
        if self.feedback:
            text.append(self.feedback + "\n\n", style="green")
        text.append_text(self.scene_text(state))
        if state.finished:
            text.append_text(self.debrief_text(state))
            self.query_one("#choices", Vertical).remove_children()
            self.buttons_for = None
        else:
            self.set_choices(state, None, True)
        self.query_one("#scene", Static).update(text)

    def on_unmount(self) -> None:
        if self.recorder is not None and self.async_state is not None \
                and not self.async_state.finished:
            self.recorder.abandon()
        if self.session is not None and self.pid is not None and self.session.mode == "live":
            try:
                self.session.leave(self.pid)  # quit before the end: an abandoned run
            except StoreError:
                pass
