"""Sales history outside the workbook: a Parquet file, or a folder of monthly exports.

A distributor whose sale lines outgrow Excel's 1 048 575 rows keeps them as Parquet (or as one export
per month: .parquet, .xlsx, .csv mixed in one folder). ``--sales`` (or the Config's ``sales_source``)
names that file or folder; the plan is the same as from the same lines on a Sales tab.

Ten million lines are more than pandas should hold (3.4 GB for a bare ``read_table().to_pandas()``),
and most of them are needed only as sums. So DuckDB, reading the Parquet itself, splits the lines:

================================================  ================================================
lines                                              reach pandas as
================================================  ================================================
months from M - ``window_months`` on (the         single lines: the funnel's open orders, the
window, the plan month, anything later) and       instruments' orders and products, the month to
dated over 10 years before M                      date, the far-date check read them line by line
older months, lines whose cells pass every rule   one line per (manager, client, status, month
                                                  [, phone, contact, city]): amounts and
                                                  quantities summed
a line with a missing date or amount, a group     single lines, so that each gets its own Problem
holding a cell any rule would report              naming the file and its row
================================================  ================================================

Every step of ``plan`` that reads months before the window reads sums per client and month
(turnover, lapsed clients, the month to date's new clients) or sets of names (the managers, clients
and categories the Config is checked against), and the owner of a client is the manager of its
latest sale. So each group carries the date, row and category of its latest line (``row``,
``date``, ``category``; every category of the summed lines is kept beside them, :attr:`History.categories`),
and is placed in the ledger at its first line (``first_row``), so that every group-by in
first-appearance order meets the clients and months in the order the lines would give. Brand,
product and order are left empty in the groups: no step reads them before the window. (The back
test plans past months again: it keeps single lines for each, see ``more_single_months``.)

Each cell is read by the rules of :mod:`salesplan.inputs.ledger` (header aliases, status words,
text clean-up, the same Problems): the groups and the single lines are handed to
:func:`~salesplan.inputs.ledger.read_ledger` as sheets whose rows are the file's own. A Parquet
row is its record number (the first record is row 1); a sheet's row is its row. In a folder, each
file's rows are numbered apart, and every Problem names the file. A folder's Parquet files of the
same columns are read together, each query one DuckDB scan of all of them (as one file is read).

Where the time goes (10 000 000 lines, 100 000 clients, 2 cores): DuckDB's scan that sums the old
months (about 5 CPU seconds on two threads: decoding and hashing the text keys of 8.2 million lines
into 1.1 million groups; pyarrow reads the category column as codes beside it, :class:`_CategoryCodes`),
then, side by side, the rules on the groups' cells here and, in a thread of its own on one DuckDB
thread, the query of the window's lines and of the summed lines' rows (their categories); then the
rules on the window's lines. A file in date order gives its groups and lines as runs of rows: they
are joined as such (:func:`_in_row_order`), not reordered row by row.

What is not looked for in the grouped months: repeated lines (``prob.duplicate_row``; they are
counted either way, as on a Sales tab) — those of the window are listed as usual.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from ..texts import Word
from .header import CONTACT_FIELDS, find_header
from .rows import SheetRows, WorkbookSource, read_csv_rows, reader_errors, sales_sheet_name

if TYPE_CHECKING:
    import pandas as pd

    from .ledger import StatusWords

#: Files of a folder read as monthly exports; anything else in it (a readme, a lock file) is left alone.
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".parq"}

#: The rows of the n-th file of a folder are numbered from n × FILE_STRIDE (its own rows added).
FILE_STRIDE = 1 << 32

#: The text fields the older months are summed by (those the file has), with the month.
_GROUP_TEXT = ("manager", "client", "status", *CONTACT_FIELDS)
_NUMBER_FIELDS = ("amount", "quantity")


def is_history(path: Path) -> bool:
    """Whether ``path`` names a sales history read here: a folder or a Parquet file."""
    path = Path(path)
    return path.is_dir() or path.suffix.lower() in PARQUET_SUFFIXES


@dataclass
class History:
    """The sale lines of a history, read for one plan month."""

    ledger: pd.DataFrame
    problems: list[Problem]
    duplicates: Callable[[], list[Problem]]
    rows_read: int          # lines read, used or skipped (a group counts its lines)
    name: str               # what the Problems of the lines name before :meth:`locate` (the file or folder)
    files: list[Path] = field(default_factory=list)
    folder: bool = False
    #: Every category of the summed lines (their groups name one each): the Config's categories
    #: are checked against these too.
    categories: set[str] = field(default_factory=set)

    def locate(self, problem: Problem) -> Problem:
        """A Problem of a line of a folder's file, naming that file and the row in it."""
        if not self.folder or problem.sheet != self.name or problem.row is None:
            return problem
        index, row = divmod(int(problem.row), FILE_STRIDE)
        fields = dict(problem.fields)
        if "first" in fields:  # a repeated row names the earlier one: in the same file
            fields["first"] = int(fields["first"]) % FILE_STRIDE
        return replace(problem, sheet=self.files[index].name, row=row, fields=fields)


def history_files(path: Path) -> list[Path]:
    """The files a history is read from: the Parquet file, or a folder's exports in name order."""
    path = Path(path)
    if not path.exists():
        raise InputError("err.no_file", path=str(path))
    if not path.is_dir():
        return [path]
    files = sorted((p for p in path.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))
                    and p.suffix.lower() in SHEET_SUFFIXES | PARQUET_SUFFIXES), key=lambda p: p.name)
    if not files:
        raise InputError("err.source_empty", path=str(path),
                         kinds=", ".join(sorted(SHEET_SUFFIXES | PARQUET_SUFFIXES)))
    return files


def _is_own_workbook(path: Path) -> bool:
    """Whether ``path`` is a workbook salesplan has planned: one with tabs carrying the program's
    mark (:mod:`salesplan.ooxml.marks`); an accounting export has none."""
    from ..ooxml.peek import sheet_marks
    from .rows import FAST_SUFFIXES

    return path.suffix.lower() in FAST_SUFFIXES and bool(sheet_marks(path))


def read_history(path: Path, statuses: StatusWords, plan_month: int, window: int,
                 sheet_candidates: tuple[str, ...] = ()) -> History:
    """Read the history at ``path`` for ``plan_month``, keeping single lines from
    ``plan_month - window`` on (see the module's docstring)."""
    from .ledger import DATE_YEARS_BEFORE

    path = Path(path)
    files = history_files(path)
    folder = path.is_dir()
    name = path.name
    # A planned workbook saved among the exports (salesplan.xlsm itself, when the history is the
    # workbook's own folder, or a plan written there) is no export: left out, and said so.
    own = [f for f in files if folder and _is_own_workbook(f)]
    files = [f for f in files if f not in own]
    if not files:
        raise InputError("err.source_empty", path=str(path),
                         kinds=", ".join(sorted(SHEET_SUFFIXES | PARQUET_SUFFIXES)))
    grouped = (plan_month - 12 * DATE_YEARS_BEFORE, plan_month - window - 1)  # months summed, both ends in
    with _engine() as con:
        parts = []
        for index, file in enumerate(files):
            offset = index * FILE_STRIDE if folder else 0
            if file.suffix.lower() in PARQUET_SUFFIXES:
                # A lone file's search for repeated lines waits to run beside the planning; a
                # folder's files are each searched at once, so that none keeps its cells meanwhile.
                parts.append(_ParquetPart(con, file, offset, search_now=folder))
            else:
                parts.append(_SheetPart(file, offset, sheet_candidates, name, statuses, grouped, con))
        _same_columns(parts)
        # A folder's Parquet files of the same columns are scanned together: one DuckDB query over
        # all of them for each step, not one per file (see _ParquetPart.joined).
        reads = _joined(parts) if folder else parts
        if folder:
            for part in reads:
                part.count_months()
        excluded, problems = _months_twice(parts)
        problems = [Problem(f.name, None, "", "", "prob.source_own_workbook", {"file": f.name}) for f in own] + problems
        out = [o for part in reads for o in part.read_parts(name, statuses, grouped, excluded)]
    import pandas as pd

    # Each file's part is let go as soon as it is in the whole: a folder's ledger is held twice at
    # most (while it is joined, while it is put in order), never once per file on top.
    ledger = out[0].ledger if len(out) == 1 else pd.concat([o.ledger for o in out], ignore_index=True)
    keys = out[0].order_key if len(out) == 1 else pd.concat([o.order_key for o in out], ignore_index=True)
    # The Problems of the lines as each file's own read would give them, file after file.
    problems += _file_by_file([p for o in out for p in o.problems]) if folder else out[0].problems
    for o in out:
        o.ledger = o.ledger.iloc[:0]
    if len(ledger) and not keys.is_monotonic_increasing:
        ledger = ledger.take(keys.argsort(kind="stable")).reset_index(drop=True)

    def duplicates() -> list[Problem]:
        return _file_by_file([p for o in out for p in o.duplicates()])

    logging.getLogger("salesplan.progress").info("plan", extra={"rows": len(ledger)})
    return History(ledger, problems, duplicates, sum(o.rows_read for o in out), name, files, folder,
                   set().union(*(o.categories for o in out)))


# --------------------------------------------------------------------------------------------------
# The engine


@contextlib.contextmanager
def _engine() -> Iterator[Any]:
    import duckdb

    con = duckdb.connect()
    try:
        # Two threads (the machines this runs on have two to eight cores, shared with Excel) and no
        # progress bar of its own (the command line has one).
        con.execute(f"SET threads = {_THREADS}")
        con.execute("SET enable_progress_bar = false")
        yield con
    finally:
        con.close()


#: DuckDB's threads (a setting of the whole database, not of a connection).
_THREADS = 2


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class _Read:
    """One file's part of the ledger: typed lines and groups, and how to order them."""

    ledger: pd.DataFrame
    order_key: pd.Series  # the row of a line, the first row of a group
    problems: list[Problem]
    duplicates: Callable[[], list[Problem]]
    rows_read: int
    categories: set[str]  # of the summed lines (a group names its latest line's)


class _ColumnsSheet(SheetRows):
    """Typed columns as a sheet for :func:`read_ledger`: the header in row 1, the cells below,
    the rows numbered as given (the index of every Series)."""

    def __init__(self, name: str, header: list[str], columns: list[pd.Series]) -> None:
        super().__init__(name, [list(header)])
        self._columns = columns

    def head(self, count: int) -> list[list[Any]]:
        return self.rows[:count]

    def columns(self, first_row: int, wanted: dict[str, int]) -> dict[str, pd.Series]:
        out = {name: self._columns[col] for name, col in wanted.items()}
        if not len(self._columns[0]):  # no cells: Arrow's empty text has no array to hand over
            out = {name: series.astype(object) for name, series in out.items()}
        return out


class _ParquetPart:
    """A Parquet file: its columns found by their headers, checked for types, read by DuckDB.

    Or several files of a folder with the same columns (:meth:`joined`): each step is then one
    DuckDB query over all of them, a line's row numbered in its own file (``files``: each file and
    the offset of its rows).
    """

    def __init__(self, con: Any, path: Path, offset: int, search_now: bool = False) -> None:
        import pyarrow.parquet as pq

        self.con, self.path, self.offset, self.search_now = con, path, offset, search_now
        try:
            schema = pq.read_schema(path)
        except Exception as exc:  # noqa: BLE001 - not a Parquet file, or a damaged one
            raise InputError("err.source_unreadable", path=str(path), detail=_short(exc)) from None
        self.header = list(schema.names)
        _, columns = find_header(SheetRows(path.name, [self.header]))
        self.fields = {f: self.header[c] for f, c in columns.items()}
        self._check_types(schema)
        self._months: pd.Series | None = None
        #: Files read together are alike in this: the same columns, in the same order, of the same types.
        self.layout = (tuple(self.header), tuple(str(t) for t in schema.types))
        self.files: list[tuple[Path, int]] = [(path, offset)]
        self.members: list[_ParquetPart] = [self]

    def joined(self) -> _ParquetPart:
        """A part reading this file and those added to its ``files`` and ``members`` (their own
        parts, which count their months) in one scan."""
        part = object.__new__(_ParquetPart)
        part.__dict__.update(self.__dict__)
        part.files, part.members = list(self.files), [self]
        return part

    def count_months(self) -> None:
        """Lines per month of each file, all of them counted in one scan (should DuckDB fail on one
        of them, file by file, so that the message names the file)."""
        if len(self.members) == 1:
            self.members[0].months()
            return
        try:
            with self._errors():
                frame = self.con.sql(f"SELECT file_index, month, count(*) AS lines FROM "
                                     f"({self._source('true', True)}) WHERE month IS NOT NULL "
                                     "GROUP BY file_index, month").df()
        except InputError:
            for member in self.members:
                member.months()
            return
        for index, member in enumerate(self.members):
            mine = frame[frame["file_index"] == index]
            member._months = mine.set_index("month")["lines"].astype("int64").sort_index()

    def read_parts(self, name: str, statuses: StatusWords, grouped: tuple[int, int],
                   excluded: dict[Path, set[int]]) -> list[_Read]:
        """:meth:`read` of every file at once; should DuckDB fail on one of them, file by file, so
        that the message names the file."""
        if len(self.members) == 1:
            return [self.read(name, statuses, grouped, excluded.get(self.path, set()))]
        try:
            return [self.read(name, statuses, grouped, excluded)]
        except InputError:
            return [m.read(name, statuses, grouped, excluded.get(m.path, set())) for m in self.members]

    def _check_types(self, schema: Any) -> None:
        import pyarrow as pa

        for field_name, column in self.fields.items():
            kind = schema.field(column).type
            if field_name == "date":
                ok = pa.types.is_date(kind) or pa.types.is_timestamp(kind)
                expected = "date"
            elif field_name in _NUMBER_FIELDS:
                ok = pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)
                expected = "number"
            else:
                ok = (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_integer(kind)
                      or (pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type)))
                expected = "text"
            if not ok:
                raise InputError("err.source_type", path=str(self.path), column=column, found=_type_word(kind),
                                 expected=Word(f"type.{expected}"))

    def _source(self, where: str, file_index: bool = False) -> str:
        """The lines ``where`` holds (a condition on the file's own columns, so that DuckDB skips the
        row groups whose dates are out of range), under the field names, with their row and month
        (and ``file_index``: which of ``files``)."""
        selected = []
        for f, column in self.fields.items():
            if f == "date":
                selected.append(f"CAST({_quote(column)} AS TIMESTAMP) AS date")
            elif f in _NUMBER_FIELDS:
                selected.append(f"CAST({_quote(column)} AS DOUBLE) AS {f}")
            else:
                selected.append(f"CAST({_quote(column)} AS VARCHAR) AS {_quote(f)}")
        if len(self.files) == 1:
            selected.append(f"file_row_number + {1 + self.offset} AS row")
            scanned = _literal(str(self.path))
        else:
            offsets = ", ".join(str(offset) for _, offset in self.files)
            selected.append(f"file_row_number + 1 + [{offsets}][CAST(file_index AS BIGINT) + 1] AS row")
            scanned = "[" + ", ".join(_literal(str(path)) for path, _ in self.files) + "]"
        selected.append(f"year({_quote(self.fields['date'])}) * 12 + month({_quote(self.fields['date'])}) - 1 AS month")
        if file_index:
            selected.append("file_index")
        return f"SELECT {', '.join(selected)} FROM read_parquet({scanned}, file_row_number = true) WHERE {where}"

    def _in_months(self, first: int, last: int) -> str:
        date = _quote(self.fields["date"])
        return f"({date} >= DATE '{_first_day(first)}' AND {date} < DATE '{_first_day(last + 1)}')"

    def months(self) -> pd.Series:
        """Lines per month (the months of a folder's files are compared)."""
        if self._months is None:
            with self._errors():
                frame = self.con.sql(f"SELECT month, count(*) AS lines FROM ({self._source('true')}) "
                                     "WHERE month IS NOT NULL GROUP BY month").df()
            self._months = frame.set_index("month")["lines"].astype("int64").sort_index()
        return self._months

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged file: DuckDB's own errors
            raise InputError("err.source_unreadable", path=str(self.path), detail=_short(exc)) from None

    def read(self, name: str, statuses: StatusWords, grouped: tuple[int, int],
             excluded: set[int] | dict[Path, set[int]]) -> _Read:
        """The lines of the file (of every file, ``excluded`` then naming each file's months left out)."""
        import pandas as pd

        from .ledger import read_ledger_deferring_duplicates

        amount = f"CAST({_quote(self.fields['amount'])} AS DOUBLE)"
        if isinstance(excluded, dict):  # of several files: the months each leaves out
            left_out = " OR ".join(
                f"(file_index = {i} AND ({' OR '.join(self._in_months(m, m) for m in sorted(excluded[path]))}))"
                for i, (path, _) in enumerate(self.files) if excluded.get(path)) or "false"
        else:
            left_out = " OR ".join(self._in_months(m, m) for m in sorted(excluded)) or "false"
        numbers_fine = f"{amount} IS NOT NULL AND NOT isnan({amount})"
        if "quantity" in self.fields:
            quantity_cell = f"CAST({_quote(self.fields['quantity'])} AS DOUBLE)"
            numbers_fine += f" AND ({quantity_cell} IS NULL OR NOT isnan({quantity_cell}))"
        summed = f"{self._in_months(*grouped)} AND {numbers_fine} AND NOT ({left_out})"
        keys = [f for f in _GROUP_TEXT if f in self.fields]
        quoted = ", ".join(_quote(k) for k in keys)
        quantity = "sum(quantity)" if "quantity" in self.fields else "NULL"
        # The latest line of a group: its day and row in one number (days since 1970 × 2^32 + row).
        # (A group's lines are of one file: a month in two is counted from one, see _months_twice.)
        latest = "CAST(date_diff('day', TIMESTAMP '1970-01-01', date_trunc('day', date)) AS BIGINT) * 4294967296" \
                 f" + (row % {FILE_STRIDE})"
        # The single lines, in three parts a dated file holds in this order: the far past, a line
        # of the summed months that no sum may take, the months from the window on.
        date = _quote(self.fields["date"])
        parts = [f"{date} < DATE '{_first_day(grouped[0])}'",
                 f"{date} IS NULL OR ({self._in_months(*grouped)} AND NOT ({numbers_fine}))",
                 f"{date} >= DATE '{_first_day(grouped[1] + 1)}'"]
        lines_query = " UNION ALL ".join(f"({self._source(f'({part}) AND NOT ({left_out})')})" for part in parts)
        # The summed lines' rows: their categories are looked up in the codes (see _CategoryCodes).
        rows_query = f"SELECT row FROM ({self._source(summed)})"
        aggregates = (f"kahan_sum(amount) AS amount, {quantity} AS quantity, count(*) AS lines, "
                      f"min(row) AS first_row, max({latest}) AS latest")
        with self._errors(), _CategoryCodes(self.files, self.fields["category"]) as codes:
            groups = self.con.sql(f"SELECT {quoted}, month, {aggregates} FROM ({self._source(summed)}) "
                                  f"GROUP BY {quoted}, month").to_arrow_table(_WHOLE)
            latest_category = codes.at(groups.column("first_row"), groups.column("latest"))
        if latest_category is None:  # a latest line without a category: the latest line that has one
            with self._errors():
                groups = self.con.sql(f"SELECT {quoted}, month, arg_max(category, {latest}) AS category, "
                                      f"{aggregates} FROM ({self._source(summed)}) GROUP BY {quoted}, month"
                                      ).to_arrow_table(_WHOLE)
        else:
            groups = groups.append_column("category", latest_category)
        with _beside(self.con, lines_query, rows_query, codes) as later:
            # The groups in the order of their first lines, as they take their places in the ledger,
            # one chunk per column (the ledger's rules hand each column to Arrow as one array): the
            # take joins DuckDB's chunks as it goes (no rows come as no chunks at all).
            groups = groups.take(_by_first_row(groups.column("first_row"))) if groups.num_rows else _one_table(groups)
            frame = groups.to_pandas()
            del groups
            day, row = divmod(frame["latest"].to_numpy(), 4294967296)
            index = pd.Index(row + frame["first_row"].to_numpy() // FILE_STRIDE * FILE_STRIDE, name=None)
            dates = pd.Series((day.astype("int64") * 86_400_000_000).astype("datetime64[us]"), index=index)
            numbers = ["amount", "quantity"] if "quantity" in self.fields else ["amount"]
            texts = [*keys, "category"]
            columns = [dates] + [pd.Series(frame[k].array, index=index, copy=False) for k in texts] + [
                pd.Series(frame[n].to_numpy(dtype="float64"), index=index, copy=False) for n in numbers]
            # Repeated lines are not looked for among groups (see the module's docstring).
            typed, group_problems, _ = read_ledger_deferring_duplicates(
                _ColumnsSheet(name, ["date", *texts, *numbers], columns), statuses)
            del columns, dates
            lines = frame["lines"].to_numpy()
            first_row = frame["first_row"].to_numpy()
            # A group holding a cell a rule reports is read line by line: each line gets its Problem.
            reported = {p.row for p in group_problems}
            redo = frame.iloc[:0][[*keys, "month"]]
            if reported:  # every group read_ledger left out is among them: the rest are typed's rows, in order
                again = index.isin(list(reported))
                redo = frame.loc[again, [*keys, "month"]]
                typed = typed[~typed["row"].isin(list(reported))].reset_index(drop=True)
                first_row, lines = first_row[~again], lines[~again]
            typed_lines = int(lines.sum())
            del frame
            with self._errors():
                table, categories = later()
        del codes  # each line's category code: not held through the rest of the read
        with self._errors():
            if len(redo):  # the lines of those groups, read again
                import pyarrow as pa

                self.con.register("redo_groups", redo)
                match = " AND ".join(f"s.{_quote(k)} IS NOT DISTINCT FROM r.{_quote(k)}" for k in keys)
                again_lines = self.con.sql(f"SELECT s.* FROM ({self._source(summed)}) s JOIN redo_groups r "
                                           f"ON {match} AND s.month = r.month").to_arrow_table(_WHOLE)
                table = pa.concat_tables([table, again_lines])
        rows = table.column("row").to_numpy()
        if len(rows) > 1 and not (rows[1:] > rows[:-1]).all():
            table = table.sort_by("row")
        singles = _sheet_of_lines(table, name, self.fields)
        del table
        ledger, problems, duplicates = read_ledger_deferring_duplicates(singles, statuses)
        del singles
        if self.search_now:
            repeated = duplicates()
            duplicates = lambda: repeated  # noqa: E731 - the search's result, its cells let go
        skipped = len({p.row for p in problems if p.key not in _kept_keys()})
        combined, order_key = _in_row_order(ledger, ledger["row"].to_numpy(), typed, first_row)
        return _Read(combined, order_key, problems, duplicates, len(ledger) + typed_lines + skipped,
                     {_text(c) for c in categories})


@contextlib.contextmanager
def _beside(con: Any, lines_query: str, rows_query: str, codes: _CategoryCodes
            ) -> Iterator[Callable[[], tuple[Any, list[Any]]]]:
    """The single lines and the summed lines' categories (their rows queried, their categories
    looked up in ``codes``), queried by DuckDB in a thread of its own while the groups' cells are
    read in this one (on the machine's other core); the block gets the function that waits for
    them. Leaving the block early stops the queries."""
    from concurrent.futures import ThreadPoolExecutor

    cursor = con.cursor()  # a connection of its own to the same database: one query at a time each

    def work() -> tuple[Any, list[Any]]:
        # One DuckDB thread while the rules have the other core: the lines come as one chunk per
        # column, which the rules take as it is, rather than two joined into a copy (at ten million
        # lines, 290 MB more at the read's peak).
        cursor.execute("SET threads = 1")
        try:
            lines = cursor.sql(lines_query).to_arrow_table(_WHOLE)
            return lines, codes.distinct(cursor.sql(rows_query).to_arrow_reader(1 << 20))
        finally:
            cursor.execute(f"SET threads = {_THREADS}")

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="salesplan-duckdb")
    future = pool.submit(work)
    try:
        yield future.result
    except BaseException:
        cursor.interrupt()
        raise
    finally:
        pool.shutdown(wait=True)
        cursor.close()


class _CategoryCodes:
    """Each file's category column as dictionary codes, read by pyarrow in a thread of its own
    while DuckDB sums the groups (as a context manager: the block waits for it at its end).

    A group is named by its latest line's category, and the Config's categories are checked
    against those of every summed line: both are looked up here by row, so that DuckDB's sums
    neither decode nor carry the text of 8 million categories (about 3 CPU seconds of the
    10-million-line benchmark, its ``arg_max`` and a scan of its own for the distinct ones)."""

    def __init__(self, files: list[tuple[Path, int]], column: str) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="salesplan-categories")
        self._read = self._pool.submit(lambda: {offset: _category_codes(path, column) for path, offset in files})

    def __enter__(self) -> _CategoryCodes:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._pool.shutdown(wait=True)

    def at(self, first_rows: Any, latest: Any) -> Any:
        """The category of each group's latest line (``latest``: its day × 2^32 + its row in its
        file; ``first_rows``: the group's first row, naming the file); None if one of them has
        none (DuckDB's ``arg_max`` then takes the latest line that has one)."""
        import numpy as np
        import pyarrow as pa

        files = self._read.result()
        first_rows = _one_array(first_rows).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        rows = _one_array(latest).to_numpy(zero_copy_only=False).astype(np.int64, copy=False) % (1 << 32) - 1
        offsets = first_rows // FILE_STRIDE * FILE_STRIDE
        found = np.empty(len(rows), dtype=np.int64)
        dictionaries, shift = [], 0
        for offset, (dictionary, codes) in files.items():
            mine = offsets == offset
            # One dictionary for all: each file's codes moved past those of the files before.
            taken = codes[rows[mine]].astype(np.int64)
            found[mine] = np.where(taken < 0, -1, taken + shift)
            dictionaries.append(dictionary)
            shift += len(dictionary)
        if (found < 0).any():
            return None
        values = pa.concat_arrays([d.cast(pa.string()) for d in dictionaries])  # a part reads one file at least
        return values.take(pa.array(found))

    def distinct(self, rows: Any) -> list[Any]:
        """The categories of the lines at ``rows`` (Arrow batches of the rows, numbered as
        :meth:`_ParquetPart._source` numbers them; a batch at a time, so that 8 million rows are
        never held at once), a missing one as None."""
        import numpy as np

        files = self._read.result()
        seen = {offset: np.zeros(len(dictionary) + 1, dtype=bool) for offset, (dictionary, _) in files.items()}
        for batch in rows:
            numbers = batch.column(0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
            offsets = numbers // FILE_STRIDE * FILE_STRIDE
            for offset in np.unique(offsets) if len(files) > 1 else files:
                mine = numbers if len(files) == 1 else numbers[offsets == offset]
                seen[offset][files[offset][1][mine - offset - 1]] = True  # a missing one (-1) is the last
        out: list[Any] = []
        for offset, (dictionary, _) in files.items():
            out += dictionary.filter(seen[offset][:-1]).to_pylist()
            if seen[offset][-1]:
                out.append(None)
        return out


def _category_codes(path: Path, column: str) -> tuple[Any, Any]:
    """A file's category column as its distinct values and each line's code in them (-1: none),
    the values as DuckDB casts them to text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    kind = pq.read_schema(path).field(column).type
    text = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    values = pq.read_table(path, columns=[column], read_dictionary=[column] if text else None).column(0)
    if not pa.types.is_dictionary(values.type):
        values = values.cast(pa.string()).dictionary_encode()
    values = values.unify_dictionaries()
    dictionary = values.chunk(0).dictionary if values.num_chunks else pa.array([], pa.string())
    if not pa.types.is_string(dictionary.type) and not pa.types.is_large_string(dictionary.type):
        dictionary = dictionary.cast(pa.string())
    codes = np.concatenate([chunk.indices.fill_null(-1).to_numpy().astype(np.int32, copy=False)
                            for chunk in values.chunks]) if values.num_chunks else np.zeros(0, np.int32)
    return dictionary, codes


def _first_day(month: int) -> str:
    """A month number's first day, ``2026-12-01``."""
    return f"{month // 12:04d}-{month % 12 + 1:02d}-01"


#: A DuckDB result in as few Arrow chunks as it can give (one per thread): fewer to join.
_WHOLE = 1 << 40


def _by_first_row(column: Any) -> Any:
    """The order of the groups by their first rows (distinct: a line is in one group)."""
    import numpy as np

    return np.argsort(_one_array(column).to_numpy(zero_copy_only=False), kind="stable")


def _in_row_order(lines: pd.DataFrame, rows: Any, groups: pd.DataFrame, first_rows: Any) -> tuple[pd.DataFrame, Any]:
    """Single lines (in row order) and groups (in first-row order) as one ledger in row order, and
    the row (a group's first) of each.

    A file in date order holds its far past, its summed months and its window one after another:
    the ledger is then a few runs of the two, joined without reordering every row."""
    import numpy as np
    import pandas as pd

    keys = _concat_ints(rows, first_rows)
    order = np.argsort(keys, kind="stable")
    # A run ends where the order jumps, and where it passes from the last line to the first group.
    starts = np.flatnonzero((np.diff(order) != 1) | (order[1:] == len(lines))) + 1
    if len(starts) > _FEW_RUNS or not len(lines) or not len(groups):
        combined = pd.concat([lines, groups], ignore_index=True)
        if len(starts) > _FEW_RUNS:
            return combined.take(order).reset_index(drop=True), pd.Series(keys[order])
        return combined, pd.Series(keys[order])
    # Each run sliced from its own frame, and the runs joined at once: the rows are copied once
    # (joining the two frames first, then the runs, copied 2.4 million rows twice).
    runs = []
    for a, b in zip(np.r_[0, starts], np.r_[starts, len(order)]):
        first, last = int(order[a]), int(order[b - 1]) + 1
        runs.append(lines.iloc[first:last] if first < len(lines) else groups.iloc[first - len(lines):last - len(lines)])
    return pd.concat(runs, ignore_index=True), pd.Series(keys[order])


#: Up to this many runs of lines and groups are joined as runs (see _in_row_order).
_FEW_RUNS = 16


def _type_word(kind: Any) -> Any:
    """A Parquet column's type as a person names it (``large_string``: text)."""
    import pyarrow as pa

    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_dictionary(kind):
        return Word("type.text")
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return Word("type.number")
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        return Word("type.date")
    if pa.types.is_boolean(kind):
        return Word("type.bool")
    if pa.types.is_time(kind):
        return Word("type.time")
    return str(kind)


def _concat_ints(first: Any, second: Any) -> Any:
    import numpy as np

    return np.concatenate([np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)])


def _file_by_file(problems: list[Problem]) -> list[Problem]:
    """A folder's Problems of lines in the order of their files (each file's in the order found):
    as reading the files one by one would give them."""
    return sorted(problems, key=lambda p: -1 if p.row is None else int(p.row) // FILE_STRIDE)


def _joined(parts: list[Any]) -> list[Any]:
    """A folder's parts with its Parquet files of the same columns and types joined in one part
    (at the place of the first), the exports of other kinds as they are."""
    kept: list[Any] = []
    joined: dict[Any, _ParquetPart] = {}
    for part in parts:
        if not isinstance(part, _ParquetPart):
            kept.append(part)
        elif part.layout in joined:
            joined[part.layout].files.append((part.path, part.offset))
            joined[part.layout].members.append(part)
        else:
            joined[part.layout] = part.joined()
            kept.append(joined[part.layout])
    return kept


def _text(value: Any) -> str:
    from .ledger import _text as cell_text  # the rule the ledger cleans a text cell with

    return cell_text(value)


def _kept_keys() -> frozenset[str]:
    from .ledger import KEPT_ROW_PROBLEMS

    return KEPT_ROW_PROBLEMS


def _sheet_of_lines(table: Any, name: str, fields: dict[str, str]) -> _ColumnsSheet:
    """The single lines DuckDB gave (field-named columns, ``row``) as a sheet under the file's headers."""
    import pandas as pd

    table = table.combine_chunks()  # one array per column, as the ledger's rules take them
    index = pd.Index(table.column("row").to_numpy(), name=None)
    header, columns = [], []
    for f, column in fields.items():
        header.append(column)
        columns.append(pd.Series(_one_array(table.column(f)).to_pandas().array, index=index, copy=False))
    return _ColumnsSheet(name, header, columns)


def _one_table(table: Any) -> Any:
    import pyarrow as pa

    return pa.table({name: _one_array(table.column(name)) for name in table.column_names})


def _one_array(column: Any) -> Any:
    """A column of a DuckDB result as one Arrow array (no rows come as no chunks at all). A column
    of one chunk is that chunk: concatenating copies even one array, and a million lines' text
    copied again is fresh memory the system must zero."""
    import pyarrow as pa

    if column.num_chunks == 1:
        return column.chunk(0)
    return column.combine_chunks() if column.num_chunks else pa.array([], type=column.type)


class _SheetPart:
    """An .xlsx or .csv export of a folder: read as a Sales tab is, its older months summed at once
    (so that a folder of many exports never holds more than one of them line by line)."""

    def __init__(self, path: Path, offset: int, candidates: tuple[str, ...], name: str, statuses: StatusWords,
                 grouped: tuple[int, int], con: Any) -> None:
        from .ledger import read_ledger_deferring_duplicates

        self.path, self.offset = path, offset
        if path.suffix.lower() in {".csv", ".txt"}:
            sheet: SheetRows = read_csv_rows(path)
        else:
            from .sniff import check_workbook_file

            with _unreadable(path):
                check_workbook_file(path)
                source = WorkbookSource(path)
                sheet_name = sales_sheet_name(source, candidates, first_if_none=True)
                if sheet_name is None:
                    raise InputError("err.empty_sheet", sheet=path.name)
                sheet = source.rows(sheet_name)
        header_row, columns = find_header(_Renamed(sheet, path.name, 0))
        header = sheet.head(header_row)[header_row - 1]
        self.fields = {f: str(header[c]) for f, c in columns.items()}
        with _unreadable(path), reader_errors(path, sheet.name):
            ledger, self.problems, duplicates = read_ledger_deferring_duplicates(_Renamed(sheet, name, offset),
                                                                                 statuses)
            # Looked for now, while this file's cells are at hand, not kept for later.
            self.repeated = duplicates()
        self.skipped = len({p.row for p in self.problems if p.key not in _kept_keys()})
        self._months = ledger["month"].value_counts().sort_index().astype("int64")
        summed = ledger["month"].between(*grouped).to_numpy()
        self.lines = ledger[~summed].reset_index(drop=True)
        self.categories = set(ledger.loc[summed, "category"].unique())
        self.groups, self.first_rows, self.group_lines = summed_lines(ledger[summed], con)

    def months(self) -> pd.Series:
        return self._months

    def count_months(self) -> None:
        """Counted as the file was read."""

    def read_parts(self, name: str, statuses: StatusWords, grouped: tuple[int, int],
                   excluded: dict[Path, set[int]]) -> list[_Read]:
        return [self.read(name, statuses, grouped, excluded.get(self.path, set()))]

    def read(self, name: str, statuses: StatusWords, grouped: tuple[int, int], excluded: set[int]) -> _Read:
        import pandas as pd

        lines, groups, first_rows, group_lines = self.lines, self.groups, self.first_rows, self.group_lines
        if excluded:
            kept_lines = ~lines["month"].isin(excluded).to_numpy()
            kept_groups = ~groups["month"].isin(excluded).to_numpy()
            lines, groups = lines[kept_lines], groups[kept_groups]
            first_rows, group_lines = first_rows[kept_groups], group_lines[kept_groups]
        combined = pd.concat([lines, groups], ignore_index=True)
        order_key = pd.Series(_concat_ints(lines["row"].to_numpy(), first_rows))
        repeated = self.repeated
        return _Read(combined, order_key, self.problems, lambda: repeated,
                     len(lines) + int(group_lines.sum()) + self.skipped, self.categories)


class _Renamed(SheetRows):
    """A sheet under another name, its rows numbered from ``offset`` on (a folder's file)."""

    def __init__(self, sheet: SheetRows, name: str, offset: int) -> None:
        self.name, self._sheet, self._offset = name, sheet, offset

    @property
    def rows(self) -> list[list[Any]]:  # type: ignore[override]
        return self._sheet.rows

    def head(self, count: int) -> list[list[Any]]:
        return self._sheet.head(count)

    def columns(self, first_row: int, wanted: dict[str, int]) -> dict[str, pd.Series]:
        columns = self._sheet.columns(first_row, wanted)
        if self._offset:
            for series in columns.values():
                series.index = series.index + self._offset
        return columns


def summed_lines(ledger: pd.DataFrame, con: Any) -> tuple[pd.DataFrame, Any, Any]:
    """Typed lines of the grouped months as groups (the module's docstring): the groups, the first
    row of each, and how many lines each holds."""
    import numpy as np
    import pandas as pd

    keys = [f for f in ("manager", "client", "status", "kind", *CONTACT_FIELDS) if f in ledger]
    if not len(ledger):
        return ledger.iloc[:0], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    con.register("typed_lines", ledger)
    quoted = ", ".join(_quote(k) for k in keys)
    latest = f"CAST(date_diff('day', TIMESTAMP '1970-01-01', date) AS BIGINT) * 4294967296 + (row % {FILE_STRIDE})"
    frame = con.sql(
        f"SELECT {quoted}, month, arg_max(category, {latest}) AS category, kahan_sum(amount) AS amount, "
        f"sum(quantity) AS quantity, count(*) AS lines, min(row) AS first_row, max({latest}) AS latest "
        f"FROM typed_lines GROUP BY {quoted}, month").df()
    con.unregister("typed_lines")
    day, row = divmod(frame["latest"].to_numpy(), 4294967296)
    stride = (ledger["row"].iloc[0] // FILE_STRIDE) * FILE_STRIDE
    out = pd.DataFrame({
        "row": (row + stride).astype("int64"),
        "date": (day.astype("int64") * 86_400_000_000).astype("datetime64[us]"),
        "month": frame["month"].astype("int64"),
        **{k: frame[k].astype("str") for k in ("manager", "client", "category", "status")},
        "brand": "", "product": "",
        "quantity": frame["quantity"].astype("float64"),
        "amount": frame["amount"].astype("float64"),
        "order": "",
        "kind": frame["kind"].astype("str"),
        **{k: frame[k].astype("str") for k in CONTACT_FIELDS if k in keys},
    })
    out = out[[c for c in ledger.columns]]
    return out, frame["first_row"].to_numpy(dtype="int64"), frame["lines"].to_numpy(dtype="int64")


# --------------------------------------------------------------------------------------------------
# Between files


def _same_columns(parts: list[Any]) -> None:
    """Every file of a folder has the same fields (by their headers' meaning, in any order)."""
    first = parts[0]
    for part in parts[1:]:
        if set(part.fields) != set(first.fields):
            missing = [first.fields[f] for f in first.fields if f not in part.fields]
            extra = [part.fields[f] for f in part.fields if f not in first.fields]
            raise InputError("err.source_columns", path=str(part.path), first=first.path.name,
                             missing=", ".join(missing) or "—", extra=", ".join(extra) or "—")


def _months_twice(parts: list[Any]) -> tuple[dict[Path, set[int]], list[Problem]]:
    """A month in two files of a folder (an export saved twice) is counted once: from the file with
    more lines of it (of two alike, the later by name); the other file's lines of that month are
    left out, and a Problem names both."""
    from ..months import month_label

    if len(parts) < 2:
        return {}, []
    holders: dict[int, list[tuple[int, int, Any]]] = {}
    for position, part in enumerate(parts):
        for month, lines in part.months().items():
            holders.setdefault(int(month), []).append((int(lines), position, part))
    excluded: dict[Path, set[int]] = {}
    problems = []
    for month, held in sorted(holders.items()):
        if len(held) < 2:
            continue
        held.sort(key=lambda h: (h[0], h[1]))
        kept = held[-1]
        for lines, _, part in held[:-1]:
            excluded.setdefault(part.path, set()).add(month)
            problems.append(Problem(part.path.name, None, "", month_label(month), "prob.source_month_twice",
                                    {"month": month_label(month), "kept": kept[2].path.name, "kept_lines": kept[0],
                                     "left": part.path.name, "left_lines": lines}))
    return excluded, problems


@contextlib.contextmanager
def _unreadable(path: Path) -> Iterator[None]:
    """A file of a folder that no reader can open: a message naming it."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the readers raise for a damaged file
        raise InputError("err.source_unreadable", path=str(path), detail=_short(exc)) from None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
