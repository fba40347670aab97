"""How the pages of both editions render, measured in headless Chromium.

* **Right-to-left order.** Runs of the other direction are isolated, so nothing is
  reordered: an Arabic citation reads "(title، ¶n)" from the right, an English one
  from the left, a file name keeps its characters in order inside
  Arabic text, so do a timestamp and a number's digit groups. Checked on where the
  characters land on screen (``Range.getBoundingClientRect``), not on the markup.
* **Charts for readers.** In every chart of every report, in both editions, no two
  pieces of text overlap and no text crosses a gridline; Arabic chart labels that hold
  a number ("83 عضوًا") read right to left.
* **Type.** Prose keeps a readable measure (about 70 characters), numbers in tables
  are tabular and aligned to the end of their cell.
* **Print.** Printed on A4 (the print stylesheet, at A4's width inside its margins), no
  page is wider than the paper, and the menus and links of the screen are hidden.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_workbook.run import browser
from tests.browser import pages as probes

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

# Prose lines longer than 75 characters ("0" widths of their own font), and table
# numbers that are not tabular or not aligned to the end of their cell.
_TYPE_JS = r"""
() => {
  const zero = (el) => { const s = document.createElement("span");
    s.textContent = "0".repeat(20); s.style.visibility = "hidden";
    el.appendChild(s); const w = s.getBoundingClientRect().width / 20; s.remove(); return w; };
  const wide = [...document.querySelectorAll("main p")]
    .filter(p => !p.closest("table, footer, .wb-topbar") && p.textContent.length > 150)
    .map(p => ({text: p.textContent.slice(0, 60),
                chars: p.getBoundingClientRect().width / zero(p)}))
    .filter(x => x.chars > 75);
  const nums = [...document.querySelectorAll("td.num")].filter(td => {
    const cs = getComputedStyle(td);
    const end = cs.direction === "rtl" ? ["left", "end"] : ["right", "end"];
    return !cs.fontVariantNumeric.includes("tabular-nums") || !end.includes(cs.textAlign);
  }).map(td => td.textContent.slice(0, 40));
  return {wide, nums, n_nums: document.querySelectorAll("td.num").length};
}
"""

# On the print stylesheet at A4's printable width: how wide the page is, and what of the
# screen's controls is still shown.
_PRINT_JS = r"""
() => ({width: document.documentElement.scrollWidth,
        shown: [...document.querySelectorAll(".wb-topbar nav, .vega-embed details")]
          .filter(e => getComputedStyle(e).display !== "none").length})
"""
#: A4 is 210 mm wide; the print stylesheet's margins are 14 mm a side (96 px per inch).
A4_PRINTABLE_PX = round((210 - 2 * 14) / 25.4 * 96)

# Chart text that mixes Arabic words and digits: each must read right to left, so of
# its first Arabic word and its first number, the one written first is drawn right of
# the other. Returns [{text, first_right}].
_CHART_ORDER_JS = r"""
() => [...document.querySelectorAll(".vega-embed svg text")]
  .filter(t => /[\u0600-\u06FF]/.test(t.textContent) && /\d/.test(t.textContent))
  .map(t => {
    const node = [...t.childNodes].find(n => n.nodeType === 3) || t.firstChild;
    const text = node.textContent;
    const span = (re) => { const m = text.match(re); if (!m) return null;
      const r = document.createRange(); r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      const b = r.getBoundingClientRect(); return {at: m.index, x: b.left + b.width / 2}; };
    const word = span(/[\u0600-\u06FF]+/), num = span(/[\d][\d,.]*/);
    const [first, second] = word.at < num.at ? [word, num] : [num, word];
    return {text, first_right: first.x > second.x};
  })
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
    out: dict[str, dict] = {"charts": {}, "type": {}, "print": {}, "chart_order": {}}
    first = [sorted(published_editions[lang].glob(pattern))[0]
             for lang, pattern, _, _ in cases.values()]
    for (name, (_, _, selector, needles)), (_, page, _) in zip(
            cases.items(), probes.each_page(first), strict=True):
        out[name] = page.evaluate(_X_OF_JS, [selector, needles])
    reports = {html: lang for lang, root in published_editions.items()
               for html in browser.report_pages(root)}
    for html, page, _ in probes.each_page(reports):
        key = f"{reports[html]}/{html.name}"
        out["charts"][key] = page.evaluate(_CHART_TEXT_JS)
        if reports[html] == "ar":
            out["chart_order"][key] = page.evaluate(_CHART_ORDER_JS)
        out["type"][key] = page.evaluate(_TYPE_JS)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1100})
        page.wait_for_timeout(100)
        out["print"][key] = page.evaluate(_PRINT_JS)
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


def test_arabic_chart_text_reads_right_to_left(measured) -> None:
    mixed = [t for texts in measured["chart_order"].values() for t in texts]
    assert len(mixed) >= 5, "too few chart labels mix Arabic words and numbers"
    backwards = [t["text"] for t in mixed if not t["first_right"]]
    assert not backwards, backwards


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


def test_prose_keeps_a_readable_measure(measured) -> None:
    wide = {page: t["wide"] for page, t in measured["type"].items() if t["wide"]}
    assert not wide, wide


def test_table_numbers_are_tabular_and_aligned_to_the_end(measured) -> None:
    assert sum(t["n_nums"] for t in measured["type"].values()) > 20
    wrong = {page: t["nums"] for page, t in measured["type"].items() if t["nums"]}
    assert not wrong, wrong


def test_every_page_prints_on_a4(measured) -> None:
    wrong = {page: p for page, p in measured["print"].items()
             if p["width"] > A4_PRINTABLE_PX + 1 or p["shown"]}
    assert measured["print"] and not wrong, (A4_PRINTABLE_PX, wrong)
