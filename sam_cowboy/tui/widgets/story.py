"""The scene's story: its title and text, then its card, in one widget."""

from __future__ import annotations

from textual.content import Content

from sam_cowboy.tui.text import same
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

    @property
    def plain(self) -> str:
        """The words shown, unwrapped, the card's without its frame (for tests and tools)."""
        return "\n".join([self.text.plain] + ([self.card.plain] if self.card else []))

    def show(self, text: Content, card: Card | None) -> None:
        if same(text, self.text) and card == self.card:
            return  # the same story: nothing to draw again
        self.text, self.card = text, card
        self.redraw()

    def draw(self, width: int) -> list[Content]:
        lines = wrapped(self.text, width)
        if self.card is not None:
            contrast = self.app.has_class("-contrast")
            lines += [Content(""), *self.card.draw(min(width, CARD_WIDTH), contrast),
                      Content("")]
        return lines
