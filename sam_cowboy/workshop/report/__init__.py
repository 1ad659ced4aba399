"""`sam-cowboy report CODE`: what a session's runs say, as md, html, csv, json or xAPI.

`collect` reads the store once into one dict (the `json` format itself); every other format
is drawn from that dict, so they always agree.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sam_cowboy.core import engine, scoring
from sam_cowboy.core.i18n import render
from sam_cowboy.core.model import Episode
from sam_cowboy.workshop.report.evidence import session_transfer
from sam_cowboy.workshop.session import Session

FORMATS = ("md", "html", "csv", "json", "xapi", "certificates")
DEPARTURES = 5


def _iso(t: float | None) -> str | None:
    if t is None:
        return None

    return datetime.fromtimestamp(t, tz=UTC).isoformat(timespec="milliseconds") \
        .replace("+00:00", "Z")


def ending_titles(ep: Episode, lang: str) -> dict[str, str]:
    """Each ending scene's title as the room reads it (its id only if it has none)."""
    out = {}
    for sid, scene in ep.scenes.items():
        if scene.ending is not None:
            title = scene.ending.title or scene.title
            out[sid] = render(title, lang, ep.default_language) if title else sid
    return out


def collect(session: Session) -> dict[str, Any]:
    s = session
    ep = s.episode
    lang = s.lang
    d = ep.default_language
    bounds = s.analysis.bounds or {}
    row = s.refresh()
    people = s.participants()
    names = {int(p["id"]): s.display_name(p, i) for i, p in enumerate(people, 1)}
    runs = [r for r in s.store.runs(session_code=s.code)]
    decisions = s.store.session_decisions(s.code)
    by_run: dict[int, list[dict[str, Any]]] = {}
    for dec in decisions:
        by_run.setdefault(int(dec["run_id"]), []).append(dec)
    choices: Counter[str] = Counter()
    for dec in decisions:
        choices[f"{dec['scene']}/{dec['choice']}"] += 1
    endings: Counter[str] = Counter(r["ending"] for r in runs if r["ending"])
    finished = [r for r in runs if r["status"] == "finished"]
    dims: dict[str, Any] = {}
    for did, dim in ep.dimensions.items():
        lo, hi = bounds.get(did, (0, 0))
        raws = [int(r["scores"].get(did, 0)) for r in finished]
        pcts = [scoring.percent(x, lo, hi) for x in raws]
        dims[did] = {
            "label": render(dim.label, lang, d),
            "mean": round(sum(pcts) / len(pcts), 1) if pcts else None,
            "min": min(pcts) if pcts else None, "max": max(pcts) if pcts else None,
            "raw": {"mean": round(sum(raws) / len(raws), 2) if raws else None,
                    "min": min(raws) if raws else None, "max": max(raws) if raws else None},
            "bounds": [lo, hi], "percents": pcts,
        }
    best_at: dict[str, str] = {}
    if s.analysis.best_run is not None:
        for sc, ch in s.analysis.best_run.path:
            best_at.setdefault(sc, ch)
    departures: Counter[tuple[str, str, str]] = Counter()
    for dec in decisions:
        best = best_at.get(dec["scene"])
        if best is not None and best != dec["choice"]:
            departures[(dec["scene"], dec["choice"], best)] += 1

    def choice_text(scene: str, choice: str) -> str:
        sc = ep.scenes.get(scene)
        c = sc.choice(choice) if sc else None
        return render(c.text, lang, d) if c else choice

    def scene_entry(sid: str, counts: dict[str, int]) -> dict[str, Any]:
        scene = ep.scenes[sid]
        return {"scene": sid, "title": render(scene.title, lang, d),
                "choices": [{"id": cid, "text": choice_text(sid, cid), "count": n,
                             "best": best_at.get(sid) == cid}
                            for cid, n in counts.items()]}

    scenes = []
    if s.mode == "live":
        # every scene the room decided, with its choice, even when nobody voted
        by_step: dict[int, Counter[str]] = {}
        for v in s.store.votes(s.code):
            by_step.setdefault(int(v["step"]), Counter())[str(v["choice"])] += 1
        state = engine.begin(ep)[0]
        for step, (sid, winner) in enumerate(s.path):
            shown = [c.id for c in engine.choices_shown(ep, state)]
            entry = scene_entry(sid, {cid: by_step.get(step, Counter()).get(cid, 0)
                                      for cid in shown})
            entry.update({"step": step, "room_choice": winner,
                          "room_choice_text": choice_text(sid, winner)})
            scenes.append(entry)
            state = engine.choose(ep, state, winner)[0]
    else:
        for sid, scene in ep.scenes.items():
            counts = {c.id: choices.get(f"{sid}/{c.id}", 0) for c in scene.choices}
            if sum(counts.values()):
                scenes.append(scene_entry(sid, counts))
    run_rows = []
    for r in runs:
        pid = r["participant_id"]
        run_rows.append({
            "id": int(r["id"]), "participant": names.get(int(pid)) if pid is not None else
            (None if s.anonymous else r["player"]),
            "participant_id": pid, "status": r["status"], "ending": r["ending"],
            "ending_kind": r["ending_kind"], "started_at": _iso(r["started_at"]),
            "ended_at": _iso(r["ended_at"]), "overall": r["overall"],
            "scores": r["scores"], "lang": r["lang"],
            "practice": r["practice"], "test": r["test"],
            "decisions": [{"scene": x["scene"], "choice": x["choice"], "at": _iso(x["at"]),
                           "changes": x["changes"]} for x in by_run.get(int(r["id"]), [])],
        })
    return {
        "session": {"code": s.code, "title": row["title"], "mode": s.mode,
                    "anonymous": s.anonymous, "created_at": _iso(row["created_at"]),
                    "phase": row["phase"], "lang": lang,
                    "group_path": [{"scene": a, "choice": b} for a, b in s.path]},
        "episode": {"id": ep.id, "title": render(ep.title, lang, d),
                    "content_hash": ep.content_hash,
                    "dimensions": {k: render(v.label, lang, d)
                                   for k, v in ep.dimensions.items()},
                    "best_run": None if s.analysis.best_run is None else {
                        "path": [{"scene": a, "choice": b}
                                 for a, b in s.analysis.best_run.path],
                        "overall": s.analysis.best_run.overall}},
        "participants": [{"id": int(p["id"]), "name": names[int(p["id"])],
                          "joined_at": _iso(p["joined_at"])} for p in people],
        "runs": run_rows,
        "choices": dict(sorted(choices.items())),
        "scenes": scenes,
        "endings": dict(sorted(endings.items())),
        "ending_titles": ending_titles(ep, lang),
        "dimensions": dims,
        "departures": [{"scene": a, "choice": b, "best": c, "count": n,
                        "choice_text": choice_text(a, b), "best_text": choice_text(a, c)}
                       for (a, b, c), n in departures.most_common(DEPARTURES)],
        "debrief_questions": [render(q, lang, d) for q in ep.debrief],
        "transfer": session_transfer(s.store, ep, s.analysis, s.code, s.anonymous, lang),
    }


def render_report(session: Session, fmt: str, actor_homepage: str | None = None) -> str:
    data = collect(session)
    if fmt == "json":
        import json

        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        from sam_cowboy.workshop.report.markdown import to_markdown

        return to_markdown(data)
    if fmt == "html":
        from sam_cowboy.workshop.report.html import to_html

        return to_html(data)
    if fmt == "csv":
        from sam_cowboy.workshop.report.csvfmt import to_csv

        return to_csv(data)
    if fmt == "xapi":
        import json

        from sam_cowboy.workshop.report.xapi import statements, transfer_statements

        tr = data["transfer"]
        transfer = {"reflections": tr["reflections"], "commitments": {
            "items": tr["commitments"], "follow_ups": tr["follow_ups"]}}
        return json.dumps(statements(data, actor_homepage=actor_homepage)
                          + transfer_statements(transfer, actor_homepage=actor_homepage),
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "certificates":  # the facilitator's kit: one page per participant who finished
        from sam_cowboy.kit.certificates import certificates_for_report

        return certificates_for_report(data)
    raise ValueError(fmt)


