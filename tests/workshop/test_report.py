"""Reports: the json contract, xAPI 1.0.3 statement rules, self-contained HTML, CSV."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
import uuid
from datetime import datetime

import pytest

from sam_cowboy.atomic import write_text_atomic as write_atomic
from sam_cowboy.core.i18n import render
from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.report import render_report
from sam_cowboy.workshop.session import Session, create_session


@pytest.fixture
def played(tmp_path, ep01):  # type: ignore[no-untyped-def]
    """A finished live session: 3 participants, one of them with markup in the name."""
    url = str(tmp_path / "r.db")
    store = open_store(url)
    ep, analysis = ep01
    code, key = create_session(store, ep, analysis, "ep01-google-test", title="<b>Lundi</b>")
    s = Session(store, code)
    people = [s.join(n, "token-" + str(n))[0] for n in ("Ann", "Bob <script>", "=cmd|x")]
    while s.phase != "ended":
        for i, p in enumerate(people):
            s.vote(p, s.step, s.choices()[min(i, 1)].id)
        s.decide()
        s.advance()
    return url, s


def test_json_has_the_contract(played) -> None:  # type: ignore[no-untyped-def]
    _, s = played
    data = json.loads(render_report(s, "json"))
    for k in ("session", "episode", "participants", "runs", "choices", "endings",
              "dimensions"):
        assert k in data
    steps = len(s.path)
    assert sum(data["choices"].values()) == 3 * steps
    assert data["endings"] == {s.group_state().ending: 3}
    for dim in data["dimensions"].values():
        assert {"mean", "min", "max"} <= set(dim) and dim["min"] <= dim["mean"] <= dim["max"]
    # scene/choice; a composed message's id joins its fragments with + (job+promise)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_+-]*", k)
               for k in data["choices"])
    assert data["departures"] and data["debrief_questions"]


def test_anonymous_report_has_no_names(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    store = open_store(str(tmp_path / "a.db"))
    ep, analysis = ep01
    code, _ = create_session(store, ep, analysis, "ep01-google-test", anonymous=True)
    s = Session(store, code)
    s.join("Alice Secret", "token-Alice Secret")[0]
    for fmt in ("json", "md", "html", "csv", "xapi"):
        assert "Alice" not in render_report(s, fmt)


IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


def validate_statement(st: dict) -> None:  # type: ignore[type-arg]
    """The xAPI 1.0.3 rules a Learning Record Store enforces on the parts we send."""
    allowed = {"id", "actor", "verb", "object", "result", "context", "timestamp", "version",
               "attachments", "authority", "stored"}
    assert set(st) <= allowed
    assert str(uuid.UUID(st["id"])) == st["id"]
    assert st["version"].startswith("1.0")
    actor = st["actor"]
    assert actor.get("objectType", "Agent") == "Agent"
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    assert len(ifis) == 1, "an Agent has exactly one inverse functional identifier"
    if "account" in actor:
        assert set(actor["account"]) == {"homePage", "name"}
        assert IRI.match(actor["account"]["homePage"]) and actor["account"]["name"]
    verb = st["verb"]
    assert IRI.match(verb["id"])
    assert all(LANG.match(k) for k in verb.get("display", {}))
    obj = st["object"]
    assert obj.get("objectType", "Activity") == "Activity" and IRI.match(obj["id"])
    definition = obj.get("definition", {})
    for key in ("name", "description"):
        assert all(LANG.match(k) for k in definition.get(key, {}))
    if "type" in definition:
        assert IRI.match(definition["type"])
    if "interactionType" in definition:
        assert definition["interactionType"] in (
            "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
            "sequencing", "likert", "numeric", "other")
        ids = [c["id"] for c in definition.get("choices", [])]
        assert len(ids) == len(set(ids))
    result = st.get("result", {})
    if "score" in result:
        score = result["score"]
        assert set(score) <= {"scaled", "raw", "min", "max"}
        if "scaled" in score:
            assert -1 <= score["scaled"] <= 1
        if "min" in score and "max" in score:
            assert score["min"] < score["max"]
        if "raw" in score:
            assert score.get("min", score["raw"]) <= score["raw"] <= score.get("max",
                                                                                score["raw"])
    if "response" in result:
        assert isinstance(result["response"], str)
    if "duration" in result:
        assert re.fullmatch(r"P(T(\d+(\.\d+)?[HMS])+)", result["duration"])
    for key in ("completion", "success"):
        if key in result:
            assert isinstance(result[key], bool)
    context = st.get("context", {})
    if "registration" in context:
        uuid.UUID(context["registration"])
    for group in context.get("contextActivities", {}).values():
        assert all(IRI.match(a["id"]) for a in group)
    assert all(IRI.match(k) for k in context.get("extensions", {}))
    assert all(IRI.match(k) for k in result.get("extensions", {}))
    ts = st["timestamp"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", ts)
    datetime.fromisoformat(ts.replace("Z", "+00:00"))


def test_xapi_statements_follow_the_rules(played) -> None:  # type: ignore[no-untyped-def]
    _, s = played
    statements = json.loads(render_report(s, "xapi"))
    for st in statements:
        validate_statement(st)
    completed = [x for x in statements if x["verb"]["id"].endswith("/completed")]
    answered = [x for x in statements if x["verb"]["id"].endswith("/answered")]
    runs = s.store.runs(session_code=s.code)
    assert len(completed) == len(runs) == 3
    assert len(answered) == len(s.store.session_decisions(s.code)) == 3 * len(s.path)
    by_registration = {x["context"]["registration"] for x in completed}
    assert len(by_registration) == 3
    for x in answered:
        scene = x["object"]["id"].rsplit("/", 1)[1]
        assert x["result"]["response"] in {c.id for c in s.episode.scenes[scene].choices}
        assert x["result"]["response"] in [c["id"] for c in x["object"]["definition"]["choices"]]
    overall = {r["overall"] for r in runs}
    assert {x["result"]["score"]["raw"] for x in completed} == overall
    assert len({x["id"] for x in statements}) == len(statements)
    assert json.loads(render_report(s, "xapi")) == statements  # stable ids: no duplicates


def test_html_is_one_self_contained_file(played) -> None:  # type: ignore[no-untyped-def]
    _, s = played
    page = render_report(s, "html")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "<b>Lundi</b>" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_csv_and_markdown(played) -> None:  # type: ignore[no-untyped-def]
    _, s = played
    rows = list(csv.DictReader(io.StringIO(render_report(s, "csv"))))
    assert len(rows) == 3 * len(s.path)
    assert all(not r["participant"].startswith("=") for r in rows)
    md = render_report(s, "md")
    assert "Bob \\<script\\>" in md and "## Questions for the group" in md


def test_report_command_writes_atomically(played, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, s = played
    out = tmp_path / "out" / "report.json"
    r = subprocess.run([sys.executable, "-m", "sam_cowboy", "report", s.code, "--format",
                        "json", "-o", str(out), "--db", url], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(out.read_text())["session"]["code"] == s.code
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]
    r = subprocess.run([sys.executable, "-m", "sam_cowboy", "report", "QQQQQQ", "--db", url],
                       capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "QQQQQQ" in r.stderr
    assert "Traceback" not in r.stderr


def test_write_atomic_keeps_the_old_file_on_failure(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "r.md"
    target.write_text("old")

    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


def test_departures_from_the_best_run_and_debrief_questions(played) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from sam_cowboy.core.i18n import render

    _, s = played
    data = json.loads(render_report(s, "json"))
    best = dict(s.analysis.best_run.path)
    expected: Counter[tuple[str, str, str]] = Counter(
        (d["scene"], d["choice"], best[d["scene"]])
        for d in s.store.session_decisions(s.code)
        if d["scene"] in best and d["choice"] != best[d["scene"]])
    got = [(d["scene"], d["choice"], d["best"], d["count"]) for d in data["departures"]]
    assert got and len(got) == min(5, len(expected))
    assert [n for *_, n in got] == sorted((n for *_, n in got), reverse=True)
    for scene, choice, best_choice, n in got:
        assert expected[(scene, choice, best_choice)] == n
    assert max(expected.values()) == got[0][3]
    assert min(n for *_, n in got) >= sorted(expected.values(), reverse=True)[len(got) - 1]
    questions = [render(q, s.lang, s.episode.default_language) for q in s.episode.debrief]
    assert data["debrief_questions"] == questions and questions
    md, page = render_report(s, "md"), render_report(s, "html")
    top = data["departures"][0]
    line = f"{top['count']} × “{top['choice_text']}” instead of “{top['best_text']}”"
    assert line in md.replace("\\", "") and html.escape(line) in page
    for q in questions:
        assert q in md.replace("\\", "") and html.escape(q) in page


def test_anonymous_played_session_shows_no_name_in_any_format(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    store = open_store(str(tmp_path / "a.db"))
    ep, analysis = ep01
    code, key = create_session(store, ep, analysis, "ep01-google-test", anonymous=True)
    s = Session(store, code)
    people = [s.join(n, "token-" + str(n))[0] for n in ("Alice Secret", "Bob Hidden")]
    while s.phase != "ended":
        for p in people:
            s.vote(p, s.step, s.choices()[0].id)
        s.decide()
        s.advance()
    stored = {r["player"] for r in store.runs(session_code=code)}
    for fmt in ("json", "md", "html", "csv", "xapi"):
        text = render_report(s, fmt)
        assert "Alice" not in text and "Bob" not in text and "Secret" not in text, fmt
        assert not any(p in text for p in stored), fmt  # nor the hash that resumes them
        if fmt in ("json", "md", "html", "csv"):
            assert "Participant 1" in text and "Participant 2" in text, fmt
    for st in json.loads(render_report(s, "xapi")):
        assert "name" not in st["actor"] and st["actor"]["account"]["name"].startswith(code)


def test_xapi_for_abandoned_and_unfinished_runs(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    """A run left before its end has its `answered` statements, one `abandoned` (cmi5's
    verb, completion false) and no `completed`; a run still playing has no `abandoned`."""
    store = open_store(str(tmp_path / "x.db"))
    ep, analysis = ep01
    code, key = create_session(store, ep, analysis, "ep01-google-test")
    s = Session(store, code)
    stay, quitter = s.join("Stay", "token-Stay")[0], s.join("Quit", "token-Quit")[0]
    s.vote(stay, s.step, s.choices()[0].id)
    s.vote(quitter, s.step, s.choices()[1].id)
    s.decide(s.choices()[0].id)  # a tie: the facilitator's
    s.advance()
    s.leave(quitter)
    statements = json.loads(render_report(s, "xapi"))
    for st in statements:
        validate_statement(st)
    assert sorted(st["verb"]["display"]["en-US"] for st in statements) == \
        ["abandoned", "answered", "answered"]
    left = [st for st in statements if st["verb"]["id"].endswith("/abandoned")]
    assert left[0]["actor"]["name"] == "Quit" and left[0]["result"]["completion"] is False
    statements = [st for st in statements if st not in left]
    assert {st["result"]["response"] for st in statements} == \
        {c.id for c in s.episode.scenes["monday-email"].choices[:2]}
    while s.phase != "ended":
        s.vote(stay, s.step, s.choices()[0].id)
        s.decide()
        s.advance()
    statements = json.loads(render_report(s, "xapi"))
    completed = [st for st in statements if st["verb"]["display"]["en-US"] == "completed"]
    assert len(completed) == 1 and completed[0]["actor"]["name"] == "Stay"
    score = completed[0]["result"]["score"]
    assert -1 <= score["scaled"] <= 1 and score["min"] <= score["raw"] <= score["max"]
    assert score["scaled"] == score["raw"] / 100
    answered = [st for st in statements if st["verb"]["display"]["en-US"] == "answered"]
    assert len(answered) == len(s.store.session_decisions(s.code)) == len(s.path) + 1


def test_html_draws_its_charts_as_inline_svg(played) -> None:  # type: ignore[no-untyped-def]
    _, s = played
    data = json.loads(render_report(s, "json"))
    page = render_report(s, "html")
    # one chart per scene with votes, one for the endings, one for the dimensions
    assert page.count("<svg") == len(data["scenes"]) + 2
    assert page.count("<svg") == page.count("</svg>")
    assert not re.search(r"<(link|script|img|iframe|object|embed)\b", page)
    assert "url(" not in page and "@import" not in page


def test_every_decided_scene_with_the_rooms_choice_even_without_votes(tmp_path, ep01) -> None:  # type: ignore[no-untyped-def]
    store = open_store(str(tmp_path / "n.db"))
    ep, analysis = ep01
    code, _ = create_session(store, ep, analysis, "ep01-google-test", lang="en")
    s = Session(store, code)
    ann = s.join("Ann", "token-Ann")[0]
    s.vote(ann, s.step, s.choices()[0].id)
    s.decide()
    s.advance()
    nobody_scene = s.group_state().scene
    pick = s.choices()[1]
    s.decide(pick.id)  # nobody voted: the facilitator picks the room's choice
    s.advance()
    data = json.loads(render_report(s, "json"))
    assert [sc["scene"] for sc in data["scenes"]] == [a for a, _ in s.path]
    silent = data["scenes"][1]
    assert silent["scene"] == nobody_scene and silent["room_choice"] == pick.id
    assert sum(c["count"] for c in silent["choices"]) == 0
    text = render(pick.text, "en", ep.default_language)
    md = render_report(s, "md")
    assert "The room's choice: **" in md and "room's choice" in md
    page = render_report(s, "html")
    assert "◆ The room&#x27;s choice" in page or "◆ The room's choice" in page
    assert html.escape(text.split()[0]) in page


def test_endings_by_title_and_html_labels_whole_with_words_for_the_best(played) -> None:  # type: ignore[no-untyped-def]
    _, s = played
    data = json.loads(render_report(s, "json"))
    ending = s.group_state().ending
    title = data["ending_titles"][ending]
    assert title != ending
    md = render_report(s, "md")
    page = render_report(s, "html")
    rows = [line for line in md.splitlines() if line.startswith("| Ann")]
    assert ending not in rows[0] and title.split()[0] in rows[0]
    assert "…" not in page  # no label cut short
    for sc in data["scenes"]:
        for c in sc["choices"]:
            for word in c["text"].split()[-2:]:
                assert html.escape(word) in page
    assert "★ best run" in page and "◆ room" in page


def test_report_file_mode_follows_the_umask(played, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import stat

    url, s = played
    out = tmp_path / "r.md"
    r = subprocess.run([sys.executable, "-m", "sam_cowboy", "report", s.code, "-o", str(out),
                        "--db", url], capture_output=True, text=True,
                       preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_xapi_actor_homepage_names_the_lms_accounts(played) -> None:  # type: ignore[no-untyped-def]
    _, s = played
    statements = json.loads(render_report(s, "xapi", actor_homepage="https://lms.example/"))
    accounts = {st["actor"]["account"]["homePage"] for st in statements}
    assert accounts == {"https://lms.example/"}
    assert {st["actor"]["account"]["name"] for st in statements} >= {"Ann"}


def test_report_through_the_server_needs_the_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from workshop.support import RunningServer, create

    with RunningServer(str(tmp_path / "s.db")) as server:
        made = asyncio.run(create(server.url))
        base = [sys.executable, "-m", "sam_cowboy", "report", made["code"], "--server",
                server.url, "--format", "json"]
        env = {**__import__("os").environ, "SAM_COWBOY_DATA_DIR": str(tmp_path / "d")}
        ok = subprocess.run(base, capture_output=True, text=True,
                            env={**env, "SAM_COWBOY_FACILITATOR_KEY": made["key"]})
        assert ok.returncode == 0, ok.stderr
        assert json.loads(ok.stdout)["session"]["code"] == made["code"]
        bad = subprocess.run(base, capture_output=True, text=True,
                             env={**env, "SAM_COWBOY_FACILITATOR_KEY": "wrong"})
        assert bad.returncode == 1 and "facilitator key" in bad.stderr
