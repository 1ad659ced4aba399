"""Results store: every run recorded (SQLite by default, PostgreSQL to share); see store.py."""

from sam_cowboy.results.store import Store, StoreError, default_url, open_store

__all__ = ["Store", "StoreError", "default_url", "open_store"]
