"""A workshop session: its code and facilitator key, the group's path, votes, personal runs.

All state lives in the results store, which only the workshop server opens (server.py);
several servers on one PostgreSQL database see one session. This module is the only place
that knows the rules of a session:

Live mode, per scene (`step` = number of group decisions so far):
  open      participants vote; a vote can be changed; `lock_at` (the countdown) or
            `lock()` ends it
  locked    votes are frozen; the facilitator decides the winner (a tie is theirs to break)
  decided   the winning choice and its feedback are shown to the room; `advance()` applies
            it to the group's path and opens the next scene (or ends the session)
  ended     the group reached an ending; every participant's run is finished with scores
            from their own votes

Async mode: participants play the episode at their own pace; each run is an ordinary
recorded run tagged with the session and the participant.

The server checks the facilitator key (identity.verify_key) before calling reveal, lock,
decide or advance; the participants' tokens before join and vote. Every change is guarded
by the step it applies to, so a command repeated after a lost reply is not applied twice.
"""

from __future__ import annotations

import json
import re
import secrets
import tempfile
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from sam_cowboy.core import engine, safe_text, scoring
from sam_cowboy.core.analysis import Analysis, Run
from sam_cowboy.core.debrief import Debrief, build
from sam_cowboy.core.engine import ScoreChanged, State
from sam_cowboy.core.model import Choice, Episode
from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.results.base import Row, Store
from sam_cowboy.workshop import identity

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"  # no I, L, O (nor digits): nothing to misread
CODE_LENGTH = 6  # 23**6 ≈ 1.5e8 codes: not guessable from a room in a workshop's time
MODES = ("live", "async")
CONNECTED_SECONDS = 20.0
NAME_MAX = 40


class SessionError(Exception):
    """A session problem to show as one line (unknown code, wrong key, changed episode)."""


class NameTaken(SessionError):
    def __init__(self, code: str) -> None:
        super().__init__(f"name already taken in {code}: choose another")


# ------------------------------------------------------------------ codes, keys, names

def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """`kxt-prm`, ` KXT PRM ` -> `KXTPRM`; SessionError if it cannot be a code."""
    code = re.sub(r"[\s\-_.]", "", text).upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        raise SessionError(f"`{strip_controls(text)[:20]}` is not a session code "
                           f"({CODE_LENGTH} letters, e.g. KXTPRM)")
    return code


def clean_name(name: str) -> str:
    """A participant's name as data: no control characters, one line, at most 40 chars."""
    cleaned = safe_text.clean_name(name, limit=NAME_MAX)
    if not cleaned:
        raise SessionError("a participant needs a name (--name NAME)")
    return cleaned


# ------------------------------------------------------------------ analysis cache

def analysis_to_json(analysis: Analysis) -> str:
    best = analysis.best_run
    return json.dumps({
        "bounds": {d: list(b) for d, b in (analysis.bounds or {}).items()},
        "best_run": None if best is None else {
            "path": [list(s) for s in best.path], "scores": best.scores,
            "overall": best.overall, "ending": best.ending},
    })


def analysis_from_json(text: str) -> Analysis:
    data = json.loads(text)
    best = data.get("best_run")
    return Analysis(bounds={d: (b[0], b[1]) for d, b in data["bounds"].items()},
                    best_run=None if best is None else Run(
                        [(s, c) for s, c in best["path"]], best["scores"], best["overall"],
                        best["ending"]))


# ------------------------------------------------------------------ creating

def create_session(store: Store, episode: Episode, analysis: Analysis, episode_ref: str, *,
                   mode: str = "live", title: str = "", anonymous: bool = False,
                   lang: str | None = None, source: str | None = None,
                   series_source: str | None = None,
                   identity_: tuple[str, str, str] | None = None,
                   assess: bool = False) -> tuple[str, str]:
    """A new session: its code and its facilitator key (stored only as a slow hash).

    `source` (and `series_source`): the episode's text, kept with the session so that every
    server on the database plays exactly that episode; None for a built-in episode id.
    `identity_`: (code, key, key hash) chosen beforehand, so that a create repeated after a
    lost reply finds its own session instead of making a second one."""
    if mode not in MODES:
        raise SessionError(f"unknown mode `{mode}` (live or async)")
    first, key, hashed = identity_ or new_identity()
    for attempt in range(20):
        code = first if attempt == 0 else new_code()
        if store.create_session({
            "code": code, "key_hash": hashed,
            "title": strip_controls(title)[:200], "mode": mode,
            "anonymous": int(anonymous), "episode_id": episode.id,
            "episode_ref": episode_ref, "episode_hash": episode.content_hash,
            "lang": lang or episode.default_language,
            "analysis": analysis_to_json(analysis),
            "phase": "open" if mode == "live" else "async",
            "episode_source": source, "series_source": series_source,
            "assessment": int(assess),  # its runs are assessments (results/learning.py)
        }):
            return code, key
    raise SessionError("could not find a free session code")  # pragma: no cover


def new_identity() -> tuple[str, str, str]:
    """A session's code, facilitator key and the key's slow hash."""
    key = identity.new_key()
    return new_code(), key, identity.hash_key(key)


def load_source(source: str, series_source: str | None, name: str = "episode.yaml") -> Episode:
    """An episode from its text (and its series' text), as the loader reads files."""
    from sam_cowboy.core.loader import SERIES_FILE, load_episode

    with tempfile.TemporaryDirectory(prefix="sam-cowboy-session-") as folder:
        path = Path(folder) / (name if name != SERIES_FILE else "episode.yaml")
        path.write_text(source, encoding="utf-8")
        if series_source is not None:
            (Path(folder) / SERIES_FILE).write_text(series_source, encoding="utf-8")
        result = load_episode(path)
    if result.episode is None:
        first = next((f.format() for f in result.findings if f.severity == "error"), "errors")
        raise SessionError(f"the episode has errors: {first}")
    return result.episode


def load_episode_for(row: Row) -> Episode:
    """The session's episode: the text kept with it, else the built-in episode of that id."""
    if row.get("episode_source"):
        episode = load_source(row["episode_source"], row.get("series_source"))
    else:
        from sam_cowboy.core.loader import load_episode
        from sam_cowboy.library import resolve

        ref = row["episode_ref"]
        path = resolve(ref)
        if path is None:
            raise SessionError(f"the session's episode `{ref}` is not on this server")
        result = load_episode(path)
        if result.episode is None:
            raise SessionError(f"the session's episode {path} has errors: run "
                               f"`sam-cowboy check {path}`")
        episode = result.episode
    if episode.content_hash != row["episode_hash"]:
        raise SessionError(f"the episode {row['episode_ref']} changed since session "
                           f"{row['code']} was created")
    return episode


# ------------------------------------------------------------------ the session

class Session:
    def __init__(self, store: Store, code: str, episode: Episode | None = None) -> None:
        self.store = store
        self.code = normalise_code(code)
        row = store.session(self.code)
        if row is None:
            raise SessionError(f"no session {self.code} in the results database "
                               f"(check the code, or use the same --db as the facilitator)")
        self.row: Row = row
        self.episode = episode or load_episode_for(row)
        self.analysis = analysis_from_json(row["analysis"])
        self._replayed: tuple[tuple[tuple[str, str], ...], State] | None = None

    # --------------------------------------------------------- reading

    def refresh(self) -> Row:
        row = self.store.session(self.code)
        assert row is not None
        self.row = row
        return row

    def poll(self) -> Row:
        """The columns a participant needs, merged into self.row (one small query)."""
        row = self.store.session_state(self.code)
        assert row is not None
        self.row.update(row)
        return self.row

    @property
    def mode(self) -> str:
        return str(self.row["mode"])

    @property
    def anonymous(self) -> bool:
        return bool(self.row["anonymous"])

    @property
    def assessment(self) -> bool:
        """Created with --assess: scores and lessons wait for the debrief."""
        return bool(self.row.get("assessment"))

    @property
    def lang(self) -> str:
        return str(self.row["lang"])

    @property
    def step(self) -> int:
        return int(self.row["step"])

    @property
    def phase(self) -> str:
        phase = str(self.row["phase"])
        lock_at = self.row["lock_at"]
        if phase == "open" and lock_at is not None and lock_at <= time.time():
            return "locked"
        return phase

    @property
    def path(self) -> list[tuple[str, str]]:
        return [(s, c) for s, c in json.loads(self.row["path"])]

    def group_state(self) -> State:
        path = tuple(self.path)
        if self._replayed is None or self._replayed[0] != path:
            state, _ = engine.begin(self.episode)
            for _, choice in path:
                state, _ = engine.choose(self.episode, state, choice)
            self._replayed = (path, state)
        return self._replayed[1]

    def choices(self) -> list[Choice]:
        return engine.choices_shown(self.episode, self.group_state())

    def tally(self) -> dict[str, int]:
        return self.store.tally(self.code, self.step)

    def participants(self) -> list[Row]:
        return self.store.participants(self.code)

    def display_name(self, participant: Row, index: int) -> str:
        return f"Participant {index}" if self.anonymous else str(participant["name"])

    # --------------------------------------------------------- participants

    def join(self, name: str, token: str) -> tuple[int, str]:
        """(participant id, name shown) for the holder of `token`: the same participant as
        before if the token is theirs, else a new one. NameTaken if another participant has
        that name. Anonymous sessions store a random pseudonym, never the name."""
        hashed = identity.token_hash(token)
        if self.anonymous:
            for _ in range(50):
                try:
                    pid, shown = self.store.join(self.code, identity.pseudonym(), hashed)
                    break
                except ValueError:
                    continue  # that pseudonym is in use: draw another
            else:  # pragma: no cover
                raise SessionError("no free pseudonym left in this session")
        else:
            try:
                pid, shown = self.store.join(self.code, clean_name(name), hashed)
            except ValueError:
                raise NameTaken(self.code) from None
        if self.mode != "live":
            return pid, shown
        run = self.store.open_run(self.code, pid)
        if run is None:
            # scores so far: the scenes' shared on_enter changes (a late joiner lived them)
            self.store.start_run(player=shown, episode_id=self.episode.id,
                                 episode_hash=self.episode.content_hash, lang=self.lang,
                                 source="workshop", session_code=self.code,
                                 participant_id=pid, scene=self.group_state().scene,
                                 scores=dict(self.personal_state(self.my_votes(pid)).scores))
        elif run["status"] == "abandoned" and self.poll()["phase"] != "ended":
            self.store.reopen_run(run["id"])  # back in the room: the run goes on
        return pid, shown

    def participant(self, token: str) -> Row | None:
        return self.store.participant_by_token(self.code, identity.token_hash(token))

    def leave(self, participant_id: int) -> None:
        """The participant left a live session before its end: their run is abandoned
        (joining again with their token reopens it)."""
        if self.mode != "live":
            return
        run = self.store.open_run(self.code, participant_id)
        if run is not None and run["status"] == "playing" and \
                self.poll()["phase"] != "ended":
            self.store.abandon_run(run["id"])

    def vote(self, participant_id: int, step: int, choice_id: str) -> str:
        """A vote on the scene at `step` (the one the participant was shown): 'ok',
        'closed' (locked, decided or moved on: counted nowhere) or 'invalid' (not a choice
        shown at that scene)."""
        if self.mode != "live":
            return "invalid"
        self.refresh()
        if step != self.step or self.phase != "open":
            return "closed"
        if choice_id not in {c.id for c in self.choices()}:
            return "invalid"
        return self.store.vote(self.code, step, participant_id, self.group_state().scene,
                               choice_id)

    def my_vote(self, participant_id: int, step: int | None = None) -> str | None:
        step = self.step if step is None else step
        row = self.store.query_one("SELECT choice FROM votes WHERE session_code = ? AND "
                                   "step = ? AND participant_id = ?",
                                   (self.code, step, participant_id))
        return None if row is None else str(row["choice"])

    def my_votes(self, participant_id: int) -> dict[int, str]:
        rows = self.store.query("SELECT step, choice FROM votes WHERE session_code = ? AND "
                                "participant_id = ?", (self.code, participant_id))
        return {int(r["step"]): str(r["choice"]) for r in rows}

    # --------------------------------------------------------- personal scores

    def personal_state(self, votes: dict[int, str]) -> State:
        """The group's path, scored on one participant's own votes.

        Scene on_enter changes are shared (everyone lived the same scenes); a choice's score
        changes count for those who voted for it, computed by the engine from the group's
        state at that scene. Raw scores can fall outside the bounds (no single run makes
        those choices); percents are clamped as usual.
        """
        ep = self.episode
        state, events = engine.begin(ep)
        scores = {d: 0 for d in ep.dimensions}
        changes: list[tuple[str, str, str, int]] = []
        for e in events:
            if isinstance(e, ScoreChanged):
                scores[e.dimension] += e.delta
                changes.append((e.scene, "", e.dimension, e.delta))
        path: list[tuple[str, str]] = []
        for step, (scene, choice) in enumerate(self.path):
            mine = votes.get(step)
            if mine is not None and mine != choice:
                try:
                    _, mine_events = engine.choose(ep, state, mine)
                except engine.EngineError:
                    mine_events = []
                for e in mine_events:
                    if isinstance(e, ScoreChanged) and e.choice == mine and e.scene == scene:
                        scores[e.dimension] += e.delta
                        changes.append((scene, mine, e.dimension, e.delta))
            state, events = engine.choose(ep, state, choice)
            for e in events:
                if not isinstance(e, ScoreChanged):
                    continue
                if e.choice is None or mine == choice:
                    scores[e.dimension] += e.delta
                    changes.append((e.scene, e.choice or "", e.dimension, e.delta))
            if mine is not None:
                path.append((scene, mine))
        return replace(state, scores=scores, path=tuple(path), changes=tuple(changes))

    def debrief_for(self, participant_id: int) -> Debrief:
        return build(self.episode, self.personal_state(self.my_votes(participant_id)),
                     self.analysis)

    def overall(self, scores: Mapping[str, int]) -> int:
        assert self.analysis.bounds is not None
        return scoring.overall(self.episode,
                               scoring.percents(self.episode, scores, self.analysis.bounds))

    # --------------------------------------------------------- facilitator

    def authorised(self, key: str | None) -> bool:
        return identity.verify_key(key, str(self.row["key_hash"]))

    def _update(self, at_step: int | None = None, in_phase: str | None = None,
                **fields: Any) -> bool:
        done = self.store.update_session(self.code, at_step, in_phase, **fields)
        self.refresh()
        return done

    def reveal(self, shown: bool = True) -> None:
        self._update(revealed=int(shown))

    def countdown(self, seconds: float) -> None:
        """Lock the vote `seconds` from now (every client shows the countdown)."""
        self.refresh()
        self._update(self.step, "open", lock_at=time.time() + seconds)

    def lock(self, step: int | None = None) -> None:
        """Freeze the votes of the scene at `step` (default: the current one) now, or at the
        countdown's end if that is already past (the vote closed then)."""
        self.refresh()
        step = self.step if step is None else step
        lock_at = self.row["lock_at"]
        at = lock_at if lock_at is not None and lock_at <= time.time() else time.time()
        self._update(step, "open", phase="locked", lock_at=at)

    def leaders(self) -> list[str]:
        """The choice ids with the most votes now (several: a tie; none: no vote)."""
        tally = self.tally()
        if not tally:
            return []
        top = max(tally.values())
        shown = [c.id for c in self.choices()]
        return [c for c in shown if tally.get(c) == top]

    def decide(self, choice_id: str | None = None, step: int | None = None) -> str | None:
        """Settle the winner of the scene at `step`: the unique leader, or `choice_id` (a
        tie, no vote, or the facilitator overrides). Locks the vote first. None: a choice
        is needed (tie or no vote)."""
        self.refresh()
        step = self.step if step is None else step
        if step != self.step:
            return None
        if self.row["phase"] == "decided":
            if choice_id is None or choice_id == self.row["winner"]:
                return str(self.row["winner"])
        self.lock(step)
        shown = [c.id for c in self.choices()]
        if choice_id is None:
            leaders = self.leaders()
            if len(leaders) != 1:
                return None
            choice_id = leaders[0]
        if choice_id not in shown:
            raise SessionError(f"`{choice_id}` is not a choice of this scene")
        self._update(step, phase="decided", winner=choice_id, revealed=1)
        return choice_id

    def advance(self, step: int | None = None) -> bool:
        """Apply the winner of the scene at `step` to the group's path; next scene, or the
        end of the session. False if there is nothing to do (no winner yet, or done)."""
        ep = self.episode
        with self.store.transaction():
            row = self.store.lock_session(self.code, shared=False)
            assert row is not None
            self.row = row
            if step is not None and int(row["step"]) != step:
                return False
            if row["phase"] != "decided" or not row["winner"]:
                return False
            step, winner = int(row["step"]), str(row["winner"])
            state = self.group_state()
            scene = state.scene
            new_state, group_events = engine.choose(ep, state, winner)
            # what the group's choice brings everyone (the next scene's on_enter)
            shared = [[e.dimension, e.delta, e.scene, e.choice] for e in group_events
                      if isinstance(e, ScoreChanged) and e.choice is None]
            votes = {int(v["participant_id"]): v for v in self.store.votes(self.code, step)}
            decided: dict[int, dict[str, Any]] = {}
            for pid, vote in votes.items():
                mine = str(vote["choice"])
                if mine == winner:
                    events = group_events
                else:
                    try:
                        _, events = engine.choose(ep, state, mine)
                    except engine.EngineError:
                        continue
                own = [[e.dimension, e.delta, e.scene, e.choice] for e in events
                       if isinstance(e, ScoreChanged) and e.choice == mine
                       and e.scene == scene]
                decided[pid] = {"seq": step, "scene": scene, "choice": mine,
                                "at": vote["at"], "changes": own + shared}
            path = self.path + [(scene, winner)]
            fields: dict[str, Any] = {"path": json.dumps(path), "winner": None,
                                      "lock_at": None, "revealed": 0, "step": step + 1,
                                      "phase": "ended" if new_state.finished else "open"}
            self._update(step, "decided", **fields)
            # every open run: its decision (if any), where it is, its own scores so far
            all_votes = self._votes_by_participant()
            for p in self.participants():
                pid = int(p["id"])
                run = self.store.open_run(self.code, pid)
                if run is None or run["status"] == "finished":
                    continue
                mine_state = self.personal_state(all_votes.get(pid, {}))
                self.store.record_decisions(
                    run["id"], [decided[pid]] if pid in decided else [],
                    scene=new_state.scene, scores=dict(mine_state.scores))
            if new_state.finished:
                self._finish_runs(new_state, all_votes)
        return True

    def end(self) -> None:
        """The facilitator stops the session before an ending: runs still playing stop
        where the group is, scored on each participant's own votes."""
        self.refresh()
        if self.row["phase"] == "ended":
            return
        if self.mode != "live":  # each async run is the participant's own: left as it is
            self._update(phase="ended")
            return
        with self.store.transaction():
            self._update(phase="ended", lock_at=None)
            votes = self._votes_by_participant()
            for p in self.participants():
                run = self.store.open_run(self.code, int(p["id"]))
                if run is None or run["status"] != "playing":
                    continue
                state = self.personal_state(votes.get(int(p["id"]), {}))
                self.store.finish_run(run["id"], ending=None, ending_kind=None,
                                      scores=dict(state.scores),
                                      overall=self.overall(state.scores), status="stopped")

    def _votes_by_participant(self) -> dict[int, dict[int, str]]:
        out: dict[int, dict[int, str]] = {}
        for v in self.store.votes(self.code):
            out.setdefault(int(v["participant_id"]), {})[int(v["step"])] = str(v["choice"])
        return out

    def _finish_runs(self, final: State, votes: dict[int, dict[int, str]]) -> None:
        """The session reached its ending: each participant still in the room finishes
        with scores from their own votes. Who left (quit, or gone silent for
        CONNECTED_SECONDS without voting on the last scene) keeps an abandoned run."""
        ending = final.ending
        kind = self.episode.scenes[ending].ending.kind if ending else None  # type: ignore[union-attr]
        last = self.step - 1
        now = time.time()
        for p in self.participants():
            pid = int(p["id"])
            run = self.store.open_run(self.code, pid)
            if run is None or run["status"] != "playing":
                continue
            mine = votes.get(pid, {})
            if last not in mine and now - float(p["last_seen"]) >= CONNECTED_SECONDS:
                self.store.abandon_run(run["id"], at=float(p["last_seen"]))
                continue
            state = self.personal_state(mine)
            self.store.finish_run(run["id"], ending=ending, ending_kind=kind,
                                  scores=dict(state.scores), overall=self.overall(state.scores))

    # --------------------------------------------------------- async progress

    def progress(self) -> list[dict[str, Any]]:
        """Per participant: name, decisions made, status, current scene, overall percent."""
        runs = {int(r["participant_id"]): r for r in self.store.runs(session_code=self.code)
                if r["participant_id"] is not None}
        counts = {int(r["run_id"]): int(r["n"]) for r in self.store.query(
            "SELECT d.run_id, count(*) AS n FROM decisions d JOIN runs r ON r.id = d.run_id "
            "WHERE r.session_code = ? GROUP BY d.run_id", (self.code,))}
        now = time.time()
        out = []
        for i, p in enumerate(self.participants(), 1):
            run = runs.get(int(p["id"]))
            scores = run["scores"] if run else {}
            out.append({
                "id": int(p["id"]), "name": self.display_name(p, i),
                "connected": now - float(p["last_seen"]) < CONNECTED_SECONDS,
                "decisions": counts.get(int(run["id"]), 0) if run else 0,
                "status": run["status"] if run else "joined",
                "scene": run["scene"] if run else None,
                "overall": self.overall({d: scores.get(d, 0) for d in self.episode.dimensions})
                if run else None,
                "scores": scores,
            })
        return out
