"""The second article with other actors, through the whole path: validate, a real run of
each edition, the published pages and metrics (tests/fixtures/eu_health)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coalition_workbook.data import config
from tests.conftest import copy_project, workbook
from tests.unit.test_actors import FIXTURE, VOCABULARY_ROWS, _append

pytestmark = pytest.mark.slow
REPORTS = ("trainees", "aid", "coalition", "summary")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = copy_project(tmp_path_factory.mktemp("actors") / "project", reports=False)
    data = root / "data"
    for name in ("eu_health.txt", "eu_health.meta.yml"):
        shutil.copy(FIXTURE / name, data / "sources" / name)
    for table in ("figures.csv", "relations.csv"):
        with (FIXTURE / table).open(encoding="utf-8", newline="") as fh:
            _append(data / table, list(csv.DictReader(fh)))
    for table, rows in VOCABULARY_ROWS.items():
        _append(data / table, rows)
    checked = workbook(root, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    editions = {}
    for lang, reports in (("en", "reports"), ("ar", "reports/ar")):
        done = workbook(root, "run", "--reports", reports, "-p", "lang", lang)
        assert done.returncode == 0, done.stdout + done.stderr
        editions[lang] = root / reports / "latest"
    return root, editions


def _text(page: Path) -> str:
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()


def test_the_coalitions_published_metrics_do_not_move(published) -> None:
    _, editions = published
    with (editions["en"] / "metrics.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["actor"] == "coalition"]
    with config.BASELINE_METRICS_CSV.open(encoding="utf-8", newline="") as fh:
        assert rows == list(csv.DictReader(fh))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_figure_reaches_a_report_page_under_its_actor(published, lang: str) -> None:
    root, editions = published
    pages = "".join(_text(editions[lang] / f"{r}.html") for r in REPORTS)
    with (root / "data" / "figures.csv").open(encoding="utf-8", newline="") as fh:
        figures = list(csv.DictReader(fh))
    assert not [f["id"] for f in figures if f["quote"] not in pages]
    with (root / "data" / "actors.csv").open(encoding="utf-8", newline="") as fh:
        names = {r["actor"]: r[f"label_{lang}"] for r in csv.DictReader(fh)}
    aid = _text(editions[lang] / "aid.html")
    assert names["european_union"] in aid and names["united_states"] in aid
    euro = "€" if lang == "en" else "يورو"
    assert euro in aid
