from __future__ import annotations

import pytest

from sam_cowboy.cli import UsageError
from sam_cowboy.commands.common import check_scene, parse_presets
from sam_cowboy.core import engine
from sam_cowboy.core.loader import load_episode

from .conftest import ODD


def episode():  # type: ignore[no-untyped-def]
    return load_episode(ODD / "conditions.yaml").episode


def test_typed_values() -> None:
    assert parse_presets(episode(), ["ready=TRUE", "mood=bold = x"]) == {
        "ready": True, "mood": "bold = x"}
    assert parse_presets(load_episode(ODD / "loops.yaml").episode, ["calls=2"]) == {"calls": 2}


@pytest.mark.parametrize("item, message", [
    ("ready", "NAME=VALUE"), ("redy=true", "did you mean `ready`"), ("ready=yes", "true or false"),
])
def test_errors(item, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=message):
        parse_presets(episode(), [item])


def test_begin_at_is_a_test_run() -> None:
    ep = episode()
    state, _ = engine.begin(ep, "middle", parse_presets(ep, ["ready=true", "mood=bold"]))
    assert state.scene == "middle" and state.test
    with pytest.raises(UsageError, match="no scene `midle`"):
        check_scene(ep, "midle")
