"""The one CSV reader: a table as a spreadsheet saves it, with each record's row number.

``read_records`` accepts UTF-8 with or without BOM, LF, CRLF or CR line ends, quoted
cells and cells of any size. It trims each cell, drops blank records but keeps the
row numbers of the others as a spreadsheet shows them (header = row 1), and names
every record whose cell count differs from the header's. ``schema.load_table`` then
holds the cells to the declared schema; ``read_rows`` gives a small table's records as
dicts, and ``read_text`` a table's text (exports copy it verbatim).

pandas' C parser reads the cells. It pads a short record silently, so cells are also
counted per record: with numpy over the bytes of a file without quotes, or with the
``csv`` module otherwise. When the counts show a ragged file, or the two disagree on
how many records there are, the ``csv`` module reads the whole file and names every
wrong record: it is the reference for what a record is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .errors import Problem, TableValidationError

_BOM = b"\xef\xbb\xbf"


class Records(NamedTuple):
    """A CSV split into its parts (``read_records``)."""

    header: list[str]
    body: pd.DataFrame  # text cells (pandas' str dtype), trimmed; blank records dropped
    rows: np.ndarray  # each body record's spreadsheet row (header = 1)


def read_text(path: Path) -> str:
    """A table's text, accepting a spreadsheet's UTF-8 BOM; other encodings are refused
    with the line of the first bad byte."""
    return _decode(_read_bytes(path), str(path))


def read_records(path: Path) -> Records:
    """Split a CSV into header, trimmed text cells and each record's spreadsheet row.

    Raises:
        TableValidationError: For a missing, unreadable, empty or non-UTF-8 file
            (located), or one problem per record whose cell count differs from the
            header's.
    """
    name = str(path)
    data = _read_bytes(path)
    if not data.removeprefix(_BOM).strip():
        raise TableValidationError(problems=[Problem(
            name, 1, None, "file is empty; expected a header row")])
    try:
        raw = pd.read_csv(io.BytesIO(data), header=None, dtype=object, encoding="utf-8-sig",
                          keep_default_na=False, skip_blank_lines=False)
    except UnicodeDecodeError:
        _decode(data, name)  # raises the located error
        raise
    except (pd.errors.ParserError, ValueError):
        raw = None  # a record wider than the first: the csv module names each
    counts = _cells_per_record(data.removeprefix(_BOM))
    if counts is None:
        text = _decode(data, name)
        with _no_field_limit(len(text)):
            counts = np.fromiter(map(len, csv.reader(io.StringIO(text, newline=""))),
                                 dtype=np.int64)
    if raw is None or len(raw) != len(counts) or not _even(counts):
        return _read_with_csv(_decode(data, name), name)
    raw = raw.apply(_strip)
    header = raw.iloc[0].tolist()
    body = raw.iloc[1:]
    maybe_blank = body[body[0] == ""]  # a blank record's first cell is empty
    blank = maybe_blank.index[(maybe_blank == "").all(axis=1).to_numpy()]
    if len(blank):
        body = body.drop(index=blank)
    return Records(header, body, body.index.to_numpy(dtype=np.int64) + 1)


def _strip(cells: pd.Series) -> pd.Series:
    """Trim each cell; text columns come out as pandas' ``str`` dtype."""
    return pd.Series([c.strip() for c in cells.to_numpy()], index=cells.index, dtype="str")


def read_rows(path: Path) -> list[dict[str, str]]:
    """A CSV's records as dicts from header to trimmed cell, for small tables read without
    their schema (a run's own ``metrics.csv``, the sources a figures table names)."""
    header, body, _ = read_records(Path(path))
    return [dict(zip(header, cells, strict=True)) for cells in body.itertuples(index=False)]


def _read_bytes(path: Path) -> bytes:
    """A file's bytes (a located error for a missing file, a folder or no permission)."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        what = "is a folder, not a CSV file" if path.is_dir() else "file not found"
    except OSError as exc:  # no permission, a device gone: still the user's file to fix
        what = f"cannot be read ({exc.strerror or type(exc).__name__})"
    raise TableValidationError(problems=[Problem(str(path), None, None, what)])


def _decode(raw: bytes, name: str) -> str:
    """``raw`` as UTF-8 text without a BOM, or a located error at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableValidationError(problems=[Problem(
            name, line, None,
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as 'CSV UTF-8'")]) from None


def _even(counts: np.ndarray) -> bool:
    """Whether every record has as many cells as the header, blank records aside."""
    return bool(len(counts) and np.isin(counts[1:], (0, counts[0])).all())


def _cells_per_record(data: bytes) -> np.ndarray | None:
    """Cells per record of a CSV without quotes (None if it has quotes).

    Equal to what ``csv.reader`` counts for LF or CRLF line ends (an empty line has 0
    cells): one more than the commas between two line ends.

    Examples:
        >>> _cells_per_record(b"a,b\\n\\nc\\r\\n").tolist()
        [2, 0, 1]
    """
    if b'"' in data:
        return None
    arr = np.frombuffer(data, dtype=np.uint8)
    if not len(arr):
        return np.zeros(0, dtype=np.int64)
    if arr[-1] == ord("\n"):
        arr = arr[:-1]
    ends = np.flatnonzero(arr == ord("\n"))
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(arr)]))
    commas = np.flatnonzero(arr == ord(","))
    counts = np.searchsorted(commas, stops) - np.searchsorted(commas, starts)
    length = stops - starts
    has_cr = length > 0
    has_cr[has_cr] = arr[stops[has_cr] - 1] == ord("\r")
    return np.where(length - has_cr == 0, 0, counts + 1).astype(np.int64)


@contextmanager
def _no_field_limit(size: int) -> Iterator[None]:
    """Let the ``csv`` module read a field as large as the whole file, then restore its
    limit (its default, 128 KiB, raises from deep in the reader)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_with_csv(text: str, name: str) -> Records:
    """The reference reading, record by record: names every record of the wrong width."""
    with _no_field_limit(len(text)):
        reader = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(reader)]
        numbered = [(n, r) for n, r in enumerate(reader, start=2) if any(c.strip() for c in r)]
    problems = [Problem(name, n, None, f"has {len(r)} cells, the header has {len(header)}")
                for n, r in numbered if len(r) != len(header)]
    if problems:
        raise TableValidationError(problems=problems)
    body = pd.DataFrame([r for _, r in numbered], columns=range(len(header)), dtype=object)
    body = body.apply(_strip)
    return Records(header, body, np.array([n for n, _ in numbered], dtype=np.int64))
