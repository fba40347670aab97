"""The footer of every shared page: what it comes from and how it was made.

A reader who keeps one page (a report or a source view) still needs to know
which article it reads, when and from which commit it was made, and with which
parameters, in words rather than code names. The footer lives in the page
templates (``offline_report``, ``source_view.html.j2``), not in notebook
outputs, so nbval's stored outputs do not change with every run.

The export runs inside ``workbook run`` before the manifest exists, so
``page_info`` gathers what the footer needs from the run's parameters, its
date and the working tree's commit; every value is escaped by ``footer_html``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data import config, reading
from ..data.errors import WorkbookError
from ..figures import labels
from .escaping import escape_html

#: Parameters a reader is told about, in this order (the rest are for analysts).
SHOWN_PARAMETERS = ("bounds", "lang")


@dataclass(frozen=True)
class Source:
    """One source a page draws on: its title and its source-view page (from the run root)."""

    title: str
    href: str


@dataclass(frozen=True)
class PageInfo:
    """What a page's footer says, in the page's language."""

    lang: str
    date: str
    commit: str | None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()


def short_commit(commit: str | None) -> str | None:
    """The 7-character form of a commit id, as ``git log --oneline`` shows it.

    Examples:
        >>> short_commit("3b9d0c5f815add69f1a5ee6f1911c35d0c8d260d")
        '3b9d0c5'
        >>> short_commit(None) is None
        True
    """
    return commit[:7] if commit else None


def run_sources(figures_path: str | Path, lang: str) -> tuple[Source, ...]:
    """The sources ``figures.csv`` cites, titled from their sidecars in ``lang``.

    Read without its schema: the run has validated the tables. A source without a
    readable sidecar is titled by its file name.
    """
    from ..data import sources
    from . import links

    path = config.resolve(figures_path)
    try:
        names = sorted({r.get("source", "") for r in reading.read_rows(path)} - {""})
    except WorkbookError:
        return ()
    folder = config.beside_figures(path, "sources")
    out = []
    for name in names:
        try:
            title = sources.load_meta(name, folder).title(lang) or name
        except Exception:  # a broken sidecar is validation's to report, not the footer's
            title = name
        out.append(Source(title, links.page_name(name)))
    return tuple(out)


def page_info(parameters: Mapping[str, Any], *, commit: str | None, date: str | None = None,
              lang: str | None = None) -> PageInfo:
    """Everything a footer needs, from a run's parameters.

    Args:
        parameters: The run's parameters (``figures_path`` finds the sources).
        commit: The commit the run was made from (the run finds it); None if unknown.
        date: The run's date (ISO); default today (UTC).
        lang: The page's language; default ``parameters["lang"]``.
    """
    lang = "ar" if (lang or parameters.get("lang")) == "ar" else "en"
    day = (date or dt.datetime.now(dt.UTC).date().isoformat())[:10]
    return PageInfo(lang, day, commit, dict(parameters),
                    run_sources(parameters.get("figures_path") or config.FIGURES_CSV, lang))


def parameter_words(parameters: Mapping[str, Any], lang: str) -> list[str]:
    """The run's parameters as a reader reads them ("bounds: figures given as …").

    Examples:
        >>> parameter_words({"bounds": "exclude", "lang": "ar"}, "en")[1]
        'language: English'
    """
    words = []
    bounds = parameters.get("bounds")
    if bounds:
        key = f"param_bounds_{bounds}"
        words.append(labels.text(key, lang) if labels.has_text(key, lang) else f"bounds: {bounds}")
    words.append(labels.text("param_lang", lang))
    return words


def footer_html(info: PageInfo, *, prefix: str = "") -> str:
    """The ``<footer>`` of a page; links are relative to the run root through ``prefix``.

    Args:
        info: What to say.
        prefix: From the page to the run root: ``""`` for reports, ``"../"`` for
            ``sources/<stem>.html``.
    """
    lang = info.lang
    t = lambda key, **kw: escape_html(labels.text(key, lang, **kw))  # noqa: E731
    attrs = ' dir="rtl" lang="ar"' if lang == "ar" else ' dir="ltr" lang="en"'
    srcs = "، " if lang == "ar" else ", "
    source_links = srcs.join(
        f'<a class="wb-footer-source" href="{escape_html(prefix + s.href)}">'
        f"{escape_html(s.title)}</a>" for s in info.sources) or t("footer_unknown")
    commit = short_commit(info.commit)
    commit_html = f'<code dir="ltr">{escape_html(commit)}</code>' if commit \
        else t("footer_unknown")
    sep = "؛ " if lang == "ar" else "; "
    params = escape_html(sep.join(parameter_words(info.parameters, lang)))
    return (f'<footer class="wb-footer"{attrs}>\n'
            f'<p><span class="wb-footer-label">{t("footer_source")}:</span> {source_links}</p>\n'
            f'<p><span class="wb-footer-label">{t("footer_date")}:</span> '
            f'<time class="wb-footer-date" datetime="{escape_html(info.date)}">'
            f"{escape_html(info.date)}</time> · "
            f'<span class="wb-footer-label">{t("footer_commit")}:</span> '
            f'<span class="wb-footer-commit">{commit_html}</span></p>\n'
            f'<p><span class="wb-footer-label">{t("footer_params")}:</span> '
            f'<span class="wb-footer-params">{params}</span></p>\n'
            f'<p><a class="wb-footer-index" href="{escape_html(prefix)}index.html">'
            f'{t("footer_index")}</a></p>\n'
            "</footer>")


FOOTER_CSS = """
.wb-footer { margin: 3rem 0 1rem; padding-top: .75rem; border-top: 1px solid #ccc;
  color: #444; font-size: .9em;
  font-family: var(--jp-ui-font-family, system-ui, "Segoe UI", Roboto, Arial, sans-serif); }
.wb-footer[lang=ar], .wb-footer[lang=ar] * { font-family: var(--report-arabic-fonts,
  var(--ar-fonts, sans-serif)); }
.wb-footer code { font-family: var(--jp-code-font-family, monospace); }
.wb-footer p { margin: .25rem 0; }
.wb-footer-label { font-weight: 600; }
"""
