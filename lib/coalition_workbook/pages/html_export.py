"""Executed notebook -> one self-contained HTML file that works offline.

Stock ``jupyter nbconvert --to html`` loads require.js, MathJax and (through
require.js) vega from CDNs, so its charts stay blank without a network. The
``offline_report`` template under ``templates/`` extends nbconvert's ``lab``
template, empties those blocks and puts vl-convert's vega / vega-lite /
vega-embed bundle in the head once. Altair's output script then finds the
global ``vegaEmbed`` and, because a global ``VEGA_DEBUG`` already names the
versions it asks for, loads nothing.

The bundle goes in as template data (``resources["vega_head"]``), not as a
Jinja include: the minified JavaScript contains ``{#``, a Jinja comment start.

Every page carries the shared stylesheet (``style.stylesheet``) in place of
JupyterLab's, the top bar and the footer (``frame``). Text anywhere goes
through ``escaping.escape_html`` and JSON through ``escaping.script_safe_json``,
the project's one escaper and one serializer; nothing is fetched.
"""

from __future__ import annotations

import contextlib
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..data.errors import ExportError
from ..data.files import atomic_write_text
from . import escaping, frame
from .escaping import ARABIC_LETTER, LATIN_LETTER
from .style import stylesheet

TEMPLATES_DIR = Path(__file__).with_name("templates")
TEMPLATE_NAME = "offline_report"
#: The size a shared report should stay under (the bundle alone is ~0.9 MB).
MAX_REPORT_BYTES = 2 * 1024 * 1024

# What Altair's notebook output asks for: maybeLoadScript("vega-lite", "6.4.1")
_ALTAIR_LOAD = re.compile(r'maybeLoadScript\("(vega|vega-lite|vega-embed)", "([^"]+)"\)')


def mostly_arabic(text: str) -> bool:
    """Whether a piece of prose is mainly Arabic (more Arabic than Latin letters).

    Inline code and link targets are ignored, so a sentence that names
    ``data/figures.csv`` stays Arabic.

    Examples:
        >>> mostly_arabic("## المتدربون حسب نوع القوة")
        True
        >>> mostly_arabic("Trainees by force: «الجيش العراقي»")
        False
    """
    prose = re.sub(r"`[^`]*`|\]\([^)]*\)|https?://\S+", " ", text or "")
    return len(ARABIC_LETTER.findall(prose)) > len(LATIN_LETTER.findall(prose))


def text_dir_attrs(text: str, page_dir: str = "ltr") -> str:
    """`` dir="rtl" lang="ar"`` for mainly Arabic prose, `` dir="ltr" lang="en"`` for
    other prose on a right-to-left page, else "" (the block inherits the page's).

    Examples:
        >>> text_dir_attrs("## المتدربون")
        ' dir="rtl" lang="ar"'
        >>> text_dir_attrs("Trainees by force", "rtl")
        ' dir="ltr" lang="en"'
        >>> text_dir_attrs("Trainees by force", "ltr")
        ''
    """
    if mostly_arabic(text):
        return ' dir="rtl" lang="ar"'
    if page_dir == "rtl" and LATIN_LETTER.search(text or ""):
        return ' dir="ltr" lang="en"'
    return ""


def _bundle_cache_path(vl_version: str) -> Path:
    import vl_convert

    from ..data import config

    name = f"vega-bundle-{vl_convert.__version__}-{vl_version}.js"
    return config.ROOT / "reports" / ".cache" / name


@lru_cache(maxsize=4)
def _vega_bundle(vl_version: str) -> str:
    """vl-convert's vega / vega-lite / vega-embed bundle, escaped for a <script> element.

    ``vl_convert.javascript_bundle`` takes ~1 s in every process, so its result is kept
    in ``reports/.cache/`` (named by the vl-convert and vega-lite versions, written
    atomically): only the first run ever pays for it.
    """
    import vl_convert

    cached = _bundle_cache_path(vl_version)
    try:
        js = cached.read_text(encoding="utf-8")
    except OSError:
        js = ""
    if not js:
        js = vl_convert.javascript_bundle(vl_version=vl_version)
        with contextlib.suppress(OSError):  # a read-only reports/ only costs the time
            atomic_write_text(cached, js)
    # Inside <script>, only "</script" and "<!--" can end or confuse the element.
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _vega_head(notebook_html: str) -> str:
    """The <script> elements for the head: VEGA_DEBUG + the bundle, or "" without charts."""
    wanted = dict(_ALTAIR_LOAD.findall(notebook_html))
    if not wanted:
        return ""
    import vl_convert

    def major(v: str) -> str:
        return v.lstrip("v").split(".")[0]

    vl = wanted.get("vega-lite", "")
    vl_minor = "v" + ".".join(vl.lstrip("v").split(".")[:2])
    if vl_minor.lstrip("v") not in vl_convert.get_vegalite_versions():
        raise ValueError(f"charts ask for vega-lite {vl}; vl-convert bundles "
                         f"{', '.join(vl_convert.get_vegalite_versions())}")
    for lib, have in (("vega", vl_convert.get_vega_version()),
                      ("vega-embed", vl_convert.get_vega_embed_version())):
        if lib in wanted and major(wanted[lib]) != major(have):
            raise ValueError(f"charts ask for {lib} {wanted[lib]}; vl-convert bundles {have}")
    debug = {f"{lib.replace('-', '')}_version": v for lib, v in sorted(wanted.items())}
    debug_json = escaping.script_safe_json(debug)
    return (f'<script type="text/javascript">\nvar VEGA_DEBUG = {debug_json};\n</script>\n'
            f'<script type="text/javascript">\n{_vega_bundle(vl_minor)}\n</script>')


#: Cells the shared page leaves out: notes for the analyst (parameters, tooling) stay
#: in the notebook; narration is written once per language, each cell tagged
#: ``lang-en`` or ``lang-ar``, and a page keeps only its own language's.
ANALYST_TAG = "analyst"
LANG_TAGS = {"en": "lang-en", "ar": "lang-ar"}


def removed_tags(lang: str) -> tuple[str, ...]:
    """Tags of the cells a page in ``lang`` leaves out.

    Examples:
        >>> removed_tags("ar")
        ('remove-cell', 'analyst', 'lang-en')
    """
    return ("remove-cell", ANALYST_TAG, *(t for k, t in LANG_TAGS.items() if k != lang))


@lru_cache(maxsize=8)
def _exporter(include_input: bool, lang: str = "en") -> Any:
    """One exporter per page shape, kept for the process: building one compiles its
    Jinja templates, which every page of that shape shares."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=not include_input,
        exclude_input_prompt=not include_input,
        exclude_output_prompt=not include_input,
        embed_images=True,
    )
    exporter.language_code = lang
    exporter.register_filter("mostly_arabic", mostly_arabic)
    # The one escaper and serializer, also under nbconvert's own filter name.
    exporter.register_filter("escape_html", escaping.escape_html)
    exporter.register_filter("script_safe_json", escaping.script_safe_json)
    exporter.register_filter("text_dir_attrs", text_dir_attrs)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=removed_tags(lang),
                              remove_input_tags=("remove-input", "hide-input")),
        enabled=True,
    )
    return exporter


def _render(nb: Any, nb_path: Path, include_input: bool, info: frame.PageInfo | None) -> str:

    papermill = nb.metadata.get("papermill") or {}
    if info is None:  # a notebook rendered on its own: what papermill recorded of its run
        info = frame.page_info(papermill.get("parameters") or {}, commit=None,
                                date=papermill.get("start_time"))
    lang = info.lang
    exporter = _exporter(include_input, lang)
    outputs_html = "\n".join(
        str(o.get("data", {}).get("text/html", ""))
        for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    resources = {
        "metadata": {"name": nb_path.stem, "path": str(nb_path.parent)},
        "vega_head": Markup(_vega_head(outputs_html)),  # our own script, not user text
        "report_lang": lang,
        "report_dir": "rtl" if lang == "ar" else "ltr",
        # The frame and the stylesheet are ours; every value in them is escaped inside.
        "page_topbar": Markup(frame.topbar_html(info, f"{nb_path.stem}.html")),
        "page_footer": Markup(frame.footer_html(info)),
        "page_css": Markup(stylesheet()),
        "with_code": include_input,
    }
    # lab's <title> is ``nb.metadata.title``: the page's h1, in the page's language.
    nb.metadata["title"] = page_heading(nb, lang) or nb_path.stem
    with _RENDERING:  # nbconvert registers per-notebook filters on the shared exporter
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


#: Renders are CPU-bound Python (the GIL runs one at a time anyway); the lock keeps
#: two worker threads from swapping each other's per-notebook filters mid-render.
_RENDERING = threading.Lock()


_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_MD_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def page_heading(nb: Any, lang: str) -> str:
    """The text of the page's first ``<h1>``: what its ``<title>`` says.

    Looks at the cells the page keeps (``removed_tags``), in order: a markdown
    ``# heading`` or an ``<h1>`` in a code cell's HTML output. "" when none.
    """
    import html as _html

    dropped = set(removed_tags(lang))
    for cell in nb.cells:
        if dropped & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            m = _MD_H1.search(cell.source)
            found = m.group(1) if m else ""
        else:
            found = next((m.group(1) for o in cell.get("outputs", [])
                          for m in [_H1.search(str(o.get("data", {}).get("text/html", "")))]
                          if m), "")
        if found:
            return " ".join(_html.unescape(re.sub(r"<[^>]+>", "", found)).split())
    return ""


def export_notebook(nb_path: Path, html_path: Path, *, info: frame.PageInfo | None = None,
                    include_input: bool = False) -> None:
    """Render an executed notebook as one self-contained, offline HTML file.

    Charts get the vega bundle once in the head; require.js, MathJax, mermaid and
    widget loaders are left out, so opening the file makes no network request.
    The page is right-to-left when the run's ``lang`` is ``ar``; markdown cells
    that are mainly Arabic get ``dir="rtl" lang="ar"`` in either language.

    Args:
        nb_path: The executed ``.ipynb``.
        html_path: Where to write; replaced atomically (temp file + ``os.replace``).
        info: The run's footer and language (``frame.page_info``); default: read from
            the parameters papermill recorded in the notebook, commit unknown.
        include_input: Keep the code cells (the default hides them, like ``--no-input``).

    Raises:
        ExportError: If the notebook cannot be read or rendered; names the notebook.
    """
    nb_path, html_path = Path(nb_path), Path(html_path)
    try:
        import nbformat

        nb = nbformat.read(nb_path, as_version=4)
        body = _render(nb, nb_path, include_input, info)
    except ExportError:
        raise
    except Exception as exc:  # nbformat, nbconvert, jinja2, vl-convert all raise their own
        raise ExportError(f"cannot render {nb_path.stem} as HTML: {type(exc).__name__}: {exc}",
                          file=str(nb_path), notebook=nb_path.stem) from exc
    try:
        atomic_write_text(html_path, body)
    except OSError as exc:
        raise ExportError(f"cannot write the HTML of {nb_path.stem}: {exc}",
                          file=str(html_path), notebook=nb_path.stem) from exc
