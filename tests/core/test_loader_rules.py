"""Every row of the spec's tables: top level, texts, scenes, choices; ids; unknown keys;
series.yaml inheritance."""

from __future__ import annotations

import pytest
from core_support import (
    DIMS,
    EP00_TEXT,
    FILE,
    HEAD,
    SIMPLE_SCENES,
    doc,
    errors_of,
    expect,
    load,
    locate,
    matching,
    ok,
    src,
)

from sam_cowboy.core.loader import load_episode, load_series

# ------------------------------------------------------------------ the example


def test_spec_example_loads_without_errors() -> None:
    result = load(EP00_TEXT)
    assert result.errors == []
    episode = result.require()
    assert episode.id == "ep00-first-invite"
    assert episode.languages == ("fr", "en")
    assert episode.default_language == "fr"
    assert list(episode.scenes) == ["monday", "invite", "verdict", "accepted", "ignored"]
    assert episode.start == "monday"
    assert episode.variables == {"profile_ready": False, "invitations": 0}
    assert episode.dimensions["relationship"].weight == 2
    assert episode.dimensions["brand"].weight == 1
    assert episode.estimated_minutes == 3
    assert episode.endings() == ["accepted", "ignored"]


# ------------------------------------------------------------------ top level

REQUIRED = ["sam_cowboy", "id", "title", "start", "scenes", "dimensions"]


def _without_top(key: str) -> str:
    lines = src(doc(SIMPLE_SCENES)).splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if line.startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


@pytest.mark.parametrize("key", REQUIRED)
def test_missing_required_top_level_key_is_an_error(key: str) -> None:
    result = load(_without_top(key))
    assert result.episode is None
    assert any(f"`{key}`" in f.message for f in result.errors), result.errors
    f = next(f for f in result.errors if f"`{key}`" in f.message)
    assert (f.line, f.column) == (1, 1) and f.scene is None and f.choice is None


@pytest.mark.parametrize("version", ["2", "0", '"1"', "1.0", "true", "[1]"])
def test_format_version_must_be_the_integer_1(version: str) -> None:
    text = doc(SIMPLE_SCENES, head=f"sam_cowboy: {version}\nid: t\ntitle: T\n")
    expect(load(text).findings, "error", "sam_cowboy", at=(1, 14 if version[0] == '"' else 13))


@pytest.mark.parametrize("eid,good", [("ep00-first-invite", True), ("e1", True),
                                      ("0ep", True), ("Ep00", False), ("ep_00", False),
                                      ("ep 00", False), ("-ep", False), ("ép", False),
                                      ("12", True)])
def test_episode_id_is_lowercase_letters_digits_dashes(eid: str, good: bool) -> None:
    text = doc(SIMPLE_SCENES, head=f"sam_cowboy: 1\nid: '{eid}'\ntitle: T\n")
    result = load(text)
    if good:
        assert result.errors == [] and result.episode is not None and result.episode.id == eid
    else:
        expect(result.findings, "error", "episode id", at=(2, 6))


def test_title_must_be_a_text() -> None:
    text = doc(SIMPLE_SCENES, head="sam_cowboy: 1\nid: t\ntitle: [a, b]\n")
    expect(load(text).findings, "error", "title", at=(3, 8))


def test_languages_default_to_en() -> None:
    assert ok(doc(SIMPLE_SCENES)).languages == ("en",)


def test_first_language_is_the_default() -> None:
    episode = ok(doc(SIMPLE_SCENES, head="sam_cowboy: 1\nid: t\ntitle: T\n"
                     "languages: [de, en]\n"))
    assert episode.default_language == "de"
    # a plain string is a text in the default language
    assert episode.title.values == {"de": "T"}


@pytest.mark.parametrize("value", ["fr", "[]", "[1]", "{fr: 1}"])
def test_languages_wrong_types_are_errors(value: str) -> None:
    text = doc(SIMPLE_SCENES, head=f"sam_cowboy: 1\nid: t\ntitle: T\nlanguages: {value}\n")
    result = load(text)
    assert result.episode is None
    assert any(f.line == 4 for f in result.errors)


def test_catalogue_keys_are_accepted() -> None:
    episode = ok(doc(SIMPLE_SCENES, head=src("""\
        sam_cowboy: 1
        id: t
        title: T
        summary: A summary
        estimated_minutes: 5
        audience: Sales reps
        objectives: [Learn, Practise]
        tags: [linkedin, invite]
        series: s1
        number: 2
        requires: [ep00-first-invite]
        debrief: ["What would you do?", {en: "And now?"}]
        """)))
    assert episode.summary is not None and episode.summary.values == {"en": "A summary"}
    assert episode.estimated_minutes == 5
    assert len(episode.objectives) == 2
    assert episode.tags == ("linkedin", "invite")
    assert episode.series == "s1" and episode.number == 2
    assert episode.requires == ("ep00-first-invite",)
    assert [t.values for t in episode.debrief] == [{"en": "What would you do?"},
                                                   {"en": "And now?"}]


@pytest.mark.parametrize("line,needle", [
    ("estimated_minutes: soon", "soon"),
    ("estimated_minutes: -3", "-3"),
    ("number: two", "two"),
    ("number: 1.5", "1.5"),
    ("requires: ep00", "ep00"),
    ("requires: [Ep00]", "Ep00"),
    ("debrief: Why?", "Why?"),
    ("debrief: [[a]]", "[a]"),
    ("objectives: [{a: b}]", "{a: b}"),
    ("tags: {a: b}", "{a: b}"),
    ("series: [s]", "[s]"),
    ("summary: 3", "3"),
    ("audience: [x]", "[x]"),
])
def test_catalogue_wrong_types_are_errors(line: str, needle: str) -> None:
    text = doc(SIMPLE_SCENES, head=HEAD + line + "\n")
    result = load(text)
    assert result.episode is None, f"{line!r} was accepted"
    line_no, _ = locate(text, needle, nth=1 if needle not in HEAD else 2)
    assert any(f.line == line_no for f in result.errors), [f.format() for f in result.errors]


def test_dimensions_label_and_weight() -> None:
    episode = ok(doc(SIMPLE_SCENES, dims=src("""\
        dimensions:
          d: {label: D, description: "About d", weight: 2.5}
          e: {label: {en: E}}
        """)))
    assert episode.dimensions["d"].weight == 2.5
    assert episode.dimensions["e"].weight == 1
    assert episode.dimensions["d"].description is not None


@pytest.mark.parametrize("spec,needle,what", [
    ("{label: D, weight: 0}", "0}", "weight"),
    ("{label: D, weight: -1}", "-1", "weight"),
    ("{label: D, weight: heavy}", "heavy", "weight"),
    ("{label: D, weight: true}", "true", "weight"),
    ("{label: D, weight: .nan}", ".nan", "weight"),
    ("{label: D, weight: .inf}", ".inf", "weight"),
    ("{weight: 1}", "{weight", "label"),
    ("D", "D\n", "mapping"),
    ("{label: D, colour: red}", "colour", "colour"),
])
def test_dimension_errors(spec: str, needle: str, what: str) -> None:
    text = doc(SIMPLE_SCENES, dims=f"dimensions:\n  d: {spec}\n")
    expect(load(text).findings, "error", what, at=locate(text, needle))


def test_dimensions_must_not_be_empty() -> None:
    result = load(doc(SIMPLE_SCENES.replace("score: {d: 1}", "score: {}"),
                      dims="dimensions: {}\n"))
    assert result.episode is None


def test_profiles_are_accepted_and_sorted() -> None:
    episode = ok(doc(SIMPLE_SCENES, extra=src("""\
        profiles:
          - {min: 70, label: Expert, advice: Keep going}
          - {min: 0, label: Beginner}
          - {min: 40, label: {en: Improving}}
        """)))
    assert [p.min for p in episode.profiles] == [0, 40, 70]


@pytest.mark.parametrize("profile,needle", [
    ("{min: 120, label: X}", "120"),
    ("{min: -1, label: X}", "-1"),
    ("{min: high, label: X}", "high"),
    ("{label: X}", "{label: X"),
    ("{min: 10}", "{min: 10}"),
    ("{min: 10, label: X, colour: red}", "colour"),
    ("Expert", "Expert"),
])
def test_profile_errors(profile: str, needle: str) -> None:
    text = doc(SIMPLE_SCENES, extra=f"profiles:\n  - {profile}\n")
    result = load(text)
    assert result.episode is None
    assert any((f.line, f.column) == locate(text, needle) for f in result.errors), \
        [f.format() for f in result.errors]


def test_variables_types_are_bool_int_string() -> None:
    episode = ok(doc(SIMPLE_SCENES, variables="a: true\nb: 0\nc: hello\nd: -3\n"))
    assert episode.variables == {"a": True, "b": 0, "c": "hello", "d": -3}


@pytest.mark.parametrize("value", ["1.5", "[1]", "{a: 1}", "~"])
def test_variable_of_another_type_is_an_error(value: str) -> None:
    text = doc(SIMPLE_SCENES, variables=f"v: {value}\n")
    result = load(text)
    assert result.episode is None
    f = next(f for f in result.errors if "`v`" in f.message)
    assert f.line == locate(text, "v:")[0]


@pytest.mark.parametrize("name,good", [("ready", True), ("profile_ready", True),
                                       ("n2", True), ("my-var", False), ("2n", False),
                                       ("_x", False), ("not", False), ("and", False),
                                       ("visits", False), ("score", False),
                                       ("true", False)])
def test_variable_names(name: str, good: bool) -> None:
    text = doc(SIMPLE_SCENES, variables=f"'{name}': 1\n")
    result = load(text)
    assert (result.episode is not None) == good, [f.format() for f in result.findings]
    if not good:
        line, col = locate(text, f"'{name}'")
        expect(result.findings, "error", f"`{name}`", at=(line, col + 1))


def test_start_must_name_a_scene_with_suggestion() -> None:
    text = doc(SIMPLE_SCENES, start="aa")
    f = expect(load(text).findings, "error", "`aa`", at=locate(text, "aa"))
    assert "did you mean `a`?" in f.message


# ------------------------------------------------------------------ ids


@pytest.mark.parametrize("sid,good", [("a", True), ("intro-2", True), ("step_1", True),
                                      ("1st", True), ("Intro", False), ("-a", False),
                                      ("_a", False), ("a b", False), ("a.b", False),
                                      ("é", False)])
def test_scene_ids(sid: str, good: bool) -> None:
    scenes = f"'{sid}':\n  choices:\n    - text: Go\n      goto: end\n" \
             "end:\n  ending: {kind: good}\n"
    text = doc(scenes, start=f"'{sid}'")
    result = load(text)
    assert (result.episode is not None) == good, [f.format() for f in result.findings]
    if not good:
        line, col = locate(text, f"'{sid}':")
        assert any((f.line, f.column) == (line, col + 1)
                   for f in result.errors), [f.format() for f in result.errors]


@pytest.mark.parametrize("cid,good", [("fix-profile", True), ("c_2", True), ("7", True),
                                      ("Fix", False), ("-x", False), ("x y", False)])
def test_choice_ids(cid: str, good: bool) -> None:
    text = doc(f"a:\n  choices:\n    - id: '{cid}'\n      text: Go\n      goto: end\n"
               "end:\n  ending: {kind: good}\n")
    result = load(text)
    assert (result.episode is not None) == good
    if not good:
        expect(result.findings, "error", "choice id", at=locate(text, cid), scene="a",
               choice="1")


@pytest.mark.parametrize("did,good", [("brand", True), ("social-2", True), ("s_1", True),
                                      ("Brand", False), ("b c", False)])
def test_dimension_ids(did: str, good: bool) -> None:
    text = doc(SIMPLE_SCENES.replace("score: {d: 1}", f"score: {{'{did}': 1}}"),
               dims=f"dimensions:\n  '{did}': {{label: D}}\n")
    result = load(text)
    assert (result.episode is not None) == good, [f.format() for f in result.findings]
    if not good:
        line, col = locate(text, f"'{did}'")
        assert any((f.line, f.column) == (line, col + 1) for f in result.errors)


# ------------------------------------------------------------------ unknown keys

TYPO_CASES = [
    # (text, typo, suggestion, scene, choice)
    (doc("""\
        a:
          chioces:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """), "chioces", "choices", "a", None),
    (doc("""\
        a:
          choices:
            - text: Go
              goto: end
              feedbak: Nice
        end:
          ending: {kind: good}
        """), "feedbak", "feedback", "a", "1"),
    (doc("""\
        a:
          choices:
            - id: go
              text: Go
              goot: end
        end:
          ending: {kind: good}
        """), "goot", "goto", "a", "go"),
    (doc(SIMPLE_SCENES, head=HEAD + "sumary: S\n"), "sumary", "summary", None, None),
    (doc(SIMPLE_SCENES, head=HEAD + "varaibles: {}\n"), "varaibles", "variables", None, None),
    (doc("""\
        a:
          choices:
            - text: Go
              goto: end
        end:
          ending: {knid: good}
        """), "knid", "kind", "end", None),
    (doc("""\
        a:
          route:
            - iff: "true"
              goto: end
            - goto: end
        end:
          ending: {kind: good}
        """), "iff", "if", "a", None),
    (doc("""\
        a:
          on_enter: {scor: {d: 1}}
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """), "scor", "score", "a", None),
    (doc("""\
        a:
          card: {kind: email, subjet: Hi}
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """), "subjet", "subject", "a", None),
    (doc("""\
        a:
          titel: Hi
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """), "titel", "title", "a", None),
    (doc(SIMPLE_SCENES, dims="dimensions:\n  d: {label: D, wieght: 2}\n"), "wieght", "weight",
     None, None),
]


@pytest.mark.parametrize("text,typo,suggestion,scene,choice", TYPO_CASES)
def test_unknown_key_is_an_error_with_suggestion(text, typo, suggestion, scene, choice) -> None:
    f = expect(load(text).findings, "error", f"`{typo}`", at=locate(text, typo), scene=scene,
               choice=choice)
    assert f"did you mean `{suggestion}`?" in f.message


def test_x_keys_are_allowed_everywhere() -> None:
    text = doc("""\
        a:
          x-editor: {colour: red}
          text:
            - {if: "true", text: Hi, x-note: n}
          card: {kind: note, body: B, x-id: 3}
          on_enter: {score: {d: 0}, x-why: w}
          route:
            - {if: "true", goto: b, x-n: 1}
            - {goto: b}
        b:
          choices:
            - text: Go
              goto: end
              x-tool: {deep: [1, 2]}
        end:
          ending: {kind: good, x-colour: green}
        """, dims="dimensions:\n  d: {label: D, x-icon: star}\n",
        head=HEAD + "x-generator: me\n",
        extra="profiles:\n  - {min: 0, label: P, x-a: 1}\n")
    result = load(text)
    assert result.errors == [], [f.format() for f in result.errors]
    assert result.require().extras == {"x-generator": "me"}


# ------------------------------------------------------------------ texts


def test_text_forms() -> None:
    text = doc("""\
        a:
          title: "Plain string"
          text:
            - First paragraph
            - {en: "Second", fr: "Deuxième"}
            - if: "seen"
              text: Third
            - if: "not seen"
              text: {en: Fourth, fr: Quatrième}
          choices:
            - text: {en: Go, fr: Aller}
              goto: end
        end:
          ending: {kind: good}
        """, head="sam_cowboy: 1\nid: t\ntitle: {en: T, fr: T}\nlanguages: [en, fr]\n",
               variables="seen: false\n")
    episode = load(text).require()
    blocks = episode.scenes["a"].text
    assert [b.condition is None for b in blocks] == [True, True, False, False]
    assert blocks[0].text.values == {"en": "First paragraph"}
    assert blocks[1].text.values == {"en": "Second", "fr": "Deuxième"}


@pytest.mark.parametrize("value", ["42", "[a, b]", "true", "{}", "{en: [x]}", "{en: {a: b}}"])
def test_choice_text_wrong_types_are_errors(value: str) -> None:
    text = doc(f"a:\n  choices:\n    - text: {value}\n      goto: end\n"
               "end:\n  ending: {kind: good}\n")
    result = load(text)
    assert result.episode is None, f"{value} accepted"
    f = result.errors[0]
    assert f.line == locate(text, "- text")[0] and f.scene == "a" and f.choice == "1"


def test_text_in_an_undeclared_language_is_an_error() -> None:
    text = doc("a:\n  choices:\n    - text: {en: Go, de: Geh}\n      goto: end\n"
               "end:\n  ending: {kind: good}\n")
    expect(load(text).findings, "error", "`de`", at=locate(text, "de:"), scene="a", choice="1")


def test_list_of_blocks_only_for_scene_text() -> None:
    text = doc("a:\n  title: [a, b]\n  choices:\n    - text: Go\n      goto: end\n"
               "end:\n  ending: {kind: good}\n")
    assert load(text).episode is None


def test_placeholder_naming_no_variable_is_an_error_with_suggestion() -> None:
    text = doc("a:\n  text: 'You have {invitatons} invitations'\n  choices:\n"
               "    - text: Go\n      goto: end\nend:\n  ending: {kind: good}\n",
               variables="invitations: 0\n")
    f = expect(load(text).findings, "error", "{invitatons}", at=locate(text, "{invitatons}"),
               scene="a")
    assert "did you mean `invitations`?" in f.message


def test_doubled_braces_are_not_placeholders() -> None:
    ok(doc("a:\n  text: 'Literal {{braces}} and {{unknown}}'\n  choices:\n"
           "    - text: Go\n      goto: end\nend:\n  ending: {kind: good}\n"))


# ------------------------------------------------------------------ scenes


def test_scene_with_all_keys() -> None:
    episode = ok(doc("""\
        a:
          title: Monday
          text: Hello
          card: {kind: profile, name: Sam, headline: Seller, about: Hi}
          on_enter: {score: {d: 1}, set: {flag: true}, add: {n: 2}}
          trainer_notes: Ask the group
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: mixed, title: The end}
        """, variables="flag: false\nn: 0\n"))
    a = episode.scenes["a"]
    assert a.card is not None and a.card.kind == "profile"
    assert set(a.card.fields) == {"name", "headline", "about"}
    assert a.on_enter.score == {"d": 1} and a.on_enter.set == {"flag": True}
    assert a.on_enter.add == {"n": 2}
    assert a.trainer_notes is not None
    assert episode.scenes["end"].ending is not None
    assert episode.scenes["end"].ending.kind == "mixed"


@pytest.mark.parametrize("kind,fields", [
    ("profile", ["name", "headline", "about"]),
    ("post", ["author", "body", "reactions"]),
    ("message", ["from", "to", "body"]),
    ("email", ["from", "to", "subject", "body"]),
    ("note", ["body"]),
])
def test_card_kinds_and_their_fields(kind: str, fields: list[str]) -> None:
    card = "{kind: " + kind + ", " + ", ".join(f"{f}: 'x {f}'" for f in fields) + "}"
    episode = ok(doc(f"a:\n  card: {card}\n  choices:\n    - text: Go\n      goto: end\n"
                     "end:\n  ending: {kind: good}\n"))
    c = episode.scenes["a"].card
    assert c is not None and c.kind == kind and list(c.fields) == fields


@pytest.mark.parametrize("card,needle", [
    ("{kind: tweet, body: x}", "tweet"),
    ("{body: x}", "{body"),
    ("{kind: note, subject: x}", "subject"),
    ("{kind: profile, body: x}", "body"),
    ("note", "note"),
    ("{kind: note, body: [x]}", "[x]"),
])
def test_card_errors(card: str, needle: str) -> None:
    text = doc(f"a:\n  card: {card}\n  choices:\n    - text: Go\n      goto: end\n"
               "end:\n  ending: {kind: good}\n")
    result = load(text)
    assert result.episode is None
    f = result.errors[0]
    assert (f.line, f.column) == locate(text, needle) and f.scene == "a", f.format()


def test_post_reactions_may_be_a_number() -> None:
    ok(doc("a:\n  card: {kind: post, author: A, body: B, reactions: 12}\n  choices:\n"
           "    - text: Go\n      goto: end\nend:\n  ending: {kind: good}\n"))


@pytest.mark.parametrize("keys", [[], ["choices", "route"], ["choices", "ending"],
                                  ["route", "ending"], ["choices", "route", "ending"]])
def test_scene_needs_exactly_one_of_choices_route_ending(keys: list[str]) -> None:
    body = {"choices": "  choices:\n    - text: Go\n      goto: end\n",
            "route": "  route:\n    - goto: end\n",
            "ending": "  ending: {kind: bad}\n"}
    scene = "a:\n  title: A\n" + "".join(body[k] for k in keys)
    text = doc(scene + "end:\n  ending: {kind: good}\n")
    f = expect(load(text).findings, "error", "exactly one of", at=locate(text, "title: A"),
               scene="a")
    for k in keys:
        assert f"`{k}`" in f.message.split("it has")[-1]


def test_empty_choices_is_an_error() -> None:
    text = doc("a:\n  choices: []\nend:\n  ending: {kind: good}\n")
    expect(load(text).findings, "error", "empty", at=locate(text, "[]"), scene="a")


@pytest.mark.parametrize("kind,good", [("good", True), ("mixed", True), ("bad", True),
                                       ("great", False), ("Good", False), ("1", False)])
def test_ending_kind(kind: str, good: bool) -> None:
    text = doc("a:\n  choices:\n    - text: Go\n      goto: end\n"
               f"end:\n  ending: {{kind: {kind}, title: Done}}\n")
    result = load(text)
    assert (result.episode is not None) == good
    if not good:
        expect(result.findings, "error", "good, mixed or bad", at=locate(text, kind + ","),
               scene="end")


def test_ending_needs_kind() -> None:
    text = doc("a:\n  choices:\n    - text: Go\n      goto: end\n"
               "end:\n  ending: {title: Done}\n")
    expect(load(text).findings, "error", "`kind`", at=locate(text, "{title"), scene="end")


def test_route_entries() -> None:
    episode = ok(doc("""\
        a:
          route:
            - if: "flag"
              goto: b
            - goto: end
        b:
          choices:
            - text: Go
              goto: end
        end:
          ending: {kind: good}
        """, variables="flag: true\n"))
    route = episode.scenes["a"].route
    assert [r.goto for r in route] == ["b", "end"]
    assert route[0].condition is not None and route[1].condition is None


def test_route_without_final_unconditional_entry_is_an_error() -> None:
    text = doc("""\
        a:
          route:
            - goto: end
            - if: "flag"
              goto: end
        end:
          ending: {kind: good}
        """, variables="flag: true\n")
    result = load(text)
    expect(result.findings, "error", "must end with an entry without", at=locate(text, "if:"),
           scene="a")


def test_route_entry_without_if_must_be_last() -> None:
    text = doc("""\
        a:
          route:
            - goto: end
            - if: "flag"
              goto: end
            - goto: end
        end:
          ending: {kind: good}
        """, variables="flag: true\n")
    expect(load(text).findings, "error", "only the last entry", at=locate(text, "goto: end"),
           scene="a")


def test_route_target_must_be_a_scene() -> None:
    text = doc("a:\n  route:\n    - goto: ned\nend:\n  ending: {kind: good}\n")
    f = expect(load(text).findings, "error", "`ned`", at=locate(text, "ned"), scene="a")
    assert "did you mean `end`?" in f.message


# ------------------------------------------------------------------ choices


def test_choice_id_defaults_to_its_position() -> None:
    episode = ok(doc("""\
        a:
          choices:
            - text: One
              goto: end
            - id: named
              text: Two
              goto: end
            - text: Three
              goto: end
        end:
          ending: {kind: good}
        """))
    assert [c.id for c in episode.scenes["a"].choices] == ["1", "named", "3"]


def test_duplicate_choice_ids_are_an_error() -> None:
    text = doc("""\
        a:
          choices:
            - id: go
              text: One
              goto: end
            - id: go
              text: Two
              goto: end
        end:
          ending: {kind: good}
        """)
    line, col = locate(text, "id: go", nth=2)
    expect(load(text).findings, "error", "share the id", at=(line, col + 4),
           scene="a", choice="go")


def test_same_choice_id_in_two_scenes_is_fine() -> None:
    ok(doc("""\
        a:
          choices:
            - {id: go, text: One, goto: b}
        b:
          choices:
            - {id: go, text: Two, goto: end}
        end:
          ending: {kind: good}
        """))


@pytest.mark.parametrize("missing", ["text", "goto"])
def test_choice_text_and_goto_are_required(missing: str) -> None:
    parts = {"text": "text: Go", "goto": "goto: end"}
    del parts[missing]
    text = doc("a:\n  choices:\n    - id: c\n      " + "\n      ".join(parts.values())
               + "\nend:\n  ending: {kind: good}\n")
    expect(load(text).findings, "error", f"`{missing}`", at=locate(text, "id: c"),
           scene="a", choice="c")


def test_goto_must_be_a_scene_with_suggestion() -> None:
    text = doc("""\
        a:
          choices:
            - id: c
              text: Go
              goto: edn
        end:
          ending: {kind: good}
        """)
    f = expect(load(text).findings, "error", "`edn`", at=locate(text, "edn"), scene="a",
               choice="c")
    assert "did you mean `end`?" in f.message


@pytest.mark.parametrize("value", ["yes", "1", '"true"', "[true]"])
def test_once_must_be_a_boolean(value: str) -> None:
    text = doc(f"a:\n  choices:\n    - id: c\n      text: Go\n      once: {value}\n"
               "      goto: end\nend:\n  ending: {kind: good}\n")
    expect(load(text).findings, "error", "`once`",
           at=locate(text, value.strip('"') if value.startswith('"') else "once: " + value,
                     ) if value.startswith('"') else
           (locate(text, "once: ")[0], locate(text, "once: ")[1] + 6),
           scene="a", choice="c")


def test_once_true_and_false() -> None:
    episode = ok(doc("a:\n  choices:\n    - {text: A, once: true, goto: end}\n"
                     "    - {text: B, once: False, goto: end}\nend:\n  ending: {kind: good}\n"))
    assert [c.once for c in episode.scenes["a"].choices] == [True, False]


def test_score_set_add() -> None:
    episode = ok(doc("""\
        a:
          choices:
            - text: Go
              score: {d: -2}
              set: {flag: true, name: Bob}
              add: {n: 3}
              feedback: Why
              goto: end
        end:
          ending: {kind: good}
        """, variables="flag: false\nname: Sam\nn: 0\n"))
    c = episode.scenes["a"].choices[0]
    assert c.effects.score == {"d": -2}
    assert c.effects.set == {"flag": True, "name": "Bob"}
    assert c.effects.add == {"n": 3}


EFFECT_ERRORS = [
    ("score: {dd: 1}", "dd", "unknown dimension", "did you mean `d`?"),
    ("score: {d: 1.5}", "1.5", "whole number", None),
    ("score: {d: high}", "high", "whole number", None),
    ("score: {d: true}", "true", "whole number", None),
    ("score: 3", "3", "mapping", None),
    ("set: {flga: true}", "flga", "unknown variable", "did you mean `flag`?"),
    ("set: {flag: 1}", "1}", "cannot be set", None),
    ("set: {flag: yes}", "yes", "cannot be set", None),
    ("set: {n: true}", "true", "cannot be set", None),
    ("set: {n: '3'}", "3'", "cannot be set", None),
    ("set: {name: 3}", "3}", "cannot be set", None),
    ("add: {flag: 1}", "flag: 1", "`add` works on numbers", None),
    ("add: {name: 1}", "name: 1", "`add` works on numbers", None),
    ("add: {n: two}", "two", "whole number", None),
    ("add: {nn: 1}", "nn", "unknown variable", "did you mean `n`?"),
    ("add: [n]", "[n]", "mapping", None),
]


@pytest.mark.parametrize("line,needle,message,hint", EFFECT_ERRORS)
def test_choice_effect_errors(line: str, needle: str, message: str, hint: str | None) -> None:
    text = doc(f"a:\n  choices:\n    - id: c\n      text: Go\n      {line}\n"
               "      feedback: F\n      goto: end\nend:\n  ending: {kind: good}\n",
               variables="flag: false\nname: Sam\nn: 0\n")
    f = expect(load(text).findings, "error", message, at=locate(text, needle, nth=1),
               scene="a", choice="c")
    if hint:
        assert hint in f.message


@pytest.mark.parametrize("line,needle,message,hint", EFFECT_ERRORS)
def test_on_enter_effect_errors(line: str, needle: str, message: str, hint: str | None) -> None:
    text = doc(f"a:\n  on_enter: {{{line}}}\n  choices:\n    - text: Go\n      goto: end\n"
               "end:\n  ending: {kind: good}\n", variables="flag: false\nname: Sam\nn: 0\n")
    f = expect(load(text).findings, "error", message, at=locate(text, needle, nth=1),
               scene="a")
    if hint:
        assert hint in f.message


def test_on_enter_only_takes_score_set_add() -> None:
    text = doc("a:\n  on_enter: {goto: end}\n  choices:\n    - text: Go\n      goto: end\n"
               "end:\n  ending: {kind: good}\n")
    expect(load(text).findings, "error", "`goto`", at=locate(text, "goto: end"), scene="a")


def test_all_errors_are_reported_in_one_pass() -> None:
    text = doc("""\
        a:
          chioces: []
        b:
          choices:
            - text: Go
              goto: nowhere
              score: {x: 1}
        end:
          ending: {kind: great}
        """)
    result = load(text)
    assert len(result.errors) >= 4


# ------------------------------------------------------------------ series.yaml

SERIES = """\
sam_cowboy: 1
series: s1
title: {fr: Saison, en: Season}
languages: [fr, en]
episodes: [t]
dimensions:
  brand: {label: {fr: Marque, en: Brand}}
  relationship: {label: {fr: Relation, en: Relationship}, weight: 3}
profiles:
  - {min: 0, label: {fr: Débutant, en: Beginner}}
  - {min: 50, label: {fr: Confirmé, en: Skilled}}
"""

SERIES_EPISODE = """\
sam_cowboy: 1
id: t
title: {fr: T, en: T}
start: a
scenes:
  a:
    choices:
      - text: {fr: Aller, en: Go}
        score: {brand: 1, relationship: 1}
        feedback: {fr: F, en: F}
        goto: end
  end:
    ending: {kind: good}
"""


def _series_dir(tmp_path, episode: str):
    (tmp_path / "series.yaml").write_text(SERIES, encoding="utf-8")
    path = tmp_path / "t.yaml"
    path.write_text(episode, encoding="utf-8")
    return path


def test_series_provides_dimensions_profiles_languages(tmp_path) -> None:
    path = _series_dir(tmp_path, SERIES_EPISODE)
    result = load_episode(path)
    assert result.errors == [], [f.format() for f in result.errors]
    episode = result.require()
    assert list(episode.dimensions) == ["brand", "relationship"]
    assert episode.dimensions["relationship"].weight == 3
    assert episode.languages == ("fr", "en")
    assert [p.min for p in episode.profiles] == [0, 50]


def test_without_series_the_same_episode_has_errors(tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(SERIES_EPISODE, encoding="utf-8")
    result = load_episode(path)
    assert result.episode is None
    assert any("dimensions" in f.message for f in result.errors)


def test_episode_dimensions_replace_the_series_dimensions(tmp_path) -> None:
    episode_text = SERIES_EPISODE.replace(
        "start: a\n", "dimensions:\n  brand: {label: {fr: M, en: B}, weight: 5}\nstart: a\n")
    path = _series_dir(tmp_path, episode_text)
    result = load_episode(path)
    # relationship came from the series only: the episode's own dimensions replace them
    assert result.episode is None
    assert any("relationship" in f.message and "unknown dimension" in f.message
               for f in result.errors)
    fixed = episode_text.replace("score: {brand: 1, relationship: 1}", "score: {brand: 1}")
    path.write_text(fixed, encoding="utf-8")
    episode = load_episode(path).require()
    assert list(episode.dimensions) == ["brand"]
    assert episode.dimensions["brand"].weight == 5


def test_episode_profiles_replace_the_series_profiles(tmp_path) -> None:
    path = _series_dir(tmp_path, SERIES_EPISODE.replace(
        "start: a\n", "profiles:\n  - {min: 10, label: {fr: X, en: X}}\nstart: a\n"))
    episode = load_episode(path).require()
    assert [p.min for p in episode.profiles] == [10]


def test_episode_languages_replace_the_series_languages(tmp_path) -> None:
    text = SERIES_EPISODE.replace("start: a\n", "languages: [en]\nstart: a\n")
    text = text.replace("{fr: T, en: T}", "T").replace("{fr: Aller, en: Go}", "Go")
    text = text.replace("{fr: F, en: F}", "F")
    path = _series_dir(tmp_path, text)
    result = load_episode(path)
    episode = result.require()
    assert episode.languages == ("en",)


def test_series_file_errors_are_reported(tmp_path) -> None:
    (tmp_path / "series.yaml").write_text(SERIES + "colour: red\n", encoding="utf-8")
    series = load_series(tmp_path / "series.yaml")
    assert any("`colour`" in f.message for f in series.findings)
    f = next(f for f in series.findings if "`colour`" in f.message)
    assert f.line == SERIES.count("\n") + 1 and f.column == 1


def test_findings_name_the_file() -> None:
    result = load(doc("a:\n  chioces: []\n"))
    assert all(f.file == FILE for f in result.findings)


def test_dims_constant_is_valid() -> None:
    assert DIMS.startswith("dimensions:")
    assert not matching(load(doc(SIMPLE_SCENES)).findings, "error")
    assert errors_of(doc(SIMPLE_SCENES)) == []


def test_unquoted_numeric_scene_ids_and_gotos() -> None:
    episode = ok(doc("1:\n  choices:\n    - {id: 2, text: Go, goto: 2}\n2:\n"
                     "  ending: {kind: good}\n", start="1"))
    assert list(episode.scenes) == ["1", "2"] and episode.start == "1"
    assert episode.scenes["1"].choices[0].id == "2"
    assert episode.scenes["1"].choices[0].goto == "2"


def test_unquoted_numeric_episode_id_like_scene_ids() -> None:
    # ids are "lowercase letters, digits, -": `id: 2024` means the id "2024", as a scene
    # key `1:` or `goto: 2` do
    episode = ok(doc(SIMPLE_SCENES, head="sam_cowboy: 1\nid: 2024\ntitle: T\n"))
    assert episode.id == "2024"
