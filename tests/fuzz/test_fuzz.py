"""Fuzzing every entry point with generated episodes (issue 15): valid ones, mutations (dropped
keys, wrong types, hostile unicode, random expressions) and raw-text edits (aliases, cuts).

Checked on each: the loader gives findings with positions, never an exception; the analysis
and the engine run; every command exits 0, 1 or 2, prints no traceback and no control
character; check/run/play --plain/stats stay under 10x the file's size + a constant.

A short budget runs with the tests; the long run is `pytest -m fuzz` (SAM_COWBOY_FUZZ_MINUTES,
default 30; findings also written to SAM_COWBOY_FUZZ_REPORT).
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from fuzz_strategies import hostile_episodes
from fuzz_targets import check_commands, check_library, check_memory
from hypothesis import HealthCheck, given, settings

SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _in_file(check: Callable[[Path], None]) -> Callable[[str], None]:
    def run(text: str) -> None:
        with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
            path = Path(folder) / "ep.yaml"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            check(path)
    return run


def library_case(text: str) -> None:
    check_library(text)


commands_case = _in_file(check_commands)
memory_case = _in_file(lambda path: check_memory(path, path.parent))


def _hypothesis(case: Callable[[str], None], examples: int) -> Callable[[], None]:
    @settings(max_examples=examples, deadline=None, suppress_health_check=SUPPRESS,
              database=None)
    @given(hostile_episodes())
    def test(text: str) -> None:
        case(text)
    return test


# ------------------------------------------------------------------ short budget, every run

def test_loader_analysis_engine_on_generated_episodes() -> None:
    _hypothesis(library_case, 40)()


def test_every_command_on_generated_episodes() -> None:
    _hypothesis(commands_case, 6)()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="resource limits need POSIX")
def test_memory_on_generated_episodes() -> None:
    _hypothesis(memory_case, 2)()


# ------------------------------------------------------------------ the long run: -m fuzz

@pytest.mark.fuzz
def test_long_fuzz() -> None:
    minutes = float(os.environ.get("SAM_COWBOY_FUZZ_MINUTES", "30"))
    report = Path(os.environ.get("SAM_COWBOY_FUZZ_REPORT", "fuzz-report.txt"))
    end = time.monotonic() + minutes * 60
    rounds: dict[str, int] = {}
    failures: list[str] = []
    plan = [("library", library_case, 200), ("commands", commands_case, 20),
            ("memory", memory_case, 3)]
    with report.open("a", encoding="utf-8") as log:
        log.write(f"--- fuzz run of {minutes:g} min started {time.ctime()}\n")
        while time.monotonic() < end:
            for name, case, examples in plan:
                try:
                    _hypothesis(case, examples)()
                except Exception as e:  # logged, then the run goes on to find more
                    notes = "\n".join(getattr(e, "__notes__", []))
                    text = (f"[{name}] {type(e).__name__}: {str(e)[:1500]}\n{notes[:3000]}\n"
                            + "".join(traceback.format_exception(e)[-6:]))
                    failures.append(text)
                    log.write(text + "\n")
                    log.flush()
                rounds[name] = rounds.get(name, 0) + examples
        log.write(f"--- ended {time.ctime()}: examples tried {rounds}; "
                  f"{len(failures)} failure(s)\n")
    assert not failures, f"{len(failures)} failure(s), see {report}:\n" + failures[0]
