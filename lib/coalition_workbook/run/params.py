"""The run's parameters: the spec, typing ``-p`` values, YAML files, checking.

Pandas-free, so a bad parameter is refused (exit 2) before anything heavy is
imported. Every notebook's ``parameters`` cell must declare exactly ``SPEC``
with its defaults; ``notebook_parameters`` is the one reader of that cell.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data import config
from ..data.errors import ParameterError
from ..data.vocab import BOUNDS, LANGS

NOTEBOOKS = ("trainees", "aid", "coalition", "summary")


@dataclass(frozen=True)
class Param:
    """One declared notebook parameter.

    Attributes:
        name: As assigned in each notebook's ``parameters`` cell.
        type: The Python type the value must have (``bool`` is not an ``int``).
        default: The notebooks' default (the standard report).
        choices: Allowed values, if the parameter is an enumeration.
        minimum, maximum: Allowed range for numbers, inclusive.
        existing_file: The value is a path (relative to the project root) that must exist.
        help: One line for ``workbook run --help``.
    """

    name: str
    type: type
    default: Any
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    existing_file: bool = False
    help: str = ""

    def describe(self) -> str:
        """The allowed values in words, for messages and help."""
        if self.choices:
            return "one of " + ", ".join(str(c) for c in self.choices)
        if self.minimum is not None or self.maximum is not None:
            return f"an {self.type.__name__} from {self.minimum} to {self.maximum}"
        if self.existing_file:
            return "an existing file (absolute, or relative to the project root)"
        return f"a {self.type.__name__}"

    def check(self, value: Any) -> Any:
        """Return ``value`` if it is allowed, else raise ParameterError naming the parameter."""
        if not isinstance(value, self.type) or (self.type is not bool and isinstance(value, bool)):
            raise _param_error(self.name, f"must be {self.describe()}; got "
                               f"{type(value).__name__} {value!r}")
        if self.choices is not None and value not in self.choices:
            raise _param_error(self.name, f"{value!r} is not allowed; use {self.describe()}")
        if (self.minimum is not None and value < self.minimum) or \
                (self.maximum is not None and value > self.maximum):
            raise _param_error(self.name, f"{value!r} is out of range; use {self.describe()}")
        if self.existing_file and not config.resolve(value).is_file():
            path = config.resolve(value)
            what = "is a folder, not a file" if path.is_dir() else "no such file"
            raise _param_error(self.name, f"{what}: {path}")
        return value


def _param_error(name: str, reason: str) -> ParameterError:
    return ParameterError(f"parameter {name}: {reason}", parameter=name)


SPEC: dict[str, Param] = {p.name: p for p in (
    Param("lang", str, "en", choices=LANGS, help="language of headings and labels"),
    Param("bounds", str, "as_lower_bound", choices=BOUNDS,
          help="how 'more than' figures enter totals"),
    Param("figures_path", str, "data/figures.csv", existing_file=True,
          help="the curated figures table"),
    Param("decimals", int, 1, minimum=0, maximum=6, help="digits shown for shares"),
)}


def defaults() -> dict[str, Any]:
    """The standard report's parameters."""
    return {name: p.default for name, p in SPEC.items()}


def guess_type(text: str) -> Any:
    """Type a ``-p NAME VALUE`` string the way papermill's CLI does.

    Examples:
        >>> [guess_type(s) for s in ("1", "1.5", "True", "None", "ar")]
        [1, 1.5, True, None, 'ar']
    """
    literals = {"True": True, "False": False, "None": None}
    if text in literals:
        return literals[text]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def load_parameters_file(path: str | Path) -> dict[str, Any]:
    """Parameters from a YAML mapping (values keep their YAML types).

    Raises:
        ParameterError: If the file is missing, not YAML, or not a mapping of names.
    """
    import yaml

    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ParameterError(f"cannot read parameters file: {exc.strerror}",
                             file=str(p)) from exc
    except UnicodeDecodeError as exc:
        raise ParameterError(f"parameters file is not UTF-8 (byte 0x{exc.object[exc.start]:02x} "
                             f"at offset {exc.start})", file=str(p)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"not valid YAML{where}: {problem}", file=str(p)) from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ParameterError("parameters file must be a mapping of NAME: VALUE", file=str(p))
    return data


def check_parameters(given: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults overridden by ``given``, every value checked against ``SPEC``.

    Raises:
        ParameterError: The first unknown name, wrong type or bad value, naming
            the parameter (``.parameter`` holds the name).
    """
    for name in given:
        if name not in SPEC:
            raise _param_error(name, f"unknown parameter; known: {', '.join(SPEC)}")
    params = defaults()
    params.update(given)
    for p in SPEC.values():
        p.check(params[p.name])
    return params


def resolve_parameters(cli_pairs: Sequence[tuple[str, str]] = (),
                       parameters_file: str | Path | None = None) -> dict[str, Any]:
    """Spec defaults < YAML file < ``-p`` pairs (papermill-typed), all checked."""
    given: dict[str, Any] = {}
    if parameters_file:
        given.update(load_parameters_file(parameters_file))
    for name, text in cli_pairs:
        given[name] = guess_type(text)
    return check_parameters(given)


def notebook_path(name: str) -> Path:
    """``notebooks/<name>.ipynb`` under the project root."""
    return config.ROOT / "notebooks" / f"{name}.ipynb"


def parameters_cell(nb: Mapping[str, Any]) -> str | None:
    """The source of a notebook's first code cell tagged ``parameters`` (None if none)."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
                "tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    return None


def notebook_parameters(nb: Path | Mapping[str, Any]) -> dict[str, Any]:
    """The names and literal defaults of a notebook's ``parameters`` cell.

    Args:
        nb: The notebook's path, or the notebook already read (a JSON mapping
            or an ``nbformat`` node).

    Raises:
        ParameterError: If there is no such cell, or it holds anything but
            ``name = literal`` lines.
    """
    where = str(nb) if isinstance(nb, Path) else "notebook"
    if isinstance(nb, Path):
        nb = json.loads(nb.read_text(encoding="utf-8"))
    source = parameters_cell(nb)
    if source is None:
        raise ParameterError(f"{where}: no code cell tagged 'parameters'")
    out: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            raise ParameterError(f"{where}: parameters cell must hold only "
                                 f"'name = literal' lines (line {node.lineno})")
        try:
            out[node.targets[0].id] = ast.literal_eval(node.value)
        except ValueError as exc:
            raise ParameterError(f"{where}: parameter {node.targets[0].id} has a "
                                 f"non-literal default (line {node.lineno})") from exc
    return out


def check_notebook(nb_path: Path) -> None:
    """Check that a notebook's ``parameters`` cell declares exactly ``SPEC`` and its defaults.

    Raises:
        ParameterError: Naming the notebook and the parameters that differ.
    """
    declared = notebook_parameters(nb_path)
    missing = [n for n in SPEC if n not in declared]
    extra = [n for n in declared if n not in SPEC]
    if missing or extra:
        raise ParameterError(f"{nb_path}: parameters cell differs from the runner's spec "
                             f"(missing: {', '.join(missing) or '-'}; "
                             f"not in spec: {', '.join(extra) or '-'})")
    for name, value in declared.items():
        if value != SPEC[name].default or type(value) is not SPEC[name].type:
            raise ParameterError(f"{nb_path}: parameter {name} defaults to {value!r}, "
                                 f"the spec to {SPEC[name].default!r}")


def select_notebooks(notebooks: Sequence[str]) -> list[str]:
    """The requested notebooks in ``NOTEBOOKS`` order, each checked against the spec.

    Raises:
        ParameterError: An unknown notebook, or a parameters cell that differs from ``SPEC``.
    """
    unknown = [n for n in notebooks if n not in NOTEBOOKS]
    if unknown:
        raise ParameterError(f"unknown notebook {unknown[0]}; known: {', '.join(NOTEBOOKS)}")
    names = [n for n in NOTEBOOKS if n in notebooks]
    for n in names:
        check_notebook(notebook_path(n))
    return names
