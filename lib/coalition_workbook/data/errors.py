"""Everything a user can get wrong, as one exception hierarchy.

Low-level functions raise with the offending value only; callers that know the
location (``schema.load_table``) fill in ``file``, ``row`` (spreadsheet row,
header = 1) and ``column``. The CLI prints ``str(error)`` and exits with
``error.exit_code``; no traceback reaches the user.

Every exception declares its fields (dataclasses, as papermill's exceptions
carry ``cell_index`` and ``exec_count``): nothing is attached after creation,
so a test or a caller can rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(eq=False)
class WorkbookError(Exception):
    """Base class: a problem the user can fix. Exit code 2 unless stated.

    Attributes:
        reason: What is wrong, without the location.
        file, row, column: Where, when known (row as a spreadsheet shows it).
    """

    reason: str = ""
    file: str | None = field(default=None, kw_only=True)
    row: int | None = field(default=None, kw_only=True)
    column: str | None = field(default=None, kw_only=True)

    exit_code: ClassVar[int] = 2

    def __post_init__(self) -> None:
        Exception.__init__(self, self.reason)

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        return f"{where}: {self.reason}" if where else self.reason


class NumeralParseError(WorkbookError):
    """A figure cannot be read as a number."""


@dataclass(frozen=True)
class Problem:
    """One located validation problem: ``file:row:column: reason``."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        return f"{where}: {self.reason}"


@dataclass(eq=False)
class TableValidationError(WorkbookError):
    """A curated table breaks its schema. Carries every problem, not just the first;
    ``file``, ``row`` and ``column`` are the first problem's."""

    problems: list[Problem] = field(default_factory=list, kw_only=True)

    def __post_init__(self) -> None:
        self.problems = list(self.problems)
        if self.problems:
            first = self.problems[0]
            self.file, self.row, self.column = first.file, first.row, first.column
            if not self.reason:
                self.reason = "\n".join(str(p) for p in self.problems)
        super().__post_init__()

    def __str__(self) -> str:
        if self.problems:
            n = len(self.problems)
            head = "\n".join(str(p) for p in self.problems)
            return head if n == 1 else f"{head}\n{n} problems found"
        return super().__str__()


@dataclass(eq=False)
class ParameterError(WorkbookError):
    """A run parameter is unknown, of the wrong type, or outside its allowed values.

    Attributes:
        parameter: The parameter's name, when one parameter is at fault.
    """

    parameter: str | None = field(default=None, kw_only=True)


class RunLockedError(WorkbookError):
    """Another run holds the lock."""

    exit_code = 3


@dataclass(eq=False)
class NotebookRunError(WorkbookError):
    """A notebook cell failed during a run.

    Attributes:
        notebook: The first failing notebook's name.
        cell_index: Its failing cell (papermill's ``cell_index``), if known.
        results: Every notebook's outcome (``execute.NotebookResult``).
    """

    notebook: str | None = field(default=None, kw_only=True)
    cell_index: int | None = field(default=None, kw_only=True)
    results: list[Any] = field(default_factory=list, kw_only=True)

    exit_code: ClassVar[int] = 1


@dataclass(eq=False)
class ExportError(WorkbookError):
    """Rendering an executed notebook to HTML failed.

    Attributes:
        notebook: The notebook's name, when one notebook is at fault.
    """

    notebook: str | None = field(default=None, kw_only=True)

    exit_code: ClassVar[int] = 1


class BrowserError(WorkbookError):
    """The system Chromium is missing or a report cannot be opened in it."""

    exit_code = 1
