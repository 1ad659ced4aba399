"""The app's transfer screen, reached from the debrief with `t` (Pilot)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.widgets import Input  # noqa: E402
from tui.conftest import make_app, play, settle  # noqa: E402

from sam_cowboy.results import learning, open_store  # noqa: E402
from sam_cowboy.tui.screens.debrief import DebriefScreen  # noqa: E402
from sam_cowboy.tui.screens.transfer import TransferScreen  # noqa: E402

EP04 = Path(__file__).resolve().parents[2] / "episodes" / "ep04-illectronisme.yaml"


def test_reflection_and_own_commitment_from_the_debrief(tmp_path, monkeypatch):
    asyncio.run(_scenario(tmp_path, monkeypatch))


async def _scenario(tmp_path, monkeypatch):
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SAM_COWBOY_DB", str(tmp_path / "r.sqlite3"))
    monkeypatch.setenv("SAM_COWBOY_TODAY", "2026-03-02")
    app = make_app(EP04, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [1, 1, 1, 1, 1])
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TransferScreen)
        app.screen.query_one("#tr-answer", Input).value = "[bold]x[/] \x1b[2J"
        app.screen.query_one("#tr-own", Input).value = "Call [bold]Paul[/]"
        await pilot.click("#tr-save")
        await settle(pilot)
        app.results.flush()
        assert isinstance(app.screen, DebriefScreen)
    store = open_store(None)
    try:
        (c,) = learning.commitments(store)
        assert c["action"] == "Call [bold]Paul[/]" and c["own"] and c["due"] == "2026-03-09"
        runs = store.runs(episode_id="ep04-illectronisme")
        assert runs[-1]["reflection"] == "[bold]x[/] \x1b[2J"
    finally:
        store.close()
