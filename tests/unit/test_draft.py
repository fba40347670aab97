"""workbook draft: every uncurated number becomes a figures row whose quote validates as is."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from coalition_workbook import cli
from coalition_workbook.data import config, draft, numerals
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.data.schema import SNAKE_CASE
from tests.unit.second_article import (
    TEXT,
    empty_accounted,
    expected,
    fill,
    second_article_project,
)

GOAL = 0.9


def _key(r: dict[str, str]) -> tuple[str, str, str]:
    return (r["paragraph"], r["value"], r["qualifier"])


def test_synthetic_article_is_drafted_right() -> None:
    """Share of the article's numbers drafted with the right paragraph, value and qualifier."""
    rows = draft.draft_rows(TEXT, accounted=empty_accounted())
    key = expected()
    got = [_key(r) for r in rows]
    recall = len(key & set(got)) / len(key)
    precision = sum(g in key for g in got) / len(got)
    print(f"draft on the synthetic article: recall {recall:.0%}, precision {precision:.0%}")
    assert recall >= GOAL, sorted(key - set(got))
    assert precision >= GOAL, [g for g in got if g not in key]


def test_draft_fill_validate(tmp_path: Path) -> None:
    root = second_article_project(tmp_path / "data")
    hints = draft.unit_hints(root / "units.csv")
    rows = draft.draft_rows(root / "sources" / TEXT.name, accounted=empty_accounted(),
                            hints=hints)
    assert "trucks" in {r["unit"] for r in rows}  # the new unit's nouns_ar guided the draft
    assert not [r for r in rows if r["note"]]
    draft.write_rows(root / "figures.csv", fill(rows))
    ds = load_dataset(root / "figures.csv")  # raises, naming file:row:column, if a quote fails
    assert len(ds.figures) == len(rows)


def test_ids_are_unique_and_snake_case() -> None:
    rows = draft.draft_rows(TEXT, accounted=empty_accounted())
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.match(SNAKE_CASE, i) for i in ids)


def test_quote_is_shortest_span_with_comparative_words() -> None:
    for r in draft.draft_rows(TEXT, accounted=empty_accounted()):
        line = TEXT.read_text(encoding="utf-8").split("\n")[int(r["paragraph"]) - 1]
        assert r["quote"] in line
        assert numerals.detect_qualifier(r["quote"]) == r["qualifier"]
        assert str(numerals.parse_number(r["quote"])) == r["value"] or \
            float(numerals.parse_number(r["quote"])) == float(r["value"])
        words = r["quote"].split()
        assert len(words) <= 6, r["quote"]


def test_curated_figure_is_not_drafted_until_removed(tables) -> None:
    source = tables.sources / tables.get(0, "source")
    accounted = draft.read_accounted(tables.figures)
    assert draft.draft_rows(source, accounted=accounted) == []  # shipped data fully accounted
    header, rows = tables.read(tables.figures)
    removed = dict(zip(header, rows.pop(4), strict=True))
    tables.write(tables.figures, header, rows)
    (row,) = draft.draft_rows(source, accounted=draft.read_accounted(tables.figures))
    assert (row["paragraph"], row["qualifier"]) == (removed["paragraph"], removed["qualifier"])
    assert float(row["value"]) == float(removed["value"])
    assert row["id"] not in {r[0] for r in rows}


def test_cli_writes_the_draft(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.csv"
    assert cli.main(["draft", str(TEXT), "--out", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == draft.FIGURE_COLUMNS
    assert {_key(r) for r in rows} == {_key(r) for r in draft.draft_rows(TEXT)}


def test_cli_default_output_is_data_drafts(tables, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(config, "DATA_DIR", tables.root)
    assert cli.main(["draft", str(TEXT)]) == 0
    out = tables.root / "drafts" / f"{TEXT.stem}.csv"
    assert out.is_file()
    assert f"wrote {out}" in capsys.readouterr().out


@pytest.mark.parametrize("content", [None, b"\xff\xfe not utf-8"])
def test_cli_refuses_missing_or_non_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          content: bytes | None) -> None:
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    assert cli.main(["draft", str(path), "--out", str(tmp_path / "d.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "d.csv").exists()


@pytest.mark.parametrize("line,quote", [
    ("وبلغ عدد المتطوعين 163 ألفًا كما قال الوزير.", "163 ألفًا"),  # not "163 ألفًا كما"
    ("ونشر نحو 500 في المنطقة.", "نحو 500"),
    ("وتبرع بـ300 ألف دولار.", "بـ300 ألف دولار"),  # never a quote opening on "ـ"
])
def test_quote_leaves_out_function_words_and_keeps_a_tatweel_with_its_letter(
        line: str, quote: str) -> None:
    (f,) = draft.scan(line)
    got = draft.draft_quote(line, f)
    assert got.ok and got.text == quote


@pytest.mark.parametrize("line,text,why", [
    ("صدر القرار رقم 48 أمس.", "48", "number"),
    ("خصصت الوزارة الرقم المجاني 5599 للاستفسار.", "5599", "number"),
    ("وفق التعليمات رقم 3 لسنة 2022.", "2022", "number"),
    ("وصل الوفد في 9 كانون الثاني.", "9", "day"),
    ("اجتمعوا يومي 14 و15 شباط/فبراير.", "و15", "day"),
    ("للاتصال 07801234567 مساءً.", "07801234567", "zero"),
    ("وصل الوفد عند الساعة 11 صباحًا.", "11", "time"),
    ("انتشر وباء كوفيد-19 في المخيمات.", "19", "code"),
    ("انتشر اللواء 57 في الموصل.", "57", "formation"),
    ("وُلد عام 1441هـ.", "1441", "hijri"),
    ("عُقد المؤتمر يوم 15 آذار 2022 في بغداد.", "15", "day"),
    ("عُقد المؤتمر يوم 15 آذار 2022 في بغداد.", "2022", "month_year"),
    ("أعلن النصر في كانون الأول 2017.", "2017", "month_year"),
    ("بدأت الغارات في آب/أغسطس 2014.", "2014", "month_year"),
    ("وصل الوفد في يونيه 2020.", "2020", "month_year"),
    ("وفق التقرير المؤرخ في 9/3/2022.", "9", "numeric_date"),
    ("وفق التقرير المؤرخ في 9/3/2022.", "2022", "numeric_date"),
    ("صدرت الرسالة في 2022-03-09 صباحًا.", "2022", "numeric_date"),
    ("مدد المجلس الولاية بموجب القرار 2631 أمس.", "2631", "citation"),
    ("يكلفها قرار مجلس الأمن 2107 بمتابعة الملف.", "2107", "citation"),
    ("يستند إلى القرارين 1500 و1770.", "و1770", "citation"),
    ("أقر البرلمان القانون 52 الخاص بالاتفاقية.", "52", "citation"),
    ("صدر المرسوم 45 لعام 2019.", "2019", "number"),
    ("تخرج 1200 عنصر من كتيبة الهندسة العسكرية 11 والفرقة 16.", "11", "formation"),
    ("تخرج 1200 عنصر من كتيبة الهندسة العسكرية 11 والفرقة 16.", "16", "formation"),
    ("وتشمل الفوج الثاني من لواء المشاة 23، على أن", "23", "formation"),
    ("اتصلوا عبر الخط الساخن 122 العامل على مدار الساعة.", "122", "phone"),
])
def test_numbers_that_are_no_count_are_proposed_for_ignored_csv(line: str, text: str,
                                                                 why: str) -> None:
    found = {f.text: draft.set_aside(line, f) for f in draft.scan(line)}
    assert found[text] == why


@pytest.mark.parametrize("line", [
    "درّبت القوات 49 ألف منتسب في 2020.",  # a count and a bare year
    "وصل 9 جنود إلى القاعدة.",               # a small count, no month after it
    "قتل 15 شخصًا في 3 هجمات.",
    "تسلم الجيش 250 مركبة من طراز همفي.",
    "أنهى التحالف تدريب 3 ألوية من الجيش.",     # a count before a unit noun
    "نشرت الوزارة خمس فرق في المدينة.",
    "تشكيل 4 فرق و12 لواء جديدًا.",
    "أرسلت الفرقة المدرعة 300 دبابة إلى الحدود.",  # a counted noun after the number
    "يبلغ عدد أفراد الكتيبة 800 جندي.",
    "قاتلت القوات التنظيم منذ 2014.",             # a year standing alone
    "أعلن النصر في عام 2017 بعد معارك طويلة.",
    "صوّت المجلس على قانون الموازنة لعام 2023.",
    "عقد مجلس الأمن 5 جلسات بشأن العراق.",
    "ارتفع عدد الغارات في آذار إلى 150 غارة.",
])
def test_counts_are_never_set_aside(line: str) -> None:
    assert [draft.set_aside(line, f) for f in draft.scan(line)] == [None] * len(draft.scan(line))


def test_a_count_beside_a_unit_name_is_kept_and_the_name_set_aside() -> None:
    line = "وصل 2500 جندي من الفرقة 16 إلى الموصل، و600 مقاتل من اللواء 57."
    assert {f.text: draft.set_aside(line, f) for f in draft.scan(line)} == {
        "2500": None, "16": "formation", "و600": None, "57": "formation"}


def test_every_reason_is_written_in_english_and_arabic(tmp_path: Path) -> None:
    """A date, a month-year, a numeric date, a resolution, a unit and a hotline each go to
    the ignored.csv proposals with their reason in both languages; the counts stay."""
    article = tmp_path / "a.txt"
    article.write_text("صدر القرار 2367 في 15 آذار 2022 وتقرير في 9/3/2022، وتخرج 1200 عنصر "
                       "من كتيبة الهندسة العسكرية 11 عبر الخط الساخن 122 منذ عام 2014.\n",
                       encoding="utf-8")
    got = draft.draft(article, accounted=draft.Accounted({}, {}))
    reasons = ["citation", "day", "month_year", "numeric_date", "numeric_date", "numeric_date",
               "formation", "phone"]
    assert [(r["text"], r["reason"], r["reason_ar"]) for r in got.aside] == [
        (text, *draft._ASIDE[why]) for text, why in zip(
            ["2367", "15", "2022", "9", "3", "2022", "11", "122"], reasons, strict=True)]
    assert {r["value"] for r in got.rows} == {"1200", "2014"}
    for en, ar in draft._ASIDE.values():
        assert re.search("[a-z]", en) and re.search("[\u0621-\u064a]", ar)


def test_a_change_from_a_bare_figure_to_a_scaled_one_keeps_each_value() -> None:
    """"من نحو 500 إلى 4 آلاف" is 500 (about) then 4000, not 500 thousand."""
    line = "قرر الوزراء رفع عدد أفرادها من نحو 500 إلى 4 آلاف عنصر."
    assert [(str(f.value), f.qualifier) for f in draft.scan(line)] == [
        ("500", "approx"), ("4000", "exact")]


def test_cli_writes_the_set_aside_numbers_and_coverage_accepts_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The proposals, copied into ignored.csv, account for every number they name."""
    from coalition_workbook.data import coverage
    from tests.conftest import read_rows

    root = second_article_project(tmp_path / "data")
    article = root / "sources" / TEXT.name
    lines = article.read_text(encoding="utf-8").rstrip("\n").split("\n")
    lines[-1] = "وصدر القرار رقم 48 في 9 كانون الثاني، وحلقت طائرات MQ-9 فوق 3 مدن."
    article.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "d.csv"
    assert cli.main(["draft", str(article), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    aside = tmp_path / "d.ignored.csv"
    assert f"wrote {aside}: 2 numbers" in said  # MQ-9 is no number at all (numerals)
    header, rows = read_rows(aside)
    assert header == draft.IGNORED_COLUMNS
    assert [r[2] for r in rows] == ["48", "9"]
    drafted = {(r["paragraph"], r["value"]) for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert (str(len(lines)), "3") in drafted  # the count on that line is still drafted
    accounted = draft.Accounted({}, {(r[0], int(r[1])): [x[2] for x in rows] for r in rows})
    result = coverage.source_coverage(article, accounted)
    assert result.ignored == 2 and not result.stale_ignored
    assert [t for p, t in result.unaccounted if p == len(lines)] == ["3"]


def test_an_ignored_text_accounts_only_for_numbers_it_holds_whole() -> None:
    line = "وصل الوفد في 9 كانون الثاني ومعه 19 خبيرًا."
    accounted = draft.Accounted({}, {("a.txt", 2): ["9"]})
    status = {f.text: accounted.status("a.txt", 2, line, f) for f in draft.scan(line)}
    assert status == {"9": "ignored", "19": "unaccounted"}
