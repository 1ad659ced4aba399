"""Certificates of completion: one printable A4 page per participant who finished.

Drawn from the report's data (`workshop.report.collect`), so a certificate says exactly
what the report says. Practice and test runs never earn one. Every string is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sam_cowboy.kit.html import esc, page

WORDS = {
    "fr": {"title": "Attestation de formation",
           "certifies": "La formation « Sam le Social Cowboy » atteste que",
           "completed": "a suivi jusqu'à son terme l'épisode",
           "session": "Atelier : ", "date": "Le", "practised": "Compétences travaillées",
           "signature": "Le formateur ou la formatrice", "anonymous": "…………………………………………",
           "page": "Attestations"},
    "en": {"title": "Certificate of completion",
           "certifies": "The \u201cSam the Social Cowboy\u201d training certifies that",
           "completed": "completed the episode",
           "session": "Workshop: ", "date": "On", "practised": "Skills practised",
           "signature": "The trainer", "anonymous": "…………………………………………",
           "page": "Certificates"},
}

CSS = """
.certificate { border: 3mm double #7a3b10; padding: 18mm 14mm; min-height: 220mm;
               text-align: center; box-sizing: border-box; }
.certificate h1 { font-size: 26pt; margin-bottom: 14mm; }
.certificate .name { font-size: 22pt; font-weight: bold; margin: 8mm 0; }
.certificate .episode { font-size: 16pt; font-style: italic; margin: 6mm 0 12mm; }
.certificate ul { list-style: none; padding: 0; }
.certificate .sign { margin-top: 22mm; text-align: right; }
"""


@dataclass(frozen=True)
class Certificate:
    name: str | None  # None: an anonymous session, the name is written by hand
    episode_title: str
    date: str  # ISO date, YYYY-MM-DD
    session_title: str | None = None
    skills: tuple[str, ...] = ()


def from_report(data: dict[str, Any]) -> list[Certificate]:
    """One certificate per participant with a finished run (the last one), in join order."""
    anonymous = bool(data["session"].get("anonymous"))
    last: dict[object, dict[str, Any]] = {}
    for run in data["runs"]:
        if run["status"] != "finished" or run.get("practice") or run.get("test"):
            continue
        who = run["participant_id"] if run["participant_id"] is not None else run["participant"]
        if who is None:
            continue
        if who not in last or (run["ended_at"] or "") >= (last[who]["ended_at"] or ""):
            last[who] = run
    order = {p["id"]: i for i, p in enumerate(data["participants"])}
    runs = sorted(last.values(), key=lambda r: (order.get(r["participant_id"], len(order)),
                                                r["id"]))
    skills = tuple(data["episode"]["dimensions"].values())
    return [Certificate(None if anonymous else run["participant"], data["episode"]["title"],
                        (run["ended_at"] or "")[:10], data["session"].get("title"), skills)
            for run in runs]


def certificate_html(c: Certificate, lang: str) -> str:
    w = WORDS.get(lang, WORDS["en"])
    name = esc(c.name) if c.name else w["anonymous"]
    session = (f'<p class="session">{esc(w["session"])}{esc(c.session_title)}</p>\n'
               if c.session_title else "")
    skills = "".join(f"<li>{esc(s)}</li>" for s in c.skills)
    return (f'<section class="sheet certificate">\n<h1>{esc(w["title"])}</h1>\n'
            f"<p>{esc(w['certifies'])}</p>\n"
            f'<p class="name">{name}</p>\n<p>{esc(w["completed"])}</p>\n'
            f'<p class="episode">{esc(c.episode_title)}</p>\n{session}'
            + (f"<p>{esc(w['practised'])}</p>\n<ul>{skills}</ul>\n" if skills else "")
            + f'<p class="date">{esc(w["date"])} {esc(c.date)}</p>\n'
            f'<p class="sign">{esc(w["signature"])}</p>\n</section>\n')


def render_certificates(certificates: list[Certificate], lang: str) -> str:
    """One HTML document, one certificate per printed page."""
    w = WORDS.get(lang, WORDS["en"])
    body = "".join(certificate_html(c, lang) for c in certificates)
    if not certificates:
        body = f"<p>{esc(w['page'])}: 0</p>\n"
    return page(w["page"], lang, body, CSS)


def certificates_for_report(data: dict[str, Any]) -> str:
    return render_certificates(from_report(data), str(data["session"].get("lang") or "en"))
