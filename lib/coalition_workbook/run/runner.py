"""The report runner: ``workbook run`` (and ``make report``), in this order.

1. **Parameters** (``params``): spec defaults < ``--parameters FILE.yaml`` <
   ``-p NAME VALUE``, checked before anything runs (``ParameterError``, exit 2).
2. **Lock** (``publish``): the reports folder's ``.lock`` is held for the whole
   run (``RunLockedError``, exit 3); leftovers of a killed run are cleaned up.
3. **No-op** (``fingerprint``): same inputs, parameters, notebooks, code and
   versions as the published run: nothing is executed.
4. **Data** are validated (``dataset.load_dataset``, exit 2 when broken) while
   the workers' kernels start (``kernels``).
5. **Execute** (``execute``): papermill, two notebooks at a time, into
   ``.staging/<run-id>/``; the main thread renders each one's HTML.
6. **Record**: ``metrics.csv``, ``index.html``, optional screenshots of the
   staged pages, then ``run.html`` and ``manifest.json`` (``manifest.build_manifest``)
   from the same finished record.
7. **Publish** (``publish``): ``latest`` is swapped to the complete run in one
   atomic step; the previous run moves to ``history/``.

A failing notebook or export leaves ``latest`` untouched; the run moves to
``failed/<run-id>/`` and ``NotebookRunError`` (exit 1) names notebook and cell.
``--reports DIR`` gives a run its own folder (own ``latest/``, ``runs/``,
``history/``, ``failed/`` and lock), so an edition (``-p lang ar``) lives beside
the default one. Heavy modules are imported only when needed, so a no-op rerun
finishes well under a second.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from ..data import config
from ..data.errors import NotebookRunError
from .execute import CELL_TIMEOUT_S, WORKERS, NotebookResult, Progress, execute_all
from .fingerprint import (
    fingerprint,
    git_commit,
    package_versions,
    page_templates,
    rel,
    sha256_file,
)
from .kernels import KERNEL, Workers
from .manifest import Manifest, build_manifest, read_manifest
from .params import NOTEBOOKS, check_parameters, notebook_path, select_notebooks
from .publish import Layout, fail, new_run_id, publish, recover, run_lock

RUNNER = {"kernel": KERNEL, "workers": WORKERS, "cell_timeout_s": CELL_TIMEOUT_S,
          "kernel_reused_per_worker": True}


@dataclass(frozen=True)
class Edition:
    """A link from this run's ``index.html`` to another edition's."""

    label: str
    href: str
    lang: str = ""


@dataclass
class RunOutcome:
    """What ``run`` did: ``published``, ``skipped`` (up to date)."""

    status: str
    run_id: str
    report_dir: Path
    seconds: float
    manifest: dict[str, Any] | None = None
    results: list[NotebookResult] = field(default_factory=list)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class _Run:
    """One run's fixed settings, passed from ``run`` to ``_run_locked``."""

    layout: Layout
    params: dict[str, Any]
    names: list[str]
    fingerprint: str
    with_code: bool
    screenshots: bool
    editions: tuple[Edition, ...]


def run_fingerprint(params: Mapping[str, Any], names: Sequence[str] = NOTEBOOKS, *,
                    with_code: bool = False, screenshots: bool = False,
                    editions: Sequence[Edition] = ()) -> str:
    """The fingerprint of a run: its inputs and code plus everything else it publishes."""
    return fingerprint(params, names, with_code=with_code, extra={
        "kernel": KERNEL, "screenshots": screenshots, "editions": [e.__dict__ for e in editions]})


def run(params: Mapping[str, Any] | None = None, *, notebooks: Sequence[str] = NOTEBOOKS,
        reports: str | Path | None = None, wait: float = 0.0, with_code: bool = False,
        force: bool = False, screenshots: bool = False, editions: Sequence[Edition] = (),
        log: Callable[[str], None] | None = None, progress_stream: TextIO | None = None,
        tty: bool | None = None) -> RunOutcome:
    """Check, execute, render and publish the reports (see the module docstring).

    Args:
        params: Notebook parameters; checked against ``params.SPEC`` (defaults filled in).
        notebooks: Which notebooks to run, in ``NOTEBOOKS`` order.
        reports: The reports folder (default ``reports/``; relative to the project root).
        wait: Seconds to wait for another run's lock (0: refuse at once).
        with_code: Keep code cells in the HTML.
        force: Run even if the published report is up to date.
        screenshots: Open each staged page in Chromium and keep PNGs in the run.
        editions: Other editions for ``index.html`` to link to.
        log: Where one-line messages go (default: stdout).
        progress_stream, tty: Where progress goes and whether it is a terminal.

    Raises:
        ParameterError: Bad parameter or notebook parameters cell (exit 2).
        TableValidationError: The curated data are broken (exit 2).
        RunLockedError: Another run holds the lock (exit 3).
        NotebookRunError: A notebook or its export failed (exit 1).
    """
    say = log or (lambda m: print(m, flush=True))
    params = check_parameters(dict(params or {}))
    names = select_notebooks(notebooks)
    layout = Layout(config.resolve(reports) if reports else config.ROOT / "reports")
    with run_lock(layout, wait):
        t0 = time.monotonic()  # time spent waiting for the lock is not the run's
        started = _now()
        for line in recover(layout):
            say(f"recovered: {line}")
        fp = run_fingerprint(params, names, with_code=with_code, screenshots=screenshots,
                             editions=editions)
        latest = read_manifest(layout.latest)
        if not force and latest and latest.get("fingerprint") == fp \
                and latest.get("status") == "ok":
            say(f"up to date: {rel(layout.latest)} (run {latest.get('run_id')}) has the same "
                "inputs, parameters, notebooks and code; nothing to do")
            return RunOutcome("skipped", str(latest.get("run_id")), layout.latest,
                              time.monotonic() - t0, latest)
        spec = _Run(layout, params, names, fp, with_code, screenshots, tuple(editions))
        return _run_locked(spec, started=started, t0=t0, say=say,
                           progress_stream=progress_stream, tty=tty)


def _run_locked(spec: _Run, *, started: str, t0: float, say: Callable[[str], None],
                progress_stream: TextIO | None, tty: bool | None) -> RunOutcome:
    layout, params, names = spec.layout, spec.params, spec.names
    run_id = new_run_id()
    # The kernels start first, the run's longest path: their start-up overlaps this
    # process importing pandas and checking the data.
    pool = Workers(min(WORKERS, len(names)))
    try:
        from ..data.dataset import load_dataset
        from ..figures import metrics
        from ..pages.frame import page_info

        ds = load_dataset(config.resolve(params["figures_path"]))  # TableValidationError: exit 2
        git = git_commit(config.ROOT)
        info = page_info(params, date=started, commit=git.get("commit"),
                         editions=[e.__dict__ for e in spec.editions])
        staged = layout.staging / run_id
        staged.mkdir(parents=True)
        progress = Progress(names, stream=progress_stream, tty=tty)
        progress.log(f"run {run_id}: {_plural(len(names), 'notebook')}, {WORKERS} at a time, "
                     "parameters " + ", ".join(f"{k}={v!r}" for k, v in params.items()))
    except BaseException:  # (a broken stream too) the kernels are not left waiting
        pool.cancel()
        raise
    try:
        results = execute_all(names, staged, params, with_code=spec.with_code, workers=pool,
                              progress=progress, page=info)
    finally:
        progress.close()
    ok = all(r.status == "ok" for r in results)
    rows = None
    exported: dict[str, Any] = {}
    if ok:
        table = metrics.compute_metrics(ds, bounds=params["bounds"])
        metrics.write_metrics(table, str(staged / "metrics.csv"))
        rows = len(table)
        from .exports import write_exports  # source pages, datapackage.json, claims.jsonld

        exported = write_exports(staged, ds, table, lang=params["lang"], info=info)
    files = [*ds.input_files(), *(notebook_path(n) for n in names), *page_templates()]
    manifest = build_manifest(
        run_id=run_id, started=started, finished=_now(), seconds=time.monotonic() - t0,
        git=git, parameters=params, with_code=spec.with_code,
        results=results, fingerprint=spec.fingerprint, versions=package_versions(),
        inputs={rel(f): {"sha256": sha256_file(f), "bytes": f.stat().st_size} for f in files},
        runner=RUNNER, metrics_rows=rows, editions=[e.__dict__ for e in spec.editions],
        exports=exported.get("exports", {}), source_pages=exported.get("source_pages", {}))
    if not ok:
        manifest.write(staged)
        where = fail(layout, staged, run_id)
        failures = [r for r in results if r.status != "ok"]
        lines = [r.describe_failure(where) for r in failures]
        lines.append(f"{rel(layout.latest)} left unchanged; this run is in {rel(where)}")
        raise NotebookRunError("\n".join(lines), notebook=failures[0].name,
                               cell_index=failures[0].cell_index, results=results)
    manifest = _record(staged, manifest, info, screenshots=spec.screenshots, t0=t0)
    final = publish(layout, staged, run_id)
    seconds = time.monotonic() - t0
    shots = f", {_plural(len(manifest.screenshots), 'screenshot')}" if manifest.screenshots \
        else ""
    say(f"published {rel(layout.latest)} -> {rel(final)}: {_plural(len(results), 'notebook')}, "
        f"metrics.csv, manifest.json, index.html{shots} in {seconds:.1f} s")
    return RunOutcome("published", run_id, layout.latest, seconds, manifest.to_dict(), results)


def _record(staged: Path, manifest: Manifest, info: Any, *, screenshots: bool,
            t0: float) -> Manifest:
    """Write ``index.html``, the screenshots (if asked), ``run.html`` and ``manifest.json``.

    The screenshots are taken of the staged pages, before the publish, so a
    published run lists exactly the PNGs it holds. ``run.html`` and ``manifest.json``
    are written last, from the same finished manifest, so the run record a reader
    sees says what the manifest says.
    """
    from ..pages.landing import write_index
    from ..pages.record import write_run_record

    write_index(staged, manifest.to_dict(), info)
    shots: list[str] = []
    if screenshots:
        from . import browser

        shots = [p.relative_to(staged).as_posix()
                 for p, _ in browser.screenshot_reports(staged)]
    done = replace(manifest, screenshots=shots, finished=_now(),
                   seconds=round(time.monotonic() - t0, 3))
    write_run_record(staged, done.to_dict(), info)
    done.write(staged)
    return done
