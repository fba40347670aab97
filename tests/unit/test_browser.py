"""browser: the parts that need no browser (request classification, missing Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_workbook import cli
from coalition_workbook.data.errors import BrowserError
from coalition_workbook.run import browser


@pytest.mark.parametrize("url", ["file:///tmp/r.html", "data:image/png;base64,AA==",
                                 "blob:file:///1234", "about:blank", "FILE:///x"])
def test_local_urls(url):
    assert browser.is_local(url)


@pytest.mark.parametrize("url", ["https://cdn.jsdelivr.net/npm/vega@6", "http://localhost:8888/",
                                 "//fonts.googleapis.com/css", "ws://127.0.0.1:1/", "ftp://x/"])
def test_everything_else_counts_as_external(url):
    assert not browser.is_local(url)


def test_missing_chromium_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(BrowserError) as info:
        browser.chromium_path()
    assert "no-chromium" in str(info.value) and "make chromium" in str(info.value)
    with pytest.raises(BrowserError), browser.launch():
        pass


def test_screenshots_without_reports_is_one_clear_line(tmp_path, capsys):
    assert cli.main(["screenshots", "--report-dir", str(tmp_path)]) == 2  # a user mistake
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no *.html reports" in err and str(tmp_path) in err


def test_report_pages_lists_index_last(tmp_path):
    for name in ("index", "trainees", "aid"):
        (tmp_path / f"{name}.html").write_text("x", encoding="utf-8")
    assert [p.name for p in browser.report_pages(Path(tmp_path))] == [
        "aid.html", "trainees.html", "index.html"]
