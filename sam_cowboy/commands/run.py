"""`sam-cowboy run`: play a list of choices without any UI and print the outcome."""

from __future__ import annotations

import argparse
import sys

from sam_cowboy.commands.common import add_test_start_options, check_scene, load_playable, parse_presets
from sam_cowboy.core import engine, scoring
from sam_cowboy.core.debrief import build
from sam_cowboy.core.findings import did_you_mean
from sam_cowboy.core.i18n import choose_language, render
from sam_cowboy.core.model import Episode
from sam_cowboy.usage import UsageError, episode_arg, print_json

NAME = "run"
ORDER = 20
HELP = "play a list of choices without any UI and print the result"
DESCRIPTION = """Play without any UI. Each number is the 1-based position of a choice among
the choices shown at that moment; --choice-ids names them by id instead.

A compose scene (the player builds a message from fragments) takes fragment positions
joined by `+`, in the message's order: `2+4+1` is fragments 2, 4 and 1 of those offered
(--choice-ids: fragment ids, `client+proof`). --season gives the player's latest percent
per dimension in earlier episodes, read by season('d') and weakest() (none: no history).

Example: sam-cowboy run ep01-google-test --choices 1,2,1 --json
         sam-cowboy run ep03-sharing-insight --season relationship=40,brand=70 --choices 1"""


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--choices", default="", help="positions among the shown choices, "
                       "comma-separated; in a compose scene, fragment positions joined by + "
                       "in the message's order (1,2+4+1,3)")
    group.add_argument("--choice-ids", default="", help="choice ids, comma-separated; in a "
                       "compose scene, fragment ids joined by + (fix,client+proof)")
    p.add_argument("--season", default="", metavar="DIM=PERCENT,...",
                   help="the player's latest percent per dimension in earlier episodes "
                   "(e.g. relationship=40,brand=70); dimensions left out have no result yet")
    p.add_argument("--lang", dest="run_lang", help="language for texts (fr, en)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_test_start_options(p)


def execute(args: argparse.Namespace) -> int:
    return run_command(args.episode, args.choices, args.choice_ids, args.run_lang or args.lang,
                       args.json, at=args.at, presets=args.presets, season=args.season)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_season(episode: Episode, value: str) -> dict[str, int]:
    """`relationship=40,brand=70` -> {dimension: percent}; UsageError names the bad part."""
    out: dict[str, int] = {}
    for part in _split(value):
        dim, sep, raw = part.partition("=")
        dim = dim.strip()
        if not sep or dim not in episode.dimensions:
            known = ", ".join(episode.dimensions)
            what = f"unknown dimension `{dim}`{did_you_mean(dim, episode.dimensions)}" if sep \
                else f"`{part}` is not DIMENSION=PERCENT"
            raise UsageError(f"--season: {what} (dimensions: {known})")
        raw = raw.strip()
        if not raw.isdigit() or int(raw) > 100:
            raise UsageError(f"--season: `{dim}` takes a percent from 0 to 100, not `{raw}`")
        out[dim] = int(raw)
    return out


def _step(episode: Episode, state: engine.State, step: str, by_number: bool) -> engine.Outcome:
    """One step of --choices/--choice-ids: a choice, or a composition `a+b+c`."""
    composing = episode.scenes[state.scene].compose is not None
    if "+" in step or composing:
        parts = [p.strip() for p in step.split("+")]
        if not composing:
            raise UsageError(f"scene `{state.scene}` shows choices, not fragments: `{step}` "
                             "composes a message")
        if by_number:
            return engine.compose_numbers(episode, state, [int(p) for p in parts])
        return engine.compose(episode, state, parts)
    if by_number:
        return engine.choose_number(episode, state, int(step))
    return engine.choose(episode, state, step)


def _composed(episode: Episode, data: dict[str, object], state: engine.State,
              language: str) -> None:
    """Beside each composition in `path`: its fragments, its message and the checklist."""
    path = data["path"]
    assert isinstance(path, list)
    for entry, (scene_id, choice_id) in zip(path, state.path, strict=True):
        scene = episode.scenes[scene_id]
        choice = scene.choice(choice_id)
        if scene.compose is None or choice is None:
            continue
        entry["fragments"] = list(choice.fragments)
        entry["message"] = render(choice.text, language, episode.default_language,
                                  state.variables)
        entry["checklist"] = {item.id: item.met(choice.fragments)
                              for item in scene.compose.checklist}


def run_command(name: str, choices: str, choice_ids: str, lang: str | None,
                as_json: bool, at: str | None = None, presets: list[str] | None = None,
                season: str = "") -> int:
    episode, analysis = load_playable(name)
    language = choose_language(episode, lang)
    check_scene(episode, at)
    preset = parse_presets(episode, presets or [])
    history = parse_season(episode, season)
    try:
        state, _ = engine.begin(episode, at=at, preset=preset, season=history)
    except engine.EngineError as e:
        raise UsageError(str(e)) from None
    start = state
    if choices:
        steps: list[str] = _split(choices)
        for step in steps:
            if not all(part.strip().isdigit() for part in step.split("+")):
                raise UsageError(f"--choices takes numbers separated by commas (fragments: "
                                 f"numbers joined by +, e.g. 2+4+1), not `{step}`")
    else:
        steps = _split(choice_ids)
    for step in steps:
        if state.finished:
            raise UsageError(f"the run reached the ending `{state.ending}` before choice "
                             f"`{step}`: remove the extra choices")
        try:
            state, _ = _step(episode, state, step, bool(choices))
        except engine.EngineError as e:
            raise UsageError(str(e)) from None
    debrief = build(episode, state, analysis)
    data = debrief.to_json(language)
    seen = scoring.exercised(episode, state, start)
    for did, entry in data["scores"].items():  # type: ignore[attr-defined]
        entry["exercised"] = seen[did]  # beside `percent`: False = no decision bore on it
    _composed(episode, data, state, language)
    if history:
        data["season"] = history
    if state.test:
        data["test"] = True  # started with --at or --set: never a result
    if as_json:
        print_json(data)
        return 0
    out = sys.stdout
    out.write(f"episode: {episode.id}\n")
    ending = f"{state.ending} ({debrief.ending_kind})" if state.ending else "none yet"
    out.write(f"ending: {ending}\n")
    out.write("path: " + (" ".join(f"{s}/{c}" for s, c in state.path) or "-") + "\n")
    for d in debrief.dimensions:
        unseen = "" if seen[d.id] else " — not seen on this path"
        out.write(f"{d.id}: {d.percent}% (raw {d.raw}, from {d.min} to {d.max}){unseen}\n")
    label = data["overall"]["label"]  # type: ignore[index]
    out.write(f"overall: {debrief.overall}%" + (f" — {label}" if label else "") + "\n")
    return 0
