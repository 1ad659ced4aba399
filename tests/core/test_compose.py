"""Compose scenes (format extension): loading, errors at line:col, the engine step, and the
analysis, which must agree exactly with every composition played by the real engine."""

from __future__ import annotations

import pytest
from core_support import brute_force, doc, expect, load, locate, ok, src
from hypothesis import given, settings
from hypothesis import strategies as st

from sam_cowboy.core import engine
from sam_cowboy.core.analysis import analyse

DIMS = """\
dimensions:
  brand: {label: Brand}
  relationship: {label: Relationship}
"""

HEADLINE = """\
a:
  compose:
    prompt: Build the headline
    pick: [2, 3]
    ordered: true
    separator: " | "
    max_length: 80
    fragments:
      - id: client
        text: I help CFOs
        score: {brand: 2}
      - id: title
        text: Sales rep
        score: {brand: -1}
      - id: proof
        text: 40 audits
        if: "ready"
        score: {brand: 1}
      - id: hashtag
        text: "#sales"
    checklist:
      - id: client-first
        text: The client comes first
        first: client
        score: {relationship: 1}
        tip: Open with who you help.
      - id: no-title
        text: No bare job title
        none: [title]
        score: {brand: 1}
    goto: end
end:
  ending: {kind: good}
"""


def headline(ready: bool = False):  # type: ignore[no-untyped-def]
    return ok(doc(HEADLINE, dims=DIMS, variables=f"ready: {str(ready).lower()}\n"))


def test_every_composition_becomes_a_choice_of_the_scene() -> None:
    ep = headline()
    scene = ep.scenes["a"]
    assert scene.compose is not None and scene.compose.ordered
    # ordered, 4 fragments, 2 or 3 of them: 4*3 + 4*3*2
    assert len(scene.choices) == 12 + 24
    c = scene.choice("client+proof")
    assert c is not None and c.fragments == ("client", "proof")
    assert c.text.values["en"] == "I help CFOs | 40 audits"
    assert c.effects.score == {"brand": 4, "relationship": 1}
    assert c.condition is not None and c.condition.source == "ready"
    assert c.feedback is not None
    assert c.feedback.values["en"] == "- ✓ The client comes first\n- ✓ No bare job title"
    t = scene.choice("title+client")
    assert t is not None and t.effects.score == {"brand": 1}
    assert t.feedback is not None and "✗ The client comes first — Open with who you help." \
        in t.feedback.values["en"]


def test_unordered_messages_read_in_the_listed_order() -> None:
    ep = ok(doc(HEADLINE.replace("ordered: true", "ordered: false"), dims=DIMS,
                variables="ready: true\n"))
    assert len(ep.scenes["a"].choices) == 6 + 4
    state, _ = engine.begin(ep)
    after, events = engine.compose(ep, state, ["proof", "client"])
    assert after.path == (("a", "client+proof"),)
    composed = [e for e in events if isinstance(e, engine.Composed)]
    assert composed == [engine.Composed("a", ("client", "proof"),
                                        ep.scenes["a"].choices[1].text,
                                        (("client-first", True), ("no-title", True)))]


def test_compose_step_applies_effects_and_checklist() -> None:
    ep = headline(ready=True)
    state, _ = engine.begin(ep)
    assert [f.id for f in engine.fragments_shown(ep, state)] == ["client", "title", "proof",
                                                                   "hashtag"]
    after, events = engine.compose_numbers(ep, state, [2, 1])
    assert after.ending == "end"
    assert after.scores == {"brand": 1, "relationship": 0}
    kinds = [type(e).__name__ for e in events]
    assert kinds[:3] == ["ChoiceMade", "Composed", "ScoreChanged"]
    assert "FeedbackShown" in kinds


def test_compose_refuses_what_the_rules_do_not_allow() -> None:
    ep = headline(ready=False)
    state, _ = engine.begin(ep)
    assert [f.id for f in engine.fragments_shown(ep, state)] == ["client", "title", "hashtag"]
    with pytest.raises(engine.EngineError, match="no fragment `proof` is offered"):
        engine.compose(ep, state, ["client", "proof"])
    with pytest.raises(engine.EngineError, match="takes 2 to 3 fragments, not 1"):
        engine.compose(ep, state, ["client"])
    with pytest.raises(engine.EngineError, match="used twice"):
        engine.compose(ep, state, ["client", "client"])
    with pytest.raises(engine.EngineError, match="fragment 4 is not offered"):
        engine.compose_numbers(ep, state, [1, 4])
    with pytest.raises(engine.EngineError, match=r"e\.g\. 2\+4\+1"):
        engine.choose_number(ep, state, 1)


def test_analysis_matches_brute_force_over_every_composition() -> None:
    for ready in (False, True):
        ep = headline(ready)
        analysis = analyse(ep)
        brute = brute_force(ep)
        assert analysis.bounds == brute.bounds(ep)
        assert analysis.best_run is not None
        assert analysis.best_run.overall == max(brute.overalls(ep))
    best = analyse(headline(True)).best_run
    assert best is not None and best.path == [("a", "client+proof")]


def test_a_fragment_no_run_can_use_is_reported() -> None:
    ep_text = doc(HEADLINE, dims=DIMS, variables="ready: false\n")
    analysis = analyse(ok(doc(HEADLINE, dims=DIMS, variables="ready: false\n")))
    found = [f for f in analysis.findings if "fragment `proof`" in f.message]
    assert len(found) == 1 and found[0].severity == "warning"
    # at the condition's text, like the warning for a choice's condition
    assert (found[0].line, found[0].column) == locate(ep_text, 'ready"')
    # per-composition warnings are not repeated for each of the 36 messages
    assert not [f for f in analysis.findings if "condition `ready` of choice" in f.message]


@pytest.mark.parametrize("old,new,message,needle", [
    ("pick: [2, 3]", "pick: 5", "`pick` must be from 1 to 4", "5"),
    ("pick: [2, 3]", "pick: [3, 2]", "with min <= max", "[3, 2]"),
    ("first: client", "first: cleint", "names no fragment `cleint` (did you mean", "cleint"),
    ("none: [title]", "none: [titel]", "names no fragment `titel`", "titel"),
    ("        first: client\n", "", "needs a test", "id: client-first"),
    ("    goto: end\nend:", "    goto: nowhere\nend:", "`goto` `nowhere` is not a scene",
     "nowhere"),
    ("        score: {brand: -1}\n", "        score: {brand: -1}\n        goto: x\n",
     "unknown key `goto` in fragment `title`", "goto: x"),
])
def test_bad_compose_scenes_point_at_the_problem(old: str, new: str, message: str,
                                                 needle: str) -> None:
    text = doc(HEADLINE.replace(old, new, 1), dims=DIMS, variables="ready: false\n")
    result = load(text)
    assert result.episode is None
    expect(result.findings, "error", message, locate(text, needle.strip()),
           scene="a", choice=None)


def test_too_many_fragments_is_an_error() -> None:
    frags = "".join(f"      - text: f{i}\n" for i in range(9))
    text = doc(f"""\
a:
  compose:
    pick: 2
    fragments:
{frags}    checklist:
      - text: ok
        has: ["1"]
    goto: end
end:
  ending: {{kind: good}}
""")
    result = load(text)
    expect(result.findings, "error", "from 2 to 8 fragments", locate(text, "- text: f0"),
           scene="a")


def test_a_message_over_max_length_is_a_warning() -> None:
    text = doc(HEADLINE.replace("max_length: 80", "max_length: 20"), dims=DIMS,
               variables="ready: false\n")
    result = load(text)
    assert result.episode is not None
    found = [f for f in result.findings if "above `max_length` (20)" in f.message]
    assert len(found) == 1
    assert "`client+title+proof` is 35 characters long in en" in found[0].message
    assert (found[0].line, found[0].column) == locate(text, "20")


def test_two_parts_setting_one_variable_is_refused() -> None:
    text = doc(HEADLINE.replace("        score: {brand: -1}\n",
                                "        score: {brand: -1}\n        set: {ready: true}\n")
               .replace("        score: {brand: 1}\n    goto",
                        "        score: {brand: 1}\n        set: {ready: false}\n    goto"),
               dims=DIMS, variables="ready: false\n")
    result = load(text)
    assert any("both change `ready`" in f.message for f in result.errors)


def test_the_json_schema_knows_compose_scenes() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from sam_cowboy.authoring.schema import build_schema
    from sam_cowboy.core.yamlread import read_yaml

    validator = jsonschema.Draft202012Validator(build_schema())
    good = read_yaml(src(doc(HEADLINE, dims=DIMS, variables="ready: false\n")))
    assert not list(validator.iter_errors(good))
    bad = read_yaml(src(doc(HEADLINE.replace("first: client", "frist: client"), dims=DIMS,
                            variables="ready: false\n")))
    assert list(validator.iter_errors(bad))


def test_checklist_tests() -> None:
    from sam_cowboy.core.model import CheckItem, Text

    t = Text({"en": "x"})
    assert CheckItem("a", t, has=("p", "q")).met(("q", "p"))
    assert not CheckItem("a", t, has=("p", "q")).met(("q",))
    assert CheckItem("a", t, any=("p", "q")).met(("r", "q"))
    assert not CheckItem("a", t, any=("p",)).met(("r",))
    assert not CheckItem("a", t, none=("p",)).met(("r", "p"))
    assert CheckItem("a", t, first="p").met(("p", "r"))
    assert not CheckItem("a", t, first="p").met(("r", "p"))
    assert CheckItem("a", t, before=("p", "q")).met(("p", "r", "q"))
    assert not CheckItem("a", t, before=("p", "q")).met(("q", "p"))
    assert not CheckItem("a", t, before=("p", "q")).met(("p",))
    assert not CheckItem("a", t, has=("p",), none=("r",)).met(("p", "r"))


def test_a_scene_with_compose_and_choices_is_an_error() -> None:
    text = doc(HEADLINE.replace("  compose:\n", "  choices: [{text: x, goto: end}]\n  compose:\n"),
               dims=DIMS, variables="ready: false\n")
    result = load(text)
    assert any("exactly one of `choices`, `route`, `ending` or `compose`; it has `choices` "
               "and `compose`" in f.message for f in result.errors)


@st.composite
def compose_episodes(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(2, 5))
    low = draw(st.integers(1, min(3, n)))
    high = draw(st.integers(low, min(3, n)))
    ordered = draw(st.booleans())
    conds = ["", 'if: "ready"', 'if: "not ready"']
    frags = []
    for i in range(n):
        score = f"{{brand: {draw(st.integers(-2, 2))}, relationship: {draw(st.integers(-2, 2))}}}"
        cond = draw(st.sampled_from(conds))
        frags.append(f"      - id: f{i}\n        text: F{i}\n        score: {score}\n"
                     + (f"        {cond}\n" if cond else ""))
    ids = [f"f{i}" for i in range(n)]
    items = []
    for k in range(draw(st.integers(1, 3))):
        test = draw(st.sampled_from(["has", "any", "none", "first", "before"]))
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if test == "first":
            body = f"first: {a}"
        elif test == "before":
            if a == b:
                body = f"has: [{a}]"
            else:
                body = f"before: [{a}, {b}]"
        else:
            body = f"{test}: [{a}, {b}]" if a != b else f"{test}: [{a}]"
        items.append(f"      - text: C{k}\n        {body}\n"
                     f"        score: {{relationship: {draw(st.integers(-1, 2))}}}\n")
    scenes = f"""\
a:
  choices:
    - {{text: Ready, set: {{ready: true}}, goto: c}}
    - {{text: Not, goto: c}}
c:
  compose:
    pick: [{low}, {high}]
    ordered: {str(ordered).lower()}
    fragments:
{"".join(frags)}    checklist:
{"".join(items)}    goto: end
end:
  ending: {{kind: good}}
"""
    return doc(scenes, dims=DIMS, variables="ready: false\n")


@settings(max_examples=40, deadline=None)
@given(compose_episodes())
def test_the_analysis_of_random_compose_scenes_is_exact(text: str) -> None:
    result = load(text)
    assert result.episode is not None, [f.format() for f in result.errors]
    ep = result.episode
    analysis = analyse(ep)
    brute = brute_force(ep)
    assert set(analysis.dead_ends) == brute.dead_scenes  # too few fragments offered
    if not brute.terminals:  # no message can ever be composed
        return
    assert analysis.bounds == brute.bounds(ep)
    assert analysis.best_run is not None and analysis.worst_run is not None
    assert analysis.best_run.overall == max(brute.overalls(ep))
    assert analysis.worst_run.overall == min(brute.overalls(ep))
    used = {f for (sid, cid) in brute.shown if sid == "c" for f in cid.split("+")}
    reported = {f.choice for f in analysis.findings if "can never be part of a message"
                in f.message}
    assert reported == {f"f{i}" for i in range(len(ep.scenes["c"].compose.fragments))} - used  # type: ignore[union-attr]
