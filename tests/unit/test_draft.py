"""workbook draft: every uncurated number becomes a figures row whose quote validates as is."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from coalition_workbook import cli, config, draft, numerals
from coalition_workbook.dataset import load_dataset
from coalition_workbook.schema import SNAKE_CASE
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
