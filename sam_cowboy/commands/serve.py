"""`sam-cowboy serve`: the participant app in a browser (textual-serve)."""

from __future__ import annotations

import argparse

from sam_cowboy.usage import UsageError

NAME = "serve"
ORDER = 42
HELP = "serve the terminal participant app to browsers (the phone page is `workshop serve`)"
DESCRIPTION = """Serve the workshop's terminal participant app in browsers (textual-serve):
participants type the session code and their name, and play, with nothing to install. Each
tab is a client of the workshop server given by --server. For phones, the page of
`sam-cowboy workshop serve` itself is lighter and is the default for rooms.

Example: sam-cowboy serve --server http://10.0.0.5:8000 --host 0.0.0.0 --port 8001"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", help="the URL browsers use, when behind a proxy")
    p.add_argument("--server", metavar="URL", required=True,
                   help="the workshop server (`sam-cowboy workshop serve`)")


def execute(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a port number")
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise UsageError("serve needs textual-serve: pip install textual-serve") from None
    from sam_cowboy.workshop.serve import serve

    if not args.server.startswith(("http://", "https://")):
        raise UsageError(f"--server {args.server}: a URL like http://10.0.0.5:8000")
    serve(args.host, args.port, args.server.rstrip("/"), args.lang, args.public_url)
    return 0
