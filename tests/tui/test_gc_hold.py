"""The cycle collector is held while the app starts, then runs again once it is idle."""

from __future__ import annotations

import gc

import pytest

from sam_cowboy.tui import app as app_module
from sam_cowboy.tui import gc_hold

from .conftest import CARDS, make_app, play, settle


@pytest.fixture
def collector():  # type: ignore[no-untyped-def]
    """Whatever a test does, the collector is enabled with its thresholds and nothing stays
    frozen after it."""
    thresholds = gc.get_threshold()
    yield
    gc_hold.release()
    gc.unfreeze()
    gc.enable()
    gc.set_threshold(*thresholds)


def test_hold_freeze_release_only_act_when_held(collector) -> None:  # type: ignore[no-untyped-def]
    gc_hold.freeze()
    gc_hold.release()
    assert gc.isenabled() and gc.get_freeze_count() == 0  # never held: nothing happens
    gc_hold.hold()
    assert not gc.isenabled()
    gc_hold.freeze()
    assert gc.get_freeze_count() > 0
    young, *older = gc.get_threshold()
    gc_hold.release()
    assert gc.isenabled()
    assert gc.get_threshold() == (gc_hold.YOUNG_BATCH, *older)  # bigger batches once idle
    gc_hold.release()
    assert gc.isenabled()


async def test_the_app_releases_the_collector_when_idle(data_dir, collector,  # type: ignore[no-untyped-def]
                                                        monkeypatch) -> None:
    monkeypatch.setattr(app_module, "GC_RELEASE_DELAY", 0.2)
    gc_hold.hold()
    app = make_app(CARDS, data_dir)
    gc_hold.freeze()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not gc.isenabled()  # still starting: the intro is drawn without a pass
        await pilot.pause(0.4)
        assert gc.isenabled()
        await play(pilot, [1, 1, 1, 1, 1])  # and the app plays on with it
        assert type(app.screen).__name__ == "DebriefScreen"


def test_a_play_that_fails_to_start_leaves_the_collector_running(tmp_path, collector) -> None:  # type: ignore[no-untyped-def]
    from sam_cowboy.cli import main

    broken = tmp_path / "broken.yaml"
    broken.write_text("sam_cowboy: 1\nid: [\n", encoding="utf-8")
    assert main(["play", str(tmp_path / "missing.yaml")]) == 2
    assert main(["play", str(broken)]) == 1
    assert gc.isenabled() and gc.get_freeze_count() == 0


async def test_the_young_generation_is_collected_once_the_work_ahead_is_done(
        collector, data_dir) -> None:  # type: ignore[no-untyped-def]
    """A key press after a pause to read starts with no young garbage pending (a pass of
    the collector ran while the player read); never while the collector is held."""
    gc.set_threshold(1_000_000, *gc.get_threshold()[1:])  # no automatic pass in this test
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [])
        await pilot.pause(0.3)
        assert gc.get_count()[0] < 2_000  # drawing ahead made tens of thousands of objects
        gc_hold.hold()
        await pilot.press("1")
        await pilot.pause(0.3)
        assert gc.get_count()[0] > 2_000  # held: nothing collected
