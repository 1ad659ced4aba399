"""How fast the terminal app starts and answers a key (a script that prints figures, not a test).

1. Process start to the first scene on screen, as a ratio to a bare Textual app showing one
   line, measured in the same run (median and best of N alternated runs). Also reported:
   start to the intro, the first screen a player sees. The app is opened by
   `sam-cowboy play EPISODE` itself (`cli.main`, headless 80x24): the command line, the
   loader, the app; the analysis runs in a worker as it does for a player. The intro's Start
   is pressed as soon as the intro is mounted.
2. Key press to the next scene rendered (the frame written out), in-process: median ms over
   a chain of scenes, both after a choice without feedback and after Enter on a
   consequence, beside the same measure for a bare Textual app whose key press changes one
   line. The CPU time of each span is printed too: on a loaded machine it stays put while
   the wall time grows with the wait for a core. Then every key press that brings a new
   scene along the best run of each built-in episode (real texts, cards and choices).
   Each press follows a pause of 50 ms, as a reader's would (a reader takes seconds): the
   app's work after a frame (the autosave) is done by then.

Usage: python benchmarks/tui_startup.py [EPISODE.yaml] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "tui" / "episodes" / "cards.yaml"

BARE_CHILD = """
import sys, time
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("Sam the Social Cowboy")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print("bare", time.time()); self.exit()
Bare().run(headless=True, size=(80, 24))
"""

SAM_CHILD = """
import sys, time
import sam_cowboy.tui.run as tui_run
_run_app = tui_run.run_app
def run_app(*args, **kwargs):  # hooks installed where the command imports the app itself
    from textual.app import App
    _run = App.run
    App.run = lambda self, **kw: _run(self, headless=True, size=(80, 24))
    from sam_cowboy.tui.screens import intro, scene
    _intro_mount, _scene_mount = intro.IntroScreen.on_mount, scene.SceneScreen.on_mount
    def intro_mount(self):
        _intro_mount(self)
        self.call_after_refresh(lambda: (print("intro", time.time()), self.action_start()))
    def scene_mount(self):
        _scene_mount(self)
        self.call_after_refresh(lambda: (print("scene", time.time()), self.app.exit()))
    intro.IntroScreen.on_mount = intro_mount
    scene.SceneScreen.on_mount = scene_mount
    return _run_app(*args, **kwargs)
tui_run.run_app = run_app
from sam_cowboy.cli import main
main(["play", sys.argv[1], "--lang", "en", "--player", "bench"])
"""


PYCACHE = tempfile.mkdtemp(prefix="sam-bench-pyc-")


def child(code: str, *args: str) -> dict[str, float]:
    """Seconds from spawning the child to each frame it reports drawn (`name time` lines).

    Bytecode is cached (in a temporary prefix) as a pip install would have compiled it: with
    PYTHONDONTWRITEBYTECODE set, an editable checkout would recompile its own modules on
    every start while the bare app's Textual is read from its .pyc files.
    """
    env = dict(os.environ, SAM_COWBOY_DATA_DIR=args[-1] if args else tempfile.mkdtemp(),
               PYTHONPYCACHEPREFIX=PYCACHE)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, cwd=tempfile.gettempdir())  # the installed package, not the checkout
    marks = {}
    for line in out.stdout.splitlines():
        name, _, value = line.partition(" ")
        if name in ("bare", "intro", "scene") and value.replace(".", "").isdigit():
            marks[name] = float(value) - start
    if out.returncode != 0 or not marks:
        raise SystemExit(f"child failed: {out.stderr[-2000:]}")
    return marks


CARDS = [
    "{kind: post, author: Claire Morel, body: \"Our delivery times fell 20% this year.\", "
    "reactions: 42 reactions}",
    "{kind: profile, name: Sam Martin, headline: \"Sales rep | 12 years of experience\", "
    "about: \"Results-driven professional. Team player. Open to opportunities.\"}",
    "{kind: message, from: Sam, to: Claire Morel, body: \"Hello Claire, can we meet on "
    "Thursday to present our solution?\"}",
    "{kind: email, from: Claire Morel, to: Sam, subject: \"Re: our call\", body: \"Thank "
    "you Sam. Send me the figures first, please.\"}",
    "{kind: note, body: \"Ask before you pitch. Listen more than you talk.\"}",
]
SENTENCE = ("Sam reads a **post** from a prospect and wonders what to write. The meeting is "
            "on Thursday; his profile still reads like a CV. ")


def chain_episode(folder: Path, scenes: int = 40) -> Path:
    """A long chain of scenes, each unlike the last (text of one to three sentences, one of
    the five card kinds in turn, choices of changing length) with three choices: no feedback
    on choice 1, feedback and a score on choices 2 and 3."""
    lines = ["sam_cowboy: 1", "id: bench-chain", "title: Chain", "languages: [en]",
             "dimensions:", "  brand: {label: Brand}", "  relationship: {label: Relationship}",
             "start: s0", "scenes:"]
    for i in range(scenes):
        nxt = f"s{i + 1}" if i + 1 < scenes else "end"
        tail = " and see what she answers" * (i % 3)
        lines += [f"  s{i}:", f"    title: Scene {i}",
                  f"    text: \"{(SENTENCE * (1 + i % 3)).strip()}\"",
                  f"    card: {CARDS[i % len(CARDS)]}",
                  "    choices:",
                  f"      - {{id: a, text: \"Read her profile first{tail}\", goto: {nxt}}}",
                  f"      - {{id: b, text: \"Comment with a question\", score: {{brand: 1}}, "
                  f"feedback: \"Good: a question opens a conversation.\", goto: {nxt}}}",
                  f"      - {{id: c, text: \"Pitch the product{tail}\", "
                  f"score: {{relationship: -1}}, feedback: Hmm., goto: {nxt}}}"]
    lines += ["  end:", "    text: Done.", "    ending: {kind: good}"]
    path = folder / "chain.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


CPU: list[float] = []  # CPU milliseconds of each measured key press, in step with the result
READ_BEFORE = 0.0  # seconds to wait before each press (key_instructions.py: under valgrind)
ON_PRESS: Callable[[Any, bool], None] | None = None  # (app, True) at the post, False at the frame


async def _press_until_drawn(app, key: str, changed) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds from a key event to the first frame drawn once `changed()` holds.

    The CPU time the process spent over the same span goes to CPU: on a shared machine the
    wall time includes waiting for a core, the CPU time does not."""
    from textual import events

    if READ_BEFORE:
        await asyncio.sleep(READ_BEFORE)
    drawn: list[tuple[float, float]] = []  # (wall, CPU) once the frame is drawn
    original = app._display

    def display(screen, renderable):  # type: ignore[no-untyped-def]
        result = original(screen, renderable)
        if renderable is not None:  # what a terminal would be sent (headless skips it)
            renderable.render_segments(app.console)
        if not drawn and changed():
            drawn.append((time.perf_counter(), time.process_time()))
            if ON_PRESS is not None:
                ON_PRESS(app, False)
        return result

    app._display = display
    if ON_PRESS is not None:
        ON_PRESS(app, True)
    c0 = time.process_time()
    t0 = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    while not drawn:
        await asyncio.sleep(0)
        if time.perf_counter() - t0 > 5 + 100 * READ_BEFORE:
            raise SystemExit("no frame drawn after the key press")
    app._display = original
    CPU.append((drawn[0][1] - c0) * 1000)
    return (drawn[0][0] - t0) * 1000


def bare_key_app():  # type: ignore[no-untyped-def]
    """A bare Textual app whose key 1 changes its one line (`app.n` counts the presses)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        BINDINGS = [("1", "next")]
        n = 0

        def compose(self) -> ComposeResult:
            yield Static("Scene 0", id="s")

        def action_next(self) -> None:
            self.n += 1
            self.query_one("#s", Static).update(f"Scene {self.n}")

    return Bare()


Timings = dict[str, tuple[list[float], list[float]]]  # measure -> (wall ms, CPU ms) per press


async def key_latency(path: Path, data: Path) -> Timings:

    from sam_cowboy.core.analysis import analyse
    from sam_cowboy.core.loader import load_episode
    from sam_cowboy.tui.app import create_app

    episode = load_episode(path).require()
    app = create_app(episode=episode, analysis=analyse(episode), lang="en", player="bench",
                     data_dir=data, builtin=False)
    timings: Timings = {name: ([], []) for name in ("plain", "feedback", "bare")}

    def keep(name: str, wall: float) -> None:
        timings[name][0].append(wall)
        timings[name][1].append(CPU[-1])

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.2)
        for i in range(36):
            screen = app.screen
            before = screen.run.state.scene
            if i % 2 == 0:  # a choice without feedback: straight to the next scene
                keep("plain", await _press_until_drawn(
                    app, "1", lambda s=screen, b=before: s.run.state.scene != b))
            else:  # a choice with feedback, then Enter: the next scene
                await pilot.press("2")
                await pilot.pause(0.05)  # the player reads the consequence
                keep("feedback", await _press_until_drawn(
                    app, "enter", lambda s=screen: not s.feedback_mode))
            await pilot.pause(0.05)  # let the autosave and idle work pass, like a reader

    bare_app = bare_key_app()
    async with bare_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(36):
            n = bare_app.n
            keep("bare", await _press_until_drawn(bare_app, "1",
                                                  lambda n=n: bare_app.n != n))
            await pilot.pause(0.05)
    return timings


async def builtin_latency(data: Path) -> list[float]:
    """Every key press that brings a new scene along the best run of each built-in episode,
    at 80x24: real texts, cards and choices (milliseconds)."""
    from sam_cowboy.core.analysis import analyse
    from sam_cowboy.core.loader import load_episode
    from sam_cowboy.library import builtin_dir, episode_files
    from sam_cowboy.tui.app import create_app

    times: list[float] = []
    for file in episode_files(builtin_dir()):
        episode = load_episode(file).require()
        analysis = analyse(episode)
        app = create_app(episode=episode, analysis=analysis, lang="en", player="bench",
                         data_dir=data, builtin=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause(0.2)
            assert analysis.best_run is not None
            path = [choice for _, choice in analysis.best_run.path]
            for index, choice in enumerate(path):
                screen = app.screen
                key = str([c.id for c in screen.run.shown].index(choice) + 1) \
                    if not screen.compose_mode else "enter"
                if screen.compose_mode:  # the fragments first (timed apart), Enter sends
                    await compose_presses(app, screen, choice)
                before = screen.run.state.scene
                wall = await _press_until_drawn(
                    app, key,
                    lambda s=screen, b=before: s.feedback_mode or s.run.state.scene != b)
                if index + 1 == len(path):
                    break  # the last choice ends the episode: the debrief is not a scene
                if not screen.feedback_mode:
                    times.append(wall)
                else:
                    await pilot.pause(0.05)  # the player reads the consequence
                    times.append(await _press_until_drawn(
                        app, "enter", lambda s=screen: not s.feedback_mode))
                await pilot.pause(0.05)
    return times


PICKS: list[tuple[float, float]] = []  # (wall, CPU) ms of each fragment picked


async def compose_presses(app, screen, message: str) -> None:  # type: ignore[no-untyped-def]
    """Pick a message's fragments by number in a compose scene, each press timed."""
    from sam_cowboy.core import engine

    offered = [f.id for f in engine.fragments_shown(screen.run.episode, screen.run.state)]
    picker = screen.query_one("#compose")
    for fragment in message.split("+"):
        count = len(picker.picked)
        wall = await _press_until_drawn(app, str(offered.index(fragment) + 1),
                                        lambda c=count: len(picker.picked) != c)
        PICKS.append((wall, CPU[-1]))
        await asyncio.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("episode", nargs="?", default=str(SMALL))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="sam-bench-"))
    child(BARE_CHILD)  # warm the file cache and bytecode
    child(SAM_CHILD, args.episode, str(data))
    bare, intro, scene = [], [], []
    for _ in range(args.runs):
        bare.append(child(BARE_CHILD)["bare"])
        marks = child(SAM_CHILD, args.episode, str(data))
        intro.append(marks["intro"])
        scene.append(marks["scene"])
    b = statistics.median(bare)
    print(f"episode: {args.episode}  ({args.runs} alternated runs; median, and best run)")
    print(f"start to first frame, bare Textual app:          {b * 1000:4.0f} ms, best "
          f"{min(bare) * 1000:.0f} ms")
    for label, times in (("intro (first screen)", intro), ("first scene (Start pressed)", scene)):
        m = statistics.median(times)
        print(f"start to {label + ',':28s} sam-cowboy: {m * 1000:4.0f} ms, best "
              f"{min(times) * 1000:.0f} ms; ratio {m / b:.2f} (best runs {min(times) / min(bare):.2f})")
    print("target for the first scene: ratio <= 2")
    timings = asyncio.run(key_latency(chain_episode(data), data))
    print("key press to the frame drawn, in-process (median wall ms; median CPU ms):")
    for name, label in (("plain", "a choice without feedback -> next scene"),
                        ("feedback", "Enter on a consequence -> next scene"),
                        ("bare", "bare Textual app, one line changed")):
        wall, cpu = timings[name]
        print(f"  {label + ':':42s} {statistics.median(wall):5.1f} ms; CPU "
              f"{statistics.median(cpu):5.1f} ms")
    real = asyncio.run(builtin_latency(data))
    print(f"  {'the six built-in episodes, best runs:':42s} {statistics.median(real):5.1f} ms "
          f"({len(real)} key presses, each bringing a new scene)")
    if PICKS:
        print(f"  {'a fragment picked in a compose scene:':42s} "
              f"{statistics.median(w for w, _ in PICKS):5.1f} ms; CPU "
              f"{statistics.median(c for _, c in PICKS):5.1f} ms ({len(PICKS)} key presses)")
    print("target for the app: median <= 16 ms (one frame at 60 Hz)")


if __name__ == "__main__":
    main()
