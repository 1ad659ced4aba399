"""hypothesis on the loader: arbitrary text, bytes and YAML-shaped data never raise anything
but the project's own error types; wrong types everywhere become findings."""

from __future__ import annotations

import copy

import pytest
import yaml
from core_support import EP00_TEXT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import LoadResult, load_episode_data
from sam_cowboy.core.yamlread import YamlError, read_yaml

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# every code point, lone surrogates included: a str can hold them
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)
YAML_PIECES = st.sampled_from([
    "sam_cowboy: 1\n", "id: t\n", "title: T\n", "start: a\n", "scenes:\n", "  a:\n",
    "    choices:\n", "      - text: Go\n", "        goto: end\n", "  end:\n",
    "    ending: {kind: good}\n", "dimensions: {d: {label: D}}\n", "variables: {n: 0}\n",
    "        if: \"n > 0\"\n", "        score: {d: 1}\n", "- ", "[", "]", "{", "}", ": ", ",",
    "&a ", "*a ", "!!str ", "!!python/name:os.system ", "? ", "|\n", ">\n", "---\n", "...\n",
    "'", '"', "#", "\t", "\n", "  ", "yes", "no", "~", "1e9", "0x1F", "\\u0000", "%YAML 1.2\n",
    "\ufeff", "\x00", "\x85", "\u2028", "9" * 4400, "\ud800",
])
YAML_LIKE = st.lists(YAML_PIECES, max_size=40).map("".join)


def assert_findings(result: LoadResult) -> None:
    assert isinstance(result, LoadResult)
    for f in result.findings:
        assert f.severity in ("error", "warning")
        assert f.line >= 1 and f.column >= 1 and f.message


def read_yaml_only_yaml_error(text: str) -> None:
    try:
        read_yaml(text)
    except YamlError as e:
        assert e.line >= 1 and e.column >= 1


@FUZZ
@given(ANY_TEXT)
def test_arbitrary_text_never_raises(text: str) -> None:
    assert_findings(load_episode_data(text, "fuzz.yaml"))


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    assert_findings(load_episode_data(data, "fuzz.yaml"))


@FUZZ
@given(YAML_LIKE)
def test_yaml_like_text_never_raises(text: str) -> None:
    assert_findings(load_episode_data(text, "fuzz.yaml"))
    assert_findings(load_episode_data(text.encode("utf-8", "surrogatepass"), "fuzz.yaml"))


@FUZZ
@given(ANY_TEXT)
def test_read_yaml_raises_only_yaml_error_on_text(text: str) -> None:
    read_yaml_only_yaml_error(text)


@FUZZ
@given(YAML_LIKE)
def test_read_yaml_raises_only_yaml_error_on_yaml_like_text(text: str) -> None:
    read_yaml_only_yaml_error(text)


# ------------------------------------------------------------------ wrong types everywhere

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10),
                    st.sampled_from(["monday", "invite", "brand", "fr", "true", "no", "x-y",
                                     "score('brand') > 0", "{invitations}", "good"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["id", "text", "goto", "if", "fr", "en", "label", "kind",
                                     "score", "x-a", "brand", "min"]), inner, max_size=3)),
    max_leaves=8)

EP00 = yaml.safe_load(EP00_TEXT)


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


PATHS = [p for p in _paths(EP00) if p]


def _replace(tree: object, path: tuple, value: object) -> object:
    tree = copy.deepcopy(tree)
    node = tree
    for k in path[:-1]:
        node = node[k]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    return tree


def _exercise(text: str) -> None:
    """Load; when it loads, analyse and play every run's first steps: nothing may raise."""
    result = load_episode_data(text, "fuzz.yaml")
    assert_findings(result)
    if result.episode is None:
        assert result.errors
        return
    episode = result.episode
    analysis = analyse(episode)
    assert_findings(LoadResult(None, analysis.findings))
    state, _ = engine.begin(episode)
    for _ in range(10):
        shown = engine.choices_shown(episode, state)
        if state.finished or not shown:
            break
        state, _ = engine.choose(episode, state, shown[-1].id)


@FUZZ
@given(st.sampled_from(PATHS), VALUES)
def test_wrong_value_anywhere_in_the_example_is_a_finding(path: tuple, value: object) -> None:
    text = yaml.safe_dump(_replace(EP00, path, value), allow_unicode=True)
    _exercise(text)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "/".join(map(str, p)))
@pytest.mark.parametrize("value", [None, 7, [], {}, True, 1.5, "zzz"],
                         ids=["null", "int", "list", "map", "bool", "float", "str"])
def test_each_node_of_the_example_replaced_by_each_type(path: tuple, value: object) -> None:
    _exercise(yaml.safe_dump(_replace(EP00, path, value), allow_unicode=True))


@FUZZ
@given(st.sampled_from([p for p in PATHS if isinstance(p[-1], str)]),
       st.sampled_from(["chioces", "titel", "gotoo", "x-ok", "Text", "scor", "iff", "once_"]))
def test_unknown_key_anywhere_is_an_error(path: tuple, key: str) -> None:
    tree = copy.deepcopy(EP00)
    node = tree
    for k in path[:-1]:
        node = node[k]
    if not isinstance(node, dict):
        return
    node[key] = "x"
    result = load_episode_data(yaml.safe_dump(tree, allow_unicode=True), "fuzz.yaml")
    if key == "x-ok" or path[:-1] in (("variables",), ("dimensions",), ("scenes",)):
        return  # x- keys are allowed; in these mappings a new key is a new id
    mapping_is_language_map = set(node) - {key} <= {"fr", "en"}
    if mapping_is_language_map:
        assert result.errors  # `chioces` is not a language of the episode either
        return
    assert any(f"`{key}`" in f.message for f in result.errors), \
        [f.format() for f in result.findings]
