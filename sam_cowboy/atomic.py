"""Writing a file so that a crash or a full disk never leaves half of it: temp file + rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, text: str, *, keep_mode: bool = False) -> None:
    """Write `text` (UTF-8, newlines as given) to `path`, all or nothing.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed
    over `path` (atomic on POSIX and Windows). `keep_mode` keeps an existing file's
    permissions (for files the user owns and edits, like an episode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if keep_mode and path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
