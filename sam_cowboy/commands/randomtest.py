"""`sam-cowboy randomtest`: thousands of random playthroughs, with coverage and scores."""

from __future__ import annotations

import argparse

from sam_cowboy.usage import episode_arg, positive_int

NAME = "randomtest"
ORDER = 45
HELP = "play thousands of random runs: endings, scores, coverage"
DESCRIPTION = """Play N random runs (uniform among the choices shown, the same runs for the
same seed) and report the endings reached and how often, each dimension's raw-score
distribution, scenes never visited, choices never picked, runs stuck in a dead end and
runs that hit the loop limit.

Example: sam-cowboy randomtest my-episode.yaml
         sam-cowboy randomtest ep01-google-test -n 50000 --seed 7 --json"""


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p)
    p.add_argument("-n", "--runs", type=positive_int, default=10_000, metavar="N",
                   help="number of random runs (default 10000)")
    p.add_argument("--seed", type=_seed, default=0, metavar="N",
                   help="random seed: the same seed plays the same runs (default 0)")
    p.add_argument("--max-steps", type=positive_int, default=1_000, metavar="N",
                   help="loop limit: a run that makes this many choices without an ending "
                   "stops and is counted (default 1000)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def execute(args: argparse.Namespace) -> int:
    import sys

    from sam_cowboy.authoring.randomtest import format_report, random_runs
    from sam_cowboy.commands.common import load_valid
    from sam_cowboy.usage import print_json

    episode, _ = load_valid(args.episode, args.library)
    from sam_cowboy.commands.progress import working

    with working(f"Playing {args.runs} random runs"):
        report = random_runs(episode, runs=args.runs, seed=args.seed, max_steps=args.max_steps)
    if args.json:
        print_json(report.to_json())
    else:
        sys.stdout.write(format_report(report))
    return 0
