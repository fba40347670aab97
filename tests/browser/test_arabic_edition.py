"""The Arabic edition, read in headless Chromium: every word a reader sees is Arabic.

One real ``workbook run -p lang ar`` in a copy of the project; on every page it
publishes (each report, index.html, each source page) the visible text outside
code, hover text (``title``) and the text drawn in SVG charts must hold no
Latin-script word. A failure lists each offending word with its element.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_workbook.run import browser
from tests.browser import pages as probes
from tests.conftest import copy_project, workbook

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def arabic_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``reports/ar/latest`` of a fresh Arabic run in a project copy."""
    root = copy_project(tmp_path_factory.mktemp("arabic") / "project", reports=False)
    done = workbook(root, "run", "--reports", str(root / "reports" / "ar"), "-p", "lang", "ar")
    assert done.returncode == 0, f"workbook run failed:\n{done.stdout}\n{done.stderr}"
    return root / "reports" / "ar" / "latest"


def _pages() -> list[str]:
    """Each kind of page an Arabic run publishes."""
    return ["trainees", "aid", "coalition", "summary", "index", "sources"]


@pytest.fixture(scope="module")
def latin(arabic_report: Path) -> dict[str, list[dict]]:
    """Page (path relative to the report folder) -> the Latin words a reader meets there."""
    out: dict[str, list[dict]] = {}
    with browser.launch() as chromium:
        context = browser.new_context(chromium)
        try:
            for html in browser.report_pages(arabic_report) + browser.source_pages(arabic_report):
                page, _ = browser.open_report(context, html)
                try:
                    out[str(html.relative_to(arabic_report))] = probes.latin_words(page)
                finally:
                    page.close()
        finally:
            context.close()
    return out


@pytest.mark.parametrize("kind", _pages())
def test_no_latin_word_is_shown(latin: dict[str, list[dict]], kind: str) -> None:
    if kind == "sources":
        pages = [p for p in latin if p.startswith("sources/")]
    else:
        pages = [f"{kind}.html"]
    assert pages and all(p in latin for p in pages), (kind, sorted(latin))
    found = [f"{p}: {w['word']!r} in <{w['path']}>: {w['text']!r}"
             for p in pages for w in latin[p]]
    assert not found, f"{len(found)} Latin words:\n" + "\n".join(found[:80])
