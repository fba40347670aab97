"""Derived metrics, as pure functions: Dataset in, DataFrame out.

Three rules keep the numbers honest:

* **Bounds carry through.** A sum with an ``at_least`` part is itself
  ``at_least``; parts pointing both ways, or an ``approx`` part, make it
  ``approx``. Shares follow the direction of the error: an exact part of an
  ``at_least`` total has an ``at_most`` share. ``bounds="exclude"`` leaves
  bounded figures out instead and says so.
* **Nothing is counted twice.** ``relations.csv`` declares overlaps: a figure
  that is a ``duplicate_of``, ``part_of`` or ``measures_same_as`` another
  figure in the same sum is dropped in favour of that other figure.
* **Disagreements are shown, not resolved.** ``conflicts`` lists every
  ``conflicts_with`` pair, and every duplicate whose value or qualifier differs,
  with both quotes.

Every metric row records the figure ids it was computed from (``inputs``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .dataset import Dataset
from .vocab import BOUNDS

OVERLAPS = ("duplicate_of", "part_of", "measures_same_as")
_DIRECTION = {"exact": 0, "at_least": 1, "at_most": -1, "approx": None}
_QUALIFIER = {0: "exact", 1: "at_least", -1: "at_most", None: "approx"}
METRIC_COLUMNS = ["metric", "value", "qualifier", "unit", "inputs"]


def combine_qualifiers(qualifiers: Iterable[str]) -> str:
    """Qualifier of a sum of parts with these qualifiers.

    Examples:
        >>> combine_qualifiers(["exact", "at_least"])
        'at_least'
        >>> combine_qualifiers(["at_least", "at_most"])
        'approx'
        >>> combine_qualifiers([])
        'exact'
    """
    dirs = {_DIRECTION[q] for q in set(qualifiers)}
    if None in dirs or {1, -1} <= dirs:
        return "approx"
    return _QUALIFIER[1 if 1 in dirs else -1 if -1 in dirs else 0]


def share_qualifier(part: str, others: Iterable[str]) -> str:
    """Qualifier of part / (part + others), which rises with part and falls with others.

    Examples:
        >>> share_qualifier("exact", ["at_least"])
        'at_most'
        >>> share_qualifier("at_least", ["exact"])
        'at_least'
        >>> share_qualifier("at_least", ["at_least"])
        'approx'
    """
    flipped = {"at_least": "at_most", "at_most": "at_least"}
    return combine_qualifiers([part, *(flipped.get(q, q) for q in set(others))])


def _check_bounds(bounds: str) -> None:
    if bounds not in BOUNDS:
        raise ValueError(f"bounds must be one of {', '.join(BOUNDS)}, not {bounds!r}")


def without_overlaps(ds: Dataset, selection: pd.DataFrame) -> pd.DataFrame:
    """Drop figures that overlap another figure of the same selection (see module doc)."""
    rel = ds.relations
    rel = rel[rel["relation"].isin(OVERLAPS)]
    ids = set(selection["id"])
    drop = set(rel.loc[rel["other_id"].isin(ids), "figure_id"])
    return selection[~selection["id"].isin(drop)]


def select(ds: Dataset, *, category: str, unit: str | None = None,
           bounds: str = "as_lower_bound") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures of one category that may be summed, and those left out.

    Returns:
        ``(counted, excluded)``: excluded holds bounded figures under
        ``bounds="exclude"`` (overlaps are simply dropped, never "excluded").
    """
    _check_bounds(bounds)
    f = ds.figures
    sel = f[f["category"] == category]
    if unit is not None:
        sel = sel[sel["unit"] == unit]
    if bounds == "exclude":
        # Drop bounds first: an exact restatement of a bounded figure then
        # stands in for it instead of vanishing with it.
        keep = sel["qualifier"] == "exact"
        return without_overlaps(ds, sel[keep]), sel[~keep]
    return without_overlaps(ds, sel), sel.iloc[0:0]


def _inputs(ids: Iterable[str]) -> str:
    return ";".join(ids)


def _metric(name: str, part: pd.DataFrame, unit: str) -> dict[str, object]:
    return {"metric": name, "value": float(part["value"].sum()),
            "qualifier": combine_qualifiers(part["qualifier"]), "unit": unit,
            "inputs": _inputs(part["id"])}


def breakdown(ds: Dataset, *, category: str, unit: str, by: str,
              bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Sum one category per ``by`` column (``force_id`` or ``kind``), with shares.

    Returns:
        One row per group, ordered by value: ``group``, ``value``, ``qualifier``,
        ``share_pct``, ``share_qualifier``, ``inputs``.
    """
    counted, _ = select(ds, category=category, unit=unit, bounds=bounds)
    total = float(counted["value"].sum())
    rows = []
    for group, part in counted.groupby(by, sort=False):
        q = combine_qualifiers(part["qualifier"])
        others = counted.loc[counted[by] != group, "qualifier"]
        value = float(part["value"].sum())
        rows.append({"group": group, "value": value, "qualifier": q,
                     "share_pct": 100 * value / total if total else float("nan"),
                     "share_qualifier": share_qualifier(q, others),
                     "inputs": _inputs(part["id"])})
    out = pd.DataFrame(rows, columns=["group", "value", "qualifier", "share_pct",
                                      "share_qualifier", "inputs"])
    return out.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def total(ds: Dataset, *, category: str, unit: str, name: str,
          bounds: str = "as_lower_bound") -> dict[str, object]:
    """One summed metric over a category, bounds- and overlap-aware."""
    counted, _ = select(ds, category=category, unit=unit, bounds=bounds)
    return _metric(name, counted, unit)


def trainees_by_force(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """People trained per Iraqi force, with share of the total and qualifiers.

    Columns: ``force_id``, ``name_en``, ``name_ar``, ``trainees_count``,
    ``qualifier``, ``share_pct``, ``share_qualifier``, ``inputs``.
    """
    out = breakdown(ds, category="training", unit="persons", by="force_id", bounds=bounds)
    out = out.rename(columns={"group": "force_id", "value": "trainees_count"})
    names = ds.forces.set_index("force_id")[["name_en", "name_ar"]]
    out = out.join(names, on="force_id")
    return out[["force_id", "name_en", "name_ar", "trainees_count", "qualifier", "share_pct",
                "share_qualifier", "inputs"]]


def vehicles_by_type(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Vehicles given, per type (``kind``), with shares."""
    out = breakdown(ds, category="aid_vehicles", unit="vehicles", by="kind", bounds=bounds)
    return out.rename(columns={"group": "kind", "value": "vehicles_count"})


def weapons_by_recipient(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Weapons and equipment value per receiving force, overlaps counted once."""
    out = breakdown(ds, category="aid_weapons", unit="usd", by="force_id", bounds=bounds)
    out = out.rename(columns={"group": "force_id", "value": "value_usd"})
    names = ds.forces.set_index("force_id")[["name_en", "name_ar"]]
    return out.join(names, on="force_id")


def aid_by_category(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Aid totals per category: vehicles (count), cash (USD), weapons (USD).

    Categories are never added to each other: the article does not say whether
    the weapons were bought from the cash.
    """
    rows = [total(ds, category="aid_vehicles", unit="vehicles", name="vehicles_total",
                  bounds=bounds),
            total(ds, category="aid_cash", unit="usd", name="aid_cash_usd", bounds=bounds),
            total(ds, category="aid_weapons", unit="usd", name="aid_weapons_usd", bounds=bounds)]
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def excluded_bounds(ds: Dataset, bounds: str) -> pd.DataFrame:
    """Figures left out of any sum because ``bounds="exclude"``."""
    parts = [select(ds, category=c, unit=u, bounds=bounds)[1] for c, u in _SUMMED]
    return pd.concat(parts)[["id", "value", "unit", "qualifier", "quote"]]


_SUMMED = (("training", "persons"), ("aid_vehicles", "vehicles"), ("aid_cash", "usd"),
           ("aid_weapons", "usd"), ("airstrikes", "airstrikes"), ("troops", "soldiers"))


def overlaps(ds: Dataset) -> pd.DataFrame:
    """Declared overlaps: which figure is counted and which is not, and why."""
    rel = ds.relations[ds.relations["relation"].isin(OVERLAPS)]
    f = ds.figures.set_index("id")
    out = pd.DataFrame({
        "not_counted": rel["figure_id"], "relation": rel["relation"],
        "counted": rel["other_id"],
        "not_counted_value": rel["figure_id"].map(f["value"]),
        "counted_value": rel["other_id"].map(f["value"]),
        "note": rel["note"],
    })
    return out.reset_index(drop=True)


def conflicts(ds: Dataset) -> pd.DataFrame:
    """Figures that disagree, side by side with their quotes.

    Every declared ``conflicts_with`` pair, plus every ``duplicate_of`` pair
    whose values or qualifiers differ (one delivery told two ways).
    """
    rel = ds.relations
    f = ds.figures.set_index("id")
    dup = rel[rel["relation"] == "duplicate_of"]
    a, b = f.reindex(dup["figure_id"]), f.reindex(dup["other_id"])
    differs = (a["value"].to_numpy() != b["value"].to_numpy()) | \
              (a["qualifier"].to_numpy() != b["qualifier"].to_numpy())
    pairs = pd.concat([rel[rel["relation"] == "conflicts_with"], dup[differs]])
    cols = ["value", "unit", "qualifier", "quote", "paragraph", "attributed_to"]
    left = f.reindex(pairs["figure_id"])[cols].add_suffix("_a").reset_index(drop=True)
    right = f.reindex(pairs["other_id"])[cols].add_suffix("_b").reset_index(drop=True)
    head = pairs[["figure_id", "relation", "other_id", "note"]].reset_index(drop=True)
    head = head.rename(columns={"figure_id": "id_a", "other_id": "id_b"})
    return pd.concat([head, left, right], axis=1)


def timeline(ds: Dataset) -> pd.DataFrame:
    """Calendar years and durations the article states, in order."""
    f = ds.figures
    t = f[f["category"] == "timeline"].copy()
    t["is_year"] = t["unit"] == "year"
    return t.sort_values(["is_year", "value"], ascending=[False, True], kind="stable")[
        ["id", "value", "unit", "qualifier", "subject_en", "quote", "paragraph", "as_of"]
    ].reset_index(drop=True)


def compute_metrics(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Every published metric as ``metric,value,qualifier,unit,inputs``.

    Names: ``trainees_total``, ``trainees_<force>``, ``trainees_share_<force>_pct``,
    ``vehicles_total``, ``vehicles_<kind>``, ``aid_cash_usd``, ``aid_weapons_usd``,
    ``aid_weapons_<force>_usd``, ``airstrikes_total``, ``troops_total``.
    """
    rows: list[dict[str, object]] = [
        total(ds, category="training", unit="persons", name="trainees_total", bounds=bounds)]
    tr = trainees_by_force(ds, bounds)
    for r in tr.itertuples():
        rows.append({"metric": f"trainees_{r.force_id}", "value": r.trainees_count,
                     "qualifier": r.qualifier, "unit": "persons", "inputs": r.inputs})
    for r in tr.itertuples():
        rows.append({"metric": f"trainees_share_{r.force_id}_pct", "value": r.share_pct,
                     "qualifier": r.share_qualifier, "unit": "pct",
                     "inputs": _inputs(tr["inputs"])})
    aid = aid_by_category(ds, bounds)
    rows.append(aid.iloc[0].to_dict())
    for r in vehicles_by_type(ds, bounds).itertuples():
        rows.append({"metric": f"vehicles_{r.kind}", "value": r.vehicles_count,
                     "qualifier": r.qualifier, "unit": "vehicles", "inputs": r.inputs})
    rows += [aid.iloc[1].to_dict(), aid.iloc[2].to_dict()]
    for r in weapons_by_recipient(ds, bounds).itertuples():
        rows.append({"metric": f"aid_weapons_{r.force_id}_usd", "value": r.value_usd,
                     "qualifier": r.qualifier, "unit": "usd", "inputs": r.inputs})
    rows.append(total(ds, category="airstrikes", unit="airstrikes", name="airstrikes_total",
                      bounds=bounds))
    rows.append(total(ds, category="troops", unit="soldiers", name="troops_total", bounds=bounds))
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def write_metrics(metrics: pd.DataFrame, path: str) -> None:
    """Write metrics as CSV, whole numbers without a trailing ``.0``."""
    out = metrics.copy()
    out["value"] = [f"{v:.0f}" if float(v).is_integer() else f"{v:.4f}" for v in out["value"]]
    out.to_csv(path, index=False, lineterminator="\n")
