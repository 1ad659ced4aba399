"""Twine 2 HTML (a library archive or a published story) -> Twee passages.

The story lives in `<tw-storydata name startnode format ...>` with one
`<tw-passagedata pid name tags>` per passage, its text HTML-escaped. The standard
library's HTML parser reads it (in one pass, whatever the story format's script around
it holds); entities are decoded by the parser.
"""

from __future__ import annotations

from html.parser import HTMLParser

from sam_cowboy.authoring.importing import ImportError_, ImportResult
from sam_cowboy.authoring.twee import Passage, convert_passages


class _Archive(HTMLParser):
    def __init__(self, file: str) -> None:
        super().__init__(convert_charrefs=True)
        self.file = file
        self.stories: list[dict[str, str]] = []
        self.passages: list[Passage] = []
        self.extra: list[tuple[str, str, int]] = []  # (kind, text, line): scripts, styles
        self._current: Passage | None = None
        self._chunks: list[str] = []
        self._in_story = False
        self._special: tuple[str, int] | None = None
        self.twine1 = False
        self.pids: dict[str, str] = {}
        self._pid = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        line = self.getpos()[0]
        if tag == "tw-storydata":
            self.stories.append(a)
            self._in_story = len(self.stories) == 1
        elif tag == "tw-passagedata" and self._in_story:
            self._finish()
            self._current = Passage(a.get("name", "").strip(), a.get("tags", "").split(),
                                    "", line, self.file)
            self._pid = a.get("pid", "")
            self._chunks = []
            self.pids[self._pid] = self._current.name
        elif tag in ("style", "script") and self._in_story and self._current is None:
            self._special = (tag, line)
            self._chunks = []
        elif tag == "div" and a.get("id") == "storeArea":
            self.twine1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "tw-passagedata":
            self._finish()
        elif tag in ("style", "script") and self._special is not None:
            text = "".join(self._chunks).strip()
            if text:
                self.extra.append((self._special[0], text, self._special[1]))
            self._special = None
        elif tag == "tw-storydata":
            self._finish()
            self._in_story = False

    def handle_data(self, data: str) -> None:
        if self._current is not None or self._special is not None:
            self._chunks.append(data)

    def _finish(self) -> None:
        if self._current is not None:
            self._current.text = "".join(self._chunks)
            self.passages.append(self._current)
            self._current = None


def convert_html(source: str, file: str, file_stem: str, lang: str = "en",
                 dimensions: list[str] | None = None,
                 stop_choices: bool = False) -> ImportResult:
    parser = _Archive(file)
    parser.feed(source)
    parser.close()
    if not parser.stories:
        if parser.twine1:
            raise ImportError_("a Twine 1 file: open it in Twine 2 (Library > Import) and "
                               "publish it again, or export it as Twee", 1, 1, file)
        raise ImportError_("no Twine story in this HTML file (no <tw-storydata>): publish "
                           "the story from Twine 2, or export it as Twee", 1, 1, file)
    if len(parser.stories) > 1:
        raise ImportError_(f"this archive holds {len(parser.stories)} stories: publish the "
                           "one to import on its own", 1, 1, file)
    attrs = parser.stories[0]
    data: dict[str, object] = {k: attrs[k] for k in ("ifid", "format", "format-version")
                               if k in attrs}
    start = parser.pids.get(attrs.get("startnode", ""))
    if start:
        data["start"] = start
    for p in parser.passages:
        if not p.name:
            raise ImportError_("a passage has no name", p.line, 1, file)
    passages = list(parser.passages)
    for n, (kind, text, line) in enumerate(parser.extra):
        tag = "stylesheet" if kind == "style" else "script"
        passages.append(Passage(f"Story {tag} {n + 1}", [tag], text, line, file))
    return convert_passages(passages, attrs.get("name") or file_stem, lang, dimensions, data,
                            None, stop_choices)
