"""`report --evidence [EPISODE]`: the evidence page, read from the results store.

(A helper of the `report` command; the underscore keeps it out of the command list.)
"""

from __future__ import annotations

import argparse

from sam_cowboy.usage import InputError, UsageError


def evidence_text(args: argparse.Namespace) -> str:
    from sam_cowboy.commands.common import load_playable
    from sam_cowboy.results.store import StoreError, open_store
    from sam_cowboy.workshop.report.evidence import (
        EVIDENCE_FORMATS,
        Loaded,
        collect_evidence,
        render_evidence,
    )

    if args.format not in EVIDENCE_FORMATS:
        raise UsageError(f"--evidence writes {', '.join(EVIDENCE_FORMATS)}, not {args.format}")
    if args.server or args.code:
        raise UsageError("--evidence reads the store (--db), not a session or a server")
    episode_id = args.evidence or None
    try:
        store = open_store(args.db)
        ids = {r["episode_id"] for r in store.runs(episode_id=episode_id)}
        loaded: Loaded = {}
        for eid in sorted(ids | ({episode_id} if episode_id else set())):
            try:
                loaded[eid] = load_playable(eid, args.library)
            except (InputError, UsageError):
                if eid == episode_id:
                    raise
                # an episode no longer installed: its runs are shown by ids, without percents
        data = collect_evidence(store, loaded, episode_id=episode_id,
                                player=args.evidence_player, lang=args.lang or "en")
        store.close()
    except StoreError as e:
        raise UsageError(str(e)) from None
    return render_evidence(data, args.format, actor_homepage=args.actor_homepage)
