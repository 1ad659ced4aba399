"""The library's episodes as the app lists them: loaded ones and broken files alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sam_cowboy.core.model import Episode


@dataclass
class LibraryItem:
    """An episode of the library, loaded (episode) or not (error)."""

    path: Path
    episode: Episode | None
    error: str | None = None


def load_items(folders: list[Path]) -> list[LibraryItem]:
    """Every episode of `folders` in series order, the first of each id only; a file that
    does not load is listed with its first error, so the player sees why."""
    from sam_cowboy.library import Library

    items: list[LibraryItem] = []
    seen: set[str] = set()
    for entry in Library([f for f in folders if f.is_dir()]).entries:
        episode = entry.result.episode
        if episode is None:
            first = entry.result.errors[0].format() if entry.result.errors else "?"
            items.append(LibraryItem(entry.path, None, first))
        elif episode.id not in seen:
            seen.add(episode.id)
            items.append(LibraryItem(entry.path, episode))
    return items
