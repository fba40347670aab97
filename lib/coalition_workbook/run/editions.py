"""The published set, declared once: each edition's language, reports folder, label and
whether its run takes screenshots (``[tool.workbook]`` in ``pyproject.toml``).

Plain ``workbook run`` (``make report``, cron, systemd) builds every declared edition,
each ``index.html`` linking the others. A run with other parameters or notebooks is an
ad-hoc run: it publishes to a folder of its own (``--reports``) and never replaces a
declared edition.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data import config
from ..data.errors import ParameterError
from .params import NOTEBOOKS, defaults


@dataclass(frozen=True)
class Declared:
    """One declared edition."""

    lang: str
    reports: str  # the reports folder, relative to the project root
    label: str  # how the other editions' pages name it ("العربية")
    screenshots: bool

    def params(self) -> dict[str, Any]:
        """The run parameters of this edition: the defaults in its language."""
        return {**defaults(), "lang": self.lang}


#: Without a declaration, the project publishes one English edition in reports/.
DEFAULT = (Declared("en", "reports", "English", False),)


def declared(root: Path | None = None) -> tuple[Declared, ...]:
    """The editions ``pyproject.toml`` declares, in order.

    Raises:
        ParameterError: A declaration without a language or folder, or two editions in
            one folder, named by the file and the edition.
    """
    path = (root or config.ROOT) / "pyproject.toml"
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT
    rows = table.get("tool", {}).get("workbook", {}).get("editions", [])
    if not rows:
        return DEFAULT
    out = []
    for i, row in enumerate(rows, start=1):
        if not row.get("lang") or not row.get("reports"):
            raise ParameterError(f"{path}: [[tool.workbook.editions]] number {i} needs lang "
                                 "and reports")
        out.append(Declared(str(row["lang"]), str(row["reports"]).rstrip("/"),
                            str(row.get("label") or row["lang"]),
                            bool(row.get("screenshots", False))))
    folders = [e.reports for e in out]
    if len(set(folders)) != len(folders):
        raise ParameterError(f"{path}: two editions share one reports folder")
    return tuple(out)


def links(edition: Declared, editions: Sequence[Declared]) -> list[tuple[str, str, str]]:
    """(label, href, lang) of every other edition, relative to this one's latest/ folder.

    Examples:
        >>> en, ar = Declared("en", "reports", "English", True), Declared("ar", "reports/ar",
        ...                                                              "العربية", True)
        >>> links(en, [en, ar]), links(ar, [en, ar])[0][1]
        ([('العربية', '../ar/latest/index.html', 'ar')], '../../latest/index.html')
    """
    here = Path(edition.reports) / "latest"
    return [(e.label, Path(os.path.relpath(Path(e.reports) / "latest" / "index.html", here))
             .as_posix(), e.lang) for e in editions if e != edition]


def check_ad_hoc(reports: str | None, params: Mapping[str, Any], notebooks: Sequence[str],
                 with_code: bool, editions: Sequence[Declared]) -> Declared | None:
    """The declared edition a run's folder holds, or None; a run that would replace an
    edition with something else is refused.

    A run is the edition of its folder only with that edition's parameters and every
    notebook, code hidden (then it is run as declared: its links and screenshots);
    anything else goes to a folder no edition declares.

    Raises:
        ParameterError: With the one-line hint (the option to add).
    """
    folder = (reports or "reports").rstrip("/")
    mine = next((e for e in editions if e.reports == folder), None)
    if mine is None:
        return None
    same = {**defaults(), **params} == mine.params() and list(notebooks) == list(NOTEBOOKS) \
        and not with_code
    if not same:
        raise ParameterError(
            f"{folder}/ holds the declared {mine.label} edition, which this run would "
            "replace; give it a folder of its own, e.g. --reports reports/draft "
            "(plain `workbook run` rebuilds the declared editions)", parameter="--reports")
    return mine
