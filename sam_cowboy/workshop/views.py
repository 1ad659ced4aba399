"""What the server tells its clients: a session's state as plain JSON-able dicts.

Everything here is data: texts are the episode's (placeholders filled, control characters
removed), Markdown left as written for the client to render as it can (the phone page and
the projector render emphasis, plain clients drop the marks). Trainer notes appear only in
the facilitator's view.
"""

from __future__ import annotations

import io
from typing import Any

from sam_cowboy.core import engine
from sam_cowboy.core.engine import FeedbackShown, ScoreChanged, State
from sam_cowboy.core.i18n import render, scene_paragraphs
from sam_cowboy.core.model import Episode
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


def outcome_view(episode: Episode, state: State, winner: str, lang: str) -> dict[str, Any]:
    """The room's choice at `state`, its feedback, and what each choice shown was worth
    (each participant reads their own from their vote)."""
    after, events = engine.choose(episode, state, winner)
    feedback = [render(e.text, lang, episode.default_language, e.variables)
                for e in events if isinstance(e, FeedbackShown)]
    worth: dict[str, list[list[Any]]] = {}
    for c in engine.choices_shown(episode, state):
        try:
            _, evs = (after, events) if c.id == winner else engine.choose(episode, state, c.id)
        except engine.EngineError:
            continue
        worth[c.id] = [[text_of(episode, episode.dimensions[e.dimension].label, lang), e.delta]
                       for e in evs if isinstance(e, ScoreChanged) and e.choice == c.id]
    choice = episode.scenes[state.scene].choice(winner)
    return {"winner": winner, "winner_text": text_of(episode, choice.text, lang, state)
            if choice else winner, "feedback": feedback, "worth": worth}


def debrief_lines(session: Session, participant_id: int, ui: str) -> list[str]:
    """A participant's personal debrief, scored on their own votes, as lines of text."""
    from sam_cowboy.plain import PlainPlayer

    out = io.StringIO()
    player = PlainPlayer(session.episode, session.analysis, session.lang, ui, out,
                         lambda: None)
    player.show_debrief(session.debrief_for(participant_id))
    return out.getvalue().strip("\n").splitlines()


def async_debrief_lines(session: Session, state: State, ui: str) -> list[str]:
    from sam_cowboy.core.debrief import build
    from sam_cowboy.plain import PlainPlayer

    out = io.StringIO()
    player = PlainPlayer(session.episode, session.analysis, session.lang, ui, out,
                         lambda: None)
    player.show_debrief(build(session.episode, state, session.analysis))
    return out.getvalue().strip("\n").splitlines()
