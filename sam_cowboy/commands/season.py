"""`sam-cowboy season`: what the season remembers of each player, per dimension."""

from __future__ import annotations

import argparse
import json
import sys

from sam_cowboy.usage import UsageError

NAME = "season"
ORDER = 47
HELP = "each player's latest and best percent per dimension, across episodes"
DESCRIPTION = """What the season remembers of each player: per dimension, the latest
percent (the one season('d') and weakest() read when an episode starts) and the best one,
with the episode each came from. Only finished runs count: not practice, test or abandoned
runs, nor workshop runs; a run whose episode version is no longer in the library is left
out (and said). --json prints a list of objects {player, dimension, latest,
latest_episode, best, best_episode}.

Example: sam-cowboy season
         sam-cowboy season --json --player alice"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", dest="as_json", action="store_true", help="print JSON")
    p.add_argument("--player", dest="for_player", metavar="NAME",
                   help="only this player (default: everybody)")
    p.add_argument("--db", metavar="URL", help="results database (default: SAM_COWBOY_DB, "
                   "else the user data directory)")


def execute(args: argparse.Namespace) -> int:
    from sam_cowboy.core.safe_text import strip_controls
    from sam_cowboy.learning_plain import shown
    from sam_cowboy.messages import ui_language
    from sam_cowboy.results.season_memory import Versions, library_folders, memories
    from sam_cowboy.results.store import StoreError, open_store

    # the name as play records it: control characters removed, trimmed
    player = strip_controls(args.for_player).strip() if args.for_player else None
    versions = Versions(library_folders(args.library))
    try:
        store = open_store(args.db)
        try:
            found = memories(store, versions, player=player)
        finally:
            store.close()
    except StoreError as e:
        raise UsageError(str(e)) from None
    rows = [{"player": player, "dimension": dim, "latest": mark.percent,
             "latest_episode": mark.episode_id, "best": memory.best[dim].percent,
             "best_episode": memory.best[dim].episode_id}
            for player, memory in found.items() for dim, mark in memory.latest.items()]
    skipped = [(player, s) for player, memory in found.items() for s in memory.skipped]
    notes = [f"{shown(player)}: run {s.run_id} of {shown(s.episode_id)} not counted: "
             f"{s.reason}" for player, s in skipped]
    if args.as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        for note in notes:
            print(f"sam-cowboy: {note}", file=sys.stderr)
        return 0
    if not rows and not notes:
        print("Nothing remembered yet: the season keeps finished runs (not practice or test "
              "runs).")
        return 0
    heading = None
    for row in rows:
        if row["player"] != heading:
            heading = str(row["player"])
            print(f"{shown(heading)}:")
        label = versions.label(str(row["latest_episode"]), str(row["dimension"]),
                               ui_language(args.lang))
        print(f"- {shown(label)}: latest {row['latest']}% ({shown(str(row['latest_episode']))}),"
              f" best {row['best']}% ({shown(str(row['best_episode']))})")
    for note in notes:
        print(f"Note: {note}")
    return 0
