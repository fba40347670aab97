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
