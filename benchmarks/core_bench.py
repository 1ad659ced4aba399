"""Benchmark of the core: parse floor, load, check and analysis at 1k, 10k and 100k scenes.

Prints figures; asserts nothing. The floor is what PyYAML's C loader alone needs to parse the
same file: nothing can check a file faster than it can read it.

Usage: python benchmarks/core_bench.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

from sam_cowboy.commands.check import check_file  # noqa: E402
from sam_cowboy.core.analysis import analyse  # noqa: E402
from sam_cowboy.core.loader import load_episode_data  # noqa: E402


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    print(f"PyYAML {yaml.__version__}, loader {loader.__name__}, Python {sys.version.split()[0]}")
    print(f"{'scenes':>8} {'MB':>6} {'floor s':>8} {'load s':>8} {'analyse s':>9} "
          f"{'check s':>8} {'check/floor':>11} {'states':>8}")
    analysis_times: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"bench{n}.yaml"
            path.write_text(generate(n), encoding="utf-8")
            data = path.read_bytes()
            repeat = args.repeat if n <= 10_000 else 1
            floor = best_of(repeat, lambda data=data: yaml.load(data, Loader=loader))
            load = best_of(repeat, lambda data=data, path=path: load_episode_data(data, str(path)))
            episode = load_episode_data(data, str(path)).require()
            result = analyse(episode)
            analysis = best_of(repeat, lambda episode=episode: analyse(episode))
            check = best_of(repeat, lambda path=path: check_file(path, None))
            analysis_times[n] = analysis
            print(f"{n:>8} {len(data) / 1e6:>6.1f} {floor:>8.2f} {load:>8.2f} {analysis:>9.2f} "
                  f"{check:>8.2f} {check / floor:>11.2f} {result.states:>8}")
        if 10_000 in analysis_times and 100_000 in analysis_times:
            print(f"analysis growth 10k -> 100k: x{analysis_times[100_000] / analysis_times[10_000]:.1f}")
        small = Path(tmp) / "small.yaml"
        small.write_text(generate(40), encoding="utf-8")
        runs = []
        for _ in range(10):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "sam_cowboy", "check", str(small)],
                           check=False, capture_output=True)
            runs.append(time.perf_counter() - start)
        bare = []
        for _ in range(10):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=False)
            bare.append(time.perf_counter() - start)
        print(f"`sam-cowboy check` process on a 40-scene episode: median "
              f"{statistics.median(runs):.3f} s (bare `python -c pass`: "
              f"{statistics.median(bare):.3f} s)")


if __name__ == "__main__":
    main()
