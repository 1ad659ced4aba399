"""UI strings of the app that sam_cowboy/messages.py does not have yet (same shape).

`SamApp.t` looks here first, then in `messages.MESSAGES`. They belong in messages.py's
"terminal app" section; they live here only because that file is shared.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
