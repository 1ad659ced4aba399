"""Translation round-trips: texts out to a CSV for translators, translations back into the YAML.

Every text of an episode has a stable key built from ids, never from positions in the file
where an id exists: `title`, `dimensions.brand.label`, `scenes.invite.title`,
`scenes.invite.text` (or `scenes.invite.text.2` for the second block of a list),
`scenes.invite.card.body`, `scenes.invite.choices.pitch.text`,
`scenes.invite.choices.pitch.feedback`, `scenes.accepted.ending.title`,
`scenes.invite.trainer_notes`, `objectives.1`, `debrief.2`, `profiles.1.label`.

The CSV has one row per text: key, source text (the default language), translation, the
hash of the source, and a status (missing, stale, translated, reviewed).

Importing edits the YAML text in place, guided by the positions of PyYAML's composer (every
node knows where it starts and ends): only the translated values change, or are inserted;
comments, order, quoting and layout elsewhere stay byte for byte. The file is written only
when the result loads without errors.

Import also records, under the top-level `x-translations` key (a tool key the engine
ignores), the hash of the source text each translation was made from. When the source text
changes later, `stale_translations` reports it: the data `check` needs to warn that a
translation's source changed after it was translated.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from sam_cowboy.authoring.yamlout import quoted, scalar
from sam_cowboy.core.findings import Finding

RECORD_KEY = "x-translations"
HASH_LENGTH = 12
STATUS_MISSING, STATUS_STALE, STATUS_TRANSLATED, STATUS_REVIEWED = (
    "missing", "stale", "translated", "reviewed")


class TranslationError(Exception):
    """Input that cannot be used (bad CSV, unknown language): one line for the user."""


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


# ------------------------------------------------------------------ finding the texts

@dataclass
class TextSlot:
    """One text of the episode: a scalar (default language only) or a language mapping."""

    key: str
    node: yaml.Node
    key_column: int | None  # column (0-based) of the key that holds it; None in a list
    default: str

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    def values(self) -> dict[str, str]:
        if isinstance(self.node, yaml.ScalarNode):
            return {self.default: self.node.value}
        return {k.value: v.value for k, v in self.node.value
                if isinstance(v, yaml.ScalarNode)}

    def value_node(self, lang: str) -> yaml.ScalarNode | None:
        if isinstance(self.node, yaml.ScalarNode):
            return self.node if lang == self.default else None
        for k, v in self.node.value:
            if k.value == lang and isinstance(v, yaml.ScalarNode):
                return v
        return None


def _items(node: yaml.Node) -> list[tuple[str, yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k.value, k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    for k, _, v in _items(node):
        if k == key:
            return v
    return None


def _is_text(node: yaml.Node | None) -> bool:
    return isinstance(node, yaml.ScalarNode) or (
        isinstance(node, yaml.MappingNode)
        and all(isinstance(v, yaml.ScalarNode) for _, v in node.value))


def compose(text: str) -> yaml.Node:
    """The YAML's node tree with positions (pure-Python parser: character offsets)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise TranslationError(f"malformed YAML: {e}") from None
    if not isinstance(node, yaml.MappingNode):
        raise TranslationError("an episode file is a mapping of keys")
    return node


def text_slots(root: yaml.Node, default: str) -> Iterator[TextSlot]:
    """Every text of the episode, in file order, with its stable key."""

    def slot(key: str, node: yaml.Node | None, column: int | None) -> Iterator[TextSlot]:
        if node is not None and _is_text(node):
            yield TextSlot(key, node, column, default)

    for name, knode, value in _items(root):
        col = knode.start_mark.column
        if name in ("title", "summary", "audience"):
            yield from slot(name, value, col)
        elif name in ("objectives", "debrief") and isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value, 1):
                yield from slot(f"{name}.{i}", item, None)
        elif name == "dimensions":
            for did, _, dim in _items(value):
                for field_name, fk, fv in _items(dim):
                    if field_name in ("label", "description", "habit"):
                        yield from slot(f"dimensions.{did}.{field_name}", fv,
                                        fk.start_mark.column)
        elif name == "profiles" and isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value, 1):
                for field_name, fk, fv in _items(item):
                    if field_name in ("label", "advice"):
                        yield from slot(f"profiles.{i}.{field_name}", fv, fk.start_mark.column)
        elif name == "scenes":
            for sid, _, scene in _items(value):
                yield from _scene_slots(f"scenes.{sid}", scene, slot)


def _scene_slots(prefix: str, scene: yaml.Node, slot) -> Iterator[TextSlot]:  # type: ignore[no-untyped-def]
    for name, knode, value in _items(scene):
        col = knode.start_mark.column
        if name in ("title", "trainer_notes"):
            yield from slot(f"{prefix}.{name}", value, col)
        elif name == "text":
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value, 1):
                    if isinstance(item, yaml.MappingNode) and (
                            _get(item, "if") is not None or _get(item, "text") is not None):
                        for bname, bk, bv in _items(item):
                            if bname == "text":
                                yield from slot(f"{prefix}.text.{i}", bv, bk.start_mark.column)
                    else:
                        yield from slot(f"{prefix}.text.{i}", item, None)
            else:
                yield from slot(f"{prefix}.text", value, col)
        elif name == "card":
            for fname, fk, fv in _items(value):
                if fname != "kind" and not fname.startswith("x-"):
                    yield from slot(f"{prefix}.card.{fname}", fv, fk.start_mark.column)
        elif name == "ending":
            for ename, ek, ev in _items(value):
                if ename == "title":
                    yield from slot(f"{prefix}.ending.title", ev, ek.start_mark.column)
        elif name == "choices" and isinstance(value, yaml.SequenceNode):
            for i, choice in enumerate(value.value, 1):
                cid_node = _get(choice, "id")
                cid = cid_node.value if isinstance(cid_node, yaml.ScalarNode) else str(i)
                for cname, ck, cv in _items(choice):
                    if cname in ("text", "feedback"):
                        yield from slot(f"{prefix}.choices.{cid}.{cname}", cv,
                                        ck.start_mark.column)


# ------------------------------------------------------------------ recorded hashes

@dataclass
class Records:
    """x-translations: language -> {key: hash of the source it was translated from}."""

    sources: dict[str, str] = field(default_factory=dict)  # language -> source language
    hashes: dict[str, dict[str, str]] = field(default_factory=dict)


def read_records(root: yaml.Node) -> Records:
    records = Records()
    node = _get(root, RECORD_KEY)
    for lang, _, entry in _items(node) if node is not None else []:
        src = _get(entry, "from")
        if isinstance(src, yaml.ScalarNode):
            records.sources[lang] = src.value
        hashes = _get(entry, "hashes")
        records.hashes[lang] = {k: v.value for k, _, v in _items(hashes)
                                if isinstance(v, yaml.ScalarNode)} if hashes else {}
    return records


def render_records(records: Records) -> str:
    lines = [f"{RECORD_KEY}:  # written by `sam-cowboy i18n import`: the hash of the source "
             "text each translation was made from"]
    for lang in sorted(records.hashes):
        lines.append(f"  {lang}:")
        lines.append(f"    from: {records.sources.get(lang, '')}")
        lines.append("    hashes:")
        for key in sorted(records.hashes[lang]):
            lines.append(f"      {quoted(key)}: {quoted(records.hashes[lang][key])}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ export

@dataclass
class Row:
    key: str
    source: str
    translation: str
    hash: str
    status: str


def rows_for(text: str, default: str, target: str) -> list[Row]:
    root = compose(text)
    records = read_records(root).hashes.get(target, {})
    rows = []
    for slot in text_slots(root, default):
        values = slot.values()
        source = values.get(default, "")
        translation = values.get(target, "")
        h = source_hash(source)
        if not translation:
            status = STATUS_MISSING
        elif slot.key in records:
            status = STATUS_REVIEWED if records[slot.key] == h else STATUS_STALE
        else:
            status = STATUS_TRANSLATED
        rows.append(Row(slot.key, source, translation, h, status))
    return rows


def header(default: str, target: str) -> list[str]:
    return ["key", f"source:{default}", f"translation:{target}", "source_hash", "status"]


def export_csv(text: str, default: str, target: str) -> str:
    """The CSV text (UTF-8 with BOM when written, so spreadsheets open accents right)."""
    if target == default:
        raise TranslationError(f"`{target}` is the episode's source language: choose the "
                               "language to translate into, e.g. --lang en")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(default, target))
    for row in rows_for(text, default, target):
        writer.writerow([row.key, row.source, row.translation, row.hash, row.status])
    return out.getvalue()


# ------------------------------------------------------------------ import

@dataclass
class ImportReport:
    text: str
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    language_added: bool = False


def read_csv(data: str, lang: str | None) -> tuple[str, dict[str, tuple[str, str]]]:
    """(target language, key -> (translation, source hash)) from an exported CSV."""
    if data.startswith("\ufeff"):
        data = data[1:]
    reader = csv.reader(io.StringIO(data))
    try:
        head = next(reader)
    except StopIteration:
        raise TranslationError("the CSV is empty: export one with `sam-cowboy i18n "
                               "export`") from None
    except csv.Error as e:
        raise TranslationError(f"unreadable CSV: {e}") from None
    columns = [h.strip() for h in head]
    if "key" not in columns:
        raise TranslationError("the CSV has no `key` column: keep the header row of "
                               "`sam-cowboy i18n export`")
    t_col = next((i for i, c in enumerate(columns) if c.startswith("translation")), None)
    if t_col is None:
        raise TranslationError("the CSV has no `translation:LANG` column: keep the header "
                               "row of `sam-cowboy i18n export`")
    found = columns[t_col].partition(":")[2].strip()
    target = lang or found
    if not target:
        raise TranslationError("which language is this? name it with --lang")
    if lang and found and found != lang:
        raise TranslationError(f"the CSV holds {found} translations, not {lang}")
    k_col = columns.index("key")
    h_col = columns.index("source_hash") if "source_hash" in columns else None
    rows: dict[str, tuple[str, str]] = {}
    try:
        for line_no, row in enumerate(reader, 2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(k_col, t_col):
                raise TranslationError(f"CSV line {line_no} has too few columns")
            h = row[h_col].strip() if h_col is not None and h_col < len(row) else ""
            rows[row[k_col].strip()] = (row[t_col], h)
    except csv.Error as e:
        raise TranslationError(f"unreadable CSV: {e}") from None
    return target, rows


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def _line_end(text: str, index: int) -> int:
    """Index just after the newline ending the line that holds `index` (or len)."""
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _content_end(text: str, node: yaml.Node) -> int:
    """End of a node's own characters (block scalars carry trailing line breaks)."""
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in "\n\r \t":
        end -= 1
    return end


def _last_scalar(node: yaml.Node) -> yaml.Node:
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _replace_scalar(text: str, node: yaml.ScalarNode, value: str, key_column: int | None,
                    flow: bool) -> _Edit:
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):
        trailing = text[_content_end(text, node):end]
        indent = key_column if key_column is not None else node.start_mark.column
        new = scalar(value, indent)
        if "\n" not in trailing:
            trailing = "\n" + trailing
        return _Edit(start, end, new + trailing[trailing.index("\n"):])
    # a flow scalar may be followed by a comment on its line: stay on one line
    return _Edit(start, end, quoted(value))


def _set_translation(text: str, slot: TextSlot, lang: str, value: str, flow_parent: bool
                     ) -> list[_Edit]:
    node = slot.node
    existing = slot.value_node(lang)
    if existing is not None:
        flow = flow_parent or (isinstance(node, yaml.MappingNode) and bool(node.flow_style))
        return [_replace_scalar(text, existing, value, _lang_key_column(slot, lang), flow)]
    if isinstance(node, yaml.MappingNode):
        if node.flow_style or flow_parent:
            close = node.end_mark.index - 1  # the `}`
            while close > 0 and text[close] != "}":
                close -= 1
            sep = ", " if node.value else ""
            return [_Edit(close, close, f"{sep}{lang}: {quoted(value)}")]
        first_key = node.value[0][0]
        indent = first_key.start_mark.column
        at = _line_end(text, _content_end(text, _last_scalar(node)))
        prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
        return [_Edit(at, at, f"{prefix}{' ' * indent}{lang}: {scalar(value, indent)}\n")]
    # a plain string in the default language: make it a language mapping
    assert isinstance(node, yaml.ScalarNode)
    start, end = node.start_mark.index, node.end_mark.index
    source = node.value
    block = node.style in ("|", ">")
    trailing = text[_content_end(text, node):end] if block else ""
    if slot.key_column is not None and not flow_parent and ("\n" in source or block):
        indent = slot.key_column + 2
        last = scalar(value, indent) if block else quoted(value)
        body = (f"\n{' ' * indent}{slot.default}: {scalar(source, indent)}"
                f"\n{' ' * indent}{lang}: {last}")
        rest = trailing[trailing.index("\n"):] if "\n" in trailing else "\n" if block else ""
        while start > 0 and text[start - 1] == " ":  # no trailing space after `key:`
            start -= 1
        return [_Edit(start, end, body + rest)]
    original = text[start:end] if node.style in ("'", '"') and "\n" not in text[start:end] \
        else quoted(source)
    rest = trailing[trailing.index("\n"):] if "\n" in trailing else ("\n" if block else "")
    return [_Edit(start, end, f"{{{slot.default}: {original}, {lang}: {quoted(value)}}}{rest}")]


def _lang_key_column(slot: TextSlot, lang: str) -> int | None:
    if isinstance(slot.node, yaml.MappingNode):
        for k, _ in slot.node.value:
            if k.value == lang:
                return int(k.start_mark.column)
    return slot.key_column


def _in_flow(root: yaml.Node, target: yaml.Node) -> bool:
    """Whether `target` sits inside a flow collection (where block styles are not allowed)."""

    def walk(node: yaml.Node, flow: bool) -> bool | None:
        if node is target:
            return flow
        here = flow or bool(getattr(node, "flow_style", False))
        if isinstance(node, yaml.MappingNode):
            for _k, v in node.value:
                found = walk(v, here)
                if found is not None:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                found = walk(item, here)
                if found is not None:
                    return found
        return None

    return bool(walk(root, False))


def _language_edit(text: str, root: yaml.Node, lang: str, declared: tuple[str, ...]
                   ) -> _Edit | None:
    """Add `lang` to the episode's `languages` (None when already there)."""
    if lang in declared:
        return None
    node = _get(root, "languages")
    if isinstance(node, yaml.SequenceNode):
        if node.flow_style:
            close = node.end_mark.index - 1
            while close > 0 and text[close] != "]":
                close -= 1
            return _Edit(close, close, f", {lang}" if node.value else lang)
        if node.value:
            last = node.value[-1]
            at = _line_end(text, last.end_mark.index)
            indent = last.start_mark.column - 2
            return _Edit(at, at, f"{' ' * indent}- {lang}\n")
    # no `languages` of its own: declare them after the `id` line
    id_node = _get(root, "id")
    at = _line_end(text, id_node.end_mark.index) if id_node is not None else 0
    return _Edit(at, at, f"languages: [{', '.join((*declared, lang))}]\n")


def _records_edit(text: str, root: yaml.Node, records: Records) -> _Edit:
    block = render_records(records)
    for name, knode, value in _items(root):
        if name == RECORD_KEY:
            start = knode.start_mark.index - knode.start_mark.column
            end = _line_end(text, _content_end(text, _last_scalar(value)))
            return _Edit(start, end, block)
    prefix = "" if not text or text.endswith("\n") else "\n"
    return _Edit(len(text), len(text), prefix + "\n" + block)


def _apply(text: str, edits: list[_Edit]) -> str:
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in zip(edits, edits[1:], strict=False):
        if b.start < a.end:
            raise TranslationError("internal: overlapping edits; please report this")
    for e in reversed(edits):
        text = text[:e.start] + e.text + text[e.end:]
    return text


def import_rows(text: str, default: str, declared: tuple[str, ...], target: str,
                rows: dict[str, tuple[str, str]], languages_from_series: bool = False
                ) -> ImportReport:
    """The YAML text with the translations of `rows` filled in, and what changed."""
    if target == default:
        raise TranslationError(f"`{target}` is the episode's source language; the CSV must "
                               "hold translations into another language")
    root = compose(text)
    records = read_records(root)
    recorded = records.hashes.setdefault(target, {})
    records.sources[target] = default
    report = ImportReport(text)
    edits: list[_Edit] = []
    seen: set[str] = set()
    for slot in text_slots(root, default):
        seen.add(slot.key)
        if slot.key not in rows:
            continue
        translation, csv_hash = rows[slot.key]
        if not translation.strip():
            continue
        values = slot.values()
        current_hash = source_hash(values.get(default, ""))
        made_from = csv_hash or current_hash
        if csv_hash and csv_hash != current_hash:
            report.warnings.append(f"{slot.key}: the {default} text changed since the CSV was "
                                   "exported; imported, and marked stale until reviewed")
        if values.get(target) == translation:
            if recorded.get(slot.key) != made_from:
                recorded[slot.key] = made_from
            report.unchanged += 1
            continue
        edits += _set_translation(text, slot, target, translation, _in_flow(root, slot.node))
        recorded[slot.key] = made_from
        report.changed.append(slot.key)
    for key in rows:
        if key not in seen and rows[key][0].strip():
            report.warnings.append(f"{key}: no such text in the episode (renamed or deleted?); "
                                   "row skipped")
    if report.changed and target not in declared:
        if languages_from_series:
            raise TranslationError(f"`{target}` is not one of the languages of the series "
                                   f"({', '.join(declared)}): add it to `languages` in "
                                   "series.yaml first")
        edit = _language_edit(text, root, target, declared)
        if edit is not None:
            edits.append(edit)
            report.language_added = True
    edits.append(_records_edit(text, root, records))
    report.text = _apply(text, edits)
    return report


# ------------------------------------------------------------------ stale translations

def stale_translations(text: str, file: str, default: str) -> list[Finding]:
    """Warnings for translations whose source text changed after they were translated.

    This is what `check` needs to warn about them: one finding per stale text, at the
    translated text's line and column.
    """
    try:
        root = compose(text)
    except TranslationError:
        return []
    records = read_records(root)
    if not records.hashes:
        return []
    findings = []
    for slot in text_slots(root, default):
        values = slot.values()
        current = source_hash(values.get(default, ""))
        for lang, hashes in records.hashes.items():
            made_from = hashes.get(slot.key)
            if made_from is None or made_from == current or lang not in values:
                continue
            node = slot.value_node(lang) or slot.node
            scene, choice = _scene_choice(slot.key)
            findings.append(Finding(
                "warning", file, node.start_mark.line + 1, node.start_mark.column + 1,
                f"the {default} text of `{slot.key}` changed after it was translated into "
                f"{lang}: check the {lang} text, then run `sam-cowboy i18n export` and "
                "`i18n import` to mark it reviewed", scene, choice))
    return findings


def _scene_choice(key: str) -> tuple[str | None, str | None]:
    parts = key.split(".")
    if parts[0] != "scenes" or len(parts) < 2:
        return None, None
    if len(parts) >= 4 and parts[2] == "choices":
        return parts[1], parts[3]
    return parts[1], None
