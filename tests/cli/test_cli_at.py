"""`run --at SCENE --set NAME=VALUE`: test a late scene without replaying the start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "core" / "fixtures" / "ep00-first-invite.yaml"


def sam(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sam_cowboy", *args], capture_output=True,
                          text=True, check=False)


def test_run_at_a_scene_with_preset_variables() -> None:
    out = sam("run", str(FIXTURE), "--at", "invite", "--set", "profile_ready=true",
              "--choice-ids", "personal", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["scenes"] == ["invite", "verdict", "accepted"]
    assert data["ending"] == {"scene": "accepted", "kind": "good"}
    assert data["variables"] == {"profile_ready": True, "invitations": 1}
    assert data["test"] is True


def test_a_normal_run_is_not_marked_as_a_test() -> None:
    data = json.loads(sam("run", str(FIXTURE), "--choices", "1,2", "--json").stdout)
    assert "test" not in data


def test_without_the_preset_the_route_goes_elsewhere() -> None:
    data = json.loads(sam("run", str(FIXTURE), "--at", "invite", "--choice-ids", "personal",
                          "--json").stdout)
    assert data["ending"]["scene"] == "ignored"


def test_bad_at_and_set_are_usage_errors_with_a_suggestion() -> None:
    for args, words in ((["--at", "invit"], "did you mean `invite`"),
                        (["--set", "profile_redy=true"], "did you mean `profile_ready`"),
                        (["--set", "invitations=many"], "whole number"),
                        (["--set", "profile_ready=yes"], "true or false"),
                        (["--set", "noequals"], "NAME=VALUE")):
        out = sam("run", str(FIXTURE), *args)
        assert out.returncode == 2, args
        assert words in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
