"""The source pages of a real run, opened from disk in headless Chromium with no network.

Every curated figure is marked on its source page; hovering its quote or reaching it
with the Tab key shows its details card; the reports' quote links and the page's own
links land on existing files and anchors; nothing leaves the machine; the article is
right-to-left; a screenshot is taken like the other pages.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from coalition_workbook.data import load_dataset
from coalition_workbook.data.dataset import Dataset
from coalition_workbook.pages import links
from coalition_workbook.run import browser
from tests.browser import pages as probes
from tests.conftest import workbook

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def run(published_report) -> tuple[Path, Dataset]:
    """The published run folder and the dataset it was made from."""
    root = Path(published_report)
    return root / "reports" / "latest", load_dataset(root / "data" / "figures.csv")


@pytest.fixture(scope="module")
def pages(run) -> list[Path]:
    report_dir, ds = run
    found = browser.source_pages(report_dir)
    expected = sorted(report_dir / links.page_name(s) for s in ds.figures["source"].unique())
    assert found == expected, f"source pages {found}, expected {expected}"
    return found


@pytest.fixture(scope="module")
def chromium():
    with browser.launch() as b:
        context = browser.new_context(b)
        try:
            yield context
        finally:
            context.close()


def _figures_of(ds: Dataset, page: Path) -> list[dict]:
    return [f for f in ds.figures.to_dict("records") if Path(f["source"]).stem == page.stem]


def test_every_figure_is_marked_with_its_quote(chromium, run, pages) -> None:
    _, ds = run
    for html in pages:
        page, report = browser.open_report(chromium, html)
        try:
            for fig in _figures_of(ds, html):
                pieces = page.locator(f'[data-figure-id="{fig["id"]}"]')
                assert pieces.count() >= 1, f"{fig['id']} not marked"
                text = page.evaluate(
                    """(id) => [...document.querySelectorAll(`[data-figure-id="${id}"]`)]
                        .filter(e => !e.parentElement.closest(`[data-figure-id="${id}"]`))
                        .map(e => e.textContent).join('')""", fig["id"])
                assert text == fig["quote"], fig["id"]
                head = page.locator(f"#fig-{fig['id']}")
                assert head.get_attribute("tabindex") == "0"
                para = head.evaluate("e => e.closest('.para').id")
                assert para == f"p{fig['paragraph']}"
            assert not report.external_requests, report.external_requests
            assert not report.console_errors and not report.dialogs
        finally:
            page.close()


def test_hover_shows_the_details_card(chromium, run, pages) -> None:
    _, ds = run
    for html in pages:
        page, _ = browser.open_report(chromium, html)
        try:
            for fig in _figures_of(ds, html):
                tip = page.locator(f"#tip-{fig['id']}")
                page.mouse.move(0, 0)
                assert not tip.is_visible(), f"{fig['id']}: card shown before hovering"
                page.locator(f"#fig-{fig['id']}").hover()
                assert tip.is_visible(), f"{fig['id']}: no card on hover"
                shown = tip.inner_text()
                # the card names the figure by its subject, never by its id
                assert fig["attributed_to"] in shown and fig["subject_en"] in shown
                assert fig["id"] not in shown
        finally:
            page.close()


def test_keyboard_focus_reaches_every_quote_and_shows_its_card(chromium, run, pages) -> None:
    _, ds = run
    for html in pages:
        page, _ = browser.open_report(chromium, html)
        try:
            wanted = {f["id"] for f in _figures_of(ds, html)}
            reached: set[str] = set()
            for _ in range(len(wanted) * 3 + 20):
                page.keyboard.press("Tab")
                fid = page.evaluate("() => document.activeElement.dataset.figureId || ''")
                if fid:
                    reached.add(fid)
                    assert page.locator(f"#tip-{fid}").is_visible(), f"{fid}: no card on focus"
                if reached == wanted:
                    break
            assert reached == wanted, f"never focused: {sorted(wanted - reached)}"
        finally:
            page.close()


def test_the_article_is_right_to_left(chromium, pages) -> None:
    for html in pages:
        page, _ = browser.open_report(chromium, html)
        try:
            assert page.evaluate("getComputedStyle(document.querySelector('article')).direction"
                                 ) == "rtl"
            assert page.locator("article").get_attribute("lang") == "ar"
            assert probes.arabic_direction_problems(page) == []
        finally:
            page.close()


def _links(html: Path) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    out = []
    for a in soup.find_all("a", href=True):
        href = a["href"]
        if urlsplit(href).scheme:
            continue
        out.append((href, a.get_text(" ", strip=True)))
    return out


def test_links_resolve_to_existing_files_and_anchors(run, pages) -> None:
    report_dir, ds = run
    checked = 0
    ids: dict[Path, set[str]] = {}
    reports = [report_dir / f"{n}.html" for n in ("index", "summary", "trainees", "aid",
                                                  "coalition")]
    for html in [*reports, *pages]:
        for href, _ in _links(html):
            parts = urlsplit(href)
            # resolved as a browser does: lexically, not through the latest/ symlink
            target = Path(os.path.normpath(html.parent / unquote(parts.path))) if parts.path \
                else html
            assert target.is_file(), f"{html.name}: {href} -> missing {target}"
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                    ids[target] = {e["id"] for e in soup.find_all(id=True)}
                assert parts.fragment in ids[target], f"{html.name}: {href} has no anchor"
            checked += 1
    assert checked
    # Each summary note and each quote of the reports links to its mark.
    summary = {h for h, _ in _links(report_dir / "summary.html")}
    notes = BeautifulSoup((report_dir / "summary.html").read_text(encoding="utf-8"),
                          "html.parser").select("ol.wb-fn li")
    assert notes
    for li in notes:
        fid = li["id"].removeprefix("wb-fn-")
        source = ds.figures.set_index("id").at[fid, "source"]
        assert links.figure_href(source, fid) in summary, fid
    index = {h for h, _ in _links(report_dir / "index.html")}
    assert {p.relative_to(report_dir).as_posix() for p in pages} <= index


def test_a_quote_link_lands_on_its_mark(chromium, run) -> None:
    report_dir, _ = run
    page, _ = browser.open_report(chromium, report_dir / "summary.html")
    try:
        link = page.locator("a.wb-src").first
        href = link.get_attribute("href")
        link.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(href)
        target = page.evaluate("() => (document.querySelector(':target') || {}).id || ''")
        assert target == href.split("#", 1)[1]
        assert page.locator(f"#{target}").is_visible()
    finally:
        page.close()


def test_screenshots_include_the_source_pages(run, pages, tmp_path: Path) -> None:
    report_dir, _ = run
    copy = tmp_path / "latest"
    copy.mkdir()
    shutil.copy2(report_dir / "index.html", copy / "index.html")
    shutil.copytree(report_dir / "sources", copy / "sources")
    # The real command (its own Playwright: this module's browser is still open).
    done = workbook(report_dir.parent.parent, "screenshots", "--report-dir", str(copy), "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    for html in pages:
        png = copy / "screenshots" / "sources" / f"{html.stem}.png"
        assert str(png) in done.stdout
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
