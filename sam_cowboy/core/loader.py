"""YAML -> Episode: every rule of the format checked, every problem pinned to line and column.

The loader collects all the problems it can find in one pass (an author fixes them in one
go), and builds the model only when there is no error. Series defaults (dimensions, profiles,
languages) come from `series.yaml` beside the episode; the episode's own values win.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sam_cowboy.core import expr as ex
from sam_cowboy.core.findings import EpisodeError, Finding, Severity, did_you_mean
from sam_cowboy.core.model import (
    ENDING_KINDS,
    NO_EFFECTS,
    Card,
    CheckItem,
    Choice,
    Compose,
    Dimension,
    Effects,
    Ending,
    EndingKind,
    Episode,
    Fragment,
    Pos,
    Profile,
    RouteEntry,
    Scene,
    Text,
    TextBlock,
    Value,
)
from sam_cowboy.core.perf import paused_gc
from sam_cowboy.core.yamlread import Reader, YamlError, YMap, YSeq, decode, read_file, read_yaml

SERIES_FILE = "series.yaml"
MAX_FINDINGS = 200  # per file, then one more that says there are more
ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
EPISODE_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
VARIABLE_RE = re.compile(r"[a-z][A-Za-z0-9_]*\Z")
LANGUAGE_RE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*\Z")
PLACEHOLDER_RE = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")

CARD_FIELDS: dict[str, tuple[str, ...]] = {
    "profile": ("name", "headline", "about"),
    "post": ("author", "body", "reactions"),
    "message": ("from", "to", "body"),
    "email": ("from", "to", "subject", "body"),
    "note": ("body",),
}
EPISODE_KEYS = ("sam_cowboy", "id", "title", "languages", "summary", "estimated_minutes",
                "audience", "objectives", "tags", "series", "number", "requires", "dimensions",
                "profiles", "variables", "start", "debrief", "scenes", "focus", "reflection")
SERIES_KEYS = ("sam_cowboy", "series", "title", "languages", "dimensions", "profiles",
               "episodes", "summary")
SCENE_KEYS = ("title", "text", "card", "on_enter", "trainer_notes", "choices", "route", "ending",
              "compose", "actions")
COMPOSE_KEYS = ("prompt", "pick", "ordered", "separator", "max_length", "fragments",
                "checklist", "goto")
FRAGMENT_KEYS = ("id", "text", "if", "score", "set", "add")
CHECK_KEYS = ("id", "text", "has", "any", "none", "first", "before", "score", "set", "add", "tip")
CHECK_TESTS = ("has", "any", "none", "first", "before")
# compose scenes are expanded into one choice per composition: these keep it to at most
# 8 + 56 + 336 + 1,680 = 2,080 ordered compositions per scene (162 unordered)
MAX_FRAGMENTS = 8
MAX_PICK = 4
MAX_CHECKLIST = 8
CHOICE_KEYS = ("id", "text", "if", "once", "score", "set", "add", "feedback", "goto")


@dataclass
class Series:
    """What an episode may inherit from `series.yaml`."""

    file: str
    id: str | None = None
    title: Text | None = None
    languages: tuple[str, ...] | None = None
    dimensions: dict[str, Dimension] | None = None
    profiles: tuple[Profile, ...] | None = None
    episodes: tuple[str, ...] = ()
    findings: list[Finding] = field(default_factory=list)


@dataclass
class LoadResult:
    episode: Episode | None
    findings: list[Finding]
    episode_id: str | None = None  # the id read from the file, even when it has errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def require(self) -> Episode:
        """The episode, or EpisodeError carrying the errors."""
        if self.episode is None:
            raise EpisodeError(self.errors or self.findings)
        return self.episode


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


class _Builder:
    """Validates one document; implements expr.Scope for conditions."""

    def __init__(self, file: str, series: Series | None) -> None:
        self.file = file
        self.series = series
        self.findings: list[Finding] = []
        self.languages: tuple[str, ...] = ("en",)
        self.variables: dict[str, Value] = {}
        self.scene_ids: set[str] = set()
        self.dimension_ids: set[str] = set()
        self.scene: str | None = None
        self.choice: str | None = None
        self.episode_id: str | None = None

    # -- reporting ------------------------------------------------------------
    def full(self, pos: Pos) -> bool:
        """Whether MAX_FINDINGS are kept (then one more says so, at `pos`): the rest would
        only cost memory and time (a text of a million `{x}` is a million errors), and an
        author fixes the first ones first."""
        if len(self.findings) < MAX_FINDINGS:
            return False
        if len(self.findings) == MAX_FINDINGS:
            self.findings.append(Finding("error", self.file, pos.line, pos.column,
                                         f"more than {MAX_FINDINGS} problems: fix these and "
                                         "check again", self.scene, self.choice))
        return True

    def _add(self, severity: Severity, pos: Pos, message: str) -> None:
        if not self.full(pos):
            self.findings.append(Finding(severity, self.file, pos.line, pos.column, message,
                                         self.scene, self.choice))

    def error(self, pos: Pos, message: str) -> None:
        self._add("error", pos, message)

    def warning(self, pos: Pos, message: str) -> None:
        self._add("warning", pos, message)

    # -- expr.Scope -----------------------------------------------------------
    def variable_type(self, name: str) -> str | None:
        value = self.variables.get(name)
        return None if value is None else ex.type_name(value)

    def has_scene(self, scene: str) -> bool:
        return scene in self.scene_ids

    def has_dimension(self, dimension: str) -> bool:
        return dimension in self.dimension_ids

    def suggest(self, kind: str, name: str) -> str:
        known = {"variable": self.variables, "scene": self.scene_ids,
                 "dimension": self.dimension_ids}.get(kind, ())
        return did_you_mean(name, known)

    # -- generic shapes -------------------------------------------------------
    def keys(self, m: YMap, allowed: tuple[str, ...], required: tuple[str, ...],
             where: str) -> None:
        for key in m:
            if key in allowed or key.startswith("x-"):
                continue
            if self.full(m.key_pos[key]):
                break
            hint = did_you_mean(key, allowed)
            self.error(m.key_pos[key], f"unknown key `{key}` in {where}{hint}; the keys are "
                       f"{', '.join(allowed)} (or x-… for tools)")
        for key in required:
            if key not in m:
                self.error(m.pos, f"{where} needs `{key}`")

    def mapping(self, value: object, pos: Pos, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error(pos, f"{what} must be a mapping (`key: value` lines), not {_kind(value)}")
        return None

    def sequence(self, value: object, pos: Pos, what: str) -> YSeq | None:
        if isinstance(value, YSeq):
            return value
        self.error(pos, f"{what} must be a list (`- item` lines), not {_kind(value)}")
        return None

    def integer(self, value: object, pos: Pos, what: str) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.error(pos, f"{what} must be a whole number, not {_kind(value)}")
        return None

    def check_id(self, value: object, pos: Pos, what: str, pattern: re.Pattern[str]) -> str | None:
        if not isinstance(value, str) or not pattern.match(value):
            shown = value if isinstance(value, str) else _kind(value)
            self.error(pos, f"`{shown}` is not a valid {what}: use lowercase letters, digits"
                       + (", `-` and `_`" if pattern is ID_RE else
                          " and `_`" if pattern is VARIABLE_RE else " and `-`")
                       + ", starting with a letter"
                       + ("" if pattern is VARIABLE_RE else " or digit"))
            return None
        return value

    # -- texts ----------------------------------------------------------------
    def text(self, value: object, pos: Pos, what: str, *, allow_number: bool = False) -> Text | None:
        if allow_number and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            t = Text({self.languages[0]: value}, pos)
            self.placeholders(value, pos)
            self.translations(t, what)
            return t
        if isinstance(value, YMap):
            values: dict[str, str] = {}
            for lang, s in value.items():
                lpos = value.value_pos[lang]
                if lang not in self.languages:
                    self.error(value.key_pos[lang], f"`{lang}` is not one of this episode's "
                               f"languages ({', '.join(self.languages)}){did_you_mean(lang, self.languages)}")
                    continue
                if allow_number and isinstance(s, int) and not isinstance(s, bool):
                    s = str(s)
                if not isinstance(s, str):
                    self.error(lpos, f"the {lang} text of {what} must be text, not {_kind(s)}; "
                               "put it in quotes")
                    continue
                self.placeholders(s, lpos)
                values[lang] = s
            if not value:
                self.error(pos, f"{what} is empty: give it a text")
                return None
            t = Text(values, pos)
            self.translations(t, what)
            return t
        self.error(pos, f"{what} must be a text (a string, or `{{fr: …, en: …}}`), "
                   f"not {_kind(value)}")
        return None

    def translations(self, t: Text, what: str) -> None:
        missing = [lang for lang in self.languages if lang not in t.values]
        if missing and len(t.values) > 0:
            self.warning(t.pos, f"missing {', '.join(missing)} translation of {what}: the "
                         f"{self.languages[0]} text will be shown instead")

    def placeholders(self, s: str, pos: Pos) -> None:
        if "{" not in s:
            return
        for m in PLACEHOLDER_RE.finditer(s):
            if self.full(pos):
                return
            name = m.group(1)
            if name is not None and name not in self.variables:
                at = pos if "\n" in s[:m.start()] else Pos(pos.line, pos.column + m.start())
                self.error(at, f"`{{{name}}}` names no variable{self.suggest('variable', name)}; "
                           "declare it under `variables:` or write `{{` and `}}` for braces")

    def optional_text(self, m: YMap, key: str, what: str) -> Text | None:
        if key not in m:
            return None
        return self.text(m[key], m.value_pos[key], what)

    def text_list(self, m: YMap, key: str, what: str) -> tuple[Text, ...]:
        if key not in m:
            return ()
        seq = self.sequence(m[key], m.value_pos[key], f"`{key}`")
        if seq is None:
            return ()
        out = []
        for i, item in enumerate(seq):
            t = self.text(item, seq.item_pos[i], f"{what} {i + 1}")
            if t is not None:
                out.append(t)
        return tuple(out)

    def condition(self, value: object, pos: Pos) -> ex.Expr | None:
        if isinstance(value, bool):
            self.error(pos, "`if` needs a condition in quotes, e.g. \"profile_ready\"; a bare "
                       f"`{str(value).lower()}` is always {str(value).lower()}")
            return None
        if not isinstance(value, str):
            self.error(pos, f"`if` must be a condition in quotes, not {_kind(value)}")
            return None
        try:
            compiled = ex.compile_expr(value, self, (pos.line, pos.column))
            loose = ex.loose_season_call(compiled.tree)
            if loose is not None:
                raise ex.ExprError(f"compare season('{loose.argument}') directly with a number "
                                   f"(e.g. `season('{loose.argument}') < 50`): the analysis "
                                   "checks every possible history that way", loose.offset)
            return compiled
        except ex.ExprError as e:
            self.error(Pos(pos.line, pos.column + e.offset), f"in condition `{value}`: {e.message}")
            return None

    # -- top-level sections ---------------------------------------------------
    def parse_languages(self, value: object, pos: Pos) -> tuple[str, ...] | None:
        seq = self.sequence(value, pos, "`languages`")
        if seq is None:
            return None
        out: list[str] = []
        for i, lang in enumerate(seq):
            if not isinstance(lang, str) or not LANGUAGE_RE.match(lang):
                self.error(seq.item_pos[i], f"`{lang}` is not a language code like `fr` or `en`")
            elif lang in out:
                self.error(seq.item_pos[i], f"the language `{lang}` is listed twice")
            else:
                out.append(lang)
        if not out:
            self.error(pos, "`languages` needs at least one language code, e.g. [fr, en]")
            return None
        return tuple(out)

    def parse_dimensions(self, value: object, pos: Pos) -> dict[str, Dimension]:
        m = self.mapping(value, pos, "`dimensions`")
        out: dict[str, Dimension] = {}
        if m is None:
            return out
        if not m:
            self.error(pos, "`dimensions` needs at least one dimension")
        for did, spec in m.items():
            kpos = m.key_pos[did]
            if self.check_id(did, kpos, "dimension id", ID_RE) is None:
                continue
            d = self.mapping(spec, m.value_pos[did], f"dimension `{did}`")
            if d is None:
                continue
            self.keys(d, ("label", "description", "weight", "habit"), ("label",),
                      f"dimension `{did}`")
            label = self.optional_text(d, "label", f"the label of dimension `{did}`")
            description = self.optional_text(d, "description",
                                             f"the description of dimension `{did}`")
            weight = 1.0
            if "weight" in d:
                w = d["weight"]
                if (isinstance(w, bool) or not isinstance(w, (int, float)) or w <= 0
                        or not math.isfinite(w)):
                    self.error(d.value_pos["weight"], f"the weight of `{did}` must be a positive "
                               f"number, not {w!r}")
                else:
                    weight = float(w)
            habit = self.optional_text(d, "habit", f"the habit of dimension `{did}`")
            out[did] = Dimension(did, label or Text({}, kpos), description, weight, kpos, habit)
        return out

    def parse_profiles(self, value: object, pos: Pos) -> tuple[Profile, ...]:
        seq = self.sequence(value, pos, "`profiles`")
        if seq is None:
            return ()
        out = []
        for i, item in enumerate(seq):
            p = self.mapping(item, seq.item_pos[i], f"profile {i + 1}")
            if p is None:
                continue
            self.keys(p, ("min", "label", "advice", "endings"), ("min", "label"),
                      f"profile {i + 1}")
            lo = p.get("min")
            if "min" in p and (isinstance(lo, bool) or not isinstance(lo, (int, float))
                               or not 0 <= lo <= 100):
                self.error(p.value_pos["min"], f"a profile's `min` is a percentage from 0 to 100, "
                           f"not {lo!r}")
                continue
            label = self.optional_text(p, "label", f"the label of profile {i + 1}")
            advice = self.optional_text(p, "advice", f"the advice of profile {i + 1}")
            endings = self.profile_endings(p, i) if "endings" in p else None
            if label is not None and isinstance(lo, (int, float)):
                out.append(Profile(float(lo), label, advice, endings))
        return tuple(sorted(out, key=lambda p: p.min))

    def profile_endings(self, p: YMap, i: int) -> tuple[EndingKind, ...] | None:
        """`endings: [good, mixed]`: the ending kinds a profile's label is given for."""
        seq = self.sequence(p["endings"], p.value_pos["endings"],
                            f"the endings of profile {i + 1}")
        if seq is None:
            return None
        kinds: list[EndingKind] = []
        for j, kind in enumerate(seq):
            if kind not in ENDING_KINDS:
                self.error(seq.item_pos[j], f"an ending kind is one of "
                           f"{', '.join(ENDING_KINDS)}, not {kind!r}: write e.g. "
                           f"`endings: [good, mixed]`")
            elif kind not in kinds:
                kinds.append(cast(EndingKind, kind))
        if not seq:
            self.error(p.value_pos["endings"], "`endings` lists at least one ending kind "
                       "(good, mixed, bad); leave it out to give the label to every run")
        return tuple(kinds)

    def parse_variables(self, value: object, pos: Pos) -> dict[str, Value]:
        m = self.mapping(value, pos, "`variables`")
        out: dict[str, Value] = {}
        if m is None:
            return out
        for name, initial in m.items():
            kpos = m.key_pos[name]
            if self.check_id(name, kpos, "variable name", VARIABLE_RE) is None:
                continue
            if name in ex.KEYWORDS or name in ex.FUNCTIONS:
                self.error(kpos, f"`{name}` is a word of the condition language; rename the variable")
                continue
            if not isinstance(initial, (bool, int, str)):
                self.error(m.value_pos[name], f"the variable `{name}` must start as true/false, "
                           f"a whole number or a text, not {_kind(initial)}")
                continue
            out[name] = initial
        return out

    def effects(self, m: YMap, where: str) -> Effects:
        score: dict[str, int] = {}
        sets: dict[str, Value] = {}
        add: dict[str, int] = {}
        if "score" in m:
            sm = self.mapping(m["score"], m.value_pos["score"], f"`score` of {where}")
            for did, delta in (sm or {}).items():
                assert sm is not None
                if did not in self.dimension_ids:
                    self.error(sm.key_pos[did], f"unknown dimension `{did}`"
                               f"{self.suggest('dimension', did)}; the dimensions are "
                               f"{', '.join(sorted(self.dimension_ids))}")
                    continue
                n = self.integer(delta, sm.value_pos[did], f"the score change of `{did}`")
                if n is not None:
                    score[did] = n
        if "set" in m:
            sm = self.mapping(m["set"], m.value_pos["set"], f"`set` of {where}")
            for name, v in (sm or {}).items():
                assert sm is not None
                if name not in self.variables:
                    self.error(sm.key_pos[name], f"unknown variable `{name}`"
                               f"{self.suggest('variable', name)}; declare it under `variables:`")
                    continue
                want = ex.type_name(self.variables[name])
                if not isinstance(v, (bool, int, str)) or ex.type_name(v) != want:
                    self.error(sm.value_pos[name], f"`{name}` holds {_type_words(want)}, so it "
                               f"cannot be set to {_kind(v)}")
                    continue
                sets[name] = v
        if "add" in m:
            am = self.mapping(m["add"], m.value_pos["add"], f"`add` of {where}")
            for name, v in (am or {}).items():
                assert am is not None
                if name not in self.variables:
                    self.error(am.key_pos[name], f"unknown variable `{name}`"
                               f"{self.suggest('variable', name)}; declare it under `variables:`")
                    continue
                if ex.type_name(self.variables[name]) != "int":
                    self.error(am.key_pos[name], f"`add` works on numbers, but `{name}` holds "
                               f"{_type_words(ex.type_name(self.variables[name]))}; use `set`")
                    continue
                n = self.integer(v, am.value_pos[name], f"the amount added to `{name}`")
                if n is not None:
                    add[name] = n
        if not (score or sets or add):
            return NO_EFFECTS
        return Effects(score, sets, add)

    def goto(self, value: object, pos: Pos, what: str) -> str | None:
        if not isinstance(value, str) and not isinstance(value, int):
            self.error(pos, f"{what} must name a scene, not {_kind(value)}")
            return None
        target = str(value)
        if target not in self.scene_ids:
            self.error(pos, f"{what} `{target}` is not a scene{self.suggest('scene', target)}")
            return None
        return target

    # -- scenes ---------------------------------------------------------------
    def parse_scene(self, sid: str, value: object, pos: Pos) -> Scene | None:
        self.scene, self.choice = sid, None
        m = self.mapping(value, pos, f"scene `{sid}`")
        if m is None:
            return None
        self.keys(m, SCENE_KEYS, (), f"scene `{sid}`")
        kinds = [k for k in ("choices", "route", "ending", "compose") if k in m]
        if len(kinds) != 1:
            found = " and ".join(f"`{k}`" for k in kinds) if kinds else "none of them"
            self.error(m.pos, f"scene `{sid}` must have exactly one of `choices`, `route`, "
                       f"`ending` or `compose`; it has {found}")
        title = self.optional_text(m, "title", f"the title of scene `{sid}`")
        blocks = self.scene_text(m, sid)
        card = self.card(m["card"], m.value_pos["card"], sid) if "card" in m else None
        on_enter = NO_EFFECTS
        if "on_enter" in m:
            oe = self.mapping(m["on_enter"], m.value_pos["on_enter"], f"`on_enter` of `{sid}`")
            if oe is not None:
                self.keys(oe, ("score", "set", "add"), (), f"`on_enter` of scene `{sid}`")
                on_enter = self.effects(oe, f"scene `{sid}`")
        notes = self.optional_text(m, "trainer_notes", f"the trainer notes of `{sid}`")
        choices = self.parse_choices(m, sid) if "choices" in m else ()
        route = self.parse_route(m, sid) if "route" in m else ()
        ending = self.parse_ending(m, sid) if "ending" in m else None
        compose = None
        if "compose" in m and not choices:
            compose = self.parse_compose(m["compose"], m.value_pos["compose"], sid)
            choices = self.compositions(compose) if compose is not None else ()
        self.choice = None
        return Scene(sid, pos, title, blocks, card,
                     on_enter, notes, choices, route, ending, compose)

    def scene_text(self, m: YMap, sid: str) -> tuple[TextBlock, ...]:
        if "text" not in m:
            return ()
        value, pos = m["text"], m.value_pos["text"]
        what = f"the text of scene `{sid}`"
        if not isinstance(value, YSeq):
            t = self.text(value, pos, what)
            return (TextBlock(t),) if t else ()
        blocks = []
        for i, item in enumerate(value):
            ipos = value.item_pos[i]
            if isinstance(item, YMap) and ("if" in item or "text" in item):
                self.keys(item, ("if", "text"), ("text",), f"text block {i + 1} of `{sid}`")
                cond = self.condition(item["if"], item.value_pos["if"]) if "if" in item else None
                t = self.optional_text(item, "text", f"text block {i + 1} of `{sid}`")
                if t is not None:
                    blocks.append(TextBlock(t, cond))
            else:
                t = self.text(item, ipos, f"text block {i + 1} of `{sid}`")
                if t is not None:
                    blocks.append(TextBlock(t))
        return tuple(blocks)

    def card(self, value: object, pos: Pos, sid: str) -> Card | None:
        m = self.mapping(value, pos, f"the card of `{sid}`")
        if m is None:
            return None
        kind = m.get("kind")
        if kind not in CARD_FIELDS:
            self.error(m.value_pos.get("kind", m.pos), f"a card needs a `kind`: one of "
                       f"{', '.join(CARD_FIELDS)}{did_you_mean(str(kind), CARD_FIELDS)}")
            return None
        assert isinstance(kind, str)
        allowed = ("kind", *CARD_FIELDS[kind])
        self.keys(m, allowed, (), f"a {kind} card")
        fields: dict[str, Text] = {}
        for key in CARD_FIELDS[kind]:
            if key in m:
                t = self.text(m[key], m.value_pos[key], f"the card's `{key}`", allow_number=True)
                if t is not None:
                    fields[key] = t
        return Card(kind, fields)

    def parse_choices(self, m: YMap, sid: str) -> tuple[Choice, ...]:
        seq = self.sequence(m["choices"], m.value_pos["choices"], f"`choices` of `{sid}`")
        if seq is None:
            return ()
        if not seq:
            self.error(m.value_pos["choices"], f"scene `{sid}` has an empty `choices` list: add a "
                       "choice, or make it an `ending`")
        out: list[Choice] = []
        seen: set[str] = set()
        for i, item in enumerate(seq):
            ipos = seq.item_pos[i]
            self.choice = str(i + 1)
            c = self.mapping(item, ipos, f"choice {i + 1} of `{sid}`")
            if c is None:
                continue
            cid = str(i + 1)
            if "id" in c:
                raw = c["id"]
                raw = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
                checked = self.check_id(raw, c.value_pos["id"], "choice id", ID_RE)
                cid = checked or cid
            self.choice = cid
            if cid in seen:
                self.error(c.value_pos.get("id", ipos), f"two choices of `{sid}` share the id "
                           f"`{cid}`: give each its own")
            seen.add(cid)
            self.keys(c, CHOICE_KEYS, ("text", "goto"), f"choice `{cid}` of `{sid}`")
            text = self.optional_text(c, "text", f"the text of choice `{cid}`")
            cond = self.condition(c["if"], c.value_pos["if"]) if "if" in c else None
            once = False
            if "once" in c:
                if isinstance(c["once"], bool):
                    once = c["once"]
                else:
                    self.error(c.value_pos["once"], f"`once` is true or false, not "
                               f"{_kind(c['once'])}")
            effects = self.effects(c, f"choice `{cid}`")
            feedback = self.optional_text(c, "feedback", f"the feedback of choice `{cid}`")
            target = self.goto(c["goto"], c.value_pos["goto"], "`goto`") if "goto" in c else None
            if text is not None and target is not None:
                out.append(Choice(cid, text, target, effects, cond, once, feedback, ipos,
                                  c.value_pos["goto"]))
        self.choice = None
        return tuple(out)

    def parse_route(self, m: YMap, sid: str) -> tuple[RouteEntry, ...]:
        seq = self.sequence(m["route"], m.value_pos["route"], f"`route` of `{sid}`")
        if seq is None:
            return ()
        out: list[RouteEntry] = []
        for i, item in enumerate(seq):
            ipos = seq.item_pos[i]
            r = self.mapping(item, ipos, f"route entry {i + 1} of `{sid}`")
            if r is None:
                continue
            self.keys(r, ("if", "goto"), ("goto",), f"route entry {i + 1} of `{sid}`")
            cond = self.condition(r["if"], r.value_pos["if"]) if "if" in r else None
            if "if" not in r and i != len(seq) - 1:
                self.error(ipos, f"route entry {i + 1} of `{sid}` has no `if`, so the entries "
                           "after it can never be taken: only the last entry may omit `if`")
            target = self.goto(r["goto"], r.value_pos["goto"], "`goto`") if "goto" in r else None
            if target is not None:
                out.append(RouteEntry(target, cond, ipos))
        if not seq:
            self.error(m.value_pos["route"], f"the route of `{sid}` is empty")
        elif isinstance(seq[-1], YMap) and "if" in seq[-1]:
            self.error(seq.item_pos[-1], f"the route of `{sid}` must end with an entry without "
                       "`if` (where to go when no condition holds)")
        return tuple(out)

    def parse_ending(self, m: YMap, sid: str) -> Ending | None:
        e = self.mapping(m["ending"], m.value_pos["ending"], f"the ending of `{sid}`")
        if e is None:
            return None
        self.keys(e, ("kind", "title"), ("kind",), f"the ending of `{sid}`")
        kind = e.get("kind")
        if "kind" in e and kind not in ENDING_KINDS:
            self.error(e.value_pos["kind"], f"an ending's kind is good, mixed or bad, not "
                       f"`{kind}`{did_you_mean(str(kind), ENDING_KINDS)}")
            return None
        title = self.optional_text(e, "title", f"the ending title of `{sid}`")
        return Ending(kind, title) if isinstance(kind, str) else None  # type: ignore[arg-type]


    # -- compose scenes (extension) -------------------------------------------------
    def parse_compose(self, value: object, pos: Pos, sid: str) -> Compose | None:
        m = self.mapping(value, pos, f"`compose` of `{sid}`")
        if m is None:
            return None
        where = f"`compose` of `{sid}`"
        self.keys(m, COMPOSE_KEYS, ("fragments", "checklist", "goto"), where)
        prompt = self.optional_text(m, "prompt", f"the prompt of {where}")
        fragments = self.fragments(m, sid) if "fragments" in m else ()
        ids = [f.id for f in fragments]
        n = len(fragments)
        pick = self.pick(m, n, where)
        ordered = False
        if "ordered" in m:
            if isinstance(m["ordered"], bool):
                ordered = m["ordered"]
            else:
                self.error(m.value_pos["ordered"], f"`ordered` is true or false, not "
                           f"{_kind(m['ordered'])}")
        separator = " "
        if "separator" in m:
            if isinstance(m["separator"], str):
                separator = m["separator"]
            else:
                self.error(m.value_pos["separator"], "`separator` is the text put between "
                           "fragments, in quotes (e.g. \" | \")")
        max_length = None
        if "max_length" in m:
            max_length = self.integer(m["max_length"], m.value_pos["max_length"], "`max_length`")
            if max_length is not None and max_length < 1:
                self.error(m.value_pos["max_length"], "`max_length` must be at least 1")
                max_length = None
        checklist = self.checklist(m, sid, ids) if "checklist" in m else ()
        target = self.goto(m["goto"], m.value_pos["goto"], "`goto`") if "goto" in m else None
        self.compose_effects(fragments, checklist, sid)
        if target is None or pick is None or n < 2 or not checklist:
            return None
        return Compose(fragments, checklist, target, pick[0], pick[1], ordered, separator,
                       prompt, max_length, m.value_pos.get("max_length", m.pos))

    def pick(self, m: YMap, n: int, where: str) -> tuple[int, int] | None:
        if "pick" not in m:
            self.error(m.pos, f"{where} needs `pick`: how many fragments the message keeps "
                       "(`pick: 3`, or `pick: [2, 3]` for two or three)")
            return None
        value, pos = m["pick"], m.value_pos["pick"]
        items = list(value) if isinstance(value, YSeq) else [value, value]
        if len(items) != 2 or not all(type(v) is int for v in items):
            self.error(pos, f"`pick` is a number (`pick: 3`) or a range `[min, max]`, not "
                       f"{_kind(value)}")
            return None
        low, high = int(items[0]), int(items[1])  # type: ignore[call-overload]
        if not 1 <= low <= high or high > MAX_PICK or (n >= 2 and high > n):
            self.error(pos, f"`pick` must be from 1 to {MAX_PICK} and at most the number of "
                       f"fragments ({n}), with min <= max; it is {low}..{high}")
            return None
        return low, high

    def fragments(self, m: YMap, sid: str) -> tuple[Fragment, ...]:
        seq = self.sequence(m["fragments"], m.value_pos["fragments"], f"`fragments` of `{sid}`")
        if seq is None:
            return ()
        if not 2 <= len(seq) <= MAX_FRAGMENTS:
            self.error(m.value_pos["fragments"], f"a compose scene has from 2 to "
                       f"{MAX_FRAGMENTS} fragments (the analysis checks every composition); "
                       f"`{sid}` has {len(seq)}")
            return ()
        out: list[Fragment] = []
        for i, item in enumerate(seq):
            ipos = seq.item_pos[i]
            f = self.mapping(item, ipos, f"fragment {i + 1} of `{sid}`")
            if f is None:
                continue
            fid = self.item_id(f, str(i + 1), {x.id for x in out}, "fragment", sid)
            self.keys(f, FRAGMENT_KEYS, ("text",), f"fragment `{fid}` of `{sid}`")
            text = self.optional_text(f, "text", f"the text of fragment `{fid}`")
            cond = self.condition(f["if"], f.value_pos["if"]) if "if" in f else None
            effects = self.effects(f, f"fragment `{fid}`")
            if text is not None:
                out.append(Fragment(fid, text, effects, cond, ipos))
        return tuple(out)

    def item_id(self, m: YMap, default: str, seen: set[str], what: str, sid: str) -> str:
        fid = default
        if "id" in m:
            raw = m["id"]
            raw = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
            fid = self.check_id(raw, m.value_pos["id"], f"{what} id", ID_RE) or fid
        if fid in seen:
            self.error(m.value_pos.get("id", m.pos), f"two {what}s of `{sid}` share the id "
                       f"`{fid}`: give each its own")
        return fid

    def checklist(self, m: YMap, sid: str, ids: list[str]) -> tuple[CheckItem, ...]:
        seq = self.sequence(m["checklist"], m.value_pos["checklist"], f"`checklist` of `{sid}`")
        if seq is None:
            return ()
        if not 1 <= len(seq) <= MAX_CHECKLIST:
            self.error(m.value_pos["checklist"], f"a checklist has from 1 to {MAX_CHECKLIST} "
                       f"criteria; `{sid}` has {len(seq)}")
            return ()
        out: list[CheckItem] = []
        for i, item in enumerate(seq):
            c = self.mapping(item, seq.item_pos[i], f"checklist item {i + 1} of `{sid}`")
            if c is None:
                continue
            cid = self.item_id(c, str(i + 1), {x.id for x in out}, "checklist item", sid)
            where = f"checklist item `{cid}` of `{sid}`"
            self.keys(c, CHECK_KEYS, ("text",), where)
            if not any(t in c for t in CHECK_TESTS):
                self.error(c.pos, f"{where} needs a test: `has`, `any`, `none` (lists of "
                           "fragment ids), `first` (one id) or `before` ([earlier, later])")
            lists = {k: self.fragment_refs(c, k, ids, where) for k in ("has", "any", "none")}
            first = None
            if "first" in c:
                refs = self.fragment_refs(c, "first", ids, where, single=True)
                first = refs[0] if refs else None
            before = None
            if "before" in c:
                refs = self.fragment_refs(c, "before", ids, where)
                if len(refs) == 2 and refs[0] != refs[1]:
                    before = (refs[0], refs[1])
                elif refs:
                    self.error(c.value_pos["before"], "`before` names two different fragments: "
                               "[earlier, later]")
            text = self.optional_text(c, "text", f"the text of {where}")
            tip = self.optional_text(c, "tip", f"the tip of {where}")
            effects = self.effects(c, where)
            if text is not None:
                out.append(CheckItem(cid, text, lists["has"], lists["any"], lists["none"],
                                     first, before, effects, tip, c.pos))
        return tuple(out)

    def fragment_refs(self, m: YMap, key: str, ids: list[str], where: str,
                      single: bool = False) -> tuple[str, ...]:
        if key not in m:
            return ()
        value, pos = m[key], m.value_pos[key]
        if single:
            items: list[object] = [value]
            positions = [pos]
        elif isinstance(value, YSeq):
            items, positions = list(value), list(value.item_pos)
        else:
            self.error(pos, f"`{key}` of {where} is a list of fragment ids, e.g. [client, proof]")
            return ()
        out: list[str] = []
        for item, ipos in zip(items, positions, strict=True):
            ref = str(item) if isinstance(item, (str, int)) and not isinstance(item, bool) else ""
            if ref not in ids:
                self.error(ipos, f"`{key}` of {where} names no fragment `{item}`"
                           f"{did_you_mean(ref, ids)}; the fragments are {', '.join(ids)}")
                continue
            out.append(ref)
        return tuple(out)

    def compose_effects(self, fragments: tuple[Fragment, ...], checklist: tuple[CheckItem, ...],
                        sid: str) -> None:
        """Effects of a composition are summed; a variable that two parts `set`, or one
        `set`s and another `add`s, would depend on their order: refused."""
        setters: dict[str, str] = {}
        adders: dict[str, str] = {}
        for part, what, pos in ([(f.effects, f"fragment `{f.id}`", f.pos) for f in fragments]
                                + [(c.effects, f"checklist item `{c.id}`", c.pos)
                                   for c in checklist]):
            for name in part.set:
                other = setters.get(name) or adders.get(name)
                if other is not None:
                    self.error(pos, f"{what} and {other} of `{sid}` both change `{name}`: in a "
                               "composition only one part may `set` a variable")
                setters[name] = what
            for name in part.add:
                if name in setters:
                    self.error(pos, f"{what} adds to `{name}`, which {setters[name]} of "
                               f"`{sid}` sets: use one or the other")
                adders.setdefault(name, what)

    def compositions(self, compose: Compose) -> tuple[Choice, ...]:
        """Every message the trainee may compose, as a choice of the scene."""
        out: list[Choice] = []
        pick = itertools.permutations if compose.ordered else itertools.combinations
        worst: tuple[int, str, str] | None = None
        for k in range(compose.pick_min, compose.pick_max + 1):
            for parts in pick(compose.fragments, k):
                choice = self.composition(compose, parts)
                out.append(choice)
                if compose.max_length is not None:
                    for lang, s in choice.text.values.items():
                        if len(s) > compose.max_length and (worst is None or len(s) > worst[0]):
                            worst = (len(s), lang, choice.id)
        if worst is not None:
            self.warning(compose.max_length_pos, f"the message `{worst[2]}` is {worst[0]} characters long "
                         f"in {worst[1]}, above `max_length` ({compose.max_length}): shorten "
                         "the fragments")
        return tuple(out)

    def composition(self, compose: Compose, parts: tuple[Fragment, ...]) -> Choice:
        ids = tuple(f.id for f in parts)
        default = self.languages[0]
        text = Text({lang: compose.separator.join(
            f.text.values.get(lang, f.text.values.get(default, "")) for f in parts)
            for lang in self.languages}, parts[0].pos)
        met = [c for c in compose.checklist if c.met(ids)]
        effects = _merge([f.effects for f in parts] + [c.effects for c in met])
        feedback = Text({lang: "\n".join(_check_line(c, c in met, lang, default)
                                         for c in compose.checklist)
                         for lang in self.languages}, compose.checklist[0].pos)
        conds = [f.condition for f in parts if f.condition is not None]
        condition = conds[0] if len(conds) == 1 else _conjunction(conds) if conds else None
        return Choice("+".join(ids), text, compose.goto, effects, condition, False, feedback,
                      parts[0].pos, parts[0].pos, ids)

def _merge(parts: list[Effects]) -> Effects:
    score: dict[str, int] = {}
    sets: dict[str, Value] = {}
    add: dict[str, int] = {}
    for e in parts:
        for d, v in e.score.items():
            score[d] = score.get(d, 0) + v
        sets.update(e.set)
        for n, v in e.add.items():
            add[n] = add.get(n, 0) + v
    score = {d: v for d, v in score.items() if v}
    return Effects(score, sets, add) if score or sets or add else NO_EFFECTS


def _check_line(item: CheckItem, met: bool, lang: str, default: str) -> str:
    def get(t: Text) -> str:
        return t.values.get(lang, t.values.get(default, ""))
    line = f"- {'✓' if met else '✗'} {get(item.text)}"
    if not met and item.tip is not None:
        line += f" — {get(item.tip)}"
    return line


def _conjunction(conds: list[ex.Expr]) -> ex.Expr:
    """The fragments' conditions joined by `and`: a message is allowed when all hold."""
    tree: ex.Node = conds[0].tree
    for c in conds[1:]:
        tree = ex.Binary("and", tree, c.tree, 0)
    source = " and ".join(f"({c.source})" for c in conds)
    return ex.Expr(source, tree, ex.compile_node(tree), conds[0].offset_base)


def _type_words(t: str) -> str:
    return {"bool": "true/false", "int": "a whole number", "str": "a text"}[t]


# ------------------------------------------------------------------ entry points

def read_document(data: bytes | str, file: str,
                  reader: Reader = read_yaml) -> tuple[object, list[Finding]]:
    """Decode and parse YAML; a problem becomes one error finding.

    `reader` parses the text: `read_yaml`, or one that keeps its parses (the app's)."""
    try:
        text = decode(data) if isinstance(data, bytes) else data
        return reader(text), []
    except YamlError as e:
        return None, [Finding("error", file, e.line, e.column, e.message)]


def load_series(path: Path, reader: Reader = read_yaml) -> Series:
    file = str(path)
    series = Series(file)
    try:
        data = read_file(path)
    except OSError as e:
        series.findings.append(Finding("error", file, 1, 1, f"cannot read: {e.strerror or e}"))
        return series
    except YamlError as e:
        series.findings.append(Finding("error", file, e.line, e.column, e.message))
        return series
    doc, findings = read_document(data, file, reader)
    series.findings.extend(findings)
    if findings:
        return series
    b = _Builder(file, None)
    m = b.mapping(doc, Pos(1, 1), "a series file")
    if m is None:
        series.findings.extend(b.findings)
        return series
    b.keys(m, SERIES_KEYS, ("sam_cowboy",), "series.yaml")
    _check_version(b, m)
    if "languages" in m:
        series.languages = b.parse_languages(m["languages"], m.value_pos["languages"])
        b.languages = series.languages or b.languages
    if isinstance(m.get("series"), str):
        series.id = m["series"]  # type: ignore[assignment]
    series.title = b.optional_text(m, "title", "the series title")
    if "dimensions" in m:
        series.dimensions = b.parse_dimensions(m["dimensions"], m.value_pos["dimensions"])
    if "profiles" in m:
        series.profiles = b.parse_profiles(m["profiles"], m.value_pos["profiles"])
    if "episodes" in m:
        seq = b.sequence(m["episodes"], m.value_pos["episodes"], "`episodes`")
        series.episodes = tuple(str(x) for x in seq or ())
    series.findings.extend(b.findings)
    return series


def _check_version(b: _Builder, m: YMap) -> None:
    version = m.get("sam_cowboy", 1)
    if type(version) is not int or version != 1:
        b.error(m.value_pos["sam_cowboy"], f"`sam_cowboy` is the format version and must be 1, "
                f"not {m['sam_cowboy']!r}")


def find_series(path: Path, reader: Reader = read_yaml) -> Series | None:
    candidate = path.parent / SERIES_FILE
    if path.name == SERIES_FILE or not candidate.is_file():
        return None
    return load_series(candidate, reader)


def load_episode(path: str | Path, series: Series | None | bool = True,
                 reader: Reader = read_yaml) -> LoadResult:
    """Load an episode file; `series=True` looks for series.yaml beside it."""
    p = Path(path)
    file = str(path)
    try:
        data = read_file(p)
    except OSError as e:
        return LoadResult(None, [Finding("error", file, 1, 1, f"cannot read the file: "
                                         f"{e.strerror or e}")])
    except YamlError as e:
        return LoadResult(None, [Finding("error", file, e.line, e.column, e.message)])
    found = find_series(p, reader) if series is True else (series or None)
    return load_episode_data(data, file, found, reader)


def load_episode_data(data: bytes | str, file: str = "<episode>",
                      series: Series | None = None, reader: Reader = read_yaml) -> LoadResult:
    """Load an episode from bytes or text; never raises for bad input."""
    findings: list[Finding] = []
    if series is not None and series.findings:
        findings.extend(series.findings)
    with paused_gc():
        doc, problems = read_document(data, file, reader)
    if problems:
        return LoadResult(None, findings + problems)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    b = _Builder(file, series)
    with paused_gc():
        episode = _build_episode(b, doc, hashlib.sha256(raw).hexdigest()[:16])
    findings.extend(b.findings)
    has_error = any(f.severity == "error" for f in findings)
    return LoadResult(None if has_error else episode, findings, b.episode_id)


def _build_episode(b: _Builder, doc: object, content_hash: str) -> Episode | None:
    m = b.mapping(doc, Pos(1, 1), "an episode file")
    if m is None:
        return None
    b.keys(m, EPISODE_KEYS, ("sam_cowboy", "id", "title", "start", "scenes"), "the episode")
    _check_version(b, m)
    series = b.series
    raw_id = m.get("id")
    if type(raw_id) is int:
        raw_id = str(raw_id)
    eid = b.check_id(raw_id, m.value_pos["id"], "episode id", EPISODE_ID_RE) if "id" in m else None
    b.episode_id = eid

    if "languages" in m:
        b.languages = b.parse_languages(m["languages"], m.value_pos["languages"]) or b.languages
    elif series is not None and series.languages:
        b.languages = series.languages

    if "dimensions" in m:
        dimensions = b.parse_dimensions(m["dimensions"], m.value_pos["dimensions"])
    elif series is not None and series.dimensions is not None:
        dimensions = series.dimensions
    else:
        dimensions = {}
        b.error(m.pos, "the episode needs `dimensions` (or a series.yaml beside it that has them)")
    b.dimension_ids = set(dimensions)
    focus = _focus(b, m) if "focus" in m else None
    if "profiles" in m:
        profiles = b.parse_profiles(m["profiles"], m.value_pos["profiles"])
    else:
        profiles = series.profiles or () if series is not None else ()

    b.variables = b.parse_variables(m["variables"], m.value_pos["variables"]) \
        if "variables" in m else {}

    scenes_map = b.mapping(m["scenes"], m.value_pos["scenes"], "`scenes`") if "scenes" in m else None
    raw_scenes: list[tuple[str, object, Pos]] = []
    if scenes_map is not None:
        for sid, value in scenes_map.items():
            kpos = scenes_map.key_pos[sid]
            if b.check_id(sid, kpos, "scene id", ID_RE) is not None:
                b.scene_ids.add(sid)
                raw_scenes.append((sid, value, kpos))
        if not scenes_map:
            b.error(scenes_map.pos, "`scenes` is empty: add at least a start scene and an ending")

    title = b.optional_text(m, "title", "the episode title")
    summary = b.optional_text(m, "summary", "the summary")
    audience = b.optional_text(m, "audience", "the audience")
    objectives = b.text_list(m, "objectives", "objective")
    debrief = b.text_list(m, "debrief", "debrief question")
    minutes = None
    if "estimated_minutes" in m:
        v = m["estimated_minutes"]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v < math.inf:
            b.error(m.value_pos["estimated_minutes"], "`estimated_minutes` must be a positive "
                    "number")
        else:
            minutes = float(v)
    tags: tuple[str, ...] = ()
    if "tags" in m:
        seq = b.sequence(m["tags"], m.value_pos["tags"], "`tags`")
        tags = tuple(str(t) for t in seq or () if isinstance(t, (str, int)))
    requires: tuple[str, ...] = ()
    if "requires" in m:
        seq = b.sequence(m["requires"], m.value_pos["requires"], "`requires`")
        for i, r in enumerate(seq or ()):
            assert seq is not None
            rid = b.check_id(r, seq.item_pos[i], "episode id", EPISODE_ID_RE)
            if rid is not None:
                requires += (rid,)
    series_id = None
    if "series" in m:
        if isinstance(m["series"], str):
            series_id = m["series"]
        else:
            b.error(m.value_pos["series"], "`series` must be the series' id as text")
    elif series is not None:
        series_id = series.id
    number = b.integer(m["number"], m.value_pos["number"], "`number`") if "number" in m else None

    scenes: dict[str, Scene] = {}
    for sid, value, kpos in raw_scenes:
        scene = b.parse_scene(sid, value, kpos)
        if scene is not None:
            scenes[sid] = scene
    b.scene = b.choice = None
    start = None
    if "start" in m:
        start = b.goto(m["start"], m.value_pos["start"], "`start`")
    extras = {k: v for k, v in m.items() if k.startswith("x-")}
    from sam_cowboy.core.transfer_format import parse_transfer  # the transfer extension
    transfer = parse_transfer(b, m)
    if eid is None or title is None or start is None or not dimensions:
        return None
    return Episode(
        id=eid, title=title, languages=b.languages, dimensions=dimensions,
        variables=b.variables, start=start, scenes=scenes, file=b.file,
        content_hash=content_hash, summary=summary, estimated_minutes=minutes,
        audience=audience, objectives=objectives, tags=tags, series=series_id, number=number,
        requires=requires, profiles=profiles, debrief=debrief, extras=extras,
        start_pos=m.value_pos["start"], focus=focus, transfer=transfer,
    )


def _focus(b: _Builder, m: YMap) -> str | None:
    """`focus`: the id of one of the episode's dimensions (an extension of the format)."""
    value, pos = m["focus"], m.value_pos["focus"]
    if not isinstance(value, str):
        b.error(pos, "`focus` must be the id of one of the episode's dimensions, as text")
        return None
    if value not in b.dimension_ids:
        b.error(pos, f"`focus` names an unknown dimension `{value}`"
                f"{b.suggest('dimension', value)}; the dimensions are "
                f"{', '.join(sorted(b.dimension_ids))}")
        return None
    return value
