"""Reading a CSV the way a spreadsheet saves it: header, records, row numbers, cell sizes.

``read_records`` is the one reader of the curated tables (``schema.load_table``
holds what it returns to the declared schema). It accepts UTF-8 with or without
BOM, LF or CRLF line ends, quoted cells, cells of any size; trims each cell;
drops blank records but keeps their row numbers, as a spreadsheet shows them;
and names every record whose cell count differs from the header's.

Speed, because a table can have a million rows: pandas' C parser reads the
cells; a file without quotes whose commas and line ends fall exactly on a
grid (every record as wide as the header, no blank record) is then measured
with numpy over its bytes, once: the byte offsets of every cell give its size
(an empty cell is 0 bytes; a cell of N characters has at least N bytes, so only
cells with more bytes than a limit need counting) and its first and last bytes
(whether any cell could need trimming). Any other file is counted with the
``csv`` module, record by record.
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
#: A file smaller than this is decoded whole first, to name a bad byte's line and to
#: refuse an empty file; a larger one is not (pandas' read finds a bad byte anyway).
_DECODE_LIMIT = 1 << 20


class Records(NamedTuple):
    """A CSV split into its parts (``read_records``)."""

    header: list[str]
    body: pd.DataFrame  # text cells (pandas' str dtype), trimmed; blank records dropped
    rows: np.ndarray  # each body record's spreadsheet row (header = 1)
    sizes: np.ndarray | None  # bytes in each body cell (records x columns), when measured


def read_csv_text(path: Path) -> str:
    """Read a table's text, accepting a spreadsheet's UTF-8 BOM; reject other encodings."""
    return _decode(_read_bytes(path), str(path))


def _read_bytes(path: Path) -> bytes:
    """A file's bytes, read once (a located error for a missing file or a folder).

    Read, not mapped: a mapped file that another program truncates meanwhile kills the
    process (SIGBUS); one copy costs 0.1 s at 180 MB.
    """
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        what = "is a folder, not a CSV file" if path.is_dir() else "file not found"
    except OSError as exc:  # no permission, a device gone: still the user's file to fix
        what = f"cannot be read ({exc.strerror or type(exc).__name__})"
    raise TableValidationError(problems=[Problem(str(path), None, None, what)])


def _stamp(path: Path) -> tuple[int, int]:
    """A file's size and modification time (``(-1, -1)`` once it is gone)."""
    try:
        st = path.stat()
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns


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


def _bom(data: bytes) -> int:
    """How many bytes of ``data`` are a UTF-8 BOM (0 or 3)."""
    return 3 if data[:3] == _BOM else 0


def read_records(path: Path) -> Records:
    """Split a CSV into header, body (text cells), each record's spreadsheet row and,
    for a file on a grid (see the module docstring), each cell's size in bytes.

    The bytes are read once here, and pandas parses the file from its path (its C
    reader is faster there than from memory): a file saved again between the two
    reads is refused with a message, not read half old and half new.

    Raises:
        TableValidationError: For a missing, empty or non-UTF-8 file (located),
            or one problem per record whose cell count differs from the header's.
    """
    name = str(path)
    stamp = _stamp(path)
    data = _read_bytes(path)
    # (A large file's bad byte is found by pandas' read below.)
    if len(data) < _DECODE_LIMIT and not _decode(data, name).strip():
        raise TableValidationError(problems=[Problem(
            name, 1, None, "file is empty; expected a header row")])
    try:
        # "utf-8-sig" only for a file with a BOM: pandas reads plain UTF-8 a fifth faster.
        raw = pd.read_csv(path, header=None, dtype=object,
                          encoding="utf-8-sig" if _bom(data) else "utf-8",
                          keep_default_na=False, na_filter=False, skip_blank_lines=False)
        grid = _measure(data, *raw.shape)
        full = grid is not None or _no_short_records(data, raw)
    except UnicodeDecodeError:
        _decode(data, name)  # raises the located error, unless the file changed meanwhile
        grid, full = None, False
    except (pd.errors.ParserError, ValueError, csv.Error, OSError):
        grid, full = None, False
    if len(data) != stamp[0] or _stamp(path) != stamp:
        raise TableValidationError(problems=[Problem(
            name, None, None, "the file changed while it was read; save it and run again")])
    if not full:
        with _no_field_limit(len(data)):
            return _read_records_slow(_decode(data, name), name)
    trim = _may_need_strip(data) if grid is None else grid.trim
    raw = raw.apply(_strip) if trim else raw.astype("str")
    header = [str(h) for h in raw.iloc[0]]
    body = raw.iloc[1:]
    sizes = None if grid is None or grid.sizes is None else grid.sizes[1:]
    # A blank record's first cell is empty: only those are looked at whole (measured
    # sizes answer without comparing a million texts).
    first_empty = np.flatnonzero(sizes[:, 0] == 0 if sizes is not None
                                 else body[0].to_numpy(dtype=object) == "")
    blank = first_empty[(body.iloc[first_empty] == "").all(axis=1).to_numpy()]
    if not len(blank):  # (the usual case: no copy)
        return Records(header, body, body.index.to_numpy(dtype=np.int64) + 1, sizes)
    kept = np.ones(len(body), dtype=bool)
    kept[blank] = False
    return Records(header, body[kept], body.index[kept].to_numpy(dtype=np.int64) + 1,
                   None if sizes is None else sizes[kept])


class _Grid(NamedTuple):
    """What ``_measure`` learns of a file on a grid."""

    trim: bool  # some cell begins or ends with whitespace
    sizes: np.ndarray | None  # bytes in each cell (records x columns), capped; None if trimmed


#: Sizes are kept as 16-bit counts: a larger cell reads as this (every limit is below it).
SIZE_CAP = np.iinfo(np.uint16).max
#: Bytes scanned at a time (whole records): temporaries stay small and reused, where
#: whole-file ones cost fresh memory pages (measured ~3 ms per MB on this machine).
_CHUNK_BYTES = 1 << 22


def _measure(data: bytes, records: int, width: int) -> _Grid | None:
    """Cell sizes of a quote-free file whose ``records`` records pandas read are each
    ``width`` cells wide, and whether any cell needs trimming; None for any other file.

    pandas refuses a record wider than the first and splits records at LF, CR
    or CRLF; the file is on the grid when its commas and LFs fall, record by
    record, as ``width - 1`` commas then an LF (the last LF may be missing), and
    it has as many such records as pandas read.
    """
    if data.find(b'"') >= 0 or width < 2:  # one column: a blank record and an empty cell look alike
        return None
    skip = _bom(data)
    arr = np.frombuffer(data, dtype=np.uint8)[skip:]  # a view: copying the file costs
    n = len(arr)
    sizes = np.empty((records, width), dtype=np.uint16)
    trim, done, at = False, 0, 0
    unsure: list[tuple[int, int]] = []  # cells whose bytes leave whitespace open
    while at < n:
        stop = n
        if at + _CHUNK_BYTES < n:  # end the chunk after a whole record
            nl = data.rfind(b"\n", skip + at, skip + at + _CHUNK_BYTES)
            if nl < 0:  # a record longer than a chunk
                nl = data.find(b"\n", skip + at + _CHUNK_BYTES)
            stop = n if nl < 0 else nl - skip + 1
        chunk = arr[at:stop]
        hit = chunk == ord(",")
        hit |= chunk == ord("\n")
        pos = np.flatnonzero(hit) + at
        if stop == n and arr[-1] != ord("\n"):
            pos = np.append(pos, n)  # the unterminated last record ends with the file
        line_end = (arr.take(pos, mode="clip") == ord("\n")) | (pos == n)
        if len(pos) % width or done + len(pos) // width > records:
            return None
        end = pos.reshape(-1, width)
        if not line_end.reshape(-1, width)[:, -1].all() or line_end.sum() != len(end):
            return None
        if not trim:
            trim = _measure_rows(arr, at, end, sizes[done:done + len(end)], unsure)
        done, at = done + len(end), stop
    if done != records:
        return None
    trim = trim or any(t != t.strip() for t in (
        data[skip + a:skip + b].decode("utf-8") for a, b in unsure))
    return _Grid(trim, None if trim else sizes)


def _measure_rows(arr: np.ndarray, at: int, end: np.ndarray, out: np.ndarray,
                  unsure: list[tuple[int, int]]) -> bool:
    """Write the sizes of the records whose delimiters are ``end`` (the first begins at
    ``at``) into ``out``; answer whether a cell surely needs trimming, and list the
    cells whose bytes leave it open."""
    start = np.empty_like(end)
    start.reshape(-1)[0] = at  # (reshaped views: .flat is slow)
    np.add(end.reshape(-1)[:-1], 1, out=start.reshape(-1)[1:])
    last = end[:, -1]  # a CR before the LF ends the line, not the cell
    last -= (last > start[:, -1]) & (arr[np.maximum(last - 1, 0)] == ord("\r"))
    np.minimum(end - start, SIZE_CAP, out=out, casting="unsafe")
    # An empty cell's "first" and "last" bytes are its delimiters (or, at the file's
    # ends, its last byte: whitespace there is a cell's anyway): no false answer.
    begins = _BEGINS.take(arr.take(start.reshape(-1), mode="clip"))
    ends_with = _ENDS.take(arr.take(end.reshape(-1) - 1))
    if (begins == _SPACE).any() or (ends_with == _SPACE).any():
        return True
    # Left open: a cell beginning with a byte a space may begin with, or ending with
    # one a space may end with after C2 (two bytes) or E1-E3 (three bytes).
    ends, starts = end.reshape(-1), start.reshape(-1)
    maybe = np.flatnonzero(ends_with)
    before, before2 = arr[ends[maybe] - 2], arr[ends[maybe] - 3]
    maybe = maybe[(before == 0xC2) | ((before2 >= 0xE1) & (before2 <= 0xE3))]
    if begins.any():
        maybe = np.union1d(maybe, np.flatnonzero(begins))
    unsure += zip(starts[maybe].tolist(), ends[maybe].tolist(), strict=True)
    return False


#: Whitespace ``str.strip`` removes, by the byte a cell begins (``_BEGINS``) or ends
#: (``_ENDS``) with: ``_SPACE`` for ASCII whitespace other than CR and LF (no cell on a
#: grid holds either), ``_MAYBE`` for the first or last bytes of U+0085, U+00A0, U+1680,
#: U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 (many letters end with those too).
_SPACE, _MAYBE = 1, 2
_BEGINS = np.zeros(256, dtype=np.uint8)
_BEGINS[[0x09, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x20]] = _SPACE
_ENDS = _BEGINS.copy()
_BEGINS[[0xC2, 0xE1, 0xE2, 0xE3]] = _MAYBE
_ENDS[[0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A,
       0x9F, 0xA0, 0xA8, 0xA9, 0xAF]] = _MAYBE


def _no_short_records(data: bytes, raw: pd.DataFrame) -> bool:
    """Whether every record pandas read has as many cells as the first, blank ones aside,
    counted per record (pandas pads a short record silently)."""
    width = raw.shape[1]
    cells = _cells_per_record(data)
    if cells is None:  # quoted cells: let the csv module count them
        text = io.StringIO(data.decode("utf-8-sig"), newline="")
        with _no_field_limit(len(data)):
            cells = np.fromiter(map(len, csv.reader(text)), dtype=np.int64)
    return bool(len(raw) == len(cells) and width == cells[0]
                and np.isin(cells[1:], (0, width)).all())


def _cells_per_record(data: bytes) -> np.ndarray | None:
    """Cells per line of a CSV without quotes, counted with numpy (None if it has quotes).

    Equal to what ``csv.reader`` counts (an empty line has 0 cells), without a
    Python loop per record.
    """
    if data.find(b'"') >= 0:
        return None
    arr = np.frombuffer(data, dtype=np.uint8)[_bom(data):]
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
    empty = (length - has_cr) == 0
    return np.where(empty, 0, counts + 1).astype(np.int64)


#: Bytes that are, or may begin, a whitespace character other than space, CR and LF
#: (tab, vertical tab, form feed, 0x1c-0x1f; lead bytes of U+0085, U+00A0, U+1680,
#: U+2000-U+205F, U+3000). A file without any needs no trimming beyond spaces.
_SPACE_BYTES = tuple(bytes([b]) for b in (0x09, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F,
                                           0xC2, 0xE1, 0xE2, 0xE3))


#: Bytes a cell begins or ends beside: comma, quote, CR, LF.
_EDGE_BYTES = np.zeros(256, dtype=bool)
_EDGE_BYTES[[ord(","), ord('"'), ord("\r"), ord("\n")]] = True


def _may_need_strip(data: bytes) -> bool:
    """Whether any cell of a file off the grid could begin or end with whitespace: a
    space beside a comma, quote or line end, or a byte that may start other whitespace."""
    if any(data.find(b) >= 0 for b in _SPACE_BYTES):  # memchr per byte: faster than numpy
        return True
    arr = np.frombuffer(data, dtype=np.uint8)
    spaces = np.flatnonzero(arr == ord(" "))
    if not len(spaces):
        return False
    if spaces[0] == 0 or spaces[-1] == len(arr) - 1:
        return True
    return bool(_EDGE_BYTES[arr[spaces - 1]].any() or _EDGE_BYTES[arr[spaces + 1]].any())


def _strip(cells: pd.Series) -> pd.Series:
    """Trim each cell; text columns come out as pandas' ``str`` dtype."""
    return pd.Series([c.strip() for c in cells.to_numpy()], index=cells.index, dtype="str")


@contextmanager
def _no_field_limit(size: int) -> Iterator[None]:
    """Let the ``csv`` module read a field as large as the whole file, then restore its limit.

    Its default limit (128 KiB) raises ``csv.Error`` from deep in the reader;
    no field can be larger than the file, so that bound is safe.
    """
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _read_records_slow(text: str, name: str) -> Records:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    numbered = [(n, r) for n, r in enumerate(reader, start=2) if any(c.strip() for c in r)]
    problems = [Problem(name, n, None, f"has {len(r)} cells, the header has {len(header)}")
                for n, r in numbered if len(r) != len(header)]
    if problems:
        raise TableValidationError(problems=problems)
    body = pd.DataFrame([r for _, r in numbered], columns=range(len(header)), dtype=object)
    body = body.apply(_strip)
    return Records(header, body, np.array([n for n, _ in numbered], dtype=np.int64), None)
