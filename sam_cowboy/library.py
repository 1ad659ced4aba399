"""Where episodes come from: the built-in season shipped in the package, and trainers' folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sam_cowboy.core.findings import Finding
from sam_cowboy.core.loader import SERIES_FILE, LoadResult, Series, load_episode, load_series

if TYPE_CHECKING:  # the analysis is imported by whoever analyses, after the first frame
    from sam_cowboy.core.analysis import Analysis
    from sam_cowboy.core.model import Episode


def builtin_dir() -> Path:
    """The season's folder: inside the installed package, or episodes/ in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "episodes", here.parent / "episodes"):
        if (candidate / SERIES_FILE).is_file():
            return candidate
    return here / "episodes"


def episode_files(folder: Path) -> list[Path]:
    """Every `*.yaml` of a folder but series.yaml, in the series' order then by name."""
    files = sorted(p for p in folder.glob("*.yaml") if p.name != SERIES_FILE)
    series_path = folder / SERIES_FILE
    if series_path.is_file():
        order = load_series(series_path).episodes
        rank = {eid: i for i, eid in enumerate(order)}
        files.sort(key=lambda p: (rank.get(p.stem, len(rank)), p.name))
    return files


@dataclass
class Entry:
    path: Path
    result: LoadResult

    @property
    def ok(self) -> bool:
        return self.result.episode is not None


class Library:
    """Episodes of one or more folders, loaded once, in order."""

    def __init__(self, folders: list[Path]) -> None:
        self.entries: list[Entry] = []
        self.series_findings: list[Finding] = []
        for folder in folders:
            series = None
            if (folder / SERIES_FILE).is_file():
                series = load_series(folder / SERIES_FILE)
                self.series_findings.extend(series.findings)
                series = Series(**{**series.__dict__, "findings": []})
            for path in episode_files(folder):
                self.entries.append(Entry(path, load_guarded(path, series)))
        self.entries.sort(key=lambda e: _order_key(e))

    def find(self, episode_id: str) -> Entry | None:
        for entry in self.entries:
            if entry.result.episode is not None and entry.result.episode.id == episode_id:
                return entry
            if entry.path.stem == episode_id:
                return entry
        return None

    def ids(self) -> list[str]:
        return [e.result.episode.id for e in self.entries if e.result.episode is not None]


def load_guarded(path: Path, series: Series | None | bool = True) -> LoadResult:
    """`load_episode`, for a list of files: whatever goes wrong with one file (a bug the
    loader's limits did not foresee, memory) becomes its first finding, so the other
    episodes stay playable."""
    try:
        return load_episode(path, series)
    except Exception as e:  # RecursionError and MemoryError included
        return LoadResult(None, [Finding("error", str(path), 1, 1, "this file could not be "
                                         f"loaded ({type(e).__name__}): run `sam-cowboy check "
                                         f"{path}`, and please report it")])


def failed_analysis(episode: Episode, why: str) -> Analysis:
    """An analysis that did not come: one error finding saying why (too slow, or a failure),
    so whoever waits for bounds reports it instead of waiting for ever."""
    from sam_cowboy.core.analysis import Analysis

    return Analysis(findings=[Finding("error", episode.file, episode.start_pos.line,
                                      episode.start_pos.column, why)])


def _order_key(entry: Entry) -> tuple[int, str]:
    ep = entry.result.episode
    number = ep.number if ep is not None and ep.number is not None else 10_000
    return number, entry.path.name


def builtin_library() -> Library:
    return Library([builtin_dir()])


def resolve(name: str, extra: list[Path] | None = None) -> Path | None:
    """A path to an episode file from a path or the id of a built-in episode."""
    p = Path(name)
    if p.is_file():
        return p
    if p.suffix in (".yaml", ".yml") or "/" in name:
        return None
    for folder in [*(extra or []), builtin_dir()]:
        direct = folder / f"{name}.yaml"
        if direct.is_file():
            return direct
        for path in episode_files(folder):
            if path.stem.startswith(name + "-") or path.stem == name:
                return path
    lib = Library([*(extra or []), builtin_dir()])
    entry = lib.find(name)
    return entry.path if entry else None
