"""Adding an article, end to end, as the README's walkthrough says: `workbook add-source`,
fill the draft, `workbook accept`, validate, coverage, run; the published run names the
new source.

Uses the SYNTHETIC article under tests/fixtures/second_article/ (never shipped as data)
on a copy of the project, through the real ``workbook`` command.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coalition_workbook.data import sources
from tests.conftest import copy_project, workbook
from tests.unit.second_article import FIXTURE, NEW_CATEGORY, NEW_UNIT, TEXT, add_row, fill

pytestmark = pytest.mark.slow
#: Categories notebooks/coalition.ipynb reports (its figures and timeline tables).
COALITION_REPORT = {"coalition", "troops", "airstrikes", "cost", "timeline"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("second") / "project", reports=False)
    add_row(root / "data" / "units.csv", NEW_UNIT)          # a new unit is one row
    add_row(root / "data" / "categories.csv", NEW_CATEGORY)  # and so is a category
    return root


def test_a_new_article_goes_from_draft_to_a_published_run(project: Path) -> None:
    data = project / "data"
    done = workbook(project, "add-source", str(FIXTURE / TEXT.name), "--actor", "coalition",
                    "--title-ar", "قوافل الإعمار تصل إلى الموصل وسط وعود دولية جديدة",
                    "--title-en", "Reconstruction convoys reach Mosul", "--published", "2024-01")
    assert done.returncode == 0, done.stderr
    assert (data / "sources" / TEXT.name).read_bytes() == (FIXTURE / TEXT.name).read_bytes()
    drafted = data / "drafts" / f"{TEXT.stem}.csv"
    assert str(drafted.relative_to(project)) in done.stdout + done.stderr
    with drafted.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames or []), list(reader)
    assert rows and {r["source"] for r in rows} == {TEXT.name}
    assert {r["actor"] for r in rows} == {"coalition"}
    before = workbook(project, "coverage", "--strict")
    assert before.returncode == 2, before.stdout + before.stderr  # its numbers are unaccounted

    # The analyst reviews the draft: fills the descriptive fields, settles DRAFT: notes.
    reviewed = [{**r, "note": "" if r["note"].startswith("DRAFT:") else r["note"]}
                for r in fill(rows)]
    with drafted.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        out.writeheader()
        out.writerows(reviewed)
    accepted = workbook(project, "accept", str(drafted.relative_to(project)))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    for command in (("validate",), ("coverage", "--strict")):
        checked = workbook(project, *command)
        assert checked.returncode == 0, checked.stdout + checked.stderr

    run = workbook(project, "run", "--force")
    assert run.returncode == 0, run.stderr
    latest = project / "reports" / "latest"
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert f"data/sources/{TEXT.name}" in manifest["inputs"]
    assert (latest / "sources" / f"{TEXT.stem}.html").is_file()

    # Its figures are cited by the new article's short title where their category is reported.
    title = sources.short_title(TEXT.name, "en", data / "sources")
    reported = {r["category"] for r in fill(rows)} & COALITION_REPORT
    assert reported, "the synthetic article should have a figure the coalition report shows"
    page = BeautifulSoup((latest / "coalition.html").read_text(encoding="utf-8"), "html.parser")
    assert title in page.get_text()
    # A figure in a category no report has (the new "reconstruction") is in the summary.
    summary = BeautifulSoup((latest / "summary.html").read_text(encoding="utf-8"),
                            "html.parser").get_text()
    new = [r for r in fill(rows) if r["category"] == NEW_CATEGORY[0]]
    assert new and all(r["quote"] in summary for r in new)
    # and every drafted figure is annotated in the open exports.
    cited = (latest / "claims.jsonld").read_text(encoding="utf-8")
    assert all(r["id"] in cited for r in rows)
