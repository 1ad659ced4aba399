"""`sam-cowboy play` and the bare `sam-cowboy`: the app, or plain text with --plain."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sam_cowboy.commands.common import add_test_start_options, check_scene, load_playable, load_valid, parse_presets
from sam_cowboy.messages import ui_language
from sam_cowboy.usage import InputError, UsageError, episode_arg

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis
    from sam_cowboy.core.model import Episode
    from sam_cowboy.results.store import Store

FIRST_EPISODE = "ep01-google-test"
NAME = "play"
ORDER = 10
HELP = "play an episode"
DESCRIPTION = """Play an episode in the terminal app, or in plain text with --plain (one
prompt per line, choice numbers read from standard input: for screen readers and scripts).

Example: sam-cowboy play ep01-google-test
         printf '1\\n2\\n' | sam-cowboy play ep01-google-test --plain
         sam-cowboy play my-episode.yaml --watch          (reloads on every save)
         sam-cowboy play my-episode.yaml --at invite --set profile_ready=true"""


def configure(p: argparse.ArgumentParser) -> None:
    episode_arg(p, optional=True)
    p.add_argument("--lang", dest="play_lang", help="language: fr or en")
    p.add_argument("--player", dest="play_player", help="player name")
    p.add_argument("--plain", action="store_true",
                   help="plain text: one prompt per line, numbers read from standard input")
    p.add_argument("--practice", action="store_true", help="practice mode: undo allowed, "
                   "scores not kept")
    p.add_argument("--watch", action="store_true",
                   help="reload the episode whenever its file is saved (for authors): the "
                   "app checks it again, shows its errors, and keeps you on the same scene")
    p.add_argument("--db", metavar="URL", help="where results are recorded: a SQLite file or "
                   "postgresql://… (default: $SAM_COWBOY_DB, else the user data folder)")
    p.add_argument("--assess", action="store_true", help="assessment: consequences without "
                   "scores or principles until the debrief; the run is flagged as an assessment")
    add_test_start_options(p)


def execute(args: argparse.Namespace) -> int:
    return play_command(args.episode, lang=args.play_lang or args.lang,
                        player=args.play_player or args.player, plain=args.plain,
                        practice=args.practice, library=args.library, db=args.db,
                        at=args.at, presets=args.presets, watch=args.watch,
                        assess=args.assess)


def player_name(given: str | None) -> str:
    """The player's name: as given, else the login name; control characters removed."""
    import getpass

    from sam_cowboy.core.safe_text import strip_controls

    if not given:
        try:
            given = getpass.getuser()
        except Exception:  # no login name (containers): still playable
            given = ""
    return strip_controls(given).strip() or "player"


def play_command(name: str | None, lang: str | None, player: str | None, plain: bool,
                 practice: bool, library: list[Path], db: str | None = None,
                 at: str | None = None, presets: list[str] | None = None,
                 watch: bool = False, assess: bool = False) -> int:
    if plain:
        if watch:
            raise UsageError("--watch works in the app, not with --plain")
        episode, analysis = load_playable(name or FIRST_EPISODE, library)
        check_scene(episode, at)
        preset = parse_presets(episode, presets or [])
        return _play_plain(episode, analysis, lang, player_name(player), practice, db, at, preset,
                           assess, library)
    if assess:
        raise UsageError("--assess works with --plain for now (the app's setting is to come)")
    return _play_app(name, lang, player, practice, library, db, at, presets, watch)


def _play_app(name: str | None, lang: str | None, player: str | None, practice: bool,
              library: list[Path], db: str | None, at: str | None, presets: list[str] | None,
              watch: bool) -> int:
    """The app starts before the analysis: the intro shows while it runs in a worker, and
    the app shows its errors (if any) and exits 1 on quit. Loader errors still stop here
    (exit 1, file:line:col) unless --watch, where the app shows them and waits for a fix."""
    from sam_cowboy.commands.common import find_episode

    path = find_episode(name or FIRST_EPISODE, library)
    try:
        episode, _ = load_valid(str(path), library)
    except InputError:
        if not watch:
            raise
        episode = None
    if episode is not None:
        check_scene(episode, at)
        preset = parse_presets(episode, presets or [])
    else:
        preset = {}
    from sam_cowboy.tui.run import run_app

    return run_app(episode=episode, analysis=None, lang=lang, player=player,
                   practice=practice, library=library, db=db, at=at, preset=preset,
                   watch=path if watch else None)


def _play_plain(episode: Episode, analysis: Analysis, lang: str | None, player: str,
                practice: bool, db: str | None, at: str | None,
                preset: dict[str, bool | int | str], assess: bool = False,
                library: list[Path] | None = None) -> int:
    from sam_cowboy.core import engine
    from sam_cowboy.core.i18n import choose_language
    from sam_cowboy.learning_plain import Asker, TransferPlainPlayer, ask_follow_ups
    from sam_cowboy.results import StoreError, open_store
    from sam_cowboy.results.learning import mark_assessment, today
    from sam_cowboy.results.recorder import RunRecorder

    language = choose_language(episode, lang or ui_language(None))
    stdin = sys.stdin

    def read_line() -> str | None:
        line = stdin.readline()
        return line if line else None

    try:
        store = open_store(db)
    except StoreError as e:
        print(f"sam-cowboy: results not recorded: {e}", file=sys.stderr)
        store = None
    player_view = TransferPlainPlayer(episode, analysis, language, ui_language(lang or language),
                                      sys.stdout, read_line, echo=not stdin.isatty())
    player_view.assess, player_view.store, player_view.player = assess, store, player
    player_view.today = today()
    ask_follow_ups(store, player, Asker(sys.stdout, read_line, player_view.ui), player_view.today)
    season = _season(store, player, episode, library or []) if not (at or preset) else None
    state, events = engine.begin(episode, at=at, preset=preset, season=season)
    recorder = RunRecorder(store, episode, player, language, practice=practice,
                           test=state.test, source="plain", analysis=analysis)
    recorder.begin(state, events)
    if assess and store is not None and recorder.run_id is not None:
        mark_assessment(store, recorder.run_id)
    player_view.run_id = lambda: recorder.run_id
    player_view.on_step = recorder.step
    player_view.intro()
    player_view.show_events(events, state)
    debrief = player_view.play(state)
    if debrief is None:
        recorder.abandon()
    elif not recorder.done:
        recorder.finish(debrief.state)
    if store is not None:
        store.close()
    return 0


def _season(store: Store | None, player: str, episode: Episode,
            library: list[Path]) -> dict[str, int] | None:
    """The player's latest percents in other episodes (season('d')), or None without a store;
    a store that fails here costs the retrieval scene, not the run."""
    if store is None:
        return None
    from sam_cowboy.results import StoreError
    from sam_cowboy.results.season_memory import library_folders, season_for

    try:
        return season_for(store, player, episode.id, library_folders(library))
    except StoreError as e:
        print(f"sam-cowboy: earlier results not read ({e}): this episode starts without them",
              file=sys.stderr)
        return None


def open_library(args: argparse.Namespace) -> int:
    from sam_cowboy.tui.run import run_app

    return run_app(episode=None, analysis=None, lang=args.lang, player=args.player,
                   practice=False, library=args.library)
