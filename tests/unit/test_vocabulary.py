"""Units and categories are rows of data tables: a new one is a row, with its labels."""

from __future__ import annotations

import pytest

from coalition_workbook.data import config, schema
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.data.errors import TableValidationError
from coalition_workbook.figures import labels
from tests.unit.second_article import NEW_CATEGORY, NEW_UNIT, add_row


def test_schema_and_labels_read_the_tables() -> None:
    table = schema.load_table(config.DATA_DIR / "units.csv")
    assert table["unit"].to_list() == schema.UNITS
    for unit, en, ar in table[["unit", "label_en", "label_ar"]].itertuples(index=False):
        assert labels.unit_label(unit, "en") == en
        assert labels.unit_label(unit, "ar") == ar
    cats = schema.load_table(config.DATA_DIR / "categories.csv")
    assert cats["category"].to_list() == schema.CATEGORIES
    assert [labels.category_label(c, "ar") for c in cats["category"]] == cats["label_ar"].to_list()


def test_new_unit_and_category_are_one_row_each(tables, monkeypatch: pytest.MonkeyPatch) -> None:
    # key and two labels only
    add_row(tables.root / "units.csv", [NEW_UNIT[k] for k in ("unit", "label_en", "label_ar")])
    add_row(tables.root / "categories.csv", NEW_CATEGORY)
    tables.set(0, "unit", NEW_UNIT["unit"])
    tables.set(0, "category", NEW_CATEGORY[0])
    ds = load_dataset(tables.figures)
    assert ds.figures.iloc[0][["unit", "category"]].to_list() == [NEW_UNIT["unit"], NEW_CATEGORY[0]]
    monkeypatch.setattr(config, "DATA_DIR", tables.root)
    assert labels.unit_label(NEW_UNIT["unit"], "ar") == NEW_UNIT["label_ar"]
    assert labels.category_label(NEW_CATEGORY[0], "en") == NEW_CATEGORY[1]
    trucks = labels.format_figure(12, unit=NEW_UNIT["unit"], lang="ar")
    assert trucks == f"12 {NEW_UNIT['label_ar']}"  # no accusative_ar: the label


def test_unit_not_in_the_table_names_the_table(tables) -> None:
    row = tables.set(0, "unit", "parsecs")
    with pytest.raises(TableValidationError) as exc:
        load_dataset(tables.figures)
    (p,) = exc.value.problems
    assert (p.file, p.row, p.column) == (str(tables.figures), row, "unit")
    assert "units.csv" in p.reason


def test_broken_vocabulary_row_is_located(tables) -> None:
    path = tables.root / "categories.csv"
    add_row(path, ["reconstruction", "Reconstruction", ""])
    _header, rows = tables.read(path)
    with pytest.raises(TableValidationError) as exc:
        load_dataset(tables.figures)
    assert any((p.file, p.row, p.column) == (str(path), len(rows) + 1, "label_ar")
               for p in exc.value.problems)


def test_formats_come_from_the_table(tables, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tables.root / "units.csv"
    header, rows = tables.read(path)
    fmt = header.index("format_en")
    rows[0][fmt] = "{n} (custom)"
    tables.write(path, header, rows)
    monkeypatch.setattr(config, "DATA_DIR", tables.root)
    assert labels.format_figure(5, unit=rows[0][0]) == "5 (custom)"
    assert labels.unit_format(rows[1][0], "ar").startswith("{n}")


def test_optional_columns_may_be_left_out(tables) -> None:
    path = tables.root / "units.csv"
    header, rows = tables.read(path)
    tables.write(path, header[:3], [r[:3] for r in rows])
    assert schema.load_table(path)["format_en"].eq("").all()
    load_dataset(tables.figures)


def test_data_dictionary_lists_the_tables_keys() -> None:
    text = schema.data_dictionary()
    for unit in schema.UNITS:
        assert f"`{unit}`" in text
    assert "## `data/units.csv`" in text and "meta.yml" in text
