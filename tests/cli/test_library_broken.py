"""A broken file in a library is shown as broken, with its first finding; every other
episode stays playable (issue 15, item 3)."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from sam_cowboy.library import Library, builtin_dir

FIXTURE = Path(__file__).resolve().parents[1] / "core" / "fixtures" / "ep00-first-invite.yaml"
GOOD = FIXTURE.read_text("utf-8")
LONG_SUM = GOOD.replace('"score(\'relationship\') > 0 and profile_ready"',
                        '"' + "+".join(["invitations"] * 990) + ' > 0"')


def hostile_folder(root: Path) -> Path:
    folder = root / "lib"
    folder.mkdir()
    shutil.copy(FIXTURE, folder / "good.yaml")
    (folder / "long-sum.yaml").write_text(LONG_SUM, "utf-8")
    (folder / "huge-int.yaml").write_text(GOOD.replace("estimated_minutes: 3",
                                                       "estimated_minutes: 0x" + "f" * 9000))
    bomb = ["a0: &a0 [" + ", ".join(["x" * 50] * 10) + "]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (folder / "bomb.yaml").write_text("\n".join(bomb) + "\n", "utf-8")
    (folder / "binary.yaml").write_bytes(b"\x00\x01\x02")
    (folder / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with open(folder / "huge.yaml", "wb") as f:
        f.truncate(3 * 1024**3)
    os.mkfifo(folder / "fifo.yaml")
    return folder


def test_the_library_keeps_the_good_and_flags_the_broken(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    library = Library([folder])
    by_name = {e.path.name: e for e in library.entries}
    assert by_name["good.yaml"].ok
    broken = [e for e in library.entries if not e.ok]
    assert {e.path.name for e in broken} == set(by_name) - {"good.yaml"}
    for entry in broken:
        first = entry.result.errors[0]
        assert first.file.endswith(entry.path.name) and first.line >= 1 and first.column >= 1
    assert by_name["long-sum.yaml"].result.errors[0].line > 1


def test_the_app_library_loads_with_a_broken_file(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("textual")
    from sam_cowboy.tui.app import create_app

    monkeypatch.setenv("SAM_COWBOY_DATA_DIR", str(tmp_path / "data"))
    folder = hostile_folder(tmp_path)

    async def scenario() -> None:
        app = create_app(episode=None, analysis=None, lang="en", data_dir=tmp_path / "data",
                         library=[folder], builtin=True, player="Alex")
        async with app.run_test(size=(100, 40)) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if app.items is not None:
                    break
            assert app.items is not None, "the library never finished loading"
            ok = [i for i in app.items if i.episode is not None]
            bad = [i for i in app.items if i.episode is None]
            builtin = {p.stem for p in builtin_dir().glob("ep*.yaml")}
            assert len(ok) >= len(builtin) + 1
            assert len(bad) == 7 and all(i.error and ":" in i.error for i in bad)

    asyncio.run(scenario())
