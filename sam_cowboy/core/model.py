"""The episode as the engine sees it: immutable, validated, with a position for every part.

The loader builds these objects only from input it has fully checked, so the engine and the
analysis never re-validate. Positions are 1-based (line, column) in the YAML file so any
finding can point the author at the exact spot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sam_cowboy.core.expr import Expr

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
    """A posture label for the debrief; applies from `min` percent overall."""

    min: float
    label: Text
    advice: Text | None = None


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

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def endings(self) -> list[str]:
        return [sid for sid, scene in self.scenes.items() if scene.ending is not None]
