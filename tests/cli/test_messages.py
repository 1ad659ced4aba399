"""Every interface string exists in French and English, with the same `{values}` in both."""

from __future__ import annotations

import string

import pytest

from sam_cowboy.messages import LANGUAGES, MESSAGES, lookup
from sam_cowboy.workshop.texts import TEXTS

TABLES = {"messages": MESSAGES, "workshop": TEXTS}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", list(TABLES))
def test_every_string_is_in_both_languages_with_the_same_values(table: str) -> None:
    for key, entry in TABLES[table].items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert fields(entry["fr"]) == fields(entry["en"]), key


def test_lookup_falls_back_to_english_and_fills_values() -> None:
    table = {"hello": {"en": "Hello {name}", "fr": ""}}
    assert lookup(table, "hello", "fr", name="[bold]Eve") == "Hello [bold]Eve"
    assert lookup(table, "hello", "de", name="Bo") == "Hello Bo"
