"""`sam-cowboy play` and the bare `sam-cowboy`: the app, or plain text with --plain."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sam_cowboy.cli import episode_arg
from sam_cowboy.commands.common import load_playable
from sam_cowboy.core.i18n import choose_language
from sam_cowboy.messages import ui_language

FIRST_EPISODE = "ep01-google-test"
NAME = "play"
ORDER = 10
HELP = "play an episode"
DESCRIPTION = """Play an episode in the terminal app, or in plain text with --plain (one
prompt per line, choice numbers read from standard input: for screen readers and scripts).

Example: sam-cowboy play ep01-google-test
         printf '1\\n2\\n' | sam-cowboy play ep01-google-test --plain"""


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p, optional=True)
    p.add_argument("--lang", dest="play_lang", help="language: fr or en")
    p.add_argument("--player", dest="play_player", help="player name")
    p.add_argument("--plain", action="store_true",
                   help="plain text: one prompt per line, numbers read from standard input")
    p.add_argument("--practice", action="store_true", help="practice mode: undo allowed, "
                   "scores not kept")


def execute(args: argparse.Namespace) -> int:
    return play_command(args.episode, lang=args.play_lang or args.lang,
                        player=args.play_player or args.player, plain=args.plain,
                        practice=args.practice, library=args.library)


def play_command(name: str | None, lang: str | None, player: str | None, plain: bool,
                 practice: bool, library: list[Path]) -> int:
    episode, analysis = load_playable(name or FIRST_EPISODE, library)
    if plain:
        from sam_cowboy.plain import PlainPlayer

        language = choose_language(episode, lang or ui_language(None))
        stdin = sys.stdin

        def read_line() -> str | None:
            line = stdin.readline()
            return line if line else None

        PlainPlayer(episode, analysis, language, ui_language(lang or language), sys.stdout,
                    read_line).play()
        return 0
    from sam_cowboy.tui.run import run_app

    return run_app(episode=episode, analysis=analysis, lang=lang, player=player,
                   practice=practice, library=library)


def open_library(args: argparse.Namespace) -> int:
    from sam_cowboy.tui.run import run_app

    return run_app(episode=None, analysis=None, lang=args.lang, player=args.player,
                   practice=False, library=args.library)
