"""The shared HTML reports, opened from disk in headless Chromium with no network.

Each report is opened once via ``file://`` in an offline browser context (one
browser for the whole module) and everything is recorded in that single visit:
requests that leave the machine, console errors, dialogs, whether vega drew
every chart, Arabic text that is not right-to-left, a screenshot, and the
tooltip shown when each chart's marks are hovered. The tests below then assert
on those records, naming the report, the chart and the element that fail.

Reports come from the session fixture ``published_report`` in tests/conftest.py
when it exists (the runner's real output); otherwise this module renders its
own fixture notebook (tests/fixtures/notebooks/charts_ar.ipynb), so the checks
of html_export and browser never depend on the runner. ``WORKBOOK_REPORT_DIR``
overrides both.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coalition_workbook.pages.html_export import MAX_REPORT_BYTES, export_notebook
from coalition_workbook.pages.landing import write_index
from coalition_workbook.run import browser
from tests.browser import pages as probes

pytestmark = pytest.mark.browser

FIXTURE_NB = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "charts_ar.ipynb"
EVIL = "<script>alert(1)</script>"


@dataclass
class Visit:
    """What one report did in the browser."""

    html: Path
    page: browser.PageReport
    arabic_problems: list[dict] = field(default_factory=list)
    tooltips: dict[str, str] = field(default_factory=dict)   # chart id -> tooltip text
    reacts: dict[str, bool] = field(default_factory=dict)    # chart id -> click changed it
    screenshot: Path | None = None
    body_text: str = ""


def _own_report(tmp_path_factory) -> Path:
    """A report folder rendered here from the fixture notebook, with an index."""
    out = tmp_path_factory.mktemp("reports") / "latest"
    export_notebook(FIXTURE_NB, out / "charts_ar.html")
    write_index(out, {"run_id": "fixture", "parameters": {"lang": "en"},
                      "notebooks": {"charts_ar": {"status": "ok", "seconds": 0.0}}})
    return out


@pytest.fixture(scope="module")
def report_dir(request, tmp_path_factory) -> Path:
    """The folder of HTML reports under test.

    ``WORKBOOK_REPORT_DIR`` points the tests at an existing folder, e.g. after
    ``make report``: ``WORKBOOK_REPORT_DIR=reports/latest pytest -m browser``.
    """
    if os.environ.get("WORKBOOK_REPORT_DIR"):
        return Path(os.environ["WORKBOOK_REPORT_DIR"]).resolve()
    try:
        published = request.getfixturevalue("published_report")
    except pytest.FixtureLookupError:
        return _own_report(tmp_path_factory)
    root = Path(published)  # a project copy whose reports/latest holds a real run
    return root / "reports" / "latest" if (root / "reports" / "latest").is_dir() else root


@pytest.fixture(scope="module")
def visits(report_dir) -> dict[str, Visit]:
    """Open every report once, offline, and record everything the tests check."""
    pages = browser.report_pages(report_dir)  # the reports, then index.html
    assert [p for p in pages if p.name != "index.html"], f"no reports in {report_dir}"
    results: dict[str, Visit] = {}
    for html, page, report in probes.each_page(pages):
        visit = Visit(html=html, page=report)
        visit.arabic_problems = probes.arabic_direction_problems(page)
        visit.body_text = page.inner_text("body")
        visit.screenshot = browser.screenshot(
            page, report_dir / "screenshots" / f"{html.stem}.png")
        embeds = page.locator(browser.CONTAINER_SELECTOR)
        for i in range(embeds.count()):
            chart_id = embeds.nth(i).get_attribute("id") or f"chart {i + 1}"
            visit.tooltips[chart_id] = probes.hover_tooltip(page, embeds.nth(i))
            visit.reacts[chart_id] = probes.click_changes_chart(page, embeds.nth(i))
        results[html.stem] = visit
    return results


def _fail_lines(visits: dict[str, Visit], problems) -> list[str]:
    return [f"{name}.html: {p}" for name, v in visits.items() for p in problems(v)]


def test_no_request_leaves_the_machine(visits):
    bad = _fail_lines(visits, lambda v: v.page.external_requests)
    assert not bad, "external requests:\n" + "\n".join(bad)


def test_no_console_errors(visits):
    bad = _fail_lines(visits, lambda v: v.page.console_errors)
    assert not bad, "console errors:\n" + "\n".join(bad)


def test_every_chart_is_drawn_by_vega(visits):
    bad = _fail_lines(visits, lambda v: [f"{c['id']} not drawn {c['error']}".strip()
                                         for c in v.page.charts if not c["rendered"]])
    assert not bad, "\n".join(bad)
    assert sum(len(v.page.charts) for v in visits.values()) > 0, "no chart in any report"


def test_hovering_a_mark_shows_its_tooltip(visits):
    bad = _fail_lines(visits, lambda v: [f"{cid}: no tooltip on hover"
                                         for cid, text in v.tooltips.items() if not text])
    assert not bad, "\n".join(bad)


def test_a_selection_works_in_the_html_alone(visits):
    reacting = [f"{name}.html {cid}" for name, v in visits.items()
                for cid, changed in v.reacts.items() if changed]
    assert reacting, "no chart in any report changes when a mark is clicked"


def test_arabic_text_is_right_to_left(visits):
    bad = _fail_lines(visits, lambda v: [
        f"{p['path']}: «{p['text']}» direction={p['direction']} lang={p['lang']}"
        for p in v.arabic_problems])
    assert not bad, "Arabic outside an rtl, lang=ar element:\n" + "\n".join(bad)


def test_markup_in_curated_text_shows_as_text_and_runs_nothing(visits):
    dialogs = _fail_lines(visits, lambda v: v.page.dialogs)
    assert not dialogs, "a dialog opened:\n" + "\n".join(dialogs)
    shown = [name for name, v in visits.items() if EVIL in v.body_text]
    assert shown, f"the literal {EVIL} is not visible in any report"


def test_each_report_is_within_the_size_target(visits):
    sizes = {name: v.html.stat().st_size for name, v in visits.items()}
    big = {n: s for n, s in sizes.items() if s > MAX_REPORT_BYTES}
    assert not big, f"over {MAX_REPORT_BYTES} bytes: {big}"


def test_screenshot_saved_for_each_report(visits, report_dir):
    for name, v in visits.items():
        assert v.screenshot == report_dir / "screenshots" / f"{name}.png"
        assert v.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_index_lists_every_report(visits, report_dir):
    index = report_dir / "index.html"
    assert index.is_file(), f"{index} missing"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in soup.find_all("a", href=True)}
    missing = sorted(f"{name}.html" for name in visits
                     if name != "index" and f"{name}.html" not in links)
    assert not missing, f"index.html does not link {missing}"
    assert soup.find("script") is None
    assert not [t for t in soup.find_all(src=True) if re.match(r"(https?:)?//", t["src"])]
