"""Execution bookkeeping without a kernel: progress lines, the failed cell of a dead kernel."""

from __future__ import annotations

import io

from coalition_workbook import execute


def test_progress_is_plain_lines_off_a_terminal() -> None:
    out = io.StringIO()
    p = execute.Progress(["a"], stream=out, tty=False)
    p.start("a")
    p.finish("a", "ok", 1.25)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("workbook: a: started")
    assert lines[1].endswith("workbook: a: ok (1.2 s)") or lines[1].endswith("(1.3 s)")
    assert "\r" not in out.getvalue()


