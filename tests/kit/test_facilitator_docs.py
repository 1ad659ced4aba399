"""docs/facilitator/: the kit in French and English, checked against the episodes.

The key messages and room notes were written for the scenes of the season before its
issue-13 rewrite; when a rewritten episode renames a scene, these tests name what to move.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sam_cowboy.core.loader import load_episode
from sam_cowboy.core.model import Episode
from sam_cowboy.library import episode_files

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "docs" / "facilitator"
LANGS = ("fr", "en")
FILES = ("run-sheet.md", "key-messages.md", "room-votes.md", "faq.md")
SECTION_RE = re.compile(r"^## (ep\d\d-[a-z0-9-]+)\s*$")
ITEM_RE = re.compile(r"^- `([a-z0-9][a-z0-9_/-]*)` — (.+)$")


def _season() -> dict[str, Episode]:
    out = {}
    for path in episode_files(ROOT / "episodes"):
        if path.stem.startswith("ep0"):
            out[path.stem] = load_episode(path).require()
    return out


SEASON = _season()


def _keyed(path: Path) -> dict[str, dict[str, str]]:
    """episode id -> key -> text, from `## episode` sections of `- `key` — text` items."""
    out: dict[str, dict[str, str]] = {}
    current = None
    for line in path.read_text("utf-8").splitlines():
        m = SECTION_RE.match(line)
        if m:
            current = out.setdefault(m.group(1), {})
            continue
        m = ITEM_RE.match(line)
        if m and current is not None:
            assert m.group(1) not in current, f"{path}: `{m.group(1)}` twice"
            current[m.group(1)] = m.group(2)
    return out


def _decision_scenes(episode: Episode) -> list[str]:
    return [s.id for s in episode.scenes.values() if len(s.choices) >= 2]


def test_every_file_exists_in_both_languages() -> None:
    for lang in LANGS:
        for name in FILES:
            assert (KIT / lang / name).is_file(), f"{lang}/{name}"
    assert (KIT / "README.md").is_file()


def test_key_messages_are_the_same_scenes_in_both_languages() -> None:
    fr, en = (_keyed(KIT / lang / "key-messages.md") for lang in LANGS)
    assert {e: sorted(k) for e, k in fr.items()} == {e: sorted(k) for e, k in en.items()}
    for episode, messages in fr.items():
        for sid in messages:
            assert fr[episode][sid] != en[episode][sid], (episode, sid)


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_message_names_a_decision_scene(lang: str) -> None:
    for eid, messages in _keyed(KIT / lang / "key-messages.md").items():
        assert eid in SEASON, f"{lang}: no episode `{eid}`"
        decisions = _decision_scenes(SEASON[eid])
        stale = [sid for sid in messages if sid not in decisions]
        assert not stale, f"{lang}/key-messages.md, {eid}: no decision scene {stale}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_decision_scene_has_a_key_message(lang: str) -> None:
    keyed = _keyed(KIT / lang / "key-messages.md")
    for eid, episode in SEASON.items():
        missing = [sid for sid in _decision_scenes(episode) if sid not in keyed.get(eid, {})]
        assert not missing, f"{lang}/key-messages.md, {eid}: write a message for {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_room_notes_name_real_choices(lang: str) -> None:
    notes = _keyed(KIT / lang / "room-votes.md")
    assert set(notes) == set(SEASON)
    for eid, items in notes.items():
        assert len(items) >= 3, eid
        for key in items:
            sid, _, cid = key.partition("/")
            scene = SEASON[eid].scenes.get(sid)
            assert scene is not None and scene.choice(cid) is not None, f"{lang}: {eid} {key}"


@pytest.mark.parametrize("lang", LANGS)
def test_run_sheet_tracks_last_two_hours_and_stop_at_real_scenes(lang: str) -> None:
    text = (KIT / lang / "run-sheet.md").read_text("utf-8")
    tables = re.findall(r"((?:^\| \d:\d\d \|.*\n)+)", text, flags=re.M)
    assert len(tables) == 2  # sales reps, managers
    for table in tables:
        rows = [re.match(r"\| (\d):(\d\d) \|.*?(\d+) min", row) for row in table.splitlines()]
        assert all(rows), table
        starts = [int(m.group(1)) * 60 + int(m.group(2)) for m in rows]  # type: ignore[union-attr]
        minutes = [int(m.group(3)) for m in rows]  # type: ignore[union-attr]
        assert starts[0] == 0
        assert all(a + n == b for a, n, b in zip(starts, minutes, starts[1:], strict=False))
        assert starts[-1] + minutes[-1] == 120
    scenes = {sid for ep in SEASON.values() for sid in ep.scenes}
    stops = re.findall(r"(?:Stops|stops|Arrêts|arrêts) ?: ([^.|;)]+)", text)
    named = [s for group in stops for s in re.findall(r"`([a-z0-9-]+)`", group)]
    assert len(named) >= 10
    assert not [s for s in named if s not in scenes]


@pytest.mark.parametrize("lang, words", [
    ("en", ["Premium", "Sales Navigator", "100 to 200", "personalised note", "200 characters",
            "feed", "GDPR", "social-media policy", "private"]),
    ("fr", ["Premium", "Sales Navigator", "100 à 200", "note personnalisée", "200 caractères",
            "fil d'actualité", "RGPD", "charte réseaux sociaux", "navigation privée"]),
])
def test_faq_covers_the_questions_rooms_ask(lang: str, words: list[str]) -> None:
    text = " ".join((KIT / lang / "faq.md").read_text("utf-8").split())
    missing = [w for w in words if w.lower() not in text.lower()]
    assert not missing
