"""Each report's finding: the one sentence a reader takes away, built from the data.

A report page opens with its finding, so the sentence is computed from the same
metrics the tables show, never typed: when ``figures.csv`` changes, the
sentence changes. It keeps the article's caution: a lower-bound total reads
"at least" / "أكثر من", a disputed total reads "between A and B", and a metric
with no input says so instead of printing a number.

``finding(report, ds, lang=..., bounds=...)`` gives the plain sentence;
``pages.display.finding`` sets it as the lead paragraph of a notebook.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path

from ..data import config
from ..data.dataset import Dataset, load_dataset
from . import labels, metrics

#: Reports that open with a finding (``explore`` is interactive and has none).
REPORTS = ("trainees", "aid", "coalition", "summary")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def amount(row: Mapping[str, object] | None, *, lang: str, unit: str | None = None
           ) -> str | None:
    """A total as a reader should say it, or None when no figure counts.

    A disputed total (``value_high`` above ``value``) is "between A and B";
    otherwise the qualifier word comes first ("at least 10,000").

    Examples:
        >>> amount({"value": 10000.0, "qualifier": "at_least", "value_high": math.nan},
        ...        lang="en")
        'at least 10,000'
        >>> amount({"value": 70.0, "qualifier": "exact", "value_high": 83.0}, lang="ar")
        'بين 70 و83'
        >>> amount({"value": 263.0, "qualifier": "at_least", "value_high": 265.0}, lang="en")
        'at least 263 to 265 (the accounts disagree)'
        >>> amount({"value": 9.0, "qualifier": "exact", "dates": "2018;2021"}, lang="en")
        '9 (adds figures of different dates: 2018, 2021)'
        >>> amount(None, lang="en") is None
        True
    """
    said = _amount(row, lang=lang, unit=unit)
    if said is not None and (note := labels.context_note(row, lang)):
        said += f" ({note})"
    return said


def _amount(row: Mapping[str, object] | None, *, lang: str, unit: str | None) -> str | None:
    if row is None or _missing(row.get("value")):
        return None
    value, high = float(row["value"]), row.get("value_high")  # type: ignore[arg-type]
    if not _missing(high) and float(high) != value:  # type: ignore[arg-type]
        low_s = labels.format_figure(value, "exact", lang=lang, unit=unit)
        high_s = labels.format_figure(float(high), "exact", lang=lang, unit=unit)  # type: ignore[arg-type]
        qualifier = str(row.get("qualifier") or "exact")
        if qualifier == "exact":
            return labels.text("between", lang, low=low_s, high=high_s)
        # A disputed total that is also a bound stays a bound at both ends.
        return labels.text("between_bound", lang, low=low_s, high=high_s,
                           word=labels.qualifier_word(qualifier, lang))
    return labels.format_figure(value, str(row.get("qualifier") or "exact"), lang=lang, unit=unit)


def _missing_key(key: str, ds: Dataset, name: str, bounds: str) -> str:
    """``finding_<key>_excluded`` when ``bounds`` left every figure out, else ``_none``:
    "not stated" would be false of a figure the article gives as a bound."""
    summed = metrics.summed_metrics(ds.figures)
    excluded = any(metrics.resolve(ds.figures, ds.relations, summed[n], bounds).excluded
                   for n in metrics.currencies(name, summed))
    return f"finding_{key}_excluded" if excluded else f"finding_{key}_none"


def _part(key: str, ds: Dataset, name: str, bounds: str, lang: str,
          unit: str | None = None) -> str:
    row = metrics.summed_total(ds, name, bounds)
    said = amount(row, lang=lang, unit=unit)
    if said is None:
        return _say(ds, _missing_key(key, ds, name, bounds), lang)
    return _say(ds, f"finding_{key}", lang, n=said) + _as_of(ds, row, lang)


def _as_of(ds: Dataset, row: dict | None, lang: str) -> str:
    """" (as of 2018)" when every figure of a total gives the same date: a count that
    runs to a date is not said of today. "" when they give none (a total of figures of
    different dates says so in its own label, ``labels.context_note``)."""
    ids = [i for i in str((row or {}).get("inputs", "")).split(";") if i]
    dates = set(ds.figures.loc[ds.figures["id"].isin(ids), "as_of"].fillna("").astype(str))
    if len(dates) != 1 or not (date := dates.pop()):
        return ""
    return " " + labels.text("as_of_note", lang, date=date)


def _money(key: str, ds: Dataset, name: str, bounds: str, lang: str) -> str:
    """A money total in each currency its figures use, joined ("US$2,000,000 and
    €4,500,000 in cash"): amounts in different currencies are never added."""
    said = [amount(r, lang=lang, unit=str(r["unit"])) for r in metrics.money_totals(ds, name,
                                                                                   bounds)]
    if not said:
        return _say(ds, _missing_key(key, ds, name, bounds), lang)
    return _say(ds, f"finding_{key}", lang, n=labels.text("and", lang).join(
        s for s in said if s))


def _say(ds: Dataset, key: str, lang: str, **fmt: object) -> str:
    """A sentence about the dataset's actor (one actor's figures: ``Dataset.for_actor``)."""
    return labels.actor_text(key, lang, next(iter(ds.actors()), ""), **fmt)


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def trainees(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound") -> str:
    """How many were trained in all, and which force had the largest share."""
    total = metrics.summed_total(ds, "trainees", bounds)
    by_force = metrics.trainees_by_force(ds, bounds)
    if total is None or by_force.empty:
        return _say(ds, _missing_key("trainees", ds, "trainees", bounds), lang)
    top = by_force.sort_values("trainees_count", ascending=False, kind="stable").iloc[0]
    top_row = {"value": top["trainees_count"], "qualifier": top["qualifier"],
               "value_high": top["value_high"]}
    force = labels.force_label(str(top["name_en"]), str(top["name_ar"]), lang) \
        or str(top["force_id"])
    return _say(ds, "finding_trainees", lang, total=amount(total, lang=lang),
                       top=amount(top_row, lang=lang), force=force)


def aid(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound") -> str:
    """Vehicles, cash and weapons given: each kind of aid the actor's figures speak of,
    stated or said to be missing (a kind the figures never mention is left out, so no
    actor is said to have given "an unstated number" of what it never gave)."""
    parts = {"vehicles": lambda: _part("vehicles", ds, "vehicles", bounds, lang, "vehicles"),
             "aid_cash": lambda: _money("cash", ds, "aid_cash", bounds, lang),
             "aid_weapons": lambda: _money("weapons", ds, "aid_weapons", bounds, lang)}
    present = set(ds.figures["category"])
    items = [say() for name, say in parts.items() if metrics.SUMMED[name].category in present]
    if not items:
        return _say(ds, "finding_aid_none", lang)
    return _say(ds, "finding_aid", lang, items=labels.join_items(items, lang))


def _size(ds: Dataset, lang: str) -> str:
    """The coalition's size: one figure, or the range its conflicting accounts span."""
    cf = metrics.conflicts(ds)
    size = ds.figures[ds.figures["category"] == "coalition"]
    # A corrected figure is history, not an account: only current figures can disagree.
    superseded = set(metrics.canonical_relations(ds.relations).query(
        "relation == 'supersedes'")["other_id"])
    size = size[~size["id"].isin(superseded)]
    cf = cf[cf["id_a"].isin(size["id"]) & cf["id_b"].isin(size["id"])]
    if not cf.empty:
        r = cf.iloc[0]
        sides = sorted([(float(r["value_a"]), str(r["unit_a"]), str(r["qualifier_a"])),
                        (float(r["value_b"]), str(r["unit_b"]), str(r["qualifier_b"]))])
        low, high = (labels.format_figure(v, q, lang=lang, unit=u) for v, u, q in sides)
        return _say(ds, "finding_size_disputed", lang, low=low, high=high)
    if size.empty:
        return _say(ds, "finding_size_none", lang)
    first = size.iloc[0]
    return _say(ds, "finding_size", lang, size=labels.format_figure(
        first["value"], str(first["qualifier"]), lang=lang, unit=str(first["unit"])))


def coalition(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound") -> str:
    """The coalition's size (or its disputed range), its troops in Iraq and its airstrikes."""
    return _capital(_say(ds,
        "finding_coalition", lang, size=_size(ds, lang),
        troops=_part("troops", ds, "troops", bounds, lang),
        airstrikes=_part("airstrikes", ds, "airstrikes", bounds, lang, "airstrikes")))


def summary(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound") -> str:
    """Every summed total in one sentence, each named and qualified."""
    items = []
    for name, summed in metrics.summed_metrics(ds.figures).items():
        row = metrics.summed_total(ds, name, bounds)
        said = amount(row, lang=lang, unit=summed.unit if summed.category in metrics.MONEY
                      else None)
        if said is None:
            continue
        label = labels.metric_label(metrics.total_name(name), lang)
        if lang == "en":  # mid-sentence: "trainees at least …", "coalition troops in Iraq …"
            label = label[:1].lower() + label[1:]
        items.append(_say(ds, "finding_item", lang, label=label, amount=said))
    if not items:
        return _say(ds, "finding_summary_none", lang)
    return _say(ds, "finding_summary", lang,
                       items=_say(ds, "finding_item_sep", lang).join(items))


_BUILDERS: dict[str, Callable[..., str]] = {
    "trainees": trainees, "aid": aid, "coalition": coalition, "summary": summary}


def finding(report: str, ds: Dataset | str | Path, *, lang: str = "en",
            bounds: str = "as_lower_bound", actor: str = "") -> str:
    """The one-sentence finding of ``report`` in ``lang``, about one actor's figures.

    Args:
        report: One of ``REPORTS``.
        ds: The validated dataset, or a figures CSV path (loaded and validated here,
            so a notebook can call this before its own ``load_dataset`` cell).
        lang: ``en`` or ``ar``.
        bounds: How bounded figures enter totals (``metrics.BOUNDS``).
        actor: Whose figures (a key of actors.csv); default the first with figures.

    Raises:
        ValueError: Unknown report, language or bounds.
        TableValidationError: ``ds`` is a path to broken tables.
    """
    if report not in _BUILDERS:
        raise ValueError(f"report must be one of {', '.join(REPORTS)}, not {report!r}")
    labels.check_lang(lang)
    metrics.check_bounds(bounds)
    if not isinstance(ds, Dataset):
        ds = load_dataset(config.resolve(ds))
    return _BUILDERS[report](ds.for_actor(actor), lang=lang, bounds=bounds)
