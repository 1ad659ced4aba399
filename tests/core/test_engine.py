"""Play rules: order of effects, once, routes, endings, interpolation, languages."""

from __future__ import annotations

import pytest
from core_support import EP00_TEXT, doc, load, ok

from sam_cowboy.core import engine, i18n
from sam_cowboy.core.engine import (
    ChoiceMade,
    EndingReached,
    FeedbackShown,
    RouteFollowed,
    SceneEntered,
    ScoreChanged,
    VariableChanged,
)

ORDER = """\
a:
  choices:
    - id: c
      text: Go
      score: {d: 1}
      set: {n: 10, flag: true}
      add: {n: 5}
      feedback: "n is {n}, flag is {flag}"
      goto: b
b:
  on_enter: {score: {d: 100}, add: {n: 1}}
  route:
    - if: "visits('b') == 1 and n == 16 and score('d') == 101"
      goto: good
    - goto: bad
good:
  ending: {kind: good}
bad:
  ending: {kind: bad}
"""


def test_order_of_effects() -> None:
    episode = ok(doc(ORDER, variables="n: 0\nflag: false\n"))
    state, events = engine.begin(episode)
    assert events == [SceneEntered("a")]
    state, events = engine.choose(episode, state, "c")
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["ChoiceMade", "ScoreChanged", "VariableChanged", "VariableChanged",
                     "VariableChanged", "FeedbackShown", "SceneEntered", "ScoreChanged",
                     "VariableChanged", "RouteFollowed", "SceneEntered", "EndingReached"]
    assert events[0] == ChoiceMade("a", "c")
    assert events[1] == ScoreChanged("d", 1, 1, "a", "c")
    # set (both variables) before add
    assert events[2:5] == [VariableChanged("n", 0, 10), VariableChanged("flag", False, True),
                           VariableChanged("n", 10, 15)]
    feedback = events[5]
    assert isinstance(feedback, FeedbackShown)
    # the feedback sees the new values (after set and add, before on_enter of the next scene)
    assert dict(feedback.variables) == {"n": 15, "flag": True}
    assert i18n.render(feedback.text, "en", "en", feedback.variables) == "n is 15, flag is true"
    assert events[6] == SceneEntered("b")
    assert events[7] == ScoreChanged("d", 100, 101, "b", None)
    assert events[8] == VariableChanged("n", 15, 16)
    # the route sees the visit count, the on_enter effects and the new score
    assert events[9] == RouteFollowed("b", "good")
    assert events[10:] == [SceneEntered("good"), EndingReached("good", "good")]
    assert state.ending == "good" and state.finished
    assert state.scenes == ("a", "b", "good")
    assert state.path == (("a", "c"),)
    assert state.visits == {"a": 1, "b": 1, "good": 1}
    assert state.scores == {"d": 101}
    assert state.variables == {"n": 16, "flag": True}


def test_on_enter_of_the_start_scene_applies_at_begin() -> None:
    episode = ok(doc("""\
        a:
          on_enter: {score: {d: 2}, set: {flag: true}}
          choices:
            - text: Go
              goto: end
        end:
          on_enter: {score: {d: 3}}
          ending: {kind: good}
        """, variables="flag: false\n"))
    state, events = engine.begin(episode)
    assert state.scores == {"d": 2} and state.variables == {"flag": True}
    assert state.visits == {"a": 1}
    state, _ = engine.choose(episode, state, "1")
    assert state.scores == {"d": 5}


def test_start_scene_may_be_a_route() -> None:
    episode = ok(doc("""\
        r:
          route:
            - if: "flag"
              goto: a
            - goto: end
        a:
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """, variables="flag: false\n", start="r"))
    state, _ = engine.begin(episode)
    assert state.ending == "end" and state.scenes == ("r", "end")


def test_first_matching_route_entry_is_taken() -> None:
    episode = ok(doc("""\
        a:
          choices:
            - text: Go
              goto: r
        r:
          route:
            - if: "n > 5"
              goto: x
            - if: "n > 0"
              goto: y
            - if: "true"
              goto: z
            - goto: x
        x:
          ending: {kind: bad}
        y:
          ending: {kind: good}
        z:
          ending: {kind: mixed}
        """, variables="n: 3\n"))
    state, _ = engine.begin(episode)
    state, _ = engine.choose(episode, state, "1")
    assert state.ending == "y"
    assert state.scenes == ("a", "r", "y")


def test_routes_chain() -> None:
    episode = ok(doc("""\
        a:
          choices:
            - text: Go
              goto: r1
        r1:
          route:
            - goto: r2
        r2:
          on_enter: {score: {d: 1}}
          route:
            - if: "visits('r1') == 1"
              goto: end
            - goto: a
        end:
          ending: {kind: good}
        """))
    state, _ = engine.begin(episode)
    state, _ = engine.choose(episode, state, "1")
    assert state.scenes == ("a", "r1", "r2", "end")
    assert state.scores == {"d": 1}


def test_once_choice_is_hidden_after_it_is_picked() -> None:
    episode = ok(doc("""\
        a:
          choices:
            - id: look
              text: Look around
              once: true
              goto: a
            - id: leave
              text: Leave
              goto: end
        end:
          ending: {kind: good}
        """))
    state, _ = engine.begin(episode)
    assert [c.id for c in engine.choices_shown(episode, state)] == ["look", "leave"]
    state, _ = engine.choose(episode, state, "look")
    assert [c.id for c in engine.choices_shown(episode, state)] == ["leave"]
    assert state.visits["a"] == 2
    with pytest.raises(engine.EngineError):
        engine.choose(episode, state, "look")
    with pytest.raises(engine.EngineError) as info:
        engine.choose_number(episode, state, 2)
    assert "`a`" in str(info.value) and "leave" in str(info.value)


def test_once_is_per_scene_and_choice() -> None:
    episode = ok(doc("""\
        a:
          choices:
            - {id: x, text: X, once: true, goto: b}
        b:
          choices:
            - {id: x, text: X, once: true, goto: a}
            - {id: out, text: Out, goto: end}
        end:
          ending: {kind: good}
        """))
    state, _ = engine.begin(episode)
    state, _ = engine.choose(episode, state, "x")
    assert [c.id for c in engine.choices_shown(episode, state)] == ["x", "out"]
    state, _ = engine.choose(episode, state, "x")
    assert engine.choices_shown(episode, state) == []  # a's x is used: a dead end


def test_conditions_hide_choices_and_numbers_count_shown_choices() -> None:
    episode = ok(doc("""\
        a:
          choices:
            - {id: hidden, text: H, if: "flag", goto: end}
            - {id: one, text: O, goto: b}
            - {id: two, text: T, goto: end}
        b:
          choices:
            - {text: B, goto: end}
        end:
          ending: {kind: good}
        """, variables="flag: false\n"))
    state, _ = engine.begin(episode)
    assert [c.id for c in engine.choices_shown(episode, state)] == ["one", "two"]
    after, _ = engine.choose_number(episode, state, 1)
    assert after.path == (("a", "one"),)
    with pytest.raises(engine.EngineError) as info:
        engine.choose_number(episode, state, 3)
    assert "`a`" in str(info.value) and "one" in str(info.value) and "two" in str(info.value)
    with pytest.raises(engine.EngineError):
        engine.choose(episode, state, "hidden")


def test_engine_is_pure() -> None:
    episode = ok(EP00_TEXT)
    state, _ = engine.begin(episode)
    frozen = (dict(state.variables), dict(state.visits), dict(state.scores))
    a, _ = engine.choose(episode, state, "fix-profile")
    b, _ = engine.choose(episode, state, "fix-profile")
    assert a == b
    assert (dict(state.variables), dict(state.visits), dict(state.scores)) == frozen


def test_ep00_runs() -> None:
    episode = ok(EP00_TEXT)
    state = engine.replay(episode, ["fix-profile", "personal"])
    assert state.ending == "accepted"
    assert state.scenes == ("monday", "invite", "verdict", "accepted")
    assert state.scores == {"brand": 2, "relationship": 2}
    assert state.variables == {"profile_ready": True, "invitations": 1}
    state = engine.replay(episode, ["invite-now", "personal"])
    assert state.ending == "ignored"
    state = engine.replay(episode, ["fix-profile", "pitch"])
    assert state.ending == "ignored" and state.scores == {"brand": 2, "relationship": -2}


def test_ending_has_no_choices() -> None:
    episode = ok(EP00_TEXT)
    state = engine.replay(episode, ["fix-profile", "personal"])
    assert engine.choices_shown(episode, state) == []
    with pytest.raises(engine.EngineError):
        engine.choose(episode, state, "pitch")


def test_route_loop_is_an_engine_error_not_a_hang() -> None:
    # the loader cannot know; the analysis reports it and the engine refuses it
    episode = ok(doc("""\
        a:
          choices:
            - text: Go
              goto: r1
        r1:
          route:
            - goto: r2
        r2:
          route:
            - if: "false"
              goto: end
            - goto: r1
        end:
          ending: {kind: good}
        """))
    state, _ = engine.begin(episode)
    with pytest.raises(engine.EngineError):
        engine.choose(episode, state, "1")


# ------------------------------------------------------------------ texts

INTERP = """\
a:
  text: "{name} has {n} invitations; ready: {ready}; {{literal}} and {{n}}; }} {{"
  choices:
    - text: Go
      goto: end
end:
  ending: {kind: good}
"""


def test_interpolation_booleans_and_literal_braces() -> None:
    episode = ok(doc(INTERP, variables="name: Sam\nn: 2\nready: false\n"))
    state, _ = engine.begin(episode)
    (paragraph,) = i18n.scene_paragraphs(episode, episode.scenes["a"], "en", state)
    assert paragraph == "Sam has 2 invitations; ready: false; {literal} and {n}; } {"


def test_interpolate_function() -> None:
    v = {"a": True, "b": -3, "c": "x{y}"}
    assert i18n.interpolate("{a} {b} {c}", v) == "true -3 x{y}"
    assert i18n.interpolate("{{a}}", v) == "{a}"
    assert i18n.interpolate("{{{a}}}", v) == "{true}"
    assert i18n.interpolate("}}{{", v) == "}{"
    assert i18n.interpolate("no braces", v) == "no braces"


def test_scene_text_blocks_with_false_conditions_are_left_out() -> None:
    episode = ok(EP00_TEXT)
    state, _ = engine.begin(episode)
    ready, _ = engine.choose(episode, state, "fix-profile")
    not_ready, _ = engine.choose(episode, state, "invite-now")
    invite = episode.scenes["invite"]
    assert i18n.scene_paragraphs(episode, invite, "en", ready) == ["Sam writes his invitation."]
    assert i18n.scene_paragraphs(episode, invite, "en", not_ready) == [
        "Sam writes his invitation.", "His profile still reads like a CV."]
    assert i18n.scene_paragraphs(episode, invite, "fr", not_ready)[1] == \
        "Son profil ressemble encore à un CV."


def test_ep00_start_text_interpolates_in_each_language() -> None:
    episode = ok(EP00_TEXT)
    state, _ = engine.begin(episode)
    monday = episode.scenes["monday"]
    assert i18n.scene_paragraphs(episode, monday, "en", state) == [
        "Sam opens LinkedIn. He has 0 pending invitation(s)."]
    assert i18n.scene_paragraphs(episode, monday, "fr", state) == [
        "Sam ouvre LinkedIn. Il a 0 invitation(s) en attente."]


FALLBACK = """\
a:
  text: {fr: "Bonjour", en: "Hello"}
  choices:
    - text: {fr: "Seulement en français"}
      goto: end
end:
  ending: {kind: good}
"""


def test_missing_translation_falls_back_to_the_default_language() -> None:
    episode = load(doc(FALLBACK, head="sam_cowboy: 1\nid: t\ntitle: {fr: T, en: T}\n"
                       "languages: [fr, en]\n")).require()
    choice = episode.scenes["a"].choices[0]
    assert i18n.render(choice.text, "en", episode.default_language) == "Seulement en français"
    assert i18n.render(choice.text, "fr", episode.default_language) == "Seulement en français"


def test_fallback_when_the_default_is_missing_uses_another_translation() -> None:
    episode = load(doc(FALLBACK.replace('{fr: "Seulement en français"}', '{en: "Only English"}'),
                       head="sam_cowboy: 1\nid: t\ntitle: {fr: T, en: T}\n"
                       "languages: [fr, en]\n")).require()
    choice = episode.scenes["a"].choices[0]
    assert i18n.render(choice.text, "fr", episode.default_language) == "Only English"


def test_choose_language() -> None:
    episode = ok(EP00_TEXT)
    assert i18n.choose_language(episode, "en") == "en"
    assert i18n.choose_language(episode, "de") == "fr"
    assert i18n.choose_language(episode, None) == "fr"
    assert i18n.choose_language(episode, "en_GB") == "en"


@pytest.mark.parametrize("raw,shown", [
    ("[bold]not bold[/bold]", "[bold]not bold[/bold]"),
    ("\x1b[31mred\x1b[0m", "red"),
    ("bell\x07", "bell"),
    ("a\tb\nc", "a\tb\nc"),
    ("\x1b]0;title\x07x", "x"),
    ("back\x08space", "backspace"),
    ("c1\x9bcontrol", "c1control"),
])
def test_text_is_data_never_terminal_markup(raw: str, shown: str) -> None:
    from sam_cowboy.core.model import Text

    out = i18n.render(Text({"en": raw}), "en", "en")
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    if raw.startswith("\x1b]"):
        assert out.endswith("x")
    else:
        assert out == shown


def test_every_event_is_recorded_for_a_full_run() -> None:
    episode = ok(EP00_TEXT)
    state, events = engine.begin(episode)
    state, events = engine.choose(episode, state, "fix-profile")
    fb = [e for e in events if isinstance(e, FeedbackShown)]
    assert len(fb) == 1 and fb[0].variables["profile_ready"] is True
