"""Shared fixtures: a private copy of data/ that a test may damage one cell at a time.

Broken fixtures are made by copying the curated tables and editing them
programmatically, so the tests keep working when curated data legitimately
changes, and every number a test uses comes from the data, not the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coalition_workbook.data import config
from tests.conftest import read_rows, write_rows


class Tables:
    """A copy of data/ with helpers to read and rewrite its CSVs cell by cell."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.figures = root / "figures.csv"
        self.forces = root / "forces.csv"
        self.relations = root / "relations.csv"
        self.sources = root / "sources"

    read = staticmethod(read_rows)
    write = staticmethod(write_rows)

    def records(self, path: Path | None = None) -> list[dict[str, str]]:
        header, rows = self.read(path or self.figures)
        return [dict(zip(header, r, strict=True)) for r in rows]

    def row_of(self, figure_id: str, path: Path | None = None) -> int:
        """Spreadsheet row (header = 1) of a figure id."""
        ids = [r["id"] for r in self.records(path)]
        return ids.index(figure_id) + 2

    def get(self, index: int, column: str, path: Path | None = None) -> str:
        return self.records(path)[index][column]

    def set(self, index: int, column: str, value: str, path: Path | None = None) -> int:
        """Set one cell of data row ``index`` (0-based); return its spreadsheet row."""
        path = path or self.figures
        header, rows = self.read(path)
        rows[index][header.index(column)] = value
        self.write(path, header, rows)
        return index + 2


    def ignore_one(self) -> dict[str, str]:
        """Move one curated figure (in no relation) to ignored.csv, as an analyst would.

        Returns the ignored row; the shipped data may have none of its own.
        """
        from coalition_workbook.data import numerals

        related = {x for r in self.records(self.relations) for x in (r["figure_id"],
                                                                      r["other_id"])}
        header, rows = self.read(self.figures)
        k = next(i for i, r in enumerate(rows) if r[header.index("id")] not in related)
        fig = dict(zip(header, rows.pop(k), strict=True))
        self.write(self.figures, header, rows)
        line = (self.sources / fig["source"]).read_text(encoding="utf-8").split("\n")[
            int(fig["paragraph"]) - 1]
        start = line.index(fig["quote"])
        text = next(m.text for m in numerals.find_numbers(line)
                    if m.start >= start and m.end <= start + len(fig["quote"]))
        ig_header, ig_rows = self.read(self.root / "ignored.csv")
        row = {"source": fig["source"], "paragraph": fig["paragraph"], "text": text,
               "reason": "set aside by a test", "reason_ar": "استُبعد في اختبار"}
        self.write(self.root / "ignored.csv", ig_header,
                   [*ig_rows, [row.get(h, "") for h in ig_header]])
        return row


@pytest.fixture
def tables(tmp_path: Path) -> Tables:
    """A private copy of data/ (figures, forces, relations, sources)."""
    root = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, root)
    return Tables(root)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ and notebooks/ that config (and so the runner) points at."""
    root = tmp_path / "project"
    shutil.copytree(config.DATA_DIR, root / "data")
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    monkeypatch.setattr(config, "ROOT", root)
    monkeypatch.setattr(config, "DATA_DIR", root / "data")
    monkeypatch.setattr(config, "SOURCES_DIR", root / "data" / "sources")
    return root
