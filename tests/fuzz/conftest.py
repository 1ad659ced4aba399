"""The fuzz suite's commands write their results and saves in a private folder."""

from __future__ import annotations

import os
import tempfile

_HOME = tempfile.mkdtemp(prefix="sam-cowboy-fuzz-")
os.environ["SAM_COWBOY_DATA_DIR"] = os.path.join(_HOME, "data")
os.environ["SAM_COWBOY_DB"] = os.path.join(_HOME, "results.sqlite3")
os.environ.setdefault("SAM_COWBOY_CACHE_DIR", os.path.join(_HOME, "cache"))
