"""Figures for docs/lms.md: export sizes and time to first scene in headless Chromium.

Run by hand (`.venv/bin/python -m tests.export.measure`); prints a Markdown table. Time to
first scene is the player's `sam-cowboy-first-scene` performance mark (from navigation start,
the page read from a local file), median of 5 loads in a fresh page each, at 800x700.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sam_cowboy.cli import main
from sam_cowboy.library import builtin_dir, episode_files

from .conftest import CHROMIUM, CHROMIUM_FLAGS

LOADS = 5


def run() -> None:
    folder = Path(tempfile.mkdtemp(prefix="sam-export-"))
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for source in episode_files(builtin_dir()):
                sizes = {}
                for fmt, suffix in (("html", ".html"), ("cmi5", "-cmi5.zip"),
                                    ("scorm12", "-scorm12.zip")):
                    out = folder / (source.stem + suffix)
                    assert main(["export", str(source), "--format", fmt, "-o", str(out)]) == 0
                    sizes[fmt] = out.stat().st_size
                times = []
                for _ in range(LOADS):
                    page = browser.new_page(viewport={"width": 800, "height": 700})
                    page.goto((folder / (source.stem + ".html")).as_uri())
                    page.wait_for_selector("#sam-scene-title")
                    times.append(page.evaluate(
                        "performance.getEntriesByName('sam-cowboy-first-scene')[0].startTime"))
                    page.close()
                rows.append((source.stem, sizes, statistics.median(times)))
        finally:
            browser.close()
    print("| episode | html | cmi5 zip | scorm12 zip | first scene (median of 5) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for stem, sizes, ms in rows:
        print(f"| {stem} | {sizes['html'] / 1024:.0f} KiB | {sizes['cmi5'] / 1024:.0f} KiB | "
              f"{sizes['scorm12'] / 1024:.0f} KiB | {ms:.0f} ms |")


if __name__ == "__main__":
    run()
