"""The report as CSV: one row per decision (runs without decisions get one row)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

COLUMNS = ["session", "episode", "episode_hash", "run", "participant", "status", "practice",
           "test", "started_at", "ended_at", "ending", "ending_kind", "overall", "seq",
           "scene", "choice", "at", "changes"]


def _safe(value: object) -> object:
    """Cells starting with = + - @ are quoted so spreadsheets never run them as formulas."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in data["runs"]:
        base = [data["session"]["code"], data["episode"]["id"],
                data["episode"]["content_hash"], r["id"], r["participant"], r["status"],
                int(r["practice"]), int(r["test"]), r["started_at"], r["ended_at"],
                r["ending"], r["ending_kind"], r["overall"]]
        rows = [[i, d["scene"], d["choice"], d["at"], json.dumps(d["changes"])]
                for i, d in enumerate(r["decisions"])] or [["", "", "", "", ""]]
        for extra in rows:
            writer.writerow([_safe(v) for v in base + extra])
    return out.getvalue()
