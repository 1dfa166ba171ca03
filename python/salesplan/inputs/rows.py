"""Rows in: the one shape every source is reduced to before parsing.

A :class:`SheetRows` is the cell values of one sheet (or CSV file) as lists, row 1 first, with empty
cells as ``""``. It comes from a workbook file (python-calamine, a Rust reader: fast, and it gives
real dates as ``datetime``), from a CSV file, or — in Excel — from xlwings reading the live sheet.

Every sheet passes one entrance before a reader sees it: :class:`WorkbookSource` checks the package
against the limits of :mod:`salesplan.ooxml.limits` when it opens it (no part inflating past what
the zip directory declares or past the size limits: a zip bomb is a message) and scans each sheet's
cells before the first read of it (a value typed far away, in XFD1048576, would make the Rust
readers ask for 512 GiB and end the process: it is a message naming the cell). Whatever a reader
raises — python-calamine's and fastexcel's own exceptions, or a panic in their Rust — becomes a
message naming the file and the sheet.

A big Sales tab is not turned into a million Python lists: a sheet of a workbook file is a
:class:`WorkbookSheet`, which reads only as much as is asked of it — its first rows (to find the
header) from a copy of the package cut after them, and then only the wanted columns, typed, with
fastexcel (the Rust calamine reader writing Arrow arrays). Whatever that fast path cannot give
exactly as the row reader would (a column mixing dates and text, an error cell, a date before
1900-03-01...) makes it step aside, and the sheet is read row by row as before: the same cells, only
slower.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import logging
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..ooxml.limits import LimitError, SheetScan, check_package, scan_sheet_part
from ..ooxml.peek import sheet_head, sheet_names, sheet_parts
from ..words import fold_case
from .splitread import NotSplit, Part, ReadCancelled, read_in_parts, split_count

if TYPE_CHECKING:  # pandas is imported where it is used: reading starts before it is loaded
    import pandas as pd

#: Packages whose sheets the fast path can read (the zip/XML formats).
FAST_SUFFIXES = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK\x03\x04"


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

    def head(self, count: int) -> list[list[Any]]:
        """The first ``count`` rows (fewer if the sheet is shorter)."""
        return self.rows[:count]

    def columns(self, first_row: int, wanted: dict[str, int]) -> dict[str, pd.Series]:
        """The cells of some columns from sheet row ``first_row`` down.

        Args:
            first_row: 1-based sheet row of the first cell of each column.
            wanted: name -> 0-based column index.

        Returns:
            name -> the cells as an object Series indexed by sheet row number; a row shorter than
            the column gives ``""`` (an empty cell).
        """
        import pandas as pd

        body = self.rows[first_row - 1:]
        index = pd.RangeIndex(first_row, first_row + len(body))
        shortest = min(map(len, body), default=0)
        out = {}
        for name, col in wanted.items():
            if col < shortest:
                values = list(map(itemgetter(col), body))
            else:
                values = [r[col] if col < len(r) else "" for r in body]
            out[name] = pd.Series(values, index=index, dtype=object)
        return out


class WorkbookSource:
    """A workbook file opened for reading its sheets' values.

    ``defer``: for .xlsx/.xlsm, take the sheet names from the package's workbook part and open the
    row reader only when a sheet is read row by row. Opening it parses the whole shared-string
    table (a tenth of a second on a million-row workbook), which the head start of the Sales read
    (:mod:`salesplan.inputs.early`) should not wait for.
    """

    def __init__(self, path: Path, *, defer: bool = False) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError("err.no_file", path=str(path))
        self._book: Any = None
        self.sheet_names: list[str] = []
        self._parts: dict[str, str] | None = None  # sheet name -> worksheet part, for the scan
        self._scanned: set[str] = set()
        self._package = _is_zip(self.path)
        if self._package:
            check_limits(self.path)
        if defer and self.path.suffix.lower() in FAST_SUFFIXES:
            try:
                self.sheet_names = sheet_names(self.path)
            except Exception:  # noqa: BLE001 - not laid out as expected: let the row reader say why
                self._open()
        else:
            self._open()
        self._sheets: dict[str, WorkbookSheet] = {}

    def _open(self) -> Any:
        if self._book is None:
            from python_calamine import CalamineWorkbook

            with reader_errors(self.path):
                self._book = CalamineWorkbook.from_path(str(self.path))
            self.sheet_names = list(self._book.sheet_names)
        return self._book

    def check_sheet(self, sheet: str) -> None:
        """Scan the cells of ``sheet`` (once) before a reader lays it out: a value so far from the
        others that the grid passes :data:`salesplan.ooxml.limits.MAX_CELLS` cells is an
        InputError naming it, as is a sheet part inflating past its declared size."""
        if sheet in self._scanned or not self._package:
            return
        part = self._sheet_part(sheet)
        if part is None:
            return  # not a worksheet of an .xlsx/.xlsm package as expected: the reader says why
        try:
            scan_sheet_part(self.path, part)
        except LimitError as exc:
            raise limit_error(exc, self.path, sheet) from None
        except StopIteration:
            return  # no such part: the reader says the sheet cannot be read
        except (OSError, zipfile.BadZipFile) as exc:
            raise InputError("err.not_workbook", path=str(self.path), detail=_short(exc)) from None
        self._scanned.add(sheet)

    def reads_in_parts(self, sheet: str) -> bool:
        """Whether :meth:`load_checked` reads ``sheet`` in parts, checking it as it goes (then
        there is no point in checking it first)."""
        return self._parts_of(sheet) > 1

    def _parts_of(self, sheet: str) -> int:
        part = self._sheet_part(sheet) if self._package and sheet not in self._scanned else None
        if part is None:
            return 1
        try:
            with zipfile.ZipFile(self.path) as package:
                return split_count(package.getinfo(part).file_size)
        except (OSError, KeyError, zipfile.BadZipFile):
            return 1

    def load_checked(self, sheet: str, first_row: int, wanted: dict[str, int],
                     names: dict[str, Any], cancel: threading.Event | None = None) -> LoadedColumns | None:
        """:func:`load_columns` of ``sheet``, which has passed :meth:`check_sheet` first: a big
        sheet is checked and read at once, in parts, on every core (:mod:`salesplan.inputs.splitread`).
        ``cancel``, once set, stops the read early (the result is then None, and not to be used)."""
        count = self._parts_of(sheet)
        if count > 1:
            try:
                parts = read_in_parts(self.path, sheet, first_row,
                                      lambda package, row: load_columns(package, sheet, row, wanted, names),
                                      parts=count, cancel=cancel)
            except LimitError as exc:
                raise limit_error(exc, self.path, sheet) from None
            except ReadCancelled:
                return None
            except NotSplit:
                pass
            except Exception:  # noqa: BLE001 - no room for the parts, a surprise in the package: read it whole
                logging.getLogger(__name__).debug("the sheet is read in one piece", exc_info=True)
            else:
                self._scanned.add(sheet)
                return joined_parts(parts)
        self.check_sheet(sheet)
        if cancel is not None and cancel.is_set():
            return None
        return load_columns(self.path, sheet, first_row, wanted, names)

    def cancel_reads(self) -> None:
        """Stop the reads started in the background (:meth:`WorkbookSheet.start_columns`) and wait
        for them to end: their rows are not wanted (the Config names a ``sales_source``), and no
        reader may hold the file when the plan is written into it."""
        for sheet in self._sheets.values():
            sheet.cancel_columns()

    def _sheet_part(self, sheet: str) -> str | None:
        if self._parts is None:
            try:
                with zipfile.ZipFile(self.path) as package:
                    self._parts = sheet_parts(package)[1]
            except Exception:  # noqa: BLE001 - not a package laid out as expected
                self._parts = {}
        part = self._parts.get(sheet)
        return part if part is not None and part.lower().endswith(".xml") else None

    def find_sheet(self, candidates: tuple[str, ...]) -> str | None:
        """The first sheet whose name matches one of ``candidates``, ignoring case and the spaces at
        the ends (not ё/е: see :func:`salesplan.words.fold_case`)."""
        wanted = {fold_case(c) for c in candidates}
        for name in self.sheet_names:
            if fold_case(name) in wanted:
                return name
        return None

    def rows(self, sheet: str) -> SheetRows:
        """The sheet named ``sheet``; its cells are read when first asked for (see WorkbookSheet)."""
        if sheet not in self._sheets:
            self._sheets[sheet] = WorkbookSheet(self, sheet)
        return self._sheets[sheet]

    def read_rows(self, sheet: str) -> list[list[Any]]:
        """Every row of ``sheet`` as Python values (the row reader, python-calamine)."""
        self.check_sheet(sheet)
        _progress(sheet, self.path)
        book = self._open()
        with reader_errors(self.path, sheet):
            cells = book.get_sheet_by_name(sheet)
            # Building a million small lists would set off the cyclic garbage collector over and
            # over (they hold no cycles): a third of the time, for nothing.
            collecting = gc.isenabled()
            gc.disable()
            try:
                return cells.to_python(skip_empty_area=False)
            finally:
                if collecting:
                    gc.enable()


class WorkbookSheet(SheetRows):
    """A sheet of a workbook file, read only as far as it is used.

    ``rows`` reads every cell (once, on first use). ``head`` and ``columns`` first try the fast
    path: for .xlsx/.xlsm, the first rows come from a copy of the package cut after them, and the
    columns from fastexcel as typed arrays — a datetime64, float64 or str Series per column whose
    cells are exactly what ``rows`` would hold (an empty cell is a missing value). A sheet the fast
    path cannot read exactly is read row by row instead.
    """

    def __init__(self, source: WorkbookSource, name: str) -> None:
        self.name = name
        self._source = source
        self._rows: list[list[Any]] | None = None
        self._head: tuple[int, list[list[Any]] | None] = (0, None)  # (rows asked for, rows read)
        self._started: tuple[int, dict[str, int], _Background] | None = None  # see start_columns
        self._cancel = threading.Event()

    @property
    def rows(self) -> list[list[Any]]:  # type: ignore[override]
        if self._rows is None:
            self._rows = self._source.read_rows(self.name)
        return self._rows

    def __repr__(self) -> str:
        return f"WorkbookSheet({self.name!r}, {self._source.path.name!r})"

    def head(self, count: int) -> list[list[Any]]:
        if self._rows is None and self._fast():
            if self._head[0] < count:
                self._head = (count, read_head(self._source.path, self.name, count))
            if self._head[1] is not None:
                return self._head[1][:count]
        return self.rows[:count]

    def start_columns(self, first_row: int, wanted: dict[str, int]) -> None:
        """Begin reading :meth:`columns` in a background thread; a later ``columns`` call with the
        same arguments takes the result.

        fastexcel parses the sheet in Rust without holding the GIL, so whatever the caller does
        meanwhile (importing pandas and the writers, reading the other tabs) costs no time: on a
        million-row Sales tab that is over half a second of a build.
        """
        names = self._header_names(first_row, wanted)
        if names is None:
            return
        _progress(self.name, self._source.path)
        self._cancel = threading.Event()
        work = _Background(self._source.load_checked, self.name, first_row, dict(wanted), names, self._cancel)
        self._started = (first_row, dict(wanted), work)

    def cancel_columns(self) -> None:
        """Stop the read :meth:`start_columns` began, and wait for it to end (see
        :meth:`WorkbookSource.cancel_reads`)."""
        started, self._started = self._started, None
        if started is not None:
            self._cancel.set()
            with contextlib.suppress(Exception):
                started[2].result()

    def columns(self, first_row: int, wanted: dict[str, int]) -> dict[str, pd.Series]:
        started, self._started = self._started, None
        if started is not None:
            loaded = started[2].result()  # wait for it in any case: one reader of the file at a time
            if started[:2] == (first_row, wanted):
                typed = typed_columns(loaded, first_row, wanted)
                if typed is not None:
                    return typed
                return super().columns(first_row, wanted)
        names = self._header_names(first_row, wanted)
        if names is not None:
            _progress(self.name, self._source.path)
            typed = typed_columns(self._source.load_checked(self.name, first_row, wanted, names), first_row,
                                  wanted)
            if typed is not None:
                return typed
        return super().columns(first_row, wanted)

    def _header_names(self, first_row: int, wanted: dict[str, int]) -> dict[str, Any] | None:
        """The header cell above each wanted column, when the fast path can read this sheet."""
        if self._rows is None and self._fast() and first_row >= 2:
            head = self.head(first_row - 1)
            if len(head) == first_row - 1:
                header = head[-1]
                return {name: header[col] if col < len(header) else "" for name, col in wanted.items()}
        return None

    def _fast(self) -> bool:
        return self._source.path.suffix.lower() in FAST_SUFFIXES


# --------------------------------------------------------------------------------------------------
# The fast path: the first rows of a sheet, and typed columns


def read_head(path: Path, sheet: str, count: int) -> list[list[Any]] | None:
    """The first ``count`` rows of ``sheet`` as the row reader gives them, without reading the rest.

    A copy of the package is made in memory holding the sheet cut after row ``count`` and the
    parts its values need (shared strings, styles: :func:`salesplan.ooxml.peek.sheet_head`);
    python-calamine reads that copy. None when the package is not laid out as expected (then the
    caller reads the whole sheet).
    """
    from python_calamine import CalamineWorkbook

    try:
        buffer = sheet_head(path, sheet, count, check=_check_cut)
        if buffer is None:
            return None
        rows = CalamineWorkbook.from_filelike(buffer).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except BaseException as exc:  # noqa: BLE001 - any surprise in the package: read the whole sheet instead
        if not is_panic(exc) and not isinstance(exc, Exception):
            raise
        return None
    return rows[:count]


def _check_cut(xml: bytes) -> None:
    """The first rows of a sheet, cut for :func:`read_head`, hold no cell the readers would lay
    out too far away (LimitError: the whole sheet is then read, and its own scan says where)."""
    scan = SheetScan()
    scan.feed(xml)
    scan.finish()


@dataclass
class LoadedColumns:
    """The wanted columns of a sheet as fastexcel gives them: Arrow arrays, by name."""

    batch: Any  # pyarrow.RecordBatch
    by_name: dict[str, str]  # wanted name -> column name in the batch


def read_columns(path: Path, sheet: str, first_row: int, wanted: dict[str, int],
                 names: dict[str, Any]) -> dict[str, pd.Series] | None:
    """Typed columns of ``sheet`` from row ``first_row`` down, read with fastexcel; None when they
    cannot be given exactly as the row reader would give the cells.

    Args:
        path: the workbook file.
        sheet: the sheet name.
        first_row: 1-based row of the first data row; the row above it holds the headers.
        wanted: name -> 0-based column index.
        names: name -> the header cell of that column (as the row reader gives it), to check that
            fastexcel reads the same columns.

    Returns:
        name -> Series indexed by sheet row number: datetime64 (date cells), float64 (numbers) or
        str (text); an empty cell is a missing value. Each column holds cells of one kind only: a
        column mixing kinds, an error cell, a boolean, a time or a date before 1900-03-01 (which
        readers convert differently) gives None.
    """
    return typed_columns(load_columns(path, sheet, first_row, wanted, names), first_row, wanted)


def load_columns(path: Path, sheet: str, first_row: int, wanted: dict[str, int],
                 names: dict[str, Any]) -> LoadedColumns | None:
    """The first half of :func:`read_columns`, free of pandas and of the GIL (it may run in a
    thread): fastexcel parses the sheet into Arrow arrays. None when the columns are not what the
    header says or a cell cannot be given exactly."""
    try:
        import fastexcel
        import pyarrow as pa
    except ImportError:
        return None
    if len(set(wanted.values())) != len(wanted) or not all(isinstance(v, str) for v in names.values()):
        return None
    # fastexcel warns when it reads an empty column as text; that is expected here.
    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    columns = sorted(wanted.values())
    options = {"header_row": first_row - 2, "use_columns": columns, "dtype_coercion": "strict",
               "schema_sample_rows": None}  # every row sampled; a column mixing kinds is an error
    try:
        # Eager: straight into Arrow arrays, a fifth faster than a lazy sheet's to_arrow...
        batch = fastexcel.read_excel(str(path)).load_sheet(sheet, eager=True, **options)
        if any(column.null_count and not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type))
               for column in batch.columns):
            # ...but it reads text such as "NA" or "N/A" among numbers or dates as an empty cell.
            # A number or date column with empty cells is read again lazily, which reports them.
            del batch
            loaded = fastexcel.read_excel(str(path)).load_sheet(sheet, **options)
            batch, errors = loaded.to_arrow_with_errors()
            del loaded  # the sheet's cells in Rust: free them before building the frame
            if errors is not None and errors.errors:
                return None
    except BaseException as exc:  # noqa: BLE001 - fastexcel's errors and panics: the row reader decides
        if isinstance(exc, Exception) or is_panic(exc):
            return None
        raise
    by_name = {name: batch.schema.names[columns.index(col)] for name, col in wanted.items()} \
        if batch.num_columns == len(columns) else {}
    if not by_name or any(by_name[n] != names[n] for n in wanted):
        return None
    return LoadedColumns(batch, by_name)


def joined_parts(parts: list[tuple[Part, LoadedColumns | None]]) -> LoadedColumns | None:
    """The columns of a sheet read in parts (:func:`salesplan.inputs.splitread.read_in_parts`), end to
    end, as one read of the sheet gives them: a part's last rows that are empty in the sheet (its
    reader stops at its last value) as empty cells, a part whose column is all empty as empty cells
    of the column's kind. None when a part could not be read exactly, a column holds values of one
    kind in one part and of another in the next (one read refuses such a column too), or a part
    holds more rows than lie between its cuts (rows written out of order)."""
    import pyarrow as pa

    loaded = [columns for _, columns in parts]
    if not loaded or any(columns is None for columns in loaded):
        return None
    by_name = loaded[0].by_name  # type: ignore[union-attr]
    batches = [columns.batch for columns in loaded if columns is not None]
    missing = []
    for (part, _), batch in zip(parts, batches):
        gap = 0 if part.end_row is None else part.end_row - part.first_row - batch.num_rows
        if gap < 0 or batch.schema.names != batches[0].schema.names:
            return None
        missing.append(gap)
    joined = {}
    for name in batches[0].schema.names:
        kinds = {batch.column(name).type for batch in batches} - {pa.null()}
        if len(kinds) > 1:
            return None
        kind = kinds.pop() if kinds else pa.null()
        chunks = []
        for batch, gap in zip(batches, missing):
            column = batch.column(name)
            chunks.append(column if column.type == kind else pa.nulls(len(column), kind))
            if gap:
                chunks.append(pa.nulls(gap, kind))
        # One array, as one read gives: the text columns' readers take a column's Arrow array whole.
        joined[name] = pa.concat_arrays([c for chunk in chunks for c in _arrays(chunk)])
        del chunks
    return LoadedColumns(pa.record_batch(joined), by_name)


def _arrays(column: Any) -> list[Any]:
    return list(column.chunks) if hasattr(column, "chunks") else [column]


def typed_columns(loaded: LoadedColumns | None, first_row: int, wanted: dict[str, int]) -> dict[str, pd.Series] | None:
    """The second half of :func:`read_columns`: the Arrow arrays as typed Series, or None when a
    column holds what the row reader would give differently."""
    if loaded is None:
        return None
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    batch = loaded.batch
    index = pd.RangeIndex(first_row, first_row + batch.num_rows)
    out = {}
    for name in wanted:
        array = batch.column(loaded.by_name[name])
        kind = array.type
        if pa.types.is_timestamp(kind):
            smallest = pc.min(array).as_py()
            if smallest is not None and smallest < _FIRST_SAFE_DATE:
                return None
            values = array.to_pandas()
        elif pa.types.is_floating(kind):
            if pc.any(pc.is_nan(array)).as_py():
                return None
            values = array.to_pandas()
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            values = array.to_pandas()
            if values.dtype == object:  # pandas without its Arrow-backed str: keep it typed
                values = values.astype("string")
        elif pa.types.is_null(kind):
            values = pd.Series(pd.array([pd.NA] * batch.num_rows, dtype="string"))
        else:  # int (.xls), bool, date, time, duration: the row reader stays the reference
            return None
        # Not copied: pandas 3 copies an array handed to Series() unless told (17 ms per number
        # column at a million rows), and the Arrow buffers are never written to.
        out[name] = pd.Series(values.array, index=index, name=name, copy=False)
    return out


class _Background:
    """``work(*args)`` in a daemon thread (a build that fails meanwhile does not wait for it)."""

    def __init__(self, work: Callable[..., Any], *args: Any) -> None:
        self._result: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work, args), name="salesplan-read", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self._result = work(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller of result()
            self._error = exc

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


#: Excel's serial day 60 is the 29 February 1900 that never was; readers disagree below 61.
_FIRST_SAFE_DATE = dt.datetime(1900, 3, 1)


def read_csv_rows(path: Path) -> SheetRows:
    """A CSV export as rows: UTF-8 (with or without BOM) or Windows-1251, `;`, `,` or tab separated."""
    path = Path(path)
    if not path.exists():
        raise InputError("err.no_file", path=str(path))
    _progress(path.name, path)
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


def read_sales_file(path: Path, sheet_candidates: tuple[str, ...], source: WorkbookSource | None = None) -> SheetRows:
    """The sales rows of a separate file (``--sales``): a CSV, or a workbook's Sales tab.

    A workbook without a tab of that name is read from its first sheet, as an accounting export
    usually has just one. ``source``: the file, if already opened.
    """
    path = Path(path)
    if path.suffix.lower() in {".csv", ".txt"}:
        return read_csv_rows(path)
    source = source or WorkbookSource(path)
    name = sales_sheet_name(source, sheet_candidates, first_if_none=True)
    if name is None:
        raise InputError("err.empty_sheet", sheet=path.name)
    return source.rows(name)


def sales_sheet_name(source: WorkbookSource, candidates: tuple[str, ...], first_if_none: bool) -> str | None:
    """The sheet of ``source`` holding the sales rows: the one named as one of ``candidates``, else
    (for a separate export, ``first_if_none``) its first sheet."""
    name = source.find_sheet(candidates)
    if name is None and first_if_none and source.sheet_names:
        return source.sheet_names[0]
    return name


def _progress(sheet: str, path: Path) -> None:
    """Tell a progress bar (the CLI's, when on a terminal) that a sheet is being read."""
    log = logging.getLogger("salesplan.progress")
    if log.isEnabledFor(logging.INFO):
        log.info("read", extra={"sheet": sheet, "size": Path(path).stat().st_size})


def _is_zip(path: Path) -> bool:
    try:
        with Path(path).open("rb") as f:
            return f.read(4) == _ZIP_MAGIC
    except OSError:
        return False


def check_limits(path: Path, **limits: int) -> None:
    """Check the zip package at ``path`` against :func:`salesplan.ooxml.limits.check_package`
    before any reader inflates it; InputError naming the part and the limit."""
    try:
        check_package(path, **limits)
    except LimitError as exc:
        raise limit_error(exc, path) from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise InputError("err.not_workbook", path=str(path), detail=_short(exc)) from None


def limit_error(exc: LimitError, path: Path, sheet: str = "") -> InputError:
    """The message for a limit passed (see :class:`salesplan.ooxml.limits.LimitError`)."""
    mib = 1 << 20
    if exc.kind == "cells":
        fields: dict[str, Any] = {"path": str(path), "sheet": sheet, "cells": _number(exc.size),
                                  "limit": _number(exc.limit)}
        cells = [c for c in (exc.far_column, exc.far_row) if c is not None]
        if len(cells) == 2 and cells[0] != cells[1]:
            return InputError("err.far_cells", **fields, cell=cells[0].name, row=_number(cells[0].row),
                              column=_column_letters(cells[0].name), cell2=cells[1].name,
                              row2=_number(cells[1].row), column2=_column_letters(cells[1].name))
        return InputError("err.far_cell", **fields, cell=cells[0].name, row=_number(cells[0].row),
                          column=_column_letters(cells[0].name))
    if exc.kind in ("part", "total"):
        return InputError(f"err.zip_{exc.kind}", path=str(path), part=exc.part, size=_number(-(-exc.size // mib)),
                          limit=_number(exc.limit // mib))
    return InputError(f"err.zip_{exc.kind}", path=str(path), part=exc.part, size=_number(exc.size),
                      limit=_number(exc.limit))


def _column_letters(cell: str) -> str:
    return cell.rstrip("0123456789")


def _number(value: int) -> str:
    """1048576 as 1 048 576 (a narrow no-break space between the thousands)."""
    return f"{value:,}".replace(",", "\u202f")


def is_panic(exc: BaseException) -> bool:
    """A panic in a Rust reader: pyo3 raises it as ``PanicException``, a BaseException (so that
    ``except Exception`` does not swallow it)."""
    return type(exc).__name__ == "PanicException"


@contextlib.contextmanager
def reader_errors(path: Path, sheet: str | None = None) -> Iterator[None]:
    """Whatever a reader raises in the block — its own exception types or a panic in its Rust — as
    an InputError naming the file (and the sheet)."""
    try:
        yield
    except InputError:
        raise
    except BaseException as exc:
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise  # KeyboardInterrupt, SystemExit
        if sheet is None:
            raise InputError("err.not_workbook", path=str(path), detail=_short(exc)) from None
        raise InputError("err.read_failed", path=str(path), sheet=sheet, detail=_short(exc)) from None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
