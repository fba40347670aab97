"""reading.read_records: the cells and rows of any CSV, against the csv module as oracle."""

from __future__ import annotations

import csv
import io
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook.data import reading
from coalition_workbook.data.errors import TableValidationError

#: Cell text: ASCII and Arabic letters, spaces of every kind ``str.strip`` removes, quotes.
CELL = st.text(alphabet='ab ةع١\t\u00a0\u2003\u3000\u202f\u0085«"\n', max_size=3)


def _csv_records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in ',"\n\r') else cell


@given(st.lists(st.lists(st.text(alphabet="ab ع١\t", max_size=3), max_size=4), max_size=6),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_cell_count_without_quotes_agrees_with_the_csv_module(
        table: list[list[str]], end: str, final: bool) -> None:
    text = end.join(",".join(r) for r in table) + (end if final else "")
    want = [len(r) for r in _csv_records(text)]
    assert reading._cells_per_record(text.encode()).tolist() == want


@given(st.lists(st.lists(CELL, min_size=0, max_size=4), min_size=2, max_size=6),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.booleans())
def test_records_read_or_refused_as_the_csv_module_counts_them(
        tmp_path_factory, table: list[list[str]], end: str, final: bool, bom: bool) -> None:
    """Whatever the raggedness (short, long, blank records), quoting and spacing, the
    reader keeps exactly the records the csv module sees, trimmed, or names each record
    whose cell count differs."""
    text = end.join(",".join(map(_quoted, r)) for r in table) + (end if final else "")
    if not text.strip():
        return
    path = tmp_path_factory.mktemp("ragged") / "t.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    seen = _csv_records(text)
    width = len(seen[0])
    kept = [(n, r) for n, r in enumerate(seen[1:], start=2) if any(c.strip() for c in r)]
    wrong = [n for n, r in kept if len(r) != width]
    try:
        got = reading.read_records(path)
    except TableValidationError as exc:
        assert [p.row for p in exc.problems] == wrong and wrong
        return
    assert not wrong
    assert got.header == [c.strip() for c in seen[0]]
    assert got.rows.tolist() == [n for n, _ in kept]
    assert got.body.to_numpy().tolist() == [[c.strip() for c in r] for _, r in kept]


@pytest.mark.parametrize("cell", ["x\u00a0", "\u3000x", "x\u2003", "\tx", "x ", "x\u0085"])
def test_every_kind_of_space_is_trimmed(tmp_path, cell: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"a,b\nة,{cell}\nع,y\n", encoding="utf-8")
    got = reading.read_records(path)
    assert got.body.to_numpy().tolist() == [["ة", cell.strip()], ["ع", "y"]]


def test_a_short_record_is_named_not_padded(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n\n7,8,9,10\n", encoding="utf-8")
    with pytest.raises(TableValidationError) as caught:
        reading.read_records(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: has 2 cells, the header has 3", f"{path}:5: has 4 cells, the header has 3"]


def test_a_bad_byte_is_located(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\nx,y\n\xff,z\n")
    with pytest.raises(TableValidationError) as caught:
        reading.read_records(path)
    assert [(p.row, "not UTF-8" in p.reason) for p in caught.value.problems] == [(3, True)]


def test_a_file_that_cannot_be_read_is_named(tmp_path) -> None:
    """No permission to read (simulated: the tests may run as root) is one located line."""
    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,y\n")
    denied = PermissionError(13, "Permission denied")
    with patch.object(type(path), "read_bytes", side_effect=denied), \
            pytest.raises(TableValidationError) as caught:
        reading.read_records(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: cannot be read (Permission denied)"]
