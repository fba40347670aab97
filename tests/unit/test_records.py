"""records.read_records: the cells, rows and sizes of any CSV, against the csv module as oracle."""

from __future__ import annotations

import csv
import io
import os
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook import records
from coalition_workbook.errors import TableValidationError

#: Cell text: ASCII and Arabic letters (whose last UTF-8 byte is often one a multi-byte
#: space also ends with), spaces of every kind ``str.strip`` removes, and quotes.
CELL = st.text(alphabet="ab ةع١\t\u00a0\u2003\u3000\u202f\u0085«", max_size=3)


def _csv_records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@given(st.lists(st.lists(st.text(alphabet="ab ع١\t", max_size=3), max_size=4), max_size=6),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_cell_count_without_quotes_agrees_with_the_csv_module(
        table: list[list[str]], end: str, final: bool) -> None:
    text = end.join(",".join(r) for r in table) + (end if final else "")
    want = [len(r) for r in _csv_records(text)]
    assert records._cells_per_record(text.encode()).tolist() == want


@given(st.lists(st.lists(CELL, min_size=0, max_size=4), min_size=2, max_size=6),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.booleans(),
       st.sampled_from([1 << 22, 1, 6, 17]), st.sampled_from([records._DECODE_LIMIT, 1]))
def test_records_read_or_refused_as_the_csv_module_counts_them(
        tmp_path_factory, table: list[list[str]], end: str, final: bool, bom: bool,
        chunk: int, large: int) -> None:
    """Whatever the raggedness (short, long, blank records), spacing, the size of the
    chunks the bytes are measured in and whether the file is decoded whole first
    (``large``: 1 means never), the reader keeps exactly the records the csv module
    sees, trimmed, or names each record whose cell count differs; where it measured
    cell sizes, they are each cell's UTF-8 bytes."""
    text = end.join(",".join(r) for r in table) + (end if final else "")
    if not text.strip():
        return
    path = tmp_path_factory.mktemp("ragged") / "t.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    seen = _csv_records(text)
    width = len(seen[0])
    kept = [(n, r) for n, r in enumerate(seen[1:], start=2) if any(c.strip() for c in r)]
    wrong = [n for n, r in kept if len(r) != width]
    try:
        with patch.object(records, "_CHUNK_BYTES", chunk), \
                patch.object(records, "_DECODE_LIMIT", large):
            got = records.read_records(path)
    except TableValidationError as exc:
        assert [p.row for p in exc.problems] == wrong and wrong
        return
    assert not wrong
    assert got.header == [c.strip() for c in seen[0]]
    assert got.rows.tolist() == [n for n, _ in kept]
    assert got.body.to_numpy().tolist() == [[c.strip() for c in r] for _, r in kept]
    if got.sizes is not None:
        assert got.sizes.tolist() == [[len(c.encode()) for c in r] for _, r in kept]


@pytest.mark.parametrize("cell", ["x\u00a0", "\u3000x", "x\u2003", "\tx", "x ", "x\u0085"])
def test_a_grid_file_with_one_spaced_cell_is_trimmed(tmp_path, cell: str) -> None:
    """The byte test that decides whether to trim misses no kind of space at either end."""
    path = tmp_path / "t.csv"
    path.write_text(f"a,b\nة,{cell}\nع,y\n", encoding="utf-8")
    got = records.read_records(path)
    assert got.body.to_numpy().tolist() == [["ة", cell.strip()], ["ع", "y"]]
    assert got.sizes is None  # trimmed cells are no longer their bytes


def test_a_grid_file_is_measured(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\r\nقال,\r\nx,”y”\r\n", encoding="utf-8")
    got = records.read_records(path)
    assert got.sizes is not None
    assert got.sizes.tolist() == [[6, 0], [1, 7]]


@given(st.integers(2, 5).flatmap(lambda w: st.lists(
           st.lists(st.text(alphabet="ab ةع١«”\u00a0", max_size=4).map(str.strip),
                    min_size=w, max_size=w), min_size=1, max_size=8)),
       st.sampled_from(["\n", "\r\n"]), st.booleans(), st.sampled_from([1 << 22, 1, 9]),
       st.sampled_from([records._DECODE_LIMIT, 1]))
def test_a_file_on_a_grid_is_measured_cell_by_cell(tmp_path_factory, table: list[list[str]],
                                                   end: str, final: bool, chunk: int,
                                                   large: int) -> None:
    """Every record as wide as the header, no cell to trim: each cell's size is its bytes."""
    table = [["h"] * len(table[0]), *table]  # a header, so no record is all blank... mostly
    text = end.join(",".join(r) for r in table) + (end if final else "")
    path = tmp_path_factory.mktemp("grid") / "t.csv"
    path.write_bytes(text.encode())
    with patch.object(records, "_CHUNK_BYTES", chunk), \
            patch.object(records, "_DECODE_LIMIT", large):
        got = records.read_records(path)
    kept = [r for r in table[1:] if any(r)]
    assert got.body.to_numpy().tolist() == kept
    assert got.sizes is not None
    assert got.sizes.tolist() == [[len(c.encode()) for c in r] for r in kept]


@pytest.mark.parametrize("large", [records._DECODE_LIMIT, 1])
@pytest.mark.parametrize("after", ["", "a,b\nx,y\nz,w\n", "a,b\nx,y\n"])
def test_a_file_saved_again_while_it_is_read_is_refused(tmp_path, large: int, after: str) -> None:
    """Another program truncating or rewriting the table between our read of its bytes
    and pandas' parse gets a located refusal (a mapped file used to kill the process),
    even when the new text has the same size."""
    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,y\nq,r\n")
    parse = records.pd.read_csv

    def parse_then_save(*args, **kwargs):  # the save lands between the two reads
        out = parse(*args, **kwargs)
        path.write_text(after)
        os.utime(path, ns=(1, 1))  # even a coarse clock sees a different time
        return out

    with patch.object(records, "_DECODE_LIMIT", large), \
            patch.object(records.pd, "read_csv", parse_then_save), \
            pytest.raises(TableValidationError) as caught:
        records.read_records(path)
    assert [(p.file, p.row) for p in caught.value.problems] == [(str(path), None)]
    assert "changed while it was read" in caught.value.problems[0].reason


def test_a_file_that_cannot_be_read_is_named(tmp_path) -> None:
    """No permission to read (simulated: the tests may run as root) is one located line."""
    path = tmp_path / "t.csv"
    path.write_text("a,b\nx,y\n")
    denied = PermissionError(13, "Permission denied")
    with patch.object(type(path), "read_bytes", side_effect=denied), \
            pytest.raises(TableValidationError) as caught:
        records.read_records(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: cannot be read (Permission denied)"]
