"""What the server tells its clients: a session's state as plain JSON-able dicts.

Everything here is data: texts are the episode's (placeholders filled, control characters
removed), Markdown left as written for the client to render as it can (the phone page and
the projector render emphasis, plain clients drop the marks). Trainer notes appear only in
the facilitator's view.
"""

from __future__ import annotations

from typing import Any

from sam_cowboy.core import engine, transfer
from sam_cowboy.core.debrief import Debrief
from sam_cowboy.core.engine import FeedbackShown, ScoreChanged, State
from sam_cowboy.core.i18n import render, scene_paragraphs
from sam_cowboy.core.model import Episode
from sam_cowboy.messages import t
from sam_cowboy.results import learning
from sam_cowboy.results.base import Row
from sam_cowboy.workshop.session import Session


def text_of(episode: Episode, text: Any, lang: str, state: State | None = None) -> str:
    return render(text, lang, episode.default_language,
                  state.variables if state is not None else episode.variables)


def scene_view(episode: Episode, state: State, lang: str) -> dict[str, Any]:
    """A scene as shown to everyone: title, paragraphs, card, ending (no trainer notes)."""
    scene = episode.scenes[state.scene]
    view: dict[str, Any] = {
        "id": scene.id,
        "title": text_of(episode, scene.title, lang, state) if scene.title else "",
        "paragraphs": scene_paragraphs(episode, scene, lang, state),
        "card": None, "ending": None,
    }
    if scene.card is not None:
        view["card"] = {"kind": scene.card.kind,
                        "fields": {k: text_of(episode, v, lang, state)
                                   for k, v in scene.card.fields.items()}}
    if scene.ending is not None:
        view["ending"] = {"kind": scene.ending.kind,
                          "title": text_of(episode, scene.ending.title, lang, state)
                          if scene.ending.title else ""}
    return view


def choices_view(episode: Episode, state: State, lang: str) -> list[dict[str, Any]]:
    return [{"n": i, "id": c.id, "text": text_of(episode, c.text, lang, state)}
            for i, c in enumerate(engine.choices_shown(episode, state), 1)]


def outcome_view(episode: Episode, state: State, winner: str, lang: str,
                 assess: bool = False) -> dict[str, Any]:
    """The room's choice at `state`, its feedback, and what each choice shown was worth
    (each participant reads their own from their vote). In an assessment the feedback keeps
    its story only and no choice's worth is told (both wait for the debrief)."""
    after, events = engine.choose(episode, state, winner)
    feedback = [render(e.text, lang, episode.default_language, e.variables)
                for e in events if isinstance(e, FeedbackShown)]
    worth: dict[str, list[list[Any]]] = {}
    for c in [] if assess else engine.choices_shown(episode, state):
        try:
            _, evs = (after, events) if c.id == winner else engine.choose(episode, state, c.id)
        except engine.EngineError:
            continue
        worth[c.id] = [[text_of(episode, episode.dimensions[e.dimension].label, lang), e.delta]
                       for e in evs if isinstance(e, ScoreChanged) and e.choice == c.id]
    if assess:
        feedback = [story for story in map(transfer.story_only, feedback) if story]
    choice = episode.scenes[state.scene].choice(winner)
    return {"winner": winner, "winner_text": text_of(episode, choice.text, lang, state)
            if choice else winner, "feedback": feedback, "worth": worth}


def compose_view(episode: Episode, state: State, lang: str) -> dict[str, Any] | None:
    """A compose scene's fragments (numbered as shown) and how many to pick; None for a
    scene of plain choices. Each participant's vote is the composition they build."""
    spec = episode.scenes[state.scene].compose if state.ending is None else None
    if spec is None:
        return None
    return {"prompt": text_of(episode, spec.prompt, lang, state) if spec.prompt else "",
            "pick_min": spec.pick_min, "pick_max": spec.pick_max, "ordered": spec.ordered,
            "separator": spec.separator,
            "fragments": [{"n": i, "id": f.id, "text": text_of(episode, f.text, lang, state)}
                          for i, f in enumerate(engine.fragments_shown(episode, state), 1)]}


def composition_id(episode: Episode, state: State, fragment_ids: list[str]) -> str | None:
    """The choice id of the message made of `fragment_ids` (in the order given), as the
    loader names compositions; None if the scene does not allow that message."""
    try:
        after, _ = engine.compose(episode, state, fragment_ids)
    except engine.EngineError:
        return None
    return after.path[-1][1]


def held_lessons(episode: Episode, path: list[tuple[str, str]], lang: str) -> list[str]:
    """The whole feedback of each decision of `path`: what an assessment held back."""
    state, _ = engine.begin(episode)
    out = []
    for _, choice in path:
        state, events = engine.choose(episode, state, choice)
        out += [render(e.text, lang, episode.default_language, e.variables)
                for e in events if isinstance(e, FeedbackShown)]
    return out


def debrief_view(session: Session, debrief: Debrief, lang: str, run: Row | None,
                 held: list[str] | None = None) -> dict[str, Any]:
    """The core debrief's public fields, with the texts a participant reads (in the
    session's language), and the transfer step: the reflection question, the proposals tied
    to the costliest decision, the default date, and what this run already stored."""
    ep = session.episode

    def text(value: Any) -> str:
        return text_of(ep, value, lang, debrief.state)

    def choice_text(scene_id: str, choice_id: str | None) -> str | None:
        if choice_id is None:
            return None
        choice = ep.scenes[scene_id].choice(choice_id)
        return text(choice.text) if choice else choice_id

    weakest = ep.dimensions.get(debrief.weakest or "")
    offer = transfer.proposals(ep, debrief, session.analysis, lang)
    stored = None
    if run is not None:
        rows = learning.run_commitments(session.store, int(run["id"]))
        if rows:
            stored = {"action": rows[0]["action"], "due": rows[0]["due"]}
    return {
        "questions": [text(q) for q in ep.debrief],
        "dimensions": [{"id": d.id, "label": text(ep.dimensions[d.id].label),
                        "percent": d.percent, "exercised": d.exercised, "level": d.level,
                        "level_words": t(f"level_{d.level}", lang)}
                       for d in debrief.dimensions],
        "overall": {"percent": debrief.overall, "level": debrief.overall_level,
                    "level_words": t(f"level_{debrief.overall_level}", lang),
                    "label": text(debrief.profile.label) if debrief.profile else None,
                    "advice": text(debrief.profile.advice)
                    if debrief.profile and debrief.profile.advice else None},
        "key_decisions": [{"scene": k.scene, "choice": k.choice,
                           "text": choice_text(k.scene, k.choice),
                           "changes": [[text(ep.dimensions[d].label), v]
                                       for d, v in k.changes.items() if v],
                           "verdict": k.verdict,
                           "best_text": choice_text(k.scene, k.best_choice)}
                          for k in debrief.key_decisions],
        "path": [{"scene": r.scene, "mine": choice_text(r.scene, r.mine),
                  "best": choice_text(r.scene, r.best), "same": r.same}
                 for r in debrief.path],
        "best_overall": debrief.best_overall,
        "weakest": None if weakest is None else {
            "id": weakest.id, "label": text(weakest.label),
            "habit": text(weakest.habit or weakest.description)
            if (weakest.habit or weakest.description) else None},
        "held": held or [],
        "transfer": {
            "question": transfer.reflection_question(ep, debrief, lang),
            "about": choice_text(offer.scene, offer.choice) if offer.scene else None,
            "proposals": list(offer.actions),
            "due": transfer.due_date(learning.today()).isoformat(),
            "reflection": run.get("reflection") if run is not None else None,
            "commitment": stored,
        },
    }
