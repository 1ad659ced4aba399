"""Every string the interfaces show, in French and English. Episode text is not here."""

from __future__ import annotations

import locale
import os

LANGUAGES = ("fr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "choices": {"fr": "Vos choix :", "en": "Your choices:"},
    "prompt": {"fr": "Votre choix ({low}-{high}) : ", "en": "Your choice ({low}-{high}): "},
    "not_a_choice": {"fr": "Tapez un nombre de {low} à {high}, puis Entrée.",
                     "en": "Please type a number from {low} to {high}, then Enter."},
    "input_ended": {"fr": "Fin de la saisie avant la fin de l'épisode : à bientôt.",
                    "en": "Input ended before the end of the episode: see you soon."},
    "no_choice_left": {"fr": "Aucun choix n'est possible ici : l'épisode s'arrête.",
                       "en": "No choice is possible here: the episode stops."},
    "consequence": {"fr": "Conséquence", "en": "Consequence"},
    "the_end": {"fr": "Fin", "en": "The end"},
    "ending_good": {"fr": "fin positive", "en": "good ending"},
    "ending_mixed": {"fr": "fin mitigée", "en": "mixed ending"},
    "ending_bad": {"fr": "fin négative", "en": "bad ending"},
    "debrief": {"fr": "Débriefing", "en": "Debrief"},
    "questions": {"fr": "Pour réfléchir", "en": "To reflect on"},
    "posture": {"fr": "Votre posture", "en": "Your posture"},
    "overall": {"fr": "Posture globale", "en": "Overall posture"},
    "key_decisions": {"fr": "Les décisions qui ont compté", "en": "The decisions that mattered"},
    "best_did": {"fr": "le meilleur parcours : « {choice} »",
                 "en": "the best run: \"{choice}\""},
    "best_same": {"fr": "c'est aussi le choix du meilleur parcours",
                  "en": "the best run made the same choice"},
    "best_never": {"fr": "le meilleur parcours ne passe pas par là",
                   "en": "the best run never came here"},
    "your_path": {"fr": "Votre parcours", "en": "Your path"},
    "best_run": {"fr": "Le meilleur parcours", "en": "The best run"},
    "weakest": {"fr": "À travailler : {dimension}", "en": "To practise: {dimension}"},
    "raw": {"fr": "brut {raw}, de {low} à {high}", "en": "raw {raw}, from {low} to {high}"},
    "estimated": {"fr": "environ {minutes} min", "en": "about {minutes} min"},
    "objectives": {"fr": "Objectifs", "en": "Objectives"},
    "profile_card": {"fr": "Profil", "en": "Profile"},
    "post_card": {"fr": "Publication", "en": "Post"},
    "message_card": {"fr": "Message", "en": "Message"},
    "email_card": {"fr": "E-mail", "en": "Email"},
    "note_card": {"fr": "Note", "en": "Note"},
    "from": {"fr": "De", "en": "From"},
    "to": {"fr": "À", "en": "To"},
    "subject": {"fr": "Objet", "en": "Subject"},
    "reactions": {"fr": "Réactions", "en": "Reactions"},
    "stopped": {"fr": "Parcours interrompu avant une fin.",
                "en": "The run stopped before an ending."},
}


def t(key: str, lang: str, **values: object) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def system_language() -> str | None:
    """The user's language from the environment (LANGUAGE, LC_ALL, LANG), if we speak it."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        code = value.split(":")[0].split(".")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    try:
        code = (locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code in LANGUAGES else None


def ui_language(requested: str | None) -> str:
    if requested and requested.split("_")[0].split("-")[0].lower() in LANGUAGES:
        return requested.split("_")[0].split("-")[0].lower()
    return system_language() or "en"
