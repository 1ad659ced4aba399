"""YAML reading: YAML 1.2 booleans, positions, and bad input in bounded time."""

from __future__ import annotations

import time

import pytest
from core_support import doc, load, locate, one, src

from sam_cowboy.core.yamlread import YamlError, YMap, YSeq, read_yaml

# ----------------------------------------------------------------- YAML 1.2 booleans


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On",
                                  "OFF", "Y", "N"])
def test_yaml11_booleans_stay_strings(word: str) -> None:
    assert read_yaml(f"k: {word}") == {"k": word}


@pytest.mark.parametrize("word,value", [("true", True), ("false", False), ("True", True),
                                        ("FALSE", False), ("TRUE", True), ("False", False),
                                        ("tRuE", True)])
def test_true_false_any_case_are_booleans(word: str, value: bool) -> None:
    got = read_yaml(f"k: {word}")
    assert got == {"k": value} and type(got["k"]) is bool  # type: ignore[index]


def test_quoted_true_is_a_string() -> None:
    assert read_yaml('k: "true"') == {"k": "true"}


def test_choice_text_no_and_language_no_mean_what_the_author_wrote() -> None:
    episode = load(doc(
        """\
        a:
          text: {no: "Hei", en: "Hi"}
          choices:
            - id: "no"
              text: {no: "Nei", en: No}
              goto: end
            - text: {no: "Ja", en: Yes}
              goto: end
        end:
          ending: {kind: good, title: {no: "Slutt", en: "End"}}
        """, head="sam_cowboy: 1\nid: t\ntitle: {no: T, en: T}\nlanguages: [no, en]\n"
    )).require()
    assert episode.languages == ("no", "en")
    texts = [c.text.values for c in episode.scenes["a"].choices]
    assert texts == [{"no": "Nei", "en": "No"}, {"no": "Ja", "en": "Yes"}]
    assert episode.scenes["a"].choices[0].id == "no"


def test_variable_initialised_with_yes_is_a_string_variable() -> None:
    episode = load(doc(SCENES_SET_ANSWER, variables="answer: yes\nflag: True\n")).require()
    assert episode.variables == {"answer": "yes", "flag": True}


SCENES_SET_ANSWER = """\
a:
  choices:
    - text: Go
      set: {answer: no, flag: FALSE}
      goto: end
end:
  ending: {kind: good}
"""


def test_set_with_no_sets_the_string_no() -> None:
    episode = load(doc(SCENES_SET_ANSWER, variables="answer: yes\nflag: True\n")).require()
    assert episode.scenes["a"].choices[0].effects.set == {"answer": "no", "flag": False}


def test_core_schema_scalars() -> None:
    assert read_yaml("[1, -2, 0o17, 0x1f, ~, null, '', 'x']") == [1, -2, 15, 31, None, None,
                                                                  "", "x"]


# ----------------------------------------------------------------- positions


def test_every_node_has_a_position() -> None:
    text = src("""\
        top:
          key: value
          list:
            - one
            - "two"
        """)
    m = read_yaml(text)
    assert isinstance(m, YMap)
    inner = m["top"]
    assert isinstance(inner, YMap)
    assert (inner.key_pos["key"].line, inner.key_pos["key"].column) == locate(text, "key")
    assert (inner.value_pos["key"].line, inner.value_pos["key"].column) == locate(text, "value")
    seq = inner["list"]
    assert isinstance(seq, YSeq)
    assert [(p.line, p.column) for p in seq.item_pos] == [locate(text, "one"),
                                                          locate(text, "two")]


def test_duplicate_key_is_an_error_with_position() -> None:
    text = "a: 1\nb: 2\na: 3\n"
    with pytest.raises(YamlError) as info:
        read_yaml(text)
    assert (info.value.line, info.value.column) == (3, 1)
    assert "`a`" in info.value.message


def test_object_building_tags_are_refused() -> None:
    for text in ["k: !!python/object/apply:os.system ['true']",
                 "k: !!python/name:os.system", "k: !custom x", "k: !!set {a: null}"]:
        with pytest.raises(YamlError):
            read_yaml(text)


def test_episode_with_python_tag_is_an_error_finding_and_nothing_runs(tmp_path) -> None:
    marker = tmp_path / "pwned"
    text = doc(SIMPLE_WITH_TAG.replace("{marker}", str(marker)))
    result = load(text)
    assert result.episode is None
    assert not marker.exists()
    f = one(result.findings, "error", "tag")
    assert (f.line, f.column) == locate(text, "!!python")


SIMPLE_WITH_TAG = """\
a:
  title: !!python/object/apply:os.system ["touch {marker}"]
  choices:
    - text: Go
      goto: end
end:
  ending: {kind: good}
"""


def test_two_documents_are_refused() -> None:
    with pytest.raises(YamlError):
        read_yaml("a: 1\n---\nb: 2\n")


# ----------------------------------------------------------------- malformed input


@pytest.mark.parametrize("text,at", [
    ("a: [1, 2\n", None),
    ("a: {b: 1\n", None),
    ("a:\n  b: 1\n c: 2\n", (3, 2)),
    ("a: 'unclosed\n", None),
    ("key: value: other\n", (1, 11)),
    ("\t- tab\n", None),
    ("a: *nope\n", (1, 4)),
])
def test_malformed_yaml_is_a_yaml_error_with_position(text: str, at) -> None:
    with pytest.raises(YamlError) as info:
        read_yaml(text)
    assert info.value.line >= 1 and info.value.column >= 1
    if at is not None:
        assert (info.value.line, info.value.column) == at
    result = load(text)
    assert result.episode is None and len(result.errors) == 1


def test_malformed_episode_reports_line_and_column() -> None:
    text = doc("a:\n  choices: [\n")
    result = load(text)
    assert result.episode is None
    (f,) = result.errors
    assert f.message.startswith("malformed YAML") or "YAML" in f.message
    assert f.line >= locate(text, "choices")[0]


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03binary",
    b"sam_cowboy: 1\nid: t\x00\n",
    "sam_cowboy: 1\ntitle: caf\xe9\n".encode("latin-1"),
    b"\xff\xfe" + "sam_cowboy: 1".encode("utf-16-le"),
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    bytes(range(256)),
])
def test_binary_and_non_utf8_are_one_error(data: bytes) -> None:
    result = load(data)
    assert result.episode is None
    (f,) = result.errors
    assert "UTF-8" in f.message or "binary" in f.message
    assert f.line >= 1 and f.column >= 1


def test_non_utf8_error_points_at_the_bad_byte() -> None:
    data = "sam_cowboy: 1\ntitle: caf\xe9\n".encode("latin-1")
    (f,) = load(data).errors
    assert (f.line, f.column) == (2, 11)


def test_utf8_bom_is_accepted() -> None:
    data = b"\xef\xbb\xbf" + doc(SIMPLE).encode()
    assert load(data).episode is not None


SIMPLE = """\
a:
  choices:
    - text: Go
      goto: end
end:
  ending: {kind: good}
"""


def _timed(fn, limit: float):
    t0 = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t0
    assert elapsed < limit, f"took {elapsed:.1f}s"
    return out


def test_fifty_megabytes_are_refused_quickly() -> None:
    data = b"# " + b"x" * (50 * 1024 * 1024) + b"\n"
    result = _timed(lambda: load(data), 5)
    (f,) = result.errors
    assert "MB" in f.message or "MiB" in f.message


def test_fifty_megabyte_string_is_refused_quickly() -> None:
    text = "# " + "x" * (50 * 1024 * 1024) + "\n"
    result = _timed(lambda: load_raw(text), 5)
    assert result.episode is None and len(result.errors) == 1


def load_raw(text: str):
    from sam_cowboy.core.loader import load_episode_data

    return load_episode_data(text, "ep.yaml")


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused_quickly() -> None:
    with pytest.raises(YamlError) as info:
        _timed(lambda: read_yaml(BILLION_LAUGHS), 5)
    assert "alias" in info.value.message
    result = _timed(lambda: load(BILLION_LAUGHS), 5)
    assert result.episode is None and len(result.errors) == 1


def test_alias_bomb_inside_an_episode_x_key_is_refused_quickly() -> None:
    text = doc(SIMPLE, extra="x-bomb:\n" + "\n".join("  " + line
                                                       for line in BILLION_LAUGHS.splitlines())
               + "\n")
    result = _timed(lambda: load(text), 5)
    assert result.episode is None
    assert any("alias" in f.message for f in result.errors)


def test_wide_alias_bomb_of_keys_is_refused_quickly() -> None:
    lines = ["a0: &a0 {k: v}"]
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 4) + "]")
    result = _timed(lambda: load("\n".join(lines) + "\n"), 5)
    assert result.episode is None and result.errors


def test_small_aliases_are_fine() -> None:
    text = doc("""\
        a:
          title: &t {en: "Hello"}
          text: *t
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """)
    episode = load(text).require()
    assert episode.scenes["a"].title is not None
    assert episode.scenes["a"].title.values == {"en": "Hello"}


@pytest.mark.parametrize("text", [
    "[" * 20_000 + "]" * 20_000,
    "{a: " * 20_000 + "1" + "}" * 20_000,
    "- " * 20_000 + "x\n",
    "".join(" " * i + "a:\n" for i in range(0, 2_000)) + " " * 2_000 + "b\n",
    "a: " + "[" * 20_000,
    "[" * 20_000,
])
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    with pytest.raises(YamlError) as info:
        _timed(lambda: read_yaml(text), 5)
    assert info.value.line >= 1
    result = _timed(lambda: load(text), 5)
    assert result.episode is None and len(result.errors) == 1


def test_very_long_integer_is_a_finding_not_a_crash() -> None:
    text = doc(SIMPLE.replace("    - text: Go\n", "    - text: Go\n      score: {d: "
                              + "9" * 5000 + "}\n      feedback: F\n"))
    result = load(text)  # must not raise (Python refuses int() of > 4300 digits)
    assert result.episode is None or result.episode.scenes["a"].choices


def test_read_yaml_raises_only_yaml_error_for_a_very_long_integer() -> None:
    try:
        read_yaml("a: " + "9" * 5000)
    except YamlError:
        pass


@pytest.mark.parametrize("text", ["a: \ud800", "\udfff", "title: ok\nx: '\ud83d'\n"])
def test_lone_surrogates_in_text_do_not_crash_the_loader(text: str) -> None:
    result = load_raw(text)  # must return findings, not raise UnicodeEncodeError
    assert result.episode is None


@pytest.mark.parametrize("text", ["a: \ud800", "\udfff"])
def test_read_yaml_raises_only_yaml_error_for_lone_surrogates(text: str) -> None:
    try:
        read_yaml(text)
    except YamlError:
        pass


def test_crlf_line_endings_give_the_same_positions() -> None:
    text = doc("a:\n  chioces: []\nend:\n  ending: {kind: good}\n")
    lf = [(f.line, f.column, f.message) for f in load(text).errors]
    crlf = [(f.line, f.column, f.message) for f in load(text.replace("\n", "\r\n")).errors]
    assert lf == crlf and lf
