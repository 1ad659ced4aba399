"""Per-player saves: the run in progress (autosaved after every choice), completed runs and
settings, in the user data directory.

One JSON file per player, always replaced atomically (a temporary file in the same folder,
flushed to disk, then `os.replace`), so a crash or a power cut leaves either the old file or
the new one, never half of one. Two app windows of the same player may write at the same
time: every change is made under a file lock to the file as it is on disk then (read, change,
write), so neither window erases the other's finished runs, best score or settings. A file
that is not a save of this format, or holds values of the wrong type, is moved aside (kept,
never deleted), the problem is said once, and the app starts with what could be kept.
The folder is `$SAM_COWBOY_DATA_DIR` when set (tests, classrooms with shared machines), else
the platform's user data directory.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
import time
from collections.abc import Callable
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


LOCK_TIMEOUT = 10.0  # seconds another window may hold the save: a write, never longer
_SETTING_TYPES: dict[str, type | tuple[type, ...]] = {
    "theme": str, "lang": str, "sidebar": bool, "practice": bool, "assess": bool}
_SCALARS = (str, bool, int, float, type(None))


class SaveStore:
    """Everything kept for one player. Reads once; each change is merged into the file."""

    def __init__(self, root: Path, player: str) -> None:
        self.root = root
        self.player = player
        self.path = root / "players" / f"{player_slug(player)}.json"
        self.problem: str | None = None
        self.last_saved = True  # whether the last change reached the disk
        self.data = self._first_read()

    def _blank(self) -> dict[str, Any]:
        return {"format": FORMAT, "player": self.player, "settings": {},
                "in_progress": {}, "completed": {}}

    def _read(self) -> dict[str, Any]:
        """The save on disk; a malformed one is moved aside and what is valid in it kept.
        OSError when the file exists but cannot be read (then it must not be overwritten)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._blank()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            data = None
        cleaned, faults = _validated(data, self._blank())
        if faults:
            aside = self.path.with_name(f"{self.path.stem}.unreadable-{int(time.time())}.json")
            try:
                os.replace(self.path, aside)
                where = f"kept as {aside}"
            except OSError:
                where = "left in place"
            self.problem = (f"{self.path}: the save was damaged ({faults}); it was {where} "
                            "and the app starts with what could be read")
        return cleaned

    def _first_read(self) -> dict[str, Any]:
        try:
            return self._read()
        except OSError as e:
            self.problem = f"{self.path}: {e.strerror or e}"
            return self._blank()

    def _change(self, change: Callable[[dict[str, Any]], None]) -> bool:
        """Apply `change` to the save as it is on disk now, under the lock, and write it;
        True when written. On failure the change is kept in memory and `problem` says why."""
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT):
                self.problem = None
                current = self._read()  # another window's changes included
                change(current)
                write_text_atomic(self.path, json.dumps(current, ensure_ascii=False, indent=1))
            self.data = current
            self.last_saved = True
        except (OSError, Timeout) as e:  # a full or read-only disk must not stop the training
            change(self.data)
            reason = getattr(e, "strerror", None) or str(e) or type(e).__name__
            self.problem = f"{self.path}: not saved: {reason}"
            self.last_saved = False
        return self.last_saved

    # -------------------------------------------------------------- settings

    @property
    def settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = self.data["settings"]
        return settings

    def save_settings(self, **values: Any) -> bool:
        return self._change(lambda data: data["settings"].update(values))

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
                      results: dict[str, Any] | None = None, assess: bool = False) -> None:
        """`results`: the stored run to continue in the results store (see tui/results.py);
        `assess`: an assessment run, which must go on holding its scores back when resumed."""
        record = {"content_hash": content_hash, "choices": list(choices), "scene": scene,
                  "practice": practice, "assess": assess, "saved_at": time.time()}
        if results:
            record["results"] = dict(results)
        self._change(lambda data: data["in_progress"].__setitem__(episode_id, record))

    def clear_progress(self, episode_id: str) -> None:
        if episode_id in self.data["in_progress"]:
            self._change(lambda data: data["in_progress"].pop(episode_id, None))

    # -------------------------------------------------------------- completed runs

    def record_completion(self, episode_id: str, content_hash: str, choices: list[str],
                          ending: str | None, kind: str | None, overall: int) -> bool:
        """Add a finished run to the player's history; True when it reached the disk."""
        run = {"content_hash": content_hash, "choices": list(choices), "ending": ending,
               "kind": kind, "overall": overall, "finished_at": time.time()}

        def change(data: dict[str, Any]) -> None:
            runs = data["completed"].setdefault(episode_id, [])
            runs.append(run)
            del runs[:-KEEP_RUNS]
            data["in_progress"].pop(episode_id, None)

        return self._change(change)

    def completed_runs(self, episode_id: str) -> list[dict[str, Any]]:
        runs = self.data["completed"].get(episode_id, [])
        return [r for r in runs if isinstance(r, dict)]

    def best(self, episode_id: str) -> int | None:
        scores = [r["overall"] for r in self.completed_runs(episode_id)
                  if isinstance(r.get("overall"), int)]
        return max(scores) if scores else None

    def completed_ids(self) -> set[str]:
        return {eid for eid in self.data["completed"] if self.completed_runs(eid)}


# ------------------------------------------------------------------ validation

def _validated(data: object, blank: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """What can be kept of a parsed save, and a short account of what could not ("" when
    nothing was wrong). Every value the app reads is checked for its type here, once."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return blank, "not a save of this version"
    faults: list[str] = []
    out = dict(blank)
    settings = data.get("settings", {})
    if isinstance(settings, dict):
        for key, value in settings.items():
            want = _SETTING_TYPES.get(key, _SCALARS)
            if isinstance(key, str) and isinstance(value, want) and \
                    not (want is not bool and isinstance(value, bool) and key in _SETTING_TYPES):
                out["settings"][key] = value
            else:
                faults.append(f"setting {key!r}")
    else:
        faults.append("settings")
    in_progress = data.get("in_progress", {})
    if isinstance(in_progress, dict):
        for eid, record in in_progress.items():
            if _run_ok(record, ("scene",), progress=True):
                out["in_progress"][eid] = record
            else:
                faults.append(f"run in progress of {eid!r}")
    else:
        faults.append("runs in progress")
    completed = data.get("completed", {})
    if isinstance(completed, dict):
        for eid, runs in completed.items():
            if not isinstance(runs, list):
                faults.append(f"history of {eid!r}")
                continue
            kept = [r for r in runs if _run_ok(r, (), progress=False)]
            if len(kept) != len(runs):
                faults.append(f"history of {eid!r}")
            if kept:
                out["completed"][eid] = kept[-KEEP_RUNS:]
    else:
        faults.append("history")
    return out, ", ".join(faults[:3]) + (" ..." if len(faults) > 3 else "")


def _run_ok(record: object, strings: tuple[str, ...], progress: bool) -> bool:
    if not isinstance(record, dict):
        return False
    choices = record.get("choices")
    if not isinstance(record.get("content_hash"), str) or not isinstance(choices, list) \
            or not all(isinstance(c, str) for c in choices):
        return False
    if any(not isinstance(record.get(key), str) for key in strings):
        return False
    stamp = record.get("saved_at" if progress else "finished_at", 0)
    if isinstance(stamp, bool) or not isinstance(stamp, (int, float)):
        return False
    if progress:
        return isinstance(record.get("practice", False), bool) and \
            isinstance(record.get("assess", False), bool) and \
            isinstance(record.get("results", {}), dict)
    overall = record.get("overall")
    return (isinstance(overall, int) and not isinstance(overall, bool)
            and all(isinstance(record.get(k), (str, type(None))) for k in ("ending", "kind")))
