"""Plain mode's transfer step and assessment mode, on top of the plain player.

- before the episode: "Did you do it?" for each open commitment whose date has passed
  (1 done, 2 partly, 3 not yet, then an optional note line);
- after the ending: one line answers the reflection question (empty: skip), the numbers,
  then one line picks a proposed commitment by number or writes its own (empty: skip);
- with assess: consequences keep their story, but score changes and principles wait for
  the debrief.
End of input skips whatever is left. Answers are stored raw and printed without controls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TextIO

from sam_cowboy.core import transfer
from sam_cowboy.core.debrief import Debrief
from sam_cowboy.core.engine import Event, FeedbackShown, State
from sam_cowboy.core.i18n import render
from sam_cowboy.core.safe_text import strip_controls
from sam_cowboy.plain import PlainPlayer, plain_markdown
from sam_cowboy.results import learning
from sam_cowboy.results.store import Store, StoreError

WORDS = {
    "en": {
        "did_you": "Did you do it? You committed on {episode} to: {action} (by {due})",
        "statuses": "  1. done  2. partly  3. not yet",
        "pick": "Your answer (1-3, empty line: ask me later): ",
        "note": "A note (optional, empty line: none): ",
        "recorded": "Recorded: {status}.",
        "reflect": "Before the numbers, one question",
        "answer": "Your answer (one line, empty line: skip): ",
        "commit": "One action for work, by {due}",
        "commit_on": "One action for work, by {due}; it is about this decision: \"{choice}\"",
        "own": "  or write your own action",
        "commit_pick": "Your commitment (a number or your own words, then a date "
                       "YYYY-MM-DD if not in 7 days; empty line: skip): ",
        "committed": "Committed: {action} (by {due}). `sam-cowboy commitments` lists it.",
        "assess": "Assessment: scores and lessons are shown at the end.",
        "held": "What each consequence taught",
        "done": "done", "partly": "partly", "not yet": "not yet",
        # the app (sam_cowboy/tui): the same steps with fields, buttons and keys
        "app_answer": "Your answer",
        "app_reflect_hint": "Enter: keep the answer and see the numbers · Esc: skip",
        "app_keep": "keep the answer", "app_skip_key": "skip",
        "app_commit_key": "commit",
        "app_commit_button": "Choose my action (t)",
        "app_commit_hint": "Pick one of these or write your own, and its date.",
        "app_commit_title": "One action for work",
        "app_about": "It is about this decision: “{choice}”",
        "app_own": "Or write your own action",
        "app_by": "By (YYYY-MM-DD):",
        "app_bad_date": "“{text}” is not a date this screen can read: write it as "
                        "YYYY-MM-DD, for example {example}.",
        "app_past_date": "{day} has already passed: choose today or a later day.",
        "app_no_action": "Pick an action in the list or write your own (Esc: skip).",
        "app_save": "Commit", "app_skip": "Skip",
        "app_commit_keys": "↑↓ pick · Tab next field · Enter commit · Esc skip",
        "app_later": "Ask me later",
        "app_note": "A note (optional)",
        "app_pick_hint": "1, 2 or 3 (or a button) · Esc: ask me later",
        "app_note_hint": "Your answer: {status}. Enter: record it (with the note if you "
                         "wrote one) · Esc: ask me later",
        "app_record": "Record",
        "app_of": "{n} of {total}",
        "app_assess_setting": "Assessment: scores and lessons at the end",
        "app_assess_next": "The assessment setting applies from the next run.",
    },
    "fr": {
        "did_you": "L'avez-vous fait ? Vous vous étiez engagé sur {episode} à : {action} "
                   "(pour le {due})",
        "statuses": "  1. fait  2. en partie  3. pas encore",
        "pick": "Votre réponse (1-3, ligne vide : plus tard) : ",
        "note": "Une note (facultative, ligne vide : aucune) : ",
        "recorded": "Noté : {status}.",
        "reflect": "Avant les chiffres, une question",
        "answer": "Votre réponse (une ligne, ligne vide : passer) : ",
        "commit": "Une action au travail, pour le {due}",
        "commit_on": "Une action au travail, pour le {due} ; elle porte sur cette décision : "
                     "« {choice} »",
        "own": "  ou écrivez votre propre action",
        "commit_pick": "Votre engagement (un numéro ou vos mots, puis une date AAAA-MM-JJ "
                       "si ce n'est pas dans 7 jours ; ligne vide : passer) : ",
        "committed": "Engagement pris : {action} (pour le {due}). `sam-cowboy commitments` "
                     "le liste.",
        "assess": "Évaluation : scores et leçons sont montrés à la fin.",
        "held": "Ce que chaque conséquence enseignait",
        "done": "fait", "partly": "en partie", "not yet": "pas encore",
        "app_answer": "Votre réponse",
        "app_reflect_hint": "Entrée : garder la réponse et voir les chiffres · Échap : passer",
        "app_keep": "garder la réponse", "app_skip_key": "passer",
        "app_commit_key": "s'engager",
        "app_commit_button": "Choisir mon action (t)",
        "app_commit_hint": "Choisissez-en une ou écrivez la vôtre, et sa date.",
        "app_commit_title": "Une action au travail",
        "app_about": "Elle porte sur cette décision : « {choice} »",
        "app_own": "Ou écrivez votre propre action",
        "app_by": "Pour le (AAAA-MM-JJ) :",
        "app_bad_date": "« {text} » n'est pas une date lisible ici : écrivez-la "
                        "AAAA-MM-JJ, par exemple {example}.",
        "app_past_date": "Le {day} est déjà passé : choisissez aujourd'hui ou un jour "
                         "suivant.",
        "app_no_action": "Choisissez une action dans la liste ou écrivez la vôtre "
                         "(Échap : passer).",
        "app_save": "M'engager", "app_skip": "Passer",
        "app_commit_keys": "↑↓ choisir · Tab champ suivant · Entrée s'engager · Échap passer",
        "app_later": "Me redemander plus tard",
        "app_note": "Une note (facultative)",
        "app_pick_hint": "1, 2 ou 3 (ou un bouton) · Échap : me redemander plus tard",
        "app_note_hint": "Votre réponse : {status}. Entrée : l'enregistrer (avec la note si "
                         "vous en avez écrit une) · Échap : me redemander plus tard",
        "app_record": "Enregistrer",
        "app_of": "{n} sur {total}",
        "app_assess_setting": "Évaluation : scores et leçons à la fin",
        "app_assess_next": "Le réglage d'évaluation s'applique à partir de la prochaine "
                           "partie.",
    },
}


def words(lang: str, key: str, **values: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key].format(**values)


def shown(s: str) -> str:
    """Typed or stored text as printed: one line, no controls."""
    return " ".join(strip_controls(s).split())


class Asker:
    """Prompts and reads one line at a time; None once input has ended."""

    def __init__(self, out: TextIO, read_line: Callable[[], str | None], ui: str) -> None:
        self.out = out
        self.read_line = read_line
        self.ui = ui
        self.ended = False

    def say(self, line: str = "") -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def ask(self, prompt_key: str) -> str | None:
        if self.ended:
            return None
        self.out.write(words(self.ui, prompt_key))
        self.out.flush()
        line = self.read_line()
        if line is None:
            self.ended = True
            self.say()
            return None
        answer = line.rstrip("\r\n")
        self.say(shown(answer))
        return answer


def ask_follow_ups(store: Store | None, player: str, asker: Asker,
                   today: date) -> int:
    """Ask about every open commitment of `player` past its date; return how many answered."""
    if store is None:
        return 0
    answered = 0
    for row in learning.commitments(store, player=player):
        if not transfer.is_due(row["due"], row["status"], today):
            continue
        asker.say(words(asker.ui, "did_you", episode=shown(row["episode_id"]),
                        action=shown(row["action"]), due=row["due"]))
        asker.say(words(asker.ui, "statuses"))
        status = None
        while status is None:
            line = asker.ask("pick")
            if line is None or not line.strip():
                break
            if line.strip() in ("1", "2", "3"):
                status = transfer.FOLLOW_UP_ANSWERS[int(line.strip()) - 1]
        if status is None:
            asker.say()
            if asker.ended:
                break
            continue
        note = asker.ask("note")
        learning.follow_up(store, int(row["id"]), status, note.strip() or None if note else None,
                           today)
        asker.say(words(asker.ui, "recorded", status=words(asker.ui, status)))
        asker.say()
        answered += 1
    return answered


class TransferPlainPlayer(PlainPlayer):
    """The plain player with the transfer step in its debrief, and assessment mode."""

    assess = False
    today: date = date.min
    store: Store | None = None
    player = "player"
    run_id: Callable[[], int | None] = staticmethod(lambda: None)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.asker = Asker(self.out, self.read_line, self.ui)
        self.held: list[str] = []

    def intro(self) -> None:
        super().intro()
        if self.assess:
            self.say(words(self.ui, "assess"))
            self.say()

    def show_events(self, events: list[Event], state: State) -> None:
        if not self.assess:
            super().show_events(events, state)
            return
        for event in events:
            if isinstance(event, FeedbackShown):
                full = render(event.text, self.lang, self.episode.default_language,
                              event.variables)
                self.held.append(full)
                story = transfer.story_only(full)
                if story:
                    self.say()
                    self.say(words_consequence(self.ui) + self.colon + plain_markdown(story))

    def show_debrief(self, debrief: Debrief) -> None:
        self.reflect(debrief)
        if self.held:
            self.say()
            self.say(words(self.ui, "held") + self.colon.rstrip())
            for text in self.held:
                self.say(f"- {plain_markdown(text)}")
        super().show_debrief(debrief)
        self.commit(debrief)

    def _store_call(self, action: Callable[[Store, int], object]) -> None:
        run_id = self.run_id()
        if self.store is None or run_id is None:
            return
        try:
            action(self.store, run_id)
        except StoreError as e:
            self.say(f"sam-cowboy: not recorded: {e}")

    def reflect(self, debrief: Debrief) -> None:
        self.say()
        self.say(f"# {words(self.ui, 'reflect')}")
        self.say(plain_markdown(transfer.reflection_question(self.episode, debrief, self.lang)))
        answer = self.asker.ask("answer")
        if answer and answer.strip():
            self._store_call(lambda s, r: learning.save_reflection(s, r, answer))

    def commit(self, debrief: Debrief) -> None:
        offer = transfer.proposals(self.episode, debrief, self.analysis, self.lang)
        due = transfer.due_date(self.today)
        self.say()
        choice = None
        if offer.scene is not None and offer.choice is not None:
            choice = self.episode.scenes[offer.scene].choice(offer.choice)
        if choice is not None:
            self.say(words(self.ui, "commit_on", due=due.isoformat(),
                           choice=self.text(choice.text)))
        else:
            self.say(words(self.ui, "commit", due=due.isoformat()))
        for i, action in enumerate(offer.actions, 1):
            self.say(f"  {i}. {plain_markdown(action)}")
        self.say(words(self.ui, "own"))
        line = self.asker.ask("commit_pick")
        if line is None or not line.strip():
            return
        picked, due = transfer.split_due(line.strip(), due)
        own = not (picked.isdigit() and 1 <= int(picked) <= len(offer.actions))
        action = picked if own else offer.actions[int(picked) - 1]
        self._store_call(lambda s, r: learning.add_commitment(
            s, run_id=r, player=self.player, episode_id=self.episode.id, action=action,
            due=due, scene=offer.scene, choice=offer.choice, own=own))
        self.say(words(self.ui, "committed", action=shown(plain_markdown(action)),
                       due=due.isoformat()))


def words_consequence(ui: str) -> str:
    from sam_cowboy.messages import t

    return t("consequence", ui)
