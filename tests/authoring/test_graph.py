from __future__ import annotations

import shutil

import pytest

from sam_cowboy.authoring import graph
from sam_cowboy.core.loader import load_episode

from .conftest import ODD


def test_mermaid_default(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("graph", str(ODD / "conditions.yaml"))
    assert code == 0
    assert "flowchart TD" in out
    ep = load_episode(ODD / "conditions.yaml").episode
    for i in range(len(ep.scenes)):
        assert f"    s{i}" in out
    assert "-.->" in out  # conditional edges dashed
    assert "prepare (insight +2)" in out
    assert "class " in out and " good" in out and " bad" in out and " route" in out
    assert "unreachable" in out.split("classDef unreachable")[1]  # island, lose classed
    lines = [line for line in out.splitlines() if line.strip().startswith("class ")]
    assert any(line.endswith(" unreachable") for line in lines)
    assert any(line.endswith(" deadend") for line in lines)


def test_dot_format_and_styles(cli) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("graph", str(ODD / "conditions.yaml"), "--format", "dot")
    assert code == 0 and out.startswith('digraph "odd-conditions"')
    assert '"judge" [label="judge", shape=diamond' in out
    assert "doubleoctagon" in out  # good ending
    assert 'xlabel="unreachable"' in out and 'xlabel="dead end"' in out
    assert "style=dashed" in out
    assert '"__start" -> "start"' in out


def test_labels_are_escaped() -> None:
    assert graph._mermaid_label('say "hi" <b>') == "say #quot;hi#quot; #60;b#62;"
    assert graph._dot_string('a "b"\nc') == '"a \\"b\\"\\nc"'


def test_output_file_and_suffix(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "g.dot"
    code, stdout, err = cli("graph", str(ODD / "loops.yaml"), "-o", str(out))
    assert code == 0 and stdout == "" and "wrote" in err
    assert out.read_text().startswith("digraph")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg_with_graphviz(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "g.svg"
    code, _, err = cli("graph", str(ODD / "conditions.yaml"), "--format", "svg", "-o", str(out))
    assert code == 0, err
    assert "<svg" in out.read_text()


def test_svg_without_graphviz(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, _, err = cli("graph", str(ODD / "loops.yaml"), "--format", "svg", "-o",
                       str(tmp_path / "x.svg"))
    assert code == 2 and "Graphviz" in err and "apt-get install graphviz" in err
    with pytest.raises(graph.GraphvizMissing):
        graph.to_svg("digraph {}")


def test_graph_builtin(cli, builtin) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("graph", str(builtin), "--no-analysis")
    assert code == 0 and out.count("-->") + out.count("-.->") > 5


def test_graph_errors(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("graph", str(ODD / "loops.yaml"), "--format", "png")
    assert code == 2 and "invalid choice" in err
    code, _, err = cli("graph", "missing.yaml")
    assert code == 2 and "no such file" in err
