"""The Sales tab: sale lines as a typed DataFrame, with the Problems of the rows left out.

Accepts what accounting systems export: Russian or English headers under many names (1C calls the
client «Контрагент» and the product «Номенклатура»), in any order, with a title above them; dates as
real dates, Excel serial numbers or ``dd.mm.yyyy`` text; amounts as numbers or text such as
``1 234,50 ₽`` or ``−500``.

Output columns: ``row`` (the sheet's row number), ``date``, ``month`` (a month number, see
:func:`salesplan.months.month_number`), ``manager``, ``client``, ``category``, ``brand``,
``product``, ``quantity``, ``amount``, ``order``, ``status``, ``kind`` (``sale``/``open``/``refused``).

Every rule below is a function of one cell (``_text``, ``filled``, the date formats...). A million-row
sheet holds only a few thousand distinct values per column, so each rule runs once per distinct
value and the result is spread back over the rows (:class:`_Cells`): no Python runs per cell, and a
typed column (dates, numbers, text from the fast reader) parses exactly as its cells would.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem
from ..months import month_number
from ..words import XML_ILLEGAL, fold, xml_text
from .header import (  # noqa: F401
    ALIASES,
    CONTACT_FIELDS,
    FIELDS,
    HEADER_SCAN_ROWS,
    OPTIONAL,
    REQUIRED,
    column_letter,
    filled,
    find_header,
    normalise_header,
)
from .rows import SheetRows

_TEXT_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y", "%Y-%m-%d",
                      "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y")
_TOTAL_WORDS = re.compile(r"^\s*(итого|всего|total|grand total)\b", re.IGNORECASE)


#: Problems of rows that stay in the ledger (noted, still counted); every other one skips its row.
KEPT_ROW_PROBLEMS = frozenset({"prob.duplicate_row", "prob.bad_quantity", "prob.order_two_clients", "prob.bad_chars"})


@dataclass(frozen=True)
class StatusWords:
    """The three groups of status words from the Config tab, normalised."""

    sale: frozenset[str]
    open: frozenset[str]
    refused: frozenset[str]

    def kind_of(self) -> dict[str, str]:
        kinds = {w: "sale" for w in self.sale}
        kinds.update({w: "open" for w in self.open})
        kinds.update({w: "refused" for w in self.refused})
        return kinds


def normalise_status(value: object) -> str:
    """A status word as it is compared: case, ё/е and extra spaces ignored (:func:`~salesplan.words.fold`)."""
    return fold(value)


def read_ledger(sheet: SheetRows, statuses: StatusWords) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse the sale lines of ``sheet``; rows that cannot be used become Problems, and so do rows
    repeating an earlier one (those are still counted)."""
    ledger, problems, duplicates = read_ledger_deferring_duplicates(sheet, statuses)
    return ledger, problems + duplicates()


def read_ledger_deferring_duplicates(sheet: SheetRows, statuses: StatusWords
                                     ) -> tuple[pd.DataFrame, list[Problem], Callable[[], list[Problem]]]:
    """:func:`read_ledger`, with the search for repeated rows left as a function to call later
    (a build runs it in a thread while it plans the month)."""
    header_row, columns = find_header(sheet)
    header = sheet.head(header_row)[header_row - 1]
    raw = sheet.columns(header_row + 1, columns)
    index = next(iter(raw.values())).index  # sheet row numbers
    rows = index.to_numpy(dtype="int64")
    cells = {f: _Cells(raw[f]) if f in raw else _Cells.empty(len(index)) for f in FIELDS}
    problems: list[Problem] = []

    def report(mask: np.ndarray, field: str, key: str) -> None:
        col = columns.get(field)
        name = str(header[col]) if col is not None else ""
        for i in np.flatnonzero(mask):
            problems.append(Problem(sheet.name, int(rows[i]), name, cells[field].value(i), key, {}))

    # Each column's distinct values are found by Arrow and pandas hash tables that let go of the
    # GIL: two threads take the columns in turns (a third of a second at a million rows).
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="salesplan-parse") as pool:
        present = dict(zip(columns, pool.map(lambda f: cells[f].present(), columns)))
    alive = np.logical_or.reduce(list(present.values()))  # a blank row is ignored silently

    # A totals row has no date: the words are looked for only when some row has none (a column of
    # typed dates, as from Parquet, has a date in every filled cell).
    totals = alive & ~cells["date"].apply(_is_date_like, bool)
    if totals.any():
        totals &= (cells["client"].apply(_is_total, bool) | cells["date"].apply(_is_total, bool)
                   | cells["manager"].apply(_is_total, bool))
    report(totals, "client", "prob.totals_row")
    alive &= ~totals

    dates = _dates(cells["date"])
    amounts = _amounts(cells["amount"])
    text = {f: cells[f].text() for f in ("manager", "client", "category", "brand", "product", "order", "status")}
    status_words, status_codes = text["status"].distinct()
    kind_of = statuses.kind_of()
    kinds_of_words = [kind_of.get(normalise_status(w)) if normalise_status(w) != "" else "sale"
                      for w in status_words]
    kinds_known = np.array([k is not None for k in kinds_of_words], dtype=bool)[status_codes]

    bad_date = alive & np.isnat(dates)
    bad_amount = alive & ~bad_date & np.isnan(amounts)
    no_manager = alive & ~bad_date & ~bad_amount & text["manager"].blank()
    no_client = alive & ~bad_date & ~bad_amount & ~no_manager & text["client"].blank()
    unknown = alive & ~bad_date & ~bad_amount & ~no_manager & ~no_client & ~kinds_known
    report(bad_date, "date", "prob.bad_date")
    ambiguous = bad_amount & cells["amount"].apply(ambiguous_amount, bool) if bad_amount.any() else bad_amount
    for i in np.flatnonzero(ambiguous):
        value = cells["amount"].value(i)
        problems.append(Problem(sheet.name, int(rows[i]), str(header[columns["amount"]]), value,
                                "prob.ambiguous_amount", {"value": value}))
    report(bad_amount & ~ambiguous, "amount", "prob.bad_amount")
    report(no_manager, "manager", "prob.no_manager")
    report(no_client, "client", "prob.no_client")
    for i in np.flatnonzero(unknown):
        status = status_words[status_codes[i]]
        problems.append(Problem(sheet.name, int(rows[i]), str(header[columns["status"]]), status,
                                "prob.unknown_status", {"status": status}))

    keep = alive & ~(bad_date | bad_amount | no_manager | no_client | unknown)
    quantity = _amounts(cells["quantity"]) if "quantity" in raw else np.full(len(rows), np.nan)
    bad_qty = keep & present.get("quantity", np.zeros(len(rows), dtype=bool)) & np.isnan(quantity)
    report(bad_qty, "quantity", "prob.bad_quantity")
    for field, cleaned in text.items():  # characters no sheet can hold: noted, cut when written
        found = keep & cleaned.unwritable()
        col = columns.get(field)
        for i in np.flatnonzero(found):
            value = cells[field].value(i)
            problems.append(Problem(sheet.name, int(rows[i]), str(header[col]) if col is not None else "",
                                    xml_text(str(value)), "prob.bad_chars", {"chars": unwritable_chars(str(value))}))

    ledger = pd.DataFrame({
        "row": rows[keep],
        "date": pd.Series(dates[keep]).astype("datetime64[us]"),
        "manager": text["manager"].column(keep),
        "client": text["client"].column(keep),
        "category": text["category"].column(keep),
        "brand": text["brand"].column(keep),
        "product": text["product"].column(keep),
        "quantity": quantity[keep].astype("float64"),
        "amount": amounts[keep].astype("float64"),
        "order": text["order"].column(keep),
        "status": text["status"].column(keep),
        "kind": _strings([k or "" for k in kinds_of_words], status_codes[keep]),
    }, copy=False)  # the columns are new arrays: gathering them into blocks would copy 40 MB for nothing
    for field in CONTACT_FIELDS:  # only when the export has them: a million rows need not carry empties
        if field in raw:
            ledger[field] = cells[field].text().column(keep)
    ledger.insert(2, "month", month_number(ledger["date"]))
    problems.sort(key=lambda p: (p.row or 0))

    def duplicates() -> list[Problem]:
        fields = {"date": dates[keep].view("int64"), "quantity": quantity[keep], "amount": amounts[keep],
                  **{f: text[f].ids(keep) for f in text}}
        return duplicate_rows(fields, rows[keep], sheet.name)

    logging.getLogger("salesplan.progress").info("plan", extra={"rows": len(ledger)})
    return ledger, problems, duplicates


def duplicate_rows(fields: dict[str, Any], rows: np.ndarray, sheet: str) -> list[Problem]:
    """Rows identical in every field to an earlier row: counted (a real repeat purchase is possible)
    but reported, since exports sometimes repeat lines.

    Args:
        fields: per field, one value per row that is equal exactly when the cells are (numbers, or
            ids of the cleaned text), or the cleaned texts themselves as an Arrow array for a column
            of mostly distinct values: left out of the hash, compared among the candidates only.
        rows: the sheet row number of each row.
    """
    if len(rows) < 2:
        return []
    # A hash of each row finds the few rows that may repeat one another in one pass; those alone
    # are then compared field by field (a hash collision costs a comparison, never a false report).
    combined = np.zeros(len(rows), dtype=np.uint64)
    for values in fields.values():
        if not isinstance(values, np.ndarray):
            continue  # texts of mostly distinct values (order numbers): compared among candidates
        if values.dtype.kind == "f":
            values = np.where(np.isnan(values), np.nan, values + 0.0)  # one NaN, and -0.0 as 0.0
        combined = combined * np.uint64(1_000_003) ^ pd.util.hash_array(values)
    where = np.flatnonzero(pd.Series(combined).duplicated(keep=False).to_numpy())
    texts = {name: values for name, values in fields.items() if not isinstance(values, np.ndarray)}
    if len(where) and texts:  # the candidates' texts left out, hashed in their turn
        texts = {name: values.take(where).to_numpy(zero_copy_only=False) for name, values in texts.items()}
        combined = combined[where]
        for values in texts.values():
            combined = combined * np.uint64(1_000_003) ^ pd.util.hash_array(values)
        still = pd.Series(combined).duplicated(keep=False).to_numpy()
        where, texts = where[still], {name: values[still] for name, values in texts.items()}
    if not len(where):
        return []
    frame = pd.DataFrame({name: texts[name] if name in texts else values[where] for name, values in fields.items()})
    repeated = frame.duplicated(keep="first").to_numpy()
    first_row = pd.Series(rows[where]).groupby([frame[c] for c in frame], sort=False, dropna=False).transform("first")
    return [Problem(sheet, int(row), "", "", "prob.duplicate_row", {"first": int(first)})
            for row, first in zip(rows[where][repeated], first_row.to_numpy()[repeated])]


def ledger_from_frame(frame: pd.DataFrame, statuses: StatusWords,
                      name: str = "Sales") -> tuple[pd.DataFrame, list[Problem]]:
    """Parse a DataFrame whose columns are headers (e.g. the demo's) as if it were a sheet."""
    rows = [list(frame.columns)] + frame.astype(object).where(frame.notna(), "").values.tolist()
    return read_ledger(SheetRows(name, rows), statuses)


def parse_dates(values: pd.Series) -> pd.Series:
    """Cell values -> datetime64; NaT where a value is not a date.

    Real dates pass through; numbers are Excel serial dates (1900 system); text is tried against the
    formats exports use (``dd.mm.yyyy`` first, as Russian systems write it).
    """
    if values.empty:
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    return pd.Series(_dates(_Cells(values)), index=values.index, dtype="datetime64[us]")


def _dates(cells: _Cells) -> np.ndarray:
    """:func:`parse_dates` of a column's cells, as datetime64[us]."""
    distinct = _parse_dates(pd.Series(cells.values, dtype=object)).to_numpy(dtype="datetime64[us]")
    return distinct[cells.codes]


def _parse_dates(values: pd.Series) -> pd.Series:
    """:func:`parse_dates` of a few distinct cell values (object Series)."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    kinds = values.map(type)
    is_date = kinds.map(lambda k: issubclass(k, (dt.date, np.datetime64)))
    if is_date.any():
        out[is_date] = pd.to_datetime(values[is_date].map(_as_datetime))
    is_number = kinds.map(lambda k: k in (int, float) or issubclass(k, (np.integer, np.floating)))
    if is_number.any():
        serial = pd.to_numeric(values[is_number], errors="coerce").astype("float64")
        plausible = serial.between(1, 2958465)  # 1900-01-01 .. 9999-12-31
        # In microseconds: pandas' day unit goes through nanoseconds, which end in the year 2262.
        micros = (serial[plausible].round(6).to_numpy() * 86_400_000_000).round().astype("int64")
        out[plausible[plausible].index] = np.datetime64("1899-12-30", "us") + micros.astype("timedelta64[us]")
    is_text = kinds.map(lambda k: issubclass(k, str))
    if is_text.any():
        text = values[is_text].str.strip()
        todo = text != ""
        for fmt in _TEXT_DATE_FORMATS:
            if not todo.any():
                break
            parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
            hit = parsed.notna()
            out[hit[hit].index] = parsed[hit]
            todo[hit[hit].index] = False
        # An Excel serial date stored as text («46269», a column formatted as text before the paste).
        serial_text = todo & text.str.fullmatch(r"\d{5}(\.\d+)?")
        if serial_text.any():
            serial = pd.to_numeric(text[serial_text], errors="coerce").astype("float64")
            micros = (serial.round(6).to_numpy() * 86_400_000_000).round().astype("int64")
            out[serial.index] = np.datetime64("1899-12-30", "us") + micros.astype("timedelta64[us]")
    return out.dt.normalize()


#: One separator followed by exactly three digits: a thousands separator or a decimal one?
_AMBIGUOUS = r"^[+-]?\d{1,3}[.,]\d{3}$"


def ambiguous_amount(value: object) -> bool:
    """Text such as «1.234» or «$1,000» that reads as a thousand and more or as one and a bit."""
    if not isinstance(value, str):
        return False
    text = _AMOUNT_JUNK.sub("", value).replace("\u2212", "-").strip("()")
    return re.match(_AMBIGUOUS, text) is not None


_AMOUNT_JUNK = re.compile(r"[\s\u00a0\u202f\u2009'₽$€]|руб\.?|р\.|rub", re.IGNORECASE)


def parse_amounts(values: pd.Series) -> pd.Series:
    """Cell values -> float64; NaN where a value is empty or not a number.

    Text such as ``1 234,50``, ``1.234,50``, ``1,234.50``, ``-500 ₽``, ``−500`` (Unicode minus) and
    ``(500)`` (accounting negative) is understood.
    """
    if values.empty:
        return pd.Series(np.nan, index=values.index, dtype="float64")
    return pd.Series(_amounts(_Cells(values)), index=values.index, dtype="float64")


def _amounts(cells: _Cells) -> np.ndarray:
    """:func:`parse_amounts` of a column's cells, as float64."""
    if cells.series is not None and cells.series.dtype.kind == "f":
        return cells.series.to_numpy(dtype="float64")  # typed numbers: an empty cell is NaN either way
    distinct = _parse_amounts(pd.Series(cells.values, dtype=object)).to_numpy(dtype="float64")
    return distinct[cells.codes]


def _parse_amounts(values: pd.Series) -> pd.Series:
    """:func:`parse_amounts` of a few distinct cell values (object Series)."""
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    kinds = values.map(type)
    is_number = kinds.map(lambda k: (k in (int, float) or issubclass(k, (np.integer, np.floating)))
                          and not issubclass(k, bool))
    out[is_number] = pd.to_numeric(values[is_number], errors="coerce")
    is_text = kinds.map(lambda k: issubclass(k, str))
    if is_text.any():
        text = values[is_text].str.replace(_AMOUNT_JUNK, "", regex=True)
        text = text.str.replace("\u2212", "-", regex=False).str.replace("\u2013", "-", regex=False)
        negative = text.str.match(r"^\(.*\)$")
        text = text.str.strip("()")
        # The separator that comes last is the decimal one; the other groups thousands.
        last_comma, last_dot = text.str.rfind(","), text.str.rfind(".")
        comma_decimal = last_comma > last_dot
        # «1.234» and «1,234» may be a thousand and more or one and a bit: the column's other values
        # settle it (one with two separators, or one separator not followed by three digits); when
        # they do not, the amount is left out and named (see ambiguous_amount).
        ambiguous = text.str.match(_AMBIGUOUS)
        telling = ~ambiguous & ((last_comma >= 0) | (last_dot >= 0))
        says_comma = bool((telling & comma_decimal).any())
        says_dot = bool((telling & ~comma_decimal).any())
        if ambiguous.any():
            comma_decimal = comma_decimal.where(~ambiguous, says_comma)
        text = text.where(~comma_decimal, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
        text = text.where(comma_decimal, text.str.replace(",", "", regex=False))
        number = pd.to_numeric(text.where(text.str.match(r"^[+-]?(\d+\.?\d*|\.\d+)$"), None), errors="coerce")
        number = number.where(~ambiguous | (says_comma != says_dot))
        out[is_text] = number.where(~negative, -number)
    return out.astype("float64")


class _Cells:
    """One column's cells as their distinct values: cell ``i`` is ``values[codes[i]]``.

    ``values`` are the Python objects the row reader gives (an empty cell is ``""``), whatever the
    column came as: an object Series of cells, or a typed one from the fast reader (datetime64: a
    ``date``, or a ``datetime`` when there is a time; float64: a ``float``; str), whose missing
    values are empty cells. Distinct means equal and of the same type, so ``1``, ``1.0`` and
    ``True`` stay apart. The distinct values are found on first use: a text column is cleaned and
    checked with Arrow's string kernels instead (:meth:`present`, :meth:`text`).

    >>> c = _Cells(pd.Series(["a", 1.0, "a", True, 1], dtype=object))
    >>> c.values, [int(code) for code in c.codes]
    (['a', 1.0, True, 1], [0, 1, 0, 2, 3])
    """

    def __init__(self, series: pd.Series | None, length: int | None = None) -> None:
        self.series = series
        self.length = len(series) if series is not None else int(length or 0)
        self._distinct: tuple[np.ndarray, list[Any]] | None = None
        self._objects = series.to_numpy() if series is not None and series.dtype == object else None
        self._arrow: tuple[Any, np.ndarray] | None = None
        self._plain = False  # a text column of mostly distinct values, kept as it is (see _arrow_distinct)

    @classmethod
    def empty(cls, length: int) -> _Cells:
        """A column that is not on the sheet: every cell empty."""
        cells = cls(None, length)
        cells._distinct = (np.zeros(length, dtype=np.int64), [""])
        return cells

    @property
    def codes(self) -> np.ndarray:
        return self._find_distinct()[0]

    @property
    def values(self) -> list[Any]:
        return self._find_distinct()[1]

    def value(self, i: int) -> Any:
        """Cell ``i`` as the row reader gives it."""
        if self._objects is not None:
            return self._objects[i]
        if self._plain:
            return self._arrow[0][i].as_py()
        return self.values[self.codes[i]]

    def apply(self, rule: Any, dtype: Any = object) -> np.ndarray:
        """``rule`` of every cell, computed once per distinct value."""
        return np.array([rule(v) for v in self.values], dtype=dtype)[self.codes]

    def present(self) -> np.ndarray:
        """:func:`filled` of every cell."""
        if self.series is not None and self.series.dtype.kind == "f":
            return ~np.isnan(self.series.to_numpy(dtype="float64"))  # typed numbers: NaN is an empty cell
        encoded = self._arrow_distinct()
        if encoded is None:
            return self.apply(filled, bool)
        import pyarrow.compute as pc

        words, codes = encoded
        blank = pc.match_substring_regex(words, f"^{_WHITESPACE}*$").to_numpy(zero_copy_only=False)
        return ~np.append(blank, True)[codes]  # code -1, a missing value, picks the appended True

    def text(self) -> _Text:
        """:func:`_text` of every cell."""
        encoded = self._arrow_distinct()
        if encoded is None:
            values = self.values
            unwritable = np.array([isinstance(v, str) and XML_ILLEGAL.search(v) is not None for v in values], bool)
            return _Text([_text(v) for v in values], self.codes, unwritable=unwritable)
        import pyarrow as pa
        import pyarrow.compute as pc

        words, codes = encoded
        # Only text with whitespace at an end, in a run, or other than a space needs cleaning.
        untidy = pc.match_substring_regex(
            words, f"^{_WHITESPACE}|{_WHITESPACE}$|{_WHITESPACE}{_WHITESPACE}|{_OTHER_WHITESPACE}")
        tidy = not pc.any(untidy).as_py()
        if not tidy:
            cleaned = [_text(v) for v in words.filter(untidy).to_pylist()]
            words = pc.replace_with_mask(words, untidy, pa.array(cleaned, type=words.type))
        if self._plain:  # the words are the column itself, cleaned where it needed it
            return _Text(arrow=(words, codes, words), plain=True)
        return _Text(arrow=(words, codes, pa.array(self.series.array) if tidy else None))

    def _arrow_distinct(self) -> tuple[Any, np.ndarray] | None:
        """(distinct values as an Arrow string array, codes with -1 for a missing value) when the
        column is typed text, else None."""
        if self.series is None or not isinstance(self.series.dtype, pd.StringDtype):
            return None
        if self._arrow is None:
            try:
                import pyarrow as pa
                import pyarrow.compute as pc
            except ImportError:  # pragma: no cover
                return None
            column = pa.array(self.series.array)
            if _mostly_distinct(column):
                # Order numbers: finding a million distinct values costs more than it saves, so each
                # cell stands for itself (an empty one as the empty text).
                self._plain = True
                self._arrow = (column.fill_null(""), np.arange(len(column), dtype=np.int64))
            else:
                encoded = pc.dictionary_encode(column)
                codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
                self._arrow = (encoded.dictionary, codes)
        return self._arrow

    def _find_distinct(self) -> tuple[np.ndarray, list[Any]]:
        if self._distinct is None:
            self._distinct = self._distinct_of(self.series)
        return self._distinct

    def _distinct_of(self, series: pd.Series) -> tuple[np.ndarray, list[Any]]:
        dtype = series.dtype
        if self._objects is not None:
            return _distinct_objects(self._objects)
        if dtype.kind == "M":
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            values = [t.date() if t == t.normalize() else t.to_pydatetime() for t in uniques]
        elif dtype.kind == "f":
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            values = [float(v) for v in uniques]
        elif isinstance(dtype, pd.StringDtype) and self._arrow_distinct() is not None:
            words, codes = self._arrow_distinct()
            values = words.to_pylist()
        else:  # any other typed column: as the cells it holds
            self._objects = series.astype(object).to_numpy()
            return _distinct_objects(self._objects)
        codes = np.asarray(codes, dtype=np.int64)
        if (codes < 0).any():  # a missing value is an empty cell
            codes = np.where(codes < 0, len(values), codes)
            values.append("")
        return codes, values


#: Columns shorter than this are always encoded; longer ones are sampled (see _mostly_distinct).
_PLAIN_MIN_ROWS = 100_000
_PLAIN_SAMPLE = 65_536


def _mostly_distinct(column: Any) -> bool:
    """Whether a long text column's first rows are more than a fifth distinct values."""
    import pyarrow.compute as pc

    if len(column) < _PLAIN_MIN_ROWS:
        return False
    sample = column.slice(0, _PLAIN_SAMPLE)
    return len(pc.unique(sample)) > len(sample) // 5


class _Text:
    """A text field's cleaned cells: distinct words and codes (a list, or an Arrow array whose
    code -1 is an empty cell, with the column itself when cleaning changed nothing)."""

    def __init__(self, words: list[str] | None = None, codes: np.ndarray | None = None,
                 arrow: tuple[Any, np.ndarray, Any] | None = None, plain: bool = False,
                 unwritable: np.ndarray | None = None) -> None:
        self.words, self.codes, self.arrow = words, codes, arrow
        self._unwritable = unwritable  # per word of the list form: its cell held such a character
        self.plain = plain  # arrow's words are the column itself, one per cell

    def blank(self) -> np.ndarray:
        """Whether each cell is empty text."""
        if self.arrow is not None:
            import pyarrow.compute as pc

            words, codes, _ = self.arrow
            return np.append(pc.equal(words, "").to_numpy(zero_copy_only=False), True)[codes]
        return np.array([w == "" for w in self.words], dtype=bool)[self.codes]

    def unwritable(self) -> np.ndarray:
        """Whether each cell holds a character XML cannot carry (:data:`salesplan.words.XML_ILLEGAL`)."""
        if self.arrow is not None:  # Arrow's UTF-8 holds no surrogates
            import pyarrow.compute as pc

            words, codes, _ = self.arrow
            found = pc.match_substring_regex(words, _UNWRITABLE).to_numpy(zero_copy_only=False)
            return np.append(found, False)[codes]
        if self._unwritable is None:
            return np.array([XML_ILLEGAL.search(w) is not None for w in self.words], dtype=bool)[self.codes]
        return self._unwritable[self.codes]

    def distinct(self) -> tuple[list[str], np.ndarray]:
        """(distinct words, codes)."""
        if self.arrow is not None:
            words, codes, _ = self.arrow
            return words.to_pylist() + [""], np.where(codes < 0, len(words), codes)
        return self.words, self.codes

    def ids(self, keep: np.ndarray) -> Any:
        """The kept cells as numbers, equal exactly when their cleaned text is (cleaning may make
        two distinct cells one text); for a column of mostly distinct values, its kept cleaned
        texts as an Arrow array (see :func:`duplicate_rows`)."""
        if self.plain:
            import pyarrow as pa

            words = self.arrow[0]
            return words if keep.all() else words.filter(pa.array(keep))
        if self.arrow is None:
            canonical = pd.factorize(np.asarray(self.words, dtype=object))[0]
            return canonical[self.codes[keep]].astype(np.int64)
        import pyarrow.compute as pc

        words, codes, column = self.arrow
        # Arrow's words are distinct unless cleaning made two of them one; an empty cell (code -1)
        # is the empty text.
        encoded = pc.dictionary_encode(words)
        empty = pc.index(encoded.dictionary, "").as_py()
        kept = codes if keep.all() else codes[keep]
        if len(encoded.dictionary) == len(words) and empty < 0:  # the codes are the ids already
            return kept
        canonical = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        canonical = np.append(canonical, empty if empty >= 0 else len(encoded.dictionary))
        return canonical[kept]

    def column(self, keep: np.ndarray) -> Any:
        """The kept cells as a str column for the ledger frame."""
        if self.arrow is None:
            return _strings(self.words, self.codes[keep])
        words, codes, column = self.arrow
        if column is not None and not (codes < 0).any():  # nothing to clean: the column as read
            if not keep.any():
                return np.array([], dtype=object)
            import pyarrow as pa

            kept = column if keep.all() else column.filter(pa.array(keep))
            return pd.Series(kept.to_pandas(), dtype="str").array
        distinct, codes = self.distinct()
        return _strings(distinct, codes[keep])


#: Python's whitespace (str.isspace: what re's \s, str.split and str.strip mean) for Arrow's RE2.
_WHITESPACE = r"[\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
_OTHER_WHITESPACE = _WHITESPACE.replace(r"\x{1c}-\x{20}", r"\x{1c}-\x{1f}")


#: :data:`salesplan.words.XML_ILLEGAL` for Arrow's RE2 (but the surrogates, which UTF-8 cannot hold).
_UNWRITABLE = r"[\x{0}-\x{8}\x{b}\x{c}\x{e}-\x{1f}\x{fffe}\x{ffff}]"


def unwritable_chars(text: str) -> str:
    """The characters of ``text`` XML cannot carry, named for a person: ``U+FFFE, U+0001``."""
    found = dict.fromkeys(XML_ILLEGAL.findall(text))
    return ", ".join(f"U+{ord(ch):04X}" for ch in found)


def _distinct_objects(objects: np.ndarray) -> tuple[np.ndarray, list[Any]]:
    """Codes and distinct values of an object array, keeping values of different types apart; each
    distinct value is the first cell that has it (factorize would turn None into NaN)."""
    types = np.fromiter(map(type, objects), dtype=object, count=len(objects))
    type_codes, kinds = pd.factorize(types)
    groups = [slice(None)] if len(kinds) <= 1 else [type_codes == i for i in range(len(kinds))]
    codes = np.empty(len(objects), dtype=np.int64)
    values: list[Any] = []
    for where in groups:
        group = objects[where]
        group_codes = np.asarray(pd.factorize(group, use_na_sentinel=False)[0], dtype=np.int64)
        first = np.full(group_codes.max(initial=-1) + 1, len(group), dtype=np.int64)
        np.minimum.at(first, group_codes, np.arange(len(group)))
        codes[where] = group_codes + len(values)
        values.extend(group[first])
    return codes, values


def _strings(values: list[str], codes: np.ndarray) -> Any:
    """A str column whose cell ``i`` is ``values[codes[i]]``, built without a Python object per cell.

    No cells give an empty object array, as pandas leaves a column of no strings.
    """
    if not len(codes):
        return np.array([], dtype=object)
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        return np.array(values, dtype=object)[codes]
    strings = pa.array(values, type=pa.large_string()).take(pa.array(codes, type=pa.int64()))
    return pd.Series(strings.to_pandas(), dtype="str").array


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: object) -> str:
    if not filled(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a client or order number typed as a number
    # Runs of whitespace to one space, none at the ends (str.split's whitespace is re's \s).
    text = " ".join(str(value).split())
    if _SURROGATE.search(text):  # a lone surrogate (a live Excel sheet may hand one over) fits no
        text = xml_text(text)  # text column: the other characters stay
    return text


def _is_total(value: object) -> bool:
    return isinstance(value, str) and bool(_TOTAL_WORDS.match(value))


def _is_date_like(value: object) -> bool:
    return isinstance(value, (dt.date, np.datetime64))


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return pd.Timestamp(value).to_pydatetime()


#: Rows left out that hold no sale of the plan: a totals row, a date after the plan month.
NOT_SALES = frozenset({"prob.totals_row", "prob.future_date", "prob.far_date"})

#: What a manager can do about each cause of skipped Sales rows (text keys: ``skip.<problem key>``).
SKIP_CAUSES = ("prob.no_manager", "prob.bad_amount", "prob.bad_date", "prob.no_client", "prob.unknown_status",
               "prob.totals_row")


@dataclass(frozen=True)
class SkippedRows:
    """Sales rows that could not be used, by cause: a plan built from too few rows says so.

    Attributes:
        read: rows of the Sales tab read (used or skipped).
        skipped: rows skipped.
        causes: (problem key, rows) by the most rows first.
        limit: the share of rows that may be skipped (``max_skipped_share``).
    """

    read: int
    skipped: int
    causes: tuple[tuple[str, int], ...]
    limit: float

    @property
    def share(self) -> float:
        return self.skipped / self.read if self.read else 0.0

    @property
    def too_many(self) -> bool:
        return self.share > self.limit


def skipped_rows(problems: list[Problem], rows_read: int, sales_sheet: str | None, limit: float) -> SkippedRows:
    """Count the Sales rows the problems skipped (a row once, under its first cause).

    >>> p = [Problem("Продажи", 2, "Менеджер", "", "prob.no_manager"), Problem("Продажи", 3, "Сумма", "x",
    ...      "prob.bad_amount"), Problem("Продажи", 3, "Менеджер", "", "prob.no_manager")]
    >>> s = skipped_rows(p, 40, "Продажи", 0.05); (s.skipped, s.causes, s.too_many)
    (2, (('prob.no_manager', 1), ('prob.bad_amount', 1)), False)
    """
    first_cause: dict[int, str] = {}
    for p in problems:
        if p.sheet == sales_sheet and p.row is not None and p.key not in KEPT_ROW_PROBLEMS | NOT_SALES:
            first_cause.setdefault(p.row, p.key)
    counts: dict[str, int] = {}
    for key in first_cause.values():
        counts[key] = counts.get(key, 0) + 1
    causes = tuple(sorted(counts.items(), key=lambda kv: -kv[1]))
    return SkippedRows(rows_read, len(first_cause), causes, limit)


#: How far from the plan month a date is still believable: ten years before, a year after.
DATE_YEARS_BEFORE, DATE_MONTHS_AFTER = 10, 12


def far_dates(ledger: pd.DataFrame, plan_month: int, sheet: str) -> list[Problem]:
    """Rows dated far from the plan month (a year typed 1900 or 2126): no plan uses them, and each
    is named, so that a mistyped year is found rather than silently left out."""
    far = (ledger["month"] < plan_month - 12 * DATE_YEARS_BEFORE) | (ledger["month"] > plan_month + DATE_MONTHS_AFTER)
    return [Problem(sheet, int(row), "", date.strftime("%d.%m.%Y"), "prob.far_date",
                    {"date": date.strftime("%d.%m.%Y")})
            for row, date in zip(ledger.loc[far, "row"], ledger.loc[far, "date"])]
