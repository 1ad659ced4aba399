"""`sam-cowboy serve`: participants join from a browser, with nothing to install.

textual-serve runs one participant app process per browser tab (the join app, which asks
for the session code and a name) and streams it over a WebSocket. Each process talks to the
same results store as everyone else, so browser and terminal participants share a session.
"""

from __future__ import annotations

import shlex
import sys


def join_command(db: str | None, lang: str | None) -> str:
    parts = [sys.executable, "-m", "sam_cowboy", "workshop", "join"]
    if db:
        parts += ["--db", db]
    if lang:
        parts += ["--lang", lang]
    return " ".join(shlex.quote(p) for p in parts)


def serve(host: str, port: int, db: str | None, lang: str | None,
          public_url: str | None = None) -> None:
    from textual_serve.server import Server

    server = Server(join_command(db, lang), host=host, port=port,
                    title="Sam the Social Cowboy — workshop", public_url=public_url)
    server.serve()
