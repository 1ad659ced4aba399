"""Instructions per key press, counted by valgrind's callgrind (a script that prints figures).

Wall-clock times on a shared machine drift by a third within minutes; instruction counts do
not. Callgrind counts only from the moment a key is posted to the moment the frame it
brings is drawn and turned into terminal output: start-up, the pauses between presses and
the work the app does while the player reads (the autosave) are
left out, as they are from the wall-clock benchmark. Collection is switched on and off by
callgrind's client requests, from a two-line C helper built here with gcc.

Measured, each in its own process under callgrind:
- the six built-in episodes' best runs at 80x24 (`tui_startup.builtin_latency`): every
  key press, the choices that show a consequence and the keys that bring a scene;
- the bare Textual app whose key press changes its one line (`tui_startup.key_latency`,
  its last presses);
- with --chain, the benchmark chain of scenes that differ (the same function's first).

Valgrind runs the app about fifty times slower: each press waits READ seconds first, so
the work after a frame is done as it would be for a player. Needs valgrind and gcc (Debian
packages `valgrind` and `gcc`); takes about 8 minutes on two cores, 12 with --chain.
Usage: python benchmarks/key_instructions.py [--chain]
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
READ = 1.5  # seconds under valgrind before each press (about 30 ms at full speed)
HELPER = """#include <valgrind/callgrind.h>
void toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
"""


def build_helper(folder: Path) -> Path:
    source, library = folder / "toggle.c", folder / "libtoggle.so"
    source.write_text(HELPER)
    done = subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(library), str(source)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"gcc could not build the callgrind helper: {done.stderr}")
    return library


def count_presses(helper: Path, measure: str) -> None:
    """In the child: play `measure` with callgrind collecting inside each press only."""
    sys.path.insert(0, str(HERE))
    import tui_startup

    toggle = ctypes.CDLL(str(helper)).toggle
    presses = 0

    def on_press(app, posted: bool) -> None:  # type: ignore[no-untyped-def]
        """Collect from the post of each counted press (on) to its frame (off)."""
        nonlocal presses
        if (type(app).__name__ == "Bare") == (measure == "bare"):
            presses += posted
            toggle()

    tui_startup.READ_BEFORE = READ
    tui_startup.ON_PRESS = on_press
    data = Path(tempfile.mkdtemp(prefix="sam-bench-"))
    if measure == "builtin":
        asyncio.run(tui_startup.builtin_latency(data))
    else:
        asyncio.run(tui_startup.key_latency(tui_startup.chain_episode(data), data))
    print(f"presses {presses}")


def _count(helper: Path, measure: str) -> float:
    """Instructions per press counted."""
    out = Path(tempfile.mkdtemp()) / "callgrind.out"
    done = subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                           f"--callgrind-out-file={out}", sys.executable, __file__,
                           "--child", str(helper), measure],
                          capture_output=True, text=True, cwd=tempfile.gettempdir())
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    presses = re.search(r"presses (\d+)", done.stdout)
    if done.returncode != 0 or found is None or presses is None:
        raise SystemExit(f"callgrind failed: {done.stderr[-2000:]}")
    return int(found.group(1)) / int(presses.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chain", action="store_true", help="count the chain's presses too")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        count_presses(Path(args.child[0]), args.child[1])
        return
    helper = build_helper(Path(tempfile.mkdtemp(prefix="sam-cg-")))
    measures = ["builtin", "bare"] + (["chain"] if args.chain else [])
    with ThreadPoolExecutor(max_workers=2) as pool:
        per_press = dict(zip(measures, pool.map(lambda m: _count(helper, m), measures),
                             strict=True))
    bare = per_press["bare"]
    print("instructions from a key press to its frame drawn (callgrind), per press:")
    for measure, label in (("builtin", "six built-in episodes' best runs, 80x24"),
                           ("chain", "the benchmark chain, 80x24"),
                           ("bare", "bare Textual app, one line changed")):
        if measure not in per_press:
            continue
        ratio = f" ({per_press[measure] / bare:.1f}x the bare app)" if measure != "bare" else ""
        print(f"  {label + ':':42s} {per_press[measure] / 1e6:6.1f} M{ratio}")

if __name__ == "__main__":
    main()
