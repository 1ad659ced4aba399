"""`sam-cowboy new`: write a small commented starter episode."""

from __future__ import annotations

import argparse

NAME = "new"
ORDER = 40
HELP = "write a small commented starter episode"
DESCRIPTION = """Write ID.yaml: a small commented episode (4 scenes, 2 endings, a condition, a
route and a card) that `sam-cowboy check` passes without errors or warnings. Never
overwrites a file.

Example: sam-cowboy new ep05-invite --dir my-episodes --lang fr,en"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID", help="the episode's id: lowercase letters, digits, -")
    p.add_argument("--dir", default=".", metavar="DIR",
                   help="folder to write ID.yaml in (default: the current folder)")
    p.add_argument("--lang", dest="new_lang", default="en", metavar="CODES",
                   help="languages, comma-separated, default first (default: en)")


def execute(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from sam_cowboy.authoring.scaffold import parse_languages, write_new
    from sam_cowboy.usage import UsageError

    try:
        languages = parse_languages(args.new_lang)
    except ValueError as e:
        raise UsageError(str(e)) from None
    folder = Path(args.dir)
    if not folder.is_dir():
        raise UsageError(f"{args.dir}: no such folder")
    try:
        path = write_new(args.id, folder, languages)
    except ValueError as e:
        raise UsageError(str(e)) from None
    except FileExistsError:
        raise UsageError(f"{folder / (args.id + '.yaml')} already exists: choose another id "
                         "or move the file away (new never overwrites)") from None
    except OSError as e:
        raise UsageError(f"cannot write in {args.dir}: {e.strerror or e}") from None
    sys.stdout.write(f"wrote {path}\nnext: sam-cowboy check {path}\n")
    return 0
