"""The workshop's own interface strings, in French and English."""

from __future__ import annotations

from sam_cowboy.messages import lookup

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
    "too_late": {"fr": "trop tard : le vote sur cette scène est clos",
                 "en": "too late: the vote on this scene is closed"},
    "closes_in": {"fr": "le vote se clôt dans {seconds} s",
                  "en": "the vote closes in {seconds} s"},
    "reconnecting": {"fr": "(reconnexion…)", "en": "(reconnecting…)"},
    "reconnected": {"fr": "(reconnecté)", "en": "(reconnected)"},
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
    "tally_open": {"fr": "Votes jusqu'ici (révélés par l'animateur) :",
                   "en": "Votes so far (revealed by the facilitator):"},
    "tally_final": {"fr": "Résultat du vote :", "en": "The room's votes:"},
    "vote_one": {"fr": "{n} vote", "en": "{n} vote"},
    "vote_many": {"fr": "{n} votes", "en": "{n} votes"},
    "vote_none": {"fr": "0 vote", "en": "0 votes"},
    "most_votes": {"fr": "le plus de votes", "en": "most votes"},
    "total_votes": {"fr": "Total : {votes}", "en": "Total: {votes}"},
    "anonymous_note": {"fr": "session anonyme : votre nom n'est pas enregistré",
                       "en": "anonymous session: your name is not stored"},
}


def w(key: str, lang: str, **values: object) -> str:
    return lookup(TEXTS, key, lang, **values)


def votes_words(n: int, lang: str) -> str:
    """`0 votes`, `1 vote`, `3 votes` (fr: `0 vote`, `1 vote`, `3 votes`)."""
    return w("vote_none" if n == 0 else "vote_one" if n == 1 else "vote_many", lang, n=n)


def tally_lines(labels: list[str], ids: list[str], tally: dict[str, int],
                lang: str) -> list[str]:
    """One line per choice: number, text, a bar of blocks, count and percent in words.

    `labels[i]` is the text of choice `ids[i]`. Nothing is said by colour alone: the
    leaders are marked in words, every count and percent is written out.
    """
    total = sum(tally.get(c, 0) for c in ids)
    top = max((tally.get(c, 0) for c in ids), default=0)
    lines = []
    for i, (cid, label) in enumerate(zip(ids, labels, strict=True), 1):
        n = tally.get(cid, 0)
        pct = round(100 * n / total) if total else 0
        bar = "█" * (round(20 * n / total) if total else 0)
        lead = f" ← {w('most_votes', lang)}" if n == top and n else ""
        lines.append(f" {i}. {label}: {bar}{' ' if bar else ''}{votes_words(n, lang)} "
                     f"({pct}%){lead}")
    lines.append(" " + w("total_votes", lang, votes=votes_words(total, lang)))
    return lines
