"""`sam-cowboy play` and the bare `sam-cowboy`: the app, or plain text with --plain."""

from __future__ import annotations

import sys
from pathlib import Path

from sam_cowboy.commands.common import load_playable
from sam_cowboy.core.i18n import choose_language
from sam_cowboy.messages import ui_language

FIRST_EPISODE = "ep01-google-test"


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


def open_library(lang: str | None, player: str | None, library: list[Path]) -> int:
    from sam_cowboy.tui.run import run_app

    return run_app(episode=None, analysis=None, lang=lang, player=player, practice=False,
                   library=library)
