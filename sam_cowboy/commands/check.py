"""`sam-cowboy check`: validate and analyse episode files, as text lines or one JSON object."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sam_cowboy.core.analysis import Analysis, analyse
from sam_cowboy.core.findings import Finding
from sam_cowboy.core.loader import SERIES_FILE, Series, find_series, load_episode
from sam_cowboy.core.model import Episode
from sam_cowboy.library import episode_files
from sam_cowboy.usage import UsageError, print_json

NAME = "check"
ORDER = 30
HELP = "validate and analyse episodes"
DESCRIPTION = """Validate and analyse episode files: errors, warnings, exact score bounds,
the best run, unreachable scenes and dead ends. It also warns when the best choice is the
longest in more than half of the decision scenes, and when a run can end without meeting
a dimension at all. A folder means every *.yaml in it but series.yaml.

Example: sam-cowboy check episodes/
         sam-cowboy check my-episode.yaml --json"""


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="episode files or folders")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def execute(args: argparse.Namespace) -> int:
    return check_command(args.paths, as_json=args.json)


def _expand(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            found = episode_files(p)
            if not found:
                raise UsageError(f"{name}: no episode (*.yaml) in this folder")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise UsageError(f"{name}: no such file or folder")
    return files


def check_file(path: Path, series: Series | None) -> dict[str, object]:
    result = load_episode(path, series)
    findings: list[Finding] = list(result.findings)
    entry: dict[str, object] = {"file": str(path), "episode": result.episode_id}
    episode = result.episode
    if episode is not None:
        entry["episode"] = episode.id
        entry["scenes"] = len(episode.scenes)
        entry["endings"] = episode.endings()
        analysis = analyse(episode)
        findings.extend(analysis.findings)
        if "x-translations" in episode.extras:
            from sam_cowboy.authoring.translate import stale_translations

            findings.extend(stale_translations(path.read_text("utf-8"), str(path),
                                               episode.default_language))
        if analysis.bounds is not None:
            entry["unreachable"] = analysis.unreachable
            entry["dead_ends"] = analysis.dead_ends
            entry["bounds"] = {d: list(b) for d, b in analysis.bounds.items()}
            for key, run in (("best_run", analysis.best_run), ("worst_run", analysis.worst_run)):
                if run is not None:
                    ending = episode.scenes[run.ending].ending
                    entry[key] = {
                        "path": [{"scene": s, "choice": c} for s, c in run.path],
                        "overall": run.overall,
                        "ending": {"scene": run.ending, "kind": ending.kind if ending else None},
                    }
                    if run.season is not None:  # a history under which this run is possible
                        entry[key]["season"] = run.season  # type: ignore[index]
            entry["states"] = analysis.states
            findings.extend(craft_findings(episode, analysis))
    findings.sort(key=lambda f: (f.file != str(path), f.line, f.column))
    entry["_findings"] = findings
    entry["errors"] = [f.to_json() for f in findings if f.severity == "error"]
    entry["warnings"] = [f.to_json() for f in findings if f.severity == "warning"]
    return entry


MIN_DECISION_SCENES = 4  # below this, "more than half" is chance, not a habit of the author


def craft_findings(episode: Episode, analysis: Analysis) -> list[Finding]:
    """Warnings about choices a player can win without reading, and scores that say nothing.

    The figures are `sam-cowboy stats`' (authoring/stats.py); `analysis.unexercised` is exact.
    """
    from sam_cowboy.authoring.stats import best_is_longest

    assert analysis.bounds is not None
    out: list[Finding] = []
    where = episode.start_pos
    for lang in episode.languages:
        lg = best_is_longest(episode, analysis.bounds, lang)
        if lg.decision_scenes >= MIN_DECISION_SCENES and 2 * lg.count > lg.decision_scenes:
            scenes = ", ".join(sid for sid, _ in lg.scenes[:6]) + (", …" if lg.count > 6 else "")
            out.append(Finding("warning", episode.file, where.line, where.column,
                               f"in `{lang}`, the best choice is the longest in {lg.count} of "
                               f"{lg.decision_scenes} decision scenes ({scenes}): a player can "
                               "win without reading; shorten the best choices or give the "
                               "wrong ones their real reasons (see `sam-cowboy stats`)"))
    for did, (path, ending) in analysis.unexercised.items():
        scene = episode.scenes[ending]
        steps = " → ".join(f"{s}/{c}" for s, c in path) or "the start"
        out.append(Finding("warning", episode.file, scene.pos.line, scene.pos.column,
                           f"a run can reach the ending `{ending}` without meeting any "
                           f"decision on `{did}` (for example {steps}), so its `{did}` percent "
                           "would say nothing about the player (`run --json` shows "
                           "\"exercised\": false); give that path a choice that scores "
                           f"`{did}`, or make skipping the lesson cost something", ending))
    return out


def check_command(paths: list[str], as_json: bool) -> int:
    files = _expand(paths)
    entries: list[dict[str, object]] = []
    series_cache: dict[Path, Series | None] = {}
    from sam_cowboy.commands.progress import each

    for path in each(files, "Checking"):
        if path.name == SERIES_FILE:
            continue
        folder = path.resolve().parent
        if folder not in series_cache:
            series = find_series(path)
            series_cache[folder] = series
            if series is not None and series.findings:
                entries.append({"file": series.file, "episode": None,
                                "_findings": series.findings,
                                "errors": [f.to_json() for f in series.findings
                                           if f.severity == "error"],
                                "warnings": [f.to_json() for f in series.findings
                                             if f.severity == "warning"]})
        series = series_cache[folder]
        clean = Series(**{**series.__dict__, "findings": []}) if series is not None else None
        entries.append(check_file(path, clean))
    errors = sum(len(e["errors"]) for e in entries)  # type: ignore[arg-type, misc]
    warnings = sum(len(e["warnings"]) for e in entries)  # type: ignore[arg-type, misc]
    if as_json:
        print_json({"files": [{k: v for k, v in e.items() if k != "_findings"}
                              for e in entries]})
    else:
        out = sys.stdout
        for e in entries:
            for f in e["_findings"]:  # type: ignore[attr-defined]
                out.write(f.format() + "\n")
        n = len(files)
        out.write(f"{n} file{'s' if n != 1 else ''} checked: {errors} error"
                  f"{'s' if errors != 1 else ''}, {warnings} warning"
                  f"{'s' if warnings != 1 else ''}\n")
    return 1 if errors else 0
