"""The embedded backend: one SQLite file in WAL mode, safe for many local processes."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sam_cowboy.results.base import Store, StoreError


class SQLiteStore(Store):
    dialect = "sqlite"
    types = {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "real": "REAL", "bigint": "INTEGER"}

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.url = str(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # results name people: the file is the owner's only (SQLite gives its -wal and
            # -shm files the same mode)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
            # Autocommit: transactions are explicit (BEGIN IMMEDIATE for writes), so a
            # writer takes the lock before reading and never has to retry a deadlock.
            self.conn = sqlite3.connect(str(path), timeout=60, isolation_level=None,
                                        check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout = 60000")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{path}: SQLite could not switch to WAL mode ({mode})")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.migrate()
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the results database {path}: {e}") from None
        except OSError as e:
            raise StoreError(f"cannot open the results database {path}: "
                             f"{e.strerror or e}") from None

    def _raw_execute(self, sql: str, params: Sequence[Any]) -> Any:
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.OperationalError as e:
            raise StoreError(f"results database {self.path}: {e}") from None

    def _begin(self, exclusive: bool) -> None:
        self._raw_execute("BEGIN IMMEDIATE" if exclusive else "BEGIN", ())

    def _commit(self) -> None:
        self._raw_execute("COMMIT", ())

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.conn.close()
