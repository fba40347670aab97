"""``memory.keep_freed_memory``: freed memory stays in the process for reuse (glibc)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

#: Allocates and touches 256 MB, frees it, prints how much the resident size fell
#: ("unsupported" where the allocator cannot be told: not glibc).
PROBE = """
import os, sys
import numpy as np
from coalition_workbook.memory import keep_freed_memory
if sys.argv[1] == "keep" and not keep_freed_memory():
    sys.exit(print("unsupported"))
def resident():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
block = np.ones(256 << 20, dtype=np.uint8)
before = resident()
del block
print(before - resident())
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc (Linux) only")
def test_a_freed_block_stays_in_the_process_only_when_asked() -> None:
    """Each way in its own process: the setting lasts for the process that asks."""
    out = {mode: subprocess.run([sys.executable, "-c", PROBE, mode], check=True,
                                capture_output=True, text=True).stdout.strip()
           for mode in ("default", "keep")}
    assert out["keep"] != "unsupported", "glibc did not take the settings"
    released = {mode: int(text) for mode, text in out.items()}
    assert released["default"] > 200 << 20, released  # glibc hands the block back at once
    assert released["keep"] < 16 << 20, released  # kept, to be reused without new pages


def test_only_the_workbook_command_asks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cli.main`` (called by tests and programs) leaves the allocator alone; the
    command's entry point asks first."""
    from coalition_workbook import cli

    asked: list[str] = []
    monkeypatch.setattr(cli, "keep_freed_memory", lambda: asked.append("asked"))
    monkeypatch.setattr(sys, "argv", ["workbook", "validate", "--help"])
    assert cli.main() == 0  # (--help)
    assert asked == []
    assert cli.entry() == 0
    assert asked == ["asked"]
