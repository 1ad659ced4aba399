"""`sam-cowboy stats`: the size of an episode, how long a playthrough reads, and whether its
choices are hard.

Words are counted in every text a player can read (titles, scene texts, cards, choices,
feedback, ending titles, catalogue texts and debrief questions), per language, with the
same fallback to the default language the player gets. Trainer notes are counted apart.
Words per average playthrough come from random runs (randomtest's walker, so the engine
decides what each run shows): the scenes a run stops in (routes are never shown), the text
blocks whose condition holds there, the choices shown, and the feedback of each choice made.

Craft figures (`craft`) say whether a player could win without reading the story:
- a choice's *impact* is what its `score` is worth in overall percent (each raw point of a
  dimension is worth `100 * weight / (max - min) / total weight`);
- a *decision scene* has at least two choices of different impact; its *best choices* are
  those of the highest impact;
- the best choice *is the longest* when the longest best choice has more characters (in
  that language, spaces at the ends aside) than every other choice of the scene; its
  *margin* is by how much, as a fraction of the longest other choice;
- a *dilemma* is a choice that raises one dimension and lowers another;
- three mechanical runs: always the longest choice, always the highest impact (following
  the visible score changes greedily) and always the lowest impact (the worst-choice run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sam_cowboy.authoring.randomtest import ENDED, Step, Walker, random_runs
from sam_cowboy.core import engine, scoring
from sam_cowboy.core.analysis import Analysis, analyse
from sam_cowboy.core.debrief import impact_weights
from sam_cowboy.core.i18n import pick
from sam_cowboy.core.model import Choice, Episode, Scene, Text

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
    craft: Craft | None = None
    best_overall: int | None = None
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
            **({"craft": self.craft.to_json()} if self.craft is not None else {}),
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
    analysis = analyse(episode)
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
        craft=craft(episode, analysis) if analysis.bounds is not None else None,
        best_overall=analysis.best_run.overall if analysis.best_run else None,
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
    if s.craft is not None:
        lines += format_craft(s.craft, s.best_overall)
    return "\n".join(lines) + "\n"


# -- craft: can a player win without reading? ------------------------------------------

MAX_STEPS = 1_000  # a mechanical run that loops this long is stopped


@dataclass
class Longest:
    """In one language: decision scenes where the best choice is also the longest."""

    lang: str
    decision_scenes: int
    scenes: list[tuple[str, float]]  # (scene, margin) where the best is the longest

    @property
    def count(self) -> int:
        return len(self.scenes)

    @property
    def max_margin(self) -> float:
        return max((m for _, m in self.scenes), default=0.0)


@dataclass
class MechanicalRun:
    """A run that picks by a rule, not by reading: where it ends and how it scores."""

    rule: str
    overall: int
    ending: str | None
    kind: str | None
    percents: dict[str, int]
    exercised: dict[str, bool]

    def to_json(self) -> dict[str, object]:
        return {"overall": self.overall, "ending": self.ending, "kind": self.kind,
                "percents": self.percents, "exercised": self.exercised}


@dataclass
class Craft:
    longest: dict[str, Longest]
    dilemmas: list[tuple[str, str]]  # (scene, choice)
    best_run_dilemmas: list[tuple[str, str]]  # dilemmas the best run takes: what it pays
    runs: dict[str, MechanicalRun]
    unexercised: dict[str, str]  # dimension -> an ending a run can reach without meeting it

    def to_json(self) -> dict[str, object]:
        return {
            "best_is_longest": {
                lang: {"scenes": lg.count, "decision_scenes": lg.decision_scenes,
                       "max_margin_percent": round(100 * lg.max_margin),
                       "where": [{"scene": sid, "margin_percent": round(100 * m)}
                                 for sid, m in lg.scenes]}
                for lang, lg in self.longest.items()},
            "dilemmas": len(self.dilemmas),
            "dilemma_choices": [{"scene": s, "choice": c} for s, c in self.dilemmas],
            "best_run_dilemmas": len(self.best_run_dilemmas),
            "mechanical_runs": {k: r.to_json() for k, r in self.runs.items()},
            "unexercised": self.unexercised,
        }


def impacts(episode: Episode, bounds: dict[str, tuple[int, int]],
            scene: Scene) -> list[float]:
    weights = impact_weights(episode, bounds)
    return [sum(weights[d] * v for d, v in c.effects.score.items()) for c in scene.choices]


def choice_length(choice: Choice, lang: str, default: str) -> int:
    return len(pick(choice.text, lang, default).strip())


def best_is_longest(episode: Episode, bounds: dict[str, tuple[int, int]],
                    lang: str) -> Longest:
    default = episode.default_language
    decision = 0
    found: list[tuple[str, float]] = []
    for scene in episode.scenes.values():
        if len(scene.choices) < 2:
            continue
        values = impacts(episode, bounds, scene)
        top = max(values)
        if all(abs(v - top) < 1e-9 for v in values):
            continue
        decision += 1
        best = [choice_length(c, lang, default) for c, v in zip(scene.choices, values, strict=True)
                if abs(v - top) < 1e-9]
        rest = [choice_length(c, lang, default) for c, v in zip(scene.choices, values, strict=True)
                if abs(v - top) >= 1e-9]
        if max(best) > max(rest):
            found.append((scene.id, max(best) / max(1, max(rest)) - 1))
    return Longest(lang, decision, found)


def dilemmas(episode: Episode) -> list[tuple[str, str]]:
    return [(s.id, c.id) for s in episode.scenes.values() for c in s.choices
            if any(v > 0 for v in c.effects.score.values())
            and any(v < 0 for v in c.effects.score.values())]


def mechanical_run(episode: Episode, analysis: Analysis, rule: str,
                   lang: str | None = None) -> MechanicalRun:
    """Play from the start choosing by `rule`: `longest` (text length in `lang`), `greedy`
    (highest impact) or `worst` (lowest impact); ties go to the first shown."""
    assert analysis.bounds is not None
    bounds = analysis.bounds
    weights = impact_weights(episode, bounds)
    lang = lang or episode.default_language
    start, _ = engine.begin(episode)
    state = start
    for _ in range(MAX_STEPS):
        shown = engine.choices_shown(episode, state)
        if not shown:
            break

        def impact(c: Choice) -> float:
            return sum(weights[d] * v for d, v in c.effects.score.items())

        if rule == "longest":
            pickc = max(shown, key=lambda c: choice_length(c, lang, episode.default_language))
        elif rule == "greedy":
            pickc = max(shown, key=impact)
        else:
            pickc = min(shown, key=impact)
        state, _ = engine.choose(episode, state, pickc.id)
    percents = scoring.percents(episode, state.scores, bounds)
    ending = episode.scenes[state.ending].ending if state.ending else None
    return MechanicalRun(rule, scoring.overall(episode, percents), state.ending,
                         ending.kind if ending else None, percents,
                         scoring.exercised(episode, state, start))


def craft(episode: Episode, analysis: Analysis | None = None) -> Craft:
    analysis = analysis or analyse(episode)
    assert analysis.bounds is not None, "craft figures need an episode without errors"
    best_path = set(analysis.best_run.path) if analysis.best_run else set()
    found = dilemmas(episode)
    return Craft(
        longest={lang: best_is_longest(episode, analysis.bounds, lang)
                 for lang in episode.languages},
        dilemmas=found,
        best_run_dilemmas=[d for d in found if d in best_path],
        runs={rule: mechanical_run(episode, analysis, rule)
              for rule in ("longest", "greedy", "worst")},
        unexercised={d: ending for d, (_, ending) in analysis.unexercised.items()},
    )


def format_craft(c: Craft, best_overall: int | None) -> list[str]:
    lines = ["  hard choices:"]
    for lang, lg in c.longest.items():
        margin = f" (by up to {100 * lg.max_margin:.0f}%)" if lg.count else ""
        lines.append(f"    {lang}: the best choice is the longest in {lg.count} of "
                     f"{lg.decision_scenes} decision scenes{margin}")
    lines.append(f"    dilemmas (a choice raising one dimension and lowering another): "
                 f"{len(c.dilemmas)}, {len(c.best_run_dilemmas)} on the best run")
    names = {"longest": "always the longest choice", "greedy": "always the best score change",
             "worst": "always the worst score change"}
    for rule, run in c.runs.items():
        top = max(run.percents.values(), default=0)
        unseen = [d for d, ok in run.exercised.items() if not ok]
        tail = f"; not seen: {', '.join(unseen)}" if unseen else ""
        lines.append(f"    {names[rule]}: {run.overall}% ({run.kind or 'no'} ending), "
                     f"highest dimension {top}%{tail}")
    if best_overall is not None:
        lines.append(f"    best run: {best_overall}%")
    for did, ending in c.unexercised.items():
        lines.append(f"    a run can reach `{ending}` without meeting `{did}`")
    return lines
