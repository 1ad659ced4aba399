"""The transfer step in the exported page (docs/transfer.md, docs/lms.md): after the ending one
question with a text box (skippable), then the numbers, then one commitment tied to the
decision that cost the most, with a date seven days ahead.

- The page proposes what `core.transfer.proposals` proposes, run by run, for every built-in
  episode, and asks what `core.transfer.reflection_question` asks.
- Typed text is data: tags, Rich markup and terminal escapes show as text (escapes dropped)
  and never run; the record kept in localStorage holds what was typed.
- Keyboard only at 320 px: focus moves to each step's heading, Tab reaches the text box, its
  buttons and the commitment, nothing scrolls sideways.
- cmi5: the answer and the commitment reach the LRS as `answered` statements with
  result.response, shaped as `report --evidence --format xapi` shapes them, before
  terminated; SCORM 1.2: as fill-in interactions.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sam_cowboy.cli import main
from sam_cowboy.commands.common import load_playable
from sam_cowboy.core import engine
from sam_cowboy.core.debrief import build
from sam_cowboy.core.transfer import proposals, reflection_question
from sam_cowboy.library import builtin_dir, episode_files
from sam_cowboy.workshop.report.xapi import transfer_statements

from .lms_stub import Lms, serve
from .playing import CHOICE_BUTTONS, finish_transfer, play, random_run, wait_until
from .test_packages import _session_errors, _wait, export, unpack

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

BUILTIN = [p.stem for p in episode_files(builtin_dir())]
EP01 = str(builtin_dir() / "ep01-google-test.yaml")
RUNS = 12
HOSTILE_TEXT = "<img src=x onerror=alert(1)> [bold]x[/] \x1b[2Jdone"
TODAY = date(2026, 3, 2)


def _record(at: str, due: str, action: str) -> dict[str, Any]:
    return {"episode": "ep01-google-test", "at": at, "lang": "en", "path": [], "overall": 40,
            "reflection": None, "commitment": {"scene": None, "choice": None, "action": action,
                                               "own": True, "due": due, "status": "open"}}


SEEDED = [_record("2026-02-20T09:00:00.000Z", "2026-03-01", "Call Jérôme <img src=x onerror=alert(1)>"),
          _record("2026-02-23T09:00:00.000Z", "2026-03-02", "Not due yet")]
SEED_SCRIPT = ("localStorage.setItem('sam-cowboy:transfer:ep01-google-test', "
               + json.dumps(json.dumps(SEEDED)) + ")")


def html_export(tmp_path: Path, source: str) -> Path:
    out = tmp_path / (Path(source).stem + ".html")
    assert main(["export", source, "-o", str(out)]) == 0
    return out


def worst_ids(source: str) -> list[str]:
    _, analysis = load_playable(source)
    assert analysis.worst_run is not None
    return [c for _, c in analysis.worst_run.path]


def core_transfer(source: str, ids: list[str], lang: str) -> tuple[dict[str, Any], str]:
    episode, analysis = load_playable(source)
    debrief = build(episode, engine.replay(episode, ids), analysis)
    p = proposals(episode, debrief, analysis, lang)
    return ({"scene": p.scene, "choice": p.choice, "actions": list(p.actions)},
            reflection_question(episode, debrief, lang))


def core_key_decisions(source: str, ids: list[str]) -> list[list[str]]:
    """The debrief's "decisions that mattered", in order, as the core lists them."""
    episode, analysis = load_playable(source)
    debrief = build(episode, engine.replay(episode, ids), analysis)
    return [[k.scene, k.choice] for k in debrief.key_decisions]


def lms_page(browser: Browser, seeded: bool = False) -> Page:
    """A page for an LMS launch, on TODAY; `seeded`: with SEED_SCRIPT's kept commitments."""
    page = browser.new_page()
    page.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00")
    if seeded:
        page.add_init_script(SEED_SCRIPT)
    return page


def scorm_leave(page: Page) -> dict[str, Any]:
    """The learner leaves the SCO (LMSFinish): the API's errors and interactions."""
    page.evaluate("document.getElementById('sco').remove()")
    wait_until(page, "window.__scorm.state() === 'finished'")
    got: dict[str, Any] = page.evaluate(
        "({errors: window.__scorm.errors, interactions: window.__scorm.interactions})")
    return got


def fresh_page(browser: Browser, path: Path, lang: str, width: int = 800) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 700})
    log: list[str] = []
    page.on("pageerror", lambda e: log.append(f"error: {e}"))

    def on_dialog(dialog: Dialog) -> None:
        log.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.clock.set_fixed_time(f"{TODAY.isoformat()}T10:00:00")
    page.goto(path.as_uri() + f"?lang={lang}")
    page.wait_for_selector("#sam-scene-title")
    return page, log


@pytest.mark.parametrize("stem", BUILTIN)
def test_the_page_proposes_what_the_core_proposes(browser: Browser, tmp_path: Path,
                                                  stem: str) -> None:
    source = str(builtin_dir() / f"{stem}.yaml")
    episode, analysis = load_playable(source)
    assert analysis.best_run is not None
    runs = [[c for _, c in analysis.best_run.path], worst_ids(source)]
    runs += [random_run(episode, seed) for seed in range(RUNS)]
    page, log = fresh_page(browser, html_export(tmp_path, source), episode.languages[0])
    try:
        tied = 0
        for n, ids in enumerate(runs):
            lang = episode.languages[n % len(episode.languages)]
            if page.evaluate("window.samCowboy.language()") != lang:
                page.select_option("#sam-lang", lang)
            expected, _ = core_transfer(source, ids, lang)
            assert page.evaluate("ids => window.samCowboy.proposalsFor(ids)", ids) == expected, \
                (stem, ids)
            assert page.evaluate("ids => window.samCowboy.keyDecisionsFor(ids)", ids) == \
                core_key_decisions(source, ids), (stem, ids)
            tied += expected["scene"] is not None
        if episode.transfer is not None and episode.transfer.actions:
            assert tied > 0  # some runs are tied to a decision, not only to the habit
        assert log == []
    finally:
        page.close()


def test_question_numbers_commitment_in_that_order(browser: Browser, tmp_path: Path) -> None:
    ids = worst_ids(EP01)
    episode, _ = load_playable(EP01)
    expected, question = core_transfer(EP01, ids, "fr")
    assert expected["scene"] is not None
    page, log = fresh_page(browser, html_export(tmp_path, EP01), "fr")
    try:
        play(page, episode, ids, "fr")
        # first the question, nothing of the numbers yet
        assert page.locator("#sam-overall").count() == 0
        assert page.locator("#sam-reflect-question").inner_text() == question
        box = page.get_by_label("Votre réponse (facultative)")
        assert box.evaluate("e => e.id") == "sam-reflect-answer"
        box.fill(HOSTILE_TEXT)
        page.locator("#sam-reflect-next").click()
        assert page.evaluate("document.activeElement.id") == "sam-debrief-title"
        # then the numbers, with the answer as text
        assert page.locator("#sam-overall").is_visible()
        shown = page.locator("#sam-reflection-answer").inner_text()
        assert "<img src=x onerror=alert(1)> [bold]x[/]" in shown and "done" in shown
        assert "\x1b" not in shown and "[2J" not in shown
        # then the commitment: the core's proposals for the costliest decision
        options = page.locator("#sam-commit fieldset .option label")
        assert options.all_inner_texts()[:-1] == expected["actions"]
        assert page.locator("#sam-commit-0").is_checked()
        choice = next(c for c in episode.scenes[expected["scene"]].choices
                      if c.id == expected["choice"])
        assert choice.text.values["fr"][:20] in page.locator("#sam-commit-on").inner_text()
        assert page.locator("#sam-commit-due").input_value() == \
            (TODAY + timedelta(days=7)).isoformat()
        assert page.locator("#sam-again").count() == 0  # after the commitment
        # one's own action, typed: data too
        page.get_by_label("Votre action").fill(HOSTILE_TEXT)
        assert page.locator("#sam-commit-own").is_checked()
        page.locator("#sam-commit-due").fill("2026-03-20")
        page.locator("#sam-commit-save").click()
        done = page.locator("#sam-commit-done")
        assert page.evaluate("document.activeElement.id") == "sam-commit-done"
        assert "<img src=x onerror=alert(1)>" in done.inner_text() and "2026-03-20" in done.inner_text()
        assert page.locator("main img, main script, main svg").count() == 0
        kept = json.loads(page.evaluate("localStorage.getItem('sam-cowboy:transfer:ep01-google-test')"))
        assert len(kept) == 1
        record = kept[0]
        assert record["reflection"] == HOSTILE_TEXT  # kept as typed
        assert record["commitment"] == {"scene": expected["scene"], "choice": expected["choice"],
                                        "action": HOSTILE_TEXT, "own": True, "due": "2026-03-20",
                                        "status": "open"}
        assert record["path"] == [list(p) for p in engine.replay(episode, ids).path]
        # a second run keeps the first; skipping everything records no answer
        page.locator("#sam-again").click()
        play(page, episode, ids, "fr")
        finish_transfer(page)
        kept = json.loads(page.evaluate("localStorage.getItem('sam-cowboy:transfer:ep01-google-test')"))
        assert len(kept) == 2 and kept[1]["reflection"] is None and kept[1]["commitment"] is None
        assert "Pas d'engagement" in page.locator("#sam-commit-done").inner_text()
        assert log == []
    finally:
        page.close()


def test_commitment_needs_an_action(browser: Browser, tmp_path: Path) -> None:
    """"My own action" left empty: the page says what to do and keeps the step open."""
    episode, _ = load_playable(EP01)
    page, _ = fresh_page(browser, html_export(tmp_path, EP01), "en")
    try:
        play(page, episode, worst_ids(EP01), "en")
        page.locator("#sam-reflect-skip").click()
        page.locator("#sam-commit-own").check()
        page.locator("#sam-commit-save").click()
        assert "Pick an action" in page.locator("#sam-commit-error").inner_text()
        assert page.locator("#sam-commit-done").count() == 0
        assert page.evaluate("window.samCowboy.transfer().commitment") is None
        page.locator("#sam-commit-0").check()
        page.locator("#sam-commit-save").click()
        assert page.evaluate("window.samCowboy.transfer().commitment.own") is False
    finally:
        page.close()


def test_keyboard_only_at_320px(browser: Browser, tmp_path: Path) -> None:
    episode, _ = load_playable(EP01)
    page, log = fresh_page(browser, html_export(tmp_path, EP01), "en", width=320)

    def active() -> str:
        return str(page.evaluate("document.activeElement.id || document.activeElement.tagName"))

    def narrow() -> bool:
        return bool(page.evaluate("document.documentElement.scrollWidth <= 320"))

    try:
        while page.locator(CHOICE_BUTTONS).count():
            page.keyboard.press(str(min(page.locator(CHOICE_BUTTONS).count(), 9)))
        assert active() == "sam-scene-title" and narrow()
        page.keyboard.press("Tab")
        assert active() == "sam-reflect-answer"
        page.keyboard.type("Tuesday, with Claire")
        page.keyboard.press("Tab")
        assert active() == "sam-reflect-next"
        page.keyboard.press("Enter")
        assert active() == "sam-debrief-title" and narrow()
        for _ in range(40):  # Tab on to the commitment's first option
            page.keyboard.press("Tab")
            if active() == "sam-commit-0":
                break
        assert active() == "sam-commit-0"
        page.keyboard.press("ArrowDown")  # radios move with the arrows, as everywhere
        assert page.locator("#sam-commit-1").is_checked()
        order: list[str] = []
        while active() != "sam-commit-save" and len(order) < 12:
            page.keyboard.press("Tab")
            if not order or order[-1] != active():  # a date field's parts share one element
                order.append(active())
        assert order == ["sam-commit-own-text", "sam-commit-due", "sam-commit-save"]
        page.keyboard.press("Enter")
        assert active() == "sam-commit-done" and narrow()
        record = page.evaluate("window.samCowboy.transfer()")
        assert record["reflection"] == "Tuesday, with Claire"
        ids = [c for _, c in record["path"]]
        assert record["commitment"]["action"] == core_transfer(EP01, ids, "en")[0]["actions"][1]
        assert log == []
    finally:
        page.close()


def test_cmi5_sends_the_answer_and_the_commitment(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EP01, "cmi5", tmp_path), tmp_path)
    episode, _ = load_playable(EP01)
    ids = worst_ids(EP01)
    expected, _ = core_transfer(EP01, ids, "en")
    with serve(Lms(content)) as lms:
        page = lms_page(browser)
        try:
            page.goto(lms.launch_url() + "&lang=en")
            page.locator("#sam-scene-title").wait_for()
            play(page, episode, ids, "en")
            _wait(lambda: "failed" in lms.verbs() or bool(lms.rejected))
            assert "terminated" not in lms.verbs()  # the transfer step is still to come
            finish_transfer(page, answer=HOSTILE_TEXT, commit=True)
            _wait(lambda: "terminated" in lms.verbs() or bool(lms.rejected))
            page.locator("#sam-lms-status", has_text="Result sent").wait_for()
        finally:
            page.close()
    assert lms.rejected == [] and _session_errors(lms) == []
    verbs = lms.verbs()
    assert verbs[-5:] == ["completed", "failed", "answered", "answered", "terminated"]
    reflection, commitment = lms.statements[-3], lms.statements[-2]
    assert reflection["object"]["id"] == lms.activity_id + "/reflection"
    assert reflection["result"] == {"response": HOSTILE_TEXT}
    assert commitment["object"]["id"] == lms.activity_id + "/commitment"
    assert commitment["result"]["response"] == expected["actions"][0]
    # the shape `report --evidence --format xapi` gives the same records
    report = transfer_statements({
        "reflections": [{"run": "r", "player": "p", "episode": episode.id,
                         "answer": HOSTILE_TEXT, "at": None}],
        "commitments": {"items": [{"id": 1, "player": "p", "episode": episode.id,
                                   "action": expected["actions"][0], "status": "open",
                                   "due": (TODAY + timedelta(days=7)).isoformat(),
                                   "made_at": "2026-03-02T10:00:00Z"}],
                        "follow_ups": []}})
    for sent, made in zip((reflection, commitment), report, strict=True):
        assert sent["verb"] == made["verb"]
        assert sent["result"] == made["result"]
        assert sent["object"]["definition"] == made["object"]["definition"]
        assert sent["context"]["contextActivities"]["parent"] == \
            [{"objectType": "Activity", "id": lms.activity_id}]


def leave_after_answer(page: Page, lms: Lms) -> None:
    """Once the LRS has the answer, the learner closes the page: terminated (keepalive)."""
    _wait(lambda: "answered" in lms.verbs()[-1:] or bool(lms.rejected))
    page.close(run_before_unload=True)
    _wait(lambda: "terminated" in lms.verbs() or bool(lms.rejected))


def test_cmi5_leaving_during_the_transfer_step_terminates(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EP01, "cmi5", tmp_path), tmp_path)
    episode, _ = load_playable(EP01)
    with serve(Lms(content)) as lms:
        page = browser.new_page()
        try:
            page.goto(lms.launch_url() + "&lang=en")
            page.locator("#sam-scene-title").wait_for()
            play(page, episode, worst_ids(EP01), "en")
            page.locator("#sam-reflect-answer").fill("kept")
            page.locator("#sam-reflect-next").click()
            leave_after_answer(page, lms)
        finally:
            if not page.is_closed():
                page.close()
    assert lms.rejected == [] and _session_errors(lms) == []
    assert lms.verbs()[-2:] == ["answered", "terminated"]
    assert lms.statements[-2]["result"]["response"] == "kept"


def test_scorm12_keeps_them_as_fill_in_interactions(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EP01, "scorm12", tmp_path), tmp_path)
    episode, _ = load_playable(EP01)
    ids = worst_ids(EP01)
    long_answer = "é" * 300 + "\x1b[2J"
    with serve(Lms(content)) as lms:
        page = lms_page(browser)
        try:
            page.goto(f"{lms.base}/scorm.html?lang=en")
            frame = page.frame_locator("#sco")
            frame.locator("#sam-scene-title").wait_for()
            play(frame, episode, ids, "en")  # type: ignore[arg-type]
            finish_transfer(frame, answer=long_answer, own="Call Jérôme <b>Friday</b>")  # type: ignore[arg-type]
            got = scorm_leave(page)
        finally:
            page.close()
    assert got["errors"] == []
    extra = got["interactions"][len(ids):]
    assert [(i["id"], i["type"], i["result"]) for i in extra] == [
        ("transfer.reflection", "fill-in", "neutral"),
        ("transfer.commitment", "fill-in", "neutral"),
        ("transfer.commitment_due", "fill-in", "neutral")]
    assert extra[0]["student_response"] == "é" * 255  # SCORM 1.2 keeps 255 characters
    assert extra[1]["student_response"] == "Call Jérôme <b>Friday</b>"
    assert extra[2]["student_response"] == (TODAY + timedelta(days=7)).isoformat()


def test_switching_language_keeps_what_was_typed(browser: Browser, tmp_path: Path) -> None:
    episode, _ = load_playable(EP01)
    ids = worst_ids(EP01)
    page, log = fresh_page(browser, html_export(tmp_path, EP01), "en")
    try:
        play(page, episode, ids, "en")
        page.locator("#sam-reflect-answer").fill("half an answer")
        page.select_option("#sam-lang", "fr")
        assert page.locator("#sam-reflect-answer").input_value() == "half an answer"
        assert page.locator("#sam-reflect-question").inner_text() == core_transfer(EP01, ids, "fr")[1]
        page.locator("#sam-reflect-next").click()
        page.locator("#sam-commit-1").check()
        page.locator("#sam-commit-due").fill("2026-04-01")
        page.select_option("#sam-lang", "en")
        assert page.locator("#sam-commit-1").is_checked()
        assert page.locator("#sam-commit-due").input_value() == "2026-04-01"
        labels = page.locator("#sam-commit fieldset .option label").all_inner_texts()
        assert labels[:-1] == core_transfer(EP01, ids, "en")[0]["actions"]
        page.locator("#sam-commit-save").click()
        record = page.evaluate("window.samCowboy.transfer()")
        assert record["reflection"] == "half an answer"
        assert record["commitment"]["due"] == "2026-04-01"
        assert record["commitment"]["action"] == labels[1]
        assert log == []
    finally:
        page.close()


def test_assess_holds_scores_and_principles_back_until_the_ending(browser: Browser,
                                                                    tmp_path: Path) -> None:
    """`export --assess`: each consequence keeps its story (the feedback up to its first bold
    principle, as `play --assess`), no score change is shown; after the question, the held
    lessons come back in full before the numbers. The run and its score are unchanged."""
    from sam_cowboy.core.i18n import render
    from sam_cowboy.core.transfer import story_only

    from .playing import name_of, run_json

    out = tmp_path / "assess.html"
    assert main(["export", EP01, "--assess", "-o", str(out)]) == 0
    episode, analysis = load_playable(EP01)
    assert analysis.best_run is not None
    ids = [c for _, c in analysis.best_run.path]
    page, log = fresh_page(browser, out, "en")
    try:
        assert "Assessment" in page.locator("#sam-assess").inner_text()
        state, _ = engine.begin(episode)
        lessons = []
        for cid in ids:
            shown = engine.choices_shown(episode, state)
            choice = next(c for c in shown if c.id == cid)
            page.get_by_role("button", name=name_of(episode, choice.text, "en", state),
                             exact=True).click()
            state, events = engine.choose(episode, state, cid)
            full = [render(e.text, "en", episode.default_language, e.variables)
                    for e in events if isinstance(e, engine.FeedbackShown)]
            lessons += full
            box = page.locator("#sam-feedback")
            assert box.locator(".changes").count() == 0
            assert box.locator("strong").count() == len([f for f in full if story_only(f)])
            for f in full:  # the story, not the principle (typography aside)
                assert "**" in f and f[f.index("**") + 2:][:12] not in box.inner_text()
        assert page.locator("#sam-held").count() == 0  # not before the question
        page.locator("#sam-reflect-skip").click()
        items = page.locator("#sam-held + ul > li")
        assert items.count() == len(lessons)
        assert items.locator("strong").count() >= len(lessons)  # the principles, given back
        assert page.evaluate("window.samCowboy.result()") == run_json(EP01, ids, "en")
        assert f"{analysis.best_run.overall}%" in page.locator("#sam-overall").inner_text()
        assert log == []
    finally:
        page.close()


def test_follow_up_after_the_date(browser: Browser, tmp_path: Path) -> None:
    """A commitment whose date has passed (strictly) is asked about before the first choice:
    done / partly / not yet and a note; the answer updates the record; "Ask me later" keeps
    it open; one due today is not asked yet."""
    page, log = fresh_page(browser, html_export(tmp_path, EP01), "en")
    try:
        page.evaluate(SEED_SCRIPT)
        page.reload()
        page.wait_for_selector("#sam-scene-title")
        what = page.locator("#sam-followup-what").inner_text()
        assert "Call Jérôme <img src=x onerror=alert(1)>" in what and "2026-03-01" in what
        assert page.locator("main img").count() == 0
        page.locator("#sam-followup-later").click()  # not now: asked again next time
        assert page.locator("#sam-followup").count() == 0
        page.reload()
        page.wait_for_selector("#sam-followup")
        page.locator("#sam-followup-save").click()
        assert "Pick done" in page.locator("#sam-followup-error").inner_text()
        page.get_by_label("partly").check()
        page.get_by_label("A note (optional)").fill("tried it [bold] \x1b[2J")
        page.locator("#sam-followup-save").click()
        assert page.evaluate("document.activeElement.id") == "sam-followup-done"
        assert page.locator("#sam-followup-done").inner_text() == "Recorded: partly."
        kept = json.loads(page.evaluate("localStorage.getItem('sam-cowboy:transfer:ep01-google-test')"))
        assert kept[0]["commitment"]["status"] == "partly"
        assert kept[0]["follow_ups"] == [{"status": "partly", "note": "tried it [bold] \x1b[2J",
                                          "at": TODAY.isoformat()}]
        assert kept[1] == SEEDED[1]
        page.locator(CHOICE_BUTTONS).first.click()  # playing on: the question is gone
        assert page.locator("#sam-followup").count() == 0
        page.reload()
        page.wait_for_selector("#sam-scene-title")
        assert page.locator("#sam-followup").count() == 0  # nothing else is due
        assert log == []
    finally:
        page.close()


def test_cmi5_sends_the_follow_up(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EP01, "cmi5", tmp_path), tmp_path)
    with serve(Lms(content)) as lms:
        page = lms_page(browser, seeded=True)
        try:
            page.goto(lms.launch_url() + "&lang=en")
            page.locator("#sam-followup").wait_for()
            page.get_by_label("done", exact=True).check()
            page.locator("#sam-followup-note").fill("with Théo")
            page.locator("#sam-followup-save").click()
            leave_after_answer(page, lms)
        finally:
            if not page.is_closed():
                page.close()
    assert lms.rejected == [] and _session_errors(lms) == []
    assert lms.verbs() == ["initialized", "answered", "terminated"]
    sent = lms.statements[1]
    assert sent["object"]["id"] == lms.activity_id + "/commitments/2026-02-20T09%3A00%3A00.000Z"
    assert sent["object"]["definition"]["name"] == {"en-US": "Did you do it?"}
    assert sent["result"] == {"response": "done", "extensions": {
        "https://sam-cowboy.invalid/xapi/note": "with Théo"}}


def test_scorm12_keeps_the_follow_up(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EP01, "scorm12", tmp_path), tmp_path)
    with serve(Lms(content)) as lms:
        page = lms_page(browser, seeded=True)
        try:
            page.goto(f"{lms.base}/scorm.html?lang=en")
            frame = page.frame_locator("#sco")
            frame.locator("#sam-followup").wait_for()
            frame.get_by_label("not yet").check()
            frame.locator("#sam-followup-save").click()
            wait_until(page, "window.__scorm.committed !== null")
            got = scorm_leave(page)
        finally:
            page.close()
    assert got["errors"] == []
    assert got["interactions"] == [{"id": "transfer.follow_up", "type": "fill-in",
                                    "time": got["interactions"][0]["time"],
                                    "student_response": "not yet", "result": "neutral"}]


def test_cmi5_extensions_follow_iri_base(tmp_path: Path) -> None:
    """With --iri-base the commitment's extensions are named under it, as the report names
    them with the same --iri-base; without, under the report's placeholder."""
    import re
    import zipfile

    def extensions(*extra: str) -> dict[str, str]:
        with zipfile.ZipFile(export(EP01, "cmi5", tmp_path, *extra)) as z:
            page = z.read("index.html").decode("utf-8")
        m = re.search(r'<script type="application/json" id="sam-episode">(.*?)</script>', page, re.S)
        assert m is not None
        found: dict[str, str] = json.loads(m.group(1))["transfer"]["xapi"]
        return found

    base = "https://lms.example.org/c/"
    assert extensions("--iri-base", "https://lms.example.org/c") == {
        "due": base + "xapi/due", "status": base + "xapi/status", "note": base + "xapi/note"}
    assert extensions()["due"] == "https://sam-cowboy.invalid/xapi/due"
