"""Twine import: each Harlowe, SugarCube and Snowman idiom kept, and bad input refused in
one line."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from sam_cowboy.authoring.twee import TweeError, convert, convert_files, parse_twee
from sam_cowboy.authoring.twine_html import convert_html
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode_data
from sam_cowboy.core.model import Episode

STORIES = Path(__file__).resolve().parent / "stories"
HARLOWE = STORIES / "harlowe-feedback.twee"
SUGAR = STORIES / "sugarcube-onboarding"
SNOWMAN = STORIES / "snowman-interview.twee"


def load(yaml: str) -> Episode:
    loaded = load_episode_data(yaml, "imported.yaml")
    assert [f.format() for f in loaded.findings if f.severity == "error"] == []
    assert loaded.episode is not None
    findings = analyse(loaded.episode).findings
    assert [f.format() for f in findings if f.severity == "error"] == []
    unreachable = [f.message for f in findings if "no run can reach" in f.message]
    assert unreachable == []  # every sample passage is reachable in its source
    return loaded.episode


def choice(ep: Episode, scene: str, text: str):  # type: ignore[no-untyped-def]
    return next(c for c in ep.scenes[scene].choices if c.text.values["en"] == text)


def blocks(ep: Episode, scene: str) -> list[tuple[str | None, str]]:
    return [(b.condition.source if b.condition else None, b.text.values["en"])
            for b in ep.scenes[scene].text]


def sugar_files() -> list[tuple[str, str]]:
    return [(p.name, p.read_text()) for p in sorted(SUGAR.glob("*.twee"))]


# ------------------------------------------------------------------ Harlowe

@pytest.fixture(scope="module")
def harlowe() -> tuple[Episode, str]:
    result = convert(HARLOWE.read_text(), "harlowe", file="harlowe.twee")
    return load(result.yaml), result.yaml


def test_harlowe_links_in_every_form(harlowe) -> None:  # type: ignore[no-untyped-def]
    ep, _ = harlowe
    monday = ep.scenes["monday"]
    assert [(c.text.values["en"], c.goto) for c in monday.choices] == [
        ("Talk to {name} today", "talk"),  # (link-goto:) with a variable in its text
        ("Wait for the retrospective", "wait"),
        ("Send a curt email", "email"),  # (link:)[(set:)(go-to:)]
        ("Read the HR guide first", "guide"),  # [[text->target]]
    ]
    assert choice(ep, "monday", "Send a curt email").effects.add == {"trust": -2}
    assert choice(ep, "talk", "Ask an open question").effects.add == {"trust": 1}  # (click:)


def test_harlowe_variables_and_conditions(harlowe) -> None:  # type: ignore[no-untyped-def]
    ep, _ = harlowe
    assert ep.variables == {"trust": 5, "late": True, "name": "Alex", "asked": False}
    assert ep.scenes["guide"].on_enter.set == {"asked": True}
    assert ep.scenes["wait"].on_enter.add == {"trust": -1}  # (set: $trust to it - 1)
    assert blocks(ep, "talk") == [("trust > 3", "{name} looks relieved you came in person."),
                                  ("not (trust > 3)", "{name} looks wary.")]
    assert choice(ep, "talk", "Use the guide's three steps").condition.source == "asked"
    assert choice(ep, "talk", "Improvise").condition.source == "not (asked)"  # (unless:)
    assert [c for c, _ in blocks(ep, "open")] == [
        "trust >= 5", "(not (trust >= 5)) and (trust > 2)",
        "(not (trust >= 5)) and (not (trust > 2))"]  # (else-if:) and (else:)
    assert choice(ep, "open", "Agree on a new schedule").condition.source == "trust >= 5"
    assert blocks(ep, "wait")[1] == ("late == true", "{name} missed another meeting.")


def test_harlowe_text_urls_display_and_notes(harlowe) -> None:  # type: ignore[no-untyped-def]
    ep, yaml = harlowe
    assert "[Company policy](https://example.com/policy)" in blocks(ep, "monday")[0][1]
    assert not any("example.com" in s for s in ep.scenes)  # an URL is never a scene
    assert blocks(ep, "close") == [(None, "The meeting ends. Remember: feedback is a gift.")]
    assert "footer" not in ep.scenes  # only ever displayed
    assert "{trust} is all the trust" in blocks(ep, "email")[0][1]  # (print: $trust)
    assert 'harlowe.twee:51: not translated: (either: \\"It goes fine.\\", \\"It is ' \
        'awkward.\\")' in yaml
    assert ep.title.values == {"en": "Giving Feedback {{title}}"}
    assert ep.scenes["wait"].choices[0].text.values["en"] == "Continue"  # text, then go-to


def test_harlowe_dimensions() -> None:
    result = convert(HARLOWE.read_text(), "harlowe", dimensions=["trust"])
    ep = load(result.yaml)
    assert list(ep.dimensions) == ["trust"]
    assert choice(ep, "monday", "Send a curt email").effects.score == {"trust": -2}
    assert result.summary.dimensions == ["trust"]
    plain = convert(HARLOWE.read_text(), "harlowe")
    assert plain.summary.meters == ["trust"]
    assert "--dimensions trust" in plain.summary.lines()[1]


# ------------------------------------------------------------------ SugarCube

@pytest.fixture(scope="module")
def sugar() -> tuple[Episode, str]:
    result = convert_files(sugar_files(), "onboarding")
    return load(result.yaml), result.yaml


def test_sugarcube_array_choices_drawn_by_a_widget(sugar) -> None:  # type: ignore[no-untyped-def]
    ep, _ = sugar
    arrival = ep.scenes["arrival"]
    assert [(c.text.values["en"], c.goto, c.effects.add) for c in arrival.choices] == [
        ("Give Sam a laptop and a buddy", "buddy", {"integrity": 1, "budget": -10}),
        ("Hand Sam the wiki link", "wiki", {}),
        ("Book an expensive offsite", "offsite", {"integrity": -1, "budget": -60}),
    ]
    assert blocks(ep, "arrival") == [(None, "Your new {role}, Sam, arrives on Monday. "
                                      "**Week one**")]  # <<include>> inlined


def test_sugarcube_links_setters_and_gotos(sugar) -> None:  # type: ignore[no-untyped-def]
    ep, _ = sugar
    plan = choice(ep, "buddy", "Plan the first review")  # [[a|b][$x to $x + 1]] in <<if>>
    assert (plan.goto, plan.effects.add, plan.condition.source) == (
        "review", {"integrity": 1}, "mentor")
    skip = choice(ep, "buddy", "Skip the review")  # <<link>><<set>><<goto>><</link>>
    assert (skip.goto, skip.effects.add) == ("review", {"integrity": -1})
    assert choice(ep, "wiki", "Check in on Friday").goto == "review"  # <<button "t" "p">>
    hr = choice(ep, "wiki", "Ask HR for help")  # <<link [[t|p]]>><<set>><</link>>
    assert (hr.goto, hr.effects.add) == ("hr", {"budget": -5})
    assert [(c.text.values["en"], c.goto) for c in ep.scenes["hr"].choices] == [
        ("Continue", "review")]  # <<goto [[Review]]>> after text
    assert "[handbook](https://example.com/handbook)" in blocks(ep, "buddy")[-1][1]


def test_sugarcube_variables_and_conditions(sugar) -> None:  # type: ignore[no-untyped-def]
    ep, yaml = sugar
    assert ep.variables == {"integrity": 5, "budget": 100, "mentor": False, "role": "analyst"}
    assert ep.scenes["offsite"].on_enter.set == {"budget": 0}
    assert blocks(ep, "buddy")[1:3] == [("budget >= 50", "There is still money for training."),
                                        ("not (budget >= 50)", "Money is tight.")]
    conds = [c.condition.source for c in ep.scenes["offsite"].choices]
    assert conds == ["integrity < 5 and not mentor",
                     "(not (integrity < 5 and not mentor)) and (integrity == 5)",
                     "(not (integrity < 5 and not mentor)) and (not (integrity == 5))"]
    assert "it would include itself): <<include \\\"Wiki\\\">>" in yaml  # cycle guard
    assert "<<timed 2s>>It arrives late.<</timed>>" in yaml  # a note keeps it whole
    assert "scenes.twee:26: not translated" in yaml


def test_sugarcube_dimensions_from_the_command(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "week.yaml"
    code, _, err = cli("import", str(SUGAR), "-o", str(out), "--dimensions",
                       "integrity,budget")
    assert code == 0, err
    assert "scored as dimensions: budget, integrity" in err
    assert re.search(r"15 passages: \d+ scenes, \d+ choices, 4 variables kept, \d+ notes "
                     r"left", err)
    check = cli.json("check", str(out), "--json")["files"][0]
    assert check["errors"] == []


# ------------------------------------------------------------------ Snowman, archives

def test_snowman_comes_through() -> None:
    result = convert(SNOWMAN.read_text(), "snowman", file="snowman.twee")
    ep = load(result.yaml)
    assert ep.start == "lobby" and len(ep.scenes) == 5
    assert [c.goto for c in ep.scenes["office"].choices] == ["truth", "exaggerate"]
    assert "snowman.twee:8: not translated: <% s.nervous = true %>" in result.yaml


def to_archive(twee: str, story_format: str = "Harlowe") -> str:
    """A Twine 2 published file for a Twee text, as Twine writes one."""
    passages = parse_twee(twee)
    by_name = {p.name: p for p in passages}
    start_name = "Monday" if "Monday" in by_name else passages[0].name
    rows = []
    for pid, p in enumerate(passages, 1):
        if p.name in ("StoryTitle", "StoryData"):
            continue
        rows.append(f'<tw-passagedata pid="{pid}" name="{html.escape(p.name)}" '
                    f'tags="{html.escape(" ".join(p.tags))}" position="0,0" size="100,100">'
                    f'{html.escape(p.text, quote=False)}</tw-passagedata>')
    start = next(i for i, p in enumerate(passages, 1) if p.name == start_name)
    return ("<!DOCTYPE html>\n<html><head><title>Giving Feedback</title>"
            "<script>var x = '<tw-storydata>'; if (a < b && c > d) {}</script></head><body>\n"
            f'<tw-storydata name="Giving Feedback" startnode="{start}" creator="Twine" '
            f'format="{story_format}" format-version="3.3.8" ifid="X" hidden>'
            '<style role="stylesheet" id="twine-user-stylesheet" type="text/twine-css">'
            "tw-story { color: red }</style>"
            '<script role="script" id="twine-user-script" type="text/twine-javascript">'
            "window.a = 1 < 2;</script>\n" + "\n".join(rows) + "\n</tw-storydata>\n"
            "<script>/* the story format */ if (1 < 2) {}</script></body></html>\n")


def test_html_archive_equals_twee(harlowe) -> None:  # type: ignore[no-untyped-def]
    ep, _ = harlowe
    result = convert_html(to_archive(HARLOWE.read_text()), "story.html", "story")
    from_html = load(result.yaml)
    assert from_html.start == "monday"
    assert set(from_html.scenes) == set(ep.scenes)
    for sid, scene in ep.scenes.items():
        other = from_html.scenes[sid]
        assert [(c.goto, c.effects, c.condition and c.condition.source) for c in
                scene.choices] == [(c.goto, c.effects, c.condition and c.condition.source)
                                   for c in other.choices]
        assert [b.text.values for b in scene.text] == [b.text.values for b in other.text]
    assert "window.a = 1 < 2;" in result.yaml and "tw-story { color: red }" in result.yaml


@pytest.mark.parametrize("source, message", [
    ("<html><body><p>hello</p></body></html>", "no Twine story in this HTML file"),
    ('<html><div id="storeArea"><div tiddler="A">x</div></div></html>', "a Twine 1 file"),
    ('<tw-storydata name="a"></tw-storydata><tw-storydata name="b"></tw-storydata>',
     "holds 2 stories"),
])
def test_bad_archives(source, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TweeError, match=message):
        convert_html(source, "s.html", "s")


# ------------------------------------------------------------------ hostile and odd input

def test_leading_comment_and_text_before_the_first_passage() -> None:
    result = convert("/* a comment */\n<!-- another -->\n:: Start\nHello.\n")
    assert load(result.yaml).start == "start" and result.warnings == []
    result = convert("notes to self\n:: Start\nHello.\n")
    assert result.warnings == [("story.twee:1", "text before the first passage is ignored")]


def test_deeply_nested_story_data_is_refused_cleanly() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    result = convert(f':: StoryData\n{{"start": "B", "x": {deep}}}\n:: A\n[[B]]\n:: B\nEnd\n')
    assert load(result.yaml).start == "a"  # the StoryData was ignored, the story imported
    assert any("nests deeper than 64 levels" in m for _, m in result.warnings)


def test_deep_nesting_in_passages_has_no_recursion_limit() -> None:
    depth = 5000
    text = "(if: $x)[" * depth + "[[Deep->B]]" + "]" * depth
    result = convert(f":: A\n(set: $x to true)\n{text}\n:: B\nEnd\n")
    ep = load(result.yaml)
    assert [c.goto for c in ep.scenes["a"].choices] == ["b"]
    assert "<<" * 3000 + ">>" * 3000  # and macros that never close
    result = convert(":: A\n" + "<<if true>>" * 3000 + "[[B]]\n:: B\nx\n")
    assert load(result.yaml).scenes["a"].choices


def test_notes_are_whole_and_sanitised() -> None:
    long_hook = "(either: " + ", ".join(f'"option {i}"' for i in range(80)) + ")"
    result = convert(f":: A\n{long_hook}\n[[\x1b[2Jbold|B]]\n:: B\n[bold]x[/] \x1b]52;c;x\x07\n")
    ep = load(result.yaml)
    assert long_hook.replace('"', '\\"') in result.yaml  # never cut
    assert "\x1b" not in result.yaml and "\x07" not in result.yaml
    assert ep.scenes["b"].text[0].text.values["en"].startswith("[bold]x[/]")


def test_warnings_are_one_clean_line(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    story = tmp_path / "s.twee"
    story.write_text(":: A\u202e\x1b(B\x9b\n(weird: 1)\n[[go|Nowhere\x1b]52;c;x\x07]]\n")
    code, _, err = cli("import", str(story), "-o", "-")
    assert code == 0
    assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err \
        and "\x9b" not in err
    assert f"{story}:2: warning: passage `A" in err


@pytest.mark.parametrize("source, where", [
    (":: A [x\n", "s.twee:1:6:"),
    (":: \nx\n", "s.twee:1:1:"),
    (":: A\nx\n:: A\ny\n", "s.twee:3:1:"),
    (":: StoryTitle\nT\n", "s.twee:1:1:"),
])
def test_bad_twee_is_one_line(cli, tmp_path, source, where) -> None:  # type: ignore[no-untyped-def]
    story = tmp_path / "s.twee"
    story.write_text(source)
    code, _, err = cli("import", str(story), "-o", "-")
    assert code == 2 and err.count("\n") == 1 and where in err and "Traceback" not in err


def test_bad_files(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "latin.twee").write_bytes(b":: A\ncaf\xe9\n")
    code, _, err = cli("import", str(tmp_path / "latin.twee"), "-o", "-")
    assert code == 2 and "not UTF-8" in err
    (tmp_path / "empty").mkdir()
    code, _, err = cli("import", str(tmp_path / "empty"), "-o", "-")
    assert code == 2 and "no .twee or .tw file" in err


def test_a_story_title_with_braces(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    story = tmp_path / "t.twee"
    story.write_text(":: StoryTitle\nThe {title} of {{x}}\n:: A\nSay {hello} $x.\n")
    out = tmp_path / "t.yaml"
    code, _, err = cli("import", str(story), "-o", str(out))
    assert code == 0, err
    check = cli.json("check", str(out), "--json")["files"][0]
    assert check["errors"] == []
