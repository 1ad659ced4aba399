"""A parse kept on disk gives the loader exactly what a fresh parse gives: values, positions,
findings, the episode itself; a corrupt or missing entry only means parsing again."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from core_support import EP00_TEXT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sam_cowboy import parse_cache
from sam_cowboy.core.loader import load_episode, load_episode_data
from sam_cowboy.core.yamlread import YamlError, YMap, YSeq, from_plain, read_yaml, to_plain
from sam_cowboy.library import builtin_dir

ROOT = Path(__file__).resolve().parents[2]
EPISODE_FILES = sorted(builtin_dir().glob("*.yaml")) + sorted(
    (ROOT / "tests").rglob("*.yaml"))


def same(a: object, b: object) -> bool:
    """Equal values and equal positions, node by node (== alone ignores positions)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, YMap):
        assert isinstance(b, YMap)
        return (a.pos == b.pos and list(a) == list(b) and a.key_pos == b.key_pos
                and a.value_pos == b.value_pos and all(same(a[k], b[k]) for k in a))
    if isinstance(a, YSeq):
        assert isinstance(b, YSeq)
        return (a.pos == b.pos and a.item_pos == b.item_pos and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b, strict=True)))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


def through_json(tree: object) -> object:
    plain = to_plain(tree)
    assert plain is not None
    return from_plain(json.loads(json.dumps(plain)))


@pytest.mark.parametrize("path", EPISODE_FILES, ids=lambda p: p.name)
def test_every_episode_file_survives_the_round_trip(path: Path) -> None:
    try:
        tree = read_yaml(path.read_bytes().decode("utf-8-sig"))
    except (YamlError, UnicodeDecodeError):
        pytest.skip("a deliberately broken fixture")
    if to_plain(tree) is None:
        pytest.skip("uses aliases: never kept")
    assert same(through_json(tree), tree)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                    st.floats(allow_nan=True, allow_infinity=True))
KEYS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_any_yaml_document_survives_the_round_trip(value: object) -> None:
    import yaml

    text = yaml.safe_dump({"root": value}, allow_unicode=True)
    try:
        tree = read_yaml(text)
    except YamlError:
        return  # e.g. a YAML 1.1 spelling that 1.2 reads otherwise: not this test's concern
    assert same(through_json(tree), tree)


def test_shared_nodes_are_not_kept() -> None:
    tree = read_yaml("a: &x [1, 2]\nb: *x\n")
    assert to_plain(tree) is None


@pytest.mark.parametrize("bad", [["m", 1, 1, [["k", 1, 1]]], ["x", 1, 1, []], ["s", 1],
                                 {"m": 1}, ["m", 1, 1, [[1, 1, 1, 2, 1, 1]]],
                                 ["m", 1, 1, [["k", 1, 1, 2, 1, 1], ["k", 1, 1, 3, 1, 1]]]])
def test_a_malformed_plain_form_is_refused(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        from_plain(bad)


def test_the_cache_gives_the_same_episode(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(tmp_path / "cache"))
    for path in sorted(builtin_dir().glob("ep*.yaml")):
        fresh = load_episode(path)
        first = load_episode(path, reader=parse_cache.cached_read)  # parses, keeps
        second = load_episode(path, reader=parse_cache.cached_read)  # from the disk
        assert fresh.episode is not None  # (conditions compile to closures: compare reprs)
        assert repr(first.episode) == repr(fresh.episode) == repr(second.episode)
        assert first.findings == fresh.findings == second.findings
    kept = list((tmp_path / "cache" / "parsed").glob("*.json"))
    assert len(kept) == len(list(builtin_dir().glob("*.yaml")))  # the series file too


def test_a_corrupt_entry_is_parsed_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(tmp_path))
    entry = parse_cache.entry(EP00_TEXT)
    entry.parent.mkdir(parents=True)
    for junk in ("{not json", '["m", 1, 1, "oops"]', "[" * 50_000, '"a string"',
                 json.dumps({"text": "another", "tree": "a string"}), '{"tree": 1}'):
        entry.write_text(junk, encoding="utf-8")
        result = load_episode_data(EP00_TEXT, "ep00.yaml", reader=parse_cache.cached_read)
        assert repr(result.episode) == repr(load_episode_data(EP00_TEXT, "ep00.yaml").episode)
    assert json.loads(entry.read_text(encoding="utf-8"))["tree"][0] == "m"  # rewritten


def test_yaml_errors_and_findings_are_those_of_a_fresh_parse(tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              monkeypatch) -> None:
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(tmp_path))
    for text in ("sam_cowboy: 1\nid: [\n", EP00_TEXT.replace("goto:", "gotoo:", 1)):
        for _ in range(2):
            cached = load_episode_data(text, "x.yaml", reader=parse_cache.cached_read)
            assert cached.findings == load_episode_data(text, "x.yaml").findings
            assert cached.findings


def test_an_unwritable_cache_only_means_parsing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("SAM_COWBOY_CACHE_DIR", str(blocker))
    result = load_episode_data(EP00_TEXT, "ep00.yaml", reader=parse_cache.cached_read)
    assert result.episode is not None


PROBE = """
import sys
from sam_cowboy.core.loader import load_episode
from sam_cowboy.parse_cache import cached_read
assert load_episode(sys.argv[1], reader=cached_read).episode is not None
print("yaml" in sys.modules)
"""


def test_a_kept_parse_does_not_import_pyyaml(tmp_path: Path) -> None:
    import os

    env = dict(os.environ, SAM_COWBOY_CACHE_DIR=str(tmp_path))
    path = str(builtin_dir() / "ep01-google-test.yaml")
    runs = [subprocess.run([sys.executable, "-c", PROBE, path], capture_output=True,
                           text=True, env=env, timeout=60) for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]
