"""The Sam the Social Cowboy app: screens, saves, settings, languages and themes.

Built by `create_app` from real domain objects (an Episode and its Analysis, or none for the
library). It plays only through `core.engine` (via `session.PlayRun`) and shows only what the
core computes; its own job is drawing, saving and being kind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.theme import Theme

from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.engine import EngineError
from sam_cowboy.core.i18n import choose_language, render
from sam_cowboy.core.model import Episode, Text
from sam_cowboy.messages import LANGUAGES, system_language, t
from sam_cowboy.tui.saves import SaveStore, clean_name, data_dir
from sam_cowboy.tui.session import PlayRun

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
        self.theme = THEMES[self.theme_key].name
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
        self.exit_message: str | None = None

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
        return t(key, self.ui_lang, **values)

    def text_lang(self, episode: Episode) -> str:
        return choose_language(episode, self.ui_lang)

    def say(self, episode: Episode, text: Text | None,
            variables: Any = None) -> str:
        """An episode text in the player's language, placeholders filled, controls gone."""
        return render(text, self.text_lang(episode), episode.default_language,
                      variables if variables is not None else episode.variables)

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
            from sam_cowboy.core.analysis import analyse

            found = analyse(episode)
            self._analyses[key] = found
        return found

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
        if self.store.problem:
            self.notify(self.store.problem, markup=False, severity="warning")
        episode = self.config.episode
        if episode is not None:
            from sam_cowboy.tui.screens.intro import IntroScreen

            self.push_screen(IntroScreen(episode))
        else:
            from sam_cowboy.tui.screens.library import LibraryScreen

            self.push_screen(LibraryScreen(offer_resume=True))

    def _switch(self, screen: Any) -> None:
        while len(self.screen_stack) > 2:  # close any window left open above
            self.pop_screen()
        self.switch_screen(screen)

    def show_library(self) -> None:
        from sam_cowboy.tui.screens.library import LibraryScreen

        self.run_in_progress = None
        self._switch(LibraryScreen())

    def show_intro(self, episode: Episode, resume: dict[str, Any] | None = None) -> None:
        from sam_cowboy.tui.screens.intro import IntroScreen

        self.run_in_progress = None
        self._switch(IntroScreen(episode, resume=resume))

    def start_run(self, episode: Episode, analysis: Analysis,
                  resume: dict[str, Any] | None = None) -> None:
        from sam_cowboy.tui.screens.scene import SceneScreen

        run: PlayRun | None = None
        if resume is not None:
            choices = resume.get("choices")
            try:
                if not isinstance(choices, list):
                    raise EngineError("no choices saved")
                run = PlayRun.resume(episode, analysis, [str(c) for c in choices],
                                     bool(resume.get("practice", False)))
            except EngineError:
                self.notify(self.t("resume_failed"))
                self.store.clear_progress(episode.id)
        if run is None:
            run = PlayRun(episode, analysis, self.practice)
        self.run_in_progress = run
        if run.finished:  # an episode whose start is an ending, or a resumed finished run
            self.after_step(run)
            self.show_debrief(run)
            return
        self._switch(SceneScreen(run))

    def after_step(self, run: PlayRun) -> None:
        """After every choice: save the run, or record it once it has ended."""
        if not run.finished:
            self.autosave(run)
            return
        if run.practice:
            self.store.clear_progress(run.episode.id)
            return
        debrief = run.debrief()
        self.store.record_completion(run.episode.id, run.episode.content_hash, run.choice_ids,
                                     run.state.ending, debrief.ending_kind, debrief.overall)

    def autosave(self, run: PlayRun) -> None:
        if not run.finished:
            self.store.save_progress(run.episode.id, run.episode.content_hash, run.choice_ids,
                                     run.state.scene, run.practice)

    def show_debrief(self, run: PlayRun) -> None:
        from sam_cowboy.tui.screens.debrief import DebriefScreen

        self.run_in_progress = None
        self._switch(DebriefScreen(run))

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
            self.autosave(run)
            self.exit_message = self.t("saved_bye")
        else:
            self.exit_message = self.t("bye")
        self.exit()

    def notify_data(self, message: str | Content, **kwargs: Any) -> None:
        """A notification that may contain episode text: never parsed as markup."""
        self.notify(str(message), markup=False, **kwargs)


def create_app(episode: Episode | None = None, analysis: Analysis | None = None,
               lang: str | None = None, player: str | None = None, practice: bool = False,
               library: list[Path] | None = None, data_dir: Path | None = None,
               builtin: bool = True, theme: str | None = None) -> SamApp:
    """The app for one episode (its intro first) or, without one, for the library."""
    if episode is not None and analysis is None:
        from sam_cowboy.core.analysis import analyse

        analysis = analyse(episode)
    return SamApp(AppConfig(episode=episode, analysis=analysis, lang=lang, player=player,
                            practice=practice, library=list(library or []),
                            data_dir=data_dir, builtin=builtin, theme=theme))
