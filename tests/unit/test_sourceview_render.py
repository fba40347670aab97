"""The source page: marks nest correctly whatever the overlaps, every curated quote is
marked once with an anchor, gaps in curation are marked, curated text is escaped."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition_workbook.data import config, load_dataset
from coalition_workbook.data.dataset import Dataset
from coalition_workbook.figures import metrics
from coalition_workbook.pages import sourceview
from coalition_workbook.pages.sourceview import Mark
from tests.conftest import read_rows, write_rows

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _pieces_text(soup: BeautifulSoup, fid: str) -> str:
    return "".join(e.get_text() for e in soup.select(f'[data-figure-id="{fid}"]')
                   if not e.find_parent(attrs={"data-figure-id": fid}))


# --------------------------------------------------------------------------- marks

@st.composite
def marked_lines(draw: st.DrawFn) -> tuple[str, list[Mark]]:
    text = draw(st.text(alphabet="ab<>&\"' ١٢3عدد", min_size=1, max_size=40))
    n = draw(st.integers(min_value=0, max_value=6))
    marks = []
    for i in range(n):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        kind = draw(st.sampled_from(["figure", "figure", "ignored", "unaccounted"]))
        marks.append(Mark(start, end, kind, key=f"f{i}" if kind == "figure" else ""))
    return text, marks


class _Pieces(HTMLParser):
    """Text of a fragment, per figure id the text inside its pieces, and the heads.

    The standard library's parser, not BeautifulSoup: bs4 4.15's html.parser
    builder drops trailing whitespace, which this test must see.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.by_figure: dict[str, str] = {}
        self.heads: list[dict[str, str | None]] = []
        self.stack: list[str | None] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.stack.append(a.get("data-figure-id"))
        if a.get("id"):
            self.heads.append(a)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self.balanced = False
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for fid in set(self.stack) - {None}:
            self.by_figure[fid] = self.by_figure.get(fid, "") + data


@settings(max_examples=300, deadline=None)
@given(marked_lines())
def test_overlapping_and_nested_marks_render_as_nested_elements(case) -> None:
    text, marks = case
    out = sourceview.render_marked(text, marks)
    parsed = _Pieces()
    parsed.feed(out)
    parsed.close()
    assert parsed.balanced and not parsed.stack
    assert parsed.text == text  # no text lost, added or unescaped into markup
    for m in marks:
        if m.kind != "figure":
            continue
        heads = [h for h in parsed.heads if h["id"] == f"fig-{m.key}"]
        assert len(heads) == 1 and heads[0]["tabindex"] == "0"
        assert heads[0]["data-figure-id"] == m.key
        assert parsed.by_figure[m.key] == text[m.start:m.end]


def test_a_nested_quote_stays_inside_its_outer_quote() -> None:
    text = "قال أكثر من 10 آلاف منتسب"
    outer = Mark(4, len(text), "figure", "outer")
    inner = Mark(text.index("10"), text.index("10") + len("10 آلاف"), "figure", "inner")
    soup = BeautifulSoup(sourceview.render_marked(text, [inner, outer]), "html.parser")
    assert soup.select_one("#fig-outer #fig-inner") is not None
    assert not soup.select(".cont")  # nesting needs no split


def test_crossing_quotes_split_the_later_one() -> None:
    soup = BeautifulSoup(sourceview.render_marked("abcdef", [
        Mark(0, 4, "figure", "x"), Mark(2, 6, "figure", "y")]), "html.parser")
    assert [e.get_text() for e in soup.select('[data-figure-id="y"]')] == ["cd", "ef"]
    assert soup.select('[data-figure-id="y"]')[1]["class"] == ["fig", "cont"]


def test_number_spans_point_at_the_original_characters() -> None:
    line = "بلغ الـ٣ ألفًا و17 لواءًا"  # tatweel, diacritics and Arabic-Indic digits
    spans = sourceview.number_spans(line)
    assert [line[s:e] for s, e, _ in spans] == [t for _, _, t in spans]
    assert any("٣" in t for _, _, t in spans) and any("17" in t for _, _, t in spans)


# --------------------------------------------------------------------------- the page

def test_every_curated_quote_is_marked_once_at_its_paragraph(ds: Dataset,
                                                            tmp_path: Path) -> None:
    (page,) = sourceview.write_source_pages(tmp_path, ds, metrics.compute_metrics(ds))
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for fig in ds.figures.to_dict("records"):
        head = soup.select_one(f"#fig-{fig['id']}")
        assert head is not None, fig["id"]
        assert _pieces_text(soup, fig["id"]) == fig["quote"]
        assert head.find_parent(class_="para")["id"] == f"p{fig['paragraph']}"
        tip = soup.select_one(f"#tip-{fig['id']}")
        assert head["aria-describedby"] == tip["id"]
        assert fig["attributed_to"] in tip.get_text()
    article = soup.select_one("article")
    assert (article["dir"], article["lang"]) == ("rtl", "ar")
    paragraphs = soup.select("article .para")
    text = sourceview.read_source(ds.sources_dir / f"{page.stem}.txt")
    assert [p["id"] for p in paragraphs] == [f"p{n}" for n in
                                             range(1, len(sourceview.paragraphs(text)) + 1)]
    assert [p.select_one("p").get_text() for p in paragraphs] == sourceview.paragraphs(text)
    meta = sourceview.read_sidecar(ds.sources_dir / f"{page.stem}.txt")
    # The heading (and the <title>) is in the page's language, the other title under it.
    assert soup.select_one("h1").get_text() == meta["title_en"] == soup.title.get_text()
    assert soup.select_one(".subtitle").get_text() == meta["title_ar"]
    assert not soup.find("script")
    assert not soup.select("[src]")


def test_metrics_that_use_a_figure_are_listed_with_links(ds: Dataset, tmp_path: Path) -> None:
    table = metrics.compute_metrics(ds)
    (tmp_path / "trainees.html").write_text("<p>report</p>", encoding="utf-8")
    (page,) = sourceview.write_source_pages(tmp_path, ds, table)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    used = sourceview.metrics_by_figure(table)
    fid = next(i for i in table["inputs"].iloc[0].split(";"))  # an input of the first metric
    assert used[fid]
    links = {a["href"] for a in soup.select(f"#tip-{fid} a[href]")}
    assert links == {"../trainees.html"}, links
    unused = [f for f in ds.figures["id"] if f not in used]
    for f in unused:
        assert not soup.select(f"#tip-{f} a")


def _dataset_with(tmp_path: Path, *, note: str = "", ignored: list[list[str]] | None = None,
                  drop_one: bool = False) -> Dataset:
    """A copy of data/ (without its ignored.csv) with a note set on every figure, the given
    ignored entries, and one figure left out if ``drop_one`` (a gap in curation)."""
    root = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, root, dirs_exist_ok=True)
    (root / "ignored.csv").unlink(missing_ok=True)
    header, rows = read_rows(root / "figures.csv")
    if note:
        for r in rows:
            r[header.index("note")] = note
    if drop_one:
        lone = _lone_figure(root, header, rows)
        rows = [r for r in rows if r is not lone]
    write_rows(root / "figures.csv", header, rows)
    if ignored is not None:
        write_rows(root / "ignored.csv", ["source", "paragraph", "text", "reason"], ignored)
    return load_dataset(root / "figures.csv")


def _lone_figure(root: Path, header: list[str], rows: list[list[str]]) -> list[str]:
    """A figure no relation names whose quote no other quote of its paragraph overlaps."""
    in_relations = {c for r in read_rows(root / "relations.csv")[1] for c in r}
    col = {h: i for i, h in enumerate(header)}

    def alone(r: list[str]) -> bool:
        return not any(o is not r and o[col["paragraph"]] == r[col["paragraph"]]
                       and (o[col["quote"]] in r[col["quote"]]
                            or r[col["quote"]] in o[col["quote"]]) for o in rows)

    return next(r for r in rows if r[col["id"]] not in in_relations and alone(r))


def _unaccounted(ds: Dataset) -> list[tuple[int, str]]:
    """(paragraph, text) of every number no curated quote covers, read independently."""
    text = sourceview.read_source(ds.sources_dir / ds.figures["source"].iloc[0])
    out = []
    for n, line in enumerate(sourceview.paragraphs(text), start=1):
        quotes = [q for q in ds.figures.loc[ds.figures["paragraph"] == n, "quote"]]
        spans = [(line.find(q), line.find(q) + len(q)) for q in quotes]
        for s, e, t in sourceview.number_spans(line):
            if not any(s < qe and qs < e for qs, qe in spans):
                out.append((n, t))
    return out


def test_unaccounted_numbers_are_marked_and_ignored_ones_differently(tmp_path: Path) -> None:
    ds = _dataset_with(tmp_path, drop_one=True)
    gaps = _unaccounted(ds)
    assert gaps, "a figure was left out, so one number at least is not accounted for"
    (page,) = sourceview.write_source_pages(tmp_path / "out", ds)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    marked = [(int(e.find_parent(class_="para")["id"][1:]), e.get_text())
              for e in soup.select("article .num-unaccounted")]
    assert marked == gaps
    assert soup.select(".legend .num-unaccounted") and soup.select(".legend .num-ignored")

    n, gap = gaps[0]
    source = ds.figures["source"].iloc[0]
    ignoring = _dataset_with(tmp_path / "b", ignored=[[source, str(n), gap, "a test reason"]],
                             drop_one=True)
    (page,) = sourceview.write_source_pages(tmp_path / "out2", ignoring)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    ignored = soup.select(f"#p{n} .num-ignored")
    assert [e.get_text() for e in ignored] == [gap]
    assert "a test reason" in ignored[0]["title"]
    assert len(soup.select("article .num-unaccounted")) == len(gaps) - 1


def test_a_figure_removed_from_curation_shows_up_as_a_gap(tmp_path: Path) -> None:
    header, rows = read_rows(config.FIGURES_CSV)
    dropped = _lone_figure(config.DATA_DIR, header, rows)
    ds = _dataset_with(tmp_path, drop_one=True)
    assert dropped[0] not in set(ds.figures["id"])
    (page,) = sourceview.write_source_pages(tmp_path / "out", ds)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    para = soup.select_one(f"#p{dropped[header.index('paragraph')]}")
    quote = dropped[header.index("quote")]
    assert any(e.get_text() in quote or quote in e.get_text()
               for e in para.select(".num-unaccounted")), quote


def test_curated_markup_shows_as_text(tmp_path: Path) -> None:
    ds = _dataset_with(tmp_path, note=EVIL)
    (page,) = sourceview.write_source_pages(tmp_path / "out", ds)
    html = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find("script")
    assert EVIL in soup.select_one(".tip").get_text()


def test_the_page_speaks_the_run_language(ds: Dataset, tmp_path: Path) -> None:
    pages = {lang: sourceview.write_source_pages(tmp_path / lang, ds, lang=lang)[0]
             for lang in ("en", "ar")}
    en = BeautifulSoup(pages["en"].read_text(encoding="utf-8"), "html.parser")
    ar = BeautifulSoup(pages["ar"].read_text(encoding="utf-8"), "html.parser")
    assert (en.html["lang"], en.html["dir"]) == ("en", "ltr")
    assert (ar.html["lang"], ar.html["dir"]) == ("ar", "rtl")
    assert en.select_one(".legend").get_text() != ar.select_one(".legend").get_text()
    assert [p.get_text() for p in en.select("article .para > p")] == [
        p.get_text() for p in ar.select("article .para > p")]  # the article is not translated
