"""A text column's distinct values, worked out once while a dataset is validated.

A million-row column names a handful of units, forces or sources, and several
checks ask which: a vocabulary, a pattern, a foreign key, the quote check, the
slot rule. Each used to hash the whole column anew (25-45 ms a column at a
million rows, most of it hashing every cell). ``factorize`` answers them all:
inside ``shared()`` (``load_dataset`` holds it while it checks) the answer is
kept for the column's array, and a check asking of the very same array gets it
again. Outside ``shared()`` nothing is kept, so a table edited between two calls
is never answered from before the edit; inside it, nothing edits a column once
``schema.load_table`` has returned it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

#: id(array) -> (the array, its codes, its distinct values), while ``shared`` is held. The
#: array itself is kept too, so its id cannot be taken by another array meanwhile.
_KEPT: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None


@contextmanager
def shared() -> Iterator[None]:
    """Keep each column's ``factorize`` for the block (nested blocks share the outer one)."""
    global _KEPT
    outer = _KEPT is not None
    if not outer:
        _KEPT = {}
    try:
        yield
    finally:
        if not outer:
            _KEPT = None


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=False)``: each cell's code, numbering the
    distinct values in order of first appearance, and those values.

    Examples:
        >>> codes, names = factorize(np.array(["b", "a", "b"], dtype=object))
        >>> codes.tolist(), names.tolist()
        ([0, 1, 0], ['b', 'a'])
    """
    if _KEPT is not None:
        kept = _KEPT.get(id(values))
        if kept is not None and kept[0] is values:
            return kept[1], kept[2]
    codes, names = pd.factorize(values, use_na_sentinel=False)
    if _KEPT is not None:
        _KEPT[id(values)] = (values, codes, names)
    return codes, names


def column(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``factorize`` of one column of ``frame`` (the same array each time it is asked)."""
    return factorize(frame[name].to_numpy(dtype=object))
