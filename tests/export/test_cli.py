"""`sam-cowboy export` on bad input: one line on stderr, the documented exit status, no file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sam_cowboy.cli import main
from sam_cowboy.commands.common import load_playable
from sam_cowboy.export.compile import compile_episode

BROKEN = """sam_cowboy: 1
id: broken
title: Broken
dimensions: {a: {label: A}}
start: s
scenes:
  s:
    choices:
      - {text: go, goto: nowhere}
"""


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    out = tmp_path / "out.html"
    assert main(["export", str(bad), "-o", str(out)]) == 1
    assert re.search(r"broken\.yaml:\d+:\d+", one_error(capsys))
    assert main(["export", str(tmp_path / "missing.yaml"), "-o", str(out)]) == 2
    one_error(capsys)
    assert main(["export", "ep01-google-test", "--format", "pdf"]) == 2
    one_error(capsys)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for fmt in ("html", "cmi5"):
        assert main(["export", "ep01-google-test", "--format", fmt, "-o",
                     str(blocker / "x.out")]) == 2
        assert "is a file" in one_error(capsys)
    assert not out.exists()


def test_default_name_and_stable_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "ep01-google-test", "--format", "scorm12"]) == 0
    first = (tmp_path / "ep01-google-test-scorm12.zip").read_bytes()
    assert main(["export", "ep01-google-test", "--format", "scorm12"]) == 0
    assert (tmp_path / "ep01-google-test-scorm12.zip").read_bytes() == first


def test_compiled_form_has_no_source_to_evaluate() -> None:
    """Conditions travel as syntax trees; integers as strings for BigInt."""
    episode, analysis = load_playable("ep01-google-test")
    data = compile_episode(episode, analysis)
    conditions = [c["if"] for s in data["scenes"] for c in s["choices"] if c["if"]]
    conditions += [r["if"] for s in data["scenes"] for r in s["route"] if r["if"]]
    assert conditions and all(isinstance(c, list) and c[0] in
                              ("lit", "int", "var", "visits", "score", "neg", "not", "bin")
                              for c in conditions)
    sources = {str(e.source) for s in episode.scenes.values() for e in
               [c.condition for c in s.choices] + [r.condition for r in s.route] if e}
    text = json.dumps(data)
    assert not any(f'"{src}"' in text for src in sources if " " in src)
    assert data["weights"] and all(w.isdigit() for w in data["weights"])
