"""`workshop join --plain`: a participant in plain text, numbers read from standard input.

Live mode: the current scene and its choices; a number is a vote. When standard input is a
terminal, another number changes the vote until it locks; from a pipe or a script, each line
is the vote for the next scene (so `printf '1\\n2\\n'` votes 1 then 2). After the lock, the
room's choice and its consequence; at the end, the personal debrief on one's own votes.
Async mode: the episode at one's own pace, exactly like `play --plain`, recorded in the
session. Killing the process and joining again with the same name resumes.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import TextIO

from sam_cowboy.core import engine
from sam_cowboy.core.engine import FeedbackShown, ScoreChanged, State
from sam_cowboy.core.i18n import strip_controls
from sam_cowboy.messages import t
from sam_cowboy.plain import PlainPlayer
from sam_cowboy.results.recorder import RunRecorder
from sam_cowboy.results.store import StoreError
from sam_cowboy.workshop.session import Session
from sam_cowboy.workshop.texts import tally_lines, w

TOUCH_EVERY = 5.0
PUSH_FALLBACK = 2.0  # with LISTEN/NOTIFY (PostgreSQL): look anyway after this long
EOF_MARK = object()


class Lines:
    """Standard input read by a thread, so the session can be polled while waiting."""

    def __init__(self, read_line: Callable[[], str | None]) -> None:
        self.queue: queue.Queue[object] = queue.Queue()
        self.ended = False

        def pump() -> None:
            while True:
                line = read_line()
                self.queue.put(EOF_MARK if line is None else line)
                if line is None:
                    return

        threading.Thread(target=pump, daemon=True).start()

    def get(self, timeout: float) -> str | None:
        """A line, or None when none came within `timeout` (see `ended`)."""
        if self.ended:
            time.sleep(timeout)
            return None
        try:
            item = self.queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is EOF_MARK:
            self.ended = True
            return None
        assert isinstance(item, str)
        return item


def join_plain(session: Session, name: str, ui: str, out: TextIO,
               read_line: Callable[[], str | None], interactive: bool,
               poll: float | None = None) -> int:
    if poll is None:  # SAM_COWBOY_POLL_SECONDS: slower polling for very large rooms
        import os

        poll = float(os.environ.get("SAM_COWBOY_POLL_SECONDS") or 0.2)
    pid = session.join(name)
    player = PlainPlayer(session.episode, session.analysis, session.lang, ui, out, read_line)
    player.say(w("joined", ui, code=session.code, name=strip_controls(name)))
    if session.mode == "async":
        return _async(session, pid, player)
    ended = False
    try:
        _live(session, pid, player, Lines(read_line), interactive, poll)
        ended = session.phase == "ended"
    finally:
        if not ended:  # input ended (or ^C) before the session did: the run is abandoned
            try:
                session.leave(pid)
            except StoreError:
                pass
    return 0


# ------------------------------------------------------------------ async

def _async(session: Session, pid: int, player: PlainPlayer) -> int:
    ep = session.episode
    store = session.store
    run = store.open_run(session.code, pid)
    state: State | None = None
    seq = 0
    if run is not None:
        state, _ = engine.begin(ep)
        decisions = store.decisions(run["id"])
        for d in decisions:
            state, _ = engine.choose(ep, state, d["choice"])
        seq = len(decisions)
        if run["status"] == "abandoned":
            store.reopen_run(run["id"])
        player.say(w("resumed", player.ui))
    name = str(session.store.query_one("SELECT name FROM participants WHERE id = ?",
                                       (pid,))["name"])  # type: ignore[index]
    recorder = RunRecorder(store, ep, name, session.lang, source="workshop",
                           analysis=session.analysis, session_code=session.code,
                           participant_id=pid, run_id=run["id"] if run else None, seq=seq)
    if state is None:
        player.intro()
        state, events = engine.begin(ep)
        recorder.begin(state, events)
        player.show_events(events, state)
    player.on_step = recorder.step
    debrief = player.play(state)
    if debrief is None:
        recorder.abandon()
    else:
        recorder.finish(debrief.state)
    return 0


# ------------------------------------------------------------------ live

def _live(session: Session, pid: int, player: PlainPlayer, lines: Lines, interactive: bool,
          poll: float) -> int:
    ui = player.ui
    shown_step: int | None = None
    told: set[int] = set()        # steps whose outcome this participant has seen
    voted_step: int | None = None
    locked_said: int | None = None
    tally_said: set[tuple[int, str]] = set()  # (step, "open" | "final") already printed
    prompted = False
    touched = time.time()
    listener = session.store.listener(session.code)  # PostgreSQL: woken by NOTIFY
    idle = max(poll, PUSH_FALLBACK) if listener.push else poll
    while True:
        session.poll()
        if time.time() - touched > TOUCH_EVERY:
            session.store.touch(pid)
            touched = time.time()
        step, phase = session.step, session.phase
        # outcomes missed between two polls (or before a restart: only the last one)
        if shown_step is not None and step > shown_step:
            for k in range(shown_step, step):
                if k not in told:
                    _tell_outcome(session, player, pid, k)
                    told.add(k)
        if phase == "ended":
            state = session.group_state()
            player.show_scene(state)
            player.say()
            player.say(w("session_ended", ui))
            player.say(f"== {w('personal', ui)} ==")
            player.show_debrief(session.debrief_for(pid))
            return 0
        if step != shown_step:
            shown_step = step
            prompted = False
            state = session.group_state()
            player.show_scene(state)
            player.say(t("choices", ui))
            for i, choice in enumerate(session.choices(), 1):
                player.say(f"  {i}. {player.text(choice.text, state)}")
            mine = session.my_vote(pid)
            if mine is not None:
                voted_step = step
                player.say(w("your_vote", ui, choice=_choice_words(session, player, mine)))
        if phase == "decided" and step not in told:
            _tell_outcome(session, player, pid, step)
            told.add(step)
            tally_said.add((step, "final"))  # the outcome says the votes
            continue
        if phase == "locked" and locked_said != step:
            locked_said = step
            player.say(w("locked", ui))
        if session.row["revealed"] and phase in ("open", "locked"):
            # revealed by the facilitator: once while the vote is open, once when final
            when = "open" if phase == "open" else "final"
            if (step, when) not in tally_said:
                tally_said.add((step, when))
                _tell_tally(session, player, step, when)
        wants_line = phase == "open" and (voted_step != step or interactive)
        if wants_line and not lines.ended:
            choices = session.choices()
            if not prompted:
                player.out.write(w("vote_prompt", ui, low=1, high=len(choices)))
                player.out.flush()
                prompted = True
            line = lines.get(poll)
            if line is None:
                if lines.ended and voted_step != step:
                    player.say()
                    player.say(t("input_ended", ui))
                    return 0
                continue
            answer = line.strip()
            player.say(strip_controls(answer))
            if not (answer.isdigit() and 1 <= int(answer) <= len(choices)):
                player.say(t("not_a_choice", ui, low=1, high=len(choices)))
                prompted = False
                continue
            choice = choices[int(answer) - 1]
            result = session.vote(pid, choice.id)
            if result == "ok":
                voted_step = step
                player.say(w("voted", ui, choice=player.text(choice.text,
                                                             session.group_state())))
                if interactive:
                    player.say(w("vote_again", ui))
            elif result == "locked":
                player.say(w("too_late", ui))
            prompted = not interactive
            continue
        listener.wait(idle)


def _choice_words(session: Session, player: PlainPlayer, choice_id: str) -> str:
    state = session.group_state()
    choice = session.episode.scenes[state.scene].choice(choice_id)
    return player.text(choice.text, state) if choice else choice_id


def _tell_tally(session: Session, player: PlainPlayer, step: int, when: str,
                state: State | None = None) -> None:
    """The room's votes at `step` in words and numbers (counts and percents)."""
    state = session.group_state() if state is None else state
    shown = engine.choices_shown(session.episode, state)
    tally = session.store.tally(session.code, step)
    player.say()
    player.say(w("tally_open" if when == "open" else "tally_final", player.ui))
    for line in tally_lines([player.text(c.text, state) for c in shown],
                            [c.id for c in shown], tally, player.ui):
        player.say(line)


def _tell_outcome(session: Session, player: PlainPlayer, pid: int, step: int) -> None:
    """The room's choice at `step`, its consequence, and what one's own vote was worth."""
    ep = session.episode
    ui = player.ui
    path = session.path
    if step < len(path):
        scene, winner = path[step]
    else:
        scene, winner = session.group_state().scene, session.row["winner"]
    if not winner:
        return
    state, _ = engine.begin(ep)
    for _, c in path[:step]:
        state, _ = engine.choose(ep, state, c)
    choice = ep.scenes[scene].choice(winner)
    _tell_tally(session, player, step, "final", state)
    player.say()
    player.say(w("room_chose", ui, choice=player.text(choice.text, state) if choice else winner))
    after, events = engine.choose(ep, state, winner)
    for e in events:
        if isinstance(e, FeedbackShown):
            player.say(f"{t('consequence', ui)}: " + player.text(e.text, after))
    mine = session.my_vote(pid, step)
    if mine is None:
        player.say(w("no_vote", ui))
        return
    my_choice = ep.scenes[scene].choice(mine)
    words = player.text(my_choice.text, state) if my_choice else mine
    try:
        _, my_events = engine.choose(ep, state, mine)
    except engine.EngineError:
        my_events = []
    changes = [e for e in my_events if isinstance(e, ScoreChanged) and e.choice == mine]
    extra = ", ".join(player.change_words(e.dimension, e.delta) for e in changes)
    player.say(w("you_chose", ui, choice=words) + (f" ({extra})" if extra else ""))
