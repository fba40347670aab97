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

A column held still that way, and made of few objects (pandas' CSV reader makes
one object per distinct text in each chunk), is numbered by its cells' addresses
first (``_by_identity``): 8 ms a million cells instead of 25-40 ms.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
from pandas._libs.lib import is_string_array
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
    if answers is None:  # nothing holds the column still: numbered by value, the GIL held
        return _by_value(values)
    kept = answers.get(id(values))
    if kept is not None and kept[0] is values:
        return kept[1], kept[2]
    # Frozen before it is numbered: the identity way lets other threads run, and no
    # edit through pandas can land meanwhile (an array read-only already may be a view
    # of one that is not: numbered by value).
    held = values.flags.writeable
    if held:
        values.flags.writeable = False
        _KEPT.frozen.append(values)
    codes, names = _by_identity(values) if held and _few_objects(values) else _by_value(values)
    codes.flags.writeable = names.flags.writeable = False
    answers[id(values)] = (values, codes, names)
    return codes, names


#: Cells looked at to guess whether a column repeats its objects (``_few_objects``).
_PROBE = 8192


def _few_objects(values: np.ndarray) -> bool:
    """Whether a long column's cells are mostly the same few objects (pandas' CSV reader
    makes one object per distinct text in each chunk it reads): then factorising the
    cells' addresses first is cheaper. A guess from the first cells; only the speed
    depends on it, never the answer."""
    if (values.ndim != 1 or len(values) < 4 * _PROBE or values.dtype != object
            or not values.flags.c_contiguous):
        return False
    probe = _addresses(values[:_PROBE])
    return len(np.unique(probe)) <= _PROBE // 2


def _addresses(values: np.ndarray) -> np.ndarray:
    """Each cell's object address (the object array's own memory, read as integers;
    read-only: a write there would corrupt the array)."""
    addresses = np.frombuffer(memoryview(values), dtype=np.intp)
    addresses.flags.writeable = False
    return addresses


def _by_identity(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Factorise the cells' addresses (integers: no string hashed or compared), then
    only the one object behind each distinct address by value.

    Sound because one address is one object, hence one value, while the cells are
    held; several objects with the same value meet again in the second step. Order of
    first appearance survives: addresses are numbered in that order, and a value's
    first address comes before any other of its addresses. The integer factorize lets
    other threads run: ``values`` must hold still (``factorize`` freezes it first).
    """
    slots, _ = factorize_array(_addresses(values), use_na_sentinel=False)
    codes, names = _by_value(values[first_rows(slots)])
    return codes[slots], names


def _by_value(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=False)`` without its search for missing
    values (one pass over every cell: 14 ms a million-row column, a third of the whole),
    needed only to make None and NaN one value; a column holding either takes that way.
    Whether one does is asked of the distinct values: are they all text (one C loop of
    type checks, 6 ms over a million distinct ids, a sixth of ``pd.isna``'s time)?"""
    codes, names = factorize_array(values, use_na_sentinel=False)
    if len(names) and not is_string_array(names, skipna=False) and pd.isna(names).any():
        return pd.factorize(values, use_na_sentinel=False)
    return codes, names


def first_rows(codes: np.ndarray) -> np.ndarray:
    """Where each code of a factorize first appears (codes number values by first
    appearance, so code k first appears where the running maximum rises: no sort).

    Examples:
        >>> first_rows(np.array([0, 1, 0, 2, 1])).tolist()
        [0, 1, 3]
    """
    peak = np.maximum.accumulate(codes)
    return np.flatnonzero(np.r_[True, peak[1:] > peak[:-1]]) if len(codes) else codes[:0]


def same_cells(old: np.ndarray, new: np.ndarray) -> bool:
    """Whether two columns hold equal cells, asked first of the cells' objects: the very
    same ones (addresses compared as integers, no text read) are equal. Sound while
    ``old`` is held: its objects cannot be freed, so no other object takes an address."""
    if len(old) != len(new):
        return False
    if (old.dtype == new.dtype == object and old.ndim == new.ndim == 1 and old.flags.c_contiguous
            and new.flags.c_contiguous and np.array_equal(_addresses(old), _addresses(new))):
        return True
    return bool((old == new).all())


def column(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """``factorize`` of one column of ``frame`` (the same array each time it is asked)."""
    return factorize(frame[name].to_numpy(dtype=object))
