"""Helpers for the app's tests: apps built from real episodes, a private data folder."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from sam_cowboy import cli
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode
from sam_cowboy.core.model import Episode

HERE = Path(__file__).parent
EPISODES = HERE / "episodes"
CARDS = EPISODES / "cards.yaml"
INJECT = EPISODES / "inject.yaml"
LIB = EPISODES / "lib"
PLAYER = "Alex"


def load(path: Path) -> Episode:
    return load_episode(path).require()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(folder))
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return folder


def make_app(path: Path | None, data_dir: Path, lang: str = "en", analysed: bool = True,
             **kwargs: object):
    """The app on `path` (analysed here, or by the app itself with analysed=False)."""
    from sam_cowboy.tui.app import create_app

    episode = load(path) if path is not None else None
    analysis = analyse(episode) if episode is not None and analysed else None
    kwargs.setdefault("builtin", False)
    kwargs.setdefault("player", PLAYER)
    return create_app(episode=episode, analysis=analysis, lang=lang, data_dir=data_dir,
                      **kwargs)


def run_json(path: Path, numbers: Iterable[int] | Iterable[str],
             capsys: pytest.CaptureFixture[str], lang: str = "en") -> dict[str, object]:
    """What `sam-cowboy run PATH --choices ... --json` prints (choice ids when given ids:
    in a compose scene a number is a fragment, not a whole message)."""
    import contextlib
    import io

    steps = [str(n) for n in numbers]
    ids = any(not step.isdigit() for step in steps)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["run", str(path), "--choice-ids" if ids else "--choices",
                         ",".join(steps), "--lang", lang, "--json"])
    assert code == 0
    return json.loads(out.getvalue())


async def settle(pilot) -> None:
    """Let the app draw and its workers finish (not the --watch watcher: it never ends)."""
    await pilot.pause()
    workers = [w for w in pilot.app.workers if w.group != "watch"]
    if workers:  # (an empty list would mean "all of them")
        await pilot.app.workers.wait_for_complete(workers)
    await pilot.pause()


async def play(pilot, numbers: Iterable[int | str], start: bool = True) -> None:
    """From the intro: start, then pick each number, continuing past each feedback; in a
    compose scene a step is its fragments' numbers joined by `+` ("2+4"), then Enter."""
    from sam_cowboy.tui.screens.scene import SceneScreen

    if start:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    for n in numbers:
        screen = pilot.app.screen
        assert isinstance(screen, SceneScreen), screen
        if isinstance(n, str):
            assert screen.compose_mode, f"{screen.run.state.scene} is not a compose scene"
            await pilot.press(*n.split("+"), "enter")
        else:
            await pilot.press(str(n))
        await pilot.pause()
        if isinstance(pilot.app.screen, SceneScreen) and pilot.app.screen.feedback_mode:
            await pilot.press("enter")
        await settle(pilot)


def screen_text(screen) -> str:
    """Every text the screen's widgets show, plain: Statics, option lists, and our widgets
    that draw their own text (they say it in a `plain` property)."""
    from textual.widgets import OptionList, Static

    out = []
    for widget in screen.query("*"):
        if isinstance(widget, Static):
            content = widget.visual
            out.append(getattr(content, "plain", str(content)))
        elif isinstance(widget, OptionList):
            out.extend(getattr(o.prompt, "plain", str(o.prompt)) for o in widget.options)
        elif isinstance(getattr(type(widget), "plain", None), property):
            out.append(widget.plain)
    return "\n".join(out)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run `async def` tests of this folder in a fresh event loop (no asyncio plugin needed)."""
    import asyncio
    import functools
    import inspect

    for item in items:
        function = getattr(item, "obj", None)
        if (isinstance(item, pytest.Function) and inspect.iscoroutinefunction(function)
                and str(HERE) in str(item.fspath)):
            @functools.wraps(function)
            def runner(*args, __f=function, **kwargs):  # type: ignore[no-untyped-def]
                return asyncio.run(__f(*args, **kwargs))

            item.obj = runner


def debrief_json(debrief, lang: str) -> dict[str, object]:
    """What `sam-cowboy run --json` prints for this debrief (`exercised` beside percents)."""
    data = debrief.to_json(lang)
    for d in debrief.dimensions:
        data["scores"][d.id]["exercised"] = d.exercised
    return data


def best_steps(episode: Episode, path: Iterable[tuple[str, str]]) -> list[int | str]:
    """A run's (scene, choice id) path as `play` takes it: the choice's number among those
    shown, or in a compose scene its fragments' numbers among those offered ("2+4")."""
    from sam_cowboy.core import engine

    state, _ = engine.begin(episode)
    steps: list[int | str] = []
    for _scene, choice_id in path:
        if episode.scenes[state.scene].compose is not None:
            offered = [f.id for f in engine.fragments_shown(episode, state)]
            steps.append("+".join(str(offered.index(f) + 1) for f in choice_id.split("+")))
        else:
            steps.append([c.id for c in engine.choices_shown(episode, state)].index(choice_id) + 1)
        state, _ = engine.choose(episode, state, choice_id)
    return steps
