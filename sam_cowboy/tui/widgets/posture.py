"""The posture sidebar: one labelled gauge per dimension against the episode's exact bounds."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from sam_cowboy.core.engine import ScoreChanged, State
from sam_cowboy.core.model import Episode
from sam_cowboy.tui.text import content_key, data
from sam_cowboy.tui.widgets.drawn import DrawnWidget, wrapped

BAR = 16
TEXTS_KEPT = 32  # gauge texts kept (those shown and those prepared ahead)


def bar(percent: int, width: int = BAR) -> Content:
    """A gauge drawn with two different characters, so it reads without colour."""
    full = round(width * percent / 100)
    return Content.assemble(("█" * full, "$primary"), ("░" * (width - full), "$text-muted"))


def signed(delta: int) -> str:
    return f"+{delta}" if delta > 0 else f"−{-delta}"


class PostureText(DrawnWidget):
    """The title and the gauges, a rule as wide as the panel, the overall gauge: one text."""

    KEEP = 12  # the postures after each shown choice, prepared while one reads

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.gauges = Content("")
        self.overall = Content("")
        self._key = (content_key(self.gauges), content_key(self.overall))

    @property
    def plain(self) -> str:
        return f"{self.gauges.plain}\n{self.overall.plain}"

    def show(self, gauges: Content, overall: Content) -> None:
        key = (content_key(gauges), content_key(overall))
        if key == self._key:
            return
        self.gauges, self.overall, self._key = gauges, overall, key
        self.redraw()

    def prepare_text(self, gauges: Content, overall: Content) -> None:
        self.prepare((content_key(gauges), content_key(overall)), gauges, overall)

    def drawing(self) -> tuple[Hashable, tuple[object, ...]]:
        return self._key, (self.gauges, self.overall)

    def draw(self, gauges: Content, overall: Content, width: int) -> list[Content]:
        return [*wrapped(gauges, width), Content(""), Content.styled("▔" * width, "$panel"),
                *wrapped(overall, width)]


class PostureSidebar(VerticalScroll):
    """One gauge per dimension and the overall gauge, in one widget (a widget per gauge
    made the first scene slower to draw, and every scene slower to lay out)."""

    can_focus = False

    def __init__(self, episode: Episode, bounds: dict[str, tuple[int, int]] | None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.episode = episode
        self.bounds = bounds  # None while the analysis is still running
        self.pending_word = "…"
        self._text: PostureText | None = None
        self._shown: tuple[object, ...] | None = None
        self._texts: dict[tuple[object, ...], tuple[Content, Content]] = {}  # by key

    def compose(self) -> ComposeResult:
        self._text = PostureText(id="posture-text")
        yield self._text

    def show(self, state: State, changes: list[ScoreChanged], labels: dict[str, str],
             title: str, overall_word: str) -> None:
        assert self._text is not None
        key = self.key(state, changes, labels, title, overall_word)
        if key == self._shown:
            return  # the same gauges: not even their text is built again
        self._shown = key
        self._text.show(*self._texts_for(key, state, changes, labels, title, overall_word))

    def prepare_posture(self, state: State, changes: list[ScoreChanged],
                        labels: dict[str, str], title: str, overall_word: str) -> None:
        """Draw the gauges for this state now, to show them later without delay."""
        if self._text is not None and self.display:
            key = self.key(state, changes, labels, title, overall_word)
            self._text.prepare_text(*self._texts_for(key, state, changes, labels, title,
                                                     overall_word))

    def key(self, state: State, changes: list[ScoreChanged], labels: dict[str, str],
            title: str, overall_word: str) -> tuple[object, ...]:
        """What the gauges show: equal keys, equal texts."""
        return (tuple(state.scores.items()), tuple((c.dimension, c.delta) for c in changes),
                tuple(labels.items()), title, overall_word, self.bounds is None)

    def _texts_for(self, key: tuple[object, ...], state: State, changes: list[ScoreChanged],
                   labels: dict[str, str], title: str,
                   overall_word: str) -> tuple[Content, Content]:
        """`texts(...)`, kept by key: those prepared ahead are not built again."""
        if key not in self._texts:
            if len(self._texts) > TEXTS_KEPT:
                self._texts.clear()
            self._texts[key] = self.texts(state, changes, labels, title, overall_word)
        return self._texts[key]

    def texts(self, state: State, changes: list[ScoreChanged], labels: dict[str, str],
              title: str, overall_word: str) -> tuple[Content, Content]:
        """The title and gauges, and the overall gauge."""
        lines = [Content.styled(title, "bold")]
        if self.bounds is None:  # the gauges need the exact bounds: shown once they are known
            for did in self.episode.dimensions:
                lines += [Content(""), data(labels[did], "bold"),
                          Content.styled(self.pending_word, "dim")]
            return Content("\n").join(lines), Content.assemble(
                (overall_word, "bold"), "\n", (self.pending_word, "dim"))
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
        overall = scoring.overall(self.episode, percents)
        return Content("\n").join(lines), Content.assemble(
            (overall_word, "bold"), "\n", bar(overall), f" {overall:>3}%")
