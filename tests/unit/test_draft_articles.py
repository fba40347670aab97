"""`workbook draft` against synthetic articles and their answer keys (tests/fixtures).

A key row is recalled when a drafted row has its paragraph, value and qualifier;
a drafted row is right when it is in the key. Article by article, both must stay
at or above 95 % on the articles written blind (``unseen_*``) and 90 % on the
older ones, on which the draft was tuned: the goal of the issue on adding an
article, kept there because not all of them reach 95 %.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from coalition_workbook.data import draft

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "draft_articles"
ARTICLES = sorted(FIXTURES.glob("*.txt"))
GOAL = 0.9
GOAL_UNSEEN = 0.95


def _key(paragraph: str, value: str, qualifier: str) -> tuple[int, Decimal, str]:
    return int(paragraph), Decimal(value), qualifier


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.stem)
def test_draft_recall_and_precision(article: Path) -> None:
    with article.with_suffix(".gold.csv").open(encoding="utf-8") as fh:
        gold = [_key(r["paragraph"], r["value"], r["qualifier"]) for r in csv.DictReader(fh)]
    rows = draft.draft_rows(article, accounted=draft.Accounted({}, {}))
    got = [_key(r["paragraph"], r["value"], r["qualifier"]) for r in rows if r["value"]]
    remaining = list(got)
    hits = 0
    for g in gold:  # one-to-one: a drafted row answers one key row
        if g in remaining:
            remaining.remove(g)
            hits += 1
    recall, precision = hits / len(gold), hits / max(len(rows), 1)
    print(f"{article.stem}: recall {recall:.1%}, precision {precision:.1%}")
    goal = GOAL_UNSEEN if article.stem.startswith("unseen_") else GOAL
    assert recall >= goal, sorted(set(gold) - set(got))
    assert precision >= goal, remaining
