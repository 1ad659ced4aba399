from __future__ import annotations

import time

import pytest

from sam_cowboy.core import engine
from sam_cowboy.workshop.session import ALPHABET, CODE_LENGTH, Session, SessionError, create_session, normalise_code


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
    a, b = s.join("Ann"), s.join("Bob")
    assert s.join("Ann") == a  # same name: same participant (resume)
    first, second = [c.id for c in s.choices()][:2]
    assert s.vote(a, first) == "ok"
    assert s.vote(a, second) == "ok"   # changed, not added
    assert s.vote(a, second) == "ok"
    assert s.vote(b, second) == "ok"
    assert s.vote(b, "no-such-choice") == "invalid"
    assert s.tally() == {second: 2}
    s.lock(key)
    assert s.vote(a, first) == "locked"
    assert s.tally() == {second: 2}


def test_only_the_key_facilitates(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    for action in (lambda k: s.reveal(k), lambda k: s.lock(k), lambda k: s.decide(k),
                   lambda k: s.advance(k), lambda k: s.countdown(k, 5)):
        with pytest.raises(SessionError, match="facilitator key"):
            action("wrong-key")
    assert s.refresh()["phase"] == "open" and not s.row["revealed"]
    assert s.authorised(key) and not s.authorised(None)


def test_countdown_locks(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    a = s.join("Ann")
    s.countdown(key, 0.3)
    assert s.vote(a, s.choices()[0].id) == "ok"
    time.sleep(0.4)
    assert s.vote(a, s.choices()[1].id) == "locked"
    assert s.phase == "locked"


def test_tie_is_the_facilitators(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, key = make(store, ep01)
    a, b = s.join("Ann"), s.join("Bob")
    c1, c2 = [c.id for c in s.choices()][:2]
    s.vote(a, c1)
    s.vote(b, c2)
    assert s.decide(key) is None
    assert s.phase == "locked"
    assert s.decide(key, c2) == c2
    s.advance(key)
    assert s.path == [("monday-email", c2)] and s.phase == "open" and s.step == 1


def test_group_run_and_personal_scores(store, ep01) -> None:  # type: ignore[no-untyped-def]
    ep, analysis = ep01
    s, key = make(store, ep01, title="Team [b]A[/b]")
    best = [c for _, c in analysis.best_run.path]
    follower, rebel, late = s.join("Follower"), s.join("Rebel"), s.join("Late")
    for i, cid in enumerate(best):
        s.vote(follower, cid)
        other = next(c.id for c in s.choices() if c.id != cid)
        s.vote(rebel, other)
        if i >= 2:
            s.vote(late, cid)
        s.vote(s.join(f"extra{i}"), cid)  # keeps the best choice ahead of the rebel
        assert s.decide(key) == cid
        s.advance(key)
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
    s.join("Zoé\x1b[31m [bold]x[/bold]\x07\n  ")
    assert [p["name"] for p in s.participants()] == ["Zoé [bold]x[/bold]"]
    with pytest.raises(SessionError):
        s.join("\x1b[2J\x00 ")


def test_anonymous_sessions_keep_no_names(store, ep01) -> None:  # type: ignore[no-untyped-def]
    s, _ = make(store, ep01, anonymous=True)
    a = s.join("Alice Martin")
    assert s.join("Alice Martin") == a
    stored = [p["name"] for p in s.participants()]
    assert "Alice" not in stored[0]
    assert s.display_name(s.participants()[0], 1) == "Participant 1"


def test_async_progress(store, ep01) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.results.recorder import RunRecorder

    ep, analysis = ep01
    s, _ = make(store, ep01, mode="async")
    pid = s.join("Ann")
    rec = RunRecorder(store, ep, "Ann", s.lang, source="workshop", analysis=analysis,
                      session_code=s.code, participant_id=pid)
    state, events = engine.begin(ep)
    rec.begin(state, events)
    state, events = engine.choose_number(ep, state, 1)
    rec.step(state, events)
    [p] = s.progress()
    assert p["name"] == "Ann" and p["decisions"] == 1 and p["status"] == "playing"
    assert p["connected"]
