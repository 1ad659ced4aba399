"""`sam-cowboy workshop serve|create|host|join`: group sessions for a room (docs/workshops.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from sam_cowboy.usage import InputError, UsageError

NAME = "workshop"
ORDER = 40
HELP = "run a group session: serve it, create it, host it on the projector, join it"
DESCRIPTION = """Group sessions: one workshop server holds the results; the facilitator creates
a session on it and hosts it on the projector; participants join with the join URL from a
phone (the server's page), a terminal, or the terminal app. Nobody but the server ever
holds a database URL.

Example: sam-cowboy workshop serve --host 0.0.0.0 &
         sam-cowboy workshop create ep01-google-test --server http://10.0.0.5:8000
         sam-cowboy workshop host KXTPRM --server http://10.0.0.5:8000
         sam-cowboy workshop join http://10.0.0.5:8000/KXTPRM --name Alice --plain"""

SERVER_ENV = "SAM_COWBOY_SERVER"


def server_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--server", metavar="URL", help=f"the workshop server, e.g. "
                   f"http://10.0.0.5:8000 (default: {SERVER_ENV})")


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="workshop_command", metavar="ACTION", parser_class=type(p))
    fmt = argparse.RawDescriptionHelpFormatter
    s = sub.add_parser("serve", help="the workshop server (the only process with the results)",
                       description="Serve workshops: the phone page at / and /CODE, and the "
                       "protocol the other commands use. Its first line says where.\n\n"
                       "Example: sam-cowboy workshop serve --host 0.0.0.0 --port 8000",
                       formatter_class=fmt)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default "
                   "127.0.0.1; 0.0.0.0 lets the room's phones in)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--db", metavar="URL", help="results database: a file, sqlite:///path or "
                   "postgresql://user@host/db (default: SAM_COWBOY_DB, else the user data "
                   "folder); put a password in PGPASSWORD or ~/.pgpass, not here")
    s.add_argument("--public-url", metavar="URL", help="the URL browsers use (behind a proxy)")
    s.add_argument("--max-connections", type=int, default=2000, metavar="N",
                   help="WebSockets open at once (default 2000)")
    s.add_argument("--join-rate", type=int, default=120, metavar="N",
                   help="joins per minute from one address (default 120)")
    c = sub.add_parser("create", help="create a session; prints its code, key and join URL",
                       description="Create a session on the server. Prints the code, the "
                       "facilitator key (kept on this machine for `host`) and the join URL."
                       "\n\nExample: sam-cowboy workshop create ep01-google-test --server "
                       "http://10.0.0.5:8000 --json", formatter_class=fmt)
    c.add_argument("episode", metavar="EPISODE",
                   help="an episode file, or the id of a built-in episode")
    server_arg(c)
    c.add_argument("--mode", choices=["live", "async"], default="live",
                   help="live: the room votes scene by scene; async: each at their own pace")
    c.add_argument("--title", default="", help="the session's title")
    c.add_argument("--anonymous", action="store_true",
                   help="participants get random pseudonyms; names are never stored")
    c.add_argument("--assess", action="store_true", help="an assessment session: its runs "
                   "count as assessments in `report --evidence` (pre/post)")
    c.add_argument("--lang", dest="ws_lang", help="language of the episode's texts (default: "
                   "the facilitator's language, as `play`)")
    c.add_argument("--json", action="store_true", help='print {"code": ..., "key": ..., '
                   '"join_url": ...}')
    h = sub.add_parser("host", help="the facilitator's projector view (or --plain)",
                       description="The facilitator's projector view: the join URL with a QR "
                       "code, the scene, who has voted, the tally. Keys are in its footer. "
                       "--plain reads commands (reveal, hide, lock, countdown N, pick N, next,"
                       " notes, end) from standard input.\n\nExample: sam-cowboy workshop host"
                       " KXTPRM --server http://10.0.0.5:8000", formatter_class=fmt)
    h.add_argument("code", metavar="CODE")
    server_arg(h)
    h.add_argument("--key", help="the facilitator key (default: SAM_COWBOY_FACILITATOR_KEY, "
                   "else the key `create` kept on this machine)")
    h.add_argument("--plain", action="store_true", help="plain text, one command per line")
    h.add_argument("--countdown", type=float, default=20.0, metavar="SECONDS",
                   help="length of the countdown started with t (default 20)")
    j = sub.add_parser("join", help="join a session as a participant",
                       description="Join a session with its join URL (printed by `create`). "
                       "--plain reads choice numbers from standard input.\n\nExample: "
                       "sam-cowboy workshop join http://10.0.0.5:8000/KXTPRM --name Alice "
                       "--plain", formatter_class=fmt)
    j.add_argument("join_url", metavar="JOIN_URL", nargs="?",
                   help="SERVER/CODE (without it, the app asks for the code)")
    j.add_argument("--name", help="your name as the room will see it")
    j.add_argument("--plain", action="store_true",
                   help="plain text: one prompt per line, numbers read from standard input")
    server_arg(j)
    j.add_argument("--lang", dest="ws_lang", help="language of the interface (fr, en)")


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.workshop.client import ClientError
    from sam_cowboy.workshop.session import SessionError

    action = args.workshop_command
    if action is None:
        raise UsageError("workshop needs an action: serve, create, host or join "
                         "(see `sam-cowboy workshop --help`)")
    try:
        if action == "serve":
            return _serve(args)
        if action == "create":
            return _create(args)
        if action == "host":
            return _host(args)
        return _join(args)
    except ClientError as e:
        if e.kind in ("name_taken", "key"):
            raise InputError(str(e)) from None
        raise UsageError(str(e)) from None
    except SessionError as e:
        raise InputError(str(e)) from None


def _server(args: argparse.Namespace) -> str:
    server = args.server or os.environ.get(SERVER_ENV)
    if not server:
        raise UsageError(f"which workshop server? --server URL (or {SERVER_ENV}), as printed "
                         f"by `sam-cowboy workshop serve`")
    if not server.startswith(("http://", "https://")):
        raise UsageError(f"--server {server}: a URL like http://10.0.0.5:8000")
    return server.rstrip("/")


def _serve(args: argparse.Namespace) -> int:
    from sam_cowboy.results.store import StoreError, open_store
    from sam_cowboy.workshop.server import Config, serve

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a port number")
    try:
        store = open_store(args.db)
    except StoreError as e:
        raise UsageError(str(e)) from None

    def announce(line: str) -> None:
        print(line, flush=True)

    serve(store, Config(host=args.host, port=args.port, public_url=args.public_url,
                        max_connections=args.max_connections, join_rate=args.join_rate),
          announce)
    return 0


def _create(args: argparse.Namespace) -> int:
    import asyncio

    from sam_cowboy.commands.common import find_episode, load_playable
    from sam_cowboy.core.i18n import choose_language
    from sam_cowboy.core.loader import SERIES_FILE
    from sam_cowboy.library import builtin_dir
    from sam_cowboy.messages import ui_language
    from sam_cowboy.workshop.client import post
    from sam_cowboy.workshop.identity import remember_key

    server = _server(args)
    episode, _ = load_playable(args.episode, args.library)  # errors here, file:line:col
    path = find_episode(args.episode, args.library).resolve()
    body: dict[str, object] = {"mode": args.mode, "title": args.title,
                               "anonymous": args.anonymous, "assess": args.assess,
                               "lang": choose_language(episode, args.ws_lang or args.lang
                                                       or ui_language(None))}
    if path.parent == builtin_dir().resolve():
        body["episode"] = episode.id
    else:  # the server plays exactly this text, whatever its own files
        body["episode"] = path.name
        body["source"] = path.read_bytes().decode("utf-8")
        series = path.parent / SERIES_FILE
        if series.is_file():
            body["series_source"] = series.read_text(encoding="utf-8")
    made = asyncio.run(post(server, "/api/sessions", body))
    remember_key(made["code"], made["key"])
    if args.json:
        json.dump({"code": made["code"], "key": made["key"], "join_url": made["join_url"]},
                  sys.stdout)
        sys.stdout.write("\n")
    else:
        print(f"code: {made['code']}")
        print(f"key: {made['key']}")
        print(f"join_url: {made['join_url']}")
    return 0


def _host(args: argparse.Namespace) -> int:
    from sam_cowboy.workshop.identity import recall_key
    from sam_cowboy.workshop.session import normalise_code

    server = _server(args)
    code = normalise_code(args.code)
    key = args.key or recall_key(code)
    if not key:
        raise UsageError(f"no facilitator key for {code} on this machine: set "
                         f"SAM_COWBOY_FACILITATOR_KEY (or --key), as printed by `create`")
    if args.plain:
        from sam_cowboy.workshop.plainhost import host_plain

        stdin = sys.stdin
        return host_plain(server, code, key, sys.stdout, lambda: stdin.readline() or None)
    from sam_cowboy.workshop.host import run_host

    return run_host(server, code, key, countdown=args.countdown)


def _join(args: argparse.Namespace) -> int:
    from sam_cowboy.messages import ui_language
    from sam_cowboy.workshop.client import split_join_url
    from sam_cowboy.workshop.session import clean_name

    ui = ui_language(args.ws_lang or args.lang)
    if args.join_url:
        server, code = split_join_url(args.join_url)
    else:
        server, code = _server(args), ""
    if args.plain:
        if not code or not args.name:
            raise UsageError("workshop join --plain needs JOIN_URL and --name NAME")
        clean_name(args.name)
        from sam_cowboy.workshop.plainjoin import join_plain

        stdin = sys.stdin
        return join_plain(server, code, args.name, ui, sys.stdout,
                          lambda: stdin.readline() or None, interactive=stdin.isatty())
    from sam_cowboy.workshop.join import run_join

    return run_join(server, code, args.name, ui)
