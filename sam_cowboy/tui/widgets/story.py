"""The scene's story: its title and text, then its card, in one widget."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from sam_cowboy.tui.widgets.card import Card
from sam_cowboy.tui.widgets.drawn import NO_WRAP_CSS, Drawn, wrapped

CARD_WIDTH = 80  # a card wider than this reads like a banner, not a post


class StoryView(Widget):
    """Text wrapped to the width, a blank line, the card (at most CARD_WIDTH wide), a blank
    line. One widget: a key press that changes the scene lays out and draws one thing."""

    DEFAULT_CSS = f"StoryView {{ {NO_WRAP_CSS} }}"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.text = Content("")
        self.card: Card | None = None
        self._drawn: Drawn | None = None
        self._contrast = False

    @property
    def plain(self) -> str:
        """The words shown, unwrapped, the card's without its frame (for tests and tools)."""
        return "\n".join([self.text.plain] + ([self.card.plain] if self.card else []))

    def show(self, text: Content, card: Card | None) -> None:
        if (text.plain, text.spans, card) == (self.text.plain, self.text.spans, self.card):
            return  # the same story: nothing to draw again
        self.text, self.card = text, card
        self._drawn = None
        self.refresh(layout=True)

    def render(self) -> Drawn:
        contrast = self.app.has_class("-contrast")
        if self._drawn is None or contrast != self._contrast:
            self._contrast = contrast
            self._drawn = Drawn(self.draw)
        return self._drawn

    def draw(self, width: int) -> list[Content]:
        lines = wrapped(self.text, width)
        if self.card is not None:
            lines += [Content(""), *self.card.draw(min(width, CARD_WIDTH), self._contrast),
                      Content("")]
        return lines
