"""The posture sidebar: one labelled gauge per dimension against the episode's exact bounds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sam_cowboy.core.engine import ScoreChanged, State
from sam_cowboy.core.model import Episode
from sam_cowboy.tui.text import data, put

BAR = 16


def bar(percent: int, width: int = BAR) -> Content:
    """A gauge drawn with two different characters, so it reads without colour."""
    full = round(width * percent / 100)
    return Content.assemble(("█" * full, "$primary"), ("░" * (width - full), "$text-muted"))


def signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else f"−{-delta}"


class PostureSidebar(VerticalScroll):
    """The title and one gauge per dimension in one text (a widget per gauge made the first
    scene slower to draw), then the overall line under its rule."""

    can_focus = False

    def __init__(self, episode: Episode, bounds: dict[str, tuple[int, int]] | None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.episode = episode
        self.bounds = bounds  # None while the analysis is still running
        self.pending_word = "…"
        self._gauges: Static | None = None
        self._overall: Static | None = None

    def compose(self) -> ComposeResult:
        self._gauges = Static(id="posture-gauges")
        self._overall = Static(id="posture-overall")
        yield self._gauges
        yield self._overall

    def show(self, state: State, changes: list[ScoreChanged], labels: dict[str, str],
             title: str, overall_word: str) -> None:
        assert self._gauges is not None and self._overall is not None
        lines = [Content.styled(title, "bold")]
        if self.bounds is None:  # the gauges need the exact bounds: shown once they are known
            for did in self.episode.dimensions:
                lines += [Content(""), data(labels[did], "bold"),
                          Content.styled(self.pending_word, "dim")]
            put(self._gauges, Content("\n").join(lines))
            put(self._overall, Content.assemble(
                (overall_word, "bold"), "\n", (self.pending_word, "dim")))
            return
        from sam_cowboy.core import scoring  # exact fractions: loaded with the bounds

        percents = scoring.percents(self.episode, state.scores, self.bounds)
        moved: dict[str, int] = {}
        for change in changes:
            moved[change.dimension] = moved.get(change.dimension, 0) + change.delta
        for did, pct in percents.items():
            line = [data(labels[did], "bold")]
            delta = moved.get(did)
            if delta:
                arrow = "▲" if delta > 0 else "▼"
                line.append(Content.styled(f" {arrow}{signed(delta)}", "bold $accent"))
            lines += [Content(""), Content.assemble(*line),
                      Content.assemble(bar(pct), f" {pct:>3}%")]
        put(self._gauges, Content("\n").join(lines))
        overall = scoring.overall(self.episode, percents)
        put(self._overall, Content.assemble(
            (overall_word, "bold"), "\n", bar(overall), f" {overall:>3}%"))
