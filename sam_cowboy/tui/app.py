"""The Sam the Social Cowboy app: screens, saves, settings, languages and themes.

Built by `create_app` from real domain objects (an Episode and its Analysis, or none for the
library). It plays only through `core.engine` (via `session.PlayRun`) and shows only what the
core computes; its own job is drawing, saving and being kind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.theme import Theme

from sam_cowboy.core.engine import EngineError
from sam_cowboy.core.i18n import choose_language, render
from sam_cowboy.core.model import Episode, Text
from sam_cowboy.messages import LANGUAGES, system_language, t
from sam_cowboy.tui.results import Results, RunLog, abandon_saved
from sam_cowboy.tui.saves import SaveStore, clean_name
from sam_cowboy.tui.session import PlayRun, TestStart
from sam_cowboy.tui.text import french_spaces
from sam_cowboy.userdirs import data_dir

if TYPE_CHECKING:
    from textual.timer import Timer

    from sam_cowboy.core.analysis import Analysis

RESULTS_DELAY = 0.3  # seconds after a run starts before the results store is opened
GC_RELEASE_DELAY = 1.5  # seconds after start-up before the cycle collector runs again
ANALYSIS_DELAY = 0.3  # seconds after an episode is shown before its analysis starts
ANALYSIS_PATIENCE = 60.0  # seconds the debrief waits for an analysis before reporting it

THEMES = {
    "calm": Theme(name="sam-calm", dark=True, primary="#7FB8D8", secondary="#A8C69F",
                  accent="#E6B86A", warning="#E6B86A", error="#E88B8B", success="#8FC98F",
                  foreground="#E8E6E3", background="#1B222C", surface="#222B37",
                  panel="#2C3644"),
    "light": Theme(name="sam-light", dark=False, primary="#1F5F8B", secondary="#3C6E47",
                   accent="#9A5200", warning="#9A5200", error="#B3261E", success="#2E7D32",
                   foreground="#1F2328", background="#FBFAF7", surface="#FFFFFF",
                   panel="#E9EDF2"),
    "contrast": Theme(name="sam-contrast", dark=True, primary="#FFFF00", secondary="#00FFFF",
                      accent="#FFFF00", warning="#FFFF00", error="#FF6E6E", success="#00FF00",
                      foreground="#FFFFFF", background="#000000", surface="#000000",
                      panel="#000000", text_alpha=1.0, luminosity_spread=0.0),
}


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


@dataclass
class LibraryItem:
    """An episode of the library, loaded (episode) or not (error)."""

    path: Path
    episode: Episode | None
    error: str | None = None


class SamApp(App[str | None]):
    CSS_PATH = "app.tcss"
    TITLE = "Sam the Social Cowboy"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("question_mark", "help", show=False),
        Binding("f1", "help", show=False),
        Binding("s", "settings", show=False),
        Binding("q", "quit_app", show=False),
        Binding("ctrl+q", "quit_app", show=False, priority=True),
        Binding("ctrl+c", "quit_app", show=False, priority=True),
    ]

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.player = clean_name(config.player)
        self.store = SaveStore(data_dir(config.data_dir), self.player)
        settings = self.store.settings
        for theme in THEMES.values():
            self.register_theme(theme)
        self.theme_key = config.theme or settings.get("theme") or "calm"
        if self.theme_key not in THEMES:
            self.theme_key = "calm"
        self._first_theme(THEMES[self.theme_key].name)
        self.set_class(self.theme_key == "contrast", "-contrast")
        self.show_posture = bool(settings.get("sidebar", True))
        self.practice = config.practice or bool(settings.get("practice", False))
        self.ui_lang = self._initial_language(settings.get("lang"))
        self._analyses: dict[tuple[str, str], Analysis] = {}
        if config.episode is not None and config.analysis is not None:
            self._analyses[self._key(config.episode)] = config.analysis
        self.items: list[LibraryItem] | None = None
        self._library_lock = threading.Lock()
        self.run_in_progress: PlayRun | None = None
        self.run_log: RunLog | None = None
        self.exit_message: str | None = None
        self.exit_error: str | None = None  # one line for stderr after the app closes
        self.results_problem: str | None = None
        self.results = Results(config.db, self._results_failed)
        self._analysing: set[tuple[str, str]] = set()
        self._debrief_waiting: PlayRun | None = None
        self._unrecorded: list[PlayRun] = []  # finished before their analysis was known
        self._analysis_timers: dict[tuple[str, str], Timer] = {}  # delayed starts, by episode
        self.problems: list[str] = []  # the current episode's errors (file:line:col: ...)
        self.watcher: Any = None
        self._ui_loop: Any = None

    def _first_theme(self, name: str) -> None:
        """Start with the player's theme, as the first parse of the stylesheets will use it.

        Assigning `self.theme` before the app runs would queue a second parse of every
        stylesheet (a tenth of the time to the first frame) only to apply the same theme.
        """
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        self.update_classes({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark},
                            update=False)
        self.stylesheet.set_variables(self.get_css_variables())  # nothing is parsed yet
        refresh_filter = getattr(self, "_refresh_truecolor_filter", None)
        if refresh_filter is not None:  # ANSI colours mapped for this theme, as Textual does
            refresh_filter(self.ansi_theme)

    # ------------------------------------------------------------ language

    def _initial_language(self, saved: object) -> str:
        """--lang, else the player's saved choice, else the system's, else the episode's."""
        for wanted in (self.config.lang, saved, system_language()):
            if isinstance(wanted, str) and wanted:
                code = wanted.replace("-", "_").split("_")[0].lower()
                if code in LANGUAGES:
                    return code
        episode = self.config.episode
        if episode is not None and episode.default_language in LANGUAGES:
            return episode.default_language
        return "en"

    def t(self, key: str, **values: object) -> str:
        text = t(key, self.ui_lang, **values)
        return french_spaces(text) if self.ui_lang == "fr" else text

    def text_lang(self, episode: Episode) -> str:
        return choose_language(episode, self.ui_lang)

    def say(self, episode: Episode, text: Text | None,
            variables: Any = None) -> str:
        """An episode text in the player's language, placeholders filled, controls gone."""
        lang = self.text_lang(episode)
        shown = render(text, lang, episode.default_language,
                       variables if variables is not None else episode.variables)
        return french_spaces(shown) if lang == "fr" else shown

    def set_language(self, lang: str) -> None:
        if lang == self.ui_lang or lang not in LANGUAGES:
            return
        self.ui_lang = lang
        self.store.save_settings(lang=lang)
        for screen in self.screen_stack:
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                relabel()

    def set_theme_key(self, key: str) -> None:
        if key not in THEMES:
            return
        self.theme_key = key
        self.theme = THEMES[key].name
        self.set_class(key == "contrast", "-contrast")
        self.store.save_settings(theme=key)

    def set_show_posture(self, show: bool) -> None:
        self.show_posture = show
        self.store.save_settings(sidebar=show)
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_posture_visibility", None)
            if apply is not None:
                apply()

    def set_practice(self, practice: bool) -> None:
        self.practice = practice
        self.store.save_settings(practice=practice)
        run = self.run_in_progress
        if run is not None and not run.finished:
            if practice and not run.practice:
                run.practice = True  # from now on this run will not count
                if self.run_log is not None:
                    self.run_log.mark_practice()
                self.autosave(run)
                self.notify(self.t("practice_now"))
            elif not practice and run.practice:
                self.notify(self.t("practice_later"))
            for screen in self.screen_stack:
                refresh_keys = getattr(screen, "refresh_keys", None)
                if refresh_keys is not None:
                    refresh_keys()

    # ------------------------------------------------------------ episodes

    @staticmethod
    def _key(episode: Episode) -> tuple[str, str]:
        return episode.id, episode.content_hash

    def cached_analysis(self, episode: Episode) -> Analysis | None:
        return self._analyses.get(self._key(episode))

    def analysis_for(self, episode: Episode) -> Analysis:
        """The episode's analysis, computed once (it can take a moment: call from a thread)."""
        key = self._key(episode)
        found = self._analyses.get(key)
        if found is None:
            found = self._analyse(episode)
            self._analyses[key] = found
        return found

    def _analyse(self, episode: Episode) -> Analysis:
        """From the on-disk cache that `run` and workshops share, when the file on disk is
        still this version (ep05's analysis takes seconds, and would hold the GIL while the
        player reads); without --watch, whose versions change under it."""
        from sam_cowboy.core.analysis import analyse

        path = Path(episode.file)
        if self.config.watch is None and path.is_file():
            import hashlib

            try:
                same = hashlib.sha256(path.read_bytes()).hexdigest()[:16] == \
                    episode.content_hash
            except OSError:
                same = False
            if same:
                from sam_cowboy.analysis_cache import cached_analysis

                return cached_analysis(episode, path)
        return analyse(episode)

    def request_analysis(self, episode: Episode, now: bool = False) -> None:
        """Analyse in a worker thread; `analysis_ready` runs on the UI thread when done.

        It starts ANALYSIS_DELAY after the request (unless `now`): the analysis is pure Python
        and would hold the GIL while the intro and the first scene are drawn; a player reads
        the intro longer than that, and the first scene needs no bounds.
        """
        cached = self.cached_analysis(episode)
        if cached is not None:
            self.analysis_ready(episode, cached)
            return
        key = self._key(episode)
        if key in self._analysing:
            if now and key in self._analysis_timers:  # wanted at once (the debrief): no wait
                self._analysis_timers.pop(key).stop()
                self._start_analysis(episode)
            return
        self._analysing.add(key)
        if now or ANALYSIS_DELAY <= 0:
            self._start_analysis(episode)
        else:
            def start() -> None:
                if self._analysis_timers.pop(key, None) is not None:
                    self._start_analysis(episode)

            self._analysis_timers[key] = self.set_timer(ANALYSIS_DELAY, start)

    def _start_analysis(self, episode: Episode) -> None:
        def work() -> None:
            try:
                analysis = self.analysis_for(episode)
            except Exception as e:  # reported as the episode's error, never waited on
                from sam_cowboy.library import failed_analysis

                analysis = failed_analysis(episode, f"the analysis failed ({type(e).__name__})")
            self.call_from_thread(self.analysis_ready, episode, analysis)

        self.run_worker(work, thread=True, group="analysis", exit_on_error=False)

    @staticmethod
    def errors_of(analysis: Analysis | None) -> list[str]:
        if analysis is None:
            return []
        found = [f.format() for f in analysis.findings if f.severity == "error"]
        if not found and not analysis.ok:
            found = ["?"]
        return found

    def analysis_ready(self, episode: Episode, analysis: Analysis) -> None:
        """The bounds and best run are known: give them to whatever is waiting for them."""
        self._analysing.discard(self._key(episode))
        errors = self.errors_of(analysis)
        key = self._key(episode)
        run = self.run_in_progress
        if run is not None and run.analysis is None and self._key(run.episode) == key:
            run.analysis = analysis
        for done in [r for r in self._unrecorded if self._key(r.episode) == key]:
            self._unrecorded.remove(done)
            done.analysis = done.analysis or analysis
            self.record_completion(done)
        for screen in list(self.screen_stack):
            ready = getattr(screen, "analysis_ready", None)
            if ready is not None:
                ready(episode, analysis)
        if errors and self._is_current(episode):
            self.show_problems(errors)
            return
        waiting = self._debrief_waiting
        if waiting is not None and waiting.analysis is not None:
            self._debrief_waiting = None
            self.show_debrief(waiting)

    def _is_current(self, episode: Episode) -> bool:
        """The episode the app was opened on (its latest version), or the one being played."""
        current = [e for e in (self.config.episode,
                               self.run_in_progress.episode if self.run_in_progress else None)
                   if e is not None]
        return any(self._key(e) == self._key(episode) for e in current)

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

    def load_library(self) -> list[LibraryItem]:
        """The library's episodes (built-in season, then --library folders); loaded once."""
        with self._library_lock:
            if self.items is not None:
                return self.items
            from sam_cowboy.library import Library, builtin_dir

            folders = ([builtin_dir()] if self.config.builtin else []) + list(self.config.library)
            items: list[LibraryItem] = []
            seen: set[str] = set()
            for entry in Library([f for f in folders if f.is_dir()]).entries:
                ep = entry.result.episode
                if ep is not None:
                    if ep.id in seen:
                        continue
                    seen.add(ep.id)
                    items.append(LibraryItem(entry.path, ep))
                else:
                    first = entry.result.errors[0].format() if entry.result.errors else "?"
                    items.append(LibraryItem(entry.path, None, first))
            self.items = items
            return items

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

        from sam_cowboy.tui import gc_hold

        self._ui_loop = asyncio.get_running_loop()
        self.set_timer(GC_RELEASE_DELAY, gc_hold.release)
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

    def _switch(self, screen: Any) -> None:
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
        self._switch(IntroScreen(episode, resume=resume, start=start))

    def start_run(self, episode: Episode, analysis: Analysis | None,
                  resume: dict[str, Any] | None = None, start: TestStart | None = None,
                  replay: list[str] | None = None, notice: str | None = None,
                  practice: bool | None = None) -> None:
        """Play `episode`: fresh, from an autosave (`resume`), or replaying `replay` (a reload).

        `analysis` may still be None: the scene shows at once, the bounds follow.
        """
        from sam_cowboy.tui.screens.scene import SceneScreen

        start = start or TestStart()
        if analysis is None:
            analysis = self.cached_analysis(episode)
        run: PlayRun | None = None
        choices = resume.get("choices") if resume is not None else replay
        if choices is not None:
            try:
                if not isinstance(choices, list):
                    raise EngineError("no choices saved")
                was_practice = bool(resume.get("practice", False)) if resume is not None \
                    else self.practice if practice is None else practice
                run = PlayRun.resume(episode, analysis, [str(c) for c in choices],
                                     was_practice, start)
            except EngineError:
                if resume is not None:
                    self.notify(self.t("resume_failed"))
                    self.discard_progress(episode.id)
                else:
                    notice = self.t("reloaded_restart")
                resume = None
        if run is None:
            run = PlayRun(episode, analysis, self.practice if practice is None else practice,
                          start)
        if replay is not None and notice is None:
            notice = self.t("reloaded")
        self.leave_run()
        self.run_in_progress = run
        self.run_log = RunLog(self.results, run, self.player, self.text_lang(episode),
                              resume=resume, defer=self.call_after_refresh)
        run.on_step = self.run_log.step
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
            self.autosave(run)
        self._switch(SceneScreen(run))

    def leave_run(self) -> None:
        """The run on screen is left before its ending: abandoned in the results store."""
        run, log = self.run_in_progress, self.run_log
        if log is not None and run is not None and not run.finished:
            log.abandon()
        self.run_in_progress = None
        self.run_log = None

    def discard_progress(self, episode_id: str) -> None:
        """The player will not continue the saved run: gone from the save, abandoned."""
        record = self.store.in_progress(episode_id)
        if record is not None:
            abandon_saved(self.results, self.player, record.get("results"))
        self.store.clear_progress(episode_id)

    def after_step(self, run: PlayRun) -> None:
        """After every choice: save the run, or record it once it has ended."""
        if run.test:  # --at / --set: never saved, never counted
            return
        if not run.finished:
            self.autosave(run)
            return
        if run.practice:
            self.store.clear_progress(run.episode.id)
            return
        if run.analysis is None:  # a quick player: the percent needs the exact bounds
            self._unrecorded.append(run)
            self.request_analysis(run.episode, now=True)
            return
        self.record_completion(run)

    def record_completion(self, run: PlayRun) -> None:
        """Keep a finished run for the player, with its overall percent."""
        self.store.record_completion(run.episode.id, run.episode.content_hash, run.choice_ids,
                                     run.state.ending, self._ending_kind(run),
                                     self._overall(run))

    @staticmethod
    def _ending_kind(run: PlayRun) -> str | None:
        ending = run.state.ending
        scene = run.episode.scenes.get(ending) if ending else None
        return scene.ending.kind if scene is not None and scene.ending else None

    @staticmethod
    def _overall(run: PlayRun) -> int:
        from sam_cowboy.core import scoring

        if run.analysis is None or run.analysis.bounds is None:
            return 0
        return scoring.overall(run.episode, scoring.percents(run.episode, run.state.scores,
                                                              run.analysis.bounds))

    def autosave(self, run: PlayRun) -> None:
        if not run.finished and not run.test:
            log = self.run_log if self.run_in_progress is run else None
            self.store.save_progress(run.episode.id, run.episode.content_hash, run.choice_ids,
                                     run.state.scene, run.practice,
                                     results=log.saved() if log is not None else None)

    def undone(self, run: PlayRun) -> None:
        """Practice undo: the stored run's position follows; the save too."""
        if self.run_log is not None and self.run_in_progress is run:
            self.run_log.undone(run.state)
        self.autosave(run)

    def show_debrief(self, run: PlayRun) -> None:
        from sam_cowboy.tui.screens.debrief import DebriefScreen

        if run.analysis is None:  # the bounds are on their way (a very quick player)
            self._debrief_waiting = run
            self.request_analysis(run.episode, now=True)
            self.notify(self.t("preparing"))
            self.set_timer(ANALYSIS_PATIENCE, lambda: self._too_slow(run))
            return
        self.run_in_progress = None
        self.run_log = None
        self._switch(DebriefScreen(run))

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
        self._analyses[self._key(episode)] = analysis
        old = self.config.episode
        self.config.episode = episode
        self.clear_problems()
        if old is None:  # the first version that loads
            self.show_intro(episode, start=self.config.start)
            return
        if self._key(old) == self._key(episode) and not had_problems:
            return  # saved without a change
        run = self.run_in_progress
        if run is not None and not run.finished:
            # the same choices on the new version: the same scene if it still exists
            self.start_run(episode, analysis, start=run.start, replay=run.choice_ids,
                           practice=run.practice)
            return
        for screen in self.screen_stack:
            set_episode = getattr(screen, "set_episode", None)
            if set_episode is not None:
                set_episode(episode)
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
        run = self.run_in_progress
        if run is not None and not run.finished:
            if self.run_log is not None:
                self.run_log.abandon()
            self.results.flush()  # the stored run's id goes into the save
            self.autosave(run)
            self.exit_message = self.t("bye" if run.test or not self.store.last_saved else "saved_bye")
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
        run = self.run_in_progress
        if run is not None and not run.finished and self.run_log is not None:
            self.run_log.abandon()
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
