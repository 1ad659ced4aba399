"""`sam-cowboy handouts`: write the participants' printable handouts (HTML, fr and en)."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "handouts"
ORDER = 47
HELP = "write the printable handouts for participants (HTML, fr and en)"
DESCRIPTION = """Write the participants' handouts as printable HTML, in French and English:
the headline formula, invitation-note templates (each within LinkedIn's 200 characters),
comment and post frameworks, a lead-qualification grid and a 30-day plan with three habits.
Writes handouts-fr.html and handouts-en.html (one handout per printed page) and one file
per handout in DIR/fr/ and DIR/en/. Print them from a browser (A4).

Example: sam-cowboy handouts -o kit/"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", type=Path, required=True, metavar="DIR",
                   help="folder to write into (created if missing)")


def execute(args: argparse.Namespace) -> int:
    import sys

    from sam_cowboy.kit.handouts import write_handouts
    from sam_cowboy.usage import UsageError

    folder: Path = args.output
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: not a folder; give -o a folder to write the handouts into")
    try:
        written = write_handouts(folder)
    except OSError as e:
        raise UsageError(f"{folder}: cannot write the handouts ({e.strerror or e})") from None
    sys.stdout.write(f"{len(written)} files written in {folder}\n")
    return 0
