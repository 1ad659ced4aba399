"""A player's season memory: each dimension's latest and best percent across episodes.

What counts: the player's finished runs (status `finished`) that are neither practice nor
test runs, outside workshops (a workshop's path is the room's, and its names are typed by
anyone who joins). Each run's percents are those its debrief showed: the raw scores against
the exact bounds of that episode version (`scoring.percent`), kept only for the dimensions
the run exercised (a percent on a path that never met a dimension says nothing about the
player, as `core.season.latest` has it). Dimensions are matched by id across episodes.

A run is skipped, with the reason, when its episode version is no longer in the library
(no file there has its content hash), when that version does not analyse, or when its
stored decisions do not replay on it.

The first half of this module is pure (plain data in, plain data out); the second reads the
store and the library folders. `season_for(...)` is what play starts a run with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sam_cowboy.core import engine, scoring
from sam_cowboy.core import season as season_cases

if TYPE_CHECKING:
    from sam_cowboy.core.analysis import Analysis
    from sam_cowboy.core.model import Episode
    from sam_cowboy.results.store import Row, Store


# ------------------------------------------------------------------ pure part

@dataclass(frozen=True)
class RunResult:
    """One counted run: the percents of the dimensions it exercised."""

    run_id: int
    episode_id: str
    started_at: float
    ended_at: float
    percents: Mapping[str, int]


@dataclass(frozen=True)
class Mark:
    """A dimension's percent and the run it came from."""

    percent: int
    episode_id: str
    run_id: int
    ended_at: float


@dataclass(frozen=True)
class Skipped:
    run_id: int
    episode_id: str
    reason: str


@dataclass
class Memory:
    """Per dimension, the latest percent (by the run's end) and the best one (ties: the
    later run)."""

    latest: dict[str, Mark] = field(default_factory=dict)
    best: dict[str, Mark] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)

    def values(self) -> dict[str, int]:
        """The season input of a run: `season('d')` for each dimension with a result."""
        return {d: m.percent for d, m in self.latest.items()}


def remember(results: Iterable[RunResult], other_than: str | None = None,
             before: float | None = None) -> Memory:
    """The memory of `results`, leaving out the runs of episode `other_than` (a run's season
    comes from *other* episodes) and those that ended after `before` (a time)."""
    memory = Memory()
    kept = [r for r in results if r.episode_id != other_than
            and (before is None or r.ended_at <= before)]
    for r in sorted(kept, key=lambda r: (r.ended_at, r.run_id)):
        for dim, percent in r.percents.items():
            mark = Mark(percent, r.episode_id, r.run_id, r.ended_at)
            memory.latest[dim] = mark
            if dim not in memory.best or percent >= memory.best[dim].percent:
                memory.best[dim] = mark
    return memory


def run_result(episode: Episode, analysis: Analysis, run_id: int, started_at: float,
               ended_at: float, scores: Mapping[str, int], choices: Sequence[str],
               seasons: Iterable[Mapping[str, int] | None]) -> RunResult | str:
    """The percents the debrief of this run showed, or why they cannot be known.

    `seasons`: the histories to try the run under, most likely first. Whether a dimension
    was exercised depends on the choices shown, which may depend on the season the run began
    with, so the stored decisions are replayed under the first season that leads them to an
    ending with the stored scores."""
    if analysis.bounds is None:
        return "this version of the episode has errors"
    for season in seasons:
        try:
            state = engine.replay(episode, list(choices), season=season)
        except engine.EngineError:
            continue
        if not state.finished or any(state.scores.get(d, 0) != scores.get(d, 0)
                                     for d in episode.dimensions):
            continue
        seen = scoring.exercised(episode, state)
        percents = scoring.percents(episode, scores, analysis.bounds)
        return RunResult(run_id, episode.id, started_at, ended_at,
                         {d: percents[d] for d in episode.dimensions if seen[d]})
    return "its stored decisions do not replay on this version of the episode"


def seasons_to_try(episode: Episode, likely: Mapping[str, int]) -> list[Mapping[str, int] | None]:
    """The season the run most likely began with, then one history per case the episode's
    conditions can tell apart (`core.season.cases`), then none."""
    out: list[Mapping[str, int] | None] = [dict(likely)]
    try:
        out.extend(dict(s.values) for s in season_cases.cases(episode))
    except season_cases.TooManyCases:
        pass
    if likely:
        out.append(None)
    return out


def replay_all(runs: Sequence[Row], choices: Mapping[int, list[str]],
               version: Callable[[str, str], tuple[Episode, Analysis] | str],
               ) -> tuple[list[RunResult], list[Skipped]]:
    """Every run's percents, or why it is skipped. Runs are taken by the time they ended and
    each is replayed first under the season the results before its start give (what play
    gave it), so a run recorded by play replays at the first try."""
    done: list[RunResult] = []
    skipped: list[Skipped] = []
    for row in sorted(runs, key=lambda r: (float(r["ended_at"]), int(r["id"]))):
        run_id, episode_id = int(row["id"]), str(row["episode_id"])
        found = version(episode_id, str(row["episode_hash"] or ""))
        if isinstance(found, str):
            skipped.append(Skipped(run_id, episode_id, found))
            continue
        episode, analysis = found
        likely = remember(done, other_than=episode_id, before=float(row["started_at"]))
        result = run_result(episode, analysis, run_id, float(row["started_at"]),
                            float(row["ended_at"]), row["scores"], choices.get(run_id, []),
                            seasons_to_try(episode, likely.values()))
        if isinstance(result, str):
            skipped.append(Skipped(run_id, episode_id, result))
        else:
            done.append(result)
    return done, skipped


# ------------------------------------------------------------------ store and library

_COUNTED = ("r.status = 'finished' AND r.practice = 0 AND r.test = 0 "
            "AND r.session_code IS NULL AND r.ended_at IS NOT NULL")


def _counted(player: str | None) -> tuple[str, tuple[str, ...]]:
    if player is None:
        return _COUNTED, ()
    return _COUNTED + " AND r.player = ?", (player,)


def counted_runs(store: Store, player: str | None = None) -> list[Row]:
    """The runs that count, with their scores decoded; `player`: only theirs."""
    where, params = _counted(player)
    rows = store.query("SELECT r.id, r.player, r.episode_id, r.episode_hash, r.scores, "
                       f"r.started_at, r.ended_at FROM runs r WHERE {where} "
                       "ORDER BY r.ended_at, r.id", params)
    for row in rows:
        row["scores"] = _scores(row["scores"])
    return rows


def stored_choices(store: Store, player: str | None = None) -> dict[int, list[str]]:
    """Run id -> its decisions' choice ids in order, for the runs that count."""
    where, params = _counted(player)
    out: dict[int, list[str]] = {}
    for row in store.query("SELECT d.run_id, d.choice FROM decisions d JOIN runs r ON "
                           f"r.id = d.run_id WHERE {where} ORDER BY d.run_id, d.seq", params):
        out.setdefault(int(row["run_id"]), []).append(str(row["choice"]))
    return out


def _scores(text: object) -> dict[str, int]:
    try:
        data = json.loads(str(text or "{}"))
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if type(v) is int}


class Versions:
    """The episode versions of the library folders, found by content hash (the SHA-256 of
    the file's bytes, as the loader computes it); each loaded and analysed once, the
    analysis from the cache."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = list(folders)
        self._files: dict[str, Path] | None = None
        self._found: dict[tuple[str, str], tuple[Episode, Analysis] | str] = {}

    def _index(self) -> dict[str, Path]:
        if self._files is None:
            from sam_cowboy.core.loader import SERIES_FILE
            from sam_cowboy.core.yamlread import YamlError, read_file

            self._files = {}
            for folder in self.folders:
                for path in sorted(Path(folder).glob("*.yaml")):
                    if path.name == SERIES_FILE:
                        continue
                    try:
                        digest = hashlib.sha256(read_file(path)).hexdigest()[:16]
                    except (OSError, YamlError):
                        continue
                    self._files.setdefault(digest, path)
        return self._files

    def __call__(self, episode_id: str, content_hash: str) -> tuple[Episode, Analysis] | str:
        key = (episode_id, content_hash)
        if key not in self._found:
            self._found[key] = self._load(episode_id, content_hash)
        return self._found[key]

    def label(self, episode_id: str, dimension: str, lang: str | None = None) -> str:
        """The dimension's label in an episode version loaded here (else its id)."""
        from sam_cowboy.core.i18n import choose_language, render

        for found in self._found.values():
            if not isinstance(found, str) and found[0].id == episode_id:
                episode = found[0]
                dim = episode.dimensions.get(dimension)
                if dim is not None:
                    return render(dim.label, choose_language(episode, lang),
                                  episode.default_language) or dimension
        return dimension

    def _load(self, episode_id: str, content_hash: str) -> tuple[Episode, Analysis] | str:
        gone = "this version of the episode is no longer in the library"
        path = self._index().get(content_hash) if content_hash else None
        if path is None:
            return gone if content_hash else "the run does not say which version it played"
        from sam_cowboy.analysis_cache import cached_analysis
        from sam_cowboy.library import load_guarded

        episode = load_guarded(path).episode
        if episode is None or episode.id != episode_id or episode.content_hash != content_hash:
            return gone
        analysis = cached_analysis(episode, path)
        if analysis.bounds is None:
            return "this version of the episode has errors"
        return episode, analysis


def library_folders(extra: Sequence[Path] = (), builtin: bool = True) -> list[Path]:
    """The folders play looks episodes up in: the built-in season, then trainers' folders."""
    from sam_cowboy.library import builtin_dir

    return ([builtin_dir()] if builtin else []) + list(extra)


def player_results(store: Store, player: str, versions: Versions,
                   ) -> tuple[list[RunResult], list[Skipped]]:
    return replay_all(counted_runs(store, player), stored_choices(store, player), versions)


def season_for(store: Store, player: str, episode_id: str, folders: Sequence[Path],
               as_of: float | None = None) -> dict[str, int]:
    """The season a run of `episode_id` starts with: the player's latest percent per
    dimension in their counted runs of other episodes (ended by `as_of` when given: a resumed
    run gets the season it began with)."""
    results, _ = player_results(store, player, Versions(folders))
    return remember(results, other_than=episode_id, before=as_of).values()


def memories(store: Store, versions: Versions,
             player: str | None = None) -> dict[str, Memory]:
    """Per player (or only `player`), by name: the memory of all their counted runs."""
    runs = counted_runs(store, player)
    choices = stored_choices(store, player)
    out: dict[str, Memory] = {}
    for name in sorted({str(r["player"]) for r in runs}):
        mine = [r for r in runs if r["player"] == name]
        results, skipped = replay_all(mine, choices, versions)
        memory = remember(results)
        memory.skipped = skipped
        out[name] = memory
    return out
