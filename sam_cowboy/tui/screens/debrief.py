"""After the ending: reflection first, then the numbers, then one action for work.

A counted run (not practice, not a test run) starts with one reflection question
(core.transfer) and a field for the answer, the numbers hidden: Enter keeps the answer with
the stored run, an empty answer or Esc skips. Then the held-back lessons of an assessment run
("What each consequence taught"), the posture, key decisions, the path beside the best run,
one habit to practise, and last the commitment: the actions proposed for the decision that
cost the most, a button and `t` to pick one or write one's own, with a date
(screens/transfer.py). Replay, next episode or back to the library.

Every figure comes from `core.debrief.build` (the same object `sam-cowboy run --json` prints)
and the analysis' best run; nothing is recomputed here. The order follows plain mode
(learning_plain.py).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Static

from sam_cowboy.core import engine, transfer
from sam_cowboy.core.debrief import Debrief
from sam_cowboy.core.i18n import scene_paragraphs
from sam_cowboy.core.model import Text
from sam_cowboy.messages import colon, quote
from sam_cowboy.plain import plain_markdown
from sam_cowboy.tui.screens.base import SamScreen
from sam_cowboy.tui.screens.transfer import Commitment, say, today_or_notice, with_run
from sam_cowboy.tui.session import PlayRun
from sam_cowboy.tui.text import data, markdown, paragraphs
from sam_cowboy.tui.widgets.bullets import BulletList
from sam_cowboy.tui.widgets.keybar import Key, KeyBar
from sam_cowboy.tui.widgets.posture import bar, signed
from sam_cowboy.tui.widgets.table import Table

if TYPE_CHECKING:
    from sam_cowboy.results.store import Store
    from sam_cowboy.tui.results import RunLog

DEBRIEF_BAR = 20


class DebriefScreen(SamScreen):
    AUTO_FOCUS = "#debrief"
    BINDINGS = [Binding("r", "replay", show=False), Binding("n", "next", show=False),
                Binding("l", "library", show=False),
                Binding("escape", "escape", show=False),
                Binding("t", "transfer", show=False),
                Binding("pageup", "scroll(-1)", show=False),
                Binding("pagedown", "scroll(1)", show=False)]

    def __init__(self, run: PlayRun, log: RunLog | None = None) -> None:
        super().__init__()
        self.run = run
        self.run_log = log  # the run's record in the results store (reflection, commitment)
        self.debrief: Debrief = run.debrief()
        self.has_next = False
        self.counted = not run.test and not run.practice
        self.reflecting = self.counted  # the question first, the numbers once answered
        self.answer = ""
        self.committed: Commitment | None = None
        self.today = date.min

    def compose(self) -> ComposeResult:
        yield Static(id="debrief-head", classes="topbar")
        with VerticalScroll(id="debrief"):
            yield Static(id="db-ending")
            yield Static(id="db-note")
            yield BulletList(id="db-questions", classes="section")
            yield Static(id="db-reflection", classes="section")
            with Vertical(id="db-numbers"):
                yield BulletList(id="db-held", classes="section")
                yield Static(id="db-posture", classes="section")
                yield Static(id="db-overall", classes="section")
                yield BulletList(id="db-decisions", classes="section")
                yield Table(id="db-paths", classes="section")
                yield Static(id="db-legend")
                yield Static(id="db-weakest", classes="section")
                yield Static(id="db-commit", classes="section")
                yield Button(id="db-commit-button")
        with Vertical(id="db-reflect"):
            yield Static(id="db-reflect-question")
            yield Input(id="db-answer")
            yield Static(id="db-reflect-hint")
        with Horizontal(id="debrief-buttons"):
            yield Button(id="replay")
            yield Button(id="next", variant="primary")
            yield Button(id="library")
        yield KeyBar()

    def w(self, key: str, **values: str) -> str:
        return say(self.sam.ui_lang, key, **values)

    def keys(self) -> list[Key]:
        if self.reflecting:
            return [("⏎", self.w("app_keep"), "keep_answer"),
                    ("esc", self.w("app_skip_key"), "escape")] + self.common_keys()
        keys: list[Key] = [("r", self.t("key_replay"), "replay")]
        if self.has_next:
            keys.append(("n", self.t("key_next"), "next"))
        keys.append(("l", self.t("key_library"), "library"))
        if self.can_commit:
            keys.append(("t", self.w("app_commit_key"), "transfer"))
        return keys + self.common_keys()

    @property
    def can_commit(self) -> bool:
        return self.counted and self.committed is None and not self.reflecting

    def on_mount(self) -> None:
        self.query_one("#next", Button).display = False
        self.today = today_or_notice(lambda e: self.sam.notify_data(e, severity="warning"))
        self.draw()
        self.show_stage()
        if self.sam.items is not None:
            self.found_next()
        else:
            self.load_library()

    @work(thread=True, exclusive=True)
    def load_library(self) -> None:
        self.sam.load_library()
        self.app.call_from_thread(self.found_next)

    def found_next(self) -> None:
        self.has_next = self.sam.next_item(self.run.episode) is not None
        self.query_one("#next", Button).display = self.has_next
        self.refresh_keys()

    # ------------------------------------------------------------ drawing

    def say(self, text: Text | None, variables: Any = None) -> str:
        return self.sam.say(self.run.episode, text, variables)

    def choice_words(self, scene_id: str, choice_id: str) -> str:
        choice = self.run.episode.scenes[scene_id].choice(choice_id)
        return self.say(choice.text) if choice is not None else choice_id

    def change_words(self, changes: dict[str, int]) -> str:
        ep = self.run.episode
        return ", ".join(f"{signed(v)} {self.say(ep.dimensions[d].label)}"
                         for d, v in changes.items() if v)

    def heading(self, key: str) -> Content:
        return Content.styled(colon(self.t(key), self.sam.ui_lang).rstrip(), "bold")

    def draw(self) -> None:
        ep, db, state = self.run.episode, self.debrief, self.run.state
        lang = self.sam.text_lang(ep)
        self.query_one("#debrief-head", Static).update(Content.assemble(
            (self.t("debrief"), "bold"), " — ", data(self.say(ep.title), "bold")))
        # the ending: its title and text
        ending_parts: list[Content] = []
        if state.ending is not None:
            scene = ep.scenes[state.ending]
            ending = scene.ending
            kind = self.t(f"ending_{ending.kind}") if ending else ""
            title = self.say(ending.title, state.variables) if ending and ending.title else ""
            head = self.t("ending_line", title=title) if title else self.t("the_end")
            ending_parts.append(Content.assemble(data(head, "bold $primary"),
                                                 (f"  ({kind})", "italic")))
            text = scene_paragraphs(ep, scene, lang, state)
            if text:
                ending_parts.append(paragraphs(text))
        else:
            ending_parts.append(Content(self.t("stopped")))
        self.query_one("#db-ending", Static).update(Content("\n\n").join(ending_parts))
        note = self.t("test_not_counted") if self.run.test else \
            self.t("practice_not_counted") if self.run.practice else self.t("result_saved")
        self.query_one("#db-note", Static).update(Content.styled(note, "italic"))
        # questions first: reflection before numbers
        questions = self.query_one("#db-questions", BulletList)
        questions.display = bool(ep.debrief)
        questions.set_items(self.heading("questions"),
                            [("  • ", markdown(self.say(q))) for q in ep.debrief])
        self.draw_transfer(lang)
        # each dimension: its gauge and a word (raw figures are for `run --json` and reports)
        lines = [self.heading("posture")]
        for d in db.dimensions:
            lines.append(data(self.say(ep.dimensions[d.id].label), "bold"))
            word = self.t(f"level_{d.level}")
            if d.exercised:
                lines.append(Content.assemble("  ", bar(d.percent, DEBRIEF_BAR),
                                              f" {d.percent:>3}%  ", (word, "bold")))
            else:
                lines.append(Content.assemble("  ", (word, "bold italic"), "  ",
                                              (self.t("not_seen_explain"), "italic")))
        self.query_one("#db-posture", Static).update(Content("\n").join(lines))
        # overall, label, advice
        top = Content.assemble(self.heading("overall"), (f" {db.overall}%", "bold"), "  ",
                               (self.t(f"level_{db.overall_level}"), "bold"))
        if db.profile is not None:
            top = Content.assemble(top, " — ", data(self.say(db.profile.label), "bold $accent"))
        overall = [top, Content.assemble("  ", bar(db.overall, DEBRIEF_BAR))]
        if db.profile is not None and db.profile.advice:
            overall.append(markdown(self.say(db.profile.advice)))
        self.query_one("#db-overall", Static).update(Content("\n").join(overall))
        # key decisions, with what the best run did there
        decisions = self.query_one("#db-decisions", BulletList)
        decisions.display = bool(db.key_decisions)
        items: list[tuple[str | Content, Content]] = []
        for k in db.key_decisions:
            mine = self.choice_words(k.scene, k.choice)
            words = self.change_words(k.changes)  # empty when leaving the best run scored 0
            best = {"never": self.t("best_never"), "same": self.t("best_same")}.get(
                k.verdict) or self.t("best_did", choice=self.choice_words(
                    k.scene, k.best_choice or ""))
            items.append(("  • ", Content.assemble(
                data(quote(mine, self.sam.ui_lang)),
                (f" ({words})" if words else "", "bold"), "\n",
                ("→ ", "bold"), data(best, "italic"))))
        decisions.set_items(self.heading("key_decisions"), items)
        # the player's path beside the best run, scene by scene
        table = self.query_one("#db-paths", Table)
        table.display = bool(db.path)
        if db.path:
            none = Content.styled(self.t("path_not_here"), "dim italic")
            rows = []
            for n, row in enumerate(db.path, 1):
                scene = ep.scenes[row.scene]
                rows.append([
                    Content(f"{n}."),
                    data(self.say(scene.title) if scene.title else row.scene, "italic"),
                    Content.assemble(("= " if row.same else "", "bold"),
                                     data(self.choice_words(row.scene, row.mine)))
                    if row.mine else none,
                    data(self.choice_words(row.scene, row.best)) if row.best else none])
            best_title = f"{self.t('best_run')} ({db.best_overall}%)"
            table.set_rows([Content.styled(h, "bold") for h in
                            ("", self.t("path_scene"), self.t("your_path"), best_title)],
                           rows, [3, None, None, None])
        self.query_one("#db-legend", Static).display = bool(db.path)
        self.query_one("#db-legend", Static).update(
            Content.styled(self.t("same_legend"), "dim italic"))
        # the weakest dimension, with one habit to practise
        weakest = self.query_one("#db-weakest", Static)
        weakest.display = db.weakest is not None
        if db.weakest is not None:
            dim = ep.dimensions[db.weakest]
            parts = [data(self.t("weakest", dimension=self.say(dim.label)), "bold")]
            habit = dim.habit or dim.description
            if habit:
                parts.append(markdown(self.say(habit)))
            weakest.update(Content("\n").join(parts))
        for button_id, key in (("replay", "replay"), ("next", "next_episode"),
                               ("library", "library")):
            self.query_one(f"#{button_id}", Button).label = Content(self.t(key))
        self.refresh_keys()

    def draw_transfer(self, lang: str) -> None:
        """The reflection question (and the answer once given), the held-back lessons of an
        assessment run, and the commitment section."""
        ep, db = self.run.episode, self.debrief
        question = transfer.reflection_question(ep, db, lang)
        title = Content.styled(self.w("reflect"), "bold")
        self.query_one("#db-reflect-question", Static).update(
            Content("\n").join([title, markdown(question)]))
        self.query_one("#db-answer", Input).placeholder = self.w("app_answer")
        self.query_one("#db-reflect-hint", Static).update(
            Content.styled(self.w("app_reflect_hint"), "italic"))
        reflection = self.query_one("#db-reflection", Static)
        reflection.display = bool(self.answer.strip()) and not self.reflecting
        reflection.update(Content("\n").join([
            title, markdown(question), Content.assemble(
                (colon(self.w("app_answer"), self.sam.ui_lang), "bold"),
                data(" ".join(self.answer.split())))]))
        held = self.query_one("#db-held", BulletList)
        lessons = self.held_lessons() if self.run.assess else []
        held.display = bool(lessons)
        heading = Content.styled(colon(self.w("held"), self.sam.ui_lang).rstrip(), "bold")
        held.set_items(heading if lessons else None,
                       [("  • ", Content.assemble(data(quote(choice, self.sam.ui_lang), "italic"),
                                                  "\n", markdown(text)))
                        for choice, text in lessons])
        self.draw_commit(lang)

    def held_lessons(self) -> list[tuple[str, str]]:
        """Each consequence of the run in full (story and principle) with its choice: what
        an assessment run held back, found again by replaying the run's choices."""
        ep = self.run.episode
        state = self.run.began[0]
        lessons = []
        for _, choice_id in self.run.state.path[len(state.path):]:
            try:
                state, events = engine.choose(ep, state, choice_id)
            except engine.EngineError:
                break
            lessons += [(self.choice_words(e.scene, e.choice), self.say(e.text, e.variables))
                        for e in events if isinstance(e, engine.FeedbackShown)]
        return lessons

    def offer(self, lang: str) -> transfer.Proposals:
        assert self.run.analysis is not None, "a debrief has its analysis"
        return transfer.proposals(self.run.episode, self.debrief, self.run.analysis, lang)

    def draw_commit(self, lang: str) -> None:
        commit = self.query_one("#db-commit", Static)
        button = self.query_one("#db-commit-button", Button)
        commit.display = self.counted
        button.display = self.counted and self.committed is None
        button.label = Content(self.w("app_commit_button"))
        if not self.counted:
            return
        if self.committed is not None:
            commit.update(Content.styled(self.w(
                "committed", action=plain_markdown(self.committed.action),
                due=self.committed.due.isoformat()), "bold"))
            return
        offer = self.offer(lang)
        due = transfer.due_date(self.today).isoformat()
        choice = None
        if offer.scene is not None and offer.choice is not None:
            choice = self.run.episode.scenes[offer.scene].choice(offer.choice)
        head = self.w("commit_on", due=due, choice=self.say(choice.text)) \
            if choice is not None else self.w("commit", due=due)
        lines = [Content.styled(head, "bold")]
        lines += [Content.assemble(f"  {i}. ", markdown(plain_markdown(a)))
                  for i, a in enumerate(offer.actions, 1)]
        lines.append(Content(self.w("own")))
        commit.update(Content("\n").join(lines))

    def show_stage(self) -> None:
        """The reflection question alone, or the numbers and the buttons."""
        self.query_one("#db-numbers", Vertical).display = not self.reflecting
        self.query_one("#db-reflect", Vertical).display = self.reflecting
        self.query_one("#debrief-buttons", Horizontal).display = not self.reflecting
        if self.reflecting:
            self.query_one("#db-answer", Input).focus()
        else:
            self.query_one("#debrief", VerticalScroll).focus()
        self.refresh_keys()

    def relabel(self) -> None:
        self.draw()

    # ------------------------------------------------------------ actions

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "db-answer":
            self.reflected(event.value)

    def action_keep_answer(self) -> None:
        self.reflected(self.query_one("#db-answer", Input).value)

    def reflected(self, answer: str) -> None:
        """The reflection answered (kept with the stored run, exactly as typed) or skipped
        (empty): the numbers now."""
        if not self.reflecting:
            return
        self.reflecting = False
        if answer.strip():
            self.answer = answer
            with_run(self.run_log, lambda store, run_id: save_reflection(store, run_id, answer))
        self.draw()
        self.show_stage()
        # the ending was read with the question: the debrief goes on from its questions
        box = self.query_one("#debrief", VerticalScroll)
        self.call_after_refresh(box.scroll_to_widget, self.query_one("#db-questions"),
                                animate=False, top=True)

    def action_escape(self) -> None:
        if self.reflecting:
            self.reflected("")
        else:
            self.action_library()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {"replay": self.action_replay, "next": self.action_next,
                   "library": self.action_library, "db-commit-button": self.action_transfer}
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    def action_replay(self) -> None:
        episode = self.sam.latest(self.run.episode)  # --watch may have loaded a new version
        self.sam.start_run(episode, self.sam.cached_analysis(episode), start=self.run.start)

    def action_next(self) -> None:
        item = self.sam.next_item(self.run.episode)
        if item is None or item.episode is None:
            return
        missing = self.sam.missing_requirements(item.episode)
        if missing:
            self.sam.notify_data(self.t("locked_explain", episodes=", ".join(
                self.sam.title_of(r) for r in missing)))
            return
        self.sam.show_intro(item.episode)

    def action_library(self) -> None:
        self.sam.show_library()

    def action_transfer(self) -> None:
        from sam_cowboy.tui.screens.transfer import TransferScreen

        if self.can_commit:
            self.app.push_screen(TransferScreen(
                self.run, self.offer(self.sam.text_lang(self.run.episode)),
                transfer.due_date(self.today), self.today, self.run_log,
                on_commit=self.commitment_made))

    def commitment_made(self, commitment: Commitment) -> None:
        self.committed = commitment
        self.draw()
        self.query_one("#debrief", VerticalScroll).focus()

    def action_scroll(self, direction: int) -> None:
        box = self.query_one("#debrief", VerticalScroll)
        if direction < 0:
            box.scroll_page_up()
        else:
            box.scroll_page_down()


def save_reflection(store: Store, run_id: int, answer: str) -> None:
    """In the results thread."""
    from sam_cowboy.results import learning

    learning.save_reflection(store, run_id, answer)
