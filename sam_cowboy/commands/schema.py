"""`sam-cowboy schema`: print the JSON Schema of the episode format."""

from __future__ import annotations

import argparse

NAME = "schema"
ORDER = 48
HELP = "print the JSON Schema of episodes (editor autocompletion)"
DESCRIPTION = """Print the JSON Schema (draft 2020-12) of the episode format. Editors that
use yaml-language-server (VS Code with the YAML extension, Neovim, Helix, Zed...) then
complete keys and underline typos as you type when the episode's first line is:

    # yaml-language-server: $schema=episode.schema.json

The schema checks shapes and keys; `sam-cowboy check` checks the rest.

Example: sam-cowboy schema -o episode.schema.json"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE instead of the standard output")


def execute(args: argparse.Namespace) -> int:
    import sys

    from sam_cowboy.authoring.schema import shipped_schema_text
    from sam_cowboy.usage import write_output

    text = shipped_schema_text()
    if args.output:
        write_output(args.output, text)
        sys.stderr.write(f"wrote {args.output}\n")
    else:
        sys.stdout.write(text)
    return 0
