"""Open exports: the Data Package validates with frictionless and its schemas come from
schema.py; every Web Annotation's selectors cut exactly its quote out of the source."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coalition_workbook.data import load_dataset, schema
from coalition_workbook.data.dataset import Dataset
from coalition_workbook.data.errors import TableValidationError
from coalition_workbook.figures import metrics
from coalition_workbook.pages import sourceview
from coalition_workbook.run import exports
from tests.conftest import read_rows, write_rows

frictionless = pytest.importorskip("frictionless")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def run_dir(ds: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run folder holding what write_exports writes (and metrics.csv, as the runner)."""
    out = tmp_path_factory.mktemp("run")
    table = metrics.compute_metrics(ds)
    metrics.write_metrics(table, str(out / "metrics.csv"))
    entries = exports.write_exports(out, ds, table)
    (out / "entries.json").write_text(json.dumps(entries), encoding="utf-8")
    return out


def _items(run_dir: Path) -> list[dict]:
    claims = json.loads((run_dir / exports.CLAIMS).read_text(encoding="utf-8"))
    return claims["first"]["items"]


def _selectors(item: dict) -> tuple[dict, dict]:
    by_type = {s["type"]: s for s in item["target"]["selector"]}
    return by_type["TextQuoteSelector"], by_type["TextPositionSelector"]


def _source_text(run_dir: Path, item: dict) -> str:
    # As the workbook reads a source: UTF-8, BOM stripped, line ends untouched.
    return (run_dir / item["target"]["source"]).read_bytes().decode("utf-8-sig")


# --------------------------------------------------------------------------- claims.jsonld

def test_one_annotation_per_figure(ds: Dataset, run_dir: Path) -> None:
    items = _items(run_dir)
    assert [i["body"]["identifier"] for i in items] == list(ds.figures["id"])
    assert all(i["type"] == "Annotation" for i in items)


def test_every_position_cuts_exactly_its_quote(ds: Dataset, run_dir: Path) -> None:
    quotes = dict(zip(ds.figures["id"], ds.figures["quote"], strict=True))
    for item in _items(run_dir):
        quote_sel, pos = _selectors(item)
        text = _source_text(run_dir, item)
        fid = item["body"]["identifier"]
        assert text[pos["start"]:pos["end"]] == quotes[fid] == quote_sel["exact"], fid
        assert text[pos["start"] - len(quote_sel["prefix"]):pos["start"]] == quote_sel["prefix"]
        assert text[pos["end"]:pos["end"] + len(quote_sel["suffix"])] == quote_sel["suffix"]
        assert 0 < len(quote_sel["prefix"]) <= exports.CONTEXT_CHARS or pos["start"] == 0


def test_every_position_is_in_the_figures_paragraph(ds: Dataset, run_dir: Path) -> None:
    paragraph = dict(zip(ds.figures["id"], ds.figures["paragraph"], strict=True))
    for item in _items(run_dir):
        _, pos = _selectors(item)
        text = _source_text(run_dir, item)
        line = text[:pos["start"]].count("\n") + 1
        assert line == paragraph[item["body"]["identifier"]]


def test_targets_are_byte_identical_copies_of_the_sources(ds: Dataset, run_dir: Path) -> None:
    for item in _items(run_dir):
        copy = run_dir / item["target"]["source"]
        original = ds.sources_dir / Path(item["target"]["source"]).name
        assert copy.read_bytes() == original.read_bytes()


def test_body_carries_the_figure(ds: Dataset, run_dir: Path) -> None:
    figures = ds.figures.set_index("id")
    for item in _items(run_dir):
        body = item["body"]
        fig = figures.loc[body["identifier"]]
        assert body["type"] == "schema:QuantitativeValue"
        assert body["id"].endswith(body["identifier"])
        assert body["value"] == fig["value"]
        assert (body["unit"], body["qualifier"], body["attributed_to"]) == (
            fig["unit"], fig["qualifier"], fig["attributed_to"])
        assert body["as_of"] == (fig["as_of"] or None)
        if fig["qualifier"] == "at_least":
            assert body["minValue"] == fig["value"]


def _dup_dataset(root: Path, *, bom: bool, crlf: bool) -> tuple[Dataset, str]:
    """data/ plus a source printing one curated quote in two paragraphs (and other text
    first), and a figure citing its second occurrence."""
    import shutil

    from coalition_workbook.data import config

    shutil.copytree(config.DATA_DIR, root)
    header, rows = read_rows(root / "figures.csv")
    rec = dict(zip(header, rows[0], strict=True))
    quote = rec["quote"]
    nl = "\r\n" if crlf else "\n"
    text = f"مقدمة{nl}قال {quote} أولا{nl}ثم كرر {quote} ثانيا"
    data = text.encode("utf-8")
    (root / "sources" / "dup.txt").write_bytes(b"\xef\xbb\xbf" + data if bom else data)
    (root / "sources" / "dup.meta.yml").write_text("file: dup.txt\ntitle_en: Dup\n",
                                                   encoding="utf-8")
    rec.update(id="dup_second", source="dup.txt", paragraph="3")
    write_rows(root / "figures.csv", header, [*rows, [rec[h] for h in header]])
    return load_dataset(root / "figures.csv"), quote


@pytest.mark.parametrize(("bom", "crlf"), [(False, False), (True, True)])
def test_a_repeated_quote_resolves_to_its_paragraph(tmp_path: Path, bom: bool,
                                                    crlf: bool) -> None:
    dup, quote = _dup_dataset(tmp_path / "data", bom=bom, crlf=crlf)
    claims = exports.build_claims(dup)
    item = next(i for i in claims["first"]["items"] if i["body"]["identifier"] == "dup_second")
    _, pos = _selectors(item)
    text = (tmp_path / "data" / "sources" / "dup.txt").read_bytes().decode("utf-8-sig")
    assert text.count(quote) == 2
    assert text[pos["start"]:pos["end"]] == quote
    assert pos["start"] == text.rindex(quote)  # the occurrence in paragraph 3, not 2


def test_quote_span_rejects_a_quote_not_at_its_paragraph() -> None:
    from coalition_workbook.data.errors import ExportError

    with pytest.raises(ExportError, match="paragraph 1"):
        sourceview.quote_span("a\nb 3", 1, "b 3")
    with pytest.raises(ExportError):
        sourceview.quote_span("a", 2, "a")


# --------------------------------------------------------------------------- datapackage.json

def test_datapackage_validates_with_frictionless(run_dir: Path) -> None:
    report = frictionless.validate(str(run_dir / exports.DATAPACKAGE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {t.name for t in report.tasks}
    assert {"figures", "forces", "relations", "metrics", "units", "categories"} <= names


def test_table_schemas_are_generated_from_schema_py(run_dir: Path) -> None:
    package = json.loads((run_dir / exports.DATAPACKAGE).read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    for table, meta in schema.TABLES.items():
        res = resources[exports.resource_name(table)]
        assert res["schema"]["primaryKey"] == meta["primary_key"]
        assert [f["name"] for f in res["schema"]["fields"]] == meta["fields"]
        for f in res["schema"]["fields"]:
            spec = schema.field_spec(table, f["name"])
            cons = spec.get("constraints", {})
            assert f["type"] == spec["type"]
            assert f["description"] == spec["description"]
            assert f.get("constraints", {}).get("enum") == cons.get("enum")
            assert f.get("constraints", {}).get("required") == cons.get("required")
            if "foreign_key" in cons:
                ref_table, ref_field = cons["foreign_key"].split(".")
                fk = [k for k in res["schema"]["foreignKeys"] if k["fields"] == [f["name"]]]
                assert fk and fk[0]["reference"]["fields"] == [ref_field]
                assert fk[0]["reference"]["resource"] in ("", exports.resource_name(ref_table))
    units = resources["units"]
    values = [row[0] for row in units.get("data", [])[1:]] or None
    if values is not None:  # no units table yet: the vocabulary is the declared enum
        assert values == schema.UNITS


@pytest.mark.parametrize(("table", "column", "bad", "error"), [
    ("figures", "unit", "bananas", "foreign-key"),
    ("figures", "force_id", "navy_that_is_not_in_forces", "foreign-key"),
    ("relations", "other_id", "no_such_figure", "foreign-key"),
])
def test_frictionless_catches_a_broken_copy(run_dir: Path, tmp_path: Path, table: str,
                                            column: str, bad: str, error: str) -> None:
    import shutil

    broken = tmp_path / "run"
    shutil.copytree(run_dir, broken)
    path = broken / exports.DATA_SUBDIR / f"{table}.csv"
    header, rows = read_rows(path)
    rows[0][header.index(column)] = bad
    write_rows(path, header, rows)
    report = frictionless.validate(str(broken / exports.DATAPACKAGE))
    assert not report.valid
    errors = [e for t in report.tasks for e in t.errors]
    assert any(e.type == error for e in errors), [e.type for e in errors]


def test_write_exports_returns_checksums_of_what_it_wrote(run_dir: Path) -> None:
    entries = json.loads((run_dir / "entries.json").read_text(encoding="utf-8"))
    assert set(entries["exports"]) == {exports.DATAPACKAGE, exports.CLAIMS}
    assert entries["source_pages"], "no source page listed"
    for group in entries.values():
        for rel, meta in group.items():
            data = (run_dir / rel).read_bytes()
            assert meta == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


# ------------------------------------------------------- whatever validate accepts, exports

TEXT = st.text(alphabet='abc ع«»,"\n;:-' + "\u060c", max_size=12)
EDIT = st.fixed_dictionaries({
    "note": TEXT, "subject_ar": TEXT, "attributed_to_ar": TEXT,
    "as_of": st.sampled_from(["", "2019", "2021-06", "2021-06-30"]),
})


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 30), EDIT), min_size=1, max_size=5))
def test_what_validate_accepts_every_export_represents_validly(tables, tmp_path_factory,
                                                               edits) -> None:
    """Generated edits of the curated text and dates: when load_dataset accepts the tables,
    the data package written from them passes frictionless validate."""
    header, rows = tables.read(tables.figures)
    original = [list(r) for r in rows]
    try:
        for index, edit in edits:
            row = rows[index % len(rows)]
            for column, value in edit.items():
                row[header.index(column)] = value
        tables.write(tables.figures, header, rows)
        try:
            ds = load_dataset(tables.figures)
        except TableValidationError:
            assume(False)
        out = tmp_path_factory.mktemp("export")
        table = metrics.compute_metrics(ds)
        metrics.write_metrics(table, str(out / "metrics.csv"))
        exports.write_exports(out, ds, table)
        report = frictionless.validate(str(out / exports.DATAPACKAGE))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    finally:
        tables.write(tables.figures, header, original)
