"""The small exception tree and the Problem value.

Fatal input errors stop the plan with exit code 2 and a message naming the sheet, row and column.
Rows that are merely unusable become :class:`Problem` values, listed on the Problems tab; the plan
goes on without them (beancount's habit: rules return what they could not use).

The package's exceptions live here: :class:`SalesplanError` and its subclasses carry a
message for the user; the errors of building the VBA project (``salesplan.build``) are ValueErrors.
The modules that raise them import them from here (and so still export them under the old names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .texts import t


class SalesplanError(Exception):
    """Base of every error salesplan reports to a user; carries a message key and its fields."""

    exit_code = 2

    def __init__(self, message_key: str, /, **fields: Any) -> None:
        super().__init__(message_key)
        self.key = message_key
        self.fields = fields

    def text(self, lang: str = "ru") -> str:
        """The message in the user's language."""
        return t(self.key, lang, **self.fields)

    def __str__(self) -> str:  # English for logs and tracebacks in tests
        return self.text("en")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled whole (key and fields), so an error raised in a helper process reads the same.
        return _rebuild, (type(self), self.key, self.fields)


def _rebuild(cls: type[SalesplanError], key: str, fields: dict[str, Any]) -> SalesplanError:
    return cls(key, **fields)


class InputError(SalesplanError):
    """The input cannot be planned: a missing column, an empty sheet, a bad parameter."""


class WorkbookWriteError(SalesplanError):
    """The workbook cannot be written (open in Excel, read-only, disk full)."""


class ToolMissingError(SalesplanError):
    """An external program (LibreOffice) is not installed."""


class TemplateError(SalesplanError):
    """A template that cannot be filled: two tables in one row, one table in two rows."""


class PdfExportError(SalesplanError):
    """LibreOffice failed, timed out, or wrote no PDF."""


# Building salesplan.xlsm's VBA project (``salesplan.build``): errors of the build, never of a
# user's data, so they are ValueErrors rather than SalesplanErrors with a message for the user.

class VbaProjectError(ValueError):
    """A module or sheet code name cannot go into the VBA project as given."""


class CompoundFileError(ValueError):
    """The bytes are not a compound file this module can read, or the streams cannot be written."""


class IncompressibleError(ValueError):
    """A chunk does not compress, and the caller asked for no raw chunks."""


@dataclass(frozen=True)
class Problem:
    """An input row or cell that was skipped or doubted, and why."""

    sheet: str
    row: int | None
    column: str  # the column header as the user wrote it, or "" for the whole row
    value: Any
    key: str
    fields: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "ru") -> str:
        return t(self.key, lang, **self.fields)


class PackageError(ValueError):
    """A file is not a readable OOXML spreadsheet package (.xlsx/.xlsm), or a part of it is broken."""


class NotBulk(Exception):
    """A value the bulk row writer does not make (infinity, a date before March 1900, a time zone):
    XlsxWriter writes the table instead."""
