"""Bad input never loses a report.

Each test copies a project that already has a published report, damages one
thing, runs the real commands (``workbook validate``, ``workbook run``) as
subprocesses and asserts: the documented exit code, one clear message naming
file:row:column (or the parameter), no Python traceback, and
``reports/latest/`` byte-identical to before.

Damage is done by editing a copy of the curated tables programmatically, so the
cases keep working when the curated figures change.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import copy_project, digest, read_rows, workbook, write_rows

pytestmark = pytest.mark.slow

Damage = Callable[["Project"], tuple[int | None, str | None]]


class Project:
    """A private copy of a project with a published report."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.figures = root / "data" / "figures.csv"

    # --- tables -------------------------------------------------------------
    def read(self) -> tuple[list[str], list[list[str]]]:
        return read_rows(self.figures)

    def write(self, header: list[str], rows: list[list[str]]) -> None:
        write_rows(self.figures, header, rows)

    def records(self) -> list[dict[str, str]]:
        header, rows = self.read()
        return [dict(zip(header, r, strict=True)) for r in rows]

    def find(self, pred: Callable[[dict[str, str]], bool]) -> int:
        """0-based index of the first figure matching ``pred``."""
        return next(i for i, r in enumerate(self.records()) if pred(r))

    def set(self, index: int, column: str, value: str) -> int:
        header, rows = self.read()
        rows[index][header.index(column)] = value
        self.write(header, rows)
        return index + 2

    def workbook(self, *args: str) -> subprocess.CompletedProcess[str]:
        return workbook(self.root, *args)

    def latest_digest(self) -> str:
        return digest(self.root / "reports" / "latest")


@pytest.fixture
def project(published_report: Path, tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "project", published_report))


def assert_user_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one message, got:\n{done.stderr}"
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


# --- damaged tables: each returns the spreadsheet row and column to be named ---

def not_a_number(p: Project) -> tuple[int, str]:
    return p.set(0, "value", "نحو عشرين"), "value"


def negative_count(p: Project) -> tuple[int, str]:
    i = p.find(lambda r: r["unit"] == "persons")
    return p.set(i, "value", "-" + p.records()[i]["value"]), "value"


def unknown_unit(p: Project) -> tuple[int, str]:
    return p.set(1, "unit", "parsecs"), "unit"


def unknown_qualifier(p: Project) -> tuple[int, str]:
    return p.set(2, "qualifier", "roughly"), "qualifier"


def duplicate_id(p: Project) -> tuple[int, str]:
    first = p.records()[0]["id"]
    return p.set(3, "id", first), "id"


def empty_required(p: Project) -> tuple[int, str]:
    return p.set(4, "attributed_to", ""), "attributed_to"


def quote_not_in_source(p: Project) -> tuple[int, str]:
    quote = p.records()[5]["quote"]
    return p.set(5, "quote", quote + " وهمي"), "quote"


def quote_at_other_paragraph(p: Project) -> tuple[int, str]:
    lines = (p.root / "data" / "sources" / p.records()[0]["source"]).read_text(
        encoding="utf-8").split("\n")
    i = p.find(lambda r: sum(r["quote"] in line for line in lines) == 1)
    other = 1 if int(p.records()[i]["paragraph"]) != 1 else 2
    return p.set(i, "paragraph", str(other)), "paragraph"


def value_disagrees(p: Project) -> tuple[int, str]:
    i = p.find(lambda r: r["unit"] == "persons")
    return p.set(i, "value", str(int(float(p.records()[i]["value"])) + 1)), "value"


def qualifier_disagrees(p: Project) -> tuple[int, str]:
    i = p.find(lambda r: r["qualifier"] == "at_least" and "أكثر من" in r["quote"])
    return p.set(i, "qualifier", "exact"), "qualifier"


def missing_column(p: Project) -> tuple[int, str]:
    header, rows = p.read()
    k = header.index("unit")
    p.write(header[:k] + header[k + 1:], [r[:k] + r[k + 1:] for r in rows])
    return 1, "unit"


def unknown_column(p: Project) -> tuple[int, str]:
    header, rows = p.read()
    p.write([*header, "comment"], [[*r, ""] for r in rows])
    return 1, "comment"


def empty_file(p: Project) -> tuple[int, None]:
    p.figures.write_bytes(b"")
    return 1, None


def header_only(p: Project) -> tuple[int, None]:
    header, _ = p.read()
    p.write(header, [])
    return 2, None


def not_utf8(p: Project) -> tuple[None, None]:
    p.figures.write_bytes(p.figures.read_text(encoding="utf-8").encode("cp1256"))
    return None, None


def missing_source(p: Project) -> tuple[int, str]:
    (p.root / "data" / "sources" / p.records()[0]["source"]).unlink()
    return 2, "source"


DAMAGES: list[Damage] = [
    not_a_number, negative_count, unknown_unit, unknown_qualifier, duplicate_id,
    empty_required, quote_not_in_source, quote_at_other_paragraph, value_disagrees,
    qualifier_disagrees, missing_column, unknown_column, empty_file, header_only, not_utf8,
    missing_source,
]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
def test_damaged_table_is_refused_and_latest_is_kept(project: Project, damage: Damage) -> None:
    before = project.latest_digest()
    row, column = damage(project)
    where = "figures.csv" + "".join(f":{x}" for x in (row, column) if x is not None)
    if row is None:
        where = "figures.csv"
    for command in (("validate",), ("run",)):
        done = project.workbook(*command)
        assert_user_error(done, where)
    assert project.latest_digest() == before


def test_spreadsheet_bom_and_crlf_loads_with_same_metrics(project: Project) -> None:
    before = project.workbook("metrics")
    assert before.returncode == 0, before.stderr
    text = project.figures.read_text(encoding="utf-8")
    project.figures.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    after = project.workbook("metrics")
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    assert project.workbook("validate").returncode == 0


# --- oversized cells: a length limit per column, never the CSV reader's traceback ---

KIB = 1024


@pytest.mark.parametrize(("table", "column", "size"), [
    ("figures", "note", 200 * KIB),
    ("figures", "note", 2 * KIB * KIB),
    ("figures", "quote", 200 * KIB),
    ("figures", "value", 200 * KIB),
    ("figures", "unit", 2 * KIB * KIB),
    ("forces", "name_en", 200 * KIB),
    ("relations", "note", 2 * KIB * KIB),
], ids=lambda v: f"{v // KIB}KiB" if isinstance(v, int) else v)
def test_oversized_cell_is_refused_naming_file_row_column(project: Project, table: str,
                                                          column: str, size: int) -> None:
    """Cells past the csv module's 128 KiB field limit, and past the schema's max length."""
    before = project.latest_digest()
    path = project.root / "data" / f"{table}.csv"
    header, rows = read_rows(path)
    rows[-1][header.index(column)] = "x" * size
    write_rows(path, header, rows)
    where = f"{table}.csv:{len(rows) + 1}:{column}"
    for command in (("validate",), ("run",), ("metrics",)):
        done = project.workbook(*command)
        assert_user_error(done, where, "characters")
        assert len(done.stderr) < 500, "the message must not echo the cell"
    assert project.latest_digest() == before


def test_unclosed_quote_swallowing_the_file_is_located(project: Project) -> None:
    """An opening quote never closed makes the rest of the file one huge field."""
    before = project.latest_digest()
    text = project.figures.read_text(encoding="utf-8").splitlines(keepends=True)
    filler = "x" * (200 * KIB)
    text.insert(2, text[1].rstrip("\n").rsplit(",", 1)[0] + ',"' + filler + "\n")
    project.figures.write_text("".join(text), encoding="utf-8")
    done = project.workbook("validate")
    assert_user_error(done, "figures.csv:3")
    assert project.latest_digest() == before


# --- the reader of stdout goes away ---------------------------------------------------------

EXIT_READER_GONE = 141  # 128 + SIGPIPE, as a shell reports a tool the pipe's reader left


def _reader_gone(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a subcommand whose stdout pipe is closed before it writes a byte."""
    env = {**os.environ, "WORKBOOK_ROOT": str(project.root), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen([sys.executable, "-m", "coalition_workbook.cli", *args],
                            cwd=project.root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    return subprocess.CompletedProcess(args, proc.wait(timeout=600), "", err)


@pytest.mark.parametrize("args", [
    ("metrics",),
    ("validate",),
    ("run",),                         # the report is up to date: it says so and stops
    ("screenshots", "--report-dir", "{copy}"),  # writes PNGs: into a copy, not latest
    ("baseline", "--notebook", "summary"),
    ("--help",),
], ids=lambda a: " ".join(a))
def test_closed_stdout_exits_quietly(project: Project, args: tuple[str, ...],
                                    tmp_path: Path) -> None:
    before = project.latest_digest()
    copy = shutil.copytree(project.root / "reports" / "latest", tmp_path / "shots")
    done = _reader_gone(project, *(a.format(copy=copy) for a in args))
    for noise in ("Traceback", "BrokenPipe", "Broken pipe", "Exception ignored", "error"):
        assert noise not in done.stderr, done.stderr  # (baseline logs progress to stderr)
    assert done.returncode == EXIT_READER_GONE, (done.returncode, done.stderr)
    assert project.latest_digest() == before


def test_metrics_into_head_prints_no_traceback(project: Project) -> None:
    """The issue's own pipeline, through a shell: no BrokenPipeError, head's line intact."""
    env = {**os.environ, "WORKBOOK_ROOT": str(project.root), "PYTHONWARNINGS": "ignore"}
    cmd = (f"set -o pipefail; {sys.executable} -m coalition_workbook.cli metrics | head -1;"
           " echo \"status=${PIPESTATUS[0]}\" >&2")
    done = subprocess.run(["bash", "-c", cmd], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.stdout.count("\n") == 1 and "," in done.stdout, done.stdout
    assert done.stderr.strip() in ("status=0", f"status={EXIT_READER_GONE}"), done.stderr


def test_failed_command_keeps_its_exit_code_when_reader_is_gone(project: Project) -> None:
    project.set(0, "unit", "parsecs")
    done = _reader_gone(project, "validate")
    assert_user_error(done, "figures.csv:2:unit")


# --- bad parameters ---------------------------------------------------------

@pytest.mark.parametrize(("args", "needle"), [
    (("-p", "no_such_param", "1"), "no_such_param"),
    (("-p", "lang", "xx"), "lang"),
    (("-p", "decimals", "many"), "decimals"),
    (("-p", "figures_path", "data/nowhere.csv"), "figures_path"),
], ids=["unknown", "bad-value", "wrong-type", "missing-figures-path"])
def test_bad_parameter_exits_2_and_keeps_latest(project: Project, args: tuple[str, ...],
                                                needle: str) -> None:
    before = project.latest_digest()
    done = project.workbook("run", *args)
    assert_user_error(done, needle)
    assert project.latest_digest() == before


def test_wrong_type_in_parameters_file(project: Project) -> None:
    before = project.latest_digest()
    params = project.root / "params.yaml"
    params.write_text("lang: 5\n", encoding="utf-8")
    done = project.workbook("run", "--parameters", str(params))
    assert_user_error(done, "lang")
    assert project.latest_digest() == before


# --- failures while running ---------------------------------------------------

def _inject_cell(project: Project, notebook: str, source: str) -> None:
    nb_path = project.root / "notebooks" / f"{notebook}.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "injected",
                        "metadata": {}, "outputs": [], "source": source})
    nb_path.write_text(json.dumps(nb), encoding="utf-8")


def test_kernel_dying_mid_run_fails_cleanly(project: Project) -> None:
    before = project.latest_digest()
    _inject_cell(project, "summary", "import os\nos._exit(1)")
    done = project.workbook("run")  # the declared editions; the English one fails first
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "summary" in done.stderr
    assert "Traceback" not in done.stderr
    assert project.latest_digest() == before
    kept = list((project.root / "reports" / "failed").glob("*/summary.ipynb"))
    assert kept
    # The cell the kernel died in is named (papermill added a parameters cell before it).
    cells = json.loads(kept[0].read_text(encoding="utf-8"))["cells"]
    dying = [i for i, c in enumerate(cells) if "".join(c["source"]).startswith("import os")]
    assert dying == [len(cells) - 1]
    # (The execution count is given when the kernel sent it before it died.)
    named = re.search(rf"cell {dying[0]}( \(execution count \d+\))? `import os`", done.stderr)
    assert named, done.stderr


def assert_complete_report(latest: Path) -> dict:
    """A published report is whole: its manifest names only files that exist, all ok."""
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok"
    for name in manifest["notebooks"]:
        assert (latest / f"{name}.ipynb").is_file(), name
        assert (latest / f"{name}.html").stat().st_size > 0, name
    assert (latest / "metrics.csv").stat().st_size > 0
    assert (latest / "index.html").is_file()
    return manifest


def test_sigterm_at_any_moment_leaves_old_or_new_report(project: Project) -> None:
    """Kill runs at successive moments; latest is always a complete report, then recovers."""
    latest = project.root / "reports" / "latest"
    old_id = assert_complete_report(latest)["run_id"]
    env = {**os.environ, "WORKBOOK_ROOT": str(project.root), "PYTHONWARNINGS": "ignore"}
    seen_ids = {old_id}
    killed = 0
    # Kill after successive lines the runner prints (start, each notebook, publishing);
    # the exact instants of the rename are covered by test_runner's recover tests.
    for kill_after_line in (1, 3, 5, 7, 9):
        proc = subprocess.Popen(
            [sys.executable, "-m", "coalition_workbook.cli", "run", "--force"],
            cwd=project.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        assert proc.stdout is not None
        for lines, _ in enumerate(proc.stdout, start=1):
            if lines >= kill_after_line:
                proc.send_signal(signal.SIGTERM)
                break
        killed += proc.wait(timeout=300) != 0
        proc.stdout.close()
        manifest = assert_complete_report(latest)
        seen_ids.add(manifest["run_id"])
    assert killed, "no run was killed before it ended: the test proved nothing"
    done = project.workbook("run", "--force")
    assert done.returncode == 0, done.stdout + done.stderr
    final = assert_complete_report(latest)
    assert final["run_id"] not in seen_ids, "the recovering run must publish a new report"
    assert not [p for p in (project.root / "reports" / ".staging").glob("*") if p.is_dir()]


def test_two_runs_at_once_one_refuses_and_the_report_is_consistent(project: Project) -> None:
    env = {**os.environ, "WORKBOOK_ROOT": str(project.root), "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "coalition_workbook.cli", "run", "--force"]
    procs = [subprocess.Popen(cmd, cwd=project.root, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 3], results
    refused = next(err for code, _, err in results if code == 3)
    assert "Traceback" not in refused
    assert len([line for line in refused.splitlines() if line.strip()]) == 1
    manifest = assert_complete_report(project.root / "reports" / "latest")
    for rel, meta in manifest["inputs"].items():
        data = (project.root / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == meta["sha256"], rel
