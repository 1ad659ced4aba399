"""The episode as the engine sees it: immutable, validated, with a position for every part.

The loader builds these objects only from input it has fully checked, so the engine and the
analysis never re-validate. Positions are 1-based (line, column) in the YAML file so any
finding can point the author at the exact spot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sam_cowboy.core.expr import Expr

if TYPE_CHECKING:
    from sam_cowboy.core.transfer_format import Transfer

Value = bool | int | str
EndingKind = Literal["good", "mixed", "bad"]
ENDING_KINDS: tuple[str, ...] = ("good", "mixed", "bad")


@dataclass(frozen=True, slots=True)
class Pos:
    line: int
    column: int


NOWHERE = Pos(1, 1)


@dataclass(frozen=True, slots=True)
class Text:
    """One text in several languages: language code -> string (Markdown, with {name})."""

    values: dict[str, str]
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A paragraph of a scene's text, shown only when its condition holds."""

    text: Text
    condition: Expr | None = None


@dataclass(frozen=True, slots=True)
class Effects:
    score: dict[str, int] = field(default_factory=dict)
    set: dict[str, Value] = field(default_factory=dict)
    add: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.score or self.set or self.add)


NO_EFFECTS = Effects()


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: Text
    goto: str
    effects: Effects = NO_EFFECTS
    condition: Expr | None = None
    once: bool = False
    feedback: Text | None = None
    pos: Pos = NOWHERE
    goto_pos: Pos = NOWHERE
    # extension: a composed message; the fragment ids in the message's order (see Compose)
    fragments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of a message the trainee may put in a composition."""

    id: str
    text: Text
    effects: Effects = NO_EFFECTS
    condition: Expr | None = None
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One criterion of a compose scene's checklist, and what meeting it is worth.

    It is met when every test holds: `has` (all of these fragments are in the message),
    `any` (at least one), `none` (none of them), `first` (the message opens with it),
    `before` (both are in and the first comes earlier)."""

    id: str
    text: Text
    has: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    first: str | None = None
    before: tuple[str, str] | None = None
    effects: Effects = NO_EFFECTS
    tip: Text | None = None
    pos: Pos = NOWHERE

    def met(self, message: tuple[str, ...]) -> bool:
        ids = set(message)
        if not ids.issuperset(self.has) or (self.any and not ids.intersection(self.any)):
            return False
        if ids.intersection(self.none):
            return False
        if self.first is not None and (not message or message[0] != self.first):
            return False
        if self.before is not None:
            a, b = self.before
            if a not in ids or b not in ids or message.index(a) > message.index(b):
                return False
        return True


@dataclass(frozen=True, slots=True)
class Compose:
    """Extension: the trainee assembles a message from `pick` of the fragments.

    The loader expands every allowed composition into a `Choice` of the scene (id: the
    fragment ids joined by `+`), so the engine and the analysis treat compositions exactly
    like choices."""

    fragments: tuple[Fragment, ...]
    checklist: tuple[CheckItem, ...]
    goto: str
    pick_min: int
    pick_max: int
    ordered: bool = False
    separator: str = " "
    prompt: Text | None = None
    max_length: int | None = None
    max_length_pos: Pos = NOWHERE

    def fragment(self, fragment_id: str) -> Fragment | None:
        return next((f for f in self.fragments if f.id == fragment_id), None)


@dataclass(frozen=True, slots=True)
class RouteEntry:
    goto: str
    condition: Expr | None = None
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Ending:
    kind: EndingKind
    title: Text | None = None


@dataclass(frozen=True, slots=True)
class Card:
    """A mock of what Sam is looking at: a profile, post, message, email or note."""

    kind: str
    fields: dict[str, Text]


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    pos: Pos
    title: Text | None = None
    text: tuple[TextBlock, ...] = ()
    card: Card | None = None
    on_enter: Effects = NO_EFFECTS
    trainer_notes: Text | None = None
    choices: tuple[Choice, ...] = ()
    route: tuple[RouteEntry, ...] = ()
    ending: Ending | None = None
    compose: Compose | None = None  # extension: `choices` then holds every composition

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@dataclass(frozen=True, slots=True)
class Dimension:
    id: str
    label: Text
    description: Text | None = None
    weight: float = 1.0
    pos: Pos = NOWHERE
    habit: Text | None = None  # extension: one habit to practise, shown in the debrief


@dataclass(frozen=True, slots=True)
class Profile:
    """A posture label for the debrief; applies from `min` percent overall, and only to runs
    whose ending is one of `endings` when it is given (a lie that closed the good ending
    must not read as mastery, however high the percent)."""

    min: float
    label: Text
    advice: Text | None = None
    endings: tuple[EndingKind, ...] | None = None


@dataclass(frozen=True, slots=True)
class Episode:
    id: str
    title: Text
    languages: tuple[str, ...]
    dimensions: dict[str, Dimension]
    variables: dict[str, Value]
    start: str
    scenes: dict[str, Scene]
    file: str = "<episode>"
    content_hash: str = ""
    summary: Text | None = None
    estimated_minutes: float | None = None
    audience: Text | None = None
    objectives: tuple[Text, ...] = ()
    tags: tuple[str, ...] = ()
    series: str | None = None
    number: int | None = None
    requires: tuple[str, ...] = ()
    profiles: tuple[Profile, ...] = ()
    debrief: tuple[Text, ...] = ()
    extras: dict[str, object] = field(default_factory=dict)
    start_pos: Pos = NOWHERE
    focus: str | None = None  # extension: the dimension the episode is about (ties in tips)
    transfer: Transfer | None = None  # extension: reflection question, actions to commit to

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def endings(self) -> list[str]:
        return [sid for sid, scene in self.scenes.items() if scene.ending is not None]
