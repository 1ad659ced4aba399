"""`sam-cowboy serve`: the full terminal participant app in a browser (textual-serve).

For those who want the terminal app rather than the phone page (which `workshop serve`
gives every room). textual-serve runs one app process per browser tab; each is a client of
the workshop server, started with the server's URL only: no database URL, no secret.
"""

from __future__ import annotations

import shlex
import sys


def join_command(server: str, lang: str | None) -> str:
    parts = [sys.executable, "-m", "sam_cowboy", "workshop", "join", "--server", server]
    if lang:
        parts += ["--lang", lang]
    return " ".join(shlex.quote(p) for p in parts)


def serve(host: str, port: int, server: str, lang: str | None,
          public_url: str | None = None) -> None:
    from textual_serve.server import Server

    from sam_cowboy.workshop.server import serving_url

    url = serving_url(host, port, public_url)  # never 0.0.0.0 in the page
    print(f"Serving the participant app on {url}", flush=True)
    Server(join_command(server, lang), host=host, port=port,
           title="Sam the Social Cowboy — workshop", public_url=url).serve()
