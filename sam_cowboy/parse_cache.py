"""Episodes' YAML parsed once per version and kept on disk, so the app starts without PyYAML.

Importing PyYAML and parsing a built-in episode cost about a tenth of the time from
`sam-cowboy play` to the first scene. `cached_read` is a reader for the loader: the parsed
tree (values and positions, `yamlread.to_plain`) is kept as JSON under a hash of the text
and the format version, so any edit parses again. The loader still builds and checks the
episode from the tree every time, exactly as from a fresh parse. A missing, unreadable or
corrupt entry is never an error: the text is parsed again. Files whose YAML uses aliases
are not kept (their tree shares nodes).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sam_cowboy import userdirs
from sam_cowboy.core.yamlread import from_plain, read_yaml, to_plain

VERSION = "1"  # bump when yamlread's tree or its plain form changes


def cache_dir() -> Path:
    return userdirs.cache_dir("parsed")


def _digest(text: str) -> str:
    digest = hashlib.sha256(f"sam-cowboy parse {VERSION}\n".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _entry(digest: str) -> Path:
    return cache_dir() / f"{digest[:32]}.json"


def entry(text: str) -> Path:
    """Where the parse of `text` is kept."""
    return _entry(_digest(text))


def cached_read(text: str) -> object:
    """`read_yaml(text)`, from the disk when this exact text was parsed before."""
    digest = _digest(text)
    path = _entry(digest)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(kept, dict) or kept.get("text") != digest:
            raise ValueError("another text's parse, or not one")
        return from_plain(kept["tree"])
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        pass
    tree = read_yaml(text)  # a YamlError goes to the loader, as without the cache
    plain = to_plain(tree)
    if plain is not None:
        try:
            from sam_cowboy.atomic import write_text_atomic

            write_text_atomic(path, json.dumps({"text": digest, "tree": plain},
                                               ensure_ascii=False, separators=(",", ":")))
        except (OSError, ValueError):
            pass  # a read-only or full disk: parsed again next time
    return tree
