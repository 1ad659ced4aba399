"""Benchmark `sam-cowboy import`: is the Twine import linear in the number of passages?

Generates Twee stories of 1,000, 10,000 and 20,000 passages that use the idioms the import
translates (links of every form, `(set:)`, `(if:)` hooks, `<<if>>`, `(display:)`, setter
links, many passages with the same slug) and times, in this process:

Times are CPU seconds of this process (`time.process_time`, best of --repeat).

- `convert`: Twee text -> episode YAML (the import itself);
- `load`: the YAML loaded and checked by the core (what `import` does before writing);
- the whole command (`import -o`, which also analyses the episode like `check`) for the
  smallest size only, as a subprocess.

A linear import makes the same number of function calls per passage at every size (a
count, exact on any machine); its CPU time per passage also grows a little with the size
of the heap (the cyclic garbage collector and the memory caches see more objects).

With --formats twee,ink, the same for ink stories of as many knots (weave, tunnels, conditions).

Usage: python benchmarks/import_bench.py [--sizes 1000,10000,20000] [--repeat 3] [--formats twee,ink]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def story(n: int) -> str:
    """A Harlowe-flavoured story of `n` passages: a chain with side links and ends."""
    out = [":: StoryTitle", f"Bench {n}", "", ":: StoryData",
           '{"ifid": "B", "format": "Harlowe", "start": "P0"}', "",
           ":: Setup [startup]", "(set: $trust to 5, $met to false)", ""]
    for i in range(n):
        nxt, side = f"P{i + 1}", f"P{min(i + 7, n)}"
        name = f"P{i}" if i % 10 else f"P{i}"
        body = [f":: {name}",
                f"Step {i}: Sam reads a post, writes a note and calls a prospect.",
                f"(if: $trust > {i % 7})[Sam feels confident.](else:)[Sam hesitates.]",
                f"(link-goto: \"Go on to step {i + 1}\", \"{nxt}\")",
                f"[[Skip ahead->{side}]]",
                f"(link: \"Be bold\")[(set: $trust to it + 1)(go-to: \"{nxt}\")]",
                f"<<if $met>>[[Call back|{nxt}][$trust to $trust - 1]]<</if>>",
                "(display: \"Footer\")", ""]
        out += body
    out += [f":: P{n} [good]", "The end.", "", ":: Footer", "''Keep going.''", ""]
    return "\n".join(out)


def ink_story(n: int) -> str:
    """An ink story of `n` knots: text, a gather, once-only and sticky choices with
    conditions and changes, diverts, a tunnel and a conditional block."""
    out = ["VAR trust = 5", "VAR met = false", "-> k0", "=== helper ===",
           "A word of advice.", "->->"]
    for i in range(n):
        nxt, side = f"k{i + 1}", f"k{min(i + 7, n)}"
        out += [f"=== k{i} ===", f"Step {i}: Sam reads a post and calls a prospect.",
                "{trust > 3: Sam feels confident.|Sam hesitates.}",
                "* [Go on] -> " + nxt,
                f"* {{trust > {i % 7}}} [Skip ahead] -> {side}",
                "+ [Be bold]", "    ~ trust = trust + 1", "    It works.", "    -> " + nxt,
                "* (ask) [Ask for advice] -> helper ->", "    -> " + nxt,
                "- (done) {met:", "    Sam knows them.", "- else:", "    A stranger.", "}",
                "-> " + nxt]
    out += [f"=== k{n} ===", "The end.", "-> END"]
    return "\n".join(out) + "\n"


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Best CPU time of this process over `repeat` calls: on a shared machine, wall-clock
    time mostly measures the other processes."""
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def calls(fn) -> int:  # type: ignore[no-untyped-def]
    """Function calls made by `fn` (cProfile's count): unlike time, the same on any
    machine, so a linear import shows the same count per passage at every size."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(fn)
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="twee", help="twee, ink or twee,ink (ink: stories "
                    "of as many knots)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    if "twee" in formats:
        twee_table(sizes, args.repeat)
    if "ink" in formats:
        ink_table(sizes, args.repeat)
    if "twee" in formats:
        whole_command(sizes[0])


def twee_table(sizes: list[int], repeat: int) -> None:
    from sam_cowboy.authoring.twee import convert
    from sam_cowboy.core.loader import load_episode_data

    print(f"{'passages':>9} {'KB':>7} {'convert s':>10} {'us/passage':>11} "
          f"{'calls/passage':>14} {'load s':>8} {'us/passage':>11}")
    for n in sizes:
        text = story(n)
        result = convert(text, "bench")
        t_convert = timed(lambda: convert(text, "bench"), repeat)  # noqa: B023
        t_load = timed(lambda: load_episode_data(result.yaml, "b.yaml"), repeat)  # noqa: B023
        print(f"{n:>9} {len(text) // 1024:>7} {t_convert:>10.3f} {t_convert / n * 1e6:>11.1f} "
              f"{calls(lambda: convert(text, 'bench')) / n:>14.1f} "  # noqa: B023
              f"{t_load:>8.3f} {t_load / n * 1e6:>11.1f}")


def ink_table(sizes: list[int], repeat: int) -> None:
    from sam_cowboy.authoring.ink import convert_ink

    print(f"{'knots':>9} {'KB':>7} {'convert s':>10} {'us/knot':>11} {'calls/knot':>14}  (ink)")
    for n in sizes:
        text = ink_story(n)
        t_convert = timed(lambda: convert_ink(text, "b.ink"), repeat)  # noqa: B023
        print(f"{n:>9} {len(text) // 1024:>7} {t_convert:>10.3f} {t_convert / n * 1e6:>11.1f} "
              f"{calls(lambda: convert_ink(text, 'b.ink')) / n:>14.1f}")  # noqa: B023


def whole_command(n: int) -> None:
    """The command as a user runs it (wall clock: it includes starting Python)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.twee"
        src.write_text(story(n))
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sam_cowboy", "import", str(src), "-o",
                        str(Path(tmp) / "bench.yaml")], check=True, capture_output=True)
        print(f"whole command (import + check-level analysis), {n} passages: "
              f"{time.perf_counter() - t:.2f} s wall")


if __name__ == "__main__":
    main()
