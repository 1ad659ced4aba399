"""At launch, "Did you do it?": each open commitment of the player whose date has passed
(strictly before results.learning.today()), one window at a time.

1 done, 2 partly, 3 not yet (keys or buttons), then an optional note; Enter records it
with results.learning.follow_up, exactly as plain mode does (learning_plain.ask_follow_ups).
"Ask me later" (Esc) leaves the commitment open, to be asked again at the next launch. The
store is read and written in the app's results thread, never on the UI thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from sam_cowboy.core import transfer
from sam_cowboy.tui.screens.base import SamModal
from sam_cowboy.tui.screens.transfer import say, today_or_notice

if TYPE_CHECKING:
    from sam_cowboy.tui.app import SamApp

LATER = "later"


def ask_follow_ups(app: SamApp) -> None:
    """Find the player's commitments due for a follow-up and ask about them (not while an
    author previews an episode: --watch, --at, --set)."""
    if app.config.watch is not None or app.config.start:
        return
    today = today_or_notice(lambda e: app.notify(e, markup=False, severity="warning"))
    loop = asyncio.get_running_loop()
    player, results = app.player, app.results

    def find() -> None:  # in the results thread: never wait for the UI from here
        from sam_cowboy.results import learning

        store = results.store()
        if store is None:
            return
        due = [dict(r) for r in learning.commitments(store, player=player)
               if transfer.is_due(r["due"], r["status"], today)]
        if due and not loop.is_closed():
            loop.call_soon_threadsafe(app.call_later, ask_each, app, due, today, 0)

    results.submit(find)
    results.release()


def ask_each(app: SamApp, rows: list[dict[str, Any]], today: date, index: int) -> None:
    """The window for rows[index]; the next one once it is answered or put off."""
    if index >= len(rows) or not app.is_running:
        return
    row = rows[index]
    commitment_id = int(row["id"])

    def answered(status: str, note: str) -> None:
        record(app, commitment_id, status, note, today)

    app.push_screen(FollowUpScreen(row, index + 1, len(rows), answered),
                    lambda _: ask_each(app, rows, today, index + 1))


def record(app: SamApp, commitment_id: int, status: str, note: str, today: date) -> None:
    results = app.results

    def act() -> None:
        from sam_cowboy.results import learning

        store = results.store()
        if store is not None:
            learning.follow_up(store, commitment_id, status, note.strip() or None, today)

    results.submit(act)
    lang = app.ui_lang
    app.notify(say(lang, "recorded", status=say(lang, status)), markup=False)


class FollowUpScreen(SamModal):
    BINDINGS = [Binding("1", "answer(1)", show=False), Binding("2", "answer(2)", show=False),
                Binding("3", "answer(3)", show=False),
                Binding("escape", "later", show=False)]
    AUTO_FOCUS = "#fu-1"

    def __init__(self, row: dict[str, Any], number: int, total: int,
                 on_answer: Callable[[str, str], None]) -> None:
        super().__init__()
        self.row = row
        self.on_answer = on_answer
        self.number = number
        self.total = total
        self.status: str | None = None

    def w(self, key: str, **values: str) -> str:
        return say(self.sam.ui_lang, key, **values)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="followup-box"):
            yield Static(id="fu-title", classes="dialog-title")
            with Horizontal(id="fu-answers", classes="dialog-buttons"):
                for n in (1, 2, 3):
                    yield Button(id=f"fu-{n}")
            yield Input(id="fu-note", max_length=500)
            yield Static(id="fu-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(id="fu-record", variant="primary")
                yield Button(id="fu-later")

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:
        row = self.row
        of = f" ({self.w('app_of', n=str(self.number), total=str(self.total))})" \
            if self.total > 1 else ""
        question = self.w("did_you", episode=self.sam.title_of(str(row["episode_id"])),
                          action=str(row["action"]), due=str(row["due"]))
        self.query_one("#fu-title", Static).update(
            Content.styled(question + of, "bold $primary"))
        for n, status in enumerate(transfer.FOLLOW_UP_ANSWERS, 1):
            mark = "✓ " if status == self.status else ""
            button = self.query_one(f"#fu-{n}", Button)
            button.label = Content(f"{mark}{n}. {self.w(status)}")
            button.variant = "primary" if status == self.status else "default"
        self.query_one("#fu-note", Input).placeholder = self.w("app_note")
        self.query_one("#fu-note", Input).disabled = self.status is None
        self.query_one("#fu-record", Button).disabled = self.status is None
        self.query_one("#fu-record", Button).label = Content(self.w("app_record"))
        self.query_one("#fu-later", Button).label = Content(self.w("app_later"))
        hint = self.w("app_note_hint", status=self.w(self.status)) if self.status \
            else self.w("app_pick_hint")
        self.query_one("#fu-hint", Static).update(Content.styled(hint, "italic"))

    def action_answer(self, number: int) -> None:
        self.status = transfer.FOLLOW_UP_ANSWERS[number - 1]
        self.draw()
        self.query_one("#fu-note", Input).focus()

    def action_later(self) -> None:
        self.dismiss(LATER)

    def action_record(self) -> None:
        if self.status is not None:
            self.on_answer(self.status, self.query_one("#fu-note", Input).value)
            self.dismiss("answered")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_record()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("fu-") and button[3:].isdigit():
            self.action_answer(int(button[3:]))
        elif button == "fu-record":
            self.action_record()
        elif button == "fu-later":
            self.action_later()
