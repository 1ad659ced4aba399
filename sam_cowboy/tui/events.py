"""What the app tells its screens, as Textual messages (posted to every screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from sam_cowboy.core.model import Episode

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis


class AnalysisReady(Message, bubble=False):
    """An episode's analysis (bounds, best run, findings) is known; sent to every screen."""

    def __init__(self, episode: Episode, analysis: Analysis) -> None:
        super().__init__()
        self.episode = episode
        self.analysis = analysis


class EpisodeReloaded(Message, bubble=False):
    """--watch loaded a new version of the episode; sent to every screen."""

    def __init__(self, episode: Episode) -> None:
        super().__init__()
        self.episode = episode
