"""The episode format as a JSON Schema (draft 2020-12), for editors' autocompletion.

`build_schema()` is the source; `episode.schema.json` beside this module is its shipped copy
(tests keep them equal: regenerate with `python -m sam_cowboy.authoring.schema`). The schema
checks shapes, ids and keys; what needs the whole episode (that a `goto` names a scene, that a
condition type-checks, that a dimension exists) stays with `sam-cowboy check`.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from sam_cowboy.core.loader import CARD_FIELDS, EPISODE_ID_RE, ID_RE, LANGUAGE_RE, VARIABLE_RE

SCHEMA_ID = "urn:sam-cowboy:schema:episode:1"
SCHEMA_FILE = "episode.schema.json"


def _anchored(pattern: re.Pattern[str]) -> str:
    """The loader's pattern (matched from the start, ending in \\Z) as a JSON Schema one."""
    return "^" + pattern.pattern.removesuffix(r"\Z") + "$"


ID = _anchored(ID_RE)
EPISODE_ID = _anchored(EPISODE_ID_RE)
VARIABLE = _anchored(VARIABLE_RE)
LANGUAGE = _anchored(LANGUAGE_RE)
EXTENSION = r"^x-"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _closed(properties: dict[str, Any], required: list[str] | None = None,
            description: str | None = None, **more: Any) -> dict[str, Any]:
    """An object with exactly these keys, plus `x-…` keys for tools."""
    out: dict[str, Any] = {"type": "object"}
    if description:
        out["description"] = description
    out["properties"] = properties
    out["patternProperties"] = {EXTENSION: {}}
    out["additionalProperties"] = False
    if required:
        out["required"] = required
    out.update(more)
    return out


def build_schema() -> dict[str, Any]:
    text = {
        "description": "A text: a string in the default language, or {language: string}.",
        "anyOf": [
            {"type": "string"},
            {"type": "object", "propertyNames": {"pattern": LANGUAGE},
             "additionalProperties": {"type": "string"}, "minProperties": 1},
        ],
        "defaultSnippets": [{"label": "fr + en", "body": {"fr": "$1", "en": "$2"}}],
    }
    card_text = {"anyOf": [_ref("text"), {"type": "integer"}]}
    condition = {"type": "string", "minLength": 1,
                 "description": "A condition, e.g. \"profile_ready and score('brand') > 1\"; "
                                "variables, visits('scene'), score('dimension'), + - *, "
                                "== != < <= > >=, and or not."}
    scalar = {"type": ["boolean", "integer", "string"]}
    effects_props = {
        "score": {"type": "object", "description": "dimension -> points added",
                  "propertyNames": {"pattern": ID},
                  "additionalProperties": {"type": "integer"}},
        "set": {"type": "object", "description": "variable -> new value",
                "propertyNames": {"pattern": VARIABLE}, "additionalProperties": scalar},
        "add": {"type": "object", "description": "number variable -> amount added",
                "propertyNames": {"pattern": VARIABLE},
                "additionalProperties": {"type": "integer"}},
    }
    choice = _closed({
        "id": {"anyOf": [{"type": "string", "pattern": ID}, {"type": "integer", "minimum": 0}],
               "description": "unique within the scene; default: its position"},
        "text": _ref("text"),
        "if": condition,
        "once": {"type": "boolean", "description": "once picked, never shown again"},
        **effects_props,
        "feedback": _ref("text"),
        "goto": {"$ref": "#/$defs/sceneRef", "description": "the next scene"},
    }, ["text", "goto"], "A choice: shown text, consequences, next scene.")
    cards = []
    for kind, fields in CARD_FIELDS.items():
        cards.append(_closed({"kind": {"const": kind},
                              **{f: card_text for f in fields}}, ["kind"]))
    text_block = {"anyOf": [
        _ref("text"),
        _closed({"if": condition, "text": _ref("text")}, ["text"]),
    ]}
    frag_list = {"type": "array", "items": {"type": "string", "pattern": ID},
                 "description": "fragment ids"}
    compose = _closed({
        "prompt": _ref("text"),
        "pick": {"anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 4},
            {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 4},
             "minItems": 2, "maxItems": 2}],
            "description": "how many fragments the message keeps: 3, or [min, max]"},
        "ordered": {"type": "boolean",
                    "description": "true: the trainee orders the fragments; false: the "
                                   "message reads them in the listed order"},
        "separator": {"type": "string", "description": "put between fragments; default \" \""},
        "max_length": {"type": "integer", "minimum": 1,
                       "description": "check warns when a message can be longer"},
        "fragments": {"type": "array", "minItems": 2, "maxItems": 8, "items": _closed({
            "id": {"anyOf": [{"type": "string", "pattern": ID},
                             {"type": "integer", "minimum": 0}]},
            "text": _ref("text"),
            "if": condition,
            **effects_props,
        }, ["text"], "A piece of the message, and what using it is worth.")},
        "checklist": {"type": "array", "minItems": 1, "maxItems": 8, "items": _closed({
            "id": {"anyOf": [{"type": "string", "pattern": ID},
                             {"type": "integer", "minimum": 0}]},
            "text": _ref("text"),
            "has": {**frag_list, "description": "all of these are in the message"},
            "any": {**frag_list, "description": "at least one of these is in the message"},
            "none": {**frag_list, "description": "none of these is in the message"},
            "first": {"anyOf": [{"type": "string", "pattern": ID}, {"type": "integer"}],
                      "description": "the message opens with this fragment"},
            "before": {**frag_list, "minItems": 2, "maxItems": 2,
                       "description": "[earlier, later]: both are in, in this order"},
            **effects_props,
            "tip": _ref("text"),
        }, ["text"], "A criterion the message is checked against; its effects apply when "
            "it is met.")},
        "goto": {"$ref": "#/$defs/sceneRef", "description": "the next scene"},
    }, ["pick", "fragments", "checklist", "goto"],
        "Extension: the trainee composes a message from `pick` of the fragments.")
    scene = _closed({
        "title": _ref("text"),
        "text": {"anyOf": [_ref("text"), {"type": "array", "items": text_block}]},
        "card": {"oneOf": cards, "description": "what Sam is looking at"},
        "on_enter": _closed(effects_props),
        "trainer_notes": _ref("text"),
        "choices": {"type": "array", "minItems": 1, "items": _ref("choice")},
        "route": {"type": "array", "minItems": 1, "items": _closed(
            {"if": condition, "goto": _ref("sceneRef")}, ["goto"]),
            "description": "the first entry whose `if` holds is taken; the last has no `if`"},
        "ending": _closed({"kind": {"enum": ["good", "mixed", "bad"]},
                           "title": _ref("text")}, ["kind"]),
        "actions": {"type": "array", "minItems": 1, "maxItems": 3, "items": _ref("text"),
                    "description": "actions to commit to at work, proposed after the run "
                                   "when this decision cost the most"},
        "compose": compose,
    }, None, "A scene: exactly one of choices, route, ending or compose.",
        oneOf=[{"required": ["choices"]}, {"required": ["route"]}, {"required": ["ending"]},
               {"required": ["compose"]}])
    dimension = _closed({
        "label": _ref("text"),
        "description": _ref("text"),
        "weight": {"type": "number", "exclusiveMinimum": 0},
        "habit": _ref("text"),
    }, ["label"])
    profile = _closed({
        "min": {"type": "number", "minimum": 0, "maximum": 100},
        "label": _ref("text"),
        "advice": _ref("text"),
        "endings": {"type": "array", "minItems": 1, "uniqueItems": True,
                    "items": {"enum": ["good", "mixed", "bad"]},
                    "description": "the label is given only to runs that reach an ending of "
                                   "one of these kinds (extension)"},
    }, ["min", "label"])
    languages = {"type": "array", "minItems": 1, "uniqueItems": True,
                 "items": {"type": "string", "pattern": LANGUAGE},
                 "description": "the episode's languages; the first is the default"}
    root = _closed({
        "sam_cowboy": {"const": 1, "description": "format version"},
        "id": {"type": "string", "pattern": EPISODE_ID},
        "title": _ref("text"),
        "languages": languages,
        "summary": _ref("text"),
        "estimated_minutes": {"type": "number", "exclusiveMinimum": 0},
        "audience": _ref("text"),
        "objectives": {"type": "array", "items": _ref("text")},
        "tags": {"type": "array", "items": {"type": ["string", "integer"]}},
        "series": {"type": "string"},
        "number": {"type": "integer"},
        "requires": {"type": "array", "items": {"type": "string", "pattern": EPISODE_ID}},
        "dimensions": {"type": "object", "minProperties": 1,
                       "propertyNames": {"pattern": ID},
                       "additionalProperties": dimension},
        "focus": {"type": "string", "pattern": ID,
                  "description": "the dimension this episode is about: the debrief's "
                                 "\"to work on\" tip names it when scores tie"},
        "profiles": {"type": "array", "items": profile},
        "variables": {"type": "object", "propertyNames": {"pattern": VARIABLE},
                      "additionalProperties": scalar},
        "start": _ref("sceneRef"),
        "debrief": {"type": "array", "items": _ref("text")},
        "reflection": {**_ref("text"), "description": "the question asked after the ending, "
                       "answered in one line before the scores"},
        "scenes": {"type": "object", "minProperties": 1, "propertyNames": {"pattern": ID},
                   "additionalProperties": _ref("scene")},
    }, ["sam_cowboy", "id", "title", "start", "scenes"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sam-cowboy episode (format 1)",
        "description": "A choose-your-path episode for social-selling training. "
                       "`sam-cowboy check` validates what a schema cannot: that every "
                       "goto names a scene, that conditions type-check, exact score bounds.",
        **root,
        "$defs": {
            "text": text,
            "sceneRef": {"anyOf": [{"type": "string", "pattern": ID},
                                   {"type": "integer", "minimum": 0}],
                         "description": "the id of a scene of this episode"},
            "choice": choice,
            "scene": scene,
        },
    }


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


def shipped_schema_text() -> str:
    """The schema shipped in the package (sam_cowboy/authoring/episode.schema.json)."""
    return resources.files("sam_cowboy.authoring").joinpath(SCHEMA_FILE).read_text("utf-8")


if __name__ == "__main__":  # regenerate the shipped copy
    from pathlib import Path

    Path(__file__).with_name(SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
