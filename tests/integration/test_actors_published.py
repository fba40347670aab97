"""A second and a third article, through the whole path: validate, a real run of each
edition, the published pages and metrics. The second (tests/fixtures/eu_health) brings two
other actors and euros; the third (a UN mission article heavy with dates, resolutions and
laws, written blind) is added with `workbook add-source` and `workbook accept`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coalition_workbook.data import config
from tests.conftest import copy_project, workbook
from tests.unit.test_actors import _append, add_second_article

pytestmark = pytest.mark.slow
REPORTS = ("trainees", "aid", "coalition", "summary")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = copy_project(tmp_path_factory.mktemp("actors") / "project", reports=False)
    add_second_article(root / "data")
    _add_third_article(root)
    checked = workbook(root, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    editions = {}
    for lang, reports in (("en", "reports"), ("ar", "reports/ar")):
        done = workbook(root, "run", "--reports", reports, "-p", "lang", lang)
        assert done.returncode == 0, done.stdout + done.stderr
        editions[lang] = root / reports / "latest"
    return root, editions


THIRD = Path(__file__).resolve().parents[1] / "fixtures" / "draft_articles" / \
    "unseen_un_mission.txt"


def _add_third_article(root: Path) -> None:
    """The analyst's path for a new actor's article: its actor, unit and category are rows
    of the vocabularies; add-source drafts it; the review fills what the draft left blank
    (every figure in a category of its own, or the timeline); accept merges it."""
    data = root / "data"
    _append(data / "actors.csv", [{"actor": "united_nations", "label_en": "the United Nations",
                                   "label_ar": "الأمم المتحدة", "feminine_ar": "yes"}])
    _append(data / "units.csv", [{"unit": "count", "label_en": "items", "label_ar": "عدد"}])
    _append(data / "categories.csv", [{"category": "un_mission", "label_en": "UN mission",
                                       "label_ar": "بعثة الأمم المتحدة"}])
    done = workbook(root, "add-source", str(THIRD), "--actor", "united_nations",
                    "--title-ar", "مجلس الأمن يمدد ولاية يونامي", "--title-en",
                    "Security Council extends UNAMI's mandate", "--published", "2022-05-27")
    assert done.returncode == 0, done.stdout + done.stderr
    drafted = data / "drafts" / f"{THIRD.stem}.csv"
    with drafted.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames or []), list(reader)
    reviewed = [{**r, "unit": r["unit"] or "count",
                 "category": r["category"] if r["category"] == "timeline" else "un_mission",
                 "subject_en": r["subject_en"] or "UN mission figure",
                 "attributed_to": r["attributed_to"] or "the article",
                 "note": "" if r["note"].startswith("DRAFT:") else r["note"]} for r in rows]
    with drafted.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(reviewed)
    done = workbook(root, "accept", str(drafted.relative_to(root)))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_dates_of_the_third_article_are_set_aside_not_figures(published) -> None:
    root, _ = published
    with (root / "data" / "ignored.csv").open(encoding="utf-8", newline="") as fh:
        ignored = [r for r in csv.DictReader(fh) if r["source"] == THIRD.name]
    with (root / "data" / "figures.csv").open(encoding="utf-8", newline="") as fh:
        figures = [r for r in csv.DictReader(fh) if r["source"] == THIRD.name]
    assert ignored and all(r["reason"] and r["reason_ar"] for r in ignored)
    assert "2022" in {r["text"] for r in ignored}  # the year of «26 أيار 2022»
    assert figures and {r["actor"] for r in figures} == {"united_nations"}


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
    assert names["united_nations"] in pages
    euro = "€" if lang == "en" else "يورو"
    assert euro in aid
