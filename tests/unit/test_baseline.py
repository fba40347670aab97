"""Stored notebook outputs hold no execution noise: scrub() removes it, keeps the outputs."""

from __future__ import annotations

import copy
import json
import re

from coalition_workbook.run.baseline import scrub
from coalition_workbook.run.params import NOTEBOOKS, notebook_path

HEX = "0123456789abcdef" * 2


def _executed() -> dict:
    """A notebook as papermill leaves it, with every kind of noise."""
    return {
        "metadata": {"papermill": {"duration": 3.2, "start_time": "2026-01-01T00:00:00"},
                     "kernelspec": {"name": "python3"}},
        "cells": [{
            "cell_type": "code", "execution_count": 1, "source": "chart",
            "metadata": {"tags": [], "papermill": {"duration": 1.0},
                         "execution": {"iopub.status.busy": "2026-01-01T00:00:00Z"}},
            "outputs": [{"output_type": "display_data", "data": {
                "text/html": f'<div id="altair-viz-{HEX}"></div><script>"#altair-viz-{HEX}"'
                             '</script>',
                "application/vnd.jupyter.widget-view+json": {"model_id": HEX[::-1]},
                "text/plain": "1,234 trainees"}}],
        }],
        "nbformat": 4, "nbformat_minor": 5,
    }


def test_scrub_removes_timings_and_makes_ids_deterministic() -> None:
    one, two = scrub(_executed(), "aid"), scrub(_executed(), "aid")
    text = json.dumps(one)
    assert "papermill" not in text and "iopub" not in text and "duration" not in text
    assert HEX not in text and HEX[::-1] not in text
    assert one == two  # the same run twice stores the same bytes
    html = one["cells"][0]["outputs"][0]["data"]["text/html"]
    ids = re.findall(r"altair-viz-([0-9a-f]{32})", html)
    assert len(ids) == 2 and ids[0] == ids[1]  # the div and its script still agree
    assert one["cells"][0]["outputs"][0]["data"]["text/plain"] == "1,234 trainees"
    assert one["metadata"]["kernelspec"] == {"name": "python3"}


def test_different_charts_keep_different_ids() -> None:
    nb = _executed()
    cell = copy.deepcopy(nb["cells"][0])
    cell["outputs"][0]["data"]["text/html"] = f'<div id="altair-viz-{HEX[::-1]}"></div>'
    nb["cells"].append(cell)
    html = [c["outputs"][0]["data"]["text/html"] for c in scrub(nb, "aid")["cells"]]
    first = re.findall(r"altair-viz-[0-9a-f]{32}", html[0])[0]
    second = re.findall(r"altair-viz-[0-9a-f]{32}", html[1])[0]
    assert first != second


def test_stored_notebooks_are_scrubbed() -> None:
    for name in NOTEBOOKS:
        nb = json.loads(notebook_path(name).read_text(encoding="utf-8"))
        assert scrub(copy.deepcopy(nb), name) == nb, f"{name}.ipynb holds execution noise"
