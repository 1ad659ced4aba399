"""Memory of check, run, play --plain and stats stays under 10x the file's size plus a
constant, enforced by the kernel (RLIMIT_AS) in a subprocess (issue 15, items 2 and 5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")

CONSTANT = 150 * 1024 * 1024  # the interpreter and the tool, measured at ~100 MB of address space
FIXTURE = Path(__file__).resolve().parents[1] / "core" / "fixtures" / "ep00-first-invite.yaml"
COMMANDS = (["check"], ["run", "--choices", "1,1"], ["play", "--plain"], ["stats"])


def files(root: Path) -> dict[str, Path]:
    good = FIXTURE.read_text("utf-8")
    big = "x " * 40_000
    alias = good.replace(
        'summary: {fr: "Sam veut inviter un prospect.", en: "Sam wants to invite a prospect."}',
        'summary: &big {fr: "' + big + '", en: "' + big + '"}')
    alias = alias.replace('text: {fr: "Pas de réponse.", en: "No answer."}', "text: *big")
    alias = alias.replace('text: {fr: "Invitation acceptée.", en: "Invitation accepted."}',
                          "text: *big")
    bomb = ["a0: &a0 [" + ", ".join(["x" * 1000] * 10) + "]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    out = {
        "alias": alias,  # valid: plays, with an 80,000-character text repeated
        "bomb": "\n".join(bomb) + "\n",
        "flat": "a:\n" + "- 1\n" * 1_000_000,  # just under the size limit, many values
        "placeholders": good.replace("Sam opens LinkedIn.", "{zz}" * 900_000),
        "long-text": good.replace("Sam opens LinkedIn.", "Sam opens LinkedIn. " + "word " * 700_000),
    }
    paths = {}
    for name, text in out.items():
        paths[name] = root / f"{name}.yaml"
        paths[name].write_text(text, "utf-8")
    sparse = root / "sparse.yaml"
    with open(sparse, "wb") as f:
        f.truncate(3 * 1024**3)
    paths["sparse"] = sparse
    return paths


def run_limited(args: list[str], limit: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "SAM_COWBOY_DATA_DIR": str(cwd / "data"),
           "SAM_COWBOY_DB": str(cwd / "results.sqlite3"), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sam_cowboy", *args], capture_output=True,
                          text=True, input="1\n1\n1\n", preexec_fn=limit_memory, env=env,
                          timeout=300, cwd=cwd)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced as such on Linux")
@pytest.mark.parametrize("name", ["alias", "bomb", "flat", "placeholders", "long-text",
                                  "sparse"])
def test_memory_is_bounded(tmp_path: Path, name: str) -> None:
    path = files(tmp_path)[name]
    size = min(path.stat().st_size, 4 * 1024 * 1024)  # a larger file is refused unread
    limit = 10 * size + CONSTANT
    for command in COMMANDS:
        done = run_limited([*command[:1], str(path), *command[1:]], limit, tmp_path)
        assert done.returncode in (0, 1, 2), (command, done.stderr[-2000:])
        assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
        if done.returncode != 0:  # said, with a position
            assert f"{path}:" in done.stdout + done.stderr
