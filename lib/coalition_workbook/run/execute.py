"""Execute notebooks with papermill, two at a time, and render each one's HTML.

``execute_one`` runs one notebook into a folder on a worker's kernel with
``papermill.execute_notebook`` (its stock engine) and says how it went
(``NotebookResult``): the failing cell comes from papermill's
``PapermillExecutionError`` (``cell_index``, ``exec_count``, ``source``), or,
when the kernel died or timed out and papermill raised something else, from the
cell metadata of the output notebook papermill saved (``failed_cell``).
``execute_all`` feeds the workers and renders each executed notebook in the main
thread while its worker goes on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from ..data import config
from ..data.errors import WorkbookError
from ..pages.frame import PageInfo
from .fingerprint import rel
from .kernels import KERNEL, KERNEL_ARGS, KERNEL_START_TIMEOUT_S, WorkerKernel, Workers
from .params import notebook_path

WORKERS = 2
CELL_TIMEOUT_S = 300

Status = Literal["pending", "ok", "failed", "export_failed"]


class Progress:
    """Per-notebook progress: a live status line on a terminal, plain log lines otherwise."""

    def __init__(self, names: Sequence[str], stream: TextIO | None = None,
                 tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.names = list(names)
        self.running: list[str] = []
        self.done = 0
        self.lock = threading.Lock()

    def log(self, message: str) -> None:
        with self.lock:
            if self.tty:
                self.stream.write(f"\r\033[K{message}\n")
                self._status()
            else:
                stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                self.stream.write(f"{stamp} workbook: {message}\n")
            self.stream.flush()

    def _status(self) -> None:
        if self.running:
            self.stream.write(f"[{self.done}/{len(self.names)}] running: "
                              f"{', '.join(self.running)} …")

    def start(self, name: str) -> None:
        with self.lock:
            self.running.append(name)
        if self.tty:
            with self.lock:
                self.stream.write("\r\033[K")
                self._status()
                self.stream.flush()
        else:
            self.log(f"{name}: started")

    def finish(self, name: str, status: str, seconds: float) -> None:
        with self.lock:
            if name in self.running:
                self.running.remove(name)
            self.done += 1
        mark = ("✓ " if status == "ok" else "✗ ") if self.tty else ""
        self.log(f"{mark}{name}: {status} ({seconds:.1f} s)")

    def close(self) -> None:
        if self.tty:
            with self.lock:
                self.stream.write("\r\033[K")
                self.stream.flush()


@dataclass
class NotebookResult:
    """How one notebook's execution and export went."""

    name: str
    status: Status = "pending"
    execute_seconds: float = 0.0
    export_seconds: float = 0.0
    cell_index: int | None = None
    exec_count: int | None = None
    cell_source: str = ""
    error: str = ""
    files: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.execute_seconds + self.export_seconds

    def describe_failure(self, where: Path) -> str:
        if self.status == "export_failed":
            return f"notebook {self.name}: HTML export failed: {self.error}"
        cell = "a cell" if self.cell_index is None else f"cell {self.cell_index}"
        if self.exec_count is not None:
            cell += f" (execution count {self.exec_count})"
        src = f" `{self.cell_source}`" if self.cell_source else ""
        executed = where / f"{self.name}.ipynb"
        kept = (f"executed notebook: {rel(executed)}" if executed.exists()
                else "no executed notebook was saved")
        return f"notebook {self.name} failed in {cell}{src}: {self.error} ({kept})"


def failed_cell(nb_path: Path) -> tuple[int | None, int | None, str]:
    """Index, execution count and first source line of the cell a run stopped in.

    Read from the output notebook papermill saved (``request_save_on_cell_execute``),
    through the metadata papermill keeps for each cell (``metadata.papermill``). A
    cell with status ``failed`` (or an ``exception``) raised an error. Otherwise (a
    dead kernel, a timeout) the interrupted cell is the last one with a
    ``start_time``: papermill sets it when a cell starts, and cells after the one
    execution stopped in never get one (papermill's final save marks them
    ``completed`` all the same, so the status cannot tell). This is asked only of a run
    that stopped with an error, and the kernel is idle between cells, so the last cell
    started is the one it stopped in, the last cell of all included. When nothing was
    saved or no cell started, no cell is named (``(None, None, "")``).
    """
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None, ""
    cells = nb.get("cells", [])

    def where(i: int) -> tuple[int, int | None, str]:
        return i, cells[i].get("execution_count"), first_line(cells[i].get("source", ""))

    meta = [c.get("metadata", {}).get("papermill", {}) for c in cells]
    for i, pm in enumerate(meta):
        if pm.get("status") == "failed" or pm.get("exception"):
            return where(i)
    started = [i for i, pm in enumerate(meta) if pm.get("start_time")]
    if started:
        return where(started[-1])
    return None, None, ""


def first_line(source: str | list[str]) -> str:
    """A cell's first source line, shortened to 80 characters."""
    text = "".join(source) if isinstance(source, list) else source
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 80 else line[:77] + "..."


def execute_one(name: str, out_dir: Path, params: Mapping[str, Any], *,
                kernel: WorkerKernel | None = None) -> NotebookResult:
    """Execute ``notebooks/<name>.ipynb`` into ``out_dir`` with papermill."""
    import nbformat
    import papermill as pm

    result = NotebookResult(name)
    src, dst = notebook_path(name), out_dir / f"{name}.ipynb"
    t0 = time.monotonic()
    try:
        how: dict[str, Any] = ({"km": kernel.get()} if kernel
                               else {"extra_arguments": KERNEL_ARGS})
        pm.execute_notebook(
            str(src), str(dst), parameters=dict(params), kernel_name=KERNEL,
            cwd=None, progress_bar=False, log_output=False,
            execution_timeout=CELL_TIMEOUT_S, start_timeout=KERNEL_START_TIMEOUT_S,
            # papermill saves the notebook as each cell starts and ends: when the kernel
            # dies or a cell times out, that saved notebook names the cell (failed_cell)
            request_save_on_cell_execute=True, **how)
        recorded = False
        with contextlib.suppress(Exception):  # the exit code can lie: trust the notebook
            recorded = bool(nbformat.read(dst, as_version=4).metadata.get(
                "papermill", {}).get("exception"))
        result.status = "failed" if recorded else "ok"
        if recorded:
            result.error = "papermill recorded an exception"
            result.cell_index, result.exec_count, result.cell_source = failed_cell(dst)
    except pm.PapermillExecutionError as exc:
        result.status = "failed"
        result.error = f"{exc.ename}: {exc.evalue}"
        result.cell_index, result.exec_count = exc.cell_index, exc.exec_count
        result.cell_source = first_line(exc.source or "")
    except Exception as exc:  # dead kernel, timeout, unreadable notebook: all are failures
        result.status = "failed"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        result.error = f"{type(exc).__name__}: {reason}".rstrip(": ")
        result.cell_index, result.exec_count, result.cell_source = failed_cell(dst)
    result.execute_seconds = time.monotonic() - t0
    if result.status == "failed" and kernel:
        kernel.discard()
    return result


def export_one(result: NotebookResult, out_dir: Path, page: PageInfo, *, with_code: bool
               ) -> None:
    """Render an executed notebook's HTML (if it ran); ``export_failed`` if that fails."""
    if result.status != "ok":
        return
    from ..pages.html_export import export_notebook

    t1 = time.monotonic()
    try:
        export_notebook(out_dir / f"{result.name}.ipynb", out_dir / f"{result.name}.html",
                        info=page, include_input=with_code)
    except WorkbookError as exc:
        result.status, result.error = "export_failed", str(exc)
    result.export_seconds = time.monotonic() - t1


def execute_all(names: Sequence[str], out_dir: Path, params: Mapping[str, Any], *,
                with_code: bool = False, workers: int | Workers = WORKERS,
                progress: Progress | None = None, page: PageInfo | None = None
                ) -> list[NotebookResult]:
    """Execute notebooks, ``workers`` at a time, and export each to HTML with the footer
    ``page`` (none without it); results in ``names`` order.

    ``workers`` is a number of threads, or ``Workers`` already started (their
    kernels warming up); either way they are shut down when this returns.
    """
    import logging

    pool = workers if isinstance(workers, Workers) else Workers(min(workers, len(names)))
    try:
        import papermill  # noqa: F401 - import once here, not in two threads at once

        logging.getLogger("papermill").setLevel(logging.WARNING)
        out_dir.mkdir(parents=True, exist_ok=True)
    except BaseException:
        pool.cancel()
        raise

    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for n in names:
        todo.put(n)
    executed: queue.SimpleQueue[NotebookResult] = queue.SimpleQueue()
    results: dict[str, NotebookResult] = {}

    def job(kernel: WorkerKernel) -> None:
        while True:
            try:
                name = todo.get_nowait()
            except queue.Empty:
                return
            if progress:
                progress.start(name)
            try:
                result = execute_one(name, out_dir, params, kernel=kernel)
            except Exception as exc:  # never lose a notebook's outcome to a runner bug
                result = NotebookResult(name, status="failed",
                                        error=f"{type(exc).__name__}: {exc}")
            executed.put(result)

    # Kernels start in the project root. papermill's own ``cwd=`` would chdir the whole
    # process from each thread in turn (a race), so change it once, before any notebook.
    here = os.getcwd()
    os.chdir(config.ROOT)
    try:
        pool.begin(job)
        # This thread renders each notebook's HTML as soon as it is executed, while
        # its worker goes on with its next notebook.
        while len(results) < len(names):
            try:
                result = executed.get(timeout=0.2)
            except queue.Empty:
                if any(t.is_alive() for t in pool.threads) or not executed.empty():
                    continue
                break
            if page is not None:
                export_one(result, out_dir, page, with_code=with_code)
            results[result.name] = result
            if progress:
                progress.finish(result.name, result.status, result.seconds)
        pool.join()
    except KeyboardInterrupt:
        # Worker threads cannot be interrupted; leave now. Kernels exit with
        # their parent; the next run removes the staging folder (recover()).
        sys.stderr.write("\ninterrupted; the next run cleans up\n")
        sys.stderr.flush()
        os._exit(130)
    finally:
        os.chdir(here)
    return [results.get(n) or NotebookResult(n, status="failed", error="no result (runner bug)")
            for n in names]
