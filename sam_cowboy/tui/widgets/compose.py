"""A compose scene's fragment picker: the prompt, the fragments numbered, the message as it
is being built, and how many pieces are left to pick.

It is a choice list (the same rows, highlight, wrapping and clicks) whose rows carry a mark
([ ], [✓], or the position in the message when order matters) and whose footer is the
message and a hint. Like the choice list it never takes the focus: the scene screen owns
the keys (a number picks or unpicks, arrows and Space, Backspace unpicks the last, Enter
sends). What is picked, in the order picked, is a reactive; the picker says it changed
(`Changed`) and that the message is sent (`Sent`) with messages the screen handles.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive

from sam_cowboy.messages import lookup
from sam_cowboy.tui.widgets.choices import ChoiceList

WORDS: dict[str, dict[str, str]] = {
    "build": {"fr": "Composez le message :", "en": "Build the message:"},
    "message_listed": {"fr": "Message (dans l'ordre de la liste) : ",
                       "en": "Message (in the list's order): "},
    "message_picked": {"fr": "Message (dans l'ordre où vous choisissez) : ",
                       "en": "Message (in the order you pick): "},
    "nothing": {"fr": "rien de choisi pour l'instant", "en": "nothing picked yet"},
    "left": {"fr": "▸ {picked} sur {want} : encore {count} à choisir (numéro, ou ↑↓ et Espace).",
             "en": "▸ {picked} of {want}: pick {count} more (a number, or ↑↓ and Space)."},
    "ready": {"fr": "▸ {picked} sur {want} : Entrée envoie le message (Retour arrière retire "
                    "le dernier).",
              "en": "▸ {picked} of {want}: Enter sends the message (Backspace unpicks the "
                    "last)."},
    "ready_more": {"fr": "▸ {picked} sur {want} : Entrée envoie le message, ou choisissez-en "
                         "encore {count}.",
                   "en": "▸ {picked} of {want}: Enter sends the message, or pick {count} "
                         "more."},
    "full": {"fr": "▸ Déjà {count} : retirez-en un d'abord (son numéro ou Retour arrière).",
             "en": "▸ {count} already: unpick one first (its number or Backspace)."},
    "range": {"fr": "{low} à {high}", "en": "{low} to {high}"},
    "key_pick": {"fr": "Choisir/retirer", "en": "Pick/unpick"},
    "key_move_pick": {"fr": "Parcourir, choisir", "en": "Move, pick"},
    "key_unpick": {"fr": "Retirer", "en": "Unpick"},
    "key_send": {"fr": "Envoyer", "en": "Send"},
    "your_message": {"fr": "Votre message", "en": "Your message"},
    "checklist": {"fr": "Ce que fait votre message", "en": "What your message does"},
}


def say(key: str, lang: str, **values: object) -> str:
    """The picker's words in `lang`, typeset for it (French spacing)."""
    return lookup(WORDS, key, lang, **values)


@dataclass(frozen=True)
class Pieces:
    """What a compose scene offers now, as the screen words it."""

    prompt: Content
    ids: tuple[str, ...]
    texts: tuple[Content, ...]
    pick_min: int
    pick_max: int
    ordered: bool
    separator: Content


NO_PIECES = Pieces(Content(""), (), (), 1, 1, False, Content(" "))


class ComposePicker(ChoiceList):
    """Pick `pick_min` to `pick_max` of the fragments; the message reads them in the order
    picked when order matters, else in the list's order."""

    picked: reactive[tuple[int, ...]] = reactive((), init=False)

    class Changed(Message):
        """What is picked changed (fragment ids, in the order picked)."""

        def __init__(self, ids: tuple[str, ...], ready: bool) -> None:
            super().__init__()
            self.ids = ids
            self.ready = ready

    class Sent(Message):
        """The message is sent: fragment ids in the order picked."""

        def __init__(self, ids: tuple[str, ...]) -> None:
            super().__init__()
            self.ids = ids

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.pieces = NO_PIECES
        self.lang = "en"
        self.refused = False  # a pick past the maximum: the hint says what to do
        self.shown_for: object = None  # the run state the picks belong to

    def show(self, pieces: Pieces, lang: str, state: object) -> None:
        """Offer `pieces`; the picks are kept when it is the same `state` drawn again (the
        language changed), cleared when it is another."""
        same = state is self.shown_for and pieces.ids == self.pieces.ids
        self.pieces, self.lang, self.shown_for = pieces, lang, state
        if not same:
            self.refused = False
            self.set_reactive(ComposePicker.picked, ())
            self.highlighted = 0
        self.build()

    def clear(self) -> None:
        """Forget the picks (a new scene, an undo)."""
        self.shown_for = None
        self.picked = ()

    @property
    def count(self) -> int:
        return len(self.pieces.ids)

    @property
    def ready(self) -> bool:
        return self.pieces.pick_min <= len(self.picked) <= self.pieces.pick_max

    @property
    def message_order(self) -> list[int]:
        """The picked fragments in the message's order."""
        return list(self.picked) if self.pieces.ordered else sorted(self.picked)

    def toggle(self, index: int) -> None:
        """Pick the fragment at `index` (from 0), or unpick it if it is picked."""
        if not 0 <= index < self.count:
            return
        self.highlighted = index
        if index in self.picked:
            self.picked = tuple(i for i in self.picked if i != index)
        elif len(self.picked) >= self.pieces.pick_max:
            self.refused = True
            self.build()
        else:
            self.picked = (*self.picked, index)

    def unpick_last(self) -> bool:
        if not self.picked:
            return False
        self.picked = self.picked[:-1]
        return True

    def send(self) -> bool:
        """Send the message if enough fragments are picked; the picks are then cleared."""
        if not self.ready:
            return False
        ids = tuple(self.pieces.ids[i] for i in self.picked)
        self.shown_for = None
        self.set_reactive(ComposePicker.picked, ())
        self.post_message(self.Sent(ids))
        return True

    def watch_picked(self) -> None:
        self.refused = False
        self.build()
        self.post_message(self.Changed(tuple(self.pieces.ids[i] for i in self.picked),
                                       self.ready))

    @on(ChoiceList.Picked)
    def clicked(self, event: ChoiceList.Picked) -> None:
        """A click on a fragment picks or unpicks it, as its number does."""
        event.stop()
        self.toggle(event.index)

    # ------------------------------------------------------------ drawing

    def mark(self, index: int) -> str:
        if index not in self.picked:
            return "[ ] "
        if self.pieces.ordered:
            return f"[{self.picked.index(index) + 1}] "
        return "[✓] "

    def build(self) -> None:
        pieces, lang = self.pieces, self.lang
        rows = [Content.assemble((self.mark(i), "bold"), text)
                for i, text in enumerate(pieces.texts)]
        label = pieces.prompt if pieces.prompt.plain else Content(say("build", lang))
        self.set_choices(label.stylize("bold"), rows,
                         self.highlighted or 0, self.footer_lines())

    def footer_lines(self) -> Content:
        """The message so far, and what to do next."""
        pieces, lang = self.pieces, self.lang
        head = say("message_picked" if pieces.ordered else "message_listed", lang)
        order = self.message_order
        body = (pieces.separator.join([pieces.texts[i] for i in order]) if order
                else Content.styled(say("nothing", lang), "italic"))
        low, high = pieces.pick_min, pieces.pick_max
        want = str(low) if low == high else say("range", lang, low=low, high=high)
        picked = len(self.picked)
        if self.refused:
            hint, style = say("full", lang, count=high), "bold $error"
        elif picked < low:
            hint, style = say("left", lang, picked=picked, want=want, count=low - picked), ""
        elif picked < high:
            hint = say("ready_more", lang, picked=picked, want=want, count=high - picked)
            style = "bold $accent"
        else:
            hint, style = say("ready", lang, picked=picked, want=want), "bold $accent"
        return Content.assemble((head, "bold"), body, "\n", (hint, style))
