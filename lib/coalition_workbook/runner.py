"""The report runner: check parameters, execute notebooks, publish atomically.

``run()`` is what ``workbook run`` (and ``make report``) does, in this order:

1. **Parameters** are merged (spec defaults < ``--parameters FILE.yaml`` <
   ``-p NAME VALUE``) and checked against ``SPEC`` before anything runs: an
   unknown name, a wrong type, a value outside the allowed ones or a
   ``figures_path`` that does not exist raises ``ParameterError`` (exit 2).
   ``-p`` values are typed as papermill types them (``guess_type``); YAML
   values are typed already. Each notebook's ``parameters`` cell must declare
   exactly ``SPEC`` with its defaults.
2. **Lock**: ``reports/.lock`` is held (``fcntl.flock``) for the whole run; a
   second run waits up to ``wait`` seconds, then refuses (``RunLockedError``,
   exit 3). Leftovers of a killed run are cleaned up first (``recover``).
3. **No-op**: if the fingerprint (inputs, parameters, notebooks, library
   source) equals the published manifest's, nothing is executed.
4. **Data** are validated (``dataset.load_dataset``; exit 2 when broken) while
   the workers' kernels start (``Workers``; shut down if the data are broken).
5. **Execute** every notebook with papermill (kernel ``python3``, working
   directory the project root, a per-cell timeout), two at a time, into
   ``reports/.staging/<run-id>/``; the main thread renders each to HTML as soon
   as it ends while its worker goes on. Each worker keeps its kernel for its
   next notebook, reset in between (``WorkerKernel``), so start-up and imports
   are paid once per worker.
6. **Metrics and manifest**: ``metrics.csv``, ``manifest.json`` (times, git
   commit, parameters, sha256 of every input, per-notebook status and seconds,
   package versions, fingerprint) and ``index.html``.
7. **Publish**: the staging folder becomes ``reports/runs/<run-id>/`` and the
   symlink ``reports/latest`` is replaced by ``os.replace`` of a new symlink,
   which is atomic: ``reports/latest/`` is always the old or the new complete
   report, whatever kills the run. The previous run moves to ``reports/history/``.

A failing notebook (an error in a cell, a dead kernel, a timeout) or a failed
export leaves ``reports/latest`` untouched; the staging folder, with the
executed notebook and its error, moves to ``reports/failed/<run-id>/`` and
``NotebookRunError`` (exit 1) names the notebook and cell.

Heavy modules (pandas, papermill, nbconvert, altair) are imported only when
needed, so a no-op rerun finishes well under a second.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import config
from .errors import NotebookRunError, ParameterError, RunLockedError, WorkbookError

NOTEBOOKS = ("trainees", "aid", "coalition", "summary")
#: Same values as ``labels.LANGS`` and ``metrics.BOUNDS`` (a test checks); repeated here
#: so checking parameters does not import pandas.
LANGS = ("en", "ar")
BOUNDS = ("as_lower_bound", "exclude")
KERNEL = "python3"
WORKERS = 2
CELL_TIMEOUT_S = 300
KERNEL_START_TIMEOUT_S = 60
KEEP_HISTORY = 5
#: Kernels log start-up warnings and their shutdown interrupt to stderr, which would
#: fill scheduler logs with noise; cell errors still reach the notebook and the runner.
#: No command history: a reused kernel restarts its execution count, which IPython's
#: history database would report (in the report!) as a clash; reports need no history.
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
PACKAGES = ("coalition-workbook", "papermill", "nbclient", "nbconvert", "nbformat",
            "ipykernel", "jupyter_client", "altair", "vl-convert-python", "pandas", "pandera",
            "numpy", "pyyaml")


# --------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Param:
    """One declared notebook parameter.

    Attributes:
        name: As assigned in each notebook's ``parameters`` cell.
        type: The Python type the value must have (``bool`` is not an ``int``).
        default: The notebooks' default (the standard report).
        choices: Allowed values, if the parameter is an enumeration.
        minimum, maximum: Allowed range for numbers, inclusive.
        existing_file: The value is a path (relative to the project root) that must exist.
        help: One line for ``workbook run --help``.
    """

    name: str
    type: type
    default: Any
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    existing_file: bool = False
    help: str = ""

    def describe(self) -> str:
        """The allowed values in words, for messages and help."""
        if self.choices:
            return "one of " + ", ".join(str(c) for c in self.choices)
        if self.minimum is not None or self.maximum is not None:
            return f"an {self.type.__name__} from {self.minimum} to {self.maximum}"
        if self.existing_file:
            return "an existing file (absolute, or relative to the project root)"
        return f"a {self.type.__name__}"

    def check(self, value: Any) -> Any:
        """Return ``value`` if it is allowed, else raise ParameterError naming the parameter."""
        if not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            raise _param_error(self.name, f"must be {self.describe()}; got "
                               f"{type(value).__name__} {value!r}")
        if self.choices is not None and value not in self.choices:
            raise _param_error(self.name, f"{value!r} is not allowed; use {self.describe()}")
        if (self.minimum is not None and value < self.minimum) or \
                (self.maximum is not None and value > self.maximum):
            raise _param_error(self.name, f"{value!r} is out of range; use {self.describe()}")
        if self.existing_file and not config.resolve(value).is_file():
            path = config.resolve(value)
            what = "is a folder, not a file" if path.is_dir() else "no such file"
            raise _param_error(self.name, f"{what}: {path}")
        return value


def _param_error(name: str, reason: str) -> ParameterError:
    err = ParameterError(f"parameter {name}: {reason}")
    err.parameter = name  # type: ignore[attr-defined]
    return err


SPEC: dict[str, Param] = {p.name: p for p in (
    Param("lang", str, "en", choices=LANGS, help="language of headings and labels"),
    Param("bounds", str, "as_lower_bound", choices=BOUNDS,
          help="how 'more than' figures enter totals"),
    Param("figures_path", str, "data/figures.csv", existing_file=True,
          help="the curated figures table"),
    Param("decimals", int, 1, minimum=0, maximum=6, help="digits shown for shares"),
)}


def defaults() -> dict[str, Any]:
    """The standard report's parameters."""
    return {name: p.default for name, p in SPEC.items()}


def guess_type(text: str) -> Any:
    """Type a ``-p NAME VALUE`` string the way papermill's CLI does.

    Examples:
        >>> [guess_type(s) for s in ("1", "1.5", "True", "None", "ar")]
        [1, 1.5, True, None, 'ar']
    """
    if text == "True":
        return True
    if text == "False":
        return False
    if text == "None":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def load_parameters_file(path: str | Path) -> dict[str, Any]:
    """Parameters from a YAML mapping (values keep their YAML types).

    Raises:
        ParameterError: If the file is missing, not YAML, or not a mapping of names.
    """
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ParameterError(f"cannot read parameters file: {exc.strerror}",
                             file=str(p)) from exc
    except UnicodeDecodeError as exc:
        raise ParameterError(f"parameters file is not UTF-8 (byte 0x{exc.object[exc.start]:02x} "
                             f"at offset {exc.start})", file=str(p)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"not valid YAML{where}: {problem}", file=str(p)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ParameterError(f"{p}: parameters file must be a mapping of NAME: VALUE")
    return data


def check_parameters(given: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults overridden by ``given``, every value checked against ``SPEC``.

    Raises:
        ParameterError: The first unknown name, wrong type or bad value, naming
            the parameter (``.parameter`` holds the name).
    """
    for name in given:
        if name not in SPEC:
            raise _param_error(name, f"unknown parameter; known: {', '.join(SPEC)}")
    params = defaults()
    params.update(given)
    for name, p in SPEC.items():
        p.check(params[name])
    return params


def notebook_parameters(nb_path: Path) -> dict[str, Any]:
    """The names and literal defaults of a notebook's ``parameters`` cell.

    Raises:
        ParameterError: If there is no such cell, or it holds anything but
            ``name = literal`` lines.
    """
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
                "tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) \
                else cell["source"]
            out: dict[str, Any] = {}
            for node in ast.parse(source).body:
                if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                        and isinstance(node.targets[0], ast.Name)):
                    raise ParameterError(f"{nb_path}: parameters cell must hold only "
                                         f"'name = literal' lines (line {node.lineno})")
                try:
                    out[node.targets[0].id] = ast.literal_eval(node.value)
                except ValueError as exc:
                    raise ParameterError(f"{nb_path}: parameter {node.targets[0].id} has a "
                                         f"non-literal default (line {node.lineno})") from exc
            return out
    raise ParameterError(f"{nb_path}: no code cell tagged 'parameters'")


def check_notebook(nb_path: Path) -> None:
    """Check that a notebook's ``parameters`` cell declares exactly ``SPEC`` and its defaults.

    Raises:
        ParameterError: Naming the notebook and the parameters that differ.
    """
    declared = notebook_parameters(nb_path)
    missing = [n for n in SPEC if n not in declared]
    extra = [n for n in declared if n not in SPEC]
    if missing or extra:
        raise ParameterError(f"{nb_path}: parameters cell differs from the runner's spec "
                             f"(missing: {', '.join(missing) or '-'}; "
                             f"not in spec: {', '.join(extra) or '-'})")
    for name, value in declared.items():
        if value != SPEC[name].default or type(value) is not SPEC[name].type:
            raise ParameterError(f"{nb_path}: parameter {name} defaults to {value!r}, "
                                 f"the spec to {SPEC[name].default!r}")


def notebook_path(name: str) -> Path:
    """``notebooks/<name>.ipynb`` under the project root."""
    return config.ROOT / "notebooks" / f"{name}.ipynb"


# --------------------------------------------------------------------------- files

def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _rel(path: Path) -> str:
    """A path relative to the project root when inside it, else absolute."""
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(config.ROOT))
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def fingerprint_inputs(figures_path: str | Path) -> list[Path]:
    """Every data file a run may read, found without parsing any table.

    The figures table, the forces and relations tables beside it (else the
    project's), and every file of its ``sources/`` folder (else the project's).
    A superset of ``Dataset.input_files()``, so any data change is seen.
    """
    figures = config.resolve(figures_path)
    files = [figures]
    for name in ("forces.csv", "relations.csv"):
        local = figures.parent / name
        files.append(local if local.exists() else config.DATA_DIR / name)
    sources = figures.parent / "sources"
    sources = sources if sources.is_dir() else config.SOURCES_DIR
    files += sorted(p for p in sources.rglob("*") if p.is_file())
    return files


def library_files() -> list[Path]:
    """The package's own source and templates (a change there triggers a real run)."""
    pkg = Path(__file__).resolve().parent
    return sorted(p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(params: Mapping[str, Any], notebooks: Sequence[str], *,
                with_code: bool = False) -> str:
    """Hash of everything a report depends on: inputs, parameters, notebooks, library
    source, and the versions of Python and the packages that execute and render.

    Equal fingerprints mean a rerun would publish the same report.
    """
    h = hashlib.sha256()
    h.update(json.dumps({"parameters": dict(params), "notebooks": list(notebooks),
                         "with_code": with_code, "kernel": KERNEL,
                         "versions": package_versions()}, sort_keys=True).encode())
    files = [*fingerprint_inputs(params["figures_path"]),
             *(notebook_path(n) for n in notebooks), *library_files()]
    for f in files:
        h.update(f"\0{_rel(f)}\0".encode())
        h.update(sha256_file(f).encode() if f.exists() else b"missing")
    return h.hexdigest()


# --------------------------------------------------------------------------- lock

@contextlib.contextmanager
def run_lock(reports_dir: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold ``reports/.lock`` for a run; wait up to ``wait`` seconds for another run.

    Raises:
        RunLockedError: If another run still holds the lock after ``wait`` seconds.
    """
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / ".lock"
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole run
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
                        f"another workbook run (pid {holder}) holds {_rel(path)}{waited}; "
                        "try again when it ends, or pass --wait SECONDS") from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield path
    finally:
        fh.close()  # closing releases the flock


# --------------------------------------------------------------------------- publish

@dataclass(frozen=True)
class Layout:
    """Where a run's folders are, under ``reports/``."""

    reports: Path

    @property
    def latest(self) -> Path:
        return self.reports / "latest"

    @property
    def runs(self) -> Path:
        return self.reports / "runs"

    @property
    def history(self) -> Path:
        return self.reports / "history"

    @property
    def failed(self) -> Path:
        return self.reports / "failed"

    @property
    def staging(self) -> Path:
        return self.reports / ".staging"

    def latest_target(self) -> Path | None:
        """The run folder ``latest`` points to, if it is a symlink to one."""
        if self.latest.is_symlink():
            return (self.latest.parent / os.readlink(self.latest)).resolve()
        return None


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
    """
    done: list[str] = []
    reports = layout.reports
    if not reports.is_dir():
        return done
    for tmp in reports.glob(".latest.tmp-*"):
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
    """Make a complete staged report ``reports/latest`` in one atomic step.

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


# --------------------------------------------------------------------------- progress

class Progress:
    """Per-notebook progress: a live status line on a terminal, plain log lines otherwise."""

    def __init__(self, names: Sequence[str], stream: Any = None, tty: bool | None = None) -> None:
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


# --------------------------------------------------------------------------- execute

@dataclass
class NotebookResult:
    """How one notebook's execution and export went."""

    name: str
    status: str = "pending"  # ok | failed | export_failed
    seconds: float = 0.0
    execute_seconds: float = 0.0
    export_seconds: float = 0.0
    cell_index: int | None = None
    exec_count: int | None = None
    cell_source: str = ""
    error: str = ""
    files: list[str] = field(default_factory=list)

    def manifest_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"status": self.status, "seconds": round(self.seconds, 3),
                                 "execute_seconds": round(self.execute_seconds, 3),
                                 "export_seconds": round(self.export_seconds, 3),
                                 "ipynb": f"{self.name}.ipynb"}
        if self.status == "ok":
            entry["html"] = f"{self.name}.html"
        if self.error:
            entry["error"] = self.error
            entry["cell_index"] = self.cell_index
        return entry

    def describe_failure(self, where: Path) -> str:
        if self.status == "export_failed":
            return f"notebook {self.name}: HTML export failed: {self.error}"
        cell = "an unknown cell" if self.cell_index is None else f"cell {self.cell_index}"
        if self.exec_count is not None:
            cell += f" (execution count {self.exec_count})"
        src = f" `{self.cell_source}`" if self.cell_source else ""
        executed = where / f"{self.name}.ipynb"
        kept = (f"executed notebook: {_rel(executed)}" if executed.exists()
                else "no executed notebook was saved")
        return f"notebook {self.name} failed in {cell}{src}: {self.error} ({kept})"


def _failed_cell(nb_path: Path) -> tuple[int | None, int | None, str]:
    """Index, execution count and first source line of the cell a run stopped in."""
    try:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None, ""
    running = last_started = None
    for i, cell in enumerate(nb.get("cells", [])):
        pm = cell.get("metadata", {}).get("papermill", {})
        where = (i, cell.get("execution_count"), _first_line(cell.get("source", "")))
        has_error = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        if pm.get("exception") or has_error:
            return where
        if pm.get("status") == "running" and running is None:
            running = where
        if cell.get("cell_type") == "code" and cell.get("execution_count") is None \
                and pm.get("duration") is not None and last_started is None:
            last_started = where
    # A dead kernel leaves no error output: the cell that started and never got a reply
    # (it has a duration but no execution count) is the one it died in.
    return running or last_started or (None, None, "")


def _first_line(source: str | list[str]) -> str:
    text = "".join(source) if isinstance(source, list) else source
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 80 else line[:77] + "..."


_RESET = "get_ipython().run_line_magic('reset', '-f'); get_ipython().execution_count = 1"



@functools.cache
def _client_class() -> type:
    """jupyter_client's AsyncKernelClient, minus a fixed 0.2 s sleep per notebook.

    Its ``wait_for_ready`` (called by nbclient for every notebook, and by the reset
    between notebooks) ends by draining IOPub until no message came for 0.2 s. That
    drain only drops stale messages, which nbclient and ``execute_interactive``
    ignore anyway (they keep messages whose parent is their own request), so here
    it takes what is already there and does not wait. The rest is unchanged: a
    kernel_info reply on shell plus one IOPub message prove both channels connected.
    Measured: a full run 4.1 s -> 3.65 s (two notebooks per kernel, each waited twice).
    """
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class Client(AsyncKernelClient):  # type: ignore[misc]
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # IOPub connected once a message arrives there
                            await self.iopub_channel.get_msg(timeout=0.2)
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            while True:
                try:
                    await self.iopub_channel.get_msg(timeout=0)
                except Empty:
                    break

    return Client


class WorkerKernel:
    """The kernel of one worker thread, reused for that worker's next notebook.

    A kernel pays for Python start-up and for importing pandas, pandera and
    Altair once; before the next notebook its namespace is cleared (``%reset
    -f``) and its execution count set back to 1, so the notebook sees what a
    fresh kernel shows (the outputs are the same as the nbval baseline's,
    which is made with fresh kernels). A kernel that died, timed out or ran a
    failing notebook is shut down and replaced.

    Asynchronous kernel manager, driven with jupyter_core's ``run_sync`` from
    its own thread only: that is the event loop nbclient (inside papermill)
    uses in this thread too, so its dead-kernel detection keeps working.
    """

    def __init__(self) -> None:
        self.km: Any = None
        self.clean = False  # started, not used yet

    def start(self) -> None:
        """Start a kernel now, so ``get`` returns it (no reset needed) when it is wanted."""
        self.discard()
        self.km = self._start()
        self.clean = True

    def get(self) -> Any:
        """A ready kernel manager: the previous one after a reset, else a new one."""
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                if run_sync(self.km.is_alive)() and (self.clean or run_sync(self._reset)(self.km)):
                    self.clean = False
                    return self.km
            except Exception:  # any doubt: start a fresh kernel
                pass
            self.discard()
        self.km = self._start()
        return self.km

    @staticmethod
    def _start() -> Any:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        km = AsyncKernelManager(kernel_name=KERNEL, client_factory=_client_class())
        run_sync(km.start_kernel)(extra_arguments=KERNEL_ARGS, cwd=str(config.ROOT))
        return km

    @staticmethod
    async def _reset(km: Any) -> bool:
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=KERNEL_START_TIMEOUT_S)
            reply = await kc.execute_interactive(_RESET, silent=True, store_history=False,
                                                 timeout=KERNEL_START_TIMEOUT_S,
                                                 output_hook=lambda msg: None)
            return reply["content"]["status"] == "ok"
        finally:
            kc.stop_channels()

    def discard(self) -> None:
        """Shut the kernel down (after a failure, or when the worker ends)."""
        from jupyter_core.utils import run_sync

        km, self.km, self.clean = self.km, None, False
        if km is not None:
            with contextlib.suppress(Exception):
                run_sync(km.shutdown_kernel)(now=True)


class Workers:
    """Worker threads that start their kernels at once, then execute when given a job.

    Kernel start-up then overlaps what the runner does meanwhile: validating the
    data and importing papermill. Each kernel is driven from its own thread only
    (see ``WorkerKernel``). ``cancel`` (e.g. when the data are broken) shuts the
    kernels down and waits for the threads.
    """

    def __init__(self, count: int) -> None:
        # Import what the threads need once, here, not in several threads at once.
        import jupyter_client.manager  # noqa: F401
        import jupyter_core.utils  # noqa: F401

        self._go = threading.Event()
        self._job: Callable[[WorkerKernel], None] | None = None
        self.threads = [threading.Thread(target=self._main, name=f"notebook-{i}", daemon=True)
                        for i in range(max(1, count))]
        for t in self.threads:
            t.start()

    def _main(self) -> None:
        kernel = WorkerKernel()
        try:
            with contextlib.suppress(Exception):  # a kernel that fails to start is retried
                kernel.start()
            self._go.wait()
            if self._job is not None:
                self._job(kernel)
        finally:
            kernel.discard()

    def begin(self, job: Callable[[WorkerKernel], None]) -> None:
        """Let every worker run ``job(kernel)`` (once)."""
        self._job = job
        self._go.set()

    def join(self) -> None:
        """Wait for the workers (their kernels are shut down when they end)."""
        while any(t.is_alive() for t in self.threads):
            for t in self.threads:
                t.join(0.2)

    def cancel(self) -> None:
        """Give up before any job: shut the kernels down and wait for the threads."""
        if not self._go.is_set():
            self._job = None
            self._go.set()
        self.join()


def _execute_one(name: str, out_dir: Path, params: Mapping[str, Any], *, with_code: bool,
                 export: bool = True, kernel: WorkerKernel | None = None) -> NotebookResult:
    """Execute one notebook into ``out_dir`` with papermill, then render its HTML."""
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
            request_save_on_cell_execute=True, **how)
        status_exc = False
        with contextlib.suppress(Exception):
            status_exc = bool(nbformat.read(dst, as_version=4).metadata.get(
                "papermill", {}).get("exception"))
        if status_exc:
            result.status, result.error = "failed", "papermill recorded an exception"
        else:
            result.status = "ok"
    except pm.PapermillExecutionError as exc:
        result.status = "failed"
        result.error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # dead kernel, timeout, unreadable notebook: all are failures
        result.status = "failed"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        result.error = f"{type(exc).__name__}: {reason}".rstrip(": ")
    result.execute_seconds = time.monotonic() - t0
    if result.status == "failed" and kernel:
        kernel.discard()
    if result.status == "failed":
        result.cell_index, result.exec_count, result.cell_source = _failed_cell(dst)
    result.seconds = result.execute_seconds
    if export:
        _export_one(result, out_dir, with_code=with_code)
    return result


def _export_one(result: NotebookResult, out_dir: Path, *, with_code: bool) -> None:
    """Render an executed notebook's HTML (if it ran); ``export_failed`` if that fails."""
    if result.status != "ok":
        return
    from .html_export import export_notebook

    t1 = time.monotonic()
    try:
        export_notebook(out_dir / f"{result.name}.ipynb", out_dir / f"{result.name}.html",
                        include_input=with_code)
    except WorkbookError as exc:
        result.status, result.error = "export_failed", str(exc)
    result.export_seconds = time.monotonic() - t1
    result.seconds = result.execute_seconds + result.export_seconds


def execute_all(names: Sequence[str], out_dir: Path, params: Mapping[str, Any], *,
                with_code: bool = False, workers: int | Workers = WORKERS,
                progress: Progress | None = None, export: bool = True) -> list[NotebookResult]:
    """Execute (and export) notebooks, ``workers`` at a time; results in ``names`` order.

    ``workers`` is a number of threads, or ``Workers`` already started (their
    kernels warming up); either way they are shut down when this returns.
    """
    import logging

    _skip_rfc3987_syntax()
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
                result = _execute_one(name, out_dir, params, with_code=with_code,
                                      export=False, kernel=kernel)
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
        if export:
            # While the kernels start and execute, this thread loads nbconvert
            # (imports, templates, filters' regular expressions) for the exports.
            from .html_export import warm_up

            with contextlib.suppress(Exception):
                warm_up()
        # This thread renders each notebook's HTML as soon as it is executed, while
        # its worker goes on with its next notebook.
        while len(results) < len(names):
            try:
                result = executed.get(timeout=0.2)
            except queue.Empty:
                if any(t.is_alive() for t in pool.threads) or not executed.empty():
                    continue
                break
            if export:
                _export_one(result, out_dir, with_code=with_code)
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


def _skip_rfc3987_syntax() -> None:
    """Keep ``rfc3987_syntax`` from loading in the runner's process.

    jsonschema (imported by nbformat, papermill, nbconvert) imports it, if installed,
    for its "iri" format checks and builds a lark grammar at import: measured ~0.8 s
    of the 1.1 s ``import papermill`` takes. jsonschema skips those checks when the
    import fails (it suppresses the ImportError); nothing here checks IRI formats.
    Kernels and plain Python are not affected.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- manifest

def git_commit(root: Path) -> dict[str, Any]:
    """The checked-out commit and whether tracked files differ from it (None without git)."""
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                 text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip()

    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "dirty": bool(dirty) if dirty is not None else None}


def package_versions() -> dict[str, str]:
    """Python and the versions of the packages a report depends on."""
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_run_id() -> str:
    """A sortable, unique run id: UTC time plus process id."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")[:-4] + f"-{os.getpid()}"


def read_manifest(report_dir: Path) -> dict[str, Any] | None:
    """A published run's manifest, or None when there is none (or it is unreadable)."""
    try:
        return json.loads((report_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------- run

@dataclass
class RunOutcome:
    """What ``run`` did: ``published``, ``skipped`` (up to date)."""

    status: str
    run_id: str
    report_dir: Path
    seconds: float
    manifest: dict[str, Any] | None = None
    results: list[NotebookResult] = field(default_factory=list)


def resolve_parameters(cli_pairs: Sequence[tuple[str, str]] = (),
                       parameters_file: str | Path | None = None) -> dict[str, Any]:
    """Spec defaults < YAML file < ``-p`` pairs (papermill-typed), all checked."""
    given: dict[str, Any] = {}
    if parameters_file:
        given.update(load_parameters_file(parameters_file))
    for name, text in cli_pairs:
        given[name] = guess_type(text)
    return check_parameters(given)


def run(params: Mapping[str, Any] | None = None, *, notebooks: Sequence[str] = NOTEBOOKS,
        wait: float = 0.0, with_code: bool = False, force: bool = False,
        log: Callable[[str], None] | None = None, progress_stream: Any = None,
        tty: bool | None = None) -> RunOutcome:
    """Check, execute, render and publish the reports (see the module docstring).

    Args:
        params: Notebook parameters; checked against ``SPEC`` (defaults filled in).
        notebooks: Which notebooks to run, in ``NOTEBOOKS`` order.
        wait: Seconds to wait for another run's lock (0: refuse at once).
        with_code: Keep code cells in the HTML.
        force: Run even if the published report is up to date.
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
    unknown = [n for n in notebooks if n not in NOTEBOOKS]
    if unknown:
        raise ParameterError(f"unknown notebook {unknown[0]}; known: {', '.join(NOTEBOOKS)}")
    names = [n for n in NOTEBOOKS if n in notebooks]
    for n in names:
        check_notebook(notebook_path(n))
    layout = Layout(config.ROOT / "reports")
    with run_lock(layout.reports, wait):
        t0 = time.monotonic()  # time spent waiting for the lock is not the run's
        started = _now()
        for line in recover(layout):
            say(f"recovered: {line}")
        fp = fingerprint(params, names, with_code=with_code)
        latest = read_manifest(layout.latest)
        if not force and latest and latest.get("fingerprint") == fp \
                and latest.get("status") == "ok":
            say(f"up to date: {_rel(layout.latest)} (run {latest.get('run_id')}) has the same "
                "inputs, parameters, notebooks and code; nothing to do")
            return RunOutcome("skipped", str(latest.get("run_id")), layout.latest,
                              time.monotonic() - t0, latest)
        return _run_locked(layout, params, names, fp, started=started, t0=t0,
                           with_code=with_code, say=say, progress_stream=progress_stream, tty=tty)


def _run_locked(layout: Layout, params: dict[str, Any], names: list[str], fp: str, *,
                started: str, t0: float, with_code: bool, say: Callable[[str], None],
                progress_stream: Any, tty: bool | None) -> RunOutcome:
    from . import metrics
    from .dataset import load_dataset

    run_id = new_run_id()
    _skip_rfc3987_syntax()
    # The kernels start while the data are checked.
    pool = Workers(min(WORKERS, len(names)))
    try:
        ds = load_dataset(config.resolve(params["figures_path"]))  # TableValidationError: exit 2
        staged = layout.staging / run_id
        staged.mkdir(parents=True)
    except BaseException:
        pool.cancel()
        raise
    progress = Progress(names, stream=progress_stream, tty=tty)
    progress.log(f"run {run_id}: {_plural(len(names), 'notebook')}, {WORKERS} at a time, "
                 "parameters "
                 + ", ".join(f"{k}={v!r}" for k, v in params.items()))
    try:
        results = execute_all(names, staged, params, with_code=with_code, workers=pool,
                              progress=progress)
    finally:
        progress.close()
    failures = [r for r in results if r.status != "ok"]
    manifest: dict[str, Any] = {
        "run_id": run_id,
        "status": "ok" if not failures else "failed",
        "started": started,
        "finished": None,
        "seconds": None,
        **git_commit(config.ROOT),
        "parameters": params,
        "with_code": with_code,
        "notebooks": {r.name: r.manifest_entry() for r in results},
        "inputs": {},
        "fingerprint": fp,
        "versions": package_versions(),
        "runner": {"kernel": KERNEL, "workers": WORKERS, "cell_timeout_s": CELL_TIMEOUT_S,
                   "kernel_reused_per_worker": True},
    }
    files = [*ds.input_files(), *(notebook_path(n) for n in names)]
    manifest["inputs"] = {_rel(f): {"sha256": sha256_file(f), "bytes": f.stat().st_size}
                          for f in files}
    if not failures:
        table = metrics.compute_metrics(ds, bounds=params["bounds"])
        metrics.write_metrics(table, str(staged / "metrics.csv"))
        manifest["metrics"] = {"file": "metrics.csv", "rows": len(table)}
        from .exports import write_exports  # source pages, datapackage.json, claims.jsonld

        manifest.update(write_exports(staged, ds, table, lang=params["lang"]))
    manifest["finished"] = _now()
    manifest["seconds"] = round(time.monotonic() - t0, 3)
    (staged / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False)
                                          + "\n", encoding="utf-8")
    if failures:
        layout.failed.mkdir(parents=True, exist_ok=True)
        where = layout.failed / run_id
        os.rename(staged, where)
        lines = [r.describe_failure(where) for r in failures]
        lines.append(f"{_rel(layout.latest)} left unchanged; this run is in {_rel(where)}")
        err = NotebookRunError("\n".join(lines), notebook=failures[0].name,
                               cell_index=failures[0].cell_index)
        err.results = results  # type: ignore[attr-defined]
        raise err
    from .html_export import write_index

    write_index(staged, manifest)
    final = publish(layout, staged, run_id)
    seconds = time.monotonic() - t0
    say(f"published {_rel(layout.latest)} -> {_rel(final)}: {_plural(len(results), 'notebook')}, "
        f"metrics.csv, manifest.json, index.html in {seconds:.1f} s")
    return RunOutcome("published", run_id, layout.latest, seconds, manifest, results)


def refresh_baseline(notebooks: Sequence[str] = NOTEBOOKS, *,
                     progress_stream: Any = None) -> list[NotebookResult]:
    """Re-execute the notebooks in place with their defaults (the nbval baseline).

    Each runs into a temporary folder first and replaces ``notebooks/<name>.ipynb``
    only when it succeeds.

    Raises:
        NotebookRunError: If a notebook fails; the committed notebooks stay as they were.
    """
    names = [n for n in NOTEBOOKS if n in notebooks]
    for n in names:
        check_notebook(notebook_path(n))
    layout = Layout(config.ROOT / "reports")
    with run_lock(layout.reports, wait=0):
        recover(layout)
        tmp = layout.staging / f"baseline-{new_run_id()}"  # same file system as notebooks/
        progress = Progress(names, stream=progress_stream)
        try:
            try:
                results = execute_all(names, tmp, {}, progress=progress, export=False)
            finally:
                progress.close()
            failures = [r for r in results if r.status != "ok"]
            if failures:
                raise NotebookRunError(
                    "\n".join(r.describe_failure(tmp) for r in failures)
                    + "\nbaseline notebooks left unchanged",
                    notebook=failures[0].name, cell_index=failures[0].cell_index)
            for r in results:
                os.replace(tmp / f"{r.name}.ipynb", notebook_path(r.name))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


__all__ = ["NOTEBOOKS", "SPEC", "Param", "RunOutcome", "check_notebook",
           "check_parameters", "fingerprint", "guess_type", "publish", "recover",
           "refresh_baseline", "resolve_parameters", "run", "run_lock"]
