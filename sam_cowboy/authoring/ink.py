"""`sam-cowboy import story.ink`: an ink story (inkle's scripting language) becomes an episode.

Written from ink's documentation (WritingWithInk.md). What maps:

- knots (`=== name ===`) and stitches (`= name`) become scenes; the content before the
  first knot is the story's start;
- choices: `*` once-only (`once: true`) and `+` sticky, nested (`* *`), with labels
  `(name)`, conditions `{cond}` and the `[...]` form (the bracketed words are shown only on
  the choice); the words a choice prints after being chosen become its feedback, or the
  first text of a scene of its own when nested choices follow;
- gathers (`-`, `- (label)`) continue the weave in a scene of their own;
- diverts `-> knot`, `-> knot.stitch`, `-> label`, `-> END`/`-> DONE`;
- `VAR` and `CONST`, `~ x = value`, `~ x = x + n`, `~ x += n`, `~ x++`, and calls of
  functions whose body is one such change of a `ref` parameter (`~ raise(forceful)`);
- conditions: `{x: a|b}` inline and `{cond: ... - else: ...}` blocks (text blocks with
  `if`; a block holding choices or diverts becomes a route), `not`, `and`, `or`, `&&`, `||`,
  `!`, comparisons, and read counts of knots, stitches, gathers and labelled choices;
- `{x}` prints a variable.

Threads (`<-`), tunnels (`->->`), functions, lists, sequences (`{a|b}`, `{stopping: ...}`),
`INCLUDE` and tags become `x-todo` notes, whole, with their line. One pass per line and
explicit stacks: no recursion but for nested conditional blocks, whose depth is capped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sam_cowboy.authoring.importing import (
    INT_LIMIT,
    Block,
    Choice,
    Cond,
    Effects,
    ImportError_,
    ImportResult,
    Note,
    Scene,
    Story,
    Value,
    emit,
    literal,
)

BLOCK_DEPTH = 32  # nested multi-line `{ ... }` blocks beyond this become notes
END = "\x00end"

_KNOT = re.compile(r"^\s*={2,}\s*(?P<fn>function\s+)?(?P<name>\w+)\s*(?:\((?P<params>[^)]*)\))?"
                   r"\s*=*\s*$")
_STITCH = re.compile(r"^\s*=\s*(?P<name>\w+)\s*(?:\([^)]*\))?\s*$")
_DECL = re.compile(r"^\s*(?P<kind>VAR|CONST)\s+(?P<name>\w+)\s*=\s*(?P<value>.+?)\s*$")
_CHOICE = re.compile(r"^\s*(?P<marks>(?:[*+]\s*)+)(?P<rest>.*)$")
_GATHER = re.compile(r"^\s*(?P<marks>(?:-(?!>)\s*)+)(?P<rest>.*)$")
_LABEL = re.compile(r"^\s*\(\s*(?P<label>\w+)\s*\)\s*")
_DIVERT_END = re.compile(r"->\s*(?P<target>[\w.]+)\s*$")
_ASSIGN = re.compile(r"^(?P<var>\w+)\s*(?P<op>=|\+=|-=|\+\+|--)\s*(?P<expr>.*)$")
_CALL = re.compile(r"^(?P<fn>\w+)\s*\(\s*(?P<arg>\w+)\s*\)$")


@dataclass
class Item:
    kind: str  # text, choice, gather, divert, logic, block, note
    line: int
    level: int = 0
    text: str = ""
    label: str | None = None
    conds: list[str] = field(default_factory=list)
    sticky: bool = False
    display: str = ""
    divert: str | None = None
    children: list[Item] = field(default_factory=list)
    branches: list[tuple[str | None, list[Item]]] = field(default_factory=list)


@dataclass
class Container:
    knot: str
    stitch: str | None
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.knot}.{self.stitch}" if self.stitch else self.knot


# ------------------------------------------------------------------ reading lines

def _strip_comments(source: str) -> list[str]:
    """Lines without `//` and `/* */` comments (a block comment keeps its line breaks)."""
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        j = source.find("/", i)
        if j < 0 or j + 1 >= n:
            out.append(source[i:])
            break
        nxt = source[j + 1]
        if nxt == "/" and not source[max(j - 1, 0):j] == ":":  # `//` but not `http://`
            out.append(source[i:j])
            end = source.find("\n", j)
            i = n if end < 0 else end
        elif nxt == "*":
            out.append(source[i:j])
            end = source.find("*/", j + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * source.count("\n", j, end))
            i = end
        else:
            out.append(source[i:j + 1])
            i = j + 1
    return "".join(out).split("\n")


def _brace_balance(s: str) -> int:
    return s.count("{") - s.count("}")


class InkReader:
    def __init__(self, source: str, file: str, title: str) -> None:
        self.file = file
        self.story = Story(title, "ink")
        self.lines = _strip_comments(source.replace("\r\n", "\n").replace("\r", "\n")
                                     .lstrip("\ufeff"))
        self.containers: list[Container] = []
        self.knots: dict[str, list[str]] = {}  # knot -> its stitches
        self.functions: dict[str, tuple[str, str] | None] = {}  # name -> (ref param, change)
        self.consts: dict[str, Value] = {}
        self.labels: dict[str, str] = {}  # "knot.stitch.label" -> scene key or var
        self.choice_labels: dict[str, str] = {}  # path -> variable id
        self.divert_targets: set[str] = set()
        self.tunnel_sites: dict[str, list[str]] = {}  # knot -> where each call goes back
        self.routers: dict[str, str] = {}  # knot -> the scene its `->->` goes to

    def loc(self, line: int) -> str:
        return f"{self.file}:{line}"

    def note(self, where: list[Note], line: int, text: str) -> None:
        self.story.note(where, self.loc(line), f"not translated: {text.strip()}",
                        f"not translated, kept as an x-todo note: {' '.join(text.split())[:60]}")

    # -- structure
    def split(self) -> None:
        root = Container("", None, 1)
        self.containers.append(root)
        current = root
        in_function: tuple[str, int, list[str]] | None = None
        for number, line in enumerate(self.lines, 1):
            m = _KNOT.match(line)
            if m and line.lstrip().startswith("=="):
                if in_function:
                    self._function_done(*in_function)
                    in_function = None
                if m.group("fn"):
                    in_function = (m.group("name"), number, [line])
                    continue
                current = Container(m.group("name"), None, number)
                self.knots[current.knot] = []
                self.containers.append(current)
                continue
            if in_function:
                in_function[2].append(line)
                continue
            m = _STITCH.match(line)
            if m and current.knot:
                current = Container(current.knot, m.group("name"), number)
                self.knots[current.knot].append(m.group("name"))
                self.containers.append(current)
                continue
            d = _DECL.match(line)
            if d:
                self.declare(d, number)
                continue
            stripped = line.strip()
            if re.match(r"(LIST|INCLUDE|EXTERNAL)\b", stripped):
                self.note(self.story.notes, number, stripped)
                continue
            current.lines.append((number, line))
        if in_function:
            self._function_done(*in_function)

    def _function_done(self, name: str, line: int, lines: list[str]) -> None:
        body = [x.strip() for x in lines[1:] if x.strip()]
        header = _KNOT.match(lines[0])
        params = (header.group("params") or "") if header else ""
        ref = re.fullmatch(r"\s*ref\s+(\w+)\s*", params)
        change = body[0][1:].strip() if len(body) == 1 and body[0].startswith("~") else ""
        if ref and change and _ASSIGN.match(change):
            self.functions[name] = (ref.group(1), change)
        else:
            self.functions[name] = None
            self.note(self.story.notes, line, "function: " + "\n".join(lines).strip())

    def declare(self, m: re.Match[str], line: int) -> None:
        value = self.value(m.group("value"))
        if value is None:
            self.note(self.story.notes, line, m.group(0))
            return
        if m.group("kind") == "CONST":
            self.consts[m.group("name")] = value
        else:
            self.story.initial[self.story.var(m.group("name"))] = value

    def value(self, s: str) -> Value | None:
        s = s.strip()
        if re.fullmatch(r"-?\d{1,12}", s):
            n = int(s)
            return n if abs(n) < INT_LIMIT else None
        if s in ("true", "false"):
            return s == "true"
        if len(s) >= 2 and s[0] == s[-1] == '"':
            return s[1:-1]
        if s in self.consts:
            return self.consts[s]
        return None

    # -- items
    def parse_items(self, lines: list[tuple[int, str]], depth: int = 0) -> list[Item]:
        """The lines of a container (or a block's branch) as a weave tree."""
        flat: list[Item] = []
        i = 0
        while i < len(lines):
            number, line = lines[i]
            stripped = line.strip()
            i += 1
            if not stripped:
                flat.append(Item("blank", number))
                continue
            if _brace_balance(stripped) > 0:
                # a `{` left open: a multi-line block, maybe after a gather's or a choice's
                # marks (`- {cond:`); what comes before it is an item of its own
                cut = _first_open(stripped)
                if stripped[:cut].strip():
                    flat.append(self.parse_line(number, stripped[:cut].strip()))
                stripped = stripped[cut:]
                block = [(number, stripped)]
                balance = _brace_balance(stripped)
                while i < len(lines) and balance > 0:
                    block.append(lines[i])
                    balance += _brace_balance(lines[i][1])
                    i += 1
                flat.append(self.parse_block(block, depth))
                continue
            cond_divert = re.fullmatch(r"\{([^{}:]+):\s*(.*?)->\s*([\w.]+)\s*\}", stripped)
            if cond_divert:  # `{cond: -> knot}`: a conditional divert
                item = Item("block", number, text=stripped)
                body = [Item("text", number, text=cond_divert.group(2), divert=cond_divert.group(3))]
                item.branches = [(cond_divert.group(1).strip(), body)]
                flat.append(item)
                continue
            thread = re.search(r"<-\s*([\w.]+)", stripped)
            if thread:  # a thread: its content joins in ink; here, a way to it
                before = stripped[:thread.start()].strip()
                if before:
                    flat.append(self.parse_line(number, before))
                flat.append(Item("thread", number, text=stripped, divert=thread.group(1)))
                continue
            flat.append(self.parse_line(number, stripped))
        return _weave(flat)

    def parse_line(self, number: int, s: str) -> Item:
        m = _CHOICE.match(s)
        if m:
            level = m.group("marks").count("*") + m.group("marks").count("+")
            item = Item("choice", number, level, sticky="+" in m.group("marks"))
            rest = m.group("rest")
            lm = _LABEL.match(rest)
            if lm:
                item.label = lm.group("label")
                rest = rest[lm.end():]
            while rest.lstrip().startswith("{"):
                rest = rest.lstrip()
                close = _close_brace(rest, 0)
                if close < 0:
                    break
                item.conds.append(rest[1:close - 1].strip())
                rest = rest[close:]
            rest, item.divert = _split_divert(rest)
            if "[" in rest and "]" in rest[rest.index("["):]:
                a = rest.index("[")
                b = rest.index("]", a)
                item.display = (rest[:a] + rest[a + 1:b]).strip()
                item.text = (rest[:a] + rest[b + 1:]).strip()
            else:
                item.display = item.text = rest.strip()
            return item
        m = _GATHER.match(s)
        if m and not s.startswith("->"):
            item = Item("gather", number, m.group("marks").count("-"))
            rest = m.group("rest")
            lm = _LABEL.match(rest)
            if lm:
                item.label = lm.group("label")
                rest = rest[lm.end():]
            tunnel = re.search(r"->\s*[\w.]+\s*->", rest)
            if tunnel:  # `- -> a -> b`: a gather that calls a tunnel
                item.text = rest[:tunnel.start()].strip()
                item.children = [self.parse_line(number, rest[tunnel.start():].strip())]
                return item
            rest, item.divert = _split_divert(rest)
            item.text = rest.strip()
            return item
        if s.startswith("~"):
            return Item("logic", number, text=s[1:].strip())
        tunnel = re.search(r"->\s*([\w.]+)\s*->\s*([\w.]+)?\s*$", s)
        if tunnel and not s.rstrip().endswith("->->"):
            # a tunnel: `-> a ->` (go on here after a's `->->`) or `-> a -> b`
            return Item("tunnel", number, text=s[:tunnel.start()], divert=tunnel.group(1),
                        label=tunnel.group(2))
        if s.rstrip().endswith("->->"):
            return Item("return", number, text=s.rstrip()[:-4])
        if "->->" in s:
            return Item("note", number, text=s)
        text, divert = _split_divert(s)
        if not text.strip() and divert:
            return Item("divert", number, divert=divert)
        return Item("text", number, text=text, divert=divert)

    def parse_block(self, block: list[tuple[int, str]], depth: int) -> Item:
        """A multi-line `{ ... }`: a conditional with branches, or a note."""
        number = block[0][0]
        whole = "\n".join(x for _, x in block).strip()
        if depth >= BLOCK_DEPTH:
            return Item("note", number, text=whole)
        first = block[0][1].strip()[1:].strip()
        last_n, last = block[-1]
        body = [(n, x) for n, x in block[1:-1]]
        tail = last.strip()
        if tail != "}":
            if not tail.endswith("}"):
                return Item("note", number, text=whole)
            body.append((last_n, tail[:-1]))
        branches: list[tuple[str | None, list[tuple[int, str]]]] = []
        cur: list[tuple[int, str]]
        branch_re = re.compile(r"^\s*-\s*(?P<cond>[^:]+?)\s*:\s*(?P<rest>.*)$")
        if first.endswith(":") and first[:-1].strip():
            head = first[:-1].strip()
            if head in ("stopping", "cycle", "shuffle", "once") or \
                    head.startswith(("shuffle", "stopping", "cycle", "once")):
                return Item("note", number, text=whole)
            cur = []
            branches.append((head, cur))
            for n, x in body:
                bm = branch_re.match(x)
                if bm and bm.group("cond").strip() == "else":
                    cur = [(n, bm.group("rest"))] if bm.group("rest").strip() else []
                    branches.append((None, cur))
                elif bm and len(branches) == 1 and not cur:
                    return Item("note", number, text=whole)  # a switch on a value
                else:
                    cur.append((n, x))
        elif not first:
            cur = []
            for n, x in body:
                bm = branch_re.match(x)
                if bm and not x.strip().startswith("->"):
                    cond = bm.group("cond").strip()
                    cur = [(n, bm.group("rest"))] if bm.group("rest").strip() else []
                    branches.append((None if cond == "else" else cond, cur))
                elif branches:
                    cur.append((n, x))
                elif x.strip():
                    return Item("note", number, text=whole)
            if not branches:
                return Item("note", number, text=whole)
        else:
            return Item("note", number, text=whole)
        item = Item("block", number, text=whole)
        item.branches = [(c, self.parse_items(lines, depth + 1)) for c, lines in branches]
        return item


def _first_open(s: str) -> int:
    """Index of the first `{` that the line does not close."""
    opened: list[int] = []
    for i, ch in enumerate(s):
        if ch == "{":
            opened.append(i)
        elif ch == "}" and opened:
            opened.pop()
    return opened[0] if opened else 0


def _close_brace(s: str, start: int) -> int:
    depth = 0
    for i in range(start, len(s)):
        if s[i] == "{":
            depth += 1
        elif s[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _split_divert(s: str) -> tuple[str, str | None]:
    m = _DIVERT_END.search(s)
    if m is None or "->->" in s:
        return s, None
    return s[:m.start()], m.group("target")


def _weave(flat: list[Item]) -> list[Item]:
    """Choices own what follows them until a choice or gather of their level or above."""
    root: list[Item] = []
    stack: list[tuple[int, list[Item]]] = [(0, root)]
    for item in flat:
        if item.kind == "choice":
            while len(stack) > 1 and stack[-1][0] >= item.level:
                stack.pop()
            stack[-1][1].append(item)
            stack.append((item.level, item.children))
        elif item.kind == "gather":
            while len(stack) > 1 and stack[-1][0] >= item.level:
                stack.pop()
            stack[-1][1].append(item)
            stack[-1][1].extend(item.children)  # a tunnel on the gather's line
            item.children = []
        else:
            stack[-1][1].append(item)
    return root


# ------------------------------------------------------------------ compiling

@dataclass
class _Task:
    items: list[Item]
    scene: Scene
    cont: str | None  # where falling off the end goes (None: the story ends)
    container: Container


class InkCompiler(InkReader):
    def run(self) -> Story:
        self.split()
        story = self.story
        for c in self.containers[1:]:
            story.scene_id(c.path)
        for c in self.containers:
            for _, line in c.lines:
                for dm in re.finditer(r"->\s*([\w.]+)", line):
                    self.divert_targets.add(dm.group(1).split(".")[-1])
        for c in self.containers:
            self.collect_labels(c)
        self.end_scene: Scene | None = None
        tasks: list[_Task] = []
        root = self.containers[0]
        root_items = self.parse_items(root.lines)
        self.trees = {c.path: (root_items if c is root else self.parse_items(c.lines))
                      for c in self.containers}
        first_knot = next((c for c in self.containers[1:]), None)
        if not any(it.kind not in ("blank",) for it in root_items):
            if first_knot is None:
                raise ImportError_("no story in this ink file: write some text, a choice or "
                                   "a knot (`=== name ===`)", 1, 1, self.file)
            story.start = story.scene_id(first_knot.path)
        else:
            start = story.new_scene(story.scene_id("(story start)"), None, self.loc(1))
            story.start = start.key
            tasks.append(_Task(root_items, start, None, root))
        for c in self.containers[1:]:
            stitches = self.knots.get(c.knot, [])
            scene = story.new_scene(story.scene_id(c.path),
                                    c.knot if not c.stitch else f"{c.knot}: {c.stitch}",
                                    self.loc(c.line))
            items = self.trees[c.path]
            cont = None
            if not c.stitch and stitches:
                cont = story.scene_id(f"{c.knot}.{stitches[0]}")  # a knot flows into its first stitch
            tasks.append(_Task(items, scene, cont, c))
        while tasks:
            self.compile(tasks.pop(0), tasks)
        self.fill_routers()
        return story

    def fresh(self, name: str) -> str:
        """A new scene key for a scene the weave needs (never one already given)."""
        return self.story.fresh_id(name)

    def collect_labels(self, c: Container) -> None:
        for _, line in c.lines:
            s = line.strip()
            m = _CHOICE.match(s) or (_GATHER.match(s) if not s.startswith("->") else None)
            if m:
                lm = _LABEL.match(m.group("rest"))
                if lm:
                    label = lm.group("label")
                    path = f"{c.path}.{label}"
                    if m.re is _CHOICE:
                        vid = self.story.var(f"chose_{label}")
                        self.story.initial.setdefault(vid, False)
                        self.choice_labels[path] = vid
                    if m.re is not _CHOICE or label in self.divert_targets:
                        self.labels[path] = self.story.scene_id(path)

    # -- names
    def resolve(self, name: str, c: Container) -> str | None:
        """The scene a divert or read count names, seen from container `c`."""
        if name in ("END", "DONE"):
            return END
        candidates = [f"{c.path}.{name}", f"{c.knot}.{name}", name]
        if c.stitch:
            candidates.insert(1, f"{c.knot}.{c.stitch}.{name}")
        for stitch in self.knots.get(c.knot, []):
            candidates.append(f"{c.knot}.{stitch}.{name}")
        for path in candidates:
            if path in self.labels:
                return self.labels[path]
            if path in self.story.scene_ids and (path in self.knots or "." in path and
                                                 path.split(".")[0] in self.knots):
                return self.story.scene_ids[path]
        # a path to a label in another knot: `knot.label`, `knot.stitch.label`
        for path in (name,) + tuple(f"{name.split('.')[0]}.{s}.{name.split('.', 1)[-1]}"
                                    for s in self.knots.get(name.split(".")[0], [])):
            if path in self.labels:
                return self.labels[path]
        return None

    def choice_var(self, name: str, c: Container) -> str | None:
        for path in (f"{c.path}.{name}", f"{c.knot}.{name}", name):
            if path in self.choice_labels:
                return self.choice_labels[path]
        for stitch in self.knots.get(c.knot, []):
            if f"{c.knot}.{stitch}.{name}" in self.choice_labels:
                return self.choice_labels[f"{c.knot}.{stitch}.{name}"]
        return None

    def target(self, name: str, c: Container, where: list[Note], line: int) -> str:
        key = self.resolve(name, c)
        if key is None:
            self.note(where, line, f"-> {name} (no such knot, stitch or label: the story "
                      "ends here instead)")
            key = END
        return self.end().key if key == END else key

    def end(self) -> Scene:
        if self.end_scene is None:
            self.end_scene = self.story.new_scene(self.story.scene_id("the end"), "The end",
                                                  self.loc(len(self.lines)))
            self.end_scene.blocks.append(Block("The end."))
        return self.end_scene

    def condition(self, c: Container):  # type: ignore[no-untyped-def]
        """A translator of ink conditions seen from container `c`."""
        story = self

        def translate(src: str, types: dict[str, str]) -> str | None:
            tokens = re.findall(r'"[^"]*"|\d+|[\w.]+|==|!=|>=|<=|&&|\|\||[-+*()<>!]|\S', src)
            out: list[str] = []
            kinds: list[str] = []
            for t in tokens:
                if t.startswith('"'):
                    out.append(repr(t[1:-1]) if "'" not in t else t)
                    kinds.append("lit")
                elif t.isdigit():
                    out.append(t)
                    kinds.append("lit")
                elif t in ("and", "or", "not", "true", "false"):
                    out.append(t)
                    kinds.append("op")
                elif t in ("&&", "||", "!"):
                    out.append({"&&": "and", "||": "or", "!": "not"}[t])
                    kinds.append("op")
                elif t in ("==", "!=", ">=", "<=", ">", "<", "+", "-", "*", "(", ")"):
                    out.append(t)
                    kinds.append("op")
                elif re.fullmatch(r"[A-Za-z_][\w.]*", t):
                    if t in story.consts:
                        v = story.consts[t]
                        out.append(str(v).lower() if isinstance(v, bool) else
                                   str(v) if isinstance(v, int) else repr(v))
                        kinds.append("lit")
                    elif t in story.story.var_ids:
                        vid = story.story.var_ids[t]
                        out.append(vid)
                        kinds.append("var:" + types.get(vid, "?"))
                    elif story.choice_var(t, c):
                        out.append(story.choice_var(t, c) or "")
                        kinds.append("var:bool")
                    else:
                        key = story.resolve(t, c)
                        if key is None or key == END:
                            return None
                        out.append(f"visits('{key}')")
                        kinds.append("count")
                else:
                    return None
            for i, kind in enumerate(kinds):  # ink's truthiness, made explicit
                if kind in ("var:int", "count"):
                    before = out[i - 1] if i else ""
                    after = out[i + 1] if i + 1 < len(out) else ""
                    if before in ("", "and", "or", "not", "(") and after in ("", "and", "or",
                                                                               ")"):
                        out[i] = f"({out[i]} > 0)" if kind == "count" else f"({out[i]} != 0)"
            return " ".join(out).replace("( ", "(").replace(" )", ")") or None

        return translate

    def cond(self, src: str, line: int, c: Container, negate: bool = False) -> Cond:
        return Cond(src, self.loc(line), self.condition(c), negate)

    # -- text
    def text_variants(self, text: str, line: int, c: Container,
                      notes: list[Note]) -> list[tuple[list[Cond], str]]:
        """A line of text with `{x}` printed and `{cond: a|b}` as variants under conditions."""
        parts: list[str | tuple[str, str, str]] = []  # text, or (cond, if-true, if-false)
        pos = 0
        raw = text
        text = text.replace("<>", "").strip()
        tags = re.findall(r"(?<!\S)#\s*[^#]+", text)
        if tags:
            text = re.sub(r"(?<!\S)#\s*[^#]+", "", text).strip()
            self.story.note(notes, self.loc(line), "tags: " + " ".join(t.strip() for t in tags),
                            "ink tags kept as a note")
        while True:
            start = text.find("{", pos)
            if start < 0:
                parts.append(literal(text[pos:]))
                break
            end = _close_brace(text, start)
            if end < 0:
                parts.append(literal(text[pos:]))
                break
            parts.append(literal(text[pos:start]))
            inner = text[start + 1:end - 1]
            pos = end
            name = inner.strip()
            if name in self.story.var_ids:
                parts.append("{" + self.story.var_ids[name] + "}")
                continue
            m = re.match(r"^([^:|{}]+?):(.*)$", inner, re.S)
            if m and not inner.startswith(("&", "~", "!")) and "{" not in inner:
                alts = _split_bar(m.group(2))
                parts.append((m.group(1).strip(), alts[0], alts[1] if len(alts) > 1 else ""))
                continue
            alts = _split_bar(inner.lstrip("&~!"))
            self.note(notes, line, f"{{{inner}}} in: {raw.strip()} (shown as its first "
                      "alternative)")
            parts.append(literal(alts[0] if alts else ""))
        conds = [p for p in parts if isinstance(p, tuple)]
        if len(conds) > 2:
            self.note(notes, line, f"{raw.strip()} (more than two conditions in one line; "
                      "shown as if all held)")
            return [([], "".join(p if isinstance(p, str) else literal(p[1]) for p in parts))]
        variants: list[tuple[list[Cond], str]] = []
        for mask in range(1 << len(conds)):
            chosen: list[Cond] = []
            out: list[str] = []
            k = 0
            for p in parts:
                if isinstance(p, str):
                    out.append(p)
                    continue
                holds = not (mask >> k) & 1
                chosen.append(self.cond(p[0], line, c, negate=not holds))
                out.append(literal(p[1] if holds else p[2]))
                k += 1
            s = " ".join("".join(out).split())
            if s or not conds:
                variants.append((chosen, s))
        return variants

    def add_text(self, scene: Scene, text: str, line: int, c: Container,
                 outer: list[Cond] | None = None) -> None:
        for conds, s in self.text_variants(text, line, c, scene.notes):
            if not s:
                continue
            conds = (outer or []) + conds
            last = scene.blocks[-1] if scene.blocks else None
            if last is not None and last.conds == conds:
                last.text += "\n" + s
            else:
                scene.blocks.append(Block(s, conds))

    def logic(self, text: str, line: int, eff: Effects, notes: list[Note]) -> None:
        m = _CALL.match(text)
        if m and m.group("fn") in self.functions:
            spec = self.functions[m.group("fn")]
            if spec is None:
                self.note(notes, line, "~ " + text)
                return
            param, change = spec
            text = re.sub(rf"\b{param}\b", m.group("arg"), change)
        m = _ASSIGN.match(text)
        if m is None or m.group("var") not in self.story.var_ids:
            self.note(notes, line, "~ " + text)
            return
        vid = self.story.var_ids[m.group("var")]
        op, expr = m.group("op"), m.group("expr").strip()
        rel = re.fullmatch(rf"{re.escape(m.group('var'))}\s*([-+])\s*(\d{{1,9}})", expr)
        if op in ("++", "--") and not expr:
            eff.add[vid] = eff.add.get(vid, 0) + (1 if op == "++" else -1)
        elif op in ("+=", "-=") and re.fullmatch(r"\d{1,9}", expr):
            eff.add[vid] = eff.add.get(vid, 0) + (int(expr) if op == "+=" else -int(expr))
        elif op == "=" and rel:
            n = int(rel.group(2))
            eff.add[vid] = eff.add.get(vid, 0) + (n if rel.group(1) == "+" else -n)
        elif op == "=" and self.value(expr) is not None:
            value = self.value(expr)
            assert value is not None
            eff.set[vid] = value
        else:
            self.note(notes, line, "~ " + text)

    # -- the weave
    def finish(self, scene: Scene, target: str) -> None:
        """`scene` goes on to `target`: a Continue choice after text, else a route."""
        if scene.blocks or scene.on_enter.set or scene.on_enter.add or scene.choices:
            scene.choices.append(Choice("Continue", target, scene.line))
        else:
            scene.route.append(([], target))

    def compile(self, task: _Task, tasks: list[_Task]) -> None:
        c = task.container
        cur: Scene | None = task.scene
        items = task.items
        i = 0
        while i < len(items):
            it = items[i]
            if cur is None:  # after a divert: only a labelled gather is reached
                if it.kind == "gather" and it.label:
                    key = self.resolve(it.label, c) or self.story.scene_id(
                        f"{c.path}.{it.label}")
                    cur = self.story.new_scene(key, it.label, self.loc(it.line))
                    items[i] = Item("gather-body", it.line, text=it.text, divert=it.divert)
                    continue
                if it.kind != "blank":
                    self.note(task.scene.notes, it.line, f"{it.text or it.display or it.divert}"
                              " (after a divert: never reached)")
                i += 1
                continue
            if it.kind == "blank":
                i += 1
                continue
            if it.kind in ("text", "gather-body"):
                if it.text.strip():
                    self.add_text(cur, it.text, it.line, c)
                if it.divert:
                    self.finish(cur, self.target(it.divert, c, cur.notes, it.line))
                    cur = None
                i += 1
            elif it.kind == "gather":
                if it.label:
                    key = self.resolve(it.label, c) or self.story.scene_id(
                        f"{c.path}.{it.label}")
                    nxt = self.story.new_scene(key, it.label, self.loc(it.line))
                    self.finish(cur, key)
                    cur = nxt
                items[i] = Item("gather-body", it.line, text=it.text, divert=it.divert)
            elif it.kind == "divert":
                self.finish(cur, self.target(it.divert or "END", c, cur.notes, it.line))
                cur = None
                i += 1
            elif it.kind == "logic":
                self.logic(it.text, it.line, cur.on_enter, cur.notes)
                i += 1
            elif it.kind == "note":
                self.note(cur.notes, it.line, it.text)
                i += 1
            elif it.kind == "tunnel":
                self.tunnel(cur, it, c, items[i + 1:], task, tasks)
                return
            elif it.kind == "return":
                if it.text.strip():
                    self.add_text(cur, it.text, it.line, c)
                self.finish(cur, self.return_router(c.knot))
                cur = None
                i += 1
            elif it.kind == "thread":
                self.note(cur.notes, it.line, f"{it.text} (a thread: offered as a choice)")
                target = self.target(it.divert or "", c, cur.notes, it.line)
                title = self.story.scenes[target].title if target in self.story.scenes \
                    else None
                cur.choices.append(Choice(literal(title or it.divert or "Go on"), target,
                                          self.loc(it.line)))
                i += 1
            elif it.kind == "block":
                i += 1
                if all(all(x.kind in ("text", "blank") and not x.divert for x in b)
                       for _, b in it.branches):
                    self.block_text(cur, it, c)
                    continue
                self.block_route(cur, it, c, items[i:], task, tasks)
                return
            elif it.kind == "choice":
                j = i
                while j < len(items) and items[j].kind in ("choice", "blank"):
                    j += 1
                rest = items[j:]
                after = task.cont
                if rest:
                    key = self.fresh(f"{c.path} (after line {items[j].line})")
                    if rest[0].kind == "gather" and rest[0].label:
                        key = self.resolve(rest[0].label, c) or key
                        nxt = self.story.new_scene(key, rest[0].label, self.loc(rest[0].line))
                        rest = [Item("gather-body", rest[0].line, text=rest[0].text,
                                     divert=rest[0].divert)] + rest[1:]
                    else:
                        nxt = self.story.new_scene(key, cur.title, self.loc(items[j].line))
                    tasks.append(_Task(rest, nxt, task.cont, c))
                    after = key
                for ch in items[i:j]:
                    if ch.kind == "choice":
                        self.choice(cur, ch, c, after, tasks)
                return
            else:
                i += 1
        if cur is not None:
            if task.cont:
                self.finish(cur, task.cont)
            elif not cur.blocks and not cur.choices and cur.key != self.story.start:
                self.finish(cur, self.end().key)

    def tunnel(self, cur: Scene, it: Item, c: Container, rest: list[Item], task: _Task,
               tasks: list[_Task]) -> None:
        """`-> a ->`: a scene notes where to come back (a variable), then goes to `a`; the
        `->->` of `a`'s knot routes back by that variable."""
        if it.text.strip():
            self.add_text(cur, it.text, it.line, c)
        target = self.target(it.divert or "", c, cur.notes, it.line)
        name = (it.divert or "").split(".")[0]
        knot = name if name in self.knots else next(
            (k for k, stitches in self.knots.items() if name in stitches), c.knot)
        if it.label:
            back = self.target(it.label, c, cur.notes, it.line)
        elif any(x.kind != "blank" for x in rest):
            back = self.fresh(f"{c.path} (after line {it.line})")
            tasks.append(_Task(rest, self.story.new_scene(back, cur.title, self.loc(it.line)),
                               task.cont, c))
        else:
            back = task.cont or self.end().key
        sites = self.tunnel_sites.setdefault(knot, [])
        sites.append(back)
        call = self.story.new_scene(self.fresh(f"{c.path} (tunnel line {it.line})"),
                                    cur.title, self.loc(it.line))
        call.on_enter.set[self.story.var(f"return_{knot}")] = len(sites)
        call.route.append(([], target))
        self.finish(cur, call.key)

    def return_router(self, knot: str) -> str:
        key = self.routers.get(knot)
        if key is None:
            key = self.routers[knot] = self.fresh(f"{knot} (return)")
            self.story.new_scene(key, knot, self.loc(1))
            self.story.initial[self.story.var(f"return_{knot}")] = 0
        return key

    def fill_routers(self) -> None:
        for knot, key in self.routers.items():
            scene = self.story.scenes[key]
            var = self.story.var(f"return_{knot}")
            sites = self.tunnel_sites.get(knot, [])
            for n, back in enumerate(sites[:-1], 1):
                expr = f"{var} == {n}"
                scene.route.append(([Cond(expr, scene.line, lambda src, _t: src)], back))
            scene.route.append(([], sites[-1] if sites else self.end().key))

    def block_text(self, scene: Scene, it: Item, c: Container) -> None:
        before: list[Cond] = []
        for cond, body in it.branches:
            own = [] if cond is None else [self.cond(cond, it.line, c)]
            for x in body:
                if x.kind == "text":
                    self.add_text(scene, x.text, x.line, c, before + own)
            before = before + [Cond(o.source, o.line, o.translate, True) for o in own]

    def block_route(self, cur: Scene, it: Item, c: Container, rest: list[Item], task: _Task,
                    tasks: list[_Task]) -> None:
        """A conditional block holding choices or diverts: a route to one scene a branch."""
        after = task.cont
        if any(x.kind != "blank" for x in rest):
            key = self.fresh(f"{c.path} (after line {it.line})")
            nxt = self.story.new_scene(key, cur.title, self.loc(it.line))
            tasks.append(_Task(rest, nxt, task.cont, c))
            after = key
        router_key = self.fresh(f"{c.path} (line {it.line})")
        router = self.story.new_scene(router_key, cur.title, self.loc(it.line))
        self.finish(cur, router_key)
        before: list[Cond] = []
        has_else = False
        for n, (cond, body) in enumerate(it.branches):
            own = [] if cond is None else [self.cond(cond, it.line, c)]
            key = self.fresh(f"{c.path} (line {it.line}, branch {n + 1})")
            branch = self.story.new_scene(key, cur.title, self.loc(it.line))
            tasks.append(_Task(body, branch, after, c))
            router.route.append((own, key))
            has_else = has_else or cond is None
            before = before + [Cond(o.source, o.line, o.translate, True) for o in own]
        if not has_else:
            router.route.append(([], after or self.end().key))

    def choice(self, scene: Scene, it: Item, c: Container, after: str | None,
               tasks: list[_Task]) -> None:
        choice = Choice(literal(it.display) if "{" not in it.display else "", "",
                        self.loc(it.line), once=not it.sticky)
        if "{" in it.display:
            variants = self.text_variants(it.display, it.line, c, choice.notes)
            choice.text = variants[0][1] if variants else ""
        choice.conds = [self.cond(x, it.line, c) for x in it.conds]
        if it.label:
            vid = self.choice_var(it.label, c)
            if vid:
                choice.effects.set[vid] = True
        body = [x for x in it.children if x.kind != "blank"]
        nested = any(x.kind in ("choice", "gather", "block", "tunnel", "return", "thread")
                     for x in body) or (
            it.label is not None and it.label in self.divert_targets)
        if not choice.text.strip():
            if it.divert and not body:
                self.note(choice.notes, it.line, f"{it.display} -> {it.divert} (a fallback "
                          "choice, taken by itself in ink: shown as Continue)")
            choice.text = "Continue"
        scene.choices.append(choice)
        if nested:
            key = self.labels.get(f"{c.path}.{it.label}") if it.label else None
            key = key or self.fresh(f"{c.path} (choice line {it.line})")
            self.labels.setdefault(f"{c.path}.{it.label}", key) if it.label else None
            sub = self.story.new_scene(key, scene.title, self.loc(it.line))
            items = ([Item("text", it.line, text=it.text, divert=it.divert)]
                     if it.text or it.divert else []) + it.children
            tasks.append(_Task(items, sub, after, c))
            choice.goto = key
            return
        feedback: list[str] = []
        if it.text.strip():
            feedback.append(it.text)
        goto = self.target(it.divert, c, choice.notes, it.line) if it.divert else None
        for x in body:
            if x.kind == "text":
                feedback.append(x.text)
                if x.divert:
                    goto = self.target(x.divert, c, choice.notes, x.line)
            elif x.kind == "divert":
                goto = self.target(x.divert or "END", c, choice.notes, x.line)
            elif x.kind == "logic":
                self.logic(x.text, x.line, choice.effects, choice.notes)
            elif x.kind == "note":
                self.note(choice.notes, x.line, x.text)
        fb: list[str] = []
        for line in feedback:
            variants = self.text_variants(line, it.line, c, choice.notes)
            if len(variants) > 1:
                self.note(choice.notes, it.line, f"{line.strip()} (a condition inside "
                          "feedback: shown as if it held)")
            fb.append(variants[0][1] if variants else "")
        choice.feedback = "\n".join(x for x in fb if x)
        choice.goto = goto or after or self.end().key


def _split_bar(s: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def convert_ink(source: str, file: str = "story.ink", title: str = "story",
                lang: str = "en", dimensions: list[str] | None = None,
                stop_choices: bool = False) -> ImportResult:
    tag = re.search(r"^\s*#\s*title\s*:\s*(.+)$", source[:4000], re.M)
    title = tag.group(1).strip() if tag else title.replace("-", " ").replace("_", " ")
    compiler = InkCompiler(source, file, title[:1].upper() + title[1:])
    story = compiler.run()
    story.passages = len(compiler.containers) - (0 if compiler.containers[0].lines else 1)
    _drop_empty(story)
    return emit(story, lang, dimensions, stop_choices)


def _drop_empty(story: Story) -> None:
    """Scenes that only route on at once are kept (a route is cheap); scenes left with
    nothing become endings by `emit`."""
    for scene in story.scenes.values():
        if scene.choices and scene.route:
            scene.route = []
