"""`sam-cowboy import`: a Twine story (Twee 3 files, or a Twine 2 HTML archive) becomes an
episode.

Passages become scenes (the passage name is the scene's title, its id a slug of it), links
choices, passages without links endings (kind from a `good`/`bad`/`mixed` tag).
`StoryTitle` (or the archive's name) gives the title, `StoryData`'s `start` the first
scene, `StoryInit` the variables' first values. The markup of Harlowe, SugarCube and
Snowman is read by `twine.py`; what has no equivalent stays whole in an `x-todo` note with
its source line. Reading is one pass over the text (linear in its size, no recursion).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sam_cowboy.authoring.importing import (
    ImportError_,
    ImportResult,
    Story,
    emit,
)
from sam_cowboy.authoring.twine import expand, parse_link, parse_sets, read_passage

__all__ = ["ImportResult", "TweeError", "convert", "convert_passages", "parse_link",
           "parse_twee", "read_folder"]

TweeError = ImportError_

SPECIAL_PASSAGES = {
    "StoryTitle", "StoryData", "StoryInit", "StoryMenu", "StoryCaption", "StoryBanner",
    "StorySubtitle", "StoryAuthor", "StoryShare", "StoryInterface", "PassageReady",
    "PassageDone", "PassageHeader", "PassageFooter", "StoryIncludes", "StorySettings",
}
SPECIAL_TAGS = {"script", "stylesheet", "widget", "Twine.private", "startup", "header",
                "footer", "Twine.image", "annotation", "debug-header", "debug-footer",
                "debug-startup"}
JSON_DEPTH = 64  # StoryData deeper than this is refused (it is metadata, never deep)

_HEADER = re.compile(r"^::(?P<rest>.*)$")
_SET_NAME = re.compile(r"[$]([A-Za-z_]\w*)\s*(?:to\b|=(?!=)|\+=|-=|\+\+|--)|into\s+[$]([A-Za-z_]\w*)")
_WIDGET = re.compile(r"<<widget\s+[\"']([\w-]+)[\"']")
_COMMENT = re.compile(r"\s*(?:/\*.*?\*/|<!--.*?-->|//[^\n]*|#[^\n]*)", re.S)


@dataclass
class Passage:
    name: str
    tags: list[str]
    text: str
    line: int  # the line of the passage's first text line
    file: str = "story.twee"
    metadata: str = ""


# ------------------------------------------------------------------ reading Twee

def _split_header(rest: str, line: int, file: str) -> tuple[str, list[str], str]:
    """`Name [tags] {meta}` -> name, tags, metadata (escapes in the name honoured)."""
    name_chars: list[str] = []
    i = 0
    lead = len(rest) - len(rest.lstrip())
    rest = rest.strip()
    while i < len(rest):
        ch = rest[i]
        if ch == "\\" and i + 1 < len(rest):
            name_chars.append(rest[i + 1])
            i += 2
            continue
        if ch in "[{":
            break
        name_chars.append(ch)
        i += 1
    name = "".join(name_chars).strip()
    tail = rest[i:].strip()
    tags: list[str] = []
    if tail.startswith("["):
        end = tail.find("]")
        if end < 0:
            raise TweeError("a passage's tag list `[...` is not closed: add `]`", line,
                            3 + lead + i, file)
        tags = tail[1:end].split()
        tail = tail[end + 1:].strip()
    metadata = tail if tail.startswith("{") else ""
    if not name:
        raise TweeError("a passage header `::` needs a passage name, like `:: Start`", line,
                        1, file)
    return name, tags, metadata


def parse_twee(source: str, file: str = "story.twee",
               warnings: list[tuple[str, str]] | None = None) -> list[Passage]:
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    passages: list[Passage] = []
    current: Passage | None = None
    body: list[str] = []
    before: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        m = _HEADER.match(line)
        if m:
            if current is not None:
                current.text = "\n".join(body).rstrip("\n")
                passages.append(current)
            name, tags, meta = _split_header(m.group("rest"), number, file)
            current = Passage(name, tags, "", number + 1, file, meta)
            body = []
        elif current is not None:
            body.append(line[1:] if line.startswith("\\::") else line)
        else:
            before.append(line)
    if current is not None:
        current.text = "\n".join(body).rstrip("\n")
        passages.append(current)
    # what comes before the first passage is ignored, as tweego and extwee do
    leading = _COMMENT.sub("", "\n".join(before)).strip()
    if leading and warnings is not None:
        warnings.append((f"{file}:1", "text before the first passage is ignored"))
    return passages


def read_folder(folder: Path) -> list[tuple[str, str]]:
    """The Twee files of a folder (and its subfolders), in name order."""
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".twee", ".tw")
                   and p.is_file())
    if not files:
        raise TweeError(f"no .twee or .tw file in the folder {folder}", 1, 1, str(folder))
    return [(str(p), p.read_bytes().decode("utf-8-sig")) for p in files]


def json_depth_ok(s: str, limit: int = JSON_DEPTH) -> bool:
    """Whether JSON text nests no deeper than `limit` (counted without parsing)."""
    depth = 0
    quote = False
    i = 0
    while i < len(s):
        ch = s[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = False
        elif ch == '"':
            quote = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
        i += 1
    return True


# ------------------------------------------------------------------ building the story

def _story_data(p: Passage, warnings: list[tuple[str, str]]) -> dict[str, object]:
    where = f"{p.file}:{p.line}"
    if not json_depth_ok(p.text):
        warnings.append((where, f"StoryData nests deeper than {JSON_DEPTH} levels: ignored"))
        return {}
    try:
        data = json.loads(p.text or "{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        warnings.append((where, "StoryData is not a JSON object: ignored"))
        return {}
    return data


def convert_passages(passages: list[Passage], title: str, lang: str = "en",
                     dimensions: list[str] | None = None,
                     data: dict[str, object] | None = None,
                     warnings: list[tuple[str, str]] | None = None,
                     stop_choices: bool = False) -> ImportResult:
    """Passages (from Twee or an archive) -> the episode."""
    if not passages:
        raise TweeError("no passage found: a Twee story has passages that start with "
                        "`:: Name`")
    seen: dict[str, Passage] = {}
    for p in passages:
        if p.name in seen:
            first = seen[p.name]
            raise TweeError(f"two passages are named `{p.name}` ({first.file}:"
                            f"{first.line - 1} and here): rename one", max(p.line - 1, 1),
                            1, p.file)
        seen[p.name] = p
    story = Story(title, "Twine")
    story.warnings.extend(warnings or [])
    if "StoryTitle" in seen and seen["StoryTitle"].text.strip():
        story.title = seen["StoryTitle"].text.strip().splitlines()[0].strip()
    story_data = dict(data or {})
    if "StoryData" in seen:
        story_data.update(_story_data(seen["StoryData"], story.warnings))
    scenes = [p for p in passages
              if p.name not in SPECIAL_PASSAGES and not SPECIAL_TAGS & set(p.tags)]
    if not scenes:
        raise TweeError("the story has no passage to import (only special passages)")
    story.passages = len(passages)
    names = {p.name for p in scenes}
    for p in scenes:
        story.scene_id(p.name)
    for p in passages:  # every variable a passage sets, so `$x` in any text is known
        for m in _SET_NAME.finditer(p.text):
            story.var("$" + (m.group(1) or m.group(2)))
    widgets = {m.group(1).lower() for p in passages if "widget" in p.tags
               for m in _WIDGET.finditer(p.text)}
    for p in passages:
        if p.name in ("StoryInit",) or "startup" in p.tags:
            for m in re.finditer(r"<<set\s+(.*?)>>|\((?:set|put):(.*?)\)", p.text, re.S):
                eff, _ = parse_sets(story, m.group(1) or m.group(2))
                story.initial.update(eff.set)
                for k, n in eff.add.items():
                    story.initial[k] = int(story.initial.get(k, 0)) + n
        elif p.name not in names and p.name not in ("StoryTitle", "StoryData") \
                and p.text.strip():
            tag = next((t for t in p.tags if t in SPECIAL_TAGS), None)
            what = f"tagged `{tag}`" if tag else "a special passage"
            story.note(story.notes, f"{p.file}:{p.line}", f"passage `{p.name}` ({what}) "
                       f"was not imported: {p.text}",
                       f"passage `{p.name}` is {what}: not imported (x-todo note)")

    start_name = story_data.get("start")
    if not isinstance(start_name, str) or start_name not in names:
        if isinstance(start_name, str):
            story.warnings.append(("", f"StoryData's start `{start_name}` is not a "
                                   "passage; starting at the first passage instead"))
        start_name = "Start" if "Start" in names else scenes[0].name
    story.start = story.scene_id(start_name)

    texts = {p.name: p.text for p in passages}
    included: set[str] = set()
    for p in scenes:
        scene = story.new_scene(story.scene_id(p.name), p.name, f"{p.file}:{p.line - 1}")
        src = expand(p.name, texts, p.line)
        included |= src.included
        read_passage(story, scene, src, p.file, names, widgets, p.tags)
    # a passage only ever inlined (a footer, a banner) is no scene of its own
    targets = {c.goto for s in story.scenes.values() for c in s.choices} | \
        {goto for s in story.scenes.values() for _, goto in s.route} | {story.start}
    for name in included:
        sid = story.scene_ids.get(name)
        if sid is not None and sid not in targets and sid in story.scenes:
            del story.scenes[sid]
    for target, where in story.missing.items():
        if target in names:
            continue
        scene = story.new_scene(story.scene_id(target), target, where)
        scene.notes.append(_missing_note(where))
    story.extra = {k: str(story_data[k]) for k in ("ifid", "format", "format-version")
                   if isinstance(story_data.get(k), (str, int))}
    return emit(story, lang, dimensions, stop_choices)


def _missing_note(where: str):  # type: ignore[no-untyped-def]
    from sam_cowboy.authoring.importing import Note

    return Note(where, "the story links to a passage that does not exist: write it")


def convert(source: str, file_stem: str = "story", lang: str = "en",
            dimensions: list[str] | None = None, file: str = "story.twee",
            stop_choices: bool = False) -> ImportResult:
    """One Twee 3 text -> the episode."""
    warnings: list[tuple[str, str]] = []
    passages = parse_twee(source, file, warnings)
    return convert_passages(passages, file_stem, lang, dimensions, None, warnings, stop_choices)


def convert_files(files: list[tuple[str, str]], title: str, lang: str = "en",
                  dimensions: list[str] | None = None,
                  stop_choices: bool = False) -> ImportResult:
    """Several Twee files (a project folder) -> one episode."""
    warnings: list[tuple[str, str]] = []
    passages = [p for name, text in files for p in parse_twee(text, name, warnings)]
    return convert_passages(passages, title, lang, dimensions, None, warnings, stop_choices)
