from __future__ import annotations

import random

import pytest

from sam_cowboy.authoring.randomtest import Walker, format_report, random_runs
from sam_cowboy.core import engine
from sam_cowboy.core.loader import load_episode

from .conftest import ODD

JSON_KEYS = {"runs", "seed", "endings", "unvisited_scenes", "unpicked_choices",
             "dead_end_runs", "scores"}


def reference(ep, runs: int, seed: int, max_steps: int = 1000):  # type: ignore[no-untyped-def]
    """The same random runs, the slow way: the engine for every step, no cache."""
    rnd = random.Random(seed).random
    endings = {s: 0 for s in ep.endings()}
    dead = loop = 0
    finals = []
    for _ in range(runs):
        try:
            state, _ = engine.begin(ep)
        except engine.EngineError:
            loop += 1
            continue
        steps = 0
        while not state.finished:
            shown = engine.choices_shown(ep, state)
            if not shown:
                dead += 1
                break
            if steps >= max_steps:
                loop += 1
                break
            steps += 1
            try:
                state, _ = engine.choose(ep, state, shown[int(rnd() * len(shown))].id)
            except engine.EngineError:
                loop += 1
                break
        if state.finished:
            endings[state.ending] += 1
            finals.append(tuple(state.scores[d] for d in ep.dimensions))
    return endings, dead, loop, finals


def check_same(path, runs=400, seed=3, max_steps=1000):  # type: ignore[no-untyped-def]
    ep = load_episode(path).episode
    assert ep is not None
    endings, dead, loop, finals = reference(ep, runs, seed, max_steps)
    report = random_runs(ep, runs=runs, seed=seed, max_steps=max_steps)
    assert report.endings == endings
    assert report.dead_end_runs == dead
    assert report.loop_limit_runs == loop
    for d, dim in enumerate(ep.dimensions):
        hist: dict[int, int] = {}
        for f in finals:
            hist[f[d]] = hist.get(f[d], 0) + 1
        assert report.histograms[dim] == dict(sorted(hist.items()))


def test_same_runs_as_the_engine_step_by_step_builtin(builtin) -> None:  # type: ignore[no-untyped-def]
    check_same(builtin)


def test_same_runs_as_the_engine_step_by_step_odd(odd) -> None:  # type: ignore[no-untyped-def]
    check_same(odd)
    check_same(odd, max_steps=3, seed=11)


def test_json_keys_and_determinism(cli) -> None:  # type: ignore[no-untyped-def]
    path = str(ODD / "loops.yaml")
    a = cli.json("randomtest", path, "-n", "500", "--seed", "7", "--json")
    b = cli.json("randomtest", path, "-n", "500", "--seed", "7", "--json")
    c = cli.json("randomtest", path, "-n", "500", "--seed", "8", "--json")
    assert a == b
    assert a != c
    assert JSON_KEYS <= set(a)
    assert set(a) - JSON_KEYS == {"loop_limit_runs"}
    assert a["runs"] == 500 and a["seed"] == 7
    assert sum(a["endings"].values()) + a["dead_end_runs"] + a["loop_limit_runs"] == 500
    assert set(a["scores"]["brand"]) == {"min", "max", "mean"}


def test_coverage_dead_ends_and_never_shown(cli) -> None:  # type: ignore[no-untyped-def]
    data = cli.json("randomtest", str(ODD / "conditions.yaml"), "-n", "300", "--json")
    assert "island" in data["unvisited_scenes"] and "lose" in data["unvisited_scenes"]
    assert "middle/never" in data["unpicked_choices"]
    assert "stuck/hope" in data["unpicked_choices"]
    assert data["dead_end_runs"] > 0
    assert data["endings"]["island"] == 0


def test_loop_limits(cli) -> None:  # type: ignore[no-untyped-def]
    data = cli.json("randomtest", str(ODD / "routeloop.yaml"), "-n", "200", "--json")
    assert data["loop_limit_runs"] > 0
    data = cli.json("randomtest", str(ODD / "loops.yaml"), "-n", "200", "--max-steps", "2",
                    "--json")
    assert data["loop_limit_runs"] == 200


def test_text_report(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("randomtest", str(ODD / "conditions.yaml"), "-n", "200")
    assert code == 0
    assert "never reached" in out
    assert "stuck in a dead end" in out
    assert "relationship" in out and "|" in out  # histogram


def test_report_without_any_ending() -> None:
    ep = load_episode(ODD / "loops.yaml").episode
    report = random_runs(ep, runs=5, max_steps=1)
    assert report.score_summary()["brand"] == {"min": None, "max": None, "mean": None}
    assert "no run reached an ending" in format_report(report)


def test_walker_asks_the_engine_once_per_key() -> None:
    ep = load_episode(ODD / "loops.yaml").episode
    w = Walker(ep)
    random_runs(ep, runs=200, walker=w)
    asked = w.misses
    random_runs(ep, runs=2000, walker=w, seed=5)
    assert w.misses <= asked + 5  # almost everything is known after 200 runs


@pytest.mark.parametrize("args, message", [
    (["randomtest", "nowhere.yaml"], "no such file"),
    (["randomtest", str(ODD / "loops.yaml"), "-n", "0"], "at least 1"),
    (["randomtest", str(ODD / "loops.yaml"), "--seed", "x"], "whole number"),
])
def test_usage_errors(cli, args, message) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(*args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_episode_with_errors_exits_1(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("sam_cowboy: 1\nid: bad\ntitle: x\nstart: nowhere\nscenes: {}\n")
    code, _, err = cli("randomtest", str(bad))
    assert code == 1 and "bad.yaml:" in err
