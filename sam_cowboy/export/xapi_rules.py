"""Rules a statement must follow, from the xAPI 1.0.3 specification (Data, part 2) and, for a
cmi5 session, from the cmi5 specification (section 9, "xAPI Statement Data Model").

Used by the test LRS of the cmi5 tests and by `lrs.py`'s local validating server: each check
returns a list of readable problems, empty when the statement (or session) is valid. Not a
complete conformance suite: it checks what a sam-cowboy export sends and what LRSs reject.
"""

from __future__ import annotations

import re
from typing import Any

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}"
                  r"-[0-9a-fA-F]{12}$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$")
DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?"
                      r"(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
                  "authority", "version", "attachments"}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision",
                "platform", "language", "statement", "extensions"}
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching",
                     "performance", "sequencing", "likert", "numeric", "other"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
MASTERY_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
VERBS = "http://adlnet.gov/expapi/verbs/"
CMI5_DEFINED = {VERBS + v for v in ("launched", "initialized", "completed", "passed", "failed",
                                    "abandoned", "waived", "terminated", "satisfied")}


def _language_map(value: Any, where: str) -> list[str]:
    if not isinstance(value, dict) or not value:
        return [f"{where} must be a non-empty language map"]
    return [f"{where}: `{k}` is not a language tag" for k in value if not LANGUAGE_TAG.match(k)] \
        + [f"{where}.{k} must be a string" for k, v in value.items() if not isinstance(v, str)]


def _iri(value: Any, where: str) -> list[str]:
    return [] if isinstance(value, str) and IRI.match(value) else \
        [f"{where} must be an absolute IRI, not {value!r}"]


def agent_errors(actor: Any, where: str = "actor") -> list[str]:
    if not isinstance(actor, dict):
        return [f"{where} must be an object"]
    if actor.get("objectType", "Agent") not in ("Agent", "Group"):
        return [f"{where}.objectType must be Agent or Group"]
    found = [k for k in IFIS if k in actor]
    if actor.get("objectType") != "Group" and len(found) != 1:
        return [f"{where} must have exactly one identifier ({', '.join(IFIS)}), has {found}"]
    errors = []
    if "mbox" in actor and not str(actor["mbox"]).startswith("mailto:"):
        errors.append(f"{where}.mbox must start with mailto:")
    if "account" in actor:
        account = actor["account"]
        if not isinstance(account, dict) or set(account) != {"homePage", "name"}:
            errors.append(f"{where}.account must have homePage and name only")
        else:
            errors += _iri(account["homePage"], f"{where}.account.homePage")
            if not isinstance(account["name"], str) or not account["name"]:
                errors.append(f"{where}.account.name must be a non-empty string")
    return errors


def _activity(obj: Any, where: str) -> list[str]:
    if not isinstance(obj, dict):
        return [f"{where} must be an object"]
    if obj.get("objectType", "Activity") != "Activity":
        return []  # agents and statement refs are not sent by sam-cowboy; left to the LRS
    errors = _iri(obj.get("id"), f"{where}.id")
    definition = obj.get("definition")
    if definition is not None:
        if not isinstance(definition, dict):
            return errors + [f"{where}.definition must be an object"]
        for key in ("name", "description"):
            if key in definition:
                errors += _language_map(definition[key], f"{where}.definition.{key}")
        if "type" in definition:
            errors += _iri(definition["type"], f"{where}.definition.type")
        kind = definition.get("interactionType")
        if kind is not None and kind not in INTERACTION_TYPES:
            errors.append(f"{where}.definition.interactionType `{kind}` is not an xAPI type")
        for i, c in enumerate(definition.get("choices", [])):
            if not isinstance(c, dict) or not isinstance(c.get("id"), str):
                errors.append(f"{where}.definition.choices[{i}] needs a string id")
            elif "description" in c:
                errors += _language_map(c["description"], f"{where}.definition.choices[{i}]"
                                        ".description")
    return errors


def _result(result: Any) -> list[str]:
    if not isinstance(result, dict):
        return ["result must be an object"]
    errors = [f"result.{k} is not an xAPI result property" for k in result if k not in RESULT_KEYS]
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            errors.append(f"result.{key} must be true or false")
    if "duration" in result and not (isinstance(result["duration"], str)
                                     and DURATION.match(result["duration"])):
        errors.append(f"result.duration {result['duration']!r} is not an ISO 8601 duration")
    if "response" in result and not isinstance(result["response"], str):
        errors.append("result.response must be a string")
    score = result.get("score")
    if score is not None:
        if not isinstance(score, dict):
            return errors + ["result.score must be an object"]
        numbers = {k: v for k, v in score.items() if k in ("scaled", "raw", "min", "max")}
        if set(score) - set(numbers):
            errors.append("result.score has unknown properties")
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in numbers.values()):
            return errors + ["result.score values must be numbers"]
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            errors.append("result.score.scaled must be from -1 to 1")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and not low < high:
            errors.append("result.score.min must be less than max")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            errors.append("result.score.raw must be between min and max")
    return errors


def _context(context: Any) -> list[str]:
    if not isinstance(context, dict):
        return ["context must be an object"]
    errors = [f"context.{k} is not an xAPI context property" for k in context
              if k not in CONTEXT_KEYS]
    if "registration" in context and not UUID.match(str(context["registration"])):
        errors.append("context.registration must be a UUID")
    if "language" in context and not LANGUAGE_TAG.match(str(context["language"])):
        errors.append("context.language must be a language tag")
    for kind, value in (context.get("contextActivities") or {}).items():
        if kind not in ("parent", "grouping", "category", "other"):
            errors.append(f"context.contextActivities.{kind} is not an xAPI key")
            continue
        for i, activity in enumerate(value if isinstance(value, list) else [value]):
            errors += _activity(activity, f"context.contextActivities.{kind}[{i}]")
    for key in context.get("extensions") or {}:
        errors += _iri(key, "context.extensions key")
    return errors


def statement_errors(s: Any) -> list[str]:
    """Problems of one statement by the xAPI 1.0.3 rules (empty: valid)."""
    if not isinstance(s, dict):
        return ["a statement must be a JSON object"]
    errors = [f"`{k}` is not a statement property" for k in s if k not in STATEMENT_KEYS]
    for key in ("actor", "verb", "object"):
        if key not in s:
            errors.append(f"`{key}` is required")
    if "id" in s and not (isinstance(s["id"], str) and UUID.match(s["id"])):
        errors.append("id must be a UUID")
    if "actor" in s:
        errors += agent_errors(s["actor"])
    verb = s.get("verb")
    if isinstance(verb, dict):
        errors += _iri(verb.get("id"), "verb.id")
        if "display" in verb:
            errors += _language_map(verb["display"], "verb.display")
    elif verb is not None:
        errors.append("verb must be an object")
    if "object" in s:
        errors += _activity(s["object"], "object")
    if "result" in s:
        errors += _result(s["result"])
    if "context" in s:
        errors += _context(s["context"])
    if "timestamp" in s and not (isinstance(s["timestamp"], str) and TIMESTAMP.match(s["timestamp"])):
        errors.append("timestamp must be an ISO 8601 date and time with a time zone")
    if "version" in s and not str(s["version"]).startswith("1.0"):
        errors.append("version must be 1.0.x")
    return errors


def _categories(s: dict[str, Any]) -> set[str]:
    category = (s.get("context") or {}).get("contextActivities", {}).get("category", [])
    return {c.get("id") for c in (category if isinstance(category, list) else [category])}


def cmi5_session_errors(statements: list[dict[str, Any]], actor: dict[str, Any],
                        registration: str, activity_id: str,
                        mastery: float | None, session_id: str | None) -> list[str]:
    """Problems of one AU session's statements, in the order sent, by the cmi5 rules."""
    errors: list[str] = []
    verbs = [s.get("verb", {}).get("id") for s in statements]
    if not verbs or verbs[0] != VERBS + "initialized":
        errors.append("the first statement of a session must be initialized")
    if VERBS + "terminated" in verbs and verbs.index(VERBS + "terminated") != len(verbs) - 1:
        errors.append("nothing may follow terminated")
    if verbs.count(VERBS + "completed") > 1:
        errors.append("completed may be sent once")
    if VERBS + "passed" in verbs and VERBS + "failed" in verbs:
        errors.append("an AU sends passed or failed, not both")
    for n, s in enumerate(statements):
        verb = verbs[n]
        where = f"statement {n + 1} ({str(verb).rsplit('/', 1)[-1]})"
        errors += [f"{where}: {e}" for e in statement_errors(s)]
        context = s.get("context") or {}
        if s.get("actor") != actor:
            errors.append(f"{where}: the actor must be the launch actor")
        if context.get("registration") != registration:
            errors.append(f"{where}: context.registration must be the launch registration")
        if session_id is not None and (context.get("extensions") or {}).get(SESSION_EXTENSION) \
                != session_id:
            errors.append(f"{where}: the contextTemplate's session id is missing")
        categories = _categories(s)
        result = s.get("result") or {}
        if verb in CMI5_DEFINED:
            if (s.get("object") or {}).get("id") != activity_id:
                errors.append(f"{where}: the object must be the AU (activityId)")
            if CMI5_CATEGORY not in categories:
                errors.append(f"{where}: a cmi5 defined statement needs the cmi5 category")
        elif CMI5_CATEGORY in categories:
            errors.append(f"{where}: a cmi5 allowed statement must not carry the cmi5 category")
        if verb in (VERBS + "completed", VERBS + "passed", VERBS + "failed"):
            if MOVEON_CATEGORY not in categories:
                errors.append(f"{where}: needs the moveon category")
            if "duration" not in result:
                errors.append(f"{where}: needs result.duration")
        if verb == VERBS + "completed" and result.get("completion") is not True:
            errors.append(f"{where}: result.completion must be true")
        if verb in (VERBS + "passed", VERBS + "failed"):
            scaled = (result.get("score") or {}).get("scaled")
            success = verb == VERBS + "passed"
            if result.get("success") is not success:
                errors.append(f"{where}: result.success must be {str(success).lower()}")
            if not isinstance(scaled, int | float):
                errors.append(f"{where}: needs result.score.scaled")
            elif mastery is not None and (scaled >= mastery) != success:
                errors.append(f"{where}: scaled score {scaled} against mastery {mastery}")
            if mastery is not None and (context.get("extensions") or {}).get(MASTERY_EXTENSION) \
                    != mastery:
                errors.append(f"{where}: needs the masteryscore extension ({mastery})")
        if verb == VERBS + "terminated" and "duration" not in result:
            errors.append(f"{where}: needs result.duration")
    return errors
