"""Adding an article in two commands: ``add_source`` copies and drafts, ``accept`` merges.

``add_source`` copies the article byte-identical into ``data/sources/``, writes its
sidecar (the keys of ``sources.SIDECAR_FIELDS``: titles, outlet, date, address, and
the text's ``sha256`` and ``lines``, so validation notices any later edit of the copy)
and drafts it with ``draft.draft`` into ``data/drafts/NAME.csv`` and
``NAME.ignored.csv``. Everything is checked before anything is written, and running it
again with the same article and options changes nothing.

``accept`` merges a reviewed draft into ``figures.csv`` and ``ignored.csv``. It appends
the rows to a temporary copy of the data folder and runs ``load_dataset`` there, so a
draft is held to exactly the checks the curated tables are; each problem is reported
at the draft's own row (``data/drafts/NAME.csv:ROW:COLUMN: reason``, header = 1) and
nothing is written unless every row passes. Existing rows are kept byte for byte; the
new ones are appended (comma, LF, quoted only when needed).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import config, draft, reading, schema, sources
from .dataset import load_dataset
from .errors import ParameterError, Problem, TableValidationError, WorkbookError
from .files import atomic_write, atomic_write_text
from .provenance import paragraphs

#: A note that still starts with this was left for the analyst to check (``draft``).
DRAFT_MARK = "DRAFT:"
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}){0,2}$")


def shown(path: Path) -> str:
    """``path`` as a user types it: relative to the working folder when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- add-source

@dataclass(frozen=True)
class Added:
    """What ``add_source`` wrote (or found already there), for the command to print."""

    text: Path
    sidecar: Path
    draft: Path
    ignored: Path | None
    rows: int
    guessed: int
    aside: int
    copied: bool
    sidecar_written: bool

    def summary(self) -> list[str]:
        """One line per file, then the next step."""
        text = shown(self.text)
        lines = [f"copied {text}" if self.copied else f"{text}: already here, byte-identical",
                 f"wrote {shown(self.sidecar)}" if self.sidecar_written
                 else f"{shown(self.sidecar)}: already says the same, kept",
                 f"wrote {shown(self.draft)}: {self.rows} draft rows ({self.guessed} with a "
                 "unit guessed)"]
        if self.ignored is not None:
            lines.append(f"wrote {shown(self.ignored)}: {self.aside} numbers that are no count "
                         "(dates' days, identifiers, codes), each with its reason")
        lines.append(f"next: in {shown(self.draft)} keep the rows that are figures, fill "
                     "subject_en, attributed_to, unit and category, check and clear each "
                     f"'{DRAFT_MARK}' note; declare overlaps with earlier articles in "
                     f"relations.csv; then `workbook accept {shown(self.draft)}`")
        return lines


def add_source(article: str | Path, *, title_ar: str = "", title_en: str = "",
               published: str | None = None, publisher: str | None = None,
               url: str | None = None, actor: str | None = None,
               data_dir: Path | None = None) -> Added:
    """Copy an article into ``data/sources/``, write its sidecar and draft it.

    Args:
        article: The article as UTF-8 text, one paragraph per line (headline first).
        title_ar, title_en: Its title; at least one is required.
        published: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
        publisher, url: The outlet and where it published the article.
        actor: A key of ``actors.csv``: every drafted row gets it in its ``actor`` column.
        data_dir: The data folder (default the project's ``data/``).

    Returns:
        What was written, with ``summary`` lines for the command.

    Raises:
        WorkbookError: A missing or non-UTF-8 article, a different file of the same name
            or a sidecar that says otherwise already there, an analyst's edits in an
            earlier draft; ``ParameterError`` for a bad option. Nothing is written then.
    """
    data_dir = Path(data_dir) if data_dir else config.DATA_DIR
    article = Path(article)
    _check_options(title_ar, title_en, published, url)
    draft.read_source(article)  # a missing or non-UTF-8 article: one located error
    _check_name(article)
    columns = list(schema.TABLES["figures"]["fields"])
    if actor is not None:
        check_actor(actor, data_dir)
    data = article.read_bytes()
    text = data_dir / "sources" / article.name
    copy = _needs_copy(text, data)
    meta = sidecar_values(article.name, data, title_ar=title_ar, title_en=title_en,
                          published=published, publisher=publisher, url=url)
    meta_path = sources.sidecar_path(text)
    write_meta = not _sidecar_agrees(meta_path, meta)
    made = draft.draft(article, accounted=draft.read_accounted(data_dir / "figures.csv"),
                       hints=draft.unit_hints(schema.vocabulary_path("units", data_dir)))
    rows = [{**r, "actor": actor} for r in made.rows] if actor is not None else made.rows
    out = data_dir / "drafts" / f"{article.stem}.csv"
    aside = out.with_name(f"{article.stem}.ignored.csv")
    _check_unedited(out, rows, columns)
    _check_unedited(aside, made.aside, draft.IGNORED_COLUMNS)
    if copy:
        atomic_write(text, lambda tmp: Path(tmp).write_bytes(data))
    if write_meta:
        atomic_write_text(meta_path, sidecar_text(meta))
    draft.write_rows(out, rows, columns)
    if made.aside:
        draft.write_rows(aside, made.aside, draft.IGNORED_COLUMNS)
    else:
        aside.unlink(missing_ok=True)  # an earlier draft's proposals no longer apply
    return Added(text, meta_path, out, aside if made.aside else None, len(rows),
                 sum(bool(r.get("unit")) for r in rows), len(made.aside), copy, write_meta)


def _check_options(title_ar: str, title_en: str, published: str | None,
                   url: str | None) -> None:
    """Refuse a missing title, a date that is none, an address that is no web address."""
    if not (title_ar.strip() or title_en.strip()):
        raise ParameterError("--title-ar/--title-en: give the article's title (at least one)",
                             parameter="--title-ar")
    if published is not None:
        ok = bool(_PUBLISHED.match(published))
        try:
            if ok:
                dt.date.fromisoformat((published + "-01-01")[:10])
        except ValueError:
            ok = False
        if not ok:
            raise ParameterError(f'--published: "{published}" is no date; write YYYY, YYYY-MM '
                                 "or YYYY-MM-DD", parameter="--published")
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise ParameterError(f'--url: "{url}" is no web address; write it from http:// or '
                             "https://", parameter="--url")


def _check_name(article: Path) -> None:
    """The copy's name is what figures.source cites: NAME.txt, no leading dot."""
    if article.suffix != ".txt" or article.name.startswith("."):
        raise WorkbookError("name the article NAME.txt (coverage and validation read "
                            "data/sources/*.txt); rename it and run again", file=str(article))


def actor_keys(data_dir: Path) -> list[str] | None:
    """The keys of the actors table (the vocabulary figures.actor names), or None if the
    data folder has no such table."""
    cons = schema.FIELDS.get("actor", {}).get("constraints", {})
    name = cons.get("vocabulary", "actors")
    path = data_dir / f"{name}.csv"
    if not path.is_file():
        return None
    if name in schema.TABLES:
        key = schema.TABLES[name]["primary_key"][0]
        return [str(k) for k in schema.load_table(path, name)[key]]
    header, body, _ = reading.read_records(path)
    column = header.index("actor") if "actor" in header else 0
    return [str(k) for k in body.iloc[:, column]]


def check_actor(actor: str, data_dir: Path) -> None:
    """Refuse ``--actor`` when figures.csv has no actor column, or the key is unknown."""
    if "actor" not in schema.TABLES["figures"]["fields"]:
        raise ParameterError("--actor: figures.csv has no actor column in this version of the "
                             "workbook; leave the option out", parameter="--actor")
    keys = actor_keys(data_dir)
    if keys is not None and actor not in keys:
        raise ParameterError(f'--actor: "{actor}" is not an actor in '
                             f"{shown(data_dir / 'actors.csv')}; known: {', '.join(keys)}",
                             parameter="--actor")


def _needs_copy(text: Path, data: bytes) -> bool:
    """Whether ``data`` must be written to ``text``: not if the same bytes are there;
    a different file of that name is refused (the copy must stay byte-identical)."""
    if not text.exists():
        return True
    if text.is_file() and text.read_bytes() == data:
        return False
    raise WorkbookError("a different file of this name is already here; give the new "
                        "article another name (or delete the old copy if it is the one "
                        "to replace)", file=shown(text))


def sidecar_values(name: str, data: bytes, *, title_ar: str = "", title_en: str = "",
                   published: str | None = None, publisher: str | None = None,
                   url: str | None = None) -> dict[str, Any]:
    """The sidecar of a text ``name`` with bytes ``data``: the given keys, its sha256
    and its line count as ``sources`` counts paragraphs."""
    values: dict[str, Any] = {
        "file": name, "title_ar": title_ar.strip(), "title_en": title_en.strip(),
        "publisher": (publisher or "").strip(), "published": published or "",
        "url": url or "", "sha256": hashlib.sha256(data).hexdigest(),
        "lines": len(paragraphs(data.decode("utf-8-sig", "replace"))),
    }
    unknown = set(values) - set(sources.SIDECAR_FIELDS)
    assert not unknown, f"sources.SIDECAR_FIELDS lacks {unknown}"
    return {k: v for k, v in values.items() if v != ""}


def sidecar_text(values: dict[str, Any]) -> str:
    """The sidecar as YAML (strings that look like dates quoted, so they stay text)."""
    head = ("# Provenance of the article copy beside this file (written by `workbook "
            "add-source`).\n# The .txt must stay byte-identical to it: validation checks "
            "sha256 and lines.\n")
    return head + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000)


def _sidecar_agrees(path: Path, values: dict[str, Any]) -> bool:
    """True if a sidecar is there and says all of ``values`` (then it is kept, with any
    hand-written keys and comments); False if there is none. A sidecar that says
    something else is refused rather than overwritten."""
    if not path.exists():
        return False
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raw = None
    if not isinstance(raw, dict):
        raise WorkbookError("a sidecar is already here and cannot be read; fix it or delete it",
                            file=shown(path))
    for key, value in values.items():
        old = raw.get(key)
        old = old.isoformat() if isinstance(old, (dt.date, dt.datetime)) else old
        if old is None or str(old).strip() != str(value):
            raise WorkbookError(f"the sidecar already here says {old!r}, not {value!r}; edit "
                                "it by hand, or delete it to have add-source write it",
                                file=shown(path), column=key)
    return True


def _check_unedited(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    """Refuse to overwrite a draft that differs from the one about to be written: it may
    hold an analyst's review."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        old = list(csv.DictReader(fh))
    if old != [{c: str(r.get(c, "")) for c in columns} for r in rows]:
        raise WorkbookError("a draft that differs from this one is already here (it may hold "
                            "your review); accept it with `workbook accept`, or delete it to "
                            "draft again", file=shown(path))


# --------------------------------------------------------------------------- accept

@dataclass
class _Merge:
    """A draft's rows on their way into one curated table."""

    table: str
    draft: Path
    target: Path
    draft_header: list[str]
    rows: list[dict[str, str]]
    numbers: list[int]  # each row's spreadsheet row in the draft
    header: list[str]  # the target's columns, in its order
    original: str | None  # the target's text, BOM and line ends as they are; None: no file
    rows_in_copy: dict[int, int] = field(default_factory=dict)  # merged row -> draft row

    @classmethod
    def read(cls, table: str, draft_csv: Path, target: Path) -> _Merge:
        """The draft's records (blank ones dropped, row numbers kept) and the target's
        header and text. Raises a located error for either file unreadable."""
        header, body, numbers = reading.read_records(draft_csv)
        rows = [dict(zip(header, cells, strict=True)) for cells in body.itertuples(index=False)]
        if target.exists():
            columns = reading.read_records(target).header
            original: str | None = target.read_bytes().decode("utf-8")
        else:
            columns, original = list(schema.TABLES[table]["fields"]), None
        return cls(table, draft_csv, target, header, rows, [int(n) for n in numbers],
                   columns, original)

    def column_problems(self) -> list[Problem]:
        """A draft column the target does not have (its cells would be lost)."""
        return [Problem(str(self.draft), 1, c, f"not a column of {shown(self.target)}; "
                        f"expected only: {', '.join(self.header)}")
                for c in self.draft_header if c not in self.header]

    def key_problems(self) -> list[Problem]:
        """Draft rows whose primary key is already in the target or earlier in the draft."""
        key = schema.TABLES[self.table]["primary_key"]
        taken: dict[tuple[str, ...], int] = {}
        if self.original is not None:
            header, body, numbers = reading.read_records(self.target)
            if all(k in header for k in key):
                at = [header.index(k) for k in key]
                for n, cells in zip(numbers, body.itertuples(index=False), strict=True):
                    taken.setdefault(tuple(cells[i] for i in at), int(n))
        problems, seen = [], {}
        what = key[0] if len(key) == 1 else f"primary key ({', '.join(key)})"
        for n, row in zip(self.numbers, self.rows, strict=True):
            value = tuple(row.get(k, "") for k in key)
            if not all(value):
                continue  # an empty key cell: load_dataset says it is required
            shown_value = ", ".join(value)
            if value in taken:
                problems.append(Problem(str(self.draft), n, key[0], f'duplicate {what} '
                                        f'"{shown_value}": already in {shown(self.target)}, '
                                        f"row {taken[value]}"))
            elif value in seen:
                problems.append(Problem(str(self.draft), n, key[0], f'duplicate {what} '
                                        f'"{shown_value}" (first on row {seen[value]})'))
            seen.setdefault(value, n)
        return problems

    def merged_text(self) -> str:
        """The target's text as it is, the draft's rows appended in its column order."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        text = self.original
        if text is None:
            writer.writerow(self.header)
            text = ""
        elif text and not text.endswith("\n"):
            text += "\n"
        writer.writerows([[row.get(c, "") for c in self.header] for row in self.rows])
        return text + buf.getvalue()

    def write_copy(self, path: Path) -> None:
        """Write the merged table to ``path`` and learn which of its rows are the draft's."""
        path.write_text(self.merged_text(), encoding="utf-8", newline="")
        if self.rows:
            merged_rows = reading.read_records(path).rows[-len(self.rows):]
            self.rows_in_copy = dict(zip((int(r) for r in merged_rows), self.numbers,
                                         strict=True))


@dataclass(frozen=True)
class Accepted:
    """What ``accept`` added, for the command to print."""

    figures: int
    ignored: int
    figures_csv: Path
    ignored_csv: Path

    def summary(self) -> list[str]:
        """The counts, then the next step."""
        return [f"added {self.figures} figures to {shown(self.figures_csv)} and {self.ignored} "
                f"ignored numbers to {shown(self.ignored_csv)}; all checks passed",
                "next: `workbook coverage` lists any number still unaccounted for; then "
                "`make report`"]


def accept(draft_csv: str | Path, data_dir: Path | None = None) -> Accepted:
    """Merge a reviewed draft into figures.csv (and its NAME.ignored.csv into ignored.csv).

    The merged tables are validated with ``load_dataset`` in a temporary copy of the
    data folder first; only if every check passes are the two files replaced
    (atomically; the first is restored if the second cannot be written).

    Raises:
        TableValidationError: Every problem, located at the draft's own rows: a duplicate
            id, a row that does not validate, a note still starting with ``DRAFT:``.
        ParameterError: If given a ``NAME.ignored.csv`` rather than the draft itself.
    """
    data_dir = Path(data_dir) if data_dir else config.DATA_DIR
    draft_csv = Path(draft_csv)
    if draft_csv.name.endswith(".ignored.csv"):
        raise ParameterError(f"{draft_csv}: give the figures draft NAME.csv; its "
                             "NAME.ignored.csv is accepted with it", parameter="draft")
    merges = [_Merge.read("figures", draft_csv, data_dir / "figures.csv")]
    aside = draft_csv.with_name(f"{draft_csv.stem}.ignored.csv")
    if aside.is_file():
        merges.append(_Merge.read("ignored", aside, data_dir / "ignored.csv"))
    if not any(m.rows for m in merges):
        raise WorkbookError("no rows to accept", file=str(draft_csv))
    problems = [p for m in merges for p in m.column_problems()]
    if problems:
        raise TableValidationError(problems=problems)
    problems = [p for m in merges for p in m.key_problems()] + _draft_notes(merges[0])
    problems += _validate_merged(merges, data_dir, {(p.file, p.row) for p in problems})
    if problems:
        raise TableValidationError(problems=_ordered(problems))
    _write_all(merges)
    counts = {m.table: len(m.rows) for m in merges}
    return Accepted(counts["figures"], counts.get("ignored", 0), data_dir / "figures.csv",
                    data_dir / "ignored.csv")


def _draft_notes(merge: _Merge) -> list[Problem]:
    """A row whose note still starts with ``DRAFT:`` has not been reviewed."""
    return [Problem(str(merge.draft), n, "note", f'still starts with "{DRAFT_MARK}": check '
                    "what it says, fix the row, then replace or clear the note")
            for n, row in zip(merge.numbers, merge.rows, strict=True)
            if row.get("note", "").strip().startswith(DRAFT_MARK)]


def _validate_merged(merges: list[_Merge], data_dir: Path,
                     duplicates: set[tuple[str, int | None]]) -> list[Problem]:
    """Every problem ``load_dataset`` finds in a copy of the data with the draft merged,
    located back in the draft (duplicate keys at ``duplicates`` are already reported)."""
    with tempfile.TemporaryDirectory(prefix="workbook-accept-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("drafts", ".*"))
        for m in merges:
            m.write_copy(copy / m.target.name)
        try:
            load_dataset(copy / "figures.csv")
        except TableValidationError as exc:
            found = exc.problems
        else:
            found = []
    located = (_locate(p, merges, copy, data_dir) for p in found)
    return [p for p in located if not (p.column is not None and (p.file, p.row) in duplicates
                                       and p.reason.startswith("duplicate "))]


def _locate(p: Problem, merges: list[_Merge], copy: Path, data_dir: Path) -> Problem:
    """A problem in the temporary copy, as the user's files show it: a merged row at its
    draft row, any other file at its place in the data folder."""
    reason = p.reason.replace(str(copy), shown(data_dir))
    for m in merges:
        if p.file != str(copy / m.target.name):
            continue
        reason = re.sub(r"\brow (\d+)\b", lambda x, m=m: _row_ref(int(x.group(1)), m),
                        reason)
        if p.row in m.rows_in_copy:
            return Problem(str(m.draft), m.rows_in_copy[p.row], p.column, reason)
        return Problem(shown(m.target), p.row, p.column, reason)
    return Problem(p.file.replace(str(copy), shown(data_dir)), p.row, p.column, reason)


def _row_ref(row: int, merge: _Merge) -> str:
    """"row N" of the merged copy as the user's files number it."""
    if row in merge.rows_in_copy:
        return f"row {merge.rows_in_copy[row]} of {merge.draft}"
    return f"row {row} of {shown(merge.target)}"


def _ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Unique problems, file by file, each file's by row (a row's own in found order)."""
    return sorted(dict.fromkeys(problems), key=lambda p: (p.file, p.row or 0))


def _write_all(merges: list[_Merge]) -> None:
    """Replace each target that gains rows; if one cannot be written, put back the ones
    already replaced, so the tables change together or not at all."""
    done: list[_Merge] = []
    for m in (m for m in merges if m.rows):
        try:
            atomic_write_text(m.target, m.merged_text())
        except OSError as exc:
            for d in done:
                if d.original is None:
                    os.unlink(d.target)
                else:
                    atomic_write_text(d.target, d.original)
            raise WorkbookError(f"cannot write: {exc.strerror}; nothing was changed",
                                file=shown(m.target)) from exc
        done.append(m)
