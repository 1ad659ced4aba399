from __future__ import annotations

import json

import pytest

from sam_cowboy.authoring.schema import build_schema, schema_text, shipped_schema_text
from sam_cowboy.core.yamlread import read_yaml

from .conftest import ODD

jsonschema = pytest.importorskip("jsonschema")


def validator():  # type: ignore[no-untyped-def]
    schema = json.loads(shipped_schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_copy_is_up_to_date() -> None:
    assert shipped_schema_text() == schema_text(), \
        "run `python -m sam_cowboy.authoring.schema` to regenerate episode.schema.json"
    assert build_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_builtin_episodes_validate(builtin) -> None:  # type: ignore[no-untyped-def]
    doc = read_yaml(builtin.read_text(encoding="utf-8"))
    errors = [e.message for e in validator().iter_errors(doc)]
    assert errors == []


def test_odd_and_new_episodes_validate(cli, tmp_path, odd) -> None:  # type: ignore[no-untyped-def]
    assert list(validator().iter_errors(read_yaml(odd.read_text()))) == []
    cli("new", "fresh", "--dir", str(tmp_path), "--lang", "fr,en")
    assert list(validator().iter_errors(read_yaml((tmp_path / "fresh.yaml").read_text()))) == []


BASE = (ODD / "conditions.yaml").read_text()


@pytest.mark.parametrize("old, new", [
    ("    choices:\n      - id: prepare", "    choises:\n      - id: prepare"),  # typo'd key
    ("title: {fr: \"Conditions\"", "titel: {fr: \"Conditions\""),  # typo'd top key
    ("ending: {kind: good,", "ending: {kind: great,"),  # bad ending kind
    ("        goto: stuck\n", "        got: stuck\n"),  # goto missing
    ("      - id: hope\n", "      - id: hope\n        once: \"yes\"\n"),  # once not a bool
    ("score: {insight: 2}", "score: {insight: \"two\"}"),  # score not a number
    ("  lose:\n    text:", "  lose:\n    choices: []\n    text:"),  # choices and ending
    ("id: odd-conditions", "id: Odd_Conditions"),  # bad id
    ("languages: [fr, en]", "languages: french"),  # not a list
    ("sam_cowboy: 1", "sam_cowboy: 2"),  # version
])
def test_typical_typos_fail(old, new) -> None:  # type: ignore[no-untyped-def]
    assert old in BASE
    doc = read_yaml(BASE.replace(old, new, 1))
    assert list(validator().iter_errors(doc)), f"{new!r} should fail the schema"


def test_x_keys_are_allowed() -> None:
    doc = read_yaml(BASE.replace("  island:\n", "  island:\n    x-todo: [anything]\n")
                    + "x-translations: {en: {from: fr}}\n")
    assert list(validator().iter_errors(doc)) == []


def test_schema_command(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("schema")
    assert code == 0 and json.loads(out)["title"].startswith("sam-cowboy episode")
    target = tmp_path / "episode.schema.json"
    code, _, _ = cli("schema", "-o", str(target))
    assert code == 0 and json.loads(target.read_text()) == json.loads(out)
    code, _, _ = cli("schema", "-o", str(tmp_path / "new" / "folder" / "schema.json"))
    assert code == 0 and (tmp_path / "new" / "folder" / "schema.json").is_file()
    code, _, err = cli("schema", "-o", str(target / "inside-a-file.json"))
    assert code == 2 and "cannot write" in err and "Traceback" not in err
