"""`sam-cowboy commitments`: the actions trainees committed to after a run, with their status."""

from __future__ import annotations

import argparse
import json
import sys

from sam_cowboy.usage import UsageError

NAME = "commitments"
ORDER = 46
HELP = "the actions committed to after each run, with their status"
DESCRIPTION = """The commitments made after runs (plain mode, the app): the episode, the
action, its date (YYYY-MM-DD) and its status: open, done, partly or not yet (the answer to
"Did you do it?", asked at the first launch after the date). --json prints a list of
objects {episode, action, due, status, note, player, scene, choice, own, id, run}.

Example: sam-cowboy commitments
         sam-cowboy commitments --json --player alice"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", dest="as_json", action="store_true", help="print JSON")
    p.add_argument("--player", dest="for_player", metavar="NAME",
                   help="only this player's commitments (default: everybody's)")
    p.add_argument("--episode", dest="for_episode", metavar="ID", help="only this episode's")
    p.add_argument("--db", metavar="URL", help="results database (default: SAM_COWBOY_DB, "
                   "else the user data directory)")


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.learning_plain import shown
    from sam_cowboy.results.learning import commitments, public, today
    from sam_cowboy.results.store import StoreError, open_store

    try:
        store = open_store(args.db)
        rows = [public(r) for r in commitments(store, player=args.for_player,
                                                 episode_id=args.for_episode)]
        day = today()
        store.close()
    except StoreError as e:
        raise UsageError(str(e)) from None
    if args.as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        print("No commitments yet: they are made after a run's debrief.")
        return 0
    from sam_cowboy.core.transfer import is_due

    for r in rows:
        late = " (past its date: asked at the next play)" if is_due(r["due"], r["status"],
                                                                    day) else ""
        print(f"- {r['due']}  [{r['status']}]  {shown(r['episode'])}  "
              f"{shown(r['player'])}: {shown(r['action'])}{late}")
        if r["note"]:
            print(f"    note: {shown(r['note'])}")
    return 0
