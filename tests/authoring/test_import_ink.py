"""ink import: knots, stitches, the weave, variables and conditions kept; what does not map
noted whole; inkle's The Intercept imported without errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sam_cowboy.authoring.importing import ImportError_
from sam_cowboy.authoring.ink import convert_ink
from sam_cowboy.core.analysis import analyse
from sam_cowboy.core.loader import load_episode_data
from sam_cowboy.core.model import Episode

STORIES = Path(__file__).resolve().parent / "stories"
SERVICE = STORIES / "customer-service.ink"
INTERCEPT = STORIES / "the-intercept" / "TheIntercept.ink"


def load(yaml: str) -> tuple[Episode, list[str]]:
    """The episode, with the scenes no run reaches."""
    loaded = load_episode_data(yaml, "imported.yaml")
    assert [f.format() for f in loaded.findings if f.severity == "error"] == []
    assert loaded.episode is not None
    findings = analyse(loaded.episode).findings
    assert [f.format() for f in findings if f.severity == "error"] == []
    unreachable = sorted(f.scene or "" for f in findings if "no run can reach" in f.message)
    return loaded.episode, unreachable


def choice(ep: Episode, scene: str, text: str):  # type: ignore[no-untyped-def]
    return next(c for c in ep.scenes[scene].choices if c.text.values["en"] == text)


@pytest.fixture(scope="module")
def service() -> tuple[Episode, str]:
    result = convert_ink(SERVICE.read_text(), "service.ink", "customer-service")
    ep, unreachable = load(result.yaml)
    assert unreachable == []  # every knot of the sample is reachable in ink
    return ep, result.yaml


def test_knots_stitches_and_variables(service) -> None:  # type: ignore[no-untyped-def]
    ep, _ = service
    assert ep.title.values == {"en": "Customer service"}
    assert ep.start == "story-start" and ep.scenes["story-start"].route[0].goto == "call"
    assert {"call", "call-options", "hold", "refund", "discount", "happy", "lost"} \
        <= set(ep.scenes)
    assert ep.scenes["call-options"].title.values == {"en": "call: options"}
    assert ep.variables["patience"] == 3 and ep.variables["agent"] == "Sam"
    assert ep.variables["refunded"] is False
    assert "{agent} picks up." in ep.scenes["call"].text[0].text.values["en"]


def test_choices_once_sticky_labels_and_conditions(service) -> None:  # type: ignore[no-untyped-def]
    ep, _ = service
    apologise = choice(ep, "call-listen", "Apologise first")
    assert apologise.once and apologise.effects.add == {"rapport": 1}
    assert apologise.feedback.values["en"] == '"I\'m so sorry, Mrs Lee."'
    hold = choice(ep, "call-listen", "Put her on hold")  # `+` sticky, `{cond}`, divert
    assert not hold.once and hold.condition.source == "patience > 1" and hold.goto == "hold"
    blame = choice(ep, "call-listen", "Blame the courier")  # (blame) label
    assert blame.effects.set == {"chose_blame": True}
    assert blame.effects.add == {"rapport": -2}  # ~ rapport = rapport - 2
    refund = choice(ep, "call-options", "Offer a refund")
    assert refund.condition.source == "not chose_blame" and refund.goto == "refund"
    discount = choice(ep, "call-options", "Offer a discount on the next order")
    assert discount.effects.add == {"rapport": 1}  # ~ bump(rapport), a ref function
    assert choice(ep, "call-options", "Explain the delivery policy").effects.add == {
        "patience": -2}  # ~ patience -= 2
    assert choice(ep, "refund", "Hang up quickly").goto == "the-end"  # -> END


def test_gathers_and_inline_conditions(service) -> None:  # type: ignore[no-untyped-def]
    ep, _ = service
    gather = choice(ep, "call-listen", "Apologise first").goto
    texts = [(b.condition.source if b.condition else None, b.text.values["en"])
             for b in ep.scenes[gather].text]
    assert texts[0] == ("(rapport > 0) and (patience >= 5)", "She sighs. She sounds a little "
                        "calmer. She has all the time in the world.")  # CONST inlined
    assert len(texts) == 4
    assert [c.goto for c in ep.scenes[gather].choices] == ["call-options"]
    happy = [(b.condition.source if b.condition else None) for b in ep.scenes["happy"].text]
    assert happy == [None, "refunded"]


def test_blocks_become_routes_and_text(service) -> None:  # type: ignore[no-untyped-def]
    ep, _ = service
    router = ep.scenes["check_patience"].route[0].goto
    route = [(r.condition.source if r.condition else None) for r in ep.scenes[router].route]
    assert route == ["patience <= 0", "rapport > 0", None]
    hold_router = ep.scenes["hold"].choices[0].goto
    assert ep.scenes[hold_router].route[0].condition.source == "patience <= 1"


def test_tunnels_threads_and_notes(service) -> None:  # type: ignore[no-untyped-def]
    ep, yaml = service
    ask = choice(ep, "call-listen", "Ask for the order number")
    body = ep.scenes[ask.goto]
    assert body.on_enter.add == {"patience": -1}
    call = ep.scenes[body.choices[0].goto]  # -> look_up ->: note where to come back
    assert call.on_enter.set == {"return_look_up": 1} and call.route[0].goto == "look_up"
    back = ep.scenes[ep.scenes["look_up"].choices[0].goto]  # ->->
    assert back.route[-1].condition is None
    assert "The parcel left the depot a week ago." in \
        ep.scenes[back.route[-1].goto].text[0].text.values["en"]
    assert [c.goto for c in ep.scenes["lost"].choices] == ["survey", "the-end"]  # <- survey
    assert "service.ink:8: not translated: LIST mood = calm, annoyed, furious" in yaml
    assert "tags: # mood: relieved" in yaml


def test_the_intercept() -> None:
    result = convert_ink(INTERCEPT.read_text(), "TheIntercept.ink", "TheIntercept")
    ep, unreachable = load(result.yaml)
    # what no ink run reaches either: the DEBUG menu (DEBUG = false) and the content
    # after `{not missing_reel: -> missing_reel -> ...}`, whose condition always holds
    assert "line-47-branch-1" in unreachable
    assert all(s.startswith(("line-47", "here_at_bletchley", "start-waited",
                             "harris_demands_component-line-282",
                             "harris_demands_component-tunnel-line-283"))
               for s in unreachable), unreachable
    assert len(ep.scenes) > 200 and result.summary.choices > 400
    assert ep.variables["forceful"] == 0 and ep.variables["teacup"] is False
    assert result.summary.meters == ["evasive", "forceful"]
    assert "function lower(ref x)" not in result.yaml  # a one-change function is applied
    waited = ep.scenes["start-waited"]
    assert waited.title.values == {"en": "start: waited"}


def test_dimensions_from_ink() -> None:
    result = convert_ink(SERVICE.read_text(), "service.ink", "s", dimensions=["rapport"])
    ep, _ = load(result.yaml)
    assert list(ep.dimensions) == ["rapport"]
    assert choice(ep, "call-listen", "Apologise first").effects.score == {"rapport": 1}


@pytest.mark.parametrize("source, message", [
    ("", "no story in this ink file"),
    ("// only a comment\n", "no story in this ink file"),
])
def test_bad_ink(source, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportError_, match=message):
        convert_ink(source, "bad.ink")


@pytest.mark.parametrize("source", [
    "{" * 5000 + "\nHello\n" + "}" * 5000 + "\n",  # nested blocks
    "Hi {a:{b:{c:{d:x}}}} there\n-> END\n",
    "* " * 3000 + "[deep] -> END\n",  # choices nested 3000 levels
    "=== k\n-> nowhere\n",
    "Hello -> k ->\n=== k\n->->\n",
    "{x:\n- 1: one\n- 2: two\n}\n",  # a switch: noted
    "VAR x = 99999999999999999999\n~ x = 1\nHi\n",
])
def test_odd_ink_imports_or_refuses_cleanly(source) -> None:  # type: ignore[no-untyped-def]
    result = convert_ink(source, "odd.ink")
    load(result.yaml)


def test_ink_from_the_command(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "service.yaml"
    code, _, err = cli("import", str(SERVICE), "-o", str(out), "--dimensions",
                       "rapport,patience")
    assert code == 0, err
    assert "scored as dimensions" in err or "imported without dimensions" in err
    check = cli.json("check", str(out), "--json")["files"][0]
    assert check["errors"] == []
    empty = tmp_path / "empty.ink"
    empty.write_text("\n")
    code, _, err = cli("import", str(empty), "-o", "-")
    assert code == 2 and f"{empty}:1:1: no story in this ink file" in err
