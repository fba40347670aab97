"""Open rendered reports in the system Chromium: offline checks and screenshots.

One place launches Chromium through Playwright with the flags that work here
(Debian's ``/usr/bin/chromium``; Playwright's own browser downloads are not
available), in an offline context where every request that is not ``file:``,
``data:``, ``blob:`` or ``about:`` is recorded and aborted. ``open_report``
returns the page with what it saw: external requests, console errors,
dialogs, and how many ``.vega-embed`` containers vega drew into.

Used by ``workbook screenshots``, ``workbook run --screenshots`` and the browser
tests; the tests' own probes (tooltips, clicks, text direction) live in
``tests/browser/pages.py``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.errors import BrowserError, WorkbookError
from ..data.files import atomic_write

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CHART_SELECTOR = ".vega-embed svg, .vega-embed canvas"
VIEWPORT = {"width": 1280, "height": 900}

# Chart containers: vega-embed adds .vega-embed only once it runs, so Altair's own
# output divs (id "altair-viz-...") count too, else a chart whose JS never loaded
# would not be counted at all.
CONTAINER_SELECTOR = '.vega-embed, div[id^="altair-viz-"]'
_CHARTS_JS = """
(sel) => [...document.querySelectorAll(sel)].map(e => ({
  id: e.id || '', rendered: !!e.querySelector('svg, canvas'),
  error: (e.querySelector('.error') || {}).textContent || ''}))
"""
_ALL_DRAWN_JS = """
(sel) => [...document.querySelectorAll(sel)]
  .every(e => e.querySelector('svg, canvas') || e.querySelector('.error'))
"""


def chromium_path() -> Path:
    """The system Chromium, or a BrowserError that says how to get it."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise BrowserError(f"{CHROMIUM} not found: run `make chromium` (apt-get install "
                           "chromium) or set CHROMIUM to a Chromium binary; "
                           "never `playwright install`")
    return CHROMIUM


@contextmanager
def launch() -> Iterator[Any]:
    """Yield a headless Playwright ``Browser`` on the system Chromium; closed on exit.

    Raises:
        BrowserError: If Chromium is missing or does not start.
    """
    exe = chromium_path()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is pinned
        raise BrowserError(f"playwright is not installed: {exc}; run make setup") from exc
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(exe), args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise BrowserError(f"{exe} did not start: {str(exc).splitlines()[0]}") from exc
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageReport:
    """What a report did while it loaded."""

    url: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)

    @property
    def charts_rendered(self) -> int:
        return sum(1 for c in self.charts if c["rendered"])

    @property
    def ok(self) -> bool:
        return (not self.external_requests and not self.console_errors and not self.dialogs
                and self.charts_rendered == len(self.charts))

    def summary(self) -> str:
        return (f"{self.charts_rendered}/{len(self.charts)} charts drawn, "
                f"{len(self.external_requests)} external requests, "
                f"{len(self.console_errors)} console errors, {len(self.dialogs)} dialogs")


def is_local(url: str) -> bool:
    """Whether a request URL stays on this machine (file/data/blob/about)."""
    return url.lower().startswith(LOCAL_SCHEMES)


def new_context(browser: Any) -> Any:
    """An offline browser context: non-local requests are aborted (and still recorded)."""
    context = browser.new_context(viewport=VIEWPORT, offline=True, locale="en-US")
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    return context


def open_report(context: Any, html_path: Path, *,
                timeout_ms: int = 30_000) -> tuple[Any, PageReport]:
    """Open a report via ``file://`` and wait until vega has drawn every chart.

    A chart that never draws is not an exception: it shows up as not rendered in
    the returned ``PageReport`` (with vega-embed's error text if any).

    Returns:
        ``(page, report)``; the caller closes the page.
    """
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise BrowserError(f"{html_path}: no such report")
    report = PageReport(url=html_path.as_uri())
    page = context.new_page()

    def on_request(request: Any) -> None:
        if not is_local(request.url):
            report.external_requests.append(request.url)

    def on_console(msg: Any) -> None:
        if msg.type == "error":
            report.console_errors.append(msg.text)

    def on_dialog(dialog: Any) -> None:
        report.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: report.console_errors.append(f"uncaught: {exc}"))
    page.on("dialog", on_dialog)
    page.goto(report.url, wait_until="load", timeout=timeout_ms)
    # A timeout is not raised: blank charts are reported through report.charts below.
    with contextlib.suppress(Exception):
        page.wait_for_function(_ALL_DRAWN_JS, arg=CONTAINER_SELECTOR, timeout=timeout_ms)
    report.charts = page.evaluate(_CHARTS_JS, CONTAINER_SELECTOR)
    # Vega draws asynchronously after the element appears; let the first frame land.
    page.wait_for_timeout(200)
    return page, report


def screenshot(page: Any, png_path: Path) -> Path:
    """Save a full-page PNG atomically."""
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    atomic_write(png_path, lambda tmp: page.screenshot(path=tmp, full_page=True), suffix=".png")
    return png_path


def report_pages(report_dir: Path) -> list[Path]:
    """The report HTML files of a run folder (``index.html`` last)."""
    report_dir = Path(report_dir)
    pages = sorted(p for p in report_dir.glob("*.html") if p.name != "index.html")
    index = report_dir / "index.html"
    return [*pages, index] if index.is_file() else pages


def source_pages(report_dir: Path) -> list[Path]:
    """The source pages of a run folder (``sources/*.html``)."""
    return sorted(Path(report_dir).glob("sources/*.html"))


def screenshot_reports(report_dir: Path,
                       out_dir: Path | None = None) -> list[tuple[Path, PageReport]]:
    """Open each report of ``report_dir`` offline and save ``<out_dir>/<name>.png``
    (source pages: ``<out_dir>/sources/<stem>.png``).

    Args:
        report_dir: A published run, e.g. ``reports/latest``.
        out_dir: Where the PNGs go; default ``report_dir/screenshots``.

    Returns:
        ``(png_path, PageReport)`` per report, in order.

    Raises:
        BrowserError: If Chromium is missing or there are no reports.
    """
    report_dir = Path(report_dir)
    out_dir = Path(out_dir) if out_dir else report_dir / "screenshots"
    pages = report_pages(report_dir)
    if not pages:
        # A user mistake (wrong folder, nothing published yet), not a browser failure: exit 2.
        raise WorkbookError("no *.html reports to screenshot (run `workbook run`)",
                            file=str(report_dir))
    results = []
    with launch() as browser:
        context = new_context(browser)
        try:
            for html_path in [*pages, *source_pages(report_dir)]:
                png = out_dir / html_path.relative_to(report_dir).with_suffix(".png")
                page, report = open_report(context, html_path)
                try:
                    results.append((screenshot(page, png), report))
                finally:
                    page.close()
        finally:
            context.close()
    return results
