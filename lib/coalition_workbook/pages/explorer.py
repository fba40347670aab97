"""The interactive explorer: its state and callbacks as plain Python.

``ExplorerState`` holds what the analyst chose (forces, category, how bounds
enter, label language, a text filter, the picked figure) and answers three
questions from it: which figures are shown (``figures``), what the chart is
(``chart`` / ``chart_spec``) and what one figure says (``detail``). Everything
here runs and is tested without a browser or a kernel.

``build_explorer`` only wires ipywidgets to that state and shows an
``alt.JupyterChart``, so clicking a bar reaches Python and shows the figure's
verbatim Arabic quote.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from ..data import sources
from ..data.dataset import Dataset
from ..data.vocab import BOUNDS, LANGS, comma, semicolon
from ..figures import labels, metrics
from . import charts, display
from .escaping import arabic_html as ar
from .escaping import escape_html, text_html

ALL = "all"
PICK = "pick"  # name of the chart's point selection

TABLE_COLUMNS = ["id", "label", "value", "unit", "qualifier", "category", "force_id",
                 "counted", "why_not_counted", "paragraph", "quote"]
#: ``table_html`` columns and the ``labels.text`` key of each one's heading.
_TABLE_HEADINGS = {"id": "figure_id", "label": "figure", "value": "value", "unit": "unit",
                   "qualifier": "qualifier", "counted": "counted",
                   "why_not_counted": "why_not_counted", "paragraph": "paragraph",
                   "quote": "quote"}


def _counted(ds: Dataset, shown: pd.DataFrame, bounds: str, lang: str = "en") -> pd.Series:
    """Why each shown figure is not counted ("" when it is), by ``metrics.figure_status``.

    The status is computed on the shown figures alone (their relations kept),
    so a figure is dropped for restating, being part of or being superseded
    by another *shown* figure, exactly as the published metrics would.
    Figures no metric sums (years, coalition size) count as shown.
    """
    view = dataclasses.replace(ds, figures=shown)
    status = metrics.figure_status(view, bounds).set_index("id").reindex(shown["id"])
    why = [
        "" if st in ("counted", "disputed", "not_summed")
        else display.status_text(st, display.figure_name(ds, other, lang), lang, q)
        for st, other, q in zip(status["status"], status["other_id"], shown["qualifier"],
                                strict=True)]
    return pd.Series(why, index=shown.index, dtype=str)


@dataclass
class ExplorerState:
    """What the analyst has chosen, and the views that follow from it.

    Args:
        ds: The validated dataset.
        forces: Force ids to keep; figures about another force are hidden,
            figures about no force are always kept. ``None`` selects every force.
        category: A figures ``category``, or ``"all"``.
        bounds: ``"as_lower_bound"`` counts bounded figures at their bound;
            ``"exclude"`` leaves them out of the chart (see ``metrics``).
        lang: ``"en"`` or ``"ar"``: language of the chart's labels.
        text: Case-insensitive filter on ``subject_en`` and ``quote``.
        selected_id: The figure whose detail is shown, if any.
    """

    ds: Dataset = field(repr=False)
    forces: tuple[str, ...] | None = None
    category: str = ALL
    bounds: str = "as_lower_bound"
    lang: str = "en"
    text: str = ""
    selected_id: str | None = None

    def __post_init__(self) -> None:
        if self.forces is None:
            self.forces = tuple(self.ds.forces["force_id"])
        self.check()

    # --- choices --------------------------------------------------------
    def categories(self) -> list[str]:
        """``"all"`` then every category of the figures table, in table order."""
        return [ALL, *dict.fromkeys(self.ds.figures["category"])]

    def check(self) -> None:
        """Raise ValueError if a choice is not one the data offers."""
        if self.bounds not in BOUNDS:
            raise ValueError(f"bounds must be one of {', '.join(BOUNDS)}, not {self.bounds!r}")
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {self.lang!r}")
        if self.category not in self.categories():
            raise ValueError(f"unknown category {self.category!r}")
        unknown = set(self.forces or ()) - set(self.ds.forces["force_id"])
        if unknown:
            raise ValueError(f"unknown force ids: {', '.join(sorted(unknown))}")

    # --- views ----------------------------------------------------------
    def figures(self) -> pd.DataFrame:
        """The figures the filters keep, each with its label and whether it is counted.

        Returns:
            Columns ``TABLE_COLUMNS``, in figures.csv order. ``counted`` is
            False for a figure that ``metrics.select`` leaves out of its
            category's sum when only the shown figures are considered: it
            overlaps another counted shown figure (``relations.csv``) or, under
            ``bounds="exclude"``, is bounded. ``why_not_counted`` says which.
        """
        self.check()
        f = self.ds.figures
        keep = (f["force_id"] == "") | f["force_id"].isin(self.forces or ())
        if self.category != ALL:
            keep &= f["category"] == self.category
        needle = self.text.strip().casefold()
        if needle:
            searched = ["subject_en", "subject_ar", "quote"]
            keep &= pd.concat([f[c].str.casefold().str.contains(needle, regex=False)
                               for c in searched if c in f], axis=1).any(axis=1)
        shown = f[keep].copy()

        why = _counted(self.ds, shown, self.bounds, self.lang)
        shown["counted"] = why == ""
        shown["why_not_counted"] = why
        shown["label"] = self._labels(shown)
        return shown[TABLE_COLUMNS].reset_index(drop=True)

    def _labels(self, shown: pd.DataFrame) -> pd.Series:
        names = self.ds.forces.set_index("force_id")[f"name_{self.lang}"]
        fallback = pd.Series([labels.localized_text(r, "subject_en", self.lang)
                              for r in shown.to_dict("records")], index=shown.index, dtype=str)
        shown_labels = shown["force_id"].map(names).where(shown["force_id"] != "", fallback)
        shown_labels = shown_labels.fillna(fallback)
        # One bar per figure: two figures of one unit with one label get their ids appended
        # (in Arabic their paragraph, so the label stays Arabic).
        dup = pd.DataFrame({"unit": shown["unit"], "label": shown_labels}).duplicated(keep=False)
        tail = (shown["id"] if self.lang == "en" else
                shown["paragraph"].map(lambda n: labels.text("paragraph_n", "ar", n=int(n))))
        return shown_labels.where(~dup, shown_labels + " (" + tail + ")")

    def chart_data(self) -> pd.DataFrame:
        """The rows the chart draws: counted figures only.

        ``qualifier`` holds the qualifier's name in ``lang``
        (``labels.qualifier_name``), as in the report charts.
        """
        rows = self.figures()
        rows = rows[rows["counted"]]
        cols = ["id", "label", "value", "unit", "qualifier", "paragraph", "quote"]
        out = rows[cols].copy()
        out["qualifier"] = [labels.qualifier_name(q, self.lang) for q in out["qualifier"]]
        out["unit_label"] = [labels.unit_label(u, self.lang) for u in out["unit"]]
        out["paragraph"] = out["paragraph"].astype(int)
        return out.reset_index(drop=True)

    def chart(self) -> alt.TopLevelMixin:
        """One bar per counted figure, one row per unit, clickable (selection ``pick``)."""
        lang = self.lang
        data = self.chart_data()
        pick = alt.selection_point(name=PICK, fields=["id"], on="click", empty=False)
        bars = alt.Chart(data).mark_bar().encode(
            # bars grow leftwards in Arabic; few ticks, none hidden under another
            x=alt.X("value:Q", title=labels.text("value", lang),
                    scale=alt.Scale(reverse=lang == "ar"),
                    axis=alt.Axis(format=",.0f", tickCount=3, labelOverlap="greedy",
                                  labelFlush=True)),
            y=alt.Y("label:N", title=labels.text("figure", lang), sort="-x",
                    axis=charts.label_axis(lang, 0)),  # whole names, however long
            color=charts.qualifier_colour(lang, data["qualifier"]),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.7)),
            tooltip=[alt.Tooltip("label:N", title=labels.text("figure", lang)),
                     alt.Tooltip("value:Q", title=labels.text("value", lang), format=","),
                     alt.Tooltip("unit_label:N", title=labels.text("unit", lang)),
                     alt.Tooltip("qualifier:N", title=labels.text("qualifier", lang)),
                     alt.Tooltip("quote:N", title=labels.text("quote", lang)),
                     alt.Tooltip("paragraph:Q", title=labels.text("paragraph", lang)),
                     alt.Tooltip("id:N", title=labels.text("figure_id", lang))],
        ).add_params(pick).properties(width=charts.WIDTH)
        return bars.facet(
            row=alt.Row("unit:N", title=labels.text("unit", lang),
                        header=alt.Header(labelExpr=_unit_label_expr(data["unit"], lang))),
        ).resolve_scale(x="independent", y="independent").properties(
            title=labels.text("explorer_title", lang))

    def chart_spec(self) -> dict[str, Any]:
        """The chart as a Vega-Lite dict (what the browser receives)."""
        return self.chart().to_dict()

    def detail(self, figure_id: str | None = None) -> dict[str, Any] | None:
        """What the article says about one figure: quote, paragraph, who said it."""
        figure_id = figure_id if figure_id is not None else self.selected_id
        f = self.ds.figures
        hit = f[f["id"] == figure_id]
        if hit.empty:
            return None
        r = hit.iloc[0]
        return {"id": r["id"], "quote": r["quote"], "paragraph": int(r["paragraph"]),
                "attributed_to": r["attributed_to"], "subject_en": r["subject_en"],
                "value": float(r["value"]), "unit": r["unit"], "qualifier": r["qualifier"],
                "source": r["source"], "note": r["note"],
                "subject": labels.localized_text(r, "subject_en", self.lang),
                "said_by": labels.localized_text(r, "attributed_to", self.lang),
                "note_shown": labels.localized_text(r, "note", self.lang)}

    def detail_html(self, figure_id: str | None = None) -> str:
        """``detail`` as escaped HTML, the quote right-to-left."""
        d = self.detail(figure_id)
        if d is None:
            return f"<p><em>{text_html(labels.text('explorer_pick', self.lang))}</em></p>"
        e, lang = escape_html, self.lang
        cite = sources.citation(d["source"], d["paragraph"], lang, self.ds.sources_dir)
        line = labels.text("line_n", lang, n=d["paragraph"])
        said = labels.text("said_by_sentence", lang, who=d["said_by"])
        note = f"{labels.text('note_prefix', lang)} {d['note_shown']}"
        direction = ' dir="rtl" lang="ar"' if lang == "ar" else ""
        return (
            f'<div class="explorer-detail" data-figure-id="{e(d["id"])}"{direction}>'
            f"<p><strong>{text_html(d['subject'])}</strong> "
            f'<bdi dir="ltr"><code>{e(d["id"])}</code></bdi></p>'
            f'<div style="font-size:1.2em">{ar(d["quote"], tag="blockquote")}</div>'
            # each run of the other direction isolated, so the brackets stay where written
            f"<p><bdi>{text_html(cite)}</bdi> (<bdi dir=\"ltr\"><code>{e(d['source'])}</code>"
            f"</bdi>{comma(lang)}{text_html(line)})"
            f"{semicolon(lang)}{text_html(said)}</p>"
            + (f"<p>{text_html(note)}</p>" if d["note"] else "") + "</div>")

    def table_html(self) -> str:
        """``figures`` as an escaped HTML table, Arabic cells right-to-left."""
        rows = self.figures()
        if rows.empty:
            return f"<p>{text_html(labels.text('explorer_empty', self.lang))}</p>"
        cols = list(_TABLE_HEADINGS)
        head = "".join(f'<th data-column="{c}">{text_html(labels.text(k, self.lang))}</th>'
                       for c, k in _TABLE_HEADINGS.items())
        body = []
        for _, r in rows.iterrows():
            cells = []
            for c in cols:
                v = r[c]
                if c == "value":
                    v = f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"
                elif c == "unit":
                    v = labels.unit_label(v, self.lang)
                elif c == "qualifier":
                    v = labels.qualifier_name(v, self.lang)
                elif c == "counted":
                    v = labels.text("yes" if v else "no", self.lang)
                if c == "id":
                    cells.append(f"<td><code>{escape_html(v)}</code></td>")
                elif c == "quote":
                    cells.append(f"<td>{ar(v)}</td>")
                elif c == "label":  # force names, subjects or quotes: Arabic runs marked rtl
                    cells.append(f"<td>{text_html(v)}</td>")
                else:
                    cells.append(f"<td>{text_html(v)}</td>")
            body.append(f'<tr data-figure-id="{escape_html(r["id"])}">{"".join(cells)}</tr>')
        direction = ' dir="rtl"' if self.lang == "ar" else ""
        return (f'<table class="explorer-table"{direction}><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")

    def controls(self) -> dict[str, dict[str, Any]]:
        """Each control's ``description`` and ``(label, value)`` options in ``lang``.

        Values stay the keys the state takes; only what the analyst reads changes
        with the language, so switching it keeps every choice.
        """
        lang = self.lang
        forces = self.ds.forces
        force_names = (list(forces["name_ar"]) if lang == "ar" else
                       [f"{e} — {a}" for e, a in zip(forces["name_en"], forces["name_ar"],
                                                      strict=True)])
        return {
            "forces": {"description": labels.text("explorer_forces", lang),
                       "options": list(zip(force_names, forces["force_id"], strict=True))},
            "category": {"description": labels.text("explorer_category", lang),
                         "options": [(labels.text("explorer_all", lang) if c == ALL
                                      else labels.category_label(c, lang), c)
                                     for c in self.categories()]},
            "bounds": {"description": labels.text("explorer_bounds", lang),
                       "options": [(labels.text(f"explorer_bounds_{b}", lang), b)
                                   for b in BOUNDS]},
            "lang": {"description": labels.text("explorer_lang", lang),
                     "options": [(labels.text(f"lang_{x}", lang), x) for x in LANGS]},
            "text": {"description": labels.text("explorer_filter", lang),
                     "placeholder": labels.text("explorer_filter_hint", lang)},
            "figure": {"description": labels.text("explorer_figure", lang),
                       "options": [("—", None), *(
                           (f"{r.id}: {r.label}" if lang == "en" else r.label, r.id)
                           for r in self.figures().itertuples())]},
        }

    def pick(self, selection: list[dict[str, Any]] | None) -> str | None:
        """Take a chart point selection (``[{"id": ...}]``) as the selected figure."""
        ids = [p.get("id") for p in selection or [] if p.get("id")]
        self.selected_id = ids[0] if ids else None
        return self.selected_id


def _unit_label_expr(units: pd.Series, lang: str) -> str:
    """A Vega expression naming each unit key in ``lang`` (the facet's row headers)."""
    expr = "datum.value"
    for unit in dict.fromkeys(units):
        key, label = (json.dumps(str(x), ensure_ascii=False)
                      for x in (unit, labels.unit_label(unit, lang)))
        expr = f"datum.value === {key} ? {label} : ({expr})"
    return expr


def build_explorer(ds: Dataset, *, lang: str = "en", bounds: str = "as_lower_bound",
                   category: str | None = None, offline: bool = True) -> Any:
    """Widgets wired to an ``ExplorerState``, with a live chart, table and quote.

    Args:
        ds: The validated dataset.
        lang: Initial label language.
        bounds: Initial bounds mode.
        category: Initial category; ``"training"`` when the data has it, else all.
        offline: Bundle the chart's JavaScript locally (no CDN) via vl-convert.

    Returns:
        An ``ipywidgets.VBox`` to display; its attributes ``state``, ``forces``,
        ``category``, ``bounds``, ``lang``, ``text``, ``figure``, ``chart``,
        ``table`` and ``detail`` are the parts, for tests and scripting.
    """
    import ipywidgets as w

    state = ExplorerState(ds, lang=lang, bounds=bounds)
    if category is None:
        category = "training" if "training" in state.categories() else ALL
    state.category = category
    state.check()
    if offline:
        alt.JupyterChart.enable_offline()

    words = state.controls()
    forces = w.SelectMultiple(options=words["forces"]["options"], value=state.forces,
                              rows=len(ds.forces),  # as wide as the longest name
                              layout=w.Layout(width="max-content", min_width="20em"))
    cat = w.Dropdown(options=words["category"]["options"], value=state.category)
    bnd = w.ToggleButtons(options=words["bounds"]["options"], value=state.bounds)
    lng = w.ToggleButtons(options=words["lang"]["options"], value=state.lang)
    text = w.Text(value="", continuous_update=False)
    figure = w.Dropdown(options=[], value=None)
    named = {"forces": forces, "category": cat, "bounds": bnd, "lang": lng, "text": text,
             "figure": figure}
    relabelling = False

    def relabel() -> None:
        """Put every control's words in ``state.lang``, keeping what each one selects."""
        nonlocal relabelling
        relabelling = True
        try:
            for name, spec in state.controls().items():
                widget = named[name]
                widget.description = spec["description"]
                if "placeholder" in spec:
                    widget.placeholder = spec["placeholder"]
                if "options" in spec and name != "figure":
                    value = widget.value
                    widget.options = spec["options"]
                    widget.value = value
        finally:
            relabelling = False
    chart = alt.JupyterChart(state.chart(), embed_options={"renderer": "svg", "actions": False})
    table = w.HTML(state.table_html())
    detail = w.HTML(state.detail_html())

    def figure_options() -> list[tuple[str, str | None]]:
        return state.controls()["figure"]["options"]

    def show_detail() -> None:
        detail.value = state.detail_html()
        ids = [v for _, v in figure.options]
        figure.value = state.selected_id if state.selected_id in ids else None

    def watch_pick() -> None:
        chart.selections.observe(on_pick, names=[PICK])

    def refresh(_change: Any = None) -> None:
        if relabelling:
            return
        state.forces = tuple(forces.value)
        state.category = cat.value
        state.bounds = bnd.value
        state.lang = lng.value
        state.text = text.value
        relabel()
        if state.selected_id not in set(state.figures()["id"]):
            state.selected_id = None
        chart.chart = state.chart()
        watch_pick()
        table.value = state.table_html()
        figure.options = figure_options()
        show_detail()

    def on_pick(change: Any) -> None:
        state.pick(change["new"].value)
        show_detail()

    def on_figure(change: Any) -> None:
        if change["new"] != state.selected_id:
            state.selected_id = change["new"]
            detail.value = state.detail_html()

    relabel()
    figure.options = figure_options()
    figure.value = None
    for widget in (forces, cat, bnd, lng, text):
        widget.observe(refresh, names="value")
    figure.observe(on_figure, names="value")
    watch_pick()

    controls = w.HBox([forces, w.VBox([cat, bnd, lng, text, figure])])
    box = w.VBox([controls, chart, detail, table])
    box.add_class("coalition-explorer")
    for name, part in (("state", state), ("forces", forces), ("category", cat), ("bounds", bnd),
                       ("lang", lng), ("text", text), ("figure", figure), ("chart", chart),
                       ("table", table), ("detail", detail), ("refresh", refresh)):
        setattr(box, name, part)
    return box
