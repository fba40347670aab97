"""The slot rule: which figures fill one slot of a summed metric, and how they may.

A summed metric (``SUMMED``: trainees, vehicles, cash, weapons, airstrikes,
troops) takes the figures of one category in one unit and is made of *slots*:
one count per force, per vehicle kind, per aid recipient (``SLOT_COLUMNS``).
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

This module decides which figures count, in which slot and as which account
(``settle``); ``metrics`` turns that into numbers. It reads plain DataFrames,
so ``dataset`` (validation) and ``metrics`` (sums) both use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import Problem

#: Relations after which one figure of the pair is not counted (the other stands for both).
COUNT_ONCE = ("duplicate_of", "measures_same_as")
#: Older or plainer names a curator may write; read as the canonical relation.
RELATION_ALIASES = {"restates": "duplicate_of", "corrects": "supersedes",
                    "disagrees_with": "conflicts_with", "other_unit_of": "measures_same_as",
                    "same_in_other_unit": "measures_same_as", "subset_of": "part_of"}
#: How far apart two ``approx`` figures may be and still be one statement restated.
APPROX_TOLERANCE = 0.05

#: A slot is one (force_id, kind) within a summed metric's category and unit.
SLOT_COLUMNS = ("force_id", "kind")


@dataclass(frozen=True)
class Summed:
    """A summed metric: which figures it takes and how its breakdown groups them."""

    name: str
    category: str
    unit: str
    group: str | None  # figures column the breakdown groups by; None = no breakdown


#: The summed metrics, in the order they are published.
SUMMED: dict[str, Summed] = {s.name: s for s in (
    Summed("trainees", "training", "persons", "force_id"),
    Summed("vehicles", "aid_vehicles", "vehicles", "kind"),
    Summed("aid_cash", "aid_cash", "usd", "force_id"),
    Summed("aid_weapons", "aid_weapons", "usd", "force_id"),
    Summed("airstrikes", "airstrikes", "airstrikes", None),
    Summed("troops", "troops", "soldiers", None),
)}

#: Categories whose figures are amounts of money: one total per currency (``unit``),
#: since amounts in different currencies are never added (nor converted).
MONEY = ("aid_cash", "aid_weapons")


def summed_metrics(figures: pd.DataFrame) -> dict[str, Summed]:
    """``SUMMED``, plus one metric per further currency a money category's figures use
    (``aid_cash_eur`` beside ``aid_cash``, which is in US$), in the order published.

    Examples:
        >>> f = pd.DataFrame({"category": ["aid_cash", "aid_cash"], "unit": ["usd", "eur"]})
        >>> [n for n in summed_metrics(f) if n.startswith("aid_cash")]
        ['aid_cash', 'aid_cash_eur']
    """
    out: dict[str, Summed] = {}
    for s in SUMMED.values():
        out[s.name] = s
        if s.category in MONEY:
            used = figures.loc[figures["category"] == s.category, "unit"].unique().tolist()
            for unit in sorted(set(used) - {s.unit}):
                out[f"{s.name}_{unit}"] = Summed(f"{s.name}_{unit}", s.category, unit, None)
    return out


#: A relation as ``(figure_id, relation, other_id)``, the relation in its canonical name.
Pair = tuple[str, str, str]


# --------------------------------------------------------------------------- relations

def canonical_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """Relations with aliases (``restates``, ``disagrees_with`` …) read as canonical names."""
    if relations.empty or not relations["relation"].isin(list(RELATION_ALIASES)).any():
        return relations
    out = relations.copy()
    out["relation"] = out["relation"].replace(RELATION_ALIASES)
    return out


def relation_pairs(relations: pd.DataFrame) -> list[Pair]:
    """``(figure_id, relation, other_id)`` of every relation, aliases read as canonical."""
    rel = canonical_relations(relations)
    return list(rel[["figure_id", "relation", "other_id"]].itertuples(index=False, name=None))


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


# --------------------------------------------------------------------------- membership

@dataclass(frozen=True)
class Membership:
    """Which summed metric takes each row of a figures table, found in one pass for all.

    ``metric`` holds, per row, the position in ``summed`` of the metric that
    sums it (-1: none); ``tricky`` marks the rows ``settle`` must treat one by
    one (in a relation, or sharing a slot with another figure of their metric).
    The other rows are counted as they are. ``related`` marks the rows named in
    a relation, whatever their metric.
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
        """One metric's tricky figures (all that ``slot_problems`` reads)."""
        mine = self.metric == self.summed.index(summed)
        return figures.loc[mine & self.tricky, self._read(summed)]

    @staticmethod
    def _read(summed: Summed) -> list[str]:
        read = ["id", "value", "qualifier", *SLOT_COLUMNS]
        return read + [c for c in (summed.group,) if c and c not in read]


def membership(figures: pd.DataFrame, relations: pd.DataFrame) -> Membership:
    """``Membership`` of every row in the ``SUMMED`` metrics.

    Work it out once and pass it to ``metrics.resolve`` when resolving several
    metrics of one table.
    """
    return membership_of(figures, relation_pairs(relations),
                         tuple(summed_metrics(figures).values()))


def membership_of(figures: pd.DataFrame, pairs: list[Pair],
                  summed: tuple[Summed, ...]) -> Membership:
    """``Membership`` in the given metrics, the relations already read as ``pairs``."""
    metric = np.full(len(figures), -1, dtype=np.int8)
    for k, s in enumerate(summed):
        metric[((figures["category"] == s.category) & (figures["unit"] == s.unit)).to_numpy()] = k
    taken = metric >= 0
    tricky = np.zeros(len(figures), dtype=bool)
    if taken.any():
        # A slot is the metric plus every SLOT_COLUMNS value: the rows repeating one share it.
        slot = pd.DataFrame({"metric": metric[taken], **{
            c: figures[c].to_numpy(dtype=object)[taken] for c in SLOT_COLUMNS}})
        tricky[taken] = slot.duplicated(keep=False).to_numpy()
    named = {x for a, _, b in pairs for x in (a, b)}
    related = figures["id"].isin(named).to_numpy() if named else np.zeros(len(figures), bool)
    tricky |= taken & related
    return Membership(summed, metric, tricky, related)


# --------------------------------------------------------------------------- settling

class _Groups:
    """Union-find over figure ids; a group's root is its smallest id."""

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


@dataclass(frozen=True)
class Slot:
    """One slot as settled: the figures counted in it, as accounts.

    ``members`` are the counted ids, sorted; ``accounts`` splits them into the
    accounts of the slot (figures joined by ``adds_to`` are one account), sorted.
    More than one account makes the slot disputed.
    """

    force_id: str
    kind: str
    members: list[str]
    accounts: list[list[str]]

    @property
    def disputed(self) -> bool:
        return len(self.accounts) > 1


@dataclass
class Settled:
    """How ``settle`` treats the figures it was given.

    ``slots`` lists the slots of the counted figures (in order of their first
    id); ``counted`` their ids in that order; ``status`` every figure that is
    not simply counted, as (status, the figure it defers to); ``excluded`` the
    figures ``bounds="exclude"`` left out with nothing exact standing in;
    ``undeclared`` the pairs of accounts sharing a slot with no relation.
    """

    slots: list[Slot] = field(default_factory=list)
    counted: list[str] = field(default_factory=list)
    status: dict[str, tuple[str, str]] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)
    undeclared: list[tuple[str, str]] = field(default_factory=list)


def settle(figs: pd.DataFrame, pairs: list[Pair], bounds: str) -> Settled:
    """Apply the rule of the module docstring to the figures of one metric.

    Args:
        figs: The figures to settle (``id``, ``qualifier`` and ``SLOT_COLUMNS``
            read): those of one metric in a relation or sharing a slot. A
            figure alone in its slot and in no relation needs no settling.
        pairs: Every relation (``relation_pairs``); those naming other
            figures are ignored.
        bounds: ``as_lower_bound``, or ``exclude`` to leave bounded figures out
            unless an exact restatement stands in.

    Returns:
        The stages' verdicts: corrections first, then restatement groups,
        then parts, then the accounts of each slot.
    """
    out = Settled()
    qualifier = dict(zip(figs["id"], figs["qualifier"], strict=True))
    live = _drop_superseded(set(qualifier), pairs, out)
    groups, chosen = _count_restatements_once(live, pairs, qualifier, bounds, out)
    root_of = {m: groups.find(m) for m in live}
    _drop_parts(pairs, root_of, chosen, out)
    rep = {m: chosen[root_of[m]] for m in live if root_of[m] in chosen}
    counted = set(chosen.values())
    key = {i: (str(f), str(k)) for i, f, k in zip(
        figs["id"], figs["force_id"], figs["kind"], strict=True) if i in counted}
    _gather_slots(pairs, rep, key, out)
    return out


def _drop_superseded(ids: set[str], pairs: list[Pair], out: Settled) -> set[str]:
    """Corrections: a superseded figure never counts, whichever metric its correction is in.

    Returns the ids still in play.
    """
    for a, r, b in pairs:
        if r == "supersedes" and b in ids:
            out.status[b] = ("superseded_by", a)
    return ids - set(out.status)


def _count_restatements_once(live: set[str], pairs: list[Pair], qualifier: Mapping[str, str],
                             bounds: str, out: Settled) -> tuple[_Groups, dict[str, str]]:
    """Restatements (and the same thing in another unit) form groups counted once: one
    member counts (``_pick``), the others defer to it (``_deferral``); a group with no
    member to count is left out whole (``excluded``).

    Returns:
        The groups, and each counted group's root -> the member that counts.
    """
    groups = _Groups(live)
    restated: dict[str, tuple[str, str]] = {}  # restatement -> (its relation, what it restates)
    for a, r, b in pairs:
        if r in COUNT_ONCE and a in live and b in live:
            groups.union(a, b)
            restated[a] = (r, b)
    chosen: dict[str, str] = {}
    for root, members in groups.members().items():
        pick = _pick(members, restated, qualifier, bounds)
        if pick is None:  # nothing exact stands in: the total loses this figure
            out.excluded += members
            out.status.update({m: ("excluded", "") for m in members})
            continue
        chosen[root] = pick
        out.status.update({m: _deferral(m, pick, restated, qualifier, bounds)
                           for m in members if m != pick})
    return groups, chosen


def _pick(members: list[str], restated: Mapping[str, tuple[str, str]],
          qualifier: Mapping[str, str], bounds: str) -> str | None:
    """The member a restatement group counts: its first original (a figure restating
    none), else its first member; under ``bounds="exclude"`` the first exact member
    stands in for a bounded pick, and None when no member is exact."""
    pick = ([m for m in members if m not in restated] or members)[0]
    if bounds == "exclude" and qualifier[pick] != "exact":
        return next((m for m in members if qualifier[m] == "exact"), None)
    return pick


def _deferral(m: str, pick: str, restated: Mapping[str, tuple[str, str]],
              qualifier: Mapping[str, str], bounds: str) -> tuple[str, str]:
    """Status of a group member that is not counted: ``excluded`` in favour of an exact
    restatement under ``bounds="exclude"``, else ``restates`` / ``other_unit_of`` what
    it declared (a member restating nothing itself restates the pick)."""
    if bounds == "exclude" and qualifier[m] != "exact":
        return "excluded", pick
    kind, other = restated.get(m, ("duplicate_of", pick))
    return "other_unit_of" if kind == "measures_same_as" else "restates", other


def _drop_parts(pairs: list[Pair], root_of: Mapping[str, str], chosen: dict[str, str],
                out: Settled) -> None:
    """A part is dropped (from ``chosen``) when its whole is counted in this metric too:
    the whole already holds it."""
    for a, r, b in pairs:
        if r == "part_of" and a in root_of and b in root_of and root_of[a] in chosen \
                and root_of[b] in chosen and root_of[a] != root_of[b]:
            out.status[chosen.pop(root_of[a])] = ("part_of", b)


def _gather_slots(pairs: list[Pair], rep: Mapping[str, str],
                  key: Mapping[str, tuple[str, str]], out: Settled) -> None:
    """Slots and their accounts: ``adds_to`` joins amounts into one account;
    ``conflicts_with`` makes accounts of one slot, even across slots (the
    smallest slot key holds them). Any other two accounts of one slot are
    ``undeclared``; every member of a disputed slot is marked ``disputed``.

    ``rep`` maps each figure still in play to the counted figure standing for
    it (its relations count as the representative's); ``key`` each counted
    figure to its slot.
    """
    adds, disputes = _Groups(key), _Groups(key)
    declared: set[frozenset[str]] = set()
    for a, r, b in pairs:
        if a in rep and b in rep and rep[a] != rep[b]:
            x, y = rep[a], rep[b]
            declared.add(frozenset((x, y)))
            if r == "adds_to":
                adds.union(x, y)
            elif r == "conflicts_with":
                disputes.union(x, y)
    joined: dict[str, tuple[str, str]] = {}
    for i in sorted(key):  # a disagreement across slots still makes one slot
        root = disputes.find(i)
        joined[root] = min(joined.get(root, key[i]), key[i])
    by_slot: dict[tuple[str, str], list[str]] = {}
    for i in sorted(key):
        by_slot.setdefault(joined[disputes.find(i)], []).append(i)
    for (force, kind), members in by_slot.items():
        accounts: dict[str, list[str]] = {}
        for m in members:
            accounts.setdefault(adds.find(m), []).append(m)
        slot = Slot(force, kind, members, sorted(accounts.values()))
        out.undeclared += _undeclared(slot.accounts, declared)
        out.slots.append(slot)
        out.counted += members
        if slot.disputed:
            out.status.update({m: ("disputed", "") for m in members})


def _undeclared(accounts: list[list[str]], declared: set[frozenset[str]]
                ) -> list[tuple[str, str]]:
    """Every two accounts of one slot must be related (as disagreeing): the pairs that are
    not, each named by the first id of either account."""
    return [(acc[0], other[0]) for n, acc in enumerate(accounts) for other in accounts[n + 1:]
            if not any(frozenset((x, y)) in declared for x in acc for y in other)]


# --------------------------------------------------------------------------- validation

def slot_problems(figures: pd.DataFrame, relations: pd.DataFrame) -> list[Problem]:
    """Figures that fill one slot with no relation saying how, restatements that disagree,
    figures related to themselves and loops of corrections.

    Used by ``load_dataset`` on tables whose ids are sound: one problem per pair,
    at the later row, naming both rows and what can be declared.
    """
    file = figures.attrs.get("file", "figures.csv")
    pairs = relation_pairs(relations)
    member = membership_of(figures, pairs, tuple(summed_metrics(figures).values()))
    # Only figures in a relation or sharing a slot can be named below: look up only those.
    named = figures[member.tricky | member.related]
    f = named.set_index("id")
    position = pd.Series(named.index, index=named["id"])

    def row_of(fid: str) -> int:
        i = position.get(fid)
        return 0 if i is None else int(i)

    problems: list[Problem] = []
    for summed in summed_metrics(figures).values():
        # Figures alone in their slot and in no relation cannot share it: only the rest.
        tricky = member.tricky_rows(figures, summed)
        if not tricky.empty:
            for a, b in settle(tricky, pairs, "as_lower_bound").undeclared:
                problems.append(_undeclared_problem(file, summed, f, row_of, a, b))
    rel = canonical_relations(relations)
    rel_file = relations.attrs.get("file", "relations.csv")
    problems += _relation_problems(rel, f, rel_file)
    problems += _relation_cycles(rel, rel_file)
    return problems


def _undeclared_problem(file: str, summed: Summed, f: pd.DataFrame,
                        row_of: Callable[[str], int], a: str, b: str) -> Problem:
    """Two figures in one slot with no relation: reported at the later row, naming both."""
    first, second = sorted((a, b), key=row_of)
    force, kind = str(f.loc[first, "force_id"]), str(f.loc[first, "kind"])
    where = ", ".join(f"{c}={v}" for c, v in (("force_id", force), ("kind", kind)) if v)
    slot = f"{summed.name} ({where})" if where else summed.name
    return Problem(file, row_of(second), "id", (
        f"{second} and {first} (row {row_of(first)}) both fill one slot of "
        f"{slot}; declare in relations.csv how they relate: duplicate_of (a "
        "restatement), supersedes (a correction), conflicts_with (a disagreement), "
        "adds_to (separate amounts that add up) or part_of"))


def _relation_problems(rel: pd.DataFrame, f: pd.DataFrame, file: str) -> list[Problem]:
    """Relations that cannot hold: a figure related to itself, a restatement that disagrees
    with what it restates (it is a correction or a disagreement). ``f``: the related
    figures by id."""
    problems = []
    for idx, a, r, b in rel[["figure_id", "relation", "other_id"]].itertuples(name=None):
        row = int(idx)  # the relation's spreadsheet row
        if a not in f.index or b not in f.index:
            continue  # reported as an unknown id
        if a == b:
            problems.append(Problem(file, row, "other_id", f"{a} is related to itself"))
        elif r == "part_of" and _larger_part(f, a, b):
            problems.append(Problem(file, row, "relation", (
                f"{a} ({f.at[a, 'value']:g}) is larger than {b} ({f.at[b, 'value']:g}), so it "
                "cannot be part of it; one of the figures or the relation is wrong")))
        elif r == "duplicate_of" and not compatible(
                (float(f.at[a, "value"]), f.at[a, "qualifier"]),
                (float(f.at[b, "value"]), f.at[b, "qualifier"])):
            problems.append(Problem(file, row, "relation", (
                f"{a} ({f.at[a, 'qualifier']} {f.at[a, 'value']:g}) and {b} "
                f"({f.at[b, 'qualifier']} {f.at[b, 'value']:g}) disagree, so one cannot "
                "restate the other; declare supersedes (a correction) or conflicts_with "
                "(a disagreement)")))
    return problems


#: Relations that chain one way: a loop leaves no newest figure, no whole, no original.
CHAINS = ("supersedes", "part_of", "duplicate_of")


def _larger_part(f: pd.DataFrame, part: str, whole: str) -> bool:
    """Whether an exact part is larger than its exact whole in the same unit."""
    both = f.loc[[part, whole]]
    return bool((both["qualifier"] == "exact").all() and both["unit"].nunique() == 1
                and float(both.at[part, "value"]) > float(both.at[whole, "value"]))


def _relation_cycles(rel: pd.DataFrame, file: str) -> list[Problem]:
    """Each loop of ``supersedes``, ``part_of`` or ``duplicate_of`` relations, reported
    once, at the relation that closes it, naming the row of the one it loops back through.

    Examples:
        >>> rel = pd.DataFrame({"figure_id": ["a", "b"], "relation": ["part_of"] * 2,
        ...                     "other_id": ["b", "a"]}, index=[2, 3])
        >>> print(*_relation_cycles(rel, "r.csv"))  # doctest: +ELLIPSIS
        r.csv:3:relation: part_of relations loop through a and b (rows 2 and 3); ...
    """
    problems, seen = [], set()
    triples = rel[["figure_id", "relation", "other_id"]].itertuples(name=None)
    for kind in CHAINS:
        # (A figure related to itself is reported as such by _relation_problems.)
        rows = {(a, b): int(row) for row, a, r, b in triples if r == kind and a != b}
        following: dict[str, list[str]] = {}
        for a, b in rows:
            following.setdefault(a, []).append(b)
        for (a, b), row in rows.items():
            back = _path(following, b, a)
            loop = frozenset(back or ())
            if back is None or (kind, loop) in seen:
                continue
            seen.add((kind, loop))
            other = rows[(back[-2], a)] if len(back) > 1 else row
            problems.append(Problem(file, max(row, other), "relation", (
                f"{kind} relations loop through {a} and {b} (rows {min(row, other)} and "
                f"{max(row, other)}); one of them is wrong")))
        triples = rel[["figure_id", "relation", "other_id"]].itertuples(name=None)
    return problems


def _path(following: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """The figures from ``start`` to ``goal`` along the relations, or None if none leads."""
    todo, came = [start], {start: ""}
    while todo:
        here = todo.pop()
        if here == goal:
            path = [here]
            while came[path[-1]]:
                path.append(came[path[-1]])
            return path[::-1]
        for nxt in following.get(here, []):
            if nxt not in came:
                came[nxt] = here
                todo.append(nxt)
    return None
