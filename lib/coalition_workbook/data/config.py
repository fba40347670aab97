"""Every path the workbook uses, computed once from the project root.

The root is the folder holding ``data/`` and ``notebooks/``. It defaults to the
checkout this package was installed from (editable install) and can be moved
with ``WORKBOOK_ROOT`` so tests can run a copy of the project in a temp folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """Return the project root: ``$WORKBOOK_ROOT`` if set, else this checkout."""
    env = os.environ.get("WORKBOOK_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[3]


ROOT = project_root()
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
FIGURES_CSV = DATA_DIR / "figures.csv"
FORCES_CSV = DATA_DIR / "forces.csv"
RELATIONS_CSV = DATA_DIR / "relations.csv"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
LATEST_DIR = REPORTS_DIR / "latest"  # publish.Layout names the other folders under reports/
BASELINE_METRICS_CSV = ROOT / "tests" / "baselines" / "metrics.csv"


def resolve(path: str | Path) -> Path:
    """A user-given path: absolute as is, else relative to the project root.

    Notebooks run with the notebooks folder (JupyterLab) or the project root
    (papermill) as working directory; resolving against the root makes
    ``figures_path = "data/figures.csv"`` mean the same file in both.
    """
    p = Path(path).expanduser()
    return p if p.is_absolute() else ROOT / p


def beside_figures(figures_path: str | Path, name: str) -> Path:
    """A companion of a figures table: ``name`` in its folder if there, else the project's.

    The one rule for where ``forces.csv``, ``relations.csv`` and ``sources/``
    of a figures table are (beside it as given: resolve it first
    if it is relative to the project root): a self-contained data folder (a test fixture, the
    benchmark's synthetic tables) brings its own; otherwise ``data/`` has them.
    """
    local = Path(figures_path).parent / name
    return local if local.exists() else DATA_DIR / name
