"""Loading an episode for a command: by path or built-in id, analysed, or one clear error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sam_cowboy.usage import InputError, UsageError

if TYPE_CHECKING:  # the app loads the analysis in a worker, after its first frame
    from sam_cowboy.core.analysis import Analysis
    from sam_cowboy.core.model import Episode


def find_episode(name: str, extra: list[Path] | None = None) -> Path:
    # imported here, not at the top: commands that do not look episodes up skip the loader
    from sam_cowboy.library import builtin_library, resolve

    path = resolve(name, extra)
    if path is None:
        if Path(name).suffix in (".yaml", ".yml") or "/" in name:
            raise UsageError(f"{name}: no such file")
        ids = ", ".join(builtin_library().ids()) or "none"
        raise UsageError(f"`{name}` is neither an episode file nor a built-in episode id "
                         f"(built-in: {ids})")
    return path


def load_valid(name: str, extra: list[Path] | None = None) -> tuple[Episode, Path]:
    """The episode (not analysed) and its file, or UsageError / InputError (file:line:col)."""
    from sam_cowboy.core.loader import load_episode

    path = find_episode(name, extra)
    result = load_episode(path)
    if result.episode is None:
        errors = result.errors
        more = f" (and {len(errors) - 1} more: run `sam-cowboy check {path}`)" \
            if len(errors) > 1 else ""
        raise InputError(f"{errors[0].format()}{more}")
    return result.episode, path


def load_playable(name: str, extra: list[Path] | None = None) -> tuple[Episode, Analysis]:
    """The episode and its analysis, or InputError naming the first error (file:line:col)."""
    from sam_cowboy.analysis_cache import cached_analysis

    episode, path = load_valid(name, extra)
    analysis = cached_analysis(episode, path)
    errors = [f for f in analysis.findings if f.severity == "error"]
    if errors:
        raise InputError(errors[0].format())
    return episode, analysis


def add_test_start_options(p: object) -> None:
    """`--at SCENE` and `--set NAME=VALUE`: start mid-episode to test a late scene."""
    import argparse

    assert isinstance(p, argparse.ArgumentParser)
    p.add_argument("--at", metavar="SCENE", help="start at this scene (a test run, never "
                   "recorded as a result)")
    p.add_argument("--set", dest="presets", action="append", default=[], metavar="NAME=VALUE",
                   help="give a variable a value before starting (repeatable)")


def parse_presets(episode: Episode, items: list[str]) -> dict[str, bool | int | str]:
    """`NAME=VALUE` pairs typed for the episode's variables; UsageError names the bad one."""
    from sam_cowboy.core.findings import did_you_mean

    out: dict[str, bool | int | str] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep:
            raise UsageError(f"--set takes NAME=VALUE, not `{item}`")
        if name not in episode.variables:
            known = ", ".join(episode.variables) or "none"
            raise UsageError(f"--set: unknown variable `{name}`"
                             f"{did_you_mean(name, episode.variables)} (variables: {known})")
        initial = episode.variables[name]
        if isinstance(initial, bool):
            if raw.strip().lower() not in ("true", "false"):
                raise UsageError(f"--set: `{name}` is true or false, not `{raw}`")
            out[name] = raw.strip().lower() == "true"
        elif isinstance(initial, int):
            from sam_cowboy.core.yamlread import MAX_NUMBER

            if not re.fullmatch(r"\s*[+-]?[0-9]{1,13}\s*", raw) or abs(int(raw)) > MAX_NUMBER:
                raise UsageError(f"--set: `{name}` is a whole number of at most "
                                 f"{MAX_NUMBER:,} either side of 0, not `{raw}`")
            out[name] = int(raw)
        else:
            out[name] = raw
    return out


def check_scene(episode: Episode, scene: str | None) -> None:
    if scene is not None and scene not in episode.scenes:
        from sam_cowboy.core.findings import did_you_mean

        raise UsageError(f"--at: no scene `{scene}` in {episode.id}"
                         f"{did_you_mean(scene, episode.scenes)}")
