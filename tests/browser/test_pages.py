"""Reader-first pages in both editions, opened in headless Chromium from disk.

For the English and the Arabic edition (``tests/conftest.py::published_editions``,
run as ``make report`` runs them): every page's ``<title>`` is its h1; every
report and source page ends with a footer naming the source, the run date,
the commit and the parameters in words, whose links resolve to files of the
run; and ``index.html`` shows the headline numbers, then the reports.
Expected words come from ``labels`` and the run's own manifest, never typed.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from coalition_workbook.figures import labels
from coalition_workbook.pages import frame
from coalition_workbook.run import browser
from tests.browser import pages as probes

pytestmark = pytest.mark.browser

LANGS = ("en", "ar")


# What a page shows of itself: title, h1, direction, footer and its links, h2 ids, and
# the chart menus with their actions.
_SEEN_JS = """() => {
  const f = document.querySelector('footer.wb-footer');
  const h2 = [...document.querySelectorAll('h2')].map(h => h.id);
  return {title: document.title,
          h1: (document.querySelector('h1') || {}).innerText || '',
          dir: document.documentElement.dir || document.body.dir,
          footer: f ? f.innerText : null,
          footer_dir: f ? getComputedStyle(f).direction : null,
          links: f ? [...f.querySelectorAll('a')].map(a => a.href) : [],
          h2: h2,
          menus: document.querySelectorAll('.vega-embed details').length,
          actions: [...document.querySelectorAll('.vega-embed .vega-actions a')]
            .map(a => a.href)};
}"""


@pytest.fixture(scope="module")
def pages(published_editions) -> dict[str, dict[str, dict]]:
    """lang -> page path (relative) -> what Chromium shows: title, h1, footer, links."""
    seen: dict[str, dict[str, dict]] = {lang: {} for lang in published_editions}
    where = {html: (lang, root) for lang, root in published_editions.items()
             for html in browser.report_pages(root) + browser.source_pages(root)}
    for html, page, _ in probes.each_page(where):
        lang, root = where[html]
        seen[lang][html.relative_to(root).as_posix()] = page.evaluate(_SEEN_JS)
    return seen


@pytest.mark.parametrize("lang", LANGS)
def test_every_title_is_the_page_heading(pages, lang) -> None:
    wrong = {p: (v["title"], v["h1"]) for p, v in pages[lang].items()
             if not v["h1"] or " ".join(v["title"].split()) != " ".join(v["h1"].split())}
    assert not wrong, f"{lang}: <title> differs from h1: {wrong}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_report_and_source_page_has_the_footer(pages, published_editions, lang) -> None:
    root = published_editions[lang]
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    commit = frame.short_commit(manifest.get("commit")) or labels.text("footer_unknown", lang)
    params = manifest["parameters"]
    titles = [s.title for s in frame.run_sources(params["figures_path"], lang)]
    assert titles
    problems = []
    for path, v in pages[lang].items():
        if path == "index.html":  # its last line says when and from which commit
            continue
        text = v["footer"]
        if text is None:
            problems.append(f"{path}: no footer")
            continue
        for want in (*titles, labels.long_date(manifest["started"], lang), commit,
                     *frame.parameter_words(params, lang)):
            if want not in text:
                problems.append(f"{path}: footer lacks {want!r}")
        if v["footer_dir"] != ("rtl" if lang == "ar" else "ltr"):
            problems.append(f"{path}: footer direction {v['footer_dir']}")
        targets = [Path(unquote(urlparse(h).path)) for h in v["links"]]
        if (root / "index.html").resolve() not in {t.resolve() for t in targets}:
            problems.append(f"{path}: footer does not link index.html")
        if not any(t.parent.name == "sources" and t.suffix == ".html" for t in targets):
            problems.append(f"{path}: footer does not link a source page")
        problems += [f"{path}: footer link {t} is not a file" for t in targets if not t.is_file()]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_index_shows_headline_numbers_then_the_reports(pages, lang) -> None:
    index = pages[lang]["index.html"]
    assert index["h2"][:2] == ["headlines", "reports"], index["h2"]
    assert "run" not in index["h2"]  # the run record is run.html, linked in one line
    assert index["dir"] == ("rtl" if lang == "ar" else "ltr")
    assert index["title"] == labels.text("index_title", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_chart_menu_only_saves_the_chart(pages, lang) -> None:
    """Save as SVG or PNG (data: URLs, offline); no editor, no spec: nothing that leaves
    the page."""
    charted = {path: p for path, p in pages[lang].items() if p["menus"]}
    assert charted, "no chart menu on any page"
    for path, p in charted.items():
        assert len(p["actions"]) == 2 * p["menus"], (path, p["actions"])
        assert all(a.startswith("data:") or a.endswith("#") or a == "" for a in p["actions"]), \
            (path, p["actions"])
