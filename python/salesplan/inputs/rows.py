"""Rows in: the one shape every source is reduced to before parsing.

A :class:`SheetRows` is the cell values of one sheet (or CSV file) as lists, row 1 first, with empty
cells as ``""``. It comes from a workbook file (python-calamine, a Rust reader: fast, and it gives
real dates as ``datetime``), from a CSV file, or — in Excel — from xlwings reading the live sheet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


@dataclass
class SheetRows:
    """The values of one sheet; ``rows[0]`` is spreadsheet row 1."""

    name: str
    rows: list[list[Any]]

    def cell(self, row: int, col: int) -> Any:
        """The value at 1-based ``row`` and ``col``, ``""`` outside the used range."""
        if 1 <= row <= len(self.rows):
            values = self.rows[row - 1]
            if 1 <= col <= len(values):
                return values[col - 1]
        return ""


class WorkbookSource:
    """A workbook file opened for reading its sheets' values."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook

        self.path = Path(path)
        if not self.path.exists():
            raise InputError("err.no_file", path=str(path))
        try:
            self._book = CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine raises several types for bad or encrypted files
            raise InputError("err.not_workbook", path=str(path), detail=_short(exc)) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def find_sheet(self, candidates: tuple[str, ...]) -> str | None:
        """The first sheet whose name matches one of ``candidates``, ignoring case and spaces."""
        wanted = {c.strip().casefold() for c in candidates}
        for name in self.sheet_names:
            if name.strip().casefold() in wanted:
                return name
        return None

    def rows(self, sheet: str) -> SheetRows:
        try:
            values = self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception as exc:
            raise InputError("err.not_workbook", path=str(self.path), detail=_short(exc)) from None
        return SheetRows(sheet, values)


def read_csv_rows(path: Path) -> SheetRows:
    """A CSV export as rows: UTF-8 (with or without BOM) or Windows-1251, `;`, `,` or tab separated."""
    path = Path(path)
    if not path.exists():
        raise InputError("err.no_file", path=str(path))
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte string
        raise InputError("err.not_workbook", path=str(path), detail="unknown encoding")
    if "\x00" in text[:4096]:
        raise InputError("err.not_workbook", path=str(path), detail="binary file")
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if text[:4096].count(";") > text[:4096].count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return SheetRows(path.name, rows)


def read_sales_file(path: Path, sheet_candidates: tuple[str, ...]) -> SheetRows:
    """The sales rows of a separate file (``--sales``): a CSV, or a workbook's Sales tab.

    A workbook without a tab of that name is read from its first sheet, as an accounting export
    usually has just one.
    """
    path = Path(path)
    if path.suffix.lower() in {".csv", ".txt"}:
        return read_csv_rows(path)
    source = WorkbookSource(path)
    name = source.find_sheet(sheet_candidates) or (source.sheet_names[0] if source.sheet_names else None)
    if name is None:
        raise InputError("err.empty_sheet", sheet=path.name)
    return source.rows(name)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
