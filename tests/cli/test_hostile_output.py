"""No control sequence from a file reaches the terminal (issue 15, item 1).

Keys, ids, `goto` targets, conditions, values and CSV keys hold an OSC 52 clipboard write,
a clear-screen, C1 controls and a right-to-left override; every command that reads a file
runs on them, and nothing it prints (stdout or stderr) may hold a control character."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_support import sam

# written in YAML double-quoted escapes: ESC ] 52 (clipboard), BEL, ESC [ 2J, CSI (C1), RLO
H = r"\e]52;c;SGVsbG8=\a\e[2J\x9b31m\u202eX\u2066\x07"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

VALID = f"""\
sam_cowboy: 1
id: hostile
title: "T{H}"
languages: [en]
summary: "S{H}"
"x-{H}": "tool{H}"
dimensions:
  d: {{label: "D{H}", description: "d{H}"}}
variables:
  name: "N{H}"
  flag: false
start: a
scenes:
  a:
    title: "A{H}"
    text: "Hello {{name}} {H}"
    card: {{kind: post, author: "au{H}", reactions: 0x10, body: "card{H}"}}
    trainer_notes: "notes{H}"
    choices:
      - {{id: one, text: "one{H}", score: {{d: 1}}, feedback: "fb{H}", goto: b}}
      - {{id: two, text: "two{H}", if: "name == 'x{H}'", goto: b}}
      - {{id: three, text: "three{H}", set: {{flag: true}}, goto: b}}
  b:
    text: "B{H}"
    ending: {{kind: good, title: "E{H}"}}
"""

BROKEN = f"""\
sam_cowboy: 1
id: "bad{H}"
title: T
"k{H}": 1
dimensions:
  "d{H}": {{label: D}}
variables:
  "v{H}": 1
start: "s{H}"
scenes:
  "a{H}":
    text: hi
    choices:
      - {{id: "c{H}", text: go, goto: "g{H}", if: "v{H} > 0", score: {{"x{H}": 1}}}}
      - {{id: ok, text: go, if: "visits('{H}') > 0 and score('{H}') > 1", goto: "b"}}
      - {{id: ok2, text: go, if: "1 + {H}", goto: "b", "z{H}": 1}}
  b:
    ending: {{kind: "k{H}"}}
"""

BAD_YAML = [
    f'a: !<tag{H}> 1\n',
    f'a: *alias{H}\n',
    f'a: "x"\n"a": "{H}"\n"a": 2\n',
    f'sam_cowboy: "{H}"\n',
]


def assert_clean(*texts: str) -> None:
    for text in texts:
        found = CONTROL.search(text)
        assert found is None, f"{found.group()!r} reached the terminal in:\n{text[:2000]}"


def commands(path: Path, tmp: Path) -> list[list[str]]:
    p = str(path)
    return [
        ["check", p], ["check", "--json", p],
        ["run", p, "--choices", "1,1"], ["run", "--json", p, "--choices", "1"],
        ["run", p, "--choice-ids", "one"],
        ["run", p, "--at", f"zz{H}"], ["run", p, "--set", f"name=v{H}"],
        ["play", "--plain", p], ["play", "--plain", "--practice", p],
        ["stats", p], ["stats", "--json", p],
        ["graph", p], ["graph", "--format", "dot", p],
        ["randomtest", "-n", "20", p], ["randomtest", "--json", "-n", "5", p],
        ["i18n", "export", "--lang", "fr", p],
    ]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SAM_COWBOY_DB", str(tmp_path / "results.sqlite3"))
    return tmp_path



@pytest.mark.parametrize("which", ["valid", "broken"])
def test_every_command_on_a_hostile_file(env: Path, which: str) -> None:
    path = env / f"{which}.yaml"
    path.write_text(VALID if which == "valid" else BROKEN, encoding="utf-8")
    if which == "valid":  # the test must be about a file that plays
        assert sam("check", str(path)).code == 0
    for args in commands(path, env):
        done = sam(*args, stdin="1\n1\n1\n")
        assert done.code in (0, 1, 2), (args, done.err)
        assert_clean(done.out, done.err)


@pytest.mark.parametrize("text", BAD_YAML)
def test_unreadable_yaml_with_hostile_bytes(env: Path, text: str) -> None:
    path = env / "ep.yaml"
    path.write_text(text, encoding="utf-8")
    for args in (["check", str(path)], ["run", str(path)], ["stats", str(path)]):
        done = sam(*args)
        assert done.code in (1, 2)
        assert_clean(done.out, done.err)


def test_hostile_file_names_and_arguments(env: Path) -> None:
    name = env / "ep\x1b[2J\u202e.yaml"
    name.write_text(VALID, encoding="utf-8")
    for args in (["check", str(name)], ["run", str(name) + "x"], ["play", "--plain", f"no{chr(27)}[2J"],
                 ["stats", str(name)], ["check", "--json", str(name)]):
        done = sam(*args, stdin="1\n")
        assert done.code in (0, 1, 2)
        assert_clean(done.out, done.err)


def test_hostile_csv_keys_in_i18n_import(env: Path) -> None:
    path = env / "ep.yaml"
    path.write_text(VALID.replace("languages: [en]", "languages: [en, fr]"), encoding="utf-8")
    csv = env / "fr.csv"
    bad = "\x1b]52;c;SGVsbG8=\x07\x1b[2J\u202e"
    csv.write_text(f"key,source,fr\nscenes.a{bad}.text,x{bad},y{bad}\ntitle,T,T{bad}\n",
                   encoding="utf-8")
    for extra in (["--dry-run"], []):
        done = sam("i18n", "import", *extra, str(csv), str(path))
        assert done.code in (0, 1, 2)
        assert_clean(done.out, done.err)
    assert_clean(sam("check", str(path)).err)


def test_hostile_player_name(env: Path) -> None:
    path = env / "ep.yaml"
    path.write_text(VALID, encoding="utf-8")
    done = sam("--player", "\x1b]0;pwned\x07\u202eeve", "play", "--plain", str(path),
               stdin="1\n")
    assert done.code in (0, 1, 2)
    assert_clean(done.out, done.err)


def test_the_filter_holds_across_writes_and_restores_the_streams(capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from sam_cowboy.output import safe_output

    before = sys.stdout
    with safe_output():
        for part in ("a\x1b", "]52;c;SGVsbG8=", "\x07b\x1b[", "2Jc\u202ed\n"):
            sys.stdout.write(part)
        print("e\x9b31m\tf", file=sys.stderr)
    assert sys.stdout is before
    out, err = capsys.readouterr()
    assert_clean(out, err)
    assert out.startswith("a") and "b" in out and out.endswith("d\n") and err == "e31m\tf\n"


RAW = "\x1b]52;c;SGVsbG8=\x07\x1b[2J\x9b31m\u202eX\u2066"


def test_workshop_and_report_with_hostile_titles(env: Path) -> None:
    import json

    from workshop.support import RunningServer  # tests/workshop: a real server in a thread

    path = env / "valid.yaml"
    path.write_text(VALID, encoding="utf-8")
    with RunningServer(str(env / "ws.sqlite3")) as server:
        done = sam("workshop", "create", str(path), "--title", f"Monday{RAW}", "--server",
                   server.url, "--json", "--mode", "async")
        assert_clean(done.out, done.err)
        assert done.code == 0, done.err
        made = json.loads(done.out)
        for fmt in ("md", "csv", "json", "html", "xapi"):  # the key create kept on this machine
            done = sam("report", made["code"], "--format", fmt, "--server", server.url)
            assert done.code in (0, 1, 2)
            assert_clean(done.out, done.err)
        done = sam("workshop", "join", made["join_url"], "--name", f"eve{RAW}", "--plain",
                   stdin="1\n1\n", timeout=60)
        assert done.code in (0, 1, 2)
        assert_clean(done.out, done.err)


def test_import_of_a_hostile_twee_story(env: Path) -> None:
    story = env / "story.twee"
    story.write_text(f":: StoryTitle\nT{RAW}\n\n:: Start{RAW}\nHello{RAW} [[go{RAW}->End{RAW}]]"
                     f" [[missing{RAW}]]\n\n:: End{RAW}\nBye{RAW}\n", encoding="utf-8")
    for args in (["import", str(story), "-o", "-"], ["import", str(story), "-o",
                                                      str(env / "out.yaml")]):
        done = sam(*args)
        assert done.code in (0, 1, 2)
        assert_clean(done.out, done.err)
