"""``workbook add-source`` then ``workbook accept``, through the real command on a copy of
the project: exit codes, one located line per problem, no traceback, and a table that
validates afterwards. The article is a SYNTHETIC fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from coalition_workbook.data import schema
from tests.conftest import copy_project, read_rows, workbook, write_rows

pytestmark = pytest.mark.slow
ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "draft_articles" / \
    "unseen_eu_health.txt"
DRAFT = f"data/drafts/{ARTICLE.stem}.csv"


def test_add_source_then_accept(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", reports=False)
    args = ["add-source", str(ARTICLE), "--title-ar", "الاتحاد الأوروبي والقطاع الصحي",
            "--title-en", "EU health aid", "--published", "2026-12-06"]
    if "actor" in schema.TABLES["figures"]["fields"]:
        _, actors = read_rows(root / "data" / "actors.csv")
        args += ["--actor", actors[0][0]]
    added = workbook(root, *args, timeout=120)
    assert added.returncode == 0, added.stderr
    assert f"`workbook accept {DRAFT}`" in added.stdout

    figures = (root / "data" / "figures.csv").read_bytes()
    refused = workbook(root, "accept", DRAFT, timeout=120)
    assert refused.returncode == 2
    assert f"{DRAFT}:2:subject_en: required field is empty" in refused.stderr
    assert "Traceback" not in refused.stderr and refused.stdout == ""
    assert (root / "data" / "figures.csv").read_bytes() == figures

    header, rows = read_rows(root / DRAFT)
    col = {h: i for i, h in enumerate(header)}
    kept = [r for r in rows if not r[col["note"]].startswith("DRAFT:")]
    for r in kept:
        r[col["unit"]] = r[col["unit"]] or "persons"
        r[col["category"]] = "timeline"
        r[col["subject_en"]], r[col["attributed_to"]] = "a figure", "the article"
    write_rows(root / DRAFT, header, kept)
    accepted = workbook(root, "accept", DRAFT, timeout=120)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.startswith(f"added {len(kept)} figures to data/figures.csv")
    assert workbook(root, "validate", timeout=120).returncode == 0
