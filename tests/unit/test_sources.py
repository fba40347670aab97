"""Source sidecars are read and checked; citations name the source and the line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coalition_workbook import cli
from coalition_workbook.data import sources
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.data.errors import TableValidationError


def _sidecar(tables) -> tuple[Path, dict]:
    name = tables.get(0, "source")
    path = tables.sources / (Path(name).stem + ".meta.yml")
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, meta: dict) -> None:
    path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


def test_citation_names_short_title_and_line(tables) -> None:
    _path, meta = _sidecar(tables)
    name = tables.get(0, "source")
    en = sources.citation(name, 11, "en", tables.sources)
    ar = sources.citation(name, 11, "ar", tables.sources)
    assert en.startswith(" ".join(meta["title_en"].split()[:sources.SHORT_TITLE_WORDS]))
    assert en.endswith(", ¶11")
    assert ar.startswith(" ".join(meta["title_ar"].split()[:sources.SHORT_TITLE_WORDS]))
    assert ar.endswith("، ¶11")


def test_short_title_from_sidecar_wins(tables) -> None:
    path, meta = _sidecar(tables)
    _write(path, {**meta, "short_title_en": "The Iraq piece"})
    assert sources.short_title(tables.get(0, "source"), "en", tables.sources) == "The Iraq piece"


def test_english_falls_back_to_arabic_title(tables) -> None:
    path, meta = _sidecar(tables)
    del meta["title_en"]
    _write(path, meta)
    assert sources.load_meta(tables.get(0, "source"), tables.sources).title("en") == \
        meta["title_ar"]


@pytest.mark.parametrize(("change", "key", "reason"), [
    (lambda m: {k: v for k, v in m.items() if not k.startswith("title")}, "title_ar",
     "a title is required"),
    (lambda m: {**m, "titel_en": "typo"}, "titel_en", "unknown key"),
    (lambda m: {**m, "sha256": "0" * 64}, "sha256", "does not match"),
    (lambda m: {**m, "lines": 3}, "lines", "says 3"),
    (lambda m: {**m, "lines": "many"}, "lines", "not a whole number"),
    (lambda m: {**m, "file": "other.txt"}, "file", "is not the text"),
])
def test_bad_sidecar_names_file_and_key(tables, change, key: str, reason: str) -> None:
    path, meta = _sidecar(tables)
    _write(path, change(meta))
    with pytest.raises(TableValidationError) as exc:
        load_dataset(tables.figures)
    (p,) = exc.value.problems
    assert (p.file, p.column) == (str(path), key)
    assert reason in p.reason


def test_missing_sidecar_fails_validate_in_one_line(tables, capsys) -> None:
    path, _ = _sidecar(tables)
    path.unlink()
    assert cli.main(["validate", "--figures", str(tables.figures)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: file not found") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_yaml_is_located(tables) -> None:
    path, _ = _sidecar(tables)
    path.write_text("title_en: [unclosed\n", encoding="utf-8")
    with pytest.raises(TableValidationError) as exc:
        sources.load_meta(tables.get(0, "source"), tables.sources)
    assert exc.value.file == str(path) and "not valid YAML" in exc.value.reason


def test_sidecars_are_inputs_of_a_run(tables) -> None:
    path, _ = _sidecar(tables)
    assert path in load_dataset(tables.figures).input_files()
