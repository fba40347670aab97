"""How the pages of both editions render, measured in headless Chromium.

* **Right-to-left order.** Runs of the other direction are isolated, so nothing is
  reordered: an Arabic citation reads "(title، ¶n)" from the right, an English one
  from the left, a file name keeps its characters in order inside
  Arabic text, so do a timestamp and a number's digit groups. Checked on where the
  characters land on screen (``Range.getBoundingClientRect``), not on the markup.
* **Charts for readers.** In every chart of every report, in both editions, no two
  pieces of text overlap and no text crosses a gridline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_workbook.run import browser

pytestmark = pytest.mark.browser

# The x centre of the first (or last) occurrence of a string in an element's text.
_X_OF_JS = r"""
([selector, needles]) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const nodes = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  const text = nodes.map(n => n.textContent).join("");
  const at = (offset) => {
    for (const n of nodes) {
      if (offset < n.textContent.length) return [n, offset];
      offset -= n.textContent.length;
    }
    return null;
  };
  const out = {text};
  for (const [name, needle, last] of needles) {
    const i = last ? text.lastIndexOf(needle) : text.indexOf(needle);
    if (i < 0) { out[name] = null; continue; }
    const [sn, so] = at(i), [en, eo] = at(i + needle.length - 1);
    const r = document.createRange();
    r.setStart(sn, so); r.setEnd(en, eo + 1);
    const box = r.getBoundingClientRect();
    out[name] = box.left + box.width / 2;
  }
  return out;
}
"""

# Every chart's text boxes and gridlines: [{chart, texts: [{t, box}], grid: [box]}].
_CHART_TEXT_JS = r"""
() => [...document.querySelectorAll(".vega-embed svg")].map((svg, i) => {
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  const texts = [...svg.querySelectorAll("text")]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => ({t: t.textContent, box: box(t)}));
  const grid = [...svg.querySelectorAll(".role-axis-grid line, .role-axis-grid path")]
    .map(box);
  return {chart: i, texts, grid};
})
"""


def _overlap(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    """Whether two boxes (left, top, right, bottom) share more than ``slack`` pixels."""
    return (min(a[2], b[2]) - max(a[0], b[0]) > slack
            and min(a[3], b[3]) - max(a[1], b[1]) > slack)


def _crosses(text: list[float], line: list[float], slack: float = 0.5) -> bool:
    """Whether a gridline (a box of no width or no height) runs through a text's box."""
    return (line[0] <= text[2] - slack and line[2] >= text[0] + slack
            and line[1] <= text[3] - slack and line[3] >= text[1] + slack)


@pytest.fixture(scope="module")
def measured(published_editions: dict[str, Path]) -> dict[str, dict]:
    """What Chromium measures: reading order of the known cases, and every chart's text."""
    cases = {
        # (page, selector, needles: (name, text, from the end?))
        "cite_ar": ("ar", "trainees.html", ".wb-cite",
                    [("open", "(", False), ("pilcrow", "¶", False), ("close", ")", True),
                     ("comma", "،", False)]),
        "cite_en": ("en", "trainees.html", ".wb-cite",
                    [("open", "(", False), ("pilcrow", "¶", False), ("close", ")", True)]),
        "file_ar": ("ar", "sources/*.html", "p.meta code",
                    [("start", "000", False), ("end", "txt", True)]),
        "time_ar": ("ar", "run.html", '[data-field="started"]',
                    [("start", "20", False), ("end", "Z", True)]),
        "number_ar": ("ar", "index.html", ".wb-headlines .wb-amount",
                      [("start", "282", False), ("end", "500", True)]),
    }
    out: dict[str, dict] = {"charts": {}}
    with browser.launch() as chromium:
        context = browser.new_context(chromium)
        try:
            for name, (lang, pattern, selector, needles) in cases.items():
                path = sorted(published_editions[lang].glob(pattern))[0]
                page, _ = browser.open_report(context, path)
                try:
                    out[name] = page.evaluate(_X_OF_JS, [selector, needles])
                finally:
                    page.close()
            for lang, root in published_editions.items():
                for html in browser.report_pages(root):
                    page, _ = browser.open_report(context, html)
                    try:
                        out["charts"][f"{lang}/{html.name}"] = page.evaluate(_CHART_TEXT_JS)
                    finally:
                        page.close()
        finally:
            context.close()
    return out


def test_an_arabic_citation_reads_from_the_right(measured) -> None:
    m = measured["cite_ar"]
    assert m and None not in m.values(), m
    assert m["open"] > m["comma"] > m["pilcrow"] > m["close"], m


def test_an_english_citation_reads_from_the_left(measured) -> None:
    m = measured["cite_en"]
    assert m and None not in m.values(), m
    assert m["open"] < m["pilcrow"] < m["close"], m


@pytest.mark.parametrize("case", ["file_ar", "time_ar", "number_ar"])
def test_left_to_right_runs_keep_their_order_in_arabic_text(measured, case) -> None:
    m = measured[case]
    assert m and m["start"] is not None and m["end"] is not None, m
    assert m["start"] < m["end"], m


def test_chart_text_never_overlaps(measured) -> None:
    charts = measured["charts"]
    assert sum(len(v) for v in charts.values()) >= 6, "too few charts drawn as SVG"
    problems = []
    for page, drawn in charts.items():
        for chart in drawn:
            texts = chart["texts"]
            for i, a in enumerate(texts):
                problems += [f"{page} chart {chart['chart']}: {a['t']!r} overlaps {b['t']!r}"
                             for b in texts[i + 1:] if _overlap(a["box"], b["box"])]
                problems += [f"{page} chart {chart['chart']}: {a['t']!r} crosses a gridline"
                             for g in chart["grid"] if _crosses(a["box"], g)]
    assert not problems, "\n".join(problems[:40])
