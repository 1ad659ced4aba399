"""The workshop's own interface strings, in French and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "joined": {"fr": "Vous avez rejoint la session {code} sous le nom « {name} ».",
               "en": "You joined session {code} as \"{name}\"."},
    "waiting": {"fr": "En attente de l'animateur…", "en": "Waiting for the facilitator…"},
    "vote_prompt": {"fr": "Votre vote ({low}-{high}) : ", "en": "Your vote ({low}-{high}): "},
    "voted": {"fr": "Vote enregistré : {choice}", "en": "Vote recorded: {choice}"},
    "vote_again": {"fr": "(tapez un autre numéro pour changer d'avis avant la clôture)",
                   "en": "(type another number to change your mind before the vote locks)"},
    "your_vote": {"fr": "Votre vote : {choice}", "en": "Your vote: {choice}"},
    "locked": {"fr": "Le vote est clos.", "en": "The vote is locked."},
    "too_late": {"fr": "Trop tard : le vote est clos.", "en": "Too late: the vote is locked."},
    "room_chose": {"fr": "Le groupe a choisi : {choice}", "en": "The room chose: {choice}"},
    "you_chose": {"fr": "Vous aviez voté : {choice}", "en": "You voted: {choice}"},
    "no_vote": {"fr": "Vous n'avez pas voté pour cette scène.",
                "en": "You did not vote on this scene."},
    "session_ended": {"fr": "La session est terminée.", "en": "The session has ended."},
    "personal": {"fr": "Votre débriefing personnel, d'après vos propres votes",
                 "en": "Your personal debrief, scored on your own votes"},
    "resumed": {"fr": "Reprise là où vous en étiez.", "en": "Resuming where you were."},
    "countdown": {"fr": "Clôture du vote dans {seconds} s", "en": "Vote locks in {seconds} s"},
    "code_label": {"fr": "Code de la session", "en": "Session code"},
    "name_label": {"fr": "Votre prénom", "en": "Your name"},
    "join": {"fr": "Rejoindre", "en": "Join"},
}


def w(key: str, lang: str, **values: object) -> str:
    entry = TEXTS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
