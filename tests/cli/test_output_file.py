"""`-o FILE` writes only regular files, atomically, with the umask's mode (issue 15, item 6)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_support import one_line_error, sam

from sam_cowboy.atomic import write_text_atomic


def test_a_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    done = sam("schema", "-o", str(out))
    assert done.code == 0, done.err
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
    assert out.read_text(encoding="utf-8").startswith("{")


def test_through_a_symlink_the_regular_file_it_names_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert sam("schema", "-o", str(link)).code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("{")


def test_a_fifo_is_refused_in_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = sam("schema", "-o", str(fifo), timeout=30)
    assert done.code == 2 and "FIFO" in one_line_error(done)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    done = sam("schema", "-o", str(link))
    assert done.code == 2 and "device" in one_line_error(done)
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    done = sam("graph", "ep01", "-o", str(tmp_path))
    assert done.code == 2 and "folder" in one_line_error(done)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="POSIX only")
def test_the_writer_itself_refuses_a_device() -> None:
    with pytest.raises(OSError):
        write_text_atomic(Path("/dev/null"), "x")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def boom(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
