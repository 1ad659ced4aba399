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
    return text.values.get(_picked(text, lang, default), "")


def _picked(text: Text, lang: str, default: str) -> str:
    """The language `pick` takes the text in (a missing translation falls back)."""
    values = text.values
    if lang in values:
        return lang
    if default in values:
        return default
    return next(iter(values), lang)


NNBSP = "\u202f"  # narrow no-break space
_FR_BEFORE = re.compile(r"[ \u00a0\u202f]*([;:!?»])")
_FR_AFTER = re.compile(r"«[ \u00a0\u202f]*")
_URL_LIKE = re.compile(r"\S*://\S*|\b\d{1,2}:\d{2}\b")


def typeset(text: str, lang: str) -> str:
    """French typography: a narrow no-break space before `; : ! ? »` and after `«`, so a
    line never starts with punctuation however it wraps. Other languages unchanged.

    Applied once, where a text is rendered for a language (here and `messages.t`), so the
    app, plain mode, workshops and reports all show the same. URLs and times keep their
    colons; punctuation that follows another (`?!`, `...:`) is left glued.
    """
    if lang != "fr" or not any(c in text for c in ";:!?«»"):
        return text
    keep = [(m.start(), m.end()) for m in _URL_LIKE.finditer(text)]

    def before(m: re.Match[str]) -> str:
        if any(a <= m.start(1) < b for a, b in keep):
            return m.group(0)
        start = m.start()
        if start == 0 or text[start - 1] in ";:!?«\n" or (start == m.start(1)
                                                           and not text[start - 1].isalnum()
                                                           and text[start - 1] not in ")»\"'”"):
            return m.group(0)
        return NNBSP + m.group(1)

    out = _FR_BEFORE.sub(before, text)
    return _FR_AFTER.sub("«" + NNBSP, out)


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
    shown = strip_controls(interpolate(pick(text, lang, default), variables or {}))
    return typeset(shown, _picked(text, lang, default))


def scene_paragraphs(episode: Episode, scene: Scene, lang: str, ctx: Context) -> list[str]:
    """The paragraphs of a scene's text whose conditions hold in `ctx` (a State)."""
    variables = ctx.variables
    out = []
    for block in scene.text:
        if block.condition is None or block.condition.evaluate(ctx):
            out.append(render(block.text, lang, episode.default_language, variables))
    return out
