"""The `sam-cowboy` command: thin, fast to start, UI imported only by the commands that draw.

Exit status: 0 success; 1 the input was read but has errors; 2 bad usage or unreadable
input. Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import NoReturn

from sam_cowboy import __version__
from sam_cowboy.usage import (  # noqa: F401  (the names commands and tests used from here)
    InputError,
    UsageError,
    episode_arg,
    positive_int,
    print_json,
    write_output,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The top-level parser; each module of sam_cowboy.commands adds its own subcommand.

    A command module is named after its command (`import_` for `import`) and defines NAME,
    HELP, DESCRIPTION (with an example), `configure(parser)` and `execute(args) -> int`,
    importing anything heavy inside `execute` only. When `argv` names a command, only that
    module is imported: `play` and `check` do not pay for the others.
    """
    parser = _Parser(prog="sam-cowboy", description="Sam the Social Cowboy: choose-your-path "
                     "episodes for social-selling training. With no command, opens the "
                     "library of episodes.")
    parser.add_argument("--version", action="version", version=f"sam-cowboy {__version__}")
    with_value = [
        parser.add_argument("--lang", help="language of the interface and episodes (fr, en)"),
        parser.add_argument("--player", help="player name (default: your login name)"),
        parser.add_argument("--library", action="append", type=Path, default=[],
                            metavar="DIR", help="add a folder of episodes to the library"),
    ]
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    wanted = _command_in(argv, {s for action in with_value for s in action.option_strings})
    for module in command_modules(only=wanted):
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.DESCRIPTION,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        module.configure(p)
        p.set_defaults(execute=module.execute)
    return parser


def _command_in(argv: Sequence[str] | None, with_value: set[str]) -> str | None:
    """The command word of `argv` if it names a command module, else None (then all load).

    `with_value`: the global options whose next word is their value, not a command."""
    args = list(sys.argv[1:] if argv is None else argv)
    i = 0
    while i < len(args):
        word = args[i]
        if word in with_value:
            i += 2
            continue
        if word.startswith("-"):
            i += 1
            continue
        return word if word in command_names() else None
    return None


HELPER_MODULES = {"common", "progress"}  # modules of sam_cowboy.commands that are no command


def command_names() -> dict[str, str]:
    """Command name -> module name, read from the package's files without importing them."""
    import sam_cowboy.commands as package

    names = {Path(f).stem for folder in package.__path__ for f in os.listdir(folder)
             if f.endswith((".py", ".pyc"))}  # (pkgutil would cost more than the commands)
    return {n.rstrip("_"): n for n in sorted(names)
            if not n.startswith("_") and n not in HELPER_MODULES}


def command_modules(only: str | None = None) -> list[ModuleType]:
    names = command_names()
    chosen = [names[only]] if only is not None else sorted(names.values())
    modules = [importlib.import_module(f"sam_cowboy.commands.{n}") for n in chosen]
    return sorted((m for m in modules if hasattr(m, "NAME")),
                  key=lambda m: (getattr(m, "ORDER", 50), m.NAME))


def main(argv: Sequence[str] | None = None) -> int:
    from sam_cowboy.output import safe_output

    with safe_output():  # no text from a file reaches the terminal as a control sequence
        return _guarded(argv)


def _guarded(argv: Sequence[str] | None) -> int:
    try:
        return _main(argv)
    except UsageError as e:
        print(f"sam-cowboy: {e}", file=sys.stderr)
        return 2
    except InputError as e:
        print(f"sam-cowboy: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sam-cowboy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser(argv).parse_args(argv)
    execute = getattr(args, "execute", None)
    if execute is None:
        from sam_cowboy.commands.play import open_library  # (cli -> commands: one way)

        return open_library(args)
    result: int = execute(args)
    return result
