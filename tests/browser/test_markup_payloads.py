"""Markup in curated text never runs in the shared HTML, and is shown as written.

Every free-text column of every curated table (derived from the schema: string
fields without a vocabulary, pattern or foreign key, minus ``quote`` and
``source``, which must match the article and its file) gets breakout payloads:
``</script>``, ``<!--<script>``, attribute breakouts with either quote,
``</style>``, ``<iframe srcdoc>`` and U+2028/U+2029. Each payload carries a tag
naming its column and shape; its handler would call ``alert(tag)``.

One real ``workbook run`` (both declared editions) on one project copy,
every payload at once. Each page is opened offline in Chromium, every chart is
hovered (tooltips), and then: no dialog opened, no console error, every chart
drew, no element carries an injected handler, ``<img>``, ``<svg>`` or ``<iframe>``,
and each payload appears literally in the page text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coalition_workbook.data import schema
from coalition_workbook.run import browser
from tests.browser import pages as probes
from tests.conftest import (
    BOTH_WITHOUT_SCREENSHOTS,
    copy_project,
    read_rows,
    workbook,
    write_rows,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Breakout shapes; "{k}" is the payload's tag. Each handler would call alert(tag).
SHAPES: dict[str, str] = {
    "script": "</script><img src=x onerror=alert('{k}')>",
    "comment": "<!--<script>alert('{k}')</script>-->",
    "attr_dq": "\" autofocus onfocus=alert('{k}') x=\"",
    "attr_sq": "' onmouseover=alert('{k}') x='",
    "style": "</style><svg onload=alert('{k}')>",
    "iframe": "<iframe srcdoc=\"<script>parent.alert('{k}')</script>\"></iframe>",
    "u2028": "\u2028{k}\u2029",
}
#: Not free text: a quote (and an ignored number's text) must be a verbatim span of the
#: article, a source its file name.
NOT_FREE_TEXT = {"quote", "source", "text"}
#: Columns a report of that language does not show as text (asserted, so this stays true).
#: units.nouns_ar only guides `workbook draft`; an ignored number's reason is its hover
#: title on the source page; no report names a category by its label yet.
#: Each language shows its own twin of a curated text (subject_ar, note_ar …), never the
#: other's; the Arabic noun forms of units appear in Arabic only.
_NEVER_TEXT = {"units.nouns_ar", "ignored.reason", "ignored.reason_ar", "categories.label_en",
               "categories.label_ar"}
_ARABIC_TWINS = {"figures.subject_ar", "figures.attributed_to_ar", "figures.note_ar",
                 "relations.note_ar"}
_ENGLISH_TWINS = {"figures.subject_en", "figures.attributed_to", "figures.note", "relations.note"}
_NOUN_FORMS = {"units.plural_ar", "units.accusative_ar", "units.dual_ar"}
NOT_SHOWN = {"en": _NEVER_TEXT | {"units.label_ar", "kinds.label_ar", "actors.label_ar"}
             | _ARABIC_TWINS | _NOUN_FORMS,
             "ar": _NEVER_TEXT | {"forces.name_en", "units.label_en", "kinds.label_en",
                                  "actors.label_en"}
             | _ENGLISH_TWINS}
#: Shown for some rows only: a unit's plural or dual appears where a figure's count takes
#: that form (e.g. 3-10), and an actor's name only where the actor has figures, so
#: neither "every payload shown" nor "never shown" holds.
PARTLY_SHOWN = {"en": {"actors.label_en"},
                "ar": {"units.plural_ar", "units.dual_ar", "actors.label_ar"}}
TAG = re.compile(r"alert\('([a-z0-9]+)'\)|\u2028([a-z0-9]+)\u2029")


def free_text_columns() -> list[tuple[str, str]]:
    """(table, column) for every free-text column the schema declares."""
    out = []
    for table, meta in schema.TABLES.items():
        for col in meta["fields"]:
            spec = schema.field_spec(table, col)
            cons = spec.get("constraints", {})
            if (spec["type"] == "string" and col not in NOT_FREE_TEXT
                    and not {"enum", "pattern", "foreign_key", "vocabulary"} & set(cons)):
                out.append((table, col))
    return out


@dataclass
class Payloads:
    """Tag -> (table.column, shape) and the payload text, for decoding failures."""

    where: dict[str, tuple[str, str]] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)

    def add(self, column: str, shape: str) -> str:
        tag = f"p{len(self.where)}"
        self.where[tag] = (column, shape)
        self.text[tag] = SHAPES[shape].format(k=tag)
        return tag

    def name(self, tag: str) -> str:
        column, shape = self.where.get(tag, ("?", "?"))
        return f"{column} / {shape} ({tag})"


def plant(root: Path) -> Payloads:
    """Append payloads to every free-text cell of the copy, within each column's max length.

    Each cell gets as many shapes as fit, starting after the last shape the row
    above took, so a column of a few short cells still carries every shape.
    """
    payloads = Payloads()
    tags = {(f"{t}.{c}", s): payloads.add(f"{t}.{c}", s)
            for t, c in free_text_columns() for s in SHAPES}
    for table in schema.TABLES:
        path = root / "data" / f"{table}.csv"
        header, rows = read_rows(path)
        for table_, col in free_text_columns():
            if table_ != table:
                continue
            limit = schema.field_spec(table, col).get("constraints", {}).get("max_length",
                                                                              10**6)
            k = header.index(col)
            names = list(SHAPES)
            start = 0  # each row goes on with the shape after the last one placed
            for row in rows:
                cell = row[k]
                for j in range(len(names)):
                    shape = names[(start + j) % len(names)]
                    extra = f" {payloads.text[tags[(f'{table}.{col}', shape)]]}"
                    if len(cell) + len(extra) > limit:
                        start += j
                        break
                    cell += extra
                else:
                    start += 1
                row[k] = cell
        write_rows(path, header, rows)
    return payloads


# Injected markup: handlers, images, svg, iframes; returns the outerHTML of each, cut short.
_INJECTED_JS = r"""
() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    const handlers = [...el.attributes].filter(a => a.name.startsWith('on'));
    const foreign = ['img', 'iframe'].includes(tag) ||
      (tag === 'svg' && !el.closest('.vega-embed')) ||
      (tag === 'script' && /^\s*(parent\.)?alert\(/.test(el.textContent));
    if (handlers.length || foreign || el.hasAttribute('autofocus')) {
      bad.push(el.outerHTML.slice(0, 160));
    }
  }
  return bad;
}
"""
# Text a reader sees (script/style content excluded), raw: U+2028 kept as is.
_TEXT_JS = r"""
() => {
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement || !n.parentElement.closest('script, style, noscript, template')) {
      parts.push(n.textContent);
    }
  }
  return parts.join('');
}
"""


@dataclass
class Seen:
    """What the pages of one run did."""

    problems: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)
    pages: int = 0


def visit(report_dir: Path, payloads: Payloads) -> Seen:
    seen = Seen()
    with browser.launch() as chromium:
        context = browser.new_context(chromium)
        try:
            for html in browser.report_pages(report_dir):
                page, report = browser.open_report(context, html)
                try:
                    embeds = page.locator(browser.CONTAINER_SELECTOR)
                    for i in range(embeds.count()):
                        probes.hover_tooltip(page, embeds.nth(i))
                    page.mouse.move(0, 0)
                    injected = page.evaluate(_INJECTED_JS)
                    text = page.evaluate(_TEXT_JS)
                finally:
                    page.close()
                seen.pages += 1
                name = html.name
                for d in report.dialogs:
                    tag = d.split(": ", 1)[-1]
                    seen.problems.append(f"{name}: a dialog opened: {payloads.name(tag)}")
                for e in report.console_errors:
                    seen.problems.append(f"{name}: console error: {e[:200]}")
                for c in report.charts:
                    if not c["rendered"]:
                        seen.problems.append(f"{name}: chart {c['id']} not drawn {c['error']}")
                for el in injected:
                    m = TAG.search(el)
                    who = payloads.name(m.group(1) or m.group(2)) if m else "?"
                    seen.problems.append(f"{name}: injected element from {who}: {el}")
                seen.shown |= {t for t, p in payloads.text.items() if p in text}
        finally:
            context.close()
    return seen


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Payloads, dict[str, Seen]]]:
    """One project copy with every payload planted; an English and an Arabic real run."""
    base = tmp_path_factory.mktemp("payloads")
    root = copy_project(base / "project", reports=False)
    payloads = plant(root)
    done = workbook(root, "validate")
    assert done.returncode == 0, f"planted data must validate:\n{done.stderr}"
    # both editions, as declared; this test opens every page itself
    (root / "pyproject.toml").write_text(BOTH_WITHOUT_SCREENSHOTS, encoding="utf-8")
    done = workbook(root, "run")
    assert done.returncode == 0, f"workbook run failed:\n{done.stdout}\n{done.stderr}"
    seen: dict[str, Seen] = {}
    for lang, folder in (("en", "reports"), ("ar", "reports/ar")):
        seen[lang] = visit(root / folder / "latest", payloads)
    yield payloads, seen


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_payload_runs(runs: tuple[Payloads, dict[str, Seen]], lang: str) -> None:
    _, seen = runs
    assert seen[lang].pages > 1
    assert not seen[lang].problems, "\n".join(seen[lang].problems)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_payload_is_shown_as_text(runs: tuple[Payloads, dict[str, Seen]],
                                        lang: str) -> None:
    payloads, seen = runs
    partly = PARTLY_SHOWN[lang]
    expected = {t for t, (col, _) in payloads.where.items()
                if col not in NOT_SHOWN[lang] | partly}
    missing = sorted(payloads.name(t) for t in expected - seen[lang].shown)
    assert not missing, f"{lang}: not shown literally:\n" + "\n".join(missing)
    assert not partly or {payloads.where[t][0] for t in seen[lang].shown} & partly, \
        f"PARTLY_SHOWN[{lang!r}] is stale: none of those columns is shown"
    hidden = {payloads.where[t][0] for t in set(payloads.where) - expected} - partly
    assert not {payloads.where[t][0] for t in seen[lang].shown} & hidden, \
        f"NOT_SHOWN[{lang!r}] is stale: those columns are shown now"


def test_free_text_columns_come_from_the_schema() -> None:
    """The derivation reaches the columns a reader types text into, and never the quote."""
    found = set(free_text_columns())
    assert {("figures", "subject_en"), ("figures", "attributed_to"), ("figures", "note"),
            ("forces", "name_en"), ("forces", "name_ar"), ("relations", "note")} <= found
    assert not {("figures", c) for c in NOT_FREE_TEXT} & found
