"""Read Arabic number expressions as news text prints them, or refuse to.

What is read:

- digits: Western (0-9), Arabic-Indic (٠-٩), Persian (۰-۹) and full-width, with
  thousands separators ("3.322.145", "1,100", "١٬٢٣٤") and decimal marks
  ("12.5", "١٢٫٥", "3,5 مليار" where one or two digits follow a lone comma;
  "1.125 مليار" is a decimal because a scale word follows);
- cardinal words 1-999 in masculine/feminine and case forms: units, teens
  (أحد عشر, اثني عشر, إحدى عشرة), tens (عشرون/عشرين), hundreds fused or split
  (ثلاثمائة, ثلاثمئة, ثلاث مئة), the dual hundred (مئتان, مئتا, مائتي);
- scale words ألف, مليون, مليار (بليون), تريليون in singular, accusative and
  plural after a coefficient ("17 ألفاً", "ثلاثة آلاف", "2.5 مليون"), alone
  (ألف = 1000) and as duals (ألفان, ألفا, مليونا, ملياري = two of the scale);
- compounds joined by و, words and digits mixed ("17 ألفاً و500",
  "مليار و500 مليون"), with or without a space after و;
- fractions: نصف/ربع/ثلث/ثلثا and "ثلاثة أرباع", of a scale ("نصف مليون") or
  after one ("مليار ونصف المليار", "عامين ونصف");
- duals of durations (عامين = 2 years), tatweel, diacritics, presentation
  forms and the prefixes و ف ب ل ك ال glued to a word or to digits;
- percent ("%", "٪", "في المئة", "بالمئة"...) as the number's unit_hint;
- comparative words before ("أكثر من", "تجاوزت", "لا يتجاوز", "ما يناهز") or
  after ("على الأقل", "أو أكثر", "تقريباً") the number, as its qualifier.

Ordinals (الأول, الحادي عشر), weekdays (الاثنين), "أحد" = "one of" and vague
plurals (عشرات, آلاف, ملايين alone) are not figures and are skipped. Tanween
tells the accusative singular "مليوناً" (one) from the construct dual "مليونا
دولار" (two). Anything else that looks like a number but does not compose
("عشرين خمسة", "خمسة وعشرة", "3 322 145", an unknown "سبعى" before عشر) is an
error naming the words, never a guess; so are a bare figure that may take the
scale of the next one ("بين 10 و20 ألف", "5 أو 6 آلاف"), خمس/سبع/تسع/عشر
before a definite noun (خُمس السكان, a fifth), a bare "مليونا" with no noun
after it (one or two?) and "ساعة ونصف" without a number: a silent misread would let a wrong
curated value validate.

Entry points: ``find_numbers`` lists the expressions of a text with spans into
the original text, ``parse_number`` reads a text holding exactly one, and
``detect_qualifier`` reads a quote's comparative wording.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)

from .errors import NumeralParseError

__all__ = ["NumberMatch", "detect_qualifier", "find_numbers", "normalize", "parse_number"]

# --- normalisation -------------------------------------------------------------

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Removed before reading: tatweel, harakat and Quranic marks, bidi/zero-width marks.
_REMOVED = re.compile(  # tatweel, diacritics, direction marks; ² ³ of "كم²" (square km)
    "[\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u200b-\u200f\u061c\u2066-\u2069\ufeff"
    "\u00b2\u00b3]")
# Presentation forms and full-width characters: NFKC-mapped one character at a time.
_COMPAT = re.compile("[\ufb50-\ufdff\ufe70-\ufefe\uff00-\uffef]")
_NEEDS_MAP = re.compile(_REMOVED.pattern[:-1] + "\ufb50-\ufdff\ufe70-\ufefe\uff00-\uffef]")
# Letter folding for lookups only; one character to one, so offsets survive.
_FOLD = str.maketrans("أإآٱىة", "اااايه")
_AR_THOUSANDS, _AR_DECIMAL = "\u066c", "\u066b"
# Arithmetic on figures is exact or an error: 400 digits is far beyond any figure,
# and a rounded product would be a silent misread.
_EXACT = Context(prec=400, Emax=10**6, Emin=-(10**6),
                 traps=[Inexact, InvalidOperation, Overflow, DivisionByZero])


def _normalize_map(text: str) -> tuple[str, list[int] | None]:
    """Normalise ``text`` and map each normalised index back to the original.

    The map has one extra entry (the original length) so an end offset maps too;
    None means the identity (the common case: nothing removed or expanded).
    """
    if not _NEEDS_MAP.search(text):
        return text.translate(_DIGITS), None
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if _REMOVED.match(ch):
            continue
        if _COMPAT.match(ch):
            for c in unicodedata.normalize("NFKC", ch):
                if not _REMOVED.match(c):
                    out.append(c)
                    index.append(i)
            continue
        out.append(ch)
        index.append(i)
    index.append(len(text))
    return "".join(out).translate(_DIGITS), index


def normalize(text: str) -> str:
    """Strip tatweel, diacritics and bidi marks; map Arabic-Indic digits to ASCII.

    Examples:
        >>> normalize("الـ٣ ألفًا")
        'ال3 ألفا'
    """
    return _normalize_map(text)[0]


# --- the lexicon: folded word forms (أإآ->ا, ى->ي, ة->ه) -------------------------

UNIT, TEEN_ONLY, TEN, TENS, HUNDRED, SCALE, FRACTION, FRACTION_PLURAL, DUAL_UNIT, ORDINAL, VAGUE = (
    "unit", "teen_only", "ten", "tens", "hundred", "scale", "fraction", "fraction_plural",
    "dual_unit", "ordinal", "vague")

_LEX: dict[str, tuple[str, Decimal, str]] = {}  # form -> (kind, value, grammatical form)


def _add(kind: str, value: Decimal | int, forms: tuple[str, ...], form: str = "") -> None:
    for f in forms:
        _LEX[f] = (kind, Decimal(value), form)


for _v, _forms in {
    1: ("واحد", "واحده"), 2: ("اثنان", "اثنين", "اثنتان", "اثنتين", "ثنتان", "ثنتين"),
    3: ("ثلاث", "ثلاثه"), 4: ("اربع", "اربعه"), 5: ("خمس", "خمسه"), 6: ("ست", "سته"),
    7: ("سبع", "سبعه"), 8: ("ثمان", "ثماني", "ثمانيه"), 9: ("تسع", "تسعه"),
}.items():
    _add(UNIT, _v, _forms)
    _add(UNIT, _v, tuple(f + "ا" for f in _forms if f[-1] not in "هي" and _v > 2))  # سبعاً
_add(UNIT, 1, ("واحدا",))
_add(UNIT, 8, ("ثمانيا",))
_add(TEEN_ONLY, 1, ("احد", "احدي", "احده"))  # alone: "one of"/"someone", not a figure
_add(TEEN_ONLY, 2, ("اثنا", "اثني", "اثنتا", "اثنتي"))
_add(TEN, 10, ("عشر", "عشره", "عشرا"))
for _v, _stem in {20: "عشر", 30: "ثلاث", 40: "اربع", 50: "خمس", 60: "ست", 70: "سبع",
                  80: "ثمان", 90: "تسع"}.items():
    _add(TENS, _v, (_stem + "ون", _stem + "ين"))
_add(HUNDRED, 100, ("مئه", "مائه"), "one")
_add(HUNDRED, 200, ("مئتان", "مئتين", "مئتا", "مئتي", "مائتان", "مائتين", "مائتا", "مائتي"))
for _v, _stems in {3: ("ثلاث", "ثلث"), 4: ("اربع",), 5: ("خمس",), 6: ("ست",), 7: ("سبع",),
                   8: ("ثمان", "ثماني", "ثمن"), 9: ("تسع",)}.items():
    _add(HUNDRED, 100 * _v, tuple(s + h for s in _stems for h in ("مئه", "مائه")))
for _v, _sing, _acc, _plural, _dual in (
    (10**3, ("الف",), ("الفا",), ("الاف", "الوف"), ("الفان", "الفين", "الفي")),
    (10**6, ("مليون",), ("مليونا",), ("ملايين",), ("مليونان", "مليونين", "مليوني")),
    (10**9, ("مليار", "بليون"), ("مليارا", "بليونا"), ("مليارات", "بلايين", "ملايير"),
     ("ملياران", "مليارين", "ملياري", "بليونان", "بليونين", "بليوني")),
    (10**12, ("تريليون", "ترليون"), ("تريليونا", "ترليونا"), ("تريليونات", "ترليونات"),
     ("تريليونان", "تريليونين", "تريليوني")),
):
    _add(SCALE, _v, _sing, "sing")
    _add(SCALE, _v, _acc, "acc")  # after a coefficient "ألفًا"; alone the dual "ألفا"
    _add(SCALE, _v, _plural, "plural")
    _add(SCALE, _v, _dual, "dual")
_PRONOUNS = ("ه", "ها", "هم", "هن", "هما")  # "نصفها": half of it
_add(FRACTION, Decimal(1) / 2, ("نصف", *("نصف" + p for p in _PRONOUNS)))
_add(FRACTION, Decimal(1) / 4, ("ربع", *("ربع" + p for p in _PRONOUNS)))
_add(FRACTION, Decimal(1) / 3, ("ثلث", *("ثلث" + p for p in _PRONOUNS)))
_add(FRACTION, Decimal(2) / 3, ("ثلثا", "ثلثي", "ثلثين", "ثلثان"))
_add(FRACTION_PLURAL, 4, ("ارباع",))
_add(FRACTION_PLURAL, 3, ("اثلاث",))
_add(FRACTION_PLURAL, 5, ("اخماس",))
_add(FRACTION_PLURAL, 6, ("اسداس",))
_add(FRACTION_PLURAL, 7, ("اسباع",))
_add(FRACTION_PLURAL, 8, ("اثمان",))
_add(FRACTION_PLURAL, 9, ("اتساع",))
_add(FRACTION_PLURAL, 10, ("اعشار",))
_add(DUAL_UNIT, 2, (
    "عامين", "عامان", "عامي", "سنتين", "سنتان", "شهرين", "شهران", "يومين", "يومان",
    "اسبوعين", "اسبوعان", "ساعتين", "ساعتان", "دقيقتين", "دقيقتان", "عقدين", "عقدان",
    "قرنين", "قرنان", "دولارين", "دولاران", "دينارين", "ديناران", "مرتين", "مرتان",
    # counted nouns whose plural is broken (أشخاص, أطفال, جنود...), so "-ين" is the dual
    "شخصين", "شخصان", "طفلين", "طفلان", "رجلين", "رجلان", "جنديين", "جنديان", "امراتين",
    "امراتان", "اسيرين", "اسيران", "اسيرتين", "اسيرتان", "قتيلين", "قتيلان", "جريحين",
    "جريحان", "ضابطين", "ضابطان", "طائرتين", "طائرتان", "دبابتين", "دبابتان", "سيارتين",
    "سيارتان", "مركبتين", "مركبتان", "مدينتين", "مدينتان", "قاعدتين", "قاعدتان",
    "دفعتين", "دفعتان", "كيلومترين", "كيلومتران", "مترين", "متران", "صاروخين", "صاروخان",
    "غارتين", "غارتان", "هجومين", "هجومان", "جولتين", "جولتان", "مرحلتين", "مرحلتان",
    "كتيبتين", "كتيبتان", "شاحنتين", "شاحنتان", "قنبلتين", "قنبلتان", "عبوتين", "عبوتان",
    "عائلتين", "عائلتان", "قضاءين", "قضاءان", "لواءين", "لواءان", "فوجين", "فوجان",
    "قريتين", "قريتان", "دولتين", "دولتان", "محافظتين", "محافظتان", "منطقتين", "منطقتان"))
# Colloquial spellings of مئة ("مية ألف", "ميت ألف", "ماية وخمسين"): read only before a
# scale word or a number joined by و; alone, "مية"/"ميت" are as likely water, dead.
_COLLOQUIAL_HUNDRED = {"ميه", "ميت", "مايه"}
_add(ORDINAL, 0, (
    "اول", "اولي", "ثاني", "ثانيه", "ثان", "ثالث", "ثالثه", "رابع", "رابعه", "خامس", "خامسه",
    "سادس", "سادسه", "سابع", "سابعه", "ثامن", "ثامنه", "تاسع", "تاسعه", "عاشر", "عاشره",
    "حادي", "حاديه"))
_add(VAGUE, 0, ("عشرات", "مئات", "بضع", "بضعه"))

_UNIT_STEMS = ("واحد", "احد", "اثن", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع")
_NOT_UNITS = {"اثناء", "احدث"}  # "during", "latest": start like a unit, are not one


def _is_year(tok: _Tok) -> bool:
    """Digits that read as a year (1800-2099), prefixes aside ("و2014")."""
    return tok.kind == "digits" and bool(_YEAR_LIKE.fullmatch(tok.stem))


def _looks_like_unit(tok: _Tok) -> bool:
    """An unknown word that is a unit stem plus at most two letters ("سبعةً" misspelt)."""
    w = tok.folded
    return tok.kind == "word" and w not in _NOT_UNITS and any(
        w.startswith(stem) and len(w) - len(stem) <= 2 for stem in _UNIT_STEMS)
_NUMBERISH = {UNIT, TEEN_ONLY, TEN, TENS, HUNDRED, SCALE, FRACTION, FRACTION_PLURAL, DUAL_UNIT}
_CONTINUES = _NUMBERISH | {"digits"}
# Prefixes a word may carry: conjunction, preposition, article ("وبال", "لل", ...).
_PREFIXES = sorted({c + p + a for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك")
                    for a in ("", "ال")} | {"لل", "ولل", "فلل"}, key=len)
# Words that cannot be the genitive noun of a construct ("مليونا دولار") or of a
# fraction ("ونصف السنة"): prepositions, conjunctions, adverbs after a figure.
_FUNCTION_WORDS = {
    "في", "من", "علي", "عن", "الي", "بعد", "قبل", "منذ", "خلال", "حتي", "ثم", "او", "ام",
    "حيث", "مع", "فقط", "تقريبا", "بين", "لدي", "عند", "اي", "ان", "انه", "الا", "الذي", "التي",
    "الذين", "هذا", "هذه", "ذلك", "تلك", "كل", "قد", "لا", "لم", "لن", "ما"}
# Unvocalised, these are both a cardinal and a fraction: خمس = five or خُمس (a fifth).
_FRACTION_HOMOGRAPHS = {"خمس": 5, "سبع": 7, "تسع": 9, "عشر": 10}
# The damma that a writer adds to tell the fraction (عُشر) from the number (عَشر).
_DAMMA_FIRST = re.compile("^[^\u0621-\u064a]*[\u0621-\u064a]\u064f")
# Between two figures: "5 أو 6 آلاف", "من 5 إلى 7 آلاف", "5 حتى 7 آلاف", "10-15 ألف".
_RANGE_WORDS = {"او", "الي", "حتي"}
# A noun with a possessive ending before a definite tens word: "عيدها الخمسين",
# "ذكراها الثلاثين" (her fiftieth anniversary), an ordinal like "الذكرى العشرين".
_POSSESSED = re.compile("..(?:ه|ها|هم|هما|هن|نا|كم)$")
_CURRENCY_SIGNS = {"$", "€", "£"}
# Words a year follows ("في 2023", "عام 2014", "منذ 2017"). A year after them dates
# what follows: it starts no range with a count ("في 2023 إلى 2,150 عائلة"), takes no
# scale word ("موازنة 2024 مليار") and is no complement of a verb further back.
_DATED = {"في", "وفي", "عام", "العام", "لعام", "للعام", "عامي", "سنه", "لسنه", "منذ", "خلال",
          "مطلع", "نهايه"}
_YEAR_CONTEXT = _DATED | {"موازنه", "الموازنه", "ميزانيه", "لموازنه", "لميزانيه", "خطه"}
# A definite cardinal after these is a name: "مجموعة السبع" (G7).
_NAMED_GROUPS = {"مجموعه", "ومجموعه", "لمجموعه", "بمجموعه", "قمه", "دول"}
# "واحد من", "واحدة منهم": one of them.
_OF = {"من", "منهم", "منها", "منهن", "منكم", "منا"}
# A definite word, prefixes allowed ("الذكرى", "بالقرن", "للدورة").
_DEFINITE = re.compile("^(?:[وف]?[بلك]?ال|[وف]?لل)..")
_RANGE_MARKS = {"-", "\u2013", "\u2014"}
# Before the first figure of a range: "بين 15 و20", "ما بين", "فيما بين".
_BETWEEN = {"بين", "وبين", "فبين"}
_WHAT = {"ما", "فيما", "وما", "لما"}
# A year as digits: a pair of years is a period, not a range ("2014-2017").
_YEAR_LIKE = re.compile(r"(?:1[89]|20)[0-9][0-9]")
# Verbs and nouns of change: "ارتفع من 10 إلى 15" is a change, both figures exact.
_CHANGE = re.compile(r"^[وف]?(?:[يت]?(?:رتفع|نخفض|زداد|تراجع|تقلص|تضاعف|قفز|هبط|صعد|زاد|"
                     r"نما|ترتفع|تنخفض)|ارتفع|انخفض|ازداد|ارتفاع|انخفاض|زياده|تراجع|تقلص|"
                     r"قفز|هبط|صعد|زاد|نما|نمو|رفع|خفض|تخفيض|تحول|تغير)")
_PERCENT_WORDS = {"بالمئه", "بالمائه", "بالميه", "وبالمئه", "وبالمائه"}
_PERCENT_AFTER_FI = {"المئه", "المائه", "الميه"}

# --- tokens ---------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<num>(?:[وف]?[بلك]?(?:ال)?|لل)[0-9]+(?:[.,\u066b\u066c][0-9]+)*)"
    r"|(?P<word>[\u0621-\u064a]+)"
    r"|(?P<pct>[%\u066a\u2030])"
    r"|(?P<other>[^\s])"
)
_SPACE = re.compile(r"[ \t\u00a0\u2009\u202f]*")
_NUM_SPLIT = re.compile(r"([^0-9]*)([0-9].*)")


@dataclass
class _Tok:
    kind: str            # a lexicon kind, "digits", "word", "pct", "pct_word", "other"
    start: int           # offsets into the normalised text
    end: int
    folded: str          # the token as folded (for words) or its digits
    stem: str = ""       # the lexicon form, prefixes removed
    value: Decimal = Decimal(0)
    form: str = ""
    conj: bool = False   # joined to the previous token by و
    article: bool = False
    joined: bool = False  # only spaces (and a lone و) since the previous token
    tanween: bool = False  # the original spells it with fathatan ("ألفًا", "مليوناً")
    prep: bool = False   # a preposition ب ل ك glued to it ("بـ3", "لثلاثة", "للـ500")


def _glued_preposition(prefix: str) -> bool:
    """Does a word's prefix (و/ف, then ب/ل/ك, then ال) hold a preposition?"""
    rest = prefix[1:] if prefix[:1] in ("و", "ف") else prefix
    return rest[:1] in ("ب", "ل", "ك")


def _strip(word: str) -> tuple[str, str] | None:
    """Return (prefix, lexicon form) for ``word``, trying the shortest prefix first."""
    for p in _PREFIXES:
        if word.startswith(p):
            rest = word[len(p):]
            if len(rest) >= 2 and rest in _LEX:
                if rest == "ست" and p.endswith("ل"):
                    continue  # "لست" is "I am not", not "for six"
                return p, rest
    return None


def _tokenize(folded: str) -> list[_Tok]:
    """Split folded text into tokens, marking which are joined by spaces or و."""
    toks: list[_Tok] = []
    conj_pending = False
    prev_end = 0
    joined_pending = True
    for m in _TOKEN.finditer(folded):
        gap_ok = _SPACE.fullmatch(folded, prev_end, m.start()) is not None
        prev_end = m.end()
        kind = m.lastgroup or "other"
        text = m.group()
        if kind == "word" and text == "و" and toks:
            conj_pending = gap_ok and joined_pending
            joined_pending = gap_ok
            if not conj_pending:
                toks.append(_Tok("word", m.start(), m.end(), text))
            continue
        tok = _Tok(kind, m.start(), m.end(), text)
        tok.joined = bool(toks) and gap_ok and (joined_pending if conj_pending else True)
        tok.conj = conj_pending and tok.joined
        conj_pending, joined_pending = False, True
        if kind == "num":
            _classify_digits(tok)
        elif kind == "word" and not _classify_word(tok, toks):
            continue
        toks.append(tok)
    return _colloquial_hundreds(_unwrap_parentheses(_drop_currency_signs(toks)))


def _classify_digits(tok: _Tok) -> None:
    """Split a digits token from its glued prefix: the prefix may carry و or a preposition."""
    pre, digits = _NUM_SPLIT.match(tok.folded).groups()  # type: ignore[union-attr]
    tok.kind, tok.stem = "digits", digits
    tok.conj = tok.conj or pre.startswith("و")
    tok.prep = _glued_preposition(pre)


def _classify_word(tok: _Tok, toks: list[_Tok]) -> bool:
    """Give a word its percent or lexicon kind; False when it joins the token before it.

    "في المئة" is one percent token: "المئة" extends the "في" before it rather
    than standing as a token of its own.
    """
    text = tok.folded
    if text in _PERCENT_WORDS:
        tok.kind = "pct_word"
    elif text in _PERCENT_AFTER_FI and toks and toks[-1].folded == "في" and tok.joined:
        toks[-1].kind = "pct_word"
        toks[-1].end = tok.end
        toks[-1].folded = "في " + text
        return False
    elif (hit := _strip(text)) is not None:
        _classify_lexicon_word(tok, *hit, toks)
    return True


def _classify_lexicon_word(tok: _Tok, pre: str, stem: str, toks: list[_Tok]) -> None:
    """Fill a known number word's kind, value and prefixes from the lexicon.

    After a number, "واحد" is و + أحد ("مئتين وأحد عشر"), so it continues that
    number; with the article, الاثنين and الأحد are weekdays, not figures.
    """
    if (stem in ("واحد", "واحده") and not pre and not tok.conj and tok.joined and toks
            and toks[-1].kind in _CONTINUES):
        pre, stem = "و", stem[1:]
    tok.kind, tok.value, tok.form = _LEX[stem]
    tok.stem = stem
    tok.conj = tok.conj or pre.startswith("و")
    tok.prep = _glued_preposition(pre)
    tok.article = pre.endswith("ال") or pre.endswith("لل")
    if tok.article and stem in ("اثنين", "احد"):
        tok.kind = "word"  # الاثنين / الأحد: Monday, Sunday


def _drop_currency_signs(toks: list[_Tok]) -> list[_Tok]:
    """"نحو $400,000": a currency sign glued to digits stands between no word and them."""
    out: list[_Tok] = []
    for k, tok in enumerate(toks):
        if (tok.kind == "other" and tok.folded in _CURRENCY_SIGNS and k + 1 < len(toks)
                and toks[k + 1].kind == "digits" and toks[k + 1].start == tok.end):
            toks[k + 1].joined = tok.joined
            continue
        out.append(tok)
    return out


def _unwrap_parentheses(toks: list[_Tok]) -> list[_Tok]:
    """"(3) ملايين", "(250) مليون": digits in parentheses read as if written bare."""
    out: list[_Tok] = []
    k = 0
    while k < len(toks):
        if (k + 2 < len(toks) and toks[k].folded == "(" and toks[k + 1].kind == "digits"
                and toks[k + 2].folded == ")"):
            digits = toks[k + 1]
            digits.joined, digits.start = toks[k].joined, toks[k].start
            out.append(digits)
            if k + 3 < len(toks):
                toks[k + 3].joined = toks[k + 3].joined or toks[k + 3].start == toks[k + 2].end
            k += 3
            continue
        out.append(toks[k])
        k += 1
    return out


def _colloquial_hundreds(toks: list[_Tok]) -> list[_Tok]:
    """"مية ألف", "ميت ألف", "لمية وخمسين": a colloquial مئة, before a scale or و + a number."""
    for k, tok in enumerate(toks[:-1]):
        if tok.kind != "word":
            continue
        pre = next((p for p in ("و", "ب", "ل", "") if tok.folded.startswith(p)
                    and tok.folded[len(p):] in _COLLOQUIAL_HUNDRED), None)
        nxt = toks[k + 1]
        if pre is None or not nxt.joined or not (
                (nxt.kind == SCALE and not nxt.conj) or (nxt.conj and nxt.kind in _CONTINUES)):
            continue
        tok.kind, tok.stem, tok.value, tok.form = HUNDRED, "مئه", Decimal(100), "one"
        tok.conj, tok.prep = pre == "و", pre in ("ب", "ل")
    return toks


# --- reading one expression -------------------------------------------------------


class _Uncertain(Exception):
    """A number-like run of tokens that does not compose; carries its token span."""

    def __init__(self, why: str, first: int, last: int) -> None:
        super().__init__(why)
        self.why, self.first, self.last = why, first, last


@dataclass
class _Term:
    value: Decimal
    scale: int       # the scale word's value, 1 for a bare group, 0 for a lone fraction/dual noun
    end: int         # index of the token after the term
    digits: bool     # starts with digits


def _read_numeral(raw: str, *, before_scale: bool = False) -> Decimal:
    """Read digits with separators: grouping vs decimal decided by group sizes."""
    s = raw.replace(_AR_THOUSANDS, ",")
    if _AR_DECIMAL in s:
        return _read_arabic_decimal(s)
    if "." in s and "," in s:
        return _read_both_separators(s)
    for sep in (".", ","):
        if sep in s:
            return _read_one_separator(s, sep, before_scale)
    return Decimal(s)


def _read_arabic_decimal(s: str) -> Decimal:
    """Digits with the Arabic decimal mark: unambiguous, so any other mark after it is an error."""
    whole, _, frac = s.partition(_AR_DECIMAL)
    if _AR_DECIMAL in frac or "," in frac or "." in frac:
        raise ValueError("two decimal marks")
    return Decimal(whole.replace(",", "").replace(".", "") + "." + frac)


def _read_both_separators(s: str) -> Decimal:
    """"1,234.5" or "1.234,5": the last separator is the decimal mark, the other groups."""
    last = max(s.rfind("."), s.rfind(","))
    whole, frac = s[:last], s[last + 1:]
    if s[last] in whole:
        raise ValueError("mixed separators")
    groups = re.split(r"[.,]", whole)
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise ValueError("uneven digit groups")
    return Decimal("".join(groups) + "." + frac)


def _read_one_separator(s: str, sep: str, before_scale: bool) -> Decimal:
    """Digits with one kind of separator: thousands groups or a decimal mark, by group sizes.

    Several separators must all group thousands. One separator groups thousands
    ("1,100", "8.500") unless it is a point before a scale word ("1.125 مليار");
    "12.5" is a decimal.
    """
    groups = s.split(sep)
    grouped = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    if len(groups) > 2:
        if not grouped:
            raise ValueError("uneven digit groups")
        return Decimal("".join(groups))
    if grouped and not (sep == "." and before_scale):
        return Decimal("".join(groups))
    if sep == "," and not 1 <= len(groups[1]) <= 2:
        raise ValueError("a comma that does not group thousands")
    if sep == ",":
        # "3,5 مليار", "2,5 في المائة": one or two digits after a lone comma
        # cannot be a thousands group, so the comma is the decimal mark
        # (as in "6.543,5"; the usual style of Maghrebi papers).
        return Decimal(s.replace(",", "."))
    return Decimal(s)


@dataclass(frozen=True)
class _Second:
    """The second figure of a pair (``_Reader.second``): tokens [start, end)."""

    connector: str   # "و", "او", "الي", "حتي", a dash, or "و NOUN" (the first figure's noun)
    start: int
    value: Decimal
    end: int
    pct: bool        # a percent sign or word follows it
    scale: int       # the scale a bare first figure takes from it (1: none)
    bare: bool       # the first figure has no scale of its own, and is no year


class _Reader:
    """Reads number expressions from a token list; one instance per text."""

    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks

    def at(self, k: int, *kinds: str, joined: bool = True, conj: bool | None = None) -> bool:
        """Is token k one of ``kinds``, joined to the previous one (and with/without و)?"""
        if k >= len(self.toks):
            return False
        t = self.toks[k]
        return (t.kind in kinds and (t.joined or not joined)
                and (conj is None or t.conj == conj))

    def group(self, k: int) -> tuple[Decimal, int]:
        """Read words for 1-999 from token k: [hundreds [و]] [unit و tens | teen | ten | tens]."""
        t = self.toks
        value = Decimal(0)
        if t[k].kind == HUNDRED:
            value, k = t[k].value, k + 1
        elif (t[k].kind == UNIT and t[k].value >= 3 and self.at(k + 1, HUNDRED, conj=False)
              and t[k + 1].form == "one" and not t[k + 1].article):
            value, k = t[k].value * 100, k + 2  # "ثلاث مئة"
        if value and not self.at(k, UNIT, TEEN_ONLY, TEN, TENS, conj=True):
            return value, k
        start = k
        kind = t[k].kind
        if kind in (UNIT, TEEN_ONLY) and self.at(k + 1, TEN, conj=False):
            return value + t[k].value + 10, k + 2
        if kind in (UNIT, TEEN_ONLY) and self.at(k + 1, TENS, conj=True):
            return value + t[k].value + t[k + 1].value, k + 2  # "إحدى وعشرون"
        if kind == TEEN_ONLY:
            raise _Uncertain(f'"{t[k].folded}" is only a number before عشر', start, k)
        if kind == UNIT:
            return value + t[k].value, k + 1
        if kind in (TEN, TENS):
            return value + t[k].value, k + 1
        raise _Uncertain("not a number word", start, k)  # pragma: no cover - guarded by callers

    def scale_after(self, coef: Decimal, k: int, first: int) -> tuple[Decimal, int, int]:
        """Multiply ``coef`` by a scale word at k if one follows; returns (value, scale, next)."""
        t = self.toks
        if self.at(k, SCALE, conj=False):
            s = t[k]
            if s.form == "dual" or s.article:
                raise _Uncertain(f'a number before "{s.folded}"', first, k)
            return coef * s.value, int(s.value), k + 1
        return coef, 1, k

    def term(self, k: int) -> _Term | None:
        """Read one term: a group or digits, optionally times a scale word; or a lone scale,
        dual, or fraction. None when token k does not start a figure."""
        a = self.toks[k]
        if a.kind == "digits":
            return self.digits_term(k)
        if a.kind == FRACTION or (a.kind == UNIT and self.at(k + 1, FRACTION_PLURAL, conj=False)):
            return self.fraction_term(k)
        if a.kind in (UNIT, TEEN_ONLY, TEN, TENS, HUNDRED):
            return self.words_term(k)
        if a.kind == SCALE:
            return self.scale_term(k)
        if a.kind == DUAL_UNIT:
            return _Term(Decimal(2), 0, k + 1, False)
        return None

    def digits_term(self, k: int) -> _Term:
        """Digits at token k, times the scale word after them unless they are a dated year."""
        t = self.toks
        a = t[k]
        before_scale = self.at(k + 1, SCALE, conj=False)
        if before_scale and _is_year(a) and k and t[k - 1].folded in _YEAR_CONTEXT:
            # "موازنة 2024 مليار و200 مليون": the year, then 1.2 billion
            return _Term(Decimal(a.stem), 1, k + 1, True)
        try:
            coef = _read_numeral(a.stem, before_scale=before_scale)
        except (ValueError, InvalidOperation) as exc:
            raise _Uncertain(f"digits {exc}", k, k) from None
        value, scale, end = self.scale_after(coef, k + 1, k)
        return _Term(value, scale, end, True)

    def fraction_term(self, k: int) -> _Term:
        """A fraction word ("نصف") or a unit before a plural fraction ("ثلاثة أرباع"),
        of the scale word after it if one follows ("نصف مليون")."""
        t = self.toks
        a = t[k]
        if a.kind == UNIT:
            den = t[k + 1].value
            if a.value >= den:
                raise _Uncertain("a fraction of a whole or more", k, k + 1)
            frac, k2 = a.value / den, k + 2
        else:
            frac, k2 = a.value, k + 1
        if self.at(k2, SCALE, conj=False) and t[k2].form in ("sing", "acc"):
            return _Term(frac * t[k2].value, int(t[k2].value), k2 + 1, False)
        return _Term(frac, 0, k2, False)

    def words_term(self, k: int) -> _Term | None:
        """Number words for 1-999 at token k, times the scale word after them if one follows.

        None for a lone أحد / إحدى ("one of", "someone"); raises where the words
        may be a fraction or are only a number before عشر.
        """
        t = self.toks
        a = t[k]
        if a.stem in _FRACTION_HOMOGRAPHS:
            self.refuse_fraction_homograph(k)
        if a.kind == TEEN_ONLY and not (self.at(k + 1, TEN, conj=False)
                                        or self.at(k + 1, TENS, conj=True)):
            if a.value == 1:
                return None  # أحد / إحدى alone: "one of", "someone"
            raise _Uncertain(f'"{a.folded}" is only a number before عشر', k, k)
        coef, end = self.group(k)
        value, scale, end = self.scale_after(coef, end, k)
        return _Term(value, scale, end, False)

    def refuse_fraction_homograph(self, k: int) -> None:
        """Raise when خمس/سبع/تسع/عشر at token k is as likely a fraction (خُمس) as a number.

        "خمس السكان" is خُمس (a fifth of the population): a cardinal 3-10 counts an
        indefinite plural ("خمس سنوات"); before a definite noun the unvocalised word
        is as likely the fraction. "زهاء الخمس" is as likely the fifth as "the five";
        after a definite noun ("السنوات الخمس") it is the number.
        """
        t = self.toks
        a = t[k]
        if k + 1 < len(t) and t[k + 1].joined and (
                t[k + 1].article or (t[k + 1].kind == "word" and t[k + 1].folded[:2] == "ال"
                                     and t[k + 1].folded not in _FUNCTION_WORDS)):
            raise _Uncertain(f'"{a.folded}" before a definite noun: a fraction or a number?',
                             k, k + 1)
        if a.article and not (k and t[k].joined and _DEFINITE.match(t[k - 1].folded)):
            raise _Uncertain(f'"{a.folded}": a fraction or a number?', k, k)

    def scale_term(self, k: int) -> _Term | None:
        """A scale word standing alone: one or two of the scale, or None for a vague plural.

        "مليون" is one; "مليونان", "مليونا دولار" two; but "مليوناً" with tanween
        is the accusative singular: one. آلاف, ملايين alone are vague ("thousands").
        """
        t = self.toks
        a = t[k]
        if a.form == "plural":
            return None
        count = 1 if a.form == "sing" or a.tanween else 2
        if a.form == "acc" and not a.tanween:
            self.refuse_bare_accusative(k)
        return _Term(a.value * count, int(a.value), k + 1, False)

    def refuse_bare_accusative(self, k: int) -> None:
        """Raise when "مليونا" at token k, without tanween, may be one (accusative) or two (dual).

        The construct dual "مليونا دولار" needs its noun right after it; with none
        ("بلغ عدد الزوار مليونا", "مليونا في العام"), or with و after it, the word is
        as likely the accusative singular "مليوناً" with its tanween unwritten.
        """
        t = self.toks
        a = t[k]
        if self.at(k + 1, *_CONTINUES, conj=True):
            raise _Uncertain(f'"{a.folded}" without tanween before و: one or two?', k, k + 1)
        if not (self.at(k + 1, "word") and t[k + 1].folded not in _FUNCTION_WORDS):
            raise _Uncertain(f'"{a.folded}" without tanween and no noun after it: one or two?',
                             k, k)

    def second(self, k: int, end: int) -> _Second | None:
        """A figure joined to the one in tokens [k, end) by و, أو, إلى, حتى or a dash.

        "بين 10 و20 ألف", "5 أو 6 آلاف", "من 5 إلى 7 في المئة", "10-15": the
        second figure, where its connector starts, and what a bare first figure
        would take from it (its scale word, its percent).
        """
        t = self.toks
        link = self.connector(end)
        if link is None:
            return None
        j, connector = link
        read = self.second_figure(j)
        if read is None:
            return None
        value, other_end, first_term = read
        if connector.startswith("و ") and not (
                other_end < len(t) and t[other_end].joined
                and t[other_end].folded == connector[2:]):
            return None  # the noun after the first figure must follow the second one too
        pct = self.percent_at(other_end)
        bare = not self.has_own_scale(k, end) \
            and connector[:2] != "و " and not (end == k + 1 and _is_year(t[k]))
        return _Second(connector, j, value, other_end, pct,
                       first_term.scale if bare and first_term.scale > 1 else 1, bare)

    def connector(self, end: int) -> tuple[int, str] | None:
        """What joins a second figure to the figure ending before token ``end``, and where
        that figure starts: و, a range word or dash, or the first figure's noun then و."""
        t = self.toks
        if end >= len(t):
            return None
        nxt = t[end]
        if nxt.joined and nxt.conj and nxt.kind in _CONTINUES:
            return end, "و"
        if nxt.joined and end + 1 < len(t) and t[end + 1].joined and (
                (nxt.kind == "word" and nxt.folded in _RANGE_WORDS)
                or (nxt.kind == "other" and nxt.folded in _RANGE_MARKS)):
            return end + 1, nxt.folded
        if (nxt.joined and nxt.kind == "word" and nxt.folded not in _FUNCTION_WORDS
                and self.at(end + 1, *_CONTINUES, conj=True)):
            return end + 1, "و " + nxt.folded  # "50 ألف دولار و25 مليون دولار"
        return None

    def second_figure(self, j: int) -> tuple[Decimal, int, _Term] | None:
        """The figure read from token j (value, next token) and its first term, or None
        when it does not read: an unreadable second figure makes no pair."""
        try:
            with localcontext(_EXACT):
                other = self.expression(j)
                first_term = self.term(j)
        except (_Uncertain, ArithmeticError):
            return None
        if other is None or first_term is None:
            return None
        return other[0], other[1], first_term

    def percent_at(self, k: int) -> bool:
        """Is token k a percent sign or word that belongs to the figure ending before it?"""
        t = self.toks
        return k < len(t) and t[k].kind in ("pct", "pct_word") and (
            t[k].joined or t[k].start == t[k - 1].end)

    def has_own_scale(self, k: int, end: int) -> bool:
        """Do tokens [k, end) hold a scale word, a fraction or a dual noun (their own scale)?"""
        return any(x.kind in (SCALE, FRACTION, DUAL_UNIT) for x in self.toks[k:end])

    def shared_scale(self, k: int, end: int) -> str | None:
        """Why the figure in tokens [k, end) may not be what it says, or None.

        In "10 و20 ألف", "5 أو 6 آلاف", "5 إلى 7 في المئة" a bare first figure
        may take the scale word or percent of the one after it (ten thousand),
        so it is not read on its own unless ``range_cue`` makes the pair a range.
        """
        nxt = self.second(k, end)
        if nxt is None or not nxt.bare:
            return None  # its own scale, or a year ("في 2021 إلى 540 مليونًا")
        if nxt.pct or any(x.kind == SCALE for x in self.toks[nxt.start:nxt.end]):
            return "a range or alternative: the first figure may take the scale of the second"
        return None

    def keeps_own_value(self, k: int, value: Decimal, end: int) -> bool:
        """In a change "من A إلى B ألف", whether the bare first figure (tokens [k, end), read
        as ``value``) keeps its own value rather than taking the scale of the second.

        Of the two readings, the one that makes the smaller change is taken:
        "ارتفع من 8 إلى 12 ألفًا" is 8000 to 12000, but "رفع العدد من نحو 500 إلى 4
        آلاف" is 500 to 4000, not a fall from 500 000.
        """
        nxt = self.second(k, end)
        if nxt is None or nxt.scale <= 1 or nxt.pct or nxt.connector not in ("الي", "حتي") \
                or value <= 0 or not self.is_change(k):
            return False
        shared = value * nxt.scale
        own_ratio = max(value, nxt.value) / min(value, nxt.value)
        return own_ratio < max(shared, nxt.value) / min(shared, nxt.value)

    def decimal_point(self, end: int) -> tuple[Decimal, int] | None:
        """The decimals read out after "فاصلة" (a decimal point in words), and the next token.

        "ثلاثة فاصلة خمسة" is 3.5, "اثنان فاصلة خمسة وعشرون" 2.25: the digits
        after the point are those of the whole number spoken after it.
        """
        t = self.toks
        if not (end + 1 < len(t) and t[end].joined and t[end].folded in ("فاصله", "فاصل")
                and t[end + 1].joined and t[end + 1].kind in _CONTINUES):
            return None
        try:
            with localcontext(_EXACT):
                after = self.expression(end + 1)
        except (_Uncertain, ArithmeticError):
            return None
        if after is None or after[0] != after[0].to_integral_value():
            return None
        digits = len(str(int(after[0])))
        return after[0] / Decimal(10) ** digits, after[1]

    def after_between(self, k: int) -> bool:
        """Does the figure at token k follow بين ("بين 15 و20", "ما بين")?"""
        return bool(k and self.toks[k].joined and self.toks[k - 1].folded in _BETWEEN)

    def is_change(self, k: int) -> bool:
        """Is a verb or noun of change ("ارتفع", "انخفاض") among the 8 words before token k?"""
        return any(x.kind == "word" and _CHANGE.match(x.folded)
                   for x in self.toks[max(0, k - 8):k])

    def range_cue(self, k: int, nxt: _Second, low: Decimal) -> int | None:
        """Where the range "بين A و B" / "A أو B" / "(من) A إلى B" / "A-B" starts, or None.

        Two figures joined by و are a range only after بين. "من A إلى B" is a
        change, not a range, after a verb of change ("ارتفع من 10 إلى 15") and a
        period between two years ("من 2014 إلى 2017", "2014-2017"): both are
        left as two exact figures.
        """
        t = self.toks
        cue = k - 1 if k and t[k].joined and t[k - 1].kind == "word" else None
        if low >= nxt.value:
            return None  # "بين 17 ألفًا و500" is not a range from 17000 down to 500
        if _is_year(t[k]) and not _is_year(t[nxt.start]) and k and t[k - 1].folded in _DATED:
            return None  # "في 2023 إلى 2,150 عائلة": a date, then a count; no range
        if cue is not None and self.after_between(k):
            return self.between_start(cue)
        if nxt.connector[:1] == "و":
            return None
        if nxt.connector != "او" and self.period_or_change(k, nxt):
            return None
        if cue is not None and t[cue].folded in ("من", "ومن"):
            return cue
        return k

    def between_start(self, cue: int) -> int:
        """Where a range cued by بين at token ``cue`` starts: at a "ما" before it ("ما بين")."""
        t = self.toks
        if cue and t[cue].joined and t[cue - 1].folded in _WHAT:
            return cue - 1  # "ما بين", "فيما بين"
        return cue

    def period_or_change(self, k: int, nxt: _Second) -> bool:
        """Are the figure at token k and ``nxt`` two years (a period) or ends of a change?"""
        t = self.toks
        return all(_is_year(x) for x in (t[k], t[nxt.start])) or self.is_change(k)

    def fraction_after_noun(self, k: int, end: int) -> tuple[Decimal, int] | None:
        """"ثلاث سنوات ونصف": a bare count, its noun, then و + a fraction of that noun.

        Returns (fraction, next token) when nothing after the fraction can be its
        genitive (end, punctuation, a preposition); raises when something may be
        ("ونصف السنة" or "ونصف السكان"?); None when the pattern is absent.
        """
        t = self.toks
        if (end + 1 >= len(t) or t[end].kind != "word" or not t[end].joined
                or t[end].folded[:2] == "ال" or t[end].folded in _FUNCTION_WORDS
                or t[end + 1].kind != FRACTION or not t[end + 1].conj or not t[end + 1].joined
                or self.has_own_scale(k, end)):
            return None
        after = end + 2
        if after >= len(t) or not t[after].joined or t[after].kind in ("other", "pct"):
            return t[end + 1].value, after
        if t[after].kind == "word" and t[after].folded in _FUNCTION_WORDS:
            return t[end + 1].value, after
        if t[after].kind in _CONTINUES:
            return None  # "3 قتلى ونصف مليون نازح": a figure of its own
        raise _Uncertain("a fraction after the counted noun: part of the figure or its own?",
                         k, end + 1)

    def expression(self, k: int) -> tuple[Decimal, int] | None:
        """Read a whole expression from token k: terms joined by و in falling scale order."""
        t = self.toks
        self.refuse_unknown_unit(k)
        first = self.term(k)
        if first is None:
            return None
        if first.digits and self.at(first.end, SCALE, conj=False):
            return first.value, first.end  # a year before a scale word (``term``)
        if t[k].kind == DUAL_UNIT and self.at(first.end, UNIT, conj=False) \
                and t[first.end].value == 2:
            return first.value, first.end + 1  # "جنديين اثنين": the emphatic "two" is the same 2
        total, end = self.add_terms(k, first)
        if end < len(t) and t[end].joined and t[end].kind == VAGUE:
            raise _Uncertain(f'a number before the vague "{t[end].folded}"', k, end)
        return total, end

    def refuse_unknown_unit(self, k: int) -> None:
        """Raise when the word before token k may be an unknown spelling of a unit.

        Before its tens, عشر or scale word ("سبعاً وأربعين" with a misspelt or
        unlisted "سبعاً"), such a word is part of the figure, so token k's value
        alone would be a misread.
        """
        t = self.toks
        if (((t[k].conj and t[k].kind == TENS) or (not t[k].conj and t[k].kind in (TEN, SCALE)))
                and t[k].joined and _looks_like_unit(t[k - 1])):
            raise _Uncertain(f'"{t[k - 1].folded}" may be a number word', k - 1, k)

    def add_terms(self, k: int, first: _Term) -> tuple[Decimal, int]:
        """Add to ``first`` the terms joined to it by و, each of a lower scale than the last.

        A fraction ("ونصف") completes the figure; a dual noun or a list of digit
        figures ("2014 و2015") ends it; anything else that does not compose raises.
        """
        t = self.toks
        total, scale, end = first.value, first.scale, first.end
        if first.scale == 0 and t[k].kind != DUAL_UNIT:
            scale = -1  # a lone fraction takes nothing after it
        while end < len(t) and t[end].joined and t[end].kind in _CONTINUES:
            nxt = t[end]
            if not nxt.conj:
                if nxt.kind == DUAL_UNIT or t[end - 1].kind == DUAL_UNIT:
                    break
                raise _Uncertain("number words side by side that do not compose", k, end)
            if nxt.kind == FRACTION and scale >= 0:
                total, end = self.add_fraction(total, scale, end)
                scale = -1
                continue
            if t[k].kind == DUAL_UNIT or nxt.kind == DUAL_UNIT:
                break  # "جندي واحد وجنديين": a dual noun after و is a figure of its own
            nterm = self.joined_term(k, end)
            if nterm is not None and _composes(nterm, scale):
                total, scale, end = total + nterm.value, nterm.scale, nterm.end
                continue
            if nterm is not None and first.digits and nterm.digits:
                break  # "2014 و2015", "5 و10": a list of figures
            last = nterm.end - 1 if nterm is not None else end
            raise _Uncertain("number words joined by و that do not compose", k, last)
        return total, end

    def add_fraction(self, total: Decimal, scale: int, end: int) -> tuple[Decimal, int]:
        """Add the fraction at token ``end`` of the figure's last scale, and skip a repeated
        scale word after it: "مليون ونصف", "عامين ونصف", "مليار ونصف المليار"."""
        t = self.toks
        total += t[end].value * max(scale, 1)
        end += 1
        if self.at(end, SCALE, conj=False) and scale > 1 and t[end].value == scale \
                and t[end].form in ("sing", "acc"):
            end += 1  # "مليار ونصف المليار"
        return total, end

    def joined_term(self, k: int, end: int) -> _Term | None:
        """The term at token ``end`` after و; an unreadable one is reported from token k,
        the start of the whole expression."""
        try:
            return self.term(end)
        except _Uncertain as exc:
            raise _Uncertain(exc.why, k, exc.last) from None


def _composes(nterm: _Term, scale: int) -> bool:
    """Does a term after و add to a figure whose last scale is ``scale`` ("مليار و500 مليون")?

    It must be of a lower scale than the last one, and a bare group must be
    smaller than that scale ("ألف و500", not "ألف و2000").
    """
    return scale > 1 and 0 < nterm.scale < scale and (nterm.scale > 1 or nterm.value < scale)


# --- qualifiers -------------------------------------------------------------------

def _markers(*phrases: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.translate(_FOLD).split()) for p in phrases)


_MORE_VERBS = ("يتجاوز", "تتجاوز", "يفوق", "تفوق", "يتعدى", "تتعدى", "يتخطى", "تتخطى")
_MORE_PREP_VERBS = ("يزيد على", "يزيد عن", "تزيد على", "تزيد عن", "يربو على", "تربو على",
                    "ينوف على", "ينوف عن", "تنوف على", "ينيف على", "ينيف عن", "تنيف على")
_PAST_MORE_VERBS = ("تجاوز", "تجاوزت", "فاق", "فاقت", "تخطى", "تخطت", "تعدى", "تعدت")
_NEAR_VERBS = ("يناهز", "تناهز", "ناهز", "ناهزت", "يقارب", "تقارب", "قارب", "قاربت")
_NEGATIONS = ("لا", "لم", "لن", "ما لا", "ألا", "أن لا")
_VERBS = {w for (w,) in _markers(*_MORE_VERBS, *_PAST_MORE_VERBS, *_NEAR_VERBS)}
_PREPOSITIONS = {"علي", "عن", "من"}
# Prefix markers: (folded words, qualifier, where up to two other words may stand:
# "verb" after it, "تجاوز عدد القتلى 100"; "prep" before its preposition,
# "لا يقل عدد المصابين عن 70"; "" nowhere). Longest first, so "لا يتجاوز" wins.
_PREFIX: list[tuple[tuple[str, ...], str, str]] = []
for _qual, _phrases in (
    ("at_most", [f"{neg} {v}" for neg in _NEGATIONS for v in _MORE_VERBS + _MORE_PREP_VERBS]
     + ["لم يزد على", "لم يزد عن", "لم تزد على", "لم تزد عن", "لم يتعد", "لم تتعد",
        # un-negated "يقل عن" is "is less than" ("ما يقل عن 5%"); the negated
        # forms below are longer, so "لا يقل عن" still reads at_least
        "يقل عن", "تقل عن", "ما يقل عن", "ما تقل عن",
        "أقل من", "دون", "ما دون", "على الأكثر", "بحد أقصى", "كحد أقصى", "حد أقصى",
        "ما يصل إلى", "قد يصل إلى", "ما تصل إلى", "قد تصل إلى"]),
    ("at_least", [f"{neg} {v} عن" for neg in _NEGATIONS for v in ("يقل", "تقل")]
     + ["لم يقل عن", "لم تقل عن",
                  *_MORE_VERBS, *_MORE_PREP_VERBS, *_PAST_MORE_VERBS, "أكثر من", "أزيد من",
                  "ما يزيد على", "ما يزيد عن", "ما يفوق", "ما يتجاوز", "ما فوق", "فوق",
                  "على الأقل", "زاد على", "زاد عن", "زادت على", "زادت عن", "كحد أدنى",
                  "بحد أدنى",
                  # "نيف وعشرون", "بضع وثلاثون": twenty-some, more than twenty
                  "نيف", "بضع", "بضعة"]),
    ("approx", [*_NEAR_VERBS, "نحو", "حوالي", "حوالى", "قرابة", "زهاء", "ما يقارب", "ما يناهز",
                "ما يقرب من", "يقرب من", "تقريبا", "في حدود", "بحدود", "نحوا من", "ما يقدر",
                "ما يقدر ب", "يقدر ب", "تقدر ب",
                "اقترب من", "اقتربت من", "يقترب من", "تقترب من", "ما يقارب من",
                "يقارب من", "تقارب من", "ما يناهز من"]),
):
    for _m in _markers(*_phrases):
        _where = "verb" if _m[-1] in _VERBS else "prep" if (
            len(_m) > 1 and _m[-1] in _PREPOSITIONS) else ""
        _PREFIX.append((_m, _qual, _where))
_PREFIX.sort(key=lambda m: -len(m[0]))
_POSTFIX: tuple[tuple[tuple[str, ...], str], ...] = tuple(sorted(
    [(m, "at_least") for m in _markers("على الأقل", "أو أكثر", "وأكثر", "فأكثر", "ونيف", "ونيفا",
                                       "أو يزيد", "أو ما يزيد", "كحد أدنى", "بحد أدنى")]
    + [(m, "at_most") for m in _markers("على الأكثر", "أو أقل", "فأقل", "وأقل", "كحد أقصى",
                                        "بحد أقصى", "كأقصى حد", "على أقصى تقدير",
                                        "في أقصى تقدير", "بأقصى تقدير")]
    + [(m, "at_least") for m in _markers("على أقل تقدير", "في أقل تقدير", "بأقل تقدير")]
    + [(m, "approx") for m in _markers("تقريبا", "أو نحو ذلك", "أو نحوها", "أو نحوه")],
    key=lambda m: -len(m[0])))


def _word_matches(tok: _Tok, want: str | None, first: bool) -> bool:
    """Does a token spell ``want`` (None: any plain word)? A marker's first word may
    carry و ف ب ل ("وأكثر", "بنحو", "بأقل من"), but "بدون" is "without", not "below"."""
    if tok.kind in ("digits", "pct", "pct_word", "other"):
        return False
    w = tok.folded
    if want is None:
        return tok.kind == "word"
    return w == want or (first and len(w) > 1 and w[1:] == want
                         and w[0] in ("وف" if want == "دون" else "وفبل"))


def _index(markers: list[tuple[tuple[str, ...], str, str]], at: int,
           ) -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """Markers by their word at position ``at`` (0 first, -1 last), longest first."""
    out: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for m in sorted(markers, key=lambda m: -len(m[0])):
        out.setdefault(m[0][at], []).append(m)
    return out


_PREFIX_BY_LAST = _index(_PREFIX, -1)
_PREFIX_BY_FIRST = _index(_PREFIX, 0)
_POSTFIX_BY_FIRST = _index([(m, q, "") for m, q in _POSTFIX], 0)


def _candidates(index: dict[str, list[tuple[tuple[str, ...], str, str]]], tok: _Tok,
                ) -> list[tuple[tuple[str, ...], str, str]]:
    """Markers that may end/start at ``tok``, with or without a one-letter prefix on it."""
    w = tok.folded
    found = index.get(w, [])
    if len(w) > 1 and w[0] in "وفبل" and w[1:] in index:
        found = found + index[w[1:]]
    return found


#: Words that may stand between a comparative verb and its figure (the subject:
#: "ولم يتجاوز عدد المقاتلين الأجانب الذين استعادتهم بلدانهم 500"), and between "لا
#: يزيد" and its "على" ("ولا يزيد عدد خبراء إزالة الألغام المعتمدين في المحافظة على
#: ستين"); no punctuation in between.
_VERB_GAP, _PREP_GAP = 8, 8


def _qualifier(toks: list[_Tok], first: int, end: int) -> tuple[str, int, int] | None:
    """Find comparative words next to tokens [first, end): (qualifier, tok_from, tok_to).

    Words before a number that carries a glued preposition ("صلة قرابة بـ3",
    "kinship with 3") are not its qualifier: the preposition governs the number,
    and a comparative phrase stands right before the figure, not before its "ب".
    """
    if toks[first].prep and toks[first].folded.lstrip("وف")[:1] == "ب":
        found = _marker_ending_in_glued_b(toks, first)
        if found is not None:
            return found
    if not toks[first].prep:
        found = _marker_before(toks, first)
        if found is not None:
            return found
    return _marker_after(toks, end)


def _all_joined(toks: list[_Tok], lo: int, hi: int) -> bool:
    """Are tokens lo..hi-1 each joined to the one before (no punctuation between)?"""
    return all(toks[j].joined for j in range(lo, hi))


def _marker_ending_in_glued_b(toks: list[_Tok], first: int) -> tuple[str, int, int] | None:
    """A marker ending in ب whose ب is glued to the figure at token ``first``.

    "يقدر بـ100" reads as "يقدر بـ 100": the glued ب is the marker's last word.
    """
    for marker, qual, _where in _PREFIX_BY_LAST.get("ب", []):
        lo = first - (len(marker) - 1)
        if lo >= 0 and _all_joined(toks, lo + 1, first + 1) and all(
                _word_matches(toks[lo + n], w, n == 0) for n, w in enumerate(marker[:-1])):
            return qual, lo, first
    return None


def _marker_before(toks: list[_Tok], first: int) -> tuple[str, int, int] | None:
    """A prefix marker before the figure at token ``first``, nearest first.

    Up to ``_VERB_GAP`` words may stand between a comparative verb and the
    figure, and up to ``_PREP_GAP`` between a marker's words and its final
    preposition ("لا يقل عدد المصابين عن 70").
    """
    for gap in range(_VERB_GAP + 1):
        if first - 1 - gap < 0:
            break
        for (marker, qual, _where), shape in _prefix_tries(toks, first, gap):
            words: tuple[str | None, ...] = (
                marker + (None,) * gap if shape == "verb"
                else marker[:-1] + (None,) * gap + marker[-1:])
            lo = first - len(words)
            if lo < 0 or not _all_joined(toks, lo + 1, first + 1):
                continue
            if all(_word_matches(toks[lo + i], w, i == 0) for i, w in enumerate(words)):
                return qual, lo, lo + len(marker) if shape == "verb" else first
    return None


def _prefix_tries(toks: list[_Tok], first: int, gap: int,
                  ) -> list[tuple[tuple[tuple[str, ...], str, str], str]]:
    """The prefix markers to try with ``gap`` words before the figure, with their shape.

    With no gap, any marker ending right before the figure; with a gap, verbs
    ending ``gap`` words earlier and phrases whose preposition is right before
    it. After a preposition or a date word ("تناهز قيمتها منذ 2014 نحو") the
    figure belongs to that word, so only a marker's own preposition may stand there.
    """
    tried = [(m, "verb") for m in _candidates(_PREFIX_BY_LAST, toks[first - 1 - gap])
             if not gap or m[2] == "verb"]
    if gap and gap <= _PREP_GAP:
        tried += [(m, "prep") for m in _candidates(_PREFIX_BY_LAST, toks[first - 1])
                  if m[2] == "prep"]
    if gap and (toks[first - 1].folded in _FUNCTION_WORDS
                or toks[first - 1].folded in _DATED):
        tried = [t for t in tried if t[1] == "prep"]
    return tried


def _marker_after(toks: list[_Tok], end: int) -> tuple[str, int, int] | None:
    """A postfix marker ("على الأقل", "أو أكثر") after the figure ending before token ``end``,
    up to two plain words after it ("10 آلاف منتسب على الأقل")."""
    for gap in range(3):
        lo = end + gap
        if lo >= len(toks) or (gap and toks[lo - 1].kind != "word"):
            break
        for marker, qual, _ in _POSTFIX_BY_FIRST.get(toks[lo].folded, []):
            hi = lo + len(marker)
            if hi <= len(toks) and _all_joined(toks, end, hi) and all(
                    toks[lo + i].folded == w for i, w in enumerate(marker)):
                return qual, lo, hi
    return None


# --- public API -------------------------------------------------------------------


@dataclass(frozen=True)
class NumberMatch:
    """A number expression found in a text, located in the original (un-normalised) text."""

    value: Decimal | None
    text: str
    start: int
    end: int
    qualifier: str = "exact"
    qualifier_start: int | None = None
    qualifier_end: int | None = None
    unit_hint: str | None = None
    problem: str | None = None
    #: Both ends of a range ("بين 15 و20 مدنيًا") share its span: the low end is
    #: ``at_least``, the high end ``at_most``, and either is quoted with the whole range.
    range_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class _Pair:
    """A range in tokens [cue, end): the low figure at [first, first_end), the high one after."""

    cue: int
    first: int
    first_end: int
    second: _Second
    low: Decimal
    pct: bool
    qualifier: str | None  # a comparative word around the range ("نحو 10-15"): approx
    stop: int              # the token after the range and any qualifier after it
    is_range: bool = True  # False: a change from one figure to the other, both exact


def _range_at(reader: _Reader, i: int, read: tuple[Decimal, int]) -> _Pair | None:
    """The range that starts with the figure read at token i, if there is one."""
    value, end = read
    toks = reader.toks
    pct_first = reader.percent_at(end)
    end += pct_first  # "10% إلى 15%"
    nxt = reader.second(i, end)
    if nxt is None:
        return None
    low = value * nxt.scale
    cue = reader.range_cue(i, nxt, low)
    if cue is None:
        if (nxt.scale > 1 or nxt.pct) and nxt.connector in ("الي", "حتي") \
                and reader.is_change(i) and not reader.keeps_own_value(i, value, end):
            # "ارتفع من 8 إلى 12 ألف عائلة": a change, 8000 then 12000, both exact
            return _Pair(i, i, end, nxt, low, nxt.pct or pct_first, "exact", nxt.end,
                         is_range=False)
        return None
    end_all = nxt.end + 1 if nxt.pct else nxt.end
    around = [q for q in (_qualifier(toks, cue if cue < i else i, end),
                          _qualifier(toks, nxt.start, end_all)) if q and q[0] == "approx"]
    lo = min([cue, *(q[1] for q in around)])
    hi = max([end_all, *(q[2] for q in around)])
    return _Pair(lo, i, end, replace(nxt, end=end_all), low, nxt.pct or pct_first,
                 "approx" if around else None, hi)


def _split_range(reader: _Reader, i: int, last: int) -> _Pair | None:
    """After بين, the range whose first figure is the longest that reads before token ``last``."""
    for m in range(last, i, -1):
        try:
            with localcontext(_EXACT):
                read = _Reader(reader.toks[:m]).expression(i)
        except (_Uncertain, ArithmeticError):
            continue
        if read is not None and read[1] == m:
            pair = _range_at(reader, i, read)
            if pair is not None:
                return pair
    return None


def _range_matches(text: str, toks: list[_Tok], pair: _Pair,
                   span: Callable[[int, int], tuple[int, int]]) -> list[NumberMatch]:
    """The two ends of a range as matches: low ``at_least``, high ``at_most`` (or approx)."""
    whole = span(pair.cue, pair.stop - 1)
    hint = "percent" if pair.pct else None
    a, b = span(pair.first, pair.first_end - 1), span(pair.second.start, pair.second.end - 1)
    if not pair.is_range:
        return [NumberMatch(_tidy(pair.low), text[a[0]:a[1]], *a, unit_hint=hint),
                NumberMatch(_tidy(pair.second.value), text[b[0]:b[1]], *b, unit_hint=hint)]
    return [NumberMatch(_tidy(pair.low), text[a[0]:a[1]], *a, pair.qualifier or "at_least",
                        *whole, hint, range_span=whole),
            NumberMatch(_tidy(pair.second.value), text[b[0]:b[1]], *b,
                        pair.qualifier or "at_most", *whole, hint, range_span=whole)]


#: A Latin scale letter glued after digits ("3.5M", "20K", "2bn").
_LATIN_SCALE = re.compile(r"(?:[KMBkmb]|bn|mn)(?![A-Za-z])")


def _is_code(text: str, start: int, end: int) -> bool:
    """Digits glued to Latin letters ("5G", "M4", "F-16", "MQ-9"): a name or model code."""
    if not text[start:end].isdigit():
        return False
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    return bool(re.search(r"[A-Za-z]-?$", before)) or bool(
        re.match(r"[A-Za-z]", after) and not _LATIN_SCALE.match(after))


def _sign_or_letter(text: str, start: int, end: int) -> str | None:
    """Why digits with a minus sign ("-2.5%") or a Latin scale letter ("3.5M") are not read."""
    if start and text[start - 1] in "-\u2212" and text[start:start + 1].isdigit() and (
            start < 2 or not text[start - 2].isalnum()):
        return "a minus sign: a negative figure (a decline?) is not read as a count"
    if _LATIN_SCALE.match(text[end:end + 2]) and \
            text[end - 1:end].isdigit():
        return "a Latin scale letter after the digits (K, M, B): thousands, millions?"
    return None


def _tidy(value: Decimal) -> Decimal:
    """Drop a trailing '.0' that scale arithmetic leaves ("2.5 مليون" -> 2500000)."""
    if value == value.to_integral_value() and value.adjusted() < 40:
        return Decimal(int(value))
    return value.normalize() if value.adjusted() < 40 else value


def find_numbers(text: str, *, strict: bool = True) -> list[NumberMatch]:
    """List every number expression in ``text``, left to right.

    Args:
        text: Any text: a quote or a whole article.
        strict: Raise on a form that cannot be read with certainty; when False,
            return it with ``value=None`` and the reason in ``problem`` (never raises).

    Returns:
        The matches, with spans into ``text`` itself.

    Raises:
        NumeralParseError: If ``strict`` and a number-like form does not compose.

    Examples:
        >>> [str(m.value) for m in find_numbers("درّبت 17 لواءًا، بواقع 49 ألف منتسب")]
        ['17', '49000']
        >>> m, = find_numbers("تجاوزت الخسائر مليارين ونصف المليار دولار")
        >>> m.value, m.text, m.qualifier
        (Decimal('2500000000'), 'مليارين ونصف المليار', 'at_least')
        >>> m, = find_numbers("ارتفع بنسبة 20 في المئة")
        >>> m.value, m.unit_hint, m.text
        (Decimal('20'), 'percent', '20 في المئة')
        >>> find_numbers("عشرين خمسة", strict=False)[0].problem
        'number words side by side that do not compose'
    """
    return _Finder(text, strict).run()


def _tokens_of(text: str) -> tuple[list[_Tok], list[int] | None]:
    """Tokenize ``text``; return the tokens and the map from normalised to original offsets."""
    norm, index = _normalize_map(text)
    toks = _tokenize(norm.translate(_FOLD))
    if index is not None:
        _mark_vowels(toks, text, index)
    return toks, index


def _mark_vowels(toks: list[_Tok], text: str, index: list[int]) -> None:
    """Read the diacritics that normalising removed where they decide the reading.

    Tanween tells the accusative singular "مليوناً" (one) from the dual "مليونا"
    (two); a damma on the first letter makes خمس/سبع/تسع/عشر the fraction
    ("عُشر الأراضي", a tenth).
    """
    for tok in toks:
        original = text[index[tok.start]:index[tok.end]]
        if tok.form == "acc":
            tok.tanween = "\u064b" in original
        elif tok.stem in _FRACTION_HOMOGRAPHS and _DAMMA_FIRST.search(original):
            tok.kind, tok.value = FRACTION, Decimal(1) / _FRACTION_HOMOGRAPHS[tok.stem]


# --- where no figure starts: find_numbers skips or refuses these -------------------


def _skip_to(reader: _Reader, i: int) -> int | None:
    """Where reading resumes when token i starts no figure, or None when it may start one.

    Periods ("النصف الأول"), ordinals and ordinal adjectives, names ("مجموعة
    السبع"), "one of" and "the one" look like numbers but count nothing.
    """
    tok = reader.toks[i]
    if _is_period_fraction(reader, i):
        return i + 2  # "النصف الأول من العام", "الربع الثالث": a period, not a figure
    if (_is_ordinal_adjective(reader, i) or _is_dual_naming_years(reader, i)
            or _is_named_group(reader, i) or _is_one_of(reader, i)):
        return i + 1
    if tok.kind == ORDINAL:
        return _after_ordinal(reader, i)
    if tok.kind not in _NUMBERISH and tok.kind != "digits":
        return i + 1
    if tok.kind == UNIT and tok.value == 1 and tok.article and not tok.conj:
        return i + 1  # "للتر الواحد", "الطائرة الواحدة": "the one", an adjective; no figure
    return None


def _is_period_fraction(reader: _Reader, i: int) -> bool:
    """"النصف الأول", "الربع الأخير": a definite fraction before an ordinal names a period."""
    toks = reader.toks
    tok = toks[i]
    return tok.kind == FRACTION and tok.article and (
        reader.at(i + 1, ORDINAL) or (reader.at(i + 1, "word")
                                      and toks[i + 1].folded in ("الاخير", "الاخيره")))


def _is_ordinal_adjective(reader: _Reader, i: int) -> bool:
    """"الذكرى العشرين", "عيدها الخمسين": a definite tens word after a definite or possessed
    noun is the ordinal adjective (twentieth), not 20."""
    toks = reader.toks
    tok = toks[i]
    return (tok.kind == TENS and tok.article and not tok.conj and tok.joined
            and toks[i - 1].kind == "word" and toks[i - 1].folded not in _FUNCTION_WORDS
            and bool(_DEFINITE.match(toks[i - 1].folded) or _POSSESSED.search(toks[i - 1].folded)))


def _is_dual_naming_years(reader: _Reader, i: int) -> bool:
    """"عامي 2020 و2021": the construct dual names the years that follow; it is no figure."""
    tok = reader.toks[i]
    return tok.kind == DUAL_UNIT and tok.folded.endswith("ي") and reader.at(i + 1, "digits")


def _is_named_group(reader: _Reader, i: int) -> bool:
    """"مجموعة السبع", "مجموعة العشرين": a definite cardinal after these words is a name."""
    toks = reader.toks
    tok = toks[i]
    return bool(tok.kind in _NUMBERISH and tok.article and i and tok.joined
                and toks[i - 1].folded in _NAMED_GROUPS)


def _is_one_of(reader: _Reader, i: int) -> bool:
    """"واحدة من أقدم المدن": "one of", like أحد, is no figure."""
    toks = reader.toks
    tok = toks[i]
    return (tok.kind == UNIT and tok.value == 1 and reader.at(i + 1, "word")
            and toks[i + 1].folded in _OF)


def _after_ordinal(reader: _Reader, i: int) -> int:
    """The token after an ordinal: الحادي عشر, الحادي والعشرين are one ordinal, no figure."""
    i += 1
    if reader.at(i, TEN, conj=False):
        i += 1
    if reader.at(i, TENS, conj=True):
        i += 1
    return i


def _refused_at(reader: _Reader, i: int) -> tuple[int, str] | None:
    """A form at token i that is not read with certainty: (its last token, why), or None."""
    toks = reader.toks
    tok = toks[i]
    if (tok.kind == "digits" and i + 2 < len(toks) and toks[i + 1].folded == "،"
            and toks[i + 2].kind == "digits" and toks[i + 1].start == tok.end
            and toks[i + 2].start == toks[i + 1].end):
        last = i + 2
        while last + 1 < len(toks) and toks[last + 1].joined and toks[last + 1].kind == SCALE:
            last += 1
        return last, "an Arabic comma between digits: a thousands separator or a decimal point?"
    if (tok.kind == FRACTION and tok.conj and tok.joined and toks[i - 1].kind == "word"
            and toks[i - 1].folded not in _FUNCTION_WORDS
            and not (reader.at(i + 1, "word") and toks[i + 1].folded not in _FUNCTION_WORDS)
            and not reader.at(i + 1, *_CONTINUES)):
        # "ساعة ونصف" is an hour and a half (1.5), not 0.5; with no number
        # before the noun, whether it is singular is not read: refused.
        return i, "a fraction after a noun without a number: the noun and a half?"
    return None


# --- one pass of find_numbers -------------------------------------------------------


class _Finder:
    """Lists the number expressions of one text, left to right (``find_numbers``)."""

    def __init__(self, text: str, strict: bool) -> None:
        self.text, self.strict = text, strict
        self.toks, self.index = _tokens_of(text)
        self.reader = _Reader(self.toks)
        self.found: list[NumberMatch] = []

    def run(self) -> list[NumberMatch]:
        """Read the whole text: each step handles the token where the last one stopped."""
        i = 0
        while i < len(self.toks):
            i = self.step(i)
        return self.found

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original offsets of tokens a..b (inclusive), trailing marks included."""
        s, e = self.toks[a].start, self.toks[b].end
        if self.index is None:
            return s, e
        return self.index[s], self.index[e]

    def refuse(self, s: int, e: int, why: str) -> None:
        """A form not read with certainty: an error if strict, else a match without value."""
        if self.strict:
            raise NumeralParseError(f'cannot read "{self.text[s:e]}" with certainty: {why}')
        self.found.append(NumberMatch(None, self.text[s:e], s, e, problem=why))

    def step(self, i: int) -> int:
        """Handle the token at i (skip it, refuse it, or read a figure or range from it);
        return the index of the token to handle next."""
        skip = _skip_to(self.reader, i)
        if skip is not None:
            return skip
        refused = _refused_at(self.reader, i)
        if refused is not None:
            last, why = refused
            self.refuse(*self.span(i, last), why)
            return last + 1
        read, exc, pair = self.read_at(i)
        if pair is not None:
            self.found += _range_matches(self.text, self.toks, pair, self.span)
            return pair.stop
        if exc is not None:
            return self.refuse_run(i, exc)
        if read is None:
            return i + 1
        return self.add_figure(i, *read)

    def read_at(self, i: int) -> tuple[tuple[Decimal, int] | None, _Uncertain | None,
                                       _Pair | None]:
        """Read the expression at token i: (value and next token, why not, or the range).

        Exactly one of the three is set, or none when token i starts no figure.
        """
        reader = self.reader
        try:
            with localcontext(_EXACT):
                read = reader.expression(i)
        except ArithmeticError:
            return None, _Uncertain("too many digits to read exactly", i, i), None
        except _Uncertain as caught:
            if reader.after_between(i):  # "بين خمسة وعشرة آلاف": two figures joined by و
                pair = _split_range(reader, i, caught.last)
                if pair is not None:
                    return None, None, pair
            return None, caught, None
        if read is None:
            return None, None, None
        pair = _range_at(reader, i, read)
        if pair is not None:
            return None, None, pair
        return self.checked(i, read)

    def checked(self, i: int, read: tuple[Decimal, int],
                ) -> tuple[tuple[Decimal, int] | None, _Uncertain | None, None]:
        """A figure read alone at token i, unless the figure after it may share its scale,
        بين makes it one figure or two, or a fraction after its noun may belong to it."""
        reader = self.reader
        why = reader.shared_scale(i, read[1])
        if why is not None and reader.keeps_own_value(i, read[0], read[1]):
            why = None  # "رفع من 500 إلى 4 آلاف": 500, not 500 thousand
        if why is None and reader.after_between(i) and any(
                x.conj for x in self.toks[i + 1:read[1]]):
            split = _split_range(reader, i, read[1] - 1)
            why = None if split is None else (
                f"after بين, one figure or two? {split.low} and {split.second.value}, "
                f"or {read[0]}")
        if why is not None:
            return None, _Uncertain(why, i, read[1] - 1), None
        try:
            half = reader.fraction_after_noun(i, read[1])
        except _Uncertain as caught:
            return None, caught, None
        if half is not None:
            read = (read[0] + half[0], half[1])
        return read, None, None

    def refuse_run(self, i: int, exc: _Uncertain) -> int:
        """Refuse the expression from token i, and the number-like run joined after it, once.

        "3 322 145" is reported whole, not its tail read as a figure of its own.
        """
        toks = self.toks
        exc.first = min(exc.first, i)  # report from the start of the expression
        last = max(exc.last, exc.first)
        while (last + 1 < len(toks) and toks[last + 1].joined
               and toks[last + 1].kind in _CONTINUES):
            last += 1
        exc.last = last
        self.refuse(*self.span(exc.first, last), exc.why)
        return last + 1

    def add_figure(self, i: int, value: Decimal, end: int) -> int:
        """Add the figure read from token i (to ``end``) with its decimals, percent and
        qualifier, unless it is part of a code or carries a sign; return the next token."""
        decimals = self.reader.decimal_point(end)
        if decimals is not None:  # "ثلاثة فاصلة خمسة": 3.5
            value, end = value + decimals[0], decimals[1]
        unit_hint, first, end = self.percent(i, end)
        s, e = self.span(first, end - 1)
        if _is_code(self.text, s, e):
            return end  # "5G", "M4", "F-16": part of a name, no figure
        why = _sign_or_letter(self.text, s, e)
        if why is not None:
            self.refuse(s, e, why)
            return end
        qual = self.qualifier(i, end)
        if qual is None:
            self.found.append(NumberMatch(_tidy(value), self.text[s:e], s, e,
                                          unit_hint=unit_hint))
        else:
            qs, qe = self.span(qual[1], qual[2] - 1)
            self.found.append(NumberMatch(_tidy(value), self.text[s:e], s, e, qual[0], qs, qe,
                                          unit_hint))
        return end

    def percent(self, i: int, end: int) -> tuple[str | None, int, int]:
        """The percent sign or words of the figure in tokens [i, end), after it or typed
        before it ("%25"): (unit hint, first token, end token)."""
        toks = self.toks
        if self.reader.percent_at(end):
            return "percent", i, end + 1
        if i and toks[i - 1].kind == "pct" and toks[i - 1].end == toks[i].start and not (
                i > 1 and toks[i - 2].end == toks[i - 1].start):
            return "percent", i - 1, end  # "%25", "٪١٥": the sign typed first
        return None, i, end

    def qualifier(self, i: int, end: int) -> tuple[str, int, int] | None:
        """The comparative words of the figure in tokens [i, end); "حتى 50%" is up to 50%,
        but "حتى 2014" a date."""
        toks = self.toks
        qual = _qualifier(toks, i, end)
        if qual is None and i and toks[i].joined and toks[i - 1].folded in ("حتي", "وحتي") \
                and not (end == i + 1 and _is_year(toks[i])):
            qual = ("at_most", i - 1, i)
        return qual


def parse_number(text: str) -> Decimal:
    """Read one figure as printed in the article.

    Args:
        text: The figure as printed, e.g. "49 ألف", "ملياري دولار", "3.322.145".

    Returns:
        The value as a Decimal.

    Raises:
        NumeralParseError: If ``text`` holds no number, more than one, or one
            that cannot be read with certainty.

    Examples:
        >>> parse_number("١٬٢٣٤")
        Decimal('1234')
        >>> parse_number("١٢٫٥")
        Decimal('12.5')
        >>> parse_number("3.322.145")
        Decimal('3322145')
        >>> parse_number("ملياري دولار")
        Decimal('2000000000')
        >>> parse_number("اثني عشر")
        Decimal('12')
        >>> parse_number("17 ألفاً و500 جندي")
        Decimal('17500')
    """
    matches = find_numbers(text)
    if not matches:
        raise NumeralParseError(f'cannot read "{text}" as a number')
    if len(matches) > 1:
        shown = ", ".join(m.text for m in matches)
        raise NumeralParseError(f'"{text}" holds {len(matches)} numbers ({shown}), expected one')
    value = matches[0].value
    assert value is not None  # strict mode never returns an unread match
    return value


def quote_readings(text: str) -> list[tuple[Decimal, str]]:
    """What a quote can state: its one figure and qualifier, or either end of one range.

    Raises:
        NumeralParseError: As ``parse_number``, unless the two numbers are one range.

    Examples:
        >>> quote_readings("أكثر من 10 آلاف منتسب")
        [(Decimal('10000'), 'at_least')]
        >>> quote_readings("ما بين 15 و20 مدنيًا")
        [(Decimal('15'), 'at_least'), (Decimal('20'), 'at_most')]
    """
    matches = find_numbers(text)  # strict: every match has its value
    if len(matches) == 1 or (len(matches) == 2 and matches[0].range_span is not None
                             and matches[0].range_span == matches[1].range_span):
        return [(m.value, m.qualifier) for m in matches if m.value is not None]
    return [(parse_number(text), detect_qualifier(text))]  # raises, naming what it found


def _scan_qualifier(text: str) -> str:
    """The first comparative phrase anywhere in ``text`` (for texts without one number)."""
    toks = _tokenize(normalize(text).translate(_FOLD))
    for k, tok in enumerate(toks):
        for marker, qual, _ in _candidates(_PREFIX_BY_FIRST, tok):
            hi = k + len(marker)
            if hi <= len(toks) and all(toks[j].joined for j in range(k + 1, hi)) and all(
                    _word_matches(toks[k + i], w, i == 0) for i, w in enumerate(marker)):
                return qual
        for marker, qual, _ in _POSTFIX_BY_FIRST.get(tok.folded, []):
            hi = k + len(marker)
            if hi <= len(toks) and all(toks[j].joined for j in range(k + 1, hi)) and all(
                    toks[k + i].folded == w for i, w in enumerate(marker)):
                return qual
    return "exact"


def detect_qualifier(text: str) -> str:
    """Return the qualifier the quote's wording implies: exact/at_least/at_most/approx.

    With one number in ``text``, the comparative words next to it (before or
    after); otherwise the first comparative phrase anywhere.

    Examples:
        >>> detect_qualifier("وأكثر من 10 آلاف منتسب")
        'at_least'
        >>> detect_qualifier("لا يتجاوز الـ3 سنوات")
        'at_most'
        >>> detect_qualifier("10 آلاف منتسب على الأقل")
        'at_least'
        >>> detect_qualifier("بقيمة 3 ملايين دولار")
        'exact'
    """
    matches = find_numbers(text, strict=False)
    if len(matches) == 1:
        return matches[0].qualifier
    return _scan_qualifier(text)
