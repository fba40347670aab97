"""numerals against a table of news-style expressions nobody tuned the reader on.

tests/fixtures/numerals/expressions.csv holds sentences written for this test
(not copied news text), each stating one figure, with the value, qualifier and
unit a reader should take from it; refused.csv holds forms that must be refused
rather than guessed. Together they measure "read right" and "no silent misread".
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from coalition_workbook.data.errors import NumeralParseError
from coalition_workbook.data.numerals import detect_qualifier, find_numbers, parse_number

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "numerals"


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


EXPRESSIONS = _rows("expressions.csv")
REFUSED = _rows("refused.csv")


def test_the_table_is_big_enough_to_measure() -> None:
    assert len(EXPRESSIONS) >= 150
    assert len({r["text"] for r in EXPRESSIONS}) == len(EXPRESSIONS)


@pytest.mark.parametrize("row", EXPRESSIONS, ids=lambda r: r["text"][:30])
def test_expression_reads_as_its_value_qualifier_and_unit(row: dict[str, str]) -> None:
    (match,) = find_numbers(row["text"])
    expected = Decimal(row["value"])
    assert match.value is not None
    # Thirds are not finite decimals: compare them as provenance does, relatively.
    assert abs(match.value - expected) <= Decimal("1e-9") * max(1, abs(expected))
    assert match.qualifier == row["qualifier"]
    assert (match.unit_hint or "") == row["unit"]
    assert row["text"][match.start:match.end] == match.text
    assert parse_number(row["text"]) == match.value
    assert detect_qualifier(row["text"]) == row["qualifier"]
    if match.qualifier != "exact":
        assert match.qualifier_start is not None and match.qualifier_end is not None
        assert match.qualifier_start < match.qualifier_end


@pytest.mark.parametrize("row", REFUSED, ids=lambda r: r["text"][:30])
def test_uncertain_form_is_refused_not_guessed(row: dict[str, str]) -> None:
    with pytest.raises(NumeralParseError) as raised:
        parse_number(row["text"])
    found = find_numbers(row["text"], strict=False)
    unread = [m for m in found if m.value is None]
    if "with certainty" in raised.value.reason:
        # The lenient mode used over whole articles reports the same words, unread.
        assert unread and all(m.problem for m in unread)
        assert f'"{unread[0].text}"' in raised.value.reason
        assert row["text"][unread[0].start:unread[0].end] == unread[0].text
    else:  # no figure at all, or two: nothing half-read either way
        assert not unread
