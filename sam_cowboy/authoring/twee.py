"""`sam-cowboy import`: a Twine story in Twee 3 becomes an episode.

Passages become scenes (the passage name is the scene's title; its id is a slug of it),
links become choices, passages without links become endings. `StoryTitle` gives the title,
`StoryData`'s `start` the first scene. The four link forms are understood: `[[text]]`,
`[[text->target]]`, `[[target<-text]]` and `[[text|target]]` (a SugarCube setter
`[[text|target][$x to 1]]` keeps its link; the setter becomes a note).

What has no equivalent (macros of Harlowe, SugarCube, Snowman or Chapbook, story variables)
is taken out of the text and kept as an `x-todo` note on the scene, with a warning, so the
trainer can rewrite it with conditions, `set` and `score`. The result passes `check`
without errors; its warnings (an unscored placeholder dimension, unreachable passages) say
what to do next.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial

from sam_cowboy.authoring.yamlout import key as ykey
from sam_cowboy.authoring.yamlout import quoted, scalar

SPECIAL_PASSAGES = {
    "StoryTitle", "StoryData", "StoryInit", "StoryMenu", "StoryCaption", "StoryBanner",
    "StorySubtitle", "StoryAuthor", "StoryShare", "StoryInterface", "PassageReady",
    "PassageDone", "PassageHeader", "PassageFooter", "StoryIncludes", "StorySettings",
}
SPECIAL_TAGS = {"script", "stylesheet", "widget", "Twine.private", "startup", "header",
                "footer", "Twine.image", "annotation"}
ENDING_TAGS = {"good": "good", "bad": "bad", "mixed": "mixed", "ending-good": "good",
               "ending-bad": "bad", "ending-mixed": "mixed"}
MAX_NOTE = 200

_HEADER = re.compile(r"^::(?P<rest>.*)$")
_LINK = re.compile(r"\[\[((?:[^\]]|\](?!\]))+)\]\]")
_SETTER = re.compile(r"^(?P<link>.*?)\]\[(?P<setter>.*)$", re.S)
_SUGAR_MACRO = re.compile(r"<<.*?>>", re.S)
_SNOWMAN = re.compile(r"<%.*?%>", re.S)
_HARLOWE_START = re.compile(r"\((?:[A-Za-z][\w-]*|[a-z][\w-]*)\s*:")
_CHAPBOOK_INSERT = re.compile(r"\{[a-z][^{}\n]*\}")
_CHAPBOOK_MODIFIER = re.compile(r"^\[[a-z][^\]\n]*\]\s*$", re.M)
_VARIABLE = re.compile(r"(?<![\w$])[$_][A-Za-z][\w]*")


class TweeError(Exception):
    """Input that is not a Twee story; line is 1-based."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Passage:
    name: str
    tags: list[str]
    text: str
    line: int
    metadata: str = ""


@dataclass
class Link:
    text: str
    target: str
    setter: str | None = None


@dataclass
class ImportResult:
    yaml: str
    episode_id: str
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (twee line, message)
    scenes: int = 0


# ------------------------------------------------------------------ reading Twee

def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def _split_header(rest: str, line: int) -> tuple[str, list[str], str]:
    """`Name [tags] {meta}` -> name, tags, metadata (escapes in the name honoured)."""
    name_chars: list[str] = []
    i = 0
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
            raise TweeError("a passage's tag list `[...` is not closed", line)
        tags = tail[1:end].split()
        tail = tail[end + 1:].strip()
    metadata = tail if tail.startswith("{") else ""
    if not name:
        raise TweeError("a passage header `::` needs a passage name", line)
    return name, tags, metadata


def parse_twee(source: str) -> list[Passage]:
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    passages: list[Passage] = []
    current: Passage | None = None
    body: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        m = _HEADER.match(line)
        if m:
            if current is not None:
                current.text = "\n".join(body).strip("\n")
                passages.append(current)
            name, tags, meta = _split_header(m.group("rest"), number)
            current = Passage(name, tags, "", number, meta)
            body = []
        elif current is not None:
            body.append(line[1:] if line.startswith("\\::") else line)
        elif line.strip():
            raise TweeError("text before the first passage: a Twee story starts with a "
                            "passage header like `:: Start`", number)
    if current is not None:
        current.text = "\n".join(body).strip("\n")
        passages.append(current)
    if not passages:
        raise TweeError("no passage found: a Twee story has passages that start with `:: Name`")
    seen: dict[str, int] = {}
    for p in passages:
        if p.name in seen:
            raise TweeError(f"two passages are named `{p.name}` (lines {seen[p.name]} and "
                            f"{p.line}): rename one", p.line)
        seen[p.name] = p.line
    return passages


def parse_link(inner: str) -> Link:
    """The inside of `[[...]]` -> display text, target passage, optional setter."""
    setter = None
    m = _SETTER.match(inner)
    if m:
        inner, setter = m.group("link"), m.group("setter").rstrip("]").lstrip("[")
    if "->" in inner:
        text, _, target = inner.rpartition("->")
    elif "<-" in inner:
        target, _, text = inner.partition("<-")
    elif "|" in inner:
        text, _, target = inner.partition("|")
    else:
        text = target = inner
    return Link(text.strip(), target.strip(), setter)


# ------------------------------------------------------------------ macros

def _harlowe_spans(text: str) -> list[tuple[int, int]]:
    """Harlowe macro calls `(name: ...)` with their attached hooks `[...]`."""
    spans: list[tuple[int, int]] = []
    i = 0
    while True:
        m = _HARLOWE_START.search(text, i)
        if m is None:
            return spans
        end = _matching(text, m.start(), "(", ")")
        if end < 0:
            i = m.end()
            continue
        while end < len(text) and text[end] == "[" and not text.startswith("[[", end):
            hook_end = _matching(text, end, "[", "]")
            if hook_end < 0:
                break
            end = hook_end
        spans.append((m.start(), end))
        i = end


def _matching(text: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index just after the bracket closing the one at `start`, or -1."""
    depth = 0
    i = start
    quote: str | None = None
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'" and open_ch == "(":
            quote = ch
        elif ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def extract_macros(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text without macros, and the macros taken out with their offsets (in order)."""
    spans: list[tuple[int, int]] = []
    for pattern in (_SUGAR_MACRO, _SNOWMAN, _CHAPBOOK_MODIFIER):
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    spans += _harlowe_spans(text)
    spans += [(m.start(), m.end()) for m in _CHAPBOOK_INSERT.finditer(text)]
    spans.sort()
    kept: list[str] = []
    macros: list[tuple[int, str]] = []
    pos = 0
    for start, end in spans:
        if start < pos:  # inside a span already taken out
            continue
        kept.append(text[pos:start])
        macros.append((start, text[start:end]))
        pos = end
    kept.append(text[pos:])
    return "".join(kept), macros


# ------------------------------------------------------------------ building the episode

def slug(name: str, fallback: str = "passage", allow_underscore: bool = True) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not allow_underscore:
        s = s.replace("_", "-")
    return s or fallback


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _clean_text(text: str) -> str:
    text = re.sub(r"''(.+?)''", r"**\1**", text)  # Harlowe/SugarCube bold -> Markdown
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out = "\n".join(lines)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip()


def _note(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= MAX_NOTE else s[:MAX_NOTE - 1] + "…"


def _keep_link_text(m: re.Match[str], found: list[Link]) -> str:
    """A link in the text: noted, and its words kept between markers."""
    link = parse_link(m.group(1))
    found.append(link)
    return "\x00" + link.text + "\x01"


def convert(source: str, file_stem: str = "story", lang: str = "en") -> ImportResult:
    passages = parse_twee(source)
    by_name = {p.name: p for p in passages}
    warnings: list[tuple[int, str]] = []
    title = file_stem
    story_data: dict[str, object] = {}
    top_todo: list[str] = []
    if "StoryTitle" in by_name and by_name["StoryTitle"].text.strip():
        title = by_name["StoryTitle"].text.strip().splitlines()[0].strip()
    if "StoryData" in by_name:
        p = by_name["StoryData"]
        try:
            data = json.loads(p.text or "{}")
            if not isinstance(data, dict):
                raise ValueError
            story_data = data
        except ValueError:
            warnings.append((p.line, "StoryData is not a JSON object; its start passage is "
                             "ignored"))
    story = [p for p in passages
             if p.name not in SPECIAL_PASSAGES and not SPECIAL_TAGS & set(p.tags)]
    for p in passages:
        if p not in story and p.name not in ("StoryTitle", "StoryData") and p.text.strip():
            what = "a script or stylesheet" if SPECIAL_TAGS & set(p.tags) else \
                "a special passage"
            top_todo.append(f"passage `{p.name}` ({what}) was not imported: "
                            + _note(p.text))
            warnings.append((p.line, f"passage `{p.name}` is {what}: not imported "
                             "(noted under x-todo)"))
    if not story:
        raise TweeError("the story has no passage to import (only special passages)")

    start_name = story_data.get("start")
    if not isinstance(start_name, str) or start_name not in by_name:
        if isinstance(start_name, str):
            warnings.append((by_name["StoryData"].line, f"StoryData's start `{start_name}` "
                             "is not a passage; starting at the first passage instead"))
        start_name = "Start" if "Start" in by_name and by_name["Start"] in story \
            else story[0].name

    taken: set[str] = set()
    ids = {p.name: _unique(slug(p.name), taken) for p in story}
    missing: dict[str, str] = {}  # target name -> stub scene id

    scenes_out: list[str] = []
    for p in story:
        sid = ids[p.name]
        links: list[Link] = []
        raw = p.text

        linked = _LINK.sub(partial(_keep_link_text, found=links), raw)
        body, macros = extract_macros(linked)
        # links alone on their line disappear from the text; inline ones keep their words
        lines = []
        for line in body.split("\n"):
            stripped = re.sub(r"\x00[^\x01]*\x01", "", line).strip(" \t-*|•")
            if "\x00" in line and not stripped:
                continue
            lines.append(line.replace("\x00", "").replace("\x01", ""))
        text = _clean_text("\n".join(lines))
        todo: list[str] = [f"macro not translated: {_note(m)}" for _, m in macros]
        variables = sorted(set(_VARIABLE.findall(text)))
        if variables:
            todo.append("story variables in the text (" + ", ".join(variables) + "): declare "
                        "them under `variables:` and write `{name}`")
        for offset, m in macros:
            line_no = p.line + 1 + linked.count("\n", 0, offset)
            warnings.append((line_no, f"passage `{p.name}`: macro not translated, kept as an "
                             f"x-todo note: {_note(m)[:60]}"))
        out = [f"  {sid}:"]
        out.append(f"    title: {scalar(p.name, 4)}")
        if text:
            out.append(f"    text: {scalar(text, 4)}")
        if links:
            out.append("    choices:")
            cids: set[str] = set()
            for link in links:
                target = link.target
                if target in ids:
                    goto = ids[target]
                elif target in missing:
                    goto = missing[target]
                else:
                    goto = _unique(slug(target), taken)
                    missing[target] = goto
                    warnings.append((p.line, f"passage `{p.name}` links to `{target}`, which "
                                     "is not a passage: added an ending to fill in"))
                cid = _unique(slug(target, "choice"), cids)
                out.append(f"      - id: {cid}")
                out.append(f"        text: {scalar(link.text or target, 8)}")
                out.append(f"        goto: {goto}")
                if link.setter:
                    note = f"setter not translated: {_note(link.setter)} (use set: or score:)"
                    out.append("        x-todo:")
                    out.append(f"          - {quoted(note)}")
                    warnings.append((p.line, f"passage `{p.name}`: the setter of link "
                                     f"`{link.text}` is not translated (x-todo)"))
        else:
            kind = next((ENDING_TAGS[t] for t in p.tags if t in ENDING_TAGS), None)
            if kind is None:
                todo.append("a passage without links became an ending: choose its kind "
                            "(good, mixed or bad)")
            out.append(f"    ending: {{kind: {kind or 'mixed'}}}")
        if todo:
            out.append("    x-todo:")
            out += [f"      - {quoted(t)}" for t in todo]
        scenes_out.append("\n".join(out))
    for target, sid in missing.items():
        scenes_out.append("\n".join([
            f"  {sid}:",
            f"    title: {quoted(target)}",
            "    ending: {kind: mixed}",
            "    x-todo:",
            f"      - {quoted('the story links to a passage that does not exist: write it')}",
        ]))

    episode_id = slug(title, "imported-story", allow_underscore=False)
    head = [
        "# Imported from a Twine story by `sam-cowboy import`. Search for x-todo: each",
        "# note is something Twine did that an episode says differently (conditions with",
        "# `if`, state with `variables`/`set`, points with `score`).",
        "sam_cowboy: 1",
        f"id: {episode_id}",
        f"title: {scalar(title, 0)}",
        f"languages: [{lang}]",
        "",
        "# Twine has no scores: this dimension is a placeholder. Rename it, add others, and",
        "# give choices `score:` changes with `feedback:`.",
        "dimensions:",
        f"  posture: {{label: {quoted('Posture')}}}",
        "",
        f"start: {ids[start_name] if start_name in ids else ids[story[0].name]}",
    ]
    twine = {k: story_data[k] for k in ("ifid", "format", "format-version")
             if isinstance(story_data.get(k), (str, int))}
    if twine:
        head.append("x-twine: {" + ", ".join(f"{ykey(k)}: {quoted(str(v))}"
                                            for k, v in twine.items()) + "}")
    top_todo.insert(0, "Twine has no scores: score the choices on real dimensions")
    head.append("x-todo:")
    head += [f"  - {quoted(t)}" for t in top_todo]
    head.append("")
    head.append("scenes:")
    text = "\n".join(head) + "\n" + "\n\n".join(scenes_out) + "\n"
    return ImportResult(text, episode_id, warnings, len(scenes_out))
