"""`sam-cowboy report CODE`: a workshop's report (md, html, csv, json, xapi)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sam_cowboy.usage import InputError, UsageError, write_output

NAME = "report"
ORDER = 45
HELP = "a workshop session's report: md, html, csv, json or xAPI statements"
DESCRIPTION = """A session's report: participants (names hidden when anonymous), the choice
split scene by scene, endings, each dimension's distribution, the most frequent departures
from the best run and the group's debrief questions. html is one self-contained file with
SVG charts; xapi writes xAPI 1.0.3 statements (a JSON array) for an LRS. Written atomically.

Example: sam-cowboy report KXTPRM --format html -o monday.html"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", metavar="CODE", help="the session code")
    p.add_argument("--format", choices=["md", "html", "csv", "json", "xapi", "certificates"],
                   default="md",
                   help="output format (default md)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE (atomically) instead of standard output")
    p.add_argument("--db", metavar="URL", help="results database (default: SAM_COWBOY_DB, "
                   "else the user data directory)")


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.results.store import StoreError, open_store
    from sam_cowboy.workshop.report import render_report
    from sam_cowboy.workshop.session import Session, SessionError

    try:
        session = Session(open_store(args.db), args.code)
        if args.format == "certificates":  # the facilitator's kit: one page per finisher
            from sam_cowboy.kit.certificates import certificates_for_report
            from sam_cowboy.workshop.report import collect

            text = certificates_for_report(collect(session))
        else:
            text = render_report(session, args.format)
    except SessionError as e:
        raise InputError(str(e)) from None
    except StoreError as e:
        raise UsageError(str(e)) from None
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_output(args.output, text)
    return 0
