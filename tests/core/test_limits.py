"""What a file may cost: every limit is one error at the line and column where it is crossed,
found before the work it would cause (issue 15, items 2-5)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from core_support import doc, load

from sam_cowboy.core import expr as ex
from sam_cowboy.core import yamlread
from sam_cowboy.core.loader import load_episode
from sam_cowboy.core.yamlread import YamlError, read_file, read_yaml


def test_alias_amplification_is_counted_in_characters() -> None:
    # few nodes, many characters: 30 aliases of a 100,000-character text
    text = "a: &x " + "y" * 100_000 + "\nb: [" + ", ".join(["*x"] * 30) + "]\n"
    with pytest.raises(YamlError) as info:
        read_yaml(text)
    assert "characters" in info.value.message
    assert info.value.line == 2 and info.value.column > 1


def test_nested_alias_bomb_stops_at_the_node_limit() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(YamlError) as info:
        read_yaml("\n".join(lines) + "\n")
    assert "values" in info.value.message or "characters" in info.value.message
    assert info.value.line > 1


def test_a_few_aliases_are_fine() -> None:
    tree = read_yaml("a: &x {k: " + "v" * 1000 + "}\nb: *x\nc: *x\n")
    assert isinstance(tree, dict) and tree["b"] is tree["a"]


@pytest.mark.parametrize("number", ["0x" + "f" * 5000, "0o" + "7" * 5000, "9" * 5000,
                                    "1" + "0" * 13, "0x1000000000000", "-10000000000000", "1e300"])
def test_huge_numbers_are_refused_where_they_stand(number: str) -> None:
    result = load(doc("a: {ending: {kind: good}}", dims=f"dimensions:\n  d: {{label: D, weight: {number}}}\n"))
    assert result.episode is None
    first = result.errors[0]
    assert "out of range" in first.message and (first.line, first.column) == (5, 25)


@pytest.mark.parametrize("field", ["estimated_minutes: {n}", "variables: {{v: {n}}}"])
def test_huge_numbers_in_any_numeric_field(field: str) -> None:
    text = doc("a: {ending: {kind: good}}", extra=field.format(n="0x" + "9" * 400) + "\n")
    result = load(text)
    assert result.episode is None and "out of range" in result.errors[0].message


def test_infinite_minutes_are_refused() -> None:
    result = load(doc("a: {ending: {kind: good}}", extra="estimated_minutes: .inf\n"))
    assert result.episode is None and "estimated_minutes" in result.errors[0].message


def test_numbers_inside_the_bound_still_load() -> None:
    result = load(doc("a: {ending: {kind: good}}", extra="estimated_minutes: 0xff\n"))
    assert result.episode is not None and result.episode.estimated_minutes == 255


@pytest.mark.parametrize("terms", [990, 980, 100, 65])
def test_long_sums_are_an_error_not_a_recursion(terms: int) -> None:
    source = "+".join(["n"] * terms) + " > 0"
    with pytest.raises(ex.ExprError) as info:
        ex.parse(source)
    assert "too long" in info.value.message or "longer" in info.value.message


def test_a_sum_at_the_limit_compiles_and_evaluates_deep_in_a_stack() -> None:
    import sys

    from sam_cowboy.core.loader import _Builder

    scope = _Builder("f", None)
    scope.variables = {"n": 1}
    compiled = ex.compile_expr("+".join(["n"] * (ex.MAX_DEPTH - 1)) + " > 0", scope)

    class Ctx:
        variables = {"n": 1}
        visits: dict[str, int] = {}
        scores: dict[str, int] = {}

    def deep(levels: int) -> object:  # as the app evaluates it: far down a busy stack
        return deep(levels - 1) if levels else compiled.evaluate(Ctx())

    assert deep(sys.getrecursionlimit() - 300) is True


@pytest.mark.parametrize("condition", ["not " * 70 + "flag", "(" * 70 + "flag" + ")" * 70,
                                       "-" * 70 + "n > 0", "99999999999999999 > n"])
def test_deep_or_huge_conditions_are_findings_with_a_position(condition: str) -> None:
    text = doc(f"""\
        a:
          text: hi
          choices:
            - {{text: go, goto: b, if: "{condition}"}}
        b: {{ending: {{kind: good}}}}
        """, variables="flag: true\nn: 1")
    result = load(text)
    assert result.episode is None
    first = result.errors[0]
    assert first.line >= 7 and first.column > 1, first.format()


def test_long_sum_in_a_file_is_one_finding() -> None:
    cond = "+".join(["n"] * 990) + " > 0"
    text = doc(f"""\
        a:
          text: hi
          choices:
            - {{text: go, goto: b, if: "{cond}"}}
        b: {{ending: {{kind: good}}}}
        """, variables="n: 1")
    result = load(text)
    assert result.episode is None and len(result.errors) == 1


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:  # sparse: 3 GB that take no disk and must not be read
        f.truncate(3 * 1024**3)
    with pytest.raises(YamlError) as info:
        read_file(big)
    assert "MiB" in info.value.message
    result = load_episode(big)
    assert result.episode is None and "MiB" in result.errors[0].message


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "ep.yaml"
    os.mkfifo(fifo)
    result = load_episode(fifo)  # would block for ever if it waited for a writer
    assert result.episode is None and "regular file" in result.errors[0].message


def test_a_folder_is_refused(tmp_path: Path) -> None:
    result = load_episode(tmp_path)
    assert result.episode is None and result.errors


def test_the_read_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ep.yaml"
    path.write_bytes(b"a: 1\n" * 100)
    monkeypatch.setattr(yamlread, "MAX_BYTES", 64)
    with pytest.raises(YamlError):
        read_file(path)


def test_findings_are_capped_with_a_last_one_that_says_so() -> None:
    from sam_cowboy.core.loader import MAX_FINDINGS

    text = doc(f"""\
        a:
          text: "{'{zz}' * 100_000}"
          ending: {{kind: good}}
        """)
    result = load(text)
    assert len(result.findings) == MAX_FINDINGS + 1
    assert any("more than" in f.message for f in result.findings)


def test_many_unknown_keys_are_capped() -> None:
    from sam_cowboy.core.loader import MAX_FINDINGS

    keys = "".join(f"  k{i}x: 1\n" for i in range(5000))
    text = doc("a: {ending: {kind: good}}", extra="x:\n" + keys).replace("x:\n", "", 1)
    text = text.replace("start: a\n", "start: a\n" + keys.replace("  ", ""))
    result = load(text)
    assert len(result.findings) <= MAX_FINDINGS + 1
