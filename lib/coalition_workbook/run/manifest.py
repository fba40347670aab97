"""What a run wrote into ``manifest.json``, as a dataclass built by a pure function.

``build_manifest`` takes what the runner measured and computed (times, results,
checksums, versions) and returns a ``Manifest``; it reads no file and no clock,
so a test can build one from plain values. ``write`` and ``read_manifest`` are
the only places that touch ``manifest.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..data.files import atomic_write_text
from .execute import NotebookResult

FILE = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    """One run's record. ``status`` is ``ok`` or ``failed``."""

    run_id: str
    status: str
    started: str
    finished: str
    seconds: float
    commit: str | None
    dirty: bool | None
    parameters: dict[str, Any]
    with_code: bool
    notebooks: dict[str, dict[str, Any]]
    inputs: dict[str, dict[str, Any]]
    fingerprint: str
    versions: dict[str, str]
    runner: dict[str, Any]
    metrics: dict[str, Any] | None = None
    screenshots: list[str] = field(default_factory=list)
    editions: list[dict[str, str]] = field(default_factory=list)
    #: Open exports (datapackage.json, claims.jsonld) and source pages -> sha256, bytes.
    exports: dict[str, dict[str, Any]] = field(default_factory=dict)
    source_pages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """As written to ``manifest.json`` (``metrics`` only when metrics were written)."""
        out = asdict(self)
        if out["metrics"] is None:
            del out["metrics"]
        return out

    def write(self, folder: Path) -> Path:
        """Write ``folder/manifest.json`` atomically; return its path."""
        path = Path(folder) / FILE
        atomic_write_text(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return path


def notebook_entry(result: NotebookResult) -> dict[str, Any]:
    """A notebook's line in the manifest."""
    entry: dict[str, Any] = {"status": result.status, "seconds": round(result.seconds, 3),
                             "execute_seconds": round(result.execute_seconds, 3),
                             "export_seconds": round(result.export_seconds, 3),
                             "ipynb": f"{result.name}.ipynb"}
    if result.status == "ok":
        entry["html"] = f"{result.name}.html"
    if result.error:
        entry["error"] = result.error
        entry["cell_index"] = result.cell_index
    return entry


def build_manifest(*, run_id: str, started: str, finished: str, seconds: float,
                   git: Mapping[str, Any], parameters: Mapping[str, Any], with_code: bool,
                   results: Sequence[NotebookResult], inputs: Mapping[str, Mapping[str, Any]],
                   fingerprint: str, versions: Mapping[str, str], runner: Mapping[str, Any],
                   metrics_rows: int | None = None, screenshots: Sequence[str] = (),
                   editions: Sequence[Mapping[str, str]] = (),
                   exports: Mapping[str, Mapping[str, Any]] | None = None,
                   source_pages: Mapping[str, Mapping[str, Any]] | None = None) -> Manifest:
    """The run's manifest from what the runner measured; no input or output happens here.

    Args:
        run_id, started, finished, seconds: The run and its UTC times.
        git: ``{"commit": ..., "dirty": ...}`` (``fingerprint.git_commit``).
        parameters, with_code: What the notebooks ran with.
        results: Each notebook's outcome; any failure makes the run ``failed``.
        inputs: Relative path -> ``{"sha256", "bytes"}`` of every file read.
        fingerprint, versions, runner: Change detection and how the run executed.
        metrics_rows: Rows of ``metrics.csv`` when it was written.
        screenshots: Paths of the screenshots, relative to the run folder.
        editions: Links to the other editions: ``{"label", "lang", "href"}``.
        exports, source_pages: What ``exports.write_exports`` wrote, path -> checksum.
    """
    return Manifest(
        run_id=run_id,
        status="ok" if all(r.status == "ok" for r in results) else "failed",
        started=started, finished=finished, seconds=round(seconds, 3),
        commit=git.get("commit"), dirty=git.get("dirty"),
        parameters=dict(parameters), with_code=with_code,
        notebooks={r.name: notebook_entry(r) for r in results},
        inputs={k: dict(v) for k, v in inputs.items()},
        fingerprint=fingerprint, versions=dict(versions), runner=dict(runner),
        metrics=None if metrics_rows is None else {"file": "metrics.csv", "rows": metrics_rows},
        screenshots=list(screenshots), editions=[dict(e) for e in editions],
        exports={k: dict(v) for k, v in (exports or {}).items()},
        source_pages={k: dict(v) for k, v in (source_pages or {}).items()},
    )


def read_manifest(report_dir: Path) -> dict[str, Any] | None:
    """A published run's manifest, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((Path(report_dir) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
