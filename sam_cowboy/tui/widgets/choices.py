"""The choices of a scene: numbered, wrapped, picked with 1-9, arrows + Enter or the mouse."""

from __future__ import annotations

from textual.content import Content

from sam_cowboy.tui.widgets.marked import MarkedOptionList


class ChoiceList(MarkedOptionList):
    """Numbered choices; Page Up/Down scroll the story above rather than the list."""

    def set_choices(self, prompts: list[Content]) -> None:
        self.set_items([(Content.styled(f"{i}. ", "bold"), prompt)
                        for i, prompt in enumerate(prompts, 1)])

    def action_page_up(self) -> None:
        self._scroll_story(-1)

    def action_page_down(self) -> None:
        self._scroll_story(1)

    def _scroll_story(self, direction: int) -> None:
        scroll = getattr(self.screen, "action_scroll_story", None)
        if scroll is not None:
            scroll(direction)
