"""Per-player saves: the run in progress (autosaved after every choice), completed runs and
settings, in the user data directory.

One JSON file per player, always replaced atomically (a temporary file in the same folder,
flushed to disk, then `os.replace`), so a crash or a power cut leaves either the old file or
the new one, never half of one. The folder is `$SAM_COWBOY_DATA_DIR` when set (tests,
classrooms with shared machines), else the platform's user data directory.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from sam_cowboy.atomic import write_text_atomic
from sam_cowboy.core import safe_text

FORMAT = 1
KEEP_RUNS = 50  # completed runs kept per episode and player


def default_player() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no login name (containers): a neutral one
        name = ""
    return name or "player"


def clean_name(name: str | None) -> str:
    """A player name fit to show: no control characters, trimmed, not empty."""
    return safe_text.clean_name(name, limit=60) or default_player()


def player_slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-")[:40] or "player"
    if base != name:  # keep different names apart even if they simplify alike
        base += "-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return base


class SaveStore:
    """Everything kept for one player. Reads once, writes on every change."""

    def __init__(self, root: Path, player: str) -> None:
        self.root = root
        self.player = player
        self.path = root / "players" / f"{player_slug(player)}.json"
        self.problem: str | None = None
        self.data = self._read()

    def _blank(self) -> dict[str, Any]:
        return {"format": FORMAT, "player": self.player, "settings": {},
                "in_progress": {}, "completed": {}}

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self._blank()
        except OSError as e:
            self.problem = f"{self.path}: {e.strerror or e}"
            return self._blank()
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("unknown format")
        except ValueError:
            # keep the unreadable file aside rather than losing it, and start afresh
            try:
                os.replace(self.path, self.path.with_suffix(f".unreadable-{int(time.time())}"))
            except OSError:
                pass
            return self._blank()
        blank = self._blank()
        for key, value in blank.items():
            if not isinstance(data.get(key), type(value)):
                data[key] = value
        return data

    def _write(self) -> None:
        try:
            write_text_atomic(self.path, json.dumps(self.data, ensure_ascii=False, indent=1))
            self.problem = None
        except OSError as e:  # a full disk must not stop the training
            self.problem = f"{self.path}: {e.strerror or e}"

    # -------------------------------------------------------------- settings

    @property
    def settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = self.data["settings"]
        return settings

    def save_settings(self, **values: Any) -> None:
        self.settings.update(values)
        self._write()

    # -------------------------------------------------------------- runs in progress

    def in_progress(self, episode_id: str) -> dict[str, Any] | None:
        record = self.data["in_progress"].get(episode_id)
        return record if isinstance(record, dict) else None

    def latest_in_progress(self) -> tuple[str, dict[str, Any]] | None:
        records = [(eid, r) for eid, r in self.data["in_progress"].items()
                   if isinstance(r, dict)]
        if not records:
            return None
        return max(records, key=lambda item: item[1].get("saved_at", 0))

    def save_progress(self, episode_id: str, content_hash: str, choices: list[str],
                      scene: str, practice: bool,
                      results: dict[str, Any] | None = None) -> None:
        """`results`: the stored run to continue in the results store (see tui/results.py)."""
        record = {"content_hash": content_hash, "choices": list(choices), "scene": scene,
                  "practice": practice, "saved_at": time.time()}
        if results:
            record["results"] = dict(results)
        self.data["in_progress"][episode_id] = record
        self._write()

    def clear_progress(self, episode_id: str) -> None:
        if self.data["in_progress"].pop(episode_id, None) is not None:
            self._write()

    # -------------------------------------------------------------- completed runs

    def record_completion(self, episode_id: str, content_hash: str, choices: list[str],
                          ending: str | None, kind: str | None, overall: int) -> None:
        runs = self.data["completed"].setdefault(episode_id, [])
        runs.append({"content_hash": content_hash, "choices": list(choices),
                     "ending": ending, "kind": kind, "overall": overall,
                     "finished_at": time.time()})
        del runs[:-KEEP_RUNS]
        self.data["in_progress"].pop(episode_id, None)
        self._write()

    def completed_runs(self, episode_id: str) -> list[dict[str, Any]]:
        runs = self.data["completed"].get(episode_id, [])
        return [r for r in runs if isinstance(r, dict)]

    def best(self, episode_id: str) -> int | None:
        scores = [r["overall"] for r in self.completed_runs(episode_id)
                  if isinstance(r.get("overall"), int)]
        return max(scores) if scores else None

    def completed_ids(self) -> set[str]:
        return {eid for eid in self.data["completed"] if self.completed_runs(eid)}
