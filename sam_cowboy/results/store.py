"""The results store: one interface, two backends (SQLite by default, PostgreSQL to share).

`open_store(url)` picks the backend; the interface itself lives in `base.py`, which the
backends import, so nothing imports in a circle (store -> sqlite/postgres -> base).
"""

from __future__ import annotations

from pathlib import Path

from sam_cowboy.results.base import (
    ENV_DB,
    Row,
    Store,
    StoreError,
    StoreUnavailable,
    default_url,
    describe,
    dumps,
)
from sam_cowboy.results.postgres import PostgresStore
from sam_cowboy.results.sqlite import SQLiteStore

__all__ = ["ENV_DB", "Row", "Store", "StoreError", "StoreUnavailable",
           "default_url", "describe", "dumps", "open_store"]


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating if needed) the store at `url` or the default."""
    url = url or default_url()
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url)
    if url.startswith("sqlite:"):
        path = url[len("sqlite:"):]
        if path.startswith("//"):
            path = path[2:]
    elif "://" in url:
        raise StoreError(f"unknown database URL `{describe(url)}`: use a file path, "
                         f"sqlite:///path or postgresql://user@host/db")
    else:
        path = url
    return SQLiteStore(Path(path).expanduser())


