"""Running `sam-cowboy` with a private results store and a fixed date."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def sam(db: Path, *args: str, stdin: str | None = None, today: str | None = None,
        player: str | None = "ana") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "",
           "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "SAM_COWBOY_DB": str(db)}
    env.pop("SAM_COWBOY_TODAY", None)
    if today is not None:
        env["SAM_COWBOY_TODAY"] = today
    extra = ["--player", player] if player and args and args[0] == "play" else []
    done = subprocess.run([sys.executable, "-m", "sam_cowboy", *args, *extra], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120,
                          encoding="utf-8", errors="replace")
    assert "Traceback" not in done.stderr, done.stderr
    return done
