"""distinct: one factorization per column while a dataset is checked, none kept after."""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook import distinct
from coalition_workbook.dataset import load_dataset


@given(st.lists(st.sampled_from(["", "a", "b", "ع", "a "]), max_size=30))
def test_factorize_is_pandas_factorize(cells: list[str]) -> None:
    values = np.array(cells, dtype=object)
    want_codes, want_names = pd.factorize(values, use_na_sentinel=False)
    for kept in (False, True):
        with distinct.shared() if kept else nullcontext():
            codes, names = distinct.factorize(values)
            again = distinct.factorize(values)
        assert codes.tolist() == want_codes.tolist()
        assert names.tolist() == want_names.tolist()
        assert (again[0] is codes) == kept  # kept only inside shared()


def test_an_edited_column_outside_shared_is_factorized_anew() -> None:
    values = np.array(["a", "b"], dtype=object)
    with distinct.shared():
        assert distinct.factorize(values)[1].tolist() == ["a", "b"]
    values[1] = "c"  # edited between two validations
    assert distinct.factorize(values)[1].tolist() == ["a", "c"]
    with distinct.shared():
        assert distinct.factorize(values)[1].tolist() == ["a", "c"]


def test_load_dataset_keeps_nothing_after_it_returns() -> None:
    load_dataset()
    assert distinct._KEPT is None

