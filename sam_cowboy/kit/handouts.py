"""`sam-cowboy handouts`: the participants' printable handouts, from package data.

The texts live in `handouts.yaml` beside this module (one entry per handout, a title and
blocks per language); this module only lays them out. Every string is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sam_cowboy.atomic import write_text_atomic
from sam_cowboy.kit.html import esc, page

DATA_FILE = "handouts.yaml"
LANGUAGES = ("fr", "en")
NOTE_LIMIT = 200  # characters in a LinkedIn invitation note
PLACEHOLDER_RE = re.compile(r"\[[^\]]*\]")
TITLES = {"fr": "Sam le Social Cowboy — fiches pratiques",
          "en": "Sam the Social Cowboy — handouts"}
CHARS = {"fr": "caractères", "en": "characters"}


@dataclass(frozen=True)
class Handout:
    id: str
    number: int
    title: dict[str, str]
    blocks: dict[str, list[dict[str, Any]]]


def load_handouts(text: str | None = None) -> list[Handout]:
    """The handouts of the package data (or of `text`, for tests)."""
    if text is None:
        text = resources.files("sam_cowboy.kit").joinpath(DATA_FILE).read_text("utf-8")
    data = yaml.safe_load(text)
    out = []
    for i, entry in enumerate(data["handouts"], 1):
        out.append(Handout(entry["id"], i, {lang: entry[lang]["title"] for lang in LANGUAGES},
                           {lang: entry[lang]["blocks"] for lang in LANGUAGES}))
    return out


def invitation_templates(handouts: list[Handout], lang: str) -> list[tuple[str, str]]:
    return [(t["label"], t["text"]) for h in handouts for b in h.blocks[lang]
            for t in b.get("templates", ())]


def _block(block: dict[str, Any], lang: str) -> str:
    if "p" in block:
        return f"<p>{esc(block['p'])}</p>\n"
    if "ul" in block:
        return "<ul>\n" + "".join(f"<li>{esc(item)}</li>\n" for item in block["ul"]) + "</ul>\n"
    if "templates" in block:
        parts = []
        for t in block["templates"]:
            parts.append(f'<div class="template"><div class="label">{esc(t["label"])}</div>'
                         f'<div class="text">{esc(t["text"])}</div>'
                         f'<div class="count">{len(t["text"])} / {NOTE_LIMIT} {CHARS[lang]}'
                         "</div></div>\n")
        return "".join(parts)
    if "table" in block:
        table = block["table"]
        head = "".join(f"<th>{esc(h)}</th>" for h in table["head"])
        rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>\n"
                       for row in table["rows"])
        return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
    raise ValueError(f"unknown handout block {sorted(block)}")


def sheet(handout: Handout, lang: str) -> str:
    body = "".join(_block(b, lang) for b in handout.blocks[lang])
    return (f'<section class="sheet" id="{esc(handout.id)}">\n'
            f"<h1>{esc(handout.title[lang])}</h1>\n{body}"
            f"<footer>{esc(TITLES[lang])}</footer>\n</section>\n")


def render_all(handouts: list[Handout], lang: str) -> str:
    return page(TITLES[lang], lang, "".join(sheet(h, lang) for h in handouts))


def file_name(handout: Handout) -> str:
    return f"{handout.number:02d}-{handout.id}.html"


def write_handouts(folder: Path, handouts: list[Handout] | None = None) -> list[Path]:
    """Write `handouts-LANG.html` (every handout, one per printed page) and
    `LANG/NN-ID.html` (one handout each) for every language; each file atomically."""
    handouts = handouts if handouts is not None else load_handouts()
    written = []
    for lang in LANGUAGES:
        path = folder / f"handouts-{lang}.html"
        write_text_atomic(path, render_all(handouts, lang))
        written.append(path)
        for h in handouts:
            path = folder / lang / file_name(h)
            write_text_atomic(path, page(h.title[lang], lang, sheet(h, lang)))
            written.append(path)
    return written
