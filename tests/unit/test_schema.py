"""schema.load_table: each kind of schema error, located by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import strategies as st

from coalition_workbook.data import config, schema
from coalition_workbook.data.errors import Problem, TableValidationError

FIXTURES = Path(__file__).parent.parent / "fixtures"


def problems_of(path: Path, table: str | None = None) -> list[Problem]:
    with pytest.raises(TableValidationError) as exc:
        schema.load_table(path, table)
    assert exc.value.problems, "a TableValidationError must carry its problems"
    for p in exc.value.problems:
        assert p.file == str(path)
        assert str(p).startswith(f"{path}:")
    return exc.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_curated_tables_load() -> None:
    figures = schema.load_table(config.FIGURES_CSV)
    assert list(figures.columns) == schema.TABLES["figures"]["fields"]
    assert figures["value"].dtype == float
    assert str(figures["paragraph"].dtype) == "Int64"
    assert figures.index[0] == 2  # the spreadsheet row: header = 1
    assert figures.attrs["file"] == str(config.FIGURES_CSV)
    assert not schema.load_table(config.FORCES_CSV).empty
    assert not schema.load_table(config.RELATIONS_CSV).empty


# --- one broken cell per test ------------------------------------------------

@pytest.mark.parametrize(("column", "bad", "reason"), [
    ("value", "lots", "is not a finite number"),
    ("paragraph", "second", "is not a whole number"),
    ("paragraph", "2.5", "is not a whole number"),
    ("paragraph", "0", "below the minimum"),
    ("unit", "parsecs", "is not one of"),
    ("qualifier", "roughly", "is not one of"),
    ("category", "gossip", "is not one of"),
    ("id", "Not Snake", "is not snake_case"),
    ("source", "../figures.csv", "is not a file name in data/sources/"),
    ("source", "/etc/passwd", "is not a file name in data/sources/"),
    ("value", "1e400", "is not a finite number"),
    ("as_of", "June 2021", "does not match"),
    ("subject_en", "", "required field is empty"),
    ("quote", "  ", "required field is empty"),
])
def test_bad_cell_is_located(tables, column: str, bad: str, reason: str) -> None:
    row = tables.set(3, column, bad)
    p = only(problems_of(tables.figures))
    assert (p.row, p.column) == (row, column)
    assert reason in p.reason


def test_negative_count(tables) -> None:
    value = tables.get(5, "value")
    row = tables.set(5, "value", f"-{value}")
    p = only(problems_of(tables.figures))
    assert (p.row, p.column) == (row, "value")
    assert "below the minimum 0" in p.reason


def test_duplicate_id(tables) -> None:
    first = tables.get(0, "id")
    row = tables.set(4, "id", first)
    (p,) = problems_of(tables.figures)  # the repeat only, naming the row it repeats
    assert (p.row, p.column) == (row, "id")
    assert f'duplicate id "{first}" (first on row 2)' in p.reason


def test_duplicate_primary_key_in_relations(tables) -> None:
    header, rows = tables.read(tables.relations)
    tables.write(tables.relations, header, [*rows, rows[0]])
    problems = problems_of(tables.relations)
    assert any(p.row == len(rows) + 2 and "duplicate" in p.reason for p in problems)


def test_every_problem_is_reported_at_once(tables) -> None:
    rows = {tables.set(1, "unit", "parsecs"), tables.set(6, "value", "lots"),
            tables.set(9, "attributed_to", "")}
    problems = problems_of(tables.figures)
    assert {(p.row, p.column) for p in problems} == {
        (min(rows), "unit"), (sorted(rows)[1], "value"), (max(rows), "attributed_to")}
    with pytest.raises(TableValidationError) as exc:
        schema.load_table(tables.figures)
    assert str(exc.value).splitlines() == [*map(str, problems), "3 problems found"]


def test_message_has_file_row_column_reason(tables) -> None:
    row = tables.set(2, "qualifier", "roughly")
    with pytest.raises(TableValidationError) as exc:
        schema.load_table(tables.figures)
    assert str(exc.value).startswith(f"{tables.figures}:{row}:qualifier: ")
    assert (exc.value.file, exc.value.row, exc.value.column) == (
        str(tables.figures), row, "qualifier")


# --- broken structure --------------------------------------------------------

def test_missing_column(tables) -> None:
    header, rows = tables.read(tables.figures)
    i = header.index("unit")
    tables.write(tables.figures, header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows])
    p = only(problems_of(tables.figures))
    assert (p.row, p.column, p.reason) == (1, "unit", "required column is missing")


def test_unknown_extra_column_is_an_error(tables) -> None:
    header, rows = tables.read(tables.figures)
    tables.write(tables.figures, [*header, "qualifer"], [[*r, ""] for r in rows])
    p = only(problems_of(tables.figures))
    assert (p.row, p.column) == (1, "qualifer")
    assert "unknown column" in p.reason


def test_misspelt_column_gives_both_problems(tables) -> None:
    header, rows = tables.read(tables.figures)
    header[header.index("qualifier")] = "qualifer"
    tables.write(tables.figures, header, rows)
    problems = problems_of(tables.figures)
    assert {(p.row, p.column) for p in problems} == {(1, "qualifer"), (1, "qualifier")}


def test_empty_file(tables) -> None:
    tables.figures.write_bytes(b"")
    p = only(problems_of(tables.figures))
    assert (p.row, p.column) == (1, None)
    assert "empty" in p.reason


def test_header_only(tables) -> None:
    header, _ = tables.read(tables.figures)
    tables.write(tables.figures, header, [])
    p = only(problems_of(tables.figures))
    assert p.row == 2
    assert "no data rows" in p.reason


def test_header_only_relations_is_fine(tables) -> None:
    header, _ = tables.read(tables.relations)
    tables.write(tables.relations, header, [])
    assert schema.load_table(tables.relations).empty


def test_not_utf8(tables) -> None:
    text = tables.figures.read_text(encoding="utf-8")
    tables.figures.write_bytes(text.encode("cp1256"))
    first_arabic_line = next(n for n, line in enumerate(text.split("\n"), start=1)
                             if not line.isascii())
    p = only(problems_of(tables.figures))
    assert p.row == first_arabic_line
    assert "not UTF-8" in p.reason


def test_short_row(tables) -> None:
    header, rows = tables.read(tables.figures)
    rows[3] = rows[3][:-2]
    tables.write(tables.figures, header, rows)
    p = only(problems_of(tables.figures))
    assert p.row == 5
    assert f"has {len(header) - 2} cells, the header has {len(header)}" in p.reason


def test_large_file_reports_the_same_located_problems(tables) -> None:
    """Files over 1 MB take the fast reader; its row numbers must be as exact."""
    header, rows = tables.read(tables.figures)
    i = header.index("id")
    big = [[*r[:i], f"{r[i]}_{k}", *r[i + 1:]] for k in range(300) for r in rows]
    tables.write(tables.figures, header, big)
    assert tables.figures.stat().st_size > 1 << 20
    assert len(schema.load_table(tables.figures)) == len(big)
    broken = len(big) - 7
    row = tables.set(broken, "unit", "parsecs")
    text = tables.figures.read_text(encoding="utf-8").split("\n")
    text.insert(5, "")
    tables.figures.write_bytes(("\r\n".join(text)).encode("utf-8-sig"))
    p = only(problems_of(tables.figures))
    assert (p.row, p.column) == (row + 1, "unit")


def test_ragged_row(tables) -> None:
    header, rows = tables.read(tables.figures)
    rows[7].append("stray")
    tables.write(tables.figures, header, rows)
    p = only(problems_of(tables.figures))
    assert p.row == 9
    assert f"has {len(header) + 1} cells, the header has {len(header)}" in p.reason


def test_missing_file(tmp_path: Path) -> None:
    p = only(problems_of(tmp_path / "figures.csv"))
    assert "file not found" in p.reason


def test_unknown_table(tmp_path: Path) -> None:
    path = tmp_path / "planets.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    assert "unknown table" in only(problems_of(path)).reason


def test_blank_lines_keep_spreadsheet_row_numbers(tables) -> None:
    row = tables.set(4, "unit", "parsecs")
    text = tables.figures.read_text(encoding="utf-8").split("\n")
    text.insert(3, ",,")  # an empty line (as a spreadsheet saves it) above the broken row
    text.insert(2, "")
    tables.figures.write_text("\n".join(text), encoding="utf-8")
    assert only(problems_of(tables.figures)).row == row + 2


# --- what a spreadsheet saves ------------------------------------------------

def test_bom_and_crlf_load_identically(tables) -> None:
    plain = schema.load_table(tables.figures)
    text = tables.figures.read_text(encoding="utf-8")
    tables.figures.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert tables.figures.read_bytes().count(b"\r\n") >= len(plain)
    spreadsheet = schema.load_table(tables.figures)
    pd.testing.assert_frame_equal(plain, spreadsheet)


def test_surrounding_spaces_are_trimmed(tables) -> None:
    unit = tables.get(0, "unit")
    tables.set(0, "unit", f"  {unit} ")
    assert schema.load_table(tables.figures)["unit"].iloc[0] == unit


# --- tiny synthetic fixtures -------------------------------------------------

def test_synthetic_forces_fixture_reports_every_problem() -> None:
    path = FIXTURES / "broken" / "forces.csv"
    problems = problems_of(path)
    # the repeated key is named once, on the repeat, pointing at the first
    assert {(p.row, p.column) for p in problems} == {(3, "force_id"), (4, "name_en"),
                                                     (5, "force_id")}
    assert any(p.row == 5 and "(first on row 2)" in p.reason for p in problems)


def test_data_dictionary_documents_unknown_columns_as_errors() -> None:
    assert "Unknown columns are an error" in schema.data_dictionary()
    assert "Unknown columns are an error" in schema.__doc__


# --- cell sizes: a declared limit per column; the reader itself never gives up ---------------

KIB = 1024


@pytest.mark.parametrize("size", [200 * KIB, 2 * KIB * KIB], ids=["200KiB", "2MiB"])
@pytest.mark.parametrize("column", ["note", "quote", "value", "unit", "id"])
def test_oversized_cell_is_one_located_problem(tables, column: str, size: int) -> None:
    """Past csv's 128 KiB field limit: one problem giving the length, never the text."""
    row = tables.set(3, column, "x" * size)
    p = only(problems_of(tables.figures))
    assert (p.row, p.column) == (row, column)
    assert f"{size:,} characters" in p.reason
    assert str(schema.max_length("figures", column)) in p.reason.replace(",", "")
    assert len(str(p)) < 200


def test_oversized_cells_in_several_rows_and_tables(tables) -> None:
    header, rows = tables.read(tables.forces)
    rows[0][header.index("name_en")] = "y" * (schema.max_length("forces", "name_en") + 1)
    tables.write(tables.forces, header, rows)
    other = tables.set(4, "unit", "parsecs")
    row = tables.set(1, "attributed_to", "z" * (200 * KIB))  # last: the helper reads with csv
    assert [(p.row, p.column) for p in problems_of(tables.forces)] == [(2, "name_en")]
    assert [(p.row, p.column) for p in problems_of(tables.figures)] == [
        (row, "attributed_to"), (other, "unit")]


def test_a_cell_at_its_limit_loads(tables) -> None:
    limit = schema.max_length("figures", "note")
    tables.set(2, "note", "n" * limit)
    assert schema.load_table(tables.figures)["note"].str.len().max() == limit


def test_unclosed_quote_is_located_not_a_traceback(tables) -> None:
    """An opening quote never closed swallows the rest of the file into one field."""
    lines = tables.figures.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].rsplit(",", 1)[0] + ',"' + "w" * (200 * KIB)
    tables.figures.write_text("\n".join(lines), encoding="utf-8")
    p = problems_of(tables.figures)[0]
    assert p.row == 4


def test_reading_leaves_the_csv_field_limit_as_it_was(tables) -> None:
    import csv

    before = csv.field_size_limit()
    tables.set(3, "note", "x" * (200 * KIB))
    problems_of(tables.figures)
    assert csv.field_size_limit() == before


def test_every_field_declares_a_max_length() -> None:
    """The default is a fallback for a future field, not a choice made for today's."""
    for table, meta in schema.TABLES.items():
        for col in meta["fields"]:
            assert "max_length" in schema.field_spec(table, col)["constraints"], (table, col)


MISSING = st.sampled_from([None, float("nan")])


def test_build_schema_passes_missing_text_cells() -> None:
    """``build_schema`` is public and nullable: a missing cell is not a vocabulary or
    pattern failure, a wrong one still is."""
    import pandera.errors

    allowed = schema._allowed("figures", None)
    cells = {c: pd.Series(["", "", ""], dtype="str") for c in schema.TABLES["figures"]["fields"]}
    frame = pd.DataFrame(cells)
    for c in frame:
        if schema.field_spec("figures", c)["type"] != "string":
            frame[c] = float("nan")
    frame["unit"] = pd.Series([None, allowed["unit"][0], "parsecs"], dtype="str")
    frame["as_of"] = pd.Series([None, "2021", "June 2021"], dtype="str")
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        schema.build_schema("figures", allowed).validate(frame, lazy=True)
    failed = caught.value.failure_cases
    failed = failed[failed["column"].isin(["unit", "as_of"])]
    assert sorted(zip(failed["column"], failed["failure_case"], strict=True)) == [
        ("as_of", "June 2021"), ("unit", "parsecs")]


