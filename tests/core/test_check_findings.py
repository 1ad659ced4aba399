"""Each error and warning of "What `sam-cowboy check` reports" that needs the analysis,
with its message, line and column, scene and choice."""

from __future__ import annotations

import time

from core_support import FILE, doc, expect, load, locate, matching, ok

from sam_cowboy.core.analysis import analyse


def check(text: str):
    """Loader findings plus analysis findings, as `check` reports them."""
    result = load(text)
    findings = list(result.findings)
    if result.episode is not None:
        findings += analyse(result.episode).findings
    return findings


# ------------------------------------------------------------------ warnings


def test_unreachable_scene() -> None:
    text = doc("""\
        a:
          choices:
            - text: Go
              goto: end
        orphan:
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """)
    f = expect(check(text), "warning", "`orphan`", at=locate(text, "orphan:"), scene="orphan")
    assert "reach" in f.message
    assert analyse(ok(text)).unreachable == ["orphan"]


def test_scene_behind_a_condition_that_never_holds_is_unreachable() -> None:
    text = doc("""\
        a:
          choices:
            - id: secret
              text: Secret
              if: "n > 5"
              goto: hidden
            - id: go
              text: Go
              goto: end
        hidden:
          ending: {kind: good}
        end:
          ending: {kind: bad}
        """, variables="n: 0\n")
    findings = check(text)
    expect(findings, "warning", "`hidden`", at=locate(text, "hidden:"), scene="hidden")
    f = expect(findings, "warning", "never", at=locate(text, "n > 5"), scene="a",
               choice="secret")
    assert "n > 5" in f.message


def test_dead_end_every_choice_hidden() -> None:
    text = doc("""\
        a:
          choices:
            - id: risky
              text: Risky
              set: {burnt: true}
              goto: b
            - id: safe
              text: Safe
              goto: b
        b:
          choices:
            - id: only
              text: Only if not burnt
              if: "not burnt"
              goto: end
        end:
          ending: {kind: good}
        """, variables="burnt: false\n")
    findings = check(text)
    f = expect(findings, "warning", "`b`", at=locate(text, "b:"), scene="b")
    assert "stuck" in f.message or "dead" in f.message
    assert analyse(ok(text)).dead_ends == ["b"]


def test_dead_end_loop_with_no_way_out() -> None:
    text = doc("""\
        a:
          choices:
            - text: Go
              goto: end
            - text: Loop
              goto: l1
        l1:
          choices:
            - text: Next
              goto: l2
        l2:
          choices:
            - text: Back
              goto: l1
        end:
          ending: {kind: good}
        """)
    findings = check(text)
    expect(findings, "warning", "`l1`", at=locate(text, "l1:"), scene="l1")
    expect(findings, "warning", "`l2`", at=locate(text, "l2:"), scene="l2")
    assert analyse(ok(text)).dead_ends == ["l1", "l2"]
    assert not matching(findings, "error")


def test_choice_whose_condition_can_never_hold() -> None:
    text = doc("""\
        a:
          choices:
            - id: never
              text: Never
              if: "visits('end') > 0"
              goto: end
            - id: go
              text: Go
              goto: end
        end:
          ending: {kind: good}
        """)
    f = expect(check(text), "warning", "never", at=locate(text, "visits('end')"), scene="a",
               choice="never")
    assert "visits('end') > 0" in f.message


def test_condition_that_holds_only_sometimes_is_fine() -> None:
    text = doc("""\
        a:
          choices:
            - {id: x, text: X, set: {flag: true}, goto: b}
            - {id: y, text: Y, goto: b}
        b:
          choices:
            - {id: z, text: Z, if: "flag", goto: end}
            - {id: w, text: W, goto: end}
        end:
          ending: {kind: good}
        """, variables="flag: false\n")
    assert not matching(check(text), "warning", "never")


def test_dimension_that_no_reachable_choice_changes() -> None:
    text = doc("""\
        a:
          choices:
            - text: Go
              score: {d: 1}
              feedback: F
              goto: end
            - text: Go
              goto: end
        unused:
          choices:
            - text: Go
              score: {e: 1}
              feedback: F
              goto: end
        end:
          ending: {kind: good}
        """, dims="dimensions:\n  d: {label: D}\n  e: {label: E}\n")
    f = expect(check(text), "warning", "`e`", at=locate(text, "e: {label"), scene=None)
    assert "changes" in f.message


def test_missing_translation_warnings() -> None:
    text = doc("""\
        a:
          title: {fr: "Lundi"}
          text:
            - {fr: "Un", en: "One"}
            - {en: "Two only"}
          choices:
            - id: c
              text: {fr: "Aller"}
              feedback: {en: "Feedback only in English"}
              goto: end
        end:
          ending: {kind: good, title: {fr: "Fin", en: "End"}}
        """, head="sam_cowboy: 1\nid: t\ntitle: {fr: T}\nlanguages: [fr, en]\n",
        dims="dimensions:\n  d: {label: {fr: D, en: D}}\n")
    findings = check(text)
    warnings = matching(findings, "warning", "translation")
    assert len(warnings) == 5, [w.format() for w in warnings]
    expect(findings, "warning", "the episode title", at=locate(text, "{fr: T}"))
    expect(findings, "warning", "the title of scene `a`", at=locate(text, '{fr: "Lundi"}'),
           scene="a")
    f = expect(findings, "warning", "text block 2", at=locate(text, '{en: "Two only"}'),
               scene="a")
    assert "fr" in f.message
    f = expect(findings, "warning", "the text of choice `c`", at=locate(text, '{fr: "Aller"}'),
               scene="a", choice="c")
    assert "en" in f.message
    expect(findings, "warning", "feedback", at=locate(text, '{en: "Feedback'), scene="a",
           choice="c")


def test_plain_string_in_a_multilingual_episode_is_a_missing_translation() -> None:
    text = doc("""\
        a:
          choices:
            - id: c
              text: "Only the default language"
              goto: end
        end:
          ending: {kind: good}
        """, head="sam_cowboy: 1\nid: t\ntitle: {fr: T, en: T}\nlanguages: [fr, en]\n",
        dims="dimensions:\n  d: {label: {fr: D, en: D}}\n")
    expect(check(text), "warning", "translation", at=locate(text, "Only the"), scene="a",
           choice="c")


def test_choice_that_changes_a_score_without_feedback() -> None:
    text = doc("""\
        a:
          choices:
            - id: silent
              text: Go
              score: {d: 1}
              goto: end
            - id: explained
              text: Go
              score: {d: -1}
              feedback: Why
              goto: end
            - id: neutral
              text: Go
              goto: end
        end:
          ending: {kind: good}
        """)
    findings = check(text)
    f = expect(findings, "warning", "feedback", at=locate(text, "id: silent"), scene="a",
               choice="silent")
    assert "`silent`" in f.message


def test_clean_episode_has_no_findings() -> None:
    text = doc("""\
        a:
          choices:
            - text: Go
              score: {d: 1}
              feedback: F
              goto: end
            - text: Stay
              goto: end
        end:
          ending: {kind: good}
        """)
    assert check(text) == []


# ------------------------------------------------------------------ errors


def test_no_reachable_ending() -> None:
    text = doc("""\
        a:
          choices:
            - text: Go
              goto: b
        b:
          choices:
            - text: Back
              goto: a
        end:
          ending: {kind: good}
        """)
    findings = check(text)
    f = expect(findings, "error", "no ending", at=locate(text, "a\nscenes")[:1] + (8,))
    assert f.scene is None
    assert analyse(ok(text)).bounds is None


def test_no_reachable_ending_when_every_way_is_hidden() -> None:
    text = doc("""\
        a:
          choices:
            - text: Go
              if: "flag"
              goto: end
        end:
          ending: {kind: good}
        """, variables="flag: false\n")
    findings = check(text)
    assert matching(findings, "error", "no ending")


UNBOUNDED = """\
a:
  choices:
    - id: again
      text: Again
      score: {d: 1}
      feedback: More
      goto: a
    - id: stop
      text: Stop
      goto: end
end:
  ending: {kind: good}
"""


def test_unbounded_score_is_an_error_naming_the_loop() -> None:
    findings = check(doc(UNBOUNDED))
    f = matching(findings, "error", "unbounded")
    assert len(f) == 1, [x.format() for x in findings]
    assert "`d`" in f[0].message and "a" in f[0].message
    assert analyse(ok(doc(UNBOUNDED))).bounds is None


def test_unbounded_score_finding_names_the_scene_and_choice() -> None:
    text = doc(UNBOUNDED)
    (f,) = matching(check(text), "error", "unbounded")
    assert f.scene == "a" and f.choice == "again", f


def test_negative_loop_is_unbounded_too() -> None:
    findings = check(doc(UNBOUNDED.replace("{d: 1}", "{d: -1}")))
    assert matching(findings, "error", "unbounded")


def test_two_scene_loop_that_adds_points_is_unbounded() -> None:
    text = doc("""\
        a:
          choices:
            - {text: Go, goto: b}
            - {text: End, goto: end}
        b:
          on_enter: {score: {d: 2}}
          choices:
            - {text: Back, goto: a}
        end:
          ending: {kind: good}
        """)
    assert matching(check(text), "error", "unbounded")


def test_loop_that_nets_zero_is_bounded() -> None:
    text = doc("""\
        a:
          choices:
            - {text: Up, score: {d: 1}, feedback: F, goto: b}
            - {text: End, goto: end}
        b:
          choices:
            - {text: Down, score: {d: -1}, feedback: F, goto: a}
            - {text: End, goto: end}
        end:
          ending: {kind: good}
        """)
    analysis = analyse(ok(text))
    assert analysis.bounds == {"d": (0, 1)}
    assert not matching(analysis.findings, "error")


def test_guarded_scoring_loop_is_bounded() -> None:
    text = doc("""\
        a:
          choices:
            - text: Again
              if: "visits('a') < 3"
              score: {d: 1}
              feedback: F
              goto: a
            - text: Stop
              goto: end
        end:
          ending: {kind: good}
        """)
    analysis = analyse(ok(text))
    assert analysis.bounds == {"d": (0, 2)}


def test_once_scoring_loop_is_bounded() -> None:
    text = doc(UNBOUNDED.replace("      score: {d: 1}\n", "      once: true\n      score: {d: 1}\n"))
    analysis = analyse(ok(text))
    assert analysis.bounds == {"d": (0, 1)}


def test_scoring_loop_that_cannot_reach_an_ending_is_a_dead_end_not_unbounded() -> None:
    text = doc("""\
        a:
          choices:
            - {text: End, goto: end}
            - {text: Trap, goto: trap}
        trap:
          choices:
            - {text: Again, score: {d: 1}, feedback: F, goto: trap}
        end:
          ending: {kind: good}
        """)
    analysis = analyse(ok(text))
    assert not matching(analysis.findings, "error")
    assert analysis.dead_ends == ["trap"]


def test_route_loop_is_an_error() -> None:
    text = doc("""\
        a:
          choices:
            - text: Go
              goto: r1
        r1:
          route:
            - goto: r2
        r2:
          route:
            - goto: r1
        end:
          ending: {kind: good}
        """)
    findings = check(text)
    errors = matching(findings, "error", "loop")
    assert errors and errors[0].scene in ("r1", "r2")


def test_observed_unbounded_score_stops_with_an_error_in_bounded_time() -> None:
    text = doc("""\
        a:
          choices:
            - id: again
              text: Again
              score: {d: 1}
              feedback: F
              goto: a
            - id: stop
              text: Stop
              if: "score('d') >= 0"
              goto: end
        end:
          ending: {kind: good}
        """)
    t0 = time.perf_counter()
    analysis = analyse(ok(text), max_states=20_000)
    assert time.perf_counter() - t0 < 20
    errors = matching(analysis.findings, "error")
    assert errors and analysis.bounds is None
    assert any("unbounded" in e.message or "states" in e.message for e in errors)


def test_state_limit_error_names_the_variables() -> None:
    text = doc("""\
        a:
          choices:
            - text: Count
              add: {n: 1}
              goto: a
            - text: Stop
              if: "n * 1 == 3"
              goto: end
        end:
          ending: {kind: good}
        """, variables="n: 0\n")
    analysis = analyse(ok(text), max_states=1_000)
    (f,) = matching(analysis.findings, "error")
    assert "`n`" in f.message and f.file == FILE
