"""The transfer extension of the episode format: `reflection` and scene `actions`.

    reflection: {fr: "…", en: "…"}     # episode level: the question asked after the ending
    scenes:
      invite:
        actions:                        # one to three concrete things to do at work, proposed
          - {fr: "…", en: "…"}          # as a commitment when this decision cost the most

Both are optional; without them the debrief falls back to the weakest dimension's `habit`
(core/transfer.py). Parsed beside the loader's own pass, from the same mapping, so errors
carry file:line:col like every other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sam_cowboy.core.model import Text
from sam_cowboy.core.yamlread import YMap, YSeq

if TYPE_CHECKING:
    from sam_cowboy.core.loader import _Builder

MAX_ACTIONS = 3


@dataclass(frozen=True)
class Transfer:
    reflection: Text | None = None
    actions: dict[str, tuple[Text, ...]] = field(default_factory=dict)  # scene id -> proposals


def parse_transfer(b: _Builder, m: YMap) -> Transfer | None:
    """`reflection` and every scene's `actions` from the episode mapping `m`."""
    reflection = b.optional_text(m, "reflection", "the reflection question")
    actions: dict[str, tuple[Text, ...]] = {}
    scenes = m.get("scenes")
    if isinstance(scenes, YMap):
        for sid, value in scenes.items():
            if not isinstance(value, YMap) or "actions" not in value:
                continue
            items = b.text_list(value, "actions", f"action of scene `{sid}`")
            pos = value.key_pos["actions"]
            if "choices" not in value:
                b.error(value.key_pos["actions"], f"scene `{sid}` has `actions` but no "
                        "`choices`: actions belong to a decision; move them to a scene with "
                        "choices")
            elif not isinstance(value["actions"], YSeq):
                pass  # text_list already said what is wrong
            elif not items:
                b.error(pos, f"`actions` of scene `{sid}` is empty: give one to "
                        f"{MAX_ACTIONS} actions, or remove it")
            elif len(items) > MAX_ACTIONS:
                b.error(pos, f"scene `{sid}` proposes {len(items)} actions: keep at most "
                        f"{MAX_ACTIONS}, the ones a trainee can do this week")
            if items:
                actions[sid] = items
    if reflection is None and not actions:
        return None
    return Transfer(reflection, actions)
