"""The scene's story: its title and text, then its card, in one widget."""

from __future__ import annotations

from collections.abc import Hashable

from textual.content import Content

from sam_cowboy.tui.text import content_key
from sam_cowboy.tui.widgets.card import Card
from sam_cowboy.tui.widgets.drawn import DrawnWidget, wrapped

CARD_WIDTH = 80  # a card wider than this reads like a banner, not a post


class StoryView(DrawnWidget):
    """Text wrapped to the width, a blank line, the card (at most CARD_WIDTH wide), a blank
    line. One widget: a key press that changes the scene lays out and draws one thing."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.text = Content("")
        self.card: Card | None = None
        self._key = story_key(self.text, self.card)

    @property
    def plain(self) -> str:
        """The words shown, unwrapped, the card's without its frame (for tests and tools)."""
        return "\n".join([self.text.plain] + ([self.card.plain] if self.card else []))

    def show(self, text: Content, card: Card | None) -> None:
        key = story_key(text, card)
        if key == self._key:
            return  # the same story: nothing to draw again
        self.text, self.card, self._key = text, card, key
        self.redraw()

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        return self._key, (self.text, self.card)

    def draw(self, text: Content, card: Card | None, width: int) -> list[Content]:
        lines = wrapped(text, width)
        if card is not None:
            contrast = self.app.has_class("-contrast")
            lines += [Content(""), *card.draw(min(width, CARD_WIDTH), contrast), Content("")]
        return lines


def story_key(text: Content, card: Card | None) -> Hashable:
    return content_key(text), card.key if card is not None else None
