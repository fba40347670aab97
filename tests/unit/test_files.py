"""files.atomic_write: the target is replaced whole or not at all."""

from __future__ import annotations

import stat

import pytest

from coalition_workbook.data.files import atomic_write, atomic_write_text


def test_replaces_and_leaves_no_temporary_file(tmp_path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    atomic_write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # readable like a normal file


def test_a_failing_writer_keeps_the_old_file(tmp_path) -> None:
    target = tmp_path / "metrics.csv"
    target.write_text("old", encoding="utf-8")

    def half_then_fail(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["metrics.csv"]


def test_temporary_file_carries_the_requested_suffix(tmp_path) -> None:
    seen: list[str] = []
    atomic_write(tmp_path / "shot.png", lambda tmp: (seen.append(tmp), open(tmp, "wb").close()),
                 suffix=".png")
    assert seen[0].endswith(".png")
