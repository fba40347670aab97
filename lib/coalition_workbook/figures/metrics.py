"""Derived metrics, as pure functions: Dataset in, DataFrame out.

**What is summed** is the slot rule of ``slots``: a summed metric (``SUMMED``)
is made of slots, one count per force, vehicle kind or aid recipient, and
figures sharing a slot count only as their declared relations say (counted
once, corrected, disputed as a range, dropped as a part, added up).

**Bounds carry through.** A sum with an ``at_least`` part is ``at_least``;
parts pointing both ways, or an ``approx`` part, make it ``approx``. Shares
follow the direction of the error. ``bounds="exclude"`` leaves bounded
figures out (an exact restatement stands in for a bounded original); a total
that lost a figure that way is only a lower bound of the whole, so it is
``at_least`` and lists what it left out in ``excluded``.

**No figure, no number.** A metric with no counted input is absent, never 0.

Every metric row records the figure ids it was computed from (``inputs``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..data.errors import WorkbookError
from ..data.slots import (
    COUNT_ONCE,
    RELATION_ALIASES,  # noqa: F401  (display.py reads metrics.RELATION_ALIASES)
    Membership,
    Settled,
    Summed,
    canonical_relations,
    membership,
    membership_of,
    relation_pairs,
    settle,
    summed_metrics,
)
from ..data.slots import MONEY as MONEY
from ..data.slots import SUMMED as SUMMED
from ..data.vocab import BOUNDS

if TYPE_CHECKING:
    from ..data.dataset import Dataset

_DIRECTION = {"exact": 0, "at_least": 1, "at_most": -1, "approx": None}
_QUALIFIER = {0: "exact", 1: "at_least", -1: "at_most", None: "approx"}
METRIC_COLUMNS = ["metric", "value", "value_high", "qualifier", "unit", "inputs", "excluded",
                  "disputed", "dates", "sources", "actor"]

#: Name of each summed metric's total in ``compute_metrics``.
TOTAL_NAMES = {"trainees": "trainees_total", "vehicles": "vehicles_total",
               "aid_cash": "aid_cash_usd", "aid_weapons": "aid_weapons_usd",
               "airstrikes": "airstrikes_total", "troops": "troops_total"}


def total_name(name: str) -> str:
    """The published name of a summed metric's total (``aid_cash`` -> ``aid_cash_usd``;
    a further currency's metric is named for it already: ``aid_cash_eur``)."""
    return TOTAL_NAMES.get(name, name)


def currencies(name: str, summed: dict[str, Summed]) -> list[str]:
    """A money metric and its further currencies' metrics (``summed_metrics``), in order."""
    return [n for n, s in summed.items() if n == name or (s.category == summed[name].category
                                                           and n.startswith(f"{name}_"))]


def money_totals(ds: Dataset, name: str, bounds: str = "as_lower_bound"
                 ) -> list[dict[str, object]]:
    """The totals of a money metric, one per currency its figures use (US$ first)."""
    rows = [summed_total(ds, n, bounds) for n in currencies(name, summed_metrics(ds.figures))]
    return [r for r in rows if r is not None]


# --------------------------------------------------------------------------- qualifiers

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


def check_bounds(bounds: str) -> None:
    """Raise ValueError unless ``bounds`` is one of ``BOUNDS``."""
    if bounds not in BOUNDS:
        raise ValueError(f"bounds must be one of {', '.join(BOUNDS)}, not {bounds!r}")


# --------------------------------------------------------------------------- resolution

SLOT_FRAME_COLUMNS = ["force_id", "kind", "group", "low", "high", "qualifier", "disputed",
                      "inputs"]


@dataclass
class Resolution:
    """How one summed metric treats each of its figures.

    ``slots`` has one row per slot (``SLOT_FRAME_COLUMNS``): its range
    ``low``..``high`` (equal unless disputed), qualifier and counted inputs.
    ``status`` holds every figure that is *not* simply counted, with the
    figure it defers to; ``excluded`` the figures whose loss to
    ``bounds="exclude"`` makes the total a lower bound.
    """

    summed: Summed
    slots: pd.DataFrame
    counted: list[str] = field(default_factory=list)
    status: dict[str, tuple[str, str]] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    undeclared: list[tuple[str, str]] = field(default_factory=list)

    @property
    def inputs(self) -> str:
        """The counted ids, ";"-joined in order (a total's ``inputs``; each share's too)."""
        return _join(self.counted)


def resolve(figures: pd.DataFrame, relations: pd.DataFrame, summed: Summed,
            bounds: str = "as_lower_bound", *, membership: Membership | None = None
            ) -> Resolution:
    """Apply the slot rule (``slots``) to one summed metric.

    Only figures in a relation or sharing a slot are settled one by one
    (``slots.settle``); a figure alone in its slot is counted as it is.

    Args:
        figures: The figures table (every category; this picks its own).
        relations: The relations table (aliases allowed).
        summed: Which metric.
        bounds: ``as_lower_bound`` or ``exclude``.
        membership: ``membership(figures, relations)``, when the caller resolves
            several metrics of one table (it is computed here otherwise).

    Returns:
        The slots with their ranges (lone figures in table order, then the
        related ones by slot), each figure's status, and any pair of figures
        sharing a slot with no declared relation (``undeclared``).
    """
    check_bounds(bounds)
    pairs = relation_pairs(relations)
    if membership is None or summed not in membership.summed:
        membership = membership_of(figures, pairs, (summed,))
    simple, tricky = membership.split(figures, summed)
    res = Resolution(summed, pd.DataFrame(columns=SLOT_FRAME_COLUMNS))

    if bounds == "exclude":
        out = simple["qualifier"] != "exact"
        res.excluded += simple.loc[out, "id"].tolist()
        res.status.update({i: ("excluded", "") for i in simple.loc[out, "id"]})
        simple = simple[~out]
    value = simple["value"].to_numpy(dtype=float)
    frames = [pd.DataFrame({
        "force_id": simple["force_id"], "kind": simple["kind"],
        "group": simple[summed.group] if summed.group else "",
        "low": value, "high": value.copy(),
        "qualifier": simple["qualifier"], "disputed": False, "inputs": simple["id"]})]
    res.counted += simple["id"].tolist()
    if not tricky.empty:
        settled = settle(tricky, pairs, bounds)
        frames.append(_slot_rows(tricky, settled, summed))
        res.counted += settled.counted
        res.status.update(settled.status)
        res.excluded += settled.excluded
        res.undeclared += settled.undeclared
    res.slots = pd.concat([f for f in frames if not f.empty] or [frames[0]], ignore_index=True)
    return res


def _slot_rows(figs: pd.DataFrame, settled: Settled, summed: Summed) -> pd.DataFrame:
    """The settled slots as ``SLOT_FRAME_COLUMNS`` rows: the range runs from the smallest
    account's sum to the largest's (one account: no range)."""
    by_id = {r["id"]: r for r in figs.to_dict("records")}
    rows = []
    for slot in settled.slots:
        sums = [sum(float(by_id[m]["value"]) for m in acc) for acc in slot.accounts]
        first = by_id[slot.members[0]]
        rows.append({"force_id": slot.force_id, "kind": slot.kind,
                     "group": str(first[summed.group]) if summed.group else "",
                     "low": min(sums), "high": max(sums),
                     "qualifier": combine_qualifiers(by_id[m]["qualifier"]
                                                     for m in slot.members),
                     "disputed": slot.disputed, "inputs": _join(slot.members)})
    return pd.DataFrame(rows, columns=SLOT_FRAME_COLUMNS)


# --------------------------------------------------------------------------- metrics

def _resolved(ds: Dataset, name: str, bounds: str, member: Membership | None = None
              ) -> Resolution:
    """``resolve`` one metric of a dataset, refusing figures that share a slot undeclared."""
    res = resolve(ds.figures, ds.relations, summed_metrics(ds.figures)[name], bounds,
                  membership=member)
    if res.undeclared:  # load_dataset refuses this; a hand-built Dataset may not have
        a, b = res.undeclared[0]
        raise WorkbookError(f"{a} and {b} fill one slot of {name} with no declared relation")
    return res


def _join(ids: Iterable[str]) -> str:
    return ";".join(sorted(ids))


def _combine_by(qualifiers: np.ndarray, codes: np.ndarray, groups: int) -> list[str]:
    """``combine_qualifiers`` per group (``codes`` numbers each row's group), one pass for all."""
    def has(q: str) -> np.ndarray:
        return np.bincount(codes, weights=qualifiers == q, minlength=groups) > 0
    up, down, approx = has("at_least"), has("at_most"), has("approx")
    out = np.where(up, "at_least", np.where(down, "at_most", "exact")).astype(object)
    out[approx | (up & down)] = "approx"
    return out.tolist()


def _total_row(res: Resolution, metric: str) -> dict[str, object] | None:
    slots = res.slots
    if slots.empty:
        return None
    # math.fsum: the exact sum, so a reordered table gives the very same total.
    low, high = (math.fsum(slots[c].to_numpy(dtype=float).tolist()) for c in ("low", "high"))
    qualifier = combine_qualifiers(list(slots["qualifier"].unique())
                                   + (["at_least"] if res.excluded else []))
    return _row(metric, low, high if high != low else math.nan, qualifier, res.summed.unit,
                res.inputs, _join(res.excluded),
                _join(i for s in slots.loc[slots["disputed"], "inputs"] for i in s.split(";")))


def summed_total(ds: Dataset, name: str, bounds: str = "as_lower_bound"
                 ) -> dict[str, object] | None:
    """The total of one summed metric (``SUMMED``), or None when no figure counts.

    ``value`` is the lowest total the accounts allow; ``value_high`` the
    highest when a slot is disputed (else NaN); ``dates`` the figures' dates
    when they differ (``mixed_dates``).
    """
    return _summed_total(_resolved(ds, name, bounds), _dates_by_id(ds), _sources_by_id(ds))


def _summed_total(res: Resolution, dates: dict[str, str], sources: dict[str, str]
                  ) -> dict[str, object] | None:
    """``summed_total`` of a resolved metric, ``dates`` and ``sources`` being
    ``_dates_by_id`` and ``_sources_by_id``."""
    row = _total_row(res, total_name(res.summed.name))
    if row is not None:
        row["dates"] = _several(dates, str(row["inputs"]))
        row["sources"] = _several(sources, str(row["inputs"]))
    return row


BREAKDOWN_COLUMNS = ["group", "value", "value_high", "qualifier", "share_pct", "share_high_pct",
                     "share_qualifier", "disputed", "inputs"]


def breakdown(ds: Dataset, name: str, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """The slots of a summed metric added up per group (force or kind), with shares.

    A disputed slot is a range (``value`` to ``value_high``); shares are then
    ranges too: the lowest share puts the part low and the rest high.

    Returns:
        Columns ``BREAKDOWN_COLUMNS``, ordered by value (ties by group).
    """
    return _breakdown(_resolved(ds, name, bounds))


def _breakdown(res: Resolution) -> pd.DataFrame:
    """``breakdown`` of a resolved metric."""
    s = res.slots
    if s.empty:
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    # One numbering of the groups serves every per-group sum; a figure with no group
    # value is "unspecified".
    codes, groups = pd.factorize(s["group"].fillna("").to_numpy(dtype=object))
    n = len(groups)

    def per_group(values: pd.Series) -> np.ndarray:
        return np.bincount(codes, weights=values.to_numpy(dtype=float), minlength=n)

    out = pd.DataFrame({"group": groups, "value": per_group(s["low"]),
                        "high": per_group(s["high"]),
                        "qualifier": _combine_by(s["qualifier"].to_numpy(dtype=object), codes, n),
                        "disputed": per_group(s["disputed"]) > 0,
                        "inputs": _ids_per_group(codes, s["inputs"].tolist(), n)})
    total_low, total_high = out["value"].sum(), out["high"].sum()
    rest_low, rest_high = total_low - out["value"], total_high - out["high"]
    share_low = 100 * out["value"] / (out["value"] + rest_high)
    share_high = 100 * out["high"] / (out["high"] + rest_low)
    out["value_high"] = out["high"].where(out["disputed"])
    out["share_pct"] = share_low
    out["share_high_pct"] = share_high.where(share_high != share_low)
    # A share rises with its part and falls with the rest, so flip the others' bounds.
    extra = ["at_least"] if res.excluded else []
    out["share_qualifier"] = _share_qualifiers(out["qualifier"], extra)
    # By value, largest first; equal values in group order.
    out = out.sort_values("group", kind="stable").sort_values("value", ascending=False,
                                                              kind="stable")
    return out[BREAKDOWN_COLUMNS].reset_index(drop=True)


def _ids_per_group(codes: np.ndarray, cells: list[str], groups: int) -> list[str]:
    """``_join`` of every id in ``cells`` (";"-joined ids) per group, ``codes`` numbering
    each cell's group from 0."""
    ids: list[list[str]] = [[] for _ in range(groups)]
    for code, cell in zip(codes.tolist(), cells, strict=True):
        ids[code] += cell.split(";")
    return [_join(i) for i in ids]


def _share_qualifiers(quals: pd.Series, extra: list[str]) -> list[str]:
    """``share_qualifier`` of each group against the others' qualifiers (counted, not listed).

    A group's "others" is every qualifier some *other* group has, which depends
    only on the group's own qualifier: one call per distinct qualifier, then a
    lookup, rather than one pass over the other groups per group.
    """
    counts = quals.value_counts()
    answer = {q: share_qualifier(q, [k for k, n in counts.items() if n - (k == q) > 0] + extra)
              for q in counts.index}
    return [answer[q] for q in quals.to_numpy(dtype=object).tolist()]


def _named(out: pd.DataFrame, ds: Dataset, key: str, value: str) -> pd.DataFrame:
    out = out.rename(columns={"group": key, "value": value})
    if key == "force_id":
        names = ds.forces.set_index("force_id")[["name_en", "name_ar"]]
        out = out.join(names, on="force_id")
        for col in ("name_en", "name_ar"):  # a recipient not in forces.csv: Iraq as a whole
            out[col] = out[col].fillna("")
    return out


def trainees_by_force(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """People trained per Iraqi force, with share of the total and qualifiers.

    Columns: ``force_id``, ``name_en``, ``name_ar``, ``trainees_count``,
    ``value_high``, ``qualifier``, ``share_pct``, ``share_high_pct``,
    ``share_qualifier``, ``disputed``, ``inputs``.
    """
    out = _named(breakdown(ds, "trainees", bounds), ds, "force_id", "trainees_count")
    return out[["force_id", "name_en", "name_ar", "trainees_count", "value_high", "qualifier",
                "share_pct", "share_high_pct", "share_qualifier", "disputed", "inputs"]]


def vehicles_by_type(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Vehicles given, per type (``kind``), with shares."""
    return _named(breakdown(ds, "vehicles", bounds), ds, "kind", "vehicles_count")


def weapons_by_recipient(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Weapons and equipment value per receiving force, overlaps counted once."""
    return _named(breakdown(ds, "aid_weapons", bounds), ds, "force_id", "value_usd")


def aid_by_category(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Aid totals per category (vehicles, cash, weapons); a category with no figure is absent.

    Categories are never added to each other: the article does not say whether
    the weapons were bought from the cash.
    """
    rows = [summed_total(ds, n, bounds) for n in ("vehicles", "aid_cash", "aid_weapons")]
    out = pd.DataFrame([r for r in rows if r is not None], columns=METRIC_COLUMNS)
    out["dates"] = [d or mixed_dates(ds, i) for d, i in zip(out["dates"], out["inputs"],
                                                             strict=True)]
    by_source = _sources_by_id(ds)
    out["sources"] = [s or _several(by_source, i) for s, i in zip(out["sources"],
                                                                     out["inputs"], strict=True)]
    return out


def current_figure(ds: Dataset, figure_id: str) -> str:
    """The figure that stands for ``figure_id`` now: its correction's, followed to the last.

    A ``supersedes`` chain (a 2022 count correcting the 2021 one, corrected again)
    ends at the newest figure; a figure nothing supersedes is its own answer.
    ``load_dataset`` refuses supersedes loops, so the walk ends.
    """
    rel = canonical_relations(ds.relations)
    newer = dict(zip(rel.loc[rel["relation"] == "supersedes", "other_id"],
                     rel.loc[rel["relation"] == "supersedes", "figure_id"], strict=True))
    seen = {figure_id}
    while figure_id in newer and newer[figure_id] not in seen:
        figure_id = newer[figure_id]
        seen.add(figure_id)
    return figure_id


def figure_status(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Every figure's place in the sums: which metric, counted or why not.

    Returns:
        Columns ``id``, ``metric`` (a ``SUMMED`` name, "" for figures no metric
        sums), ``status`` (``counted``, ``disputed`` — counted as one account of
        a range —, ``restates``, ``other_unit_of``, ``superseded_by``,
        ``part_of``, ``excluded``, or ``not_summed``) and ``other_id``.
    """
    out = {fid: ("", "not_summed", "") for fid in ds.figures["id"]}
    rel = canonical_relations(ds.relations)
    for a, r, b in rel[["figure_id", "relation", "other_id"]].itertuples(index=False, name=None):
        if r == "supersedes" and b in out:
            out[b] = ("", "superseded_by", a)
    # Figures no metric sums still follow their relations: a restatement is not shown twice.
    for a, r, b in rel[["figure_id", "relation", "other_id"]].itertuples(index=False, name=None):
        if a in out and b in out and out[a][1] == "not_summed" \
                and (r in COUNT_ONCE or r == "part_of"):
            word = {"duplicate_of": "restates", "measures_same_as": "other_unit_of"}
            out[a] = ("", word.get(r, r), b)
    if bounds == "exclude":  # a bound is left out even where nothing is summed
        for fid, q in zip(ds.figures["id"], ds.figures["qualifier"], strict=True):
            if q != "exact" and out[fid][1] == "not_summed":
                out[fid] = ("", "excluded", "")
    member = membership(ds.figures, ds.relations)
    for name in summed_metrics(ds.figures):
        res = _resolved(ds, name, bounds, member)
        for fid in res.counted:
            out[fid] = (name, "counted", "")
        for fid, (status, other) in res.status.items():
            out[fid] = (name, status, other)
    return pd.DataFrame([(fid, *v) for fid, v in out.items()],
                        columns=["id", "metric", "status", "other_id"])


def excluded_bounds(ds: Dataset, bounds: str) -> pd.DataFrame:
    """Figures left out of any sum because ``bounds="exclude"`` (stood in for or not)."""
    member = membership(ds.figures, ds.relations)
    ids = [i for name in summed_metrics(ds.figures)
           for i, (status, _) in _resolved(ds, name, bounds, member).status.items()
           if status == "excluded"]
    f = ds.figures
    return f[f["id"].isin(ids)]


#: Relations listed as "counted once" (not disagreements).
OVERLAPS = ("duplicate_of", "part_of", "measures_same_as", "supersedes", "adds_to")


def overlaps(ds: Dataset) -> pd.DataFrame:
    """Declared relations other than disagreements: which figure counts, and why.

    For ``supersedes`` the correction (``figure_id``) counts and the older
    figure does not; for ``adds_to`` both count.
    """
    rel = canonical_relations(ds.relations)
    rel = rel[rel["relation"].isin(OVERLAPS)]
    f = ds.figures.set_index("id")
    newer = rel["relation"] == "supersedes"
    both = rel["relation"] == "adds_to"
    not_counted = rel["figure_id"].where(~newer, rel["other_id"])
    counted = rel["other_id"].where(~newer, rel["figure_id"])
    out = pd.DataFrame({
        "not_counted": not_counted.where(~both, ""), "relation": rel["relation"],
        "counted": counted, "figure_id": rel["figure_id"], "other_id": rel["other_id"],
        "not_counted_value": not_counted.map(f["value"]).where(~both),
        "counted_value": counted.map(f["value"]),
        "note": rel["note"],
        "note_ar": rel.get("note_ar", ""),
    })
    return out.reset_index(drop=True)


def conflicts(ds: Dataset) -> pd.DataFrame:
    """Figures that disagree (``conflicts_with``), side by side with their quotes.

    Restatements are never listed here: a restatement that disagrees is refused
    by validation, so a pair is either counted once or disputed, never both.
    """
    rel = canonical_relations(ds.relations)
    f = ds.figures.set_index("id")
    pairs = rel[rel["relation"] == "conflicts_with"]
    cols = ["value", "unit", "qualifier", "quote", "paragraph", "attributed_to",
            "attributed_to_ar", "source"]
    f = f.assign(**{c: "" for c in cols if c not in f})  # optional columns a frame may lack
    left = f.reindex(pairs["figure_id"])[cols].add_suffix("_a").reset_index(drop=True)
    right = f.reindex(pairs["other_id"])[cols].add_suffix("_b").reset_index(drop=True)
    pairs = pairs.assign(**{c: "" for c in ("note_ar",) if c not in pairs})
    head = pairs[["figure_id", "relation", "other_id", "note", "note_ar"]].reset_index(drop=True)
    head = head.rename(columns={"figure_id": "id_a", "other_id": "id_b"})
    return pd.concat([head, left, right], axis=1)


def timeline(ds: Dataset) -> pd.DataFrame:
    """Calendar years and durations the article states, in order."""
    f = ds.figures
    t = f[f["category"] == "timeline"].copy()
    t["is_year"] = t["unit"] == "year"
    t = t.assign(**{c: "" for c in ("subject_ar", "note_ar") if c not in t})
    return t.sort_values(["is_year", "value", "id"], ascending=[False, True, True],
                         kind="stable")[
        ["id", "value", "unit", "qualifier", "subject_en", "subject_ar", "quote", "paragraph",
         "as_of", "note", "note_ar", "source"]
    ].reset_index(drop=True)


def _row(metric: str, value: float, high: float, qualifier: str, unit: str, inputs: str,
         excluded: str = "", disputed: str = "") -> dict[str, object]:
    return {"metric": metric, "value": value, "value_high": high, "qualifier": qualifier,
            "unit": unit, "inputs": inputs, "excluded": excluded, "disputed": disputed,
            "dates": "", "sources": ""}


def mixed_dates(ds: Dataset, inputs: str) -> str:
    """The distinct ``as_of`` dates of the figures summed, ";"-joined, when there are several.

    A total of figures that hold at different dates (2018 and 2021) is no one
    moment's count; reports say so next to it. Empty when they share one date
    or give none.
    """
    return _several(_dates_by_id(ds), inputs)


def _several(by_id: dict[str, str], inputs: str) -> str:
    """The distinct values ``by_id`` gives the inputs (``_dates_by_id``,
    ``_sources_by_id``), ";"-joined, when there are several; else ""."""
    if not by_id:
        return ""
    found = sorted({by_id[i] for i in str(inputs).split(";") if i in by_id})
    return _join(found) if len(found) > 1 else ""


def _sources_by_id(ds: Dataset) -> dict[str, str]:
    """id -> source of every figure; empty when the figures come from one article (then
    no total mixes articles). A total that adds figures of several articles says so, as
    one of several dates does."""
    if ds.figures["source"].nunique() < 2:
        return {}
    return dict(zip(ds.figures["id"], ds.figures["source"], strict=True))


def _dates_by_id(ds: Dataset) -> dict[str, str]:
    """id -> as_of of the dated figures; empty when the table has fewer than two dates
    (then no total mixes dates)."""
    as_of = ds.figures["as_of"]
    if len({d for d in as_of.unique().tolist() if isinstance(d, str) and d}) < 2:
        return {}
    dated = as_of.notna() & (as_of != "")
    return dict(zip(ds.figures["id"][dated], as_of[dated].astype(str), strict=True))


def _breakdown_frame(res: Resolution, prefix: str, suffix: str, shares: bool) -> pd.DataFrame:
    """One metric row per group of a breakdown (then one share row per group)."""
    b = _breakdown(res)
    label = [g if g != "" else "unspecified" for g in b["group"].tolist()]
    inputs = b["inputs"].tolist()
    out = pd.DataFrame({
        "metric": pd.array([prefix + g + suffix for g in label], dtype="str"),
        "value": b["value"], "value_high": b["value_high"],
        "qualifier": b["qualifier"], "unit": res.summed.unit, "inputs": b["inputs"],
        "excluded": "", "disputed": pd.array(
            [i if d else "" for i, d in zip(inputs, b["disputed"].tolist(), strict=True)],
            dtype="str"),
        "dates": "", "sources": ""}, columns=METRIC_COLUMNS)
    if not shares or b.empty:
        return out
    share = pd.DataFrame({
        "metric": pd.array([f"{prefix}share_{g}_pct" for g in label], dtype="str"),
        "value": b["share_pct"],
        "value_high": b["share_high_pct"], "qualifier": b["share_qualifier"], "unit": "pct",
        "inputs": res.inputs,  # every id the breakdown adds up
        "excluded": "", "disputed": "", "dates": "", "sources": ""}, columns=METRIC_COLUMNS)
    return pd.concat([out, share], ignore_index=True)


def compute_metrics(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Every published metric as ``METRIC_COLUMNS``, actor by actor (``Dataset.actors``
    order); a metric with no input is absent.

    Names: ``trainees_total``, ``trainees_<force>``, ``trainees_share_<force>_pct``,
    ``vehicles_total``, ``vehicles_<kind>``, ``aid_cash_usd``, ``aid_weapons_usd``,
    ``aid_weapons_<force>_usd``, ``airstrikes_total``, ``troops_total``. A name is unique
    within its ``actor``: each actor's totals add only its own figures, so another
    actor's figures never change them.
    """
    check_bounds(bounds)
    parts = [_actor_metrics(ds.for_actor(actor), bounds).assign(actor=actor)
             for actor in ds.actors()]
    found = [p for p in parts if not p.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=METRIC_COLUMNS)


def _actor_metrics(ds: Dataset, bounds: str) -> pd.DataFrame:
    """``compute_metrics`` of a dataset holding one actor's figures."""
    # Each metric resolved once (a total and its breakdown read the same resolution),
    # from one membership and one date map of the table.
    member = membership(ds.figures, ds.relations)
    summed = summed_metrics(ds.figures)
    res = {name: _resolved(ds, name, bounds, member) for name in summed}
    dates, sources = _dates_by_id(ds), _sources_by_id(ds)

    def total(name: str) -> pd.DataFrame:
        row = _summed_total(res[name], dates, sources)
        return pd.DataFrame([row] if row is not None else [], columns=METRIC_COLUMNS)

    parts = [total("trainees"),
             _breakdown_frame(res["trainees"], "trainees_", "", shares=True),
             total("vehicles"),
             _breakdown_frame(res["vehicles"], "vehicles_", "", shares=False),
             *(total(n) for n in currencies("aid_cash", summed)),
             *(total(n) for n in currencies("aid_weapons", summed)),
             _breakdown_frame(res["aid_weapons"], "aid_weapons_", "_usd", shares=False),
             total("airstrikes"), total("troops")]
    found = [p for p in parts if not p.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=METRIC_COLUMNS)


def _cell(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return f"{v:.0f}" if float(v).is_integer() else f"{v:.4f}"  # type: ignore[arg-type]


def write_metrics(metrics: pd.DataFrame, path: str) -> None:
    """Write metrics as CSV, whole numbers without a trailing ``.0``, no range as blank."""
    out = metrics.copy()
    for col in ("value", "value_high"):
        out[col] = [_cell(v) for v in out[col]]
    out.to_csv(path, index=False, lineterminator="\n")
