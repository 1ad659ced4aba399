"""Episode text is data in the web player too: tags, markup and escapes show or vanish, never run.

tests/export/hostile.yaml puts `</script>`, `<img onerror>`, `<svg onload>`, Rich markup and
terminal escapes in every kind of text (title, scene text, choice, feedback, a string
variable shown through `{word}`, labels, the ending). In Chromium no injected script runs
(`window.pwned` stays unset), no element comes from episode text, the tags read as text,
escape sequences are stripped as the terminal strips them, and the run still equals
`sam-cowboy run --json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sam_cowboy.cli import main
from sam_cowboy.commands.common import load_playable

from .playing import play, run_json

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog

HOSTILE = Path(__file__).with_name("hostile.yaml")


def test_hostile_text_is_shown_never_run(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    assert main(["export", str(HOSTILE), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("</script>") == 2  # the player's own script and nothing else
    assert "\x1b" not in html.split('id="sam-episode"')[0]
    episode, _ = load_playable(str(HOSTILE))
    page = browser.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(out.as_uri() + "?lang=en")
        page.wait_for_selector("#sam-scene-title")
        body = page.locator("main").inner_text()
        assert "</script><script>window.pwned=1</script> & [bold]" in body
        assert "<img src=x onerror=window.pwned=3>" in body
        assert "<img src=x onerror=window.pwned=2>" in body  # {word}, filled in
        assert "[bold]Start[/]" in body and "{literal}" in body and "{literal} done" in body
        assert "\x1b" not in body and "\x07" not in body
        assert page.locator("main img, main svg, main script, main u, main i").count() == 0
        assert page.locator("main strong", has_text="strong").count() == 1  # Markdown only
        positions = play(page, episode, ["a", "c"], "en")
        assert positions == [1, 1]
        assert page.evaluate("window.samCowboy.result()") == run_json(str(HOSTILE), positions, "en")
        body = page.locator("main").inner_text()
        assert "The end <svg onload=window.pwned=5>" in body and "<u>Done</u>" in body
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("main img, main svg, main script, main u").count() == 0
        assert dialogs == []
    finally:
        page.close()


def test_feedback_sees_new_values_and_weights_are_exact(browser: Browser, tmp_path: Path) -> None:
    """`{count}` in feedback shows the value after `add`; a weight of 1.5 gives the same
    overall percent as the core's fractions."""
    out = tmp_path / "hostile.html"
    assert main(["export", str(HOSTILE), "-o", str(out)]) == 0
    episode, _ = load_playable(str(HOSTILE))
    page = browser.new_page()
    try:
        page.goto(out.as_uri() + "?lang=fr")
        page.wait_for_selector("#sam-scene-title")
        play(page, episode, ["a"], "fr")
        feedback = page.locator("#sam-feedback").inner_text()
        assert "Count is now 1 <script>window.pwned=4</script>" in feedback
        assert "+2 Soin" in feedback
        play_rest = page.locator("#sam-scene ol.choices button")
        assert play_rest.count() == 2
        play_rest.nth(1).click()
        page.locator("#sam-reflect-skip").click()
        expected = run_json(str(HOSTILE), [1, 2], "fr")
        assert page.evaluate("window.samCowboy.result()") == expected
        assert f"{expected['overall']['percent']}%" in page.locator("#sam-overall").inner_text()
    finally:
        page.close()


def test_transfer_texts_are_data(browser: Browser, tmp_path: Path) -> None:
    """The reflection question and the proposed actions (episode text, `{word}` filled in)
    show as text in the transfer step, for a costly decision and for a best run (which is
    offered its first decision's actions)."""
    out = tmp_path / "hostile.html"
    assert main(["export", str(HOSTILE), "-o", str(out)]) == 0
    episode, _ = load_playable(str(HOSTILE))
    page = browser.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(out.as_uri() + "?lang=en")
        page.wait_for_selector("#sam-scene-title")
        play(page, episode, ["a", "d"], "en")
        assert page.locator("#sam-reflect-question").inner_text() == \
            "Why <img src=x onerror=window.pwned=6> [bold]? <img src=x onerror=window.pwned=2>"
        page.locator("#sam-reflect-skip").click()
        labels = page.locator("#sam-commit fieldset .option label").all_inner_texts()
        assert labels[:2] == ["Call <script>window.pwned=7</script> [bold]Paul[/] "
                              "<img src=x onerror=window.pwned=2>", "Second <b>one</b>"]
        assert "Always" in page.locator("#sam-commit-on").inner_text()
        page.locator("#sam-commit-save").click()
        assert "window.pwned=7" in page.locator("#sam-commit-done").inner_text()
        assert page.locator("main img, main svg, main script, main b, main i").count() == 0
        page.locator("#sam-again").click()
        play(page, episode, ["a", "c"], "en")  # the best run: its first decision's actions
        page.locator("#sam-reflect-skip").click()
        labels = page.locator("#sam-commit fieldset .option label").all_inner_texts()
        assert labels[0] == "First <i>scene</i> action"
        assert page.locator("#sam-commit fieldset input[type=radio]").count() == 2  # and own
        assert page.locator("main img, main svg, main script, main b, main i").count() == 0
        assert page.evaluate("typeof window.pwned") == "undefined" and dialogs == []
    finally:
        page.close()
