"""workbook coverage: every number of every source is curated, ignored with a reason, or listed."""

from __future__ import annotations

import pytest

from coalition_workbook import cli
from coalition_workbook.data import coverage
from coalition_workbook.data.errors import TableValidationError


def _run(tables, *extra: str) -> int:
    return cli.main(["coverage", "--figures", str(tables.figures), "--sources",
                     str(tables.sources), *extra])


def test_shipped_data_is_fully_accounted(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["coverage", "--strict"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out and all(line.endswith(", 0 not accounted for") for line in out)


def test_counts_add_up(tables) -> None:
    (result,) = coverage.coverage(tables.sources, tables.figures)
    _header, rows = tables.read(tables.root / "ignored.csv")
    assert result.ignored == len(rows)
    assert result.numbers == result.curated + result.ignored + len(result.unaccounted)


def test_unignored_number_is_listed_and_strict_fails(tables, capsys) -> None:
    tables.ignore_one()
    assert _run(tables, "--strict") == 0
    capsys.readouterr()
    header, rows = tables.read(tables.root / "ignored.csv")
    dropped = dict(zip(header, rows[0], strict=True))
    tables.write(tables.root / "ignored.csv", header, rows[1:])
    assert _run(tables) == 0
    out = capsys.readouterr().out
    assert f'{dropped["source"]}:{dropped["paragraph"]}: "{dropped["text"]}"' in out
    assert "1 not accounted for" in out
    assert _run(tables, "--strict") == 2
    assert "not accounted for" in capsys.readouterr().err


def test_removed_figure_becomes_unaccounted(tables) -> None:
    header, rows = tables.read(tables.figures)
    removed = dict(zip(header, rows.pop(0), strict=True))
    tables.write(tables.figures, header, rows)
    (result,) = coverage.coverage(tables.sources, tables.figures)
    assert [p for p, _ in result.unaccounted] == [int(removed["paragraph"])]
    (_, text) = result.unaccounted[0]
    assert text in removed["quote"] or removed["quote"] in text


def test_stale_ignored_row_is_reported(tables, capsys) -> None:
    tables.ignore_one()
    header, rows = tables.read(tables.root / "ignored.csv")
    stale = [rows[0][0], "1", "لا رقم هنا", "a row that matches nothing"]
    stale += [""] * (len(header) - len(stale))
    tables.write(tables.root / "ignored.csv", header, [*rows, stale])
    assert _run(tables, "--strict") == 0  # only unaccounted numbers fail --strict
    assert 'ignored.csv lists "لا رقم هنا"' in capsys.readouterr().out


def test_ignored_row_without_reason_is_located(tables) -> None:
    tables.ignore_one()
    path = tables.root / "ignored.csv"
    header, rows = tables.read(path)
    rows[0][header.index("reason")] = ""
    tables.write(path, header, rows)
    with pytest.raises(TableValidationError) as exc:
        coverage.coverage(tables.sources, tables.figures)
    assert (exc.value.file, exc.value.row, exc.value.column) == (str(path), 2, "reason")
    assert _run(tables) == 2
