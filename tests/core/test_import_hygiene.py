"""The core never loads the UI libraries: each module imported alone in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sam_cowboy.core

CORE = Path(sam_cowboy.core.__file__).resolve().parent
MODULES = sorted(f"sam_cowboy.core.{p.stem}" for p in CORE.glob("*.py"))

PROBE = """
import importlib, sys
importlib.import_module({module!r})
ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))
print(','.join(ui))
"""


def test_every_core_module_is_listed() -> None:
    assert "sam_cowboy.core.loader" in MODULES and len(MODULES) >= 10


@pytest.mark.parametrize("module", MODULES)
def test_core_module_does_not_import_textual_or_rich(module: str) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE.format(module=module)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"{module} loads {out.stdout.strip()}"
