"""Benchmark `sam-cowboy randomtest`: the whole process, 10,000 runs, on a 31-scene episode.

The target (issue 5): under 0.8 s for the whole process, twice as fast as ChoiceScript's own
randomtest (about 1.6 s for 10,000 runs of a 31-scene game). Prints wall-clock figures for
the command (best and median of several runs), the in-process split (load, walk), the same
walk done naively (engine.begin/choices_shown/choose for every step, no cache) and the
built-in episodes.

Usage: python benchmarks/randomtest_bench.py [--repeat 5] [--runs 10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hub_episode(seed: int = 3) -> str:
    """31 scenes like a ChoiceScript chapter: a hub visited again and again, `once` errands,
    conditions on variables, visit counts and scores, routes, 4 endings; ~20 choices a run."""
    rng = random.Random(seed)
    dims = ["brand", "targeting", "insight", "relationship"]
    out = ["sam_cowboy: 1", "id: bench-hub", "title: {fr: \"Banc\", en: \"Bench\"}",
           "languages: [fr, en]", "dimensions:"]
    out += [f"  {d}: {{label: {{fr: \"{d}\", en: \"{d}\"}}}}" for d in dims]
    out += ["variables:", "  energy: 6", "  posted: false", "  contacts: 0", "  mood: \"calm\"",
            "start: hub", "scenes:"]
    errands = [f"task{i}" for i in range(12)]
    follow = [f"follow{i}" for i in range(12)]

    def say(n: int) -> str:
        words = "Sam reads a post writes a note calls a prospect and thinks".split()
        s = " ".join(rng.choice(words) for _ in range(n))
        return f"{{fr: \"{s}\", en: \"{s}\"}}"

    out += ["  hub:", f"    title: {say(2)}", f"    text: {say(20)}", "    choices:"]
    for i, t in enumerate(errands):
        cond = ["\"energy > 0\"", "\"energy > 1 and not posted\"", "\"visits('hub') < 12\"",
                "\"contacts < 4 or posted\""][i % 4]
        out += [f"      - id: go-{t}", f"        text: {say(5)}", f"        if: {cond}",
                "        once: true", f"        goto: {t}"]
    out += ["      - id: wrap-up", f"        text: {say(4)}", "        goto: verdict"]
    for i, t in enumerate(errands):
        out += [f"  {t}:", f"    title: {say(2)}", f"    text: {say(25)}",
                "    on_enter: {add: {energy: -1}}", "    choices:"]
        for c in range(3):
            d = rng.choice(dims)
            pts = rng.choice((-2, -1, 1, 2))
            extra = ""
            if c == 1:
                extra = "\n        add: {contacts: 1}"
            if c == 2:
                extra = "\n        set: {posted: true, mood: \"bold\"}"
            out += [f"      - id: c{c}", f"        text: {say(6)}", f"        score: {{{d}: {pts}}}"
                    + extra, f"        feedback: {say(10)}",
                    f"        goto: {follow[i] if c < 2 else 'hub'}"]
    for i, f in enumerate(follow):
        out += [f"  {f}:", "    route:",
                f"      - if: \"energy > 2 and visits('{errands[i]}') > 0\"",
                "        goto: hub", "      - goto: hub"]
    out += ["  verdict:", "    route:",
            "      - if: \"score('relationship') > 3 and posted\"", "        goto: end-great",
            "      - if: \"contacts > 2\"", "        goto: end-network",
            "      - if: \"mood == 'bold'\"", "        goto: end-loud",
            "      - goto: end-quiet"]
    for e, k in (("end-great", "good"), ("end-network", "mixed"), ("end-loud", "mixed"),
                 ("end-quiet", "bad")):
        out += [f"  {e}:", f"    title: {say(2)}", f"    text: {say(15)}",
                f"    ending: {{kind: {k}}}"]
    return "\n".join(out) + "\n"


def time_command(args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return times


def naive(episode, runs: int) -> float:  # type: ignore[no-untyped-def]
    from sam_cowboy.core import engine

    rnd = random.Random(0).random
    t = time.perf_counter()
    for _ in range(runs):
        state, _ = engine.begin(episode)
        steps = 0
        while not state.finished and steps < 1000:
            shown = engine.choices_shown(episode, state)
            if not shown:
                break
            state, _ = engine.choose(episode, state, shown[int(rnd() * len(shown))].id)
            steps += 1
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--runs", type=int, default=10_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from sam_cowboy.authoring.randomtest import random_runs
    from sam_cowboy.core.loader import load_episode

    exe = [sys.executable, "-m", "sam_cowboy"]
    with tempfile.TemporaryDirectory() as tmp:
        bench = Path(tmp) / "bench-hub.yaml"
        bench.write_text(hub_episode(), encoding="utf-8")
        files = [bench] + sorted((ROOT / "episodes").glob("ep*.yaml"))
        baseline = time_command([sys.executable, "-c", "pass"], args.repeat)
        print(f"python startup alone: {min(baseline):.3f} s")
        print(f"{'episode':<34} {'scenes':>6} {'choices/run':>11} {'engine':>7} "
              f"{'load':>6} {'walk':>6} {'naive':>6} {'process best':>12} {'median':>7}")
        for path in files:
            t = time.perf_counter()
            episode = load_episode(path).episode
            load = time.perf_counter() - t
            if episode is None:
                print(f"{path.name:<34} does not load; skipped")
                continue
            t = time.perf_counter()
            report = random_runs(episode, runs=args.runs)
            walk = time.perf_counter() - t
            slow = naive(episode, args.runs)
            times = time_command(exe + ["randomtest", str(path), "-n", str(args.runs),
                                        "--json"], args.repeat)
            print(f"{path.name:<34} {len(episode.scenes):>6} {report.mean_steps:>11.1f} "
                  f"{report.engine_calls:>7} {load:>6.3f} {walk:>6.3f} {slow:>6.2f} "
                  f"{min(times):>11.3f}s {statistics.median(times):>6.3f}s")
        print(f"target: under 0.8 s for the whole process ({args.runs} runs, ~31 scenes)")


if __name__ == "__main__":
    main()
