"""Draft figures rows for a new article: every number not yet curated, quote ready.

``draft_rows`` reads a source text line by line (a line is a "paragraph"),
lists each number expression with ``scan`` and, for each one that no curated
figure quotes and ``data/ignored.csv`` does not set aside, proposes a
``figures.csv`` row: ``value``, ``qualifier``, ``quote``, ``source`` and
``paragraph`` filled, a unique ``id`` suggested, ``unit`` / ``category``
guessed only when the counted noun names a unit listed in ``data/units.csv``
(its ``nouns_ar``), everything descriptive left blank for the analyst.

The quote is the shortest verbatim span holding the comparative words, the
number and the counted noun (the next word; after a partitive "من" the noun
after it; the year word before a year). Each quote is checked the way
``provenance.check_quotes`` will check it (one number, equal to ``value``,
same qualifier) and shortened until it passes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from . import config, numerals, schema
from .errors import NumeralParseError, WorkbookError

#: The columns of figures.csv, as the schema declares them (a draft row is a figures row).
FIGURE_COLUMNS: list[str] = list(schema.TABLES["figures"]["fields"])

_WORD = re.compile(r"[^\s\"“”«»()\[\]،,.:؛;!?؟]+")
_TRAILING_PUNCT = "\"“”«»()[]،,.:؛;!?؟"
_YEAR_WORDS = {"عام", "العام", "سنة", "لعام", "بعام", "وعام", "منذ", "لسنة", "بسنة", "وسنة",
               "السنة", "للعام", "عامي", "الأعوام", "للأعوام", "أعوام", "الاعوام", "للاعوام"}
# Month names as ``_fold`` writes them: the Levantine/Iraqi calendar (كانون الثاني ...
# كانون الأول; "كانون" and "تشرين" are the first word of two months each) and the
# Gregorian one with its common spellings (ابريل/إبريل, يونيو/يونيه, the Iraqi مايس,
# the Maghrebi جانفي ... دجنبر).
_MONTHS = {
    "كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول", "تشرين",
    "يناير", "فبراير", "مارس", "ابريل", "افريل", "مايو", "مايس", "يونيو", "يونيه",
    "يوليو", "يوليه", "اغسطس", "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر",
    "جانفي", "فيفري", "جويليه", "اوت", "نونبر", "دجنبر",
}
# Words right after a figure that are not what it counts: prepositions, conjunctions,
# adverbs ("نحو 500 في المنطقة", "163 ألفًا كما قال").
_NOT_NOUNS = {
    "في", "على", "إلى", "الى", "عن", "مع", "خلال", "منذ", "بعد", "قبل", "حتى", "كما", "وفق",
    "وفقا", "وفقًا", "حسب", "بحسب", "أو", "او", "ثم", "لكن", "بينما", "حيث", "أن", "إن", "التي",
    "الذي", "الذين", "فقط", "تقريبا", "تقريبًا", "أيضا", "أيضًا", "لدى", "عند", "داخل", "خارج",
    "ضمن", "عبر", "نحو", "قد", "لم", "لن", "لا", "ما", "هذا", "هذه", "ذلك", "تلك",
}
_RELATIVE_YEAR = {"الماضي", "المقبل", "الجاري", "الحالي", "المنصرم"}


#: A number in a line, located in the original text (the reader's own match).
Found = numerals.NumberMatch


def scan(line: str) -> list[Found]:
    """Every number expression in one line, left to right, located in the original text.

    ``numerals.find_numbers(strict=False)``: a form it cannot read comes back
    with ``value=None`` and its ``problem``, to be drafted as a row to check.

    Examples:
        >>> [(f.text, str(f.value), f.qualifier) for f in scan("أكثر من 10 آلاف منتسب")]
        [('10 آلاف', '10000', 'at_least')]
    """
    return numerals.find_numbers(line, strict=False)


# --------------------------------------------------------------------------- quotes

def _words_after(line: str, pos: int) -> list[tuple[int, int, str]]:
    """Words following ``pos`` up to the first punctuation mark (start, end, word)."""
    out = []
    i = pos
    while i < len(line):
        while i < len(line) and line[i] == " ":
            i += 1
        m = _WORD.match(line, i)
        if not m:
            break
        out.append((m.start(), m.end(), m.group()))
        i = m.end()
        if i < len(line) and line[i] != " ":
            break  # punctuation right after the word ends the phrase
    return out


def _word_before(line: str, pos: int) -> tuple[int, str] | None:
    m = re.search(r"(\S+)\s+$", line[:pos])
    if not m:
        return None
    return m.start(1), m.group(1).strip(_TRAILING_PUNCT)


def _bare(word: str) -> str:
    return numerals.normalize(word).strip(_TRAILING_PUNCT)


_FOLD = str.maketrans("أإآٱىة", "اااايه")


def _fold(word: str) -> str:
    """``_bare``, with the letters spelled either way folded (أ إ آ -> ا, ى -> ي, ة -> ه):
    "آذار" and "اذار", "الفرقة" and "الفرقه" are one word to the lists below."""
    return _bare(word).translate(_FOLD)


def _is_month(word: str) -> bool:
    """Whether ``word`` is a month name, a glued و/ف/ب/ل allowed ("وشباط", "بآذار");
    "آب" only after و ("باب" is a door)."""
    w = _fold(word)
    return w in _MONTHS or (w[:1] in "وفبل" and w[1:] in _MONTHS
                            and (w[1:] != "اب" or w[:1] == "و"))


def _is_number_word(word: str) -> bool:
    try:
        numerals.parse_number(word)
    except NumeralParseError:
        return False
    return True


def _is_dual_noun(f: Found) -> bool:
    """A dual like عامين: the noun is the number; nothing more to quote."""
    t = _bare(f.text)
    return (f.value == 2 and not any(c.isdigit() for c in t) and " " not in t
            and not re.search("ملي|ألف|الف|اثن", t))


def _noun_words(line: str, f: Found) -> list[tuple[int, int, str]]:
    """The counted noun after the number: one word; after 'من' the noun and its idafa."""
    if _is_dual_noun(f):
        return []
    words = []
    for start, end, word in _words_after(line, f.end)[:4]:
        if _is_number_word(word) or any(c.isdigit() for c in numerals.normalize(word)):
            break
        words.append((start, end, word))
    first = _bare(words[0][2]) if words else ""
    if first in _NOT_NOUNS or (first[:1] in "وف" and first[1:] in _NOT_NOUNS):
        return []  # "163 ألفًا كما قال": the figure's noun is elsewhere, not "as"
    if not words:
        return []
    if _bare(words[0][2]) in ("من", "منهم", "منها") and _bare(words[0][2]) == "من":
        picked = words[:2]
        if len(words) >= 3 and not _bare(words[1][2]).startswith("ال") \
                and _bare(words[2][2]).startswith("ال"):
            picked = words[:3]
        return picked
    return words[:1]


def _year_word(line: str, f: Found) -> int | None:
    """Start of the word naming a year before a 4-digit number (عام 2014, يونيو 2021)."""
    t = _bare(f.text)
    if not (f.value is not None and re.fullmatch(r"\D{0,3}(1[89]|20)\d\d", t)):
        return None
    prev = _word_before(line, f.start)
    if prev and _bare(prev[1]) in _RELATIVE_YEAR | {"الأول", "الثاني"}:
        prev = _word_before(line, prev[0]) or prev  # العام الماضي 2020, تشرين الأول 2023
    word = _bare(prev[1].split("/")[-1]) if prev else ""  # "الأول/ديسمبر 2015"
    if prev and (word in _YEAR_WORDS or word[1:] in _YEAR_WORDS or _is_month(word)):
        return prev[0]
    return None


def _quote_ok(quote: str, value: Decimal, qualifier: str) -> bool:
    """Whether validation will read (value, qualifier) from the quote, as it reads quotes."""
    try:
        return (value, qualifier) in numerals.quote_readings(quote)
    except NumeralParseError:
        return False


def _strip_prefix_start(line: str, f: Found) -> int:
    """Start after a glued conjunction/preposition (و8500 -> 8500) when that reads the same.

    A preposition written with a tatweel ("بـ300") keeps it: "ـ300" would open the
    quote with a stray stroke.
    """
    if len(f.text) > 1 and f.text[0] in "وبلف" and f.value is not None:
        rest = f.text[1:]
        if rest[:1] == "\u0640":  # "بـ300": the stroke belongs to the preposition
            return f.start
        if rest[:1].isdigit() or rest[:1] == " ":
            return f.start + 1
        try:
            if numerals.parse_number(rest) == f.value:
                return f.start + 1
        except NumeralParseError:
            pass
    return f.start


@dataclass(frozen=True)
class Quote:
    """A drafted quote and what the draft could say about it."""

    text: str
    noun: str
    is_year: bool
    ok: bool


def draft_quote(line: str, f: Found) -> Quote:
    """The shortest verbatim span with comparative words, number and counted noun.

    Examples:
        >>> draft_quote("وأكثر من 10 آلاف منتسب في الحشد", scan("وأكثر من 10 آلاف منتسب")[0]).text
        'أكثر من 10 آلاف منتسب'
    """
    num_start = _strip_prefix_start(line, f)
    start = min(num_start, f.qualifier_start) if f.qualifier_start is not None else num_start
    end = max(f.end, f.qualifier_end or 0)
    year_at = _year_word(line, f)
    pct = re.match(r"\s*(%|٪|بالمئة|بالمائة|في المئة|في المائة)", line[f.end:])
    if year_at is not None:
        start = min(start, year_at)
        nouns: list[tuple[int, int, str]] = []
    elif f.unit_hint == "percent" and pct:
        nouns = [(f.end + pct.start(1), f.end + pct.end(1), pct.group(1))]
    else:  # the noun of a range follows its high end ("بين 15 و20 مدنيًا")
        nouns = _noun_words(line, replace(f, end=f.range_span[1]) if f.range_span else f)
    if f.value is None:
        return Quote(line[start:end], "", False, False)
    candidates = [max(end, n[1]) for n in reversed(nouns)] + [end]
    # A glued و/ف/ب/ل before the comparative word (وأكثر من) is left out when the
    # quote reads the same without it: the quote is the shortest span.
    first_word = line[start:].split(maxsplit=1)[0] if line[start:].strip() else ""
    glued = (line[start:start + 1] in ("و", "ف", "ب", "ل") and line[start + 1:start + 2] != "\u0640"
             and _bare(first_word) not in ("بين", "بنحو") )  # "بين 15 إلى 20": not "ين"
    starts = [start + 1, start] if glued else [start]
    for stop, begin in ((stop, begin) for stop in candidates for begin in starts):
        quote = line[begin:stop].strip()
        if _quote_ok(quote, f.value, f.qualifier):
            noun = f.text if _is_dual_noun(f) else " ".join(w for _, e, w in nouns if e <= stop)
            return Quote(quote, noun, year_at is not None, True)
    return Quote(line[start:end].strip(), "", year_at is not None, False)


# --------------------------------------------------------------------------- rows

@dataclass(frozen=True)
class UnitHint:
    """What data/units.csv says a noun counts."""

    unit: str
    category: str


def unit_hints(units_csv: Path | None = None) -> dict[str, UnitHint]:
    """Noun (normalised) -> unit and draft category, from units.csv's ``nouns_ar``."""

    units = schema.load_table(units_csv or schema.vocabulary_path("units"), "units")
    out: dict[str, UnitHint] = {}
    for unit, nouns, category in units[["unit", "nouns_ar", "draft_category"]].itertuples(
            index=False):
        for noun in str(nouns).split():
            out.setdefault(numerals.normalize(noun), UnitHint(unit, category))
    return out


def guess_unit(noun: str, hints: dict[str, UnitHint]) -> UnitHint | None:
    """The unit a counted noun names, if units.csv lists it (prefixes و ب ل ال allowed)."""
    for word in noun.split():
        w = _bare(word)
        for cand in (w, w[1:] if w[:1] in "وبلف" else w, w[2:] if w.startswith("ال") else w,
                     w[3:] if w[1:3] == "ال" else w):
            if cand in hints:
                return hints[cand]
        if w not in ("من",):
            break  # only the first noun (or the noun after a partitive من) decides
    return None


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    s = s if s[:1].isalpha() else f"s{s}"
    return s[:24].rstrip("_") or "source"


def _format_value(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _overlaps(line: str, needle: str, start: int, end: int, *, covers: bool = False) -> bool:
    """Whether some verbatim occurrence of ``needle`` in ``line`` overlaps [start, end)
    (with ``covers``: holds all of it)."""
    if not needle:
        return False
    i = line.find(needle)
    while i >= 0:
        if (i <= start and end <= i + len(needle)) if covers else (
                i < end and start < i + len(needle)):
            return True
        i = line.find(needle, i + 1)
    return False


@dataclass(frozen=True)
class Accounted:
    """Quotes of curated figures and texts of ignored numbers, per (source, paragraph)."""

    curated: dict[tuple[str, int], list[str]]
    ignored: dict[tuple[str, int], list[str]]
    ids: frozenset[str] = frozenset()

    def status(self, source: str, paragraph: int, line: str, f: Found) -> str:
        """``curated``, ``ignored`` or ``unaccounted`` for one number."""
        key = (source, paragraph)
        if any(_overlaps(line, q, f.start, f.end) for q in self.curated.get(key, [])):
            return "curated"
        # An ignored text must hold the whole number: "9" (a date's day) never
        # accounts for the "19" of a count on the same line.
        if any(t == f.text or _overlaps(line, t, f.start, f.end, covers=True)
               for t in self.ignored.get(key, [])):
            return "ignored"
        return "unaccounted"


def read_accounted(figures_csv: Path | None = None, ignored_csv: Path | None = None
                   ) -> Accounted:
    """What is already accounted for: curated quotes and declared ignored numbers.

    Raises:
        TableValidationError: If either table is missing or malformed (located).
    """

    figures_csv = figures_csv or config.FIGURES_CSV
    ignored_csv = ignored_csv or figures_csv.parent / "ignored.csv"
    curated: dict[tuple[str, int], list[str]] = {}
    figures = schema.load_table(figures_csv, "figures", collect=[])
    for source, paragraph, quote in figures[["source", "paragraph", "quote"]].itertuples(
            index=False):
        if quote and paragraph is not None and paragraph == paragraph:
            curated.setdefault((source, int(paragraph)), []).append(quote)
    ignored: dict[tuple[str, int], list[str]] = {}
    if ignored_csv.exists():
        table = schema.load_table(ignored_csv, "ignored")
        for source, paragraph, text in table[["source", "paragraph", "text"]].itertuples(
                index=False):
            ignored.setdefault((source, int(paragraph)), []).append(text)
    return Accounted(curated, ignored, frozenset(figures["id"]))


def read_source(path: Path) -> list[str]:
    """The lines of a source text; a missing or non-UTF-8 file is one located error."""
    if not path.is_file():
        what = "is a folder, not a text file" if path.is_dir() else "file not found"
        raise WorkbookError(what, file=str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise WorkbookError(f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                            "save the article as UTF-8 text", file=str(path), row=line) from None
    return text.split("\n")


# What a number is when it is not a count: the reason written to the proposals for
# data/ignored.csv (English, Arabic).
_ASIDE = {
    "number": ("an identifier (رقم N), not a count", "رقم تعريفي (رقم N) وليس عددًا"),
    "day": ("the day of a date, not a count", "يوم من تاريخ وليس عددًا"),
    "zero": ("written with a leading zero (a phone or reference number), not a count",
             "مكتوب بصفر في أوله (رقم هاتف أو مرجع) وليس عددًا"),
    "code": ("part of a name (كوفيد-19), not a count",
             "جزء من اسم (كوفيد-19) وليس عددًا"),
    "formation": ("the number of a formation (اللواء 57), not a count",
                  "رقم تشكيل عسكري (اللواء 57) وليس عددًا"),
    "hijri": ("a Hijri date, not a count", "تاريخ هجري وليس عددًا"),
    "time": ("a time of day, not a count", "وقت من اليوم وليس عددًا"),
    "month_year": ("the year of a month-and-year date (كانون الأول 2026), not a figure",
                   "سنة من تاريخ بالشهر والسنة (كانون الأول 2026) وليست رقمًا"),
    "numeric_date": ("part of a date written in digits (9/3/2022), not a count",
                     "جزء من تاريخ مكتوب بالأرقام (9/3/2022) وليس عددًا"),
    "citation": ("the number of a resolution, decree, law or article (القرار 2367), "
                 "not a count",
                 "رقم قرار أو مرسوم أو قانون أو مادة (القرار 2367) وليس عددًا"),
    "phone": ("a phone or hotline number (الخط الساخن 122), not a count",
              "رقم هاتف أو خط ساخن (الخط الساخن 122) وليس عددًا"),
}
_NUMBER_WORDS = {"رقم", "الرقم", "برقم", "ورقم", "بالرقم", "رقمها", "رقمه"}
_DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"

# The nouns below are written as ``_fold`` writes them; ``_head`` takes off a glued
# و/ف and ب/ك/ل ("والقرار", "للفرقة", "بالمادة") before looking them up.
# A number right after them is the name of what they cite, not a count.
_CITING = {
    "قرار", "القرار", "قرارات", "القرارات", "القرارين", "قراري",
    "مرسوم", "المرسوم", "مراسيم", "المراسيم", "المرسومين",
    "قانون", "القانون", "قوانين", "القوانين", "القانونين",
    "ماده", "الماده", "المادتين", "المواد", "فقره", "الفقره", "البند", "بند",
}
# Military units: a number after them (after a few describing words too:
# "كتيبة الهندسة العسكرية 11", "لواء المشاة 23") names the unit; a number before
# them counts units ("3 ألوية", "خمس فرق").
_UNITS = {
    "كتيبه", "الكتيبه", "الكتيبتين", "فرقه", "الفرقه", "الفرقتين", "لواء", "اللواء",
    "اللواءين", "اللواءان", "فوج", "الفوج", "الفوجين", "سريه", "السريه", "فيلق", "الفيلق",
    "فصيل", "الفصيل", "الوحده", "الوحدتين", "الوحدتان",
}
# "قيادة عمليات نينوى": the operations command of a sector, a unit too.
_COMMANDS = {"عمليات", "العمليات"}
# Phone lines: "الخط الساخن 122", "هاتف 5599".
_PHONES = {("الخط", "الساخن"), ("خط", "ساخن"), ("الخط", "المجاني"), ("خط", "مجاني"),
           ("هاتف",), ("الهاتف",)}
# Definite words that describe no unit: a year's word comes before a year
# ("الفرقة في العام 2017"), a relative pronoun before a clause.
_NOT_DESCRIBING = {"العام", "السنه", "الماضي", "المقبل", "الجاري", "الحالي", "الذي", "التي",
                   "الذين", "اللذين", "اللتين"}
_NOT_NOUNS_FOLDED = {w.translate(_FOLD) for w in _NOT_NOUNS}
# Earlier numbers of the same list before a number: "القرارين 1500 و" before 1770.
_LIST_TAIL = re.compile(rf"(?:[{_DIGITS}]+\s*[،,]?\s*و?\s*)+$")
_CLAUSE_END = "،,.:؛;!?؟"
# A date in digits, day-month-year or year-month-day: "9/3/2022", "2022-03-09".
_NUMERIC_DATE = re.compile(
    rf"(?<![{_DIGITS}])(?<![{_DIGITS}][/.\-])"
    rf"(?:[{_DIGITS}]{{1,2}}([/.\-])[{_DIGITS}]{{1,2}}\1(?:[{_DIGITS}]{{4}}|[{_DIGITS}]{{2}})"
    rf"|[{_DIGITS}]{{4}}([/.\-])[{_DIGITS}]{{1,2}}\2[{_DIGITS}]{{1,2}})"
    rf"(?![/.\-]?[{_DIGITS}])")
# A cited number just before "لسنة"/"لعام": "رقم 3", "القانون 52" (and the year after).
_CITED_BEFORE = re.compile(
    r"(?:رقم|قرار|مرسوم|قانون|القرار|المرسوم|القانون)\s*\(?\s*[" + _DIGITS + r"]+\s*\)?\s*$")
_YEAR = re.compile(r"(?:1[89]|20)[0-9][0-9]")  # after numerals.normalize


def _next_word(line: str, pos: int) -> str:
    """The first word after ``pos`` past any "و15"-style figures ("يومي 14 و15 شباط")."""
    m = re.match(rf"(?:\s*و?\s*[{_DIGITS}]+)*\s*([^\s{re.escape(_TRAILING_PUNCT)}]+)",
                 line[pos:])
    return _bare(m.group(1).split("/")[0]) if m else ""


def set_aside(line: str, f: Found) -> str | None:
    """Why a number found in a line is not a figure to curate (a key of ``_ASIDE``), or None.

    Only forms that cannot be counts: a date's parts (a day before a month name,
    the year after one, the parts of "9/3/2022"), a time of day, "رقم N", the
    number of a resolution, decree, law or article ("القرار 2367", "المادة 12"),
    a phone line ("الخط الساخن 122"), a leading zero, digits glued to a name
    ("كوفيد-19"), a unit's number ("اللواء 57", "كتيبة الهندسة العسكرية 11"), a
    Hijri date ("1441هـ"). A year standing alone ("منذ 2014") stays a figure, and
    so does a number before a unit noun ("3 ألوية").

    Examples:
        >>> line = "صدر القرار رقم 48 في 9 كانون الثاني 2026 تنفيذًا للقرار 2367"
        >>> [set_aside(line, f) for f in scan(line)]
        ['number', 'day', 'month_year', 'citation']
    """
    if f.value is None:
        return None
    text = f.text.strip()
    digits = re.sub("^[وفبلك]?(?:ال|لل)?\u0640?", "", text)  # "و15", "بـ3", "الـ12"
    prev = _word_before(line, f.start)
    prev_word = _bare(prev[1]) if prev else ""
    why = _cited_number(line, f, prev, prev_word)
    if why is None and digits[:1] in _DIGITS:
        why = _date_in_digits(line, f, digits) or _named_by(line, f, text)
    if why is None:
        why = _time_or_day(line, f, text, digits, prev_word)
    if why is None and digits[:1] in _DIGITS:
        why = _written_form(line, f, digits)
    return why


def _cited_number(line: str, f: Found, prev: tuple[int, str] | None, prev_word: str,
                  ) -> str | None:
    """"number" when the words before the figure cite it as an identifier: "رقم 48",
    "قرار مجلس الأمن رقم 2107", the year of "رقم 3 لسنة 2022", "رقم 118-31"."""
    prev2 = _word_before(line, prev[0]) if prev else None
    if prev_word in _NUMBER_WORDS or (prev2 and _bare(prev2[1]) in _NUMBER_WORDS):
        return "number"  # "رقم 48", "الرقم المجاني 5599"
    if prev_word in ("لسنة", "لعام") and prev and prev2 and _CITED_BEFORE.search(
            line[:prev[0]]):
        return "number"  # "التعليمات رقم 3 لسنة 2022": the year is part of the citation
    if re.search(r"(?:رقم|الرقم)\s*[" + _DIGITS + r"]+\s*[-/]\s*$", line[:f.start]):
        return "number"  # the second part of "رقم 118-31"
    return None


def _date_in_digits(line: str, f: Found, digits: str) -> str | None:
    """"numeric_date" for a part of "9/3/2022" or "2022-03-09"; "month_year" for a year
    after a month name ("كانون الأول 2026", "آذار/مارس 2019", "15 آذار 2022")."""
    for m in _NUMERIC_DATE.finditer(line):
        if m.start() < f.end and f.start < m.end() and _plausible_date(m.group()):
            return "numeric_date"
    if not _YEAR.fullmatch(numerals.normalize(digits)):
        return None
    prev = _word_before(line, f.start)
    if prev and _fold(prev[1]) in ("الاول", "الثاني"):  # "كانون الأول 2026"
        prev = _word_before(line, prev[0])
    if prev and any(_is_month(w) for w in prev[1].split("/")):  # "الأول/ديسمبر 2015"
        return "month_year"
    return None


def _plausible_date(text: str) -> bool:
    """Whether "d/m/y" or "y-m-d" has a day and a month that can be (either order)."""
    parts = [int(numerals.normalize(p)) for p in re.split(r"[/.\-]", text)]
    day, month = (parts[2], parts[1]) if parts[0] > 31 else (parts[0], parts[1])
    return min(day, month) >= 1 and max(day, month) <= 31 and min(day, month) <= 12


def _head(word: str, heads: set[str]) -> bool:
    """Whether ``word`` is one of ``heads`` (folded), a glued و/ف then ب/ك/ل allowed."""
    w = _fold(word)
    forms = {w, w[1:] if w[:1] in "وف" else w}
    forms |= {x[1:] for x in forms if x[:1] in "بكل"} | {
        "ال" + x[2:] for x in forms if x.startswith("لل")}
    return bool(forms & heads)


def _words_before(line: str, pos: int) -> tuple[list[str], bool]:
    """Up to five words before ``pos``, nearest first, back to a clause mark; past the
    earlier numbers of a list ("القرارين 1500 و1770": the words before 1500), and
    whether there were any."""
    before = line[:pos]
    tail = _LIST_TAIL.search(before)
    listed = bool(tail and tail.group().strip())
    if listed and tail is not None:
        before = before[:tail.start()]
    words: list[str] = []
    for word in reversed(before.split()[-5:]):
        if word[-1:] in _CLAUSE_END or not word.strip(_TRAILING_PUNCT):
            break  # "القرار، 2367": the clause ended before the number
        words.append(word)
    return words, listed


def _names_a_unit(words: list[str]) -> int | None:
    """How many describing words lie between a unit noun and the number (words nearest
    first: "العسكرية الهندسة كتيبة" -> 2), or None when no unit noun leads them."""
    for k in range(min(len(words), 4)):
        if _head(words[k], _UNITS) or (_head(words[k], _COMMANDS) and k + 1 < len(words)
                                       and _head(words[k + 1], {"قياده"})):
            return k
        w = _fold(words[k])
        if not w.startswith("ال") or w in _NOT_DESCRIBING or k == 3:
            return None
    return None


def _named_by(line: str, f: Found, text: str) -> str | None:
    """"citation", "phone" or "formation" when the words before the number name what it
    identifies: "القرار 2367", "قرار مجلس الأمن 2107", "الخط الساخن 122", "الفرقة 16",
    "كتيبة الهندسة العسكرية 11".

    A unit's number after describing words or in a list, or one of 100 or more, is a
    name only when no counted noun follows it: "الفرقة المدرعة 300 دبابة" and "أفراد
    الكتيبة 800 جندي" count tanks and soldiers.
    """
    if " " in text:
        return None  # "2500 ألف", a number with a scale word, is a count
    words, listed = _words_before(line, f.start)
    if not words:
        return None
    folded = [_fold(w) for w in words]
    council = 2 if folded[:2] == ["الامن", "مجلس"] else 3 if folded[:3] == [
        "الدولي", "الامن", "مجلس"] else 0  # "قرار مجلس الأمن (الدولي) 2107"
    if council < len(words) and _head(words[council], _CITING):
        why = "citation"
    elif any(tuple(folded[:len(p)][::-1]) == p for p in _PHONES):
        why = "phone"
    else:
        described = _names_a_unit(words)
        if described is None:
            return None
        why = "formation"
        listed = listed or described > 0 or (f.value is not None and f.value >= 100)
    if listed and _counts_what_follows(line, f):
        return None
    return why


def _counts_what_follows(line: str, f: Found) -> bool:
    """Whether an indefinite noun follows the number, as after a count ("300 دبابة"), not a
    mark, a preposition, و or a definite word as after a name ("16،", "57 التابع")."""
    after = _words_after(line, f.end)
    if not after:
        return False
    w = _fold(after[0][2])
    if w.startswith(("ال", "لل")) or w in _NOT_NOUNS_FOLDED or w[1:] in _NOT_NOUNS_FOLDED:
        return False
    conj = w[:1] in "وف" and (w[1:2] in "و" + _DIGITS or w[1:3] == "ال"
                              or _head(w[1:], _UNITS | _CITING))
    return not conj


def _time_or_day(line: str, f: Found, text: str, digits: str, prev_word: str) -> str | None:
    """"time" after "الساعة" ("الساعة 11"), "day" before a month name ("9 كانون الثاني")."""
    assert f.value is not None  # set_aside returns early for an unread number
    if prev_word in ("الساعه", "الساعة", "والساعه", "والساعة") and f.value <= 24 \
            and digits[:1] in _DIGITS:
        return "time"  # "عند الساعة 11 صباحًا"
    if f.value == int(f.value) and 1 <= f.value <= 31 and " " not in text:
        after = _next_word(line, f.end)
        if after == "من":  # "قبل الثلاثين من أيلول"
            after = _next_word(line, f.end + line[f.end:].find("من") + 2)
        if _is_month(after):
            return "day"
    return None


def _written_form(line: str, f: Found, digits: str) -> str | None:
    """Why digits are written as no count: a leading zero, glued to a name ("كوفيد-19")
    or a Hijri date ("1441هـ")."""
    if digits[:1] in "0٠۰" and digits[1:2] in _DIGITS:
        return "zero"
    if re.search("[\u0621-\u064a]-$", line[max(0, f.start - 2):f.start]):
        return "code"  # "كوفيد-19" (digits glued to Latin letters are no number at all)
    if re.match(r"\s?هـ", line[f.end:f.end + 3]):
        return "hijri"
    return None


def draft_rows(source_path: Path, *, accounted: Accounted | None = None,
               hints: dict[str, UnitHint] | None = None,
               taken_ids: Iterable[str] = ()) -> list[dict[str, str]]:
    """One proposed figures row per number of ``source_path`` not yet accounted for.

    Args:
        source_path: The article text (``data/sources/NAME.txt``).
        accounted: Curated quotes and ignored numbers (default: the project's).
        hints: Noun -> unit (default: from data/units.csv).
        taken_ids: Ids already in use; suggested ids avoid them.

    Returns:
        Rows with the ``figures.csv`` columns, in text order.
    """
    return draft(source_path, accounted=accounted, hints=hints, taken_ids=taken_ids).rows


@dataclass(frozen=True)
class Draft:
    """A draft: ``rows`` for figures.csv, and ``aside`` for data/ignored.csv.

    ``aside`` holds the numbers ``set_aside`` recognises as no count (the parts
    of a date, identifiers, resolution and law numbers, unit names, codes), each
    with its reason in both languages: proposed for ignored.csv rather than
    drafted as figures, so coverage still asks for a decision on every number.
    """

    rows: list[dict[str, str]]
    aside: list[dict[str, str]]


def draft(source_path: Path, *, accounted: Accounted | None = None,
          hints: dict[str, UnitHint] | None = None, taken_ids: Iterable[str] = ()) -> Draft:
    """``draft_rows``, plus the numbers set aside as no figure (``Draft``)."""
    lines = read_source(source_path)
    accounted = accounted if accounted is not None else read_accounted()
    hints = hints if hints is not None else unit_hints()
    taken = set(taken_ids) | accounted.ids
    stem = _slug(source_path.stem)
    rows, aside = [], []
    for paragraph, line in enumerate(lines, start=1):
        for f in scan(line):
            if accounted.status(source_path.name, paragraph, line, f) != "unaccounted":
                continue
            why = set_aside(line, f)
            if why is not None:
                aside.append({"source": source_path.name, "paragraph": str(paragraph),
                              "text": f.text, "reason": _ASIDE[why][0],
                              "reason_ar": _ASIDE[why][1]})
                continue
            rows.append(_draft_row(source_path.name, stem, paragraph, line, f, hints, taken))
    return Draft(rows, aside)


def _draft_row(source: str, stem: str, paragraph: int, line: str, f: Found,
               hints: dict[str, UnitHint], taken: set[str]) -> dict[str, str]:
    """The proposed figures row for one number: its quote, guessed unit and a unique id
    (added to ``taken``), everything descriptive left blank for the analyst."""
    quote = draft_quote(line, f)
    hint = guess_unit(quote.noun, hints) if quote.noun else None
    unit = "year" if quote.is_year else ("pct" if f.unit_hint == "percent" else
                                         hint.unit if hint else "")
    category = "timeline" if quote.is_year else (hint.category if hint else "")
    fid = _unique_id(f"{unit or 'figure'}_{stem}_p{paragraph}", taken)
    return {
        "id": fid, "value": "" if f.value is None else _format_value(f.value),
        "unit": unit, "qualifier": f.qualifier, "quote": quote.text,
        "source": source, "paragraph": str(paragraph), "category": category,
        "subject_en": "", "attributed_to": "", "as_of": "", "note": _draft_note(line, f, quote),
        "force_id": "", "kind": "",
    }


def _unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... whichever is not taken yet; marks it taken."""
    fid, k = base, 2
    while fid in taken:
        fid, k = f"{base}_{k}", k + 1
    taken.add(fid)
    return fid


def _draft_note(line: str, f: Found, quote: Quote) -> str:
    """What the analyst must check in a drafted row: an unread number, a quote that does
    not read back, or one end of a range drafted as two rows."""
    notes = []
    if f.value is None:
        notes.append(f"DRAFT: could not read the number: {f.problem or f.text}")
    elif not quote.ok:
        notes.append("DRAFT: check the quote; it does not read back as value/qualifier")
    if f.range_span and f.value is not None:
        low, high = f.range_span
        notes.append(f"DRAFT: one end of the range \"{line[low:high]}\", drafted as two "
                     "rows; keep both and declare in relations.csv that the high end "
                     "duplicate_of the low end (counted once, as a lower bound)")
    return "; ".join(notes)


IGNORED_COLUMNS: list[str] = list(schema.TABLES["ignored"]["fields"])


def write_rows(path: Path, rows: list[dict[str, str]],
               columns: list[str] = FIGURE_COLUMNS) -> None:
    """Write drafted rows as a figures-shaped (or ``columns``) CSV, UTF-8, header first."""
    from .files import atomic_write

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)

    atomic_write(path, write)
