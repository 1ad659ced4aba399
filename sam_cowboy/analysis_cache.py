"""The analysis of an episode, kept on disk so that it is computed once per version.

An episode whose conditions read every score (to pick an ending, say) can take seconds to
analyse; a workshop starts one process per participant, and each needs the bounds. The key
is a hash of the episode's bytes, its series.yaml's bytes and the analysis version, so any
edit recomputes. A missing, unreadable or corrupt cache is never an error: we analyse again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sam_cowboy import userdirs
from sam_cowboy.core.analysis import Analysis, Run, analyse
from sam_cowboy.core.findings import Finding
from sam_cowboy.core.loader import SERIES_FILE
from sam_cowboy.core.model import Episode

VERSION = "1"  # bump when the analysis or this format changes


def cache_dir() -> Path:
    return userdirs.cache_dir("analysis")


def cache_key(path: Path) -> str:
    digest = hashlib.sha256(f"sam-cowboy analysis {VERSION}\n".encode())
    digest.update(path.read_bytes())
    series = path.parent / SERIES_FILE
    if series.is_file() and path.name != SERIES_FILE:
        digest.update(b"\nseries\n")
        digest.update(series.read_bytes())
    return digest.hexdigest()[:32]


def _run_to_json(run: Run | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"path": [list(step) for step in run.path], "scores": run.scores,
            "overall": run.overall, "ending": run.ending, "exact": run.exact}


def _run_from_json(data: dict[str, Any] | None) -> Run | None:
    if data is None:
        return None
    return Run([(str(s), str(c)) for s, c in data["path"]],
               {str(k): int(v) for k, v in data["scores"].items()}, int(data["overall"]),
               str(data["ending"]), bool(data["exact"]))


def to_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "findings": [{"severity": f.severity, "file": f.file, "line": f.line,
                      "column": f.column, "message": f.message, "scene": f.scene,
                      "choice": f.choice} for f in analysis.findings],
        "states": analysis.states, "edges": analysis.edges,
        "bounds": ({d: list(b) for d, b in analysis.bounds.items()}
                   if analysis.bounds is not None else None),
        "best_run": _run_to_json(analysis.best_run),
        "worst_run": _run_to_json(analysis.worst_run),
        "unreachable": analysis.unreachable, "dead_ends": analysis.dead_ends,
        "endings": analysis.endings,
    }


def from_json(data: dict[str, Any]) -> Analysis:
    bounds = data["bounds"]
    return Analysis(
        findings=[Finding(f["severity"], f["file"], f["line"], f["column"], f["message"],
                          f["scene"], f["choice"]) for f in data["findings"]],
        states=int(data["states"]), edges=int(data["edges"]),
        bounds=({d: (int(b[0]), int(b[1])) for d, b in bounds.items()}
                if bounds is not None else None),
        best_run=_run_from_json(data["best_run"]), worst_run=_run_from_json(data["worst_run"]),
        unreachable=list(data["unreachable"]), dead_ends=list(data["dead_ends"]),
        endings=list(data["endings"]),
    )


def cached_analysis(episode: Episode, path: Path) -> Analysis:
    """The analysis of `episode` (read from `path`), from the cache when it is there."""
    try:
        target: Path | None = cache_dir() / f"{cache_key(path)}.json"
    except OSError:
        target = None
    try:
        if target is None:
            raise OSError("no cache")
        data = json.loads(target.read_text("utf-8"))
        analysis = from_json(data)
        if data.get("file") == episode.file and _consistent(episode, analysis):
            return analysis
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    analysis = analyse(episode)
    if target is not None:
        from sam_cowboy.atomic import write_text_atomic

        try:
            payload = to_json(analysis) | {"file": episode.file}
            write_text_atomic(target, json.dumps(payload, ensure_ascii=False))
        except OSError:
            pass  # a read-only or missing cache folder only costs time
    return analysis


def _consistent(episode: Episode, analysis: Analysis) -> bool:
    """A cheap guard against a cache written by another version of the code."""
    if analysis.bounds is not None and set(analysis.bounds) != set(episode.dimensions):
        return False
    runs = [r for r in (analysis.best_run, analysis.worst_run) if r is not None]
    return all(s in episode.scenes and episode.scenes[s].choice(c) is not None
               for run in runs for s, c in run.path)
