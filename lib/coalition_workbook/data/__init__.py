"""Data in: the curated tables, their declared schema and every check on them.

``load_dataset`` is the one door: it reads ``figures.csv`` and its companion tables with
``schema.load_table`` (one CSV reader, ``reading``), checks each quote against its
article (``provenance``, reading numbers with ``numerals``), the sources' sidecars
(``sources``), foreign keys, and which figures may share a slot (``slots``). ``draft``
and ``coverage`` help curate a new article.
"""

from . import (
    config,
    coverage,
    draft,
    errors,
    files,
    intake,
    numerals,
    provenance,
    reading,
    schema,
    slots,
    sources,
    vocab,
)
from .dataset import Dataset, load_dataset
from .errors import Problem, TableValidationError, WorkbookError
from .files import atomic_write, atomic_write_text
from .numerals import detect_qualifier, find_numbers, parse_number
from .schema import load_table

__all__ = [
    "Dataset", "Problem", "TableValidationError", "WorkbookError", "atomic_write",
    "atomic_write_text", "config", "coverage", "detect_qualifier", "draft", "errors", "files",
    "find_numbers", "intake", "load_dataset", "load_table", "numerals", "parse_number",
    "provenance", "reading", "schema", "slots", "sources", "vocab",
]
