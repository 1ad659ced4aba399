"""Entry point of the terminal app for the command line (`sam-cowboy`, `sam-cowboy play`).

Imports nothing heavy: the app module (and Textual) load here, the analysis, the results
store and the library load later in workers, after the first frame.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis
    from sam_cowboy.core.model import Episode


def run_app(episode: Episode | None, analysis: Analysis | None, lang: str | None,
            player: str | None, practice: bool, library: list[Path], db: str | None = None,
            at: str | None = None, preset: dict[str, Any] | None = None,
            watch: Path | None = None) -> int:
    """Open the app on one episode (intro first) or on the library.

    0 when closed normally; 1 when the episode had errors when the player quit (its first
    finding is printed on stderr, like every command's failure).
    """
    from sam_cowboy.tui.app import create_app

    app = create_app(episode=episode, analysis=analysis, lang=lang, player=player,
                     practice=practice, library=library, db=db, at=at, preset=preset,
                     watch=watch)
    app.run()
    app.close_results()
    if app.exit_message:
        print(app.exit_message)
    if app.results_problem:
        print(f"sam-cowboy: results not recorded: {app.results_problem}", file=sys.stderr)
    if app.exit_error:
        print(f"sam-cowboy: {app.exit_error}", file=sys.stderr)
    return app.return_code or 0
