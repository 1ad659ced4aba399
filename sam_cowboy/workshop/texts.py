"""The workshop's own interface strings, in French and English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.learning_plain import words as transfer_words
from sam_cowboy.messages import lookup, quote, t

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
    "composed": {"fr": "{n} message(s) composé(s) sur {of} participants",
                 "en": "{n} of {of} participants composed a message"},
    "top_messages": {"fr": "Les messages les plus choisis :",
                     "en": "The most-chosen messages:"},
    "room_message": {"fr": "Le message du groupe : {message}",
                     "en": "The room's message: {message}"},
    "your_message": {"fr": "Votre message : {message}", "en": "Your message: {message}"},
    "compose_send": {"fr": "Envoyer", "en": "Send"},
    "compose_clear": {"fr": "Effacer", "en": "Clear"},
    "skip": {"fr": "Passer", "en": "Skip"},
    "commit_own": {"fr": "Mon action", "en": "My own action"},
    "commit_date": {"fr": "Pour le (AAAA-MM-JJ)", "en": "By (YYYY-MM-DD)"},
    "committed": {"fr": "Engagement pris : {action} (pour le {due}).",
                  "en": "Committed: {action} (by {due})."},
    "not_recorded": {"fr": "non enregistré : {reason}", "en": "not recorded: {reason}"},
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


def top_messages(choices: list[dict[str, Any]], tally: dict[str, int], lang: str,
                 shown: Callable[[str], str] = strip_controls, top: int = 3) -> list[str]:
    """A compose scene's most-chosen messages, most votes first, each with its number (what
    `pick N` takes): ` 4. “message”: 2 votes`."""
    ranked = sorted((c for c in choices if tally.get(c["id"])),
                    key=lambda c: (-tally[c["id"]], c["n"]))
    return [f" {c['n']}. “{shown(c['text'])}”: {votes_words(tally[c['id']], lang)}"
            for c in ranked[:top]]


def compose_lines(s: dict[str, Any], shown: Callable[[str], str] = strip_controls) -> list[str]:
    """For the room on a compose scene: how many composed, the most-chosen messages (once
    the tally shows), the room's message (the most voted, or the facilitator's pick)."""
    lang = s["lang"]
    lines = [w("composed", lang, n=s["votes_cast"], of=s["participants"])]
    tally = s.get("tally") or {}
    if not (s["revealed"] or s["phase"] in ("decided", "ended")):
        return lines
    lines += [w("top_messages", lang), *top_messages(s["choices"], tally, lang, shown)]
    outcome = s.get("outcome")
    leaders = [c for c in s["choices"] if tally.get(c["id"]) and
               tally[c["id"]] == max(tally.values())]
    if outcome:
        lines.append(w("room_message", lang, message=shown(outcome["winner_text"])))
    elif len(leaders) == 1:
        lines.append(w("room_message", lang, message=shown(leaders[0]["text"])))
    return lines


def debrief_lines(d: dict[str, Any], ui: str,
                  shown: Callable[[str], str] = strip_controls) -> list[str]:
    """A participant's debrief (the server's view of the core Debrief) as lines, laid out as
    plain mode lays out its own: held-back lessons, questions, posture in words, key
    decisions against the best run, path beside the best run, what to practise. `shown`
    turns the episode's text into what this client prints."""
    colon = " : " if ui == "fr" else ": "
    out = [f"# {t('debrief', ui)}"]
    if d.get("held"):
        out.append(transfer_words(ui, "held") + colon.rstrip())
        out += [f"- {shown(x)}" for x in d["held"]]
        out.append("")
    if d["questions"]:
        out.append(t("questions", ui) + colon.rstrip())
        out += [f"- {shown(q)}" for q in d["questions"]]
        out.append("")
    out.append(t("posture", ui) + colon.rstrip())
    for dim in d["dimensions"]:
        value = f"{dim['percent']}% ({dim['level_words']})" if dim["exercised"] \
            else dim["level_words"]
        out.append(f"- {shown(dim['label'])}{colon}{value}")
    o = d["overall"]
    line = f"{t('overall', ui)}{colon}{o['percent']}% ({o['level_words']})"
    if o["label"]:
        line += f" — {shown(o['label'])}"
    out.append(line)
    if o["advice"]:
        out.append(shown(o["advice"]))
    if d["key_decisions"]:
        out += ["", t("key_decisions", ui) + colon.rstrip()]
        for k in d["key_decisions"]:
            changes = ", ".join(f"{v:+d} {shown(label)}" for label, v in k["changes"])
            best = {"never": t("best_never", ui), "same": t("best_same", ui)}.get(
                k["verdict"]) or t("best_did", ui, choice=shown(k["best_text"] or ""))
            changed = f" ({changes})" if changes else ""  # leaving the best run may score 0
            out.append(f"- {quote(shown(k['text']), ui)}{changed}; {best}")
    if d["path"]:
        out += ["", f"{t('your_path', ui)} / {t('best_run', ui)} ({d['best_overall']}%)"
                    f"{colon.rstrip()}"]
        absent = t("path_not_here", ui)
        for n, row in enumerate(d["path"], 1):
            mine = shown(row["mine"]) if row["mine"] else absent
            best = shown(row["best"]) if row["best"] else absent
            out.append(f"{n}. {mine} | {'=' if row['same'] else best}")
        out.append(t("same_legend", ui))
    weakest = d.get("weakest")
    if weakest:
        out += ["", t("weakest", ui, dimension=shown(weakest["label"]))]
        if weakest["habit"]:
            out.append(shown(weakest["habit"]))
    return out
