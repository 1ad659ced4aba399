"""Instructions per key press, counted by valgrind's callgrind (a script that prints figures).

Wall-clock times on a shared machine drift by a third within minutes; instruction counts do
not. Each app runs twice under callgrind, without key presses and with PRESSES of them; the
difference divided by PRESSES is what one key press costs, start-up excluded:

- sam-cowboy: the benchmark chain of scenes that differ (benchmarks/tui_startup.py), key 1
  (a choice without feedback) bringing the next scene, 80x24, the cycle collector as the
  app sets it once idle;
- a bare Textual app whose key press changes its one line.

Needs valgrind (Debian package `valgrind`); takes 2-4 minutes on two cores.
Usage: python benchmarks/key_instructions.py [--presses N]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent


async def _press(app, key: str, changed) -> None:  # type: ignore[no-untyped-def]
    from textual import events

    app.post_message(events.Key(key, key))
    while not changed():
        await asyncio.sleep(0)
    for _ in range(3):  # let the frame and the work after it (autosave) finish
        await asyncio.sleep(0.02)


async def _bare(presses: int) -> None:
    sys.path.insert(0, str(HERE))
    from tui_startup import bare_key_app

    app = bare_key_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        for _ in range(presses):
            n = app.n
            await _press(app, "1", lambda n=n: app.n != n)


async def _sam(presses: int) -> None:
    sys.path.insert(0, str(HERE))
    from tui_startup import chain_episode

    from sam_cowboy.core.analysis import analyse
    from sam_cowboy.core.loader import load_episode
    from sam_cowboy.tui import gc_hold
    from sam_cowboy.tui.app import create_app

    data = Path(tempfile.mkdtemp(prefix="sam-bench-"))
    episode = load_episode(chain_episode(data)).require()
    app = create_app(episode=episode, analysis=analyse(episode), lang="en", player="bench",
                     data_dir=data, builtin=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.2)
        gc_hold.hold()
        gc_hold.release()  # the collector's settings once the app is idle
        for _ in range(presses):
            screen = app.screen
            before = screen.run.state.scene
            await _press(app, "1", lambda s=screen, b=before: s.run.state.scene != b)


def _count(app: str, presses: int) -> int:
    out = Path(tempfile.mkdtemp()) / "callgrind.out"
    done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                           sys.executable, __file__, "--child", app, str(presses)],
                          capture_output=True, text=True, cwd=tempfile.gettempdir())
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind failed: {done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        app, presses = args.child[0], int(args.child[1])
        asyncio.run(_bare(presses) if app == "bare" else _sam(presses))
        return
    runs = [(app, n) for app in ("bare", "sam") for n in (0, args.presses)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = dict(zip(runs, pool.map(lambda run: _count(*run), runs), strict=True))
    per_press = {app: (counts[(app, args.presses)] - counts[(app, 0)]) / args.presses
                 for app in ("bare", "sam")}
    print(f"instructions per key press ({args.presses} presses, start-up subtracted):")
    print(f"  bare Textual app, one line changed: {per_press['bare'] / 1e6:7.1f} M")
    print(f"  sam-cowboy, next scene of the chain: {per_press['sam'] / 1e6:7.1f} M "
          f"({per_press['sam'] / per_press['bare']:.0f}x the bare app)")


if __name__ == "__main__":
    main()
