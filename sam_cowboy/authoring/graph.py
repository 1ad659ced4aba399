"""A picture of an episode: Mermaid flowchart, Graphviz DOT, or SVG through Graphviz's `dot`.

One node per scene (its id and title); endings shaped and coloured by kind; route scenes as
diamonds; edges labelled with the choice id and its score changes; conditional edges
dashed; unreachable scenes and dead ends (from the analysis) highlighted.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from sam_cowboy.core.model import Choice, Episode, Scene

FORMATS = ("mermaid", "dot", "svg")
COLOURS = {"good": "#c8e6c9", "mixed": "#ffe0b2", "bad": "#ffcdd2"}
BORDERS = {"good": "#2e7d32", "mixed": "#ef6c00", "bad": "#c62828"}
INSTALL_HINT = ("--format svg needs Graphviz's `dot` program, which is not installed: "
                "install Graphviz (Debian/Ubuntu: `sudo apt-get install graphviz`, macOS: "
                "`brew install graphviz`, Windows: `winget install graphviz`), or use "
                "--format dot / mermaid")


class GraphvizMissing(Exception):
    """`dot` is not on the PATH."""


class GraphvizFailed(Exception):
    """`dot` ran but failed."""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    conditional: bool
    route: bool


def _title(scene: Scene, lang: str, default: str) -> str:
    if scene.title is None:
        return ""
    values = scene.title.values
    return values.get(lang) or values.get(default) or next(iter(values.values()), "")


def _score_label(choice: Choice) -> str:
    parts = [f"{dim} {delta:+d}" for dim, delta in choice.effects.score.items()]
    return ", ".join(parts)


def edges(episode: Episode) -> list[Edge]:
    out: list[Edge] = []
    for sid, scene in episode.scenes.items():
        for c in scene.choices:
            label = c.id
            scores = _score_label(c)
            if scores:
                label += f" ({scores})"
            if c.once:
                label += " [once]"
            out.append(Edge(sid, c.goto, label, c.condition is not None, False))
        for r in scene.route:
            label = f"if {r.condition.source}" if r.condition is not None else "else"
            out.append(Edge(sid, r.goto, label, r.condition is not None, True))
    return out


def _kind(scene: Scene) -> str:
    if scene.ending is not None:
        return scene.ending.kind
    return "route" if scene.route else "scene"


# ------------------------------------------------------------------ mermaid

def _mermaid_label(text: str) -> str:
    """Mermaid's quoted label: quotes and markup-sensitive characters as entity codes."""
    out = []
    for ch in text:
        if ch == '"':
            out.append("#quot;")
        elif ch in "<>&#{}[]|`":
            out.append(f"#{ord(ch)};")
        elif ch in "\r\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(episode: Episode, lang: str | None = None, unreachable: Iterable[str] = (),
               dead_ends: Iterable[str] = ()) -> str:
    lang = lang or episode.default_language
    ids = {sid: f"s{i}" for i, sid in enumerate(episode.scenes)}
    lines = ["---", f"title: {_mermaid_label(episode.id)}", "---", "flowchart TD"]
    for sid, scene in episode.scenes.items():
        title = _title(scene, lang, episode.default_language)
        label = _mermaid_label(sid) + (f"<br/><i>{_mermaid_label(title)}</i>" if title else "")
        kind = _kind(scene)
        if kind == "route":
            shape = f'{{"{label}"}}'
        elif kind == "scene":
            shape = f'["{label}"]'
        elif kind == "good":
            shape = f'(["{label}"])'
        elif kind == "mixed":
            shape = f'{{{{"{label}"}}}}'
        else:
            shape = f'[["{label}"]]'
        lines.append(f"    {ids[sid]}{shape}")
    start = ids[episode.start]
    lines.append(f'    start(("start")) --> {start}')
    for e in edges(episode):
        arrow = "-.->" if e.conditional else "-->"
        lines.append(f'    {ids[e.source]} {arrow}|"{_mermaid_label(e.label)}"| {ids[e.target]}')
    lines.append("    classDef good fill:#c8e6c9,stroke:#2e7d32,stroke-width:2px")
    lines.append("    classDef mixed fill:#ffe0b2,stroke:#ef6c00,stroke-width:2px")
    lines.append("    classDef bad fill:#ffcdd2,stroke:#c62828,stroke-width:2px")
    lines.append("    classDef route fill:#e3f2fd,stroke:#1565c0")
    lines.append("    classDef unreachable fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:5 5,"
                 "color:#757575")
    lines.append("    classDef deadend fill:#fff59d,stroke:#f57f17,stroke-width:4px")
    groups: dict[str, list[str]] = {}
    for sid, scene in episode.scenes.items():
        kind = _kind(scene)
        if kind != "scene":
            groups.setdefault(kind, []).append(ids[sid])
    for sid in dead_ends:
        groups.setdefault("deadend", []).append(ids[sid])
    for sid in unreachable:
        groups.setdefault("unreachable", []).append(ids[sid])
    for cls, members in groups.items():  # later classes win: unreachable over the kind
        lines.append(f"    class {','.join(members)} {cls}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ dot

def _dot_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r", " ").replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(episode: Episode, lang: str | None = None, unreachable: Iterable[str] = (),
           dead_ends: Iterable[str] = ()) -> str:
    lang = lang or episode.default_language
    unreachable = set(unreachable)
    dead_ends = set(dead_ends)
    lines = [f"digraph {_dot_string(episode.id)} {{",
             "  rankdir=TB;",
             '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", '
             'fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];',
             '  "__start" [label="start", shape=circle, fillcolor="#424242", '
             'fontcolor="#ffffff"];']
    for sid, scene in episode.scenes.items():
        title = _title(scene, lang, episode.default_language)
        label = sid + (f"\n{title}" if title else "")
        attrs = [f"label={_dot_string(label)}"]
        kind = _kind(scene)
        if kind == "route":
            attrs += ["shape=diamond", 'fillcolor="#e3f2fd"', 'color="#1565c0"']
        elif kind in COLOURS:
            shape = {"good": "doubleoctagon", "mixed": "octagon", "bad": "box"}[kind]
            attrs += [f"shape={shape}", f'fillcolor="{COLOURS[kind]}"',
                      f'color="{BORDERS[kind]}"', "penwidth=2"]
        if sid in dead_ends:
            attrs += ['fillcolor="#fff59d"', 'color="#f57f17"', "penwidth=4",
                      'xlabel="dead end"']
        if sid in unreachable:
            attrs += ['style="rounded,filled,dashed"', 'fillcolor="#eeeeee"',
                      'fontcolor="#757575"', 'xlabel="unreachable"']
        lines.append(f"  {_dot_string(sid)} [{', '.join(attrs)}];")
    lines.append(f'  "__start" -> {_dot_string(episode.start)};')
    for e in edges(episode):
        attrs = [f"label={_dot_string(e.label)}"]
        if e.conditional:
            attrs.append("style=dashed")
        if e.route:
            attrs.append('color="#1565c0"')
        lines.append(f"  {_dot_string(e.source)} -> {_dot_string(e.target)} "
                     f"[{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_svg(dot_source: str, timeout: float = 60) -> str:
    """Render DOT with Graphviz's `dot`; GraphvizMissing or GraphvizFailed otherwise."""
    program = shutil.which("dot")
    if program is None:
        raise GraphvizMissing(INSTALL_HINT)
    try:
        done = subprocess.run([program, "-Tsvg"], input=dot_source.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise GraphvizFailed(f"Graphviz's `dot` could not render the graph: {e}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed("Graphviz's `dot` failed: " + (reason[0] if reason else
                                                           f"exit {done.returncode}"))
    return done.stdout.decode("utf-8")


def render(episode: Episode, fmt: str, lang: str | None = None,
           unreachable: Iterable[str] = (), dead_ends: Iterable[str] = ()) -> str:
    if fmt == "mermaid":
        return to_mermaid(episode, lang, unreachable, dead_ends)
    dot = to_dot(episode, lang, unreachable, dead_ends)
    return dot if fmt == "dot" else to_svg(dot)
