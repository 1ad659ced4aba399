"""Every string the interfaces show, in French and English. Episode text is not here."""

from __future__ import annotations

import locale
import os

from sam_cowboy.core.i18n import typeset

LANGUAGES = ("fr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "choices": {"fr": "Vos choix :", "en": "Your choices:"},
    "prompt": {"fr": "Votre choix ({low}-{high}) : ", "en": "Your choice ({low}-{high}): "},
    "compose_how": {"fr": "Votre message : {pick} numéros (sur {count}) reliés par +, dans "
                           "l'ordre du message (par exemple 1+3) :",
                    "en": "Your message: {pick} numbers (of {count}) joined by +, in the "
                          "message's order (for example 1+3):"},
    "compose_again": {"fr": "Tapez {pick} numéros différents, de 1 à {count}, reliés par + "
                            "(par exemple 1+3), puis Entrée.",
                      "en": "Please type {pick} different numbers from 1 to {count}, joined by + "
                            "(for example 1+3), then Enter."},
    "not_a_choice": {"fr": "Tapez un nombre de {low} à {high}, puis Entrée.",
                     "en": "Please type a number from {low} to {high}, then Enter."},
    "plain_help": {"fr": "Tapez le numéro d'un choix ({low} à {high}) puis Entrée ; q pour "
                         "quitter (la partie en texte simple n'est pas enregistrée).",
                   "en": "Type the number of a choice ({low} to {high}), then Enter; q to "
                         "leave (a plain-text run is not saved)."},
    "plain_leave": {"fr": "(q pour quitter, ? pour l'aide)", "en": "(q to leave, ? for help)"},
    "plain_bye": {"fr": "Vous quittez l'épisode : à bientôt.",
                  "en": "You left the episode: see you soon."},
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
    "level_strong": {"fr": "solide", "en": "strong"},
    "level_good": {"fr": "bien engagé", "en": "on track"},
    "level_developing": {"fr": "en progrès", "en": "developing"},
    "level_weak": {"fr": "à travailler", "en": "to work on"},
    "level_not_seen": {"fr": "pas vu sur ce parcours", "en": "not seen on this path"},
    "not_seen_explain": {"fr": "Aucune décision de ce parcours ne portait sur ce point.",
                         "en": "No decision on this path bore on it."},
    "path_scene": {"fr": "Étape", "en": "Scene"},
    "path_not_here": {"fr": "(pas passé par là)", "en": "(did not come here)"},
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
    # ---- terminal app (sam_cowboy.tui) ----
    "app_title": {"fr": "Sam le Social Cowboy", "en": "Sam the Social Cowboy"},
    "library_title": {"fr": "Vos épisodes", "en": "Your episodes"},
    "hello_player": {"fr": "Bonjour {player} !", "en": "Hello {player}!"},
    "episode_number": {"fr": "Épisode {number}", "en": "Episode {number}"},
    "status_new": {"fr": "Nouveau", "en": "New"},
    "status_progress": {"fr": "En cours", "en": "In progress"},
    "status_done": {"fr": "Terminé · meilleur score {percent} %",
                    "en": "Completed · best {percent}%"},
    "status_locked": {"fr": "Verrouillé", "en": "Locked"},
    "status_broken": {"fr": "Indisponible", "en": "Unavailable"},
    "locked_explain": {"fr": "Pour ouvrir cet épisode, terminez d'abord : {episodes}.",
                       "en": "To open this episode, first finish: {episodes}."},
    "broken_explain": {"fr": "Cet épisode contient des erreurs et ne peut pas être joué. "
                             "Votre formateur peut les voir avec : sam-cowboy check {file}",
                       "en": "This episode has errors and cannot be played. Your trainer "
                             "can list them with: sam-cowboy check {file}"},
    "loading": {"fr": "Chargement des épisodes…", "en": "Loading episodes…"},
    "empty_library": {"fr": "Aucun épisode trouvé.", "en": "No episode found."},
    "open_hint": {"fr": "Appuyez sur Entrée pour ouvrir cet épisode.",
                  "en": "Press Enter to open this episode."},
    "audience": {"fr": "Pour qui", "en": "Who it is for"},
    "summary": {"fr": "De quoi ça parle", "en": "What it is about"},
    "start": {"fr": "Commencer", "en": "Start"},
    "start_hint": {"fr": "Appuyez sur Entrée pour commencer.", "en": "Press Enter to start."},
    "preparing": {"fr": "Préparation…", "en": "Getting ready…"},
    "practice_mode": {"fr": "Mode entraînement", "en": "Practice mode"},
    "practice_explain": {"fr": "En mode entraînement, vous pouvez annuler un choix (touche u). "
                               "Ce parcours ne compte pas dans vos résultats.",
                         "en": "In practice mode you can undo a choice (key u). This run does "
                               "not count in your results."},
    "practice_tag": {"fr": "ENTRAÎNEMENT", "en": "PRACTICE"},
    "practice_later": {"fr": "Le mode entraînement s'appliquera au prochain parcours.",
                       "en": "Practice mode will apply to your next run."},
    "practice_now": {"fr": "Mode entraînement activé : ce parcours ne comptera pas.",
                     "en": "Practice mode on: this run will not count."},
    "resume_title": {"fr": "Bon retour !", "en": "Welcome back!"},
    "resume_body": {"fr": "Vous étiez dans {episode}, à l'étape {scene}, "
                          "après {count} choix. Voulez-vous reprendre là où vous en étiez ?",
                    "en": "You were playing {episode}, at {scene}, after {count} "
                          "choice(s). Would you like to continue where you left off?"},
    "resume_yes": {"fr": "Reprendre", "en": "Continue"},
    "resume_restart": {"fr": "Recommencer", "en": "Start over"},
    "resume_later": {"fr": "Plus tard", "en": "Not now"},
    "resume_failed": {"fr": "L'épisode a changé depuis votre dernière partie : "
                            "il reprend depuis le début.",
                      "en": "The episode changed since you last played: it starts again "
                            "from the beginning."},
    "you_chose": {"fr": "Vous avez choisi", "en": "You chose"},
    "continue": {"fr": "Continuer", "en": "Continue"},
    "continue_hint": {"fr": "Appuyez sur Entrée ou Espace pour continuer.",
                      "en": "Press Enter or Space to continue."},
    "no_change": {"fr": "Aucun effet sur votre posture.", "en": "No effect on your posture."},
    "posture_changes": {"fr": "Effets sur votre posture", "en": "Effect on your posture"},
    "up_word": {"fr": "en hausse", "en": "up"},
    "down_word": {"fr": "en baisse", "en": "down"},
    "undo_done": {"fr": "Dernier choix annulé.", "en": "Last choice undone."},
    "undo_nothing": {"fr": "Rien à annuler pour l'instant.", "en": "Nothing to undo yet."},
    "undo_practice_only": {"fr": "Annuler un choix n'est possible qu'en mode entraînement "
                                 "(réglages : touche s).",
                           "en": "Undo is only available in practice mode (settings: key s)."},
    "saved_bye": {"fr": "Progression enregistrée. Pour reprendre plus tard, tapez : {command}",
                  "en": "Progress saved. To continue later, type: {command}"},
    "analysing": {"fr": "Calcul des scores possibles de l'épisode…",
                  "en": "Working out the episode's possible scores…"},
    "bye": {"fr": "À bientôt !", "en": "See you soon!"},
    "result_saved": {"fr": "Résultat enregistré dans votre historique.",
                     "en": "Result saved in your history."},
    "result_not_saved": {"fr": "Résultat NON enregistré : le disque a refusé l'écriture.",
                         "en": "Result NOT saved: the disk refused the write."},
    "practice_not_counted": {"fr": "Parcours d'entraînement : il ne compte pas dans vos "
                                   "résultats.",
                             "en": "Practice run: it does not count in your results."},
    "replay": {"fr": "Rejouer", "en": "Play again"},
    "next_episode": {"fr": "Épisode suivant", "en": "Next episode"},
    "library": {"fr": "Bibliothèque", "en": "Library"},
    "step": {"fr": "Étape", "en": "Step"},
    "same_choice": {"fr": "= même choix", "en": "= same choice"},
    "overall_short": {"fr": "Global", "en": "Overall"},
    "ending_line": {"fr": "Fin : {title}", "en": "The end: {title}"},
    "cannot_play": {"fr": "Cet épisode ne peut pas être joué : {error}",
                    "en": "This episode cannot be played: {error}"},
    "key_choose": {"fr": "Choisir", "en": "Choose"},
    "key_move": {"fr": "Parcourir", "en": "Move"},
    "key_open": {"fr": "Ouvrir", "en": "Open"},
    "key_start": {"fr": "Commencer", "en": "Start"},
    "key_continue": {"fr": "Continuer", "en": "Continue"},
    "key_undo": {"fr": "Annuler", "en": "Undo"},
    "key_posture": {"fr": "Posture", "en": "Posture"},
    "key_read": {"fr": "Lire tout", "en": "Read all"},
    "key_back_to_choices": {"fr": "Vos choix", "en": "Your choices"},
    "story_more": {"fr": "▲ Le texte au-dessus ne tient pas ici : touche t pour le lire en entier.",
                   "en": "▲ The story above does not fit here: press t to read it all."},
    "reading_hint": {"fr": "Touche t (ou Entrée) pour revenir à vos choix.",
                     "en": "Press t (or Enter) to go back to your choices."},
    "feedback_more": {"fr": "▼ suite : ↓ ou Pg.Suiv.", "en": "▼ more below: ↓ or PgDn"},
    "key_help": {"fr": "Aide", "en": "Help"},
    "key_settings": {"fr": "Réglages", "en": "Settings"},
    "key_quit": {"fr": "Quitter", "en": "Quit"},
    "key_library": {"fr": "Bibliothèque", "en": "Library"},
    "key_replay": {"fr": "Rejouer", "en": "Replay"},
    "key_next": {"fr": "Suivant", "en": "Next"},
    "key_close": {"fr": "Fermer", "en": "Close"},
    "key_scroll": {"fr": "Défiler", "en": "Scroll"},
    "key_practice": {"fr": "Entraînement", "en": "Practice"},
    "help_title": {"fr": "Aide", "en": "Help"},
    "help_how": {"fr": "Comment jouer", "en": "How to play"},
    "help_body": {
        "fr": "Lisez la scène, puis choisissez ce que fait Sam :\n"
              "• tapez le numéro d'un choix (1 à 9),\n"
              "• ou déplacez-vous avec les flèches ↑ ↓ puis appuyez sur Entrée,\n"
              "• ou cliquez sur un choix avec la souris.\n"
              "Après un choix, lisez la conséquence, puis appuyez sur Entrée ou Espace.\n"
              "Le panneau « Votre posture » montre, de 0 % à 100 %, comment évolue la "
              "posture de Sam sur chaque axe. Il n'y a pas de piège : on apprend en essayant.",
        "en": "Read the scene, then choose what Sam does:\n"
              "• type the number of a choice (1 to 9),\n"
              "• or move with the ↑ ↓ arrows and press Enter,\n"
              "• or click a choice with the mouse.\n"
              "After a choice, read the consequence, then press Enter or Space.\n"
              "The “Your posture” panel shows, from 0% to 100%, how Sam's posture evolves "
              "on each dimension. There is no trap: you learn by trying."},
    "help_keys": {"fr": "Touches", "en": "Keys"},
    "help_key_lines": {
        "fr": "1 à 9 : choisir\n↑ ↓ et Entrée : choisir\nEntrée ou Espace : continuer\n"
              "Message à composer : 1 à 9 ou Espace prennent ou retirent un morceau, "
              "Retour arrière retire le dernier, Entrée envoie\n"
              "Page préc. / Page suiv. : faire défiler le texte\np : afficher ou masquer la posture\n"
              "u : annuler le dernier choix (mode entraînement)\nt : une action pour le travail "
              "(après le bilan)\ns : réglages (langue, contraste, entraînement, évaluation)\n"
              "? ou F1 : cette aide\nÉchap : fermer une fenêtre\n"
              "q : enregistrer et quitter",
        "en": "1 to 9: choose\n↑ ↓ and Enter: choose\nEnter or Space: continue\n"
              "A message to build: 1 to 9 or Space pick or remove a piece, "
              "Backspace removes the last one, Enter sends it\n"
              "Page Up / Page Down: scroll the text\np: show or hide the posture panel\n"
              "u: undo the last choice (practice mode)\nt: an action for work (after the "
              "debrief)\ns: settings (language, contrast, practice, assessment)\n"
              "? or F1: this help\nEscape: close a window\nq: save and quit"},
    "help_saving": {"fr": "Votre progression est enregistrée après chaque choix : vous pouvez "
                          "quitter à tout moment et reprendre plus tard.",
                    "en": "Your progress is saved after every choice: you can quit at any "
                          "time and continue later."},
    "help_plain": {"fr": "Lecteur d'écran ? Utilisez : sam-cowboy play ÉPISODE --plain",
                   "en": "Screen reader? Use: sam-cowboy play EPISODE --plain"},
    "settings_title": {"fr": "Réglages", "en": "Settings"},
    "settings_language": {"fr": "Langue", "en": "Language"},
    "settings_theme": {"fr": "Affichage", "en": "Display"},
    "theme_calm": {"fr": "Calme (fond sombre)", "en": "Calm (dark background)"},
    "theme_light": {"fr": "Clair (fond blanc)", "en": "Light (white background)"},
    "theme_contrast": {"fr": "Contraste élevé", "en": "High contrast"},
    "settings_sidebar": {"fr": "Afficher le panneau de posture",
                         "en": "Show the posture panel"},
    "settings_practice": {"fr": "Mode entraînement (annuler un choix, parcours non compté)",
                          "en": "Practice mode (undo a choice, run not counted)"},
    "about": {"fr": "Infos", "en": "About"},
    "same_legend": {"fr": "= même choix que le meilleur parcours",
                    "en": "= same choice as the best run"},
    "close": {"fr": "Fermer", "en": "Close"},
    # the terminal app: test runs, reloads, results

    "test_tag": {"fr": "ESSAI", "en": "TEST RUN"},
    "test_explain": {"fr": "Essai : départ à l'étape « {scene} »{values}. Ce parcours n'est "
                           "ni enregistré comme résultat ni repris plus tard.",
                     "en": "Test run: starts at “{scene}”{values}. This run is never kept as "
                           "a result or resumed later."},
    "test_values": {"fr": ", avec {values}", "en": ", with {values}"},
    "test_not_counted": {"fr": "Parcours d'essai (--at / --set) : il ne compte pas dans vos "
                               "résultats.",
                         "en": "Test run (--at / --set): it does not count in your results."},
    "results_problem": {"fr": "Les résultats ne sont pas enregistrés : {error}",
                        "en": "Results are not being recorded: {error}"},
    "problems_title": {"fr": "Cet épisode contient des erreurs",
                       "en": "This episode has errors"},
    "problems_watch": {"fr": "Corrigez le fichier et enregistrez-le : l'épisode se recharge "
                             "tout seul.",
                       "en": "Fix the file and save it: the episode reloads by itself."},
    "problems_quit": {"fr": "Il ne peut pas être joué. Appuyez sur q pour quitter.",
                      "en": "It cannot be played. Press q to quit."},
    "problems_more": {"fr": "… et {count} de plus", "en": "… and {count} more"},
    "reloaded": {"fr": "Épisode rechargé : vous êtes toujours à la même étape.",
                 "en": "Episode reloaded: you are still at the same scene."},
    "reloaded_intro": {"fr": "Épisode rechargé.", "en": "Episode reloaded."},
    "reloaded_restart": {"fr": "Épisode rechargé. Votre parcours ne passe plus par là : il "
                               "reprend calmement depuis le début.",
                         "en": "Episode reloaded. Your path no longer exists in it, so the "
                               "run starts again from the beginning."},
    "reloaded_fixed": {"fr": "Épisode rechargé : les erreurs sont corrigées.",
                       "en": "Episode reloaded: the errors are fixed."},
    "watching": {"fr": "SUIVI", "en": "WATCHING"},
    "pending": {"fr": "calcul…", "en": "working…"},
}


def lookup(table: dict[str, dict[str, str]], key: str, lang: str, **values: object) -> str:
    """`table[key]` in `lang` (English when missing), with `{name}` values filled in."""
    entry = table[key]
    text = entry.get(lang) or entry["en"]
    return typeset(text.format(**values) if values else text, lang if lang in entry else "en")


def t(key: str, lang: str, **values: object) -> str:
    return lookup(MESSAGES, key, lang, **values)


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


_QUOTES = "\"'“”«»‘’„"


def quote(text: str, lang: str) -> str:
    """`text` between the language's quotation marks, unless it already is between quotes
    (a choice that is a line of dialogue would show them twice)."""
    stripped = text.strip()
    if len(stripped) > 1 and stripped[0] in _QUOTES and stripped[-1] in _QUOTES:
        return typeset(text, lang)
    return typeset(f"« {text} »" if lang == "fr" else f"“{text}”", lang)


def colon(label: str, lang: str) -> str:
    """`Label: ` (in French `Label : `, the colon glued to its word)."""
    return typeset(f"{label} : " if lang == "fr" else f"{label}: ", lang)
