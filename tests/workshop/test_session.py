from __future__ import annotations

import time

import pytest

from sam_cowboy.core import engine
from sam_cowboy.workshop.session import (
    ALPHABET,
    CODE_LENGTH,
    NameTaken,
    Session,
    SessionError,
    create_session,
    normalise_code,
)


def j(s: Session, name: str) -> int:
    """Join as `name` with that name's own token (the same name: the same person)."""
    return s.join(name, "token-of-" + name)[0]


def make(store, ep01, **kw):  # type: ignore[no-untyped-def]
    ep, analysis = ep01
    code, key = create_session(store, ep, analysis, "ep01-google-test", **kw)
    return Session(store, code), key


def test_codes_are_short_unambiguous_letters(store, ep01) -> None:  # type: ignore[no-untyped-def]
    codes = {make(store, ep01)[0].code for _ in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert not set(code) & set("ILO01")
        assert normalise_code(f" {code[:3].lower()}-{code[3:]} ") == code
    with pytest.raises(SessionError):
        normalise_code("ABC")
    with pytest.raises(SessionError):
        Session(store, "ZZZZZZ")


def test_one_vote_per_participant_per_scene(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    a, b = j(s, "Ann"), j(s, "Bob")
    assert j(s, "Ann") == a  # same token: same participant (resume)
    with pytest.raises(NameTaken, match="name already taken in"):
        s.join("Ann", "another-token")
    first, second = [c.id for c in s.choices()][:2]
    assert s.vote(a, s.step, first) == "ok"
    assert s.vote(a, s.step, second) == "ok"   # changed, not added
    assert s.vote(a, s.step, second) == "ok"
    assert s.vote(b, s.step, second) == "ok"
    assert s.vote(b, s.step, "no-such-choice") == "invalid"
    assert s.tally() == {second: 2}
    s.lock()
    assert s.vote(a, s.step, first) == "closed"
    assert s.tally() == {second: 2}


def test_the_key_is_kept_as_a_slow_salted_hash(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    stored = s.row["key_hash"]
    assert stored.startswith("scrypt$") and key not in stored
    assert s.authorised(key) and not s.authorised(None) and not s.authorised(stored)
    other, key2 = make(store, ep01)
    assert other.row["key_hash"].split("$")[4] != stored.split("$")[4]  # salted


def test_countdown_locks(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    a = j(s, "Ann")
    s.countdown(2.0)
    assert s.vote(a, s.step, s.choices()[0].id) == "ok"
    time.sleep(2.1)
    assert s.vote(a, s.step, s.choices()[1].id) == "closed"
    assert s.phase == "locked"


def test_tie_is_the_facilitators(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    a, b = j(s, "Ann"), j(s, "Bob")
    c1, c2 = [c.id for c in s.choices()][:2]
    s.vote(a, s.step, c1)
    s.vote(b, s.step, c2)
    assert s.decide() is None
    assert s.phase == "locked"
    assert s.decide(c2) == c2
    s.advance()
    assert s.path == [("monday-email", c2)] and s.phase == "open" and s.step == 1


def test_group_run_and_personal_scores(store, ep01) -> None:  # type: ignore[no-untyped-def]
    ep, analysis = ep01
    s, key = make(store, ep01, title="Team [b]A[/b]")
    best = [c for _, c in analysis.best_run.path]
    follower, rebel, late = j(s, "Follower"), j(s, "Rebel"), j(s, "Late")
    for i, cid in enumerate(best):
        s.vote(follower, s.step, cid)
        other = next(c.id for c in s.choices() if c.id != cid)
        s.vote(rebel, s.step, other)
        if i >= 2:
            s.vote(late, s.step, cid)
        s.vote(j(s, f"extra{i}"), s.step, cid)  # keeps the best choice ahead of the rebel
        assert s.decide() == cid
        s.advance()
    assert s.phase == "ended"
    final = engine.replay(ep, best)
    runs = {r["player"]: r for r in store.runs(session_code=s.code)}
    assert runs["Follower"]["status"] == "finished"
    assert runs["Follower"]["scores"] == dict(final.scores)
    assert runs["Follower"]["overall"] == analysis.best_run.overall
    assert runs["Rebel"]["overall"] < runs["Follower"]["overall"]
    assert runs["Follower"]["ending"] == runs["Rebel"]["ending"] == final.ending
    assert len(store.decisions(runs["Late"]["id"])) == len(best) - 2
    debrief = s.debrief_for(follower)
    assert debrief.overall == analysis.best_run.overall
    assert [c for _, c in debrief.state.path] == best


def test_names_are_data(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, _ = make(store, ep01)
    j(s, "Zoé\x1b[31m [bold]x[/bold]\x07\n  ")
    assert [p["name"] for p in s.participants()] == ["Zoé [bold]x[/bold]"]
    with pytest.raises(SessionError):
        j(s, "\x1b[2J\x00 ")


def test_anonymous_sessions_keep_no_names(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, _ = make(store, ep01, anonymous=True)
    a = j(s, "Alice Martin")
    assert j(s, "Alice Martin") == a
    b = s.join("Alice Martin", "someone-else")[0]
    assert b != a  # a pseudonym per participant: the same typed name is no clash
    stored = [p["name"] for p in s.participants()]
    assert all("Alice" not in n for n in stored) and stored[0] != stored[1]
    assert s.display_name(s.participants()[0], 1) == "Participant 1"


def test_async_progress(store, ep01) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.results.recorder import RunRecorder

    ep, analysis = ep01
    s, _ = make(store, ep01, mode="async")
    pid = j(s, "Ann")
    rec = RunRecorder(store, ep, "Ann", s.lang, source="workshop", analysis=analysis,
                      session_code=s.code, participant_id=pid)
    state, events = engine.begin(ep)
    rec.begin(state, events)
    state, events = engine.choose_number(ep, state, 1)
    rec.step(state, events)
    [p] = s.progress()
    assert p["name"] == "Ann" and p["decisions"] == 1 and p["status"] == "playing"
    assert p["connected"]


def test_live_runs_record_each_decision_its_changes_and_the_scores(store, ep01) -> None:  # type: ignore[no-untyped-def]
    """A workshop run is a whole run: each decision with its score changes (one's own
    choice, and the scene the room went to), scene and scores kept up to date, then the
    ending and final scores; begin + the changes of every decision = the final scores."""
    ep, analysis = ep01
    s, key = make(store, ep01)
    best = [c for _, c in analysis.best_run.path]
    follower, rebel = j(s, "Follower"), j(s, "Rebel")
    start = engine.begin(ep)[0].scores
    runs = {r["player"]: r for r in store.runs(session_code=s.code)}
    assert runs["Follower"]["scores"] == dict(start)  # the first scene's on_enter, shared
    for step, cid in enumerate(best):
        s.vote(follower, s.step, cid)
        s.vote(j(s, f"extra{step}"), s.step, cid)
        if step % 2 == 0:  # the rebel votes on every other scene only
            s.vote(rebel, s.step, next(c.id for c in s.choices() if c.id != cid))
        assert s.decide() == cid
        s.advance()
        if s.phase != "ended":  # mid-session: where the run is and its scores so far
            for pid, name in ((follower, "Follower"), (rebel, "Rebel")):
                run = store.open_run(s.code, pid)
                assert run["status"] == "playing" and run["scene"] == s.group_state().scene
                assert run["scores"] == dict(s.personal_state(s.my_votes(pid)).scores), name
    runs = {r["player"]: r for r in store.runs(session_code=s.code)}
    final = engine.replay(ep, best)
    for name, votes in (("Follower", len(best)), ("Rebel", (len(best) + 1) // 2)):
        run = runs[name]
        assert run["status"] == "finished" and run["ending"] == final.ending
        assert run["ending_kind"] and run["ended_at"] >= run["started_at"]
        decisions = store.decisions(run["id"])
        assert len(decisions) == votes
        assert all(d["at"] >= run["started_at"] and d["changes"] for d in decisions)
        total = dict(start)
        for d in decisions:
            for dim, delta, _scene, _choice in d["changes"]:
                total[dim] += delta
        if name == "Follower":  # voted on every scene: the changes add up to the scores
            assert total == run["scores"] == dict(final.scores)
    rebel = store.decisions(runs["Rebel"]["id"])
    for d in rebel:  # the rebel's own choices, scored as the engine scores them
        assert d["choice"] != best[d["seq"]]
        assert all(c[3] in (d["choice"], None) and c[2] == d["scene"] or c[3] is None
                   for c in d["changes"])


def test_leaving_abandons_the_run_and_joining_again_reopens_it(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    stay, quitter, silent = j(s, "Stay"), j(s, "Quitter"), j(s, "Silent")
    first = s.choices()[0].id
    for pid in (stay, quitter, silent):
        s.vote(pid, s.step, first)
    s.leave(quitter)
    run = store.open_run(s.code, quitter)
    assert run["status"] == "abandoned" and run["ended_at"] is not None
    assert j(s, "Quitter") == quitter  # back in the room: the same run goes on
    assert store.open_run(s.code, quitter)["status"] == "playing"
    s.leave(quitter)  # and gone for good
    s.decide()
    s.advance()
    # Silent's process was killed: no vote since, not seen for longer than CONNECTED_SECONDS
    store.execute("UPDATE participants SET last_seen = ? WHERE id = ?",
                  (time.time() - 60, silent))
    while s.phase != "ended":
        s.vote(stay, s.step, s.choices()[0].id)
        s.decide()
        s.advance()
    status = {r["player"]: r["status"] for r in store.runs(session_code=s.code)}
    assert status == {"Stay": "finished", "Quitter": "abandoned", "Silent": "abandoned"}
    for name in ("Quitter", "Silent"):
        [run] = store.runs(session_code=s.code, player=name)
        assert len(store.decisions(run["id"])) == 1 and run["ending"] is None
    s.leave(stay)  # after the end, leaving changes nothing
    assert store.open_run(s.code, stay)["status"] == "finished"


def test_only_participants_of_the_session_vote(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    other, _ = make(store, ep01)
    outsider = j(other, "Eve")
    first = s.choices()[0].id
    assert s.vote(outsider, s.step, first) == "invalid"  # a participant of another session
    assert s.vote(987654, s.step, first) == "invalid"   # nobody
    assert s.tally() == {}
    assert s.vote(j(s, "Ann"), s.step, first) == "ok" and s.tally() == {first: 1}


def test_a_repeated_create_finds_its_own_session(store, ep01) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.workshop.session import new_identity

    ep, analysis = ep01
    chosen = new_identity()
    once = create_session(store, ep, analysis, "ep01-google-test", identity_=chosen)
    again = create_session(store, ep, analysis, "ep01-google-test", identity_=chosen)
    assert once == again == (chosen[0], chosen[1])
    assert store.query_one("SELECT count(*) AS n FROM sessions")["n"] == 1
