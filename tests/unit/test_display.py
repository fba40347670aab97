"""Report views: curated text escaped, Arabic marked rtl, every number traceable."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup

from coalition_workbook.data import load_dataset, sources
from coalition_workbook.data.dataset import Dataset
from coalition_workbook.figures import labels
from coalition_workbook.pages import display
from tests.conftest import read_rows, write_rows

EVIL = "<script>alert(1)</script>"
ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def evil_ds(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The curated data with markup in a note, a subject and an attribution."""
    from coalition_workbook.data import config

    root = tmp_path_factory.mktemp("evil") / "data"
    shutil.copytree(config.DATA_DIR, root)
    # Markup goes into every note, subject and attribution, whatever their wording.
    for name, columns in (("figures.csv", ("note", "subject_en", "attributed_to")),
                          ("relations.csv", ("note",))):
        header, rows = read_rows(root / name)
        for r in rows:
            for c in columns:
                r[header.index(c)] = f"{EVIL} {r[header.index(c)]}"
        write_rows(root / name, header, rows)
    evil = load_dataset(root / "figures.csv")
    assert (evil.figures["note"].str.contains(EVIL, regex=False)).all()
    return evil


def views(ds: Dataset, lang: str) -> dict[str, str]:
    return {
        "trainees": str(display.trainees_table(ds, lang=lang)),
        "excluded": str(display.excluded_table(ds, lang=lang, bounds="exclude")),
        "aid": str(display.aid_table(ds, lang=lang)),
        "vehicles": str(display.vehicles_table(ds, lang=lang)),
        "weapons": str(display.weapons_table(ds, lang=lang)),
        "overlaps": str(display.overlaps_table(ds, lang=lang)),
        "figures": str(display.figures_table(ds, ["coalition", "troops"], lang=lang)),
        "conflicts": str(display.conflicts_table(ds, lang=lang)),
        "timeline": str(display.timeline_table(ds, lang=lang)),
        "summary": str(display.summary(ds, lang=lang)),
        "total": str(display.total_line(ds, "trainees_total", lang=lang)),
        "heading": str(display.heading("trainees_title", lang)),
    }


@pytest.mark.parametrize("lang", labels.LANGS)
def test_curated_markup_is_escaped_everywhere(evil_ds: Dataset, lang: str) -> None:
    out = views(evil_ds, lang)
    for name, html in out.items():
        assert EVIL not in html, name
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find("script") is None, name
    shown = "".join(out[n] for n in ("figures", "conflicts", "summary", "overlaps"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


@pytest.mark.parametrize("lang", labels.LANGS)
def test_every_arabic_text_is_in_an_rtl_arabic_element(ds: Dataset, lang: str) -> None:
    for name, html in views(ds, lang).items():
        soup = BeautifulSoup(html, "html.parser")
        for node in soup.find_all(string=ARABIC):
            if node.parent.name == "style":
                continue
            el = node.parent
            marked = el.find_parent(attrs={"lang": "ar"}) or (el if el.get("lang") == "ar"
                                                               else None)
            assert marked is not None and marked.get("dir") == "rtl", (name, str(node))
            assert "ar" in marked.get("class", []), (name, str(node))


def test_every_quote_of_the_trainees_is_shown(ds: Dataset) -> None:
    html = str(display.trainees_table(ds))
    for q in ds.figures.loc[ds.figures["category"] == "training", "quote"]:
        if ds.figures.loc[ds.figures["quote"] == q, "unit"].iloc[0] == "persons":
            assert f"«{q}»" in html


def test_summary_numbers_link_to_footnotes_with_quote_and_paragraph(ds: Dataset) -> None:
    soup = BeautifulSoup(str(display.summary(ds)), "html.parser")
    figures = soup.select(".wb-figure")
    assert len(figures) >= 6
    for fig in figures:
        assert "«" in fig["title"] and "¶" in fig["title"]
    notes = {li["id"]: li for li in soup.select("ol.wb-fn > li")}
    refs = [a["href"][1:] for a in soup.select("sup a")]
    assert refs and set(refs) == set(notes)
    article = (ds.sources_dir / ds.figures["source"].iloc[0]).read_text(encoding="utf-8")
    for li in notes.values():
        quote = li.select_one(".wb-quote").get_text().strip("«»")
        assert quote in article
        short = sources.short_title(ds.figures["source"].iloc[0], "en", ds.sources_dir)
        assert re.search(rf"{re.escape(short)}, ¶\d+", li.get_text())
    assert len(soup.select("ol.wb-fn blockquote")) >= 1


def test_bounds_are_marked(ds: Dataset) -> None:
    soup = BeautifulSoup(str(display.trainees_table(ds)), "html.parser")
    bounded = soup.select(".wb-bound")
    assert any("at least" in b.get_text() for b in bounded)
    ar = str(display.trainees_table(ds, lang="ar"))
    assert "أكثر من" in ar


def test_conflicts_show_both_accounts_side_by_side(ds: Dataset) -> None:
    soup = BeautifulSoup(str(display.conflicts_table(ds)), "html.parser")
    text = soup.get_text()
    rel = ds.relations[ds.relations["relation"] == "conflicts_with"]
    assert not rel.empty, "the curated data declare at least one conflict"
    f = ds.figures.set_index("id")
    for fid in [*rel["figure_id"], *rel["other_id"]]:
        assert f"{f.at[fid, 'value']:,.0f} {f.at[fid, 'unit']}" in text, fid
        assert f"«{f.at[fid, 'quote']}»" in text, fid


def test_overlap_policy_is_stated(ds: Dataset) -> None:
    html = str(display.overlaps_table(ds))
    assert labels.text("overlap_policy", "en") in html
    assert "aid_weapons_ammunition_iraqi_security_forces" in html


def test_html_view_renders_in_jupyter_and_hides_markup_in_repr() -> None:
    view = display.Html("<b>x</b>")
    assert view._repr_html_() == "<b>x</b>"
    assert "<b>" not in repr(view)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_figure_no_report_covers_is_still_listed(ds: Dataset, lang: str) -> None:
    """A category added with a new article has no report of its own: the summary lists it."""
    assert labels.text("other_figures_none", lang) in str(display.other_figures(ds, lang=lang))
    related = set(ds.relations["figure_id"]) | set(ds.relations["other_id"])
    figures = ds.figures.copy()
    moved = next(i for i, fid in figures["id"].items() if fid not in related)
    figures.loc[moved, "category"] = "reconstruction"  # a category no report covers
    other = replace(ds, figures=figures)
    page = BeautifulSoup(str(display.other_figures(other, lang=lang)), "html.parser")
    assert figures.at[moved, "quote"] in page.get_text()
    assert len(page.select("tbody tr")) == 1


def test_a_corrected_headline_figure_shows_its_correction(ds: Dataset) -> None:
    """summary's headline figures follow supersedes: the newest account leads."""
    import pandas as pd

    key = next(k for k, is_metric in display.HEADLINES if not is_metric)
    row = ds.figures[ds.figures["id"] == key].iloc[0].to_dict()
    figures = pd.concat([ds.figures, pd.DataFrame([{**row, "id": "newer_count",
                                                     "value": float(row["value"]) + 1}])],
                        ignore_index=True)
    relations = pd.concat([ds.relations, pd.DataFrame([{
        "figure_id": "newer_count", "relation": "supersedes", "other_id": key, "note": ""}])],
        ignore_index=True).fillna("")
    page = str(display.summary(replace(ds, figures=figures, relations=relations), lang="en"))
    first = BeautifulSoup(page, "html.parser").select_one("li").get_text()
    assert labels.format_number(float(row["value"]) + 1) in first


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("report", sorted(display.REPORT_CATEGORIES))
def test_a_report_lists_only_its_own_figures_left_out(ds: Dataset, report: str,
                                                      lang: str) -> None:
    """bounds=exclude: a report names the bounded figures of its own topic, in words."""
    topic = ds.figures[ds.figures["category"].isin(display.REPORT_CATEGORIES[report])]
    bounded = topic[(topic["qualifier"] != "exact")]
    html = str(display.excluded_table(ds, lang=lang, bounds="exclude", report=report))
    soup = BeautifulSoup(html, "html.parser")
    shown = [tr.find("td").get_text(" ", strip=True) for tr in soup.select("tbody tr")]
    names = {display.figure_name(ds, i, lang) for i in topic["id"]}
    assert set(shown) <= names, set(shown) - names
    others = ds.figures[~ds.figures["id"].isin(topic["id"])]
    assert not {display.figure_name(ds, i, lang) for i in others["id"]} & set(shown)
    if bounded.empty:
        assert not shown and labels.text("none_excluded_here", lang) in soup.get_text()
    text = soup.get_text(" ")
    assert "exclude" not in text and "((" not in text and "bound (" not in text
    # the default says in words that nothing is left out, and why
    default = BeautifulSoup(str(display.excluded_table(ds, lang=lang, report=report)),
                            "html.parser").get_text()
    assert default == labels.text("none_excluded", lang)


def test_the_trainees_report_leaves_out_its_bounded_figure(ds: Dataset) -> None:
    training = ds.figures[ds.figures["category"] == "training"]
    bounded = training[training["qualifier"] == "at_least"]
    assert len(bounded)  # the article's "more than 10 thousand"
    html = str(display.excluded_table(ds, bounds="exclude", report="trainees"))
    for subject in bounded["subject_en"]:
        assert subject in html


def test_each_overlap_is_told_in_the_reports_of_its_figures(ds: Dataset) -> None:
    """Every declared overlap appears on a report whose topic holds one of its figures,
    and on no other; none is lost between the reports."""
    from coalition_workbook.figures import metrics

    ov = metrics.overlaps(ds)
    assert len(ov) > 2
    category = dict(zip(ds.figures["id"], ds.figures["category"], strict=True))
    shown_anywhere = set()
    for report, cats in display.REPORT_CATEGORIES.items():
        soup = BeautifulSoup(str(display.overlaps_table(ds, report=report)), "html.parser")
        rows = soup.select("tbody tr")
        want = [r for r in ov.to_dict("records")
                if category[r["figure_id"]] in cats or category[r["other_id"]] in cats]
        assert len(rows) == len(want), report
        for row, r in zip(rows, want, strict=True):
            assert display.figure_name(ds, r["figure_id"], "en") in row.get_text(" ")
            shown_anywhere.add((r["figure_id"], r["other_id"]))
    assert shown_anywhere == set(zip(ov["figure_id"], ov["other_id"], strict=True))
