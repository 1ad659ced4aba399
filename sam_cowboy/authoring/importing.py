"""What every importer (Twine, ink) builds, and how it becomes an episode.

An importer fills a `Story`: scenes with text blocks, choices, routes and endings, typed
variables, and notes for what it could not translate. Conditions are kept as the source
wrote them (`Cond`) and translated here once every variable's type is known; one that does
not translate, or does not type-check, becomes an `x-todo` note (whole, with its source
line) and its choice stays, so nothing the source could reach becomes unreachable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from sam_cowboy.authoring.yamlout import key as ykey
from sam_cowboy.authoring.yamlout import quoted, scalar
from sam_cowboy.core.safe_text import one_line, strip_controls

Value = bool | int | str
INT_LIMIT = 10 ** 9  # the format's integers stay small; bigger ones become notes
COND_LIMIT = 400  # characters of a source condition we try to translate
JOINED_LIMIT = 1500  # characters of all the conditions around a choice or a text
RESERVED = {"and", "or", "not", "true", "false", "visits", "score"}  # words of conditions


class ImportError_(Exception):
    """Input that cannot be imported: where (1-based line and column) and what to do."""

    def __init__(self, message: str, line: int = 1, column: int = 1, file: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.file = file

    def format(self, default_file: str) -> str:
        return f"{one_line(self.file or default_file)}:{self.line}:{self.column}: " \
               f"{one_line(self.message)}"


@dataclass
class Cond:
    """A condition as the source wrote it; `translate(src, types)` gives ours or None."""
    source: str
    line: str
    translate: Callable[[str, dict[str, str]], str | None]
    negate: bool = False


@dataclass
class Note:
    line: str  # "file:line" or "line N"
    text: str


@dataclass
class Effects:
    set: dict[str, Value] = field(default_factory=dict)
    add: dict[str, int] = field(default_factory=dict)


@dataclass
class Choice:
    text: str
    goto: str  # a scene key
    line: str
    conds: list[Cond] = field(default_factory=list)
    once: bool = False
    effects: Effects = field(default_factory=Effects)
    feedback: str = ""
    notes: list[Note] = field(default_factory=list)


@dataclass
class Block:
    text: str
    conds: list[Cond] = field(default_factory=list)


@dataclass
class Scene:
    key: str
    title: str | None
    line: str
    blocks: list[Block] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    route: list[tuple[list[Cond], str]] = field(default_factory=list)
    ending: str | None = None  # kind, when the source says
    on_enter: Effects = field(default_factory=Effects)
    notes: list[Note] = field(default_factory=list)


@dataclass
class Summary:
    passages: int = 0
    scenes: int = 0
    choices: int = 0
    variables: int = 0
    notes: int = 0
    meters: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.passages} passages: {self.scenes} scenes, {self.choices} choices, "
               f"{self.variables} variables kept, {self.notes} notes left (search x-todo)"]
        if self.dimensions:
            out.append("scored as dimensions: " + ", ".join(self.dimensions))
        elif self.meters:
            names = ",".join(self.meters)
            out.append(f"numeric variables that look like meters: {', '.join(self.meters)}; "
                       f"to score them, import again with --dimensions {names}")
        return out


@dataclass
class ImportResult:
    yaml: str
    episode_id: str
    warnings: list[tuple[str, str]]  # (source location, message)
    summary: Summary

    @property
    def scenes(self) -> int:
        return self.summary.scenes


def literal(s: str) -> str:
    """Source text shown as is: braces doubled so they are never placeholders."""
    return s.replace("{", "{{").replace("}", "}}")


def slug(name: str, fallback: str = "passage", allow_underscore: bool = True) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9_]+" if allow_underscore else r"[^a-z0-9]+", "-",
               ascii_name.lower()).strip("-_")
    return s[:60].strip("-_") or fallback


class Names:
    """Unique ids for names, in constant time per name (a counter per base)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}

    def unique(self, base: str) -> str:
        candidate = base
        n = self.next.get(base, 2)
        while candidate in self.taken:
            candidate = f"{base}-{n}"
            n += 1
        self.next[base] = n
        self.taken.add(candidate)
        return candidate


class Story:
    """The importer's episode under construction."""

    def __init__(self, title: str, kind: str) -> None:
        self.title = title
        self.kind = kind  # "Twine" or "ink": said in the file's header
        self.start: str | None = None
        self.scenes: dict[str, Scene] = {}
        self.initial: dict[str, Value] = {}  # variable id -> initial value
        self.var_ids: dict[str, str] = {}  # source name -> variable id
        self._var_names = Names()
        self._scene_names = Names()
        self.scene_ids: dict[str, str] = {}  # source name -> scene key
        self.notes: list[Note] = []
        self.warnings: list[tuple[str, str]] = []
        self.passages = 0
        self.extra: dict[str, str] = {}  # x-twine / x-ink metadata
        self.missing: dict[str, str] = {}  # linked but absent: name -> where first linked

    def declare(self, eff: Effects) -> None:
        """Variables changed where the change itself could not be kept."""
        for k, v in eff.set.items():
            self.initial.setdefault(k, v if isinstance(v, bool) else type(v)())
        for k in eff.add:
            self.initial.setdefault(k, 0)

    def scene_id(self, name: str) -> str:
        sid = self.scene_ids.get(name)
        if sid is None:
            sid = self.scene_ids[name] = self._scene_names.unique(slug(name))
        return sid

    def fresh_id(self, name: str) -> str:
        """A new scene id, for a scene the source does not name."""
        return self._scene_names.unique(slug(name))

    def new_scene(self, key: str, title: str | None, line: str) -> Scene:
        scene = Scene(key, title, line)
        self.scenes[key] = scene
        return scene

    def var(self, name: str) -> str:
        """Our id for a source variable (`$Budget` -> `budget`)."""
        vid = self.var_ids.get(name)
        if vid is None:
            base = re.sub(r"\W", "_", name.lstrip("$_"), flags=re.ASCII)
            base = (base[:1].lower() + base[1:]) if base else "v"
            if not re.match(r"[a-z]", base) or base in RESERVED:
                base = "v_" + base
            vid = self.var_ids[name] = self._var_names.unique(base[:60])
        return vid

    def note(self, where: list[Note], line: str, text: str, warn: str) -> None:
        where.append(Note(line, text))
        self.warnings.append((line, warn))


# ------------------------------------------------------------------ conditions

def _scope(story: Story, types: dict[str, str], dims: set[str]) -> object:
    class Scope:
        def variable_type(self, name: str) -> str | None:
            return types.get(name)

        def has_scene(self, scene: str) -> bool:
            return scene in story.scenes

        def has_dimension(self, dimension: str) -> bool:
            return dimension in dims

        def suggest(self, kind: str, name: str) -> str:
            return ""
    return Scope()


def _try(cond: Cond, types: dict[str, str], scope: object) -> str | None:
    from sam_cowboy.core.expr import ExprError, compile_expr

    expr = cond.translate(cond.source, types) if len(cond.source) <= COND_LIMIT else None
    if expr is None:
        return None
    if cond.negate:
        expr = f"not ({expr})"
    try:
        compile_expr(expr, scope)  # type: ignore[arg-type]
    except (ExprError, RecursionError, ValueError):
        return None
    return expr


def _resolve(story: Story, conds: list[Cond], types: dict[str, str], scope: object,
             notes: list[Note]) -> str | None:
    """Our expression for all of `conds`; the ones that do not translate become notes."""
    parts: list[str] = []
    for cond in conds:
        expr = _try(cond, types, scope)
        if expr is None:
            word = "unless" if cond.negate else "only if"
            story.note(notes, cond.line, f"condition not translated ({word}): {cond.source}",
                       "a condition was not translated: its choice or text is always "
                       "shown (x-todo note)")
            continue
        parts.append(expr if len(conds) == 1 else f"({expr})")
    joined = " and ".join(parts)
    if len(joined) > JOINED_LIMIT:  # conditions nested beyond what an episode allows
        story.note(notes, conds[0].line, "conditions not translated (nested too deeply): "
                   + " / ".join(c.source for c in conds),
                   "conditions nested too deeply were not translated (x-todo note)")
        return None
    return joined or None


# ------------------------------------------------------------------ writing YAML

def _value(v: Value) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    return quoted(v)


def _effects(out: list[str], pad: str, eff: Effects, dims: set[str]) -> None:
    for k in [k for k, n in eff.add.items() if n == 0]:
        del eff.add[k]
    score = {k: n for k, n in eff.add.items() if k in dims}
    if score:
        out.append(f"{pad}score: {{" + ", ".join(f"{k}: {n}" for k, n in score.items()) + "}")
    if eff.set:
        out.append(f"{pad}set: {{" + ", ".join(f"{k}: {_value(v)}"
                                             for k, v in eff.set.items()) + "}")
    if eff.add:
        out.append(f"{pad}add: {{" + ", ".join(f"{k}: {n}" for k, n in eff.add.items()) + "}")


def _notes(out: list[str], pad: str, notes: list[Note]) -> None:
    if notes:
        out.append(f"{pad}x-todo:")
        out += [f"{pad}  - {quoted(strip_controls(f'{n.line}: {n.text}' if n.line else n.text))}"
                for n in notes]


def _check_effects(story: Story, eff: Effects, types: dict[str, str], notes: list[Note],
                   line: str) -> None:
    """Drop (as notes) the changes whose value does not fit the variable's type."""
    from sam_cowboy.core.expr import type_name

    for k, v in list(eff.set.items()):
        if types.get(k) != type_name(v) or (isinstance(v, int) and abs(v) >= INT_LIMIT):
            del eff.set[k]
            story.note(notes, line, f"not translated: set {k} to {v!r} (its type is "
                       f"{types.get(k)})", f"a change of `{k}` does not fit its type (x-todo)")
    for k, n in list(eff.add.items()):
        if types.get(k) != "int" or abs(n) >= INT_LIMIT:
            del eff.add[k]
            story.note(notes, line, f"not translated: add {n} to {k}",
                       f"an addition to `{k}` does not fit its type (x-todo)")


def _types(story: Story) -> dict[str, str]:
    from sam_cowboy.core.expr import type_name

    for scene in story.scenes.values():  # variables set but never initialised
        for eff in [scene.on_enter] + [c.effects for c in scene.choices]:
            for k, v in eff.set.items():
                story.initial.setdefault(k, type(v)() if not isinstance(v, bool) else False)
            for k in eff.add:
                story.initial.setdefault(k, 0)
    for k, v in list(story.initial.items()):
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= INT_LIMIT:
            story.initial[k] = 0
            story.note(story.notes, "", f"initial value of {k} too large: {v}",
                       f"variable `{k}` starts at a number too large to keep (x-todo)")
    return {k: type_name(v) for k, v in story.initial.items()}


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _unknown_placeholders(story: Story) -> None:
    """`{x}` of a variable the episode does not keep is shown as the source wrote it."""
    source = {vid: name for name, vid in story.var_ids.items()}

    def fix(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name is None or name in story.initial:
                return m.group(0)
            return literal(source.get(name, name))
        return _PLACEHOLDER.sub(one, text)

    for scene in story.scenes.values():
        for block in scene.blocks:
            block.text = fix(block.text)
        for c in scene.choices:
            c.text, c.feedback = fix(c.text), fix(c.feedback)


def _break_route_loops(story: Story) -> None:
    """Scenes whose routes could go round without showing anything offer choices instead
    (a source that loops for ever through go-tos has no episode equivalent)."""
    routed = {k for k, s in story.scenes.items() if s.route}
    into: dict[str, list[str]] = {k: [] for k in routed}
    outdeg = dict.fromkeys(routed, 0)
    for k in routed:
        for _, goto in story.scenes[k].route:
            if goto in routed:
                outdeg[k] += 1
                into[goto].append(k)
    done = [k for k in routed if outdeg[k] == 0]
    while done:  # peel off what leads out of the routes; what is left loops
        k = done.pop()
        for j in into[k]:
            outdeg[j] -= 1
            if outdeg[j] == 0:
                done.append(j)
    for k in (k for k in routed if outdeg[k] > 0):
        scene = story.scenes[k]
        for conds, goto in scene.route:
            title = story.scenes[goto].title if goto in story.scenes else None
            scene.choices.append(Choice(f"Go on: {literal(title or goto)}", goto, scene.line,
                                        list(conds)))
        scene.route = []
        story.note(scene.notes, scene.line, "the source goes on from here by itself, in a "
                   "loop: a choice was added for each way on",
                   "a loop of go-tos became choices (x-todo note)")


def _ensure_an_ending(story: Story, always: bool) -> None:
    """A story with no ending (every passage links on) gets a way to stop."""
    if not always and any(not s.choices and not s.route for s in story.scenes.values()):
        return
    end = story.new_scene(story.fresh_id("the end"), "The end", "")
    end.blocks.append(Block("The end."))
    for scene in list(story.scenes.values()):
        if scene.choices:
            scene.choices.append(Choice("Stop here", end.key, scene.line))
    story.note(story.notes, "", "no run of the source reaches an end: a `Stop here` choice "
               "leads to an added ending", "no run reaches an end: added one (x-todo note)")


def meters(story: Story) -> list[str]:
    """Integer variables that choices move up and down: candidates for dimensions."""
    moved: dict[str, int] = {}
    for scene in story.scenes.values():
        for c in scene.choices:
            for k in c.effects.add:
                moved[k] = moved.get(k, 0) + 1
        for k in scene.on_enter.add:
            moved[k] = moved.get(k, 0) + 1
    return sorted(k for k, n in moved.items()
                  if isinstance(story.initial.get(k), int)
                  and not isinstance(story.initial.get(k), bool))


def emit(story: Story, lang: str = "en", dimensions: list[str] | None = None,
         stop_choices: bool = False) -> ImportResult:
    """The episode's YAML, with every condition translated or noted. `stop_choices` adds a
    way to stop from every scene (for a source whose conditions can leave a run stuck)."""
    types = _types(story)
    _unknown_placeholders(story)
    _break_route_loops(story)
    _ensure_an_ending(story, stop_choices)
    wanted = [story.var_ids.get(d, story.var_ids.get("$" + d, d)) for d in dimensions or []]
    dims = {d for d in wanted if types.get(d) == "int"}
    for d in wanted:
        if d not in dims:
            story.warnings.append(("", f"--dimensions: `{d}` is not a numeric variable of "
                                   "the story; ignored"))
    scope = _scope(story, types, dims)
    summary = Summary(passages=story.passages)
    scenes_out: list[str] = []
    for scene in story.scenes.values():
        out = [f"  {scene.key}:"]
        if scene.title:
            out.append(f"    title: {scalar(literal(strip_controls(scene.title)), 4)}")
        _check_effects(story, scene.on_enter, types, scene.notes, scene.line)
        if scene.on_enter.set or scene.on_enter.add:
            out.append("    on_enter:")
            _effects(out, "      ", scene.on_enter, dims)
        blocks = [(b, _resolve(story, b.conds, types, scope, scene.notes)) for b in
                  scene.blocks if b.text.strip()]
        if len(blocks) == 1 and blocks[0][1] is None:
            out.append(f"    text: {scalar(blocks[0][0].text, 4)}")
        elif blocks:
            out.append("    text:")
            for b, cond in blocks:
                if cond is None:
                    out.append(f"      - {scalar(b.text, 6)}")
                else:
                    out.append(f"      - if: {quoted(cond)}")
                    out.append(f"        text: {scalar(b.text, 8)}")
        if scene.route and any(conds and _try(c, types, scope) is None
                               for conds, _ in scene.route for c in conds):
            # a go-to whose condition does not translate: offer each way as a choice
            for conds, goto in scene.route:
                title = story.scenes[goto].title if goto in story.scenes else goto
                scene.choices.append(Choice(f"Go on: {title or goto}", goto, scene.line,
                                            list(conds)))
            scene.route = []
        if scene.route:
            out.append("    route:")
            for conds, goto in scene.route:
                cond = _resolve(story, conds, types, scope, scene.notes)
                out.append(f"      - {{if: {quoted(cond)}, goto: {goto}}}" if cond
                           else f"      - {{goto: {goto}}}")
                if cond is None:
                    break  # an unconditional entry ends the route
            else:
                raise AssertionError("a route without a final unconditional entry")
        elif scene.choices:
            out.append("    choices:")
            ids = Names()
            for c in scene.choices:
                summary.choices += 1
                out.append(f"      - id: {ids.unique(slug(c.text or c.goto, 'choice'))}")
                out.append(f"        text: {scalar(c.text.strip() or 'Continue', 8)}")
                cond = _resolve(story, c.conds, types, scope, c.notes)
                if cond:
                    out.append(f"        if: {quoted(cond)}")
                if c.once:
                    out.append("        once: true")
                _check_effects(story, c.effects, types, c.notes, c.line)
                _effects(out, "        ", c.effects, dims)
                if c.feedback.strip():
                    out.append(f"        feedback: {scalar(c.feedback.strip(), 8)}")
                out.append(f"        goto: {c.goto}")
                _notes(out, "        ", c.notes)
                summary.notes += len(c.notes)
        else:
            out.append(f"    ending: {{kind: {scene.ending or 'mixed'}}}")
            if scene.ending is None:
                scene.notes.append(Note(scene.line, "this scene ends the story: choose its "
                                        "ending kind (good, mixed or bad)"))
        _notes(out, "    ", scene.notes)
        summary.notes += len(scene.notes)
        scenes_out.append("\n".join(out))
    summary.scenes = len(story.scenes)
    summary.variables = len(story.initial)
    summary.meters = meters(story)
    summary.dimensions = sorted(dims)

    episode_id = slug(one_line(story.title), "imported-story", allow_underscore=False)
    title = literal(one_line(story.title)) or "Imported story"
    head = [
        f"# Imported from {story.kind} by `sam-cowboy import`. Search for x-todo: each note",
        "# is something the source did that this episode does not say yet.",
        "sam_cowboy: 1",
        f"id: {episode_id}",
        f"title: {scalar(title, 0)}",
        f"languages: [{lang}]",
        "",
        "dimensions:",
    ]
    if dims:
        head += [f"  {d}: {{label: {quoted(d.replace('_', ' ').capitalize())}}}"
                 for d in sorted(dims)]
    else:
        head += ["  # a placeholder: score the choices on real dimensions",
                 f"  posture: {{label: {quoted('Posture')}}}"]
    if story.initial:
        head.append("")
        head.append("variables:")
        head += [f"  {k}: {_value(v)}" for k, v in story.initial.items()]
    assert story.start is not None
    head += ["", f"start: {story.start}"]
    if story.extra:
        head.append(f"x-{story.kind.lower()}: {{" + ", ".join(
            f"{ykey(k)}: {quoted(strip_controls(v))}" for k, v in story.extra.items()) + "}")
    if not dims:
        story.notes.insert(0, Note("", "the source has no scores: score the choices on real "
                                   "dimensions (or import with --dimensions)"))
    _notes(head, "", story.notes)
    summary.notes += len(story.notes)
    head += ["", "scenes:"]
    text = "\n".join(head) + "\n" + "\n\n".join(scenes_out) + "\n"
    return ImportResult(text, episode_id, story.warnings, summary)
