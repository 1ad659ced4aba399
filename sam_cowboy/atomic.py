"""Writing a file so that a crash or a full disk never leaves half of it: temp file + rename."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path


def umask_mode() -> int:
    """The mode a new file gets from the process's umask (as `open` would give it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def regular_target(path: Path) -> Path:
    """The file a write to `path` should replace: `path`, or the file a symlink names.

    OSError when that is something other than a regular file (a device, a FIFO, a folder):
    renaming over it would replace `/dev/null` or a pipe another program reads."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else \
            "a FIFO" if stat.S_ISFIFO(info.st_mode) else \
            "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else \
            "not a regular file"
        raise OSError(errno.EINVAL, f"it is {kind}; only regular files are written: give a "
                      "file name", str(path))
    return target


def write_text_atomic(path: Path, text: str, *, keep_mode: bool = False,
                      public: bool = False) -> None:
    """Write `text` (UTF-8, newlines as given) to `path`, all or nothing.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed
    over `path` (atomic on POSIX and Windows). Through a symlink, the file it names is
    replaced; anything but a regular file is refused (OSError). The new file is private
    (0600) unless `public` (the umask's mode, for files the user asked for); `keep_mode`
    keeps an existing file's permissions (for files the user owns and edits, an episode)."""
    path = regular_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if keep_mode and path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        elif public:
            os.chmod(tmp, umask_mode())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
