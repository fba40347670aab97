"""Helpers for tests over the SYNTHETIC second article (tests/fixtures/second_article/)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from coalition_workbook.data import config, draft
from tests.conftest import read_rows, write_rows

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "second_article"
TEXT = FIXTURE / "reconstruction_synthetic.txt"
NEW_UNIT = {"unit": "trucks", "label_en": "trucks", "label_ar": "شاحنة",
            "nouns_ar": "شاحنة شاحنات", "draft_category": "reconstruction"}
NEW_CATEGORY = ["reconstruction", "Reconstruction", "إعادة الإعمار"]


def expected() -> set[tuple[str, str, str]]:
    """The answer key: (paragraph, value, qualifier) a human reads off the synthetic text."""
    with (FIXTURE / "expected.csv").open(encoding="utf-8") as fh:
        return {(r["paragraph"], r["value"], r["qualifier"]) for r in csv.DictReader(fh)}


def add_row(path: Path, row: list[str] | dict[str, str]) -> None:
    """Append a row: a list fills the first columns, a dict names its columns."""
    header, rows = read_rows(path)
    if isinstance(row, dict):
        row = [row.get(h, "") for h in header]
    write_rows(path, header, [*rows, row + [""] * (len(header) - len(row))])


def second_article_project(root: Path) -> Path:
    """A data folder holding only the synthetic article, with a new unit and category.

    Returns the folder; figures.csv is left for the test to write.
    """
    root.mkdir(parents=True, exist_ok=True)
    for name in ("forces.csv", "units.csv", "categories.csv"):
        shutil.copy(config.DATA_DIR / name, root / name)
    header, _ = read_rows(config.DATA_DIR / "relations.csv")
    write_rows(root / "relations.csv", header, [])
    add_row(root / "units.csv", NEW_UNIT)
    add_row(root / "categories.csv", NEW_CATEGORY)
    (root / "sources").mkdir()
    for f in FIXTURE.glob("reconstruction_synthetic.*"):
        shutil.copy(f, root / "sources" / f.name)
    return root


def fill(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """What the analyst types: descriptive fields, and unit/category where the draft left them."""
    return [{**r, "unit": r["unit"] or "trucks", "category": r["category"] or "reconstruction",
             "actor": r.get("actor") or "coalition",
             "subject_en": r["subject_en"] or "synthetic figure",
             "attributed_to": r["attributed_to"] or "synthetic article"} for r in rows]


def empty_accounted() -> draft.Accounted:
    return draft.Accounted({}, {})
