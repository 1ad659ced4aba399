"""The report as Markdown: names and texts escaped, so nothing a person typed becomes markup."""

from __future__ import annotations

import re
from typing import Any

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.workshop.report.evidence import transfer_markdown

_SPECIAL = re.compile(r"([\\`*_\[\]#|<>~])")


def esc(text: object) -> str:
    return _SPECIAL.sub(r"\\\1", strip_controls(str(text))).replace("\n", " ")


def to_markdown(data: dict[str, Any]) -> str:
    s, ep = data["session"], data["episode"]
    out = [f"# Workshop report: {esc(ep['title'])}", ""]
    out.append(f"- Session: {s['code']}" + (f" — {esc(s['title'])}" if s["title"] else ""))
    out.append(f"- Mode: {s['mode']}; created {s['created_at']}; episode {esc(ep['id'])} "
               f"(content {ep['content_hash']})")
    finished = sum(1 for r in data["runs"] if r["status"] == "finished")
    out.append(f"- Participants: {len(data['participants'])}; runs: {len(data['runs'])} "
               f"({finished} finished)")
    out += ["", "## Participants", ""]
    if data["participants"]:
        out += ["| Participant | Status | Ending | Overall |", "| --- | --- | --- | --- |"]
        runs = {r["participant_id"]: r for r in data["runs"]}
        for p in data["participants"]:
            r = runs.get(p["id"])
            ending = data["ending_titles"].get(r["ending"], r["ending"]) if r and r["ending"] \
                else "—"
            out.append(f"| {esc(p['name'])} | {r['status'] if r else 'joined'} | "
                       f"{esc(ending)} | "
                       f"{str(r['overall']) + '%' if r and r['overall'] is not None else '—'} |")
    else:
        out.append("No participant.")
    out += ["", "## Choices, scene by scene", ""]
    for sc in data["scenes"]:
        total = sum(c["count"] for c in sc["choices"]) or 1
        out.append(f"### {esc(sc['title'] or sc['scene'])}")
        out.append("")
        if sc.get("room_choice"):
            out.append(f"The room's choice: **{esc(sc['room_choice_text'])}**")
            out.append("")
        for c in sc["choices"]:
            marks = (["best run"] if c["best"] else []) + \
                (["room's choice"] if sc.get("room_choice") == c["id"] else [])
            out.append(f"- {esc(c['text'])}{' (' + '; '.join(marks) + ')' if marks else ''}: "
                       f"{c['count']} ({round(100 * c['count'] / total)}%)")
        out.append("")
    out += ["## Endings", ""]
    for e, n in data["endings"].items():
        out.append(f"- {esc(data['ending_titles'].get(e, e))}: {n}")
    if not data["endings"]:
        out.append("No run has ended yet.")
    out += ["", "## Posture, dimension by dimension (percent of the episode's range)", ""]
    out += ["| Dimension | Mean | Min | Max |", "| --- | --- | --- | --- |"]
    for dim in data["dimensions"].values():
        out.append(f"| {esc(dim['label'])} | {dim['mean'] if dim['mean'] is not None else '—'} "
                   f"| {dim['min'] if dim['min'] is not None else '—'} "
                   f"| {dim['max'] if dim['max'] is not None else '—'} |")
    out += ["", "## Most frequent departures from the best run", ""]
    for dep in data["departures"]:
        out.append(f"- {dep['count']} × “{esc(dep['choice_text'])}” instead of "
                   f"“{esc(dep['best_text'])}”")
    if not data["departures"]:
        out.append("None.")
    out += ["", "## Questions for the group", ""]
    out += [f"- {esc(q)}" for q in data["debrief_questions"]] or ["None."]
    out += transfer_markdown(data, esc)
    return "\n".join(out) + "\n"
