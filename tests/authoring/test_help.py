from __future__ import annotations

import pytest

COMMANDS = ["new", "graph", "randomtest", "stats", "schema", "import", "i18n"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(cli, command) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as done:
        cli(command, "--help")
    assert done.value.code == 0
    out = cli.capsys.readouterr().out
    assert "Example: sam-cowboy " + command in out


@pytest.mark.parametrize("action", ["export", "import", "status"])
def test_i18n_actions_help(cli, action) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        cli("i18n", action, "--help")
    assert "Example: sam-cowboy i18n " + action in cli.capsys.readouterr().out


def test_bad_option_is_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("randomtest", "--bogus")
    assert code == 2 and len(err.strip().splitlines()) == 1
