"""Many articles and actors: another actor's figures get their own totals and sections,
never enter the coalition's, and every curated figure reaches a page.

The fixture (tests/fixtures/eu_health) is an article written blind about the European
Union's health aid in euros and the United States' ventilators, added to the shipped
data as an analyst would: its rows in figures.csv, its units, kind and category as rows
of the vocabulary tables.
"""

from __future__ import annotations

import csv
import functools
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coalition_workbook.data import config, load_dataset
from coalition_workbook.figures import findings, labels, metrics
from coalition_workbook.pages import display, escape_html
from coalition_workbook.pages.escaping import text_html

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "eu_health"
VOCABULARY_ROWS = {
    "units.csv": [{"unit": "eur", "label_en": "euros", "label_ar": "يورو",
                   "format_en": "€{n}", "format_ar": "{n} يورو"},
                  {"unit": "devices", "label_en": "devices", "label_ar": "جهاز",
                   "plural_ar": "أجهزة"}],
    "kinds.csv": [{"kind": "ambulance", "label_en": "Ambulances", "label_ar": "سيارات إسعاف"}],
    "categories.csv": [{"category": "aid_equipment", "label_en": "Equipment",
                        "label_ar": "المعدات"}],
}


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, header, lineterminator="\n").writerows(
            [{c: r.get(c, "") for c in header} for r in rows])


def add_second_article(data: Path) -> None:
    """Add the fixture article to a data folder as an analyst would: the text and its
    sidecar, its figure and relation rows, and its rows of the vocabularies."""
    for name in ("eu_health.txt", "eu_health.meta.yml"):
        shutil.copy(FIXTURE / name, data / "sources" / name)
    for table in ("figures.csv", "relations.csv"):
        with (FIXTURE / table).open(encoding="utf-8", newline="") as fh:
            _append(data / table, list(csv.DictReader(fh)))
    for table, rows in VOCABULARY_ROWS.items():
        _append(data / table, rows)


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple:
    """The shipped data, and a copy with the second article's figures added."""
    root = tmp_path_factory.mktemp("actors") / "data"
    shutil.copytree(config.DATA_DIR, root)
    add_second_article(root)
    return load_dataset(config.FIGURES_CSV), load_dataset(root / "figures.csv")


def _of(table: pd.DataFrame, actor: str) -> pd.DataFrame:
    return table[table["actor"] == actor].reset_index(drop=True)


def test_the_coalitions_metrics_do_not_move(both) -> None:
    shipped, added = both
    assert added.actors() == ["coalition", "united_states", "european_union"]
    pd.testing.assert_frame_equal(_of(metrics.compute_metrics(added), "coalition"),
                                  metrics.compute_metrics(shipped))


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("report", findings.REPORTS)
def test_the_coalitions_findings_do_not_move(both, report: str, lang: str) -> None:
    shipped, added = both
    assert findings.finding(report, added, lang=lang) == findings.finding(report, shipped,
                                                                          lang=lang)


def test_other_actors_get_their_own_totals_never_mixed_with_dollars(both) -> None:
    _, added = both
    table = metrics.compute_metrics(added)
    figures = added.figures.set_index("id")
    for row in table.itertuples():
        inputs = [i for i in row.inputs.split(";") if i]
        assert set(figures.loc[inputs, "actor"]) == {row.actor}, row.metric
        if row.unit != "pct":
            assert set(figures.loc[inputs, "unit"]) == {row.unit}, row.metric
    us = _of(table, "united_states").set_index("metric")
    usd = added.figures.query("actor == 'united_states' and unit == 'usd'")["value"].sum()
    assert us.at["aid_cash_usd", "value"] == usd
    eu = _of(table, "european_union").set_index("metric")
    ambulances = added.figures.query("actor == 'european_union' and unit == 'vehicles'")
    assert eu.at["vehicles_total", "value"] == ambulances["value"].sum()
    # Euros have a total of their own (the parts declared part_of their whole drop out).
    assert eu.at["aid_cash_eur", "unit"] == "eur"
    assert eu.at["aid_cash_eur", "value"] == figures.at["eu_health_since_2017", "value"]
    assert "aid_cash_usd" not in eu.index


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_each_further_actor_has_its_own_section_named_from_the_data(both, lang: str) -> None:
    _, added = both
    page = str(display.actor_sections("aid", added, lang=lang))
    for actor in ("united_states", "european_union"):
        name = labels.actor_names(actor, lang)["actor"]
        assert escape_html(name) in page
        sentence = findings.finding("aid", added, lang=lang, actor=actor)
        assert text_html(sentence) in page
    coalition = labels.actor_names("coalition", lang)["actor"]
    assert escape_html(findings.finding("aid", added, lang=lang)) not in page
    assert coalition not in page.split("<h2>", 1)[0]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_curated_figure_reaches_a_report_page(both, lang: str) -> None:
    """Some report page (its tables, another actor's sections, or the other figures)
    shows each row's quote: the source view does not count."""
    _, added = both
    main = added.for_actor()
    pages = "".join(str(v) for report in findings.REPORTS
                    for v in display.report_views(report, main, lang=lang))
    pages += "".join(str(display.actor_sections(r, added, lang=lang))
                     for r in findings.REPORTS)
    pages += str(display.other_figures(added, lang=lang))
    missing = [r.id for r in added.figures.itertuples() if escape_html(r.quote) not in pages]
    assert not missing


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_cash_shows_one_line_per_currency(both, lang: str) -> None:
    """The European Union's aid page: its euro total on a line of its own, named for the
    currency, and its finding says euros. Labels come from the project's units.csv, where
    the analyst added ``eur``."""
    _, added = both
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "DATA_DIR", added.figures_path.parent)
        page = str(display.actor_sections("aid", added, lang=lang))
        eu = added.for_actor("european_union")
        total = metrics.summed_total(eu, "aid_cash_eur", "as_lower_bound")
        said = findings.amount(total, lang=lang, unit="eur")
        line = labels.metric_label("aid_cash_eur", lang)
        finding = findings.finding("aid", added, lang=lang, actor="european_union")
        currency = labels.unit_label("eur", lang)
    assert said and text_html(said) in page and said in finding
    assert text_html(line) in page and currency in line and currency != "eur"
    assert labels.metric_label("aid_cash_usd", lang) != line


FOREIGN = st.fixed_dictionaries({
    "category": st.sampled_from(["training", "aid_vehicles", "aid_cash", "aid_weapons",
                                 "airstrikes", "troops"]),
    "value": st.integers(1, 10**7).map(float),
    "qualifier": st.sampled_from(["exact", "at_least", "at_most", "approx"]),
})
UNIT = {"training": "persons", "aid_vehicles": "vehicles", "aid_cash": "usd",
        "aid_weapons": "usd", "airstrikes": "airstrikes", "troops": "soldiers"}


@functools.cache
def _shipped() -> tuple:
    shipped = load_dataset(config.FIGURES_CSV)
    return shipped, metrics.compute_metrics(shipped)


@settings(max_examples=25, deadline=None)
@given(st.lists(FOREIGN, max_size=8), st.sampled_from(["united_states", "european_union"]),
       st.randoms(use_true_random=False))
def test_adding_another_actors_figures_or_reordering_never_moves_the_coalition(
        rows: list[dict], actor: str, rnd) -> None:
    shipped, base = _shipped()
    # Each in a slot of its own (one force, a kind of its own): no relation is needed.
    extra = pd.DataFrame([{**shipped.figures.iloc[0].to_dict(), **r, "unit": UNIT[r["category"]],
                           "actor": actor, "id": f"other_{i}", "force_id": "army",
                           "kind": f"kind_{i}", "source": "another_article.txt"}
                          for i, r in enumerate(rows)], columns=shipped.figures.columns)
    mixed = pd.concat([shipped.figures, extra], ignore_index=True)
    order = list(range(len(mixed)))
    rnd.shuffle(order)
    ds = replace(shipped, figures=mixed.iloc[order])
    pd.testing.assert_frame_equal(_of(metrics.compute_metrics(ds), "coalition"), base)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_total_of_figures_from_several_articles_says_so(lang: str) -> None:
    """As a total of mixed dates does: beside its label, in metrics.csv and its finding."""
    shipped, _ = _shipped()
    trainees = shipped.figures.query("category == 'training' and unit == 'persons'")
    other = trainees.iloc[[0]].assign(id="trainees_from_another_article", force_id="",
                                      source="another_article.txt")  # a slot of its own
    ds = replace(shipped, figures=pd.concat([shipped.figures, other]))
    total = metrics.summed_total(ds, "trainees", "as_lower_bound")
    assert total is not None
    assert sorted(total["sources"].split(";")) == sorted({*shipped.figures["source"],
                                                          "another_article.txt"})
    note = labels.mixed_sources(total, lang)
    assert note and note in findings.finding("trainees", ds, lang=lang)
    assert escape_html(note) in str(display.trainees_table(ds, lang=lang))
    alone = metrics.summed_total(shipped, "trainees", "as_lower_bound")
    assert alone is not None and alone["sources"] == ""
