"""Execution bookkeeping without a kernel: progress lines, the cell a run stopped in."""

from __future__ import annotations

import io
import json
from pathlib import Path

from coalition_workbook.run import execute


def test_progress_is_plain_lines_off_a_terminal() -> None:
    out = io.StringIO()
    p = execute.Progress(["a"], stream=out, tty=False)
    p.start("a")
    p.finish("a", "ok", 2.0)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("workbook: a: started")
    assert lines[1].endswith("workbook: a: ok (2.0 s)")
    assert "\r" not in out.getvalue()


def _saved(tmp_path: Path, states: list[str], *, failed: int | None = None) -> Path:
    """An output notebook as papermill saves it, one code cell per state: ``ran``,
    ``failed``, or ``not run`` (no start time; papermill's final save still marks
    such a cell ``completed``)."""
    cells = []
    for i, state in enumerate(states):
        ran = state != "not run"
        cells.append({
            "cell_type": "code", "id": f"c{i}", "source": [f"step({i})\n", "more()"],
            "execution_count": i + 1 if ran else None, "outputs": [],
            "metadata": {"papermill": {
                "status": "failed" if state == "failed" else "completed",
                "exception": state == "failed", "start_time": "2026-01-01T00:00:00" if ran
                else None}}})
    path = tmp_path / "saved.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}), encoding="utf-8")
    return path


def test_a_failed_cell_is_named(tmp_path: Path) -> None:
    path = _saved(tmp_path, ["ran", "failed", "not run"])
    assert execute.failed_cell(path) == (1, 2, "step(1)")


def test_the_cell_a_dead_kernel_stopped_in_is_the_last_one_started(tmp_path: Path) -> None:
    path = _saved(tmp_path, ["ran", "ran", "not run", "not run"])
    assert execute.failed_cell(path) == (1, 2, "step(1)")


def test_a_kernel_dying_in_the_last_cell_names_it(tmp_path: Path) -> None:
    assert execute.failed_cell(_saved(tmp_path, ["ran", "ran"])) == (1, 2, "step(1)")


def test_no_cell_is_named_when_it_cannot_be_told(tmp_path: Path) -> None:
    """No cell started, or nothing was saved: no cell is named, and the message says
    "a cell"."""
    assert execute.failed_cell(_saved(tmp_path, ["not run", "not run"])) == (None, None, "")
    assert execute.failed_cell(tmp_path / "missing.ipynb") == (None, None, "")
    result = execute.NotebookResult("aid", status="failed", error="DeadKernelError: Kernel died")
    message = result.describe_failure(tmp_path)
    assert message.startswith("notebook aid failed in a cell: DeadKernelError: Kernel died")
    assert "no executed notebook was saved" in message
