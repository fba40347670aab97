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
from ..figures import labels
from . import frame
from .escaping import text_html
from .landing import notebook_rows, report_link, report_words, status_words, words

#: Manifest keys shown in their own sections (the rest go under "Other entries").
KNOWN = ("run_id", "status", "started", "finished", "seconds", "commit", "dirty",
         "with_code", "fingerprint", "parameters", "notebooks", "inputs", "versions",
         "runner", "metrics", "screenshots", "editions", "exports", "source_pages")


def _row(key: str, field: str, value: Any, lang: str, *, code: bool = False) -> dict[str, Any]:
    """One labelled value; beside its label, so aligned like text, numbers too."""
    return {"label": labels.text(key, lang), "field": field, "value": value, "code": code,
            "html": isinstance(value, Markup)}


def _yes_no(value: Any, lang: str) -> str:
    if value is None:
        return labels.text("footer_unknown", lang)
    return labels.text("run_yes" if value else "run_no", lang)


def _setting(name: str, value: Any, lang: str, field: str) -> dict[str, Any]:
    """One parameter or runner setting under its label; unknown names keep their key."""
    key = f"run_{field.split('.')[0].replace('parameters', 'param')}_{name}"
    if isinstance(value, bool):
        value = _yes_no(value, lang)
    if labels.has_text(key, lang):
        words = {"bounds": f"param_bounds_{value}", "lang": "param_lang"}.get(name, "")
        if words and labels.has_text(words, lang) and (name != "lang" or value == lang):
            # in words, then as typed (``-p bounds exclude``)
            shown = Markup(f"{text_html(labels.text(words, lang))} <bdi dir=\"ltr\"><code>"
                           f"{frame.escape_html(value)}</code></bdi>")
            return _row(key, f"{field}.{name}", shown, lang)
        return _row(key, f"{field}.{name}", value, lang,
                    code=name in ("figures_path", "kernel"))
    return {"label": name, "field": f"{field}.{name}", "value": value, "code": True,
            "html": False}


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
    run_rows = [
        _row("run_run_id", "run_id", m.get("run_id", ""), lang, code=True),
        _row("run_status", "status", status_words(m.get("status"), lang), lang),
        _row("run_started", "started", m.get("started", ""), lang, code=True),
        _row("run_finished", "finished", m.get("finished", ""), lang, code=True),
        _row("run_seconds", "seconds", m.get("seconds", ""), lang),
        _row("run_commit", "commit", m.get("commit") or labels.text("footer_unknown", lang),
             lang, code=bool(m.get("commit"))),
        _row("run_dirty", "dirty", _yes_no(m.get("dirty"), lang), lang),
        _row("run_with_code", "with_code", _yes_no(m.get("with_code"), lang), lang),
        _row("run_fingerprint", "fingerprint", m.get("fingerprint", ""), lang, code=True),
    ]
    notebooks = []
    for nb in notebook_rows(m):
        name = str(nb.get("name", ""))
        notebooks.append({"name": name, "title": report_words(name, lang)[0],
                          "href": report_link(report_dir, nb), "status": nb.get("status", ""),
                          **{k: nb.get(k, "") for k in ("seconds", "execute_seconds",
                                                        "export_seconds")}})
    params = m.get("parameters") if isinstance(m.get("parameters"), Mapping) else {}
    runner = m.get("runner") if isinstance(m.get("runner"), Mapping) else {}
    settings = [_setting(k, v, lang, "parameters") for k, v in params.items()] + \
        [_setting(k, v, lang, "runner") for k, v in runner.items()]
    published = []
    metrics = m.get("metrics")
    if isinstance(metrics, Mapping):
        file = frame.escape_html(metrics.get("file", ""))
        rows = text_html(labels.text("run_metrics_rows", lang, rows=metrics.get("rows", "")))
        sep = "، " if lang == "ar" else ", "  # the file name isolated: it reads left to right
        published.append(_row("run_metrics", "metrics.rows", Markup(
            f'<bdi dir="ltr"><code>{file}</code></bdi>{sep}{rows}'), lang))
    shots = [str(s) for s in m.get("screenshots") or []]
    published.append(_row("run_screenshots", "screenshots",
                          labels.text("run_screenshots_n", lang, n=len(shots)), lang))
    editions = [e for e in m.get("editions") or [] if isinstance(e, Mapping)]
    if editions:
        sep = "، " if lang == "ar" else ", "
        links = sep.join(f'<a href="{quote(str(e.get("href", "")), safe="/.#")}">'
                         f'{frame.escape_html(e.get("label", ""))}</a>' for e in editions)
        published.append(_row("run_editions", "editions", Markup(links), lang))
    file_tables = [{"id": key, "field": key, "caption": labels.text(caption, lang),
                    "files": _files(m.get(key))}
                   for key, caption in (("inputs", "run_section_inputs"),
                                        ("exports", "index_data"),
                                        ("source_pages", "index_sources"))
                   if _files(m.get(key))]
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
