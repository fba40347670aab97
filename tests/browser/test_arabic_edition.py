"""The Arabic edition, read in headless Chromium: a reader meets Arabic words.

On every page of the Arabic edition as ``make report`` publishes it
(``published_editions``), the Latin-script words a reader can see are counted:
visible text, code included, hover text (``title``) and the text drawn in SVG
charts. A report or source page may show at most 3 (the other edition's name and
the commit), the index at most 10 (file formats). ``run.html``, the run record
for whoever asks how the edition was made, lists paths, packages and checksums
as they are typed, and is not counted. A failure lists each word with its element.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_workbook.run import browser
from tests.browser import pages as probes

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def arabic_report(published_editions: dict[str, Path]) -> Path:
    """``reports/ar/latest`` of the published set."""
    return published_editions["ar"]


#: The most Latin-script words a page of each kind may show.
LIMITS = {"index": 10, "report": 3, "sources": 3}


def _pages() -> list[str]:
    """Each kind of page an Arabic run publishes."""
    return ["trainees", "aid", "coalition", "summary", "index", "sources"]


@pytest.fixture(scope="module")
def latin(arabic_report: Path) -> dict[str, list[dict]]:
    """Page (path relative to the report folder) -> the Latin words a reader meets there."""
    out: dict[str, list[dict]] = {}
    pages = browser.report_pages(arabic_report) + browser.source_pages(arabic_report)
    for html, page, _ in probes.each_page(pages):
        out[str(html.relative_to(arabic_report))] = probes.latin_words(page)
    return out


@pytest.mark.parametrize("kind", _pages())
def test_at_most_a_few_latin_words_are_shown(latin: dict[str, list[dict]], kind: str) -> None:
    if kind == "sources":
        pages = [p for p in latin if p.startswith("sources/")]
    else:
        pages = [f"{kind}.html"]
    assert pages and all(p in latin for p in pages), (kind, sorted(latin))
    limit = LIMITS.get(kind, LIMITS["report"])
    found = {p: latin[p] for p in pages if len(latin[p]) > limit}
    lines = [f"{p}: {w['word']!r} in <{w['path']}>: {w['text']!r}"
             for p, words in found.items() for w in words]
    assert not found, f"more than {limit} Latin words:\n" + "\n".join(lines[:80])
