"""Derived metrics, as pure functions: Dataset in, DataFrame out.

**The rule of what is summed.** A summed metric (``SUMMED``: trainees,
vehicles, cash, weapons, airstrikes, troops) takes the figures of one category
in one unit and is made of *slots*: one count per force, per vehicle kind, per
aid recipient (the ``slot`` column of ``SUMMED``; no column means one slot).
A slot that more than one figure would fill is never combined silently; the
figures must be related in ``relations.csv`` (``figure_id RELATION other_id``):

=================== ============================================================
``duplicate_of``     a restatement: counted once (``other_id``, the original).
                     The two must agree (their ranges overlap), else validation
                     refuses and asks for ``supersedes`` or ``conflicts_with``.
``supersedes``       a correction: ``figure_id`` counts, ``other_id`` is shown
                     as superseded and never counted, whatever its source.
``conflicts_with``   a disagreement: never summed; the slot becomes a range
                     from the lowest to the highest account, flagged disputed.
``part_of``          a subset: dropped when its whole is counted in the same
                     metric.
``measures_same_as`` the same thing in another unit: counted once.
``adds_to``          separate amounts of one slot that do add up.
=================== ============================================================

Anything else — two figures in one slot with no relation — is refused by
``workbook validate`` (``slot_problems``) with one message naming both rows.

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

import functools
import itertools
import math
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import distinct
from .errors import Problem, WorkbookError
from .vocab import BOUNDS

if TYPE_CHECKING:
    from .dataset import Dataset

#: Relations after which one figure of the pair is not counted (the other stands for both).
COUNT_ONCE = ("duplicate_of", "measures_same_as")
#: Older or plainer names a curator may write; read as the canonical relation.
RELATION_ALIASES = {"restates": "duplicate_of", "corrects": "supersedes",
                    "disagrees_with": "conflicts_with", "other_unit_of": "measures_same_as",
                    "same_in_other_unit": "measures_same_as", "subset_of": "part_of"}
#: How far apart two ``approx`` figures may be and still be one statement restated.
APPROX_TOLERANCE = 0.05

_DIRECTION = {"exact": 0, "at_least": 1, "at_most": -1, "approx": None}
_QUALIFIER = {0: "exact", 1: "at_least", -1: "at_most", None: "approx"}
METRIC_COLUMNS = ["metric", "value", "value_high", "qualifier", "unit", "inputs", "excluded",
                  "disputed", "dates"]


@dataclass(frozen=True)
class Summed:
    """A summed metric: which figures it takes and how its breakdown groups them."""

    name: str
    category: str
    unit: str
    group: str | None  # figures column the breakdown groups by; None = no breakdown


#: A slot is one (force_id, kind) within a summed metric's category and unit.
SLOT_COLUMNS = ("force_id", "kind")

#: The summed metrics, in the order they are published.
SUMMED: dict[str, Summed] = {s.name: s for s in (
    Summed("trainees", "training", "persons", "force_id"),
    Summed("vehicles", "aid_vehicles", "vehicles", "kind"),
    Summed("aid_cash", "aid_cash", "usd", "force_id"),
    Summed("aid_weapons", "aid_weapons", "usd", "force_id"),
    Summed("airstrikes", "airstrikes", "airstrikes", None),
    Summed("troops", "troops", "soldiers", None),
)}
#: Name of each summed metric's total in ``compute_metrics``.
TOTAL_NAMES = {"trainees": "trainees_total", "vehicles": "vehicles_total",
               "aid_cash": "aid_cash_usd", "aid_weapons": "aid_weapons_usd",
               "airstrikes": "airstrikes_total", "troops": "troops_total"}


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



def _range(value: float, qualifier: str) -> tuple[float, float]:
    """The values a figure allows: ``at_least 3`` is [3, inf)."""
    if qualifier == "at_least":
        return value, math.inf
    if qualifier == "at_most":
        return 0.0, value
    if qualifier == "approx":
        return value * (1 - APPROX_TOLERANCE), value * (1 + APPROX_TOLERANCE)
    return value, value


def compatible(a: tuple[float, str], b: tuple[float, str]) -> bool:
    """Whether two (value, qualifier) figures can state the same quantity.

    Examples:
        >>> compatible((3e6, "at_least"), (3e6, "exact"))
        True
        >>> compatible((29000, "exact"), (29500, "exact"))
        False
    """
    (lo1, hi1), (lo2, hi2) = _range(*a), _range(*b)
    return lo1 <= hi2 and lo2 <= hi1


# --------------------------------------------------------------------------- resolution

def canonical_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """Relations with aliases (``restates``, ``disagrees_with`` …) read as canonical names."""
    if relations.empty or not relations["relation"].isin(list(RELATION_ALIASES)).any():
        return relations
    out = relations.copy()
    out["relation"] = out["relation"].replace(RELATION_ALIASES)
    return out


class _Groups:
    """Union-find over figure ids."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def find(self, i: str) -> str:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for i in sorted(self.parent):
            out.setdefault(self.find(i), []).append(i)
        return out


SLOT_FRAME_COLUMNS = ["force_id", "kind", "group", "low", "high", "qualifier", "disputed",
                      "inputs"]


@dataclass
class Resolution:
    """How one summed metric treats each of its figures.

    ``slots`` has one row per slot (``SLOT_FRAME_COLUMNS``): its range
    ``low``..``high`` (equal unless disputed), qualifier and counted inputs; its
    first ``lone`` rows are lone figures, one id each.
    ``status`` holds every figure that is *not* simply counted, with the
    figure it defers to; ``excluded`` the figures whose loss to
    ``bounds="exclude"`` makes the total a lower bound.
    """

    summed: Summed
    slots: pd.DataFrame
    lone: int = 0
    counted: list[str] = field(default_factory=list)
    status: dict[str, tuple[str, str]] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    undeclared: list[tuple[str, str]] = field(default_factory=list)

    @functools.cached_property
    def inputs(self) -> str:
        """The counted ids, ";"-joined in order (a total's ``inputs``; each share's too)."""
        return _join(self.counted)


def _slot_key(fig: Mapping[str, object]) -> tuple[str, str]:
    return str(fig["force_id"]), str(fig["kind"])


def resolve(figures: pd.DataFrame, relations: pd.DataFrame, summed: Summed,
            bounds: str = "as_lower_bound", *, membership: Membership | None = None
            ) -> Resolution:
    """Apply the rule of the module docstring to one summed metric.

    Figures in no relation and alone in their slot take a vectorised path, so
    a million-row table costs little more than its related figures.

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
    pairs = _pairs(relations)
    if membership is None or summed not in membership.summed:
        membership = _membership(figures, pairs, (summed,))
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
    res.lone = len(simple)
    if not tricky.empty:
        frames.append(_resolve_related(tricky, pairs, summed, bounds, res))
    res.slots = pd.concat([f for f in frames if not f.empty] or [frames[0]], ignore_index=True)
    return res


def _pairs(relations: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(figure_id, relation, other_id)`` of every relation, aliases read as canonical."""
    rel = canonical_relations(relations)
    return list(rel[["figure_id", "relation", "other_id"]].itertuples(index=False, name=None))


@dataclass(frozen=True)
class Membership:
    """Which summed metric takes each row of a figures table, found in one pass for all.

    ``metric`` holds, per row, the position in ``summed`` of the metric that
    sums it (-1: none); ``tricky`` marks the rows ``_resolve_related`` must
    treat one by one (in a relation, or sharing a slot with another figure of
    their metric). The other rows are summed as they are. ``related`` marks
    the rows named in a relation, whatever their metric.
    """

    summed: tuple[Summed, ...]
    metric: np.ndarray
    tricky: np.ndarray
    related: np.ndarray

    def split(self, figures: pd.DataFrame, summed: Summed) -> tuple[pd.DataFrame, pd.DataFrame]:
        """One metric's figures, lone and tricky, with only the columns resolution reads."""
        lone = (self.metric == self.summed.index(summed)) & ~self.tricky
        return figures.loc[lone, self._read(summed)], self.tricky_rows(figures, summed)

    def tricky_rows(self, figures: pd.DataFrame, summed: Summed) -> pd.DataFrame:
        """One metric's tricky figures (all that slot_problems reads)."""
        mine = self.metric == self.summed.index(summed)
        return figures.loc[mine & self.tricky, self._read(summed)]

    @staticmethod
    def _read(summed: Summed) -> list[str]:
        read = ["id", "value", "qualifier", *SLOT_COLUMNS]
        return read + [c for c in (summed.group,) if c and c not in read]


def membership(figures: pd.DataFrame, relations: pd.DataFrame) -> Membership:
    """``Membership`` of every row in the ``SUMMED`` metrics (see ``resolve``)."""
    return _membership(figures, _pairs(relations), tuple(SUMMED.values()))


#: What membership reads of a figures table.
_MEMBERSHIP_COLUMNS = ("id", "category", "unit", *SLOT_COLUMNS)


@dataclass(frozen=True)
class _Memo:
    """The last membership worked out: of which table, and copies of what it read there."""

    table: weakref.ref[pd.DataFrame]
    columns: tuple[np.ndarray, ...]
    pairs: list[tuple[str, str, str]]
    summed: tuple[Summed, ...]
    result: Membership


_LAST: list[_Memo] = []


def _forget(table: weakref.ref[pd.DataFrame]) -> None:
    """Drop the memo of a table nobody holds any more (its copies are 100 MB at 1 M rows)."""
    _LAST[:] = [m for m in _LAST if m.table is not table]


def _membership(figures: pd.DataFrame, pairs: list[tuple[str, str, str]],
                summed: tuple[Summed, ...]) -> Membership:
    """``Membership``, remembered for the table it was last asked of: validation works it
    out, and compute_metrics on the same table (the very frame) reuses it. The memo holds
    copies of the columns read and is used only if the table's columns still equal them
    cell for cell (comparing unchanged cells is an identity check), so a table edited in
    place is worked out anew; so is a table loaded again, even unchanged.
    """
    columns = tuple(figures[c].to_numpy(dtype=object) for c in _MEMBERSHIP_COLUMNS)
    for memo in _LAST:
        if memo.table() is figures and memo.summed == summed and memo.pairs == pairs and all(
                distinct.same_cells(old, new)
                for old, new in zip(memo.columns, columns, strict=True)):
            return memo.result
    result = _work_out_membership(figures, pairs, summed)
    _LAST[:] = [_Memo(weakref.ref(figures, _forget), tuple(c.copy() for c in columns),
                      list(pairs), summed, result)]
    return result


def _work_out_membership(figures: pd.DataFrame, pairs: list[tuple[str, str, str]],
                         summed: tuple[Summed, ...]) -> Membership:
    # Category and unit are factorised once and compared as codes: comparing text
    # per metric cost more, at a million rows, than everything else here.
    metric = np.full(len(figures), -1, dtype=np.int8)
    cats, cat_names = distinct.column(figures, "category")
    units, unit_names = distinct.column(figures, "unit")
    cat_code = {c: i for i, c in enumerate(cat_names)}
    unit_code = {u: i for i, u in enumerate(unit_names)}
    for k, s in enumerate(summed):
        if s.category in cat_code and s.unit in unit_code:
            metric[(cats == cat_code[s.category]) & (units == unit_code[s.unit])] = k
    taken = metric >= 0
    tricky = np.zeros(len(figures), dtype=bool)
    if taken.any():
        tricky[taken] = _shared_slots(metric[taken], figures, taken)
    named = {x for a, _, b in pairs for x in (a, b)}
    related = figures["id"].isin(named).to_numpy() if named else np.zeros(len(figures), bool)
    tricky |= taken & related
    metric.flags.writeable = tricky.flags.writeable = related.flags.writeable = False  # shared
    return Membership(summed, metric, tricky, related)


def _shared_slots(metric: np.ndarray, figures: pd.DataFrame, taken: np.ndarray) -> np.ndarray:
    """Which of the ``taken`` rows (``metric``: each one's metric) share their slot, the
    metric and every ``SLOT_COLUMNS`` value, with another: one number per slot, then
    which numbers repeat. A slot column whose values all differ among the taken rows
    ends the search (then so do all slots): a million distinct vehicle kinds cost
    more to number than the rest of the search.
    """
    slot, span = metric.astype(np.int64), int(metric.max()) + 1
    for c in SLOT_COLUMNS:
        all_codes, names = distinct.column(figures, c)
        codes = all_codes[taken]
        if np.bincount(codes, minlength=len(names)).max() == 1:
            return np.zeros(len(slot), dtype=bool)
        if span * len(names) >= 1 << 62:  # renumber before the product overflows
            slot, span = pd.factorize(slot)[0], len(slot)
        slot, span = slot * len(names) + codes, span * len(names)
    return pd.Series(slot).duplicated(keep=False).to_numpy()


def _stable_order(*keys: pd.Series) -> np.ndarray:
    """Positions sorting rows by ``keys`` (the first decides first), as a stable ``sort_values``.

    One stable Python sort per key, the last key first: pandas sorts object text
    by numpy's generic comparison, which took seconds for the slots of a
    million-row table, and ranking distinct values first costs a hash table per
    key. Missing values sort last, as pandas puts them.
    """
    order = list(range(len(keys[0])))
    for key in reversed(keys):
        values, missing = key.tolist(), key.isna().to_numpy()
        absent = [i for i in order if missing[i]] if missing.any() else []
        present = [i for i in order if not missing[i]] if absent else order
        present.sort(key=values.__getitem__)
        order = present + absent
    return np.asarray(order, dtype=np.intp)


def _resolve_related(figs: pd.DataFrame, pairs: list[tuple[str, str, str]], summed: Summed,
                     bounds: str, res: Resolution) -> pd.DataFrame:
    """The slow path of ``resolve``: figures in relations or sharing a slot."""
    by_id = {r["id"]: r for r in figs.to_dict("records")}
    ids = set(by_id)

    # 1. Corrections: a superseded figure never counts, whichever metric its correction is in.
    for a, r, b in pairs:
        if r == "supersedes" and b in ids:
            res.status[b] = ("superseded_by", a)
    live = ids - set(res.status)

    # 2. Restatements (and the same thing in another unit) form groups counted once.
    groups = _Groups(live)
    restated: dict[str, tuple[str, str]] = {}
    for a, r, b in pairs:
        if r in COUNT_ONCE and a in live and b in live:
            groups.union(a, b)
            restated[a] = (r, b)
    chosen: dict[str, str] = {}  # group root -> the member that counts
    for root, members in groups.members().items():
        originals = [m for m in members if m not in restated] or members
        pick = originals[0]
        if bounds == "exclude" and by_id[pick]["qualifier"] != "exact":
            exact = [m for m in members if by_id[m]["qualifier"] == "exact"]
            if not exact:  # nothing exact stands in: the total loses this figure
                res.excluded += members
                res.status.update({m: ("excluded", "") for m in members})
                continue
            pick = exact[0]
        chosen[root] = pick
        for m in members:
            if m == pick:
                continue
            if bounds == "exclude" and by_id[m]["qualifier"] != "exact":
                res.status[m] = ("excluded", pick)  # an exact restatement stands in
            else:
                kind, other = restated.get(m, ("duplicate_of", pick))
                res.status[m] = ("other_unit_of" if kind == "measures_same_as" else "restates",
                                 other)

    # 3. A part is dropped when its whole is counted in this metric.
    root_of = {m: groups.find(m) for m in live}
    for a, r, b in pairs:
        if r == "part_of" and a in root_of and b in root_of and root_of[a] in chosen \
                and root_of[b] in chosen and root_of[a] != root_of[b]:
            res.status[chosen.pop(root_of[a])] = ("part_of", b)
    counted = set(chosen.values())
    rep = {m: chosen[root_of[m]] for m in live if root_of[m] in chosen}

    # 4. Accounts: adds_to joins amounts; conflicts_with makes one slot of several accounts.
    adds, disputes = _Groups(counted), _Groups(counted)
    declared: set[frozenset[str]] = set()
    for a, r, b in pairs:
        if a in rep and b in rep and rep[a] != rep[b]:
            x, y = rep[a], rep[b]
            declared.add(frozenset((x, y)))
            if r == "adds_to":
                adds.union(x, y)
            elif r == "conflicts_with":
                disputes.union(x, y)
    key = {i: _slot_key(by_id[i]) for i in counted}
    joined: dict[str, tuple[str, str]] = {}
    for i in sorted(counted):  # a disagreement across slots still makes one slot
        root = disputes.find(i)
        joined[root] = min(joined.get(root, key[i]), key[i])
    by_slot: dict[tuple[str, str], list[str]] = {}
    for i in sorted(counted):
        by_slot.setdefault(joined[disputes.find(i)], []).append(i)
    rows = []
    for (force, kind), members in by_slot.items():
        accounts: dict[str, list[str]] = {}
        for m in members:
            accounts.setdefault(adds.find(m), []).append(m)
        accs = sorted(accounts.values())
        for n, acc in enumerate(accs):  # every two accounts must be declared as disagreeing
            for other in accs[n + 1:]:
                if not any(frozenset((x, y)) in declared for x in acc for y in other):
                    res.undeclared.append((acc[0], other[0]))
        sums = [sum(float(by_id[m]["value"]) for m in acc) for acc in accs]
        disputed = len(accs) > 1
        first = by_id[members[0]]
        rows.append({"force_id": force, "kind": kind,
                     "group": str(first[summed.group]) if summed.group else "",
                     "low": min(sums), "high": max(sums),
                     "qualifier": combine_qualifiers(by_id[m]["qualifier"] for m in members),
                     "disputed": disputed, "inputs": _join(members)})
        res.counted += members
        if disputed:
            res.status.update({m: ("disputed", "") for m in members})
    return pd.DataFrame(rows, columns=SLOT_FRAME_COLUMNS)


def slot_problems(figures: pd.DataFrame, relations: pd.DataFrame) -> list[Problem]:
    """Figures that fill one slot with no relation saying how, and restatements that disagree.

    Used by ``load_dataset``: one problem per pair, at the later row, naming
    both rows and what can be declared.
    """
    file, rows = figures.attrs.get("file", "figures.csv"), figures.attrs.get("rows", {})
    pairs = _pairs(relations)
    member = _membership(figures, pairs, tuple(SUMMED.values()))
    # Only figures in a relation or sharing a slot can be named below: look up only those.
    named = figures[member.tricky | member.related]
    position = pd.Series(named.index, index=named["id"])

    def row_of(fid: str) -> int:
        i = position.get(fid)
        return 0 if i is None else rows.get(i, i + 2)

    problems: list[Problem] = []
    f = named.set_index("id")
    for summed in SUMMED.values():
        # Figures alone in their slot and in no relation cannot share it: only the rest.
        tricky = member.tricky_rows(figures, summed)
        res = Resolution(summed, pd.DataFrame(columns=SLOT_FRAME_COLUMNS))
        if not tricky.empty:
            _resolve_related(tricky, pairs, summed, "as_lower_bound", res)
        for a, b in res.undeclared:
            first, second = sorted((a, b), key=row_of)
            force, kind = _slot_key(f.loc[first])
            where = ", ".join(f"{c}={v}" for c, v in (("force_id", force), ("kind", kind)) if v)
            slot = f"{summed.name} ({where})" if where else summed.name
            problems.append(Problem(file, row_of(second), "id", (
                f"{second} and {first} (row {row_of(first)}) both fill one slot of "
                f"{slot}; declare in relations.csv how they relate: duplicate_of (a "
                "restatement), supersedes (a correction), conflicts_with (a disagreement), "
                "adds_to (separate amounts that add up) or part_of")))
    rel = canonical_relations(relations)
    rel_file, rel_rows = relations.attrs.get("file", "relations.csv"), \
        relations.attrs.get("rows", {})
    for idx, a, r, b in rel[["figure_id", "relation", "other_id"]].itertuples(name=None):
        row = rel_rows.get(idx, idx + 2)
        if a not in f.index or b not in f.index:
            continue  # reported as an unknown id
        if a == b:
            problems.append(Problem(rel_file, row, "other_id", f"{a} is related to itself"))
        elif r == "duplicate_of" and not compatible(
                (float(f.at[a, "value"]), f.at[a, "qualifier"]),
                (float(f.at[b, "value"]), f.at[b, "qualifier"])):
            problems.append(Problem(rel_file, row, "relation", (
                f"{a} ({f.at[a, 'qualifier']} {f.at[a, 'value']:g}) and {b} "
                f"({f.at[b, 'qualifier']} {f.at[b, 'value']:g}) disagree, so one cannot "
                "restate the other; declare supersedes (a correction) or conflicts_with "
                "(a disagreement)")))
    problems += _supersede_cycles(rel, rel_file, rel_rows)
    return problems


def _supersede_cycles(rel: pd.DataFrame, file: str, rows: Mapping[int, int]) -> list[Problem]:
    newer = {b: a for a, r, b in rel[["figure_id", "relation", "other_id"]].itertuples(
        index=False, name=None) if r == "supersedes"}
    for idx, a, r, b in rel[["figure_id", "relation", "other_id"]].itertuples(name=None):
        if r != "supersedes":
            continue
        seen, cur = {b}, a
        while cur in newer:
            cur = newer[cur]
            if cur in seen:
                return [Problem(file, rows.get(idx, idx + 2), "relation",
                                f"supersedes relations loop through {a} and {b}")]
            seen.add(cur)
    return []


# --------------------------------------------------------------------------- metrics

def _resolved(ds: Dataset, name: str, bounds: str) -> Resolution:
    cache = _RESOLVING.get(id(ds))
    if cache is not None and (name, bounds) in cache.resolutions:
        return cache.resolutions[(name, bounds)]
    if cache is not None and cache.membership is None:
        cache.membership = membership(ds.figures, ds.relations)
    res = resolve(ds.figures, ds.relations, SUMMED[name], bounds,
                  membership=cache.membership if cache is not None else None)
    if cache is not None:
        cache.resolutions[(name, bounds)] = res
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


def _exact_sum(values: np.ndarray) -> float:
    """The exact sum, whatever order the values come in (a reordered table, same total).

    Whole numbers whose sizes add up to less than 2**52 sum exactly in floating point
    (every partial sum is a whole number below 2**53), so numpy adds them; any other
    values are added by ``math.fsum`` (ten times slower at a million values).
    """
    whole = bool(np.all(np.mod(values, 1) == 0))  # (NaN and infinity are not whole)
    if whole and float(np.abs(values).sum()) < 2.0 ** 52:
        return float(values.sum())
    return math.fsum(values.tolist())


def _total_row(res: Resolution, metric: str) -> dict[str, object] | None:
    slots = res.slots
    if slots.empty:
        return None
    low, high = (_exact_sum(slots[c].to_numpy(dtype=float)) for c in ("low", "high"))
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
    row = _total_row(_resolved(ds, name, bounds), TOTAL_NAMES[name])
    if row is not None:
        row["dates"] = mixed_dates(ds, str(row["inputs"]))
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
    res = _resolved(ds, name, bounds)
    s = res.slots
    if s.empty:
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS)
    # One numbering of the groups serves every per-group sum (a breakdown by vehicle kind
    # can have a group per row); a figure with no group value is "unspecified".
    codes, groups = distinct.factorize(s["group"].fillna("").to_numpy(dtype=object))
    n = len(groups)

    def per_group(values: pd.Series) -> np.ndarray:
        return np.bincount(codes, weights=values.to_numpy(dtype=float), minlength=n)

    out = pd.DataFrame({"group": groups, "value": per_group(s["low"]),
                        "high": per_group(s["high"]),
                        "qualifier": _combine_by(s["qualifier"].to_numpy(dtype=object), codes, n),
                        "disputed": per_group(s["disputed"]) > 0,
                        "inputs": _joined_by(codes, s["inputs"].to_numpy(dtype=object), n,
                                             res.lone)})
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
    by_group = _stable_order(out["group"])  # then by value, largest first: ties keep group order
    order = by_group[np.argsort(-out["value"].to_numpy(dtype=float)[by_group], kind="stable")]
    return out[BREAKDOWN_COLUMNS].take(order).reset_index(drop=True)


def _joined_by(codes: np.ndarray, inputs: np.ndarray, groups: int, single: int = 0
               ) -> list[str]:
    """``_join`` of every id in ``inputs`` (";"-joined cells) per group (``codes`` numbers
    each row's group, from 0 in order of first appearance): one stable sort by group,
    then one sort and join per group. The first ``single`` cells are known to hold one
    id each (lone figures): only the others are searched for a ";"."""
    if not any(";" in c for c in inputs[single:]):  # one id per slot (the usual case)
        if groups == len(inputs):  # and one slot per group: nothing to gather
            return inputs.tolist()
        ids, owner = inputs, codes
    else:
        counts = np.fromiter((c.count(";") + 1 for c in inputs), dtype=np.int64,
                             count=len(inputs))
        ids = np.array(";".join(inputs).split(";"), dtype=object)
        owner = np.repeat(codes, counts)
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(groups + 1))
    ordered = ids[order].tolist()
    return [";".join(sorted(ordered[a:b])) for a, b in itertools.pairwise(bounds.tolist())]


def _share_qualifiers(quals: pd.Series, extra: list[str]) -> list[str]:
    """``share_qualifier`` of each group against the others' qualifiers (counted, not listed).

    A group's "others" is every qualifier some *other* group has, which depends
    only on the group's own qualifier: one call per distinct qualifier (at most
    four), then a lookup, however many groups there are.
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
    for name in SUMMED:
        res = _resolved(ds, name, bounds)
        for fid in res.counted:
            out[fid] = (name, "counted", "")
        for fid, (status, other) in res.status.items():
            out[fid] = (name, status, other)
    return pd.DataFrame([(fid, *v) for fid, v in out.items()],
                        columns=["id", "metric", "status", "other_id"])


def excluded_bounds(ds: Dataset, bounds: str) -> pd.DataFrame:
    """Figures left out of any sum because ``bounds="exclude"`` (stood in for or not)."""
    ids = [i for name in SUMMED for i, (status, _) in _resolved(ds, name, bounds).status.items()
           if status == "excluded"]
    f = ds.figures
    return f[f["id"].isin(ids)][["id", "value", "unit", "qualifier", "quote"]]


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
            "dates": ""}


def mixed_dates(ds: Dataset, inputs: str) -> str:
    """The distinct ``as_of`` dates of the figures summed, ";"-joined, when there are several.

    A total of figures that hold at different dates (2018 and 2021) is no one
    moment's count; reports say so next to it. Empty when they share one date
    or give none.
    """
    by_id = _dates_by_id(ds)
    if not by_id:
        return ""
    found = sorted({by_id[i] for i in str(inputs).split(";") if i in by_id})
    return _join(found) if len(found) > 1 else ""


def _dates_by_id(ds: Dataset) -> dict[str, str]:
    """id -> as_of of the dated figures; empty when the table has fewer than two dates.

    Built once per ``compute_metrics`` (kept beside its resolutions), not once per
    metric: a million-row table has no time to scan per row of the output.
    """
    cache = _RESOLVING.get(id(ds))
    if cache is not None and cache.dates is not None:
        return cache.dates
    # The distinct dates first: a table of one date (the usual case) needs no map.
    as_of = ds.figures["as_of"]
    by_id: dict[str, str] = {}
    if len({d for d in as_of.unique().tolist() if isinstance(d, str) and d}) > 1:
        dated = as_of.notna() & (as_of != "")
        by_id = dict(zip(ds.figures["id"][dated], as_of[dated].astype(str), strict=True))
    if cache is not None:
        cache.dates = by_id
    return by_id


def _breakdown_frame(ds: Dataset, name: str, bounds: str, prefix: str, suffix: str,
                     shares: bool) -> pd.DataFrame:
    """One metric row per group of a breakdown (then one share row per group), built a
    column at a time: a breakdown by vehicle kind can have a group per figure."""
    b = breakdown(ds, name, bounds)
    # (Python lists, not pandas' text operations: a third of the time at 100,000 groups.)
    label = [g if g != "" else "unspecified" for g in b["group"].tolist()]
    inputs = b["inputs"].tolist()
    out = pd.DataFrame({
        "metric": pd.array([prefix + g + suffix for g in label], dtype="str"),
        "value": b["value"], "value_high": b["value_high"],
        "qualifier": b["qualifier"], "unit": SUMMED[name].unit, "inputs": b["inputs"],
        "excluded": "", "disputed": pd.array(
            [i if d else "" for i, d in zip(inputs, b["disputed"].tolist(), strict=True)],
            dtype="str"),
        "dates": ""}, columns=METRIC_COLUMNS)
    if not shares or b.empty:
        return out
    share = pd.DataFrame({
        "metric": pd.array([f"{prefix}share_{g}_pct" for g in label], dtype="str"),
        "value": b["share_pct"],
        "value_high": b["share_high_pct"], "qualifier": b["share_qualifier"], "unit": "pct",
        "inputs": _resolved(ds, name, bounds).inputs,  # every id the breakdown adds up
        "excluded": "", "disputed": "", "dates": ""}, columns=METRIC_COLUMNS)
    return pd.concat([out, share], ignore_index=True)


def compute_metrics(ds: Dataset, bounds: str = "as_lower_bound") -> pd.DataFrame:
    """Every published metric as ``METRIC_COLUMNS``; a metric with no input is absent.

    Names: ``trainees_total``, ``trainees_<force>``, ``trainees_share_<force>_pct``,
    ``vehicles_total``, ``vehicles_<kind>``, ``aid_cash_usd``, ``aid_weapons_usd``,
    ``aid_weapons_<force>_usd``, ``airstrikes_total``, ``troops_total``.
    """
    check_bounds(bounds)
    with _resolving(ds):
        return _compute_metrics(ds, bounds)


@dataclass
class _Resolving:
    """What one ``compute_metrics`` call works out once and reads many times."""

    resolutions: dict[tuple[str, str], Resolution] = field(default_factory=dict)
    membership: Membership | None = None
    dates: dict[str, str] | None = None  # _dates_by_id


#: id(Dataset) -> its ``_Resolving``, only while ``compute_metrics`` runs (a total and its
#: breakdown share one resolution; nothing outlives the call, so no stale result).
_RESOLVING: dict[int, _Resolving] = {}


@contextmanager
def _resolving(ds: Dataset) -> Iterator[None]:
    _RESOLVING[id(ds)] = _Resolving()
    try:
        yield
    finally:
        _RESOLVING.pop(id(ds), None)


def _compute_metrics(ds: Dataset, bounds: str) -> pd.DataFrame:
    def total(name: str) -> pd.DataFrame:
        row = summed_total(ds, name, bounds)
        return pd.DataFrame([row] if row is not None else [], columns=METRIC_COLUMNS)

    parts = [total("trainees"),
             _breakdown_frame(ds, "trainees", bounds, "trainees_", "", shares=True),
             total("vehicles"),
             _breakdown_frame(ds, "vehicles", bounds, "vehicles_", "", shares=False),
             total("aid_cash"), total("aid_weapons"),
             _breakdown_frame(ds, "aid_weapons", bounds, "aid_weapons_", "_usd", shares=False),
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
