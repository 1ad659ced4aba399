"""A scene: its title, text and card, the choices, then the consequence of the choice made.

Every move goes through the engine (`PlayRun`, `core.engine`); this screen draws the state
and the events it returns, and saves after each choice.

Nothing on this screen takes the focus: every key is the screen's own. Moving the focus
between the choices and the consequence panel restyled both and redrew the whole screen,
which made the key press after a consequence twice as slow as the others.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget

from sam_cowboy.core import engine
from sam_cowboy.core.engine import State
from sam_cowboy.core.i18n import scene_paragraphs
from sam_cowboy.messages import colon, quote
from sam_cowboy.tui.app import AnalysisReady
from sam_cowboy.tui.screens.base import SamScreen
from sam_cowboy.tui.session import PlayRun, Step
from sam_cowboy.tui.text import Shown, data, markdown, paragraphs
from sam_cowboy.tui.widgets.card import Card
from sam_cowboy.tui.widgets.choices import ChoiceList
from sam_cowboy.tui.widgets.keybar import Key, KeyBar
from sam_cowboy.tui.widgets.pane import Pane
from sam_cowboy.tui.widgets.posture import PostureSidebar, signed
from sam_cowboy.tui.widgets.story import StoryView


def set_display(widget: Widget, display: bool) -> None:
    """Show or hide `widget`; Textual restyles it even when nothing changes."""
    if widget.display != display:
        widget.display = display


class SceneScreen(SamScreen):
    AUTO_FOCUS = None
    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
        Binding("enter,space", "continue", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("home", "move(-99)", show=False),
        Binding("end", "move(99)", show=False),
        Binding("u,backspace", "undo", show=False),
        Binding("p", "toggle_posture", show=False),
        Binding("pageup", "scroll_story(-1)", show=False),
        Binding("pagedown", "scroll_story(1)", show=False),
    ]

    def __init__(self, run: PlayRun) -> None:
        super().__init__()
        self.run = run
        self.step: Step | None = None  # the choice whose consequence is on screen

    @property
    def feedback_mode(self) -> bool:
        return self.step is not None

    def compose(self) -> ComposeResult:
        with Horizontal(id="scene-body"):
            with Vertical(id="scene-main"):
                yield Shown(id="where", classes="topbar")
                with Pane(id="story"):
                    yield StoryView(id="scene-text")  # the title, the text, the card
                with Pane(id="choices-box"):
                    yield ChoiceList(id="choices")  # a rule, "Your choices:", the choices
                with VerticalScroll(id="feedback", can_focus=False):
                    # the choice, its consequence, the changes, "Continue ⏎" (clickable)
                    yield Shown(id="fb-body")
            analysis = self.run.analysis
            yield PostureSidebar(self.run.episode, analysis.bounds if analysis else None,
                                 id="posture")
        yield KeyBar()

    def keys(self) -> list[Key]:
        keys: list[Key]
        if self.feedback_mode:
            keys = [("⏎", self.t("key_continue"), "continue")]
        else:
            count = len(self.run.shown)
            keys = [(f"1-{count}" if count > 1 else "1", self.t("key_choose"), None),
                    ("↑↓⏎", self.t("key_move"), None)]
        if self.run.practice:
            keys.append(("u", self.t("key_undo"), "undo"))
        keys.append(("p", self.t("key_posture"), "toggle_posture"))
        return keys + self.common_keys()

    def on_mount(self) -> None:
        try:
            self.posture_visibility_changed()
        except NoMatches:  # the app is closing while this screen mounts (q right after Start)
            return
        self.draw()

    # ------------------------------------------------------------ drawing

    def draw(self) -> None:
        """Draw the run's current scene (or, in feedback mode, the consequence panel)."""
        run = self.run
        ep = run.episode
        where = [data(self.sam.say(ep, ep.title), "bold")]
        if run.test:
            where.append(Content.assemble("  ", (f" {self.t('test_tag')} ", "reverse bold")))
        if run.practice:
            where.append(Content.assemble("  ", (f" {self.t('practice_tag')} ", "reverse bold")))
        self.part("#where", Shown).put(Content.assemble(*where))
        if not self.feedback_mode:
            self.part("#scene-text", StoryView).show(*self.story_of(run.state))
            story = self.part("#story", VerticalScroll)
            if story.scroll_y:
                story.scroll_home(animate=False)
        self.draw_choices_or_feedback()
        self.draw_posture()
        self.refresh_keys()

    def story_of(self, state: State) -> tuple[Content, Card | None]:
        """The title and text of the state's scene, and its card."""
        ep, sam = self.run.episode, self.sam
        scene = ep.scenes[state.scene]
        variables = state.variables
        text = paragraphs(scene_paragraphs(ep, scene, sam.text_lang(ep), state))
        if scene.title is not None:
            title = data(sam.say(ep, scene.title, variables), "bold $primary")
            text = Content.assemble(title, "\n\n", text)
        card = None
        if scene.card is not None:
            fields = {k: sam.say(ep, v, variables) for k, v in scene.card.fields.items()}
            card = Card(scene.card.kind, fields, self.card_labels())
        return text, card

    def choices_of(self, state: State) -> tuple[Content, list[Content]]:
        """The label above the state's choices, and the choices shown."""
        ep, sam = self.run.episode, self.sam
        shown = engine.choices_shown(ep, state)
        if not shown:
            return Content.assemble(" ", data(self.t("no_choice_left"))), []
        return (Content.assemble(" ", (self.t("choices"), "bold")),
                [data(sam.say(ep, c.text, state.variables)) for c in shown])

    def card_labels(self) -> dict[str, str]:
        labels = {k: self.t(f"{k}_card") for k in ("profile", "post", "message", "email",
                                                    "note")}
        for k in ("from", "to", "subject", "reactions", "about"):
            labels[k] = self.t(k)
        labels["_lang"] = self.sam.ui_lang
        return labels

    def draw_choices_or_feedback(self) -> None:
        run, sam = self.run, self.sam
        ep = run.episode
        box = self.part("#choices-box", VerticalScroll)
        feedback = self.part("#feedback", VerticalScroll)
        step = self.step
        if step is None:
            set_display(feedback, False)
            set_display(box, True)
            self.part("#choices", ChoiceList).set_choices(*self.choices_of(run.state))
            if box.scroll_y:
                box.scroll_home(animate=False)
            return
        set_display(box, False)
        set_display(feedback, True)
        lang = sam.ui_lang
        chose = sam.say(ep, step.choice.text, run.history[-1].variables
                        if run.history else run.state.variables)
        parts = [Content.assemble((colon(self.t("you_chose"), lang), "bold"),
                                  data(quote(chose, lang)))]
        if step.feedback is not None:
            words = sam.say(ep, step.feedback.text, step.feedback.variables)
            parts.append(Content.assemble((colon(self.t("consequence"), lang), "bold"),
                                          markdown(words)))
        parts.append(self.change_lines(step))
        parts.append(Content.assemble(  # a click on it continues, as Enter does
            (f" {self.t('continue')} ⏎ ", "bold reverse @click=screen.continue"), "  ",
            (self.t("continue_hint"), "italic @click=screen.continue")))
        self.part("#fb-body", Shown).put(Content("\n\n").join(parts))
        if feedback.scroll_y:
            feedback.scroll_home(animate=False)

    def change_lines(self, step: Step) -> Content:
        ep, sam = self.run.episode, self.sam
        if not step.changes:
            return Content.styled(self.t("no_change"), "italic")
        lines = [Content.styled(self.t("posture_changes"), "bold")]
        for change in step.changes:
            label = sam.say(ep, ep.dimensions[change.dimension].label)
            if change.delta > 0:
                arrow, word = "▲", self.t("up_word")
            elif change.delta < 0:
                arrow, word = "▼", self.t("down_word")
            else:
                arrow, word = "=", ""
            lines.append(Content.assemble(
                (f"  {arrow} {signed(change.delta) if change.delta else '0'} ",
                 "bold $success" if change.delta > 0 else "bold $error"),
                data(label, "bold"), (f" ({word})" if word else "", "dim")))
        return Content("\n").join(lines)

    def draw_posture(self) -> None:
        changes = self.run.last.changes if self.run.last is not None else []
        sidebar = self.part("#posture", PostureSidebar)
        if sidebar.bounds is None and self.run.analysis is not None:
            sidebar.bounds = self.run.analysis.bounds
        sidebar.show(self.run.state, changes, *self.posture_words())

    def posture_words(self) -> tuple[dict[str, str], str, str]:
        """The dimensions' labels, the sidebar's title and the overall gauge's word."""
        ep, sam = self.run.episode, self.sam
        labels = {did: sam.say(ep, d.label) for did, d in ep.dimensions.items()}
        return labels, self.t("posture"), self.t("overall_short")

    @on(AnalysisReady)
    def bounds_known(self) -> None:
        """The exact bounds arrived (they are computed while the first scene shows)."""
        if self.run.analysis is not None and self.is_mounted:
            self.draw_posture()

    def posture_visibility_changed(self) -> None:
        self.part("#posture", PostureSidebar).display = self.sam.show_posture

    def relabel(self) -> None:
        self.draw()

    def practice_changed(self) -> None:
        self.draw()  # the PRACTICE tag and the undo key

    # ------------------------------------------------------------ actions

    def action_pick(self, number: int) -> None:
        if self.feedback_mode or not 1 <= number <= len(self.run.shown):
            return
        step = self.run.choose_number(number)
        self.sam.call_after_refresh(self.sam.after_step, self.run)
        if step.worth_showing:
            self.step = step
            self.draw()
        else:
            self.advance()

    def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        event.stop()
        self.action_pick(event.index + 1)

    def action_continue(self) -> None:
        if not self.feedback_mode:
            choices = self.part("#choices", ChoiceList)
            if choices.highlighted is not None:
                self.action_pick(choices.highlighted + 1)
            return
        self.step = None
        self.advance()

    def advance(self) -> None:
        if self.run.finished:
            self.sam.show_debrief(self.run)
        else:
            self.draw()

    def action_undo(self) -> None:
        if not self.run.practice:
            self.sam.notify(self.t("undo_practice_only"))
            return
        if not self.run.undo():
            self.sam.notify(self.t("undo_nothing"))
            return
        self.step = None
        self.sam.undone(self.run)
        self.draw()
        self.sam.notify(self.t("undo_done"))

    def action_toggle_posture(self) -> None:
        self.sam.set_show_posture(not self.sam.show_posture)

    def action_move(self, step: int) -> None:
        """Up and Down: the highlighted choice, or the consequence panel's text one line."""
        if self.feedback_mode:
            self.part("#feedback", VerticalScroll).scroll_relative(
                y=step, animate=False)
            return
        self.part("#choices", ChoiceList).move(step)

    def action_scroll_story(self, direction: int) -> None:
        """Page Up and Down: the story, or the consequence panel while it shows."""
        pane = self.part("#feedback" if self.feedback_mode else "#story", VerticalScroll)
        if direction < 0:
            pane.scroll_page_up()
        else:
            pane.scroll_page_down()
