"""Entry point of the terminal app for the command line (`sam-cowboy`, `sam-cowboy play`)."""

from __future__ import annotations

from pathlib import Path

from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.model import Episode


def run_app(episode: Episode | None, analysis: Analysis | None, lang: str | None,
            player: str | None, practice: bool, library: list[Path]) -> int:
    """Open the app on one episode (intro first) or on the library; 0 when closed normally."""
    from sam_cowboy.tui.app import create_app

    app = create_app(episode=episode, analysis=analysis, lang=lang, player=player,
                     practice=practice, library=library)
    app.run()
    if app.exit_message:
        print(app.exit_message)
    return app.return_code or 0
