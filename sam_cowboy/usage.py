"""What every command shares: its two kinds of failure, the episode argument, writing an
output file and printing JSON. Commands import these from here, not from `cli` (which
imports the commands): the arrows go one way, cli -> commands -> usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2."""


class InputError(Exception):
    """Input read but with errors: exit 1."""


def episode_arg(p: argparse.ArgumentParser, optional: bool = False) -> None:
    p.add_argument("episode", nargs="?" if optional else None, metavar="EPISODE|ID",
                   help="an episode file, or the id of a built-in episode")


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1, or a clear usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def write_output(path: str | Path, text: str) -> None:
    """Write a file the user asked for (-o), all or nothing, its folder made if needed (as
    `report` always did); a failure is a usage error."""
    from sam_cowboy.atomic import write_text_atomic

    for folder in Path(path).parents:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"cannot write {path}: {folder} is a file, not a folder")
    try:
        write_text_atomic(Path(path), text, public=True)  # only a regular file; umask's mode
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e.strerror or e}") from None


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
