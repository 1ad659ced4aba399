"""A scene: its title, text and card, the choices (or a compose scene's fragment picker),
then the consequence of the choice made.

Every move goes through the engine (`PlayRun`, `core.engine`); this screen draws the state
and the events it returns, and saves after each choice.

Nothing on this screen takes the focus: every key is the screen's own. Moving the focus
between the choices and the consequence panel restyled both and redrew the whole screen,
which made the key press after a consequence twice as slow as the others.

In an assessment run (`run.assess`) a consequence shows its story only (the text before its
first bold principle, `core.transfer.story_only`, as plain mode does): no score change, no
posture panel, no principle and no checklist until the debrief.
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
from sam_cowboy.core.transfer import story_only
from sam_cowboy.messages import colon, lookup, quote
from sam_cowboy.tui.events import AnalysisReady
from sam_cowboy.tui.screens.base import SamScreen
from sam_cowboy.tui.session import PlayRun, Step
from sam_cowboy.tui.text import Shown, data, markdown, paragraphs
from sam_cowboy.tui.widgets.card import Card
from sam_cowboy.tui.widgets.choices import ChoiceList
from sam_cowboy.tui.widgets.compose import ComposePicker, Pieces
from sam_cowboy.tui.widgets.compose import say as compose_says
from sam_cowboy.tui.widgets.keybar import Key, KeyBar
from sam_cowboy.tui.widgets.pane import Pane
from sam_cowboy.tui.widgets.posture import PostureSidebar, signed
from sam_cowboy.tui.widgets.story import StoryView

ASSESS_WORDS = {
    "tag": {"fr": "ÉVALUATION", "en": "ASSESSMENT"},
    "held": {"fr": "Évaluation : scores et leçons sont montrés à la fin.",
             "en": "Assessment: scores and lessons are shown at the end."},
}


def set_display(widget: Widget, display: bool) -> None:
    """Show or hide `widget`; Textual restyles it even when nothing changes."""
    if widget.display != display:
        widget.display = display


class SceneScreen(SamScreen):
    AUTO_FOCUS = None
    BINDINGS = [
        *[Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)],
        Binding("enter", "continue", show=False),
        Binding("space", "continue(False)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("home", "move(-99)", show=False),
        Binding("end", "move(99)", show=False),
        Binding("u", "undo", show=False),
        Binding("backspace", "back", show=False),
        Binding("p", "toggle_posture", show=False),
        Binding("t", "read", show=False),
        Binding("pageup", "scroll_story(-1)", show=False),
        Binding("pagedown", "scroll_story(1)", show=False),
    ]

    def __init__(self, run: PlayRun) -> None:
        super().__init__()
        self.run = run
        self.step: Step | None = None  # the choice whose consequence is on screen
        self.reading = False  # the story shown alone (key t), when it does not fit
        self.story_hidden = False  # part of the story is out of sight above the choices

    @property
    def feedback_mode(self) -> bool:
        return self.step is not None

    @property
    def compose_mode(self) -> bool:
        """A compose scene waits for its message (its fragments are on screen)."""
        state = self.run.state
        return (self.step is None and not state.finished
                and self.run.episode.scenes[state.scene].compose is not None)

    def assess_word(self, key: str) -> str:
        return lookup(ASSESS_WORDS, key, self.sam.ui_lang)

    def compose(self) -> ComposeResult:
        yield Shown(id="where", classes="topbar")
        with Horizontal(id="scene-body"):
            with Vertical(id="scene-main"):
                with Pane(id="story"):
                    yield StoryView(id="scene-text")  # the title, the text, the card
                with Pane(id="choices-box"):
                    yield ChoiceList(id="choices")  # a rule, "Your choices:", the choices
                    yield ComposePicker(id="compose")  # or the fragments and the message
                with Vertical(id="feedback"):
                    with VerticalScroll(id="fb-scroll", can_focus=False):
                        # the choice, its consequence, the changes
                        yield Shown(id="fb-body")
                    # "Continue ⏎" (clickable) always in sight, and a sign when more is below
                    yield Shown(id="fb-continue")
            analysis = self.run.analysis
            yield PostureSidebar(self.run.episode, analysis.bounds if analysis else None,
                                 id="posture")
        yield KeyBar()

    def keys(self) -> list[Key]:
        keys: list[Key]
        if self.feedback_mode:
            keys = [("⏎", self.t("key_continue"), "continue")]
        elif self.reading:
            keys = [("t", self.t("key_back_to_choices"), "read")]
        elif self.compose_mode:
            keys = self.compose_keys()
        else:
            count = len(self.run.shown)
            keys = [(f"1-{count}" if count > 1 else "1", self.t("key_choose"), None)]
            if self.story_hidden:  # before the arrows: the key bar drops keys from the end
                keys.append(("t", self.t("key_read"), "read"))
            keys.append(("↑↓⏎", self.t("key_move"), None))
        if self.run.practice:
            keys.append(("u", self.t("key_undo"), "undo"))
        if not self.run.assess:
            keys.append(("p", self.t("key_posture"), "toggle_posture"))
        return keys + self.common_keys()

    def compose_keys(self) -> list[Key]:
        """Send first once the message is ready (the key bar drops keys from the middle)."""
        picker = self.part("#compose", ComposePicker)
        lang = self.sam.ui_lang
        count = picker.count
        keys: list[Key] = []
        if picker.ready:
            keys.append(("⏎", compose_says("key_send", lang), "send"))
        keys.append((f"1-{count}" if count > 1 else "1", compose_says("key_pick", lang), None))
        if self.story_hidden:
            keys.append(("t", self.t("key_read"), "read"))
        keys.append(("↑↓␣", compose_says("key_move_pick", lang), None))
        if picker.picked:
            keys.append(("⌫", compose_says("key_unpick", lang), "back"))
        return keys

    def on_mount(self) -> None:
        try:
            self.posture_visibility_changed()
        except NoMatches:  # the app is closing while this screen mounts (q right after Start)
            return
        self.draw()
        if self.run.assess and not self.run.state.path:  # why no score shows (once shown)
            self.call_after_refresh(self.sam.notify, self.assess_word("held"))

    # ------------------------------------------------------------ drawing

    def draw(self) -> None:
        """Draw the run's current scene (or, in feedback mode, the consequence panel)."""
        run = self.run
        self.part("#where", Shown).put(self.where_line())
        if not self.feedback_mode:
            self.part("#scene-text", StoryView).show(*self.story_of(run.state))
            story = self.part("#story", VerticalScroll)
            if story.scroll_y:
                story.scroll_home(animate=False)
        self.draw_choices_or_feedback()
        self.draw_posture()
        self.refresh_keys()
        self.call_after_refresh(self.announce_overflow)

    def where_line(self) -> Content:
        """The episode's title, TEST and PRACTICE tags, and what the app is working on."""
        run = self.run
        ep = run.episode
        where = [data(self.sam.say(ep, ep.title), "bold")]
        if run.test:
            where.append(Content.assemble("  ", (f" {self.t('test_tag')} ", "reverse bold")))
        if run.practice:
            where.append(Content.assemble("  ", (f" {self.t('practice_tag')} ", "reverse bold")))
        if run.assess:
            where.append(Content.assemble("  ", (f" {self.assess_word('tag')} ", "reverse bold")))
        if self.sam.busy:  # the gauges wait for it
            where.append(Content.styled(f"   {self.sam.busy}", "italic"))
        return Content.assemble(*where)

    def announce_overflow(self) -> None:
        """Say, with the choices, that the story above does not fit and which key shows it
        (what a choice answers is often the card at its end); under a consequence too long
        for its box, that more is below."""
        try:
            story = self.part("#story", VerticalScroll)
        except NoMatches:  # the screen is being closed (the debrief replaces it)
            return
        hidden = story.max_scroll_y > 0 and not self.reading and not self.feedback_mode
        if hidden != self.story_hidden:
            self.story_hidden = hidden
            self.refresh_keys()
        note = Content.styled(self.t("story_more"), "bold $accent") if hidden else Content("")
        self.part("#choices", ChoiceList).set_note(note)
        self.part("#compose", ComposePicker).set_note(note)
        if self.feedback_mode:
            self.draw_continue()

    def draw_continue(self) -> None:
        scroll = self.part("#fb-scroll", VerticalScroll)
        more = scroll.max_scroll_y > scroll.scroll_y
        self.part("#fb-continue", Shown).put(Content.assemble(  # a click continues, as Enter
            (f" {self.t('continue')} ⏎ ", "bold reverse @click=screen.continue"), "  ",
            (self.t("continue_hint"), "italic @click=screen.continue"),
            ("   " + self.t("feedback_more"), "bold $accent") if more else ""))

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

    def pieces_of(self, state: State) -> Pieces:
        """A compose scene's prompt and the fragments offered now, worded."""
        ep, sam = self.run.episode, self.sam
        spec = ep.scenes[state.scene].compose
        assert spec is not None
        say = sam.say
        prompt = data(say(ep, spec.prompt, state.variables)) if spec.prompt else Content("")
        fragments = engine.fragments_shown(ep, state)
        return Pieces(prompt, tuple(f.id for f in fragments),
                      tuple(data(say(ep, f.text, state.variables)) for f in fragments),
                      spec.pick_min, spec.pick_max, spec.ordered, data(spec.separator))

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
        feedback = self.part("#feedback", Vertical)
        step = self.step
        if step is None:
            set_display(feedback, False)
            set_display(box, not self.reading)
            choices = self.part("#choices", ChoiceList)
            picker = self.part("#compose", ComposePicker)
            composing = self.compose_mode
            set_display(choices, not composing)
            set_display(picker, composing)
            if box.has_class("-compose") != composing:
                box.set_class(composing, "-compose")
            if composing:
                picker.show(self.pieces_of(run.state), sam.ui_lang, run.state)
            else:
                choices.set_choices(*self.choices_of(run.state))
            if box.scroll_y:
                box.scroll_home(animate=False)
            return
        set_display(box, False)
        set_display(feedback, True)
        lang = sam.ui_lang
        chose = sam.say(ep, step.choice.text, run.history[-1].variables
                        if run.history else run.state.variables)
        label = compose_says("your_message", lang) if step.composed else self.t("you_chose")
        parts = [Content.assemble((colon(label, lang), "bold"), data(quote(chose, lang)))]
        if step.composed is not None:
            if not run.assess:  # the checklist is the lesson: it waits for the debrief
                parts.append(self.checklist_lines(step))
        elif step.feedback is not None:
            words = self.consequence_words(step)
            if words:
                parts.append(Content.assemble((colon(self.t("consequence"), lang), "bold"),
                                              markdown(words)))
        if not run.assess:
            parts.append(self.change_lines(step))
        self.part("#fb-body", Shown).put(Content("\n\n").join(parts))
        scroll = self.part("#fb-scroll", VerticalScroll)
        if scroll.scroll_y:
            scroll.scroll_home(animate=False)
        self.draw_continue()

    def consequence_words(self, step: Step) -> str:
        """The consequence's text; in an assessment run its story only."""
        if step.feedback is None:
            return ""
        words = self.sam.say(self.run.episode, step.feedback.text, step.feedback.variables)
        return story_only(words) if self.run.assess else words

    def shows(self, step: Step) -> bool:
        """Whether the consequence panel opens for `step` (in an assessment run, only for
        what it may show: a panel for a score change alone would give the score away)."""
        if not self.run.assess:
            return step.worth_showing
        return step.composed is not None or bool(self.consequence_words(step))

    def checklist_lines(self, step: Step) -> Content:
        """Each checklist item met (✓) or missed (✗, with its tip)."""
        ep, sam = self.run.episode, self.sam
        spec = ep.scenes[step.scene].compose
        assert spec is not None and step.composed is not None
        variables = step.feedback.variables if step.feedback else self.run.state.variables
        items = {item.id: item for item in spec.checklist}
        lines = [Content.styled(colon(compose_says("checklist", sam.ui_lang), sam.ui_lang)
                                .rstrip(), "bold")]
        for item_id, met in step.composed.checklist:
            item = items[item_id]
            line = Content.assemble(("  ✓ " if met else "  ✗ ", "bold $success" if met
                                     else "bold $error"), markdown(sam.say(ep, item.text,
                                                                           variables)))
            if not met and item.tip is not None:
                line = Content.assemble(line, " — ", markdown(sam.say(ep, item.tip, variables)))
            lines.append(line)
        return Content("\n").join(lines)

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
        if self.run.assess:  # hidden until the debrief
            return
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
        self.part("#posture", PostureSidebar).display = (self.sam.show_posture
                                                         and not self.run.assess)

    def relabel(self) -> None:
        self.draw()

    def practice_changed(self) -> None:
        self.draw()  # the PRACTICE tag and the undo key

    def busy_changed(self) -> None:
        if self.is_current:
            self.part("#where", Shown).put(self.where_line())

    # ------------------------------------------------------------ actions

    def action_pick(self, number: int) -> None:
        if self.compose_mode:
            if not self.reading:
                self.part("#compose", ComposePicker).toggle(number - 1)
            return
        if self.feedback_mode or not 1 <= number <= len(self.run.shown):
            return
        self.reading = False
        self.took(self.run.choose_number(number))

    def took(self, step: Step) -> None:
        """After a choice or a message: save, then its consequence or the next scene."""
        self.sam.call_after_refresh(self.sam.after_step, self.run)
        if self.shows(step):
            self.step = step
            self.draw()
        else:
            self.advance()

    @on(ComposePicker.Changed)
    def picks_changed(self, event: ComposePicker.Changed) -> None:
        event.stop()
        self.refresh_keys()  # Send appears once enough fragments are picked

    @on(ComposePicker.Sent)
    def message_sent(self, event: ComposePicker.Sent) -> None:
        event.stop()
        if self.compose_mode:
            self.reading = False
            self.took(self.run.compose(list(event.ids)))

    def action_send(self) -> None:
        if self.compose_mode:
            self.part("#compose", ComposePicker).send()

    def action_back(self) -> None:
        """Backspace: unpick the last fragment, or (nothing picked) undo."""
        if self.compose_mode and not self.reading and \
                self.part("#compose", ComposePicker).unpick_last():
            return
        self.action_undo()

    def on_choice_list_picked(self, event: ChoiceList.Picked) -> None:
        event.stop()
        self.action_pick(event.index + 1)

    def action_read(self) -> None:
        """Show the story alone (the choices hidden), or the choices again."""
        if self.feedback_mode:
            return
        self.reading = not self.reading
        set_display(self.part("#choices-box", VerticalScroll), not self.reading)
        self.refresh_keys()
        self.announce_overflow()
        if self.reading:
            self.sam.notify(self.t("reading_hint"))
            # what the choices answer is most often the card or the last lines: in sight
            self.call_after_refresh(self.part("#story", VerticalScroll).scroll_end,
                                    animate=False)

    def action_continue(self, send: bool = True) -> None:
        """Enter (and Space): continue, pick the highlighted choice; in a compose scene
        Enter sends a ready message, else (and Space always) picks the highlighted one."""
        if self.reading:
            self.action_read()
            return
        if self.compose_mode:
            picker = self.part("#compose", ComposePicker)
            if not (send and picker.send()) and picker.highlighted is not None:
                picker.toggle(picker.highlighted)
            return
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
        self.part("#compose", ComposePicker).clear()
        self.sam.undone(self.run)
        self.draw()
        self.sam.notify(self.t("undo_done"))

    def action_toggle_posture(self) -> None:
        if self.run.assess:
            self.sam.notify(self.assess_word("held"))
            return
        self.sam.set_show_posture(not self.sam.show_posture)

    def action_move(self, step: int) -> None:
        """Up and Down: the highlighted choice, or the consequence panel's text one line."""
        if self.feedback_mode:
            scroll = self.part("#fb-scroll", VerticalScroll)
            scroll.scroll_relative(y=step, animate=False, on_complete=self.draw_continue)
            return
        composing = self.compose_mode
        self.part("#compose" if composing else "#choices", ChoiceList).move(step)

    def action_scroll_story(self, direction: int) -> None:
        """Page Up and Down: the story, or the consequence panel while it shows."""
        pane = self.part("#fb-scroll" if self.feedback_mode else "#story", VerticalScroll)
        done = self.draw_continue if self.feedback_mode else None
        if direction < 0:
            pane.scroll_page_up(on_complete=done)
        else:
            pane.scroll_page_down(on_complete=done)
