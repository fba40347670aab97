"""metrics: sums, shares and their bounds, the overlap policy and surfaced conflicts.

Expected numbers are computed here from data/figures.csv and data/relations.csv
with the csv module, never typed in.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook.data import slots
from coalition_workbook.data.dataset import Dataset, load_dataset
from coalition_workbook.figures import metrics


@pytest.fixture
def ds():
    return load_dataset()


def rows(tables, **match: str) -> list[dict[str, str]]:
    return [r for r in tables.records() if all(r[k] == v for k, v in match.items())]


def relations(tables, relation: str) -> list[dict[str, str]]:
    return [r for r in tables.records(tables.relations) if r["relation"] == relation]


def metric(table, name: str) -> dict:
    (row,) = table[table["metric"] == name].to_dict("records")
    return row


def test_trainees_by_force(ds, tables) -> None:
    training = rows(tables, category="training", unit="persons")
    out = metrics.trainees_by_force(ds).set_index("force_id")
    assert set(out.index) == {r["force_id"] for r in training}
    for r in training:
        assert out.at[r["force_id"], "trainees_count"] == float(r["value"])
        assert out.at[r["force_id"], "qualifier"] == r["qualifier"]
        assert r["id"] in out.at[r["force_id"], "inputs"].split(";")
    assert out["name_en"].notna().all()
    assert list(out["trainees_count"]) == sorted(out["trainees_count"], reverse=True)


def test_shares_sum_to_100_and_carry_bounds(ds, tables) -> None:
    training = rows(tables, category="training", unit="persons")
    total = sum(float(r["value"]) for r in training)
    out = metrics.trainees_by_force(ds).set_index("force_id")
    assert math.isclose(out["share_pct"].sum(), 100)
    bounded = {r["force_id"] for r in training if r["qualifier"] == "at_least"}
    assert bounded, "the curated data has an 'at least' training figure"
    for r in training:
        f = r["force_id"]
        assert math.isclose(out.at[f, "share_pct"], 100 * float(r["value"]) / total)
        # an exact part of a total with an at_least part is a share of at most;
        # the at_least part (others exact) has a share of at least.
        others = {o["qualifier"] for o in training if o is not r}
        if r["qualifier"] == "exact" and "at_least" in others:
            assert out.at[f, "share_qualifier"] == "at_most"
        if r["qualifier"] == "at_least" and others == {"exact"}:
            assert out.at[f, "share_qualifier"] == "at_least"


def test_total_with_an_at_least_part_is_at_least(ds, tables) -> None:
    training = rows(tables, category="training", unit="persons")
    m = metric(metrics.compute_metrics(ds), "trainees_total")
    assert m["value"] == sum(float(r["value"]) for r in training)
    assert m["qualifier"] == "at_least"
    assert m["inputs"].split(";") == sorted(r["id"] for r in training)


def test_bounds_exclude_leaves_bounded_figures_out(ds, tables) -> None:
    training = rows(tables, category="training", unit="persons")
    exact = [r for r in training if r["qualifier"] == "exact"]
    m = metric(metrics.compute_metrics(ds, bounds="exclude"), "trainees_total")
    assert m["value"] == sum(float(r["value"]) for r in exact)
    # A total that lost a bounded part is only a lower bound of the whole, and says what it lost.
    assert m["qualifier"] == "at_least"
    assert m["inputs"].split(";") == sorted(r["id"] for r in exact)
    assert m["excluded"].split(";") == sorted(r["id"] for r in training
                                              if r["qualifier"] != "exact")
    excluded = set(metrics.excluded_bounds(ds, "exclude")["id"])
    assert {r["id"] for r in training if r["qualifier"] != "exact"} <= excluded
    assert metrics.excluded_bounds(ds, "as_lower_bound").empty


def test_unknown_bounds_is_rejected(ds) -> None:
    with pytest.raises(ValueError, match="bounds must be one of"):
        metrics.compute_metrics(ds, bounds="ignore")


def test_required_metric_names(ds, tables) -> None:
    names = set(metrics.compute_metrics(ds)["metric"])
    forces = {r["force_id"] for r in rows(tables, category="training", unit="persons")}
    assert {"trainees_total", "vehicles_total", "aid_cash_usd", "aid_weapons_usd"} <= names
    assert {f"trainees_{f}" for f in forces} <= names


def test_vehicles_by_type_and_total(ds, tables) -> None:
    vehicles = rows(tables, category="aid_vehicles", unit="vehicles")
    out = metrics.vehicles_by_type(ds).set_index("kind")
    for r in vehicles:
        assert out.at[r["kind"], "vehicles_count"] == float(r["value"])
    m = metric(metrics.compute_metrics(ds), "vehicles_total")
    assert m["value"] == sum(float(r["value"]) for r in vehicles)


def test_duplicate_is_never_double_counted(ds, tables) -> None:
    weapons = rows(tables, category="aid_weapons", unit="usd")
    dropped = {r["figure_id"] for r in relations(tables, "duplicate_of")}
    assert dropped & {r["id"] for r in weapons}, "the curated data declares a weapons duplicate"
    counted = [r for r in weapons if r["id"] not in dropped]
    m = metric(metrics.compute_metrics(ds), "aid_weapons_usd")
    assert m["value"] == sum(float(r["value"]) for r in counted)
    assert not dropped & set(m["inputs"].split(";"))
    assert m["qualifier"] == metrics.combine_qualifiers(r["qualifier"] for r in counted)


def test_part_of_is_never_added_to_its_whole(tables) -> None:
    a, b = rows(tables, category="training", unit="persons")[:2]
    header, rel = tables.read(tables.relations)
    tables.write(tables.relations, header,
                 [*rel, [b["id"], "part_of", a["id"], "synthetic: b is a subset of a",
                         *[""] * (len(header) - 4)]])
    ds = load_dataset(tables.figures)
    m = metric(metrics.compute_metrics(ds), "trainees_total")
    training = rows(tables, category="training", unit="persons")
    assert m["value"] == sum(float(r["value"]) for r in training) - float(b["value"])
    assert b["id"] not in m["inputs"].split(";")
    assert b["id"] in set(metrics.overlaps(ds)["not_counted"])


def test_per_aircraft_cost_is_a_rate_not_summed(ds, tables) -> None:
    rates = {r["id"] for r in tables.records() if r["unit"] == "usd_per_aircraft"}
    assert rates
    for inputs in metrics.compute_metrics(ds)["inputs"]:
        assert not rates & set(inputs.split(";"))


def test_conflicts_show_both_figures_with_their_quotes(ds, tables) -> None:
    figures = {r["id"]: r for r in tables.records()}
    out = metrics.conflicts(ds)
    declared = relations(tables, "conflicts_with")
    assert declared
    for rel in declared:
        (c,) = out[(out["id_a"] == rel["figure_id"]) & (out["id_b"] == rel["other_id"])]\
            .to_dict("records")
        a, b = figures[rel["figure_id"]], figures[rel["other_id"]]
        assert (c["value_a"], c["value_b"]) == (float(a["value"]), float(b["value"]))
        assert c["value_a"] != c["value_b"]
        assert (c["quote_a"], c["quote_b"]) == (a["quote"], b["quote"])


def test_restatements_are_never_listed_as_disagreements(ds, tables) -> None:
    """One label per relation: a declared restatement is counted once, not 'disputed'."""
    out = metrics.conflicts(ds)
    listed = set(zip(out["id_a"], out["id_b"], strict=True))
    dups = relations(tables, "duplicate_of")
    assert dups
    for d in dups:
        assert (d["figure_id"], d["other_id"]) not in listed
    assert set(out["relation"]) <= {"conflicts_with"}


@pytest.mark.parametrize(("parts", "expected"), [
    ([], "exact"), (["exact", "exact"], "exact"), (["exact", "at_least"], "at_least"),
    (["at_most", "exact"], "at_most"), (["at_least", "at_most"], "approx"),
    (["approx", "exact"], "approx"),
])
def test_combine_qualifiers(parts: list[str], expected: str) -> None:
    assert metrics.combine_qualifiers(parts) == expected


def test_every_metric_names_its_inputs(ds) -> None:
    ids = set(ds.figures["id"])
    out = metrics.compute_metrics(ds)
    assert list(out.columns) == metrics.METRIC_COLUMNS
    for inputs in out["inputs"]:
        assert inputs and set(inputs.split(";")) <= ids


def test_exclude_lets_an_exact_restatement_stand_in_for_its_bound(ds) -> None:
    """A bounded figure left out under exclude is replaced by its exact duplicate, if any."""
    rel = ds.relations[ds.relations["relation"] == "duplicate_of"]
    f = ds.figures.set_index("id")
    pairs = [(a, b) for a, b in zip(rel["figure_id"], rel["other_id"], strict=True)
             if f.at[a, "qualifier"] == "exact" and f.at[b, "qualifier"] != "exact"]
    assert pairs, "the curated data has an exact restatement of a bounded figure"
    for exact_id, bounded_id in pairs:
        name = next(n for n, s in metrics.SUMMED.items()
                    if (s.category, s.unit) == (f.at[exact_id, "category"], f.at[exact_id, "unit"]))
        row = metrics.summed_total(ds, name, "exclude")
        assert exact_id in row["inputs"].split(";") and bounded_id not in row["inputs"]
        assert bounded_id in set(metrics.excluded_bounds(ds, "exclude")["id"])
        row = metrics.summed_total(ds, name, "as_lower_bound")
        assert bounded_id in row["inputs"].split(";") and exact_id not in row["inputs"]


FORCES = ["army", "police", "peshmerga"]


def _figures(rows: list[dict]) -> pd.DataFrame:
    """A figures table of the given rows, every other column blank."""
    base = {"quote": "", "source": "s.txt", "paragraph": 1, "subject_en": "", "actor": "coalition",
            "attributed_to": "", "as_of": "", "note": "", "force_id": "", "kind": "",
            "qualifier": "exact"}
    return pd.DataFrame([{**base, **r} for r in rows])


def _ds(figures: pd.DataFrame, relations: list[tuple[str, str, str]] = ()) -> Dataset:
    rel = pd.DataFrame([(a, r, b, "") for a, r, b in relations],
                       columns=["figure_id", "relation", "other_id", "note"])
    forces = pd.DataFrame({"force_id": FORCES, "name_en": FORCES, "name_ar": FORCES})
    return Dataset(figures.reset_index(drop=True), forces, rel, Path("f.csv"), Path("."))


@given(st.lists(st.one_of(st.integers(0, 2**60).map(float), st.floats(0, 1e300)),
                min_size=1, max_size=40))
def test_a_total_is_the_exact_sum_in_any_row_order(values: list[float]) -> None:
    """Large whole numbers and fractions alike: the total is math.fsum of the parts, so a
    reordered table gives the very same total (a running float sum would not)."""
    rows = [{"id": f"t{i}", "value": v, "unit": "persons", "category": "training",
             "force_id": FORCES[i % 3], "kind": f"k{i}"} for i, v in enumerate(values)]
    for order in (rows, rows[::-1]):
        total = metrics.summed_total(_ds(_figures(order)), "trainees")
        assert total["value"] == math.fsum(values)


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", ""]), st.integers(1, 3)),
                min_size=1, max_size=10))
def test_each_groups_inputs_are_every_id_counted_in_it_sorted(kinds) -> None:
    """Vehicles by kind, some kinds filled by several amounts that add up (one slot of many
    ids): each group's ``inputs`` names every id of its kind, sorted, once."""
    rows, relations = [], []
    for n, (kind, amounts) in enumerate(kinds):
        ids = [f"v{n}_{j}" for j in range(amounts)]
        rows += [{"id": i, "value": 1.0, "unit": "vehicles", "category": "aid_vehicles",
                  "kind": kind} for i in ids]
        relations += [(i, "adds_to", ids[0]) for i in ids[1:]]
    # Two groups of one kind are separate amounts too.
    firsts = {}
    for n, (kind, _) in enumerate(kinds):
        if kind in firsts:
            relations.append((f"v{n}_0", "adds_to", firsts[kind]))
        firsts.setdefault(kind, f"v{n}_0")
    out = metrics.breakdown(_ds(_figures(rows), relations), "vehicles")
    want: dict[str, list[str]] = {}
    for r in rows:
        want.setdefault(r["kind"], []).append(r["id"])
    assert dict(zip(out["group"], out["inputs"], strict=True)) == {
        k: ";".join(sorted(ids)) for k, ids in want.items()}
    assert list(out["value"]) == sorted(out["value"], reverse=True)


@pytest.mark.parametrize("bounds", ["as_lower_bound", "exclude"])
def test_every_figure_of_a_metric_is_counted_in_one_slot_or_says_why_not(bounds: str) -> None:
    """A resolution accounts for each of its figures once: counted in exactly one slot
    (a disputed one also says so), or given a status saying why it is not counted."""
    ds = load_dataset()
    for summed in metrics.SUMMED.values():
        res = metrics.resolve(ds.figures, ds.relations, summed, bounds)
        in_slots = [i for cell in res.slots["inputs"] for i in cell.split(";")]
        assert sorted(in_slots) == sorted(res.counted)
        assert len(set(in_slots)) == len(in_slots)
        not_counted = {i for i, (status, _) in res.status.items() if status != "disputed"}
        assert not not_counted & set(res.counted)
        mine = ds.figures[(ds.figures["category"] == summed.category)
                          & (ds.figures["unit"] == summed.unit)]
        assert set(mine["id"]) == set(res.counted) | not_counted


SLOT_ROWS = st.lists(st.tuples(st.integers(-1, 2), st.sampled_from(["", "army", "police"]),
                               st.sampled_from(["", "humvee", "tank", "mrap"])),
                     min_size=1, max_size=14)


@given(SLOT_ROWS, st.booleans())
def test_tricky_rows_are_those_sharing_a_metric_force_kind_slot(rows, distinct_kinds) -> None:
    """``slots.membership`` against counting (metric, force_id, kind) triples; a row in no
    summed metric (-1 here: a timeline figure) is never tricky."""
    if distinct_kinds:
        rows = [(m, f, f"kind_{i}") for i, (m, f, _) in enumerate(rows)]
    summed = list(slots.SUMMED.values())
    figures = pd.DataFrame([{
        "id": f"r{i}", "category": summed[m].category if m >= 0 else "timeline",
        "unit": summed[m].unit if m >= 0 else "years", "force_id": f, "kind": k}
        for i, (m, f, k) in enumerate(rows)])
    no_relations = pd.DataFrame(columns=["figure_id", "relation", "other_id"])
    member = slots.membership(figures, no_relations)
    assert member.metric.tolist() == [m for m, _, _ in rows]
    assert member.tricky.tolist() == [m >= 0 and rows.count((m, f, k)) > 1
                                      for m, f, k in rows]
