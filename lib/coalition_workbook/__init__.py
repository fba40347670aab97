"""Analyst workbook over an Arabic news article on the anti-ISIS coalition in Iraq."""

from .dataset import Dataset, load_dataset
from .errors import WorkbookError
from .numerals import detect_qualifier, find_numbers, parse_number
from .schema import load_table

__all__ = ["Dataset", "WorkbookError", "detect_qualifier", "find_numbers", "load_dataset",
           "load_table", "parse_number"]
