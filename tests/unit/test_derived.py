"""Derived numbers stay true when the data change (issue: conflicts, corrections, sources).

Every scenario edits a private copy of data/ the way an analyst would — a second
source's figure, a relation row — and checks ``load_dataset``, ``compute_metrics``
and the report views. Numbers come from data/figures.csv, never typed in; the
property tests at the end run the metrics over generated tables.
"""

from __future__ import annotations

import dataclasses
import math
import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.data.errors import TableValidationError, WorkbookError
from coalition_workbook.figures import metrics
from coalition_workbook.pages import display

SECOND = "second_source.txt"
SECOND_TITLE = "Ministry statement"


def _training(tables) -> list[dict[str, str]]:
    return [r for r in tables.records() if r["category"] == "training" and r["unit"] == "persons"]


def add_second_source_figure(tables, base: dict[str, str], value: int, *,
                             qualifier: str = "exact", new_id: str = "second_figure",
                             note: str = "") -> dict[str, str]:
    """Add a figure from a second article (written here) filling ``base``'s slot."""
    words = {"exact": "", "at_least": "أكثر من ", "approx": "نحو "}[qualifier]
    quote = f"{words}{value} شخص"
    (tables.sources / SECOND).write_text(f"عنوان\nوقال المصدر إن {quote} تلقوا التدريب.\n",
                                         encoding="utf-8")
    (tables.sources / SECOND.replace(".txt", ".meta.yml")).write_text(
        f"file: {SECOND}\ntitle_en: {SECOND_TITLE}\nlanguage: ar\n", encoding="utf-8")
    header, rows = tables.read(tables.figures)
    row = dict(base, id=new_id, value=str(value), qualifier=qualifier, quote=quote,
               source=SECOND, paragraph="2", note=note, attributed_to="A second source")
    tables.write(tables.figures, header, [*rows, [row[h] for h in header]])
    return row


def relate(tables, a: str, relation: str, b: str, note: str = "synthetic") -> None:
    header, rows = tables.read(tables.relations)
    tables.write(tables.relations, header,
                 [*rows, [a, relation, b, note, *[""] * (len(header) - 4)]])


def metric(ds, name: str, bounds: str = "as_lower_bound") -> dict | None:
    out = metrics.compute_metrics(ds, bounds).set_index("metric")
    return out.loc[name].to_dict() if name in out.index else None


@pytest.fixture
def police(tables) -> dict[str, str]:
    return next(r for r in _training(tables) if r["qualifier"] == "exact")


def test_an_undeclared_second_figure_in_one_slot_is_refused_naming_both_rows(tables, police):
    new = add_second_source_figure(tables, police, int(float(police["value"])) + 500)
    with pytest.raises(TableValidationError) as err:
        load_dataset(tables.figures)
    (problem,) = err.value.problems
    assert problem.row == tables.row_of(new["id"])
    assert police["id"] in problem.reason and new["id"] in problem.reason
    assert f"row {tables.row_of(police['id'])}" in problem.reason
    for word in ("supersedes", "conflicts_with", "duplicate_of", "adds_to"):
        assert word in problem.reason


@pytest.mark.parametrize("relation", ["conflicts_with", "disagrees_with"])
def test_a_disagreement_is_a_disputed_range_never_a_sum(tables, police, relation):
    before = metric(load_dataset(tables.figures), "trainees_total")
    value = int(float(police["value"])) + 500
    new = add_second_source_figure(tables, police, value)
    relate(tables, new["id"], relation, police["id"])
    ds = load_dataset(tables.figures)
    slot = metric(ds, f"trainees_{police['force_id']}")
    assert (slot["value"], slot["value_high"]) == (float(police["value"]), value)
    assert set(slot["disputed"].split(";")) == {police["id"], new["id"]}
    total = metric(ds, "trainees_total")
    assert total["value"] == before["value"]  # the lowest account, never the sum
    assert total["value_high"] == before["value"] + 500
    html = str(display.trainees_table(ds))
    assert labels_text("disputed") in html and "wb-disputed" in html
    assert new["id"] in set(metrics.conflicts(ds)["id_a"])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_only_the_disputed_part_is_called_disputed(tables, police, lang):
    """One disputed force makes every share a range; only its own row says "disputed"."""
    new = add_second_source_figure(tables, police, int(float(police["value"])) + 500)
    relate(tables, new["id"], "conflicts_with", police["id"])
    ds = load_dataset(tables.figures)
    table = metrics.trainees_by_force(ds)
    assert table["share_high_pct"].notna().sum() > 1  # the other shares are ranges too
    rows = str(display.trainees_table(ds, lang=lang)).split("<tr")[2:]
    by_force = {r["force_id"]: r for r in table.to_dict("records")}
    checked = 0
    for row_html in rows:
        force = next((f for f, r in by_force.items()
                      if labels_force(r, lang) in row_html), None)
        if force is None:
            continue  # the total row
        r = by_force[force]
        low = labels_number(r["share_pct"])
        if pd.isna(r["share_high_pct"]) or low == labels_number(r["share_high_pct"]):
            continue  # not a range at the shown decimals
        mine = f'({labels_text("disputed", lang)})' in row_html
        other = f'({labels_text("other_disputed", lang)})' in row_html
        assert (mine, other) == ((True, False) if force == police["force_id"] else (False, True))
        checked += 1
    assert checked >= 2


def labels_number(value: float) -> str:
    from coalition_workbook.figures import labels
    return labels.format_number(value, decimals=1)


def labels_force(row: dict, lang: str) -> str:
    from coalition_workbook.figures import labels
    from coalition_workbook.pages.display import text_html
    return text_html(labels.force_label(row["name_en"], row["name_ar"], lang))


def labels_text(key: str, lang: str = "en") -> str:
    from coalition_workbook.figures import labels
    return labels.text(key, lang)


def test_a_correction_from_another_source_counts_and_the_old_figure_stays_visible(tables, police):
    value = int(float(police["value"])) + 500
    new = add_second_source_figure(tables, police, value)
    relate(tables, new["id"], "supersedes", police["id"], "the ministry corrected the count")
    ds = load_dataset(tables.figures)
    slot = metric(ds, f"trainees_{police['force_id']}")
    assert slot["value"] == value and slot["inputs"] == new["id"]
    assert math.isnan(slot["value_high"])
    status = metrics.figure_status(ds).set_index("id")
    assert tuple(status.loc[police["id"], ["status", "other_id"]]) == ("superseded_by", new["id"])
    html = str(display.overlaps_table(ds))
    assert police["quote"] in html and display.relation_label("supersedes") in html
    # With a second source contributing, every citation names its source.
    trainees = str(display.trainees_table(ds))
    assert f"{SECOND_TITLE}, " in trainees
    other = next(r for r in _training(tables) if r["id"] != police["id"])
    assert display.cite(other, "en", ds) in trainees and ", " in display.cite(other, "en", ds)


def test_separate_amounts_that_add_up_are_summed(tables, police):
    value = 500
    new = add_second_source_figure(tables, police, value)
    relate(tables, new["id"], "adds_to", police["id"])
    ds = load_dataset(tables.figures)
    slot = metric(ds, f"trainees_{police['force_id']}")
    assert slot["value"] == float(police["value"]) + value
    assert not slot["disputed"]


def test_a_restatement_that_disagrees_is_refused(tables, police):
    new = add_second_source_figure(tables, police, int(float(police["value"])) + 500)
    relate(tables, new["id"], "duplicate_of", police["id"])
    with pytest.raises(TableValidationError) as err:
        load_dataset(tables.figures)
    assert any(p.column == "relation" and "supersedes" in p.reason and "conflicts_with" in p.reason
               for p in err.value.problems)


def test_a_figure_related_to_itself_is_refused_at_its_relation_row(tables, police):
    relate(tables, police["id"], "duplicate_of", police["id"])
    with pytest.raises(TableValidationError) as err:
        load_dataset(tables.figures)
    (problem,) = err.value.problems
    assert problem.file == str(tables.relations) and problem.column == "other_id"
    assert problem.row == len(tables.read(tables.relations)[1]) + 1  # the row just added
    assert f"{police['id']} is related to itself" in problem.reason


def test_corrections_that_loop_are_refused(tables, police):
    new = add_second_source_figure(tables, police, int(float(police["value"])) + 500)
    relate(tables, new["id"], "supersedes", police["id"])
    relate(tables, police["id"], "corrects", new["id"])  # an alias of supersedes
    with pytest.raises(TableValidationError) as err:
        load_dataset(tables.figures)
    assert [p.column for p in err.value.problems] == ["relation"]
    assert "loop" in err.value.problems[0].reason
    assert {police["id"], new["id"]} <= set(err.value.problems[0].reason.split())


def test_a_table_edited_in_place_after_validation_is_resolved_anew(tables, police):
    """The metrics apply the slot rule to the table as it is now, not as it was validated:
    a figure moved into another's slot in place is refused, never summed."""
    ds = load_dataset(tables.figures)
    metrics.compute_metrics(ds)
    f = ds.figures
    other = f.index[(f["category"] == police["category"]) & (f["unit"] == police["unit"])
                    & (f["id"] != police["id"])][0]
    f.loc[other, ["force_id", "kind"]] = [police["force_id"], police["kind"]]
    with pytest.raises(WorkbookError, match="no declared relation"):
        metrics.compute_metrics(ds)


def test_a_metric_with_no_input_is_absent_never_zero(tables):
    ds = load_dataset(tables.figures)
    strikes = metrics.SUMMED["airstrikes"]
    figs = ds.figures[(ds.figures["category"] == strikes.category)
                      & (ds.figures["unit"] == strikes.unit)]
    assert len(figs), "the curated data has an airstrike count"
    name = metrics.TOTAL_NAMES["airstrikes"]
    if (figs["qualifier"] != "exact").all():  # exclude leaves it without input
        assert metric(ds, name, "exclude") is None
    emptied = dataclasses.replace(ds, figures=ds.figures.drop(figs.index))
    assert metric(emptied, name) is None
    html = str(display.summary(emptied))
    assert labels_text("no_figure") in html
    assert f"{labels_text('no_figure')}" in str(display.total_line(emptied, name))


def test_an_exact_only_total_says_so_and_gives_the_whole(tables):
    ds = load_dataset(tables.figures)
    whole = metric(ds, "trainees_total")
    part = metric(ds, "trainees_total", "exclude")
    assert part["excluded"] and part["qualifier"] == "at_least"
    assert part["value"] < whole["value"]
    html = str(display.trainees_table(ds, bounds="exclude"))
    assert labels_text("exact_only") in html
    assert f"{whole['value']:,.0f}" in html


def test_every_note_reaches_the_views_that_show_its_figure(tables):
    ds = load_dataset(tables.figures)
    pages = "".join(str(v) for v in (
        display.trainees_table(ds), display.aid_table(ds), display.vehicles_table(ds),
        display.weapons_table(ds), display.overlaps_table(ds), display.conflicts_table(ds),
        display.timeline_table(ds), display.summary(ds),
        display.figures_table(ds, ["coalition", "troops", "airstrikes", "cost"])))
    noted = ds.figures[ds.figures["note"] != ""]
    assert len(noted) > 10
    from coalition_workbook.pages import escape_html
    missing = [r.id for r in noted.itertuples() if escape_html(r.note) not in pages]
    assert not missing


def test_one_label_per_relation_across_views(tables):
    ds = load_dataset(tables.figures)
    dup = ds.relations[ds.relations["relation"] == "duplicate_of"].iloc[0]
    label = display.relation_label("duplicate_of")
    assert label in str(display.overlaps_table(ds))
    conflicts = str(display.conflicts_table(ds))
    assert not (dup["figure_id"] in conflicts and dup["other_id"] in conflicts)


# --------------------------------------------------------------------------- properties

FORCES = ["army", "police", "border_guards", "peshmerga"]
QUALS = ["exact", "exact", "at_least", "at_most", "approx"]


@st.composite
def tables_strategy(draw):
    """A training table: one figure per force slot, optional extra slots by kind."""
    n = draw(st.integers(1, 6))
    rows = []
    for i in range(n):
        rows.append({"id": f"f{i}", "value": float(draw(st.integers(0, 10**6))),
                     "unit": "persons", "qualifier": draw(st.sampled_from(QUALS)),
                     "quote": "", "source": "s.txt", "paragraph": 1, "category": "training",
                     "actor": "coalition",
                     "subject_en": "", "attributed_to": "", "as_of": "", "note": "",
                     "force_id": FORCES[i % len(FORCES)], "kind": f"k{i // len(FORCES)}"})
    return pd.DataFrame(rows)


def _ds(figures: pd.DataFrame, relations: list[tuple[str, str, str]] = ()):
    from pathlib import Path

    from coalition_workbook.data.dataset import Dataset
    rel = pd.DataFrame([(a, r, b, "") for a, r, b in relations],
                       columns=["figure_id", "relation", "other_id", "note"])
    forces = pd.DataFrame({"force_id": FORCES, "name_en": FORCES, "name_ar": FORCES})
    return Dataset(figures.reset_index(drop=True), forces, rel, Path("f.csv"), Path("."))


def _table(ds, bounds="as_lower_bound") -> dict:
    out = metrics.compute_metrics(ds, bounds)
    return {r["metric"]: (r["value"], None if r["value_high"] != r["value_high"] else
                          r["value_high"], r["qualifier"], r["inputs"])
            for r in out.to_dict("records")}


def _same(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for k in a:
        (v1, h1, q1, i1), (v2, h2, q2, i2) = a[k], b[k]
        if (q1, i1) != (q2, i2):
            return False
        if (v1 != v1) != (v2 != v2) or (v1 == v1 and not math.isclose(v1, v2, abs_tol=1e-9)):
            return False
        if (h1 is None) != (h2 is None) or (h1 is not None and not math.isclose(h1, h2,
                                                                              abs_tol=1e-9)):
            return False
    return True


PROPS = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPS
@given(tables_strategy(), st.randoms(use_true_random=False), st.sampled_from(metrics.BOUNDS))
def test_permuting_rows_changes_no_metric(figures, rnd: random.Random, bounds):
    order = list(figures.index)
    rnd.shuffle(order)
    assert _same(_table(_ds(figures), bounds), _table(_ds(figures.loc[order]), bounds))


@PROPS
@given(tables_strategy(), st.data(), st.sampled_from(metrics.BOUNDS))
def test_adding_a_declared_restatement_changes_no_metric(figures, data, bounds):
    i = data.draw(st.sampled_from(list(figures.index)))
    copy = figures.loc[[i]].assign(id="restated", force_id=figures.at[i, "force_id"])
    more = pd.concat([figures, copy], ignore_index=True)
    assert _same(_table(_ds(figures), bounds),
                 _table(_ds(more, [("restated", "duplicate_of", figures.at[i, "id"])]), bounds))


@PROPS
@given(tables_strategy(), st.data(), st.integers(0, 10**6), st.sampled_from(QUALS))
def test_adding_a_declared_disagreement_never_increases_a_total(figures, data, value, q):
    i = data.draw(st.sampled_from(list(figures.index)))
    other = figures.loc[[i]].assign(id="other_account", value=float(value), qualifier=q)
    more = pd.concat([figures, other], ignore_index=True)
    before = _table(_ds(figures))
    after = _table(_ds(more, [("other_account", "conflicts_with", figures.at[i, "id"])]))
    for name in ("trainees_total", f"trainees_{figures.at[i, 'force_id']}"):
        assert after[name][0] <= before[name][0] + 1e-6


@PROPS
@given(tables_strategy(), st.data())
def test_removing_a_metrics_only_input_makes_it_absent_never_zero(figures, data):
    force = data.draw(st.sampled_from(sorted(set(figures["force_id"]))))
    kept = figures[figures["force_id"] != force]
    out = _table(_ds(kept)) if len(kept) else {}
    assert f"trainees_{force}" not in out
    if kept.empty:
        assert "trainees_total" not in out


@PROPS
@given(tables_strategy())
def test_qualifiers_propagate(figures):
    out = metrics.compute_metrics(_ds(figures)).set_index("metric")
    quals = set(figures["qualifier"])
    total = out.loc["trainees_total"]
    assert total["qualifier"] == metrics.combine_qualifiers(quals)
    assert math.isclose(total["value"], figures["value"].sum())
    if quals == {"exact", "at_least"}:
        for r in figures.itertuples():
            share = out.loc[f"trainees_share_{r.force_id}_pct"]
            if figures.loc[figures["force_id"] == r.force_id, "qualifier"].eq("exact").all() \
                    and share["value"] == share["value"]:
                assert share["qualifier"] == "at_most"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_total_of_figures_of_different_dates_says_so(tables, lang):
    """Two trainee figures dated differently: the total names both dates, wherever it is shown."""
    from coalition_workbook.figures import findings, labels

    records = tables.records()
    training = [i for i, r in enumerate(records)
                if r["category"] == "training" and r["unit"] == "persons"]
    assert metric(load_dataset(tables.figures), "trainees_total")["dates"] == ""
    tables.set(training[0], "as_of", "2018")
    tables.set(training[1], "as_of", "2021-06")
    ds = load_dataset(tables.figures)
    assert metric(ds, "trainees_total")["dates"] == "2018;2021-06"
    said = labels.mixed_dates({"dates": "2018;2021-06"}, lang)
    assert "2018" in said and "2021-06" in said
    assert said in str(display.trainees_table(ds, lang=lang))
    assert said in findings.trainees(ds, lang=lang)
    one_force = records[training[0]]["force_id"]
    if one_force != records[training[1]]["force_id"]:
        assert metric(ds, f"trainees_{one_force}")["dates"] == ""  # one date: nothing to say
