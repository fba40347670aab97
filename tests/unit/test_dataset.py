"""dataset.load_dataset: every table, cross-table foreign keys, all problems at once."""

from __future__ import annotations

import pytest

from coalition_workbook.data import config
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.data.errors import TableValidationError
from coalition_workbook.figures import metrics


def problems(path):
    with pytest.raises(TableValidationError) as exc:
        load_dataset(path)
    return exc.value.problems


def test_curated_dataset_loads(tables) -> None:
    ds = load_dataset()
    assert len(ds.figures) == len(tables.records())
    assert len(ds.relations) == len(tables.records(tables.relations))
    assert set(ds.forces["force_id"]) == {r["force_id"] for r in tables.records(tables.forces)}
    assert config.FIGURES_CSV in ds.input_files()


def test_copy_uses_its_own_tables_and_sources(tables) -> None:
    ds = load_dataset(tables.figures)
    assert ds.sources_dir == tables.sources
    assert all(str(p).startswith(str(tables.root)) for p in ds.input_files())


def test_unknown_force_id(tables) -> None:
    index = next(i for i, r in enumerate(tables.records()) if r["force_id"])
    row = tables.set(index, "force_id", "space_force")
    (p,) = problems(tables.figures)
    assert (p.file, p.row, p.column) == (str(tables.figures), row, "force_id")
    assert '"space_force" is not a known force_id' in p.reason


@pytest.mark.parametrize("column", ["figure_id", "other_id"])
def test_relation_to_unknown_figure(tables, column: str) -> None:
    row = tables.set(0, column, "no_such_figure", path=tables.relations)
    (p,) = problems(tables.figures)
    assert (p.file, p.row, p.column) == (str(tables.relations), row, column)
    assert "no_such_figure" in p.reason


def test_problems_in_every_table_reported_together(tables) -> None:
    tables.set(1, "other_id", "no_such_figure", path=tables.relations)
    tables.set(0, "name_en", "", path=tables.forces)
    tables.set(0, "quote", tables.get(0, "quote") + " في المريخ")
    files = {p.file for p in problems(tables.figures)}
    assert files == {str(tables.relations), str(tables.forces), str(tables.figures)}


def test_spreadsheet_saved_copy_gives_the_same_metrics(tables) -> None:
    before = metrics.compute_metrics(load_dataset(tables.figures))
    for path in (tables.figures, tables.forces, tables.relations):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8-sig"))
    after = metrics.compute_metrics(load_dataset(tables.figures))
    assert after.equals(before)


def test_schema_and_quote_problems_reported_in_one_run(tables) -> None:
    records = tables.records()
    unit_row = tables.set(0, "unit", "parsecs")
    quote_row = tables.set(1, "quote", records[1]["quote"] + " zzz-not-in-article")
    found = {(p.row, p.column) for p in problems(tables.figures)}
    assert (unit_row, "unit") in found
    assert (quote_row, "quote") in found


def test_a_malformed_ignored_table_is_refused_with_the_rest(tables) -> None:
    """ignored.csv is curated data too: `workbook validate` checks it, located."""
    tables.ignore_one()
    path = tables.root / "ignored.csv"
    header, rows = tables.read(path)
    rows.append([rows[0][0], "not a line", *rows[0][2:]])
    tables.write(path, header, rows)
    with pytest.raises(TableValidationError) as err:
        load_dataset(tables.figures)
    (p,) = [p for p in err.value.problems if p.file == str(path)]
    assert (p.row, p.column) == (len(rows) + 1, "paragraph")
    rows[-1] = rows[-1][:2]  # a damaged record: too few cells
    tables.write(path, header, rows)
    with pytest.raises(TableValidationError) as err:
        load_dataset(tables.figures)
    assert [p.row for p in err.value.problems if p.file == str(path)] == [len(rows) + 1]


# --- what validate accepts, every export can represent -----------------------------------

def test_a_value_with_thousands_separators_is_refused_with_its_fix(tables) -> None:
    index = next(i for i, r in enumerate(tables.records()) if float(r["value"]) >= 1000)
    written = f"{int(float(tables.get(index, 'value'))):,}"
    row = tables.set(index, "value", written)
    (p,) = [p for p in problems(tables.figures) if p.column == "value"]
    assert (p.row, p.reason) == (row, f'"{written}" has thousands separators; write '
                                      f'{written.replace(",", "")}')


def test_a_kind_not_in_kinds_csv_is_refused(tables) -> None:
    index = next(i for i, r in enumerate(tables.records()) if r["kind"])
    row = tables.set(index, "kind", "bananas")
    (p,) = problems(tables.figures)
    assert (p.row, p.column) == (row, "kind") and "kinds.csv" in p.reason


def _relate(tables, relation: str, a: str, b: str) -> int:
    header, rows = tables.read(tables.relations)
    new = {"figure_id": a, "relation": relation, "other_id": b, "note": "test"}
    tables.write(tables.relations, header, [*rows, [new.get(h, "") for h in header]])
    return len(rows) + 2


def test_a_loop_of_part_of_relations_is_refused_naming_both_rows(tables) -> None:
    part = next(r for r in tables.records(tables.relations) if r["relation"] == "part_of")
    rows = [i + 2 for i, r in enumerate(tables.records(tables.relations)) if r == part]
    new = _relate(tables, "part_of", part["other_id"], part["figure_id"])
    loops = [p for p in problems(tables.figures) if "loop" in p.reason]
    assert [p.row for p in loops] == [new]
    assert f"rows {rows[0]} and {new}" in loops[0].reason


def test_an_exact_part_larger_than_its_exact_whole_is_refused(tables) -> None:
    related = {x for r in tables.records(tables.relations) for x in (r["figure_id"],
                                                                      r["other_id"])}
    exact = [r for r in tables.records() if r["qualifier"] == "exact" and r["id"] not in related]
    big, small = next((a, b) for a in exact for b in exact
                      if a["unit"] == b["unit"] and float(a["value"]) > float(b["value"]))
    row = _relate(tables, "part_of", big["id"], small["id"])
    (p,) = [p for p in problems(tables.figures) if "cannot be part of it" in p.reason]
    assert p.row == row and big["id"] in p.reason and small["id"] in p.reason


def test_problems_come_sorted_by_file_and_row(tables) -> None:
    """Every problem of every table at once, in the order a reader fixes them."""
    tables.set(9, "unit", "parsecs")
    tables.set(2, "qualifier", "sometimes")
    tables.set(1, "quote", "words the article does not have")  # found by a later check
    tables.set(0, "other_id", "no_such_figure", path=tables.relations)
    found = [(p.file, p.row or 0) for p in problems(tables.figures)]
    assert len(found) >= 3 and found == sorted(found)
