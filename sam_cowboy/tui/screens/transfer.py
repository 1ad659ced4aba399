"""After the numbers, from work's side: one action for work (a proposal tied to the decision
that cost the most on this run, or the player's own), by a date.

Opened from the debrief's last section (its button, or `t`). The texts come from
core/transfer.py and the words from learning_plain.py, so the app and plain mode ask the same
things; typed text is stored as typed (results/learning.py), through the run's results log
so it lands after the run itself, and is only ever drawn as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from sam_cowboy.core import transfer
from sam_cowboy.core.i18n import typeset
from sam_cowboy.learning_plain import WORDS, shown
from sam_cowboy.plain import plain_markdown
from sam_cowboy.tui.screens.base import SamScreen
from sam_cowboy.tui.session import PlayRun
from sam_cowboy.tui.text import markdown

if TYPE_CHECKING:
    from sam_cowboy.results.store import Store
    from sam_cowboy.tui.results import RunLog


def say(ui: str, key: str, **values: str) -> str:
    """A word of the transfer step in the app's language; the values are shown as one line
    without controls, and French typography applies to the words, never to typed text."""
    template = WORDS.get(ui, WORDS["en"])[key]
    return typeset(template, ui).format(**{k: shown(v) for k, v in values.items()})


def today_or_notice(notify: Callable[[str], None]) -> date:
    """results.learning.today(); a bad SAM_COWBOY_TODAY is said once and today's date used."""
    from sam_cowboy.results.learning import today
    from sam_cowboy.results.store import StoreError

    try:
        return today()
    except StoreError as e:
        notify(str(e))
        return date.today()


def with_run(log: RunLog | None, action: Callable[[Store, int], None]) -> bool:
    """Run `action(store, run id)` in the results thread, after every call the run's log has
    made (its ending included). False when the run is not being recorded."""
    if log is None:
        return False
    log.push()

    def act() -> None:
        store = log.results.store()
        if store is not None and log.run_id is not None:
            action(store, log.run_id)

    log.results.submit(act)
    return True


@dataclass(frozen=True)
class Commitment:
    action: str
    due: date
    own: bool


class TransferScreen(SamScreen):
    """The commitment: a proposal or the player's own action, and its date."""

    AUTO_FOCUS = "#tr-offers"
    BINDINGS = [Binding("escape", "skip", show=False)]

    def __init__(self, run: PlayRun, offer: transfer.Proposals, due: date, today: date,
                 log: RunLog | None = None,
                 on_commit: Callable[[Commitment], None] | None = None) -> None:
        super().__init__()
        self.on_commit = on_commit
        self.run = run
        self.offer = offer
        self.due = due
        self.today = today
        self.run_log = log

    def compose(self) -> ComposeResult:
        yield Static(id="tr-head", classes="topbar")
        with VerticalScroll(id="transfer"):
            yield Static(id="tr-about")
            yield OptionList(*[Option(Content.assemble(f"{i}. ", markdown(plain_markdown(a))),
                                      id=f"offer-{i}")
                               for i, a in enumerate(self.offer.actions, 1)], id="tr-offers")
            yield Input(id="tr-own")
            with Horizontal(id="tr-date-row"):
                yield Static(id="tr-by")
                yield Input(self.due.isoformat(), id="tr-due", max_length=10)
            yield Static(id="tr-problem")
        with Horizontal(id="transfer-buttons"):
            yield Button(id="tr-save", variant="primary")
            yield Button(id="tr-skip")
        yield Static(id="tr-keys", classes="topbar")

    def on_mount(self) -> None:
        offers = self.query_one("#tr-offers", OptionList)
        offers.display = bool(self.offer.actions)
        if self.offer.actions:
            offers.highlighted = 0
        else:
            self.query_one("#tr-own", Input).focus()
        self.draw()

    def w(self, key: str, **values: str) -> str:
        return say(self.sam.ui_lang, key, **values)

    def draw(self) -> None:
        ep = self.run.episode
        self.query_one("#tr-head", Static).update(Content.assemble(
            (self.w("app_commit_title"), "bold"), " — ", shown(self.sam.say(ep, ep.title))))
        about = []
        if self.offer.scene is not None and self.offer.choice is not None:
            choice = ep.scenes[self.offer.scene].choice(self.offer.choice)
            if choice is not None:
                about.append(self.w("app_about", choice=self.sam.say(ep, choice.text)))
        about.append(self.w("app_commit_hint"))
        self.query_one("#tr-about", Static).update(Content("\n".join(about)))
        self.query_one("#tr-own", Input).placeholder = self.w("app_own")
        self.query_one("#tr-by", Static).update(Content(self.w("app_by")))
        self.query_one("#tr-save", Button).label = Content(self.w("app_save"))
        self.query_one("#tr-skip", Button).label = Content(self.w("app_skip"))
        self.query_one("#tr-keys", Static).update(Content(self.w("app_commit_keys")))

    def relabel(self) -> None:
        self.draw()

    def problem(self, text: str, field: str) -> None:
        """Say kindly what to change, and put the cursor where it is changed."""
        self.query_one("#tr-problem", Static).update(Content.styled(text, "bold $warning"))
        self.query_one(field).focus()

    # ------------------------------------------------------------ keys and buttons

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#tr-due", Input).focus()  # a proposal picked: its date next

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "tr-own" and event.value.strip():
            self.query_one("#tr-due", Input).focus()
        else:
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "tr-save":
            self.action_save()
        elif event.button.id == "tr-skip":
            self.action_skip()

    def action_skip(self) -> None:
        self.dismiss()

    def chosen(self) -> Commitment | None:
        """What the fields say, or None after saying what to change."""
        typed = self.query_one("#tr-due", Input).value.strip()
        day = transfer.parse_day(typed)
        if day is None:
            example = transfer.due_date(self.today).isoformat()
            self.problem(self.w("app_bad_date", text=typed, example=example), "#tr-due")
            return None
        if day < self.today:
            self.problem(self.w("app_past_date", day=day.isoformat()), "#tr-due")
            return None
        own = self.query_one("#tr-own", Input).value
        if own.strip():
            return Commitment(own, day, True)
        highlighted = self.query_one("#tr-offers", OptionList).highlighted
        if self.offer.actions and highlighted is not None:
            return Commitment(self.offer.actions[highlighted], day, False)
        self.problem(self.w("app_no_action"), "#tr-own")
        return None

    def action_save(self) -> None:
        commitment = self.chosen()
        if commitment is None:
            return
        player, episode_id, offer = self.sam.player, self.run.episode.id, self.offer

        def add(store: Store, run_id: int) -> None:  # in the results thread
            from sam_cowboy.results import learning

            learning.add_commitment(store, run_id=run_id, player=player, episode_id=episode_id,
                                    action=commitment.action, due=commitment.due,
                                    scene=offer.scene, choice=offer.choice, own=commitment.own)

        with_run(self.run_log, add)
        self.sam.notify_data(self.w("committed", action=plain_markdown(commitment.action),
                                    due=commitment.due.isoformat()))
        self.dismiss()
        if self.on_commit is not None:
            self.on_commit(commitment)
