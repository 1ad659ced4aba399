"""The posture: one gauge per dimension against the episode's exact bounds, and Global.

At 100 columns and more it is a side panel; narrower, a strip above the story (the app's
`-narrow` class), where each gauge is its label and percent on one unbroken unit. In both,
Global comes first and a label never wraps: a panel too narrow for a label shortens it
with an ellipsis rather than push Global out of sight.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from sam_cowboy.core.engine import ScoreChanged, State
from sam_cowboy.core.model import Episode
from sam_cowboy.tui.text import data, wrap
from sam_cowboy.tui.widgets.drawn import DrawnWidget

BAR = 14
STRIP_WIDTH = 40  # drawn wider than this, the posture is a strip (a panel is never this wide)
SEPARATOR = "   "
GLUE = "\u00a0"  # joins the words of one gauge in the strip: `tui.text.wrap` never splits them


def bar(percent: int, width: int = BAR) -> Content:
    """A gauge drawn with two different characters, so it reads without colour."""
    full = round(width * percent / 100)
    return Content.assemble(("█" * full, "$primary"), ("░" * (width - full), "$text-muted"))


def signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else f"−{-delta}"


@dataclass(frozen=True)
class Gauge:
    label: str
    percent: int | None  # None while the bounds are being computed
    delta: int = 0  # the last choice's effect


@dataclass(frozen=True)
class Posture:
    """What the posture shows: the title, Global, then each dimension."""

    title: str
    overall: Gauge
    gauges: tuple[Gauge, ...]
    pending: str = "…"


def fit(label: str, width: int) -> str:
    """`label` on one line of `width` cells: shortened with an ellipsis if need be."""
    return label if len(label) <= width else label[:max(1, width - 1)].rstrip() + "…"


class PostureText(DrawnWidget):
    """The posture as one text, drawn as a panel or as a strip for the width it is given."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.posture: Posture | None = None

    @property
    def plain(self) -> str:
        """The words shown, one gauge a line (for tests and tools)."""
        if self.posture is None:
            return ""
        p = self.posture
        return "\n".join([p.title] + [f"{g.label} {g.percent}%" for g in (p.overall,
                                                                         *p.gauges)])

    def show(self, posture: Posture) -> None:
        if posture != self.posture:
            self.posture = posture
            self.redraw()

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        return self.posture, (self.posture,)

    def draw(self, posture: Posture | None, width: int) -> list[Content]:
        if posture is None:
            return []
        return self.strip(posture, width) if width > STRIP_WIDTH else \
            self.panel(posture, width)

    @staticmethod
    def change(gauge: Gauge) -> Content:
        """The last choice's effect, `▲+1` or `▼−2`; nothing when it had none."""
        if not gauge.delta:
            return Content("")
        arrow = "▲" if gauge.delta > 0 else "▼"
        return Content.styled(f"{arrow}{signed(gauge.delta)}", "bold $accent")

    @staticmethod
    def percent(gauge: Gauge, pending: str) -> Content:
        if gauge.percent is None:
            return Content.styled(pending, "dim")
        return Content(f"{gauge.percent}%")

    def panel(self, posture: Posture, width: int) -> list[Content]:
        """Title, Global and its gauge, a rule, then each label over its gauge."""
        lines = [Content.styled(fit(posture.title, width), "bold"), Content("")]
        for index, gauge in enumerate((posture.overall, *posture.gauges)):
            if index == 1:
                lines.append(Content.styled("▔" * width, "$panel"))
            lines.append(data(fit(gauge.label, width), "bold"))
            change = self.change(gauge)
            size = max(4, min(BAR, width - 11))
            gauge_bar = bar(gauge.percent, size) if gauge.percent is not None else Content("")
            lines.append(Content.assemble(
                gauge_bar, " " if gauge.percent is not None else "",
                self.percent(gauge, posture.pending), " " if change.plain else "", change))
        return lines

    def strip(self, posture: Posture, width: int) -> list[Content]:
        """Every gauge as `Label 40% ▲+1`, Global first, wrapped between gauges only."""
        units = []
        for gauge in (posture.overall, *posture.gauges):
            change = self.change(gauge)
            units.append(Content.assemble(
                data(fit(gauge.label, width - 12).replace(" ", GLUE), "bold"), GLUE,
                self.percent(gauge, posture.pending), GLUE if change.plain else "", change))
        return wrap(Content(SEPARATOR).join(units), width)


class PostureSidebar(VerticalScroll):
    """The posture panel (or strip), in one widget: a widget per gauge made every scene
    slower to lay out."""

    can_focus = False

    def __init__(self, episode: Episode, bounds: dict[str, tuple[int, int]] | None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.episode = episode
        self.bounds = bounds  # None while the analysis is still running
        self.pending_word = "…"
        self._text = PostureText(id="posture-text")

    def compose(self) -> ComposeResult:
        yield self._text

    @property
    def plain(self) -> str:
        return self._text.plain

    def show(self, state: State, changes: list[ScoreChanged], labels: dict[str, str],
             title: str, overall_word: str) -> None:
        self._text.show(self.posture(state, changes, labels, title, overall_word))

    def posture(self, state: State, changes: list[ScoreChanged], labels: dict[str, str],
                title: str, overall_word: str) -> Posture:
        moved: dict[str, int] = {}
        for change in changes:
            moved[change.dimension] = moved.get(change.dimension, 0) + change.delta
        if self.bounds is None:  # the gauges need the exact bounds: shown once they are known
            gauges = tuple(Gauge(labels[did], None, moved.get(did, 0))
                           for did in self.episode.dimensions)
            return Posture(title, Gauge(overall_word, None), gauges, self.pending_word)
        from sam_cowboy.core import scoring  # exact fractions: loaded with the bounds

        percents = scoring.percents(self.episode, state.scores, self.bounds)
        gauges = tuple(Gauge(labels[did], pct, moved.get(did, 0))
                       for did, pct in percents.items())
        overall = scoring.overall(self.episode, percents)
        return Posture(title, Gauge(overall_word, overall), gauges, self.pending_word)
