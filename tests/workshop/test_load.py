"""benchmarks/workshop_load.py plays a room to its ending and counts every vote (small N)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_load_benchmark_counts_every_vote() -> None:
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "workshop_load.py"),
                        "--participants", "12"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout.strip().splitlines()[-1])
    assert {"participants", "votes_sent", "votes_counted", "tally_p95_ms", "server_rss_mib",
            "client_errors"} <= set(data)
    assert data["participants"] == 12 and data["client_errors"] == 0
    assert data["votes_sent"] == data["votes_counted"] == 12 * data["scenes"] > 0
    assert data["server_rss_mib"] > 0
