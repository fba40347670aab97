"""Analyst workbook over an Arabic news article on the anti-ISIS coalition in Iraq.

The public functions are re-exported here but imported on first use (PEP 562),
so ``workbook run`` can decide that nothing changed without importing pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Dataset": "dataset", "load_dataset": "dataset", "WorkbookError": "errors",
    "detect_qualifier": "numerals", "find_numbers": "numerals", "parse_number": "numerals",
    "load_table": "schema",
}

__all__ = ["Dataset", "WorkbookError", "detect_qualifier", "find_numbers", "load_dataset",
           "load_table", "parse_number"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from .dataset import Dataset, load_dataset
    from .errors import WorkbookError
    from .numerals import detect_qualifier, find_numbers, parse_number
    from .schema import load_table
