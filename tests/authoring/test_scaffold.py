from __future__ import annotations

import pytest

from sam_cowboy.core.loader import load_episode


@pytest.mark.parametrize("langs", ["en", "fr", "fr,en", "en,fr,de"])
def test_new_passes_check_cleanly(cli, tmp_path, langs) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("new", "ep09-demo", "--dir", str(tmp_path), "--lang", langs)
    assert code == 0, err
    path = tmp_path / "ep09-demo.yaml"
    data = cli.json("check", str(path), "--json")
    entry = data["files"][0]
    assert entry["errors"] == [] and entry["warnings"] == []
    ep = load_episode(path).episode
    assert ep is not None and ep.languages == tuple(langs.split(","))
    assert len(ep.scenes) >= 4
    assert len(ep.endings()) >= 2
    assert any(s.card is not None for s in ep.scenes.values())
    assert any(c.condition is not None for s in ep.scenes.values() for c in s.choices)
    text = path.read_text()
    assert text.count("#") > 10  # commented for trainers
    rt = cli.json("randomtest", str(path), "-n", "300", "--json")
    assert all(n > 0 for n in rt["endings"].values())
    assert rt["unvisited_scenes"] == [] and rt["unpicked_choices"] == []


def test_new_refuses_to_overwrite(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ep09.yaml"
    path.write_text("mine\n")
    code, _, err = cli("new", "ep09", "--dir", str(tmp_path))
    assert code == 2 and "already exists" in err
    assert path.read_text() == "mine\n"


@pytest.mark.parametrize("args, message", [
    (["new", "Bad_Id"], "not a valid episode id"),
    (["new", "ok", "--lang", "fr,fr"], "twice"),
    (["new", "ok", "--lang", "French"], "not a language code"),
    (["new", "ok", "--dir", "/nonexistent/folder"], "no such folder"),
    (["new"], "required"),
])
def test_new_usage_errors(cli, tmp_path, monkeypatch, args, message) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(*args)
    assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []
