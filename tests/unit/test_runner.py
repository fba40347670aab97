"""The runner's orchestration without a kernel: an up-to-date run is skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coalition_workbook.run import runner
from coalition_workbook.run.params import defaults
from coalition_workbook.run.publish import Layout, publish


def test_up_to_date_run_is_skipped(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = Layout(project / "reports")
    params = defaults()
    staged = layout.staging / "r1"
    staged.mkdir(parents=True)
    (staged / "manifest.json").write_text(json.dumps(
        {"run_id": "r1", "status": "ok",
         "fingerprint": runner.run_fingerprint(params)}), encoding="utf-8")
    publish(layout, staged, "r1")
    outcome = runner.run(params)
    assert outcome.status == "skipped" and outcome.run_id == "r1"
    assert "up to date" in capsys.readouterr().out


