"""`sam-cowboy report CODE`: a workshop's report (md, html, csv, json, xapi)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sam_cowboy.usage import InputError, UsageError, write_output

NAME = "report"
ORDER = 45
HELP = "a workshop session's report: md, html, csv, json or xAPI statements"
DESCRIPTION = """A session's report: participants (names hidden when anonymous), every
scene the room decided with the room's choice and the split of the votes, endings by title,
each dimension's distribution, the most frequent departures from the best run and the
group's debrief questions. html is one self-contained file with SVG charts; xapi writes
xAPI 1.0.3 statements (a JSON array) for an LRS; certificates is one printable HTML
certificate of completion per participant who finished. Through the workshop server with the
facilitator key (--server; the key from SAM_COWBOY_FACILITATOR_KEY, --key or the one
`create` kept), or straight from the store on the server's machine (--db). Written
atomically, with the permissions the umask gives.

Example: sam-cowboy report KXTPRM --server http://10.0.0.5:8000 --format html -o monday.html"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", metavar="CODE", nargs="?", help="the session code (not with "
                   "--evidence)")
    p.add_argument("--format", choices=["md", "html", "csv", "json", "xapi", "certificates"], default="md",
                   help="output format (default md)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE (atomically) instead of standard output")
    p.add_argument("--server", metavar="URL", help="the workshop server (with the key)")
    p.add_argument("--key", help="the facilitator key (default: SAM_COWBOY_FACILITATOR_KEY, "
                   "else the key `create` kept on this machine)")
    p.add_argument("--db", metavar="URL", help="results database, on the server's machine "
                   "(default: SAM_COWBOY_DB, else the user data directory)")
    p.add_argument("--actor-homepage", metavar="URL", help="xapi: the LMS's URL; each named "
                   "participant becomes the account {homePage: URL, name: their name}")
    p.add_argument("--evidence", nargs="?", const="", metavar="EPISODE",
                   help="instead of one session: evidence across sessions and solo runs "
                   "(all episodes, or EPISODE's): per decision, first attempts against later "
                   "ones; pre/post of assessment runs by dimension and decision; commitments "
                   "and follow-ups. Formats md, html, json, xapi; from the store (--db)")
    p.add_argument("--player", dest="evidence_player", metavar="NAME",
                   help="with --evidence: one trainee only")
    from sam_cowboy.export.lrs import add_options  # --lrs, --iri-base: send to an LRS

    add_options(p)


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.workshop.session import SessionError, normalise_code

    if args.evidence is not None:
        from sam_cowboy.commands._evidence import evidence_text

        text = evidence_text(args)
    elif args.code is None:
        raise UsageError("report needs a session CODE, or --evidence [EPISODE]")
    else:
        try:
            code = normalise_code(args.code)
            text = _via_server(args, code) if args.server else _from_store(args, code)
        except SessionError as e:
            raise InputError(str(e)) from None
    if args.format == "xapi" and (args.lrs or args.iri_base):
        from sam_cowboy.export.lrs import xapi_output

        rebased = xapi_output(args, text)
        if rebased is None:  # posted to the LRS
            return 0
        text = rebased
    if args.output is None:
        sys.stdout.write(text)
        return 0
    write_output(args.output, text)  # a document: the umask's mode, as every -o file
    return 0


def _from_store(args: argparse.Namespace, code: str) -> str:
    from sam_cowboy.results.store import StoreError, open_store
    from sam_cowboy.workshop.report import render_report
    from sam_cowboy.workshop.session import Session

    try:
        return render_report(Session(open_store(args.db), code), args.format,
                             actor_homepage=args.actor_homepage)
    except StoreError as e:
        raise UsageError(str(e)) from None


def _via_server(args: argparse.Namespace, code: str) -> str:
    import asyncio

    from sam_cowboy.workshop.client import ClientError, get_text
    from sam_cowboy.workshop.identity import recall_key

    key = args.key or recall_key(code)
    if not key:
        raise UsageError(f"no facilitator key for {code} on this machine: set "
                         f"SAM_COWBOY_FACILITATOR_KEY (or --key)")
    params = {"format": args.format}
    if args.actor_homepage:
        params["actor_homepage"] = args.actor_homepage
    try:
        return asyncio.run(get_text(args.server, f"/api/sessions/{code}/report", key, params))
    except ClientError as e:
        raise (InputError if e.kind == "key" else UsageError)(str(e)) from None
