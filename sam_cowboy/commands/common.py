"""Loading an episode for a command: by path or built-in id, analysed, or one clear error."""

from __future__ import annotations

from pathlib import Path

from sam_cowboy.cli import InputError, UsageError
from sam_cowboy.core.analysis import Analysis, analyse
from sam_cowboy.core.model import Episode
from sam_cowboy.library import builtin_library, resolve


def find_episode(name: str, extra: list[Path] | None = None) -> Path:
    path = resolve(name, extra)
    if path is None:
        if Path(name).suffix in (".yaml", ".yml") or "/" in name:
            raise UsageError(f"{name}: no such file")
        ids = ", ".join(builtin_library().ids()) or "none"
        raise UsageError(f"`{name}` is neither an episode file nor a built-in episode id "
                         f"(built-in: {ids})")
    return path


def load_playable(name: str, extra: list[Path] | None = None) -> tuple[Episode, Analysis]:
    """The episode and its analysis, or InputError naming the first error (file:line:col)."""
    from sam_cowboy.core.loader import load_episode

    path = find_episode(name, extra)
    result = load_episode(path)
    if result.episode is None:
        errors = result.errors
        more = f" (and {len(errors) - 1} more: run `sam-cowboy check {path}`)" \
            if len(errors) > 1 else ""
        raise InputError(f"{errors[0].format()}{more}")
    analysis = analyse(result.episode)
    errors = [f for f in analysis.findings if f.severity == "error"]
    if errors:
        raise InputError(errors[0].format())
    return result.episode, analysis
