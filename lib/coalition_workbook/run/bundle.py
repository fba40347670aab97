"""One zip to share: every declared edition's published pages, with their source pages,
data package and run records, laid out so the links between them work wherever the zip
is unpacked.

Each edition's ``latest/`` goes to the folder its reports folder has under ``reports/``
(English ``latest/``, Arabic ``ar/latest/``), under one top folder: the editions link
each other with the same relative hrefs as in ``reports/``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..data import config
from ..data.errors import WorkbookError
from ..data.files import atomic_write
from .editions import Declared, declared

#: The folder the zip unpacks to.
TOP = "coalition-workbook"


def bundle_members(editions: tuple[Declared, ...] | None = None) -> dict[str, Path]:
    """Name in the zip -> published file, for every file of every declared edition.

    Raises:
        WorkbookError: An edition that has not been published yet, named.
    """
    out: dict[str, Path] = {}
    for e in editions or declared():
        latest = config.ROOT / e.reports / "latest"
        if not (latest / "index.html").is_file():
            raise WorkbookError(f"the {e.label} edition is not published yet "
                                f"({e.reports}/latest/index.html missing): run `workbook run`",
                                file=str(latest))
        where = Path(e.reports).relative_to("reports") if e.reports != "reports" else Path()
        for path in sorted(p for p in latest.rglob("*") if p.is_file()):
            name = (Path(TOP) / where / "latest" / path.relative_to(latest)).as_posix()
            out[name] = path
    return out


def write_bundle(out: Path) -> int:
    """Write the zip atomically (a reader sees the old zip or the new one); returns how
    many files it holds."""
    members = bundle_members()

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, path in members.items():
                z.write(path, name)

    atomic_write(out, write)
    return len(members)
