"""Everything a user can get wrong, as one exception hierarchy.

Low-level functions raise with the offending value only; callers that know the
location (``schema.load_table``) fill in ``file``, ``row`` (spreadsheet row,
header = 1) and ``column``. The CLI prints ``str(error)`` and exits with
``error.exit_code``; no traceback reaches the user.
"""

from __future__ import annotations

from dataclasses import dataclass


class WorkbookError(Exception):
    """Base class: a problem the user can fix. Exit code 2 unless stated."""

    exit_code = 2

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.file = file
        self.row = row
        self.column = column

    def located(self, *, file: str | None = None, row: int | None = None,
                column: str | None = None) -> WorkbookError:
        """Return a copy of this error of the same type with its location filled in."""
        new = type(self)(self.reason, file=file or self.file,
                         row=row if row is not None else self.row,
                         column=column or self.column)
        return new

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        return f"{where}: {self.reason}" if where else self.reason


class NumeralParseError(WorkbookError):
    """A figure cannot be read as a number."""


class TableValidationError(WorkbookError):
    """A curated table breaks its schema. Carries every problem, not just the first."""

    def __init__(self, reason: str = "", *, problems: list[Problem] | None = None,
                 file: str | None = None, row: int | None = None,
                 column: str | None = None) -> None:
        self.problems: list[Problem] = list(problems or [])
        if not reason and self.problems:
            reason = "\n".join(str(p) for p in self.problems)
        super().__init__(reason, file=file, row=row, column=column)
        if self.problems:
            first = self.problems[0]
            self.file, self.row, self.column = first.file, first.row, first.column

    def __str__(self) -> str:
        if self.problems:
            n = len(self.problems)
            head = "\n".join(str(p) for p in self.problems)
            return head if n == 1 else f"{head}\n{n} problems found"
        return super().__str__()


class ParameterError(WorkbookError):
    """A run parameter is unknown, of the wrong type, or outside its allowed values."""


class RunLockedError(WorkbookError):
    """Another run holds the lock."""

    exit_code = 3


class NotebookRunError(WorkbookError):
    """A notebook cell failed during a run; keeps the cell index."""

    exit_code = 1

    def __init__(self, reason: str, *, notebook: str | None = None,
                 cell_index: int | None = None, **kw: object) -> None:
        super().__init__(reason, **kw)  # type: ignore[arg-type]
        self.notebook = notebook
        self.cell_index = cell_index


class ExportError(WorkbookError):
    """Rendering an executed notebook to HTML failed."""

    exit_code = 1


class BrowserError(WorkbookError):
    """The system Chromium is missing or a report cannot be opened in it."""

    exit_code = 1


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
