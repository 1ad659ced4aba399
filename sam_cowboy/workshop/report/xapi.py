"""xAPI 1.0.3 statements: one `completed` per finished run, one `answered` per decision,
one `abandoned` (cmi5's verb) per run left before its ending, so an LMS sees drop-outs.

`answered` carries `result.response` = the choice id (what H5P does not send), so an LRS can
tell exactly which way each participant went at each scene. `completed` carries the overall
posture: raw in [0, 100], scaled = raw / 100, and each dimension's raw score as an
extension. Statement ids are UUID v5 of the run and decision, so exporting twice and
sending both to an LRS does not duplicate anything. Activity ids live under BASE_IRI.
"""

from __future__ import annotations

import uuid
from typing import Any

BASE_IRI = "https://sam-cowboy.invalid/"
NAMESPACE = uuid.UUID("6f1c1e0a-5a3c-4b0e-9c1d-5a3c0b0e5a3c")
VERSION = "1.0.3"
COMPLETED: dict[str, Any] = {"id": "http://adlnet.gov/expapi/verbs/completed",
             "display": {"en-US": "completed"}}
ANSWERED: dict[str, Any] = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}}
ABANDONED: dict[str, Any] = {"id": "https://w3id.org/xapi/adl/verbs/abandoned",
             "display": {"en-US": "abandoned"}}
COURSE = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"


def _duration(start: str | None, end: str | None) -> str | None:
    if not start or not end:
        return None
    from datetime import datetime

    a = datetime.fromisoformat(start.replace("Z", "+00:00"))
    b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    return f"PT{max(0.0, (b - a).total_seconds()):.2f}S"


def statements(data: dict[str, Any], base: str = BASE_IRI,
               actor_homepage: str | None = None) -> list[dict[str, Any]]:
    """The statements of every run. `actor_homepage` (the LMS's URL): each named
    participant is the account {homePage: it, name: their name in the session}, so the LRS
    matches them to LMS accounts; anonymous participants keep a session-local account."""
    session, ep = data["session"], data["episode"]
    lang = session["lang"]
    episode_iri = f"{base}episodes/{ep['id']}"
    session_iri = f"{base}sessions/{session['code']}"
    episode_activity = {"objectType": "Activity", "id": episode_iri, "definition": {
        "name": {lang: ep["title"]}, "type": COURSE}}
    scenes = {sc["scene"]: sc for sc in data["scenes"]}
    out: list[dict[str, Any]] = []
    for run in data["runs"]:
        who = run["participant_id"] if run["participant_id"] is not None else run["id"]
        actor: dict[str, Any] = {"objectType": "Agent", "account": {
            "homePage": base, "name": f"{session['code']}-{who}"}}
        if run["participant"] and not session["anonymous"]:
            actor["name"] = run["participant"]
            if actor_homepage:
                actor["account"] = {"homePage": actor_homepage, "name": run["participant"]}
        registration = str(uuid.uuid5(NAMESPACE, f"run:{session['code']}:{run['id']}"))
        context = {"registration": registration, "language": lang,
                   "contextActivities": {"grouping": [{"objectType": "Activity",
                                                       "id": session_iri}]},
                   "extensions": {f"{base}xapi/session": session["code"],
                                  f"{base}xapi/episode-hash": ep["content_hash"]}}
        for seq, d in enumerate(run["decisions"]):
            scene = scenes.get(d["scene"])
            definition: dict[str, Any] = {"type": INTERACTION, "interactionType": "choice"}
            if scene is not None:
                definition["name"] = {lang: scene["title"] or d["scene"]}
                definition["choices"] = [{"id": c["id"], "description": {lang: c["text"]}}
                                         for c in scene["choices"]]
            out.append({
                "id": str(uuid.uuid5(NAMESPACE, f"answered:{registration}:{seq}")),
                "version": VERSION, "actor": actor, "verb": ANSWERED,
                "object": {"objectType": "Activity",
                           "id": f"{episode_iri}/scenes/{d['scene']}",
                           "definition": definition},
                "result": {"response": d["choice"]},
                "context": {**context, "contextActivities": {
                    **context["contextActivities"], "parent": [{"objectType": "Activity",
                                                                "id": episode_iri}]}},
                "timestamp": d["at"],
            })
        verb: dict[str, Any]
        result: dict[str, Any]
        if run["status"] == "abandoned" and run["ended_at"]:
            verb, result = ABANDONED, {"completion": False}
        elif run["status"] == "finished" and run["overall"] is not None:
            raw = max(0, min(100, int(run["overall"])))
            verb, result = COMPLETED, {
                "score": {"scaled": raw / 100, "raw": raw, "min": 0, "max": 100},
                "completion": True,
                "extensions": {f"{base}xapi/ending": run["ending"],
                               f"{base}xapi/dimension-raw-scores": run["scores"]}}
        else:
            continue
        duration = _duration(run["started_at"], run["ended_at"])
        if duration:
            result["duration"] = duration
        out.append({
            "id": str(uuid.uuid5(NAMESPACE, f"{verb['display']['en-US']}:{registration}")),
            "version": VERSION, "actor": actor, "verb": verb,
            "object": episode_activity, "result": result, "context": context,
            "timestamp": run["ended_at"],
        })
    return out


FILL_IN = {"type": INTERACTION, "interactionType": "long-fill-in"}


def transfer_statements(data: dict[str, Any], base: str = BASE_IRI,
                        actor_homepage: str | None = None) -> list[dict[str, Any]]:
    """The transfer step as `answered` statements with `result.response`: the reflection
    answer, the commitment (the action; its date and status as extensions) and each
    follow-up ("done", "partly", "not yet"). `data` is report --evidence's JSON. Ids are
    UUID v5 of what they record, so sending twice duplicates nothing."""
    def actor(player: str) -> dict[str, Any]:
        return {"objectType": "Agent", "name": player,
                "account": {"homePage": actor_homepage or base, "name": player}}

    def activity(path: str, name: str) -> dict[str, Any]:
        return {"objectType": "Activity", "id": f"{base}{path}",
                "definition": {**FILL_IN, "name": {"en-US": name}}}

    out: list[dict[str, Any]] = []
    for r in data["reflections"]:
        st: dict[str, Any] = {
            "id": str(uuid.uuid5(NAMESPACE, f"reflection:{r['run']}")), "version": VERSION,
            "actor": actor(r["player"]), "verb": ANSWERED,
            "object": activity(f"episodes/{r['episode']}/reflection", "reflection question"),
            "result": {"response": r["answer"]},
            "context": {"contextActivities": {"parent": [
                {"objectType": "Activity", "id": f"{base}episodes/{r['episode']}"}]}}}
        if r.get("at"):
            st["timestamp"] = r["at"]
        out.append(st)
    by_id = {}
    for c in data["commitments"]["items"]:
        by_id[c["id"]] = c
        out.append({
            "id": str(uuid.uuid5(NAMESPACE, f"commitment:{c['id']}")), "version": VERSION,
            "actor": actor(c["player"]), "verb": ANSWERED,
            "object": activity(f"episodes/{c['episode']}/commitment", "commitment"),
            "result": {"response": c["action"], "extensions": {
                f"{base}xapi/due": c["due"], f"{base}xapi/status": c["status"]}},
            "context": {"contextActivities": {"parent": [
                {"objectType": "Activity", "id": f"{base}episodes/{c['episode']}"}]}},
            "timestamp": c["made_at"]})
    for i, u in enumerate(data["commitments"]["follow_ups"]):
        c = by_id.get(u["commitment"])
        if c is None:
            continue
        result: dict[str, Any] = {"response": u["status"]}
        if u["note"]:
            result["extensions"] = {f"{base}xapi/note": u["note"]}
        out.append({
            "id": str(uuid.uuid5(NAMESPACE, f"follow-up:{u['commitment']}:{i}")),
            "version": VERSION, "actor": actor(c["player"]), "verb": ANSWERED,
            "object": activity(f"episodes/{c['episode']}/commitments/{c['id']}",
                               "Did you do it?"),
            "result": result, "timestamp": u["at"]})
    return out
