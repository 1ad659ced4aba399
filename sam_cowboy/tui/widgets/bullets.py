"""A list whose items wrap under their own text (hanging indent), for objectives, questions,
key decisions and paths: easier to read than text that runs back under the bullet."""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static


class BulletList(Vertical):
    DEFAULT_CSS = """
    BulletList { height: auto; }
    BulletList > Horizontal { height: auto; }
    BulletList > Horizontal > .bullet { width: auto; height: auto; }
    BulletList > Horizontal > .item { width: 1fr; height: auto; }
    """

    def set_items(self, heading: Content | None, items: list[tuple[str | Content, Content]]
                  ) -> None:
        """`items`: (bullet, text), e.g. ("  • ", objective) or (" 1. ", choice)."""
        self.remove_children()
        rows: list[Static | Horizontal] = []
        if heading is not None:
            rows.append(Static(heading))
        for bullet, text in items:
            mark = bullet if isinstance(bullet, Content) else Content(bullet)
            rows.append(Horizontal(Static(mark, classes="bullet"), Static(text, classes="item")))
        self.mount_all(rows)
