"""What readers see on the published pages of both editions, read from the files.

On the set ``make report`` publishes (``published_editions``):

* ``run.html`` says what ``manifest.json`` says: every value cell names its place in
  the manifest (``data-field``) and holds that value; every manifest entry is shown.
* Every page's top bar resolves: the edition's title to its index, the other edition
  to the same page there, the article to its source page.
* No reader page (reports, index, source pages) shows an identifier or a tooling
  word: no figure id, no metric name, no snake_case key, no name of the machinery
  that made it. Identifiers live in anchors, data attributes and the data files.

The Arabic pages' Latin-word limits are counted in Chromium (tests/browser).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from coalition_workbook.data import reading
from coalition_workbook.figures import labels

pytestmark = pytest.mark.slow
LANGS = ("en", "ar")
#: Words of the machinery that made the pages; a reader page names none of them.
TOOLING = ("papermill", "nbclient", "nbconvert", "kernel", "fingerprint", "sha256",
           "manifest", "workers", "cell_timeout", "as_lower_bound", "dirty", "ipynb")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _seen(soup: BeautifulSoup) -> str:
    """The text a reader can meet: visible text, code included, and hover text."""
    for el in soup(["script", "style", "title"]):
        el.decompose()
    hover = " ".join(str(el["title"]) for el in soup.find_all(title=True))
    return f"{soup.get_text(' ')} {hover}"


def _reader_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*.html") if p.name != "run.html") + \
        sorted(root.glob("sources/*.html"))


def _at(manifest: dict, field: str) -> object:
    """The manifest's value at a ``data-field`` path (keys joined by dots; a key may
    hold dots itself, as file names do, so the longest matching key wins)."""
    node: object = manifest
    rest = field
    while rest:
        assert isinstance(node, dict), (field, rest)
        key = max((k for k in node if rest == k or rest.startswith(f"{k}.")), key=len,
                  default=None)
        assert key is not None, f"run.html shows {field!r}, which manifest.json lacks"
        node, rest = node[key], rest[len(key) + 1:]
    return node


@pytest.mark.parametrize("lang", LANGS)
def test_the_run_record_says_what_the_manifest_says(published_editions, lang) -> None:
    root = published_editions[lang]
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    soup = _soup(root / "run.html")
    cells = {td["data-field"]: " ".join(td.get_text(" ").split())
             for td in soup.select("[data-field]")}
    words = {True: labels.text("run_yes", lang), False: labels.text("run_no", lang)}
    wrong = []
    for field, shown in cells.items():
        value = _at(manifest, field)
        if field == "screenshots":
            want = labels.text("run_screenshots_n", lang, n=len(value))
        elif field.endswith("status"):
            want = labels.text(f"run_status_{value}", lang)
        elif isinstance(value, bool):
            want = words[value]
        elif value is None:
            want = labels.text("footer_unknown", lang)
        elif isinstance(value, dict | list):
            continue  # a mapping is shown by its own rows
        else:
            want = str(value)
        if want not in shown:
            wrong.append(f"{field}: page {shown!r}, manifest {value!r}")
    assert not wrong, "\n".join(wrong)
    shown_keys = {f.split(".")[0] for f in cells}
    assert set(manifest) - shown_keys - {"parameters", "runner", "notebooks"} == set(), \
        set(manifest) - shown_keys
    for section in ("parameters", "runner"):
        assert {f"{section}.{k}" for k in manifest[section]} <= set(cells), section
    assert {f"notebooks.{n}.seconds" for n in manifest["notebooks"]} <= set(cells)
    # the page is the manifest's, to the last screenshot and second
    assert cells["seconds"] == str(manifest["seconds"])
    assert len(soup.select(".wb-screenshots a")) == len(manifest["screenshots"]) > 0


@pytest.mark.parametrize("lang", LANGS)
def test_every_top_bar_link_resolves(published_editions, lang) -> None:
    root = published_editions[lang]
    other = published_editions["ar" if lang == "en" else "en"]
    pages = [*_reader_pages(root), root / "run.html"]
    problems = []
    for page in pages:
        bar = _soup(page).select_one("header.wb-topbar")
        if bar is None:
            problems.append(f"{page.name}: no top bar")
            continue
        # A browser resolves a relative link by its text, not through latest/'s symlink.
        targets = {a["class"][0]: Path(os.path.normpath(
            page.parent / unquote(urlparse(a["href"]).path))) for a in bar.find_all("a")}
        if targets.get("wb-home") != root / "index.html":
            problems.append(f"{page.name}: home goes to {targets.get('wb-home')}")
        same = other / page.relative_to(root)
        if targets.get("wb-edition") != same:
            problems.append(f"{page.name}: other edition goes to {targets.get('wb-edition')}")
        article = targets.get("wb-article")
        if article is None or article.parent.name != "sources" or not article.is_file():
            problems.append(f"{page.name}: article goes to {article}")
        problems += [f"{page.name}: {t} is not a file" for t in targets.values()
                     if not t.is_file()]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_no_reader_page_shows_an_identifier(published_editions, lang) -> None:
    root = published_editions[lang]
    figures = reading.read_rows(root.parents[1 if lang == "en" else 2] / "data" / "figures.csv")
    metrics = reading.read_rows(root / "metrics.csv")
    ids = {r["id"] for r in figures} | {r["metric"] for r in metrics}
    problems = []
    for page in _reader_pages(root):
        seen = _seen(_soup(page))
        found = sorted({i for i in ids if re.search(rf"\b{re.escape(i)}\b", seen)}
                       | set(SNAKE.findall(seen))
                       | {w for w in TOOLING if re.search(rf"\b{w}\b", seen, re.IGNORECASE)})
        if found:
            problems.append(f"{page.relative_to(root)}: {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_no_table_caption_repeats_its_heading(published_editions, lang) -> None:
    """A caption says what its table holds; the heading above it already says the topic."""
    repeated = []
    for page in _reader_pages(published_editions[lang]):
        last = None
        for el in _soup(page).find_all(["h1", "h2", "h3", "caption"]):
            text = " ".join(el.get_text(" ").split())
            if el.name == "caption" and text == last:
                repeated.append(f"{page.name}: {text}")
            elif el.name != "caption":
                last = text
    assert not repeated, repeated
