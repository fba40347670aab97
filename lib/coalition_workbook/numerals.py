"""Read Arabic number expressions as the article prints them.

Handles Western (0-9), Arabic-Indic (٠-٩) and Persian (۰-۹) digits; thousands
separators ("3.322.145", "1,100", "١٬٢٣٤"); decimal marks ("12.5", "١٢٫٥");
scale words in their forms (ألف/آلاف/ألفا/ألفًا, مليون/ملايين, مليار/مليارات);
duals (ملياري = 2 billion, مليونين, ألفين, عامين = 2 years); tatweel ("الـ3");
diacritics; the conjunction/preposition prefixes و ب ل لـ; and the number
words one to ten (ست سنوات = 6 years).

Two entry points: ``parse_number`` reads one expression, ``find_numbers``
lists every expression in a longer text (used to cross-check quotes), and
``detect_qualifier`` reads comparative words ("أكثر من" = at_least).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import NumeralParseError

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TATWEEL = "\u0640"
_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
# Arabic thousands separator (U+066C) and decimal mark (U+066B).
_AR_THOUSANDS, _AR_DECIMAL = "\u066c", "\u066b"

_SCALES: dict[str, int] = {}
for _forms, _mult in (
    (("ألف", "الف", "آلاف", "الاف", "ألفا", "الفا", "ألوف"), 1_000),
    (("مليون", "ملايين", "مليونا", "ملايينا"), 1_000_000),
    (("مليار", "مليارات", "مليارا", "بليون", "بلايين"), 1_000_000_000),
):
    for _f in _forms:
        _SCALES[_f] = _mult

# Duals: the word alone means two of it.
_DUAL_SCALES = {
    "ألفين": 1_000, "ألفي": 1_000, "ألفان": 1_000, "الفين": 1_000, "الفي": 1_000,
    "مليونين": 1_000_000, "مليوني": 1_000_000, "مليونان": 1_000_000,
    "مليارين": 1_000_000_000, "ملياري": 1_000_000_000, "ملياران": 1_000_000_000,
}
_DUAL_UNITS = {  # duration duals: two of the unit
    "عامين", "عامان", "عامي", "سنتين", "سنتان", "شهرين", "شهران", "يومين", "يومان",
    "أسبوعين", "اسبوعين", "أسبوعان",
}
_WORDS = {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "اربع": 4, "اربعة": 4,
    "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7,
    "ثمان": 8, "ثماني": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "مائة": 100, "مئة": 100,
}
_PREFIXES = ("وب", "ول", "و", "ب", "ل", "ف", "ك")

# A numeral: digits with optional grouping/decimal separators.
_NUMERAL = re.compile(r"\d+(?:[.,\u066b\u066c]\d+)*")
# A token: up to three prefix letters glued to a numeral ("و8500", "ال3"),
# an Arabic word, or a bare numeral. Text is normalised first.
_TOKEN = re.compile(
    r"[\u0621-\u064a]{1,3}\d+(?:[.,\u066b\u066c]\d+)*"
    r"|[\u0621-\u064a]+"
    r"|\d+(?:[.,\u066b\u066c]\d+)*"
)

_QUALIFIER_MARKERS: tuple[tuple[str, str], ...] = (
    # Order matters: negated forms before the bare verb they contain.
    ("لا يتجاوز", "at_most"), ("لا تتجاوز", "at_most"), ("لا يزيد", "at_most"),
    ("لا تزيد", "at_most"), ("أقل من", "at_most"), ("اقل من", "at_most"),
    ("على الأكثر", "at_most"), ("بحد أقصى", "at_most"),
    ("أكثر من", "at_least"), ("اكثر من", "at_least"), ("تتجاوز", "at_least"),
    ("يتجاوز", "at_least"), ("تزيد على", "at_least"), ("تزيد عن", "at_least"),
    ("يزيد على", "at_least"), ("يزيد عن", "at_least"), ("ما يزيد", "at_least"),
    ("أزيد من", "at_least"), ("على الأقل", "at_least"), ("ما لا يقل", "at_least"),
    ("لا يقل", "at_least"), ("لا تقل", "at_least"),
    ("نحو", "approx"), ("حوالي", "approx"), ("حوالى", "approx"), ("قرابة", "approx"),
    ("زهاء", "approx"), ("تقريبا", "approx"), ("ما يقارب", "approx"),
)


def normalize(text: str) -> str:
    """Strip tatweel and diacritics and map Arabic-Indic digits to ASCII.

    Examples:
        >>> normalize("الـ٣ ألفًا")
        'ال3 ألفا'
    """
    return _DIACRITICS.sub("", text.replace(_TATWEEL, "")).translate(_DIGITS)


def _read_numeral(raw: str, *, before_scale: bool = False) -> Decimal:
    """Read digits with separators. See module docstring for the rules."""
    s = raw.replace(_AR_THOUSANDS, ",").replace(_AR_DECIMAL, "\u066b")
    if "\u066b" in s:  # Arabic decimal mark: unambiguous
        whole, _, frac = s.partition("\u066b")
        s = whole.replace(",", "").replace(".", "") + "." + frac
        return Decimal(s)
    for sep, other in ((".", ","), (",", ".")):
        if sep in s and other in s:
            # "1,234.5" or "1.234,5": the last separator is the decimal mark.
            last = max(s.rfind("."), s.rfind(","))
            whole, frac = s[:last], s[last + 1 :]
            return Decimal(whole.replace(".", "").replace(",", "") + "." + frac)
    for sep in (".", ","):
        if sep in s:
            groups = s.split(sep)
            grouped = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
            if len(groups) > 2:
                if not grouped:
                    raise NumeralParseError(f'cannot read "{raw}" as a number')
                return Decimal("".join(groups))
            # One separator. "1,100" / "8.500" group thousands; "12.5" is a decimal;
            # "1.125 مليار" is a decimal because a scale word follows.
            if grouped and not (sep == "." and before_scale):
                return Decimal("".join(groups))
            if sep == ",":
                raise NumeralParseError(f'cannot read "{raw}" as a number')
            return Decimal(s)
    return Decimal(s)


def _strip_prefix(word: str, vocab: dict[str, int] | set[str]) -> str | None:
    """Return the vocabulary form of ``word`` after removing و/ب/ل/ال prefixes."""
    candidates = [word]
    for p in _PREFIXES:
        if word.startswith(p) and len(word) > len(p) + 1:
            candidates.append(word[len(p) :])
    for c in list(candidates):
        if c.startswith("ال") and len(c) > 3:
            candidates.append(c[2:])
    for c in candidates:
        if c in vocab:
            return c
    return None


@dataclass(frozen=True)
class NumberMatch:
    """A number expression found in a text: its span in the *normalised* text and value."""

    value: Decimal
    text: str
    start: int
    end: int


def find_numbers(text: str) -> list[NumberMatch]:
    """List every number expression in ``text``, left to right.

    Examples:
        >>> [str(m.value) for m in find_numbers("درّبت 17 لواءًا، بواقع 49 ألف منتسب")]
        ['17', '49000']
        >>> [str(m.value) for m in find_numbers("وملياري دولار")]
        ['2000000000']
        >>> [str(m.value) for m in find_numbers("لا يتجاوز الـ3 سنوات")]
        ['3']
    """
    norm = normalize(text)
    tokens = list(_TOKEN.finditer(norm))
    found: list[NumberMatch] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = tok.group()
        value: Decimal | None = None
        end = tok.end()
        if word[0].isdigit():
            nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
            scale = _SCALES.get(nxt)
            try:
                value = _read_numeral(word, before_scale=scale is not None)
            except (NumeralParseError, InvalidOperation):
                raise NumeralParseError(f'cannot read "{word}" as a number') from None
            if scale is not None:
                value *= scale
                end = tokens[i + 1].end()
                i += 1
        else:
            digits = re.match(r"^(\D*)(\d.*)$", word)
            if digits:  # e.g. "و8500" or "ال3": prefix glued to the digits
                nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
                scale = _SCALES.get(nxt)
                value = _read_numeral(digits.group(2), before_scale=scale is not None)
                if scale is not None:
                    value *= scale
                    end = tokens[i + 1].end()
                    i += 1
            elif (d := _strip_prefix(word, _DUAL_SCALES)) is not None:
                value = Decimal(2 * _DUAL_SCALES[d])
            elif _strip_prefix(word, _DUAL_UNITS) is not None:
                value = Decimal(2)
            elif (w := _strip_prefix(word, _WORDS)) is not None:
                value = Decimal(_WORDS[w])
                nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
                if nxt in _SCALES:
                    value *= _SCALES[nxt]
                    end = tokens[i + 1].end()
                    i += 1
        if value is not None:
            found.append(NumberMatch(value, norm[tok.start() : end], tok.start(), end))
        i += 1
    return found



def parse_number(text: str) -> Decimal:
    """Read one figure as printed in the article.

    Args:
        text: The figure as printed, e.g. "49 ألف", "ملياري دولار", "3.322.145".

    Returns:
        The value as a Decimal.

    Raises:
        NumeralParseError: If ``text`` holds no number, or more than one.

    Examples:
        >>> parse_number("١٬٢٣٤")
        Decimal('1234')
        >>> parse_number("١٢٫٥")
        Decimal('12.5')
        >>> parse_number("3.322.145")
        Decimal('3322145')
        >>> parse_number("ملياري دولار")
        Decimal('2000000000')
    """
    matches = find_numbers(text)
    if not matches:
        raise NumeralParseError(f'cannot read "{text}" as a number')
    if len(matches) > 1:
        shown = ", ".join(m.text for m in matches)
        raise NumeralParseError(f'"{text}" holds {len(matches)} numbers ({shown}), expected one')
    return matches[0].value


def detect_qualifier(text: str) -> str:
    """Return the qualifier the quote's wording implies: exact/at_least/at_most/approx.

    Examples:
        >>> detect_qualifier("وأكثر من 10 آلاف منتسب")
        'at_least'
        >>> detect_qualifier("لا يتجاوز الـ3 سنوات")
        'at_most'
        >>> detect_qualifier("بقيمة 3 ملايين دولار")
        'exact'
    """
    norm = normalize(text)
    for marker, qualifier in _QUALIFIER_MARKERS:
        # The marker as whole words, optionally after a one-letter prefix (و/ف/ب/ل).
        if re.search(rf"(?<![\u0621-\u064a])[وفبل]?{marker}(?![\u0621-\u064a])", norm):
            return qualifier
    return "exact"

