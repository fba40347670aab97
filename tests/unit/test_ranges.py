"""Ranges and alternatives ("بين 15 و20", "خمسة أو ستة"): two bounds, never two exact figures.

From the reader (numerals) through validation (provenance) to the draft: the
low end is ``at_least``, the high end ``at_most``, both quoted with the whole
range, and a bare first figure takes the scale of the second ("بين 5 و7 آلاف").
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook.data import draft, numerals
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.data.errors import NumeralParseError, TableValidationError
from coalition_workbook.figures import metrics
from tests.conftest import read_rows, write_rows
from tests.unit.second_article import (
    TEXT,
    empty_accounted,
    fill,
    second_article_project,
)

SHAPES = ["بين {a} و{b}", "ما بين {a} و{b}", "من {a} إلى {b}", "{a}-{b}", "{a} أو {b}",
          "{a} إلى {b}", "يتراوح بين {a} و{b}"]
SCALES = {"": 1, " ألف": 1000, " مليون": 10**6}


def _ends(text: str) -> list[tuple[Decimal | None, str]]:
    return [(m.value, m.qualifier) for m in numerals.find_numbers(text, strict=False)]


@given(a=st.integers(1, 999), gap=st.integers(1, 999), shape=st.sampled_from(SHAPES),
       scale=st.sampled_from(sorted(SCALES)), digits=st.sampled_from(["0123456789",
                                                                       "٠١٢٣٤٥٦٧٨٩"]))
def test_a_range_is_read_as_its_two_bounds(a: int, gap: int, shape: str, scale: str,
                                           digits: str) -> None:
    b = a + gap
    write = str.maketrans("0123456789", digits)
    text = "قتل " + shape.format(a=str(a).translate(write), b=str(b).translate(write)) \
        + scale + " شخص في الهجوم"
    factor = SCALES[scale]
    assert _ends(text) == [(a * factor, "at_least"), (b * factor, "at_most")]
    low, high = numerals.find_numbers(text)
    assert low.range_span == high.range_span
    whole = text[low.range_span[0]:low.range_span[1]]
    assert numerals.quote_readings(whole) == [(a * factor, "at_least"), (b * factor, "at_most")]
    with pytest.raises(NumeralParseError):  # a range is not one figure
        numerals.parse_number(whole)


@pytest.mark.parametrize("text,expected", [
    ("ما بين خمسة وعشرة آلاف جندي", [(5000, "at_least"), (10000, "at_most")]),
    ("بين خمسة وعشرين وثلاثين جنديًا", [(25, "at_least"), (30, "at_most")]),
    ("قُتل ثلاثة أو أربعة أشخاص", [(3, "at_least"), (4, "at_most")]),
    ("ارتفعت بين 10% و15%", [(10, "at_least"), (15, "at_most")]),
    ("نحو 10-15 طائرة", [(10, "approx"), (15, "approx")]),
    # each end with its own scale and noun
    ("تتراوح بين 50 ألف دولار و25 مليون دولار", [(50000, "at_least"), (25000000, "at_most")]),
    ("بين 20 طائرة و30 طائرة", [(20, "at_least"), (30, "at_most")]),
    ("بين 10 و15 بالمئة تقريبًا", [(10, "approx"), (15, "approx")]),
])
def test_word_ranges_percent_and_approximate_ranges(text: str, expected: list) -> None:
    assert _ends(text) == [(Decimal(v), q) for v, q in expected]


@pytest.mark.parametrize("text,expected", [
    # a change between two times: both figures are exact, each at its time
    ("ارتفع عدد المتطوعين من 10 آلاف إلى 15 ألفًا", [(10000, "exact"), (15000, "exact")]),
    # a period between two years, not a range of years
    ("من 2014 إلى 2017", [(2014, "exact"), (2017, "exact")]),
    ("خلال الفترة 2014-2017", [(2014, "exact"), (2017, "exact")]),
    # two separate figures joined by و without بين
    ("قتل 5 وجرح 10", [(5, "exact"), (10, "exact")]),
    ("من بين 83 دولة", [(83, "exact")]),
    ("بين 3 جنود و5 ضباط", [(3, "exact"), (5, "exact")]),  # two nouns: two counts
])
def test_not_ranges(text: str, expected: list) -> None:
    assert _ends(text) == [(Decimal(v), q) for v, q in expected]


@pytest.mark.parametrize("text", [
    "بين خمسة وعشرين جنديًا",      # 25, or between 5 and 20?
    "تراوح العدد 20 و25 ألفًا",     # no بين: may the 20 take the thousand?
])
def test_ambiguous_pairs_are_refused_naming_the_words(text: str) -> None:
    (m,) = numerals.find_numbers(text, strict=False)
    assert m.value is None and m.problem
    with pytest.raises(NumeralParseError, match=m.text):
        numerals.find_numbers(text)


def _replace_last_line(article: Path, line: str) -> int:
    """Put ``line`` in place of the article's last line (its sidecar counts the lines)."""
    lines = article.read_text(encoding="utf-8").rstrip("\n").split("\n")
    article.write_text("\n".join([*lines[:-1], line]) + "\n", encoding="utf-8")
    return len(lines)


def test_range_drafts_two_rows_that_validate_once_related(tmp_path: Path) -> None:
    """Draft a range, fill the rows, relate the ends: the table validates; unrelated it does not."""
    root = second_article_project(tmp_path / "data")
    article = root / "sources" / TEXT.name
    last = _replace_last_line(article, "وقدّر مسؤول عدد الجنود الأجانب بما بين 5 و7 آلاف جندي.")
    rows = draft.draft_rows(article, accounted=empty_accounted(),
                            hints=draft.unit_hints(root / "units.csv"))
    low, high = [r for r in rows if r["paragraph"] == str(last)]
    assert (low["value"], low["qualifier"], high["value"], high["qualifier"]) == (
        "5000", "at_least", "7000", "at_most")
    assert low["quote"] == high["quote"] == "بين 5 و7 آلاف جندي"
    assert "range" in low["note"] and "duplicate_of" in high["note"]
    filled = fill(rows)
    for r in filled:
        r["note"] = ""
        if r["id"] in (low["id"], high["id"]):  # the analyst files them under troops
            r["unit"], r["category"] = "soldiers", "troops"
    draft.write_rows(root / "figures.csv", filled)
    with pytest.raises(TableValidationError) as caught:  # two figures for one slot
        load_dataset(root / "figures.csv")
    assert any(high["id"] in p.reason and low["id"] in p.reason for p in caught.value.problems)
    header, _ = read_rows(root / "relations.csv")
    write_rows(root / "relations.csv", header, [[high["id"], "duplicate_of", low["id"]]
                                                + [""] * (len(header) - 3)])
    ds = load_dataset(root / "figures.csv")
    troops = metrics.compute_metrics(ds).set_index("metric").loc["troops_total"]
    assert (troops["value"], troops["qualifier"]) == (5000, "at_least")  # counted once


def test_a_range_row_with_the_wrong_qualifier_names_both_ends(tmp_path: Path) -> None:
    root = second_article_project(tmp_path / "data")
    article = root / "sources" / TEXT.name
    _replace_last_line(article, "وسقط بين 300 و400 قتيل.")
    rows = [r for r in draft.draft_rows(article, accounted=empty_accounted())
            if r["value"] == "400"]
    rows[0]["qualifier"] = "exact"
    draft.write_rows(root / "figures.csv", fill(rows))
    with pytest.raises(TableValidationError) as caught:
        load_dataset(root / "figures.csv")
    (p,) = caught.value.problems
    assert p.column == "qualifier"
    assert "low end 300 (at_least)" in p.reason and "high end 400 (at_most)" in p.reason
