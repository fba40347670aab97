"""Regression baseline: the published metrics equal tests/baselines/metrics.csv.

Deleting a figure or changing a value changes a metric and fails here with a
diff. When the change is deliberate, `make baseline` re-stores the baseline.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from coalition_workbook.data import config
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.figures import metrics
from tests.conftest import restamp_sidecar


def current_metrics(tmp_path: Path, figures: Path | None = None) -> str:
    out = tmp_path / "metrics.csv"
    metrics.write_metrics(metrics.compute_metrics(load_dataset(figures)), str(out))
    return out.read_text(encoding="utf-8")


def baseline_diff(baseline: str, current: str) -> str:
    diff = difflib.unified_diff(baseline.splitlines(), current.splitlines(),
                                "tests/baselines/metrics.csv", "metrics now", lineterm="")
    return "\n".join(diff)


def assert_matches_baseline(current: str) -> None:
    baseline = config.BASELINE_METRICS_CSV.read_text(encoding="utf-8")
    if current != baseline:
        raise AssertionError(
            "metrics differ from the stored baseline:\n" + baseline_diff(baseline, current)
            + "\nif this change is deliberate, run `make baseline` and commit the new baseline")


def test_metrics_match_baseline(tmp_path: Path) -> None:
    assert_matches_baseline(current_metrics(tmp_path))


def test_deleted_row_fails_with_a_readable_diff(tmp_path: Path, tables) -> None:
    related = {c for r in tables.records(tables.relations) for c in (r["figure_id"], r["other_id"])}
    header, rows = tables.read(tables.figures)
    training = next(i for i, r in enumerate(tables.records())
                    if r["category"] == "training" and r["unit"] == "persons"
                    and r["id"] not in related)
    del rows[training]
    tables.write(tables.figures, header, rows)
    current = current_metrics(tmp_path, tables.figures)
    try:
        assert_matches_baseline(current)
    except AssertionError as exc:
        message = str(exc)
    else:
        raise AssertionError("deleting a training figure did not change the metrics")
    assert "make baseline" in message
    assert "\n-trainees_total," in message and "\n+trainees_total," in message


def test_changed_value_fails(tmp_path: Path, tables) -> None:
    index = next(i for i, r in enumerate(tables.records()) if r["category"] == "aid_vehicles")
    # change the value and its quote together so the row still validates
    value, quote = tables.get(index, "value"), tables.get(index, "quote")
    source = tables.sources / tables.get(index, "source")
    bigger = str(int(float(value)) + 1)
    source.write_text(source.read_text(encoding="utf-8").replace(
        quote, quote.replace(value, bigger, 1)), encoding="utf-8")
    restamp_sidecar(source)
    tables.set(index, "quote", quote.replace(value, bigger, 1))
    tables.set(index, "value", bigger)
    current = current_metrics(tmp_path, tables.figures)
    assert current != config.BASELINE_METRICS_CSV.read_text(encoding="utf-8")
    assert "vehicles_total" in baseline_diff(
        config.BASELINE_METRICS_CSV.read_text(encoding="utf-8"), current)
