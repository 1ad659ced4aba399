"""`sam-cowboy report --evidence [EPISODE]`: what trainees do, across sessions and solo runs.

Read from the results store (every finished run that is neither practice nor a test), for
each episode:
- per decision, the share of first attempts that chose each option against later attempts
  (a trainee's first run of the episode is their first attempt; trainees are told apart by
  name, so one person's solo runs and workshop runs count together);
- pre/post: each trainee's first assessment run against their latest later one, per
  dimension (percent) and per decision (did they pick the best run's option), and the same
  averaged over everybody (the room);
- the commitments made after runs, and the follow-ups answered.
`collect_evidence` builds one dict (the `json` format); md, html and xapi are drawn from it.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import Any

from sam_cowboy.core import scoring
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.i18n import render
from sam_cowboy.core.model import Episode
from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.results import learning
from sam_cowboy.results.base import Row, Store

EVIDENCE_FORMATS = ("md", "html", "json", "xapi")
Loaded = dict[str, tuple[Episode, Analysis]]


def _iso(t: float | None) -> str | None:
    if t is None:
        return None
    return datetime.fromtimestamp(t, tz=UTC).isoformat(timespec="milliseconds") \
        .replace("+00:00", "Z")


def _pct(n: int, total: int) -> float | None:
    return round(100 * n / total, 1) if total else None


def collect_evidence(store: Store, episodes: Loaded, *, episode_id: str | None = None,
                     player: str | None = None, lang: str = "en") -> dict[str, Any]:
    runs = [r for r in store.runs(episode_id=episode_id, player=player)
            if r["status"] == "finished" and not r["practice"] and not r["test"]]
    assessed = learning.assessment_runs(store)
    flags = {int(r["id"]): {**r, "assessment": int(r["id"]) in assessed} for r in runs}
    out_eps = []
    by_episode: dict[str, list[Row]] = defaultdict(list)
    for r in runs:
        by_episode[r["episode_id"]].append(r)
    for eid in sorted(by_episode):
        ep_runs = sorted(by_episode[eid], key=lambda r: (r["started_at"], r["id"]))
        loaded = episodes.get(eid)
        out_eps.append(_episode_evidence(store, eid, ep_runs, loaded, flags, lang))
    commitments = learning.commitments(store, player=player, episode_id=episode_id)
    ups = learning.follow_ups(store, [int(c["id"]) for c in commitments])
    statuses = Counter(c["status"] for c in commitments)
    return {
        "filter": {"episode": episode_id, "player": player},
        "episodes": out_eps,
        "commitments": {
            "made": len(commitments),
            "follow_ups_answered": len({u["commitment_id"] for u in ups}),
            "by_status": {s: statuses.get(s, 0) for s in ("open", "done", "partly",
                                                           "not yet")},
            "items": [learning.public(c) for c in commitments],
            "follow_ups": [{"commitment": u["commitment_id"], "status": u["status"],
                            "note": u["note"], "asked_on": u["asked_on"], "at": _iso(u["at"])}
                           for u in ups],
        },
        "reflections": [{"run": int(r["id"]), "episode": r["episode_id"], "player": r["player"],
                         "answer": r["reflection"], "at": _iso(r["ended_at"])}
                        for r in runs if r.get("reflection")],
    }


def _episode_evidence(store: Store, eid: str, runs: list[Row], loaded: tuple[Episode,
                      Analysis] | None, flags: dict[int, Row], lang: str) -> dict[str, Any]:
    ep, analysis = loaded if loaded else (None, None)
    d = ep.default_language if ep else lang
    bounds = analysis.bounds if analysis is not None and analysis.bounds else {}
    best_at: dict[str, str] = {}
    if analysis is not None and analysis.best_run is not None:
        for sc, ch in analysis.best_run.path:
            best_at.setdefault(sc, ch)
    attempt: dict[int, int] = {}
    seen: Counter[str] = Counter()
    for r in runs:
        attempt[int(r["id"])] = seen[r["player"]]
        seen[r["player"]] += 1
    decisions = {int(r["id"]): store.decisions(int(r["id"])) for r in runs}
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(
        lambda: {"first": Counter(), "later": Counter()})
    for rid, decs in decisions.items():
        phase = "first" if attempt[rid] == 0 else "later"
        for dec in decs:
            counts[dec["scene"]][phase][dec["choice"]] += 1

    def choice_text(sid: str, cid: str) -> str:
        sc = ep.scenes.get(sid) if ep else None
        c = sc.choice(cid) if sc else None
        return render(c.text, lang, d) if c else cid

    scenes = []
    order = list(ep.scenes) if ep else sorted(counts)
    for sid in order:
        if sid not in counts:
            continue
        first, later = counts[sid]["first"], counts[sid]["later"]
        ids = [c.id for c in ep.scenes[sid].choices] if ep else sorted(set(first) | set(later))
        nf, nl = sum(first.values()), sum(later.values())
        title = ep.scenes[sid].title if ep else None
        scenes.append({"scene": sid, "title": render(title, lang, d) if title else sid,
                       "first_attempts": nf, "later_attempts": nl,
                       "options": [{"id": c, "text": choice_text(sid, c),
                                    "best": best_at.get(sid) == c,
                                    "first": first.get(c, 0), "first_share": _pct(first.get(c, 0), nf),
                                    "later": later.get(c, 0), "later_share": _pct(later.get(c, 0), nl)}
                                   for c in ids]})
    dims = {k: render(v.label, lang, d) for k, v in ep.dimensions.items()} if ep else {}

    def percents(run: Row) -> dict[str, int]:
        return {k: scoring.percent(int(run["scores"].get(k, 0)), *bounds[k])
                for k in dims if k in bounds}

    pairs = []
    assessed: dict[str, list[Row]] = defaultdict(list)
    for r in runs:
        if flags.get(int(r["id"]), {}).get("assessment"):
            assessed[r["player"]].append(r)
    for who, rs in sorted(assessed.items()):
        if len(rs) < 2:
            continue
        pre, post = rs[0], rs[-1]
        pre_path = {x["scene"]: x["choice"] for x in decisions[int(pre["id"])]}
        post_path = {x["scene"]: x["choice"] for x in decisions[int(post["id"])]}
        pairs.append({"player": who, "pre_run": int(pre["id"]), "post_run": int(post["id"]),
                      "pre": percents(pre), "post": percents(post),
                      "pre_overall": pre["overall"], "post_overall": post["overall"],
                      "decisions": [{"scene": s, "pre": pre_path.get(s), "post": post_path.get(s),
                                     "best": best_at.get(s)}
                                    for s in order if s in pre_path or s in post_path]})
    room: dict[str, Any] = {"trainees": len(pairs), "dimensions": {}, "decisions": []}
    if pairs:
        for k in dims:
            pre_v = [p["pre"][k] for p in pairs if k in p["pre"]]
            post_v = [p["post"][k] for p in pairs if k in p["post"]]
            if pre_v and post_v:
                room["dimensions"][k] = {"pre": round(sum(pre_v) / len(pre_v), 1),
                                         "post": round(sum(post_v) / len(post_v), 1)}
        for sid in order:
            if sid not in best_at:
                continue
            met = [p for p in pairs if any(x["scene"] == sid for x in p["decisions"])]
            if not met:
                continue
            pre_best = sum(1 for p in met for x in p["decisions"]
                           if x["scene"] == sid and x["pre"] == best_at[sid])
            post_best = sum(1 for p in met for x in p["decisions"]
                            if x["scene"] == sid and x["post"] == best_at[sid])
            room["decisions"].append({"scene": sid, "best_text": choice_text(sid, best_at[sid]),
                                      "trainees": len(met), "pre_best": pre_best,
                                      "post_best": post_best})
    return {"episode": eid, "title": render(ep.title, lang, d) if ep else eid,
            "dimensions": dims, "runs": len(runs), "trainees": len(seen),
            "assessments": sum(len(v) for v in assessed.values()),
            "decisions": scenes, "pre_post": {"trainees": pairs, "room": room}}


# ---------------------------------------------------------------- formats

def _s(value: object) -> str:
    """Stored text as shown: controls removed, HTML escaped."""
    return html.escape(strip_controls("" if value is None else str(value)))


def _share(n: int, total: int, share: float | None) -> str:
    return f"{n} of {total} ({share:g}%)" if share is not None else "none yet"


def to_html(data: dict[str, Any]) -> str:
    h: list[str] = []
    add = h.append
    add("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Evidence: what trainees do before and after</title><style>"
        "body{font:16px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #999;"
        "padding:.3em .6em;text-align:left;vertical-align:top}th{background:#eee}"
        ".best{font-weight:bold}</style></head><body>")
    add("<h1>Evidence: what trainees do, first attempts against later ones</h1>")
    f = data["filter"]
    scope = [f"episode {_s(f['episode'])}" if f["episode"] else "all episodes",
             f"trainee {_s(f['player'])}" if f["player"] else "all trainees"]
    add(f"<p>Scope: {', '.join(scope)}; finished runs from workshops and solo play, "
        "practice and test runs left out. A trainee's first attempt is their first finished "
        "run of the episode; later attempts are all the others.</p>")
    if not data["episodes"]:
        add("<p>No finished runs yet.</p>")
    for ep in data["episodes"]:
        add(f"<h2>{_s(ep['title'])}</h2><p>{ep['runs']} finished runs by {ep['trainees']} "
            f"trainees, {ep['assessments']} of them assessments.</p>")
        add("<h3>Each decision: which option first attempts and later attempts chose</h3>")
        for sc in ep["decisions"]:
            add(f"<table><caption>{_s(sc['title'])}</caption><tr><th>Option</th>"
                f"<th>First attempts ({sc['first_attempts']} runs)</th>"
                f"<th>Later attempts ({sc['later_attempts']} runs)</th></tr>")
            for o in sc["options"]:
                mark = " (the best run's option)" if o["best"] else ""
                cls = " class='best'" if o["best"] else ""
                add(f"<tr{cls}><td>{_s(o['text'])}{mark}</td>"
                    f"<td>{_share(o['first'], sc['first_attempts'], o['first_share'])}</td>"
                    f"<td>{_share(o['later'], sc['later_attempts'], o['later_share'])}</td></tr>")
            add("</table>")
        pp = ep["pre_post"]
        add("<h3>Before and after: first assessment against the latest later one</h3>")
        if not pp["trainees"]:
            add("<p>No trainee has two assessment runs of this episode yet (play it with "
                "<code>--assess</code> before and after the training).</p>")
            continue
        room = pp["room"]
        add(f"<table><caption>Average of {room['trainees']} trainees, percent of the best "
            "possible score</caption><tr><th>Dimension</th><th>Before (first assessment)</th>"
            "<th>After (latest assessment)</th><th>Change</th></tr>")
        for k, v in room["dimensions"].items():
            add(f"<tr><td>{_s(ep['dimensions'].get(k, k))}</td><td>{v['pre']:g}%</td>"
                f"<td>{v['post']:g}%</td><td>{v['post'] - v['pre']:+.1f} points</td></tr>")
        add("</table>")
        if room["decisions"]:
            add("<table><caption>Trainees who chose the best run's option</caption><tr>"
                "<th>Decision: the best option</th><th>Before</th><th>After</th></tr>")
            for x in room["decisions"]:
                add(f"<tr><td>{_s(x['best_text'])}</td><td>{x['pre_best']} of {x['trainees']}"
                    f"</td><td>{x['post_best']} of {x['trainees']}</td></tr>")
            add("</table>")
        add("<table><caption>Each trainee, overall percent</caption><tr><th>Trainee</th>"
            "<th>Before</th><th>After</th></tr>")
        for p in pp["trainees"]:
            add(f"<tr><td>{_s(p['player'])}</td><td>{_s(p['pre_overall'])}%</td>"
                f"<td>{_s(p['post_overall'])}%</td></tr>")
        add("</table>")
    c = data["commitments"]
    add("<h2>Commitments and follow-ups</h2>")
    add(f"<p>{c['made']} commitments made; {c['follow_ups_answered']} answered “Did you do "
        f"it?”: {c['by_status']['done']} done, {c['by_status']['partly']} partly, "
        f"{c['by_status']['not yet']} not yet, {c['by_status']['open']} still open.</p>")
    if c["items"]:
        add("<table><tr><th>Trainee</th><th>Episode</th><th>Action</th><th>Due</th>"
            "<th>Status</th><th>Note</th></tr>")
        for i in c["items"]:
            add(f"<tr><td>{_s(i['player'])}</td><td>{_s(i['episode'])}</td>"
                f"<td>{_s(i['action'])}</td><td>{_s(i['due'])}</td><td>{_s(i['status'])}</td>"
                f"<td>{_s(i['note'])}</td></tr>")
        add("</table>")
    if data["reflections"]:
        add("<h2>Reflection answers</h2><ul>")
        for r in data["reflections"]:
            add(f"<li>{_s(r['player'])} ({_s(r['episode'])}): {_s(r['answer'])}</li>")
        add("</ul>")
    add("</body></html>\n")
    return "\n".join(h)


def to_markdown(data: dict[str, Any]) -> str:
    def s(v: object) -> str:
        return " ".join(strip_controls("" if v is None else str(v)).split())

    lines = ["# Evidence: first attempts against later ones", ""]
    for ep in data["episodes"]:
        lines += [f"## {s(ep['title'])}", "",
                  f"{ep['runs']} finished runs by {ep['trainees']} trainees.", ""]
        for sc in ep["decisions"]:
            lines.append(f"### {s(sc['title'])}")
            for o in sc["options"]:
                best = " (best)" if o["best"] else ""
                lines.append(f"- {s(o['text'])}{best}: first "
                             f"{_share(o['first'], sc['first_attempts'], o['first_share'])}, "
                             f"later {_share(o['later'], sc['later_attempts'], o['later_share'])}")
            lines.append("")
        room = ep["pre_post"]["room"]
        if room["trainees"]:
            lines.append(f"### Before and after ({room['trainees']} trainees)")
            for k, v in room["dimensions"].items():
                lines.append(f"- {s(ep['dimensions'].get(k, k))}: {v['pre']:g}% → {v['post']:g}%")
            lines.append("")
    c = data["commitments"]
    lines += ["## Commitments", "", f"{c['made']} made, {c['follow_ups_answered']} followed up.",
              ""]
    for i in c["items"]:
        lines.append(f"- {s(i['due'])} [{s(i['status'])}] {s(i['player'])}: {s(i['action'])}")
    return "\n".join(lines) + "\n"


def render_evidence(data: dict[str, Any], fmt: str, actor_homepage: str | None = None) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return to_html(data)
    if fmt == "md":
        return to_markdown(data)
    if fmt == "xapi":
        from sam_cowboy.workshop.report.xapi import transfer_statements

        return json.dumps(transfer_statements(data, actor_homepage=actor_homepage),
                          ensure_ascii=False, indent=2) + "\n"
    raise ValueError(fmt)


def session_transfer(store: Store, episode: Episode, analysis: Analysis, code: str,
                     anonymous: bool, lang: str) -> dict[str, Any]:
    """For one session's report: the reflection answers and commitments of its runs, and
    the room's pre/post (its participants' first assessment of the episode, anywhere,
    against their latest later one). Names are left out of anonymous sessions."""
    mine = [r for r in store.runs(session_code=code)]
    players = {r["player"] for r in mine}
    ids = {int(r["id"]) for r in mine}
    everyone = [r for r in store.runs(episode_id=episode.id)
                if r["player"] in players and r["status"] == "finished"
                and not r["practice"] and not r["test"]]
    everyone.sort(key=lambda r: (r["started_at"], r["id"]))
    assessed = learning.assessment_runs(store)
    flags = {int(r["id"]): {**r, "assessment": int(r["id"]) in assessed} for r in everyone}
    ev = _episode_evidence(store, episode.id, everyone, (episode, analysis), flags, lang)
    pre_post = ev["pre_post"]
    if anonymous:
        pre_post = {"trainees": [], "room": pre_post["room"]}
    # an anonymous session's people are named as its xAPI statements name them
    who = {int(r["id"]): f"{code}-{r['participant_id'] or r['id']}" if anonymous
           else r["player"] for r in mine}
    rows = [c for c in learning.commitments(store, episode_id=episode.id) if c["run_id"] in ids]
    commitments = [{**learning.public(c), "player": who[int(c["run_id"])]} for c in rows]
    ups = learning.follow_ups(store, [int(c["id"]) for c in rows])
    return {"pre_post": pre_post, "dimensions": ev["dimensions"],
            "commitments": commitments,
            "follow_ups": [{"commitment": u["commitment_id"], "status": u["status"],
                            "note": u["note"], "asked_on": u["asked_on"], "at": _iso(u["at"])}
                           for u in ups],
            "reflections": [{"run": int(r["id"]), "episode": episode.id,
                             "player": who[int(r["id"])], "answer": r["reflection"],
                             "at": _iso(r["ended_at"])} for r in mine if r.get("reflection")]}


def _room_rows(tr: dict[str, Any]) -> list[tuple[str, float, float]]:
    return [(tr["dimensions"].get(k, k), v["pre"], v["post"])
            for k, v in tr["pre_post"]["room"]["dimensions"].items()]


def transfer_markdown(data: dict[str, Any], esc: Any) -> list[str]:
    """The session report's section on reflections, commitments and pre/post."""
    tr = data.get("transfer")
    if not tr:
        return []
    out = ["", "## After the run: reflections and commitments", ""]
    out += [f"- “{esc(r['answer'])}”" for r in tr["reflections"]] or ["No reflection answer."]
    out.append("")
    out += [f"- {esc(c['action'])} (by {c['due']}, {c['status']})"
            for c in tr["commitments"]] or ["No commitment."]
    room = tr["pre_post"]["room"]
    if room["trainees"]:
        out += ["", f"## Before and after: first assessment against the latest "
                f"({room['trainees']} participants)", "",
                "| Dimension | Before | After |", "| --- | --- | --- |"]
        out += [f"| {esc(label)} | {pre:g}% | {post:g}% |" for label, pre, post in
                _room_rows(tr)]
    return out


def transfer_html(data: dict[str, Any], e: Any) -> str:
    tr = data.get("transfer")
    if not tr:
        return ""
    h = ["<section><h2>After the run: reflections and commitments</h2>"]
    h.append("<ul>" + "".join(f"<li>“{e(r['answer'])}”</li>" for r in tr["reflections"]) + "</ul>"
             if tr["reflections"] else "<p>No reflection answer.</p>")
    h.append("<ul>" + "".join(f"<li>{e(c['action'])} (by {e(c['due'])}, {e(c['status'])})"
                              "</li>" for c in tr["commitments"]) + "</ul>"
             if tr["commitments"] else "<p>No commitment.</p>")
    room = tr["pre_post"]["room"]
    if room["trainees"]:
        h.append(f"<h2>Before and after: first assessment against the latest "
                 f"({room['trainees']} participants)</h2><table><tr><th>Dimension</th>"
                 "<th>Before</th><th>After</th></tr>")
        h += [f"<tr><td>{e(label)}</td><td>{pre:g}%</td><td>{post:g}%</td></tr>"
              for label, pre, post in _room_rows(tr)]
        h.append("</table>")
    h.append("</section>")
    return "".join(h)
