"""The curated tables, declared as data, and the loader that holds them to it.

``FIELDS`` describes every column once (type, description, unit, constraints),
PUDL-style; ``TABLES`` lists each table's columns and primary key. ``build_schema``
turns that into a pandera ``DataFrameSchema``; ``load_table`` reads a CSV the
way a spreadsheet saves it (UTF-8 with or without BOM, LF or CRLF) and reports
*every* problem as ``file:row:column: reason`` (row as a spreadsheet shows it,
header = row 1) in one ``TableValidationError``.

Unknown columns are an error, not a warning: a misspelt optional column
("qualifer") would otherwise vanish silently from the analysis.

Units and categories are vocabularies kept as data (``data/units.csv``,
``data/categories.csv``): a ``vocabulary`` constraint on a figures column names
the table whose keys it allows, read from beside the figures file (else from
the project's ``data/``). A new unit or category is one row with its key and
two labels.

Every field declares a ``max_length`` in characters, sized for what the column
holds with room to spare: identifiers and vocabulary words 32-100, a quote 300
(the *shortest* span stating one figure: a phrase, never a paragraph), names
and "said by" 300, a subject 500 (a sentence or two), notes 2000 (a short
paragraph). A longer cell is reported as ``file:row:column`` with its length,
never echoed, and checked no further. The reader itself has no field limit
(Python's ``csv`` stops at 128 KiB with a traceback), so any cell size gets
that one-line message.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import config
from .errors import Problem, TableValidationError
from .reading import Records, read_records

SNAKE_CASE = r"^[a-z][a-z0-9_]*$"
#: A file name in data/sources/, never a path: no folder separator, no leading dot
#: (so "../x", "/etc/passwd" and hidden files cannot be read into a report).
FILE_NAME = r"^[^/\\.\x00][^/\\\x00]*$"
#: What a pattern asks for, in words, for the messages (a regex is no help to a curator).
PATTERN_MEANS = {
    SNAKE_CASE: "snake_case (lowercase letters, digits and _, starting with a letter)",
    FILE_NAME: "a file name in data/sources/ (no folder, no leading dot)",
}
QUALIFIERS = ["exact", "at_least", "at_most", "approx"]
#: Vocabulary table -> its key column. Their keys are what figures.unit/category allow.
VOCABULARIES = {"units": "unit", "categories": "category", "actors": "actor", "kinds": "kind"}
RELATIONS = ["duplicate_of", "supersedes", "conflicts_with", "part_of", "measures_same_as",
             "adds_to",
             # plainer names a curator may write, read as the ones above (metrics.RELATION_ALIASES)
             "restates", "corrects", "disagrees_with", "other_unit_of", "same_in_other_unit",
             "subset_of"]
#: Limit for a field that declares no ``max_length`` (characters).
DEFAULT_MAX_LENGTH = 2000

FIELDS: dict[str, dict[str, Any]] = {
    "id": {"type": "string", "description": "Unique snake_case name of the figure.",
           "constraints": {"max_length": 100, "required": True, "pattern": SNAKE_CASE,
                           "unique": True}},
    "value": {"type": "number",
              "description": "The figure, as numerals.parse_number() reads its quote, "
                             "written without thousands separators (29000).",
              "constraints": {"max_length": 32, "required": True, "minimum": 0}},
    "unit": {"type": "string", "description": "What one of `value` is (a row of units.csv).",
             "constraints": {"max_length": 32, "required": True, "vocabulary": "units"}},
    "qualifier": {"type": "string",
                  "description": "exact, or a bound: at_least ('أكثر من', 'تتجاوز'), "
                                 "at_most ('لا يتجاوز'), approx ('نحو'). A range ('بين 15 "
                                 "و20') is two rows: its low end at_least, its high end "
                                 "at_most.",
                  "constraints": {"max_length": 32, "required": True, "enum": QUALIFIERS}},
    "quote": {"type": "string",
              "description": "Shortest verbatim span of the source that states the figure, "
                             "comparative words included.",
              "constraints": {"max_length": 300, "required": True}},
    "source": {"type": "string", "description": "File name of the article under data/sources/.",
               "constraints": {"max_length": 255, "required": True, "pattern": FILE_NAME}},
    "paragraph": {"type": "integer",
                  "description": "1-based line of the source text file holding the quote "
                                 "(the headline is line 1); reports cite it as ¶.",
                  "constraints": {"max_length": 12, "required": True, "minimum": 1}},
    "category": {"type": "string",
                 "description": "Which analysis the figure feeds (a row of categories.csv).",
                 "constraints": {"max_length": 32, "required": True, "vocabulary": "categories"}},
    "actor": {"type": "string",
              "description": "Who gave, trained, struck or announced what the figure counts "
                             "(a row of actors.csv). Totals only add figures of one actor.",
              "constraints": {"max_length": 32, "required": True, "vocabulary": "actors"}},
    "subject_en": {"type": "string", "description": "What the figure counts, in English.",
                   "constraints": {"max_length": 500, "required": True}},
    "attributed_to": {"type": "string", "description": "Who the article says stated the figure.",
                      "constraints": {"max_length": 300, "required": True}},
    "subject_ar": {"type": "string",
                   "description": "Optional: what the figure counts, in Arabic; reports in "
                                  "Arabic show it (else `subject_en`, marked as English).",
                   "constraints": {"max_length": 500}},
    "attributed_to_ar": {"type": "string",
                         "description": "Optional: `attributed_to` in Arabic, for reports in "
                                        "Arabic.",
                         "constraints": {"max_length": 300}},
    "as_of": {"type": "string",
              "description": "Date or period the figure refers to (YYYY, YYYY-MM); "
                             "empty if the article gives none.",
              "constraints": {"max_length": 10, "pattern": r"^(\d{4}(-\d{2}){0,2})?$"}},
    "note": {"type": "string", "description": "Overlaps, conflicts, caveats.",
             "constraints": {"max_length": 2000}},
    "note_ar": {"type": "string",
                "description": "Optional: `note` in Arabic, for reports in Arabic; filled "
                               "where `note` is.",
                "constraints": {"max_length": 2000}},
    "force_id": {"type": "string",
                 "description": "The Iraqi force trained or supplied (forces.csv).",
                 "constraints": {"max_length": 100, "pattern": r"^([a-z][a-z0-9_]*)?$",
                                 "foreign_key": "forces.force_id"}},
    "kind": {"type": "string",
             "description": "Sub-type within the category, e.g. armored vehicles (a row of "
                            "kinds.csv).",
             "constraints": {"max_length": 100, "vocabulary": "kinds"}},
    "force_id_pk": {"type": "string", "description": "Force identifier.",
                    "constraints": {"max_length": 100, "required": True, "pattern": SNAKE_CASE,
                                    "unique": True}},
    "name_ar": {"type": "string", "description": "Arabic name as the article writes it.",
                "constraints": {"max_length": 300, "required": True}},
    "name_en": {"type": "string", "description": "English name.",
                "constraints": {"max_length": 300, "required": True}},
    "figure_id": {"type": "string", "description": "The figure the relation is about.",
                  "constraints": {"max_length": 100, "required": True,
                                  "foreign_key": "figures.id"}},
    "relation": {"type": "string",
                 "description": "duplicate_of (restates): the same quantity restated, "
                                "other_id counts once; supersedes (corrects): a correction, "
                                "figure_id counts and other_id is shown as superseded; "
                                "conflicts_with (disagrees_with): two accounts that disagree, "
                                "never summed, shown as a disputed range; part_of (subset_of): "
                                "a subset of other_id, never added to it; measures_same_as "
                                "(other_unit_of): the same thing in another unit; adds_to: "
                                "separate amounts of one slot that add up.",
                 "constraints": {"max_length": 32, "required": True, "enum": RELATIONS}},
    "other_id": {"type": "string", "description": "The figure it relates to.",
                 "constraints": {"max_length": 100, "required": True,
                                 "foreign_key": "figures.id"}},
    "unit_pk": {"type": "string", "description": "Unit key, as figures.unit names it.",
                "constraints": {"max_length": 32, "required": True, "pattern": SNAKE_CASE,
                                "unique": True}},
    "actor_pk": {"type": "string", "description": "Actor key, as figures.actor names it.",
                 "constraints": {"max_length": 32, "required": True, "pattern": SNAKE_CASE,
                                 "unique": True}},
    "actor_label_en": {"type": "string",
                       "description": "How English sentences name the actor mid-sentence, "
                                      "with its article: `the coalition`, `the European "
                                      "Union` (a heading capitalises the first letter).",
                       "constraints": {"max_length": 200, "required": True}},
    "feminine_ar": {"type": "string",
                    "description": "Optional: `yes` when Arabic verbs agree with the actor "
                                   "in the feminine (`الولايات المتحدة`: قدّمت).",
                    "constraints": {"max_length": 3, "enum": ["yes"]}},
    "category_pk": {"type": "string", "description": "Category key, as figures.category names it.",
                    "constraints": {"max_length": 32, "required": True, "pattern": SNAKE_CASE,
                                    "unique": True}},
    "kind_pk": {"type": "string", "description": "Kind key, as figures.kind names it.",
                "constraints": {"max_length": 100, "required": True, "pattern": SNAKE_CASE,
                                "unique": True}},
    "label_en": {"type": "string", "description": "How reports in English name it.",
                 "constraints": {"max_length": 200, "required": True}},
    "label_ar": {"type": "string", "description": "How reports in Arabic name it.",
                 "constraints": {"max_length": 200, "required": True}},
    "format_en": {"type": "string",
                  "description": "Optional: how a number in this unit is written in English, "
                                 "`{n}` standing for the number (e.g. `US${n}`, `{n}%`); "
                                 "default `{n} label_en`.",
                  "constraints": {"max_length": 200, "pattern": r"^(.*\{n\}.*)?$"}},
    "format_ar": {"type": "string",
                  "description": "Optional: the same in Arabic; default `{n} label_ar`.",
                  "constraints": {"max_length": 200, "pattern": r"^(.*\{n\}.*)?$"}},
    "plural_ar": {"type": "string",
                  "description": "Optional: the Arabic plural counted by 3-10 (and 103-110 …): "
                                 "`أعضاء`; default `label_ar` (labels.counted_noun).",
                  "constraints": {"max_length": 200}},
    "accusative_ar": {"type": "string",
                      "description": "Optional: the singular accusative with tanween counted by "
                                     "11-99 (and 111-199 …): `عضوًا`; default `label_ar`.",
                      "constraints": {"max_length": 200}},
    "dual_ar": {"type": "string",
                "description": "Optional: the dual, for exactly 2: `عضوان`; default `label_ar`.",
                "constraints": {"max_length": 200}},
    "nouns_ar": {"type": "string",
                 "description": "Optional: Arabic nouns (space-separated, without diacritics) "
                                "that count this unit; `workbook draft` guesses units from them.",
                 "constraints": {"max_length": 500}},
    "draft_category": {"type": "string",
                       "description": "Optional: the category `workbook draft` suggests for a "
                                      "figure in this unit, when the unit alone makes it clear.",
                       "constraints": {"max_length": 32, "vocabulary": "categories"}},
    "source_file": {"type": "string", "description": "File name of the article under "
                                                     "data/sources/.",
                    "constraints": {"max_length": 255, "required": True, "pattern": FILE_NAME}},
    "text": {"type": "string",
             "description": "The number expression verbatim, as numerals.find_numbers() "
                          "returns it.",
             "constraints": {"max_length": 300, "required": True}},
    "reason": {"type": "string", "description": "Why this number is deliberately not a figure.",
               "constraints": {"max_length": 2000, "required": True}},
    "reason_ar": {"type": "string",
                  "description": "Optional: `reason` in Arabic, the hover text of Arabic "
                                 "source pages.",
                  "constraints": {"max_length": 2000}},
}

# Column name in the file -> key in FIELDS when they differ.
_FIELD_ALIASES = {"forces": {"force_id": "force_id_pk"}, "units": {"unit": "unit_pk"},
                  "categories": {"category": "category_pk"}, "kinds": {"kind": "kind_pk"},
                  "actors": {"actor": "actor_pk", "label_en": "actor_label_en"},
                  "ignored": {"source": "source_file"}}

TABLES: dict[str, dict[str, Any]] = {
    "figures": {
        "fields": ["id", "value", "unit", "qualifier", "quote", "source", "paragraph", "category",
                   "actor", "subject_en", "subject_ar", "attributed_to", "attributed_to_ar",
                   "as_of", "note", "note_ar", "force_id", "kind"],
        "optional_fields": ["subject_ar", "attributed_to_ar", "note_ar"],
        "primary_key": ["id"],
        "min_rows": 1,
    },
    "forces": {"fields": ["force_id", "name_ar", "name_en"], "primary_key": ["force_id"],
               "min_rows": 1},
    "relations": {"fields": ["figure_id", "relation", "other_id", "note", "note_ar"],
                  "optional_fields": ["note_ar"],
                  "primary_key": ["figure_id", "relation", "other_id"], "min_rows": 0},
    "units": {"fields": ["unit", "label_en", "label_ar", "format_en", "format_ar", "plural_ar",
                         "accusative_ar", "dual_ar", "nouns_ar", "draft_category"],
              "optional_fields": ["format_en", "format_ar", "plural_ar", "accusative_ar",
                                  "dual_ar", "nouns_ar", "draft_category"],
              "primary_key": ["unit"], "min_rows": 1},
    "categories": {"fields": ["category", "label_en", "label_ar"], "primary_key": ["category"],
                   "min_rows": 1},
    "actors": {"fields": ["actor", "label_en", "label_ar", "feminine_ar"],
               "optional_fields": ["feminine_ar"], "primary_key": ["actor"], "min_rows": 1},
    "kinds": {"fields": ["kind", "label_en", "label_ar"], "primary_key": ["kind"],
              "min_rows": 0},
    "ignored": {"fields": ["source", "paragraph", "text", "reason", "reason_ar"],
                "optional_fields": ["reason_ar"],
                "primary_key": ["source", "paragraph", "text"], "min_rows": 0},
}


def field_spec(table: str, column: str) -> dict[str, Any]:
    """Return the FIELDS entry for a column of a table."""
    return FIELDS[_FIELD_ALIASES.get(table, {}).get(column, column)]


#: The constraints pandera checks, each as a named check: the name is the constraint's
#: key, so a failure is explained from the declaration, not from pandera's wording.
#: (``enum`` and ``vocabulary`` columns get an ``isin`` check named ``enum``.)
_CHECKS: dict[str, Any] = {
    "pattern": lambda v: pa.Check.str_matches(v, error="pattern"),
    "minimum": lambda v: pa.Check.ge(v, error="minimum"),
}


def max_length(table: str, column: str) -> int:
    """The most characters a cell of ``table.column`` may hold.

    Examples:
        >>> max_length("figures", "quote")
        300
    """
    return int(field_spec(table, column).get("constraints", {}).get("max_length",
                                                                    DEFAULT_MAX_LENGTH))


def table_files(figures_path: str | Path) -> list[Path]:
    """Every curated table a figures table comes with, as ``load_dataset`` and the pages
    read them (``config.beside_figures``): the one registry of the data files, so the
    run's fingerprint and manifest name each of them, and a change to any re-runs."""
    figures = Path(figures_path)
    return [figures, *(config.beside_figures(figures, f"{t}.csv") for t in TABLES
                       if t != "figures")]


def vocabulary_path(name: str, folder: Path | None = None) -> Path:
    """The vocabulary table ``name`` (``units``, ``categories``) beside ``folder``'s tables.

    A folder of tables (say a copy of ``data/`` for a new article) uses its own
    ``units.csv`` when it has one, else the project's.
    """
    local = folder / f"{name}.csv" if folder is not None else None
    return local if local is not None and local.exists() else config.DATA_DIR / f"{name}.csv"


@lru_cache(maxsize=16)
def _vocabulary(path: Path, mtime_ns: int) -> pd.DataFrame:
    return load_table(path, path.stem)


def vocabulary(name: str, folder: Path | None = None) -> pd.DataFrame:
    """A vocabulary table (validated, cached per file version).

    Args:
        name: ``units`` or ``categories``.
        folder: The folder of the tables that use it; see ``vocabulary_path``.

    Raises:
        TableValidationError: If the vocabulary table itself is broken, located.
    """
    path = vocabulary_path(name, folder)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1  # load_table reports the missing file
    return _vocabulary(path, mtime)


def vocabulary_keys(name: str, folder: Path | None = None) -> list[str]:
    """The keys a vocabulary allows, in table order (e.g. every ``unit``)."""
    return vocabulary(name, folder)[VOCABULARIES[name]].to_list()


def __getattr__(name: str) -> list[str]:
    """``UNITS`` and ``CATEGORIES``: the project's vocabularies, read from data/ on use."""
    if name in ("UNITS", "CATEGORIES"):
        return vocabulary_keys(name.lower())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _allowed(table: str, folder: Path | None) -> dict[str, list[str]]:
    """Column -> allowed values, for every enum or vocabulary column of ``table``."""
    out = {}
    for name in TABLES[table]["fields"]:
        cons = field_spec(table, name).get("constraints", {})
        if "enum" in cons:
            out[name] = list(cons["enum"])
        elif "vocabulary" in cons:
            out[name] = vocabulary_keys(cons["vocabulary"], folder)
    return out


def build_schema(table: str, allowed: Mapping[str, list[str]] | None = None
                 ) -> pa.DataFrameSchema:
    """Turn the declared metadata of ``table`` into a pandera schema.

    Emptiness, numeric parsing and uniqueness (``_duplicate_keys``, which names
    the row a key repeats) are checked before pandera runs, so their messages
    can be precise; pandera checks vocabularies, patterns and ranges, and
    reports every failing cell under the constraint's name. ``allowed`` gives
    the values of enum and vocabulary columns (default: the project's).
    """
    allowed = _allowed(table, None) if allowed is None else allowed
    columns: dict[str, pa.Column] = {}
    for name in TABLES[table]["fields"]:
        spec = field_spec(table, name)
        cons = spec.get("constraints", {})
        checks: list[pa.Check] = []
        if name in allowed:
            values = allowed[name] if cons.get("required") else [*allowed[name], ""]
            checks.append(pa.Check.isin(values, error="enum"))
        checks += [make(cons[key]) for key, make in _CHECKS.items() if key in cons]
        dtype = {"number": float, "integer": "Int64", "string": str}[spec["type"]]
        columns[name] = pa.Column(dtype, checks, nullable=True)
    return pa.DataFrameSchema(columns, strict=True, ordered=False)


def _reason(table: str, column: str, check: str, value: object,
            allowed: Mapping[str, list[str]]) -> str:
    """Explain a failing cell from the declared constraint the check is named after."""
    cons = field_spec(table, column).get("constraints", {})
    where = f" (rows of {cons['vocabulary']}.csv)" if "vocabulary" in cons else ""
    reasons = {
        "enum": lambda: f'"{value}" is not one of: {", ".join(allowed[column])}{where}',
        "pattern": lambda: (f'"{value}" is not {PATTERN_MEANS[cons["pattern"]]}'
                            if cons["pattern"] in PATTERN_MEANS
                            else f'"{value}" does not match {cons["pattern"]}'),
        "minimum": lambda: f"{value} is below the minimum {cons['minimum']}",
    }
    return reasons[check]() if check in reasons else f'"{value}" fails {check}'


def load_table(path: str | Path, table: str | None = None, *,
               collect: list[Problem] | None = None) -> pd.DataFrame:
    """Load a curated CSV and check it against its declared schema.

    Args:
        path: The CSV file. Its name (``figures.csv``) names the table unless
            ``table`` is given.
        table: One of ``TABLES``.
        collect: If given, cell-level problems are appended here and the
            table is still returned (bad numbers as NaN), so callers can run
            further checks and report everything at once. Structural problems
            (missing file, columns, rows) always raise.

    Returns:
        The table with numeric columns typed and text columns as ``str`` (empty
        cells as ``""``), indexed by each record's spreadsheet row (header = 1).

    Raises:
        TableValidationError: With every problem found, each naming file, row, column.
    """
    path = Path(path)
    table = table or path.stem
    if table not in TABLES:
        raise TableValidationError(problems=[Problem(
            str(path), None, None, f"unknown table '{table}'; known: {', '.join(TABLES)}")])
    name = str(path)
    df = _declared_frame(read_records(path), table, name)
    too_long, empties = _cut_long_cells(df, table, name)
    problems = too_long + _required_problems(df, table, name, empties)
    problems += _type_numbers(df, table, name, empties)
    problems += _duplicate_keys(df, table, name)
    allowed = _allowed(table, path.parent)
    problems += _schema_problems(df, table, name, allowed)
    if too_long:  # a cut cell is reported once, for its length, and not as empty or invalid
        cut, length_problems = {(p.row, p.column) for p in too_long}, set(too_long)
        problems = [p for p in problems
                    if (p.row, p.column) not in cut or p in length_problems]
    if problems:
        declared = TABLES[table]["fields"]
        problems.sort(key=lambda p: (p.row or 0,
                                     declared.index(p.column) if p.column in declared else 99))
        if collect is None:
            raise TableValidationError(problems=_dedupe(problems))
        collect.extend(_dedupe(problems))
    df.attrs["file"] = name
    df.attrs["table"] = table
    return df


def _declared_frame(records: Records, table: str, name: str) -> pd.DataFrame:
    """The records as the declared columns, indexed by spreadsheet row; an unknown,
    missing or repeated column, or too few rows, is refused at once (nothing below
    can be checked without the right columns)."""
    header, body, rows = records
    declared = TABLES[table]["fields"]
    optional = TABLES[table].get("optional_fields", [])
    problems = [Problem(name, 1, col or "(blank)",
                        f"unknown column; expected only: {', '.join(declared)}")
                for col in header if col not in declared]
    problems += [Problem(name, 1, col, "required column is missing")
                 for col in declared if col not in header and col not in optional]
    problems += [Problem(name, 1, col, "column appears more than once")
                 for col in sorted({c for c in header if header.count(c) > 1})]
    if problems:
        raise TableValidationError(problems=problems)
    if len(body) < TABLES[table]["min_rows"]:
        raise TableValidationError(problems=[Problem(name, 2, None,
                                                     "no data rows below the header")])
    df = body.set_axis(header, axis=1).set_axis(pd.Index(rows, name="row"), axis=0)
    for col in declared:
        if col not in header:  # an optional column left out: all cells empty
            df[col] = pd.Series("", index=df.index, dtype="str")
    return df[declared].copy()


def _required_problems(df: pd.DataFrame, table: str, name: str,
                       empties: Mapping[str, pd.Series]) -> list[Problem]:
    """An empty cell in a required column."""
    return [Problem(name, int(row), col, "required field is empty")
            for col in TABLES[table]["fields"]
            if field_spec(table, col).get("constraints", {}).get("required")
            for row in df.index[empties[col].to_numpy()]]


def _type_numbers(df: pd.DataFrame, table: str, name: str,
                  empties: Mapping[str, pd.Series]) -> list[Problem]:
    """Turn the number and integer columns of ``df`` into numbers in place; a cell that is
    not one is a problem and becomes missing."""
    problems = []
    for col in TABLES[table]["fields"]:
        kind = field_spec(table, col)["type"]
        if kind not in ("number", "integer"):
            continue
        num = _numbers(df[col])
        bad = (num.isna() | np.isinf(num.to_numpy(dtype=float, na_value=np.nan))) \
            & ~empties[col]
        if kind == "integer":
            bad |= num.notna() & (num % 1 != 0)
        what = "a whole number" if kind == "integer" else "a finite number"
        problems += [Problem(name, int(row), col, _not_a_number(str(df.at[row, col]), what))
                     for row in df.index[bad.to_numpy()]]
        num[bad] = float("nan")
        df[col] = num.round().astype("Int64") if kind == "integer" else num.astype(float)
    return problems


def _schema_problems(df: pd.DataFrame, table: str, name: str,
                     allowed: Mapping[str, list[str]]) -> list[Problem]:
    """What pandera finds (vocabularies, patterns, ranges), one problem per failing cell."""
    try:
        build_schema(table, allowed).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        return [Problem(name, int(f["index"]), f["column"],
                        _reason(table, f["column"], str(f["check"]), f["failure_case"], allowed))
                for _, f in cases.iterrows()]
    return []


def _numbers(cells: pd.Series) -> pd.Series:
    """``pd.to_numeric`` of the cells (NaN where not a number)."""
    return pd.to_numeric(cells, errors="coerce").astype(float)


def _not_a_number(cell: str, what: str) -> str:
    """Why a cell is not a number, with the fix when it is one written with thousands
    separators: the tables hold numbers as every export reads them ("29000")."""
    plain = cell.replace(",", "")
    if "," in cell and pd.notna(pd.to_numeric(plain, errors="coerce")):
        return f'"{cell}" has thousands separators; write {plain}'
    return f'"{cell}" is not {what}'


def _cut_long_cells(df: pd.DataFrame, table: str, name: str
                    ) -> tuple[list[Problem], dict[str, pd.Series]]:
    """Report each cell over its column's ``max_length`` and empty it in ``df``.

    The message gives the length, not the text (a cell can be megabytes). The
    emptied cell is then not checked again; ``load_table`` drops the
    "required"/vocabulary complaints about it.

    Returns:
        The problems, and each column's empty cells (a cut cell is empty now).
    """
    problems, empty = [], {}
    for col in df.columns:
        limit = max_length(table, col)
        lengths = pd.Series(np.fromiter(map(len, df[col].to_numpy(dtype=object)),
                                        dtype=np.int64, count=len(df)), index=df.index)
        long_ = lengths > limit
        problems += [Problem(name, int(row), col, f"is {n:,} characters long; "
                                                  f"at most {limit:,} allowed in {col}")
                     for row, n in lengths[long_].items()]
        if long_.any():
            df.loc[long_, col] = ""
        empty[col] = (lengths == 0) | long_
    return problems, empty


def foreign_keys(table: str) -> list[tuple[str, str, str]]:
    """The declared foreign keys of a table: ``(column, target table, target column)``."""
    out = []
    for col in TABLES[table]["fields"]:
        target = field_spec(table, col).get("constraints", {}).get("foreign_key")
        if target:
            ref_table, ref_col = target.split(".")
            out.append((col, ref_table, ref_col))
    return out


def check_foreign_keys(tables: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """Every non-empty cell of a declared foreign key must be a key of its target table.

    Checks the keys between the loaded ``tables`` (name -> ``load_table`` result);
    a key whose target table did not load is skipped (its problems are reported).
    """
    problems = []
    for table in tables:
        for col, ref_table, ref_col in foreign_keys(table):
            if ref_table not in tables:
                continue
            values = tables[table][col]
            # Ask the target only about the keys in use (a few forces name a million rows).
            asked = values.unique()
            keys = tables[ref_table][ref_col]
            unknown = ~values.isin(keys[keys.isin(asked)].unique()) & (values != "")
            where = Path(tables[ref_table].attrs["file"]).name
            problems += [Problem(tables[table].attrs["file"], int(row), col,
                                 f'"{v}" is not a known {ref_col} in {where}')
                         for row, v in values[unknown].items()]
    return problems


def _duplicate_keys(df: pd.DataFrame, table: str, name: str) -> list[Problem]:
    """Repeated keys: each repeat is reported once, naming the row it repeats.

    Covers the primary key and every column declared ``unique``; the first
    occurrence is not an error, so one duplicated id gives one message.
    """
    keys = [TABLES[table]["primary_key"]]
    keys += [[c] for c in TABLES[table]["fields"]
             if field_spec(table, c).get("constraints", {}).get("unique") and [c] != keys[0]]
    problems = []
    for key in keys:
        sub = df[key].astype(str)
        dup = sub.duplicated(keep="first")
        if not dup.any():
            continue
        first = {tuple(v): int(row) for row, v in zip(sub.index[~dup], sub[~dup].to_numpy(),
                                                      strict=True)}
        what = key[0] if len(key) == 1 else f"primary key ({', '.join(key)})"
        for row, value in zip(sub.index[dup], sub[dup].to_numpy(), strict=True):
            shown = ", ".join(value)
            problems.append(Problem(name, int(row), key[0],
                                    f'duplicate {what} "{shown}" (first on row '
                                    f'{first[tuple(value)]})'))
    return problems


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def data_dictionary() -> str:
    """The data dictionary as Markdown, generated from ``TABLES`` and ``FIELDS``.

    ``docs/data-dictionary.md`` is this text; a test keeps the two in step.
    """
    out = ["# Data dictionary", "",
           "Generated from `lib/coalition_workbook/data/schema.py` by `make docs`; "
           "do not edit by hand.",
           "Unknown columns are an error. Rows are numbered as a spreadsheet shows them "
           "(header = row 1). A cell longer than its column's limit (≤ N chars) is an "
           "error naming file:row:column.", ""]
    for table, meta in TABLES.items():
        key = ", ".join(meta["primary_key"])
        out += [f"## `data/{table}.csv`", "",
                f"Primary key: `{key}`. At least {meta['min_rows']} data row(s).", "",
                "| column | type | required | allowed | description |",
                "|---|---|---|---|---|"]
        for col in meta["fields"]:
            spec = field_spec(table, col)
            cons = spec.get("constraints", {})
            allowed = []
            if "enum" in cons:
                allowed.append(", ".join(f"`{v}`" for v in cons["enum"]))
            if "vocabulary" in cons:
                vocab = cons["vocabulary"]
                keys = ", ".join(f"`{v}`" for v in vocabulary_keys(vocab))
                allowed.append(f"→ `{vocab}.{VOCABULARIES[vocab]}` (today: {keys})")
            if "pattern" in cons:
                allowed.append(f"pattern `{cons['pattern']}`")
            if "minimum" in cons:
                allowed.append(f"≥ {cons['minimum']}")
            if cons.get("unique"):
                allowed.append("unique")
            allowed.append(f"≤ {max_length(table, col):,} chars")
            if "foreign_key" in cons:
                allowed.append(f"→ `{cons['foreign_key']}`")
            desc = spec["description"].replace("|", "\\|")
            req = "yes" if cons.get("required") else ""
            if col in meta.get("optional_fields", []):
                req = "column optional"
            out.append(f"| `{col}` | {spec['type']} | {req} | {'; '.join(allowed)} | {desc} |")
        out.append("")
    from .sources import PARAGRAPH_MEANS, SIDECAR_FIELDS, TITLE_KEYS

    out += ["## `data/sources/NAME.meta.yml`", "",
            "One YAML sidecar beside each article text `NAME.txt`; `workbook validate` checks "
            f"it. `{TITLE_KEYS[0]}` or `{TITLE_KEYS[1]}` is required, every other key is "
            "optional, an unknown key is an error. Reports cite a figure as "
            f"`short title, ¶N`: {PARAGRAPH_MEANS['en']}.", "",
            "| key | type | description |", "|---|---|---|"]
    out += [f"| `{k}` | {t.__name__} | {d} |" for k, (t, d) in SIDECAR_FIELDS.items()]
    out.append("")
    return "\n".join(out)
