"""Twine passages (Harlowe, SugarCube, Snowman, Chapbook markup) into an import `Story`.

One left-to-right scan per passage, with an explicit stack for hooks, `<<if>>` blocks and
link bodies (no recursion, so no depth limit but the input's size). What it understands:

- links: `[[...]]` in its four forms and with a SugarCube setter `[...][$x to 1]`;
  Harlowe `(link-goto:)`, `(link:)`/`(click:)` hooks holding `(go-to:)`; SugarCube
  `<<link>>`/`<<button>>`/`<<click>>` with a target or a `<<goto>>` inside; a bare
  `(go-to:)` or `<<goto>>` becomes a route (a `Continue` choice after text; a choice when
  it waits in a timer's hook); external URLs stay in the text as Markdown links;
- `(set:)`, `(put:)`, `<<set>>`: numbers, booleans and strings, `to`, `=`, `+=`, `-=`, `++`,
  `--`, `$x to $x + 1`, `it + 1`; on a link they change the choice, in the text they apply on
  entering the scene (under a condition, through a route per change: `_gate_effects`);
- `(if:)`/`(else-if:)`/`(else:)`/`(unless:)` hooks, `<<if>>`/`<<elseif>>`/`<<else>>` and
  `<<switch>>`/`<<case>>`/`<<default>>`: around links they become choice conditions,
  around text conditional blocks;
- `<<include>>` and `(display:)` inlined before the scan (a passage already being inlined
  is not inlined again);
- SugarCube `<<set _choices = [{text: ..., passage: ...}, ...]>>` arrays of choices (drawn
  by a widget, or given to it) become choices;
- `$var`, `(print: $var)`, `<<print $var>>`, `<<= $var>>` become `{var}`.

Everything else becomes an `x-todo` note holding the whole macro and its source line
(the plain links inside a container kept as a note stay choices). Looking for the end of
an unclosed macro stops after `UNCLOSED_LIMIT` in a passage, so hostile input stays linear.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sam_cowboy.authoring.importing import (
    INT_LIMIT,
    Block,
    Choice,
    Cond,
    Effects,
    Scene,
    Story,
    Value,
    literal,
)

EXPAND_LIMIT = 200_000  # characters a passage may grow to by inlining others
EXPAND_TOTAL = 5_000_000  # characters the whole story may gain by inlining
UNCLOSED_LIMIT = 16  # unclosed macros looked for in a passage; the rest are text (linear)
_URL = re.compile(r"(?:https?|mailto|ftp):", re.I)
_START = re.compile(
    r"\|(?P<nh>[A-Za-z_][\w-]*)>\[|\[\[|\((?P<h>[A-Za-z][\w-]*):|<<(?P<close>/)?(?P<s>[=\-A-Za-z_][\w-]*)?|"
    r"[$](?P<v>[A-Za-z_]\w*(?:\.\w+)*)|/\*|<!--|<%|\]|''|\[")
_INCLUDE = re.compile(r"<<include\s+|\((?:display|Display):\s*")
_MACRO_NAME = re.compile(r"[-_]")
_PLAIN_LINK = re.compile(r"\[\[((?:[^\]]|\](?!\]))+)\]\]")
_GOTO = re.compile(r"<<goto\s+(\"[^\"]*\"|'[^']*'|\[\[[^\]]*\]\])\s*>>", re.I)
_HOOK_NAME = re.compile(r"<[A-Za-z_][\w-]*\|")


@dataclass
class _Frame:
    kind: str  # "if", "link", "pending-link", "hook" (of a macro not read), "plain"
    conds: list[Cond] = field(default_factory=list)
    chain: list[Cond] = field(default_factory=list)  # negations of the branches before
    own: list[Cond] = field(default_factory=list)  # this branch's own condition
    choice: Choice | None = None
    closer: str = "]"  # "]" for Harlowe hooks, the macro name for SugarCube containers
    start: int = 0
    subject: str = ""  # what a <<switch>> compares


def _negated(c: Cond) -> Cond:
    return Cond(c.source, c.line, c.translate, not c.negate)


@functools.lru_cache(maxsize=32)
def _scanner(quotes: str, wanted: str) -> re.Pattern[str]:
    chars = set(quotes + wanted) | ({"\\"} if quotes else set())
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def unquoted(text: str, wanted: str, start: int = 0,
             quotes: str = "\"'`") -> Iterator[tuple[int, str]]:
    """(index, character) of the `wanted` characters of `text` from `start`, outside
    quoted strings (with escapes); a regex jumps over everything else."""
    quote: str | None = None
    skip = start
    for m in _scanner(quotes, wanted).finditer(text, start):
        i = m.start()
        if i < skip:
            continue
        ch = text[i]
        if quote:
            if ch == "\\":
                skip = i + 2
            elif ch == quote:
                quote = None
        elif ch in quotes:
            quote = ch
        elif ch in wanted:
            yield i, ch


def matching(text: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index just after the bracket closing the one at `start`, or -1 (quotes skipped but
    in hooks, whose apostrophes are prose)."""
    depth = 0
    for i, ch in unquoted(text, open_ch + close_ch, start,
                          "" if open_ch == "[" else "\"'`"):
        if ch == open_ch:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _sugar_end(text: str, start: int) -> int:
    """Index just after the `>>` closing the macro opened at `start`, or -1."""
    for i, _ in unquoted(text, ">", start + 2):
        if text.startswith(">>", i):
            return i + 2
    return -1


def split_top(s: str, seps: str = ",;") -> list[str]:
    """`s` split at separators outside quotes and brackets."""
    parts: list[str] = []
    depth = 0
    cur = 0
    for i, ch in unquoted(s, "()[]{}" + seps):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0:
            parts.append(s[cur:i])
            cur = i + 1
    parts.append(s[cur:])
    return [p.strip() for p in parts if p.strip()]


def parse_string(s: str) -> str | None:
    """A quoted string literal, or None."""
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'`":
        body = s[1:-1]
        if s[0] not in body.replace("\\" + s[0], ""):
            return re.sub(r"\\(.)", r"\1", body)
    return None


def parse_value(s: str) -> Value | None:
    s = s.strip()
    if re.fullmatch(r"-?\d{1,12}", s):
        n = int(s)
        return n if abs(n) < INT_LIMIT else None
    if s in ("true", "false"):
        return s == "true"
    return parse_string(s)


class Link:
    def __init__(self, text: str, target: str, setter: str | None = None) -> None:
        self.text, self.target, self.setter = text, target, setter


def parse_link(inner: str) -> Link:
    """The inside of `[[...]]` -> display text, target passage, optional setter."""
    setter = None
    m = re.match(r"^(?P<link>.*?)\]\[(?P<setter>.*)$", inner, re.S)
    if m:
        inner, setter = m.group("link"), m.group("setter").rstrip("]").lstrip("[")
    if "|" in inner:
        text, _, target = inner.rpartition("|")
    elif "->" in inner:
        text, _, target = inner.rpartition("->")
    elif "<-" in inner:
        target, _, text = inner.partition("<-")
    else:
        text = target = inner
    return Link(text.strip(), target.strip(), setter)


# ------------------------------------------------------------------ conditions

_COND_TOKEN = re.compile(
    r"\s*(?:(?P<str>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')|(?P<num>\d+)"
    r"|(?P<var>[$_][A-Za-z_]\w*)|(?P<visited>visited\(\s*(?P<vq>\"[^\"]*\"|'[^']*')\s*\))"
    r"|(?P<op>===|!==|==|!=|>=|<=|&&|\|\||[-+*()<>!])"
    r"|(?P<word>[A-Za-z][\w-]*))")
_WORDS = {"is": "==", "eq": "==", "neq": "!=", "gt": ">", "gte": ">=", "lt": "<",
          "lte": "<=", "and": "and", "or": "or", "not": "not", "true": "true",
          "false": "false", "to": None}
_OPS = {"===": "==", "!==": "!=", "&&": "and", "||": "or", "!": "not"}
_BOOL_EDGE = {"", "and", "or", "not", "("}
_VISITED = re.compile(r"\(history:\)\s+contains\s+(\"[^\"]*\"|'[^']*')"
                      r"|\(visited:\s*(\"[^\"]*\"|'[^']*')\s*\)"
                      r"|hasVisited\(\s*(\"[^\"]*\"|'[^']*')\s*\)")


def twine_condition(story: Story):  # type: ignore[no-untyped-def]
    """A translator of Harlowe/SugarCube conditions for `Cond`."""

    def translate(src: str, types: dict[str, str]) -> str | None:
        # one spelling for "the passage has been seen"
        src = _VISITED.sub(lambda m: f"visited({next(g for g in m.groups() if g)})", src)
        out: list[str] = []
        kinds: list[str] = []  # "var:<type>" for operands needing truthiness
        pos = 0
        src = src.strip()
        while pos < len(src):
            m = _COND_TOKEN.match(src, pos)
            if m is None or m.end() == pos:
                return None
            pos = m.end()
            if m.group("str") is not None:
                value = parse_string(m.group("str"))
                if value is None:
                    return None
                out.append(json.dumps(value) if "'" in value else f"'{value}'")
                kinds.append("lit")
            elif m.group("num") is not None:
                out.append(m.group("num"))
                kinds.append("lit")
            elif m.group("var") is not None:
                name = m.group("var")
                if name not in story.var_ids:
                    return None
                vid = story.var_ids[name]
                out.append(vid)
                kinds.append("var:" + types.get(vid, "?"))
            elif m.group("visited") is not None:
                target = parse_string(m.group("vq")) or ""
                if target not in story.scene_ids:
                    return None
                out.append(f"(visits('{story.scene_ids[target]}') > 0)")
                kinds.append("bool")
            elif m.group("op") is not None:
                op = m.group("op")
                out.append(_OPS.get(op, op))
                kinds.append("op")
            else:
                word = m.group("word")
                if word == "is" and src[pos:].lstrip().startswith("not "):
                    pos = src.index("not", pos) + 3
                    out.append("!=")
                elif word in _WORDS and _WORDS[word] is not None:
                    out.append(_WORDS[word] or "")
                else:
                    return None
                kinds.append("op")
        for i, kind in enumerate(kinds):  # Twine's truthiness, made explicit
            if not kind.startswith("var:") or kind == "var:bool":
                continue
            before = out[i - 1] if i else ""
            after = out[i + 1] if i + 1 < len(out) else ""
            if before in _BOOL_EDGE and after in ("", "and", "or", ")"):
                out[i] = f"({out[i]} != 0)" if kind == "var:int" else f"({out[i]} != '')"
        return " ".join(out).replace("( ", "(").replace(" )", ")") or None

    return translate


# ------------------------------------------------------------------ set statements

_SET = re.compile(r"^(?P<var>[$_][A-Za-z_]\w*)\s*(?P<op>to\b|\+=|-=|=(?!=)|\+\+|--)\s*(?P<expr>.*)$",
                  re.S)
_PUT = re.compile(r"^(?P<expr>.*?)\s+into\s+(?P<var>[$_][A-Za-z_]\w*)\s*$", re.S)


def parse_sets(story: Story, args: str) -> tuple[Effects, list[str]]:
    """The changes in `(set:)`/`<<set>>`/a setter link, and the parts not understood."""
    eff = Effects()
    rest: list[str] = []
    for part in split_top(args):
        m = _SET.match(part)
        if m is None:
            pm = _PUT.match(part)
            if pm is None:
                rest.append(part)
                continue
            var, op, expr = pm.group("var"), "to", pm.group("expr")
        else:
            var, op, expr = m.group("var"), m.group("op"), m.group("expr").strip()
        if var.startswith("_"):
            rest.append(part)
            continue
        vid = story.var(var)
        if op in ("++", "--"):
            if expr:
                rest.append(part)
                continue
            eff.add[vid] = eff.add.get(vid, 0) + (1 if op == "++" else -1)
            continue
        if op in ("+=", "-="):
            value = parse_value(expr)
            if isinstance(value, int) and not isinstance(value, bool):
                eff.add[vid] = eff.add.get(vid, 0) + (value if op == "+=" else -value)
            else:
                rest.append(part)
            continue
        rel = re.fullmatch(r"(?:it|" + re.escape(var) + r")\s*([-+])\s*(\d{1,9})", expr)
        if rel:
            n = int(rel.group(2))
            eff.add[vid] = eff.add.get(vid, 0) + (n if rel.group(1) == "+" else -n)
            continue
        value = parse_value(expr)
        if value is None:
            rest.append(part)
            continue
        eff.set[vid] = value
    return eff, rest


def _merge(into: Effects, eff: Effects) -> None:
    into.set.update(eff.set)
    for k, n in eff.add.items():
        into.add[k] = into.add.get(k, 0) + n


# ------------------------------------------------------------------ inlining

class Expanded:
    """A passage's text with its includes inlined, and where each character came from."""

    def __init__(self, text: str, segments: list[tuple[int, int, bool]],
                 notes: list[tuple[int, str]]) -> None:
        self.text = text
        self.segments = segments  # (offset in text, source line, inlined?)
        self.starts = [s[0] for s in segments]
        self.notes = notes  # (source line, note)
        self.included: set[str] = set()
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line(self, offset: int) -> int:
        k = bisect.bisect_right(self.starts, offset) - 1
        start, line, inlined = self.segments[max(k, 0)]
        if inlined:
            return line
        return line + bisect.bisect_left(self.newlines, offset) - \
            bisect.bisect_left(self.newlines, start)


def _include_target(text: str, m: re.Match[str]) -> tuple[str | None, int]:
    """The passage named by the include at `m`, and the index after the include."""
    if text.startswith("<<", m.start()):
        end = _sugar_end(text, m.start())
        if end < 0:
            return None, -1
        arg = text[m.end():end - 2].strip()
        if arg.startswith("[[") and arg.endswith("]]"):
            return parse_link(arg[2:-2]).target, end
        first = split_top(arg, " ")
        return (parse_string(first[0]) if first else None), end
    end = matching(text, m.start(), "(", ")")
    if end < 0:
        return None, -1
    return parse_string(text[m.end():end - 1]), end


def expand(name: str, texts: dict[str, str], first_line: int,
           budget: list[int] | None = None) -> Expanded:
    """`texts[name]` with `<<include>>`/`(display:)` replaced by the passage they name.
    `budget[0]`: characters all passages may still gain by inlining (shared, so that
    includes of includes cannot grow the story without bound)."""
    budget = budget if budget is not None else [EXPAND_TOTAL]
    out: list[str] = []
    segments: list[tuple[int, int, bool]] = []
    notes: list[tuple[int, str]] = []
    included: set[str] = set()
    size = 0
    # each entry: (text, position, chain of names being inlined, source line of the include)
    stack: list[tuple[str, int, tuple[str, ...], int]] = [(texts[name], 0, (name,), 0)]
    top_pos_line = first_line
    while stack:
        text, pos, chain, inc_line = stack.pop()
        inlined = len(chain) > 1
        segments.append((size, inc_line if inlined else top_pos_line, inlined))
        m = _INCLUDE.search(text, pos)
        while m is not None:
            target, end = _include_target(text, m)
            if end < 0:
                m = _INCLUDE.search(text, m.end())
                continue
            here = inc_line if inlined else top_pos_line + text.count("\n", pos, m.start())
            if target is None or target not in texts or target in chain or \
                    size + (m.start() - pos) + len(texts[target]) > EXPAND_LIMIT or \
                    len(texts[target]) > budget[0]:
                why = ("it names no passage" if target is None or target not in texts else
                       "it would include itself" if target in chain else
                       "the story would grow too large")
                notes.append((here, f"not inlined ({why}): {text[m.start():end]}"))
                out.append(text[pos:m.start()])
                size += m.start() - pos
                pos = end
                m = _INCLUDE.search(text, pos)
                continue
            out.append(text[pos:m.start()])
            size += m.start() - pos
            if not inlined:
                top_pos_line += text.count("\n", pos, end)
            included.add(target)
            budget[0] -= len(texts[target])
            stack.append((text, end, chain, inc_line))
            stack.append((texts[target], 0, chain + (target,), here))
            break
        else:
            out.append(text[pos:])
            size += len(text) - pos
            if not inlined:
                top_pos_line += text.count("\n", pos)
            continue
    result = Expanded("".join(out), segments, notes)
    result.included = included
    return result


# ------------------------------------------------------------------ one passage

_ENDINGS = {"good": "good", "bad": "bad", "mixed": "mixed", "ending-good": "good",
            "ending-bad": "bad", "ending-mixed": "mixed"}
_IF = {"if", "unless", "elseif", "else"}
_LINKS = {"link", "linkreveal", "linkrepeat", "linkrerun", "click", "clickreplace",
          "clickappend", "clickprepend", "linkreplace", "linkappend", "linkprepend",
          "button"}
_LINK_KINDS = ("link", "pending-link")
_TRANSPARENT = {"nobr", "silently", "span", "div"}


class PassageReader:
    """Reads one passage into a scene."""

    def __init__(self, story: Story, scene: Scene, src: Expanded, file: str,
                 passages: set[str], widgets: set[str]) -> None:
        self.story = story
        self.scene = scene
        self.src = src
        self.file = file
        self.passages = passages
        self.widgets = widgets
        self.text: list[str] = []
        self.stack: list[_Frame] = []
        self.links: list[_Frame] = []  # the link frames of the stack, innermost last
        self.hooks = 0  # frames of the stack that a `]` closes
        self.unclosed = 0  # macros whose end was looked for to the end of the passage
        self.cond_effects: list[tuple[list[Cond], Effects, str]] = []
        self.chain: list[Cond] = []  # negations of the if-branches just closed
        self.temp_choices: set[str] = set()
        self.translate = twine_condition(story)

    # -- helpers
    def loc(self, offset: int) -> str:
        return f"{self.file}:{self.src.line(offset)}"

    def conds(self) -> list[Cond]:
        return [c for f in self.stack for c in f.conds]

    def link_frame(self) -> _Frame | None:
        return self.links[-1] if self.links else None

    def note(self, offset: int, text: str) -> None:
        frame = self.link_frame()
        where = frame.choice.notes if frame and frame.choice else self.scene.notes
        self.story.note(where, self.loc(offset), f"not translated: {text}",
                        f"passage `{self.scene.title}`: not translated, kept as an x-todo "
                        f"note: {' '.join(text.split())[:60]}")

    def cond(self, source: str, offset: int, negate: bool = False) -> Cond:
        return Cond(source.strip(), self.loc(offset), self.translate, negate)

    def flush(self) -> None:
        text = "".join(self.text)
        self.text = []
        frame = self.link_frame()
        if frame is not None and frame.choice is not None:
            # what a link reveals before it goes on: the choice's feedback
            frame.choice.feedback += text.replace("\x00", "").replace("\x01", "")
        elif text.strip():
            conds = self.conds()
            last = self.scene.blocks[-1] if self.scene.blocks else None
            if last is not None and last.conds == conds:
                last.text += text
            else:
                self.scene.blocks.append(Block(text, conds))

    def push(self, frame: _Frame) -> None:
        self.flush()
        self.stack.append(frame)
        self.hooks += frame.closer == "]"
        if frame.kind in _LINK_KINDS:
            self.links.append(frame)

    def pop(self) -> _Frame:
        self.flush()
        frame = self.stack.pop()
        self.hooks -= frame.closer == "]"
        if self.links and self.links[-1] is frame:
            self.links.pop()
        return frame

    def shown(self, text: str) -> str:
        """Source words as episode text: `$var` of the story becomes `{var}`."""
        out: list[str] = []
        pos = 0
        for m in re.finditer(r"[$]([A-Za-z_]\w*)", text):
            vid = self.story.var_ids.get(m.group(0))
            if vid is not None:
                out.append(literal(text[pos:m.start()]) + "{" + vid + "}")
                pos = m.end()
        out.append(literal(text[pos:]))
        return "".join(out)

    def add_choice(self, text: str, target: str | None, offset: int,
                   effects: Effects | None = None, in_text: bool = True) -> Choice:
        text = self.shown(text)
        if in_text:  # where the link stood: its words stay if the line has others
            self.text.append("\x00" + text + "\x01")
        goto = self.story.scene_id(target) if target else ""
        if target and target not in self.passages and target not in self.story.missing:
            self.story.missing[target] = self.loc(offset)
            self.story.warnings.append((self.loc(offset), f"passage `{self.scene.title}` "
                                        f"links to `{target}`, which is not a passage: "
                                        "added an ending to fill in"))
        choice = Choice(text, goto, self.loc(offset), self.conds(), effects=effects or Effects())
        self.scene.choices.append(choice)
        return choice

    def effects(self, args: str, offset: int, whole: str) -> None:
        eff, rest = parse_sets(self.story, args)
        if rest:
            self.note(offset, whole)
        frame = self.link_frame()
        if frame and frame.choice:
            _merge(frame.choice.effects, eff)
        elif self.conds():
            if eff.set or eff.add:  # applied on entering, when its conditions hold
                self.cond_effects.append((self.conds(), eff, self.loc(offset)))
        else:
            _merge(self.scene.on_enter, eff)

    def goto(self, target: str | None, offset: int, whole: str) -> None:
        frame = self.link_frame()
        if target is None:
            self.note(offset, whole)
            self.rescue("goto", whole, offset)
        elif frame and frame.choice:
            frame.choice.goto = self.story.scene_id(target)
            frame.kind = "link"
            frame.choice.notes = [n for n in frame.choice.notes if n.text != "no go-to"]
            if target not in self.passages:
                self.story.missing.setdefault(target, self.loc(offset))
        elif any(f.kind == "hook" for f in self.stack):
            # inside a hook of a macro we do not read (a timer, an event): the go-to
            # waits for something, so it is offered as a choice, never taken at once
            self.note(offset, f"{whole} (inside a macro's hook: offered as a choice)")
            self.add_choice("Go on", target, offset, in_text=False)
        else:
            self.scene.route.append((self.conds(), self.story.scene_id(target)))
            if target not in self.passages:
                self.story.missing.setdefault(target, self.loc(offset))

    # -- the scan
    def read(self) -> None:
        text = self.src.text
        pos = 0
        n = len(text)
        while pos < n:
            m = _START.search(text, pos)
            if m is None:
                self.text.append(literal(text[pos:]))
                break
            self.text.append(literal(text[pos:m.start()]))
            tok = m.group(0)
            start = m.start()
            if not tok.strip():
                pos = m.end()
                continue
            if m.group("nh"):  # a named Harlowe hook `|name>[...]`: its text is text
                self.push(_Frame("plain", start=start))
                pos = m.end()
            elif tok == "[[":
                pos = self.link(text, start)
            elif tok.startswith("("):
                pos = self.harlowe(text, start, m)
            elif tok.startswith("<<"):
                pos = self.sugar(text, start, m)
            elif tok.startswith("$"):
                pos = self.variable(text, m)
            elif tok == "/*":
                end = text.find("*/", start + 2)
                pos = n if end < 0 else end + 2
            elif tok == "<!--":
                end = text.find("-->", start + 4)
                pos = n if end < 0 else end + 3
            elif tok == "<%":
                end = text.find("%>", start + 2)
                end = n if end < 0 else end + 2
                self.note(start, text[start:end])
                pos = end
            elif tok == "[":  # a bracket inside a hook opens a hook of its own
                if self.hooks:
                    self.push(_Frame("plain", start=start))
                else:
                    self.text.append("[")
                pos = m.end()
            elif tok == "''":
                self.text.append("**")
                pos = m.end()
            else:  # "]": the end of a hook, if one is open
                frame = self.stack[-1] if self.stack else None
                if frame is not None and frame.closer == "]":
                    self.close(frame, start)
                else:
                    self.text.append("]")
                pos = m.end()
                name = _HOOK_NAME.match(text, pos)  # `[...]<name|`
                if name:
                    pos = name.end()
        while self.stack:  # unclosed hooks or containers: what was read is kept
            frame = self.stack[-1]
            self.note(frame.start, f"`{text[frame.start:frame.start + 40]}…` is not closed")
            self.close(frame, n)
        self.flush()

    def close(self, frame: _Frame, offset: int) -> None:
        self.pop()
        if frame.kind == "if":
            self.chain = frame.chain
        elif frame.kind == "pending-link" and frame.choice is not None:
            choice = frame.choice  # a link whose hook has no go-to: it reveals text
            self.scene.choices.remove(choice)
            self.note(frame.start, self.src.text[frame.start:offset + 1])

    def link(self, text: str, start: int) -> int:
        end = text.find("]]", start + 2)
        if end < 0:
            self.text.append("[[")
            return start + 2
        inner = text[start + 2:end]  # with a setter: `a|b][$x to 1`
        link = parse_link(inner)
        if _URL.match(link.target):
            self.text.append(f"[{literal(link.text)}]({literal(link.target)})")
            return end + 2
        eff = None
        if link.setter:
            eff, rest = parse_sets(self.story, link.setter)
            if rest:
                self.note(start, f"setter `{link.setter}` of link `{link.text}`")
        self.add_choice(link.text or link.target, link.target, start, eff)
        return end + 2

    def variable(self, text: str, m: re.Match[str]) -> int:
        name = "$" + m.group("v")
        if "." in name or name not in self.story.var_ids:
            self.text.append(literal(m.group(0)))
            if "." in name:
                self.note(m.start(), m.group(0))
        else:
            self.text.append("{" + self.story.var_ids[name] + "}")
        return m.end()

    def harlowe(self, text: str, start: int, m: re.Match[str]) -> int:
        end = matching(text, start, "(", ")") if self.unclosed < UNCLOSED_LIMIT else -1
        if end < 0:
            self.unclosed += 1
            self.text.append(literal(m.group(0)))
            return m.end()
        name = _MACRO_NAME.sub("", m.group("h").lower())
        args = text[m.end():end - 1].strip()
        whole = text[start:end]
        # `(if: $x)[[[a link]]]`: a hook holding a link; `(if: $x)[[a link]]` is no hook;
        # spaces may stand between a changer and its hook
        hook = end
        while hook < len(text) and text[hook] in " \t":
            hook += 1
        has_hook = text.startswith("[", hook) and (not text.startswith("[[", hook)
                                                   or text.startswith("[[[", hook))
        if name in _IF:
            base = list(self.chain) if name in ("elseif", "else") else []
            if name in ("elseif", "else") and not self.chain:
                self.note(start, whole + " (no (if:) before it)")
            own = [] if name == "else" else [self.cond(args, start, negate=(name == "unless"))]
            if not has_hook:
                self.note(start, whole)
                return end
            frame = _Frame("if", base + own, start=start)
            frame.chain = [] if name == "else" else base + [_negated(c) for c in own]
            self.push(frame)
            return hook + 1
        self.chain = []
        if name in ("set", "put", "move"):
            self.effects(args, start, whole)
        elif name in ("goto",):
            self.goto(parse_string(args), start, whole)
        elif name in ("linkgoto", "linkrevealgoto", "clickgoto"):
            parts = split_top(args, ",")
            strings = [parse_string(p) for p in parts]
            if len(parts) in (1, 2) and all(s is not None for s in strings):
                label = strings[0] or ""
                target = strings[-1] or ""
                if has_hook:  # what the link shows after it is followed: never read
                    close = matching(text, hook, "[", "]")
                    close = len(text) if close < 0 else close
                    self.note(start, whole + text[end:close])
                    end = close
                if _URL.match(target):
                    self.text.append(f"[{literal(label)}]({literal(target)})")
                else:
                    self.add_choice(label, target, start)
            else:
                self.note(start, whole)
                self.rescue(name, whole, start)
        elif name in ("print",) and re.fullmatch(r"\$[A-Za-z_]\w*", args) \
                and args in self.story.var_ids:
            self.text.append("{" + self.story.var_ids[args] + "}")
        elif name == "either" and args and parse_string(split_top(args, ",")[0]) is not None:
            # random text: its first words stay in the text, all of it in a note
            self.text.append(literal(parse_string(split_top(args, ",")[0]) or ""))
            self.note(start, whole + " (shown as its first alternative)")
        elif name in _LINKS and has_hook:
            text_arg = parse_string(split_top(args, ",")[0]) if args else None
            plain = text_arg is not None
            if text_arg is None:  # `(click: ?door)`: the hook's name stands for its text
                self.note(start, whole + " (its text is not a plain string)")
                text_arg = re.sub(r"[^\w ]", " ", args).strip() or "Go on"
            choice = self.add_choice(text_arg, None, start, in_text=plain)
            self.push(_Frame("pending-link", choice=choice, start=start))
            return hook + 1
        elif has_hook:
            self.note(start, whole + " (its hook is kept as text)")
            self.push(_Frame("hook", start=start))
            return hook + 1
        else:
            self.note(start, whole)
            self.rescue(name, whole, start)
        return end

    def rescue(self, name: str, whole: str, start: int) -> None:
        """A go-to or link we could not read that names passages in plain strings
        (`(go-to: (either: "A", "B"))`): a choice to each, so they stay reachable."""
        if not any(word in name for word in ("goto", "link", "click", "button")):
            return
        for m in re.finditer(r"\"([^\"\\]*)\"|'([^'\\]*)'", whole):
            target = m.group(1) if m.group(1) is not None else m.group(2)
            if target in self.passages and not any(
                    c.text == f"Go on: {target}" for c in self.scene.choices):
                self.add_choice(f"Go on: {target}", target, start, in_text=False)

    def sugar(self, text: str, start: int, m: re.Match[str]) -> int:
        end = _sugar_end(text, start) if self.unclosed < UNCLOSED_LIMIT else -1
        if end < 0:
            self.unclosed += 1
            self.text.append(literal(m.group(0)))
            return m.end()
        raw = (m.group("s") or "")
        name = raw.lower()
        args = text[start + 2 + len(raw) + (1 if m.group("close") else 0):end - 2].strip()
        whole = text[start:end]
        if m.group("close"):
            frame = self.stack[-1] if self.stack else None
            if name in _TRANSPARENT:
                return end
            if frame is not None and frame.closer == name:
                self.close(frame, end - 1)
            else:
                self.note(start, whole + " (closes nothing)")
            return end
        if name == "if":
            cond = self.cond(args, start)
            self.push(_Frame("if", [cond], own=[cond], closer="if", start=start))
            return end
        if name == "switch":  # <<switch $x>><<case 1 2>>...<<default>>...<</switch>>
            self.push(_Frame("if", closer="switch", start=start, subject=args))
            return end
        if name in ("case", "default"):
            frame = self.stack[-1] if self.stack else None
            if frame is None or frame.closer != "switch":
                self.note(start, whole + " (outside <<switch>>)")
                return end
            self.flush()
            frame.chain = frame.chain + [_negated(c) for c in frame.own]
            values = split_top(args, " ,")
            own = " or ".join(f"{frame.subject} == {v}" for v in values)
            frame.own = [self.cond(f"({own})", start)] if name == "case" and values else []
            frame.conds = frame.chain + frame.own
            return end
        if name in ("elseif", "else"):
            frame = self.stack[-1] if self.stack else None
            if frame is None or frame.kind != "if" or frame.closer != "if":
                self.note(start, whole + " (outside <<if>>)")
                return end
            self.flush()
            frame.chain = frame.chain + [_negated(c) for c in frame.own]
            frame.own = [] if name == "else" else [self.cond(args, start)]
            frame.conds = frame.chain + frame.own
            return end
        if name in _TRANSPARENT:
            return end
        if name in ("set",):
            temp = re.match(r"\s*(_\w+)\s*(?:=|to)\s*\[", args)
            if temp and self.array_choices(args[temp.end() - 1:], start, whole):
                self.temp_choices.add(temp.group(1))
                return end
            self.effects(args, start, whole)
            return end
        if name == "goto":
            target = parse_string(args)
            if args.startswith("[[") and args.endswith("]]"):
                target = parse_link(args[2:-2]).target
            self.goto(target, start, whole)
            return end
        if name in ("print", "=", "-") and re.fullmatch(r"\$[A-Za-z_]\w*", args) \
                and args in self.story.var_ids:
            self.text.append("{" + self.story.var_ids[args] + "}")
            return end
        if name in ("link", "button", "click"):
            label, target, setter = None, None, None
            if args.startswith("[["):
                close = args.find("]]")
                link = parse_link(args[2:close if close >= 0 else len(args)])
                label, target, setter = link.text, link.target, link.setter
            else:
                parts = split_top(args, " ")
                label = parse_string(parts[0]) if parts else None
                if len(parts) > 1:
                    target = parse_string(parts[1])
                    if parts[1].startswith("[["):
                        target = parse_link(parts[1][2:-2]).target
            if label is None:
                self.note(start, whole + " (its text is not a plain string)")
                self.push(_Frame("skip-link", closer=name, start=start))
                return end
            choice = self.add_choice(label, target, start)
            if setter:
                eff, rest = parse_sets(self.story, setter)
                _merge(choice.effects, eff)
                if rest:
                    self.note(start, f"setter `{setter}`")
            kind = "link" if target else "pending-link"
            self.push(_Frame(kind, choice=choice, closer=name, start=start))
            return end
        if name == "widget":
            found = re.compile(r"<</widget>>", re.I).search(text, end) \
                if self.unclosed < UNCLOSED_LIMIT else None
            if found is None:
                self.unclosed += 1
            return end if found is None else found.end()
        if name in self.widgets and args.startswith("[") \
                and self.array_choices(args, start, whole):
            return end  # a widget given the array of choices itself
        if name in self.widgets and any(v in args or not args for v in self.temp_choices):
            return end  # the widget draws the choices read from the array
        if name in ("for", "repeat", "timed", "type", "linkappend", "linkprepend",
                    "linkreplace", "listbox", "cycle", "createaudiogroup", "script"):
            found = re.compile(re.escape(f"<</{name}>>"), re.I).search(text, end) \
                if self.unclosed < UNCLOSED_LIMIT else None
            if found is None:
                self.unclosed += 1
                self.note(start, whole + " (not closed)")
                return end
            stop = found.end()
            self.note(start, text[start:stop])
            # its plain links stay ways on, so the passages they lead to stay reachable
            for inner in _PLAIN_LINK.finditer(text, end, stop):
                kept = parse_link(inner.group(1))
                if kept.target in self.passages:
                    self.add_choice(kept.text or kept.target, kept.target, start,
                                    in_text=False)
            for inner in _GOTO.finditer(text, end, stop):
                target = parse_string(inner.group(1)) or parse_link(inner.group(1)[2:-2]).target
                if target in self.passages:
                    self.add_choice("Go on", target, start, in_text=False)
            return stop
        self.note(start, whole)
        self.rescue(name, whole, start)
        return end

    def array_choices(self, array: str, offset: int, whole: str) -> bool:
        """`[{text: "...", passage: "...", integrity: 1}, ...]` (or `["text", "passage"]`
        pairs) as choices; False when the array holds none. Fields one level down
        (`effects: {integrity: 1}`) count too; a field that means nothing here leaves the
        whole macro in a note."""
        items = split_top(array.strip()[1:-1] if array.strip().endswith("]") else "", ",")
        found: list[tuple[str, str, Effects]] = []
        unused = False
        for item in items:
            label, target, eff = None, None, Effects()
            body = item.strip()
            if body.startswith("{") and body.endswith("}"):
                fields = _object_fields(body)
                used: set[str] = set()
                for k, v in fields.items():
                    text = parse_string(v)
                    if text is not None and text in self.passages and target is None:
                        target = text
                        used.add(k)
                for k in ("text", "label", "title", "name", "choice", "caption"):
                    text = parse_string(fields.get(k, ""))
                    if text is not None:
                        label = text
                        used.add(k)
                        break
                for k, v in fields.items():
                    val = parse_value(v)
                    vid = self.story.var_ids.get("$" + k.rpartition(".")[2])
                    if vid and isinstance(val, int) and not isinstance(val, bool):
                        eff.add[vid] = val
                        used.add(k)
                    elif isinstance(val, str) and val.lstrip().startswith("$"):
                        changes, rest = parse_sets(self.story, val)  # "$integrity += 1"
                        if not rest:
                            _merge(eff, changes)
                            used.add(k)
                unused = unused or bool(set(fields) - used)
            elif body.startswith("[") and body.endswith("]"):
                texts = [parse_string(p) for p in split_top(body[1:-1], ",")]
                if len(texts) >= 2 and texts[1] in self.passages:
                    label, target = texts[0], texts[1]
                unused = unused or len(texts) > 2
            if label is not None and target is not None:
                found.append((label, target, eff))
            else:
                unused = True
        if not found:
            return False
        for label, target, eff in found:
            self.add_choice(label, target, offset, eff)
        if unused:
            self.note(offset, whole + " (its choices were read; some fields were not)")
        return True


def _object_fields(body: str) -> dict[str, str]:
    """`{a: 1, b: {c: 2}}` -> {"a": "1", "b.c": "2"} (two levels, values as written)."""
    fields: dict[str, str] = {}
    for pair in split_top(body[1:-1], ","):
        k, sep, v = pair.partition(":")
        if not sep:
            continue
        k, v = k.strip().strip("\"'"), v.strip()
        if v.startswith("{") and v.endswith("}"):
            for pair2 in split_top(v[1:-1], ","):
                k2, sep2, v2 = pair2.partition(":")
                if sep2:
                    fields[f"{k}.{k2.strip().strip(chr(34) + chr(39))}"] = v2.strip()
        else:
            fields[k] = v
    return fields


def read_passage(story: Story, scene: Scene, src: Expanded, file: str,
                 passages: set[str], widgets: set[str], tags: list[str]) -> None:
    reader = PassageReader(story, scene, src, file, passages, widgets)
    for line, note in src.notes:
        story.note(scene.notes, f"{file}:{line}", note, f"passage `{scene.title}`: {note[:60]}")
    reader.read()
    _tidy_blocks(scene)
    _finish_scene(story, scene, tags)
    if reader.cond_effects:
        _gate_effects(story, scene, reader.cond_effects)


def _gate_effects(story: Story, scene: Scene,
                  changes: list[tuple[list[Cond], Effects, str]]) -> None:
    """Changes made under conditions as the passage is shown: the scene becomes a chain of
    routes, each through a scene that applies one change when its conditions hold, ending
    at the passage's content (moved to a scene of its own)."""
    body = story.new_scene(story.fresh_id(f"{scene.key} (shown)"), scene.title, scene.line)
    body.blocks, body.choices, body.route = scene.blocks, scene.choices, scene.route
    body.ending, body.notes = scene.ending, scene.notes
    scene.blocks, scene.choices, scene.route, scene.ending, scene.notes = [], [], [], None, []
    gate = scene
    for n, (conds, eff, line) in enumerate(changes):
        nxt = body if n == len(changes) - 1 else story.new_scene(
            story.fresh_id(f"{scene.key} (check {n + 2})"), None, line)
        apply = story.new_scene(story.fresh_id(f"{scene.key} (change {n + 1})"), None, line)
        apply.on_enter = eff
        apply.route = [([], nxt.key)]
        gate.route = [(conds, apply.key), ([], nxt.key)]
        gate.gate = True
        story.declare(eff)
        gate = nxt


def _tidy_blocks(scene: Scene) -> None:
    """Links alone on their line leave the text; inline ones keep their words."""
    for block in scene.blocks:
        lines = []
        for line in block.text.split("\n"):
            bare = re.sub(r"\x00[^\x01]*\x01", "", line).strip(" \t-*|•")
            if "\x00" in line and not bare:
                continue
            lines.append(" ".join(line.replace("\x00", "").replace("\x01", "").split()))
        text = "\n".join(lines)
        block.text = re.sub(r"\n{3,}", "\n\n", text).strip()
    scene.blocks = [b for b in scene.blocks if b.text]


def _finish_scene(story: Story, scene: Scene, tags: list[str]) -> None:
    for choice in list(scene.choices):
        if not choice.goto:  # a link whose body has no go-to and no target
            scene.choices.remove(choice)
            story.note(scene.notes, choice.line, f"link `{choice.text}` leads nowhere: "
                       + "; ".join(n.text for n in choice.notes),
                       f"passage `{scene.title}`: link `{choice.text}` has no target "
                       "(x-todo)")
    if scene.route:
        unconditional = next((r for r in scene.route if not r[0]), None)
        scene.route = [r for r in scene.route if r[0]]
        if unconditional is not None and not scene.route and not scene.choices \
                and scene.blocks:
            # text, then a go-to: the text is read, then the story goes on
            scene.choices.append(Choice("Continue", unconditional[1], scene.line))
        elif unconditional is not None:
            # the go-to happens at once: what the passage shows before it is never read
            scene.route.append(unconditional)
            if scene.blocks or scene.choices:
                story.note(scene.notes, scene.line, "text and links before an immediate "
                           "go-to were left out: " + " / ".join(
                               [b.text for b in scene.blocks] + [c.text for c in
                                                                 scene.choices]),
                           f"passage `{scene.title}` goes on at once: its text is a note")
                scene.blocks, scene.choices = [], []
        else:  # conditional go-tos: the rest of the passage is a scene of its own
            body = story.new_scene(story.scene_id(f"{scene.title} (continued)"),
                                   scene.title, scene.line)
            body.blocks, body.choices = scene.blocks, scene.choices
            scene.blocks, scene.choices = [], []
            scene.route.append(([], body.key))
            if not body.choices:
                body.ending = next((_ENDINGS[t] for t in tags if t in _ENDINGS), None)
    elif not scene.choices:
        scene.ending = next((_ENDINGS[t] for t in tags if t in _ENDINGS), None)
