"""labels: Arabic nouns agree with the numbers that count them.

The rule is checked against an oracle written here independently (from the
digits of the number, not its arithmetic), over generated counts, and against
the article itself: where a quote is a number and its noun, the noun the
reports write for that value is the one the article printed.
"""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook.data import config, numerals
from coalition_workbook.figures import labels

UNITS = labels.vocabulary_rows("units")
#: Units whose Arabic forms differ by number (the others have one label).
COUNTED = [u for u, r in UNITS.items() if r.get("plural_ar") and r.get("accusative_ar")]


def oracle(n: int) -> str:
    """Which form of the noun follows ``n``, read off its digits as a grammar book says."""
    digits = str(n)
    tail = digits[-2:].rjust(2, "0")
    if digits == "1":
        return "singular"
    if digits == "2":
        return "dual"
    if tail in {f"{k:02d}" for k in range(3, 11)}:
        return "plural"        # ثلاثة أعضاء … عشرة أعضاء, مئة وثلاثة أعضاء
    if tail[0] != "0":
        return "accusative"    # أحد عشر عضوًا … تسعة وتسعون عضوًا
    return "singular"          # مئة عضو, ألف عضو, مئة وعضو


def _forms(unit: str) -> dict[str, str]:
    r = UNITS[unit]
    return {"singular": r["label_ar"], "plural": r["plural_ar"],
            "accusative": r["accusative_ar"], "dual": r["dual_ar"] or r["label_ar"]}


def test_units_with_forms_exist() -> None:
    assert COUNTED, "units.csv declares no plural_ar/accusative_ar: nothing to agree"
    assert "usd" in COUNTED


@given(n=st.integers(min_value=1, max_value=10**12), unit=st.sampled_from(COUNTED or ["usd"]))
def test_noun_agrees_with_any_count(n: int, unit: str) -> None:
    assert labels.noun_form(n) == oracle(n)
    assert labels.counted_noun(unit, n, "ar") == _forms(unit)[oracle(n)]
    assert labels.format_figure(n, unit=unit, lang="ar").endswith(_forms(unit)[oracle(n)])


@given(n=st.integers(min_value=1, max_value=10**9))
def test_english_has_one_label(n: int) -> None:
    assert labels.counted_noun("usd", n, "en") == labels.unit_label("usd", "en")


@pytest.mark.parametrize("n, form", [(3_000_000, "singular"), (47_000, "singular"),
                                     (12, "accusative"), (3_322_145, "accusative"),
                                     (5, "plural"), (2, "dual"), (110, "plural")])
def test_dollars(n: int, form: str) -> None:
    """An exact two is the dual alone, as Arabic writes it; other counts keep their digits."""
    digits = "" if form == "dual" else f"{labels.format_number(n)} "
    assert labels.format_figure(n, unit="usd", lang="ar") == f"{digits}{_forms('usd')[form]}"


def test_a_bound_on_two_keeps_its_digit() -> None:
    assert labels.format_figure(2, "at_least", unit="years", lang="ar").startswith(
        labels.qualifier_word("at_least", "ar") + " 2 ")


def test_a_fraction_takes_the_singular() -> None:
    assert labels.counted_noun("usd", 12.5, "ar") == _forms("usd")["singular"]


def _bare(word: str) -> str:
    return numerals.normalize(word).replace("ا", "")  # tanween's alef is optional in print


def test_nouns_the_article_prints_after_its_numbers() -> None:
    """A quote "<digits> <noun>" counts with the noun ``counted_noun`` gives its value."""
    with (config.DATA_DIR / "figures.csv").open(encoding="utf-8-sig", newline="") as fh:
        figures = list(csv.DictReader(fh))
    checked = 0
    for f in figures:
        m = re.fullmatch(r"([\d.,]+) (\S+)", f["quote"])
        if not m or f["unit"] not in COUNTED:
            continue
        words = [*_forms(f["unit"]).values(), *UNITS[f["unit"]]["nouns_ar"].split()]
        nouns = {_bare(w) for w in words}
        if _bare(m.group(2)) not in nouns:
            continue  # "31 منها": the number is followed by something else than its noun
        shown = labels.counted_noun(f["unit"], float(f["value"]), "ar")
        assert _bare(shown) == _bare(m.group(2)), (f["id"], f["quote"], shown)
        checked += 1
    assert checked, "no quote of the form '<digits> <noun>' in a counted unit"
