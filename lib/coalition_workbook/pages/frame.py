"""The frame of every shared page: the top bar above it and the footer below it.

A reader who lands on any page (a report, the index, the run record, a source
page) finds the same way around at the top: the edition's title back to the
index, the same page in the other edition, and the article. A reader who keeps
one page still knows, from its footer, which article it reads, when and from
which commit it was made, and with which parameters, in words rather than code
names. Both live in the page templates, not in notebook outputs, so nbval's
stored outputs do not change with every run.

The export runs inside ``workbook run`` before the manifest exists, so
``page_info`` gathers what the frame needs from the run's parameters, its date,
the working tree's commit and the declared editions; every value is escaped here.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..data import config, reading
from ..data.errors import WorkbookError
from ..data.vocab import comma, semicolon
from ..figures import labels
from .escaping import escape_html

#: The run record's page, beside index.html.
RUN_PAGE = "run.html"


@dataclass(frozen=True)
class Source:
    """One source a page draws on: its title and its source-view page (from the run root)."""

    title: str
    href: str


@dataclass(frozen=True)
class OtherEdition:
    """Another edition of the same run: its name, language and folder (from this one's)."""

    label: str
    lang: str
    folder: str  # e.g. "../ar/latest"


@dataclass(frozen=True)
class PageInfo:
    """What a page's frame says, in the page's language."""

    lang: str
    date: str
    commit: str | None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    editions: tuple[OtherEdition, ...] = ()


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


def edition_folders(editions: Sequence[Mapping[str, str]]) -> tuple[OtherEdition, ...]:
    """Other editions from their index links (``{"label", "href", "lang"}``, as the
    manifest lists them): each one's folder, for links to any of its pages.

    Examples:
        >>> edition_folders([{"label": "English", "href": "../../latest/index.html",
        ...                   "lang": "en"}])[0].folder
        '../../latest'
    """
    return tuple(OtherEdition(str(e.get("label", "")), str(e.get("lang", "")),
                              posixpath.dirname(str(e.get("href", ""))) or ".")
                 for e in editions if e.get("href"))


def page_info(parameters: Mapping[str, Any], *, commit: str | None, date: str | None = None,
              lang: str | None = None,
              editions: Sequence[Mapping[str, str]] = ()) -> PageInfo:
    """Everything a page's frame needs, from a run's parameters.

    Args:
        parameters: The run's parameters (``figures_path`` finds the sources).
        commit: The commit the run was made from (the run finds it); None if unknown.
        date: The run's date (ISO); default today (UTC).
        lang: The page's language; default ``parameters["lang"]``.
        editions: The other editions (``{"label", "href", "lang"}`` to their index).
    """
    lang = "ar" if (lang or parameters.get("lang")) == "ar" else "en"
    day = (date or dt.datetime.now(dt.UTC).date().isoformat())[:10]
    return PageInfo(lang, day, commit, dict(parameters),
                    run_sources(parameters.get("figures_path") or config.FIGURES_CSV, lang),
                    edition_folders(editions))


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


def _t(key: str, lang: str, **kw: object) -> str:
    return escape_html(labels.text(key, lang, **kw))


def _attrs(lang: str) -> str:
    return ' dir="rtl" lang="ar"' if lang == "ar" else ' dir="ltr" lang="en"'


def commit_html(commit: str | None, lang: str) -> str:
    """The short commit as code, isolated from the text around it; "unknown" in words."""
    short = short_commit(commit)
    if not short:
        return _t("footer_unknown", lang)
    return f'<bdi dir="ltr"><code class="wb-commit">{escape_html(short)}</code></bdi>'


def built_line(info: PageInfo) -> str:
    """"Built 7 December 2026 from commit 1a2b3c4" as markup (the date in a ``<time>``).

    The sentence is ours (``labels``), escaped before the two marked-up values go in.
    """
    when = (f'<time datetime="{escape_html(info.date)}">'
            f"{escape_html(labels.long_date(info.date, info.lang))}</time>")
    return escape_html(labels.text("built_line", info.lang)).format(
        date=when, commit=commit_html(info.commit, info.lang))


def topbar_html(info: PageInfo, page: str, *, prefix: str = "") -> str:
    """The top bar: the edition's title (to its index), the same page in each other
    edition, and the article (or the list of articles when the run has several).

    Args:
        info: The run's frame.
        page: This page's path from the run root (``aid.html``, ``sources/x.html``).
        prefix: From this page to the run root (``""`` or ``"../"``).
    """
    lang = info.lang
    items = []
    for e in info.editions:
        href = posixpath.normpath(posixpath.join(prefix + e.folder, page))
        attrs = f' lang="{escape_html(e.lang)}" hreflang="{escape_html(e.lang)}"' \
            if e.lang else ""
        items.append(f'<li><a class="wb-edition" href="{escape_html(href)}"{attrs}>'
                     f"<bdi>{escape_html(e.label)}</bdi></a></li>")
    if len(info.sources) == 1:
        src = info.sources[0]
        items.append(f'<li><a class="wb-article" href="{escape_html(prefix + src.href)}">'
                     f'{_t("topbar_article", lang)}</a></li>')
    elif info.sources:
        items.append(f'<li><a class="wb-article" href="{escape_html(prefix)}index.html#sources">'
                     f'{_t("topbar_articles", lang)}</a></li>')
    return (f'<header class="wb-topbar"{_attrs(lang)}><div class="wb-topbar-inner">'
            f'<a class="wb-home" href="{escape_html(prefix)}index.html">'
            f'{_t("topbar_home", lang)}</a>'
            f'<nav aria-label="{_t("topbar_nav", lang)}"><ul>{"".join(items)}</ul></nav>'
            "</div></header>")


def footer_html(info: PageInfo, *, prefix: str = "") -> str:
    """The ``<footer>`` of a page; links are relative to the run root through ``prefix``.

    Args:
        info: What to say.
        prefix: From the page to the run root: ``""`` for reports, ``"../"`` for
            ``sources/<stem>.html``.
    """
    lang = info.lang
    source_links = comma(lang).join(
        f'<a class="wb-footer-source" href="{escape_html(prefix + s.href)}">'
        f"{escape_html(s.title)}</a>" for s in info.sources) or _t("footer_unknown", lang)
    params = escape_html(semicolon(lang).join(parameter_words(info.parameters, lang)))
    return (f'<footer class="wb-footer"{_attrs(lang)}>\n'
            f'<p><span class="wb-footer-label">{_t("footer_source", lang)}:</span> '
            f"{source_links}</p>\n"
            f'<p class="wb-footer-built">{built_line(info)}</p>\n'
            f'<p><span class="wb-footer-label">{_t("footer_params", lang)}:</span> '
            f'<span class="wb-footer-params">{params}</span></p>\n'
            f'<p><a class="wb-footer-index" href="{escape_html(prefix)}index.html">'
            f'{_t("footer_index", lang)}</a> · '
            f'<a class="wb-footer-run" href="{escape_html(prefix)}{RUN_PAGE}">'
            f'{_t("footer_run", lang)}</a></p>\n'
            "</footer>")


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` of a page template goes through the one escaper (None -> "")."""
    from markupsafe import Markup

    return value if isinstance(value, Markup) else Markup(escape_html(value))


def page_template(name: str) -> Any:
    """A template of ``templates/page/`` (they extend ``base.html.j2``), autoescaped.

    The environment's ``finalize`` passes every value through ``escaping.escape_html``;
    the filter ``text`` also marks Arabic runs right-to-left (``escaping.text_html``).
    """
    return _page_env().get_template(name)


@lru_cache(maxsize=1)
def _page_env() -> Any:
    import jinja2
    from markupsafe import Markup

    from .escaping import text_html

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates") / "page"),
        autoescape=True, finalize=_finalize, undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True)
    env.filters["text"] = lambda v: Markup(text_html(v))
    return env


def frame_context(info: PageInfo, page: str, *, prefix: str = "",
                  with_footer: bool = True) -> dict[str, Any]:
    """What ``base.html.j2`` needs besides the page's own content: stylesheet, top bar,
    footer (the index says the same in its own last line), direction and language."""
    from markupsafe import Markup

    from .style import stylesheet

    return {"css": Markup(stylesheet()), "topbar": Markup(topbar_html(info, page, prefix=prefix)),
            "footer": Markup(footer_html(info, prefix=prefix) if with_footer else ""),
            "lang": info.lang,
            "dir": "rtl" if info.lang == "ar" else "ltr"}


def info_from_manifest(manifest: Mapping[str, Any]) -> PageInfo:
    """The frame of a run's own pages (index, run record), from its manifest alone."""
    params = manifest.get("parameters")
    params = params if isinstance(params, Mapping) else {}
    started = manifest.get("started")
    return page_info(params, commit=manifest.get("commit") or None,
                     date=str(started) if started else None,
                     editions=[e for e in manifest.get("editions") or [] if isinstance(e, Mapping)])
