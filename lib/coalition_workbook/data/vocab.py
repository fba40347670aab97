"""The run vocabularies, defined once and importable without pandas.

``params`` (checking a run's parameters before anything heavy is imported),
``labels``, ``metrics`` and ``explorer`` all import these; there are no copies.
"""

from __future__ import annotations

from typing import Literal

#: Languages a report can be written in (``lang`` parameter).
Lang = Literal["en", "ar"]
LANGS: tuple[Lang, ...] = ("en", "ar")

#: How "more than" / "at most" figures enter totals (``bounds`` parameter).
Bounds = Literal["as_lower_bound", "exclude"]
BOUNDS: tuple[Bounds, ...] = ("as_lower_bound", "exclude")


def comma(lang: str) -> str:
    """The comma between items of a list, with its space: Arabic has its own (،).

    Examples:
        >>> comma("en"), comma("ar")
        (', ', '، ')
    """
    return "، " if lang == "ar" else ", "


def semicolon(lang: str) -> str:
    """The semicolon between clauses, with its space: Arabic has its own (؛).

    Examples:
        >>> semicolon("en"), semicolon("ar")
        ('; ', '؛ ')
    """
    return "؛ " if lang == "ar" else "; "
