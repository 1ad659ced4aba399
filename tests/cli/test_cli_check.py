"""`sam-cowboy check`: text lines, summary, exit codes, and the JSON shape of CLI.md."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest
from cli_support import EP00, LINE_RE, SCRIPT, one_line_error, sam

BROKEN = textwrap.dedent("""\
    sam_cowboy: 1
    id: broken
    title: Broken
    dimensions:
      d: {label: D}
    start: a
    scenes:
      a:
        chioces:
          - text: Go
            goto: end
      b:
        choices:
          - id: c
            text: Go
            score: {d: 1}
            goto: ned
      end:
        ending: {kind: good}
    """)


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_check_clean_example_exits_0_with_lines_and_summary(tmp_path) -> None:
    shutil.copy(EP00, tmp_path / "ep00.yaml")
    done = sam("check", "ep00.yaml", cwd=tmp_path)
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines, done.out
    for line in lines[:-1]:
        m = LINE_RE.match(line)
        assert m, line
        assert m["file"] == "ep00.yaml" and m["sev"] == "warning"
    summary = lines[-1]
    assert not LINE_RE.match(summary)
    assert "1 file" in summary and "0 errors" in summary
    assert f"{len(lines) - 1} warning" in summary


def test_check_errors_exit_1_with_positions(broken) -> None:
    done = sam("check", str(broken))
    assert done.code == 1
    findings = [LINE_RE.match(line) for line in done.out.splitlines()[:-1]]
    assert all(findings), done.out
    errors = [m for m in findings if m and m["sev"] == "error"]
    typo = next(m for m in errors if "chioces" in m["msg"])
    assert (typo["file"], typo["line"], typo["col"]) == (str(broken), "9", "5")
    assert "did you mean `choices`?" in typo["msg"]
    goto = next(m for m in errors if "`ned`" in m["msg"])
    assert (goto["line"], goto["col"]) == ("17", "15")
    assert "did you mean `end`?" in goto["msg"]
    assert f"{len(errors)} error" in done.out.splitlines()[-1]


def test_check_json_of_the_example_matches_cli_md(tmp_path) -> None:
    shutil.copy(EP00, tmp_path / "ep00.yaml")
    done = sam("check", "ep00.yaml", "--json", cwd=tmp_path)
    assert done.code == 0
    data = json.loads(done.out)
    assert list(data) == ["files"]
    (entry,) = data["files"]
    assert entry["file"] == "ep00.yaml"
    assert entry["episode"] == "ep00-first-invite"
    assert entry["errors"] == []
    assert entry["scenes"] == 5
    assert entry["endings"] == ["accepted", "ignored"]
    assert entry["unreachable"] == [] and entry["dead_ends"] == []
    assert entry["bounds"] == {"brand": [0, 2], "relationship": [-2, 2]}
    # more keys are welcome (CLI.md); these are the contract
    assert entry["best_run"]["path"] == [{"scene": "monday", "choice": "fix-profile"},
                                         {"scene": "invite", "choice": "personal"}]
    assert entry["best_run"]["overall"] == 100
    for w in entry["warnings"]:
        assert set(w) == {"line", "column", "scene", "choice", "message"}
        assert isinstance(w["line"], int) and isinstance(w["column"], int)
        assert isinstance(w["message"], str)


def test_check_json_with_errors(broken) -> None:
    done = sam("check", str(broken), "--json")
    assert done.code == 1
    (entry,) = json.loads(done.out)["files"]
    assert entry["file"] == str(broken)
    assert entry["errors"]
    for e in entry["errors"] + entry["warnings"]:
        assert set(e) == {"line", "column", "scene", "choice", "message"}
    typo = next(e for e in entry["errors"] if "chioces" in e["message"])
    assert (typo["line"], typo["column"], typo["scene"], typo["choice"]) == (9, 5, "a", None)
    goto = next(e for e in entry["errors"] if "`ned`" in e["message"])
    assert (goto["line"], goto["column"], goto["scene"], goto["choice"]) == (17, 15, "b", "c")


def test_check_json_names_the_episode_of_a_file_with_errors(broken) -> None:
    # CLI.md's example shows the episode's id beside its errors
    (entry,) = json.loads(sam("check", str(broken), "--json").out)["files"]
    assert entry["episode"] == "broken"


def test_check_json_of_a_dead_end_and_unreachable_scene(tmp_path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(textwrap.dedent("""\
        sam_cowboy: 1
        id: e
        title: E
        dimensions: {d: {label: D}}
        variables: {burnt: false}
        start: a
        scenes:
          a:
            choices:
              - {id: burn, text: Burn, set: {burnt: true}, goto: b}
              - {id: safe, text: Safe, score: {d: 1}, feedback: F, goto: b}
          b:
            choices:
              - {text: Go, if: "not burnt", goto: end}
          lost:
            choices:
              - {text: Go, goto: end}
          end:
            ending: {kind: good}
        """), encoding="utf-8")
    done = sam("check", str(path), "--json")
    assert done.code == 0
    (entry,) = json.loads(done.out)["files"]
    assert entry["unreachable"] == ["lost"]
    assert entry["dead_ends"] == ["b"]
    assert entry["bounds"] == {"d": [1, 1]}


def test_check_folder_means_every_yaml_but_series(tmp_path, broken) -> None:
    shutil.copy(EP00, tmp_path / "ep00.yaml")
    (tmp_path / "notes.txt").write_text("not an episode")
    done = sam("check", str(tmp_path), "--json")
    files = sorted(e["file"] for e in json.loads(done.out)["files"])
    assert [f.rsplit("/", 1)[-1] for f in files] == ["broken.yaml", "ep00.yaml"]
    assert done.code == 1


def test_check_folder_with_series(tmp_path) -> None:
    (tmp_path / "series.yaml").write_text(textwrap.dedent("""\
        sam_cowboy: 1
        series: s
        title: S
        languages: [en]
        episodes: [one]
        dimensions:
          d: {label: D}
        """), encoding="utf-8")
    (tmp_path / "one.yaml").write_text(textwrap.dedent("""\
        sam_cowboy: 1
        id: one
        title: One
        start: a
        scenes:
          a:
            choices:
              - {text: Go, score: {d: 1}, feedback: F, goto: end}
              - {text: No, goto: end}
          end:
            ending: {kind: good}
        """), encoding="utf-8")
    done = sam("check", str(tmp_path), "--json")
    assert done.code == 0, done.out
    (entry,) = json.loads(done.out)["files"]
    assert entry["bounds"] == {"d": [0, 1]}


def test_check_several_paths(tmp_path, broken) -> None:
    shutil.copy(EP00, tmp_path / "ep00.yaml")
    done = sam("check", str(tmp_path / "ep00.yaml"), str(broken))
    assert done.code == 1
    assert "2 files" in done.out.splitlines()[-1]


@pytest.mark.parametrize("args", [["check"], ["check", "--bogus", "x.yaml"],
                                  ["check", "/nonexistent/ep.yaml"], ["--nope"],
                                  ["frobnicate"]])
def test_bad_usage_exits_2_with_one_line(args: list[str]) -> None:
    done = sam(*args)
    assert done.code == 2
    one_line_error(done)


def test_missing_file_names_the_file() -> None:
    done = sam("check", "/nonexistent/ep.yaml")
    assert "/nonexistent/ep.yaml" in one_line_error(done)


def test_empty_folder_exits_2(tmp_path) -> None:
    done = sam("check", str(tmp_path))
    assert done.code == 2
    one_line_error(done)


def test_console_script_is_installed(tmp_path) -> None:
    shutil.copy(EP00, tmp_path / "ep00.yaml")
    proc = subprocess.run([str(SCRIPT), "check", "ep00.yaml"], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0 and "1 file" in proc.stdout


NO_UI = """
import sys
from sam_cowboy.cli import main
code = main({args!r})
ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
print('UI-MODULES:' + ','.join(ui), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("args", [
    ["check", str(EP00)], ["check", str(EP00), "--json"],
    ["run", str(EP00), "--choices", "1,2", "--json"],
    ["run", str(EP00), "--choice-ids", "fix-profile", "--json"],
    ["run", str(EP00), "--choices", "1,2"],
    ["run", str(EP00), "--choices", "9"],
])
def test_check_and_run_do_not_import_textual(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-c", NO_UI.format(args=args)], capture_output=True,
                          text=True, timeout=60)
    marker = [line for line in proc.stderr.splitlines() if line.startswith("UI-MODULES:")]
    assert marker == ["UI-MODULES:"], proc.stderr


LOADED_COMMANDS = """
import sys
from sam_cowboy.cli import build_parser
build_parser({args!r})
print(','.join(sorted(m.rsplit('.', 1)[1] for m in sys.modules
                      if m.startswith('sam_cowboy.commands.'))))
"""


@pytest.mark.parametrize(("args", "loaded"), [
    (["check", "x.yaml"], {"check"}),
    (["--lang", "fr", "--player", "run", "play", "x"], {"play", "common"}),
    (["--library=here", "import", "s.twee"], {"import_"}),
])
def test_only_the_named_command_module_is_imported(args: list[str], loaded: set[str]) -> None:
    proc = subprocess.run([sys.executable, "-c", LOADED_COMMANDS.format(args=args)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert set(proc.stdout.strip().split(",")) == loaded


def test_help_and_unknown_commands_list_every_command() -> None:
    from sam_cowboy.cli import build_parser, command_modules, command_names

    names = command_names()
    for module in command_modules():  # a module is named after its command
        assert names[module.NAME] == module.__name__.rsplit(".", 1)[1]
    assert set(names) == {"play", "run", "check", "new", "graph", "randomtest", "stats",
                          "schema", "import", "i18n", "workshop", "serve", "report", "handouts",
                          "export", "commitments", "season"}
    help_text = build_parser(["--help"]).format_help()
    assert all(name in help_text for name in names)
    assert all(name in build_parser(["plya"]).format_help() for name in names)
