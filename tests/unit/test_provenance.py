"""provenance.check_quotes: each quote against its source, value and qualifier."""

from __future__ import annotations

import pytest

from coalition_workbook.data import numerals, provenance, schema
from coalition_workbook.data.errors import Problem


def check(tables) -> list[Problem]:
    return provenance.check_quotes(schema.load_table(tables.figures), tables.sources)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def source_lines(tables, index: int) -> list[str]:
    name = tables.get(index, "source")
    return (tables.sources / name).read_text(encoding="utf-8").split("\n")


def test_curated_figures_pass(tables) -> None:
    assert check(tables) == []


def test_quote_not_in_source(tables) -> None:
    row = tables.set(4, "quote", tables.get(4, "quote") + " في المريخ")
    p = only(check(tables))
    assert (p.file, p.row, p.column) == (str(tables.figures), row, "quote")
    assert "is not in" in p.reason and "verbatim" in p.reason


def test_quote_in_source_but_other_paragraph(tables) -> None:
    lines = source_lines(tables, 6)
    quote, paragraph = tables.get(6, "quote"), int(tables.get(6, "paragraph"))
    other = next(n for n in range(1, len(lines) + 1)
                 if n != paragraph and quote not in lines[n - 1])
    row = tables.set(6, "paragraph", str(other))
    p = only(check(tables))
    assert (p.row, p.column) == (row, "paragraph")
    assert f"quote is on line {paragraph} " in p.reason


def test_one_quote_text_at_two_places_is_checked_at_each(tables) -> None:
    """Two rows quoting the same words, one at its paragraph and one at another: only the
    second is wrong (the check reads each distinct source, paragraph and quote)."""
    header, rows = tables.read(tables.figures)
    copy = dict(zip(header, rows[6], strict=True))
    lines = source_lines(tables, 6)
    other = next(n for n in range(1, len(lines) + 1)
                 if n != int(copy["paragraph"]) and copy["quote"] not in lines[n - 1])
    copy.update(id="same_words_elsewhere", paragraph=str(other))
    tables.write(tables.figures, header, [*rows, [copy[h] for h in header]])
    p = only(check(tables))
    assert (p.row, p.column) == (len(rows) + 2, "paragraph")


def test_paragraph_beyond_the_source(tables) -> None:
    lines = source_lines(tables, 0)
    row = tables.set(0, "paragraph", str(len(lines) + 5))
    p = only(check(tables))
    assert (p.row, p.column) == (row, "paragraph")
    assert f"has {len(lines)} lines" in p.reason


def test_value_disagrees_with_quote(tables) -> None:
    value = float(tables.get(9, "value"))
    row = tables.set(9, "value", f"{value + 1:g}")
    p = only(check(tables))
    assert (p.row, p.column) == (row, "value")
    assert f"reads {value:g}" in p.reason


def test_qualifier_disagrees_with_quote(tables) -> None:
    """A quote saying "أكثر من" (more than) marked exact."""
    index = next(i for i, r in enumerate(tables.records()) if "أكثر من" in r["quote"])
    assert tables.get(index, "qualifier") == "at_least"
    row = tables.set(index, "qualifier", "exact")
    p = only(check(tables))
    assert (p.row, p.column) == (row, "qualifier")
    assert '"exact" disagrees' in p.reason and '"at_least"' in p.reason


def test_at_most_quote_marked_at_least(tables) -> None:
    index = next(i for i, r in enumerate(tables.records()) if "لا يتجاوز" in r["quote"])
    row = tables.set(index, "qualifier", "at_least")
    p = only(check(tables))
    assert (p.row, p.column) == (row, "qualifier")
    assert '"at_most"' in p.reason


def test_quote_with_two_numbers(tables) -> None:
    records = tables.records()
    by_line: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(records):
        by_line.setdefault((r["source"], r["paragraph"]), []).append(i)
    a, b = next(ix[:2] for ix in by_line.values() if len(ix) >= 2)
    line = source_lines(tables, a)[int(records[a]["paragraph"]) - 1]
    qa, qb = records[a]["quote"], records[b]["quote"]
    start = min(line.index(qa), line.index(qb))
    end = max(line.index(qa) + len(qa), line.index(qb) + len(qb))
    span = line[start:end]
    assert len(numerals.find_numbers(span)) >= 2
    row = tables.set(a, "quote", span)
    p = only(check(tables))
    assert (p.row, p.column) == (row, "quote")
    assert "numbers" in p.reason and "expected one" in p.reason


def test_missing_source_file(tables) -> None:
    row = tables.set(2, "source", "no_such_article.txt")
    p = only(check(tables))
    assert (p.row, p.column) == (row, "source")
    assert "no_such_article.txt not found" in p.reason


def test_every_problem_is_reported(tables) -> None:
    rows = {tables.set(1, "source", "no_such_article.txt"),
            tables.set(3, "quote", tables.get(3, "quote") + " في المريخ")}
    assert {p.row for p in check(tables)} == rows


def test_same_quote_is_checked_once(tables, monkeypatch: pytest.MonkeyPatch) -> None:
    header, rows = tables.read(tables.figures)
    i = header.index("id")
    tables.write(tables.figures, header,
                 [[*r[:i], f"{r[i]}_{k}", *r[i + 1:]] for k in range(3) for r in rows])
    calls: list[str] = []
    real = numerals.quote_readings  # how provenance reads a quote
    monkeypatch.setattr(numerals, "quote_readings", lambda q: calls.append(q) or real(q))
    assert check(tables) == []
    assert len(calls) == len({(r[header.index("paragraph")], r[header.index("quote")])
                              for r in rows})
