"""The plain-text player: one prompt per line, numbers on standard input.

For screen readers, slow links and scripts: no colour, no cursor movement, nothing but lines
of text. It drives the same engine as the app; only the drawing differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TextIO

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.debrief import Debrief, build
from sam_cowboy.core.engine import Event, FeedbackShown, ScoreChanged, State
from sam_cowboy.core.i18n import render, scene_paragraphs, strip_controls
from sam_cowboy.core.model import Card, Episode, Text
from sam_cowboy.messages import t

_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)|`([^`]+)`")


def plain_markdown(s: str) -> str:
    """Drop emphasis marks (`**`, `*`, `__`, backticks) that a screen reader would read out."""
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", s)


class PlainPlayer:
    def __init__(self, episode: Episode, analysis: Analysis, lang: str, ui_lang: str,
                 out: TextIO, read_line: Callable[[], str | None]) -> None:
        self.episode = episode
        self.analysis = analysis
        self.lang = lang
        self.ui = ui_lang
        self.out = out
        self.read_line = read_line
        self.on_step: Callable[[State, list[Event]], None] | None = None

    @property
    def colon(self) -> str:
        """French puts a space before the colon."""
        return " : " if self.ui == "fr" else ": "

    def say(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def text(self, text: Text | None, state: State | None = None) -> str:
        return plain_markdown(render(text, self.lang, self.episode.default_language,
                                     state.variables if state else self.episode.variables))

    def intro(self) -> None:
        ep = self.episode
        self.say(f"# {self.text(ep.title)}")
        if ep.summary:
            self.say(self.text(ep.summary))
        if ep.estimated_minutes:
            self.say(t("estimated", self.ui, minutes=f"{ep.estimated_minutes:g}"))
        if ep.objectives:
            self.say(t("objectives", self.ui) + self.colon.rstrip())
            for obj in ep.objectives:
                self.say(f"- {self.text(obj)}")
        self.say()

    def play(self, state: State | None = None) -> Debrief | None:
        """Play to an ending or the end of input; return the debrief of an ended run."""
        if state is None:
            self.intro()
            state, events = engine.begin(self.episode)
            self.show_events(events, state)
        while not state.finished:
            self.show_scene(state)
            shown = engine.choices_shown(self.episode, state)
            if not shown:
                self.say(t("no_choice_left", self.ui))
                return None
            self.say(t("choices", self.ui))
            for i, choice in enumerate(shown, 1):
                self.say(f"  {i}. {self.text(choice.text, state)}")
            number = self.ask(len(shown))
            if number is None:
                self.say()
                self.say(t("input_ended", self.ui))
                return None
            state, events = engine.choose_number(self.episode, state, number)
            self.show_events(events, state)
            if self.on_step is not None:
                self.on_step(state, events)
        self.show_scene(state)
        debrief = build(self.episode, state, self.analysis)
        self.show_debrief(debrief)
        return debrief

    def ask(self, count: int) -> int | None:
        while True:
            self.out.write(t("prompt", self.ui, low=1, high=count))
            self.out.flush()
            line = self.read_line()
            if line is None:
                return None
            answer = line.strip()
            self.say(strip_controls(answer))
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            self.say(t("not_a_choice", self.ui, low=1, high=count))

    def show_scene(self, state: State) -> None:
        scene = self.episode.scenes[state.scene]
        self.say()
        if scene.title:
            self.say(f"## {self.text(scene.title, state)}")
        for paragraph in scene_paragraphs(self.episode, scene, self.lang, state):
            self.say(plain_markdown(paragraph))
            self.say()
        if scene.card:
            self.show_card(scene.card, state)
        if scene.ending is not None:
            kind = t(f"ending_{scene.ending.kind}", self.ui)
            title = self.text(scene.ending.title, state) if scene.ending.title else ""
            self.say(f"*** {t('the_end', self.ui)}{self.colon + title if title else ''} ({kind}) ***")

    def show_card(self, card: Card, state: State) -> None:
        self.say(f"+-- {t(card.kind + '_card', self.ui)} --")
        labels = {"from": t("from", self.ui), "to": t("to", self.ui),
                  "subject": t("subject", self.ui), "reactions": t("reactions", self.ui)}
        for key, value in card.fields.items():
            body = self.text(value, state)
            prefix = f"{labels[key]}{self.colon}" if key in labels else ""
            for line in body.splitlines() or [""]:
                self.say(f"| {prefix}{line}")
                prefix = ""
        self.say("+--")
        self.say()

    def show_events(self, events: list[Event], state: State) -> None:
        changes = [e for e in events if isinstance(e, ScoreChanged) and e.choice is not None]
        for event in events:
            if isinstance(event, FeedbackShown):
                self.say()
                self.say(t("consequence", self.ui) + self.colon + plain_markdown(
                    render(event.text, self.lang, self.episode.default_language, event.variables)))
        if changes:
            self.say("  " + ", ".join(self.change_words(e.dimension, e.delta) for e in changes))

    def change_words(self, dimension: str, delta: int) -> str:
        label = self.text(self.episode.dimensions[dimension].label)
        return f"{delta:+d} {label}"

    def show_debrief(self, debrief: Debrief) -> None:
        ep = self.episode
        self.say()
        self.say(f"# {t('debrief', self.ui)}")
        if ep.debrief:
            self.say(t("questions", self.ui) + self.colon.rstrip())
            for q in ep.debrief:
                self.say(f"- {self.text(q)}")
            self.say()
        self.say(t("posture", self.ui) + self.colon.rstrip())
        for d in debrief.dimensions:
            label = self.text(ep.dimensions[d.id].label)
            bar = "#" * (d.percent // 10) + "." * (10 - d.percent // 10)
            raw = t("raw", self.ui, raw=d.raw, low=d.min, high=d.max)
            self.say(f"- {label}{self.colon}{d.percent}% [{bar}] ({raw})")
        line = f"{t('overall', self.ui)}{self.colon}{debrief.overall}%"
        if debrief.profile:
            line += f" — {self.text(debrief.profile.label)}"
        self.say(line)
        if debrief.profile and debrief.profile.advice:
            self.say(self.text(debrief.profile.advice))
        if debrief.key_decisions:
            self.say()
            self.say(t("key_decisions", self.ui) + self.colon.rstrip())
            for k in debrief.key_decisions:
                scene = ep.scenes[k.scene]
                choice = scene.choice(k.choice)
                mine = self.text(choice.text) if choice else k.choice
                words = ", ".join(self.change_words(d, v) for d, v in k.changes.items() if v)
                if k.best_choice is None:
                    best = t("best_never", self.ui)
                elif k.best_choice == k.choice:
                    best = t("best_same", self.ui)
                else:
                    bc = scene.choice(k.best_choice)
                    best = t("best_did", self.ui, choice=self.text(bc.text) if bc else k.best_choice)
                self.say(f"- \"{mine}\" ({words}); {best}")
        best_run = self.analysis.best_run
        if best_run is not None:
            self.say()
            self.say(t("your_path", self.ui) + self.colon + self.path_words(debrief.state.path))
            self.say(f"{t('best_run', self.ui)} ({best_run.overall}%){self.colon}"
                     + self.path_words(best_run.path))
        if debrief.weakest and min(d.percent for d in debrief.dimensions) < 100:
            dim = ep.dimensions[debrief.weakest]
            self.say()
            self.say(t("weakest", self.ui, dimension=self.text(dim.label)))
            habit = dim.habit or dim.description
            if habit:
                self.say(self.text(habit))

    def path_words(self, path: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
        words = []
        for scene_id, choice_id in path:
            choice = self.episode.scenes[scene_id].choice(choice_id)
            words.append(self.text(choice.text) if choice else choice_id)
        return " → ".join(words) if words else "—"
