from __future__ import annotations

import pytest

from sam_cowboy.authoring.twee import TweeError, convert, parse_link
from sam_cowboy.core.loader import load_episode, load_episode_data

from .conftest import ODD

STORY = ODD / "story.twee"


@pytest.mark.parametrize("inner, text, target", [
    ("Research", "Research", "Research"),
    ("Go on->Next room", "Go on", "Next room"),
    ("Next room<-Go on", "Go on", "Next room"),
    ("Go on|Next room", "Go on", "Next room"),
    ("a->b->c", "a->b", "c"),  # the rightmost ->
    ("x<-y<-z", "y<-z", "x"),  # the leftmost <-
    ("a|b|c", "a|b", "c"),  # the rightmost |, as SugarCube reads it
])
def test_link_forms(inner, text, target) -> None:  # type: ignore[no-untyped-def]
    link = parse_link(inner)
    assert (link.text, link.target) == (text, target)


def test_setter_link() -> None:
    link = parse_link("Call|Claire][$score to 2")
    assert (link.text, link.target, link.setter) == ("Call", "Claire", "$score to 2")


def test_convert_story() -> None:
    result = convert(STORY.read_text(), "story")
    loaded = load_episode_data(result.yaml, "story.yaml")
    assert loaded.errors == []
    ep = loaded.episode
    assert ep is not None
    assert ep.id == "the-cold-call" and ep.title.values == {"en": "The Cold Call"}
    assert ep.start == "monday"  # from StoryData
    monday = ep.scenes["monday"]
    assert [c.goto for c in monday.choices] == ["alphabet", "research", "coffee", "research"]
    assert [c.text.values["en"] for c in monday.choices][:3] == [
        "Call them all, alphabetically", "Research the three warmest leads",
        "Take a coffee first"]
    assert len({c.id for c in monday.choices}) == 4
    assert ep.scenes["claire"].ending.kind == "good"  # from the passage's tag
    assert ep.scenes["stop"].ending.kind == "mixed"
    assert "missing-passage" in ep.scenes and ep.scenes["missing-passage"].ending
    assert "userstylesheet" not in ep.scenes
    assert "**Who should he call first?**" in monday.text[0].text.values["en"]
    assert monday.on_enter.set == {"calls": 0}
    assert ep.variables == {"calls": 0, "warm": False, "v_score": 0}
    claire = next(c for c in ep.scenes["research"].choices if c.goto == "claire")
    assert claire.effects.set == {"v_score": 2}  # the setter link `[$score to 2]`
    messages = [m for _, m in result.warnings]
    assert any("not a passage" in m for m in messages)
    assert ("story.twee:13", next(m for m in messages if "UserStylesheet" in m)) \
        in result.warnings


def test_start_falls_back_to_start_passage() -> None:
    result = convert(":: Intro\nHi [[Start]]\n\n:: Start\nThe end.\n", "s")
    ep = load_episode_data(result.yaml).episode
    assert ep is not None and ep.start == "start" and ep.id == "s"


@pytest.mark.parametrize("source, message", [
    ("", "no passage"),
    (":: A\nx\n:: A\ny\n", "two passages"),
    (":: StoryTitle\nT\n", "no passage to import"),
])
def test_bad_twee(source, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TweeError, match=message):
        convert(source)


def test_import_command(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "cold.yaml"
    code, _, err = cli("import", str(STORY), "-o", str(out))
    assert code == 0, err
    assert "10 passages: 8 scenes, 9 choices, 3 variables kept" in err
    check = cli.json("check", str(out), "--json")["files"][0]
    assert check["errors"] == []
    code, _, err = cli("import", str(STORY), "-o", str(out))
    assert code == 2 and "already exists" in err
    code, _, _ = cli("import", str(STORY), "-o", str(out), "--force")
    assert code == 0
    code, stdout, _ = cli("import", str(STORY), "-o", "-", "--lang", "fr")
    assert code == 0 and "languages: [fr]" in stdout
    assert load_episode(out).episode is not None


def test_import_errors(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("import", str(tmp_path / "none.twee"))
    assert code == 2 and "no such file" in err
    bad = tmp_path / "bad.twee"
    bad.write_text("text first\n:: A [x\n")
    code, _, err = cli("import", str(bad))
    assert code == 2 and "bad.twee:2:" in err and "not closed" in err
    code, _, err = cli("import", str(STORY), "--lang", "English")
    assert code == 2 and "language code" in err
