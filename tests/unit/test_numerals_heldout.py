"""numerals against a held-out table written without reading the reader.

tests/data/numerals_heldout.csv was written before numerals.py was opened, so
it measures the reader on forms its author did not tune it on. Each row states
one figure (value, qualifier, unit_hint), or is a "refuse" row: a form a careful
reader cannot turn into one certain figure (vague plurals, ranges,
unvocalised fractions). A "range" row states a range or alternative ("بين 300
و400", "خمسة أو ستة"): value is "low|high", read as two matches, the low end
at_least and the high end at_most ("approx_range": both approx, "نحو 20 أو 30").
For a refuse row the value column lists,
separated by "|", the only values a reader may still return for parts of the
text (e.g. "20000" for "بين 10 و20 ألف": the 10 there means ten thousand).

Two measures:

- read right: the one match has the value, qualifier and unit, its span
  matches, and parse_number/detect_qualifier agree; a refuse row raises in
  parse_number and returns nothing outside its allowed values. At least 95%.
- silent misread: the lenient reader returns, without a problem, a value, a
  qualifier or a unit the row does not state. None allowed, row by row.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from coalition_workbook.data.errors import NumeralParseError
from coalition_workbook.data.numerals import (
    NumberMatch,
    detect_qualifier,
    find_numbers,
    parse_number,
    quote_readings,
)

TABLE = Path(__file__).resolve().parents[1] / "data" / "numerals_heldout.csv"
MIN_ACCURACY = 0.95


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = _rows()


def _same(value: Decimal, expected: Decimal) -> bool:
    # Thirds are not finite decimals: compare relatively, as provenance does.
    return abs(value - expected) <= Decimal("1e-9") * max(1, abs(expected))


def _allowed(row: dict[str, str]) -> list[Decimal]:
    return [Decimal(v) for v in row["value"].split("|") if v]


def _lenient(text: str) -> list[NumberMatch]:
    return [m for m in find_numbers(text, strict=False) if m.value is not None]


RANGES = {"range": ("at_least", "at_most"), "approx_range": ("approx", "approx")}


def _range_qualifiers(row: dict[str, str]) -> tuple[str, str]:
    return RANGES[row["qualifier"]]


def misreads(row: dict[str, str]) -> list[str]:
    """What the lenient reader returned, unflagged, that the row does not state."""
    found = _lenient(row["text"])
    wrong = []
    if row["qualifier"] in RANGES:
        ends = dict(zip(_allowed(row), _range_qualifiers(row), strict=True))
        for m in found:
            want = next((q for v, q in ends.items() if _same(m.value, v)), None)
            if want is None:
                wrong.append(f"{m.text!r} read as {m.value}")
            elif m.qualifier != want:
                wrong.append(f"{m.text!r} qualifier {m.qualifier}, not {want}")
            elif (m.unit_hint or "") != row["unit_hint"]:
                wrong.append(f"{m.text!r} unit {m.unit_hint!r}, not {row['unit_hint']!r}")
        return wrong
    if row["qualifier"] == "refuse":
        allowed = _allowed(row)
        for m in found:
            if not any(_same(m.value, v) for v in allowed):
                wrong.append(f"{m.text!r} read as {m.value}")
        return wrong
    expected = Decimal(row["value"])
    for m in found:
        if not _same(m.value, expected):
            wrong.append(f"{m.text!r} read as {m.value}")
        elif m.qualifier != row["qualifier"]:
            wrong.append(f"{m.text!r} qualifier {m.qualifier}, not {row['qualifier']}")
        elif (m.unit_hint or "") != row["unit_hint"]:
            wrong.append(f"{m.text!r} unit {m.unit_hint!r}, not {row['unit_hint']!r}")
    return wrong


def read_right(row: dict[str, str]) -> tuple[bool, str]:
    """Whether the reader reads the row as it states, and if not, why."""
    text = row["text"]
    if row["qualifier"] in RANGES:
        expected = list(zip(_allowed(row), _range_qualifiers(row), strict=True))
        try:
            readings = quote_readings(text)
        except NumeralParseError as exc:
            return False, f"refused: {exc}"
        got = [(v, q) for v, q in readings]
        ok = len(got) == 2 and all(_same(v, ev) and q == eq
                                   for (v, q), (ev, eq) in zip(got, expected, strict=True))
        bad = misreads(row)
        return (ok and not bad, "; ".join(bad) or f"read {got}")
    if row["qualifier"] == "refuse":
        try:
            value = parse_number(text)
        except NumeralParseError:
            bad = misreads(row)
            return (not bad, "; ".join(bad))
        return False, f"parse_number read {value}"
    try:
        matches = find_numbers(text)
        value = parse_number(text)
        qualifier = detect_qualifier(text)
    except NumeralParseError as exc:
        return False, f"refused: {exc}"
    if len(matches) != 1:
        return False, "matches: " + ", ".join(f"{m.text!r}={m.value}" for m in matches)
    (m,) = matches
    expected = Decimal(row["value"])
    checks = [
        (m.value is not None and _same(m.value, expected), f"value {m.value}"),
        (value == m.value, f"parse_number {value}"),
        (m.qualifier == row["qualifier"], f"qualifier {m.qualifier}"),
        (qualifier == row["qualifier"], f"detect_qualifier {qualifier}"),
        ((m.unit_hint or "") == row["unit_hint"], f"unit {m.unit_hint!r}"),
        (text[m.start : m.end] == m.text, "span"),
    ]
    failed = [why for ok, why in checks if not ok]
    return (not failed, "; ".join(failed))


def test_the_table_is_big_and_unique() -> None:
    assert len(ROWS) >= 150
    assert len({r["text"] for r in ROWS}) == len(ROWS)
    assert {r["qualifier"] for r in ROWS} <= {"exact", "at_least", "at_most", "approx", "refuse",
                                              *RANGES}
    assert {r["unit_hint"] for r in ROWS} <= {"", "percent"}


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["text"][:30])
def test_no_silent_misread(row: dict[str, str]) -> None:
    assert misreads(row) == []


def test_held_out_accuracy(capsys: pytest.CaptureFixture[str]) -> None:
    failures = []
    for row in ROWS:
        ok, why = read_right(row)
        if not ok:
            failures.append(f"  {row['text']}  [{row['value']} {row['qualifier']}]: {why}")
    accuracy = 1 - len(failures) / len(ROWS)
    with capsys.disabled():
        right = len(ROWS) - len(failures)
        print(f"\nheld-out numerals: {right}/{len(ROWS)} read right ({accuracy:.1%})")
        for line in failures:
            print(line)
    assert accuracy >= MIN_ACCURACY, "\n".join(failures)
