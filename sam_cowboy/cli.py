"""The `sam-cowboy` command: thin, fast to start, UI imported only by the commands that draw.

Exit status: 0 success; 1 the input was read but has errors; 2 bad usage or unreadable
input. Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sam_cowboy import __version__


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2."""


class InputError(Exception):
    """Input read but with errors: exit 1."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _episode_arg(p: argparse.ArgumentParser, optional: bool = False) -> None:
    p.add_argument("episode", nargs="?" if optional else None, metavar="EPISODE|ID",
                   help="an episode file, or the id of a built-in episode")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sam-cowboy", description="Sam the Social Cowboy: choose-your-path "
                     "episodes for social-selling training.")
    parser.add_argument("--version", action="version", version=f"sam-cowboy {__version__}")
    parser.add_argument("--lang", help="language of the interface and episodes (fr, en)")
    parser.add_argument("--player", help="player name (default: your login name)")
    parser.add_argument("--library", action="append", type=Path, default=[], metavar="DIR",
                        help="add a folder of episodes to the library")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    play = sub.add_parser("play", help="play an episode", description="Play an episode in the "
                          "terminal app, or in plain text with --plain.\n\nExample: "
                          "printf '1\\n2\\n' | sam-cowboy play ep01-google-test --plain",
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    _episode_arg(play, optional=True)
    play.add_argument("--lang", dest="play_lang", help="language: fr or en")
    play.add_argument("--player", dest="play_player", help="player name")
    play.add_argument("--plain", action="store_true",
                      help="plain text: one prompt per line, numbers read from standard input")
    play.add_argument("--practice", action="store_true", help="practice mode (undo allowed)")

    run = sub.add_parser("run", help="play a list of choices and print the result",
                         description="Play without any UI.\n\nExample: sam-cowboy run "
                         "ep.yaml --choices 1,2 --json",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    _episode_arg(run)
    group = run.add_mutually_exclusive_group()
    group.add_argument("--choices", default="", help="1-based positions among the shown "
                       "choices, comma-separated")
    group.add_argument("--choice-ids", default="", help="choice ids, comma-separated")
    run.add_argument("--lang", dest="run_lang", help="language for texts")
    run.add_argument("--json", action="store_true", help="print one JSON object")

    check = sub.add_parser("check", help="validate and analyse episodes",
                           description="Validate and analyse episode files (a folder means "
                           "every *.yaml in it but series.yaml).\n\nExample: sam-cowboy "
                           "check episodes/", formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except UsageError as e:
        print(f"sam-cowboy: {e}", file=sys.stderr)
        return 2
    except InputError as e:
        print(f"sam-cowboy: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sam-cowboy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command
    if command == "check":
        from sam_cowboy.commands.check import check_command
        return check_command(args.paths, as_json=args.json)
    if command == "run":
        from sam_cowboy.commands.run import run_command
        return run_command(args.episode, args.choices, args.choice_ids,
                           args.run_lang or args.lang, args.json)
    if command == "play":
        from sam_cowboy.commands.play import play_command
        return play_command(args.episode, lang=args.play_lang or args.lang,
                            player=args.play_player or args.player, plain=args.plain,
                            practice=args.practice, library=args.library)
    from sam_cowboy.commands.play import open_library
    return open_library(lang=args.lang, player=args.player, library=args.library)


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
