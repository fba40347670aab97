"""``workbook run`` for real: papermill kernels in a copy of the project.

One full run (the session fixture ``published_report``) is shared; each test
that changes something copies it first. Runs that only need to prove a failure
run a single notebook to keep the suite short on two cores.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coalition_workbook.data import numerals
from coalition_workbook.run import runner
from coalition_workbook.run.params import NOTEBOOKS, defaults
from tests.conftest import (
    EVIL,
    copy_project,
    digest,
    read_rows,
    restamp_sidecar,
    workbook,
    write_rows,
)

pytestmark = pytest.mark.slow




@pytest.fixture
def project(published_report: Path, tmp_path: Path) -> Path:
    """A private copy of the published project, free to damage."""
    return copy_project(tmp_path / "project", published_report)


def test_full_run_publishes_every_report(published_report: Path) -> None:
    latest = published_report / "reports" / "latest"
    assert latest.is_symlink() and latest.is_dir()
    for name in NOTEBOOKS:
        executed = json.loads((latest / f"{name}.ipynb").read_text(encoding="utf-8"))
        stray = [o for c in executed["cells"] for o in c.get("outputs", [])
                 if o["output_type"] in ("stream", "error")]
        assert not stray, f"{name}: printed or raised in the report: {stray}"
        assert (latest / f"{name}.html").stat().st_size > 10_000
    assert (latest / "index.html").is_file()
    metrics = list(csv.DictReader((latest / "metrics.csv").open(encoding="utf-8")))
    assert {"trainees_total", "aid_cash_usd", "troops_total"} <= {m["metric"] for m in metrics}

    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok"
    assert manifest["parameters"] == defaults()
    assert manifest["started"] <= manifest["finished"]
    assert set(manifest["notebooks"]) == set(NOTEBOOKS)
    assert all(n["status"] == "ok" and n["seconds"] > 0 for n in manifest["notebooks"].values())
    assert {"papermill", "altair", "pandas", "python"} <= set(manifest["versions"])
    for rel in ("data/figures.csv", "data/forces.csv", "data/relations.csv",
                "data/sources/000_6b99b92fd73bce01.txt", "notebooks/trainees.ipynb"):
        got = manifest["inputs"][rel]["sha256"]
        assert got == hashlib.sha256((published_report / rel).read_bytes()).hexdigest(), rel
    from coalition_workbook.run import fingerprint

    # The pages' templates are inputs too (named from the copy's root: by absolute path).
    listed = {Path(k).as_posix(): v["sha256"] for k, v in manifest["inputs"].items()}
    templates = fingerprint.page_templates()
    assert templates and all(
        any(k.endswith(t.relative_to(t.parents[2]).as_posix()) and sha ==
            fingerprint.sha256_file(t) for k, sha in listed.items()) for t in templates)


def test_curated_markup_is_escaped_in_the_reports(published_report: Path) -> None:
    html = (published_report / "reports" / "latest" / "coalition.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert EVIL not in html


def test_unchanged_rerun_is_skipped_and_a_change_is_not(project: Path) -> None:
    before = digest(project / "reports" / "latest")
    done = workbook(project, "run")
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    assert digest(project / "reports" / "latest") == before
    # the fingerprint sees parameters: a different one is a real run, so only check it differs
    params = defaults()
    old = json.loads((project / "reports/latest/manifest.json").read_text("utf-8"))
    assert old["fingerprint"] != runner.run_fingerprint({**params, "lang": "ar"})


@pytest.mark.parametrize("args", [("-p", "no_such_param", "1"), ("-p", "lang", "xx")],
                         ids=["unknown", "bad-value"])
def test_bad_parameter_exits_2_with_one_line(project: Path, args: tuple[str, ...]) -> None:
    before = digest(project / "reports" / "latest")
    done = workbook(project, "run", *args)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and args[1] in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert digest(project / "reports" / "latest") == before


def test_failing_notebook_keeps_latest_and_saves_the_failure(project: Path) -> None:
    nb_path = project / "notebooks" / "aid.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "boom",
                        "metadata": {}, "outputs": [],
                        "source": 'raise RuntimeError("deliberate failure")'})
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    before = digest(project / "reports" / "latest")

    done = workbook(project, "run")  # the declared editions; the English one fails first

    assert done.returncode == 1, done.stderr
    assert "notebook aid failed in cell" in done.stderr
    assert "RuntimeError: deliberate failure" in done.stderr
    assert "Traceback" not in done.stderr
    assert digest(project / "reports" / "latest") == before
    failed = list((project / "reports" / "failed").glob("*/aid.ipynb"))
    assert len(failed) == 1
    executed = json.loads(failed[0].read_text(encoding="utf-8"))
    assert any(o.get("ename") == "RuntimeError" for c in executed["cells"]
               for o in c.get("outputs", []))
    assert not list((project / "reports" / ".staging").iterdir())


def _change_one_trainee_figure(root: Path) -> str:
    """Bump the first number of a trainee figure by one in its quote, value and source alike.

    Every number comes from the curated table; the new value is what the
    library reads from the edited quote, so validation still passes.
    """
    figures = root / "data" / "figures.csv"
    header, rows = read_rows(figures)
    col = {name: i for i, name in enumerate(header)}
    source_of = lambda r: root / "data" / "sources" / r[col["source"]]  # noqa: E731
    for row in rows:
        digits = re.match(r"\D*?(\d+)", row[col["quote"]])
        if row[col["category"]] != "training" or row[col["unit"]] != "persons" or not digits:
            continue
        old_quote = row[col["quote"]]
        new_quote = (old_quote[:digits.start(1)] + str(int(digits.group(1)) + 1)
                     + old_quote[digits.end(1):])
        text = source_of(row).read_text(encoding="utf-8")
        if text.count(old_quote) == 1 and new_quote not in text:
            break
    else:
        pytest.fail("no trainee figure with a unique numeric quote to change")
    row[col["value"]] = f"{numerals.parse_number(new_quote):f}"
    row[col["quote"]] = new_quote
    write_rows(figures, header, rows)
    source_of(row).write_text(text.replace(old_quote, new_quote), encoding="utf-8")
    restamp_sidecar(source_of(row))
    return new_quote


def _remove_one_trainee_row(root: Path) -> str:
    """Delete a trainee figure that no relation names; return its id."""
    figures, relations = root / "data" / "figures.csv", root / "data" / "relations.csv"
    _, rel_rows = read_rows(relations)
    named = {cell for r in rel_rows for cell in r}
    header, rows = read_rows(figures)
    col = {name: i for i, name in enumerate(header)}
    victim = next(r for r in rows if r[col["category"]] == "training"
                  and r[col["unit"]] == "persons" and r[col["id"]] not in named)
    write_rows(figures, header, [r for r in rows if r is not victim])
    return victim[col["id"]]


def _nbval(project: Path, notebook: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBOOK_ROOT": str(project), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval",
         "--nbval-sanitize-with", "tests/notebooks/sanitize.cfg", f"notebooks/{notebook}"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """A copy of the project's own data and notebooks, whose stored outputs match them
    (``published_report`` plants markup in the notes, which the reports show)."""
    return copy_project(tmp_path / "project", reports=False)


@pytest.mark.parametrize("change", [_change_one_trainee_figure, _remove_one_trainee_row],
                         ids=["value-changed", "row-removed"])
def test_nbval_goes_red_when_the_figures_change(curated: Path, change) -> None:
    change(curated)
    assert workbook(curated, "validate").returncode == 0, "the change must pass validation"
    done = _nbval(curated, "trainees.ipynb")
    assert done.returncode == 1, done.stdout[-3000:]
    assert "Cell outputs differ" in done.stdout
    for cell in ("display.trainees_table(", "charts.trainees_chart("):  # the table and the chart
        assert cell in done.stdout, done.stdout[-3000:]


def test_nbval_passes_on_an_unchanged_copy(curated: Path) -> None:
    """The red runs above are red because of the change, not because of the copy."""
    done = _nbval(curated, "trainees.ipynb")
    assert done.returncode == 0, done.stdout[-3000:]


def test_an_ad_hoc_run_publishes_beside_the_editions_and_links_them(project: Path) -> None:
    before = digest(project / "reports" / "latest")
    done = workbook(project, "run", "--reports", "reports/exclude", "-p", "bounds", "exclude",
                    "--notebook", "summary", "--edition", "English", "../../latest/index.html")
    assert done.returncode == 0, done.stderr
    own = project / "reports" / "exclude"
    assert (own / "latest").is_symlink() and (own / ".lock").is_file()
    manifest = json.loads((own / "latest" / "manifest.json").read_text("utf-8"))
    assert manifest["parameters"]["bounds"] == "exclude"
    assert manifest["editions"] == [{"label": "English", "href": "../../latest/index.html",
                                     "lang": ""}]
    index = (own / "latest" / "index.html").read_text("utf-8")
    assert 'href="../../latest/index.html"' in index
    # a browser resolves the link lexically (not through the latest symlink)
    assert Path(os.path.normpath(own / "latest" / "../../latest/index.html")) == \
        project / "reports" / "latest" / "index.html"
    assert digest(project / "reports" / "latest") == before  # the editions are untouched


def _notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               cells: dict[str, list]) -> None:
    """Write each ``cells`` entry as a notebook that ``execute.execute_one`` runs by that name."""
    import nbformat
    from nbformat import v4

    from coalition_workbook.run import execute

    for name, its_cells in cells.items():
        nbformat.write(v4.new_notebook(cells=its_cells, metadata={"kernelspec": {
            "name": execute.KERNEL, "display_name": "Python 3", "language": "python"}}),
            tmp_path / f"{name}.ipynb")
    monkeypatch.setattr(execute, "notebook_path", lambda name: tmp_path / f"{name}.ipynb")


def test_a_dead_kernels_cell_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """papermill's saved notebook says which cell was running when the kernel died."""
    from nbformat import v4

    from coalition_workbook.run import execute

    _notebooks(tmp_path, monkeypatch, {"dies": [
        v4.new_markdown_cell("# Dies"), v4.new_code_cell("print(7)"),
        v4.new_code_cell("import os\nos._exit(1)"), v4.new_code_cell("print(8)")]})
    out = tmp_path / "out"
    out.mkdir()
    result = execute.execute_one("dies", out, {})
    assert result.status == "failed", result
    assert (result.cell_index, result.cell_source) == (2, "import os"), result
    assert result.error.startswith("DeadKernelError"), result
    message = result.describe_failure(out)
    assert "failed in cell 2" in message and "executed notebook:" in message, message


def test_a_reused_kernel_starts_each_notebook_afresh(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """One worker's kernel runs two notebooks: the second sees none of the first's names
    and counts its executions from 1, as in a fresh kernel."""
    import nbformat
    from nbformat import v4

    from coalition_workbook.run import execute
    from coalition_workbook.run.kernels import WorkerKernel

    _notebooks(tmp_path, monkeypatch, {
        "first": [v4.new_code_cell("secret = 42"), v4.new_code_cell("secret")],
        "second": [v4.new_code_cell("print('secret' in dir())")]})
    out = tmp_path / "out"
    out.mkdir()
    kernel = WorkerKernel()
    try:
        kernel.start()
        first_km = kernel.km
        for name in ("first", "second"):
            result = execute.execute_one(name, out, {}, kernel=kernel)
            assert result.status == "ok", result
        assert kernel.km is first_km  # the same kernel ran both
    finally:
        kernel.discard()
    second = nbformat.read(out / "second.ipynb", as_version=4)
    assert second.cells[0].execution_count == 1
    assert second.cells[0].outputs[0]["text"] == "False\n"
