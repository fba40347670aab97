"""Chart builders: tooltips with quote and qualifier on every chart, bounds marked,
a selection that needs no kernel, Arabic labels when asked, small data."""

from __future__ import annotations

import json

import altair as alt
import pytest

from coalition_workbook.data import load_dataset
from coalition_workbook.data.dataset import Dataset
from coalition_workbook.figures import labels
from coalition_workbook.pages import charts

BUILDERS = {
    "trainees": lambda ds, lang: charts.trainees_chart(ds, lang=lang),
    "vehicles": lambda ds, lang: charts.vehicles_chart(ds, lang=lang),
    "weapons": lambda ds, lang: charts.weapons_chart(ds, lang=lang),
    "coalition": lambda ds, lang: charts.coalition_chart(ds, lang=lang),
    "timeline": lambda ds, lang: charts.timeline_chart(ds, lang=lang),
}


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def spec(chart: alt.TopLevelMixin) -> dict:
    return chart.to_dict()


def layers(s: dict) -> list[dict]:
    return s.get("layer", [s])


def rows(s: dict) -> list[dict]:
    return next(iter(s["datasets"].values()))


@pytest.mark.parametrize("lang", labels.LANGS)
@pytest.mark.parametrize("name", BUILDERS)
def test_every_mark_has_quote_and_qualifier_tooltips(ds: Dataset, name: str, lang: str) -> None:
    s = spec(BUILDERS[name](ds, lang))
    for layer in layers(s):
        fields = {t["field"] for t in layer["encoding"]["tooltip"]}
        assert {"quote", "qualifier", "paragraph", "shown"} <= fields, (name, fields)
    data = rows(s)
    assert all(r["quote"].startswith("«") for r in data)
    assert set(data[0]) <= {"label", "value", "year", "shown", "share", "qualifier", "quote",
                            "paragraph", "said_by", "relation", "note"}


@pytest.mark.parametrize("name", BUILDERS)
def test_bounded_figures_get_their_own_colour(ds: Dataset, name: str) -> None:
    s = spec(BUILDERS[name](ds, "en"))
    colour = layers(s)[0]["encoding"]["color"]
    assert colour["field"] == "qualifier"
    # The legend lists exactly the qualifiers drawn, each in its fixed colour.
    drawn = {r["qualifier"] for r in rows(s)}
    assert set(colour["scale"]["domain"]) == drawn
    fixed = {labels.qualifier_name(q, "en"): c for q, c in charts.QUALIFIER_COLOURS.items()}
    assert colour["scale"]["range"] == [fixed[q] for q in colour["scale"]["domain"]]


@pytest.mark.parametrize("lang", labels.LANGS)
def test_money_axis_has_one_style_and_no_latin_suffix_in_arabic(ds: Dataset, lang: str) -> None:
    axis = layers(spec(charts.weapons_chart(ds, lang=lang)))[0]["encoding"]["x"]["axis"]
    if lang == "ar":
        assert not any(c in axis["format"] for c in "s$"), axis  # no k/M, full numbers
    else:
        assert axis["format"].endswith("~s"), axis  # "$0", "$500k": trailing zeros trimmed


def test_trainees_marks_the_lower_bound(ds: Dataset) -> None:
    data = rows(spec(charts.trainees_chart(ds)))
    bounded = [r for r in data if r["qualifier"] == "lower bound (at least)"]
    assert bounded and all(r["shown"].startswith("at least") for r in bounded)


@pytest.mark.parametrize("name", ["trainees", "vehicles", "weapons", "coalition"])
def test_selection_works_without_a_kernel(ds: Dataset, name: str) -> None:
    s = spec(BUILDERS[name](ds, "en"))
    params = [p for layer in layers(s) for p in layer.get("params", [])] + s.get("params", [])
    assert params, name
    assert all(p["select"]["type"] == "point" for p in params)
    opacity = layers(s)[0]["encoding"]["opacity"]
    assert "condition" in opacity and opacity["condition"]["param"] == params[0]["name"]


def test_arabic_labels(ds: Dataset) -> None:
    s = spec(charts.trainees_chart(ds, lang="ar"))
    assert s["title"] == labels.text("trainees_chart", "ar")
    labels_shown = {r["label"] for r in rows(s)}
    assert set(ds.forces["name_ar"]) & labels_shown
    assert layers(s)[0]["encoding"]["x"]["scale"]["reverse"] is True
    assert layers(s)[0]["encoding"]["y"]["axis"]["orient"] == "right"


def test_charts_stay_small(ds: Dataset) -> None:
    for name, build in BUILDERS.items():
        assert len(json.dumps(spec(build(ds, "ar")), ensure_ascii=False)) < 12_000, name


def test_builders_return_charts_without_displaying(ds: Dataset, capsys) -> None:
    for build in BUILDERS.values():
        assert isinstance(build(ds, "en"), alt.TopLevelMixin)
    assert capsys.readouterr().out == ""


def test_coalition_chart_lists_every_relation_of_a_figure(tables) -> None:
    """A figure in two relations (possible with another figures table) shows both."""
    rel_header, rel_rows = tables.read(tables.relations)
    figs = tables.records()
    coalition = [r["id"] for r in figs if r["category"] == "coalition"]
    subject, first_other, second_other = coalition[0], coalition[1], coalition[2]
    rows = [r for r in rel_rows if r[0] != subject]
    pad = [""] * (len(rel_header) - 4)  # optional columns (note_ar) left empty
    rows += [[subject, "conflicts_with", first_other, "", *pad],
             [subject, "conflicts_with", second_other, "", *pad]]
    tables.write(tables.relations, rel_header, rows)
    spec = charts.coalition_chart(load_dataset(tables.figures)).to_dict()
    values = next(iter(spec["datasets"].values()))
    says = labels.text("relation_conflicts_with", "en")
    name = {r["id"]: r["subject_en"] for r in figs}  # figures by their subject, never ids
    expected = f"{says} {name[first_other]}; {says} {name[second_other]}"
    assert expected in [v["relation"] for v in values]
