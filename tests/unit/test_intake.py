"""Adding an article in two commands: ``add-source`` (copy, sidecar, draft) and ``accept``.

Every test works on a private copy of the project (the ``project`` fixture points
``config`` at it) with the working folder at its root, so paths read as a user sees
them: ``data/drafts/NAME.csv:ROW:COLUMN: reason``. The article is a SYNTHETIC fixture.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml

from coalition_workbook import cli
from coalition_workbook.data import draft, intake, schema, sources
from coalition_workbook.data.dataset import load_dataset
from coalition_workbook.data.errors import ParameterError, TableValidationError, WorkbookError
from tests.conftest import digest, read_rows, write_rows

ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "draft_articles" / \
    "unseen_eu_health.txt"
NAME = ARTICLE.name
DRAFT = Path("data/drafts") / f"{ARTICLE.stem}.csv"
ASIDE = Path("data/drafts") / f"{ARTICLE.stem}.ignored.csv"
TITLES = {"title_ar": "الاتحاد الأوروبي يخصص خمسة عشر مليون يورو للقطاع الصحي",
          "title_en": "EU gives fifteen million euros to health care"}


@pytest.fixture
def root(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project copy, as the working folder."""
    monkeypatch.chdir(project)
    return project


def first_actor() -> str:
    """A key of the copy's actors.csv (the figures' actor column, when it exists)."""
    return (intake.actor_keys(Path("data")) or ["coalition"])[0]


def add(**options: str) -> intake.Added:
    """``add-source`` of the fixture article with its titles, an actor when the schema
    has the column."""
    if "actor" in schema.TABLES["figures"]["fields"]:
        options.setdefault("actor", first_actor())
    return intake.add_source(ARTICLE, **{**TITLES, **options})


def records(path: Path) -> list[dict[str, str]]:
    header, rows = read_rows(path)
    return [dict(zip(header, r, strict=True)) for r in rows]


def rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    header, _ = read_rows(path)
    write_rows(path, header, [[r.get(h, "") for h in header] for r in rows])


def reviewed_draft() -> list[dict[str, str]]:
    """Draft the article, then do what the analyst does: drop the rows marked DRAFT:
    (range ends that need a relation), fill what is blank. Returns the kept rows."""
    add()
    kept = [{**r, "unit": r["unit"] or "persons", "category": "timeline",
             "subject_en": f"figure {r['value']} of the EU health article",
             "attributed_to": "the article"}
            for r in records(DRAFT) if not r["note"].startswith("DRAFT:")]
    assert len(kept) >= 3, "the draft has too few plain rows for these tests"
    rewrite(DRAFT, kept)
    return kept


# --------------------------------------------------------------------------- add-source

def test_add_source_copies_the_article_and_writes_a_sidecar_validation_accepts(root: Path
                                                                               ) -> None:
    added = add(published="2026-12-06", publisher="Synthetic outlet",
                url="https://example.org/eu-health")
    text = root / "data" / "sources" / NAME
    assert text.read_bytes() == ARTICLE.read_bytes()
    meta = yaml.safe_load(sources.sidecar_path(text).read_text(encoding="utf-8"))
    assert meta["file"] == NAME
    assert meta["title_ar"] == TITLES["title_ar"] and meta["title_en"] == TITLES["title_en"]
    assert meta["published"] == "2026-12-06"  # text, not a YAML date
    assert meta["publisher"] == "Synthetic outlet"
    assert meta["url"] == "https://example.org/eu-health"
    assert meta["sha256"] == hashlib.sha256(ARTICLE.read_bytes()).hexdigest()
    assert meta["lines"] == len(ARTICLE.read_text(encoding="utf-8").rstrip("\n").split("\n"))
    assert sources.check_sources([NAME], root / "data" / "sources") == []
    assert (added.text, added.copied, added.sidecar_written) == (text, True, True)


def test_add_source_drafts_as_workbook_draft_does(root: Path) -> None:
    added = add()
    expected = draft.draft(ARTICLE, accounted=draft.read_accounted(root / "data" /
                                                                   "figures.csv"))
    got = records(DRAFT)
    assert [r["id"] for r in got] == [r["id"] for r in expected.rows]
    assert [r["quote"] for r in got] == [r["quote"] for r in expected.rows]
    assert {r["source"] for r in got} == {NAME}
    assert [r["text"] for r in records(ASIDE)] == [r["text"] for r in expected.aside]
    assert added.rows == len(expected.rows) and added.aside == len(expected.aside)
    lines = added.summary()
    assert f"wrote {DRAFT}: {len(expected.rows)} draft rows" in "\n".join(lines)
    assert lines[-1].endswith(f"`workbook accept {DRAFT}`")


def test_the_sidecar_sha256_is_checked(root: Path) -> None:
    add()
    text = root / "data" / "sources" / NAME
    text.write_bytes(text.read_bytes() + "سطر أضيف لاحقًا\n".encode())
    problems = sources.check_sources([NAME], root / "data" / "sources")
    assert {p.column for p in problems} == {"sha256", "lines"}
    assert all(p.file.endswith(f"{ARTICLE.stem}.meta.yml") for p in problems)


def test_add_source_again_changes_nothing(root: Path) -> None:
    add()
    before = digest(root / "data")
    again = add()
    assert digest(root / "data") == before
    assert not again.copied and not again.sidecar_written
    assert "already here, byte-identical" in again.summary()[0]


def test_add_source_refuses_a_different_file_of_that_name(root: Path) -> None:
    clash = root / "data" / "sources" / NAME
    clash.write_text("نص آخر بالاسم نفسه\n", encoding="utf-8")
    before = digest(root / "data")
    with pytest.raises(WorkbookError) as err:
        add()
    assert str(err.value).startswith(f"data/sources/{NAME}: a different file of this name")
    assert "\n" not in str(err.value)
    assert digest(root / "data") == before  # no sidecar, no draft


def test_add_source_keeps_a_reviewed_draft(root: Path) -> None:
    add()
    rows = records(DRAFT)
    rewrite(DRAFT, [{**rows[0], "subject_en": "reviewed"}])
    before = digest(root / "data")
    with pytest.raises(WorkbookError, match="a draft that differs") as err:
        add()
    assert str(err.value).startswith(f"{DRAFT}: ")
    assert digest(root / "data") == before


def test_add_source_refuses_a_sidecar_that_says_otherwise(root: Path) -> None:
    add()
    before = digest(root / "data")
    with pytest.raises(WorkbookError) as err:
        add(title_en="Another title")
    assert str(err.value).startswith(f"data/sources/{ARTICLE.stem}.meta.yml:title_en: ")
    assert digest(root / "data") == before


@pytest.mark.parametrize(("option", "value"), [("published", "2026-13-01"),
                                               ("published", "06/12/2026"),
                                               ("url", "example.org/x")])
def test_add_source_refuses_a_bad_option(root: Path, option: str, value: str) -> None:
    before = digest(root / "data")
    with pytest.raises(ParameterError) as err:
        add(**{option: value})
    assert str(err.value).startswith(f"--{option}: ")
    assert digest(root / "data") == before


def _with_actor_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure figures has an actor column (another change adds it to the schema)."""
    fields = schema.TABLES["figures"]["fields"]
    if "actor" not in fields:
        monkeypatch.setitem(schema.TABLES["figures"], "fields", [*fields, "actor"])
    actors = Path("data") / "actors.csv"
    if not actors.exists():
        actors.write_text("actor,label_en,label_ar\ncoalition,the coalition,التحالف\n",
                          encoding="utf-8")


def test_add_source_puts_the_actor_in_every_drafted_row(root: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _with_actor_column(monkeypatch)
    key = first_actor()
    add(actor=key)
    rows = records(DRAFT)
    assert rows and {r["actor"] for r in rows} == {key}


def test_add_source_refuses_an_unknown_actor(root: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    _with_actor_column(monkeypatch)
    before = digest(root / "data")
    with pytest.raises(ParameterError) as err:
        add(actor="no_such_actor")
    assert str(err.value).startswith('--actor: "no_such_actor" is not an actor in '
                                     "data/actors.csv")
    assert digest(root / "data") == before


def test_add_source_refuses_an_actor_without_the_column(root: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    fields = [f for f in schema.TABLES["figures"]["fields"] if f != "actor"]
    monkeypatch.setitem(schema.TABLES["figures"], "fields", fields)
    with pytest.raises(ParameterError, match=r"^--actor: figures\.csv has no actor column"):
        add(actor="coalition")
    assert not (root / "data" / "sources" / NAME).exists()


# --------------------------------------------------------------------------- accept

def test_accept_merges_a_reviewed_draft(root: Path) -> None:
    kept = reviewed_draft()
    aside = records(ASIDE)
    figures, ignored = root / "data" / "figures.csv", root / "data" / "ignored.csv"
    old_figures, old_ignored = figures.read_bytes(), ignored.read_bytes()
    done = intake.accept(DRAFT)
    assert figures.read_bytes().startswith(old_figures)  # appended, old rows untouched
    assert ignored.read_bytes().startswith(old_ignored)
    assert [r["id"] for r in records(figures)[-len(kept):]] == [r["id"] for r in kept]
    assert records(ignored)[-len(aside):] == aside
    assert b"\r" not in figures.read_bytes()[len(old_figures):]
    ds = load_dataset(figures)
    assert set(ds.figures["id"]) >= {r["id"] for r in kept}
    assert (done.figures, done.ignored) == (len(kept), len(aside))
    summary = done.summary()
    assert summary[0].startswith(f"added {len(kept)} figures to data/figures.csv and "
                                 f"{len(aside)} ignored numbers to data/ignored.csv")
    assert "make report" in summary[-1]


def _duplicate_of_curated(rows: list[dict[str, str]]) -> str:
    rows[1]["id"] = records(Path("data/figures.csv"))[0]["id"]
    return "id"


def _duplicate_in_draft(rows: list[dict[str, str]]) -> str:
    rows[1]["id"] = rows[0]["id"]
    return "id"


def _bad_unit(rows: list[dict[str, str]]) -> str:
    rows[1]["unit"] = "parsecs"
    return "unit"


def _still_draft(rows: list[dict[str, str]]) -> str:
    rows[1]["note"] = "DRAFT: check the quote; it does not read back as value/qualifier"
    return "note"


def _empty_subject(rows: list[dict[str, str]]) -> str:
    rows[1]["subject_en"] = ""
    return "subject_en"


@pytest.mark.parametrize(("damage", "reason"), [
    (_duplicate_of_curated, "duplicate id .*: already in data/figures.csv, row 2"),
    (_duplicate_in_draft, r"duplicate id .* \(first on row 2\)"),
    (_bad_unit, '"parsecs" is not one of'),
    (_still_draft, 'still starts with "DRAFT:"'),
    (_empty_subject, "required field is empty"),
])
def test_accept_refuses_a_bad_row_at_its_draft_row_and_changes_nothing(
        root: Path, damage, reason: str) -> None:
    rows = reviewed_draft()
    column = damage(rows)
    rewrite(DRAFT, rows)
    before = digest(root / "data")
    with pytest.raises(TableValidationError) as err:
        intake.accept(DRAFT)
    lines = str(err.value).splitlines()
    assert len(lines) == 1, lines  # one problem, one line
    assert lines[0].startswith(f"{DRAFT}:3:{column}: "), lines
    assert re.search(reason, lines[0]), lines
    assert digest(root / "data") == before  # figures.csv, ignored.csv byte-identical


def test_accept_refuses_a_bad_ignored_row_at_its_row(root: Path) -> None:
    reviewed_draft()
    aside = records(ASIDE)
    aside[0]["reason"] = ""
    rewrite(ASIDE, aside)
    before = digest(root / "data")
    with pytest.raises(TableValidationError) as err:
        intake.accept(DRAFT)
    assert str(err.value) == f"{ASIDE}:2:reason: required field is empty"
    assert digest(root / "data") == before


def test_accept_twice_is_refused(root: Path) -> None:
    kept = reviewed_draft()
    intake.accept(DRAFT)
    after = digest(root / "data")
    with pytest.raises(TableValidationError) as err:
        intake.accept(DRAFT)
    first = str(err.value).splitlines()[0]
    assert first.startswith(f"{DRAFT}:2:id: duplicate id \"{kept[0]['id']}\": already in "
                            "data/figures.csv")
    assert digest(root / "data") == after


def test_accept_refuses_a_column_figures_csv_lacks(root: Path) -> None:
    reviewed_draft()
    header, rows = read_rows(DRAFT)
    write_rows(DRAFT, [*header, "qualifer"], [[*r, ""] for r in rows])
    with pytest.raises(TableValidationError, match=f"^{DRAFT}:1:qualifer: not a column of "):
        intake.accept(DRAFT)


# --------------------------------------------------------------------------- the commands

def test_commands_print_one_located_line_per_problem(root: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    args = ["add-source", str(ARTICLE), "--title-ar", TITLES["title_ar"], "--title-en",
            TITLES["title_en"], "--published", "2026-12-06"]
    if "actor" in schema.TABLES["figures"]["fields"]:
        args += ["--actor", first_actor()]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert f"wrote data/sources/{ARTICLE.stem}.meta.yml" in out
    assert f"`workbook accept {DRAFT}`" in out
    assert cli.main(["accept", str(DRAFT)]) == 2  # not reviewed yet
    err = capsys.readouterr().err
    assert f"{DRAFT}:2:subject_en: required field is empty" in err
    assert "Traceback" not in err
    assert cli.main([*args[:4], "--title-en", "x", "--actor", "no_such_actor"]) == 2
    assert capsys.readouterr().err.startswith("error: --actor: ")


def test_sidecar_text_round_trips_through_the_sidecar_check(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_bytes("2021\nسطر\n".encode())
    values = intake.sidecar_values("a.txt", text.read_bytes(), title_en="T", published="2021")
    sources.sidecar_path(text).write_text(intake.sidecar_text(values), encoding="utf-8")
    meta = sources.load_meta(text)
    assert meta.extra["published"] == "2021"  # text, though YAML would read 2021 as a number
    assert meta.extra["lines"] == 2
    assert sources.check_sources(["a.txt"], tmp_path) == []
