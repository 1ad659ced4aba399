"""Before playing: the episode's title, summary, objectives; practice mode; Enter starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Static

from sam_cowboy.core.model import Episode
from sam_cowboy.tui.analyses import key_of
from sam_cowboy.tui.events import AnalysisReady, EpisodeReloaded
from sam_cowboy.tui.screens.base import SamScreen
from sam_cowboy.tui.session import TestStart
from sam_cowboy.tui.text import data, markdown
from sam_cowboy.tui.widgets.bullets import BulletList
from sam_cowboy.tui.widgets.keybar import Key, KeyBar
from sam_cowboy.tui.widgets.toggles import Tick

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis


class IntroScreen(SamScreen):
    AUTO_FOCUS = "#start"
    BINDINGS = [Binding("enter", "start", show=False),
                Binding("escape,l", "library", show=False),
                Binding("e", "toggle_practice", show=False)]

    def __init__(self, episode: Episode, resume: dict[str, Any] | None = None,
                 start: TestStart | None = None) -> None:
        super().__init__()
        self.episode = episode
        self.start = start or TestStart()
        self.resume = None if self.start else resume  # a test run never resumes
        self.analysis: Analysis | None = None
        self.start_pending = False

    def compose(self) -> ComposeResult:
        yield Static(id="intro-head", classes="topbar")
        with VerticalScroll(id="intro"):
            yield Static(id="intro-text")
            yield BulletList(id="objectives")
        with Vertical(id="intro-actions"):
            with Horizontal(id="intro-buttons"):
                yield Button(id="start", variant="primary")
                yield Tick(value=self.sam.practice, id="practice")
            yield Static(id="practice-note")
        yield KeyBar()

    def keys(self) -> list[Key]:
        return [("⏎", self.t("key_start"), "start"),
                ("e", self.t("key_practice"), "toggle_practice"),
                ("Échap" if self.sam.ui_lang == "fr" else "Esc", self.t("key_library"),
                 "library"), *self.common_keys()]

    def on_mount(self) -> None:
        self.draw()
        self.query_one("#start", Button).focus()
        cached = self.sam.cached_analysis(self.episode)
        if cached is not None:
            self.ready(cached)
        else:  # analysed in a worker; the intro (and even the first scene) do not wait
            self.sam.request_analysis(self.episode)
        if self.start:
            pass  # a test run: the saved run (if any) is left alone
        elif self.resume is None:
            record = self.sam.store.in_progress(self.episode.id)
            if record is not None:
                from sam_cowboy.tui.screens.resume import ResumeScreen

                self.app.push_screen(ResumeScreen(self.episode, record, later=False),
                                     lambda answer: self.answered(answer, record))
        else:
            self.start_pending = True
            self.maybe_start()

    def answered(self, answer: str | None, record: dict[str, Any]) -> None:
        if answer == "resume":
            self.resume = record
            self.start_pending = True
            self.maybe_start()
        elif answer == "restart":
            self.sam.discard_progress(self.episode.id)

    @on(AnalysisReady)
    def analysis_known(self, message: AnalysisReady) -> None:
        if self.is_mounted and key_of(message.episode) == key_of(self.episode):
            self.ready(message.analysis)

    def ready(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.draw_button()
        self.maybe_start()

    def errors(self) -> list[str]:
        return self.sam.errors_of(self.analysis)

    @on(EpisodeReloaded)
    def new_version(self, message: EpisodeReloaded) -> None:
        """A new version of the episode (--watch)."""
        episode = self.episode = message.episode
        self.analysis = self.sam.cached_analysis(episode)
        self.draw()

    def draw(self) -> None:
        ep, say = self.episode, self.sam.say
        head = [Content.styled(self.t("app_title"), "bold")]
        if ep.number is not None:
            head.append(Content(" — " + self.t("episode_number", number=ep.number)))
        self.query_one("#intro-head", Static).update(Content.assemble(*head))
        parts: list[Content] = [data(say(ep, ep.title), "bold $primary")]
        if ep.estimated_minutes:
            parts.append(Content.styled(self.t("estimated",
                                               minutes=f"{ep.estimated_minutes:g}"), "italic"))
        if ep.summary:
            parts.append(markdown(say(ep, ep.summary)))
        if ep.audience:
            parts.append(Content.assemble((self.t("audience"), "bold"), "\n",
                                          markdown(say(ep, ep.audience))))
        objectives = self.query_one("#objectives", BulletList)
        objectives.display = bool(ep.objectives)
        if ep.objectives:
            objectives.set_items(Content.styled(self.t("objectives"), "bold"),
                                 [("  • ", markdown(say(ep, o))) for o in ep.objectives])
        if self.start:
            values = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                               for k, v in self.start.preset.items())
            parts.append(data(self.t(
                "test_explain", scene=self.start.at or ep.start,
                values=self.t("test_values", values=values) if values else ""), "italic"))
        self.query_one("#intro-text", Static).update(Content("\n\n").join(parts))
        self.query_one("#practice", Checkbox).label = Content(self.t("practice_mode"))
        self.draw_practice_note()
        self.draw_button()

    def draw_practice_note(self) -> None:
        """Under the buttons: what practice mode means, and what the app is working on."""
        note = self.query_one("#practice-note", Static)
        lines = [self.t("practice_explain")] if self.sam.practice else []
        if self.sam.busy:
            lines.append(self.sam.busy)
        note.update(Content.styled("\n".join(lines), "italic"))
        note.display = bool(lines)

    def draw_button(self) -> None:
        button = self.query_one("#start", Button)
        errors = self.errors()
        if errors:
            button.display = False
            self.query_one("#practice-note", Static).update(
                data(self.t("cannot_play", error=errors[0])))
            self.query_one("#practice-note", Static).display = True
            return
        button.display = True
        button.label = Content(f"▶ {self.t('start')}")

    def maybe_start(self) -> None:
        """Start without waiting for the analysis: the first scene needs no bounds."""
        if self.start_pending and not self.errors():
            self.start_pending = False
            self.sam.start_run(self.episode, self.analysis, resume=self.resume,
                               start=self.start)

    # ------------------------------------------------------------ actions

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def action_start(self) -> None:
        if self.start_pending:
            return
        self.resume = None
        if not self.start:
            self.sam.discard_progress(self.episode.id)
        self.start_pending = True
        self.draw_button()
        self.maybe_start()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "practice" and event.value != self.sam.practice:
            self.sam.set_practice(event.value)

    def action_toggle_practice(self) -> None:
        box = self.query_one("#practice", Checkbox)
        box.value = not box.value

    def action_library(self) -> None:
        self.sam.show_library()

    def relabel(self) -> None:
        super().relabel()
        self.draw()

    def busy_changed(self) -> None:
        self.draw_practice_note()

    def practice_changed(self) -> None:
        super().practice_changed()
        box = self.query_one("#practice", Checkbox)
        if box.value != self.sam.practice:
            box.value = self.sam.practice
        self.draw_practice_note()
