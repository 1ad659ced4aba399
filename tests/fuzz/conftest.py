"""The fuzz suite's commands write their results and saves in a private folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module", autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Module-scoped (hypothesis runs many examples per test), undone after each module so
    the rest of the suite keeps its own data folders."""
    home = tmp_path_factory.mktemp("fuzz-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SAM_COWBOY_DATA_DIR", str(home / "data"))
        patch.setenv("SAM_COWBOY_DB", str(home / "results.sqlite3"))
        if "SAM_COWBOY_CACHE_DIR" not in os.environ:
            patch.setenv("SAM_COWBOY_CACHE_DIR", str(home / "cache"))
        yield home
