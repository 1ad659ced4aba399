from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def ep01():  # type: ignore[no-untyped-def]
    from sam_cowboy.commands.common import load_playable

    return load_playable("ep01-google-test")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAM_COWBOY_DB", raising=False)
    monkeypatch.delenv("SAM_COWBOY_FACILITATOR_KEY", raising=False)
    return tmp_path / "data"


@pytest.fixture
def server(tmp_path):  # type: ignore[no-untyped-def]
    """A real workshop server on a free port, on a fresh SQLite store."""
    from workshop.support import RunningServer

    with RunningServer(str(tmp_path / "results.sqlite3")) as s:
        yield s
