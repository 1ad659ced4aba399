"""`sam-cowboy play --plain`: numbers from standard input, re-prompts, clean end of input."""

from __future__ import annotations

from cli_support import EP00, sam


def play(stdin: str, *extra: str):
    done = sam("play", str(EP00), "--plain", "--lang", "en", *extra, stdin=stdin)
    assert done.code == 0, done.err
    return done


def test_plain_play_to_the_end_prints_feedback_and_debrief() -> None:
    done = play("1\n2\n")
    out = done.out
    assert "Sam opens LinkedIn. He has 0 pending invitation(s)." in out
    assert "Rework his profile first" in out and "Invite straight away" in out
    assert "A customer-centric profile reassures." in out  # feedback
    assert "Invitation accepted." in out
    assert "100%" in out
    assert done.err.strip() == ""


def test_plain_play_shows_interpolated_values_after_effects() -> None:
    out = play("1\n2\n").out
    assert "His profile still reads like a CV." not in out
    out = play("2\n2\n").out
    assert "His profile still reads like a CV." in out
    assert "No answer." in out


def test_plain_play_in_french_by_default_language() -> None:
    done = sam("play", str(EP00), "--plain", "--lang", "fr", stdin="1\n2\n")
    assert done.code == 0
    assert "Sam ouvre LinkedIn. Il a 0 invitation(s) en attente." in done.out


def test_bad_number_gets_a_message_and_the_same_prompt_again() -> None:
    good = play("1\n2\n").out
    bad = play("9\n0\nabc\n\n1\n2\n").out
    prompt = "Your choice (1-2)"
    assert bad.count(prompt) == good.count(prompt) + 4
    assert "Invitation accepted." in bad
    # nothing was chosen by the bad answers: same path as the good run
    assert bad.count("A customer-centric profile reassures.") == 1


def test_end_of_input_before_an_ending_exits_0() -> None:
    for stdin in ["", "1\n", "1", "9\n"]:
        done = play(stdin)
        assert "Invitation accepted." not in done.out
        assert "No answer." not in done.out


def test_one_prompt_per_line_and_no_escape_sequences() -> None:
    out = play("1\n2\n").out
    assert "\x1b" not in out
    assert "\r" not in out
