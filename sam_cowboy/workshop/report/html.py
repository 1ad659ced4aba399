"""The report as one self-contained HTML file: inline CSS and SVG charts, no script, no link.

Every text (names, episode texts) goes through html.escape: data, never markup.
"""

from __future__ import annotations

from html import escape
from typing import Any

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.workshop.report.evidence import transfer_html

PALETTE = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#c53030", "#319795"]
KIND_COLOUR = {"good": "#2f855a", "mixed": "#b7791f", "bad": "#c53030"}


def e(text: object) -> str:
    return escape("" if text is None else strip_controls(str(text)), quote=True)


def bars(rows: list[tuple[str, float, str]], unit: str = "", width: int = 640,
         maximum: float | None = None, wrap: int = 80) -> str:
    """A horizontal bar chart as inline SVG: (label, value, colour) per row.

    Each label sits on its own lines above its bar, wrapped to the chart's width, so no
    label is ever cut; the value is written after the bar."""
    import textwrap

    top = maximum if maximum is not None else max((v for _, v, _ in rows), default=0) or 1
    span = width - 80
    body: list[str] = []
    y = 4
    for label, value, colour in rows:
        for line in textwrap.wrap(label, wrap) or [""]:
            y += 16
            body.append(f'<text x="0" y="{y}" font-size="13">{e(line)}</text>')
        w = 0 if top == 0 else max(0.0, span * value / top)
        body.append(f'<rect x="0" y="{y + 5}" width="{w:.1f}" height="16" fill="{colour}" '
                    f'rx="2"/>')
        body.append(f'<text x="{w + 6:.1f}" y="{y + 18}" font-size="12">'
                    f'{e(f"{value:g}{unit}")}</text>')
        y += 30
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
            f'role="img" viewBox="0 0 {width} {y}">' + "".join(body) + "</svg>")


def choice_label(c: dict[str, Any], scene: dict[str, Any]) -> str:
    """A choice's text with its marks in signs and words (never colour alone)."""
    marks = (["★ best run"] if c["best"] else []) + \
        (["◆ room's choice"] if scene.get("room_choice") == c["id"] else [])
    words = "; ".join(marks)
    return str(c["text"]) + (f" ({words})" if marks else "")


def to_html(data: dict[str, Any]) -> str:
    s, ep = data["session"], data["episode"]
    h: list[str] = []
    h.append("<!DOCTYPE html><html lang=\"" + e(s["lang"]) + "\"><head><meta charset=\"utf-8\">"
             f"<title>{e(ep['title'])} — {e(s['code'])}</title><style>"
             "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
             "padding:0 1rem;color:#1a202c}h1{margin-bottom:.2rem}table{border-collapse:"
             "collapse}td,th{border:1px solid #cbd5e0;padding:.3rem .6rem;text-align:left}"
             ".meta{color:#4a5568}section{margin:2rem 0}</style></head><body>")
    h.append(f"<h1>{e(ep['title'])}</h1><p class=\"meta\">Session {e(s['code'])}"
             + (f" — {e(s['title'])}" if s["title"] else "")
             + f" · {e(s['mode'])} · {e(s['created_at'])} · episode {e(ep['id'])} "
             f"({e(ep['content_hash'])})</p>")
    runs = {r["participant_id"]: r for r in data["runs"]}
    h.append(f"<section><h2>Participants ({len(data['participants'])})</h2><table>"
             "<tr><th>Participant</th><th>Status</th><th>Ending</th><th>Overall</th></tr>")
    for p in data["participants"]:
        r = runs.get(p["id"])
        ending = data["ending_titles"].get(r["ending"], r["ending"]) if r and r["ending"] \
            else "—"
        h.append(f"<tr><td>{e(p['name'])}</td><td>{e(r['status'] if r else 'joined')}</td>"
                 f"<td>{e(ending)}</td>"
                 f"<td>{e(str(r['overall']) + '%' if r and r['overall'] is not None else '—')}"
                 "</td></tr>")
    h.append("</table></section>")
    h.append("<section><h2>Choices, scene by scene</h2>")
    for sc in data["scenes"]:
        h.append(f"<h3>{e(sc['title'] or sc['scene'])}</h3>")
        if sc.get("room_choice"):
            h.append(f"<p>◆ The room's choice: <strong>{e(sc['room_choice_text'])}"
                     "</strong></p>")
        h.append(bars([(choice_label(c, sc), c["count"],
                        "#2f855a" if c["best"] else PALETTE[0]) for c in sc["choices"]]))
    h.append("<p class=\"meta\">★ best run: the choice of the best possible run; "
             "◆ room: the room's choice</p></section>")
    h.append("<section><h2>Endings</h2>")
    h.append(bars([(data["ending_titles"].get(k, k), n, PALETTE[i % len(PALETTE)])
                   for i, (k, n) in enumerate(data["endings"].items())])
             if data["endings"] else "<p>No run has ended yet.</p>")
    h.append("</section><section><h2>Posture, dimension by dimension</h2>"
             "<p class=\"meta\">Mean percent of each dimension's range (min–max in "
             "brackets)</p>")
    h.append(bars([(f"{d['label']} [{d['min']}–{d['max']}]", d["mean"] or 0,
                    PALETTE[i % len(PALETTE)])
                   for i, d in enumerate(data["dimensions"].values())], unit="%",
                  maximum=100))
    h.append("</section><section><h2>Most frequent departures from the best run</h2><ol>")
    for dep in data["departures"]:
        h.append(f"<li>{dep['count']} × “{e(dep['choice_text'])}” instead of "
                 f"“{e(dep['best_text'])}”</li>")
    h.append("</ol></section><section><h2>Questions for the group</h2><ul>")
    h += [f"<li>{e(q)}</li>" for q in data["debrief_questions"]]
    h.append("</ul></section>")
    h.append(transfer_html(data, e))
    h.append("</body></html>\n")
    return "".join(h)
