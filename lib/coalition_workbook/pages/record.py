"""``run.html``: the record of the run that built an edition, for whoever asks how.

Every field of the run's manifest appears under a label in the edition's
language, with the value the manifest holds; ``run.html`` is written from the
same ``Manifest`` as ``manifest.json``, at the same moment (``runner._record``),
so the two never disagree. Each value's cell carries ``data-field``, its path in
the manifest, so a test can compare them. Fields this page does not know are
listed under "Other entries", by their key.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..data.errors import ExportError
from ..data.files import atomic_write_text
from ..data.vocab import comma
from ..figures import labels
from . import frame
from .escaping import text_html
from .landing import notebook_rows, report_link, report_words, status_words, words

#: Manifest keys shown in their own sections (the rest go under "Other entries").
KNOWN = ("run_id", "status", "started", "finished", "seconds", "commit", "dirty",
         "with_code", "fingerprint", "parameters", "notebooks", "inputs", "versions",
         "runner", "metrics", "screenshots", "editions", "exports", "source_pages")


def _row(label: str, field: str, value: Any, *, code: bool = False) -> dict[str, Any]:
    """One labelled value (beside its label, so aligned like text, numbers too)."""
    return {"label": label, "field": field, "value": value, "code": code,
            "html": isinstance(value, Markup)}


def _yes_no(value: Any, lang: str) -> str:
    if value is None:
        return labels.text("footer_unknown", lang)
    return labels.text("run_yes" if value else "run_no", lang)


#: Settings a reader is told in words (``labels``), beside the value as typed.
IN_WORDS = {"bounds": "param_bounds_{value}", "lang": "param_lang"}


def _setting(section: str, name: str, value: Any, lang: str) -> dict[str, Any]:
    """A parameter (``section`` "parameters", labels ``run_param_*``) or runner setting
    (``run_runner_*``) under its label; one this page has no label for keeps its key."""
    field = f"{section}.{name}"
    key = f"run_{'param' if section == 'parameters' else section}_{name}"
    if not labels.has_text(key, lang):
        return _row(name, field, value, code=True)
    label = labels.text(key, lang)
    words = IN_WORDS.get(name, "").format(value=value)
    if words and labels.has_text(words, lang) and (name != "lang" or value == lang):
        return _row(label, field, Markup(
            f'{text_html(labels.text(words, lang))} <bdi dir="ltr"><code>'
            f"{frame.escape_html(value)}</code></bdi>"))
    if isinstance(value, bool):
        value = _yes_no(value, lang)
    return _row(label, field, value, code=name in ("figures_path", "kernel"))


def _files(entries: Any) -> list[dict[str, Any]]:
    if not isinstance(entries, Mapping):
        return []
    return [{"path": p, "bytes": (v or {}).get("bytes", "") if isinstance(v, Mapping) else "",
             "sha256": (v or {}).get("sha256", v) if isinstance(v, Mapping) else v}
            for p, v in entries.items()]


def render_run_record(report_dir: Path, manifest: Mapping[str, Any],
                      info: frame.PageInfo | None = None) -> str:
    """The HTML of ``run.html`` (see ``write_run_record``)."""
    report_dir = Path(report_dir)
    info = info or frame.info_from_manifest(manifest)
    lang = info.lang
    m = manifest

    def row(key: str, field: str, value: Any, *, code: bool = False) -> dict[str, Any]:
        return _row(labels.text(key, lang), field, value, code=code)

    commit = m.get("commit")
    run_rows = [
        row("run_run_id", "run_id", m.get("run_id", ""), code=True),
        row("run_status", "status", status_words(m.get("status"), lang)),
        row("run_started", "started", m.get("started", ""), code=True),
        row("run_finished", "finished", m.get("finished", ""), code=True),
        row("run_seconds", "seconds", m.get("seconds", "")),
        row("run_commit", "commit", commit or labels.text("footer_unknown", lang),
            code=bool(commit)),
        row("run_dirty", "dirty", _yes_no(m.get("dirty"), lang)),
        row("run_with_code", "with_code", _yes_no(m.get("with_code"), lang)),
        row("run_fingerprint", "fingerprint", m.get("fingerprint", ""), code=True),
    ]
    notebooks = []
    for nb in notebook_rows(m):
        name = str(nb.get("name", ""))
        notebooks.append({"name": name, "title": report_words(name, lang)[0],
                          "href": report_link(report_dir, nb), "status": nb.get("status", ""),
                          **{k: nb.get(k, "") for k in ("seconds", "execute_seconds",
                                                        "export_seconds")}})
    settings = [_setting(section, k, v, lang) for section in ("parameters", "runner")
                if isinstance(m.get(section), Mapping) for k, v in m[section].items()]
    published = []
    metrics = m.get("metrics")
    if isinstance(metrics, Mapping):
        file = frame.escape_html(metrics.get("file", ""))
        rows = text_html(labels.text("run_metrics_rows", lang, rows=metrics.get("rows", "")))
        # the file name isolated: it reads left to right in either language
        published.append(row("run_metrics", "metrics.rows", Markup(
            f'<bdi dir="ltr"><code>{file}</code></bdi>{comma(lang)}{rows}')))
    shots = [str(s) for s in m.get("screenshots") or []]
    published.append(row("run_screenshots", "screenshots",
                         labels.text("run_screenshots_n", lang, n=len(shots))))
    editions = [e for e in m.get("editions") or [] if isinstance(e, Mapping)]
    if editions:
        links = comma(lang).join(f'<a href="{quote(str(e.get("href", "")), safe="/.#")}">'
                         f'{frame.escape_html(e.get("label", ""))}</a>' for e in editions)
        published.append(row("run_editions", "editions", Markup(links)))
    file_tables = [{"id": key, "field": key, "caption": labels.text(caption, lang),
                    "files": files}
                   for key, caption in (("inputs", "run_section_inputs"),
                                        ("exports", "index_data"),
                                        ("source_pages", "index_sources"))
                   if (files := _files(m.get(key)))]
    versions = m.get("versions") if isinstance(m.get("versions"), Mapping) else {}
    return frame.page_template("run.html.j2").render(
        **frame.frame_context(info, frame.RUN_PAGE), title=labels.text("run_title", lang),
        t=words(lang), st=lambda s: status_words(s, lang), built=Markup(frame.built_line(info)),
        run_rows=run_rows, notebooks=notebooks, settings=settings, published=published,
        screenshots=[quote(s) for s in shots], file_tables=file_tables,
        versions=list(versions.items()),
        others=[(k, v) for k, v in m.items() if k not in KNOWN])


def write_run_record(report_dir: Path, manifest: Mapping[str, Any],
                     info: frame.PageInfo | None = None) -> Path:
    """Write ``report_dir/run.html`` from the manifest the run writes beside it.

    Raises:
        ExportError: If the file cannot be written.
    """
    path = Path(report_dir) / frame.RUN_PAGE
    try:
        atomic_write_text(path, render_run_record(Path(report_dir), manifest, info))
    except OSError as exc:
        raise ExportError(f"cannot write the run record: {exc}", file=str(path)) from exc
    return path
