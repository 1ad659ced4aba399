"""`focus` (episode) and `habit` (dimension): the format's two debrief extensions."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sam_cowboy.authoring.schema import build_schema
from sam_cowboy.core.loader import load_episode_data, load_series

ROOT = Path(__file__).resolve().parents[2]

EPISODE = """\
sam_cowboy: 1
id: t
title: T
dimensions:
  brand: {label: Brand, habit: "Search your name on Monday."}
  relationship: {label: Relationship}
focus: FOCUS
start: a
scenes:
  a:
    choices:
      - {text: go, goto: z, score: {brand: 1}, feedback: ok}
  z:
    ending: {kind: good}
"""


def _load(focus: str):  # type: ignore[no-untyped-def]
    return load_episode_data(textwrap.dedent(EPISODE).replace("FOCUS", focus), "ep.yaml")


def test_focus_names_a_dimension() -> None:
    result = _load("relationship")
    assert not result.errors
    assert result.episode is not None and result.episode.focus == "relationship"
    assert result.episode.dimensions["brand"].habit is not None


@pytest.mark.parametrize("focus, words", [
    ("relationshp", "unknown dimension `relationshp`"),
    ("3", "must be the id"),
    ("[brand]", "must be the id"),
])
def test_bad_focus_is_one_error_at_its_position(focus: str, words: str) -> None:
    result = _load(focus)
    assert result.episode is None
    assert len(result.errors) == 1
    error = result.errors[0]
    assert words in error.message
    assert (error.line, error.column) == (7, 8), error.format()
    assert error.format().startswith("ep.yaml:7:8: error:")


def test_without_focus_there_is_none() -> None:
    result = load_episode_data(textwrap.dedent(EPISODE).replace("focus: FOCUS\n", ""), "ep.yaml")
    assert result.episode is not None and result.episode.focus is None


def test_schema_knows_focus() -> None:
    props = build_schema()["properties"]
    assert props["focus"]["type"] == "string"


def test_every_series_dimension_has_a_monday_habit_in_french_and_english() -> None:
    series = load_series(ROOT / "episodes" / "series.yaml")
    assert not series.findings
    assert series.dimensions is not None
    for did, dim in series.dimensions.items():
        assert dim.habit is not None, did
        assert set(dim.habit.values) == {"fr", "en"}, did
        assert dim.habit.values["fr"].startswith("Lundi"), did
        assert dim.habit.values["en"].startswith("Monday"), did
        # a habit is an action, not the definition again
        assert dim.description is not None
        assert dim.habit.values["en"] != dim.description.values["en"]
