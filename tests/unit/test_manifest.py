"""The manifest is built by a pure function from what the runner measured."""

from __future__ import annotations

import json
from pathlib import Path

from coalition_workbook.run.execute import NotebookResult
from coalition_workbook.run.manifest import build_manifest, read_manifest


def _build(results: list[NotebookResult], **kw: object) -> object:
    args: dict = dict(run_id="r1", started="s", finished="f", seconds=1.23456,
                      git={"commit": "abc", "dirty": False}, parameters={"lang": "ar"},
                      with_code=False, results=results, inputs={"data/x.csv": {"sha256": "h"}},
                      fingerprint="fp", versions={"python": "3"}, runner={"workers": 2})
    args.update(kw)
    return build_manifest(**args)


def test_a_run_is_ok_only_when_every_notebook_is() -> None:
    ok = NotebookResult("a", status="ok", execute_seconds=1.0, export_seconds=0.5)
    bad = NotebookResult("b", status="failed", cell_index=4, error="ValueError: x")
    assert _build([ok]).status == "ok"
    m = _build([ok, bad])
    assert m.status == "failed"
    assert m.notebooks["b"]["cell_index"] == 4 and "html" not in m.notebooks["b"]
    assert m.notebooks["a"]["html"] == "a.html" and m.notebooks["a"]["seconds"] == 1.5


def test_metrics_and_screenshots_are_listed_only_when_written(tmp_path: Path) -> None:
    ok = NotebookResult("a", status="ok")
    without = _build([ok]).to_dict()
    assert "metrics" not in without and without["screenshots"] == []
    m = _build([ok], metrics_rows=7, screenshots=["screenshots/a.png"],
               editions=[{"label": "العربية", "href": "../ar/latest/index.html"}])
    m.write(tmp_path)
    back = read_manifest(tmp_path)
    assert back == json.loads(json.dumps(m.to_dict()))
    assert back["metrics"] == {"file": "metrics.csv", "rows": 7}
    assert back["screenshots"] == ["screenshots/a.png"]
    assert back["editions"][0]["label"] == "العربية"


def test_an_unreadable_manifest_reads_as_none(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None
    (tmp_path / "manifest.json").write_text("{", encoding="utf-8")
    assert read_manifest(tmp_path) is None
