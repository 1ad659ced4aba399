"""The transfer step after a debrief: a reflection question, commitments, follow-ups.

Pure: it reads the episode, the finished state and the analysis, and returns texts and ids;
the caller (plain mode, the app, the store) asks, stores and shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.debrief import Debrief, impact_weights
from sam_cowboy.core.engine import State
from sam_cowboy.core.i18n import render
from sam_cowboy.core.model import Choice, Episode, Text

DUE_DAYS = 7
STATUSES = ("open", "done", "partly", "not yet")
FOLLOW_UP_ANSWERS = ("done", "partly", "not yet")  # 1, 2, 3 in plain mode

_DEFAULT_REFLECTION = {
    "fr": "À quel moment de votre propre travail cet épisode vous fait-il penser, et "
          "qu'y feriez-vous maintenant ?",
    "en": "Which moment of your own work does this episode remind you of, and what would "
          "you do there now?",
}


@dataclass(frozen=True)
class Cost:
    scene: str
    choice: str
    points: float  # overall percent lost against the option the cost is measured by (>= 0)
    left_best: bool = False  # the best run passed this scene and chose otherwise

    @property
    def costly(self) -> bool:
        """Worth a commitment: it lost points, or it left the best run, whose right choice
        may score less on the spot and pay later (a delayed payoff)."""
        return self.points > 0 or self.left_best


@dataclass(frozen=True)
class Proposals:
    scene: str | None  # the decision the proposals are tied to (None: the habit fallback)
    choice: str | None
    actions: tuple[str, ...]


def due_date(today: date, days: int = DUE_DAYS) -> date:
    return today + timedelta(days=days)


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD, else None."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def is_due(due: str, status: str, today: date) -> bool:
    """An open commitment whose date has passed: time to ask "Did you do it?"."""
    day = parse_day(due)
    return status == "open" and day is not None and today > day


def _text(t: Text, lang: str, episode: Episode) -> str:
    return render(t, lang, episode.default_language, episode.variables)


def reflection_question(episode: Episode, debrief: Debrief, lang: str) -> str:
    """The episode's own question, else a general one about the weakest dimension's habit."""
    tr = episode.transfer
    if tr is not None and tr.reflection is not None:
        return _text(tr.reflection, lang, episode)
    base = _DEFAULT_REFLECTION.get(lang, _DEFAULT_REFLECTION["en"])
    dim = episode.dimensions.get(debrief.weakest or "")
    if dim is not None and dim.habit is not None:
        return f"{_text(dim.habit, lang, episode)} {base}"
    return base


def shown_at_decisions(episode: Episode, state: State) -> list[list[Choice] | None]:
    """The choices shown at each decision of `state.path`, replayed from the episode's start
    with the run's season so that conditions see what the player's did. None for decisions
    the replay cannot reach (a test run begun mid-episode, a path the episode no longer
    allows): callers then measure against every choice of the scene."""
    shown: list[list[Choice] | None] = [None] * len(state.path)
    if state.test:
        return shown
    try:
        now, _ = engine.begin(episode, season=state.season.values or None)
        for i, (scene_id, choice_id) in enumerate(state.path):
            if now.scene != scene_id:
                break
            shown[i] = engine.choices_shown(episode, now)
            now, _ = engine.choose(episode, now, choice_id)
    except engine.EngineError:
        pass
    return shown


def costs(episode: Episode, debrief: Debrief, analysis: Analysis) -> list[Cost]:
    """Each decision of the run with what it cost (weighted as the overall percent weighs
    score effects), costliest first, then the earlier decision.

    Only the choices that were shown count: a hidden choice was never the player's to take.
    Where the best run (exact analysis) made a decision, it is the reference, since it knows
    the delayed payoffs a choice's direct effects miss: taking its choice costs nothing;
    leaving it costs the direct difference against its choice (or, if that was not shown,
    the best shown option), at least 0, and is `costly` even at 0. Scenes the best run
    never visits keep the direct difference against the best shown option."""
    weights = impact_weights(episode, analysis.bounds or {})

    def value(c: Choice) -> float:
        return sum(weights.get(d, 0.0) * v for d, v in c.effects.score.items())

    best_at: dict[str, str] = {}
    for scene_id, choice_id in (analysis.best_run.path if analysis.best_run else []):
        best_at.setdefault(scene_id, choice_id)
    ranked = []
    path = debrief.state.path
    for i, ((scene_id, choice_id), shown) in enumerate(
            zip(path, shown_at_decisions(episode, debrief.state), strict=True)):
        scene = episode.scenes.get(scene_id)
        chosen = scene.choice(choice_id) if scene else None
        if scene is None or chosen is None:
            continue
        offered = shown or list(scene.choices)
        best_choice = best_at.get(scene_id)
        reference = max(value(c) for c in offered)
        if best_choice == choice_id:
            ranked.append((0.0, i, Cost(scene_id, choice_id, 0.0)))
            continue
        if best_choice is not None:
            kept = next((c for c in offered if c.id == best_choice), None)
            if kept is not None:
                reference = value(kept)
        direct = reference - value(chosen)
        ranked.append((direct, i, Cost(scene_id, choice_id, max(direct, 0.0),
                                       best_choice is not None)))
    ranked.sort(key=lambda r: (not r[2].costly, -r[0], r[1]))
    return [cost for _, _, cost in ranked]


def proposals(episode: Episode, debrief: Debrief, analysis: Analysis, lang: str) -> Proposals:
    """The actions tied to the costliest decision that has some. When no decision cost
    anything (the best run's choices throughout), the actions of the run's first decision
    that has some: it was done right, keep doing it at work. Else the weakest habit."""
    tr = episode.transfer
    if tr is not None:
        costly = [(c.scene, c.choice) for c in costs(episode, debrief, analysis) if c.costly]
        for scene, choice in costly or debrief.state.path:
            if scene in tr.actions:
                return Proposals(scene, choice,
                                 tuple(_text(a, lang, episode) for a in tr.actions[scene]))
    dim = episode.dimensions.get(debrief.weakest or "")
    if dim is not None and dim.habit is not None:
        return Proposals(None, None, (_text(dim.habit, lang, episode),))
    return Proposals(None, None, ())


def story_only(feedback: str) -> str:
    """A consequence without its lesson, for assessment runs: the text before the first bold
    principle (`**…**`), which is where the feedback stops telling and starts teaching."""
    cut = feedback.find("**")
    return (feedback if cut < 0 else feedback[:cut]).rstrip()


def split_due(line: str, default: date) -> tuple[str, date]:
    """A commitment line and its date: a last word YYYY-MM-DD sets it, else `default`."""
    head, _, last = line.rpartition(" ")
    day = parse_day(last) if head.strip() else None
    return (head.strip(), day) if day is not None else (line, default)
