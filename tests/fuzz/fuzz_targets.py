"""What the fuzz suite runs on each generated episode: the loader, the analysis, the engine and
every command that reads an episode, each checked for the same promises."""

from __future__ import annotations

import contextlib
import io
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

from sam_cowboy import cli
from sam_cowboy.core import engine
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import LoadResult, load_episode_data

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MEMORY_CONSTANT = 150 * 1024 * 1024

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("check",), ("check", "--json"), ("run", "--choices", "1,2,1,1"), ("run", "--json"),
    ("run", "--choice-ids", "c0,c1"), ("play", "--plain"), ("play", "--plain", "--practice"),
    ("stats",), ("stats", "--json"), ("graph",), ("graph", "--format", "dot"),
    ("randomtest", "-n", "5"), ("i18n", "export", "--lang", "fr"),
)


class Broken(AssertionError):
    """A promise broken: what, on which command."""


def check_library(text: str) -> LoadResult:
    """Loader, analysis and engine in this process: only findings, never an exception."""
    result = load_episode_data(text, "fuzz.yaml")
    for f in result.findings:
        if f.line < 1 or f.column < 1 or not f.message:
            raise Broken(f"finding without a position: {f}")
    episode = result.episode
    if episode is None:
        return result
    analysis = analyse(episode, max_states=20_000)
    for f in analysis.findings:
        if f.line < 1 or f.column < 1:
            raise Broken(f"analysis finding without a position: {f}")
    try:  # the engine's own error (a route loop the analysis reports) is a clean refusal
        state, _ = engine.begin(episode)
        for step in range(50):
            shown = engine.choices_shown(episode, state)
            if not shown:
                break
            state, _ = engine.choose(episode, state, shown[step % len(shown)].id)
    except engine.EngineError:
        if analysis.bounds is not None and not any(f.severity == "error"
                                                   for f in analysis.findings):
            raise
    return result


def run_cli(path: Path, args: tuple[str, ...], stdin: str = "1\n2\n1\n1\n1\n") -> tuple[int, str]:
    """One command in this process, as `sam-cowboy` runs it; its exit code and output."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([args[0], *args[1:], str(path)] if args[0] != "i18n"
                            else [*args, str(path)])
    finally:
        sys.stdin = saved
    return code, out.getvalue() + err.getvalue()


def check_commands(path: Path) -> None:
    for args in COMMANDS:
        code, output = run_cli(path, args)
        if code not in (0, 1, 2):
            raise Broken(f"{' '.join(args)}: exit {code}\n{output[-1000:]}")
        found = CONTROL.search(output)
        if found:
            raise Broken(f"{' '.join(args)}: {found.group()!r} printed\n{output[-1000:]}")
        if "Traceback" in output or "please report" in output:
            raise Broken(f"{' '.join(args)}: internal error\n{output[-1000:]}")


def check_memory(path: Path, workdir: Path) -> None:
    """check, run and play --plain in subprocesses held to 10x the file's size + a constant."""
    limit = 10 * path.stat().st_size + MEMORY_CONSTANT

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args in (("check",), ("run", "--choices", "1,1,1"), ("play", "--plain"), ("stats",)):
        done = subprocess.run([sys.executable, "-m", "sam_cowboy", args[0], str(path),
                               *args[1:]], capture_output=True, text=True, input="1\n1\n",
                              preexec_fn=limited, env=env, timeout=300, cwd=workdir,
                              encoding="utf-8", errors="replace")
        if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr \
                or "MemoryError" in done.stderr:
            raise Broken(f"{args[0]} under {limit // 2**20} MiB: exit {done.returncode}\n"
                         f"{done.stderr[-1500:]}")
