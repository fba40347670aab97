"""Rich HTML views for the notebooks: tables, quotes and headline figures.

Three rules hold for every view here:

* **Everything from the curated tables is escaped.** Cells, quotes, notes and
  names go through ``escaping.escape_html``; a note reading ``<script>alert(1)</script>``
  shows as that text and runs nothing. Only this module writes markup.
* **Arabic is marked right-to-left.** Every run of Arabic text (a quote, a
  force's Arabic name, an Arabic heading) sits in an element with
  ``dir="rtl" lang="ar" class="ar"``; English text with an Arabic word in it
  gets only that word wrapped.
* **Every number is traceable.** A figure shows its verbatim quote and its
  citation (``sources.citation``: the source's short title and ¶, the line of
  its text file): beside it in tables, as a hover (``title``) on the number,
  and in ``summary`` as numbered footnotes with the paragraph's full text.

Views return ``Html``, which Jupyter shows as HTML and ``str()`` turns into markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..data import config, sources
from ..data.dataset import Dataset, load_dataset
from ..data.errors import WorkbookError
from ..data.provenance import source_lines
from ..figures import findings, labels, metrics
from . import links
from .escaping import arabic_html as ar
from .escaping import escape_html, text_html

CSS = """<style>
:where(.wb-table) { border-collapse: collapse; margin: .5em 0 1em; font-size: .95em; }
:where(.wb-table th), :where(.wb-table td) { border: 1px solid #d0d0d0; padding: .25em .6em;
  vertical-align: top; text-align: start !important; }
:where(.wb-table th) { background: #f3f3f3; }
:where(.wb-table td.num) { text-align: end !important; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
:where(.wb-table tfoot td) { font-weight: bold; border-top: 2px solid #888; }
:where(.wb-bound) { color: #8a4b00; }
:where(.wb-quote) { font-size: 1.05em; }
:where(.wb-fn) { font-size: .9em; }
:where(.wb-fn blockquote) { margin: .2em 0 .6em; color: #444; }
:where(.wb-pair td) { width: 50%; }
:where(.wb-note) { color: #444; font-size: .9em; }
:where(.wb-missing) { color: #888; font-style: italic; }
:where(.wb-disputed) { color: #a1001a; }
:where(.wb-quote) { white-space: nowrap; }
</style>"""


class Html:
    """A fragment of markup that Jupyter renders as HTML.

    Examples:
        >>> str(Html("<b>x</b>"))
        '<b>x</b>'
    """

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return "<HTML view: see the rendered output>"


# --------------------------------------------------------------------------- text

# ``escape_html``, ``ar`` and ``text_html`` are the project's one escaper (escaping.py),
# kept under these names for the views below and for explorer.py.


def local_html(row: pd.Series | dict, column: str, lang: str) -> str:
    """A curated text cell in the page's language (``labels.localized``), escaped.

    In Arabic, a row that lacks its Arabic twin shows the English text marked
    ``lang="en" dir="ltr"``, so a gap in the curation is visible, not hidden.
    """
    value, shown_lang = labels.localized(row, column, lang)
    if lang == "ar" and shown_lang == "en" and value:
        return f'<span lang="en" dir="ltr" class="wb-untranslated">{escape_html(value)}</span>'
    return text_html(value)




def quote(value: object, href: str = "") -> str:
    """A verbatim quote in Arabic guillemets, right-to-left; a link to ``href`` if given."""
    q = ar(f"«{'' if value is None else value}»", cls="wb-quote")
    return f'<a class="wb-src" href="{escape_html(href)}">{q}</a>' if href else q


def _src(ds: Dataset, figure_id: str) -> str:
    """The figure's quote on its source page (``sources/<stem>.html#fig-<id>``)."""
    source = ds.figures.loc[ds.figures["id"] == figure_id, "source"]
    return links.figure_href(str(source.iloc[0]), figure_id) if len(source) else ""


def cite(row: pd.Series | dict, lang: str, ds: Dataset | None = None) -> str:
    """Where a figure is: the source's short title and paragraph (line of the text file).

    Examples:
        >>> cite({"source": "000_6b99b92fd73bce01.txt", "paragraph": 11}, "en")
        'Iraq confronts ISIS…, ¶11'
    """
    return sources.citation(str(row["source"]), int(row["paragraph"]), lang,
                            ds.sources_dir if ds is not None else None)


def cite_html(row: pd.Series | dict, lang: str, ds: Dataset | None = None, *,
              parens: bool = False) -> str:
    """``cite`` as markup, isolated (``<bdi>``) so a title in one direction inside text of
    the other keeps its order, its brackets and its ¶ in place.

    Examples:
        >>> cite_html({"source": "000_6b99b92fd73bce01.txt", "paragraph": 2}, "ar",
        ...           parens=True)
        '<bdi class="wb-cite ar" dir="rtl" lang="ar">(العراق يواجه تنظيم…، ¶2)</bdi>'
    """
    said = cite(row, lang, ds)
    said = f"({said})" if parens else said
    if lang == "ar":
        return f'<bdi class="wb-cite ar" dir="rtl" lang="ar">{escape_html(said)}</bdi>'
    return f'<bdi class="wb-cite">{escape_html(said)}</bdi>'  # direction from its text


def _provenance_title(row: pd.Series | dict, lang: str, ds: Dataset | None = None) -> str:
    note = labels.localized_text(row, "note", lang)
    tail = f" — {note}" if note else ""
    return escape_html(f"«{row['quote']}» — {cite(row, lang, ds)}{tail}")


def figure_html(value: float | None, qualifier: str, *, lang: str, unit: str | None = None,
                decimals: int = 0, title: str = "", high: float | None = None,
                why: str = "disputed") -> str:
    """A qualified number (or range); bounded figures get the ``wb-bound`` class and a hover.

    A missing value (a metric with no figure) reads "no figure", never 0.
    """
    text = labels.format_figure(value, qualifier, lang=lang, unit=unit, decimals=decimals,
                                high=high, why=why)
    missing = value is None or (isinstance(value, float) and value != value)
    ranged = text != labels.format_figure(value, qualifier, lang=lang, unit=unit,
                                          decimals=decimals)
    cls = "wb-figure" + (" wb-bound" if qualifier != "exact" else "") + \
        (" wb-missing" if missing else "") + (" wb-disputed" if ranged else "")
    attr = f' title="{title}"' if title else ""
    data = f'data-qualifier="{escape_html(qualifier)}"'
    return f'<span class="{cls}" {data}{attr}>{text_html(text)}</span>'


def share_why(row: dict | pd.Series) -> str:
    """Why a share is a range: its own part is disputed, or another part of the total."""
    return "disputed" if bool(row.get("disputed", True)) else "other_disputed"


def heading(key: str, lang: str = "en", level: int = 2) -> Html:
    """A section heading in ``lang`` (``labels.text(key)``)."""
    return heading_text(labels.text(key, lang), lang, level)


def heading_text(words: str, lang: str = "en", level: int = 2) -> Html:
    """A section heading of given words."""
    return Html(f"<h{level}>{text_html(words)}</h{level}>")


def sentence(key: str, lang: str = "en") -> Html:
    """One sentence from ``labels`` as a paragraph."""
    return Html(f"<p>{text_html(labels.text(key, lang))}</p>")


def bounds_policy(bounds: str, lang: str = "en") -> Html:
    """How bounded figures enter totals under ``bounds``, in words."""
    metrics.check_bounds(bounds)
    return sentence(f"bounds_{bounds}", lang)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], *, lang: str,
           caption: str = "", foot: Sequence[str] | None = None, cls: str = "") -> Html:
    """Markup of a table whose cells are already HTML."""
    direction = ' dir="rtl"' if lang == "ar" else ""
    classes = f"wb-table {cls}".strip()
    parts = [CSS, f'<table class="{classes}"{direction}>']
    if caption:
        parts.append(f"<caption>{text_html(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f"<th>{text_html(h)}</th>" for h in header)
                 + "</tr></thead><tbody>")
    for r in rows:
        parts.append("<tr>" + "".join(r) + "</tr>")
    parts.append("</tbody>")
    if foot:
        parts.append("<tfoot><tr>" + "".join(foot) + "</tr></tfoot>")
    parts.append("</table>")
    return Html("".join(parts))


def _td(content: str, num: bool = False) -> str:
    return f'<td class="num">{content}</td>' if num else f"<td>{content}</td>"


def _inputs(ds: Dataset, ids: str) -> pd.DataFrame:
    """Figures named by a metric's ``inputs`` (``a;b;c``), in that order."""
    wanted = [i for i in str(ids).split(";") if i]
    return ds.figures.set_index("id").reindex(wanted).reset_index()


def _quotes_cell(ds: Dataset, ids: str, lang: str) -> str:
    figs = _inputs(ds, ids)
    return "<br>".join(f"{quote(r['quote'], _src(ds, r['id']))} "
                       f"<small>{cite_html(r, lang, ds, parens=True)}</small>"
                       for _, r in figs.iterrows())


def _notes_cell(ds: Dataset, ids: str, lang: str = "en") -> str:
    """The curated notes of a metric's input figures (each named by its subject when
    there are several)."""
    figs = _inputs(ds, ids)
    figs = figs[figs["note"].fillna("") != ""]
    several = len(_inputs(ds, ids)) > 1
    return "<br>".join('<span class="wb-note">'
                       + (f"{local_html(r, 'subject_en', lang)}: " if several else "")
                       + f"{local_html(r, 'note', lang)}</span>" for r in figs.to_dict("records"))


def _title_for(ds: Dataset, ids: str, lang: str) -> str:
    figs = _inputs(ds, ids)
    return " + ".join(_provenance_title(r, lang, ds) for _, r in figs.iterrows())


# --------------------------------------------------------------------------- views

def _total_label(ds: Dataset, name: str, row: dict | None, lang: str, label: str) -> str:
    """A total's label; when bounds left figures out it says so, and gives the whole.

    A total of figures of different dates says which dates it mixes, and one of
    figures from several articles says how many.
    """
    if note := labels.context_note(row, lang):
        label = f"{label} ({note})"
    if row is None or not row.get("excluded"):
        return text_html(label)
    whole = metrics.summed_total(ds, name, "as_lower_bound")
    said = "" if whole is None else "; " + labels.text("complete_total", lang, total=(
        labels.format_figure(whole["value"], str(whole["qualifier"]), lang=lang,
                             unit=str(whole["unit"]), high=whole["value_high"])))
    return text_html(f"{label} ({labels.text('exact_only', lang)}{said})")


def _total_cell(ds: Dataset, row: dict | None, lang: str, unit: str | None = None) -> str:
    if row is None:
        return figure_html(None, "exact", lang=lang)
    return figure_html(row["value"], str(row["qualifier"]), lang=lang, unit=unit,
                       high=row["value_high"], title=_title_for(ds, str(row["inputs"]), lang))


def trainees_table(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound",
                   decimals: int = 1) -> Html:
    """Trainees per force: count and share with qualifiers, quote, note, and the total.

    Args:
        ds: The validated dataset.
        lang: Language of headings, labels and force names.
        bounds: How bounded figures enter the total (``metrics.BOUNDS``).
        decimals: Digits shown for shares.
    """
    tr = metrics.trainees_by_force(ds, bounds)
    total = metrics.summed_total(ds, "trainees", bounds)
    header = [labels.text("force", lang), labels.text("trainees_count", lang),
              labels.text("share_pct", lang), labels.text("quote", lang),
              labels.text("note", lang)]
    if lang == "en":
        header.insert(1, labels.text("force_ar", lang))
    rows = []
    for r in tr.to_dict("records"):
        cells = [_td(text_html(labels.force_label(r["name_en"], r["name_ar"], lang)
                               or r["force_id"])),
                 *_part_cells(ds, r, "trainees_count", None, lang, decimals)]
        if lang == "en":
            cells.insert(1, _td(ar(r["name_ar"])))
        rows.append(cells)
    foot = [_td(_total_label(ds, "trainees", total, lang, labels.text("trainees_total", lang))),
            _td(_total_cell(ds, total, lang), num=True),
            _td(figure_html(100.0 if len(tr) else None, "exact", lang=lang, unit="pct",
                            decimals=decimals), num=True),
            _td(""), _td("")]
    if lang == "en":
        foot.insert(1, _td(""))
    out = str(_table(header, rows, lang=lang, caption=labels.text("trainees_caption", lang),
                     foot=foot))
    return Html(out + _disputes_html(tr["disputed"], lang))


def _disputes_html(disputed: pd.Series, lang: str) -> str:
    """A sentence under a table with a disputed row: it is a range, not a sum."""
    if not disputed.any():
        return ""
    return f'<p class="wb-disputed">{text_html(labels.text("disputed_note", lang))}</p>'


def total_line(ds: Dataset, metric: str, *, lang: str = "en",
               bounds: str = "as_lower_bound") -> Html:
    """One published metric as a sentence: name, qualified value, its inputs' quotes and notes.

    A metric with no counted figure says "no figure", never 0.
    """
    table = metrics.compute_metrics(ds, bounds).set_index("metric")
    name = text_html(labels.metric_label(metric, lang))
    if metric not in table.index:
        return Html(f"<p><strong>{name}</strong>: {figure_html(None, 'exact', lang=lang)}</p>")
    row = table.loc[metric]
    value = figure_html(row["value"], row["qualifier"], lang=lang, unit=row["unit"],
                        high=row["value_high"], title=_title_for(ds, row["inputs"], lang))
    notes = _notes_cell(ds, row["inputs"], lang)
    return Html(f'<p><strong>{name}</strong>: {value} '
                f'<small>{_quotes_cell(ds, row["inputs"], lang)}</small>'
                + (f"<br>{notes}" if notes else "") + "</p>")


def excluded_table(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound",
                   report: str | None = None) -> Html:
    """The figures of ``report``'s topic (``REPORT_CATEGORIES``; default: every figure)
    that ``bounds`` leaves out of the totals, or one sentence saying none is, and why."""
    ex = metrics.excluded_bounds(ds, bounds)
    if report is not None:
        ex = ex[ex["category"].isin(REPORT_CATEGORIES[report])]
    if ex.empty:
        return sentence("none_excluded_here" if bounds == "exclude" else "none_excluded", lang)
    status = metrics.figure_status(ds, bounds).set_index("id")
    header = [labels.text("figure", lang), labels.text("value", lang),
              labels.text("quote", lang), labels.text("why_not_counted", lang)]
    rows = [[_td(local_html(r, "subject_en", lang)),
             _td(figure_html(r["value"], r["qualifier"], lang=lang, unit=r["unit"]), num=True),
             _td(quote(r["quote"], _src(ds, r["id"]))),
             _td(status_html(status.at[r["id"], "status"], status.at[r["id"], "other_id"],
                             lang, r["qualifier"], ds))]
            for r in ex.to_dict("records")]
    return _table(header, rows, lang=lang, caption=labels.text("excluded", lang))


def status_text(status: str, other: str, lang: str, qualifier: str = "") -> str:
    """Why a figure is or is not counted, in words (``metrics.figure_status``).

    The qualifier is named in ``lang`` ("lower bound (at least)"), never as its key.
    """
    shown = labels.qualifier_name(qualifier, lang) if qualifier else ""
    word = labels.qualifier_word(qualifier, lang) if qualifier else ""
    if status == "excluded" and other:
        return labels.text("status_excluded_for", lang, other=other, qualifier=shown, word=word)
    return labels.text(f"status_{status}", lang, other=other, qualifier=shown, word=word)


def figure_name(ds: Dataset, figure_id: str, lang: str) -> str:
    """A figure as a reader knows it: its subject in ``lang`` (ids stay in the data)."""
    rows = ds.figures[ds.figures["id"] == figure_id].to_dict("records") if figure_id else []
    return labels.localized_text(rows[0], "subject_en", lang) if rows else figure_id


def status_html(status: str, other: str, lang: str, qualifier: str = "",
                ds: Dataset | None = None) -> str:
    """``status_text`` as markup, the other figure named by its subject (``figure_name``)."""
    name = figure_name(ds, other, lang) if ds is not None else other
    return text_html(status_text(status, name, lang, qualifier))


def _part_cells(ds: Dataset, r: dict, count_col: str, unit: str | None, lang: str,
                decimals: int) -> list[str]:
    """A breakdown row's cells after its label: count, share, quotes, notes."""
    return [_td(figure_html(r[count_col], r["qualifier"], lang=lang, unit=unit,
                            high=r["value_high"], title=_title_for(ds, r["inputs"], lang)),
                num=True),
            _td(figure_html(r["share_pct"], r["share_qualifier"], lang=lang, unit="pct",
                            decimals=decimals, high=r["share_high_pct"], why=share_why(r)),
                num=True),
            _td(_quotes_cell(ds, r["inputs"], lang)),
            _td(_notes_cell(ds, r["inputs"], lang))]


def _breakdown_table(ds: Dataset, frame: pd.DataFrame, *, key: str, label_of, count_col: str,
                     unit: str | None, caption: str, lang: str, decimals: int) -> Html:
    header = [labels.text(key, lang), labels.text(count_col, lang),
              labels.text("share_pct", lang), labels.text("quote", lang),
              labels.text("note", lang)]
    rows = [[_td(text_html(label_of(r))), *_part_cells(ds, r, count_col, unit, lang, decimals)]
            for r in frame.to_dict("records")]
    if not rows:
        return Html(f"<p><strong>{text_html(caption)}</strong>: "
                    f"{figure_html(None, 'exact', lang=lang)}</p>")
    table = str(_table(header, rows, lang=lang, caption=caption))
    return Html(table + _disputes_html(frame["disputed"], lang))


def vehicles_table(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound",
                   decimals: int = 1) -> Html:
    """Vehicles given, per type, with shares, quotes and notes."""
    return _breakdown_table(ds, metrics.vehicles_by_type(ds, bounds), key="kind",
                            label_of=lambda r: labels.kind_label(r["kind"], lang),
                            count_col="vehicles_count", unit=None,
                            caption=labels.text("vehicles_table", lang), lang=lang,
                            decimals=decimals)


def _recipient(r: dict, lang: str) -> str:
    return labels.force_label(r["name_en"], r["name_ar"], lang) or r["force_id"] or "—"


def weapons_table(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound",
                  decimals: int = 1) -> Html:
    """Weapons and equipment (US$) per receiving force, overlaps counted once."""
    return _breakdown_table(ds, metrics.weapons_by_recipient(ds, bounds), key="force",
                            label_of=lambda r: _recipient(r, lang),
                            count_col="value_usd", unit="usd",
                            caption=labels.text("weapons_table", lang), lang=lang,
                            decimals=decimals)


def aid_table(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound") -> Html:
    """Aid per category (vehicles, cash, weapons), never added to each other.

    A category with no counted figure shows "no figure".
    """
    header = [labels.text("category", lang), labels.text("value", lang),
              labels.text("quote", lang), labels.text("note", lang)]
    rows = []
    summed = metrics.summed_metrics(ds.figures)
    names = ["vehicles", *metrics.currencies("aid_cash", summed),
             *metrics.currencies("aid_weapons", summed)]
    for name in names:  # money: one line per currency, never converted or added
        r = metrics.summed_total(ds, name, bounds)
        metric = metrics.total_name(name)
        if r is None:
            rows.append([_td(text_html(labels.metric_label(metric, lang))),
                         _td(figure_html(None, "exact", lang=lang), num=True), _td(""), _td("")])
            continue
        rows.append([_td(_total_label(ds, name, r, lang, labels.metric_label(metric, lang))),
                     _td(_total_cell(ds, r, lang, unit=str(r["unit"])), num=True),
                     _td(_quotes_cell(ds, str(r["inputs"]), lang)),
                     _td(_notes_cell(ds, str(r["inputs"]), lang))])
    table = _table(header, rows, lang=lang, caption=labels.text("aid_caption", lang))
    note = text_html(labels.text("categories_not_added", lang))
    return Html(f"{table}<p>{note}</p>")


def _figure_cell(ds: Dataset, figure_id: str, lang: str) -> str:
    """A figure where a table names several: its number, what it counts, its quote,
    citation and note."""
    r = ds.figures.set_index("id").loc[figure_id]
    r = {**r.to_dict(), "id": figure_id}
    number = figure_html(r["value"], r["qualifier"], lang=lang, unit=r["unit"],
                         title=_provenance_title(r, lang, ds))
    note = f'<br><span class="wb-note">{local_html(r, "note", lang)}</span>' if r["note"] else ""
    what = f'<span class="wb-subject">{local_html(r, "subject_en", lang)}</span>'
    return (f"{number}<br>{what}<br>{quote(r['quote'], _src(ds, figure_id))} "
            f"<small>{cite_html(r, lang, ds, parens=True)}</small>"
            f"{note}")


def _counted_cell(ds: Dataset, ids: Iterable[str], lang: str) -> str:
    """The figures an overlap counts, by their numbers as the row shows them."""
    figs = ds.figures.set_index("id")
    return " + ".join(figure_html(figs.at[i, "value"], str(figs.at[i, "qualifier"]), lang=lang,
                                  unit=str(figs.at[i, "unit"]))
                      for i in ids if i and i in figs.index)


def relation_label(relation: str, lang: str = "en") -> str:
    """The one label of a relation, used by every report and the explorer."""
    relation = metrics.RELATION_ALIASES.get(relation, relation)
    return labels.text(f"relation_{relation}", lang)


def overlaps_table(ds: Dataset, *, lang: str = "en", report: str | None = None) -> Html:
    """The overlap policy in words, then each declared relation other than disagreements:

    restatements, corrections, parts, other units and amounts that add up,
    each with the figure that counts and the one that does not. With ``report``,
    only the relations of that report's topic (``REPORT_CATEGORIES``), so each
    overlap is told beside the figures it concerns.
    """
    ov = metrics.overlaps(ds)
    if report is not None:
        topic = set(ds.figures.loc[ds.figures["category"].isin(REPORT_CATEGORIES[report]),
                                   "id"])
        ov = ov[ov["figure_id"].isin(topic) | ov["other_id"].isin(topic)]
    header = [labels.text("figure", lang), labels.text("relation", lang),
              labels.text("figure", lang), labels.text("counted", lang),
              labels.text("note", lang)]
    rows = [[_td(_figure_cell(ds, r["figure_id"], lang)),
             f'<td class="wb-relation">{text_html(relation_label(r["relation"], lang))}</td>',
             _td(_figure_cell(ds, r["other_id"], lang)),
             _td(_counted_cell(ds, (r["counted"],) + (
                 (r["figure_id"],) if r["relation"] == "adds_to" else ()), lang)),
             _td(local_html(r, "note", lang))] for r in ov.to_dict("records")]
    policy = text_html(labels.text("overlap_policy", lang))
    if not rows:
        return Html(f"<p>{policy}</p>")
    return Html(f"<p>{policy}</p>" + str(_table(header, rows, lang=lang,
                                               caption=labels.text("overlaps_table", lang))))


def figures_table(ds: Dataset, categories: Sequence[str], *, lang: str = "en",
                  caption_key: str = "coalition_table", caption: str | None = None) -> Html:
    """Every figure of some categories with its quote, paragraph, speaker and note."""
    f = ds.figures[ds.figures["category"].isin(list(categories))]
    header = [labels.text("subject", lang), labels.text("value", lang),
              labels.text("quote", lang), labels.text("paragraph", lang),
              labels.text("attributed_to", lang), labels.text("note", lang)]
    rows = [[_td(local_html(r, "subject_en", lang)),
             _td(figure_html(r["value"], r["qualifier"], lang=lang, unit=r["unit"],
                             title=_provenance_title(r, lang, ds)), num=True),
             _td(quote(r["quote"], _src(ds, r["id"]))), _td(cite_html(r, lang, ds)),
             _td(local_html(r, "attributed_to", lang)), _td(local_html(r, "note", lang))]
            for r in f.to_dict("records")]
    return _table(header, rows, lang=lang,
                  caption=labels.text(f"{caption_key}_caption", lang) if caption is None
                  else caption)


#: The categories each report shows. A figure in any other category (a new one an
#: analyst added with a second article) is listed by ``other_figures``, so no
#: curated figure is missing from the published pages.
REPORT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "trainees": ("training",),
    "aid": ("aid_vehicles", "aid_cash", "aid_weapons"),
    "coalition": ("coalition", "troops", "airstrikes", "cost", "timeline"),
}


def report_views(report: str, ds: Dataset, *, lang: str = "en",
                 bounds: str = "as_lower_bound") -> list[Html]:
    """The tables a report shows of one actor's figures, in page order: what its notebook
    shows, and what a further actor's section on that page shows."""
    views: dict[str, Callable[[], list[Html]]] = {
        "trainees": lambda: [trainees_table(ds, lang=lang, bounds=bounds),
                             excluded_table(ds, lang=lang, bounds=bounds,
                                            report="trainees"),
                             overlaps_table(ds, lang=lang, report="trainees")],
        "aid": lambda: [aid_table(ds, lang=lang, bounds=bounds),
                        vehicles_table(ds, lang=lang, bounds=bounds),
                        weapons_table(ds, lang=lang, bounds=bounds),
                        overlaps_table(ds, lang=lang, report="aid")],
        "coalition": lambda: [figures_table(ds, ["coalition", "troops", "airstrikes", "cost"],
                                            lang=lang),
                              overlaps_table(ds, lang=lang, report="coalition"),
                              conflicts_table(ds, lang=lang), timeline_table(ds, lang=lang)],
        "summary": lambda: [summary(ds, lang=lang, bounds=bounds), conflicts_table(ds, lang=lang)],
    }
    return views[report]()


def _shows(ds: Dataset, report: str) -> bool:
    """Whether an actor has figures in a report's categories (the summary: any total)."""
    cats = REPORT_CATEGORIES.get(report) or {c for v in REPORT_CATEGORIES.values() for c in v}
    return bool(ds.figures["category"].isin(list(cats)).any())


def actor_sections(report: str, figures: Dataset | str | Path, *, lang: str = "en",
                   bounds: str = "as_lower_bound") -> Html:
    """A section for each further actor (``Dataset.actors`` after the first) with figures
    on this report's subject: a heading naming it, its own finding and its own tables.
    Another actor's figures are never added to the first actor's totals. Empty when the
    figures are all one actor's."""
    ds = figures if isinstance(figures, Dataset) else load_dataset(config.resolve(figures))
    parts = []
    for actor in ds.actors()[1:]:
        mine = ds.for_actor(actor)
        if not _shows(mine, report):
            continue
        title = labels.actor_text("actor_section", lang, actor,
                                  report=labels.text(f"report_{report}_subject", lang))
        parts.append(str(heading_text(title, lang, level=2)))
        sentence = findings.finding(report, mine, lang=lang, bounds=bounds)
        parts.append(f'<p class="wb-finding">{text_html(sentence)}</p>')
        # Only the tables that show some of its figures: no page of empty tables.
        parts += [str(v) for v in report_views(report, mine, lang=lang, bounds=bounds)
                  if "#fig-" in str(v)]
    return Html("\n".join(parts))


def shown_figure_ids(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound"
                     ) -> set[str]:
    """The figures some report page shows, actor by actor: those whose quote a report's
    tables link to its source page (``#fig-<id>``)."""
    pages = "".join(str(v) for actor in ds.actors() for report in findings.REPORTS
                    for v in report_views(report, ds.for_actor(actor), lang=lang, bounds=bounds))
    return {fid for fid in ds.figures["id"] if f"#fig-{fid}\"" in pages}


def other_figures(figures: Dataset | str | Path, *, lang: str = "en",
                  bounds: str = "as_lower_bound") -> Html:
    """Every figure that no report's tables show, per article and actor, with its quote
    and note: every curated figure reaches a page. One sentence when there is none."""
    ds = figures if isinstance(figures, Dataset) else load_dataset(config.resolve(figures))
    shown = shown_figure_ids(ds, lang=lang, bounds=bounds)
    rest = ds.figures[~ds.figures["id"].isin(shown)]
    if rest.empty:
        return Html(f"<p>{text_html(labels.text('other_figures_none', lang))}</p>")
    parts = []
    for (source, actor), group in rest.groupby(["source", "actor"], sort=False):
        caption = labels.actor_text("other_figures_group", lang, str(actor),
                                    article=_article_title(ds, str(source), lang))
        sub = replace(ds, figures=group)
        parts.append(str(figures_table(sub, list(pd.unique(group["category"])), lang=lang,
                                       caption=caption)))
    return Html("\n".join(parts))


def _article_title(ds: Dataset, source: str, lang: str) -> str:
    try:
        return sources.load_meta(source, ds.sources_dir).title(lang) or source
    except WorkbookError:
        return source


def conflicts_table(ds: Dataset, *, lang: str = "en") -> Html:
    """Figures that disagree (``conflicts_with``), the two accounts side by side."""
    cf = metrics.conflicts(ds)
    intro = text_html(labels.text("conflicts_intro", lang))
    if cf.empty:
        return Html("")
    header = [labels.text("side_a", lang), labels.text("side_b", lang)]
    rows = []
    for r in cf.to_dict("records"):
        sides = []
        for s in ("a", "b"):
            fid = r[f"id_{s}"]
            sides.append(_td(f"{_figure_cell(ds, fid, lang)}<br><small>"
                             f"{text_html(labels.text('attributed_to', lang))}: "
                             f"{local_html(_side(r, s), 'attributed_to', lang)}</small>"))
        rows.append(sides)
        rows.append([f'<td colspan="2"><em>{text_html(relation_label("conflicts_with", lang))}'
                     f" — {text_html(labels.text('note', lang))}:</em> "
                     f'{local_html(r, "note", lang)}</td>'])
    return Html(f"<p>{intro}</p>" + str(_table(header, rows, lang=lang, cls="wb-pair",
                                              caption=labels.text("conflicts_table", lang))))


def _side(row: dict, side: str) -> dict:
    """One account of a ``metrics.conflicts`` row, its columns without the ``_a``/``_b``."""
    return {k[:-2]: v for k, v in row.items() if k.endswith(f"_{side}")}


def timeline_table(ds: Dataset, *, lang: str = "en") -> Html:
    """Years and durations the article states, with quotes and notes."""
    t = metrics.timeline(ds)
    header = [labels.text("subject", lang), labels.text("value", lang),
              labels.text("quote", lang), labels.text("paragraph", lang),
              labels.text("as_of", lang), labels.text("note", lang)]
    rows = []
    for r in t.to_dict("records"):
        title = _provenance_title(r, lang, ds)
        if r["unit"] == "year":  # a calendar year, printed without a thousands separator
            value = (f'<span class="wb-figure" title="{title}">'
                     f'{text_html(labels.qualifier_word(r["qualifier"], lang))} '
                     f'{int(r["value"])}</span>')
        else:
            value = figure_html(r["value"], r["qualifier"], lang=lang, unit=r["unit"],
                                title=title)
        rows.append([_td(local_html(r, "subject_en", lang)), _td(value, num=True),
                     _td(quote(r["quote"], _src(ds, r["id"]))), _td(cite_html(r, lang, ds)),
                     f'<td class="wb-date">{escape_html(r["as_of"])}</td>',
                     _td(local_html(r, "note", lang))])
    return _table(header, rows, lang=lang, caption=labels.text("timeline_caption", lang))


# --------------------------------------------------------------------------- summary

#: The headline figures of ``summary``: (metric or figure id, is_metric).
HEADLINES: tuple[tuple[str, bool], ...] = (
    ("coalition_members", False), ("coalition_countries_joined", False),
    ("trainees_total", True), ("vehicles_total", True), ("aid_cash_usd", True),
    ("aid_weapons_usd", True), ("troops_total", True), ("airstrikes_total", True),
)


def _paragraph_text(ds: Dataset, source: str, paragraph: int) -> str:
    lines = source_lines(ds.sources_dir / source) or ()
    return lines[paragraph - 1].strip() if 0 < paragraph <= len(lines) else ""


def summary(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound") -> Html:
    """The headline numbers, each with numbered footnotes giving quote, paragraph and note.

    Each number links to its footnotes and shows its quotes on hover; each
    footnote gives the verbatim quote, where it is, the curated note and the
    whole paragraph of the article, so a reader can check the number there.
    A headline with no figure says so; a disputed one is a range.
    """
    published = metrics.compute_metrics(ds, bounds).set_index("metric")
    names = {v: k for k, v in metrics.TOTAL_NAMES.items()}
    figures = ds.figures.set_index("id")
    notes: dict[str, int] = {}
    items = []
    for key, is_metric in HEADLINES:
        name = text_html(labels.metric_label(key, lang))
        if is_metric and key not in published.index:
            items.append(f"<li><strong>{name}</strong>: "
                         f"{figure_html(None, 'exact', lang=lang)}</li>")
            continue
        if is_metric:
            row = published.loc[key]
            name = _total_label(ds, names[key], row.to_dict(), lang,
                                labels.metric_label(key, lang))
            value, qualifier, unit, ids = row["value"], row["qualifier"], row["unit"], row["inputs"]
            high = row["value_high"]
        else:
            if key not in figures.index:
                continue
            key = metrics.current_figure(ds, key)  # a correction stands for what it corrects
            row = figures.loc[key]
            value, qualifier, unit, ids = row["value"], row["qualifier"], row["unit"], key
            high = None
        refs = []
        for fid in [i for i in str(ids).split(";") if i]:
            n = notes.setdefault(fid, len(notes) + 1)
            refs.append(f'<a href="#wb-fn-{escape_html(fid)}">{n}</a>')
        number = figure_html(value, qualifier, lang=lang, unit=unit, high=high,
                             title=_title_for(ds, str(ids), lang))
        items.append(f"<li><strong>{name}</strong>: {number} "
                     f"<sup>{','.join(refs)}</sup></li>")
    foot = []
    shown: set[tuple[str, int]] = set()  # each paragraph's text is quoted once
    for fid, n in notes.items():
        r = figures.loc[fid]
        para = int(r["paragraph"])
        ptext = "" if (r["source"], para) in shown else _paragraph_text(ds, r["source"], para)
        shown.add((r["source"], para))
        note = (f'<br><span class="wb-note">{local_html(r, "note", lang)}</span>'
                if r["note"] else "")
        foot.append(f'<li id="wb-fn-{escape_html(fid)}" value="{n}">'
                    f'{quote(r["quote"], _src(ds, fid))} — '
                    f"{cite_html({**r.to_dict(), 'id': fid}, lang, ds)} "
                    f"{note}"
                    f"{ar(ptext, tag='blockquote') if ptext else ''}</li>")
    bounds_text = text_html(labels.text(f"bounds_{bounds}", lang))
    direction = ' dir="rtl"' if lang == "ar" else ""
    return Html(f'{CSS}<div class="wb-summary"{direction}><ul>{"".join(items)}</ul>'
                f"<p><small>{bounds_text}</small></p>"
                f"<h3>{text_html(labels.text('notes_title', lang))}</h3>"
                f"<p><small>{text_html(sources.PARAGRAPH_MEANS[lang])}</small></p>"
                f'<ol class="wb-fn">{"".join(foot)}</ol></div>')


def finding(report: str, ds: Dataset | str | Path, *, lang: str = "en",
            bounds: str = "as_lower_bound") -> Html:
    """A report's finding as the page's lead paragraph (escaped; right-to-left in Arabic)."""
    sentence = findings.finding(report, ds, lang=lang, bounds=bounds)
    attrs = ' dir="rtl" lang="ar"' if lang == "ar" else ""
    return Html(f'<p class="wb-finding"{attrs}><strong>{escape_html(sentence)}</strong></p>')
