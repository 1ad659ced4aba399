"""Texts for a language: pick a translation, fill `{name}`, strip what a terminal would obey."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sam_cowboy.core.expr import Context
from sam_cowboy.core.model import Episode, Scene, Text, Value
from sam_cowboy.core.safe_text import strip_controls

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def choose_language(episode: Episode, wanted: str | None) -> str:
    """`wanted` when the episode has it (also `fr_FR` -> `fr`), else its default language."""
    if wanted:
        for candidate in (wanted, wanted.replace("_", "-").split("-")[0].lower()):
            if candidate in episode.languages:
                return candidate
    return episode.default_language


def pick(text: Text, lang: str, default: str) -> str:
    values = text.values
    if lang in values:
        return values[lang]
    if default in values:
        return values[default]
    return next(iter(values.values()), "")


def interpolate(s: str, variables: Mapping[str, Value]) -> str:
    def sub(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        value = variables.get(m.group(1))
        if value is None:
            return token
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return _PLACEHOLDER.sub(sub, s) if ("{" in s or "}" in s) else s


def render(text: Text | None, lang: str, default: str,
           variables: Mapping[str, Value] | None = None) -> str:
    """The text in `lang`, placeholders filled, control characters removed."""
    if text is None:
        return ""
    return strip_controls(interpolate(pick(text, lang, default), variables or {}))


def scene_paragraphs(episode: Episode, scene: Scene, lang: str, ctx: Context) -> list[str]:
    """The paragraphs of a scene's text whose conditions hold in `ctx` (a State)."""
    variables = ctx.variables
    out = []
    for block in scene.text:
        if block.condition is None or block.condition.evaluate(ctx):
            out.append(render(block.text, lang, episode.default_language, variables))
    return out
