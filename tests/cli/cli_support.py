"""Running the `sam-cowboy` command in a subprocess, as users and scripts do."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "core" / "fixtures"
EP00 = FIXTURES / "ep00-first-invite.yaml"
SCRIPT = Path(sys.executable).parent / "sam-cowboy"
PRIVATE_DATA = tempfile.mkdtemp(prefix="sam-cowboy-cli-data-")
LINE_RE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): "
                     r"(?P<msg>.+)$")


@dataclass
class Done:
    code: int
    out: str
    err: str
    seconds: float


def sam(*args: str, stdin: str | None = None, cwd: Path | None = None,
        timeout: float = 60) -> Done:
    env = {"SAM_COWBOY_DATA_DIR": PRIVATE_DATA,  # never the user's saves and results
           **os.environ, "LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "C.UTF-8",
           "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "sam_cowboy", *args], input=stdin,
                          capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env,
                          encoding="utf-8", errors="replace")
    done = Done(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - t0)
    assert "Traceback" not in done.err, done.err
    return done


def one_line_error(done: Done) -> str:
    """A failure prints one clear line on stderr."""
    lines = [line for line in done.err.splitlines() if line.strip()]
    assert len(lines) == 1, done.err
    return lines[0]
