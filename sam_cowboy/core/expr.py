"""The condition language: tokenizer, parser, type checker and evaluator. Never `eval`.

Conditions are small (`score('relationship') > 0 and profile_ready`), so a hand-written
Pratt parser is enough. Compiling to closures keeps evaluation fast for the analysis, which
evaluates each condition once per reachable state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

Value = bool | int | str
MAX_LENGTH = 2000
MAX_DEPTH = 64  # levels of nesting, and operations in a row (see _Parser)
MAX_NUMBER = 10**12  # as in yamlread: literals stay far from any overflow
FUNCTIONS = ("visits", "score")
KEYWORDS = ("and", "or", "not", "true", "false")


class ExprError(Exception):
    """A problem in an expression, at a 0-based offset inside its source."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# ---------------------------------------------------------------- tokens

@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # int, str, name, op, end
    value: str
    offset: int


_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<int>\d+)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>==|!=|<=|>=|[-+*<>(),])
    """,
    re.VERBOSE,
)


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ExprError(f"the condition is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    tokens: list[Token] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch in "'\"":
            end, value = _read_string(source, i)
            tokens.append(Token("str", value, i))
            i = end
            continue
        m = _TOKEN.match(source, i)
        if m is None:
            hint = {
                ".": "attributes are not part of the condition language",
                "[": "indexing is not part of the condition language",
                "=": "write `==` to compare",
                "!": "write `not` for negation and `!=` for 'different from'",
                "&": "write `and`",
                "|": "write `or`",
                "/": "only + - * are allowed",
            }.get(ch, "remove it")
            raise ExprError(f"unexpected character {ch!r}: {hint}", i)
        kind = m.lastgroup or ""
        if kind != "space":
            tokens.append(Token(kind, m.group(), i))
        i = m.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


def _read_string(source: str, start: int) -> tuple[int, str]:
    quote = source[start]
    out: list[str] = []
    i = start + 1
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            out.append(source[i + 1])
            i += 2
            continue
        if ch == quote:
            return i + 1, "".join(out)
        out.append(ch)
        i += 1
    raise ExprError(f"this string has no closing {quote}", start)


# ---------------------------------------------------------------- syntax tree

@dataclass(frozen=True, slots=True)
class Lit:
    value: Value
    offset: int


@dataclass(frozen=True, slots=True)
class Var:
    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Call:
    function: str  # visits | score
    argument: str
    offset: int
    argument_offset: int


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # - | not
    operand: Node
    offset: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    offset: int


Node = Lit | Var | Call | Unary | Binary


@dataclass(frozen=True, slots=True)
class Expr:
    """A parsed condition with its source; `evaluate` is compiled once at load time."""

    source: str
    tree: Node
    evaluate: Callable[[Context], Value]
    offset_base: tuple[int, int] = (1, 1)  # (line, column) of the source in the file

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"

    def variables(self) -> set[str]:
        return {n.name for n in walk(self.tree) if isinstance(n, Var)}

    def calls(self, function: str) -> set[str]:
        return {n.argument for n in walk(self.tree) if isinstance(n, Call) and n.function == function}


def walk(node: Node) -> list[Node]:
    out: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        if isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Binary):
            stack.extend((n.left, n.right))
    return out


# ---------------------------------------------------------------- parser

_BINARY_POWER = {
    "or": 1, "and": 2,
    "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4,
    "+": 5, "-": 5, "*": 6,
}
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


class _Parser:
    """Parses with the recursion of the grammar, and counts the depth of the tree it builds:
    `a + b + c ...` is parsed in a loop but is a tree as deep as it is long, and the type
    checker, the compiler and evaluation all recurse on trees. Both are held to MAX_DEPTH,
    so no condition that passes here can exhaust Python's stack anywhere later."""

    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0
        self.heights: dict[int, int] = {}  # id(node) -> height of its subtree

    def height(self, node: Node) -> int:
        return self.heights.get(id(node), 1)

    def binary(self, op: str, left: Node, right: Node, offset: int) -> Node:
        node = Binary(op, left, right, offset)
        height = max(self.height(left), self.height(right)) + 1
        if height > MAX_DEPTH:
            raise ExprError(f"the condition is too long: more than {MAX_DEPTH} operations in a "
                            "row; split it with a variable or simplify it", offset)
        self.heights[id(node)] = height
        return node

    def unary(self, op: str, operand: Node, offset: int) -> Node:
        node = Unary(op, operand, offset)
        height = self.height(operand) + 1
        if height > MAX_DEPTH:
            raise ExprError(f"the condition is nested more than {MAX_DEPTH} levels deep", offset)
        self.heights[id(node)] = height
        return node

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, value: str, what: str) -> Token:
        tok = self.next()
        if tok.value != value or tok.kind not in ("op", "name"):
            raise ExprError(f"expected {what}, found {_describe(tok)}", tok.offset)
        return tok

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExprError("the condition is empty", 0)
        node = self.expression(0)
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"unexpected {_describe(tok)} after a complete condition", tok.offset)
        return node

    def expression(self, min_power: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"the condition is nested more than {MAX_DEPTH} levels deep",
                            self.peek().offset)
        left = self.prefix()
        while True:
            tok = self.peek()
            op = tok.value if tok.kind in ("op", "name") else ""
            power = _BINARY_POWER.get(op)
            if power is None or power <= min_power:
                break
            self.next()
            right = self.expression(power)
            if op in _COMPARISONS and self.peek().value in _COMPARISONS:
                raise ExprError("comparisons cannot be chained: use `and` between them",
                                self.peek().offset)
            left = self.binary(op, left, right, tok.offset)
        self.depth -= 1
        return left

    def prefix(self) -> Node:
        tok = self.next()
        if tok.kind == "int":
            digits = tok.value.lstrip("0")
            if len(digits) > len(str(MAX_NUMBER)) or int(digits or "0") > MAX_NUMBER:
                raise ExprError(f"this number is larger than {MAX_NUMBER:,}", tok.offset)
            return Lit(int(tok.value), tok.offset)
        if tok.kind == "str":
            return Lit(tok.value, tok.offset)
        if tok.kind == "op" and tok.value == "(":
            inner = self.expression(0)
            self.expect(")", "a closing `)`")
            return inner
        if tok.kind == "op" and tok.value == "-":
            return self.unary("-", self.expression(6), tok.offset)
        if tok.kind == "name":
            if tok.value == "not":
                return self.unary("not", self.expression(3), tok.offset)
            if tok.value in ("true", "false"):
                return Lit(tok.value == "true", tok.offset)
            if tok.value in ("and", "or"):
                raise ExprError(f"`{tok.value}` needs a condition on its left", tok.offset)
            if self.peek().value == "(" and self.peek().kind == "op":
                return self.call(tok)
            return Var(tok.value, tok.offset)
        raise ExprError(f"expected a value, found {_describe(tok)}", tok.offset)

    def call(self, name: Token) -> Node:
        if name.value not in FUNCTIONS:
            raise ExprError(
                f"unknown function `{name.value}()`: the functions are visits('scene-id') "
                "and score('dimension-id')", name.offset)
        self.next()  # (
        arg = self.next()
        if arg.kind != "str":
            raise ExprError(
                f"{name.value}() takes one quoted id, like {name.value}('"
                f"{'scene-id' if name.value == 'visits' else 'dimension-id'}')", arg.offset)
        self.expect(")", f"a closing `)` after {name.value}()'s id")
        return Call(name.value, arg.value, name.offset, arg.offset)


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "the end of the condition"
    if tok.kind == "str":
        return f"the string {tok.value!r}"
    return f"`{tok.value}`"


# ---------------------------------------------------------------- type checker

class Scope(Protocol):
    def variable_type(self, name: str) -> str | None: ...
    def has_scene(self, scene: str) -> bool: ...
    def has_dimension(self, dimension: str) -> bool: ...
    def suggest(self, kind: str, name: str) -> str: ...


def type_name(value: Value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "str"


_READABLE = {"bool": "true/false", "int": "a number", "str": "a text"}


def check_types(node: Node, scope: Scope) -> str:
    """Return the node's type or raise ExprError at the first problem."""
    if isinstance(node, Lit):
        return type_name(node.value)
    if isinstance(node, Var):
        if node.name in KEYWORDS or node.name in FUNCTIONS:
            raise ExprError(f"`{node.name}` cannot be used alone here", node.offset)
        t = scope.variable_type(node.name)
        if t is None:
            raise ExprError(f"unknown variable `{node.name}`{scope.suggest('variable', node.name)}"
                            "; declare it under `variables:`", node.offset)
        return t
    if isinstance(node, Call):
        if node.function == "visits":
            if not scope.has_scene(node.argument):
                raise ExprError(f"visits() names an unknown scene `{node.argument}`"
                                f"{scope.suggest('scene', node.argument)}", node.argument_offset)
        elif not scope.has_dimension(node.argument):
            raise ExprError(f"score() names an unknown dimension `{node.argument}`"
                            f"{scope.suggest('dimension', node.argument)}", node.argument_offset)
        return "int"
    if isinstance(node, Unary):
        t = check_types(node.operand, scope)
        want = "int" if node.op == "-" else "bool"
        if t != want:
            raise ExprError(f"`{node.op}` needs {_READABLE[want]}, not {_READABLE[t]}", node.offset)
        return want
    lt = check_types(node.left, scope)
    rt = check_types(node.right, scope)
    op = node.op
    if op in ("and", "or"):
        for side, t in ((node.left, lt), (node.right, rt)):
            if t != "bool":
                raise ExprError(
                    f"`{op}` joins conditions, but this side is {_READABLE[t]}: compare it, "
                    "e.g. `invitations > 0`", _offset(side))
        return "bool"
    if op in ("==", "!="):
        if lt != rt:
            raise ExprError(f"`{op}` compares {_READABLE[lt]} with {_READABLE[rt]}: both sides "
                            "must have the same type", node.offset)
        return "bool"
    for side, t in ((node.left, lt), (node.right, rt)):
        if t != "int":
            raise ExprError(f"`{op}` needs numbers, but this side is {_READABLE[t]}", _offset(side))
    return "bool" if op in _COMPARISONS else "int"


def _offset(node: Node) -> int:
    if isinstance(node, Binary):
        return _offset(node.left)
    return node.offset


def check_condition(node: Node, scope: Scope) -> None:
    t = check_types(node, scope)
    if t != "bool":
        raise ExprError(
            f"a condition must be true or false, but this is {_READABLE[t]}: compare it, "
            "e.g. `invitations > 0`", _offset(node))


# ---------------------------------------------------------------- evaluation

class Context(Protocol):
    """What a condition can observe: variables, scene visit counts, raw scores."""

    @property
    def variables(self) -> Mapping[str, Value]: ...
    @property
    def visits(self) -> Mapping[str, int]: ...
    @property
    def scores(self) -> Mapping[str, int]: ...


Compiled = Callable[[Context], Value]


def compile_node(node: Node) -> Compiled:
    if isinstance(node, Lit):
        value = node.value
        return lambda ctx: value
    if isinstance(node, Var):
        name = node.name
        return lambda ctx: ctx.variables[name]
    if isinstance(node, Call):
        key = node.argument
        if node.function == "visits":
            return lambda ctx: ctx.visits.get(key, 0)
        return lambda ctx: ctx.scores.get(key, 0)
    if isinstance(node, Unary):
        inner = compile_node(node.operand)
        if node.op == "-":
            return lambda ctx: -_int(inner(ctx))
        return lambda ctx: not inner(ctx)
    left = compile_node(node.left)
    right = compile_node(node.right)
    return _BINARY_FUNCS[node.op](left, right)


def _int(v: Value) -> int:
    assert isinstance(v, int)
    return v


_BINARY_FUNCS: dict[str, Callable[[Compiled, Compiled], Compiled]] = {
    "and": lambda a, b: lambda ctx: bool(a(ctx)) and bool(b(ctx)),
    "or": lambda a, b: lambda ctx: bool(a(ctx)) or bool(b(ctx)),
    "==": lambda a, b: lambda ctx: a(ctx) == b(ctx),
    "!=": lambda a, b: lambda ctx: a(ctx) != b(ctx),
    "<": lambda a, b: lambda ctx: _int(a(ctx)) < _int(b(ctx)),
    "<=": lambda a, b: lambda ctx: _int(a(ctx)) <= _int(b(ctx)),
    ">": lambda a, b: lambda ctx: _int(a(ctx)) > _int(b(ctx)),
    ">=": lambda a, b: lambda ctx: _int(a(ctx)) >= _int(b(ctx)),
    "+": lambda a, b: lambda ctx: _int(a(ctx)) + _int(b(ctx)),
    "-": lambda a, b: lambda ctx: _int(a(ctx)) - _int(b(ctx)),
    "*": lambda a, b: lambda ctx: _int(a(ctx)) * _int(b(ctx)),
}


def parse(source: str) -> Node:
    """Parse a condition; raises ExprError with the offset of the first problem."""
    return _Parser(source).parse()


def compile_expr(source: str, scope: Scope, base: tuple[int, int] = (1, 1)) -> Expr:
    """Parse, type-check and compile a condition (must be boolean)."""
    tree = parse(source)
    check_condition(tree, scope)
    return Expr(source, tree, compile_node(tree), base)
