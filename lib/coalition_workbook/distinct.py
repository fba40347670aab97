"""A text column's distinct values, worked out once while a dataset is validated.

A million-row column names a handful of units, forces or sources, and several
checks ask which: a vocabulary, a pattern, a foreign key, the quote check, the
slot rule. Each used to hash the whole column anew (25-45 ms a column at a
million rows, most of it hashing every cell). ``factorize`` answers them all:
inside ``shared()`` (``load_dataset`` holds it while it checks) the answer is
kept for the column's array, and a check asking of the very same array gets it
again.

The rule that makes that safe: a column is not edited once it has been
factorised inside ``shared()``. It is enforced, not trusted: the array is made
read-only for the block (an edit raises ``ValueError: assignment destination is
read-only``) and writable again after it, and the kept answers are read-only
too. Outside ``shared()`` nothing is kept, so a table edited between two calls is
never answered from before the edit. Each thread has its own block.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from pandas.core.algorithms import factorize_array


class _Kept(threading.local):
    #: id(array) -> (the array, its codes, its distinct values), while ``shared`` is held.
    #: The array itself is kept too, so its id cannot be taken by another array meanwhile.
    answers: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
    #: Arrays made read-only by this block, to make writable again when it ends.
    frozen: list[np.ndarray]


_KEPT = _Kept()


@contextmanager
def shared() -> Iterator[None]:
    """Keep each column's ``factorize`` for the block (nested blocks share the outer one)."""
    if _KEPT.answers is not None:
        yield
        return
    _KEPT.answers, _KEPT.frozen = {}, []
    try:
        yield
    finally:
        for array in _KEPT.frozen:
            array.flags.writeable = True
        _KEPT.answers, _KEPT.frozen = None, []


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=False)``: each cell's code, numbering the
    distinct values in order of first appearance, and those values.

    Examples:
        >>> codes, names = factorize(np.array(["b", "a", "b"], dtype=object))
        >>> codes.tolist(), names.tolist()
        ([0, 1, 0], ['b', 'a'])
    """
    answers = _KEPT.answers
    if answers is not None:
        kept = answers.get(id(values))
        if kept is not None and kept[0] is values:
            return kept[1], kept[2]
    codes, names = _factorize(values)
    if answers is not None:
        if values.flags.writeable:
            values.flags.writeable = False
            _KEPT.frozen.append(values)
        codes.flags.writeable = names.flags.writeable = False
        answers[id(values)] = (values, codes, names)
    return codes, names


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=False)`` without its search for missing
    values (one pass over every cell: 14 ms a million-row column, a third of the whole),
    needed only to make None and NaN one value; a column holding either takes that way.
    Whether one does is asked of the distinct values: joining them succeeds only for
    text, in a third of the time ``pd.isna`` takes over a million distinct ids."""
    codes, names = factorize_array(values, use_na_sentinel=False)
    try:
        "".join(names)
    except TypeError:  # something other than text: missing, perhaps
        if pd.isna(names).any():
            return pd.factorize(values, use_na_sentinel=False)
    return codes, names


def column(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``factorize`` of one column of ``frame`` (the same array each time it is asked)."""
    return factorize(frame[name].to_numpy(dtype=object))
