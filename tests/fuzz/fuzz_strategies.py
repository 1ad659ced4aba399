"""Hypothesis strategies for episodes: valid ones built from the format's rules, and
mutations of them (dropped keys, wrong types, hostile unicode, random expressions, aliases)."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import strategies as st

HOSTILE = ["\x1b[2J", "\x1b]52;c;SGVsbG8=\x07", "\x9b31m", "\u202e", "\u2066", "\x00", "\r",
           "\x85", "\u2028", "[bold]", "[/]", "[0]", "{", "}", "{{", "'", '"', "\\", "\t",
           "\U0001f920", "é", "ß", " "]
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(HOSTILE) | st.text("abc xyz", max_size=5), max_size=8).map("".join),
)
SIMPLE = st.text("abcdefghij", min_size=1, max_size=8)
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15),
                    st.floats(allow_nan=True, allow_infinity=True), TEXT,
                    st.sampled_from(["0x" + "f" * 50, "1e400", ".inf", "yes", "~"]))


@st.composite
def conditions(draw: st.DrawFn, variables: dict[str, Any], scenes: list[str],
               dims: list[str], depth: int = 0) -> str:
    """A condition of the language, well typed from the declared names."""
    atoms: list[str] = ["true", "false"]
    atoms += [v for v, x in variables.items() if isinstance(x, bool)]
    atoms += [f"{v} {draw(st.sampled_from(['>', '<', '>=', '==', '!=']))} "
              f"{draw(st.integers(-5, 5))}" for v, x in variables.items()
              if isinstance(x, int) and not isinstance(x, bool)]
    atoms += [f"{v} == 'x'" for v, x in variables.items() if isinstance(x, str)]
    atoms += [f"visits('{s}') > 0" for s in scenes[:3]]
    atoms += [f"score('{d}') >= {draw(st.integers(-3, 3))}" for d in dims]
    if depth >= 2 or draw(st.booleans()):
        return draw(st.sampled_from(atoms))
    op = draw(st.sampled_from(["and", "or", "not", "()"]))
    left = draw(conditions(variables, scenes, dims, depth + 1))
    if op == "not":
        return f"not {left}"
    if op == "()":
        return f"({left})"
    return f"{left} {op} {draw(conditions(variables, scenes, dims, depth + 1))}"


RANDOM_EXPRESSIONS = st.one_of(
    st.text("abn()+-*<>=! '\"0123456789", max_size=60),
    st.integers(1, 1200).map(lambda n: "+".join(["n"] * n) + " > 0"),
    st.integers(1, 200).map(lambda n: "(" * n + "true" + ")" * n),
    st.integers(1, 200).map(lambda n: "not " * n + "true"),
    st.sampled_from(["9" * 30 + " > 0", "n * n * n * n * n * n > 0", "score('d'", "visits()"]),
)


@st.composite
def episodes(draw: st.DrawFn) -> dict[str, Any]:
    """A valid-looking episode: forward gotos (a few back), endings at the end."""
    languages = draw(st.sampled_from([["en"], ["en", "fr"]]))
    dims = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    var_names = draw(st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True),
                              max_size=3, unique=True))
    variables: dict[str, Any] = {v: draw(st.one_of(st.booleans(), st.integers(-5, 5),
                                                   SIMPLE)) for v in var_names}
    n = draw(st.integers(2, 7))
    scenes = [f"s{i}" for i in range(n)]

    def text() -> Any:
        t = draw(TEXT)
        return {lang: t for lang in languages} if draw(st.booleans()) else t

    body: dict[str, Any] = {}
    for i, sid in enumerate(scenes):
        if i >= n - 1 or (i > 0 and draw(st.integers(0, 4)) == 0):
            body[sid] = {"text": text(), "ending": {"kind": draw(st.sampled_from(
                ["good", "mixed", "bad"])), "title": text()}}
            continue
        choices = []
        for c in range(draw(st.integers(1, 3))):
            target = draw(st.sampled_from(scenes[i + 1:] + ([scenes[0]] if c == 2 else [])))
            choice: dict[str, Any] = {"id": f"c{c}", "text": text(), "goto": target}
            if draw(st.booleans()):
                choice["score"] = {draw(st.sampled_from(dims)): draw(st.integers(-3, 3))}
                choice["feedback"] = text()
            if c > 0 and draw(st.booleans()):
                choice["if"] = draw(conditions(variables, scenes, dims))
            ints = [v for v, x in variables.items() if type(x) is int]
            if ints and draw(st.booleans()):
                choice["add"] = {draw(st.sampled_from(ints)): draw(st.integers(-2, 2))}
            bools = [v for v, x in variables.items() if type(x) is bool]
            if bools and draw(st.booleans()):
                choice["set"] = {draw(st.sampled_from(bools)): draw(st.booleans())}
            choices.append(choice)
        scene: dict[str, Any] = {"text": text(), "choices": choices}
        if draw(st.booleans()):
            scene["title"] = text()
        if draw(st.integers(0, 5)) == 0:
            scene["card"] = {"kind": "post", "author": draw(TEXT), "body": draw(TEXT),
                             "reactions": draw(st.integers(0, 10**6))}
        body[sid] = scene
    doc: dict[str, Any] = {
        "sam_cowboy": 1, "id": draw(IDS), "title": text(), "languages": languages,
        "estimated_minutes": draw(st.integers(1, 60)),
        "dimensions": {d: {"label": text(), "weight": draw(st.integers(1, 3))} for d in dims},
    }
    if variables:
        doc["variables"] = variables
    doc["start"] = scenes[0]
    doc["scenes"] = body
    return doc


def _slots(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    stack = [node]
    while stack:
        cur = stack.pop()
        items = cur.items() if isinstance(cur, dict) else enumerate(cur) \
            if isinstance(cur, list) else ()
        for key, value in items:
            out.append((cur, key))
            stack.append(value)
    return out


MUTATIONS = st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(
    ["drop", "type", "text", "key", "expr", "huge"]), SCALARS, RANDOM_EXPRESSIONS),
    min_size=1, max_size=4)


def mutate(doc: dict[str, Any], ops: list[tuple[int, str, Any, str]]) -> dict[str, Any]:
    """`doc` with each op applied at the op's slot (index modulo the slots there are)."""
    for index, kind, scalar, expression in ops:
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = slots[index % len(slots)]
        if kind == "drop" and isinstance(container, dict):
            del container[key]
        elif kind == "key" and isinstance(container, dict) and isinstance(scalar, str):
            container[scalar] = container.pop(key)
        elif kind == "expr":
            container[key] = expression
        elif kind == "huge":
            container[key] = 10**40 if index % 2 else -(16**30)
        else:
            container[key] = scalar
    return doc


def dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10**6)


RAW_PIECES = ["{x}", "{{", "- a\n", "x: 1\n", *HOSTILE, "\ud800", "&a ", "*a", ": ", "- ",
              "\n  ", "[", "{", "!!int ", "'"]
RAW_EDITS = st.lists(st.tuples(st.integers(0, 10**6),
                               st.sampled_from(["insert", "cut", "alias", "repeat"]),
                               st.sampled_from(RAW_PIECES)), max_size=3)


def edit_text(text: str, edits: list[tuple[int, str, str]]) -> str:
    for at, kind, piece in edits:
        i = at % (len(text) + 1)
        if kind == "insert":
            text = text[:i] + piece + text[i:]
        elif kind == "cut":
            text = text[:i]
        elif kind == "repeat":  # many findings, values or characters from a short piece
            text = text[:i] + piece * (at % 300_000) + text[i:]
        else:
            text = "x-anchor: &a [" + ", ".join(["long text " * 20] * 20) + "]\nx-use: [" + \
                ", ".join(["*a"] * (at % 50)) + "]\n" + text
    return text


def hostile_episodes() -> st.SearchStrategy[str]:
    """Episode texts: valid, mutated, or edited as raw text."""
    valid = episodes().map(dump)
    mutated = st.tuples(episodes(), MUTATIONS).map(lambda t: dump(mutate(*t)))
    edited = st.tuples(st.one_of(valid, mutated), RAW_EDITS).map(lambda t: edit_text(*t))
    return st.one_of(valid, mutated, edited)
