"""`sam-cowboy serve`: the participant app in a browser (textual-serve)."""

from __future__ import annotations

import argparse

from sam_cowboy.usage import UsageError

NAME = "serve"
ORDER = 42
HELP = "serve the participant app to browsers (enter a session code and a name, then play)"
DESCRIPTION = """Serve the workshop's participant app over HTTP: participants open the URL
in a browser, type the session code and their name, and play, with nothing to install. Use
the same results database as the facilitator (--db or SAM_COWBOY_DB). Binds to 127.0.0.1
unless --host says otherwise (use --host 0.0.0.0 to let the room's laptops in).

Example: sam-cowboy serve --host 0.0.0.0 --port 8000"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", help="the URL browsers use, when behind a proxy")
    p.add_argument("--db", metavar="URL", help="results database (default: SAM_COWBOY_DB, "
                   "else the user data directory)")


def execute(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a port number")
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise UsageError("serve needs textual-serve: pip install textual-serve") from None
    from sam_cowboy.results.store import StoreError, open_store
    from sam_cowboy.workshop.serve import serve

    try:
        open_store(args.db).close()  # fail now, with one line, rather than in each tab
    except StoreError as e:
        raise UsageError(str(e)) from None
    serve(args.host, args.port, args.db, args.lang, args.public_url)
    return 0
