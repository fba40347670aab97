"""Altair chart builders for the reports. They return charts and never display them.

Every chart:

* has tooltips giving the figure as the article states it (qualifier word
  included), the verbatim Arabic quote and its paragraph;
* colours marks by qualifier, so a bound ("more than …") never looks like an
  exact count, and labels each bar with its qualified value;
* speaks ``lang``: titles, axes, legends and force names in English or Arabic
  (quotes stay Arabic);
* carries only the columns it draws or shows, so reports stay small.

The bar charts bind a point selection to their qualifier legend (click a
legend entry to highlight those bars); the coalition chart highlights the
clicked bar. Both work in a standalone HTML file: they need no kernel.

Importing this module makes Altair's HTML output script-safe (see
``script_safe_renderer``): the notebooks, JupyterLab and the nbconvert export
all show charts through it.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
from altair.utils.display import HTMLRenderer
from altair.utils.html import TEMPLATES

from ..data.dataset import Dataset
from ..data.vocab import comma, semicolon
from ..figures import labels, metrics
from . import display, escaping
from .style import ARABIC_FONT_STACK, SANS_FONT_STACK

#: Qualifier -> colour; exact figures in blue, bounds in orange/red, approximations in teal.
QUALIFIER_COLOURS = {"exact": "#4c78a8", "at_least": "#f58518", "at_most": "#e45756",
                     "approx": "#72b7b2"}
WIDTH = 420


# --------------------------------------------------------------------------- rendering

class _ScriptSafeTemplate:
    """Altair's own HTML template, fed script-safe JSON.

    ``altair.utils.html.spec_to_html`` renders ``spec`` and ``embed_options``
    as raw ``json.dumps`` text inside ``<script>`` (altair 6.3): a ``</script>``
    in any data string ends the element and the rest runs as HTML. This wraps
    the template and passes both through ``escaping.script_safe_json_text``
    first; everything else (markup, the ``maybeLoadScript`` versions that
    ``html_export`` reads) stays Altair's.
    """

    def __init__(self, template: Any) -> None:
        self._template = template

    def render(self, **kwargs: Any) -> str:
        for key in ("spec", "embed_options"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = escaping.script_safe_json_text(kwargs[key])
        return self._template.render(**kwargs)


#: Altair's "html" renderer (template "universal"), but script-safe.
script_safe_renderer = HTMLRenderer(
    mode="vega-lite", template=_ScriptSafeTemplate(TEMPLATES["universal"]),
    vega_version=alt.VEGA_VERSION, vegaembed_version=alt.VEGAEMBED_VERSION,
    vegalite_version=alt.VEGALITE_VERSION)


def use_script_safe_renderer() -> None:
    """Register ``script_safe_renderer`` as ``workbook`` and as Altair's
    ``default``/``html``, and enable it unless a non-HTML renderer is active.

    Called on import, so any kernel that imports this package shows charts
    safely, even after ``alt.renderers.enable("default")``.
    """
    for name in ("workbook", "default", "html"):
        alt.renderers.register(name, script_safe_renderer)
    if alt.renderers.active in ("", "default", "html", "workbook"):
        alt.renderers.enable("workbook")


use_script_safe_renderer()

#: vega-embed's action menu ("Save as SVG" …) in Arabic: its ``i18n`` embed option,
#: carried in the spec (``usermeta.embedOptions``) so every renderer applies it.
EMBED_I18N_AR = {
    "CLICK_TO_VIEW_ACTIONS": "انقر لعرض الإجراءات",
    "COMPILED_ACTION": "عرض المواصفة المجمّعة",
    "EDITOR_ACTION": "فتح في المحرّر",
    "PNG_ACTION": "حفظ كصورة نقطية",
    "SOURCE_ACTION": "عرض مواصفة الرسم",
    "SVG_ACTION": "حفظ كرسم متّجهي",
}


#: The chart menu offers a reader what works offline: saving the chart as SVG or PNG.
#: vega-embed's other actions open the spec or the online Vega Editor.
READER_ACTIONS = {"export": True, "source": False, "compiled": False, "editor": False}


#: Numbers on axes as the page's text writes them (``labels.format_number``): the same
#: digits and separators, and the Arabic percent sign on Arabic pages (d3-format locales).
FORMAT_LOCALES: dict[str, dict[str, Any]] = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
    "ar": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", " $"],
           "percent": "\u066a"},
}


def drawn(text: str, lang: str) -> str:
    """A string as a chart draws it. Vega lays out SVG text left to right, so in Arabic a
    number with its noun ("83 عضوًا") would read backwards; the string is embedded
    right-to-left (U+202B ... U+202C), and reads as it does in the page's text.

    Examples:
        >>> drawn("83 عضوًا", "ar") == "\u202b83 عضوًا\u202c", drawn("83 members", "en")
        (True, '83 members')
    """
    return f"\u202b{text}\u202c" if lang == "ar" and text else text


def embed_options(lang: str) -> dict[str, Any]:
    """How a chart is drawn on a page in ``lang``: as SVG (crisp in print, its text real
    text), numbers in the locale (``FORMAT_LOCALES``), the reader's menu
    (``READER_ACTIONS``) in the page's words (Arabic: ``EMBED_I18N_AR``)."""
    options: dict[str, Any] = {"actions": READER_ACTIONS, "renderer": "svg",
                               "formatLocale": FORMAT_LOCALES["ar" if lang == "ar" else "en"]}
    if lang == "ar":
        options["i18n"] = EMBED_I18N_AR
    return options


def _in_lang(chart: Any, lang: str) -> Any:
    """The chart with its ``embed_options`` (carried in the spec so every renderer applies
    them) and the pages' chart style: type as large as a table's, the title at the start
    of the chart, no frame around the plot."""
    font = ARABIC_FONT_STACK if lang == "ar" else SANS_FONT_STACK
    return chart.properties(usermeta={"embedOptions": embed_options(lang)}).configure(
        font=font,
    ).configure_axis(labelFontSize=12, titleFontSize=12, titleFontWeight="normal",
                     labelColor="#333", titleColor="#333", domainColor="#888",
                     tickColor="#888").configure_legend(
        labelFontSize=12, titleFontSize=12, titleFontWeight="normal",
    ).configure_title(fontSize=14, anchor="start").configure_view(stroke=None)


def qualifier_colour(lang: str, shown: pd.Series | list[str] | None = None) -> alt.Color:
    """Colour by qualifier; the legend lists only the qualifiers of the data shown.

    A legend entry for "upper bound" under a chart with no upper bound would
    tell the reader something the data do not say. ``shown`` holds the
    qualifier names as drawn (``labels.qualifier_name``); colours stay fixed
    per qualifier whatever is present.
    """
    present = set(shown) if shown is not None else None
    pairs = [(labels.qualifier_name(q, lang), c) for q, c in QUALIFIER_COLOURS.items()
             if present is None or labels.qualifier_name(q, lang) in present]
    return alt.Color("qualifier:N", title=labels.text("qualifier", lang),
                     scale=alt.Scale(domain=[n for n, _ in pairs], range=[c for _, c in pairs]),
                     legend=alt.Legend(orient="bottom", direction="horizontal"))


def value_axis(unit: str | None, lang: str) -> alt.Axis:
    """The value axis of a chart in ``unit``: one number style per unit and language.

    English money is short and trimmed (``$500k``, ``$1.5M``, ``$0``: never
    ``$0.0`` beside ``$500k``); Arabic has no Latin ``k``/``M``, so its ticks are
    whole numbers with thousands separators, fewer of them so they fit.
    """
    # No gridlines: each bar carries its own value, which a gridline would cross.
    if unit == "usd":
        return alt.Axis(format="$,.2~s", tickCount=5, grid=False, labelOverlap="greedy") \
            if lang == "en" else alt.Axis(format=",.0f", tickCount=3, grid=False,
                                          labelOverlap="greedy")
    return alt.Axis(format=",.0f", tickMinStep=1, tickCount=5, grid=False,
                    labelOverlap="greedy")


def _provenance(ds: Dataset, inputs: pd.Series, lang: str
                ) -> tuple[list[str], list[str], list[str]]:
    """Quotes, citations and curated notes of each row's input figures (``a;b`` ids)."""
    f = ds.figures.set_index("id")
    quotes, paras, notes = [], [], []
    for ids in inputs:
        wanted = [i for i in str(ids).split(";") if i]
        quotes.append(" / ".join(f"«{f.at[i, 'quote']}»" for i in wanted))
        paras.append(comma(lang).join(
            display.cite({**f.loc[i].to_dict(), "id": i}, lang, ds) for i in wanted))
        notes.append(" / ".join(labels.localized_text(f.loc[i], "note", lang)
                                for i in wanted if f.at[i, "note"]))
    return quotes, paras, notes


def _tooltip(lang: str, label_title: str, extra: list[alt.Tooltip] | None = None
             ) -> list[alt.Tooltip]:
    return [alt.Tooltip("label:N", title=label_title),
            alt.Tooltip("shown:N", title=labels.text("value", lang)),
            *(extra or []),
            alt.Tooltip("qualifier:N", title=labels.text("qualifier", lang)),
            alt.Tooltip("quote:N", title=labels.text("quote", lang)),
            alt.Tooltip("paragraph:N", title=labels.text("paragraph", lang)),
            alt.Tooltip("note:N", title=labels.text("note", lang))]


def _bar_chart(data: pd.DataFrame, *, lang: str, title: str, label_title: str,
               value_title: str, name: str, extra_tooltip: list[alt.Tooltip] | None = None,
               unit: str | None = None) -> alt.LayerChart:
    """Horizontal bars (``label`` x ``value``, in data order), coloured by qualifier."""
    pick = alt.selection_point(name=f"{name}_qualifier", fields=["qualifier"], bind="legend")
    base = alt.Chart(data).encode(
        # data order; the labels name themselves (their title is in the tooltip)
        y=alt.Y("label:N", sort=None, title=None, axis=label_axis(lang)),
        x=alt.X("value:Q", title=value_title, axis=value_axis(unit, lang),
                scale=_value_scale(data, lang)),
        tooltip=_tooltip(lang, label_title, extra_tooltip),
    )
    bars = base.mark_bar().encode(
        color=qualifier_colour(lang, data["qualifier"]),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
    ).add_params(pick)
    return _in_lang(alt.layer(bars, _value_text(base, lang)).properties(title=title, width=WIDTH),
                    lang)


def label_axis(lang: str, limit: int = 260) -> alt.Axis:
    """Category labels: on the left in English, on the right in Arabic."""
    return alt.Axis(labelLimit=limit, orient="right" if lang == "ar" else "left")


def _value_scale(data: pd.DataFrame, lang: str) -> alt.Scale:
    """From 0 with room for the value labels; bars grow leftwards in Arabic."""
    top = float(data["value"].max()) if len(data) else 1.0
    return alt.Scale(domain=[0, (top or 1.0) * 1.35], nice=False, reverse=lang == "ar")


def _value_text(base: alt.Chart, lang: str) -> alt.Chart:
    """The qualified value written at the end of each bar."""
    align, dx = ("right", -4) if lang == "ar" else ("left", 4)
    return base.mark_text(align=align, dx=dx, fontSize=12).encode(text="shown:N")


def _disputed(table: pd.DataFrame) -> list[bool]:
    """Which rows' own figures are disputed (all, when the table does not say)."""
    if "disputed" in table:
        return table["disputed"].fillna(True).astype(bool).to_list()
    return [True] * len(table)


def _frame(ds: Dataset, table: pd.DataFrame, *, label: list[str], value_col: str,
           unit: str | None, lang: str) -> pd.DataFrame:
    quotes, paras, notes = _provenance(ds, table["inputs"], lang)
    return pd.DataFrame({
        "label": label,
        "value": table[value_col].astype(float).to_list(),
        "shown": [drawn(labels.format_figure(v, q, lang=lang, unit=unit, high=h), lang)
                  for v, q, h in zip(table[value_col], table["qualifier"], table["value_high"],
                                     strict=True)],
        "share": [labels.format_figure(v, q, lang=lang, unit="pct", decimals=1, high=h,
                                       why="disputed" if d else "other_disputed")
                  for v, q, h, d in zip(table["share_pct"], table["share_qualifier"],
                                        table["share_high_pct"], _disputed(table),
                                        strict=True)],
        "qualifier": [labels.qualifier_name(q, lang) for q in table["qualifier"]],
        "quote": quotes,
        "paragraph": paras,
        "note": notes,
    })


def _share_chart(ds: Dataset, table: pd.DataFrame, *, label: list[str], value_col: str,
                 unit: str | None, name: str, label_key: str, lang: str,
                 **kw: Any) -> alt.LayerChart:
    """A breakdown from ``metrics`` as bars with a share tooltip (titles from ``labels``)."""
    data = _frame(ds, table, label=label, value_col=value_col, unit=unit, lang=lang)
    share = alt.Tooltip("share:N", title=labels.text("share_pct", lang))
    return _bar_chart(data, lang=lang, title=labels.text(f"{name}_chart", lang),
                      label_title=labels.text(label_key, lang),
                      value_title=labels.text(value_col, lang), name=name,
                      extra_tooltip=[share], unit=unit, **kw)


def _force_names(table: pd.DataFrame, lang: str) -> list[str]:
    return [labels.force_label(e, a, lang) or f
            for e, a, f in zip(table["name_en"], table["name_ar"], table["force_id"],
                               strict=True)]


def trainees_chart(ds: Dataset, *, lang: str = "en",
                   bounds: str = "as_lower_bound") -> alt.LayerChart:
    """People trained per Iraqi force, bounds marked, legend-selectable.

    Args:
        ds: The validated dataset.
        lang: ``en`` or ``ar``: titles, axes and force names.
        bounds: How bounded figures enter (``metrics.BOUNDS``).
    """
    tr = metrics.trainees_by_force(ds, bounds)
    return _share_chart(ds, tr, label=_force_names(tr, lang), value_col="trainees_count",
                        unit=None, name="trainees", label_key="force", lang=lang)


def vehicles_chart(ds: Dataset, *, lang: str = "en",
                   bounds: str = "as_lower_bound") -> alt.LayerChart:
    """Vehicles given, per type."""
    vt = metrics.vehicles_by_type(ds, bounds)
    return _share_chart(ds, vt, label=[labels.kind_label(k, lang) for k in vt["kind"]],
                        value_col="vehicles_count", unit=None, name="vehicles",
                        label_key="kind", lang=lang)


def weapons_chart(ds: Dataset, *, lang: str = "en",
                  bounds: str = "as_lower_bound") -> alt.LayerChart:
    """Weapons and equipment (US$) per receiving force; a repeated delivery counted once."""
    wr = metrics.weapons_by_recipient(ds, bounds)
    return _share_chart(ds, wr, label=_force_names(wr, lang), value_col="value_usd",
                        unit="usd", name="weapons", label_key="force", lang=lang)


def coalition_chart(ds: Dataset, *, lang: str = "en") -> alt.LayerChart:
    """Every coalition-size figure as stated (83 members, 83 and 70 countries, 31 of them).

    Nothing is summed: each bar is one statement, labelled by unit and
    paragraph, so the disagreement between paragraphs shows at a glance.
    Clicking a bar highlights it.
    """
    f = ds.figures[ds.figures["category"] == "coalition"]
    # A figure may stand in several relations: list them all, in table order.
    said: dict[str, list[str]] = {}
    for fid, kind, other in ds.relations[["figure_id", "relation", "other_id"]].itertuples(
            index=False):
        said.setdefault(fid, []).append(f"{display.relation_label(kind, lang)} "
                                        f"{display.figure_name(ds, other, lang)}")
    relation = [semicolon(lang).join(said.get(i, [])) for i in f["id"]]
    data = pd.DataFrame({
        "label": [drawn(f"{labels.format_figure(v, q, lang=lang, unit=u)} — "
                        f"{display.cite({'source': s, 'paragraph': p}, lang, ds)}", lang)
                  for v, q, u, s, p in zip(f["value"], f["qualifier"], f["unit"], f["source"],
                                           f["paragraph"], strict=True)],
        "value": f["value"].astype(float).to_list(),
        "shown": [drawn(labels.format_figure(v, q, lang=lang, unit=u), lang)
                  for v, q, u in zip(f["value"], f["qualifier"], f["unit"], strict=True)],
        "qualifier": [labels.qualifier_name(q, lang) for q in f["qualifier"]],
        "said_by": [labels.localized_text(r, "attributed_to", lang)
                    for r in f.to_dict("records")],
        "relation": relation,
        "quote": [f"«{q}»" for q in f["quote"]],
        "paragraph": [display.cite(r, lang, ds) for r in f.to_dict("records")],
        "note": [labels.localized_text(r, "note", lang) for r in f.to_dict("records")],
    })
    pick = alt.selection_point(name="coalition_pick", fields=["label"], on="click")
    extra = [alt.Tooltip("said_by:N", title=labels.text("attributed_to", lang)),
             alt.Tooltip("relation:N", title=labels.text("relation", lang))]
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=None, title=None, axis=label_axis(lang)),
        x=alt.X("value:Q", title=labels.text("chart_count", lang),
                axis=value_axis(None, lang), scale=_value_scale(data, lang)),
        tooltip=_tooltip(lang, labels.text("figure", lang), extra),
    )
    bars = base.mark_bar().encode(
        color=qualifier_colour(lang, data["qualifier"]),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
    ).add_params(pick)
    return _in_lang(alt.layer(bars, _value_text(base, lang)).properties(
        title=labels.text("coalition_chart", lang), width=WIDTH), lang)


def timeline_chart(ds: Dataset, *, lang: str = "en") -> alt.LayerChart:
    """Calendar years the article names, one point per statement.

    Rows are what happened, in ``lang`` (``subject_en`` or ``subject_ar``).
    """
    t = metrics.timeline(ds)
    t = t[t["unit"] == "year"]
    label = [labels.localized_text(r, "subject_en", lang) for r in t.to_dict("records")]
    data = pd.DataFrame({
        "label": label,
        "year": t["value"].astype(int).to_list(),
        "shown": [drawn(f"{labels.qualifier_word(q, lang)} {int(v)}".strip(), lang)
                  for v, q in zip(t["value"], t["qualifier"], strict=True)],
        "qualifier": [labels.qualifier_name(q, lang) for q in t["qualifier"]],
        "quote": [f"«{q}»" for q in t["quote"]],
        "paragraph": [display.cite(r, lang, ds) for r in t.to_dict("records")],
        "note": [labels.localized_text(r, "note", lang) for r in t.to_dict("records")],
    })
    lo, hi = int(data["year"].min()) - 1, int(data["year"].max()) + 1
    base = alt.Chart(data).encode(
        x=alt.X("year:Q", title=labels.text("chart_year", lang),
                scale=alt.Scale(domain=[lo, hi]), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("label:N", sort=None, title=None, axis=label_axis(lang, 320)),
        tooltip=_tooltip(lang, labels.text("subject", lang)),
    )
    points = base.mark_circle(size=120).encode(color=qualifier_colour(lang, data["qualifier"]))
    return _in_lang(alt.layer(points).properties(title=labels.text("timeline_chart", lang),
                                                 width=WIDTH), lang)


# --- end of report chart builders; explorer-specific builders go below this line ---
