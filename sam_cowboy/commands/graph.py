"""`sam-cowboy graph`: draw an episode as Mermaid, Graphviz DOT or SVG."""

from __future__ import annotations

import argparse

from sam_cowboy.usage import episode_arg, write_output

NAME = "graph"
ORDER = 42
HELP = "draw an episode's scenes and choices (Mermaid, DOT, SVG)"
DESCRIPTION = """Draw an episode: one box per scene (id and title), endings coloured by kind
(good green, mixed orange, bad red), route scenes as diamonds, choices as arrows labelled
with their id and score changes, conditional arrows dashed, unreachable scenes greyed and
dead ends in yellow. Mermaid (the default) renders on GitHub, GitLab and mermaid.live; SVG
needs Graphviz's `dot` program.

Example: sam-cowboy graph my-episode.yaml -o my-episode.mmd
         sam-cowboy graph ep01-google-test --format svg -o ep01.svg"""


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p)
    p.add_argument("--format", dest="graph_format", choices=("mermaid", "dot", "svg"),
                   default=None, help="output format (default: from the -o suffix "
                   ".mmd/.dot/.gv/.svg, else mermaid)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the "
                   "standard output")
    p.add_argument("--lang", dest="graph_lang", help="language of the scene titles")
    p.add_argument("--no-analysis", action="store_true", help="skip the analysis (faster on "
                   "big episodes; unreachable scenes and dead ends are then not highlighted)")


SUFFIXES = {".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid", ".dot": "dot",
            ".gv": "dot", ".svg": "svg"}


def execute(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from sam_cowboy.authoring import graph
    from sam_cowboy.commands.common import load_valid
    from sam_cowboy.core.i18n import choose_language
    from sam_cowboy.usage import InputError, UsageError

    fmt = args.graph_format
    if fmt is None:
        fmt = SUFFIXES.get(Path(args.output).suffix.lower(), "mermaid") if args.output \
            else "mermaid"
    if fmt == "svg" and not args.output and sys.stdout.isatty():
        raise UsageError("--format svg writes an SVG file: add -o FILE.svg")
    if fmt == "svg":
        import shutil

        if shutil.which("dot") is None:
            raise UsageError(graph.INSTALL_HINT)
    episode, _ = load_valid(args.episode, args.library)
    unreachable: list[str] = []
    dead_ends: list[str] = []
    if not args.no_analysis:
        from sam_cowboy.core.analysis import analyse

        analysis = analyse(episode)
        unreachable, dead_ends = analysis.unreachable, analysis.dead_ends
    lang = choose_language(episode, args.graph_lang or args.lang)
    try:
        text = graph.render(episode, fmt, lang, unreachable, dead_ends)
    except graph.GraphvizMissing as e:
        raise UsageError(str(e)) from None
    except graph.GraphvizFailed as e:
        raise InputError(str(e)) from None
    if args.output:
        write_output(args.output, text)
        sys.stderr.write(f"wrote {args.output} ({fmt})\n")
    else:
        sys.stdout.write(text)
    return 0
