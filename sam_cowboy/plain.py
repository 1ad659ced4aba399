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
from sam_cowboy.core.i18n import render, scene_paragraphs
from sam_cowboy.core.model import Card, Episode, Text
from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.messages import colon, quote, t

_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)|`([^`]+)`")


def plain_markdown(s: str) -> str:
    """Drop emphasis marks (`**`, `*`, `__`, backticks) that a screen reader would read out."""
    return _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", s)


class PlainPlayer:
    def __init__(self, episode: Episode, analysis: Analysis, lang: str, ui_lang: str,
                 out: TextIO, read_line: Callable[[], str | None], echo: bool = True) -> None:
        self.episode = episode
        self.analysis = analysis
        self.lang = lang
        self.ui = ui_lang
        self.out = out
        self.read_line = read_line
        # a terminal shows what is typed already; piped answers are echoed for the transcript
        self.echo = echo
        self.ended = False  # the input ended (rather than the player leaving with q)
        self.on_step: Callable[[State, list[Event]], None] | None = None

    @property
    def colon(self) -> str:
        """`: `, in French ` : ` glued to the word before it."""
        return colon("", self.ui)

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
        begun = state if not state.path else None  # where `exercised` replays the run from
        while not state.finished:
            self.show_scene(state)
            if self.episode.scenes[state.scene].compose is not None:
                composed = self.compose(state)
                if composed is None:
                    self.say()
                    self.say(t("input_ended" if self.ended else "plain_bye", self.ui))
                    return None
                state, events = composed
                self.show_events(events, state)
                if self.on_step is not None:
                    self.on_step(state, events)
                continue
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
                self.say(t("input_ended" if self.ended else "plain_bye", self.ui))
                return None
            state, events = engine.choose_number(self.episode, state, number)
            self.show_events(events, state)
            if self.on_step is not None:
                self.on_step(state, events)
        self.show_scene(state)
        debrief = build(self.episode, state, self.analysis, begun)
        self.show_debrief(debrief)
        return debrief

    def compose(self, state: State) -> engine.Outcome | None:
        """A compose scene: the fragments numbered, the message typed as numbers joined by
        `+` (`2+4`, in the message's order), as `run --choices` takes it."""
        spec = self.episode.scenes[state.scene].compose
        assert spec is not None
        fragments = engine.fragments_shown(self.episode, state)
        if spec.prompt:
            self.say(plain_markdown(self.text(spec.prompt, state)))
        for i, fragment in enumerate(fragments, 1):
            self.say(f"  {i}. {self.text(fragment.text, state)}")
        low, high = spec.pick_min, spec.pick_max
        pick = str(low) if low == high else f"{low}-{high}"
        how = t("compose_how", self.ui, pick=pick, count=len(fragments))
        while True:
            answer = self.answer(how + " ")
            if answer is None:
                return None
            parts = [p.strip() for p in answer.replace(",", "+").split("+")]
            if all(p.isdigit() for p in parts) and low <= len(parts) <= high:
                numbers = [int(p) for p in parts]
                if len(set(numbers)) == len(numbers) and all(1 <= n <= len(fragments) for n in numbers):
                    try:
                        return engine.compose_numbers(self.episode, state, numbers)
                    except engine.EngineError:
                        pass  # a combination this scene does not allow: say how, ask again
            self.say(t("compose_again", self.ui, pick=pick, count=len(fragments)) + " "
                     + t("plain_leave", self.ui))

    def answer(self, prompt: str) -> str | None:
        """One line typed after `prompt`, echoed when piped; None at the end of input (then
        `ended`) or when the player asks to leave."""
        self.out.write(prompt)
        self.out.flush()
        line = self.read_line()
        if line is None:
            self.ended = True
            return None
        answer = line.strip()
        if self.echo:
            self.say(strip_controls(answer))
        return None if answer.lower() in ("q", "quit", "quitter", "exit") else answer

    def ask(self, count: int) -> int | None:
        while True:
            answer = self.answer(t("prompt", self.ui, low=1, high=count))
            if answer is None:
                return None
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            if answer in ("?", "h", "help", "aide"):
                self.say(t("plain_help", self.ui, low=1, high=count))
                continue
            self.say(t("not_a_choice", self.ui, low=1, high=count) + " "
                     + t("plain_leave", self.ui))

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
            if key == "reactions":  # its value says what it counts ("48 reactions")
                prefix = "♥ "
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
            word = t(f"level_{d.level}", self.ui)
            shown = f"{d.percent}% ({word})" if d.exercised else word
            self.say(f"- {label}{self.colon}{shown}")
        line = f"{t('overall', self.ui)}{self.colon}{debrief.overall}%"
        line += f" ({t('level_' + debrief.overall_level, self.ui)})"
        if debrief.profile:
            line += f" — {self.text(debrief.profile.label)}"
        self.say(line)
        if debrief.profile and debrief.profile.advice:
            self.say(self.text(debrief.profile.advice))
        if debrief.key_decisions:
            self.say()
            self.say(t("key_decisions", self.ui) + self.colon.rstrip())
            for k in debrief.key_decisions:
                words = ", ".join(self.change_words(d, v) for d, v in k.changes.items() if v)
                best = {"never": t("best_never", self.ui), "same": t("best_same", self.ui)}.get(
                    k.verdict) or t("best_did", self.ui,
                                    choice=self.choice_words(k.scene, k.best_choice or ""))
                changed = f" ({words})" if words else ""  # leaving the best run may score 0
                self.say(f"- {quote(self.choice_words(k.scene, k.choice), self.ui)}"
                         f"{changed}; {best}")
        if debrief.path:
            self.say()
            self.say(f"{t('your_path', self.ui)} / {t('best_run', self.ui)} "
                     f"({debrief.best_overall}%){self.colon.rstrip()}")
            absent = t("path_not_here", self.ui)
            for n, row in enumerate(debrief.path, 1):
                mine = self.choice_words(row.scene, row.mine) if row.mine else absent
                best = self.choice_words(row.scene, row.best) if row.best else absent
                self.say(f"{n}. {mine} | {'=' if row.same else best}")
            self.say(t("same_legend", self.ui))
        if debrief.weakest is not None:
            dim = ep.dimensions[debrief.weakest]
            self.say()
            self.say(t("weakest", self.ui, dimension=self.text(dim.label)))
            habit = dim.habit or dim.description
            if habit:
                self.say(self.text(habit))

    def choice_words(self, scene_id: str, choice_id: str) -> str:
        choice = self.episode.scenes[scene_id].choice(choice_id)
        return self.text(choice.text) if choice else choice_id
