"""The posture sidebar: one labelled gauge per dimension against the episode's exact bounds."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sam_cowboy.core import scoring
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
    can_focus = False

    def __init__(self, episode: Episode, bounds: dict[str, tuple[int, int]] | None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.episode = episode
        self.bounds = bounds  # None while the analysis is still running
        self.pending_word = "…"
        self._statics: dict[str, Static] = {}

    def _static(self, id: str) -> Static:
        """One of the sidebar's lines, found once (it is redrawn after every choice)."""
        found = self._statics.get(id)
        if found is None:
            found = self._statics[id] = self.query_one(f"#{id}", Static)
        return found

    def compose(self) -> ComposeResult:
        yield Static(id="posture-title")
        for did in self.episode.dimensions:
            yield Static(classes="gauge", id=f"gauge-{did}")
        yield Static(id="posture-overall")

    def show(self, state: State, changes: list[ScoreChanged], labels: dict[str, str],
             title: str, overall_word: str) -> None:
        put(self._static("posture-title"), Content.styled(title, "bold"))
        if self.bounds is None:  # the gauges need the exact bounds: shown once they are known
            for did in self.episode.dimensions:
                put(self._static(f"gauge-{did}"), Content("\n").join([
                    data(labels[did], "bold"), Content.styled(self.pending_word, "dim")]))
            put(self._static("posture-overall"), Content.assemble(
                (overall_word, "bold"), "\n", (self.pending_word, "dim")))
            return
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
            put(self._static(f"gauge-{did}"), Content("\n").join([
                Content.assemble(*line), Content.assemble(bar(pct), f" {pct:>3}%")]))
        overall = scoring.overall(self.episode, percents)
        put(self._static("posture-overall"), Content.assemble(
            (overall_word, "bold"), "\n", bar(overall), f" {overall:>3}%"))
