"""The participants' debrief from the core view model, the transfer step through the server,
assessment sessions and compose scenes, against a real server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sam_cowboy.results import learning
from sam_cowboy.workshop.plainhost import state_lines
from sam_cowboy.workshop.session import Session
from workshop.support import Peer, RunningServer, create, facilitator, http, participant

EVIL = "[bold]x[/] [0] <b>y</b> \x1b[2J done"


def best_vote(state: dict[str, Any], best: dict[str, str]) -> dict[str, Any]:
    """The best run's choice at this scene (as fragments on a compose scene), else the
    first choice."""
    choice = best.get(state["scene"]["id"], state["choices"][0]["id"])
    if state.get("compose"):
        return {"fragments": choice.split("+")}
    return {"choice": choice}


def worst_vote(state: dict[str, Any], best: dict[str, str]) -> dict[str, Any]:
    """Anything but the best run's choice where there is another."""
    others = [c["id"] for c in state["choices"] if c["id"] != best.get(state["scene"]["id"])]
    return {"choice": (others or [state["choices"][0]["id"]])[-1]}


async def play_to_end(f: Peer, voters: list[tuple[Peer, Any]], best: dict[str, str],
                      seen: list[dict[str, Any]] | None = None) -> None:
    """Each voter votes by its rule at every scene; the facilitator settles by the first
    voter's vote (a pick), until the ending."""
    step = 0
    while True:
        s = await f.until(lambda s, n=step: s["step"] == n)
        if s["phase"] == "ended":
            return
        chosen = []
        for peer, rule in voters:
            state = await peer.until(lambda s, n=step: s["step"] == n and s["phase"] == "open")
            reply = await peer.request("vote", step=step, **rule(state, best))
            assert reply["ok"], reply
            chosen.append(reply["choice"])
        lead = await f.until(lambda s, n=step: s["step"] == n and
                             s["votes_cast"] == len(voters))
        await f.request("pick", step=step, choice=chosen[0])
        decided = await voters[0][0].until(lambda s, n=step: s["step"] == n and
                                           s["phase"] == "decided")
        if seen is not None:
            seen.append(decided)
        assert lead["votes_cast"] == len(voters)
        assert (await f.request("next", step=step))["ok"]
        step += 1


def best_path(server: RunningServer, code: str) -> dict[str, str]:
    s = Session(server.store, code)
    assert s.analysis.best_run is not None
    out: dict[str, str] = {}
    for scene, choice in s.analysis.best_run.path:
        out.setdefault(scene, choice)
    return out


def test_the_debrief_is_the_core_view_model_and_the_transfer_step_is_stored(
        server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-03-02")

    async def go() -> None:
        made = await create(server.url)
        code = made["code"]
        best = best_path(server, code)
        async with http() as h:
            f = await facilitator(h, server.url, code, made["key"])
            alice = await participant(h, server.url, code, "Alice")
            bob = await participant(h, server.url, code, "Bob")
            early = await alice.request("reflect", text="too soon")
            assert not early["ok"] and "end" in early["message"]
            await play_to_end(f, [(alice, best_vote), (bob, worst_vote)], best)
            mine = await alice.until(lambda s: s["phase"] == "ended" and bool(s.get("debrief")))
            theirs = await bob.until(lambda s: s["phase"] == "ended" and bool(s.get("debrief")))
            s = Session(server.store, code)
            ids = {p["name"]: int(p["id"]) for p in s.participants()}
            for state, who in ((mine, "Alice"), (theirs, "Bob")):
                core = s.debrief_for(ids[who])
                d = state["debrief"]
                assert d["overall"]["percent"] == core.overall
                assert [(x["id"], x["percent"], x["level"], x["exercised"])
                        for x in d["dimensions"]] == \
                    [(x.id, x.percent, x.level, x.exercised) for x in core.dimensions]
                assert [(k["scene"], k["choice"], k["verdict"]) for k in d["key_decisions"]] \
                    == [(k.scene, k.choice, k.verdict) for k in core.key_decisions]
                assert [(r["scene"], r["same"]) for r in d["path"]] == \
                    [(r.scene, r.same) for r in core.path]
                assert (d["weakest"] or {}).get("id") == core.weakest
                assert d["transfer"]["due"] == "2026-03-09"
                assert d["transfer"]["question"] and d["transfer"]["reflection"] is None
            assert mine["debrief"]["overall"]["percent"] > theirs["debrief"]["overall"]["percent"]
            offer = theirs["debrief"]["transfer"]
            assert offer["proposals"], offer

            # typed text is data: stored exactly as typed
            assert (await alice.request("reflect", text=EVIL))["ok"]
            assert (await alice.request("reflect", text="x" * 1001))["result"] == "invalid"
            again = await alice.until(lambda s: (s.get("debrief") or {}).get(
                "transfer", {}).get("reflection") == EVIL)
            assert again["debrief"]["transfer"]["commitment"] is None
            committed = await alice.request("commit", action=EVIL)
            assert committed["ok"] and committed["due"] == "2026-03-09"
            repeated = await alice.request("commit", proposal=1)
            assert repeated["result"] == "already" and repeated["action"] == EVIL
            bad_day = await bob.request("commit", proposal=1, due="next week")
            assert bad_day["result"] == "invalid"
            assert (await bob.request("commit", proposal=9))["result"] == "invalid"
            picked = await bob.request("commit", proposal=2 if len(offer["proposals"]) > 1
                                       else 1, due="2026-04-01")
            assert picked["ok"] and picked["due"] == "2026-04-01"
            await alice.until(lambda s: (s.get("debrief") or {}).get("transfer", {}).get(
                "commitment") == {"action": EVIL, "due": "2026-03-09"})
            for p in (f, alice, bob):
                await p.close()
        return code

    code = asyncio.run(go())
    runs = {r["player"]: r for r in server.store.runs(session_code=code)}
    assert runs["Alice"]["reflection"] == EVIL and not runs["Bob"].get("reflection")
    rows = {c["player"]: c for c in learning.commitments(server.store)}
    assert rows["Alice"]["action"] == EVIL and rows["Alice"]["own"]
    assert rows["Alice"]["run_id"] == runs["Alice"]["id"]
    assert not rows["Bob"]["own"] and rows["Bob"]["due"] == "2026-04-01"

    from sam_cowboy.workshop.report import render_report

    s = Session(server.store, code)
    md = render_report(s, "md")
    assert "\x1b" not in md and "[bold]x[/] [0]" in md.replace("\\", "")
    html = render_report(s, "html")
    assert "\x1b" not in html and "<b>y</b>" not in html
    assert "[bold]x[/] [0] &lt;b&gt;y&lt;/b&gt;" in html
    data = json.loads(render_report(s, "json"))
    assert [r["answer"] for r in data["transfer"]["reflections"]] == [EVIL]
    assert {c["action"] for c in data["transfer"]["commitments"]} >= {EVIL}
    statements = json.loads(render_report(s, "xapi"))
    responses = [st["result"].get("response") for st in statements if "result" in st]
    assert EVIL in responses
    assert sum(1 for st in statements if st["result"].get("response") == EVIL
               if "result" in st) == 2  # the reflection and the commitment


def test_anonymous_commitments_keep_the_pseudonym(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> str:
        made = await create(server.url, anonymous=True)
        code = made["code"]
        best = best_path(server, code)
        async with http() as h:
            f = await facilitator(h, server.url, code, made["key"])
            alice = await participant(h, server.url, code, "Alice Martin")
            await play_to_end(f, [(alice, best_vote)], best)
            await alice.until(lambda s: s["phase"] == "ended" and bool(s.get("debrief")))
            assert (await alice.request("commit", action="Call Paul"))["ok"]
            for p in (f, alice):
                await p.close()
        return code

    code = asyncio.run(go())
    (row,) = learning.commitments(server.store)
    assert "Alice" not in row["player"]
    assert row["player"] == server.store.participants(code)[0]["name"]


def test_an_assessment_holds_scores_and_lessons_back_until_the_debrief(
        server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url, assess=True)
        code = made["code"]
        best = best_path(server, code)
        seen: list[dict[str, Any]] = []
        async with http() as h:
            f = await facilitator(h, server.url, code, made["key"])
            alice = await participant(h, server.url, code, "Alice")
            await play_to_end(f, [(alice, worst_vote)], best, seen)
            end = await alice.until(lambda s: s["phase"] == "ended" and bool(s.get("debrief")))
            for p in (f, alice):
                await p.close()
        assert seen and all(s["assessment"] for s in seen)
        for s in seen + [end]:
            for out in (s["outcome"], s["previous"]):
                if out:
                    assert out["worth"] == {}
                    assert not any("**" in x for x in out["feedback"])
        held = end["debrief"]["held"]
        assert held and any("**" in x for x in held)
    asyncio.run(go())


def test_each_person_composes_and_the_room_sees_the_top_messages(
        server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url, lang="en")
        code = made["code"]
        best = best_path(server, code)
        async with http() as h:
            f = await facilitator(h, server.url, code, made["key"])
            people = [await participant(h, server.url, code, n) for n in ("A", "B", "C")]
            step = 0
            while True:  # the best run's path to the compose scene
                s = await f.until(lambda s, n=step: s["step"] == n)
                if s.get("compose"):
                    break
                await f.request("pick", step=step, choice=best[s["scene"]["id"]])
                await f.request("next", step=step)
                step += 1
            spec = s["compose"]
            ids = [x["id"] for x in spec["fragments"]]
            assert spec["pick_min"] <= 2 <= spec["pick_max"]
            wanted = best[s["scene"]["id"]].split("+")
            other = [x for x in ids if x not in wanted][:2]
            for peer, fragments in zip(people, (wanted, list(reversed(wanted)), other),
                                       strict=True):
                await peer.until(lambda s, n=step: s["step"] == n and s["phase"] == "open")
                reply = await peer.request("vote", step=step, fragments=fragments)
                assert reply["ok"], reply
            bad = await people[0].request("vote", step=step, fragments=[ids[0]])
            assert bad["result"] == "invalid"
            state = await f.until(lambda s, n=step: s["step"] == n and s["votes_cast"] == 3)
            message = "+".join(wanted)
            tally = state["tally"]
            # an unordered message is the same whichever order it was built in
            assert tally[message] == 2 and sum(tally.values()) == 3
            assert message in {c["id"] for c in state["choices"]}
            hidden = "\n".join(state_lines(state))
            assert "3 of 3 participants composed a message" in hidden
            assert "most-chosen" not in hidden and "Sales Engineer" not in hidden
            await f.request("reveal", step=step)
            shown = "\n".join(state_lines(await f.until(lambda s: s["revealed"])))
            number = next(c["n"] for c in state["choices"] if c["id"] == message)
            top = shown.split("The most-chosen messages:\n", 1)[1].splitlines()
            assert top[0] == f" {number}. “Sales Engineer, Vectalis | I help logistics teams " \
                "get through peak season without sleepless nights”: 2 votes"
            assert top[1].endswith(": 1 vote") and len(top) == 3
            assert top[2].startswith("The room's message: Sales Engineer, Vectalis | I help")
            assert (await f.request("next", step=step))["ok"]
            after = await people[2].until(lambda s, n=step: s["step"] == n + 1)
            assert after["previous"]["winner"] == message
            for p in (f, *people):
                await p.close()
    asyncio.run(go())


def test_transfer_writes_are_rate_limited(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        made = await create(server.url, mode="async")
        async with http() as h:
            alice = await participant(h, server.url, made["code"], "Alice")
            results = [(await alice.request("reflect", text="x"))["result"] for _ in range(31)]
            assert results[:30] == ["invalid"] * 30 and results[30] == "rate"
            await alice.close()
    asyncio.run(go())


def test_join_plain_in_an_assessment_shows_no_score_or_principle_before_the_end(
        server) -> None:  # type: ignore[no-untyped-def]
    import io
    import re

    from sam_cowboy.core import engine
    from sam_cowboy.core.engine import FeedbackShown
    from sam_cowboy.core.i18n import render
    from sam_cowboy.workshop.plainjoin import join_plain

    made = asyncio.run(create(server.url, mode="async", assess=True, lang="en"))
    s = Session(server.store, made["code"])
    assert s.analysis.best_run is not None
    ep, state = s.episode, engine.begin(s.episode)[0]
    lines, principles = [], []
    for _, choice in s.analysis.best_run.path:
        if "+" in choice:
            shown = [f.id for f in engine.fragments_shown(ep, state)]
            lines.append("+".join(str(shown.index(x) + 1) for x in choice.split("+")))
        else:
            lines.append(str([c.id for c in engine.choices_shown(ep, state)].index(choice) + 1))
        state, events = engine.choose(ep, state, choice)
        for e in events:
            if isinstance(e, FeedbackShown):
                principles += re.findall(r"\*\*(.+?)\*\*", render(e.text, "en", "en", e.variables))
    assert principles
    feed = iter([*(x + "\n" for x in lines), "\n", "\n"])
    out = io.StringIO()
    join_plain(server.url, made["code"], "Ann", "en", out, lambda: next(feed, None), False)
    text = out.getvalue()
    assert "Assessment: scores and lessons are shown at the end." in text
    before, after = text.split("# Before the numbers, one question", 1)
    assert not any(p in before for p in principles), before
    change = re.search(r".{0,60}(?<![\w-])[+-]\d+ \w.{0,30}", before)  # "(-1 Relation"
    assert change is None, change
    assert "What each consequence taught" in after and all(p in after for p in principles)
