from __future__ import annotations

import csv
import io
import shutil

import pytest

from sam_cowboy.authoring import translate as tr
from sam_cowboy.core.loader import load_episode


def rows(path):  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write(path, table):  # type: ignore[no-untyped-def]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)


@pytest.fixture
def starter(cli, tmp_path):  # type: ignore[no-untyped-def]
    cli("new", "ep09", "--dir", str(tmp_path))  # English only, commented
    return tmp_path / "ep09.yaml"


def test_export_keys(cli, tmp_path, starter) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "fr.csv"
    code, _, err = cli("i18n", "export", str(starter), "--lang", "fr", "-o", str(out))
    assert code == 0, err
    table = rows(out)
    assert table[0] == ["key", "source:en", "translation:fr", "source_hash", "status"]
    keys = [r[0] for r in table[1:]]
    for key in ("title", "summary", "dimensions.relationship.label", "scenes.monday.title",
                "scenes.monday.card.body", "scenes.monday.trainer_notes",
                "scenes.monday.choices.brochure.text", "scenes.monday.choices.brochure.feedback",
                "scenes.message.text.1", "scenes.message.text.2", "debrief.1"):
        assert key in keys
    assert all(r[4] == "missing" for r in table[1:])
    assert all(r[3] == tr.source_hash(r[1]) for r in table[1:])


def test_round_trip_keeps_comments_and_order(cli, tmp_path, starter) -> None:  # type: ignore[no-untyped-def]
    before = starter.read_text()
    out = tmp_path / "fr.csv"
    cli("i18n", "export", str(starter), "--lang", "fr", "-o", str(out))
    table = rows(out)
    for r in table[1:]:
        r[2] = "FR " + r[1] + ("\nsur deux lignes" if r[0] == "scenes.monday.text" else "")
    write(out, table)
    code, stdout, err = cli("i18n", "import", str(out), str(starter))
    assert code == 0, err
    assert "added fr to languages" in stdout
    after = starter.read_text()
    # every comment line survives, in order
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert "x-translations:" in after
    ep = load_episode(starter).episode
    assert ep is not None and ep.languages == ("en", "fr")
    assert ep.scenes["monday"].text[0].text.values["fr"].endswith("\nsur deux lignes")
    assert ep.scenes["monday"].choices[1].feedback.values["fr"].startswith("FR ")
    check = cli.json("check", str(starter), "--json")["files"][0]
    assert check["errors"] == [] and check["warnings"] == []
    # exporting again: everything reviewed; importing again changes nothing
    cli("i18n", "export", str(starter), "--lang", "fr", "-o", str(out))
    assert {r[4] for r in rows(out)[1:]} == {"reviewed"}
    text = starter.read_text()
    cli("i18n", "import", str(out), str(starter))
    assert starter.read_text() == text


def test_stale_after_source_change(cli, tmp_path, starter) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "fr.csv"
    cli("i18n", "export", str(starter), "--lang", "fr", "-o", str(out))
    table = rows(out)
    for r in table[1:]:
        r[2] = "FR " + r[1]
    write(out, table)
    cli("i18n", "import", str(out), str(starter))
    text = starter.read_text().replace('en: "Monday morning"', 'en: "Tuesday morning"')
    starter.write_text(text)
    findings = tr.stale_translations(text, str(starter), "en")
    assert [(f.scene, f.severity) for f in findings] == [("monday", "warning")]
    assert "scenes.monday.title" in findings[0].message
    code, stdout, _ = cli("i18n", "status", str(starter))
    assert code == 0 and "1 stale translation" in stdout
    code, stdout, _ = cli("i18n", "export", str(starter), "--lang", "fr", "--missing")
    assert [r[0] for r in rows_of(stdout)[1:]] == ["scenes.monday.title"]
    assert rows_of(stdout)[1][4] == "stale"


def rows_of(text):  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(text)))


def test_csv_made_from_an_older_source_is_marked_stale(cli, tmp_path, starter) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "fr.csv"
    cli("i18n", "export", str(starter), "--lang", "fr", "-o", str(out))
    table = rows(out)
    for r in table[1:]:
        r[2] = "FR " + r[1]
    table[1][3] = "000000000000"  # the translator saw another title
    write(out, table)
    code, _, err = cli("i18n", "import", str(out), str(starter))
    assert code == 0 and "changed since the CSV was exported" in err
    assert len(tr.stale_translations(starter.read_text(), "x", "en")) == 1


def test_builtin_round_trip(cli, tmp_path, builtin) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "season"
    folder.mkdir()
    shutil.copy(builtin.parent / "series.yaml", folder)
    path = folder / builtin.name
    shutil.copy(builtin, path)
    original = path.read_text()
    lang = load_episode(path).episode.languages[-1]
    out = tmp_path / "t.csv"
    code, _, err = cli("i18n", "export", str(path), "--lang", lang, "-o", str(out))
    if code == 2 and "source language" in err:
        pytest.skip("single-language episode")
    table = rows(out)
    changed = []
    for r in table[1:]:
        if r[2] and len(changed) < 3:
            r[2] = r[2] + " (revu)"
            changed.append(r[0])
    write(out, table)
    code, _, err = cli("i18n", "import", str(out), str(path))
    assert code == 0, err
    after = path.read_text()
    body = after.split("\nx-translations:")[0]
    diff = [(a, b) for a, b in zip(original.splitlines(), body.splitlines(), strict=False) if a != b]
    assert len(diff) <= len(changed)  # only the changed texts' lines differ
    assert len(body.splitlines()) == len(original.splitlines())
    check = cli.json("check", str(path), "--json")["files"][0]
    assert check["errors"] == []


def test_conversion_shapes() -> None:
    text = ("sam_cowboy: 1\nid: t\ntitle: Plain title  # note\nlanguages: [en]\n"
            "dimensions: {d: {label: D}}\nstart: a\nscenes:\n  a:\n    text: |-\n"
            "      line one\n      line two\n\n    ending: {kind: good}\n")
    report = tr.import_rows(text, "en", ("en",), "fr",
                            {"title": ("Titre", ""), "scenes.a.text": ("un\ndeux", "")})
    out = report.text
    assert 'title: {en: "Plain title", fr: "Titre"}  # note' in out
    assert "    text:\n      en: |-\n        line one\n        line two\n      fr: |-\n" in out
    assert "languages: [en, fr]" in out
    ep = load_episode_data_ok(out)
    assert ep.scenes["a"].text[0].text.values == {"en": "line one\nline two", "fr": "un\ndeux"}


def load_episode_data_ok(text):  # type: ignore[no-untyped-def]
    from sam_cowboy.core.loader import load_episode_data

    result = load_episode_data(text)
    assert result.errors == [], result.errors
    return result.episode


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("a,b\n1,2\n", "no `key` column"),
    ("key,source\nx,y\n", "translation:LANG"),
])
def test_bad_csv(cli, tmp_path, starter, content, message) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    code, _, err = cli("i18n", "import", str(bad), str(starter))
    assert code == 2 and message in err


def test_i18n_usage_errors(cli, tmp_path, starter) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("i18n", "export", str(starter), "--lang", "en")
    assert code == 2 and "source language" in err
    code, _, err = cli("i18n")
    assert code == 2 and "export, import or status" in err
    code, _, err = cli("i18n", "export", str(tmp_path / "none.yaml"), "--lang", "fr")
    assert code == 2 and "no such file" in err
    code, _, err = cli("i18n", "import", str(tmp_path / "none.csv"), str(starter))
    assert code == 2 and "no such file" in err


def test_unknown_keys_and_dry_run(cli, tmp_path, starter) -> None:  # type: ignore[no-untyped-def]
    csv_path = tmp_path / "fr.csv"
    write(csv_path, [["key", "source:en", "translation:fr", "source_hash", "status"],
                     ["scenes.gone.title", "x", "y", "", ""],
                     ["title", "My first episode", "Mon premier", "", ""]])
    before = starter.read_text()
    code, stdout, err = cli("i18n", "import", str(csv_path), str(starter), "--dry-run")
    assert code == 0 and "would update title" in stdout and "no such text" in err
    assert starter.read_text() == before
