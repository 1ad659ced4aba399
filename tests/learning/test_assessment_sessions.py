"""Workshop sessions created with --assess: their runs count as assessments."""

from __future__ import annotations

from datetime import date

from sam_cowboy.commands.common import load_playable
from sam_cowboy.results import learning
from sam_cowboy.results.store import Store
from sam_cowboy.workshop.session import Session, create_session


def test_runs_of_an_assessment_session_are_assessments(store: Store) -> None:
    ep, analysis = load_playable("ep04-illectronisme")
    code, _ = create_session(store, ep, analysis, ep.id, mode="async", assess=True)
    other, _ = create_session(store, ep, analysis, ep.id, mode="async")
    assert Session(store, code).row["assessment"] == 1
    assert Session(store, other).row["assessment"] == 0
    kw = {"episode_id": ep.id, "episode_hash": ep.content_hash, "lang": "en"}
    in_assess = store.start_run(player="ana", session_code=code, **kw)
    in_other = store.start_run(player="ana", session_code=other, **kw)
    solo = store.start_run(player="ana", **kw)
    learning.mark_assessment(store, solo)
    assert learning.assessment_runs(store) == {in_assess, solo}
    assert in_other not in learning.assessment_runs(store)


def test_commitments_and_follow_ups_on_both_backends(store: Store) -> None:
    cid = learning.add_commitment(store, run_id=None, player="ana", episode_id="ep",
                                  action="Call [bold]Paul[/]\x1b[2J", due=date(2026, 3, 9))
    (row,) = learning.commitments(store, player="ana")
    assert row["status"] == "open" and row["action"] == "Call [bold]Paul[/]\x1b[2J"
    learning.follow_up(store, cid, "not yet", None, date(2026, 3, 10))
    (row,) = learning.commitments(store)
    assert row["status"] == "not yet" and row["due"] == "2026-03-09"
    assert [u["status"] for u in learning.follow_ups(store, [cid])] == ["not yet"]
    assert learning.commitments(store, player="bob") == []


def test_session_report_shows_reflections_commitments_and_pre_post(store: Store) -> None:
    from sam_cowboy.core import engine
    from sam_cowboy.results.recorder import RunRecorder
    from sam_cowboy.workshop.report import render_report

    ep, analysis = load_playable("ep04-illectronisme")
    pre, _ = create_session(store, ep, analysis, ep.id, mode="async", assess=True)
    post, _ = create_session(store, ep, analysis, ep.id, mode="async", assess=True)
    for code, path in ((pre, ["back-excuse", "do-it"]), (post, ["own-flop", "ask"])):
        rec = RunRecorder(store, ep, "ana", "en", source="workshop", analysis=analysis,
                          session_code=code)
        state, events = engine.begin(ep)
        rec.begin(state, events)
        for choice in path:
            state, events = engine.choose(ep, state, choice)
            rec.step(state, events)
        rec.finish(state)
        store.execute("UPDATE runs SET status = 'finished' WHERE id = ?", (rec.run_id,))
        learning.save_reflection(store, rec.run_id or 0, f"<i>{code}</i>")
    learning.add_commitment(store, run_id=rec.run_id, player="ana", episode_id=ep.id,
                            action="Ask [bold]first[/]", due=date(2026, 3, 9))
    md = render_report(Session(store, post), "md")
    assert "Ask [bold]first[/]" in md or "Ask \\[bold\\]first\\[/\\]" in md
    assert "Before and after" in md and "(1 participants)" in md
    page = render_report(Session(store, post), "html")
    assert f"&lt;i&gt;{post}&lt;/i&gt;" in page and "<i>" not in page
    assert "Before and after" in page


def test_session_xapi_has_the_transfer_statements(store: Store) -> None:
    import json

    from sam_cowboy.workshop.report import render_report

    ep, analysis = load_playable("ep04-illectronisme")
    code, _ = create_session(store, ep, analysis, ep.id, mode="async", anonymous=True)
    run = store.start_run(player="Fox 12", session_code=code, participant_id=7,
                          episode_id=ep.id, episode_hash=ep.content_hash, lang="en")
    store.execute("UPDATE runs SET status = 'finished', ended_at = 1 WHERE id = ?", (run,))
    learning.save_reflection(store, run, "I'd listen")
    cid = learning.add_commitment(store, run_id=run, player="Fox 12", episode_id=ep.id,
                                  action="Ask first", due=date(2026, 3, 9))
    learning.follow_up(store, cid, "done", "ok", date(2026, 3, 10))
    statements = json.loads(render_report(Session(store, code), "xapi"))
    mine = {s["result"]["response"]: s for s in statements if "response" in s["result"]}
    assert {"I'd listen", "Ask first", "done"} <= set(mine)
    for response in ("I'd listen", "Ask first", "done"):
        s = mine[response]
        assert s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
        assert s["actor"]["name"] == f"{code}-7"    # anonymous: no name from the store
        assert s["version"] == "1.0.3" and s["timestamp"]
