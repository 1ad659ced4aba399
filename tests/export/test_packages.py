"""cmi5 and SCORM 1.2 packages: their descriptors checked against the standards, then played in
Chromium against a minimal LMS written from the specifications (tests/export/lms_stub.py).

- cmi5.xml is validated with the cmi5 CourseStructure.xsd (tests/export/standards, from the
  AICC/ADL cmi5 repository) plus the rules the schema cannot state (an absolute IRI per id,
  the AU's url inside the package).
- imsmanifest.xml is checked by the rules of the SCORM 1.2 Content Aggregation Model
  (checks listed in `manifest_problems`).
- In the browser, the cmi5 AU's statements are validated one by one by the stub LRS
  (xAPI 1.0.3 rules) and as a session (cmi5 rules: order, categories, mastery, durations);
  the SCORM SCO talks to a SCORM 1.2 API object that rejects what the RTE forbids.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import pytest

from sam_cowboy.cli import main
from sam_cowboy.commands.common import load_playable
from sam_cowboy.core import engine
from sam_cowboy.core.debrief import build
from sam_cowboy.export.xapi_rules import IRI, SESSION_EXTENSION, cmi5_session_errors
from sam_cowboy.library import builtin_dir

from .lms_stub import Lms, serve
from .playing import finish_transfer, play, random_run, run_json

if TYPE_CHECKING:
    from playwright.sync_api import Browser

STANDARDS = Path(__file__).with_name("standards")
HOSTILE = Path(__file__).with_name("hostile.yaml")
EPISODE = str(builtin_dir() / "ep01-google-test.yaml")
CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def export(source: str, fmt: str, folder: Path, *extra: str) -> Path:
    out = folder / f"package-{fmt}.zip"
    assert main(["export", source, "--format", fmt, "-o", str(out), *extra]) == 0
    return out


def unpack(zip_path: Path, folder: Path) -> Path:
    target = folder / "content"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(target)
    return target


def failing_run(source: str, mastery: int) -> list[str]:
    episode, analysis = load_playable(source)
    for seed in range(500):
        ids = random_run(episode, seed)
        if build(episode, engine.replay(episode, ids), analysis).overall < mastery:
            return ids
    raise AssertionError("no random run below the mastery score")


# ---------------------------------------------------------------------- descriptors

@pytest.mark.parametrize("source", [EPISODE, str(HOSTILE)])
def test_cmi5_xml_is_valid_against_the_cmi5_schema(tmp_path: Path, source: str) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(STANDARDS / "cmi5-CourseStructure.xsd"))
    with zipfile.ZipFile(export(source, "cmi5", tmp_path)) as z:
        names = set(z.namelist())
        xml = z.read("cmi5.xml").decode("utf-8")
    assert names == {"cmi5.xml", "index.html"}
    schema.validate(xml)
    root = ET.fromstring(xml)
    ns = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"
    course, au = root.find(f"{ns}course"), root.find(f"{ns}au")
    assert course is not None and au is not None
    assert IRI.match(course.get("id", "")) and IRI.match(au.get("id", ""))
    assert course.get("id") != au.get("id")
    assert au.get("masteryScore") == "0.65" and au.get("moveOn") == "CompletedAndPassed"
    assert au.findtext(f"{ns}url") in names  # relative to the package root
    assert "sam-cowboy.invalid" not in xml


def test_cmi5_ids_follow_iri_base_and_bad_ones_are_refused(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    zip_path = export(EPISODE, "cmi5", tmp_path, "--iri-base", "https://lms.example.org/c",
                      "--mastery-score", "80")
    with zipfile.ZipFile(zip_path) as z:
        root = ET.fromstring(z.read("cmi5.xml"))
    au = root.find("{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}au")
    assert au is not None
    assert au.get("id") == "https://lms.example.org/c/episodes/ep01-google-test/au"
    assert au.get("masteryScore") == "0.80"
    out = tmp_path / "bad.zip"
    assert main(["export", EPISODE, "--format", "cmi5", "-o", str(out),
                 "--iri-base", "not an iri"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--iri-base" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["export", EPISODE, "--mastery-score", "101"]) == 2


def manifest_problems(xml: bytes, names: set[str]) -> list[str]:
    """The SCORM 1.2 CAM rules for a content package's imsmanifest.xml."""
    problems = []
    root = ET.fromstring(xml)
    if root.tag != f"{CP}manifest" or not root.get("identifier"):
        problems.append("the root must be an IMS CP <manifest> with an identifier")
    if root.findtext(f"{CP}metadata/{CP}schema") != "ADL SCORM" or \
            root.findtext(f"{CP}metadata/{CP}schemaversion") != "1.2":
        problems.append("metadata must say schema ADL SCORM, schemaversion 1.2")
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier") is not None]
    if len(ids) != len(set(ids)) or not all(NCNAME.match(str(i)) for i in ids):
        problems.append("identifiers must be unique XML ids")
    organizations = root.find(f"{CP}organizations")
    resources = {r.get("identifier"): r for r in root.iter(f"{CP}resource")}
    if organizations is None:
        return problems + ["<organizations> is required"]
    orgs = {o.get("identifier"): o for o in organizations.findall(f"{CP}organization")}
    if organizations.get("default") not in orgs:
        problems.append("organizations/@default must name an organization")
    for org in orgs.values():
        if not org.findtext(f"{CP}title") or len(org.findtext(f"{CP}title") or "") > 200:
            problems.append("an organization needs a title of at most 200 characters")
        items = list(org.iter(f"{CP}item"))
        if not items:
            problems.append("an organization needs an item")
        for item in items:
            if not item.findtext(f"{CP}title") or len(item.findtext(f"{CP}title") or "") > 200:
                problems.append("an item needs a title of at most 200 characters")
            ref = item.get("identifierref")
            if ref is not None and ref not in resources:
                problems.append(f"item {item.get('identifier')} refers to no resource")
            mastery = item.findtext(f"{ADLCP}masteryscore")
            if mastery is not None and not (re.fullmatch(r"\d+(\.\d+)?", mastery)
                                            and 0 <= float(mastery) <= 100):
                problems.append("adlcp:masteryscore must be a number from 0 to 100")
    for identifier, resource in resources.items():
        if resource.get("type") != "webcontent":
            problems.append(f"resource {identifier}: type must be webcontent")
        if resource.get(f"{ADLCP}scormtype") not in ("sco", "asset"):
            problems.append(f"resource {identifier}: adlcp:scormtype must be sco or asset")
        if resource.get("href") not in names:
            problems.append(f"resource {identifier}: href is not in the package")
        for f in resource.findall(f"{CP}file"):
            if f.get("href") not in names:
                problems.append(f"resource {identifier}: file {f.get('href')} is missing")
    return problems


def test_scorm12_manifest_follows_the_cam(tmp_path: Path) -> None:
    long_title = tmp_path / "long.yaml"
    long_title.write_text(HOSTILE.read_text(encoding="utf-8").replace(
        'title: {en: "Tags', 'title: {en: "' + "Long " * 60 + 'Tags', 1), encoding="utf-8")
    for source in (EPISODE, str(HOSTILE), str(long_title)):
        with zipfile.ZipFile(export(source, "scorm12", tmp_path)) as z:
            names = set(z.namelist())
            xml = z.read("imsmanifest.xml")
        assert "imsmanifest.xml" in names  # at the root of the package
        assert manifest_problems(xml, names) == []
    broken = xml.replace(b'identifierref="resource-1"', b'identifierref="nowhere"')
    assert manifest_problems(broken, names) == ["item item-1 refers to no resource"]


# ---------------------------------------------------------------------- in a browser

def scorm_session(browser: Browser, content: Path, ids: list[str], lang: str) -> dict[str, Any]:
    episode, _ = load_playable(EPISODE)
    with serve(Lms(content)) as lms:
        page = browser.new_page()
        try:
            page.goto(f"{lms.base}/scorm.html?lang={lang}")
            frame = page.frame_locator("#sco")
            frame.locator("#sam-scene-title").wait_for()
            play(frame, episode, ids, lang)  # type: ignore[arg-type]
            page.wait_for_function("window.__scorm.committed !== null")
            finish_transfer(frame)  # type: ignore[arg-type]
            overall = frame.locator("#sam-overall").inner_text()
            page.evaluate("document.getElementById('sco').remove()")  # the learner leaves
            page.wait_for_function("window.__scorm.state() === 'finished'")
            data: dict[str, Any] = page.evaluate("({log: window.__scorm.log, errors: "
                                                 "window.__scorm.errors, cmi: window.__scorm.cmi,"
                                                 " interactions: window.__scorm.interactions})")
            data["expected"] = run_json(EPISODE, ids, lang)
            data["overall_text"] = overall
            return data
        finally:
            page.close()


def test_scorm12_reports_score_and_status_through_the_api(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EPISODE, "scorm12", tmp_path), tmp_path)
    episode, analysis = load_playable(EPISODE)
    assert analysis.best_run is not None
    best = scorm_session(browser, content, [c for _, c in analysis.best_run.path], "en")
    assert best["errors"] == []
    calls = [entry[0] for entry in best["log"]]
    assert calls[0] == "LMSInitialize" and calls[-1] == "LMSFinish"
    assert calls.count("LMSInitialize") == 1 and calls.count("LMSFinish") == 1
    percent = best["expected"]["overall"]["percent"]
    assert best["cmi"]["cmi.core.score.raw"] == str(percent)
    assert (best["cmi"]["cmi.core.score.min"], best["cmi"]["cmi.core.score.max"]) == ("0", "100")
    assert best["cmi"]["cmi.core.lesson_status"] == "passed"
    assert re.fullmatch(r"\d{4}:\d\d:\d\d\.\d\d", best["cmi"]["cmi.core.session_time"])
    assert [i["student_response"] for i in best["interactions"]] == \
        [p["choice"] for p in best["expected"]["path"]]
    assert f"{percent}%" in best["overall_text"]

    worse = scorm_session(browser, content, failing_run(EPISODE, 65), "fr")
    assert worse["errors"] == []
    assert worse["cmi"]["cmi.core.lesson_status"] == "failed"
    assert worse["cmi"]["cmi.core.score.raw"] == str(worse["expected"]["overall"]["percent"])


def cmi5_session(browser: Browser, content: Path, ids: list[str] | None, lang: str,
                 **lms_options: Any) -> tuple[Lms, dict[str, Any] | None]:
    """Launch the AU as an LMS would; play `ids` (None: leave after the first choice)."""
    with serve(Lms(content, **lms_options)) as lms:
        return lms, launch(browser, lms, ids, lang)


def launch(browser: Browser, lms: Lms, ids: list[str] | None, lang: str) -> dict[str, Any] | None:
    """One session of the AU at the running stub LMS: what the page showed at the end."""
    episode, _ = load_playable(EPISODE)
    lms.session_id = str(uuid.uuid4())
    lms.fetches = 0
    done = len(lms.verbs()) + 1
    page = browser.new_page()
    try:
        page.goto(lms.launch_url() + (f"&lang={lang}" if lang else ""))
        page.locator("#sam-scene-title").wait_for()
        if ids is None:
            page.locator("#sam-scene ol.choices button").first.click()
            _wait(lambda: "answered" in lms.verbs()[done:] or bool(lms.rejected))
            page.close(run_before_unload=True)
            _wait(lambda: "terminated" in lms.verbs()[done:] or bool(lms.rejected))
            return None
        if not lang:  # the learner's preference decides (French, in these tests)
            page.wait_for_function("window.samCowboy.language() === 'fr'")
            lang = "fr"
        play(page, episode, ids, lang)
        finish_transfer(page)
        expected = run_json(EPISODE, ids, lang)
        expected["overall_text"] = page.locator("#sam-overall").inner_text()
        _wait(lambda: "terminated" in lms.verbs()[done:] or bool(lms.rejected))
        page.locator("#sam-lms-status", has_text=re.compile(".")).wait_for()
        expected["status"] = page.locator("#sam-lms-status").inner_text()
        expected["replay_buttons"] = page.locator("#sam-again").count()
        link = page.locator("#sam-lms-return")
        expected["return"] = link.get_attribute("href") if link.count() else None
        return expected
    finally:
        if not page.is_closed():
            page.close()


def _wait(done: Any, seconds: float = 20.0) -> None:
    import time

    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "the LMS stub did not get what it waited for"
        time.sleep(0.05)


def _session_errors(lms: Lms) -> list[str]:
    """The cmi5 rules, session by session (statements grouped by their session id)."""
    sessions: dict[str, list[dict[str, Any]]] = {}
    for s in lms.statements:
        sessions.setdefault(s["context"]["extensions"][SESSION_EXTENSION], []).append(s)
    return [e for sid, group in sessions.items() for e in cmi5_session_errors(
        group, lms.actor, lms.registration, lms.activity_id, lms.mastery, sid)]


def test_cmi5_au_sends_a_valid_session_to_the_lrs(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EPISODE, "cmi5", tmp_path), tmp_path)
    _, analysis = load_playable(EPISODE)
    assert analysis.best_run is not None
    lms, expected = cmi5_session(browser, content, [c for _, c in analysis.best_run.path], "en")
    assert expected is not None
    assert lms.rejected == [] and lms.fetches == 1
    assert _session_errors(lms) == []
    steps = len(expected["path"])
    assert lms.verbs() == ["initialized"] + ["answered"] * steps + ["completed", "passed",
                                                                    "terminated"]
    answered = [s for s in lms.statements if s["verb"]["id"].endswith("/answered")]
    assert [s["result"]["response"] for s in answered] == [p["choice"] for p in expected["path"]]
    passed = lms.statements[-2]
    assert passed["result"]["score"]["scaled"] == expected["overall"]["percent"] / 100
    assert passed["result"]["score"]["raw"] == expected["overall"]["percent"]
    assert "Result sent" in expected["status"] and expected["replay_buttons"] == 0
    assert expected["return"] == f"{lms.base}/done"  # the LMS's returnURL


def test_cmi5_failed_run_and_mastery_from_the_lms(browser: Browser, tmp_path: Path) -> None:
    """The LMS's masteryScore (launch data) overrides the package's; below it: failed. The
    learner's language preference (fr-CA before en) chooses French."""
    content = unpack(export(EPISODE, "cmi5", tmp_path), tmp_path)
    lms, expected = cmi5_session(browser, content, failing_run(EPISODE, 50), "", mastery=0.5,
                                 language_preference="de, fr-CA, en")
    assert expected is not None
    assert lms.rejected == [] and _session_errors(lms) == []
    assert lms.verbs()[-3:] == ["completed", "failed", "terminated"]
    assert lms.statements[-2]["result"]["success"] is False
    assert "Posture globale" in expected["overall_text"]


def test_cmi5_leaving_early_and_review_mode(browser: Browser, tmp_path: Path) -> None:
    content = unpack(export(EPISODE, "cmi5", tmp_path), tmp_path)
    lms, _ = cmi5_session(browser, content, None, "en")
    assert lms.rejected == [] and _session_errors(lms) == []
    assert lms.verbs() == ["initialized", "answered", "terminated"]
    _, analysis = load_playable(EPISODE)
    assert analysis.best_run is not None
    lms, _ = cmi5_session(browser, content, [c for _, c in analysis.best_run.path], "en",
                          launch_mode="Review")
    assert lms.rejected == [] and _session_errors(lms) == []
    assert "completed" not in lms.verbs() and "passed" not in lms.verbs()
    assert lms.verbs()[0] == "initialized" and lms.verbs()[-1] == "terminated"


def test_scorm12_suspends_and_resumes_a_run(browser: Browser, tmp_path: Path) -> None:
    """Leaving mid-run keeps the choices in cmi.suspend_data with exit "suspend"; the next
    launch (entry "resume") continues from there and the finished run scores as a whole."""
    from urllib.parse import quote

    content = unpack(export(EPISODE, "scorm12", tmp_path), tmp_path)
    episode, analysis = load_playable(EPISODE)
    assert analysis.best_run is not None
    ids = [c for _, c in analysis.best_run.path]
    with serve(Lms(content)) as lms:
        page = browser.new_page()
        try:
            page.goto(f"{lms.base}/scorm.html?lang=en")
            frame = page.frame_locator("#sco")
            frame.locator("#sam-scene-title").wait_for()
            play(frame, episode, ids[:3], "en")  # type: ignore[arg-type]
            page.evaluate("document.getElementById('sco').remove()")
            page.wait_for_function("window.__scorm.state() === 'finished'")
            first = page.evaluate("({cmi: window.__scorm.cmi, errors: window.__scorm.errors})")
            assert first["errors"] == []
            assert first["cmi"]["cmi.core.exit"] == "suspend"
            assert first["cmi"]["cmi.core.lesson_status"] == "incomplete"
            saved = first["cmi"]["cmi.suspend_data"]
            page.goto(f"{lms.base}/scorm.html?lang=en&entry=resume&status=incomplete"
                      f"&suspend={quote(saved)}")
            frame = page.frame_locator("#sco")
            frame.locator("#sam-scene-title").wait_for()
            inner = page.frames[1]
            inner.wait_for_function("window.samCowboy.result().path.length === 3")
            state, _ = engine.begin(episode)
            for cid in ids[:3]:
                state, _ = engine.choose(episode, state, cid)
            shown = engine.choices_shown(episode, state)
            assert frame.locator("#sam-scene ol.choices button").count() == len(shown)
            for cid in ids[3:]:
                frame.locator(f'#sam-scene ol.choices button[data-choice="{cid}"]').click()
            page.wait_for_function("window.__scorm.committed !== null")
            second = page.evaluate("({cmi: window.__scorm.cmi, errors: window.__scorm.errors})")
            assert second["errors"] == []
            assert second["cmi"]["cmi.core.lesson_status"] == "passed"
            assert second["cmi"]["cmi.core.score.raw"] == str(analysis.best_run.overall)
            assert second["cmi"]["cmi.suspend_data"] == ""
        finally:
            page.close()


def test_cmi5_completed_and_passed_once_per_registration(browser: Browser, tmp_path: Path) -> None:
    """A second launch of the same registration (the learner failed, tries again) sends no
    second completed; a pass after a fail is sent; after a pass, neither passed nor failed."""
    content = unpack(export(EPISODE, "cmi5", tmp_path), tmp_path)
    _, analysis = load_playable(EPISODE)
    assert analysis.best_run is not None
    with serve(Lms(content)) as lms:
        launch(browser, lms, failing_run(EPISODE, 65), "en")
        launch(browser, lms, [c for _, c in analysis.best_run.path], "en")
        launch(browser, lms, failing_run(EPISODE, 65), "en")
        assert lms.rejected == [] and _session_errors(lms) == []
        verbs = [v for v in lms.verbs() if v != "answered"]
        assert verbs == ["initialized", "completed", "failed", "terminated",
                         "initialized", "passed", "terminated",
                         "initialized", "terminated"]
