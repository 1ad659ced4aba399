"""Headless Chromium for the export tests: Debian's /usr/bin/chromium driven by Playwright.

Never a browser Playwright downloads (`bash .ci/chromium.sh` installs Debian's). The browser
starts once for this folder and is closed, with Playwright's driver, even when a
test fails; tests that need it skip with the reason when it is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="package")  # its event loop must not outlive this folder
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no {CHROMIUM}: run `bash .ci/chromium.sh` (Debian's chromium package)")
    sync_api: Any = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed "
        "(`pip install -e '.[test]'`; its browser download is not needed)")
    manager = sync_api.sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                                           timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        manager.stop()
