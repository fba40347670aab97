"""Each report's finding follows the data: numbers, qualifier words, ranges, missing inputs.

No article number is typed here: expected values come from ``metrics`` on the
loaded tables, and changed data are made by editing a copy of the loaded
figures (``dataclasses.replace``), so the tests hold when curation changes.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from coalition_workbook.data.dataset import Dataset, load_dataset
from coalition_workbook.figures import findings, labels, metrics
from coalition_workbook.pages import display


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def _with(ds: Dataset, **changes) -> Dataset:
    return replace(ds, **changes)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("report", findings.REPORTS)
def test_every_report_has_a_sentence_in_both_languages(ds, report, lang) -> None:
    s = findings.finding(report, ds, lang=lang)
    assert s and s.endswith(".") and "{" not in s
    if lang == "ar":
        assert any("\u0600" <= c <= "\u06ff" for c in s)


def test_trainees_sentence_states_the_computed_total_and_top_force(ds) -> None:
    total = metrics.summed_total(ds, "trainees")
    top = metrics.trainees_by_force(ds).sort_values("trainees_count", ascending=False).iloc[0]
    s = findings.finding("trainees", ds, lang="en")
    assert labels.format_number(total["value"]) in s
    assert str(top["name_en"]) in s
    assert str(top["name_ar"]) in findings.finding("trainees", ds, lang="ar")


def test_the_sentence_changes_when_the_data_change(ds) -> None:
    before = findings.finding("trainees", ds, lang="en")
    figures = ds.figures.copy()
    training = figures["category"] == "training"
    figures.loc[training, "value"] = figures.loc[training, "value"] * 3
    changed = _with(ds, figures=figures)
    after = findings.finding("trainees", changed, lang="en")
    assert after != before
    assert labels.format_number(metrics.summed_total(changed, "trainees")["value"]) in after


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_lower_bound_total_says_at_least(ds, lang) -> None:
    total = metrics.summed_total(ds, "trainees")
    word = labels.qualifier_word("at_least", lang)
    figures = ds.figures.copy()
    training = figures["category"] == "training"
    figures.loc[training, "qualifier"] = "at_least"
    bounded = findings.finding("trainees", _with(ds, figures=figures), lang=lang)
    assert f"{word} {labels.format_number(total['value'])}" in bounded
    figures.loc[training, "qualifier"] = "exact"
    exact = findings.finding("trainees", _with(ds, figures=figures), lang=lang)
    assert word not in exact


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_metric_with_no_input_says_so_instead_of_a_number(ds, lang) -> None:
    no_training = _with(ds, figures=ds.figures[ds.figures["category"] != "training"])
    assert findings.finding("trainees", no_training, lang=lang) == \
        labels.actor_text("finding_trainees_none", lang, "coalition")
    # A kind of aid the figures never mention is left out, not called "unstated".
    no_cash = _with(ds, figures=ds.figures[ds.figures["category"] != "aid_cash"])
    said = findings.finding("aid", no_cash, lang=lang)
    cash = metrics.summed_total(ds, "aid_cash", "as_lower_bound")
    assert cash is not None and findings.amount(cash, lang=lang, unit="usd") not in said
    assert labels.text("finding_cash_none", lang) not in said
    assert findings.amount(metrics.summed_total(ds, "vehicles", "as_lower_bound"), lang=lang,
                           unit="vehicles") in said


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_metric_left_out_by_bounds_is_not_called_unstated(ds, lang) -> None:
    """Under bounds=exclude a metric given only as a bound is left out, not 'not stated'."""
    figures = ds.figures.copy()
    strikes = figures["category"] == "airstrikes"
    assert strikes.any()
    figures.loc[strikes, "qualifier"] = "at_least"
    bounded = _with(ds, figures=figures)
    said = findings.finding("coalition", bounded, lang=lang, bounds="exclude")
    assert labels.text("finding_airstrikes_excluded", lang) in said
    assert labels.text("finding_airstrikes_none", lang) not in said
    kept = findings.finding("coalition", bounded, lang=lang, bounds="as_lower_bound")
    assert labels.text("finding_airstrikes_excluded", lang) not in kept


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_disputed_amount_reads_between(lang) -> None:
    low, high = 1234.0, 5678.0
    said = findings.amount({"value": low, "value_high": high, "qualifier": "exact"}, lang=lang)
    assert said == labels.text("between", lang, low=labels.format_number(low),
                               high=labels.format_number(high))
    single = findings.amount({"value": low, "value_high": math.nan, "qualifier": "approx"},
                             lang=lang)
    assert single == f"{labels.qualifier_word('approx', lang)} {labels.format_number(low)}"


def test_conflicting_size_figures_give_a_range(ds) -> None:
    cf = metrics.conflicts(ds)
    size = set(ds.figures.loc[ds.figures["category"] == "coalition", "id"])
    cf = cf[cf["id_a"].isin(size) & cf["id_b"].isin(size)]
    if cf.empty:
        pytest.skip("no conflicting coalition-size figures in the data")
    s = findings.finding("coalition", ds, lang="en")
    lo, hi = sorted([cf.iloc[0]["value_a"], cf.iloc[0]["value_b"]])
    assert "between" in s
    assert s.index(labels.format_number(lo)) < s.index(labels.format_number(hi))


def test_money_uses_the_language_currency_style(ds) -> None:
    cash = metrics.summed_total(ds, "aid_cash")
    n = labels.format_number(cash["value"])
    assert f"US${n}" in findings.finding("aid", ds, lang="en")
    assert f"{n} {labels.unit_label('usd', 'ar')}" in findings.finding("aid", ds, lang="ar")


def test_show_escapes_and_marks_arabic(ds) -> None:
    figures = ds.figures.copy()
    forces = ds.forces.copy()
    forces["name_en"] = "<script>x</script>"
    html = str(display.finding("trainees", _with(ds, figures=figures, forces=forces), lang="en"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'dir="rtl" lang="ar"' in str(display.finding("trainees", ds, lang="ar"))


def test_unknown_report_is_refused(ds) -> None:
    with pytest.raises(ValueError, match="report must be one of"):
        findings.finding("explore", ds)


def test_arabic_nouns_in_findings_agree_with_the_computed_number(ds) -> None:
    """The counted noun follows the total (labels.counted_noun), never a fixed word."""
    figures = ds.figures.copy()
    vehicles = figures.index[figures["category"] == "aid_vehicles"]
    assert len(vehicles)
    for n in (5, 83, 100):
        figures.loc[vehicles, "value"] = 0.0
        figures.loc[vehicles[0], "value"] = float(n)
        said = findings.finding("aid", _with(ds, figures=figures), lang="ar")
        assert f"{n} {labels.counted_noun('vehicles', n)}" in said


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("qualifier", ["at_least", "at_most", "approx"])
def test_a_disputed_bound_keeps_its_bound(lang, qualifier) -> None:
    """'between A and B' would drop 'at least': a disputed lower bound has no ceiling."""
    said = findings.amount({"value": 10.0, "value_high": 20.0, "qualifier": qualifier}, lang=lang)
    assert said.startswith(labels.qualifier_word(qualifier, lang))
    assert labels.format_number(10.0) in said and labels.format_number(20.0) in said


def test_a_superseded_size_figure_is_not_an_account(ds) -> None:
    """Once a coalition-size figure is corrected, the finding no longer cites the old one."""
    import pandas as pd

    cf = metrics.conflicts(ds)
    assert not cf.empty
    old, kept = cf.iloc[0]["id_a"], cf.iloc[0]["id_b"]
    figures = ds.figures.copy()
    row = figures[figures["id"] == old].iloc[0].to_dict()
    new_value = float(row["value"]) + 1
    figures = pd.concat([figures, pd.DataFrame([{**row, "id": "size_correction",
                                                  "value": new_value}])], ignore_index=True)
    relations = pd.concat([ds.relations, pd.DataFrame([{
        "figure_id": "size_correction", "relation": "supersedes", "other_id": old,
        "note": ""}])], ignore_index=True).fillna("")
    changed = _with(ds, figures=figures, relations=relations)
    said = findings.finding("coalition", changed, lang="en")
    old_said = labels.format_figure(float(row["value"]), "exact", lang="en", unit=row["unit"])
    assert old_said in findings.finding("coalition", ds, lang="en")
    assert old_said not in said
    assert metrics.current_figure(changed, old) == "size_correction"
    assert metrics.current_figure(changed, kept) == kept
