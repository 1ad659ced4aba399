"""`sam-cowboy run`: play a list of choices without any UI and print the outcome."""

from __future__ import annotations

import argparse
import sys

from sam_cowboy.commands.common import add_test_start_options, check_scene, load_playable, parse_presets
from sam_cowboy.core import engine, scoring
from sam_cowboy.core.debrief import build
from sam_cowboy.core.i18n import choose_language
from sam_cowboy.usage import UsageError, episode_arg, print_json

NAME = "run"
ORDER = 20
HELP = "play a list of choices without any UI and print the result"
DESCRIPTION = """Play without any UI. Each number is the 1-based position of a choice among
the choices shown at that moment; --choice-ids names them by id instead.

Example: sam-cowboy run ep01-google-test --choices 1,2,1 --json"""


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--choices", default="", help="positions among the shown choices, "
                       "comma-separated")
    group.add_argument("--choice-ids", default="", help="choice ids, comma-separated")
    p.add_argument("--lang", dest="run_lang", help="language for texts (fr, en)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_test_start_options(p)


def execute(args: argparse.Namespace) -> int:
    return run_command(args.episode, args.choices, args.choice_ids, args.run_lang or args.lang,
                       args.json, at=args.at, presets=args.presets)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def run_command(name: str, choices: str, choice_ids: str, lang: str | None,
                as_json: bool, at: str | None = None, presets: list[str] | None = None) -> int:
    episode, analysis = load_playable(name)
    language = choose_language(episode, lang)
    check_scene(episode, at)
    preset = parse_presets(episode, presets or [])
    try:
        state, _ = engine.begin(episode, at=at, preset=preset)
    except engine.EngineError as e:
        raise UsageError(str(e)) from None
    start = state
    if choices:
        steps: list[str] = _split(choices)
        for step in steps:
            if not step.isdigit():
                raise UsageError(f"--choices takes numbers separated by commas, not `{step}`")
    else:
        steps = _split(choice_ids)
    for step in steps:
        if state.finished:
            raise UsageError(f"the run reached the ending `{state.ending}` before choice "
                             f"`{step}`: remove the extra choices")
        try:
            if choices:
                state, _ = engine.choose_number(episode, state, int(step))
            else:
                state, _ = engine.choose(episode, state, step)
        except engine.EngineError as e:
            raise UsageError(str(e)) from None
    debrief = build(episode, state, analysis)
    data = debrief.to_json(language)
    seen = scoring.exercised(episode, state, start)
    for did, entry in data["scores"].items():  # type: ignore[attr-defined]
        entry["exercised"] = seen[did]  # beside `percent`: False = no decision bore on it
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
