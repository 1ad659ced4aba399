"""Shared by all tests: a private analysis cache and data folder; a results store on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import tempfile

import pytest
from pg_support import PG_ENV, reset_pg

from sam_cowboy.results.store import Store, open_store

# Analyses cached by the tests (and the commands they start) stay out of the user's cache.
os.environ.setdefault("SAM_COWBOY_CACHE_DIR", tempfile.mkdtemp(prefix="sam-cowboy-cache-"))
# Saves, results and workshop tokens of commands the tests start stay out of the user's
# folder too (tests that look at them set their own with the data_dir fixture).
os.environ.setdefault("SAM_COWBOY_DATA_DIR", tempfile.mkdtemp(prefix="sam-cowboy-data-"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path) -> Store:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        s = open_store(str(tmp_path / "results.sqlite3"))
    else:
        url = os.environ.get(PG_ENV)
        if not url:
            pytest.skip(f"{PG_ENV} is not set (run .ci/postgres.sh)")
        reset_pg(url)
        s = open_store(url)
    yield s
    s.close()
