"""The article itself as a page, with every curated figure marked where it is printed.

``write_source_pages`` renders ``sources/<stem>.html`` in a run folder for each
source a figures table cites: the article right-to-left, its title from the
``.meta.yml`` sidecar, each line a numbered paragraph with an anchor (``#p11``,
numbered as ``paragraph`` in ``figures.csv``), and three kinds of marks:

* a **curated quote** (``data-figure-id``, anchor ``#fig-<id>``, focusable): hover
  or keyboard focus shows the figure's value, qualifier, subject, who said it,
  the note and the published metrics that use it, linked to their reports;
* a number **declared ignored** in ``ignored.csv`` (with its reason);
* a number **not accounted for**: ``numerals.find_numbers`` reads it in the
  paragraph but it is in no curated quote and no ignored entry, so gaps in the
  curation show.

Quotes may overlap or nest. Marks are written as properly nested elements: a
mark that crosses another is split, its first piece carrying the anchor and
focus, the others ``class="cont"`` with the same ``data-figure-id``, so the text
of all pieces of a figure is exactly its quote.

The page is pure HTML and CSS: each figure's details card is shown by a
generated ``:has()`` rule while its quote is hovered or focused (and stays while
the card itself is hovered or holds focus). No script, nothing fetched, every
curated string escaped.

Positions (``quote_span``) are Unicode code points into the source text decoded
from UTF-8 with the BOM removed and line ends as in the file; ``exports`` uses
the same function for its Web Annotation selectors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..data import numerals, schema
from ..data.errors import ExportError
from ..data.files import atomic_write_text
from ..data.provenance import paragraphs
from ..figures import labels
from .escaping import escape_html
from .frame import PageInfo, footer_html, topbar_html
from .links import page_name
from .style import stylesheet

TEMPLATES_DIR = Path(__file__).with_name("templates")
TEMPLATE_NAME = "source_view.html.j2"
#: Which report shows the figures of each category (a metric links to its inputs' report).
CATEGORY_REPORT: dict[str, str] = {
    "training": "trainees", "aid_vehicles": "aid", "aid_cash": "aid", "aid_weapons": "aid",
    "coalition": "coalition", "timeline": "coalition", "troops": "coalition",
    "airstrikes": "coalition", "cost": "coalition",
}
IGNORED_COLUMNS = ("source", "paragraph", "text", "reason", "reason_ar")

MarkKind = Literal["figure", "ignored", "unaccounted"]

# --------------------------------------------------------------------------- text

def read_source(path: str | Path) -> str:
    """A source's text as the workbook reads it for positions: UTF-8, BOM removed,
    line ends kept as in the file.

    Raises:
        ExportError: If the file is missing or not UTF-8.
    """
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"cannot read the source text: {exc}", file=str(path)) from exc


def paragraph_starts(text: str) -> list[int]:
    """Code-point offset at which each line (paragraph 1, 2, ...) starts.

    Examples:
        >>> paragraph_starts("ab\\ncd\\n")
        [0, 3, 6]
    """
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts




def quote_span(text: str, paragraph: int, quote: str) -> tuple[int, int]:
    """Where a quote sits in a source: ``(start, end)`` code points of ``text``.

    The first occurrence inside the stated paragraph (line), so a quote that
    the article prints more than once resolves to the one the figure cites.

    Raises:
        ExportError: If the paragraph does not exist or does not hold the quote.

    Examples:
        >>> quote_span("3 x\\ny 3 x", 2, "3 x")
        (6, 9)
    """
    lines = paragraphs(text)
    if not quote or not 1 <= paragraph <= len(lines):
        raise ExportError(f'no paragraph {paragraph} holding "{quote}"')
    at = lines[paragraph - 1].find(quote)
    if at < 0:
        raise ExportError(f'"{quote}" is not in paragraph {paragraph}')
    start = paragraph_starts(text)[paragraph - 1] + at
    return start, start + len(quote)


def number_spans(line: str) -> list[tuple[int, int, str]]:
    """Every number expression ``numerals.find_numbers`` reads in a line, as
    ``(start, end, text)`` in the line's own code points (not the normalised text).

    Examples:
        >>> number_spans("درّبت 17 لواءًا")
        [(6, 8, '17')]
    """
    # find_numbers gives spans into the text it was given; strict=False keeps a
    # form it cannot read (value None), which is still a number to account for.
    return [(m.start, m.end, line[m.start:m.end])
            for m in numerals.find_numbers(line, strict=False)]


# --------------------------------------------------------------------------- marks

@dataclass(frozen=True)
class Mark:
    """A span of one paragraph to mark: a figure's quote, an ignored or an unaccounted number."""

    start: int
    end: int
    kind: MarkKind
    key: str = ""      # figure id for figures
    title: str = ""    # hover text for ignored/unaccounted numbers


def load_ignored(path: Path | None) -> pd.DataFrame:
    """``ignored.csv`` (``source,paragraph,text,reason``) validated by its schema, or an
    empty table if absent.

    Raises:
        TableValidationError: If the table is malformed, located by file, row and column.
    """
    if path is None or not Path(path).is_file():
        return pd.DataFrame(columns=list(IGNORED_COLUMNS))
    return schema.load_table(Path(path), "ignored")


def _reason(row: Any, lang: str) -> str:
    """An ignored entry's reason in ``lang`` (``reason_ar`` in Arabic when given)."""
    arabic = str(getattr(row, "reason_ar", "") or "")
    return arabic if lang == "ar" and arabic else str(row.reason)


def paragraph_marks(line: str, figures: pd.DataFrame, ignored: pd.DataFrame,
                    lang: str = "en") -> list[Mark]:
    """The marks of one paragraph: curated quotes, ignored entries, unaccounted numbers.

    A number counts as accounted for when it overlaps a curated quote (a quote
    may start after a glued prefix such as و), as ignored when it overlaps an
    ignored entry's text.
    """
    ui = labels.page_words("source_", lang)
    marks: list[Mark] = []
    for r in figures.itertuples():
        at = line.find(str(r.quote))
        if at >= 0 and r.quote:
            marks.append(Mark(at, at + len(str(r.quote)), "figure", str(r.id)))
    ignored_spans = []
    for r in ignored.itertuples():
        at = line.find(str(r.text)) if r.text else -1
        if at >= 0:
            ignored_spans.append((at, at + len(str(r.text))))
            marks.append(Mark(at, at + len(str(r.text)), "ignored",
                              title=ui["ignored_reason"].format(reason=_reason(r, lang))))
    quoted = [(m.start, m.end) for m in marks if m.kind == "figure"]
    for start, end, _ in number_spans(line):
        if _overlaps((start, end), quoted) or _overlaps((start, end), ignored_spans):
            continue
        marks.append(Mark(start, end, "unaccounted", title=ui["unaccounted"]))
    return marks


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def render_marked(line: str, marks: Sequence[Mark]) -> str:
    """A paragraph's escaped text with its marks as properly nested ``<span>`` elements.

    Marks may nest or cross. Where one crosses another, the inner one is closed
    and reopened as a continuation (``class="... cont"``, no anchor, not
    focusable): the pieces of each mark, concatenated, are exactly its text.

    Examples:
        >>> m = [Mark(0, 3, "figure", "a"), Mark(2, 5, "figure", "b")]
        >>> render_marked("abcde", m).count('data-figure-id="b"')
        2
    """
    todo = sorted((m for m in marks if m.end > m.start),
                  key=lambda m: (m.start, -m.end))
    bounds = sorted({p for m in todo for p in (m.start, m.end)})
    starting: dict[int, list[Mark]] = {}
    for m in todo:
        starting.setdefault(m.start, []).append(m)
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0
    for p in bounds:
        out.append(escape_html(line[pos:p]))
        pos = p
        ending = [i for i, m in enumerate(stack) if m.end == p]
        if ending:
            above = stack[ending[0]:]
            out.extend("</span>" for _ in above)
            del stack[ending[0]:]
            for m in above:
                if m.end != p:
                    out.append(_open_tag(m, first=False))
                    stack.append(m)
        for m in starting.get(p, ()):  # a mark starts once: its first piece
            out.append(_open_tag(m, first=True))
            stack.append(m)
    out.append(escape_html(line[pos:]))
    return "".join(out)


def _open_tag(m: Mark, *, first: bool) -> str:
    if m.kind == "figure":
        fid = escape_html(m.key)
        if first:
            return (f'<span class="fig" id="fig-{fid}" data-figure-id="{fid}" tabindex="0" '
                    f'aria-describedby="tip-{fid}">')
        return f'<span class="fig cont" data-figure-id="{fid}">'
    cls = "num-ignored" if m.kind == "ignored" else "num-unaccounted"
    return f'<span class="{cls}" title="{escape_html(m.title)}">'


# --------------------------------------------------------------------------- page

def read_sidecar(source_path: Path) -> dict[str, Any]:
    """The ``<stem>.meta.yml`` beside a source ({} when there is none or it is unreadable)."""
    import yaml

    meta = source_path.with_name(f"{source_path.stem}.meta.yml")
    try:
        data = yaml.safe_load(meta.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def metrics_by_figure(metrics_table: pd.DataFrame | None) -> dict[str, list[str]]:
    """Figure id -> the published metrics whose ``inputs`` name it, in table order."""
    out: dict[str, list[str]] = {}
    if metrics_table is None:
        return out
    for metric, inputs in zip(metrics_table["metric"], metrics_table["inputs"], strict=True):
        for fid in str(inputs).split(";"):
            if fid and metric not in out.setdefault(fid, []):
                out[fid].append(metric)
    return out


def _metric_report(metric: str, metrics_table: pd.DataFrame, categories: Mapping[str, str],
                   ) -> str | None:
    row = metrics_table[metrics_table["metric"] == metric]
    if row.empty:
        return None
    first = str(row["inputs"].iloc[0]).split(";")[0]
    return CATEGORY_REPORT.get(categories.get(first, ""))


def _tip_html(fig: Mapping[str, Any], used_by: Sequence[str], metrics_table: pd.DataFrame | None,
              categories: Mapping[str, str], reports: set[str], lang: str) -> str:
    from .display import local_html, text_html

    ui = labels.page_words("source_", lang)
    value = labels.format_figure(fig["value"], fig["qualifier"], lang=lang, unit=fig["unit"])
    rows = [
        (labels.text("value", lang), text_html(value)),
        (labels.text("qualifier", lang), text_html(labels.qualifier_name(fig["qualifier"], lang))),
        (labels.text("attributed_to", lang), local_html(fig, "attributed_to", lang)),
    ]
    if fig.get("as_of"):
        rows.append((labels.text("as_of", lang), escape_html(fig["as_of"])))
    if fig.get("note"):
        rows.append((labels.text("note", lang), local_html(fig, "note", lang)))
    links = []
    for metric in used_by:
        name = text_html(labels.metric_label(metric, lang))  # its name, never its id
        report = (_metric_report(metric, metrics_table, categories)
                  if metrics_table is not None else None)
        if report and report in reports:
            links.append(f'<li><a href="../{escape_html(report)}.html">{name}</a></li>')
        else:
            links.append(f"<li>{name}</li>")
    used = f'<ul>{"".join(links)}</ul>' if links else f"<em>{text_html(ui['no_metric'])}</em>"
    rows.append((ui["used_by"], used))
    body = "".join(f"<dt>{text_html(k)}</dt><dd>{v}</dd>" for k, v in rows)
    fid = escape_html(fig["id"])
    return (f'<div class="tip" id="tip-{fid}" role="tooltip" data-tip-for="{fid}">'
            f'<p class="tip-head">{local_html(fig, "subject_en", lang)}</p><dl>{body}</dl></div>')


def _counted(n: int, noun: str, english: str, lang: str) -> str:
    """``english`` in English; in Arabic the noun agreeing with ``n`` (``labels.agree``)."""
    return labels.agree(n, *labels.COUNTED_NOUNS_AR[noun]) if lang == "ar" else english


def _counts_text(counts: Mapping[str, int], lang: str) -> str:
    """The page's tally of marks; Arabic nouns agree with their numbers."""
    if lang != "ar":
        return labels.text("source_counts", lang, figures=counts["figure"],
                           ignored=counts["ignored"], unaccounted=counts["unaccounted"])
    return "، ".join(f"{counts[k]} {_counted(counts[k], k, '', lang)}"
                     for k in ("figure", "ignored", "unaccounted"))


def _template() -> Any:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                             autoescape=True, keep_trailing_newline=True)
    return env.get_template(TEMPLATE_NAME)


def render_source_page(source_path: Path, figures: pd.DataFrame, *,
                       ignored: pd.DataFrame | None = None,
                       metrics_table: pd.DataFrame | None = None,
                       reports: Iterable[str] = (), lang: str = "en",
                       footer: str = "", topbar: str = "") -> str:
    """The HTML of one source's page.

    Args:
        source_path: The article text.
        figures: The figures that cite this source (all columns of ``figures.csv``).
        ignored: Rows of ``ignored.csv`` for this source (default: none).
        metrics_table: ``metrics.compute_metrics`` output, for "used by" links.
        reports: Report names published beside the page (``trainees``...); only
            these are linked.
        lang: Language of the page's own words (the article stays Arabic).
        footer: The page's ``<footer>`` markup (``frame.footer_html``, values escaped).
        topbar: The page's top bar (``frame.topbar_html``, values escaped).

    Raises:
        ExportError: If the source cannot be read.
    """
    from markupsafe import Markup


    lang = labels.check_lang(lang)
    ui = labels.page_words("source_", lang)
    text = read_source(source_path)
    meta = read_sidecar(source_path)
    ignored = ignored if ignored is not None else load_ignored(None)
    used = metrics_by_figure(metrics_table)
    categories = dict(zip(figures["id"], figures["category"], strict=True))
    reports = set(reports)
    paras = []
    counts = {"figure": 0, "ignored": 0, "unaccounted": 0}
    for n, line in enumerate(paragraphs(text), start=1):
        figs = figures[figures["paragraph"] == n]
        ign = ignored[ignored["paragraph"] == n]
        marks = paragraph_marks(line, figs, ign, lang)
        for m in marks:
            counts[m.kind] += 1
        marked = {m.key for m in marks if m.kind == "figure"}
        tips = [_tip_html({**r, "id": r["id"]}, used.get(r["id"], []), metrics_table,
                          categories, reports, lang)
                for r in figs.to_dict("records") if r["id"] in marked]
        paras.append({"n": n, "html": Markup(render_marked(line, marks)),
                      "tips": Markup("".join(tips)), "empty": not line.strip()})
    fig_ids = [str(i) for i in figures["id"] if re.fullmatch(r"[a-z][a-z0-9_]*", str(i))]
    # One rule per figure: its card shows while any piece of its quote is hovered or
    # focused, or while the card itself is hovered or holds focus.
    tip_css = "\n".join(
        f'.para:has([data-figure-id="{f}"]:hover) #tip-{f}, '
        f'.para:has([data-figure-id="{f}"]:focus) #tip-{f}, '
        f"#tip-{f}:hover, #tip-{f}:focus-within {{ display: block; }}" for f in fig_ids)
    return _template().render(
        lang=lang, dir="rtl" if lang == "ar" else "ltr", ui=ui,
        # An Arabic page shows no English subtitle: every word on it is Arabic.
        title_ar=meta.get("title_ar") or "",
        title_en="" if lang == "ar" else meta.get("title_en") or "",
        file=source_path.name, meta=meta, paragraphs=paras,
        counts=_counts_text(counts, lang),
        paragraphs_noun=_counted(len(paras), "paragraph", ui["paragraphs"], lang),
        n_paragraphs=len(paras), tip_css=Markup(tip_css),
        css=Markup(stylesheet()), esc=escape_html,
        heading=(meta.get("title_en") if lang == "en" and meta.get("title_en")
                 else meta.get("title_ar")) or source_path.name,
        footer=Markup(footer), topbar=Markup(topbar),
    )




def write_source_pages(out_dir: Path, ds: Any, metrics_table: pd.DataFrame | None = None, *,
                       lang: str = "en", ignored: pd.DataFrame | None = None,
                       info: PageInfo | None = None) -> list[Path]:
    """Write ``out_dir/sources/<stem>.html`` for every source ``ds.figures`` cites.

    Args:
        out_dir: A run folder (reports are linked when ``<name>.html`` exists there).
        ds: The validated ``Dataset``.
        metrics_table: ``metrics.compute_metrics(ds)``, for the "used by" lists.
        lang: Language of the page's own words.
        ignored: ``ignored.csv`` rows; default: ``ds.ignored`` if the dataset has
            them, else ``ignored.csv`` beside the figures table, else none.
        info: What each page's footer says (``frame.page_info``); none without it.

    Returns:
        The written pages, in source order.

    Raises:
        ExportError: If a source cannot be read or a page cannot be written.
    """
    out_dir = Path(out_dir)
    if ignored is None:
        ignored = getattr(ds, "ignored", None)
    if ignored is None:
        ignored = load_ignored(Path(ds.figures_path).parent / "ignored.csv")
    reports = {p.stem for p in out_dir.glob("*.html")}
    written = []
    for source in sorted(ds.figures["source"].unique()):
        figs = ds.figures[ds.figures["source"] == source]
        ign = ignored[ignored["source"] == source]
        page = render_source_page(Path(ds.sources_dir) / source, figs, ignored=ign,
                                  metrics_table=metrics_table, reports=reports, lang=lang,
                                  footer=footer_html(info, prefix="../") if info else "",
                                  topbar=topbar_html(info, page_name(source), prefix="../")
                                  if info else "")
        path = out_dir / page_name(source)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, page)
        except OSError as exc:
            raise ExportError(f"cannot write the source page: {exc}", file=str(path)) from exc
        written.append(path)
    return written
