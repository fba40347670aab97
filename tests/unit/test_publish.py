"""Lock, atomic publish, recovery after a killed run, history."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from coalition_workbook.data.errors import RunLockedError
from coalition_workbook.run import publish


def test_second_run_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    layout = publish.Layout(tmp_path)
    with publish.run_lock(layout), pytest.raises(RunLockedError, match="--wait") as info, \
            publish.run_lock(layout, wait=0):
        pass
    assert info.value.exit_code == 3
    assert str(os.getpid()) in str(info.value)


def test_second_run_waits_for_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second run that finds the lock held waits, and takes it once the first lets go.

    The order of events is what is checked, not how long anything took: the second
    run's pause between attempts (``time.sleep`` in ``run_lock``) is recorded, and
    the first run holds the lock until the second has been seen waiting.
    """
    events: list[str] = []
    held = threading.Event()
    waiting = threading.Event()

    def pause(seconds: float) -> None:
        if not waiting.is_set():
            events.append("second waits")
            waiting.set()
        time.sleep(0.01)

    monkeypatch.setattr(publish, "time", SimpleNamespace(monotonic=time.monotonic, sleep=pause))

    def first() -> None:
        with publish.run_lock(publish.Layout(tmp_path)):
            events.append("first holds")
            held.set()
            waiting.wait(30)
            events.append("first releases")  # the lock is released right after this

    t = threading.Thread(target=first)
    t.start()
    assert held.wait(30)
    with publish.run_lock(publish.Layout(tmp_path), wait=60):
        events.append("second holds")
    t.join()
    assert events == ["first holds", "second waits", "first releases", "second holds"]


def _stage(layout: publish.Layout, run_id: str, text: str) -> Path:
    d = layout.staging / run_id
    d.mkdir(parents=True)
    (d / "manifest.json").write_text(text, encoding="utf-8")
    return d


def test_publish_swaps_latest_and_keeps_the_previous_run(tmp_path: Path) -> None:
    layout = publish.Layout(tmp_path / "reports")
    publish.publish(layout, _stage(layout, "r1", "one"), "r1")
    assert (layout.latest / "manifest.json").read_text() == "one"
    publish.publish(layout, _stage(layout, "r2", "two"), "r2")
    assert layout.latest.is_symlink()
    assert (layout.latest / "manifest.json").read_text() == "two"
    assert (layout.history / "r1" / "manifest.json").read_text() == "one"
    assert not (layout.runs / "r1").exists()
    assert not list(layout.reports.glob(".latest.tmp-*"))


def test_recover_after_a_run_killed_mid_publish(tmp_path: Path) -> None:
    layout = publish.Layout(tmp_path / "reports")
    publish.publish(layout, _stage(layout, "r1", "one"), "r1")
    # killed after the rename into runs/ and the temp symlink, before the swap
    _stage(layout, "r2", "two").rename(layout.runs / "r2")
    os.symlink("runs/r2", layout.reports / ".latest.tmp-r2")
    _stage(layout, "r3", "three")  # and a staging folder of a run killed earlier
    assert (layout.latest / "manifest.json").read_text() == "one"
    done = publish.recover(layout)
    assert len(done) == 3, done
    assert (layout.latest / "manifest.json").read_text() == "one"
    assert not list(layout.reports.glob(".latest.tmp-*"))
    assert not list(layout.staging.iterdir())
    assert (layout.history / "r2").is_dir()
    publish.publish(layout, _stage(layout, "r4", "four"), "r4")
    assert (layout.latest / "manifest.json").read_text() == "four"


def test_recover_adopts_a_plain_latest_folder(tmp_path: Path) -> None:
    layout = publish.Layout(tmp_path / "reports")
    layout.latest.mkdir(parents=True)
    (layout.latest / "metrics.csv").write_text("old", encoding="utf-8")
    publish.recover(layout)
    assert layout.latest.is_symlink()
    assert (layout.latest / "metrics.csv").read_text() == "old"
    publish.publish(layout, _stage(layout, "r1", "one"), "r1")
    assert next(p.name for p in layout.history.iterdir()).startswith("legacy-")


def test_history_is_pruned(tmp_path: Path) -> None:
    layout = publish.Layout(tmp_path / "reports")
    for i in range(publish.KEEP_HISTORY + 3):
        publish.publish(layout, _stage(layout, f"r{i:02d}", str(i)), f"r{i:02d}")
    assert len(list(layout.history.iterdir())) == publish.KEEP_HISTORY


