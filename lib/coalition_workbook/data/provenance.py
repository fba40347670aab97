"""Checks no schema library does: each quote against its article.

For every figure: the source file exists, the quote is a verbatim substring of
the source at the stated paragraph (line), the quote states exactly one number
and it equals ``value``, and the quote's comparative words agree with
``qualifier``. Each distinct (source, paragraph, quote) is read once, and the rows
are compared with their quote's reading a column at a time: tables repeat quotes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import numerals
from .errors import NumeralParseError, Problem


@lru_cache(maxsize=64)
def paragraphs(text: str) -> list[str]:
    r"""The lines of a source (paragraph n is item n - 1), without their line ends.

    The one reading of "paragraph = line" (validation, source pages, sidecar
    ``lines``): a final line end closes the last line and opens no empty one,
    as an editor saves a file.

    Examples:
        >>> paragraphs("a\r\nb\n"), paragraphs("a\n\nb"), paragraphs("")
        (['a', 'b'], ['a', '', 'b'], [''])
    """
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


@lru_cache(maxsize=64)
def _source_lines(path: Path, mtime_ns: int) -> tuple[str, ...] | None:
    try:
        return tuple(paragraphs(path.read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError):
        return None


def source_lines(path: Path) -> tuple[str, ...] | None:
    """Lines of a source text (cached per file version), or None if unreadable."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _source_lines(path, mtime)


def _check_one(lines: tuple[str, ...], source: str, paragraph: int, quote: str,
               ) -> tuple[list[tuple[str, str]], list[tuple[float, str]]]:
    """Check one distinct quote: ([(column, reason)], [(value, qualifier) it can state]).

    A range ("بين 15 و20") states two: its low end at_least, its high end at_most.
    """
    issues: list[tuple[str, str]] = []
    if not 1 <= paragraph <= len(lines):
        reason = f"{source} has {len(lines)} lines; there is no line {paragraph}"
        return [("paragraph", reason)], []
    if quote not in lines[paragraph - 1]:
        elsewhere = [i + 1 for i, line in enumerate(lines) if quote in line]
        if elsewhere:
            where = ", ".join(str(n) for n in elsewhere)
            issues.append(("paragraph",
                           f"quote is on line {where} of {source}, not line {paragraph}"))
        else:
            return [("quote", f'"{quote}" is not in {source} verbatim')], []
    try:
        readings = numerals.quote_readings(quote)
    except NumeralParseError as exc:
        issues.append(("quote", exc.reason))
        return issues, []
    return issues, [(float(v), q) for v, q in readings]


def _same(parsed: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Equal up to float rounding of the quote's exact reading."""
    return np.abs(parsed - value) <= 1e-9 * np.maximum(1.0, np.abs(parsed))


def check_quotes(figures: pd.DataFrame, sources_dir: Path) -> list[Problem]:
    """Cross-check every figure's quote with its source text, value and qualifier.

    Args:
        figures: A table returned by ``schema.load_table`` (indexed by spreadsheet row).
        sources_dir: Folder holding the files named in the ``source`` column.

    Returns:
        Every problem found, located by file, spreadsheet row and column, in
        row order; a missing source is reported once, at the first row naming it.
    """
    file = figures.attrs.get("file", "figures.csv")
    if figures.empty:
        return []
    rows = figures.index.to_numpy()  # spreadsheet rows (``schema.load_table``)
    paragraph = figures["paragraph"].to_numpy(dtype=np.int64, na_value=0)
    # Each distinct (source, paragraph, quote) is read once; ``codes`` numbers them in
    # order of first appearance, ``first`` is where each first appears.
    place = pd.DataFrame({"source": figures["source"].to_numpy(), "paragraph": paragraph,
                          "quote": figures["quote"].to_numpy()})
    codes = place.groupby(list(place.columns), sort=False).ngroup().to_numpy()
    first = np.flatnonzero(~place.duplicated().to_numpy())
    keys = list(zip(place["source"].to_numpy()[first], paragraph[first],
                    place["quote"].to_numpy()[first], strict=True))
    # One reading per distinct quote.
    found: list[tuple[int, int, str, str]] = []  # (position, order, column, reason)
    n = len(keys)
    parsed, parsed_hi = np.full(n, np.nan), np.full(n, np.nan)
    implied, implied_hi = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    issues: dict[int, list[tuple[str, str]]] = {}
    missing_codes = []
    missing: dict[str, int] = {}
    texts: dict[str, tuple[str, ...] | None] = {}  # each source looked up once per call
    for k, (source, para, quote) in enumerate(keys):
        if source not in texts:
            texts[source] = source_lines(sources_dir / source)
        lines = texts[source]
        if lines is None:
            missing.setdefault(source, k)
            missing_codes.append(k)
            continue
        found_issues, readings = _check_one(lines, source, int(para), quote)
        if found_issues:
            issues[k] = found_issues
        if readings:
            parsed[k], implied[k] = readings[0]
            parsed_hi[k], implied_hi[k] = readings[-1]
    # Compare every row with its quote's reading, a column at a time.
    row_parsed, row_implied = parsed[codes], implied[codes]
    value = figures["value"].to_numpy(dtype=float, na_value=np.nan)
    qualifier = figures["qualifier"].to_numpy(dtype=object)
    has = ~np.isnan(row_parsed)
    # A range quote states its high end too: a row may be either end, each with its qualifier.
    row_hi, row_implied_hi = parsed_hi[codes], implied_hi[codes]
    is_hi = has & (row_hi != row_parsed) & _same(row_hi, value) & ~(
        _same(row_parsed, value) & (row_implied == qualifier))
    row_parsed = np.where(is_hi, row_hi, row_parsed)
    row_implied = np.where(is_hi, row_implied_hi, row_implied)
    bad_value = has & ~_same(row_parsed, value)
    bad_qualifier = has & (row_implied != qualifier)
    skip = np.isin(codes, missing_codes)
    for pos in np.flatnonzero(np.isin(codes, list(issues)) & ~skip):
        found += [(pos, i, col, why) for i, (col, why) in enumerate(issues[codes[pos]])]
    is_range = has & (row_hi != parsed[codes])
    ends = {pos: f"a range: its low end {parsed[codes[pos]]:g} ({implied[codes[pos]]}) or "
                 f"its high end {row_hi[pos]:g} ({row_implied_hi[pos]})"
            for pos in np.flatnonzero(is_range & (bad_value | bad_qualifier) & ~skip)}
    for pos in np.flatnonzero(bad_value & ~skip):
        reads = ends.get(pos, f"which reads {row_parsed[pos]:g}")
        found.append((pos, 10, "value", f"{value[pos]:g} disagrees with the quote, {reads}"))
    for pos in np.flatnonzero(bad_qualifier & ~skip & ~(bad_value & is_range)):
        reads = ends.get(pos, f'which reads as "{row_implied[pos]}"')
        found.append((pos, 11, "qualifier",
                      f'"{qualifier[pos]}" disagrees with the quote\'s wording, {reads}'))
    for source, k in missing.items():
        pos = int(np.flatnonzero(codes == k)[0])
        found.append((pos, -1, "source", f"source file {sources_dir / source} not found or not "
                                         "UTF-8 (reported once for every row that names it)"))
    found.sort(key=lambda f: (f[0], f[1]))
    return [Problem(file, int(rows[pos]), col, why) for pos, _, col, why in found]
