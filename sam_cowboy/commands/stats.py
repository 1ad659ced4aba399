"""`sam-cowboy stats`: scenes, choices, endings, words and reading time of an episode."""

from __future__ import annotations

import argparse

from sam_cowboy.usage import episode_arg, positive_int

NAME = "stats"
ORDER = 46
HELP = "count scenes, choices, endings, words and reading time; are the choices hard?"
DESCRIPTION = """Count an episode's scenes, choices and endings, the words per language
(trainer notes apart), and the words and reading minutes of an average playthrough
(from random runs). Then whether a player could win without reading: in how many decision
scenes the best choice is also the longest, the dilemmas (choices that raise one dimension
and lower another), and three mechanical runs (always the longest choice, always the best
score change, always the worst).

Example: sam-cowboy stats my-episode.yaml
         sam-cowboy stats ep01-google-test --json"""


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p)
    p.add_argument("--wpm", type=positive_int, default=200, metavar="N",
                   help="reading speed in words per minute (default 200)")
    p.add_argument("-n", "--runs", type=positive_int, default=2000, metavar="N",
                   help="random runs used for the average playthrough (default 2000)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def execute(args: argparse.Namespace) -> int:
    import sys

    from sam_cowboy.authoring.stats import compute, format_stats
    from sam_cowboy.commands.common import load_valid
    from sam_cowboy.usage import print_json

    episode, _ = load_valid(args.episode, args.library)
    from sam_cowboy.commands.progress import working

    with working("Computing statistics"):
        stats = compute(episode, runs=args.runs, wpm=args.wpm)
    if args.json:
        print_json(stats.to_json())
    else:
        sys.stdout.write(format_stats(stats))
    return 0
