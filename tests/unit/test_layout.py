"""The package's structure: stock public APIs only, and imports that only go down the stages.

The stages, bottom to top: ``data`` (tables in, checked), ``figures`` (derived),
``pages`` (shown), ``run`` (published), then ``cli``. A module may import its own stage
and the ones below, never one above, so nothing can import in a circle across stages.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from coalition_workbook.data import config

PACKAGE = config.ROOT / "lib" / "coalition_workbook"
STAGES = ("data", "figures", "pages", "run", "cli")
MODULES = sorted(PACKAGE.rglob("*.py"))


def _stage(module: str) -> int:
    """The stage of a dotted module name inside the package."""
    part = module.split(".")[1] if module.count(".") else ""
    return STAGES.index(part.removesuffix(".py")) if part in STAGES else -1


def _name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) of every import in a file."""
    here = _name(path).split(".") if path.is_relative_to(PACKAGE) else [path.stem]
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            out.append((node.lineno, module, [a.name for a in node.names]))
    return out


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down_the_stages(path: Path) -> None:
    own = _stage(_name(path)) if path.parent != PACKAGE else STAGES.index("cli")
    for line, module, names in _imports(path):
        if not module.startswith("coalition_workbook"):
            continue
        targets = [module] if module.count(".") else [f"{module}.{n}" for n in names]
        for target in targets:
            assert _stage(target) <= own, f"{path.name}:{line} imports {target}, a later stage"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_public_names_of_other_packages(path: Path) -> None:
    """No private module or name of pandas, jupyter_client, papermill and the rest."""
    for line, module, names in _imports(path):
        if module.startswith("coalition_workbook"):
            continue
        private = [p for p in module.split(".") if p.startswith("_") and p != "__future__"]
        private += [n for n in names if n.startswith("_")]
        assert not private, f"{path.name}:{line} imports {module} {names}: private"


FORBIDDEN_MODULES = {"ctypes": "no allocator or C-level tuning",
                     "weakref": "no memo that outlives its call"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_process_global_machinery(path: Path) -> None:
    """No ctypes, no writes to sys.modules, no memo keyed by object identity (id())."""
    for line, module, _ in _imports(path):
        assert module.split(".")[0] not in FORBIDDEN_MODULES, (
            f"{path.name}:{line} imports {module}: {FORBIDDEN_MODULES.get(module, '')}")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "id", f"{path.name}:{node.lineno} calls id()"
        if isinstance(node, ast.Attribute) and node.attr == "modules" \
                and isinstance(node.value, ast.Name) and node.value.id == "sys":
            pytest.fail(f"{path.name}:{node.lineno} touches sys.modules")


@pytest.mark.parametrize("stage", STAGES[:-1])
def test_each_stage_names_its_public_api(stage: str) -> None:
    package = importlib.import_module(f"coalition_workbook.{stage}")
    assert package.__all__, f"coalition_workbook.{stage} lists no public names"
    missing = [n for n in package.__all__ if not hasattr(package, n)]
    assert not missing, f"coalition_workbook.{stage}.__all__ names what it lacks: {missing}"


def test_the_scan_sees_a_forbidden_import(tmp_path: Path) -> None:
    """The scan itself works: a file importing pandas' private module is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from pandas._libs.lib import is_string_array\nimport ctypes\n")
    found = [(m, n) for _, m, n in _imports(bad)]
    assert ("pandas._libs.lib", ["is_string_array"]) in found and ("ctypes", []) in found
