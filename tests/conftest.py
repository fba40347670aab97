"""Session fixtures shared by integration and browser tests.

``published_report`` runs the real ``workbook run`` once per session in a
copy of the project and hands its root to every test that needs a published
report (integration, bad input, browser), so the suite pays for one full run.
Tests that damage something copy that root first (``copy_project``).
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coalition_workbook.data import config

#: Curated text with markup, put into the copy's data so the reports prove it is escaped.
EVIL = "<script>alert(1)</script>"
#: What a project copy needs to run the reports (tests add what they need).
PROJECT_PARTS = ("data", "notebooks", "tests/notebooks", "pyproject.toml")


class PublishedReport(type(Path())):  # type: ignore[misc]
    """The root of a project copy with a published report; ``report_dir`` is its latest/."""

    @property
    def report_dir(self) -> Path:
        return Path(self) / "reports" / "latest"


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """A curated CSV as (header, rows), the way a test edits it."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    return header, rows


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a curated CSV back (UTF-8, LF), as the project stores them."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])


def digest(folder: Path) -> str:
    """One hash over every file name and byte under a folder (symlinks followed)."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def copy_project(dest: Path, src: Path | None = None, *, reports: bool = True) -> Path:
    """Copy the parts of a project a run needs (and its reports/, symlinks kept) to ``dest``."""
    src = Path(src or config.ROOT)
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        s = src / part
        if s.is_dir():
            shutil.copytree(s, dest / part, symlinks=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif s.is_file():
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, dest / part)
    if reports and (src / "reports").is_dir():
        shutil.copytree(src / "reports", dest / "reports", symlinks=True,
                        ignore=shutil.ignore_patterns(".lock", ".staging"))
    return dest


def workbook(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the real ``workbook`` command on a project copy (``WORKBOOK_ROOT`` set)."""
    env = {**os.environ, "WORKBOOK_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    env.pop("TERM", None)
    return subprocess.run([sys.executable, "-m", "coalition_workbook.cli", *args], cwd=root,
                          env=env, capture_output=True, text=True, timeout=timeout)


def _add_markup_to_a_note(root: Path) -> None:
    """Append EVIL to every relation note (overlaps and conflicts are shown in reports)."""
    rel = root / "data" / "relations.csv"
    header, rows = read_rows(rel)
    note = header.index("note")
    assert rows, "relations.csv has no rows: nowhere to put the markup check"
    for r in rows:
        r[note] = f"{r[note]} {EVIL}".strip()
    write_rows(rel, header, rows)


#: A project's edition declaration holding the English edition only, without screenshots.
ENGLISH_ONLY = """[[tool.workbook.editions]]
lang = "en"
reports = "reports"
label = "English"
screenshots = false
"""

#: Both editions as the project declares them, but without screenshots (for tests that
#: open the pages themselves).
BOTH_WITHOUT_SCREENSHOTS = ENGLISH_ONLY + """
[[tool.workbook.editions]]
lang = "ar"
reports = "reports/ar"
label = "العربية"
screenshots = false
"""


@pytest.fixture(scope="session")
def published_report(tmp_path_factory: pytest.TempPathFactory) -> PublishedReport:
    """A project copy after one real ``workbook run`` with default parameters.

    Its data carry one note with ``<script>alert(1)</script>`` so browser tests
    can check that curated text is escaped. Read-only: copy it before damaging.
    """
    root = copy_project(tmp_path_factory.mktemp("published") / "project", reports=False)
    _add_markup_to_a_note(root)
    # One edition is all these tests read (published_editions builds the declared set).
    (root / "pyproject.toml").write_text(ENGLISH_ONLY, encoding="utf-8")
    done = workbook(root, "run")
    assert done.returncode == 0, f"workbook run failed:\n{done.stdout}\n{done.stderr}"
    return PublishedReport(root)


def restamp_sidecar(text_path: Path) -> None:
    """After a test edits a source text on purpose, record its new sha256 in the sidecar.

    ``workbook validate`` refuses a text whose sha256 differs from its sidecar's
    (the article must stay byte-identical); a test that changes the article
    stands for a deliberate new copy, so it re-stamps it.
    """
    import re

    meta = text_path.with_name(text_path.stem + ".meta.yml")
    digest = hashlib.sha256(text_path.read_bytes()).hexdigest()
    meta.write_text(re.sub(r"(?m)^sha256:.*$", f"sha256: {digest}",
                           meta.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture(scope="session")
def published_editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both editions as ``make report`` publishes them, in one project copy.

    Returns each edition's ``latest/`` by language: English in
    ``reports/latest``, Arabic (``-p lang ar``) in ``reports/ar/latest``.
    Read-only: copy it before damaging.
    """
    root = copy_project(tmp_path_factory.mktemp("editions") / "project", reports=False)
    done = workbook(root, "run")  # every edition pyproject.toml declares
    assert done.returncode == 0, f"workbook run failed:\n{done.stdout}\n{done.stderr}"
    return {"en": root / "reports" / "latest", "ar": root / "reports" / "ar" / "latest"}
