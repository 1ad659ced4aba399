"""`sam-cowboy export`: an episode as a web page, a cmi5 package or a SCORM 1.2 package."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sam_cowboy.usage import UsageError, episode_arg, write_output

NAME = "export"
ORDER = 48
HELP = "an episode as one web page (html), a cmi5 package or a SCORM 1.2 package"
DESCRIPTION = """Send an episode out of the terminal. html: one self-contained file that plays
the episode in a browser (no network), with the same rules, scores, feedback and debrief as
the terminal, in every language of the episode. cmi5 and scorm12: a zip to import into an
LMS; the run reports its overall percent as the score and passes at --mastery-score.

Example: sam-cowboy export ep01-google-test --format html -o ep01.html"""

SUFFIX = {"html": ".html", "cmi5": "-cmi5.zip", "scorm12": "-scorm12.zip"}


def percent(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{value} is not a percentage from 0 to 100")
    return value


def _shareable(path: Path) -> None:
    """The usual permissions of a new file (the atomic write leaves it private): an export
    is made to be shared."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p)
    p.add_argument("--format", choices=list(SUFFIX), default="html",
                   help="html (default), cmi5 or scorm12")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="file to write (default: the episode id + .html, -cmi5.zip or "
                   "-scorm12.zip), written atomically")
    p.add_argument("--mastery-score", type=percent, default=None, metavar="PERCENT",
                   help="overall percent that passes in an LMS (default 65)")
    p.add_argument("--assess", action="store_true",
                   help="assessment: score changes and principles held back until the ending")
    p.add_argument("--iri-base", metavar="IRI",
                   help="cmi5: base of the course and AU ids, e.g. https://lms.example.org/"
                   "courses/ (default: a urn:uuid derived from the episode id)")


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.commands.common import load_playable
    from sam_cowboy.export.compile import DEFAULT_MASTERY, compile_episode
    from sam_cowboy.export.html import build_html
    from sam_cowboy.export.package import IriError, cmi5_package, scorm12_package, write_bytes

    episode, analysis = load_playable(args.episode)
    mastery = DEFAULT_MASTERY if args.mastery_score is None else args.mastery_score
    data = compile_episode(episode, analysis, mastery, assess=args.assess)
    output = args.output or Path(episode.id + SUFFIX[args.format])
    if args.format == "html":
        write_output(output, build_html(data))
    else:
        try:
            blob = cmi5_package(data, args.iri_base) if args.format == "cmi5" \
                else scorm12_package(data)
        except IriError as e:
            raise UsageError(f"--iri-base: {e}") from None
        write_bytes(output, blob)
    _shareable(output)
    print(f"{output}: {args.format} export of {episode.id}")
    return 0
