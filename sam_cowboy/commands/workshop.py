"""`sam-cowboy workshop create|host|join`: group sessions for a room (see docs/workshops.md)."""

from __future__ import annotations

import argparse
import json
import sys

from sam_cowboy.usage import InputError, UsageError

NAME = "workshop"
ORDER = 40
HELP = "run a group session: create it, host it on the projector, join it"
DESCRIPTION = """Group sessions: the facilitator creates a session and hosts it on the
projector; participants join from a terminal (or a browser, see `sam-cowboy serve`) and vote.
The session lives in the results database (--db URL or SAM_COWBOY_DB; a postgresql:// URL
lets several machines share one workshop).

Example: sam-cowboy workshop create ep01-google-test --title "Monday team"
         sam-cowboy workshop host KXTPRM
         sam-cowboy workshop join KXTPRM --name Alice --plain"""


def db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="results database: a file, sqlite:///path or "
                   "postgresql://user@host/db (default: SAM_COWBOY_DB, else the user data "
                   "directory)")


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="workshop_command", metavar="ACTION", parser_class=type(p))
    c = sub.add_parser("create", help="create a session; prints its code and facilitator key",
                       description="Create a session. Prints the code participants type and "
                       "the facilitator key (kept on this machine for `host`).\n\nExample: "
                       "sam-cowboy workshop create ep01-google-test --mode live --json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("episode", metavar="EPISODE|ID",
                   help="an episode file, or the id of a built-in episode")
    c.add_argument("--mode", choices=["live", "async"], default="live",
                   help="live: the room votes scene by scene; async: each at their own pace")
    c.add_argument("--title", default="", help="the session's title")
    c.add_argument("--anonymous", action="store_true",
                   help="names are never stored nor shown in reports")
    c.add_argument("--lang", dest="ws_lang", help="language of the episode's texts")
    c.add_argument("--json", action="store_true", help='print {"code": ..., '
                   '"facilitator_key": ...}')
    db_arg(c)
    h = sub.add_parser("host", help="the facilitator's dashboard (for the projector)",
                       description="The facilitator's dashboard. Keys: r reveal the tally, "
                       "t countdown, l lock, 1-9 pick the winner (ties), Enter advance, q quit."
                       "\n\nExample: sam-cowboy workshop host KXTPRM",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_argument("code", metavar="CODE")
    h.add_argument("--key", help="the facilitator key (default: SAM_COWBOY_FACILITATOR_KEY, "
                   "else the key `create` kept on this machine)")
    h.add_argument("--countdown", type=float, default=20.0, metavar="SECONDS",
                   help="length of the countdown started with t (default 20)")
    db_arg(h)
    j = sub.add_parser("join", help="join a session as a participant",
                       description="Join a session. --plain reads choice numbers from "
                       "standard input like `play --plain`.\n\nExample: "
                       "sam-cowboy workshop join KXTPRM --name Alice --plain",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    j.add_argument("code", metavar="CODE", nargs="?")
    j.add_argument("--name", help="your name as the room will see it")
    j.add_argument("--plain", action="store_true",
                   help="plain text: one prompt per line, numbers read from standard input")
    j.add_argument("--lang", dest="ws_lang", help="language of the interface (fr, en)")
    db_arg(j)


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.results.store import StoreError
    from sam_cowboy.workshop.session import SessionError

    action = args.workshop_command
    if action is None:
        raise UsageError("workshop needs an action: create, host or join "
                         "(see `sam-cowboy workshop --help`)")
    try:
        if action == "create":
            return _create(args)
        if action == "host":
            return _host(args)
        return _join(args)
    except SessionError as e:
        raise InputError(str(e)) from None
    except StoreError as e:
        raise UsageError(str(e)) from None


def _create(args: argparse.Namespace) -> int:
    from sam_cowboy.commands.common import find_episode, load_playable
    from sam_cowboy.core.i18n import choose_language
    from sam_cowboy.library import builtin_dir
    from sam_cowboy.results.store import open_store
    from sam_cowboy.workshop.session import create_session

    episode, analysis = load_playable(args.episode, args.library)
    path = find_episode(args.episode, args.library).resolve()
    # a built-in episode is named by id, so other machines find their own copy
    ref = episode.id if path.parent == builtin_dir().resolve() else str(path)
    store = open_store(args.db)
    lang = choose_language(episode, args.ws_lang or args.lang)
    code, key = create_session(store, episode, analysis, ref, mode=args.mode,
                               title=args.title, anonymous=args.anonymous, lang=lang)
    if args.json:
        json.dump({"code": code, "facilitator_key": key, "mode": args.mode,
                   "episode": episode.id}, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(f"session code:    {code}")
        print(f"facilitator key: {key}")
        print(f"host it:         sam-cowboy workshop host {code}")
        print(f"participants:    sam-cowboy workshop join {code} --name NAME")
    return 0


def _host(args: argparse.Namespace) -> int:
    from sam_cowboy.results.store import open_store
    from sam_cowboy.workshop.session import Session, normalise_code, recall_key

    code = normalise_code(args.code)
    key = args.key or recall_key(code)
    if not key:
        raise UsageError(f"no facilitator key for {code} on this machine: pass --key KEY "
                         f"(printed by `workshop create`)")
    session = Session(open_store(args.db), code)
    if not session.authorised(key):
        raise UsageError(f"that is not the facilitator key of session {code}")
    from sam_cowboy.workshop.host import HostApp

    HostApp(session, key, countdown=args.countdown).run()
    return 0


def _join(args: argparse.Namespace) -> int:
    from sam_cowboy.messages import ui_language
    from sam_cowboy.results.store import open_store
    from sam_cowboy.workshop.session import Session, clean_name

    ui = ui_language(args.ws_lang or args.lang)
    if args.plain:
        if not args.code or not args.name:
            raise UsageError("workshop join --plain needs CODE and --name NAME")
        clean_name(args.name)
        session = Session(open_store(args.db), args.code)
        from sam_cowboy.workshop.plainjoin import join_plain

        stdin = sys.stdin

        def read_line() -> str | None:
            line = stdin.readline()
            return line if line else None

        return join_plain(session, args.name, ui, sys.stdout, read_line,
                          interactive=stdin.isatty())
    from sam_cowboy.workshop.join import JoinApp

    store = open_store(args.db)
    session = Session(store, args.code) if args.code else None
    JoinApp(store, session=session, name=args.name, ui=ui).run()
    return 0
