"""`sam-cowboy stats`: the size of an episode and how long a playthrough reads.

Words are counted in every text a player can read (titles, scene texts, cards, choices,
feedback, ending titles, catalogue texts and debrief questions), per language, with the
same fallback to the default language the player gets. Trainer notes are counted apart.
Words per average playthrough come from random runs (randomtest's walker, so the engine
decides what each run shows): the scenes a run stops in (routes are never shown), the text
blocks whose condition holds there, the choices shown, and the feedback of each choice made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sam_cowboy.authoring.randomtest import ENDED, Step, Walker, random_runs
from sam_cowboy.core.i18n import pick
from sam_cowboy.core.model import Episode, Scene, Text

WORD_RE = re.compile(r"\w[\w'’-]*")
DEFAULT_WPM = 200
DEFAULT_RUNS = 2_000


def words(s: str) -> int:
    return len(WORD_RE.findall(s))


def text_words(text: Text | None, lang: str, default: str) -> int:
    return 0 if text is None else words(pick(text, lang, default))


@dataclass
class Stats:
    episode: Episode
    scenes: int
    routes: int
    endings: dict[str, int]
    choices: int
    conditional_choices: int
    once_choices: int
    words: dict[str, int]  # what players can read, per language (with fallbacks)
    written: dict[str, int]  # words actually written in each language
    trainer_words: dict[str, int]
    runs: int
    mean_choices: float
    run_words: dict[str, float]
    wpm: int
    extra: dict[str, object] = field(default_factory=dict)

    def minutes(self, lang: str) -> float:
        return self.run_words[lang] / self.wpm if self.wpm else 0.0

    def to_json(self) -> dict[str, object]:
        ep = self.episode
        return {
            "episode": ep.id,
            "scenes": self.scenes,
            "route_scenes": self.routes,
            "endings": self.endings,
            "choices": self.choices,
            "conditional_choices": self.conditional_choices,
            "once_choices": self.once_choices,
            "dimensions": len(ep.dimensions),
            "variables": len(ep.variables),
            "words": self.words,
            "words_written": self.written,
            "trainer_notes_words": self.trainer_words,
            "playthrough": {
                "runs": self.runs,
                "choices": round(self.mean_choices, 1),
                "words": {lang: round(n) for lang, n in self.run_words.items()},
                "reading_minutes": {lang: round(self.minutes(lang), 1)
                                    for lang in self.run_words},
                "words_per_minute": self.wpm,
            },
            "estimated_minutes": ep.estimated_minutes,
        }


def _all_texts(episode: Episode) -> tuple[list[Text], list[Text]]:
    """(texts a player can read, trainer notes)."""
    shown: list[Text] = [episode.title]
    notes: list[Text] = []
    for t in (episode.summary, episode.audience):
        if t is not None:
            shown.append(t)
    shown += list(episode.objectives) + list(episode.debrief)
    for scene in episode.scenes.values():
        shown += _scene_texts(scene)
        for c in scene.choices:
            shown.append(c.text)
            if c.feedback is not None:
                shown.append(c.feedback)
        if scene.trainer_notes is not None:
            notes.append(scene.trainer_notes)
    return shown, notes


def _scene_texts(scene: Scene) -> list[Text]:
    out: list[Text] = []
    if scene.title is not None:
        out.append(scene.title)
    out += [b.text for b in scene.text]
    if scene.card is not None:
        out += list(scene.card.fields.values())
    if scene.ending is not None and scene.ending.title is not None:
        out.append(scene.ending.title)
    return out


def compute(episode: Episode, runs: int = DEFAULT_RUNS, seed: int = 0,
            wpm: int = DEFAULT_WPM) -> Stats:
    langs = list(episode.languages)
    default = episode.default_language
    shown, notes = _all_texts(episode)
    total = {lang: sum(text_words(t, lang, default) for t in shown) for lang in langs}
    written = {lang: sum(words(t.values[lang]) for t in shown if lang in t.values)
               for lang in langs}
    trainer = {lang: sum(text_words(t, lang, default) for t in notes) for lang in langs}

    walker = Walker(episode)
    sums = [0] * len(langs)
    finished = [0]
    cache: dict[tuple[object, ...], tuple[int, ...]] = {}

    def shown_words(scene_id: str, flat: list[object], shown: tuple[str, ...],
                    picked: str | None) -> tuple[int, ...]:
        scene = episode.scenes[scene_id]
        state = walker.state(scene_id, flat) if any(b.condition for b in scene.text) else None
        holds = tuple(b.condition is None or bool(b.condition.evaluate(state))  # type: ignore[arg-type]
                      for b in scene.text)
        key = (scene_id, holds, shown, picked)
        found = cache.get(key)
        if found is not None:
            return found
        counts = []
        for lang in langs:
            n = text_words(scene.title, lang, default)
            n += sum(text_words(b.text, lang, default)
                     for b, ok in zip(scene.text, holds, strict=True) if ok)
            if scene.card is not None:
                n += sum(text_words(t, lang, default) for t in scene.card.fields.values())
            if scene.ending is not None:
                n += text_words(scene.ending.title, lang, default)
            for c in scene.choices:
                if c.id in shown:
                    n += text_words(c.text, lang, default)
                if c.id == picked:
                    n += text_words(c.feedback, lang, default)
            counts.append(n)
        cache[key] = tuple(counts)
        return cache[key]

    def on_run(path: list[Step], last: str | None, flat: list[object], outcome: int) -> None:
        for scene_id, step_flat, shown, picked in path:
            for k, n in enumerate(shown_words(scene_id, step_flat, tuple(shown), picked)):
                sums[k] += n
        if last is not None and outcome == ENDED:
            for k, n in enumerate(shown_words(last, flat, (), None)):
                sums[k] += n
        finished[0] += 1

    report = random_runs(episode, runs=runs, seed=seed, walker=walker, on_run=on_run)
    n = max(1, finished[0])
    run_words = {lang: sums[k] / n for k, lang in enumerate(langs)}
    endings: dict[str, int] = {"good": 0, "mixed": 0, "bad": 0}
    for scene in episode.scenes.values():
        if scene.ending is not None:
            endings[scene.ending.kind] += 1
    choices = [c for s in episode.scenes.values() for c in s.choices]
    return Stats(
        episode=episode,
        scenes=len(episode.scenes),
        routes=sum(1 for s in episode.scenes.values() if s.route),
        endings=endings,
        choices=len(choices),
        conditional_choices=sum(1 for c in choices if c.condition is not None),
        once_choices=sum(1 for c in choices if c.once),
        words=total, written=written, trainer_words=trainer,
        runs=runs, mean_choices=report.mean_steps, run_words=run_words, wpm=wpm,
    )


def format_stats(s: Stats) -> str:
    ep = s.episode
    n_end = sum(s.endings.values())
    kinds = ", ".join(f"{k} {v}" for k, v in s.endings.items() if v)
    lines = [
        f"{ep.id}",
        f"  scenes:     {s.scenes} ({s.routes} route, {n_end} ending{'s' if n_end != 1 else ''}: "
        f"{kinds or 'none'})",
        f"  choices:    {s.choices} ({s.conditional_choices} with a condition, "
        f"{s.once_choices} once)",
        f"  dimensions: {len(ep.dimensions)}, variables: {len(ep.variables)}",
        "  words a player can read (trainer notes apart):",
    ]
    for lang in ep.languages:
        missing = s.words[lang] - s.written[lang]
        extra = f" ({s.written[lang]} written in {lang}, the rest falls back to "\
                f"{ep.default_language})" if missing > 0 else ""
        lines.append(f"    {lang}: {s.words[lang]}{extra}; trainer notes: {s.trainer_words[lang]}")
    lines.append(f"  average playthrough ({s.runs} random runs): {s.mean_choices:.1f} choices")
    for lang in ep.languages:
        lines.append(f"    {lang}: {s.run_words[lang]:.0f} words, about "
                     f"{s.minutes(lang):.1f} min of reading at {s.wpm} words/min")
    if ep.estimated_minutes is not None:
        lines.append(f"  estimated_minutes in the file: {ep.estimated_minutes:g} "
                     "(reading only is above; discussion takes longer)")
    return "\n".join(lines) + "\n"
