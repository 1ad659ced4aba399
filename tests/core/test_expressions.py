"""The condition language: every row of the spec's list, errors with file line and column,
and attempts to escape the language."""

from __future__ import annotations

import time

import pytest
from core_support import doc, expect, load, locate

from sam_cowboy.core import engine, expr

VARIABLES = "flag: true\noff_flag: false\nn: 3\nname: Sam\n"
SCENES = """\
a:
  choices:
    - id: c
      text: Go
      if: {cond}
      goto: b
    - id: other
      text: Other
      goto: b
b:
  choices:
    - text: Go
      score: {{d: 2}}
      feedback: F
      goto: end
end:
  ending: {{kind: good}}
"""


def episode_with(cond: str):
    text = doc(SCENES.format(cond=cond), variables=VARIABLES)
    return text, load(text)


def evaluate(cond: str, after_b: bool = False) -> object:
    """Value of a condition in the start state (visits(a) = 1, scores 0), or after a visit
    to `b` (visits(b) = 1, score d = 2) when `after_b`."""
    text = doc(f"a:\n  choices:\n    - text: Go\n      goto: b\n"
               f"b:\n  choices:\n    - text: Go\n      if: {quote(cond)}\n      goto: end\n"
               "end:\n  ending: {kind: good}\n", variables=VARIABLES)
    episode = load(text).require()
    condition = episode.scenes["b"].choices[0].condition
    assert condition is not None
    state, _ = engine.begin(episode)
    if after_b:
        state, _ = engine.choose(episode, state, "1")
        state = type(state)(**{**{f: getattr(state, f) for f in state.__dataclass_fields__},
                               "scores": {"d": 2}})
    return condition.evaluate(state)


def quote(cond: str) -> str:
    return '"' + cond.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.parametrize("cond,value", [
    ("true", True), ("false", False), ("TRUE == true", None),
    ("1 == 1", True), ("1 != 1", False), ("0 < 1", True), ("1 <= 1", True), ("2 > 3", False),
    ("2 >= 3", False),
    ("'a' == 'a'", True), ('"a" == "b"', False), ("'a' != \"a\"", False),
    ("flag", True), ("not flag", False), ("off_flag", False), ("not off_flag", True),
    ("n == 3", True), ("n + 1 == 4", True), ("n - 5 == -2", True), ("n * 2 == 6", True),
    ("-n == -3", True), ("- -n == 3", True), ("1 + 2 * 3 == 7", True), ("(1 + 2) * 3 == 9", True),
    ("10 - 2 - 3 == 5", True),
    ("name == 'Sam'", True), ("name != 'Bob'", True),
    ("flag and off_flag", False), ("flag or off_flag", True),
    ("not flag or true", True), ("not (flag or true)", False),
    ("flag and off_flag or true", True), ("false and true or true", True),
    ("true or true and false", True),
    ("flag == true", True), ("off_flag != false", False),
    ("visits('a') == 1", True), ("visits('b') == 0", True), ("visits('end') == 0", True),
    ("score('d') == 0", True), ("score('d') + 1 > 0", True),
    ("((((flag))))", True), ("not not flag", True),
])
def test_expression_values(cond: str, value: object) -> None:
    if value is None:  # TRUE is not a keyword: an unknown name
        _, result = episode_with(quote(cond))
        assert result.episode is None
        return
    assert evaluate(cond) is value


def test_visits_and_score_see_the_current_run() -> None:
    assert evaluate("visits('b') == 1 and visits('a') == 1", after_b=True) is True
    assert evaluate("score('d') == 2", after_b=True) is True


# ------------------------------------------------------------------ errors, with position

ERRORS = [
    # condition, needle whose position the error points at, message fragment
    ('"invitations"', "invitations", "unknown variable"),
    ('"flga"', "flga", "did you mean `flag`?"),
    ('"n"', "n\"", "must be true or false"),
    ('"n and flag"', "n and", "`and`"),
    ('"flag or n"', "n\"", "`or`"),
    ('"not n"', "not n", "`not`"),
    ('"-flag > 0"', "-flag", "`-`"),
    ('"n == true"', "== true", "same type"),
    ('"name == 3"', "== 3", "same type"),
    ('"name < 3"', "name <", "numbers"),
    ('"flag > 0"', "flag >", "numbers"),
    ('"name + 1 > 0"', "name +", "numbers"),
    ('"\'a\' + \'b\' == \'ab\'"', "'a' +", "numbers"),
    ('"visits(\'nowhere\') > 0"', "'nowhere'", "unknown scene"),
    ('"visits(\'bb\') > 0"', "'bb'", "did you mean `b`?"),
    ('"score(\'brand\') > 0"', "'brand'", "unknown dimension"),
    ('"score(\'dd\') > 0"', "'dd'", "did you mean `d`?"),
    ('"visits(a) > 0"', "a) >", "quoted"),
    ('"visits() > 0"', ") >", "quoted"),
    ('"score(\'d\', \'e\') > 0"', ", 'e'", "closing"),
    ('"flag and"', 8, "expected a value"),
    ('"(flag"', 5, "closing"),
    ('"flag)"', ")", "unexpected"),
    ('"flag flag"', 5, "unexpected"),
    ('"n = 3"', "= 3", "`==`"),
    ('"n > 1 > 0"', "> 0", "chained"),
    ('"flag && flag"', "&&", "`and`"),
    ('"flag || flag"', "||", "`or`"),
    ('"!flag"', "!flag", "`not`"),
    ('"n / 2 == 1"', "/ 2", "+ - *"),
    ('"n % 2 == 1"', "% 2", None),
    ('"n ** 2 == 9"', "* 2", None),
    ('"\'unclosed == \'x\'"', 15, "no closing"),
    ('""', 0, "empty"),
    ('"and flag"', "and flag", "`and`"),
    ("true", "true", "quotes"),
    ("false", "false", "quotes"),
    ("3", "3\n", "quotes"),
    ("[flag]", "[flag]", "quotes"),
]


@pytest.mark.parametrize("cond,needle,fragment", ERRORS)
def test_expression_errors_have_line_and_column(cond: str, needle: str | int,
                                                fragment: str | None) -> None:
    text, result = episode_with(cond)
    assert result.episode is None
    line, col = locate(text, "if: ")
    start = col + 4
    if cond.startswith('"'):
        inner = cond[1:-1]
        start += 1
        where = text.splitlines()[line - 1][start - 1:]
        assert where.startswith(inner.replace("\\'", "'"))
        offset = needle if isinstance(needle, int) else where.index(needle.rstrip('"'))
        at = (line, start + offset)
    else:
        at = (line, start)
    f = expect(result.findings, "error", fragment or "", at=at, scene="a", choice="c")
    assert f.message


# ------------------------------------------------------------------ escape attempts

ESCAPES = [
    "__import__('os').system('touch {marker}')",
    "__import__('os')",
    "open('{marker}', 'w')",
    "eval('1')",
    "exec('1')",
    "getattr(flag, 'x')",
    "flag.__class__",
    "name.upper() == 'SAM'",
    "().__class__.__bases__[0].__subclasses__()",
    "name[0] == 'S'",
    "[1][0] == 1",
    "{'a': 1}",
    "lambda: 1",
    "flag if flag else flag",
    "print('x')",
    "len(name) > 0",
    "visits.__globals__",
    "score('d').real > 0",
    "__builtins__",
    "f'{name}'",
    "`ls`",
    "${HOME}",
    "flag; import os",
    "1 if True else 0",
]


@pytest.mark.parametrize("cond", ESCAPES)
def test_escape_attempts_are_errors_and_run_nothing(cond: str, tmp_path) -> None:
    marker = tmp_path / "pwned"
    cond = cond.replace("{marker}", str(marker))
    text, result = episode_with(quote(cond))
    assert result.episode is None
    assert not marker.exists()
    (f,) = [f for f in result.errors if f.scene == "a"]
    assert f.choice == "c" and f.line == locate(text, "if: ")[0]


@pytest.mark.parametrize("cond,word", [("__import__('os')", "__import__"),
                                       ("open('x')", "open"), ("eval('1')", "eval"),
                                       ("len(name) > 0", "len")])
def test_unknown_functions_are_named(cond: str, word: str) -> None:
    _, result = episode_with(quote(cond))
    (f,) = result.errors
    assert "unknown function" in f.message and word in f.message


def test_attributes_and_indexing_are_explained() -> None:
    _, result = episode_with(quote("flag.__class__"))
    assert "attribute" in result.errors[0].message
    _, result = episode_with(quote("name[0] == 'S'"))
    assert "index" in result.errors[0].message


@pytest.mark.parametrize("cond", ["(" * 10_000 + "flag" + ")" * 10_000,
                                  "not " * 10_000 + "flag",
                                  "- " * 10_000 + "1 > 0",
                                  " and ".join(["flag"] * 5_000),
                                  "1" * 5_000 + " > 0",
                                  "flag" + " " * 100_000])
def test_huge_or_deep_expressions_are_errors_in_bounded_time(cond: str) -> None:
    t0 = time.perf_counter()
    _, result = episode_with(quote(cond))
    assert time.perf_counter() - t0 < 5
    assert result.episode is None and result.errors


def test_long_but_reasonable_expression_is_fine() -> None:
    cond = " and ".join(["flag"] * 50)
    _, result = episode_with(quote(cond))
    assert result.errors == []


def test_expression_module_never_uses_eval() -> None:
    import inspect

    source = inspect.getsource(expr)
    assert "eval(" not in source.replace(".evaluate(", "").replace("evaluate(", "")
    assert "exec(" not in source and "compile(" not in source.replace("re.compile(", "")


def test_parse_api_errors_carry_offsets() -> None:
    with pytest.raises(expr.ExprError) as info:
        expr.parse("flag and")
    assert info.value.offset == len("flag and")
    with pytest.raises(expr.ExprError) as info:
        expr.parse("a.b")
    assert info.value.offset == 1


def test_route_conditions_are_checked_too() -> None:
    text = doc("""\
        a:
          route:
            - if: "visits('bb') > 0"
              goto: end
            - goto: end
        end:
          ending: {kind: good}
        """)
    line, col = locate(text, "'bb'")
    expect(load(text).findings, "error", "unknown scene", at=(line, col), scene="a")


def test_text_block_conditions_are_checked_too() -> None:
    text = doc("""\
        a:
          text:
            - if: "flga"
              text: Hi
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """, variables="flag: true\n")
    expect(load(text).findings, "error", "unknown variable", at=locate(text, "flga"), scene="a")
