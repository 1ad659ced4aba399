"""`report CODE --format certificates`: one printable page per participant who finished."""

from __future__ import annotations

from pathlib import Path

import pytest

from sam_cowboy.cli import main
from sam_cowboy.commands.common import load_playable
from sam_cowboy.kit.certificates import Certificate, from_report, render_certificates
from sam_cowboy.results.store import open_store
from sam_cowboy.workshop.report import collect
from sam_cowboy.workshop.session import Session, create_session

NAMES = ("Ann", "Bob <script>alert(1)</script>", "[bold]Zoé[/] \x1b[2J")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAM_COWBOY_DB", raising=False)
    return tmp_path / "data"


def _session(tmp_path: Path, *, anonymous: bool = False, finish: bool = True,
             leaver: bool = False) -> tuple[str, Session]:
    url = str(tmp_path / "r.db")
    store = open_store(url)
    ep, analysis = load_playable("ep01-google-test")
    code, key = create_session(store, ep, analysis, "ep01-google-test", title="Lundi <b>",
                               anonymous=anonymous)
    s = Session(store, code)
    people = [s.join(n) for n in NAMES]
    if leaver:
        s.leave(people[2])
        people = people[:2]
    while finish and s.phase != "ended":
        for p in people:
            s.vote(p, s.choices()[0].id)
        s.decide(key)
        s.advance(key)
    return url, s


def test_one_certificate_per_finisher_escaped(tmp_path: Path) -> None:
    _, s = _session(tmp_path)
    certs = from_report(collect(s))
    assert [c.name for c in certs] == ["Ann", "Bob <script>alert(1)</script>", "[bold]Zoé[/]"]
    html = render_certificates(certs, "fr")
    assert html.count('<section class="sheet certificate">') == 3
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\x1b" not in html and "[bold]Zoé[/]" in html
    assert "Attestation de formation" in html and "Le test Google" in html
    assert "Lundi &lt;b&gt;" in html
    assert all(len(c.date) == 10 for c in certs)


def test_a_participant_who_left_gets_none(tmp_path: Path) -> None:
    _, s = _session(tmp_path, leaver=True)
    assert [c.name for c in from_report(collect(s))] == ["Ann", "Bob <script>alert(1)</script>"]


def test_nobody_finished_no_certificate(tmp_path: Path) -> None:
    _, s = _session(tmp_path, finish=False)
    assert from_report(collect(s)) == []
    assert "section" not in render_certificates([], "en")


def test_anonymous_sessions_leave_the_name_to_write_by_hand(tmp_path: Path) -> None:
    _, s = _session(tmp_path, anonymous=True)
    html = render_certificates(from_report(collect(s)), "en")
    assert html.count("certificate\">") == 3
    assert "Ann" not in html and "anon-" not in html and "Certificate of completion" in html


def test_solo_certificate_in_english() -> None:
    html = render_certificates([Certificate("Sam", "The Google test", "2026-12-07")], "en")
    assert "Sam" in html and "completed the episode" in html and "2026-12-07" in html


def test_report_command_writes_certificates(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    url, s = _session(tmp_path)
    out = tmp_path / "certs.html"
    assert main(["report", s.code, "--db", url, "--format", "certificates", "-o", str(out)]) == 0
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("sheet certificate") == 3
    assert main(["report", s.code, "--db", url, "--format", "certificates"]) == 0
    assert capsys.readouterr().out.count("sheet certificate") == 3
