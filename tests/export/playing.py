"""Playing an exported episode in a browser page the way a person (or a screen reader) does:
by the accessible names of the choice buttons, checked against the core at every step."""

from __future__ import annotations

import contextlib
import io
import json
import random
from typing import TYPE_CHECKING, Any

from sam_cowboy.cli import main
from sam_cowboy.core import engine
from sam_cowboy.core.i18n import render
from sam_cowboy.core.model import Episode
from sam_cowboy.plain import plain_markdown

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHOICE_BUTTONS = "#sam-scene ol.choices button"


def name_of(episode: Episode, text: Any, lang: str, state: engine.State) -> str:
    """What a choice's accessible name must begin with: its text, Markdown marks dropped."""
    return " ".join(plain_markdown(render(text, lang, episode.default_language,
                                          state.variables)).split())


def random_run(episode: Episode, seed: int) -> list[str]:
    """Choice ids of one random complete run (or as far as choices go)."""
    rng = random.Random(seed)
    state, _ = engine.begin(episode)
    ids: list[str] = []
    while not state.finished:
        shown = engine.choices_shown(episode, state)
        if not shown:
            break
        choice = rng.choice(shown)
        ids.append(choice.id)
        state, _ = engine.choose(episode, state, choice.id)
    return ids


def play(page: Page, episode: Episode, choice_ids: list[str], lang: str) -> list[int]:
    """Click each choice by its accessible name; return the 1-based positions clicked.

    At every step the page must show exactly the choices the core shows, in order."""
    state, _ = engine.begin(episode)
    positions: list[int] = []
    for cid in choice_ids:
        shown = engine.choices_shown(episode, state)
        buttons = page.locator(CHOICE_BUTTONS)
        assert buttons.count() == len(shown), f"{episode.id} {state.scene}: choices shown differ"
        index = next(i for i, c in enumerate(shown) if c.id == cid)
        assert buttons.nth(index).get_attribute("data-choice") == cid
        name = name_of(episode, shown[index].text, lang, state)
        same = [i for i, c in enumerate(shown)
                if name_of(episode, c.text, lang, state) == name]
        target = page.get_by_role("button", name=name, exact=True).nth(same.index(index))
        target.click()
        positions.append(index + 1)
        state, _ = engine.choose(episode, state, cid)
    return positions


def run_json(episode_ref: str, steps: list[int] | list[str], lang: str) -> dict[str, Any]:
    """`sam-cowboy run EPISODE --choices|--choice-ids ... --lang LANG --json`, in process:
    positions, or choice ids (a composed message's id, `job+promise`, is not a position)."""
    out = io.StringIO()
    args = ["run", episode_ref, "--lang", lang, "--json"]
    if steps:
        option = "--choice-ids" if isinstance(steps[0], str) else "--choices"
        args += [option, ",".join(map(str, steps))]
    with contextlib.redirect_stdout(out):
        assert main(args) == 0
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def finish_transfer(page: Page, answer: str = "", own: str | None = None,
                    commit: bool = False) -> None:
    """The transfer step after the ending: answer the question (or skip it), then commit to
    the first proposal (`commit`), to one's own action (`own`), or skip."""
    if answer:
        page.locator("#sam-reflect-answer").fill(answer)
        page.locator("#sam-reflect-next").click()
    else:
        page.locator("#sam-reflect-skip").click()
    if own is not None:
        page.locator("#sam-commit-own-text").fill(own)
        page.locator("#sam-commit-save").click()
    elif commit:
        page.locator("#sam-commit-save").click()
    else:
        page.locator("#sam-commit-skip").click()
    page.locator("#sam-commit-done").wait_for()
