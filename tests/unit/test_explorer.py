"""The explorer, driven the way an analyst drives it: set widget values, read what shows.

Expected rows are computed here from the CSV files with the csv module (an
independent reading of data/), never typed in, so the tests follow the
curated data when it legitimately changes.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import re

import pytest

from coalition_workbook.data import config, load_dataset, sources
from coalition_workbook.figures import labels, metrics
from coalition_workbook.pages.display import ar
from coalition_workbook.pages.explorer import ALL, PICK, ExplorerState, build_explorer


def _read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


FIGURES = _read(config.FIGURES_CSV)
FORCES = _read(config.FORCES_CSV)
RELATIONS = _read(config.RELATIONS_CSV)
OVERLAP = {"duplicate_of", "part_of", "measures_same_as"}


def expected_ids(*, forces=None, category=ALL, text="", bounds="as_lower_bound",
                 counted_only=False):
    """Which figure ids the explorer should show, read straight from the CSVs."""
    forces = {f["force_id"] for f in FORCES} if forces is None else set(forces)
    rows = [r for r in FIGURES
            if (not r["force_id"] or r["force_id"] in forces)
            and (category == ALL or r["category"] == category)
            and (not text or text.casefold() in r["subject_en"].casefold()
                 or text.casefold() in r["quote"].casefold())]
    if counted_only:
        # Bounds go first, so an exact restatement of a bounded figure stays counted.
        rows = [r for r in rows if bounds != "exclude" or r["qualifier"] == "exact"]
        shown = {r["id"] for r in rows}
        dropped = {x["figure_id"] for x in RELATIONS
                   if x["relation"] in OVERLAP and x["other_id"] in shown}
        rows = [r for r in rows if r["id"] not in dropped]
    return [r["id"] for r in rows]


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


@pytest.fixture
def ex(ds):
    return build_explorer(ds, offline=False)


def chart_rows(explorer):
    """The rows the chart widget was given, as the browser receives them."""
    spec = explorer.chart.spec
    return next(iter(spec["datasets"].values()))


def test_defaults_show_every_force_and_the_training_figures(ex):
    assert set(ex.forces.value) == {f["force_id"] for f in FORCES}
    assert ex.category.value == "training"
    shown = list(ex.state.figures()["id"])
    assert shown == expected_ids(category="training")
    assert [r["id"] for r in chart_rows(ex)] == expected_ids(category="training",
                                                            counted_only=True)


def test_category_dropdown_offers_every_category_and_filters_by_it(ex):
    categories = list(dict.fromkeys(r["category"] for r in FIGURES))
    assert [v for _, v in ex.category.options] == [ALL, *categories]
    for category in [ALL, *categories]:
        ex.category.value = category
        assert list(ex.state.figures()["id"]) == expected_ids(category=category)
        assert {r["id"] for r in chart_rows(ex)} == set(
            expected_ids(category=category, counted_only=True))


def test_deselecting_a_force_removes_its_bars_and_rows(ex):
    # A force with a counted training figure, taken from the data.
    counted = expected_ids(category="training", counted_only=True)
    force = next(r["force_id"] for r in FIGURES if r["id"] in counted and r["force_id"])
    before = {r["id"] for r in chart_rows(ex)}
    ex.forces.value = tuple(f for f in ex.forces.value if f != force)
    after = {r["id"] for r in chart_rows(ex)}
    gone = {r["id"] for r in FIGURES if r["force_id"] == force and r["id"] in before}
    assert gone, "the chosen force had bars before"
    assert after == before - gone
    assert list(ex.state.figures()["id"]) == expected_ids(
        forces=ex.forces.value, category="training")
    for fid in gone:
        assert f'data-figure-id="{fid}"' not in ex.table.value
        assert fid not in [v for _, v in ex.figure.options]


def test_no_force_selected_keeps_only_figures_about_no_force(ex):
    ex.category.value = ALL
    ex.forces.value = ()
    shown = set(ex.state.figures()["id"])
    assert shown == {r["id"] for r in FIGURES if not r["force_id"]}


def test_bounds_exclude_drops_bounded_figures_from_the_chart(ex):
    bounded = [r for r in FIGURES if r["qualifier"] != "exact"
               and r["id"] in expected_ids(category=r["category"], counted_only=True)]
    assert bounded, "the curated data has at least one bounded figure"
    fig = bounded[0]
    ex.category.value = fig["category"]
    assert fig["id"] in {r["id"] for r in chart_rows(ex)}
    ex.bounds.value = "exclude"
    rows = chart_rows(ex)
    assert fig["id"] not in {r["id"] for r in rows}
    assert {r["qualifier"] for r in rows} <= {labels.qualifier_name("exact", "en")}
    table = ex.state.figures().set_index("id")
    assert not table.at[fig["id"], "counted"]
    assert labels.qualifier_word(fig["qualifier"], "en") in table.at[fig["id"], "why_not_counted"]


def test_overlapping_figure_is_listed_but_not_drawn(ex):
    rel = next(x for x in RELATIONS if x["relation"] in OVERLAP)
    ex.category.value = ALL
    table = ex.state.figures().set_index("id")
    assert not table.at[rel["figure_id"], "counted"]
    other = ex.state.ds.figures.set_index("id").at[rel["other_id"], "subject_en"]
    assert other in table.at[rel["figure_id"], "why_not_counted"]  # named, not by its id
    drawn = {r["id"] for r in chart_rows(ex)}
    assert rel["figure_id"] not in drawn
    assert rel["other_id"] in drawn


def test_language_switch_changes_labels_and_axis_titles(ex):
    names_en = {f["force_id"]: f["name_en"] for f in FORCES}
    names_ar = {f["force_id"]: f["name_ar"] for f in FORCES}
    force_of = {r["id"]: r["force_id"] for r in FIGURES}
    en_title = ex.chart.spec["spec"]["encoding"]["y"]["title"]
    assert all(r["label"].startswith(names_en[force_of[r["id"]]]) for r in chart_rows(ex))
    ex.lang.value = "ar"
    assert all(r["label"].startswith(names_ar[force_of[r["id"]]]) for r in chart_rows(ex))
    assert ex.chart.spec["spec"]["encoding"]["y"]["title"] != en_title
    assert 'dir="rtl" lang="ar"' in ex.table.value


def test_text_filter_matches_subject_and_arabic_quote(ex):
    ex.category.value = ALL
    word = FIGURES[0]["subject_en"].split()[0].upper()  # case must not matter
    ex.text.value = word
    assert list(ex.state.figures()["id"]) == expected_ids(text=word)
    quote_part = FIGURES[-1]["quote"].split()[-1]
    ex.text.value = quote_part
    ids = list(ex.state.figures()["id"])
    assert FIGURES[-1]["id"] in ids
    assert ids == expected_ids(text=quote_part)
    ex.text.value = "\u0000no figure says this\u0000"
    assert ex.state.figures().empty
    assert chart_rows(ex) == []


def test_picking_a_figure_shows_its_verbatim_quote_right_to_left(ex):
    fig = FIGURES[len(FIGURES) // 2]
    ex.category.value = ALL
    ex.figure.value = fig["id"]
    detail = ex.detail.value
    assert ar(fig["quote"], tag="blockquote") in detail
    cite = sources.citation(fig["source"], int(fig["paragraph"]))
    assert html.escape(cite) in detail  # names the source (short title) and ¶ = line
    assert html.escape(fig["attributed_to"]) in detail


def test_clicking_a_bar_reaches_python_and_shows_the_quote(ex):
    """Simulate what the browser sends when a bar is clicked (JupyterChart's synced state)."""
    target = chart_rows(ex)[-1]
    fig = next(r for r in FIGURES if r["id"] == target["id"])
    ex.chart._vl_selections = {PICK: {"value": {"vlPoint": {"or": [{"id": fig["id"]}]}},
                                      "store": []}}
    assert ex.state.selected_id == fig["id"]
    assert ex.figure.value == fig["id"]
    assert html.escape(fig["quote"]) in ex.detail.value
    # Still wired after the chart is rebuilt by a control change.
    ex.lang.value = "ar" if ex.lang.value == "en" else "en"
    other = chart_rows(ex)[0]["id"]
    ex.chart._vl_selections = {PICK: {"value": {"vlPoint": {"or": [{"id": other}]}},
                                      "store": []}}
    assert ex.state.selected_id == other
    ex.chart._vl_selections = {PICK: {"value": None, "store": []}}
    assert ex.state.selected_id is None


def test_chart_spec_has_tooltips_a_point_selection_and_a_row_per_unit(ds):
    state = ExplorerState(ds, category=ALL)
    spec = state.chart_spec()
    assert spec["facet"]["row"]["field"] == "unit"
    inner = spec["spec"]
    assert inner["mark"]["type"] == "bar"
    tips = {t["field"] for t in inner["encoding"]["tooltip"]}
    assert {"label", "value", "unit_label", "qualifier", "quote", "id"} <= tips
    (param,) = spec["params"]  # altair lifts a faceted chart's params to the top
    assert param["views"] == [inner["name"]]
    assert param["name"] == PICK
    assert param["select"]["type"] == "point"
    assert param["select"]["fields"] == ["id"]
    units = {r["unit"] for r in state.chart_data().to_dict("records")}
    assert units == {r["unit"] for r in FIGURES
                     if r["id"] in expected_ids(counted_only=True)}


@pytest.mark.parametrize("bounds", metrics.BOUNDS)
def test_counted_figures_are_those_figure_status_counts(ds, bounds):
    """One rule: the explorer counts exactly what the published metrics count."""
    status = metrics.figure_status(ds, bounds).set_index("id")["status"]
    every = set(status.index[status.isin(["counted", "disputed", "not_summed"])])
    table = ExplorerState(ds, category=ALL, bounds=bounds).figures()
    assert set(table.loc[table["counted"], "id"]) == every
    why = table.set_index("id")["why_not_counted"]
    assert (why[~table.set_index("id")["counted"]] != "").all()
    assert {r["id"] for r in ExplorerState(ds, category=ALL, bounds=bounds)
            .chart_data().to_dict("records")} == every
    # Everything a published total counts is drawn.
    for name in metrics.SUMMED:
        row = metrics.summed_total(ds, name, bounds)
        if row is not None:
            assert set(str(row["inputs"]).split(";")) <= every, name


def test_arabic_chart_legend_and_tooltips_are_localised(ds):
    state = ExplorerState(ds, category=ALL, lang="ar")
    inner = state.chart_spec()["spec"]
    colour = inner["encoding"]["color"]
    assert colour["title"] == labels.text("qualifier", "ar")
    shown = {r["qualifier"] for r in state.chart_data().to_dict("records")}
    # the legend names exactly the qualifiers drawn, in the fixed qualifier order
    assert colour["scale"]["domain"] == [labels.qualifier_name(q, "ar")
                                         for q in labels.QUALIFIER_NAMES["ar"]
                                         if labels.qualifier_name(q, "ar") in shown]
    assert shown
    titles = {t["field"]: t["title"] for t in inner["encoding"]["tooltip"]}
    assert titles["quote"] == labels.text("quote", "ar")
    assert titles["id"] == labels.text("figure_id", "ar")
    en = {t["field"]: t["title"] for t in
          ExplorerState(ds, category=ALL).chart_spec()["spec"]["encoding"]["tooltip"]}
    assert all(titles[k] != en[k] for k in titles)


def test_detail_and_table_escape_html(ds):
    figures = ds.figures.copy()
    first = figures.index[0]  # its spreadsheet row
    figures.loc[first, "quote"] = '<script>alert("x")</script>'
    figures.loc[first, "attributed_to"] = "A & <b>B</b>"
    state = ExplorerState(dataclasses.replace(ds, figures=figures), category=ALL)
    fid = figures.loc[first, "id"]
    detail = state.detail_html(fid)
    assert "<script>" not in detail and "&lt;script&gt;" in detail
    assert "<b>B</b>" not in detail and "A &amp; &lt;b&gt;B&lt;/b&gt;" in detail
    assert "<script>" not in state.table_html()


@pytest.mark.parametrize("field, value", [("bounds", "sometimes"), ("lang", "fr"),
                                          ("category", "no_such_category"),
                                          ("forces", ("no_such_force",))])
def test_unknown_choices_are_refused(ds, field, value):
    with pytest.raises(ValueError, match=field if field != "forces" else "force"):
        ExplorerState(ds, **{field: value})


# --- the Arabic edition: every word of the explorer is Arabic when lang="ar" ---------

LATIN = re.compile(r"[A-Za-z]{2,}")


def _visible_words(markup: str) -> str:
    """Text of markup outside <code> (identifiers are the same in every language)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<code>.*?</code>", " ", markup))


def test_arabic_state_names_every_control_and_option_in_arabic(ds):
    controls = ExplorerState(ds, lang="ar").controls()
    words = [c["description"] for c in controls.values()]
    words += [c.get("placeholder", "") for c in controls.values()]
    words += [label for c in controls.values() for label, _ in c.get("options", [])]
    assert len(controls["figure"]["options"]) > 1
    assert not [w for w in words if LATIN.search(w)]


def test_arabic_widgets_detail_and_table_are_arabic(ds):
    ex = build_explorer(ds, lang="ar", offline=False)
    for name in ("forces", "category", "bounds", "lang", "text", "figure"):
        widget = getattr(ex, name)
        assert not LATIN.search(widget.description), (name, widget.description)
        labels_shown = [o[0] if isinstance(o, tuple) else o for o in widget.options] \
            if hasattr(widget, "options") else []
        assert not [x for x in labels_shown if LATIN.search(str(x))], (name, labels_shown)
    ex.figure.value = next(v for _, v in ex.figure.options if v)  # the first figure shown
    for markup in (ex.detail.value, ex.table.value):
        assert not LATIN.findall(_visible_words(markup)), LATIN.findall(_visible_words(markup))
    assert 'dir="rtl"' in ex.detail.value


def test_switching_language_relabels_the_controls_and_keeps_the_choices(ds):
    ex = build_explorer(ds, lang="en", offline=False)
    chosen = ex.category.value
    ex.lang.value = "ar"
    assert ex.category.value == chosen
    assert ex.category.description == labels.text("explorer_category", "ar")
    ex.lang.value = "en"
    assert ex.category.description == labels.text("explorer_category", "en")
