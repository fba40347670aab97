"""The fingerprint: any input, parameter, notebook or library change changes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_workbook.run import fingerprint as fpr
from coalition_workbook.run.params import NOTEBOOKS, defaults


def test_fingerprint_changes_with_any_input_parameter_or_notebook(project: Path) -> None:
    params = defaults()
    base = fpr.fingerprint(params, NOTEBOOKS)
    assert fpr.fingerprint(params, NOTEBOOKS) == base
    assert fpr.fingerprint({**params, "lang": "ar"}, NOTEBOOKS) != base
    assert fpr.fingerprint(params, NOTEBOOKS[:2]) != base
    assert fpr.fingerprint(params, NOTEBOOKS, with_code=True) != base
    for rel in ("data/figures.csv", "data/relations.csv", "data/forces.csv",
                "data/sources/000_6b99b92fd73bce01.txt", "notebooks/aid.ipynb"):
        f = project / rel
        original = f.read_bytes()
        f.write_bytes(original + b"\n")
        assert fpr.fingerprint(params, NOTEBOOKS) != base, rel
        f.write_bytes(original)
    assert fpr.fingerprint(params, NOTEBOOKS) == base




def _package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package that the fingerprint reads as the library (edited freely)."""
    import shutil

    pkg = tmp_path / "pkg" / "coalition_workbook"
    shutil.copytree(Path(fpr.__file__).parents[1], pkg,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fpr, "__file__", str(pkg / "run" / "fingerprint.py"))
    return pkg


def test_fingerprint_changes_when_a_library_file_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    """Edit a copy of the package's source: the fingerprint must see it."""
    pkg = _package_copy(tmp_path, monkeypatch)
    params = defaults()
    base = fpr.fingerprint(params, NOTEBOOKS)
    target = pkg / "figures" / "metrics.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fpr.fingerprint(params, NOTEBOOKS) != base
    (pkg / "templates_new.tpl").write_text("x", encoding="utf-8")  # a new file counts too
    assert fpr.fingerprint(params, NOTEBOOKS) != base


def test_fingerprint_sees_a_figures_table_in_another_folder(project: Path, tmp_path: Path) -> None:
    """A figures table elsewhere brings its own forces.csv: that file is an input."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    for name in ("figures.csv", "forces.csv"):
        (folder / name).write_bytes((project / "data" / name).read_bytes())
    files = fpr.input_files(folder / "figures.csv")
    assert folder / "forces.csv" in files
    assert project / "data" / "relations.csv" in files  # not there: the project's


def test_every_file_a_page_or_export_reads_changes_the_fingerprint(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each curated table (vocabularies and ignored.csv included), each article and
    sidecar, each template and stylesheet of (a copy of) the package: editing any re-runs."""
    from coalition_workbook.data import schema

    _package_copy(tmp_path, monkeypatch)
    params = defaults()
    base = fpr.fingerprint(params, NOTEBOOKS)
    data = project / "data"
    tables = schema.table_files(data / "figures.csv")
    assert {p.stem for p in tables} == set(schema.TABLES)
    files = [*tables, *sorted((data / "sources").iterdir()),
             *(p for p in fpr.library_files() if p.suffix in (".j2", ".json", ".css"))]
    assert any(p.suffix == ".yml" for p in files) and any(p.suffix == ".j2" for p in files)
    for f in files:
        original = f.read_bytes()
        f.write_bytes(original + b"\n")
        try:
            assert fpr.fingerprint(params, NOTEBOOKS) != base, f
        finally:
            f.write_bytes(original)
