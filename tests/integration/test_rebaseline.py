"""``workbook baseline`` stores no execution noise: a one-note edit re-baselines in a few lines."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from coalition_workbook.data import config
from coalition_workbook.run.params import NOTEBOOKS
from tests.conftest import copy_project, read_rows, workbook, write_rows

pytestmark = pytest.mark.slow

MAX_CHANGED_LINES = 40


def _changed_lines(before: Path, after: Path) -> int:
    a = before.read_text(encoding="utf-8").splitlines()
    b = after.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in difflib.unified_diff(a, b, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---")))


def test_editing_one_note_changes_only_the_lines_that_show_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", reports=False)
    figures = root / "data" / "figures.csv"
    header, rows = read_rows(figures)
    note = header.index("note")
    row = next(r for r in rows if r[note])  # a note the reports show
    row[note] = f"{row[note]} (edited)"
    write_rows(figures, header, rows)
    done = workbook(root, "baseline")
    assert done.returncode == 0, done.stderr
    changed = {n: _changed_lines(config.NOTEBOOKS_DIR / f"{n}.ipynb",
                                 root / "notebooks" / f"{n}.ipynb") for n in NOTEBOOKS}
    shown = [n for n in NOTEBOOKS
             if "(edited)" in (root / "notebooks" / f"{n}.ipynb").read_text(encoding="utf-8")]
    assert shown, "no report shows the edited note: the test proves nothing"
    assert sum(changed.values()) <= MAX_CHANGED_LINES, changed
    assert all(changed[n] == 0 for n in NOTEBOOKS if n not in shown), changed
