"""distinct: one factorization per column while a dataset is checked, none kept after."""

from __future__ import annotations

import shutil
import sys
import threading
from contextlib import nullcontext

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition_workbook import distinct
from coalition_workbook.config import DATA_DIR
from coalition_workbook.dataset import load_dataset
from coalition_workbook.errors import TableValidationError


@given(st.lists(st.sampled_from(["", "a", "b", "ع", "a ", None, float("nan")]), max_size=30))
def test_factorize_is_pandas_factorize(cells: list[str | float | None]) -> None:
    values = np.array(cells, dtype=object)
    want_codes, want_names = pd.factorize(values, use_na_sentinel=False)
    for kept in (False, True):
        with distinct.shared() if kept else nullcontext():
            codes, names = distinct.factorize(values)
            again = distinct.factorize(values)
        assert codes.tolist() == want_codes.tolist()
        assert pd.Series(names).equals(pd.Series(want_names))  # (NaN equals NaN here)
        assert (again[0] is codes) == kept  # kept only inside shared()


_TEXTS = ("", "a", "b", "ع", "a ")


@given(st.lists(st.tuples(st.sampled_from(range(len(_TEXTS) + 2)), st.booleans()),
                max_size=60))
def test_factorize_by_identity_is_pandas_factorize(picks: list[tuple[int, bool]]) -> None:
    """Cells that are one shared object, and equal texts that are separate objects (as
    two chunks of pandas' reader make them), number as pandas numbers the values."""
    shared = [*_TEXTS, None, float("nan")]

    def copy(cell: str | float | None) -> str | float | None:  # equal, another object
        return "".join(list(cell)) if isinstance(cell, str) else cell and cell + 0.0

    cells = [shared[i] if same else copy(shared[i]) for i, same in picks]
    values = np.array(cells, dtype=object)
    want_codes, want_names = pd.factorize(values, use_na_sentinel=False)
    codes, names = distinct._by_identity(values)
    assert codes.tolist() == want_codes.tolist()
    assert pd.Series(names).equals(pd.Series(want_names))


@given(st.lists(st.tuples(st.sampled_from(_TEXTS), st.booleans(), st.booleans()),
                max_size=20), st.booleans())
def test_same_cells_is_cell_for_cell_equality(cells: list[tuple[str, bool, bool]],
                                              strided: bool) -> None:
    """Equal whether a cell is the same object, an equal copy or an edited value."""
    old = np.array([t for t, _, _ in cells], dtype=object)
    new = old.copy()
    for i, (text, copied, edited) in enumerate(cells):
        if edited:
            new[i] = text + "x"
        elif copied:
            new[i] = "".join(list(text))
    if strided:
        old, new = old[::2], new[::2]
    assert distinct.same_cells(old, new) == bool((old == new).all())
    assert not distinct.same_cells(old, new[:-1]) or len(old) == 0


@pytest.mark.parametrize("inside", [True, False])
def test_a_read_column_of_few_texts_is_factorized_by_identity(tmp_path, monkeypatch,
                                                              inside: bool) -> None:
    """Inside ``shared()`` (the column held still) a long column read from CSV takes the
    identity way and a column of distinct ids the value way; outside, every column the
    value way. All answer as pandas does."""
    rows = 8 * distinct._PROBE
    path = tmp_path / "t.csv"
    pd.DataFrame({"unit": np.resize(["usd", "persons", "ع"], rows),
                  "id": [f"fig_{i}" for i in range(rows)]}).to_csv(path, index=False)
    frame = pd.read_csv(path, dtype="str")  # text columns, as load_table gives them
    taken: list[str] = []
    for way in ("_by_identity", "_by_value"):
        real = getattr(distinct, way)
        monkeypatch.setattr(distinct, way, lambda v, real=real, way=way: (
            taken.append(way), real(v))[1])
    for name, way in (("unit", "_by_identity"), ("id", "_by_value")):
        taken.clear()
        with distinct.shared() if inside else nullcontext():
            codes, names = distinct.factorize(frame[name].to_numpy(dtype=object))
        assert taken[0] == (way if inside else "_by_value")
        want_codes, want_names = pd.factorize(frame[name], use_na_sentinel=False)
        assert codes.tolist() == want_codes.tolist()
        assert names.tolist() == want_names.tolist()


def test_a_column_written_by_another_thread_is_answered_at_one_moment() -> None:
    """The identity way lets other threads run while it numbers addresses: a thread
    flipping one cell meanwhile must not make another cell's answer wrong (the column
    is frozen first: the flip waits, or fails, until the block ends)."""
    values = np.full(5 * distinct._PROBE, "".join(["a"]), dtype=object)
    values[-1] = "".join(["b"])
    stop = threading.Event()

    def flip() -> None:
        while not stop.is_set():
            try:
                values[100] = "b"
                values[100] = "a"
            except ValueError:  # read-only while a block holds it
                pass

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    writer = threading.Thread(target=flip)
    writer.start()
    wrong = 0
    try:
        for _ in range(1500):
            with distinct.shared():
                codes, names = distinct.factorize(values)
            wrong += names[codes[-1]] != "b"
    finally:
        stop.set()
        writer.join()
        sys.setswitchinterval(switch)
    assert wrong == 0


def test_an_edited_column_outside_shared_is_factorized_anew() -> None:
    values = np.array(["a", "b"], dtype=object)
    with distinct.shared():
        assert distinct.factorize(values)[1].tolist() == ["a", "b"]
    values[1] = "c"  # edited between two validations
    assert distinct.factorize(values)[1].tolist() == ["a", "c"]
    with distinct.shared():
        assert distinct.factorize(values)[1].tolist() == ["a", "c"]


def test_a_column_cannot_be_edited_while_its_answer_is_kept() -> None:
    """Inside ``shared()`` an edit would make the kept answer stale: it is refused, and
    the column takes edits again once the block ends."""
    frame = pd.DataFrame({"unit": pd.Series(["usd", "persons", "usd"], dtype="str")})
    with distinct.shared():
        names = distinct.column(frame, "unit")[1]
        with pytest.raises(ValueError, match="read-only"):
            frame.loc[1, "unit"] = "usd"
        with pytest.raises(ValueError, match="read-only"):
            names[0] = "eur"
        assert distinct.column(frame, "unit")[1].tolist() == frame["unit"].unique().tolist()
    frame.loc[1, "unit"] = "usd"
    assert distinct.column(frame, "unit")[1].tolist() == ["usd"]


def test_each_thread_has_its_own_block() -> None:
    values = np.array(["a", "b"], dtype=object)
    seen: list[bool] = []

    def other() -> None:  # no block here, whatever the main thread holds
        seen.append(distinct.factorize(values)[0] is distinct.factorize(values)[0])
        values_there = np.array(["x"], dtype=object)
        distinct.factorize(values_there)
        seen.append(values_there.flags.writeable)

    with distinct.shared():
        distinct.factorize(values)
        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
    assert seen == [False, True]


@pytest.mark.parametrize("damage", [None, "unit"])
def test_load_dataset_keeps_nothing_after_it_returns_or_raises(tmp_path, damage) -> None:
    """Nothing kept and every column writable again, whether the tables pass or not."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    if damage:
        figures = tmp_path / "data" / "figures.csv"
        table = pd.read_csv(figures, dtype=str, keep_default_na=False)
        table.loc[0, damage] = "parsecs"
        table.to_csv(figures, index=False)
    try:
        ds = load_dataset(tmp_path / "data" / "figures.csv")
    except TableValidationError:
        assert damage
    else:
        assert not damage
        assert all(ds.figures[c].to_numpy(dtype=object).flags.writeable for c in ds.figures)
    assert distinct._KEPT.answers is None

