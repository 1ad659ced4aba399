"""`workshop host CODE`: the facilitator's dashboard, large enough for a projector.

It holds no state of its own: everything is read from the store several times a second, so
killing it and running `host CODE` again (here or on another machine sharing the database)
picks the session up exactly where it was. Every action goes through Session, which checks
the facilitator key. Names and episode texts are drawn as rich Text (data), never markup.
"""

from __future__ import annotations

import threading
import time

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Footer, Static

from sam_cowboy.core import engine
from sam_cowboy.core.engine import FeedbackShown
from sam_cowboy.core.i18n import render, scene_paragraphs
from sam_cowboy.results.store import Listener, StoreError
from sam_cowboy.workshop.session import CONNECTED_SECONDS, Session, SessionError

POLL_SECONDS = 0.2
PUSH_POLL_SECONDS = 0.5  # with LISTEN/NOTIFY: redraws come on change; this for the clock
PARTICIPANTS_EVERY = 1.0


class HostApp(App[None]):
    TITLE = "Sam the Social Cowboy — workshop"
    CSS = """
    Screen { layout: vertical; }
    #top { height: 3; background: $primary; color: $text; padding: 0 2; text-style: bold; }
    #body { height: 1fr; }
    #main { width: 3fr; padding: 1 2; }
    #side { width: 1fr; min-width: 30; border-left: solid $primary; padding: 0 1; }
    #scene { margin-bottom: 1; }
    #tally { margin-top: 1; }
    #outcome { margin-top: 1; color: $success; }
    #notes { margin-top: 1; color: $warning; }
    #status { height: 1; color: $accent; }
    """
    BINDINGS = [
        Binding("r", "reveal", "Reveal tally"),
        Binding("t", "countdown", "Countdown"),
        Binding("l", "lock", "Lock"),
        Binding("enter", "advance", "Next step"),
        Binding("n", "notes", "Trainer notes"),
        Binding("q", "quit", "Quit"),
    ] + [Binding(str(i), f"pick({i})", show=False) for i in range(1, 10)]

    def __init__(self, session: Session, key: str, countdown: float = 20.0) -> None:
        super().__init__()
        self.session = session
        self.key = key
        self.countdown_seconds = countdown
        self.show_notes = True
        self.last_participants = 0.0
        self.participants: list[dict[str, object]] = []
        self.message = ""
        self.tally_shown: dict[str, int] = {}
        self.tally_seen_at: list[tuple[float, int]] = []  # (when, votes shown): benchmark

    def compose(self) -> ComposeResult:
        yield Static(id="top")
        with Horizontal(id="body"):
            with VerticalScroll(id="main"):
                yield Static(id="scene")
                yield Static(id="choices")
                yield Static(id="tally")
                yield Static(id="outcome")
                yield Static(id="notes")
            with Vertical(id="side"):
                yield Static(id="people")
                yield Static(id="path")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.poll()
        self.stopping = threading.Event()
        try:
            listener = self.session.store.listener(self.session.code, votes=True,
                                                   dedicated=True)
        except StoreError:
            listener = Listener()
        if listener.push:  # PostgreSQL: a vote or a change wakes the dashboard at once
            threading.Thread(target=self.listen, args=(listener,), daemon=True).start()
        self.set_interval(PUSH_POLL_SECONDS if listener.push else POLL_SECONDS, self.poll)

    def listen(self, listener: Listener) -> None:
        try:
            while not self.stopping.is_set():
                if listener.wait(0.5) and not self.stopping.is_set():
                    self.call_from_thread(self.poll)
        except Exception:  # noqa: BLE001 - the interval poll goes on regardless
            pass
        finally:
            listener.close()

    def on_unmount(self) -> None:
        self.stopping.set()

    # ------------------------------------------------------------ reading

    def poll(self) -> None:
        s = self.session
        try:
            s.refresh()
            now = time.time()
            if now - self.last_participants >= PARTICIPANTS_EVERY:
                self.last_participants = now
                self.participants = (s.progress() if s.mode == "async" else
                                     [{"name": s.display_name(p, i),
                                       "connected": now - p["last_seen"] < CONNECTED_SECONDS}
                                      for i, p in enumerate(s.participants(), 1)])
            if s.mode == "live" and s.row["phase"] == "open" and s.phase == "locked":
                s.lock(self.key)  # the countdown ran out
            self.draw()
        except NoMatches:
            return  # the app is closing: its widgets are gone
        except SessionError as e:
            self.message = str(e)
            self.query_one("#status", Static).update(Text(self.message))

    def t(self, text: object, state: engine.State | None = None) -> str:
        s = self.session
        return render(text, s.lang, s.episode.default_language,  # type: ignore[arg-type]
                      state.variables if state else None)

    def draw(self) -> None:
        s = self.session
        row = s.row
        top = Text()
        top.append(f"Session {s.code}", style="bold")
        if row["title"]:
            top.append("  ·  ")
            top.append(str(row["title"]))
        top.append(f"  ·  {self.t(s.episode.title)}  ·  {s.mode}")
        connected = sum(1 for p in self.participants if p["connected"])
        top.append(f"\nParticipants: {connected} connected / {len(self.participants)} joined")
        self.query_one("#top", Static).update(top)
        if s.mode == "async":
            self.draw_async()
        else:
            self.draw_live()
        self.query_one("#status", Static).update(Text(self.message))

    def draw_live(self) -> None:
        s = self.session
        state = s.group_state()
        scene = s.episode.scenes[state.scene]
        phase = s.phase
        text = Text()
        if scene.title:
            text.append(self.t(scene.title, state).upper() + "\n\n", style="bold")
        for para in scene_paragraphs(s.episode, scene, s.lang, state):
            text.append(para + "\n\n")
        if scene.card:
            for value in scene.card.fields.values():
                text.append("│ " + self.t(value, state) + "\n", style="italic")
        if phase == "ended":
            ending = scene.ending
            text.append(f"\n*** THE END ({ending.kind if ending else ''})", style="bold")
            if ending and ending.title:
                text.append(": " + self.t(ending.title, state), style="bold")
            text.append(" ***\n")
        self.query_one("#scene", Static).update(text)
        choices = s.choices() if phase != "ended" else []
        tally = s.tally() if phase != "ended" else {}
        total = sum(tally.values())
        if tally != self.tally_shown:
            self.tally_shown = dict(tally)
            self.tally_seen_at.append((time.time(), total))
        ctext = Text()
        winner = s.row["winner"]
        for i, c in enumerate(choices, 1):
            style = "bold reverse" if c.id == winner else ""
            ctext.append(f" {i}. ", style="bold")
            ctext.append(self.t(c.text, state) + "\n", style=style)
        self.query_one("#choices", Static).update(ctext)
        ttext = Text()
        if phase != "ended":
            status = {"open": "Voting open", "locked": "Vote locked",
                      "decided": "Decided"}.get(phase, phase)
            lock_at = s.row["lock_at"]
            if phase == "open" and lock_at is not None:
                status += f" — locks in {max(0, int(lock_at - time.time() + 0.999))} s"
            ttext.append(f"{status} · {total} vote{'s' if total != 1 else ''}\n", style="bold")
            if s.row["revealed"]:
                top = max(tally.values()) if tally else 0
                for i, c in enumerate(choices, 1):
                    n = tally.get(c.id, 0)
                    bar = "█" * (0 if not top else round(30 * n / top))
                    pct = round(100 * n / total) if total else 0
                    lead = " ← most votes" if n == top and n else ""  # words, not colour
                    ttext.append(f" {i}. {bar} {n} ({pct}%){lead}\n",
                                 style="bold green" if n == top and n else "")
            else:
                ttext.append(" (tally hidden: press r to reveal)\n", style="dim")
            leaders = s.leaders()
            if phase == "locked" and len(leaders) != 1:
                ttext.append(" A tie (or no vote): press the number of the choice to take.\n",
                             style="bold yellow")
        self.query_one("#tally", Static).update(ttext)
        otext = Text()
        if phase == "decided" and winner:
            choice = scene.choice(winner)
            otext.append("The room chose: ", style="bold")
            otext.append(self.t(choice.text, state) if choice else winner)
            otext.append("\n")
            _, events = engine.choose(s.episode, state, winner)
            for e in events:
                if isinstance(e, FeedbackShown):
                    otext.append(render(e.text, s.lang, s.episode.default_language,
                                        e.variables) + "\n")
            otext.append("Enter: next scene", style="dim")
        self.query_one("#outcome", Static).update(otext)
        ntext = Text()
        if self.show_notes and scene.trainer_notes is not None:
            ntext.append("Trainer notes (n hides): ", style="bold")
            ntext.append(self.t(scene.trainer_notes, state))
        self.query_one("#notes", Static).update(ntext)
        people = Text("Participants\n", style="bold")
        for p in self.participants:
            people.append("● " if p["connected"] else "○ ",
                          style="green" if p["connected"] else "dim")
            people.append(str(p["name"]) + "\n")
        self.query_one("#people", Static).update(people)
        path = Text("\nThe group's path\n", style="bold")
        for i, (sc, ch) in enumerate(s.path, 1):
            choice = s.episode.scenes[sc].choice(ch)
            path.append(f"{i}. {self.t(choice.text) if choice else ch}\n")
        self.query_one("#path", Static).update(path)

    def draw_async(self) -> None:
        s = self.session
        dims = list(s.episode.dimensions)
        bounds = s.analysis.bounds or {}
        from sam_cowboy.core import scoring

        table = Text()
        table.append(f"{'Participant':<24} {'steps':>5}  {'status':<10} {'overall':>7}\n",
                     style="bold")
        sums = {d: 0 for d in dims}
        counted = 0
        for p in self.participants:
            name = str(p["name"])[:24]
            overall = p["overall"]
            table.append(f"{name:<24} {p['decisions']:>5}  {str(p['status']):<10} "
                         f"{'' if overall is None else str(overall) + '%':>7}\n")
            scores = p["scores"] or {}
            if p["status"] != "joined":
                counted += 1
                for d in dims:
                    sums[d] += scoring.percent(scores.get(d, 0), *bounds[d])  # type: ignore[union-attr]
        self.query_one("#scene", Static).update(table)
        agg = Text("Live aggregate (mean percent)\n", style="bold")
        for d in dims:
            mean = sums[d] / counted if counted else 0
            agg.append(f"{self.t(s.episode.dimensions[d].label):<32} "
                       f"{'█' * round(mean / 5):<20} {mean:5.1f}%\n")
        self.query_one("#tally", Static).update(agg)
        for wid in ("#choices", "#outcome", "#notes", "#path"):
            self.query_one(wid, Static).update("")
        self.query_one("#people", Static).update(Text(""))

    # ------------------------------------------------------------ actions

    def act(self, what: str) -> None:
        try:
            self.message = what
            self.draw()
        except SessionError as e:
            self.message = str(e)

    def live(self) -> bool:
        return self.session.mode == "live" and self.session.phase != "ended"

    def action_reveal(self) -> None:
        if self.live():
            self.session.reveal(self.key, not self.session.row["revealed"])
            self.act("Tally shown" if self.session.row["revealed"] else "Tally hidden")

    def action_countdown(self) -> None:
        if self.live() and self.session.phase == "open":
            self.session.countdown(self.key, self.countdown_seconds)
            self.act(f"Vote locks in {self.countdown_seconds:g} s")

    def action_lock(self) -> None:
        if self.live():
            self.session.lock(self.key)
            self.act("Vote locked")

    def action_pick(self, number: int) -> None:
        if not self.live() or self.session.phase == "open":
            return
        choices = self.session.choices()
        if 1 <= number <= len(choices):
            self.session.decide(self.key, choices[number - 1].id)
            self.act(f"Choice {number} taken")

    def action_advance(self) -> None:
        if not self.live():
            return
        s = self.session
        phase = s.phase
        if phase == "open":
            s.lock(self.key)
            self.act("Vote locked: Enter again to settle the winner")
        elif phase == "locked":
            if s.decide(self.key) is None:
                self.act("A tie or no vote: press the number of the choice to take")
            else:
                self.act("Winner settled: Enter for the next scene")
        elif phase == "decided":
            s.advance(self.key)
            self.act("Next scene" if s.phase != "ended" else "The end")

    def action_notes(self) -> None:
        self.show_notes = not self.show_notes
        self.draw()
