"""`sam-cowboy import`: turn a Twine story (Twee 3, Twine 2 HTML) or an ink story into an
episode."""

from __future__ import annotations

import argparse

NAME = "import"
ORDER = 50
HELP = "convert a Twine story (Twee 3, Twine 2 HTML) or an ink story into an episode"
DESCRIPTION = """Convert a story written elsewhere into an episode:
  - Twine: a Twee 3 file (Twine: Build > Export as Twee), a folder of .twee files, or a
    Twine 2 HTML file (a published story or a library archive); Harlowe, SugarCube and
    Snowman markup;
  - ink: a .ink file (knots and stitches become scenes, choices, diverts, VAR, ~ and
    conditions are kept).
Links and choices become choices, variables and conditions are kept, passages without
links become endings. What has no equivalent stays whole in an `x-todo` note with its
source line. The import prints a summary; the result passes `check` without errors.
Without -o, writes STORY.yaml beside the story (never overwriting); -o - prints it.

Example: sam-cowboy import my-story.twee -o my-story.yaml --dimensions integrity,budget"""

MAX_BYTES = 64 * 1024 * 1024  # a story bigger than this is not a story
MAX_WARNINGS = 50  # printed one a line; the rest are counted (all are notes in the file)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("story", metavar="STORY", help="a .twee/.tw file, a folder of them, a "
                   "Twine 2 .html file or an .ink file")
    p.add_argument("-o", "--output", metavar="OUT.yaml",
                   help="where to write the episode (- for the standard output)")
    p.add_argument("--lang", dest="import_lang", default="en", metavar="CODE",
                   help="the language the story is written in (default: en)")
    p.add_argument("--dimensions", metavar="VAR,VAR", default="",
                   help="numeric story variables to score as posture dimensions")
    p.add_argument("--force", action="store_true", help="overwrite OUT.yaml if it exists")


def _read(path: object, shown: str) -> str:
    import stat
    from pathlib import Path

    from sam_cowboy.usage import UsageError

    assert isinstance(path, Path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            raise UsageError(f"{shown}: not a regular file")
        if info.st_size > MAX_BYTES:
            raise UsageError(f"{shown}: larger than {MAX_BYTES // 2**20} MB; not a story")
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as e:
        raise UsageError(f"{shown}: {e.strerror or e}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise UsageError(f"{shown}:{line}:{column}: not UTF-8 text; save the story as "
                         "UTF-8") from None


def _includer(story: object):  # type: ignore[no-untyped-def]
    """How an ink story reads the files it INCLUDEs: beside it or below, never elsewhere."""
    from pathlib import Path

    from sam_cowboy.core.safe_text import one_line
    from sam_cowboy.usage import UsageError

    assert isinstance(story, Path)
    root = story.resolve().parent

    def read(name: str, from_file: str) -> tuple[str, str] | None:
        del from_file  # ink resolves INCLUDE from the main file's folder
        path = (root / name.strip().strip('"')).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        try:
            return one_line(str(path)), _read(path, one_line(str(path)))
        except UsageError:
            return None
    return read


def execute(args: argparse.Namespace) -> int:
    import re
    import sys
    from pathlib import Path

    from sam_cowboy.authoring.importing import Fallback, ImportError_
    from sam_cowboy.authoring.scaffold import LANGUAGE_RE
    from sam_cowboy.core.analysis import analyse
    from sam_cowboy.core.findings import Finding
    from sam_cowboy.core.loader import load_episode_data
    from sam_cowboy.core.safe_text import one_line
    from sam_cowboy.usage import InputError, UsageError, write_output

    if not LANGUAGE_RE.match(args.import_lang):
        raise UsageError(f"`{one_line(args.import_lang)}` is not a language code like `fr` "
                         "or `en`")
    story = Path(args.story)
    shown = one_line(args.story)
    dims = [d.strip() for d in args.dimensions.split(",") if d.strip()]

    def convert(dimensions: list[str], fallback: Fallback | None = None):  # type: ignore[no-untyped-def]
        if story.is_dir():
            from sam_cowboy.authoring.twee import convert_files, read_folder

            files = [(one_line(name), text) for name, text in read_folder(story)]
            return convert_files(files, story.name, args.import_lang, dimensions, fallback)
        source = _read(story, shown)
        suffix = story.suffix.lower()
        if suffix in (".html", ".htm"):
            from sam_cowboy.authoring.twine_html import convert_html

            return convert_html(source, shown, story.stem, args.import_lang, dimensions,
                                fallback)
        if suffix == ".ink":
            from sam_cowboy.authoring.ink import convert_ink

            return convert_ink(source, shown, story.stem, args.import_lang, dimensions,
                               fallback, _includer(story))
        from sam_cowboy.authoring.twee import convert as convert_twee

        return convert_twee(source, story.stem, args.import_lang, dimensions, shown, fallback)

    out = args.output or str(story.with_suffix(".yaml") if not story.is_dir()
                             else story.parent / (story.name + ".yaml"))

    def errors_of(yaml: str) -> list[Finding]:
        loaded = load_episode_data(yaml, out, None)
        found = list(loaded.findings)
        if loaded.episode is not None:
            found += analyse(loaded.episode).findings
        return [f for f in found if f.severity == "error"]

    # what `check` would refuse is imported again more plainly: first without the
    # dimensions asked for (a meter raised in a loop has no bound), then with a way to
    # stop everywhere (conditions that can leave a run with no ending), then without the
    # conditions on the variables that give the analysis too many states
    from sam_cowboy.commands.progress import Bar

    bar = Bar("Importing", None)  # shows after a second of work, on a terminal only
    try:
        result = convert(dims)
        errors = errors_of(result.yaml)
        if errors and dims:
            why = one_line(errors[0].message)
            result = convert([])
            result.warnings.append(("", f"--dimensions: scoring these variables gives an "
                                    f"error ({why}); imported without dimensions"))
            errors = errors_of(result.yaml)
        fallback = Fallback()
        for attempt in range(4):
            messages = [f.message for f in errors]
            stuck = any("no ending can be reached" in m for m in messages)
            states = [m for m in messages if "distinct states" in m]
            culprits = {v for m in states for v in re.findall(r"variable `(\w+)`", m)
                        + re.findall(r"(visits\('[^']+'\))", m)}
            if not stuck and not states:
                break
            if states and (attempt >= 1 or not culprits):  # still too many: read nothing
                culprits = {"*"}
            sticky = fallback.sticky or "*" in fallback.unobserved and bool(states)
            fallback = Fallback(fallback.stop_choices or stuck,
                                fallback.unobserved | frozenset(culprits), sticky)
            result = convert([], fallback)
            errors = errors_of(result.yaml)
    except ImportError_ as e:
        raise UsageError(e.format(shown)) from None
    except (UsageError, InputError):
        raise
    except Exception as e:  # noqa: BLE001 - a bug of ours: one line, never a traceback
        raise InputError(f"{shown}: the story could not be imported ({type(e).__name__}); "
                         "please report it with the story") from None
    finally:
        bar.close()
    if errors:  # a bug of ours: say so rather than write a broken file
        raise InputError(f"{shown}: the converted episode has an error ({one_line(errors[0].message)}); "
                         "please report it with the story")
    if out == "-":
        sys.stdout.write(result.yaml)
    else:
        path = Path(out)
        if path.exists() and not args.force:
            raise UsageError(f"{one_line(out)} already exists: choose another -o or add "
                             "--force")
        write_output(path, result.yaml)
    for where, message in result.warnings[:MAX_WARNINGS]:
        sys.stderr.write(f"{one_line(where) or shown}: warning: {one_line(message)}\n")
    if len(result.warnings) > MAX_WARNINGS:
        sys.stderr.write(f"{shown}: {len(result.warnings) - MAX_WARNINGS} more warnings: "
                         "each is an x-todo note in the episode\n")
    for line in result.summary.lines():
        sys.stderr.write(f"{shown}: {one_line(line)}\n")
    if out != "-":
        sys.stderr.write(f"wrote {one_line(out)}; next: sam-cowboy check {one_line(out)}\n")
    return 0
