"""The season remembers (issue 17, item 4): a player's earlier runs, read from the results
store, decide which retrieval scene ep03 opens with, in plain mode and in the app; `season`
lists what is remembered."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sam_cowboy.core.loader import load_episode
from sam_cowboy.library import builtin_dir
from sam_cowboy.results.season_memory import (
    RunResult,
    Versions,
    library_folders,
    memories,
    remember,
    season_for,
)
from sam_cowboy.results.store import open_store

# ep01 and ep02 paths (plain-mode answers; `1+2` composes the headline) that leave
# "Finding the right people" (targeting) the weakest skill; ids for `run --choice-ids`
EP01 = ["1", "1", "1", "1+2", "1", "1", "2", "2", "4", "2", "3", "1"]
EP01_IDS = ["trust-profile", "check-tonight", "only-first", "trophies+job", "about-own",
            "photo-new", "share-lesson", "reco-ask", "skip-claire", "ask-questions",
            "send-later", "invite-note"]
EP02 = ["1", "2", "1", "1", "2", "2", "1", "3", "2", "2", "2", "3"]
EP02_IDS = ["benchmark", "look-further", "learn-lea", "finish-it", "post-test", "post-flop",
            "mass", "blank", "withdraw-learn", "converse", "propose-call", "share-flop"]
# an ep01 path that would make relationship the weakest (8%) if it counted
EP01_LOW_RELATIONSHIP = ["1", "1", "1", "1+2", "1", "1", "2", "3", "2", "2", "2", "2"]
EP01_LOW_RELATIONSHIP_IDS = [*EP01_IDS[:7], "reco-manager", "read-claire", "run-deck",
                             "company-refs", "invite-pitch"]

RECALL_TITLE = {"targeting": "## This week's list", "relationship": "## A business card",
                "brand": "## Before the trade fair", "authenticity": "## Marketing's text"}
NO_RECALL = "## Marketing's kit"  # ep03's first scene without any earlier result
HOSTILE = "[bold]Zed[/] [0]\x1b[2J"


def sam(db: Path | str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LANGUAGE": "",
           "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "SAM_COWBOY_DB": str(db)}
    env.pop("SAM_COWBOY_TODAY", None)
    done = subprocess.run([sys.executable, "-m", "sam_cowboy", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=180,
                          encoding="utf-8", errors="replace")
    assert "Traceback" not in done.stderr, done.stderr
    return done


def play(db: Path | str, episode: str, answers: list[str], player: str = "ana",
         *extra: str) -> subprocess.CompletedProcess[str]:
    done = sam(db, "play", episode, "--plain", "--lang", "en", "--player", player, *extra,
               stdin="".join(f"{a}\n" for a in answers))
    assert done.returncode == 0, done.stderr
    return done


def season_json(db: Path | str, *extra: str) -> list[dict[str, object]]:
    done = sam(db, "season", "--json", *extra)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert isinstance(rows, list)
    return rows


def debrief_percents(episode: str, ids: list[str], *extra: str) -> dict[str, tuple[int, bool]]:
    """What `run --json` (the debrief) says of a path: percent and exercised."""
    done = sam("unused.sqlite3", "run", episode, "--choice-ids", ",".join(ids), "--json",
               *extra)
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)["scores"]
    return {d: (s["percent"], s["exercised"]) for d, s in scores.items()}


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store where ana played ep01 then ep02 (targeting weak), and nothing else."""
    db = tmp_path_factory.mktemp("season") / "results.sqlite3"
    play(db, "ep01", EP01)
    play(db, "ep02", EP02)
    return db


@pytest.fixture
def db(history: Path, tmp_path: Path) -> Path:
    """A copy of `history` a test may add runs to."""
    copy = tmp_path / "results.sqlite3"
    shutil.copy(history, copy)
    return copy


def expected_rows(player: str = "ana") -> list[dict[str, object]]:
    """latest: ep02's percent where ep02 exercised the dimension, else ep01's; best: the
    higher (ties: the later run); percents exactly as the debrief computes them."""
    first = debrief_percents("ep01-google-test", EP01_IDS)
    second = debrief_percents("ep02-first-steps", EP02_IDS)
    rows = []
    for dim in first:
        marks = [(p, ep) for (p, seen), ep in ((first[dim], "ep01-google-test"),
                                               (second[dim], "ep02-first-steps")) if seen]
        if not marks:
            continue
        best = max(reversed(marks), key=lambda m: m[0])
        rows.append({"player": player, "dimension": dim, "latest": marks[-1][0],
                     "latest_episode": marks[-1][1], "best": best[0], "best_episode": best[1]})
    return rows


def test_plain_ep03_opens_with_the_retrieval_scene_of_the_weakest_earlier_skill(
        db: Path) -> None:
    rows = season_json(db)
    latest = {r["dimension"]: r["latest"] for r in rows}
    assert min(latest, key=lambda d: latest[d]) == "targeting"  # what the paths were chosen for
    out = play(db, "ep03", []).stdout
    assert RECALL_TITLE["targeting"] in out
    assert all(RECALL_TITLE[d] not in out for d in RECALL_TITLE if d != "targeting")
    assert NO_RECALL not in out  # the input ended in the retrieval scene
    # another player, with no earlier result, starts ep03 as it always did
    other = play(db, "ep03", [], "bea").stdout
    assert NO_RECALL in other and RECALL_TITLE["targeting"] not in other


def test_season_json_lists_latest_and_best_as_the_debrief_computed_them(db: Path) -> None:
    rows = season_json(db)
    assert rows == expected_rows()
    assert {r["latest_episode"] for r in rows} == {"ep02-first-steps"}
    assert any(r["best_episode"] == "ep01-google-test" for r in rows)  # best != latest
    assert season_json(db, "--player", "ana") == rows
    assert season_json(db, "--player", "nobody") == []
    text = sam(db, "season").stdout
    assert "ana:" in text and "Finding the right people: latest 22% (ep02-first-steps)" in text


def test_a_run_that_began_with_a_retrieval_scene_counts_too(db: Path) -> None:
    """ep03's path starts in the retrieval scene its season chose: the season memory replays
    it under that season (what play gave it) to know which dimensions it exercised."""
    season = {r["dimension"]: r["latest"] for r in season_json(db)}
    play(db, "ep03", ["1"] * 6)
    done = sam(db, "season", "--json")
    assert done.stderr == ""  # no run left out
    rows = json.loads(done.stdout)
    given = ",".join(f"{d}={v}" for d, v in season.items())
    ep03 = debrief_percents("ep03-sharing-insight", ["shortlist", "repost-kit", "link-comment",
                                                     "own-it", "book-demo", "nobody-reads"],
                            "--season", given)
    assert {r["dimension"]: (r["latest"], r["latest_episode"]) for r in rows} == {
        d: (p, "ep03-sharing-insight") for d, (p, seen) in ep03.items() if seen}


def test_a_practice_run_does_not_count(db: Path) -> None:
    before = season_json(db)
    play(db, "ep01", EP01_LOW_RELATIONSHIP, "ana", "--practice")
    assert season_json(db) == before
    assert RECALL_TITLE["targeting"] in play(db, "ep03", []).stdout
    # the same path, counted, changes the season: the test above could fail
    play(db, "ep01", EP01_LOW_RELATIONSHIP)
    latest = {r["dimension"]: (r["latest"], r["latest_episode"]) for r in season_json(db)}
    counted = debrief_percents("ep01-google-test", EP01_LOW_RELATIONSHIP_IDS)
    assert latest == {d: (p, "ep01-google-test") for d, (p, seen) in counted.items() if seen}
    assert RECALL_TITLE["relationship"] in play(db, "ep03", []).stdout


def test_an_abandoned_run_and_a_test_run_do_not_count_and_test_runs_get_no_season(
        db: Path) -> None:
    before = season_json(db)
    play(db, "ep01", EP01_LOW_RELATIONSHIP[:5])  # input ends before the ending: abandoned
    assert season_json(db) == before
    # --at / --set runs stay as they are: no season, so the recall route goes on to the kit
    out = play(db, "ep03", [], "ana", "--at", "recall").stdout
    assert NO_RECALL in out and RECALL_TITLE["targeting"] not in out


def test_hostile_player_names_are_data(db: Path) -> None:
    play(db, "ep01", EP01, HOSTILE)
    rows = season_json(db, "--player", HOSTILE)
    assert rows and {r["player"] for r in rows} == {"[bold]Zed[/] [0]"}
    assert season_json(db, "--player", "ana' OR '1'='1") == []
    text = sam(db, "season").stdout
    assert "[bold]Zed[/] [0]:" in text and "\x1b" not in text
    # the hostile player's season is theirs alone: ep03 recalls their own weakest skill
    assert RECALL_TITLE["targeting"] in play(db, "ep03", [], HOSTILE).stdout


def test_a_store_that_cannot_be_opened_leaves_play_without_season(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    done = play(blocked / "results.sqlite3", "ep03", ["1"])
    assert NO_RECALL in done.stdout
    assert "Traceback" not in done.stderr and done.stderr.count("\n") <= 2


# ------------------------------------------------------------------ the pure part


def test_latest_is_by_end_best_is_the_highest_and_unexercised_dimensions_say_nothing() -> None:
    runs = [RunResult(3, "ep02", 30.0, 40.0, {"brand": 50}),
            RunResult(1, "ep01", 0.0, 10.0, {"brand": 80, "targeting": 20}),
            RunResult(2, "ep03", 11.0, 20.0, {"targeting": 20, "insight": 5})]
    memory = remember(runs)
    assert memory.values() == {"brand": 50, "targeting": 20, "insight": 5}
    assert (memory.latest["brand"].episode_id, memory.best["brand"].episode_id) == ("ep02", "ep01")
    assert memory.best["targeting"].episode_id == "ep03"  # a tie: the later run
    assert remember(runs, other_than="ep02").values() == {"brand": 80, "targeting": 20,
                                                          "insight": 5}
    assert remember(runs, before=15.0).values() == {"brand": 80, "targeting": 20}
    assert remember([]).values() == {}


# ------------------------------------------------------------------ store and library


def test_runs_of_a_version_no_longer_in_the_library_are_skipped(db: Path) -> None:
    store = open_store(str(db))
    try:
        gone = store.start_run(player="ana", episode_id="ep04-illectronisme",
                               episode_hash="0123456789abcdef", lang="en", at=2e9)
        store.finish_run(gone, ending="x", ending_kind="good", scores={"brand": -2},
                         overall=0, at=2e9 + 1)
        memory = memories(store, Versions(library_folders()), "ana")["ana"]
        assert [(s.run_id, s.reason) for s in memory.skipped] == [
            (gone, "this version of the episode is no longer in the library")]
        assert {m.episode_id for m in memory.latest.values()} == {"ep02-first-steps"}
    finally:
        store.close()


def test_a_resumed_run_gets_the_season_it_began_with(db: Path) -> None:
    """season_for(as_of=start) leaves out runs that ended after the run began."""
    copy = db
    store = open_store(str(copy))
    try:
        now = season_for(store, "ana", "ep03-sharing-insight", library_folders())
        last_end = max(r["ended_at"] for r in store.runs(player="ana"))
    finally:
        store.close()
    play(copy, "ep01", EP01_LOW_RELATIONSHIP)  # ends after `last_end`
    store = open_store(str(copy))
    try:
        later = season_for(store, "ana", "ep03-sharing-insight", library_folders())
        then = season_for(store, "ana", "ep03-sharing-insight", library_folders(),
                          as_of=last_end)
    finally:
        store.close()
    assert then == now != later


def test_the_season_leaves_out_the_episode_being_played(history: Path) -> None:
    store = open_store(str(history))
    try:
        for_ep02 = season_for(store, "ana", "ep02-first-steps", library_folders())
    finally:
        store.close()
    first = debrief_percents("ep01-google-test", EP01_IDS)
    assert for_ep02 == {d: p for d, (p, seen) in first.items() if seen}


def test_the_app_starts_its_run_with_the_same_season(db: Path, tmp_path: Path) -> None:
    import asyncio

    from sam_cowboy.tui.app import create_app
    from sam_cowboy.tui.session import PlayRun

    path = builtin_dir() / "ep03-sharing-insight.yaml"
    episode = load_episode(path).require()
    store = open_store(str(db))
    try:
        expected = season_for(store, "ana", episode.id, library_folders())
    finally:
        store.close()
    assert expected and min(expected, key=lambda d: expected[d]) == "targeting"

    async def scenario() -> tuple[PlayRun | None, str]:
        app = create_app(episode=episode, lang="en", player="ana", db=str(db),
                         data_dir=tmp_path / "data")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")  # the intro: start the run
            await pilot.pause()
            run = app.run_in_progress
            scene = run.state.scene if run is not None else ""
            await pilot.press("ctrl+c")
        return run, scene

    run, scene = asyncio.run(scenario())
    assert run is not None
    assert dict(run.season or {}) == expected
    assert scene == "recall-targeting"
    # a resumed run replays under that season: the retrieval answer is still a choice there
    resumed = PlayRun.resume(episode, None, ["shortlist"], False, season=run.season)
    assert resumed.state.path == (("recall-targeting", "shortlist"),)


def test_a_run_resumed_in_the_app_replays_under_the_season_it_began_with(
        db: Path, tmp_path: Path) -> None:
    """Quit ep03 after its retrieval scene, let the season change (a counted ep01 run that
    makes relationship the weakest), resume: the saved choices replay under the season the
    run began with, so the run goes on instead of starting again in another scene."""
    import asyncio

    from sam_cowboy.tui.app import create_app
    from sam_cowboy.tui.screens.resume import ResumeScreen
    from sam_cowboy.tui.screens.scene import SceneScreen

    episode = load_episode(builtin_dir() / "ep03-sharing-insight.yaml").require()
    data = tmp_path / "data"

    async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    async def first_sitting() -> dict[str, int] | None:
        app = create_app(episode=episode, lang="en", player="ana", db=str(db), data_dir=data)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            run = app.run_in_progress
            assert run is not None and run.state.scene == "recall-targeting"
            await pilot.press("1")  # "Pick ten people…": the shortlist
            await settle(pilot)
            if isinstance(app.screen, SceneScreen) and app.screen.feedback_mode:
                await pilot.press("enter")
                await settle(pilot)
            assert run.state.path == (("recall-targeting", "shortlist"),)
            await pilot.press("q")
            await pilot.pause()
        return dict(run.season or {})

    async def second_sitting() -> tuple[object, dict[str, int] | None, str]:
        app = create_app(episode=episode, lang="en", player="ana", db=str(db), data_dir=data)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, ResumeScreen)
            await pilot.press("enter")
            await settle(pilot)
            run = app.run_in_progress
            assert run is not None
            path, scene = run.state.path, run.state.scene
            await pilot.press("q")
            await pilot.pause()
        return path, dict(run.season or {}), scene

    began = asyncio.run(first_sitting())
    play(db, "ep01", EP01_LOW_RELATIONSHIP)
    store = open_store(str(db))
    try:
        now = season_for(store, "ana", episode.id, library_folders())
    finally:
        store.close()
    assert min(now, key=lambda d: now[d]) == "relationship" != min(began, key=lambda d: began[d])
    path, season, scene = asyncio.run(second_sitting())
    assert path == (("recall-targeting", "shortlist"),)
    assert season == began
    assert scene == "monday-kit"


def test_an_episode_version_counts_while_its_folder_is_in_the_library(
        db: Path, tmp_path: Path) -> None:
    """A trainer's edited copy of ep01 (another content hash): its run counts when its
    folder is given with --library, and is left out (and said) without it."""
    folder = tmp_path / "trainer"
    folder.mkdir()
    shutil.copy(builtin_dir() / "series.yaml", folder / "series.yaml")  # its dimensions
    edited = folder / "ep01-google-test.yaml"
    edited.write_bytes((builtin_dir() / "ep01-google-test.yaml").read_bytes()
                       + b"\n# the trainer's copy\n")
    play(db, str(edited), EP01_LOW_RELATIONSHIP)
    with_folder = sam(db, "--library", str(folder), "season", "--json")
    assert with_folder.stderr == ""
    latest = {r["dimension"]: r["latest"] for r in json.loads(with_folder.stdout)}
    assert latest["relationship"] == 8  # the edited copy's run, the latest
    without = sam(db, "season")
    assert "Note: ana: run 3 of ep01-google-test not counted: this version of the episode " \
           "is no longer in the library" in without.stdout
    assert "Finding the right people: latest 22% (ep02-first-steps)" in without.stdout


def test_the_app_plays_on_without_season_when_the_store_cannot_be_opened(
        tmp_path: Path) -> None:
    import asyncio

    from sam_cowboy.tui.app import create_app

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    episode = load_episode(builtin_dir() / "ep03-sharing-insight.yaml").require()

    async def scenario() -> tuple[object, str, str | None]:
        app = create_app(episode=episode, lang="en", player="ana",
                         db=str(blocked / "results.sqlite3"), data_dir=tmp_path / "data")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            run = app.run_in_progress
            assert run is not None
            season, scene = run.season, run.state.scene
            await pilot.press("ctrl+c")
        return season, scene, app.results_problem

    season, scene, problem = asyncio.run(scenario())
    assert season is None and scene == "monday-kit"
    assert problem  # told once, calmly, by the app's results notification
