"""Checks no schema library does: each quote against its article.

For every figure: the source file exists, the quote is a verbatim substring of
the source at the stated paragraph (line), the quote states exactly one number
and it equals ``value``, and the quote's comparative words agree with
``qualifier``. Work is done once per distinct (source, paragraph, quote), so a
million-row table with repeated quotes costs little more than its distinct quotes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import numerals
from .errors import NumeralParseError, Problem


@lru_cache(maxsize=64)
def _source_lines(path: Path, mtime_ns: int) -> tuple[str, ...] | None:
    try:
        return tuple(path.read_text(encoding="utf-8-sig").split("\n"))
    except (OSError, UnicodeDecodeError):
        return None


def source_lines(path: Path) -> tuple[str, ...] | None:
    """Lines of a source text (cached per file version), or None if unreadable."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _source_lines(path, mtime)


def sha256(path: Path) -> str:
    """Hex sha256 of a file, for manifests."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _check_one(lines: tuple[str, ...], source: str, paragraph: int, quote: str,
               ) -> tuple[list[tuple[str, str]], float | None, str]:
    """Check one distinct quote. Returns ([(column, reason)], parsed value, qualifier)."""
    issues: list[tuple[str, str]] = []
    if not 1 <= paragraph <= len(lines):
        reason = f"{source} has {len(lines)} lines; there is no line {paragraph}"
        return [("paragraph", reason)], None, ""
    if quote not in lines[paragraph - 1]:
        elsewhere = [i + 1 for i, line in enumerate(lines) if quote in line]
        if elsewhere:
            where = ", ".join(str(n) for n in elsewhere)
            issues.append(("paragraph",
                           f"quote is on line {where} of {source}, not line {paragraph}"))
        else:
            return [("quote", f'"{quote}" is not in {source} verbatim')], None, ""
    try:
        parsed = numerals.parse_number(quote)
    except NumeralParseError as exc:
        issues.append(("quote", exc.reason))
        return issues, None, ""
    return issues, float(parsed), numerals.detect_qualifier(quote)


def check_quotes(figures: pd.DataFrame, sources_dir: Path) -> list[Problem]:
    """Cross-check every figure's quote with its source text, value and qualifier.

    Args:
        figures: A table returned by ``schema.load_table`` (has ``attrs['rows']``).
        sources_dir: Folder holding the files named in the ``source`` column.

    Returns:
        Every problem found, located by file, spreadsheet row and column.
    """
    file = figures.attrs.get("file", "figures.csv")
    rows = figures.attrs.get("rows", {})
    problems: list[Problem] = []
    cache: dict[tuple[str, int, str], tuple[list[tuple[str, str]], float | None, str]] = {}
    missing: set[str] = set()
    cols = figures[["source", "paragraph", "quote", "value", "qualifier"]]
    for idx, source, paragraph, quote, value, qualifier in cols.itertuples(name=None):
        row = rows.get(idx, idx + 2)
        key = (source, int(paragraph), quote)
        if source in missing:
            continue  # reported once, at the first row that names it
        if key not in cache:
            lines = source_lines(sources_dir / source)
            if lines is None:
                missing.add(source)
                problems.append(Problem(file, row, "source", (
                    f"source file {sources_dir / source} not found or not UTF-8 "
                    "(reported once for every row that names it)")))
                continue
            else:
                cache[key] = _check_one(lines, source, int(paragraph), quote)
        issues, parsed, implied = cache[key]
        for column, reason in issues:
            problems.append(Problem(file, row, column, reason))
        if parsed is not None:
            if abs(parsed - value) > 1e-9 * max(1.0, abs(parsed)):
                problems.append(Problem(
                    file, row, "value",
                    f"{value:g} disagrees with the quote, which reads {parsed:g}"))
            if implied != qualifier:
                problems.append(Problem(file, row, "qualifier",
                                        f'"{qualifier}" disagrees with the quote\'s wording, '
                                        f'which reads as "{implied}"'))
    return problems
