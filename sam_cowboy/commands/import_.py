"""`sam-cowboy import`: turn a Twine (Twee 3) story into an episode."""

from __future__ import annotations

import argparse

NAME = "import"
ORDER = 50
HELP = "convert a Twine story (Twee 3) into an episode"
DESCRIPTION = """Convert a Twine story saved as Twee 3 (Twine: Build > Export as Twee) into an
episode: passages become scenes, links choices, passages without links endings.
StoryTitle gives the title and StoryData's start the first scene. Macros that have no
equivalent become `x-todo` notes and warnings. The result passes `check` without errors.
Without -o, writes STORY.yaml beside the story (never overwriting); -o - prints it.

Example: sam-cowboy import my-story.twee -o my-story.yaml"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("story", metavar="STORY.twee", help="a Twee 3 file")
    p.add_argument("-o", "--output", metavar="OUT.yaml",
                   help="where to write the episode (- for the standard output)")
    p.add_argument("--lang", dest="import_lang", default="en", metavar="CODE",
                   help="the language the story is written in (default: en)")
    p.add_argument("--force", action="store_true", help="overwrite OUT.yaml if it exists")


def execute(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from sam_cowboy.authoring.scaffold import LANGUAGE_RE
    from sam_cowboy.authoring.twee import TweeError, convert
    from sam_cowboy.cli import InputError, UsageError, write_output
    from sam_cowboy.core.loader import load_episode_data

    if not LANGUAGE_RE.match(args.import_lang):
        raise UsageError(f"`{args.import_lang}` is not a language code like `fr` or `en`")
    story = Path(args.story)
    try:
        source = story.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{args.story}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{args.story} is a folder, not a Twee file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{args.story}: not UTF-8 text; export the story as Twee from "
                         "Twine") from None
    except OSError as e:
        raise UsageError(f"{args.story}: {e.strerror or e}") from None
    try:
        result = convert(source, story.stem, args.import_lang)
    except TweeError as e:
        raise UsageError(f"{args.story}:{e.line}: {e.message}") from None
    out = args.output or str(story.with_suffix(".yaml"))
    loaded = load_episode_data(result.yaml, out, None)
    errors = [f for f in loaded.findings if f.severity == "error"]
    if errors:  # a bug of ours: say so rather than write a broken file
        raise InputError(f"the converted episode has an error, please report it: "
                         f"{errors[0].format()}")
    if out == "-":
        sys.stdout.write(result.yaml)
    else:
        path = Path(out)
        if path.exists() and not args.force:
            raise UsageError(f"{out} already exists: choose another -o or add --force")
        write_output(path, result.yaml)
    for line, message in result.warnings:
        sys.stderr.write(f"{args.story}:{line}: warning: {message}\n")
    if out != "-":
        sys.stderr.write(f"wrote {out}: {result.scenes} scenes, {len(result.warnings)} "
                         f"warning{'s' if len(result.warnings) != 1 else ''}; next: "
                         f"sam-cowboy check {out}\n")
    return 0
