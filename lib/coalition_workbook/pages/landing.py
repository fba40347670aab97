"""``index.html``: the landing page of a published edition, for readers.

It shows the headline numbers (read from the run's own ``metrics.csv``), one
line per report, the articles, the open data, and one line saying when and
from which commit the edition was built, linking the run record (``run.html``,
``record.py``). No tooling word and no identifier reaches it; the page has no
script and loads nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..data.errors import ExportError
from ..data.files import atomic_write_text
from ..figures import labels
from . import escaping, frame

#: The open data beside the reports: file, its words for readers, its format.
DATA_FILES = (("metrics.csv", "index_data_metrics", "CSV"),
              ("datapackage.json", "index_data_package", "JSON"),
              ("claims.jsonld", "index_data_claims", "JSON-LD"))


def notebook_rows(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per-notebook entries as dicts with a ``name``, from a dict or a list manifest."""
    nbs = manifest.get("notebooks") or {}
    if isinstance(nbs, Mapping):
        return [{"name": k, **(v if isinstance(v, Mapping) else {"status": v})}
                for k, v in nbs.items()]
    return [dict(item) if isinstance(item, Mapping) else {"name": str(item)} for item in nbs]


def report_words(name: str, lang: str) -> tuple[str, str]:
    """A report's title and its one line for readers; its file name when unknown."""

    def word(key: str) -> str:
        return labels.text(key, lang) if labels.has_text(key, lang) else ""

    title = word(f"{name}_title") or (word("explorer_title") if name == "explore" else "") or name
    return title, word(f"report_{name}")


def report_link(report_dir: Path, nb: Mapping[str, Any]) -> str:
    """The report's page, when it exists; quoted, so a name never becomes a scheme."""
    target = Path(str(nb.get("html") or f"{nb.get('name', '')}.html")).name
    return quote(target) if target and (Path(report_dir) / target).is_file() else ""


def status_words(status: object, lang: str) -> Markup:
    """A run or notebook status in words; one we have no words for stays as code."""
    key = f"run_status_{str(status).lower()}"
    if labels.has_text(key, lang):
        return Markup(escaping.text_html(labels.text(key, lang)))
    return Markup(f"<code>{escaping.escape_html(status)}</code>")


def words(lang: str) -> Any:
    """``t(key, **fmt)``: a label of ``lang`` as escaped markup, for the templates."""
    return lambda key, **fmt: Markup(escaping.text_html(labels.text(key, lang, **fmt)))


def _headlines(report_dir: Path, lang: str) -> list[dict[str, str]]:
    """The run's summed totals from its ``metrics.csv``, each named and qualified.

    Read from the published file (not recomputed) so the landing page says
    exactly what the run published; an unreadable file gives no headlines.
    """
    from ..data import reading
    from ..data.errors import WorkbookError
    from ..figures.findings import amount
    from ..figures.metrics import TOTAL_NAMES

    try:
        rows = {r.get("metric"): r for r in reading.read_rows(report_dir / "metrics.csv")}
    except WorkbookError:
        return []

    def num(v: str | None) -> float:
        try:
            return float(v) if v not in (None, "") else math.nan
        except ValueError:
            return math.nan

    out = []
    for metric in TOTAL_NAMES.values():
        r = rows.get(metric)
        if not r or math.isnan(num(r.get("value"))):
            continue
        said = amount({"value": num(r.get("value")), "value_high": num(r.get("value_high")),
                       "qualifier": r.get("qualifier") or "exact"}, lang=lang,
                      unit="usd" if r.get("unit") == "usd" else None)
        out.append({"label": labels.metric_label(metric, lang), "amount": said or ""})
    return out


def render_index(report_dir: Path, manifest: Mapping[str, Any],
                 info: frame.PageInfo | None = None) -> str:
    """The HTML of ``index.html`` (see ``write_index``), in the edition's language."""
    report_dir = Path(report_dir)
    info = info or frame.info_from_manifest(manifest)
    lang = info.lang
    notebooks = []
    for nb in notebook_rows(manifest):
        title, about = report_words(str(nb.get("name", "")), lang)
        notebooks.append({"title": title, "about": about, "status": str(nb.get("status", "")),
                          "href": report_link(report_dir, nb)})
    pages = {p.relative_to(report_dir).as_posix() for p in report_dir.glob("sources/*.html")}
    titled = {s.href: s.title for s in info.sources}
    title = labels.text("index_title", lang)
    return frame.page_template("index.html.j2").render(
        **frame.frame_context(info, "index.html", with_footer=False), title=title,
        t=words(lang),
        st=lambda s: status_words(s, lang),
        headlines=_headlines(report_dir, lang), notebooks=notebooks,
        sources=[{"href": quote(p), "title": titled.get(p, p)} for p in sorted(pages)],
        data_files=[{"href": quote(f), "label": labels.text(key, lang),
                     "format": labels.text("index_data_format", lang, fmt=fmt)}
                    for f, key, fmt in DATA_FILES if (report_dir / f).is_file()],
        built=Markup(frame.built_line(info)), run_page=frame.RUN_PAGE)


def write_index(report_dir: Path, manifest: Mapping[str, Any],
                info: frame.PageInfo | None = None) -> Path:
    """Write ``report_dir/index.html`` (replaced atomically).

    Args:
        report_dir: The folder holding the reports (e.g. the staging folder of a run).
        manifest: The run's manifest (``manifest.json``'s content); notebooks as a dict
            name -> entry or a list of entries with ``name``.
        info: The pages' frame; default: from the manifest (``frame.info_from_manifest``).

    Raises:
        ExportError: If the file cannot be written.
    """
    path = Path(report_dir) / "index.html"
    try:
        atomic_write_text(path, render_index(Path(report_dir), manifest, info))
    except OSError as exc:
        raise ExportError(f"cannot write the report index: {exc}", file=str(path)) from exc
    return path
