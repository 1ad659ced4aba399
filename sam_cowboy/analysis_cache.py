"""The analysis of an episode, kept on disk so that it is computed once per version.

An episode whose conditions read every score (to pick an ending, say) can take seconds to
analyse; a workshop starts one process per participant, and each needs the bounds. A cache
may make the tool faster, never change what is played or scored, so (docs/caches.md):

- an entry is named after the SHA-256 of the exact bytes analysed (the episode and its
  series.yaml) and the tool's version, and records both;
- it is signed with HMAC-SHA256 under a per-user key (`cache.key`, 0600, in the data
  folder): an entry someone edited, or wrote without the key, is ignored and replaced;
- only regular files of at most MAX_ENTRY bytes are read (no FIFO, device or symlink),
  in a folder the user owns with mode 0700.

A missing, unreadable, foreign or corrupt entry is never an error: we analyse again.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from sam_cowboy import __version__, userdirs
from sam_cowboy.core.analysis import Analysis, Run, analyse
from sam_cowboy.core.findings import Finding
from sam_cowboy.core.loader import SERIES_FILE
from sam_cowboy.core.model import Episode
from sam_cowboy.core.yamlread import YamlError, read_file

VERSION = "2"  # bump when the analysis or this format changes
TOOL = f"{__version__}-a{VERSION}"
MAX_ENTRY = 8 * 1024 * 1024
KEY_FILE = "cache.key"


def cache_dir() -> Path:
    return userdirs.cache_dir("analysis")


def source_digest(path: Path) -> tuple[str, bytes]:
    """SHA-256 of what the analysis depends on (the episode's bytes, its series.yaml's),
    and the episode's bytes. Read with the loader's limits; OSError or YamlError."""
    data = read_file(path)
    digest = hashlib.sha256(b"sam-cowboy analysis source\n")
    digest.update(len(data).to_bytes(8, "big") + data)
    series = path.parent / SERIES_FILE
    if series.is_file() and path.name != SERIES_FILE:
        digest.update(b"\nseries\n")
        digest.update(read_file(series))
    return digest.hexdigest(), data


def cache_key(path: Path) -> str:
    """The name of the entry for the file at `path` as it is now (digest and version)."""
    return f"{source_digest(path)[0]}-{TOOL}"


def private_dir(folder: Path) -> Path:
    """`folder`, created 0700, refused (OSError) unless it is a real folder the user owns
    that no one else may write or read."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
        raise OSError(errno.EPERM, "not a folder of this user", str(folder))
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(folder, 0o700)
    return folder


def read_private(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit`: a symlink, a FIFO, a device, a file of another
    user or a longer file is refused (OSError) without reading it or waiting on it."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb", buffering=0) as f:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_size > limit
                or (hasattr(os, "getuid") and info.st_uid != os.getuid())):
            raise OSError(errno.EINVAL, "not a private regular file of a fitting size", str(path))
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, "too long", str(path))
    return data


def user_key() -> bytes:
    """The per-user HMAC key: 32 random bytes in the data folder, created 0600 once. OSError
    when it cannot be made or is not private (then nothing is cached)."""
    path = private_dir(userdirs.data_dir()) / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32))
    data = read_private(path, 1024)
    if stat.S_IMODE(os.stat(path).st_mode) & 0o077:
        raise OSError(errno.EPERM, "the cache key is readable by others", str(path))
    key = bytes.fromhex(data.decode("ascii").strip())
    if len(key) < 32:
        raise OSError(errno.EINVAL, "a cache key too short", str(path))
    return key


def _sign(key: bytes, payload: bytes) -> str:
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


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
    """The analysis of `episode` (read from `path`), from the cache when a signed entry for
    exactly these bytes and this version is there."""
    try:
        digest, data = source_digest(path)
        if hashlib.sha256(data).hexdigest()[:16] != episode.content_hash:
            return analyse(episode)  # the file changed since it was loaded: nothing to key on
        key = user_key()
        target = private_dir(cache_dir()) / f"{digest}-{TOOL}.json"
    except (OSError, YamlError, ValueError):
        return analyse(episode)
    found = _read_entry(target, key, digest, episode)
    if found is not None:
        return found
    analysis = analyse(episode)
    payload = json.dumps({"source": digest, "tool": TOOL, "file": episode.file,
                          "analysis": to_json(analysis)}, ensure_ascii=False)
    try:
        if target.is_symlink():
            target.unlink()
        from sam_cowboy.atomic import write_text_atomic

        write_text_atomic(target, _sign(key, payload.encode("utf-8")) + "\n" + payload)
    except OSError:
        pass  # a read-only or full cache folder only costs time
    return analysis


def _read_entry(target: Path, key: bytes, digest: str, episode: Episode) -> Analysis | None:
    try:
        raw = read_private(target, MAX_ENTRY)
        mac, _, payload = raw.partition(b"\n")
        if not hmac.compare_digest(mac, _sign(key, payload).encode("ascii")):
            return None  # edited, or written without this user's key
        data = json.loads(payload)
        if data["source"] != digest or data["tool"] != TOOL or data["file"] != episode.file:
            return None
        analysis = from_json(data["analysis"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    return analysis if _consistent(episode, analysis) else None


def _consistent(episode: Episode, analysis: Analysis) -> bool:
    """A cheap guard against a cache written by another version of the code."""
    if analysis.bounds is not None and set(analysis.bounds) != set(episode.dimensions):
        return False
    runs = [r for r in (analysis.best_run, analysis.worst_run) if r is not None]
    return all(s in episode.scenes and episode.scenes[s].choice(c) is not None
               for run in runs for s, c in run.path)
