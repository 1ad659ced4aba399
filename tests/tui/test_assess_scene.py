"""An assessment run in the scene screen: consequences keep their story, but score changes,
the posture panel, principles and a message's checklist wait for the debrief."""

from __future__ import annotations

import pytest

from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.transfer import story_only
from sam_cowboy.library import builtin_dir, episode_files
from sam_cowboy.tui.screens.debrief import DebriefScreen
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.widgets.keybar import KeyBar

from .conftest import best_steps, load, make_app, settle

EP01 = next(p for p in episode_files(builtin_dir()) if p.stem.startswith("ep01"))


def text_of(screen: SceneScreen, selector: str) -> str:
    return screen.query_one(selector).visual.plain  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_nothing_of_the_score_shows_before_the_debrief(lang, data_dir):
    episode = load(EP01)
    analysis = analyse(episode)
    assert analysis.best_run is not None
    app = make_app(EP01, data_dir, lang=lang)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        run, _ = app.runs.build(episode, analysis, False, lang)  # as the app's assess setting
        run.assess = True
        await app.switch_screen(SceneScreen(run))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SceneScreen)
        held_words = screen.assess_word("held")
        assert any(held_words in str(toast.render()) for toast in screen.query("Toast"))
        tag = screen.assess_word("tag")
        path = analysis.best_run.path
        held = 0
        for (scene, _choice), step in zip(path, best_steps(episode, path), strict=True):
            assert run.state.scene == scene
            assert not screen.query_one("#posture").display
            assert tag in text_of(screen, "#where")
            keys = screen.query_one(KeyBar).plain
            assert screen.t("key_posture") not in keys
            if isinstance(step, str):
                await pilot.press(*step.split("+"), "enter")
            else:
                await pilot.press(str(step))
            await settle(pilot)
            if not (isinstance(app.screen, SceneScreen) and screen.feedback_mode):
                continue
            body = text_of(screen, "#fb-body")
            assert screen.t("posture_changes") not in body and screen.t("no_change") not in body
            assert not any(sign in body for sign in ("▲", "▼", "✓", "✗"))
            last = screen.step
            assert last is not None
            if last.feedback is not None:
                full = app.say(episode, last.feedback.text, last.feedback.variables)
                lesson = full[len(story_only(full)):].strip()
                if lesson:  # the principle and what follows it are held back
                    held += 1
                    assert "**" in lesson
                    assert lesson.replace("**", "")[:40] not in body.replace("\u202f", " ")
            if last.composed is not None:
                checklist = episode.scenes[scene].compose.checklist  # type: ignore[union-attr]
                for item in checklist:
                    words = app.say(episode, item.text).replace("**", "")
                    assert words[:30] not in body
            await pilot.press("enter")
            await settle(pilot)
        assert held > 0  # the episode's consequences do carry principles: they were held
        assert isinstance(app.screen, DebriefScreen)
        assert run.finished and run.assess


async def test_a_consequence_that_is_all_lesson_opens_no_panel(data_dir):
    """A consequence whose story part is empty shows nothing: a panel with only "You
    chose" would still tell that something scored."""
    from .conftest import EPISODES

    path = EPISODES / "compose.yaml"
    episode = load(path)
    app = make_app(path, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        run, _ = app.runs.build(episode, analyse(episode), False, "en")
        run.assess = True
        await app.switch_screen(SceneScreen(run))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SceneScreen)
        await pilot.press("2")  # "Claire frowns. **Do not push.**" and -1 Relationship
        await settle(pilot)
        assert screen.feedback_mode
        body = text_of(screen, "#fb-body")
        assert "Claire frowns." in body and "Do not push" not in body and "−1" not in body
        await pilot.press("enter", "1", "2", "enter")
        await settle(pilot)
        assert screen.feedback_mode  # a message always shows: the trainee reads it back
        body = text_of(screen, "#fb-body")
        assert "Your message: “Sales Engineer | I help warehouses deliver on time”" in body
        assert "job first" not in body and "✓" not in body
        assert not screen.query_one("#posture").display
