"""The Sam the Social Cowboy app: navigation between its screens.

Built by `create_app` from real domain objects (an Episode and its Analysis, or none for the
library). The run in progress lives in `runs.RunController`, analyses in
`analyses.AnalysisScheduler`, settings in `preferences`; the app moves between screens and
tells them what changed through reactives (`ui_lang`, `show_posture`, `practice`, Textual's
`theme`) and the `AnalysisReady` message.
"""

from __future__ import annotations

import shlex
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen

from sam_cowboy.core.i18n import choose_language, render
from sam_cowboy.core.model import Episode, Text
from sam_cowboy.messages import LANGUAGES, t
from sam_cowboy.tui.analyses import AnalysisScheduler, errors_of, key_of
from sam_cowboy.tui.catalog import LibraryItem, load_items
from sam_cowboy.tui.events import AnalysisReady, EpisodeReloaded
from sam_cowboy.tui.preferences import THEMES, initial_language, theme_key
from sam_cowboy.tui.results import Results
from sam_cowboy.tui.runs import RunController
from sam_cowboy.tui.saves import SaveStore, clean_name
from sam_cowboy.tui.session import PlayRun, TestStart
from sam_cowboy.userdirs import data_dir

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis

RESULTS_DELAY = 0.3  # seconds after a run starts before the results store is opened
ANALYSIS_PATIENCE = 60.0  # seconds the debrief waits for an analysis before reporting it


@dataclass
class AppConfig:
    """What the command line asked for."""

    episode: Episode | None = None
    analysis: Analysis | None = None
    lang: str | None = None
    player: str | None = None
    practice: bool = False
    library: list[Path] = field(default_factory=list)
    data_dir: Path | None = None
    builtin: bool = True  # the built-in season in the library (tests may leave it out)
    theme: str | None = None
    db: str | None = None  # results store: --db, else $SAM_COWBOY_DB, else the data folder
    start: TestStart = field(default_factory=TestStart)  # --at / --set: a test run
    watch: Path | None = None  # --watch: reload this file whenever it is saved
    watch_options: dict[str, Any] = field(default_factory=dict)  # for watchfiles.awatch


def command_line() -> str:
    """The command this process was started with, as the player typed it (a venv path
    included), so the quit message tells them something that works."""
    argv = list(sys.argv) or ["sam-cowboy"]
    if Path(argv[0]).name in ("__main__.py", "-m"):
        argv[0:1] = [Path(sys.executable).name, "-m", "sam_cowboy"]
    return shlex.join(argv)


class SamApp(App[str | None]):
    CSS_PATH = "app.tcss"
    TITLE = "Sam the Social Cowboy"
    ENABLE_COMMAND_PALETTE = False
    # below 100 columns the posture panel becomes a strip (app.tcss: Screen.-narrow)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", show=False),
        Binding("f1", "help", show=False),
        Binding("s", "settings", show=False),
        Binding("q", "quit_app", show=False),
        Binding("ctrl+q", "quit_app", show=False, priority=True),
        Binding("ctrl+c", "quit_app", show=False, priority=True),
    ]

    ui_lang: reactive[str] = reactive("en", init=False)
    show_posture: reactive[bool] = reactive(True, init=False)
    practice: reactive[bool] = reactive(False, init=False)
    busy: reactive[str] = reactive("", init=False)  # what the app is working on, in words

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.player = clean_name(config.player)
        self.store = SaveStore(data_dir(config.data_dir), self.player)
        settings = self.store.settings
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme_key = theme_key(config.theme or settings.get("theme"))
        self.theme = THEMES[self.theme_key].name
        self.set_class(self.theme_key == "contrast", "-contrast")
        self.set_reactive(SamApp.show_posture, bool(settings.get("sidebar", True)))
        self.set_reactive(SamApp.practice, config.practice)
        self.set_reactive(SamApp.ui_lang, initial_language(config.lang, settings.get("lang"),
                                                           config.episode))
        self.analyses = AnalysisScheduler(self, self.analysis_ready,
                                          use_disk_cache=config.watch is None)
        if config.episode is not None and config.analysis is not None:
            self.analyses.remember(config.episode, config.analysis)
        self.items: list[LibraryItem] | None = None
        self.library_cursor: str | None = None  # the episode id highlighted in the library
        self._library_lock = threading.Lock()
        self.exit_message: str | None = None
        self.exit_error: str | None = None  # one line for stderr after the app closes
        self.results_problem: str | None = None
        self.results = Results(config.db, self._results_failed)
        self.runs = RunController(self.store, self.results, self.player,
                                  self.call_after_refresh)
        self._debrief_waiting: PlayRun | None = None
        self.problems: list[str] = []  # the current episode's errors (file:line:col: ...)
        self.watcher: Any = None
        self._ui_loop: Any = None

    @property
    def run_in_progress(self) -> PlayRun | None:
        return self.runs.current

    # ------------------------------------------------------------ language and settings

    def t(self, key: str, **values: object) -> str:
        return t(key, self.ui_lang, **values)

    def text_lang(self, episode: Episode) -> str:
        return choose_language(episode, self.ui_lang)

    def say(self, episode: Episode, text: Text | None, variables: Any = None) -> str:
        """An episode text in the player's language, placeholders filled, controls gone."""
        return render(text, self.text_lang(episode), episode.default_language,
                      variables if variables is not None else episode.variables)

    def set_language(self, lang: str) -> None:
        if lang in LANGUAGES:
            self.ui_lang = lang

    def watch_ui_lang(self, lang: str) -> None:
        self.store.save_settings(lang=lang)

    def set_theme_key(self, key: str) -> None:
        if key not in THEMES:
            return
        self.theme_key = key
        self.theme = THEMES[key].name
        self.set_class(key == "contrast", "-contrast")
        self.store.save_settings(theme=key)

    def set_show_posture(self, show: bool) -> None:
        self.show_posture = show

    def watch_show_posture(self, show: bool) -> None:
        self.store.save_settings(sidebar=show)

    def set_practice(self, practice: bool) -> None:
        self.practice = practice

    def watch_practice(self, practice: bool) -> None:
        """Practice mode switched during a run: from now on it does not count; switched off,
        the next run counts (a run that practised once cannot count again)."""
        run = self.runs.current
        if run is None or run.finished:
            return
        if practice and self.runs.practise_from_now():
            self.notify(self.t("practice_now"))
        elif not practice and run.practice:
            self.notify(self.t("practice_later"))

    # ------------------------------------------------------------ analyses

    def cached_analysis(self, episode: Episode) -> Analysis | None:
        return self.analyses.cached(episode)

    def request_analysis(self, episode: Episode, now: bool = False) -> None:
        """Analyse in a worker thread; every screen gets `AnalysisReady` when it is known."""
        if self.analyses.cached(episode) is None:
            self.busy = self.t("analysing")
        self.analyses.request(episode, now)

    @staticmethod
    def errors_of(analysis: Analysis | None) -> list[str]:
        return errors_of(analysis)

    def analysis_ready(self, episode: Episode, analysis: Analysis) -> None:
        """The bounds and best run are known: give them to whatever is waiting for them."""
        if not self.analyses.busy:
            self.busy = ""
        self.runs.analysis_ready(episode, analysis)
        for screen in list(self.screen_stack):
            screen.post_message(AnalysisReady(episode, analysis))
        errors = errors_of(analysis)
        if errors and self._is_current(episode):
            self.show_problems(errors)
            return
        waiting = self._debrief_waiting
        if waiting is not None and waiting.analysis is not None:
            self._debrief_waiting = None
            self.show_debrief(waiting)

    def _is_current(self, episode: Episode) -> bool:
        """The episode the app was opened on (its latest version), or the one being played."""
        run = self.runs.current
        current = [e for e in (self.config.episode, run.episode if run else None)
                   if e is not None]
        return any(key_of(e) == key_of(episode) for e in current)

    def show_problems(self, problems: list[str]) -> None:
        """An episode that cannot be played: its findings in the app, never a crash."""
        from sam_cowboy.tui.screens.problems import ProblemsScreen

        self.problems = list(problems)
        for screen in self.screen_stack:
            if isinstance(screen, ProblemsScreen):
                screen.show(self.problems)
                return
        self.push_screen(ProblemsScreen(self.problems, watching=self.config.watch is not None))

    def clear_problems(self) -> None:
        from sam_cowboy.tui.screens.problems import ProblemsScreen

        self.problems = []
        if isinstance(self.screen, ProblemsScreen):
            self.pop_screen()

    # ------------------------------------------------------------ library

    def load_library(self) -> list[LibraryItem]:
        """The library's episodes (built-in season, then --library folders); loaded once."""
        with self._library_lock:
            if self.items is None:
                from sam_cowboy.library import builtin_dir  # (the YAML loader: not at start-up)

                folders = ([builtin_dir()] if self.config.builtin else []) + self.config.library
                self.items = load_items(folders)
            return self.items

    def next_item(self, episode: Episode) -> LibraryItem | None:
        items = self.items or []
        ids = [i.episode.id if i.episode else None for i in items]
        if episode.id not in ids:
            return None
        for item in items[ids.index(episode.id) + 1:]:
            if item.episode is not None:
                return item
        return None

    def missing_requirements(self, episode: Episode) -> list[str]:
        done = self.store.completed_ids()
        return [r for r in episode.requires if r not in done]

    def title_of(self, episode_id: str) -> str:
        for item in self.items or []:
            if item.episode is not None and item.episode.id == episode_id:
                return self.say(item.episode, item.episode.title)
        return episode_id

    # ------------------------------------------------------------ navigation

    def on_mount(self) -> None:
        import asyncio

        self._ui_loop = asyncio.get_running_loop()

        def follow_ups() -> None:  # "Did you do it?": the store is read after the first frame
            from sam_cowboy.tui.screens.followup import ask_follow_ups
            ask_follow_ups(self)
        self.set_timer(RESULTS_DELAY, follow_ups)
        if self.store.problem:
            self.notify(self.store.problem, markup=False, severity="warning")
        episode = self.config.episode
        if self.config.watch is not None:
            from sam_cowboy.tui.watch import Watcher

            self.watcher = Watcher(self, self.config.watch, **self.config.watch_options)
            self.watcher.start()
            if episode is None:  # the file does not load yet: its findings, then a fix
                watcher = self.watcher

                def first_load() -> None:
                    self.call_from_thread(self.reloaded, *watcher.load())

                self.run_worker(first_load, thread=True, group="analysis", exit_on_error=False)
                return
        if episode is not None:
            from sam_cowboy.tui.screens.intro import IntroScreen

            self.push_screen(IntroScreen(episode, start=self.config.start))
        else:
            from sam_cowboy.tui.screens.library import LibraryScreen

            self.push_screen(LibraryScreen(offer_resume=True))

    def _switch(self, screen: Screen[Any]) -> None:
        if len(self.screen_stack) <= 1:  # only the default screen (--watch, a broken start)
            self.push_screen(screen)
            return
        while len(self.screen_stack) > 2:  # close any window left open above
            self.pop_screen()
        self.switch_screen(screen)

    def show_library(self) -> None:
        from sam_cowboy.tui.screens.library import LibraryScreen

        self.leave_run()
        self._switch(LibraryScreen())

    def show_intro(self, episode: Episode, resume: dict[str, Any] | None = None,
                   start: TestStart | None = None) -> None:
        from sam_cowboy.tui.screens.intro import IntroScreen

        self.leave_run()
        self.practice = self.config.practice  # chosen per run: a new episode starts counted
        self._switch(IntroScreen(episode, resume=resume, start=start))

    def start_run(self, episode: Episode, analysis: Analysis | None,
                  resume: dict[str, Any] | None = None, start: TestStart | None = None,
                  replay: list[str] | None = None, notice: str | None = None,
                  practice: bool | None = None) -> None:
        """Play `episode`: fresh, from an autosave (`resume`), or replaying `replay` (a reload).

        `analysis` may still be None: the scene shows at once, the bounds follow.
        """
        from sam_cowboy.tui.screens.scene import SceneScreen

        if analysis is None:
            analysis = self.cached_analysis(episode)
        from sam_cowboy.tui.season import season_for_run

        run, failed = self.runs.build(episode, analysis,
                                      self.practice if practice is None else practice,
                                      self.text_lang(episode), resume=resume, start=start,
                                      replay=replay,
                                      season=season_for_run(self, episode, start, resume, replay))
        if failed:
            if resume is not None:
                self.notify(self.t("resume_failed"))
            else:
                notice = self.t("reloaded_restart")
        elif replay is not None and notice is None:
            notice = self.t("reloaded")
        self.set_timer(RESULTS_DELAY, self.results.release)
        if analysis is None:
            self.request_analysis(episode)
        if notice:
            self.notify(notice)
        if run.finished:  # an episode whose start is an ending, or a resumed finished run
            self.after_step(run)
            self.show_debrief(run)
            return
        if replay is not None:
            self.runs.autosave(run)
        self._switch(SceneScreen(run))

    def leave_run(self) -> None:
        self.runs.leave()

    def discard_progress(self, episode_id: str) -> None:
        self.runs.discard_progress(episode_id)

    def after_step(self, run: PlayRun) -> None:
        """After every choice: save the run, or record it once it has ended."""
        if self.runs.after_step(run):  # a quick player: the percent needs the exact bounds
            self.request_analysis(run.episode, now=True)

    def autosave(self, run: PlayRun) -> None:
        self.runs.autosave(run)

    def undone(self, run: PlayRun) -> None:
        self.runs.undone(run)

    def show_debrief(self, run: PlayRun) -> None:
        from sam_cowboy.tui.screens.debrief import DebriefScreen

        if run.analysis is None:  # the bounds are on their way (a very quick player)
            self._debrief_waiting = run
            self.request_analysis(run.episode, now=True)
            self.notify(self.t("preparing"))
            self.set_timer(ANALYSIS_PATIENCE, lambda: self._too_slow(run))
            return
        log = self.runs.log if self.runs.current is run else None
        self.runs.current = None
        self.runs.log = None
        self._switch(DebriefScreen(run, log))

    def _too_slow(self, run: PlayRun) -> None:
        if self._debrief_waiting is run:  # reported; the analysis may still finish later
            self._debrief_waiting = None
            self.show_problems([f"{run.episode.file}:1:1: error: the analysis takes more than "
                                f"{ANALYSIS_PATIENCE:.0f} s: run `sam-cowboy check` on it"])

    def reloaded(self, episode: Episode | None, analysis: Analysis | None,
                 problems: list[str]) -> None:
        """--watch: a new version of the file was saved and checked (in a thread)."""
        if episode is None or analysis is None or problems:
            self.show_problems(problems or ["?"])
            return
        at = self.config.start.at
        if at is not None and at not in episode.scenes:
            self.show_problems([f"{episode.file}: --at: no scene `{at}` "
                                f"in {episode.id}"])
            return
        had_problems = bool(self.problems)
        self.analyses.remember(episode, analysis)
        old = self.config.episode
        self.config.episode = episode
        self.clear_problems()
        if old is None:  # the first version that loads
            self.show_intro(episode, start=self.config.start)
            return
        if key_of(old) == key_of(episode) and not had_problems:
            return  # saved without a change
        run = self.runs.current
        if run is not None and not run.finished:
            # the same choices on the new version: the same scene if it still exists
            self.start_run(episode, analysis, start=run.start, replay=run.choice_ids,
                           practice=run.practice)
            return
        for screen in self.screen_stack:
            screen.post_message(EpisodeReloaded(episode))
        self.notify(self.t("reloaded_fixed" if had_problems else "reloaded_intro"))

    def latest(self, episode: Episode) -> Episode:
        """The newest version of an episode (after --watch reloads)."""
        current = self.config.episode
        if current is not None and current.id == episode.id:
            return current
        return episode

    # ------------------------------------------------------------ actions everywhere

    def action_help(self) -> None:
        from sam_cowboy.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        from sam_cowboy.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_quit_app(self) -> None:
        run = self.runs.current
        test = run is not None and run.test
        if self.runs.quit() and not test and self.store.last_saved:
            self.exit_message = self.t("saved_bye", command=command_line())
        else:
            self.exit_message = self.t("bye")
        self.close_results()
        if self.problems:
            first = self.problems[0]
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            self.exit_error = f"{first}{more}"
        self.exit(return_code=1 if self.problems else 0)

    def on_unmount(self) -> None:
        """However the app ends: a run left unfinished is abandoned, pending writes land."""
        self.runs.leave()
        self.close_results()

    def close_results(self) -> None:
        """Wait for the results store's pending writes, then close it (idempotent)."""
        if self.watcher is not None:
            self.watcher.stop()
        self.results.close()

    def _results_failed(self, message: str) -> None:
        """From the results thread: recording stopped; say so once, calmly."""
        self.results_problem = message
        loop = self._ui_loop
        if loop is not None and not loop.is_closed():  # never wait for the UI: it may be
            loop.call_soon_threadsafe(  # waiting for this thread (quit flushes the results)
                lambda: self.notify(self.t("results_problem", error=message), markup=False,
                                    severity="warning"))

    def notify_data(self, message: str | Content, **kwargs: Any) -> None:
        """A notification that may contain episode text: never parsed as markup."""
        self.notify(str(message), markup=False, **kwargs)


def create_app(episode: Episode | None = None, analysis: Analysis | None = None,
               lang: str | None = None, player: str | None = None, practice: bool = False,
               library: list[Path] | None = None, data_dir: Path | None = None,
               builtin: bool = True, theme: str | None = None, db: str | None = None,
               at: str | None = None, preset: dict[str, Any] | None = None,
               watch: Path | None = None,
               watch_options: dict[str, Any] | None = None) -> SamApp:
    """The app for one episode (its intro first) or, without one, for the library.

    Without `analysis`, the episode is analysed in a worker while the intro is on screen.
    """
    return SamApp(AppConfig(episode=episode, analysis=analysis, lang=lang, player=player,
                            practice=practice, library=list(library or []),
                            data_dir=data_dir, builtin=builtin, theme=theme, db=db,
                            start=TestStart(at, dict(preset or {})), watch=watch,
                            watch_options=dict(watch_options or {})))
