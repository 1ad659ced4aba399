"""A compose scene in the app: the fragments picked with numbers, arrows and Space/Enter or
the mouse, unpicked with the same key or Backspace, the message built live in the right
order, sent with Enter once enough are picked, then its checklist as the consequence."""

from __future__ import annotations

from sam_cowboy.core import engine
from sam_cowboy.tui.screens.debrief import DebriefScreen
from sam_cowboy.tui.screens.scene import SceneScreen
from sam_cowboy.tui.widgets.compose import ComposePicker

from .conftest import EPISODES, debrief_json, load, make_app, play, run_json, screen_text, settle

COMPOSE = EPISODES / "compose.yaml"


def picker_of(app) -> ComposePicker:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, SceneScreen) and screen.compose_mode
    return screen.query_one("#compose", ComposePicker)


def key_words(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [words for _, words, _ in app.screen.keys()]


async def test_numbers_pick_in_order_and_enter_sends(data_dir):
    app = make_app(COMPOSE, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1])
        picker = picker_of(app)
        assert picker.count == 3  # the fourth fragment's condition does not hold
        assert "20% off" not in screen_text(app.screen)
        assert "0 of 2: pick 2 more" in picker.plain
        assert "Message (in the order you pick)" in picker.plain  # order matters: said so
        assert "Send" not in key_words(app)
        await pilot.press("enter")  # not ready: Enter picks the highlighted fragment (1)
        await pilot.press("2")
        await settle(pilot)
        assert picker.picked == (0, 1)
        assert "[1] Sales Engineer" in picker.plain and "[2] I help" in picker.plain
        assert "Sales Engineer | I help warehouses deliver on time" in picker.plain
        assert "Enter sends the message" in picker.plain
        assert "Send" in key_words(app)
        await pilot.press("2", "1")  # unpick both with their own keys, then pick in reverse
        assert picker.picked == ()
        await pilot.press("2", "1")
        await settle(pilot)
        assert "I help warehouses deliver on time | Sales Engineer" in picker.plain
        await pilot.press("3")  # a third is one too many: nothing changes, the hint says why
        await settle(pilot)
        assert picker.picked == (1, 0)
        assert "2 already: unpick one first" in picker.plain
        await pilot.press("backspace")  # unpicks the last picked
        assert picker.picked == (1,)
        await pilot.press("1", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SceneScreen) and screen.feedback_mode
        assert [c for _, c in screen.run.state.path] == ["warm", "promise+job"]
        text = screen_text(screen)
        assert "Your message: “I help warehouses deliver on time | Sales Engineer”" in text
        assert "✗ The job first: what people read under a comment. — With the job up front" \
            in text
        assert "✓ A promise" in text
        assert "+1 Professional brand (up)" in text


async def test_arrows_space_and_enter(data_dir):
    app = make_app(COMPOSE, data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, [1])
        picker = picker_of(app)
        await pilot.press("down", "space")  # the second fragment
        await pilot.press("up", "enter")  # not ready yet: Enter picks the first
        await settle(pilot)
        assert picker.picked == (1, 0)
        await pilot.press("space")  # Space toggles the highlighted one: unpicks the first
        assert picker.picked == (1,)
        await pilot.press("space", "enter")  # picked again, then Enter sends
        await settle(pilot)
        assert app.screen.feedback_mode
        assert app.screen.run.state.path[-1] == ("headline", "promise+job")


async def test_range_pick_and_list_order(data_dir, capsys):
    """`pick: [2, 3]`, unordered: Enter sends at two, a third may still be picked; the
    message reads in the list's order whatever the order picked; the run equals `run`."""
    app = make_app(COMPOSE, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1, "2+1"])
        picker = picker_of(app)
        assert "Message (in the list's order)" in picker.plain
        await pilot.press("3", "1")
        await settle(pilot)
        assert "Your question about Saturdays struck a chord. Happy to talk." in picker.plain
        assert "[✓] Your question" in picker.plain and "[✓] Happy" in picker.plain
        assert "Enter sends the message, or pick 1 more" in picker.plain
        await pilot.press("2")
        assert picker.picked == (2, 0, 1)
        assert "Saturdays struck a chord. Vectalis equips 200 sites. Happy to talk." \
            in picker.plain
        await pilot.press("2", "enter")
        await settle(pilot)
        await pilot.press("enter")  # the consequence, then the debrief
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        got = debrief_json(app.screen.debrief, "en")
    expected = run_json(COMPOSE, ["warm", "promise+job", "why+open"], capsys)
    for step in expected["path"]:  # type: ignore[attr-defined]
        for extra in ("fragments", "message", "checklist"):  # run's words on a composition
            step.pop(extra, None)
    assert got == expected
    assert [step["choice"] for step in got["path"]] == ["warm", "promise+job", "why+open"]  # type: ignore[attr-defined,index]


async def test_click_picks_a_fragment(data_dir):
    app = make_app(COMPOSE, data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await play(pilot, [1])
        picker = picker_of(app)
        row = picker.rows()[1][0]  # the second fragment's first line
        await pilot.click("#compose", offset=(10, row))
        await settle(pilot)
        assert picker.picked == (1,)
        await pilot.click("#compose", offset=(10, row))
        assert picker.picked == ()


async def test_fragment_text_is_never_markup(data_dir):
    app = make_app(COMPOSE, data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [1])
        picker = picker_of(app)
        drawn = [line.plain for line in picker.render().lines(picker.size.width)]
        assert "   3. [ ] [bold] [/] [0]" in [line.rstrip() for line in drawn]  # ESC[2J removed
        await pilot.press("3", "1")
        await settle(pilot)
        assert "): [bold] [/] [0]  | Sales Engineer" in picker.plain  # the message line
        assert "\x1b" not in picker.plain and "2J" not in picker.plain
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app.screen)
        assert "“[bold] [/] [0]  | Sales Engineer”" in text and "\x1b" not in text


async def test_undo_across_a_compose_scene(data_dir):
    """Practice mode: u goes back from the message's consequence to the compose scene (the
    picks cleared), and from there to the choice before; the run then goes on."""
    app = make_app(COMPOSE, data_dir, practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await play(pilot, [2, "1+2"])
        screen = app.screen
        assert isinstance(screen, SceneScreen) and screen.run.state.scene == "note"
        await pilot.press("u")
        await settle(pilot)
        picker = picker_of(app)
        assert screen.run.state.scene == "headline" and picker.picked == ()
        assert picker.count == 4  # `pushy` holds: the fourth fragment is offered
        await pilot.press("4")
        await settle(pilot)
        assert picker.picked == (3,)
        await pilot.press("backspace", "backspace")  # unpicks, then (nothing picked) undoes
        await settle(pilot)
        assert screen.run.state.scene == "opening" and not screen.compose_mode
        await play(pilot, [1, "2+1", "1+3"], start=False)
        assert screen.run.choice_ids == ["warm", "promise+job", "why+open"]


async def test_language_switch_keeps_the_picks(data_dir):
    app = make_app(COMPOSE, data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await play(pilot, [1])
        await pilot.press("2")
        await settle(pilot)
        app.set_language("fr")  # what the settings window does
        await settle(pilot)
        picker = picker_of(app)
        assert picker.picked == (1,)
        assert "[1] J'aide les entrepôts à livrer à l'heure" in picker.plain
        assert "Message (dans l'ordre où vous choisissez)" in picker.plain


def test_the_steps_helper_matches_the_engine() -> None:
    """`best_steps` (the tests' way to type a path) gives fragment numbers among those
    offered, which `compose_numbers` turns back into the same message."""
    from .conftest import best_steps

    episode = load(COMPOSE)
    path = [("opening", "pushy"), ("headline", "discount+job"), ("note", "why+pitch+open")]
    steps = best_steps(episode, path)
    assert steps == [2, "4+1", "1+2+3"]
    state, _ = engine.begin(episode)
    state, _ = engine.choose_number(episode, state, 2)
    state, _ = engine.compose_numbers(episode, state, [4, 1])
    assert state.path[-1] == ("headline", "discount+job")

