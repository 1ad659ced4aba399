"""Twine passages (Harlowe, SugarCube, Snowman, Chapbook markup) into an import `Story`.

One left-to-right scan per passage, with an explicit stack for hooks, `<<if>>` blocks and
link bodies (no recursion, so no depth limit but the input's size). What it understands:

- links: `[[...]]` in its four forms and with a SugarCube setter `[...][$x to 1]`;
  Harlowe `(link-goto:)`, `(link:)`/`(click:)` hooks holding `(go-to:)`; SugarCube
  `<<link>>`/`<<button>>` with a target or a `<<goto>>` inside; a bare `(go-to:)` or
  `<<goto>>` becomes a route; external URLs stay in the text as Markdown links;
- `(set:)`, `(put:)`, `<<set>>`: numbers, booleans and strings, `to`, `=`, `+=`, `-=`, `++`,
  `--`, `$x to $x + 1`, `it + 1`; on a link they change the choice, in the text they apply on
  entering the scene;
- `(if:)`/`(else-if:)`/`(else:)`/`(unless:)` hooks and `<<if>>`/`<<elseif>>`/`<<else>>`:
  around links they become choice conditions, around text conditional blocks;
- `<<include>>` and `(display:)` inlined before the scan (a passage already being inlined
  is not inlined again);
- SugarCube `<<set _choices = [{text: ..., passage: ...}, ...]>>` arrays of choices (drawn
  by a widget) become choices;
- `$var`, `(print: $var)`, `<<print $var>>`, `<<= $var>>` become `{var}`.

Everything else becomes an `x-todo` note holding the whole macro and its source line.
"""

from __future__ import annotations

import bisect
import json
import re
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

EXPAND_LIMIT = 1_000_000  # characters a passage may grow to by inlining others
_URL = re.compile(r"(?:https?|mailto|ftp):", re.I)
_START = re.compile(
    r"\[\[|\((?P<h>[A-Za-z][\w-]*):|<<(?P<close>/)?(?P<s>[=\-A-Za-z_][\w-]*)?|"
    r"[$](?P<v>[A-Za-z_]\w*(?:\.\w+)*)|/\*|<!--|<%|\]|''|\[")
_INCLUDE = re.compile(r"<<include\s+|\((?:display|Display):\s*")
_MACRO_NAME = re.compile(r"[-_]")


@dataclass
class _Frame:
    kind: str  # "if", "link", "hook", "skip"
    conds: list[Cond] = field(default_factory=list)
    chain: list[Cond] = field(default_factory=list)  # negations of the branches before
    own: list[Cond] = field(default_factory=list)  # this branch's own condition
    choice: Choice | None = None
    closer: str = "]"  # "]" for Harlowe hooks, the macro name for SugarCube containers
    start: int = 0


def _negated(c: Cond) -> Cond:
    return Cond(c.source, c.line, c.translate, not c.negate)


def matching(text: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index just after the bracket closing the one at `start`, or -1 (quotes skipped)."""
    depth = 0
    i = start
    quote: str | None = None
    n = len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`" and open_ch != "[":
            quote = ch
        elif ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _sugar_end(text: str, start: int) -> int:
    """Index just after the `>>` closing the macro opened at `start`, or -1."""
    i = start + 2
    quote: str | None = None
    n = len(text)
    while i < n - 1:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch == ">" and text[i + 1] == ">":
            return i + 2
        i += 1
    return -1


def split_top(s: str, seps: str = ",;") -> list[str]:
    """`s` split at separators outside quotes and brackets."""
    parts: list[str] = []
    depth = 0
    quote: str | None = None
    cur = 0
    i = 0
    while i < len(s):
        ch = s[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch in seps and depth == 0:
            parts.append(s[cur:i])
            cur = i + 1
        i += 1
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


def twine_condition(story: Story):  # type: ignore[no-untyped-def]
    """A translator of Harlowe/SugarCube conditions for `Cond`."""

    def translate(src: str, types: dict[str, str]) -> str | None:
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


def expand(name: str, texts: dict[str, str], first_line: int) -> Expanded:
    """`texts[name]` with `<<include>>`/`(display:)` replaced by the passage they name."""
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
                    size + (m.start() - pos) + len(texts[target]) > EXPAND_LIMIT:
                why = ("it names no passage" if target is None or target not in texts else
                       "it would include itself" if target in chain else
                       "the passage would grow too large")
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
        self.chain: list[Cond] = []  # negations of the if-branches just closed
        self.temp_choices: set[str] = set()
        self.translate = twine_condition(story)

    # -- helpers
    def loc(self, offset: int) -> str:
        return f"{self.file}:{self.src.line(offset)}"

    def conds(self) -> list[Cond]:
        return [c for f in self.stack for c in f.conds]

    def link_frame(self) -> _Frame | None:
        return next((f for f in reversed(self.stack) if f.kind in ("link", "pending-link")),
                    None)

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

    def pop(self) -> _Frame:
        self.flush()
        return self.stack.pop()

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
                   effects: Effects | None = None) -> Choice:
        text = self.shown(text)
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
            if eff.set or eff.add:
                self.note(offset, f"{whole} (a change under a condition)")
                self.story.declare(eff)
        else:
            _merge(self.scene.on_enter, eff)

    def goto(self, target: str | None, offset: int, whole: str) -> None:
        frame = self.link_frame()
        if target is None:
            self.note(offset, whole)
        elif frame and frame.choice:
            frame.choice.goto = self.story.scene_id(target)
            frame.kind = "link"
            frame.choice.notes = [n for n in frame.choice.notes if n.text != "no go-to"]
            if target not in self.passages:
                self.story.missing.setdefault(target, self.loc(offset))
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
            if tok == "[[":
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
                if any(f.closer == "]" for f in self.stack):
                    self.push(_Frame("hook", start=start))
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
        end = matching(text, start, "(", ")")
        if end < 0:
            self.text.append(literal(m.group(0)))
            return m.end()
        name = _MACRO_NAME.sub("", m.group("h").lower())
        args = text[m.end():end - 1].strip()
        whole = text[start:end]
        # `(if: $x)[[[a link]]]`: a hook holding a link; `(if: $x)[[a link]]` is no hook
        has_hook = text.startswith("[", end) and (not text.startswith("[[", end)
                                                  or text.startswith("[[[", end))
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
            return end + 1
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
                if has_hook:
                    self.note(start, whole + text[end:matching(text, end, "[", "]")])
                if _URL.match(target):
                    self.text.append(f"[{literal(label)}]({literal(target)})")
                else:
                    self.add_choice(label, target, start)
            else:
                self.note(start, whole)
        elif name in ("print",) and re.fullmatch(r"\$[A-Za-z_]\w*", args) \
                and args in self.story.var_ids:
            self.text.append("{" + self.story.var_ids[args] + "}")
        elif name in _LINKS and has_hook:
            text_arg = parse_string(split_top(args, ",")[0]) if args else None
            if text_arg is None:
                self.note(start, whole + " (its text is not a plain string)")
                self.push(_Frame("hook", start=start))
                return end + 1
            choice = self.add_choice(text_arg, None, start)
            self.push(_Frame("pending-link", choice=choice, start=start))
            return end + 1
        elif has_hook:
            self.note(start, whole + " (its hook is kept as text)")
            self.push(_Frame("hook", start=start))
            return end + 1
        else:
            self.note(start, whole)
        return end

    def sugar(self, text: str, start: int, m: re.Match[str]) -> int:
        end = _sugar_end(text, start)
        if end < 0:
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
        if name in ("link", "button"):
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
            close = text.lower().find("<</widget>>", end)
            return len(text) if close < 0 else close + len("<</widget>>")
        if name in self.widgets and any(v in args or not args for v in self.temp_choices):
            return end  # the widget draws the choices read from the array
        if name in ("for", "switch", "repeat", "timed", "type", "linkappend", "linkprepend",
                    "linkreplace", "listbox", "cycle", "createaudiogroup", "script"):
            close_tag = f"<</{name}>>"
            close = text.lower().find(close_tag, end)
            stop = len(text) if close < 0 else close + len(close_tag)
            self.note(start, text[start:stop])
            return stop
        self.note(start, whole)
        return end

    def array_choices(self, array: str, offset: int, whole: str) -> bool:
        """`[{text: "...", passage: "..."}, ...]` (or `["text", "passage"]` pairs) as
        choices; False when the array holds none."""
        items = split_top(array.strip()[1:-1] if array.strip().endswith("]") else "", ",")
        found: list[tuple[str, str, Effects]] = []
        for item in items:
            label, target, eff = None, None, Effects()
            body = item.strip()
            if body.startswith("{") and body.endswith("}"):
                fields = {}
                for pair in split_top(body[1:-1], ","):
                    k, sep, v = pair.partition(":")
                    if sep:
                        fields[k.strip().strip("\"'")] = v.strip()
                for v in fields.values():
                    s = parse_string(v)
                    if s is not None and s in self.passages and target is None:
                        target = s
                for k in ("text", "label", "title", "name", "choice", "caption"):
                    s = parse_string(fields.get(k, ""))
                    if s is not None:
                        label = s
                        break
                for k, v in fields.items():
                    val = parse_value(v)
                    vid = self.story.var_ids.get("$" + k)
                    if vid and isinstance(val, int) and not isinstance(val, bool):
                        eff.add[vid] = val
            elif body.startswith("[") and body.endswith("]"):
                texts = [parse_string(p) for p in split_top(body[1:-1], ",")]
                if len(texts) >= 2 and texts[1] in self.passages:
                    label, target = texts[0], texts[1]
            if label is not None and target is not None:
                found.append((label, target, eff))
        if not found:
            return False
        for label, target, eff in found:
            self.add_choice(label, target, offset, eff)
        return True


def read_passage(story: Story, scene: Scene, src: Expanded, file: str,
                 passages: set[str], widgets: set[str], tags: list[str]) -> None:
    reader = PassageReader(story, scene, src, file, passages, widgets)
    for line, note in src.notes:
        story.note(scene.notes, f"{file}:{line}", note, f"passage `{scene.title}`: {note[:60]}")
    reader.read()
    _tidy_blocks(scene)
    _finish_scene(story, scene, tags)


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
