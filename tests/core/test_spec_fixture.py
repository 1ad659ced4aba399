"""The fixtures are verbatim copies of the spec's examples (checked when the spec is at hand)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from core_support import EP00_TEXT

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec"


def _blocks(name: str, lang: str) -> list[str]:
    path = SPEC / name
    if not path.is_file():
        pytest.skip(f"{path} is not available here")
    return re.findall(rf"```{lang}\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_ep00_fixture_is_the_spec_example() -> None:
    assert _blocks("EPISODE_FORMAT.md", "yaml")[0] == EP00_TEXT


def test_run_json_expectation_is_the_cli_md_example() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
    try:
        from test_cli_run import CLI_MD_EXAMPLE
    finally:
        sys.path.pop(0)
    assert json.loads(_blocks("CLI.md", "json")[0]) == CLI_MD_EXAMPLE
