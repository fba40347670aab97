"""numerals: every number form the module docstring promises, plus property tests.

Values here are synthetic (chosen not to be the article's figures), except in
``test_every_curated_quote_reads_as_its_value``, which reads them from
data/figures.csv.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook.data import config
from coalition_workbook.data.errors import NumeralParseError
from coalition_workbook.data.numerals import (
    detect_qualifier,
    find_numbers,
    normalize,
    parse_number,
)

AR_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
THOUSAND, MILLION, BILLION = 10**3, 10**6, 10**9


def to_script(digits: str, script: str) -> str:
    return digits.translate(str.maketrans("0123456789", script))


# --- digits and separators ---------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("7", 7),
    ("4821", 4821),
    ("٤٨٢١", 4821),           # Arabic-Indic digits
    ("۴۸۲۱", 4821),           # Persian digits
    ("7.481.296", 7481296),   # dot grouping (as in "3.322.145")
    ("٧.٤٨١.٢٩٦", 7481296),
    ("2,300", 2300),          # comma grouping (as in "1,100")
    ("5,417,902", 5417902),
    ("٤٬٥٦٧", 4567),          # Arabic thousands separator U+066C
    ("٤٬٥٦٧٬٨٩٠", 4567890),
])
def test_digits_and_thousands_separators(text: str, expected: int) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("٣٫٥", "3.5"),           # Arabic decimal mark U+066B
    ("٤٬٥٦٧٫٢٥", "4567.25"),  # Arabic grouping and decimal together
    ("17.25", "17.25"),       # a dot not followed by three digits is a decimal
    ("6,543.5", "6543.5"),    # both marks: the last one is the decimal
    ("6.543,5", "6543.5"),
    ("12,5", "12.5"),         # one or two digits after a lone comma: a decimal comma
    ("3,75", "3.75"),
])
def test_decimal_marks(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1,2345", "1.23.4", "1,23,4"])
def test_malformed_grouping_is_rejected(text: str) -> None:
    with pytest.raises(NumeralParseError, match="cannot read"):
        parse_number(text)


# --- scale words and their forms ---------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("14 ألف", 14 * THOUSAND),
    ("14 الف", 14 * THOUSAND),       # hamza dropped
    ("6 آلاف", 6 * THOUSAND),        # plural
    ("37 ألفا", 37 * THOUSAND),      # accusative
    ("37 ألفًا", 37 * THOUSAND),     # with tanween
    ("٣٧ ألفًا", 37 * THOUSAND),
    ("5 مليون", 5 * MILLION),
    ("4 ملايين", 4 * MILLION),       # plural
    ("8 مليار", 8 * BILLION),
    ("8 مليارات", 8 * BILLION),
    ("1.25 مليار", Decimal("1.25") * BILLION),  # dot before a scale word is a decimal
    ("٢٫٥ مليون", Decimal("2.5") * MILLION),
    ("سبعة آلاف", 7 * THOUSAND),     # number word + scale word
])
def test_scale_words(text: str, expected: int | Decimal) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("ملياري يورو", 2 * BILLION),
    ("مليارين", 2 * BILLION),
    ("مليونين", 2 * MILLION),
    ("مليوني", 2 * MILLION),
    ("ألفين", 2 * THOUSAND),
    ("عامين", 2),
    ("العامين", 2),               # with the article
    ("سنتين", 2),
    ("شهرين", 2),
])
def test_duals_mean_two(text: str, expected: int) -> None:
    assert parse_number(text) == Decimal(expected)


def test_tatweel_between_article_and_digit() -> None:
    assert parse_number("الـ7") == 7
    assert parse_number("الـ٧ أشهر") == 7
    assert normalize("الـ٧") == "ال7"


@pytest.mark.parametrize(("text", "expected"), [
    ("ست سنوات", 6), ("ستة", 6), ("خمس مرات", 5), ("خمسة", 5), ("سبع", 7),
    ("تسعة", 9), ("ثلاث", 3), ("أربعة", 4), ("عشرة", 10),
])
def test_number_words(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("و7400", 7400), ("ب7400", 7400), ("ل7400", 7400), ("وب7400", 7400),
    ("وخمس", 5), ("بست", 6), ("ومليونين", 2 * MILLION), ("وملياري", 2 * BILLION),
    ("ولـ9", 9),
])
def test_conjunction_and_preposition_prefixes(text: str, expected: int) -> None:
    assert parse_number(text) == expected


def test_diacritics_are_ignored() -> None:
    assert normalize("ألفًا") == "ألفا"
    assert parse_number("خَمْس") == 5


# --- errors ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "دولار", "نحو عشرات"])
def test_no_number_is_an_error(text: str) -> None:
    with pytest.raises(NumeralParseError, match="as a number"):
        parse_number(text)


def test_two_numbers_is_an_error_naming_both() -> None:
    with pytest.raises(NumeralParseError, match="holds 2 numbers") as exc:
        parse_number("12 مركبة و45 دبابة")
    assert "12" in exc.value.reason and "45" in exc.value.reason


def test_find_numbers_lists_each_expression_with_its_span() -> None:
    text = "درّب 12 لواءً و4 آلاف منتسب خلال عامين"
    found = find_numbers(text)
    assert [m.value for m in found] == [12, 4 * THOUSAND, 2]
    # Spans index the original text (with its shadda and tanween), not the normalised one.
    assert [text[m.start:m.end] for m in found] == [m.text for m in found]
    assert found[1].text == "و4 آلاف"  # a glued prefix stays in the span


# --- qualifiers --------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("لا يتجاوز الـ5 سنوات", "at_most"),
    ("لا تتجاوز 5 سنوات", "at_most"),
    ("ولا يتجاوز 5", "at_most"),
    ("لا يزيد على 5", "at_most"),
    ("أقل من 5", "at_most"),
    ("تتجاوز 4 ملايين دولار", "at_least"),
    ("يتجاوز 4 ملايين", "at_least"),
    ("أكثر من 12 ألف", "at_least"),
    ("وأكثر من 12 ألف", "at_least"),
    ("اكثر من 12", "at_least"),
    ("ما يزيد على 12", "at_least"),
    ("لا يقل عن 12", "at_least"),
    ("ما لا يقل عن 12", "at_least"),
    ("نحو 12 ألف", "approx"),
    ("حوالي 12", "approx"),
    ("قرابة 12", "approx"),
    ("12 ألف منتسب", "exact"),
    ("بقيمة 4 ملايين دولار", "exact"),
])
def test_detect_qualifier(text: str, expected: str) -> None:
    assert detect_qualifier(text) == expected


def test_qualifier_marker_must_be_a_whole_word() -> None:
    # "نحو" inside another word is not "about".
    assert detect_qualifier("الانحوال 12") == "exact"


# --- the curated quotes -----------------------------------------------------

def _curated() -> list[dict[str, str]]:
    with config.FIGURES_CSV.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _curated(), ids=lambda r: r["id"])
def test_every_curated_quote_reads_as_its_value(row: dict[str, str]) -> None:
    assert parse_number(row["quote"]) == Decimal(row["value"])
    assert detect_qualifier(row["quote"]) == row["qualifier"]


# --- property tests: digit formats round-trip -------------------------------

SCRIPTS = {"western": "0123456789", "arabic_indic": AR_INDIC, "persian": PERSIAN}
GROUPINGS = {"none": "", "dot": ".", "comma": ",", "arabic": "\u066c"}


def group(n: int, sep: str) -> str:
    s = f"{n:,}"
    return s.replace(",", sep)


@given(n=st.integers(min_value=0, max_value=10**15),
       script=st.sampled_from(sorted(SCRIPTS)), grouping=st.sampled_from(sorted(GROUPINGS)))
def test_grouped_integers_round_trip(n: int, script: str, grouping: str) -> None:
    text = to_script(group(n, GROUPINGS[grouping]), SCRIPTS[script])
    assert parse_number(text) == n


@given(n=st.integers(min_value=1, max_value=999_999),
       script=st.sampled_from(sorted(SCRIPTS)),
       prefix=st.sampled_from(["", "و", "ب", "ل", "ال", "الـ"]))
def test_prefixed_integers_round_trip(n: int, script: str, prefix: str) -> None:
    assert parse_number(prefix + to_script(str(n), SCRIPTS[script])) == n


@given(n=st.integers(min_value=1, max_value=999),
       scale=st.sampled_from([("ألف", THOUSAND), ("آلاف", THOUSAND), ("ألفا", THOUSAND),
                              ("ألفًا", THOUSAND), ("مليون", MILLION), ("ملايين", MILLION),
                              ("مليار", BILLION)]),
       script=st.sampled_from(sorted(SCRIPTS)))
def test_integer_times_scale_word_round_trips(n: int, scale: tuple[str, int], script: str) -> None:
    word, mult = scale
    assert parse_number(f"{to_script(str(n), SCRIPTS[script])} {word}") == n * mult


@given(whole=st.integers(min_value=0, max_value=10**9), frac=st.integers(min_value=1, max_value=99),
       script=st.sampled_from(sorted(SCRIPTS)))
def test_arabic_decimal_mark_round_trips(whole: int, frac: int, script: str) -> None:
    digits = group(whole, "\u066c") + "\u066b" + f"{frac:02d}"
    assert parse_number(to_script(digits, SCRIPTS[script])) == Decimal(f"{whole}.{frac:02d}")


@given(n=st.integers(min_value=1, max_value=10**12), grouping=st.sampled_from([".", ",", "\u066c"]))
def test_find_numbers_locates_a_grouped_number_in_prose(n: int, grouping: str) -> None:
    text = f"قدّم التحالف {group(n, grouping)} دولار للقوات"
    (match,) = find_numbers(text)
    assert match.value == n


# --- general cardinals (issue 10): the forms that used to misread --------------

@pytest.mark.parametrize(("text", "expected"), [
    ("أحد عشر", 11), ("إحدى عشرة", 11), ("اثنا عشر", 12), ("اثني عشر", 12),
    ("ثلاثة عشر", 13), ("تسع عشرة", 19), ("إحدى وعشرون", 21), ("سبعاً وأربعين", 47),
    ("ثلاث مئة", 300), ("مئتان وأحد عشر", 211), ("مائة وواحد", 101),
])
def test_teens_and_compounds_never_read_as_their_first_word(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ألفاً و500", 1500),          # tanween: the accusative singular, one thousand
    ("مليوناً", MILLION),
    ("مليونا دولار", 2 * MILLION),  # no tanween, a noun after it: the construct dual
    ("ألفا لاجئ", 2 * THOUSAND),
])
def test_accusative_singular_and_construct_dual_told_apart(text: str, expected: int) -> None:
    assert parse_number(text) == expected


def test_accusative_or_dual_before_wa_without_tanween_is_refused() -> None:
    with pytest.raises(NumeralParseError, match='cannot read "ألفا و500" with certainty'):
        parse_number("ألفا و500")


@pytest.mark.parametrize("text", ["ألفا", "بلغ عدد الزوار مليونا", "ارتفع إلى مليارا في العام"])
def test_accusative_or_dual_without_a_noun_after_it_is_refused(text: str) -> None:
    # The construct dual needs its noun right after it; without one the word is
    # as likely the accusative singular with its tanween unwritten.
    with pytest.raises(NumeralParseError, match="no noun after it"):
        parse_number(text)


@pytest.mark.parametrize("text", [
    "في ذكرى الحادي عشر من أيلول", "الحادي والعشرين من الشهر", "يوم الاثنين",
    "أحد الجنود", "آلاف المتظاهرين", "عشرات الآلاف", "لست أدري",
])
def test_ordinals_days_and_vague_plurals_are_not_figures(text: str) -> None:
    assert find_numbers(text) == []


def test_spans_and_qualifier_spans_index_the_original_text() -> None:
    text = "قُتِلَ أكثرُ من خَمْسَةٍ وعِشْرِينَ ألفاً، ونحو ١٢ في المئة"
    first, second = find_numbers(text)
    assert (first.value, first.text) == (25 * THOUSAND, "خَمْسَةٍ وعِشْرِينَ ألفاً")
    assert text[first.qualifier_start:first.qualifier_end] == "أكثرُ من"
    assert (second.value, second.unit_hint, second.qualifier) == (12, "percent", "approx")
    assert second.text == "١٢ في المئة"
    assert text[second.qualifier_start:second.qualifier_end] == "ونحو"


@pytest.mark.parametrize(("text", "expected"), [
    ("تجاوزت الخسائر 3 ملايين", "at_least"), ("يفوق عددهم 3 آلاف", "at_least"),
    ("فاق 3 آلاف", "at_least"), ("أزيد من 3 آلاف", "at_least"), ("دون 18 عاماً", "at_most"),
    ("ما يناهز 3 آلاف", "approx"), ("يقارب عدد المفقودين 300", "approx"),
    ("ألا تزيد الكلفة على 10 ملايين", "at_most"), ("لا يقل عدد المصابين عن 70", "at_least"),
    ("3 آلاف أو أكثر", "at_least"), ("3 آلاف فأكثر", "at_least"),
    ("3 آلاف جندي على الأكثر", "at_most"), ("3 آلاف تقريباً", "approx"),
    ("بدون 3 شروط", "exact"),  # "without", not "below"
])
def test_comparatives_in_every_form_and_position(text: str, expected: str) -> None:
    (match,) = find_numbers(text)
    assert match.qualifier == expected
    assert detect_qualifier(text) == expected


def test_lenient_mode_reports_the_uncertain_words_and_keeps_going() -> None:
    text = "بلغ العدد عشرين خمسة، ثم 300 آخرين"
    with pytest.raises(NumeralParseError, match='cannot read "عشرين خمسة" with certainty'):
        find_numbers(text)
    bad, good = find_numbers(text, strict=False)
    assert (bad.value, bad.text) == (None, "عشرين خمسة") and bad.problem
    assert good.value == 300


def test_huge_digit_runs_are_refused_not_rounded() -> None:
    with pytest.raises(NumeralParseError, match="with certainty"):
        parse_number("1" * 500 + " مليون")


@pytest.mark.parametrize("text", ["سبعى عشر", "خمست عشر", "ثلاثى وأربعين", "اربعت آلاف"])
def test_unknown_unit_spelling_before_its_partner_is_refused(text: str) -> None:
    """An unread first word must not leave the second word's value (10, 40, 1000)."""
    with pytest.raises(NumeralParseError, match="with certainty"):
        parse_number(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("ستكون عشرة أيام", 10), ("ستقدم مليون دولار", MILLION), ("أثناء عشر سنوات", 10),
])
def test_verbs_that_start_like_units_do_not_block_the_number(text: str, expected: int) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("في النصف الأول من العام قتل 300 شخص", [300]),   # the first half: a period
    ("في الربع الأخير نما الاقتصاد 2%", [2]),
    ("في الذكرى العشرين للحرب تجمع 300 شخص", [300]),   # the twentieth: an ordinal
    ("أكثر من النصف", [Decimal("0.5")]),               # the half alone is still a figure
    ("الرجال ونصف النساء", [Decimal("0.5")]),
])
def test_periods_and_ordinal_tens_are_not_figures(text: str, expected: list[Decimal]) -> None:
    assert [m.value for m in find_numbers(text)] == expected


@pytest.mark.parametrize("text", ["استمر القصف ساعة ونصف في المدينة", "بعد سنة ونصف"])
def test_a_noun_and_a_half_without_a_number_is_refused(text: str) -> None:
    # "ساعة ونصف" is 1.5 hours; reading the fraction alone (0.5) would misread it.
    with pytest.raises(NumeralParseError, match="the noun and a half"):
        find_numbers(text)
    (unread,) = find_numbers(text, strict=False)
    assert unread.value is None and unread.text == "ونصف"


@pytest.mark.parametrize("text,value,qualifier", [
    ("لتتجاوز مساعداتها الإنسانية الإجمالية للعراق 3.3 مليار دولار", 3_300_000_000, "at_least"),
    ("قتل نيف وعشرون شخصًا", 20, "at_least"),  # twenty-some: more than twenty
    ("بلغت كلفة الساعة الواحدة 5 آلاف دولار", 5000, "exact"),  # "the one" takes no figure
])
def test_qualifier_far_from_its_verb_and_some_more(text: str, value: int, qualifier: str) -> None:
    found = [(m.value, m.qualifier) for m in find_numbers(text)]
    assert found == [(value, qualifier)]
