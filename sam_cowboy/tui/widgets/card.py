"""A scene's card: a mock of what Sam is looking at — profile, post, message, email, note.

Drawn with the theme's colours and borders (so high contrast applies), and never by colour
alone: each kind has its own shape and a title saying what it is.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from sam_cowboy.tui.text import data, markdown, put

KINDS = ("profile", "post", "message", "email", "note")
ICONS = {"profile": "◉", "post": "▤", "message": "✉", "email": "@", "note": "✎"}


def initials(name: str) -> str:
    words = [w for w in name.replace(",", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "?"


class CardView(Vertical):
    """One container whose parts are filled, shown or hidden for the card's kind."""

    def compose(self) -> ComposeResult:
        yield Static(id="card-who")
        yield Static(id="card-sub")
        yield Static(id="card-body")
        yield Static(id="card-foot")

    def show(self, kind: str | None, fields: dict[str, str], labels: dict[str, str]) -> None:
        """`fields`: the card's texts in the player's language; `labels`: UI words."""
        if kind is None:
            self.display = False
            return
        self.display = True
        for k in KINDS:
            self.set_class(k == kind, f"-{k}")
        self.border_title = f" {ICONS.get(kind, '')} {labels[kind]} "
        who, sub, body, foot = (self.query_one(f"#card-{p}", Static)
                                for p in ("who", "sub", "body", "foot"))
        parts: dict[Static, Content | None] = {who: None, sub: None, body: None, foot: None}

        def field(key: str) -> str:
            return fields.get(key, "").strip()

        def person(name: str, extra: Content | None = None) -> Content:
            line = Content.assemble((f" {initials(name)} ", "reverse bold"), " ",
                                    data(name, "bold"))
            return Content.assemble(line, "\n", extra) if extra else line

        def labelled(key: str, style: str = "") -> Content:
            return Content.assemble((f"{labels[key]}\u202f: " if labels["_lang"] == "fr"
                                     else f"{labels[key]}: ", "dim"), data(field(key), style))

        if kind == "profile":
            if field("name"):
                parts[who] = person(field("name"),
                                    data(field("headline"), "italic") if field("headline")
                                    else None)
            elif field("headline"):
                parts[who] = data(field("headline"), "italic")
            if field("about"):
                parts[body] = Content.assemble((labels["about"], "bold"), "\n",
                                               markdown(field("about")))
        elif kind == "post":
            if field("author"):
                parts[who] = person(field("author"))
            if field("body"):
                parts[body] = markdown(field("body"))
            if field("reactions"):
                parts[foot] = Content.assemble(("♥ ", "$accent"), labelled("reactions"))
        elif kind == "message":
            lines = [labelled(k) for k in ("from", "to") if field(k)]
            if lines:
                parts[who] = Content("\n").join(lines)
            if field("body"):
                parts[body] = markdown(field("body"))
        elif kind == "email":
            lines = [labelled(k) for k in ("from", "to") if field(k)]
            if field("subject"):
                lines.append(labelled("subject", "bold"))
            if lines:
                parts[who] = Content("\n").join(lines)
            if field("body"):
                parts[body] = markdown(field("body"))
        else:  # note, or a kind from a newer format: show its fields as they come
            texts = [markdown(v) for v in fields.values() if v.strip()]
            if texts:
                parts[body] = Content("\n\n").join(texts)
        for widget, content in parts.items():
            widget.display = content is not None
            put(widget, content if content is not None else Content(""))
