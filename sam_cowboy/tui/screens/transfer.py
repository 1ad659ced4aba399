"""After the debrief, from work's side: one reflection question, then one action for work
(a proposal tied to the decision that cost the most, or the player's own), by a date.

Reached from the debrief with `t`. The texts come from core/transfer.py and the words from
learning_plain.py, so the app and plain mode ask the same things; typed text is stored as
typed (results/learning.py) and only ever drawn as plain text.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from sam_cowboy.core import transfer
from sam_cowboy.learning_plain import words
from sam_cowboy.plain import plain_markdown
from sam_cowboy.tui.screens.base import SamScreen
from sam_cowboy.tui.session import PlayRun

OWN = "own"


class TransferScreen(SamScreen):
    AUTO_FOCUS = "#tr-answer"
    BINDINGS = [Binding("escape", "back", show=False)]

    def __init__(self, run: PlayRun) -> None:
        super().__init__()
        self.run = run
        self.debrief = run.debrief()
        from sam_cowboy.results.learning import today

        try:
            self.due = transfer.due_date(today())
        except Exception:  # a bad SAM_COWBOY_TODAY: plain mode says so; here, a week away
            from datetime import date

            self.due = transfer.due_date(date.today())
        lang = self.sam.text_lang(run.episode)
        assert run.analysis is not None, "a debrief has its analysis"
        self.offer = transfer.proposals(run.episode, self.debrief, run.analysis, lang)
        self.question = transfer.reflection_question(run.episode, self.debrief, lang)

    def compose(self) -> ComposeResult:
        ui = self.sam.ui_lang
        with VerticalScroll(id="transfer"):
            yield Static(Content(words(ui, "reflect")), classes="section")
            yield Static(Content(plain_markdown(self.question)))
            yield Input(id="tr-answer", placeholder=words(ui, "answer").strip(" :"))
            yield Static(Content(words(ui, "commit", due=self.due.isoformat())),
                         classes="section")
            yield OptionList(*[Option(Content(plain_markdown(a)), id=str(i))
                               for i, a in enumerate(self.offer.actions)], id="tr-offers")
            yield Input(id="tr-own", placeholder=words(ui, "own").strip())
        with Horizontal(id="transfer-buttons"):
            yield Button(Content("OK"), id="tr-save", variant="primary")
            yield Button(Content("×"), id="tr-skip")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "tr-save":
            self.save()
        elif event.button.id == "tr-skip":
            self.action_back()

    def action_back(self) -> None:
        self.dismiss()

    def save(self) -> None:
        answer = self.query_one("#tr-answer", Input).value
        own = self.query_one("#tr-own", Input).value
        offers = self.query_one("#tr-offers", OptionList)
        action, is_own = (own, True) if own.strip() else (None, False)
        if action is None and offers.highlighted is not None and self.offer.actions:
            action = self.offer.actions[offers.highlighted]
        self.store_answers(answer, action, is_own)

    @work(thread=True, exclusive=True, group="transfer")
    def store_answers(self, answer: str, action: str | None, own: bool) -> None:
        from sam_cowboy.results import learning
        from sam_cowboy.results.store import StoreError, open_store

        try:
            store = open_store(self.sam.config.db)
            try:
                runs = [r for r in store.runs(player=self.sam.player,
                                              episode_id=self.run.episode.id)
                        if r["status"] == "finished"]
                run_id = int(runs[-1]["id"]) if runs else None
                if run_id is not None and answer.strip():
                    learning.save_reflection(store, run_id, answer)
                if action:
                    learning.add_commitment(store, run_id=run_id, player=self.sam.player,
                                            episode_id=self.run.episode.id, action=action,
                                            due=self.due, scene=self.offer.scene,
                                            choice=self.offer.choice, own=own)
            finally:
                store.close()
        except StoreError as e:
            self.app.call_from_thread(self.sam.notify, str(e), markup=False,
                                      severity="warning")
            return
        if action:
            message = words(self.sam.ui_lang, "committed", action=action,
                            due=self.due.isoformat())
            self.app.call_from_thread(self.sam.notify, message, markup=False)
        self.app.call_from_thread(self.dismiss)
