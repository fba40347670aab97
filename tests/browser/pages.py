"""Probes the browser tests use on an open report page: text direction, tooltips, clicks.

Test-only; the library's ``browser`` module launches Chromium and opens reports.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from coalition_workbook.run import browser

TOOLTIP_SELECTOR = "#vg-tooltip-element"


def each_page(paths: Iterable[Path]) -> Iterator[tuple[Path, Any, Any]]:
    """Open each page once, offline, in one Chromium: ``(path, page, PageReport)``; each
    page is closed when the loop moves on, the browser when it ends."""
    with browser.launch() as chromium:
        context = browser.new_context(chromium)
        try:
            for html in paths:
                page, report = browser.open_report(context, html)
                try:
                    yield html, page, report
                finally:
                    page.close()
        finally:
            context.close()

# Text nodes with Arabic letters outside charts, whose element is not right-to-left
# or whose nearest lang attribute is not "ar". Returns [{text, path, direction, lang}].
_ARABIC_DIRECTION_JS = r"""
() => {
  const arabic = /[\u0600-\u06FF]/;
  const skip = "script, style, .vega-embed, #vg-tooltip-element, title";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 6; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) s += "#" + e.id.slice(0, 30);
      else if (e.classList.length) s += "." + [...e.classList].slice(0, 2).join(".");
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  const bad = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!arabic.test(n.textContent)) continue;
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    const direction = getComputedStyle(el).direction;
    const langEl = el.closest("[lang]");
    const lang = langEl ? langEl.getAttribute("lang") : null;
    if (direction !== "rtl" || !(lang === "ar" || (lang || "").startsWith("ar-"))) {
      bad.push({text: n.textContent.trim().slice(0, 80), path: path(el), direction, lang});
    }
  }
  return bad;
}
"""


def arabic_direction_problems(page: Any) -> list[dict]:
    """Arabic text outside charts that is not in an rtl element with ``lang="ar"``."""
    return page.evaluate(_ARABIC_DIRECTION_JS)


def find_mark(page: Any, embed: Any, *, max_points: int = 600) -> tuple[float, float, str] | None:
    """Hover a chart until vega's tooltip shows; return ``(x, y, tooltip text)`` or None.

    Works for both renderers: SVG marks are hovered at their centres first, then
    (for canvas, or marks too small to hit) the drawing is swept on a grid of at
    most ``max_points`` points.
    """
    tooltip = page.locator(TOOLTIP_SELECTOR)

    def shown() -> str:
        if tooltip.count() and tooltip.first.is_visible():
            return tooltip.first.inner_text().strip()
        return ""

    drawn = embed.locator("svg, canvas")
    if not drawn.count():
        return None
    embed.scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # leave any other chart, so its tooltip hides
    with contextlib.suppress(Exception):
        page.wait_for_function(
            "(s) => { const t = document.querySelector(s);"
            " return !t || !t.classList.contains('visible') }",
            arg=TOOLTIP_SELECTOR, timeout=2000)
    points: list[tuple[float, float]] = []
    marks = embed.locator("svg g.mark-rect > path, svg g.mark-symbol > path, "
                          "svg g.mark-arc > path, svg g.mark-area > path, svg g.mark-text > text")
    for i in range(min(marks.count(), 30)):
        box = marks.nth(i).bounding_box()
        if box and box["width"] > 0 and box["height"] > 0:
            points.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    box = drawn.first.bounding_box()
    if box:
        step = max(6, int((box["width"] * box["height"] / max_points) ** 0.5) + 1)
        ys = range(int(box["y"]) + step // 2, int(box["y"] + box["height"]), step)
        xs = range(int(box["x"]) + step // 2, int(box["x"] + box["width"]), step)
        points += [(x, y) for y in ys for x in xs]
    for x, y in points:
        page.mouse.move(x, y)
        text = shown()
        if text:
            return x, y, text
    return None


def hover_tooltip(page: Any, embed: Any) -> str:
    """The tooltip text a chart shows when one of its marks is hovered ("" if none)."""
    hit = find_mark(page, embed)
    return hit[2] if hit else ""


_CHART_STATE_JS = """
(el) => { const s = el.querySelector('svg'); if (s) return s.innerHTML;
          const c = el.querySelector('canvas'); return c ? c.toDataURL() : ''; }
"""


def click_changes_chart(page: Any, embed: Any) -> bool:
    """Whether clicking a mark, or else a legend entry (SVG), changes the drawing.

    A change means a selection or filter reacted in the page alone, no kernel.
    """
    hit = find_mark(page, embed)
    if not hit:
        return False
    before = embed.evaluate(_CHART_STATE_JS)
    page.mouse.click(hit[0], hit[1])
    page.wait_for_timeout(150)
    if embed.evaluate(_CHART_STATE_JS) != before:
        return True
    symbols = embed.locator("svg g.role-legend-symbol path")
    for i in range(min(symbols.count(), 8)):
        box = symbols.nth(i).bounding_box()
        if not box:
            continue
        before = embed.evaluate(_CHART_STATE_JS)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(150)
        if embed.evaluate(_CHART_STATE_JS) != before:
            return True
    return False


# Latin-script words a reader sees on a page (a word: a run of non-space characters
# holding a Latin letter, so "b4c28cd" and "metrics.csv" are one word each): text
# nodes of the body, code included (hidden hover cards too: they show on hover), SVG
# chart text, and title attributes (hover text). Returns [{word, text, path}].
_LATIN_WORDS_JS = r"""
() => {
  const latin = /[^\s]*[A-Za-z][^\s]*/g;
  const skip = "script, style, .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt";
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 5; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) s += "#" + e.id.slice(0, 30);
      else if (e.classList && e.classList.length) s += "." + [...e.classList].slice(0, 2).join(".");
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  const out = [];
  const add = (text, el) => {
    for (const m of (text || "").matchAll(latin)) {
      out.push({word: m[0], text: text.trim().slice(0, 100), path: path(el)});
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    add(n.textContent, el);
  }
  for (const el of document.body.querySelectorAll("[title]")) {
    if (!el.closest(skip)) add(el.getAttribute("title"), el);
  }
  return out;
}
"""


def latin_words(page: Any) -> list[dict]:
    """Latin-script words a reader sees, code included: ``[{word, text, path}]``."""
    return page.evaluate(_LATIN_WORDS_JS)
