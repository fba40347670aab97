"""What a report depends on, hashed: inputs, parameters, notebooks, library, versions.

Equal fingerprints mean a rerun would publish the same report, so ``workbook
run`` skips it. Nothing here parses a table or imports pandas: an up-to-date
run decides in well under a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..data import config, schema
from .params import notebook_path

#: Packages whose versions can change a report (their upgrade triggers a real run).
PACKAGES = ("coalition-workbook", "papermill", "nbclient", "nbconvert", "nbformat",
            "ipykernel", "jupyter_client", "altair", "vl-convert-python", "pandas", "pandera",
            "numpy", "pyyaml")


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def rel(path: Path) -> str:
    """A path relative to the project root when inside it, else absolute."""
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(config.ROOT))
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def input_files(figures_path: str | Path) -> list[Path]:
    """Every data file a run may read, found without parsing any table: every curated
    table (``schema.table_files``: figures, forces, relations, the vocabularies and
    ignored.csv, beside the figures table or the project's) and every file of its
    ``sources/`` folder (articles and sidecars)."""
    figures = config.resolve(figures_path)
    files = [p for p in schema.table_files(figures) if p.exists()]
    sources = config.beside_figures(figures, "sources")
    files += sorted(p for p in sources.rglob("*") if p.is_file())
    return files


def library_files() -> list[Path]:
    """The package's own source and templates (a change there triggers a real run)."""
    pkg = Path(__file__).resolve().parents[1]  # the whole package, not only run/
    return sorted(p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def page_templates() -> list[Path]:
    """The templates and stylesheets pages are rendered with (part of ``library_files``),
    listed in the manifest beside the data they render."""
    return [p for p in library_files() if p.suffix in (".j2", ".css", ".json")]


def package_versions() -> dict[str, str]:
    """Python and the versions of the packages a report depends on."""
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(root: Path) -> dict[str, Any]:
    """The checked-out commit and whether tracked files differ from it (None without git)."""
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                                 text=True, timeout=10, check=True)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip()

    commit = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"commit": commit, "dirty": bool(dirty) if dirty is not None else None}


def fingerprint(params: Mapping[str, Any], notebooks: Sequence[str], *,
                with_code: bool = False, extra: Mapping[str, Any] | None = None) -> str:
    """Hash of everything a report depends on: inputs, parameters, notebooks, library
    source, and the versions of Python and the packages that execute and render.

    ``extra`` holds anything else the caller's output depends on (e.g. the
    runner's kernel name).
    """
    h = hashlib.sha256()
    h.update(json.dumps({"parameters": dict(params), "notebooks": list(notebooks),
                         "with_code": with_code, "extra": dict(extra or {}),
                         "versions": package_versions()}, sort_keys=True).encode())
    files = [*input_files(params["figures_path"]),
             *(notebook_path(n) for n in notebooks), *library_files()]
    for f in files:
        h.update(f"\0{rel(f)}\0".encode())
        h.update(sha256_file(f).encode() if f.exists() else b"missing")
    return h.hexdigest()
