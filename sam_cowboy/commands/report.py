"""`sam-cowboy report CODE`: a workshop's report (md, html, csv, json, xapi)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sam_cowboy.cli import InputError, UsageError, write_output

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
    p.add_argument("--format", choices=["md", "html", "csv", "json", "xapi"], default="md",
                   help="output format (default md)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE (atomically) instead of standard output")
    p.add_argument("--db", metavar="URL", help="results database (default: SAM_COWBOY_DB, "
                   "else the user data directory)")
    from sam_cowboy.export.lrs import add_options  # --lrs, --iri-base, --actor-homepage...
    add_options(p)


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.results.store import StoreError, open_store
    from sam_cowboy.workshop.report import render_report
    from sam_cowboy.workshop.session import Session, SessionError

    try:
        text = render_report(Session(open_store(args.db), args.code), args.format)
    except SessionError as e:
        raise InputError(str(e)) from None
    except StoreError as e:
        raise UsageError(str(e)) from None
    if args.format == "xapi" and (args.lrs or args.iri_base or args.actor_homepage):
        from sam_cowboy.export.lrs import xapi_output
        rebased = xapi_output(args, text)
        if rebased is None:  # posted to the LRS
            return 0
        text = rebased
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_output(args.output, text)
    return 0
