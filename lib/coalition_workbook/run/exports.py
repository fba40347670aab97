"""The curated claims in open formats, written into a run folder beside the reports.

* ``datapackage.json``: a `Frictionless Data Package`_ whose resources are the
  curated tables (copied to ``data/``), the vocabularies, ``metrics.csv`` and the
  source texts. Every table schema (types, enums, patterns, primary and foreign
  keys, descriptions) is generated from ``schema.FIELDS``/``schema.TABLES``; a
  vocabulary without a table of its own becomes an inline resource of its enum.
* ``claims.jsonld``: one `W3C Web Annotation`_ per figure. Its target is the
  source text (copied to ``sources/``) with a ``TextQuoteSelector`` (the quote,
  ~30 code points of prefix and suffix) and a ``TextPositionSelector`` (code
  points of the text decoded from UTF-8 with the BOM removed, line ends as in the
  file: ``sourceview.quote_span``); its body is a schema.org ``QuantitativeValue``
  with the figure's id, value, unit, qualifier, attribution and date.
* ``sources/<stem>.html``: the source pages (``sourceview``).

``write_exports`` writes all of them and returns their manifest entries (path,
sha256, bytes). Nothing here imports frictionless: the files are plain JSON, and
tests validate them with frictionless.

.. _Frictionless Data Package: https://datapackage.org/
.. _W3C Web Annotation: https://www.w3.org/TR/annotation-model/
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import reading, schema
from ..data.errors import ExportError
from ..data.files import atomic_write_text
from ..figures import metrics
from ..pages import links, sourceview

DATAPACKAGE = "datapackage.json"
CLAIMS = "claims.jsonld"
DATA_SUBDIR = "data"
PACKAGE_NAME = "coalition-workbook"
#: Characters of context kept on each side of a quote in its TextQuoteSelector.
CONTEXT_CHARS = 30
#: Constraint names a Table Schema knows (``foreign_key`` becomes ``foreignKeys``).
_TABLE_SCHEMA_CONSTRAINTS = ("required", "unique", "minLength", "maxLength", "minimum",
                             "maximum", "pattern", "enum")
#: Vocabularies: resource name -> (key column, its values when no table declares it).
VOCABULARIES: dict[str, tuple[str, list[str]]] = {
    "units": ("unit", schema.UNITS),
    "categories": ("category", schema.CATEGORIES),
    "actors": ("actor", schema.vocabulary_keys("actors")),
    "kinds": ("kind", schema.vocabulary_keys("kinds")),
    "qualifiers": ("qualifier", schema.QUALIFIERS),
    "relation-types": ("relation", schema.RELATIONS),
}
#: ``metrics.csv`` columns not declared in ``schema.FIELDS``; ``qualifier`` is the figures'.
METRIC_FIELDS: dict[str, dict[str, Any]] = {
    "metric": {"type": "string", "description": "Name of the derived metric.",
               "constraints": {"required": True, "pattern": schema.SNAKE_CASE}},
    "value": {"type": "number",
              "description": "The metric's value; for a disputed metric the lowest account.",
              "constraints": {"required": True}},
    "value_high": {"type": "number",
                   "description": "The highest account when the metric is disputed, else empty.",
                   "constraints": {}},
    "qualifier": schema.FIELDS["qualifier"],
    "unit": {"type": "string", "description": "What one of `value` is; pct for shares.",
             "constraints": {"required": True, "enum": [*schema.UNITS, "pct"]}},
    "inputs": {"type": "string",
               "description": "The ids of the figures (figures.id) it is computed from, "
                              "joined by ';'.",
               "constraints": {"required": True,
                               "pattern": r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$"}},
    "excluded": {"type": "string",
                 "description": "Figures left out by bounds=exclude, joined by ';' (then the "
                                "metric is a lower bound of the whole).",
                 "constraints": {"pattern": r"^([a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*)?$"}},
    "disputed": {"type": "string",
                 "description": "Figures that disagree (conflicts_with) within the metric, "
                                "joined by ';'.",
                 "constraints": {"pattern": r"^([a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*)?$"}},
    "dates": {"type": "string",
              "description": "The dates (figures.as_of) of the figures it adds, joined by ';', "
                             "when they differ; else empty.",
              "constraints": {"pattern": r"^(\d{4}(-\d{2}){0,2}(;\d{4}(-\d{2}){0,2})*)?$"}},
    "sources": {"type": "string",
                "description": "The articles (figures.source) of the figures it adds, joined "
                               "by ';', when there are several; else empty.",
                "constraints": {}},
    "actor": {"type": "string",
              "description": "Whose figures the metric adds (actors.actor): a metric name is "
                           "unique within its actor.",
              "constraints": {"required": True, "foreign_key": "actors.actor"}},
}
ANNOTATION_CONTEXT: list[Any] = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "schema": "https://schema.org/",
        "wb": "urn:x-coalition-workbook:vocab:",
        "identifier": "schema:identifier",
        "value": "schema:value",
        "minValue": "schema:minValue",
        "maxValue": "schema:maxValue",
        "unit": "schema:unitText",
        "description": "schema:description",
        "qualifier": "wb:qualifier",
        "attributed_to": "wb:attributedTo",
        "as_of": "schema:temporalCoverage",
        "paragraph": "wb:paragraph",
        "note": "wb:note",
    },
]


# --------------------------------------------------------------------------- table schemas

def resource_name(table: str) -> str:
    """A Data Package resource name for a table (lowercase, ``-`` instead of ``_``).

    Examples:
        >>> resource_name("relation_types")
        'relation-types'
    """
    return table.lower().replace("_", "-")


def field_descriptor(name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A Table Schema field from a ``schema.FIELDS``-style declaration."""
    out: dict[str, Any] = {"name": name, "type": spec["type"]}
    if spec.get("description"):
        out["description"] = spec["description"]
    cons = {k: v for k, v in spec.get("constraints", {}).items()
            if k in _TABLE_SCHEMA_CONSTRAINTS}
    if cons:
        out["constraints"] = cons
    return out


def table_schema(table: str, known: set[str] | None = None) -> dict[str, Any]:
    """The Table Schema of a declared table, generated from ``schema.TABLES``/``FIELDS``.

    Args:
        table: A key of ``schema.TABLES``.
        known: Tables present in the package; foreign keys to others are left out
            (all declared ones when None).
    """
    meta = schema.TABLES[table]
    fields = [field_descriptor(col, schema.field_spec(table, col)) for col in meta["fields"]]
    out: dict[str, Any] = {"fields": fields, "missingValues": [""],
                           "primaryKey": list(meta["primary_key"])}
    fks = []
    for col in meta["fields"]:
        cons = schema.field_spec(table, col).get("constraints", {})
        ref = cons.get("foreign_key")
        if not ref and cons.get("vocabulary"):  # a vocabulary table's key column
            vocab = cons["vocabulary"]
            ref = f"{vocab}.{schema.VOCABULARIES[vocab]}"
        if not ref:
            continue
        ref_table, ref_field = ref.split(".", 1)
        if known is not None and ref_table not in known:
            continue
        fks.append({"fields": [col], "reference": {
            "resource": "" if ref_table == table else resource_name(ref_table),
            "fields": [ref_field]}})
    if fks:
        out["foreignKeys"] = fks
    return out


def _metrics_schema() -> dict[str, Any]:
    if list(METRIC_FIELDS) != list(metrics.METRIC_COLUMNS):
        raise ExportError(f"metrics.csv columns {metrics.METRIC_COLUMNS} differ from "
                          f"exports.METRIC_FIELDS {list(METRIC_FIELDS)}")
    return {"fields": [field_descriptor(n, s) for n, s in METRIC_FIELDS.items()],
            "missingValues": [""], "primaryKey": ["actor", "metric"]}


def _table_files(ds: Any) -> dict[str, Path]:
    """Each declared table's file for this dataset: the loaded ones, then any other
    declared table found beside the figures table (e.g. units.csv once declared)."""
    files: dict[str, Path] = {}
    for table in schema.TABLES:
        frame = getattr(ds, table, None)
        if isinstance(frame, pd.DataFrame) and frame.attrs.get("file"):
            files[table] = Path(frame.attrs["file"])
        elif (Path(ds.figures_path).parent / f"{table}.csv").is_file():
            files[table] = Path(ds.figures_path).parent / f"{table}.csv"
    return files


def build_datapackage(ds: Any, out_dir: Path, *, source_files: list[str]) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor; copies each table to ``out_dir/data/``.

    Args:
        ds: The validated ``Dataset``.
        out_dir: The run folder (``metrics.csv`` and ``sources/`` already there).
        source_files: Source file names, present under ``out_dir/sources/``.
    """
    files = _table_files(ds)
    resources: list[dict[str, Any]] = []
    for table, path in files.items():
        rel = f"{DATA_SUBDIR}/{table}.csv"
        _write(out_dir / rel, reading.read_text(path))
        resources.append({
            "name": resource_name(table), "path": rel, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": f"The curated {table} table (data/{table}.csv), as validated "
                           "by the workbook.",
            "schema": table_schema(table, known=set(files)),
        })
    for name, (key, values) in VOCABULARIES.items():
        if name.replace("-", "_") in files:
            continue
        spec = schema.FIELDS.get(key, {})
        resources.append({
            "name": name, "profile": "tabular-data-resource",
            "description": f"The allowed values of {key} (schema.py).",
            "data": [[key], *([v] for v in values)],
            "schema": {"fields": [{"name": key, "type": "string",
                                   "description": spec.get("description", ""),
                                   "constraints": {"required": True, "unique": True}}],
                       "primaryKey": [key]},
        })
    if (out_dir / "metrics.csv").is_file():
        resources.append({
            "name": "metrics", "path": "metrics.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": "Every derived number of the reports with the figures it came from.",
            "schema": _metrics_schema(),
        })
    for source in source_files:
        rel = links.SOURCES_SUBDIR + "/" + source
        resources.append({
            "name": resource_name("source-" + Path(source).stem), "path": rel,
            "format": "txt", "mediatype": "text/plain", "encoding": "utf-8",
            "description": "The article, byte-identical to data/sources/; 'paragraph' is "
                           "its 1-based line.",
        })
    meta = _first_sidecar(ds, source_files)
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Coalition workbook: curated figures of an Arabic news article",
        "description": "Every figure the article states, with its verbatim Arabic quote, "
                       "the dimension tables, the vocabularies and the derived metrics.",
        "resources": resources,
    }
    if meta.get("title_en") or meta.get("title_ar"):
        package["sources"] = [{"title": meta.get("title_ar") or meta.get("title_en"),
                               "path": links.SOURCES_SUBDIR + "/" + source_files[0]}]
    return package


def _first_sidecar(ds: Any, source_files: list[str]) -> dict[str, Any]:
    if not source_files:
        return {}
    return sourceview.read_sidecar(Path(ds.sources_dir) / source_files[0])


# --------------------------------------------------------------------------- annotations

def _number(value: float) -> int | float:
    v = float(value)
    return int(v) if math.isfinite(v) and v.is_integer() else v


def annotation(fig: Mapping[str, Any], text: str, target: str) -> dict[str, Any]:
    """One figure as a W3C Web Annotation of its source text.

    Args:
        fig: A row of ``figures.csv`` (as loaded).
        text: The source text as ``sourceview.read_source`` returns it.
        target: The IRI (or path relative to the annotations file) of the source.

    Raises:
        ExportError: If the quote is not at its paragraph.
    """
    start, end = sourceview.quote_span(text, int(fig["paragraph"]), str(fig["quote"]))
    body: dict[str, Any] = {
        "id": f"#figure-{fig['id']}",
        "type": "schema:QuantitativeValue",
        "identifier": fig["id"],
        "value": _number(fig["value"]),
        "unit": fig["unit"],
        "qualifier": fig["qualifier"],
        "attributed_to": fig["attributed_to"],
        "as_of": fig.get("as_of") or None,
        "description": fig["subject_en"],
    }
    if fig["qualifier"] == "at_least":
        body["minValue"] = body["value"]
    elif fig["qualifier"] == "at_most":
        body["maxValue"] = body["value"]
    if fig.get("note"):
        body["note"] = fig["note"]
    return {
        "id": f"#claim-{fig['id']}",
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": {
            "source": target,
            "type": "Text",
            "format": "text/plain",
            "paragraph": int(fig["paragraph"]),
            "selector": [
                {"type": "TextQuoteSelector", "exact": text[start:end],
                 "prefix": text[max(0, start - CONTEXT_CHARS):start],
                 "suffix": text[end:end + CONTEXT_CHARS]},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def build_claims(ds: Any) -> dict[str, Any]:
    """Every figure as an annotation, in one ``AnnotationCollection``.

    Targets are ``sources/<file>`` relative to the annotations file, where the run
    folder holds a byte-identical copy of each source.
    """
    texts: dict[str, str] = {}
    items = []
    for fig in ds.figures.to_dict("records"):
        source = str(fig["source"])
        if source not in texts:
            texts[source] = sourceview.read_source(Path(ds.sources_dir) / source)
        try:
            items.append(annotation(fig, texts[source],
                                    f"{links.SOURCES_SUBDIR}/{source}"))
        except ExportError as exc:
            raise ExportError(f"figure {fig['id']}: {exc.reason}",
                              file=str(Path(ds.sources_dir) / source)) from exc
    return {
        "@context": ANNOTATION_CONTEXT,
        "type": "AnnotationCollection",
        "label": "Curated figures of the coalition workbook, anchored in their sources",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


# --------------------------------------------------------------------------- writing

def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
    except OSError as exc:
        raise ExportError(f"cannot write: {exc}", file=str(path)) from exc


def _entry(out_dir: Path, path: Path) -> tuple[str, dict[str, Any]]:
    data = path.read_bytes()
    return (path.relative_to(out_dir).as_posix(),
            {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})


def write_exports(out_dir: Path, ds: Any, metrics_table: pd.DataFrame, *,
                  lang: str = "en", info: Any = None) -> dict[str, dict[str, Any]]:
    """Write the source pages, ``datapackage.json`` and ``claims.jsonld`` into a run folder.

    Args:
        out_dir: The run folder (staging), after ``metrics.csv`` is written.
        ds: The validated ``Dataset``.
        metrics_table: ``metrics.compute_metrics(ds, bounds)`` as published.
        lang: The run's ``lang`` (words of the source pages).
        info: The source pages' footer (``frame.page_info``); none without it.

    Returns:
        Manifest entries: ``{"exports": {path: {sha256, bytes}}, "source_pages": {...}}``,
        paths relative to ``out_dir``.

    Raises:
        ExportError: If a source cannot be read, a quote is not at its paragraph,
            or a file cannot be written.
    """
    out_dir = Path(out_dir)
    if not (out_dir / "metrics.csv").is_file():
        metrics.write_metrics(metrics_table, str(out_dir / "metrics.csv"))
    source_files = sorted(str(s) for s in ds.figures["source"].unique())
    for source in source_files:  # byte-identical copies: targets of the annotations
        src = Path(ds.sources_dir) / source
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise ExportError(f"cannot read the source: {exc}", file=str(src)) from exc
        dest = out_dir / links.SOURCES_SUBDIR / source
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    pages = sourceview.write_source_pages(out_dir, ds, metrics_table, lang=lang, info=info)
    package = build_datapackage(ds, out_dir, source_files=source_files)
    _write(out_dir / DATAPACKAGE, json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    _write(out_dir / CLAIMS, json.dumps(build_claims(ds), indent=2, ensure_ascii=False) + "\n")
    exports = dict(_entry(out_dir, out_dir / n) for n in (DATAPACKAGE, CLAIMS))
    return {"exports": exports, "source_pages": dict(_entry(out_dir, p) for p in pages)}
