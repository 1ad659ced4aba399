"""`sam-cowboy report --evidence`: first against later attempts, pre/post of assessments,
commitments and follow-ups, one HTML page with every stored text escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

from learning_support import sam

EP = "ep04-illectronisme"
BEST = ["2", "3", "2", "3", "3", "1", "4", "3", "2"]
WORST = ["1", "1", "1", "1", "1"]


def lines(*items: str) -> str:
    return "".join(f"{i}\n" for i in items)


def seed(db: Path) -> None:
    hostile = "[bold]x[/] <script>alert(1)</script>\x1b[2J"
    # ana: a first assessment (worst), then a later one (best); bob: one practice-free run
    sam(db, "play", EP, "--plain", "--lang", "en", "--assess",
        stdin=lines(*WORST, hostile, hostile), today="2026-03-02", player="ana")
    sam(db, "play", EP, "--plain", "--lang", "en", "--assess",
        stdin=lines(*BEST, "", ""), today="2026-03-05", player="ana")
    sam(db, "play", EP, "--plain", "--lang", "en", stdin=lines(*BEST, "", "1"),
        today="2026-03-02", player="bob")
    sam(db, "play", EP, "--plain", "--lang", "en", stdin=lines("1", "done <b>"),
        today="2026-03-15", player="bob")


def test_evidence_json_counts_first_and_later_and_pre_post(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    seed(db)
    done = sam(db, "report", "--evidence", EP, "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (ep,) = data["episodes"]
    assert ep["trainees"] == 2 and ep["assessments"] == 2
    first = ep["decisions"][0]                      # Monday meeting
    assert first["first_attempts"] == 2 and first["later_attempts"] == 1
    by_id = {o["id"]: o for o in first["options"]}
    assert by_id["own-flop"]["best"] and by_id["own-flop"]["first"] == 1
    assert by_id["own-flop"]["later"] == 1 and by_id["own-flop"]["later_share"] == 100.0
    assert by_id["back-excuse"]["first_share"] == 50.0
    (pair,) = ep["pre_post"]["trainees"]
    assert pair["player"] == "ana" and pair["post_overall"] > pair["pre_overall"]
    room = ep["pre_post"]["room"]
    assert room["dimensions"]["authenticity"]["post"] > room["dimensions"]["authenticity"]["pre"]
    monday = next(x for x in room["decisions"] if x["scene"] == "monday-meeting")
    assert (monday["pre_best"], monday["post_best"]) == (0, 1)
    c = data["commitments"]
    assert c["made"] == 2 and c["follow_ups_answered"] == 1
    assert c["by_status"] == {"open": 1, "done": 1, "partly": 0, "not yet": 0}


def test_evidence_html_is_one_escaped_page(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    seed(db)
    out = tmp_path / "evidence.html"
    done = sam(db, "report", "--evidence", EP, "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text()
    assert page.startswith("<!doctype html>") and page.count("<html") == 1
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\x1b" not in page and "[bold]x[/]" in page
    assert "done &lt;b&gt;" in page
    # readable without a legend: every number says what it counts
    assert re.search(r"First attempts \(2 runs\)", page)
    assert "1 of 2 (50%)" in page
    assert "Before (first assessment)" in page and "2 commitments made" in page


def test_evidence_xapi_statements(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    seed(db)
    done = sam(db, "report", "--evidence", "--format", "xapi")
    statements = json.loads(done.stdout)
    responses = [s["result"]["response"] for s in statements]
    assert "[bold]x[/] <script>alert(1)</script>\x1b[2J" in responses  # reflection, raw
    assert "done" in responses                                        # the follow-up
    for s in statements:
        assert s["version"] == "1.0.3"
        assert s["verb"]["id"].startswith("http") and s["actor"]["objectType"] == "Agent"
        assert s["object"]["id"].startswith("https://")
        assert re.fullmatch(r"[0-9a-f-]{36}", s["id"])
    assert len({s["id"] for s in statements}) == len(statements)


def test_report_without_code_or_evidence_is_a_usage_error(tmp_path: Path) -> None:
    done = sam(tmp_path / "r.sqlite3", "report")
    assert done.returncode == 2 and "--evidence" in done.stderr
    bad = sam(tmp_path / "r.sqlite3", "report", "--evidence", "--format", "csv")
    assert bad.returncode == 2


def test_evidence_for_one_trainee(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    seed(db)
    data = json.loads(sam(db, "report", "--evidence", EP, "--player", "bob",
                          "--format", "json").stdout)
    (ep,) = data["episodes"]
    assert ep["trainees"] == 1 and ep["pre_post"]["trainees"] == []
    assert [c["player"] for c in data["commitments"]["items"]] == ["bob"]
