"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Each write goes to a temporary file in the target's folder (same file system,
so the rename is atomic), is made world-readable like a normal file (mkstemp
creates it 0600), then renamed over the target.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: str | Path, write: Callable[[str], object], *,
                 suffix: str = ".tmp") -> None:
    """Call ``write(tmp_path)``, then rename the result over ``path``.

    The folder is created if missing. On any error the temporary file is removed and
    the error propagates; ``path`` is untouched. ``suffix`` is the temporary file's
    ending, for writers that choose a format by it (Playwright's screenshots).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 text with LF line ends atomically (see ``atomic_write``)."""
    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8", newline="\n"))
