"""Where a run's output goes under a reports folder, and how it gets there safely.

``Layout`` names the folders of one reports folder (``reports/`` by default,
any ``--reports DIR`` otherwise): ``latest`` (a symlink to the published run),
``runs/``, ``history/``, ``failed/``, ``.staging/`` and the ``.lock`` file.
``run_lock`` serialises runs on one folder; ``publish`` swaps ``latest`` to a
complete staged run in one atomic step; ``recover`` finishes or undoes what a
killed run left behind; ``fail`` keeps a failed run for inspection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..data.errors import RunLockedError
from .fingerprint import rel

KEEP_HISTORY = 5
_FOLDERS = {"latest": "latest", "runs": "runs", "history": "history", "failed": "failed",
            "staging": ".staging", "lock": ".lock"}


@dataclass(frozen=True)
class Layout:
    """The folders and files of one reports folder (see the module docstring)."""

    reports: Path
    latest: Path = field(init=False)
    runs: Path = field(init=False)
    history: Path = field(init=False)
    failed: Path = field(init=False)
    staging: Path = field(init=False)
    lock: Path = field(init=False)

    def __post_init__(self) -> None:
        for name, sub in _FOLDERS.items():
            object.__setattr__(self, name, self.reports / sub)

    def latest_target(self) -> Path | None:
        """The run folder ``latest`` points to, if it is a symlink to one."""
        if self.latest.is_symlink():
            return (self.latest.parent / os.readlink(self.latest)).resolve()
        return None


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus process id."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")[:-4] + f"-{os.getpid()}"


@contextlib.contextmanager
def run_lock(layout: Layout, wait: float = 0.0) -> Iterator[Path]:
    """Hold the folder's ``.lock`` for a run; wait up to ``wait`` seconds for another run.

    Raises:
        RunLockedError: If another run still holds the lock after ``wait`` seconds.
    """
    layout.reports.mkdir(parents=True, exist_ok=True)
    fh = open(layout.lock, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    deadline = time.monotonic() + max(0.0, wait)
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    waited = f" after waiting {wait:g} s" if wait > 0 else ""
                    raise RunLockedError(
                        f"another workbook run (pid {holder}) holds {rel(layout.lock)}{waited}; "
                        "try again when it ends, or pass --wait SECONDS") from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield layout.lock
    finally:
        fh.close()  # closing releases the flock


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _move_to_history(layout: Layout, run_dir: Path) -> None:
    layout.history.mkdir(parents=True, exist_ok=True)
    dest = layout.history / run_dir.name
    if dest.exists():
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        os.rename(run_dir, dest)


def _prune_history(layout: Layout, keep: int = KEEP_HISTORY) -> None:
    if not layout.history.is_dir():
        return
    old = sorted((p for p in layout.history.iterdir() if p.is_dir()), key=lambda p: p.name)
    for p in old[:-keep] if keep else old:
        shutil.rmtree(p, ignore_errors=True)


def recover(layout: Layout) -> list[str]:
    """Clean up after a run that was killed; return what was done, one line each.

    Under the lock no other run is active, so: temporary symlinks and staging
    folders are leftovers; a run folder that ``latest`` does not point to was
    superseded (moved to ``history/``); a ``latest`` that is a plain folder
    (written by an older version) becomes a run folder behind the symlink.
    Other editions' folders inside this one (``reports/ar/``) are not touched.
    """
    done: list[str] = []
    if not layout.reports.is_dir():
        return done
    for tmp in layout.reports.glob(".latest.tmp-*"):
        tmp.unlink(missing_ok=True)
        done.append(f"removed unfinished publish {tmp.name}")
    if layout.staging.is_dir():
        for d in layout.staging.iterdir():
            shutil.rmtree(d, ignore_errors=True)
            done.append(f"removed unfinished run {d.name}")
    if layout.latest.is_dir() and not layout.latest.is_symlink():
        layout.runs.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.fromtimestamp(layout.latest.stat().st_mtime, dt.UTC)
        name = "legacy-" + stamp.strftime("%Y%m%dT%H%M%SZ")
        os.rename(layout.latest, layout.runs / name)
        os.symlink(os.path.join("runs", name), layout.latest)
        done.append(f"moved the plain latest/ folder to runs/{name}")
    current = layout.latest_target()
    if layout.runs.is_dir():
        for d in layout.runs.iterdir():
            if d.is_dir() and d.resolve() != current:
                _move_to_history(layout, d)
                done.append(f"moved superseded run {d.name} to history/")
    return done


def publish(layout: Layout, staged: Path, run_id: str) -> Path:
    """Make a complete staged report ``latest`` in one atomic step.

    The staged folder becomes ``runs/<run-id>``; a new symlink is created beside
    ``latest`` and renamed over it (``os.replace`` is atomic), then the
    previous run moves to ``history/``. Killed at any point, ``latest`` is the
    old or the new report and ``recover`` finishes the job.
    """
    layout.runs.mkdir(parents=True, exist_ok=True)
    final = layout.runs / run_id
    os.rename(staged, final)
    _fsync_dir(layout.runs)
    previous = layout.latest_target()
    tmp = layout.reports / f".latest.tmp-{run_id}"
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.join("runs", run_id), tmp)
    os.replace(tmp, layout.latest)
    _fsync_dir(layout.reports)
    if previous is not None and previous.is_dir() and previous != final.resolve():
        _move_to_history(layout, previous)
    _prune_history(layout)
    return final


def fail(layout: Layout, staged: Path, run_id: str) -> Path:
    """Keep a failed run's staging folder as ``failed/<run-id>``; ``latest`` is untouched."""
    layout.failed.mkdir(parents=True, exist_ok=True)
    where = layout.failed / run_id
    os.rename(staged, where)
    return where
