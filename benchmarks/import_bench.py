"""Benchmark `sam-cowboy import`: is the Twine import linear in the number of passages?

Generates Twee stories of 1,000, 10,000 and 20,000 passages that use the idioms the import
translates (links of every form, `(set:)`, `(if:)` hooks, `<<if>>`, `(display:)`, setter
links, many passages with the same slug) and times, in this process:

- `convert`: Twee text -> episode YAML (the import itself);
- `load`: the YAML loaded and checked by the core (what `import` does before writing);
- the whole command (`import -o`, which also analyses the episode like `check`) for the
  smallest size only, as a subprocess.

A linear import keeps the time per passage flat from one size to the next.

Usage: python benchmarks/import_bench.py [--sizes 1000,10000,20000] [--repeat 3]
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


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    from sam_cowboy.authoring.twee import convert
    from sam_cowboy.core.loader import load_episode_data

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'passages':>9} {'KB':>7} {'convert s':>10} {'us/passage':>11} "
          f"{'load s':>8} {'us/passage':>11}")
    for n in sizes:
        text = story(n)
        result = convert(text, "bench")
        t_convert = timed(lambda: convert(text, "bench"), args.repeat)  # noqa: B023
        t_load = timed(lambda: load_episode_data(result.yaml, "b.yaml"), args.repeat)  # noqa: B023
        print(f"{n:>9} {len(text) // 1024:>7} {t_convert:>10.3f} {t_convert / n * 1e6:>11.1f} "
              f"{t_load:>8.3f} {t_load / n * 1e6:>11.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.twee"
        src.write_text(story(sizes[0]))
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sam_cowboy", "import", str(src), "-o",
                        str(Path(tmp) / "bench.yaml")], check=True, capture_output=True)
        print(f"whole command (import + check-level analysis), {sizes[0]} passages: "
              f"{time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
