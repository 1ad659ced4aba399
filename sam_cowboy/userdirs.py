"""Where sam-cowboy keeps a user's files: one data folder and one cache folder.

`SAM_COWBOY_DATA_DIR` and `SAM_COWBOY_CACHE_DIR` move them (tests, shared machines);
otherwise they follow the platform (`~/.local/share/sam-cowboy`, `~/.cache/sam-cowboy`).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "SAM_COWBOY_DATA_DIR"
ENV_CACHE_DIR = "SAM_COWBOY_CACHE_DIR"


def data_dir(explicit: Path | str | None = None) -> Path:
    """The folder of saves, results and keys (not created here)."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("sam-cowboy", appauthor=False))


def cache_dir(kind: str) -> Path:
    """The cache folder for one kind of entry (`analysis`, ...), not created here."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser() / kind
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sam-cowboy", appauthor=False)) / kind
