"""Bad input through the command line: a clear finding or error, exit 1 or 2, never a
traceback, in bounded time."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from cli_support import LINE_RE, sam

GOOD = textwrap.dedent("""\
    sam_cowboy: 1
    id: t
    title: T
    dimensions: {d: {label: D}}
    variables: {flag: true, name: Sam}
    start: a
    scenes:
      a:
        choices:
          - id: c
            text: Go
            if: "COND"
            goto: end
          - {id: other, text: Other, goto: end}
      end:
        ending: {kind: good}
    """)

LAUGHS = "".join(
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9 if p else ['"lol"'] * 9) + "]\n"
    for p, c in zip([None, "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi", strict=True))


def _cond(expr: str) -> bytes:
    return GOOD.replace("COND", expr.replace('"', '\\"')).encode()


CASES: dict[str, bytes] = {
    "malformed": b"sam_cowboy: 1\nscenes: [\n  a: {\n",
    "tabs": b"sam_cowboy: 1\n\tid: t\n",
    "not-a-mapping": b"- just\n- a list\n",
    "empty": b"",
    "only-comment": b"# nothing\n",
    "scalar": b"hello\n",
    "wrong-types": b"sam_cowboy: one\nid: [1]\ntitle: {}\ndimensions: 3\nstart: {}\n"
                   b"scenes: [a, b]\nvariables: x\n",
    "typo": GOOD.replace("choices:", "chioces:").encode(),
    "binary": bytes(range(256)) * 4,
    "nul": b"sam_cowboy: 1\x00\n",
    "latin1": "sam_cowboy: 1\nid: t\ntitle: Caf\xe9\n".encode("latin-1"),
    "utf16": "sam_cowboy: 1\n".encode("utf-16"),
    "billion-laughs": LAUGHS.encode(),
    "nested-flow": b"[" * 20_000 + b"]" * 20_000,
    "nested-block": b"- " * 20_000 + b"x\n",
    "nested-map": b"{a: " * 20_000 + b"1" + b"}" * 20_000,
    "python-tag": b"sam_cowboy: !!python/object/apply:os.system ['echo pwned']\n",
    "huge-int": GOOD.replace("{d: {label: D}}", "{d: {label: D, weight: " + "9" * 5000
                             + "}}").encode(),
    "import": _cond("__import__('os').system('echo pwned')"),
    "attribute": _cond("name.upper() == 'SAM'"),
    "indexing": _cond("name[0] == 'S'"),
    "unknown-function": _cond("len(name) > 2"),
    "truthiness": _cond("name"),
    "deep-expression": _cond("(" * 5000 + "flag" + ")" * 5000),
}


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    with path.open("wb") as f:
        f.write(b"sam_cowboy: 1\nx-pad: '")
        chunk = b"x" * (1024 * 1024)
        for _ in range(50):
            f.write(chunk)
        f.write(b"'\n")
    return path


def _check(path: Path, *extra: str):
    done = sam("check", str(path), *extra, timeout=60)
    assert done.code in (1, 2), (done.code, done.out, done.err)
    assert done.seconds < 15, done.seconds
    return done


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_bad_input_without_a_traceback(name: str, tmp_path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(CASES[name])
    done = _check(path)
    assert "pwned" not in done.out.splitlines()  # nothing was executed
    if done.code == 1:
        errors = [m for m in map(LINE_RE.match, done.out.splitlines()) if m and
                  m["sev"] == "error"]
        assert errors, done.out
        assert all(m["file"] == str(path) for m in errors)
    else:
        assert done.err.strip() and len(done.err.strip().splitlines()) == 1


JSON_CASES = ["malformed", "wrong-types", "binary", "billion-laughs", "nested-flow", "huge-int",
              "import"]
RUN_CASES = ["malformed", "typo", "latin1", "billion-laughs", "nested-block", "huge-int",
             "indexing", "empty"]


@pytest.mark.parametrize("name", JSON_CASES)
def test_check_json_reports_bad_input(name: str, tmp_path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(CASES[name])
    done = _check(path, "--json")
    if done.code == 1:
        (entry,) = json.loads(done.out)["files"]
        assert entry["errors"]
        for e in entry["errors"]:
            assert e["line"] >= 1 and e["column"] >= 1 and e["message"]


@pytest.mark.parametrize("name", RUN_CASES)
def test_run_refuses_bad_input_without_a_traceback(name: str, tmp_path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(CASES[name])
    done = sam("run", str(path), "--choices", "1", "--json", timeout=60)
    assert done.code in (1, 2)
    assert done.out == ""
    assert len(done.err.strip().splitlines()) == 1


def test_fifty_megabyte_file(big_file: Path) -> None:
    done = _check(big_file)
    assert "MB" in done.out + done.err or "MiB" in done.out + done.err
    done = sam("run", str(big_file), "--choices", "1", timeout=60)
    assert done.code in (1, 2) and done.seconds < 15


def test_plain_play_refuses_bad_input(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(CASES["typo"])
    done = sam("play", str(path), "--plain", stdin="1\n")
    assert done.code in (1, 2)
    assert len(done.err.strip().splitlines()) == 1


def test_directory_given_as_an_episode(tmp_path) -> None:
    done = sam("run", str(tmp_path), "--choices", "1")
    assert done.code == 2


@pytest.mark.parametrize("value", ["0x5", "+-5", "9" * 5000, "99999999999999", "1e3"])
def test_set_refuses_numbers_out_of_range_in_one_line(value: str) -> None:
    from cli_support import EP00, one_line_error, sam

    done = sam("run", str(EP00), "--set", f"invitations={value}", "--choices", "1")
    assert done.code == 2 and "--set" in one_line_error(done)
