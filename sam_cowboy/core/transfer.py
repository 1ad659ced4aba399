"""The transfer step after a debrief: a reflection question, commitments, follow-ups.

Pure: it reads the episode, the finished state and the analysis, and returns texts and ids;
the caller (plain mode, the app, the store) asks, stores and shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sam_cowboy.core.analysis import Analysis
from sam_cowboy.core.debrief import Debrief, impact_weights
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
    points: float  # overall percent lost against the best option offered at that moment


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


def costs(episode: Episode, debrief: Debrief, analysis: Analysis) -> list[Cost]:
    """Each decision of the run with what it cost against the best option shown at that
    scene (direct score effects, weighted as the overall percent weighs them), worst first."""
    weights = impact_weights(episode, analysis.bounds or {})
    out = []
    for scene_id, choice_id in debrief.state.path:
        scene = episode.scenes.get(scene_id)
        chosen = scene.choice(choice_id) if scene else None
        if scene is None or chosen is None:
            continue

        def value(c: Choice) -> float:
            return sum(weights.get(d, 0.0) * v for d, v in c.effects.score.items())

        best = max(value(c) for c in scene.choices)
        out.append(Cost(scene_id, choice_id, best - value(chosen)))
    out.sort(key=lambda c: -c.points)
    return out


def proposals(episode: Episode, debrief: Debrief, analysis: Analysis, lang: str) -> Proposals:
    """The actions tied to the costliest decision that has some; else the weakest habit."""
    tr = episode.transfer
    if tr is not None:
        for cost in costs(episode, debrief, analysis):
            if cost.points > 0 and cost.scene in tr.actions:
                return Proposals(cost.scene, cost.choice,
                                 tuple(_text(a, lang, episode) for a in tr.actions[cost.scene]))
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
