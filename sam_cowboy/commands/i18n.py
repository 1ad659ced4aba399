"""`sam-cowboy i18n`: texts out to a CSV for translators, and translations back in."""

from __future__ import annotations

import argparse

NAME = "i18n"
ORDER = 52
HELP = "export texts to a CSV for translators, import translations back"
DESCRIPTION = """Translate an episode with a spreadsheet. `export` writes one row per text: a
stable key (e.g. scenes.invite.choices.pitch.text), the source text, the current
translation, a hash of the source and a status (missing, stale, translated, reviewed).
`import` fills the translations back into the YAML, keeping its comments and order, and
records which source each translation was made from, so `status` (and `check`) can tell
when a source text changed after it was translated.

Example: sam-cowboy i18n export ep05.yaml --lang en -o ep05-en.csv
         sam-cowboy i18n import ep05-en.csv ep05.yaml
         sam-cowboy i18n status ep05.yaml"""


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="i18n_action", metavar="ACTION")
    fmt = argparse.RawDescriptionHelpFormatter
    e = sub.add_parser("export", help="write the texts and translations to a CSV",
                       formatter_class=fmt, description="Write one CSV row per text of the "
                       "episode.\n\nExample: sam-cowboy i18n export ep05.yaml --lang en "
                       "-o ep05-en.csv")
    e.add_argument("episode", metavar="EPISODE", help="an episode file")
    e.add_argument("--lang", dest="i18n_lang", required=True, metavar="CODE",
                   help="the language to translate into")
    e.add_argument("-o", "--output", metavar="FILE.csv",
                   help="write to FILE.csv (default: the standard output)")
    e.add_argument("--missing", action="store_true",
                   help="only the rows still to do (missing or stale)")
    i = sub.add_parser("import", help="fill a CSV's translations into the episode",
                       formatter_class=fmt, description="Fill the translations of a CSV made "
                       "by `i18n export` into the episode file, in place; comments and order "
                       "are kept.\n\nExample: sam-cowboy i18n import ep05-en.csv ep05.yaml")
    i.add_argument("csv", metavar="FILE.csv", help="a CSV made by `i18n export`")
    i.add_argument("episode", metavar="EPISODE", help="the episode file to update")
    i.add_argument("--lang", dest="i18n_lang", metavar="CODE",
                   help="the language of the translations (default: from the CSV header)")
    i.add_argument("--dry-run", action="store_true", help="say what would change, write "
                   "nothing")
    s = sub.add_parser("status", help="list translations whose source changed since",
                       formatter_class=fmt, description="List translations whose source "
                       "text changed after they were imported (what `check` should warn "
                       "about).\n\nExample: sam-cowboy i18n status ep05.yaml")
    s.add_argument("episode", metavar="EPISODE", help="an episode file")


def execute(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from sam_cowboy.atomic import write_text_atomic
    from sam_cowboy.authoring import translate as tr
    from sam_cowboy.core.loader import find_series, load_episode_data
    from sam_cowboy.usage import InputError, UsageError, write_output

    action = args.i18n_action
    if action is None:
        raise UsageError("i18n needs an action: export, import or status (see `sam-cowboy "
                         "i18n --help`)")
    path = Path(args.episode)
    if not path.is_file():
        raise UsageError(f"{args.episode}: no such file (i18n works on episode files)")
    from sam_cowboy.core.yamlread import YamlError, read_file  # bounded, no FIFO

    try:
        text = read_file(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, YamlError) as e:
        raise UsageError(f"{args.episode}: cannot read: {e}") from None
    series = find_series(path)
    loaded = load_episode_data(text, str(path), series)
    if loaded.episode is None:
        errors = loaded.errors
        raise InputError(f"{errors[0].format()} (fix the episode's errors first: "
                         f"sam-cowboy check {path})")
    episode = loaded.episode
    default = episode.default_language
    try:
        if action == "export":
            data = tr.export_csv(text, default, args.i18n_lang)
            rows = data.splitlines(keepends=True)
            if args.missing:
                import csv
                import io

                kept = [rows[0]]
                for line_rows in csv.reader(io.StringIO("".join(rows[1:]))):
                    if line_rows[-1] in (tr.STATUS_MISSING, tr.STATUS_STALE):
                        out = io.StringIO()
                        csv.writer(out, lineterminator="\n").writerow(line_rows)
                        kept.append(out.getvalue())
                data = "".join(kept)
            if args.output:
                write_output(args.output, "\ufeff" + data)  # with a BOM, for spreadsheets
                sys.stderr.write(f"wrote {args.output}: {data.count(chr(10)) - 1} rows "
                                 f"({default} -> {args.i18n_lang})\n")
            else:
                sys.stdout.write(data)
            return 0
        if action == "status":
            findings = tr.stale_translations(text, str(path), default)
            for f in findings:
                sys.stdout.write(f.format() + "\n")
            n = len(findings)
            sys.stdout.write(f"{n} stale translation{'s' if n != 1 else ''}\n")
            return 0
        # import
        csv_path = Path(args.csv)
        try:
            csv_text = read_file(csv_path).decode("utf-8-sig")
        except FileNotFoundError:
            raise UsageError(f"{args.csv}: no such file") from None
        except (OSError, UnicodeDecodeError, YamlError) as e:
            raise UsageError(f"{args.csv}: cannot read as UTF-8 text: {e}") from None
        target, translations = tr.read_csv(csv_text, args.i18n_lang)
        report = tr.import_rows(text, default, episode.languages, target, translations,
                                languages_from_series="languages" not in _top_keys(text))
    except tr.TranslationError as e:
        raise UsageError(str(e)) from None
    check = load_episode_data(report.text, str(path), series)
    if check.episode is None:
        raise InputError(f"the translated episode would not load, nothing written: "
                         f"{check.errors[0].format()}")
    for w in report.warnings:
        sys.stderr.write(f"{args.csv}: warning: {w}\n")
    n = len(report.changed)
    if args.dry_run:
        for key in report.changed:
            sys.stdout.write(f"would update {key}\n")
        sys.stdout.write(f"{n} translation{'s' if n != 1 else ''} would change; nothing "
                         "written (--dry-run)\n")
        return 0
    if report.text != text:
        write_text_atomic(path, report.text, keep_mode=True)
    added = f"; added {target} to languages" if report.language_added else ""
    sys.stdout.write(f"{path}: {n} translation{'s' if n != 1 else ''} into {target} updated, "
                     f"{report.unchanged} unchanged{added}\n")
    return 0


def _top_keys(text: str) -> set[str]:
    from sam_cowboy.authoring.translate import TranslationError, _items, compose

    try:
        return {name for name, _, _ in _items(compose(text))}
    except TranslationError:
        return set()
