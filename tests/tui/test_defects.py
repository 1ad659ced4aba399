"""The small defects of issue 14, each pinned by a test."""

from __future__ import annotations

import sys

from textual.widgets import RadioSet

from sam_cowboy.core.loader import load_episode
from sam_cowboy.library import builtin_dir
from sam_cowboy.tui.app import command_line
from sam_cowboy.tui.saves import SaveStore
from sam_cowboy.tui.screens.intro import IntroScreen
from sam_cowboy.tui.screens.library import LibraryScreen
from sam_cowboy.tui.screens.resume import ResumeScreen
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.screens.settings import SettingsScreen
from sam_cowboy.tui.widgets.card import Card

from .conftest import CARDS, LIB, PLAYER, make_app, play, screen_text, settle


def test_quit_message_names_the_command_as_it_was_run(monkeypatch):
    monkeypatch.setattr(sys, "argv", [".venv/bin/sam-cowboy", "play", "ep01-google-test"])
    assert command_line() == ".venv/bin/sam-cowboy play ep01-google-test"
    monkeypatch.setattr(sys, "argv", ["/x/sam_cowboy/__main__.py", "play", "my file.yaml"])
    assert command_line().endswith("-m sam_cowboy play 'my file.yaml'")


async def test_quit_during_a_run_says_how_to_continue(data_dir, monkeypatch):
    monkeypatch.setattr(sys, "argv", [".venv/bin/sam-cowboy", "play", "cards.yaml"])
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1])
        await pilot.press("q")
    assert app.exit_message is not None
    assert app.exit_message.endswith(".venv/bin/sam-cowboy play cards.yaml")


async def test_practice_is_not_kept_for_the_next_session(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")  # practice mode on the intro
        await settle(pilot)
        assert app.practice
    assert "practice" not in SaveStore(data_dir, PLAYER).settings
    again = make_app(CARDS, data_dir)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not again.practice


async def test_library_keeps_its_cursor(data_dir):
    app = make_app(None, data_dir, library=[LIB])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("down")
        chosen = app.library_cursor
        assert chosen is not None
        first = app.screen
        app.show_intro(app.items[0].episode)  # away (the second episode is locked) and back
        await settle(pilot)
        app.show_library()
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen) and app.screen is not first
        episodes = app.screen.query_one("#episodes")
        assert app.items is not None
        assert app.items[episodes.highlighted].episode.id == chosen


async def test_settings_open_on_the_current_language(data_dir):
    app = make_app(CARDS, data_dir, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        languages = app.screen.query_one("#lang", RadioSet)
        await pilot.press("enter")  # the highlighted language: the current one, unchanged
        await settle(pilot)
        assert app.ui_lang == "en"
        assert languages.pressed_button is not None and languages.pressed_button.id == "lang-en"


def test_illectronisme_is_translated_in_english():
    episode = load_episode(builtin_dir() / "ep04-illectronisme.yaml").require()
    assert "Illectronisme" not in episode.title.values["en"]


def test_reactions_are_not_labelled_twice():
    card = Card("post", {"author": "Claire", "body": "Hi", "reactions": "48 reactions"},
                {"post": "Post", "reactions": "Reactions"})
    assert "♥ 48 reactions" in card.plain
    assert "Reactions" not in card.plain


async def test_resume_window_quotes_once(data_dir):
    app = make_app(CARDS, data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await play(pilot, [3])
        await pilot.press("q")
    again = make_app(CARDS, data_dir)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ResumeScreen)
        text = screen_text(again.screen)
        assert "““" not in text and "””" not in text and "“\"" not in text
        assert isinstance(again.screen_stack[-2], (IntroScreen, SceneScreen))
