"""Re-store the notebooks' outputs (the nbval baseline) without volatile noise.

``refresh_baseline`` executes each report notebook with its defaults, keeps
the result only if it ran, and writes it back to ``notebooks/<name>.ipynb``
after ``scrub``: papermill's and nbclient's timings, start and end times,
paths and random chart ids are removed or made deterministic, so editing one
note in ``data/figures.csv`` changes only the lines that show that note.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ..data import config
from ..data.errors import NotebookRunError
from ..data.files import atomic_write_text
from .execute import NotebookResult, Progress, execute_all
from .params import NOTEBOOKS, notebook_path, select_notebooks
from .publish import Layout, new_run_id, recover, run_lock

#: Random ids that front-ends generate anew on every execution.
_RANDOM_IDS = (re.compile(r"altair-viz-[0-9a-f]{32}"),
               re.compile(r"(?<=IPY_MODEL_)[0-9a-f]{32}"),
               re.compile(r'(?<="model_id": ")[0-9a-f]{32}'))
#: Cell metadata written by the execution, not by the author.
_RUN_METADATA = ("papermill", "execution")


def scrub(nb: dict[str, Any], name: str) -> dict[str, Any]:
    """Remove execution noise from a notebook (in place) and return it.

    Drops ``metadata.papermill`` (times, durations, paths) and each cell's
    ``papermill`` and ``execution`` metadata, and replaces each random output id
    by one derived from the notebook's name and the id's order of appearance.
    Outputs themselves (tables, numbers, chart specs and data) are untouched.
    """
    nb.get("metadata", {}).pop("papermill", None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        for key in _RUN_METADATA:
            meta.pop(key, None)
        if meta.get("tags") == []:
            del meta["tags"]
    text = json.dumps(nb, ensure_ascii=False)
    for pattern in _RANDOM_IDS:
        seen: dict[str, str] = {}

        def stable(m: re.Match[str], seen: dict[str, str] = seen,
                   prefix: str = pattern.pattern[:4]) -> str:
            old = m.group(0)
            if old not in seen:
                digest = hashlib.sha256(f"{name}:{prefix}:{len(seen)}".encode()).hexdigest()
                seen[old] = old[: len(old) - 32] + digest[:32]
            return seen[old]

        text = pattern.sub(stable, text)
    scrubbed = json.loads(text)
    nb.clear()
    nb.update(scrubbed)
    return nb


def write_notebook(nb: dict[str, Any], path: Path) -> None:
    """Write a notebook as JupyterLab does (1-space indent, sorted keys, final newline),
    atomically: a reader sees the old notebook or the new one."""
    atomic_write_text(path, json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def scrub_file(path: str | Path) -> None:
    """Scrub a stored notebook in place (``make baseline`` does this to explore.ipynb)."""
    path = Path(path)
    write_notebook(scrub(json.loads(path.read_text(encoding="utf-8")), path.stem), path)


def refresh_baseline(notebooks: Sequence[str] = NOTEBOOKS, *,
                     progress_stream: TextIO | None = None) -> list[NotebookResult]:
    """Re-execute the notebooks with their defaults and store them, scrubbed, in place.

    Each runs into a temporary folder first and replaces ``notebooks/<name>.ipynb``
    only when every notebook succeeded.

    Raises:
        NotebookRunError: If a notebook fails; the committed notebooks stay as they were.
    """
    names = select_notebooks(notebooks)
    layout = Layout(config.ROOT / "reports")
    with run_lock(layout, wait=0):
        recover(layout)
        tmp = layout.staging / f"baseline-{new_run_id()}"  # same file system as notebooks/
        progress = Progress(names, stream=progress_stream)
        try:
            try:
                results = execute_all(names, tmp, {}, progress=progress)
            finally:
                progress.close()
            failures = [r for r in results if r.status != "ok"]
            if failures:
                raise NotebookRunError(
                    "\n".join(r.describe_failure(tmp) for r in failures)
                    + "\nbaseline notebooks left unchanged",
                    notebook=failures[0].name, cell_index=failures[0].cell_index,
                    results=results)
            for r in results:
                done = tmp / f"{r.name}.ipynb"
                nb = scrub(json.loads(done.read_text(encoding="utf-8")), r.name)
                write_notebook(nb, notebook_path(r.name))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return results
