"""Long table bodies written straight into a worksheet's XML, whole columns at a time.

XlsxWriter spends several microseconds of Python on every cell: it stores the cell, writes its XML
at close, and the splice into the user's workbook reads it again. The open orders of a million-row
ledger are some 90 000 cells, half a second of the build. The body rows of a table all have the
same shape (one style per column, values of a few kinds), so they are made from whole columns
after XlsxWriter has written the book, in the XML XlsxWriter itself writes for such cells (the tests
compare the two paths cell for cell), and put into the sheet part.

XlsxWriter still writes each table's header, totals and *last* body row. That last row names each
column's style as XlsxWriter numbered it (read back from its XML, not from XlsxWriter's internals),
keeps the sheet's dimension right, and marks where the rows made here go: just before it.

This module decides what each value becomes — a number (a date as its serial number, as XlsxWriter
counts it), a string, a boolean or a blank — from the pandas columns;
:mod:`salesplan.ooxml.worksheet` writes the cells' XML (strings inline, ``t="inlineStr"``, rather
than growing the shared string table) and puts the rows into the XlsxWriter book
(:func:`~salesplan.ooxml.worksheet.insert_blocks`) or, when the book is only a step on the way into
the user's workbook, straight into the spliced sheet with the user's style numbers (from
:func:`salesplan.ooxml.splice.replace_sheets`): then the splice never reads them back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import NotBulk
from ..ooxml.worksheet import BLANK_TAIL, bool_tail, known_number_tails, number_tail, number_tails, string_tail

#: Excel's 1900 date system as XlsxWriter counts it: day 1 is 1900-01-01, and the phantom
#: 29 February 1900 moves every later date on by one. Dates up to that day take XlsxWriter's path.
_EPOCH = dt.datetime(1899, 12, 31)
_EPOCH64 = np.datetime64("1899-12-31", "us")
_FIRST_BULK_DATE = dt.datetime(1900, 3, 1)
_DAY_US = 86_400_000_000


def column_tails(values: pd.Series | None, text: Callable[[str], str]) -> list[str] | None:
    """What follows ``<c r=".." s=".."`` in each cell of one column, or ``None`` when the column
    has no values (every cell blank). ``text`` cleans a string as the single-cell writer does.

    Raises :class:`NotBulk` for a value only XlsxWriter writes the way it should.
    """
    if values is None:
        return None
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return _number_tails(values.to_numpy(dtype="float64"))
    if pd.api.types.is_datetime64_dtype(values):
        return _date_tails(values.to_numpy())
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan:
        # Text only: each distinct string made a tail once, a missing one blank (NaN, as tolist gives it).
        codes, words = pd.factorize(values, use_na_sentinel=True)
        tails = np.array([string_tail(text(w)) for w in words.tolist()] + [BLANK_TAIL], dtype=object)
        return tails[codes].tolist()  # code -1 picks the blank
    # A column of mixed values: a string's tail made once per distinct string, the others each.
    made: dict[str, str] = {}
    out = []
    for v in values.tolist():
        if type(v) is str:
            tail = made.get(v)
            if tail is None:
                tail = made[v] = string_tail(text(v))
        else:
            tail = _tail(v, text)
        out.append(tail)
    return out


def _number_tails(numbers: np.ndarray) -> list[str]:
    if np.isinf(numbers).any():
        raise NotBulk("infinity")  # XlsxWriter writes it as an error cell
    return number_tails(numbers.tolist())


def _date_tails(dates: np.ndarray) -> list[str]:
    dates = dates.astype("datetime64[us]")
    known = ~np.isnat(dates)
    if known.any() and dates[known].min() < np.datetime64(_FIRST_BULK_DATE, "us"):
        raise NotBulk("date before March 1900")
    micros = (dates - _EPOCH64).astype(np.int64)
    days, rest = np.divmod(micros, _DAY_US)
    seconds, fraction = np.divmod(rest, 1_000_000)
    # XlsxWriter's arithmetic, step for step, so the floats agree to the last bit.
    serial = days + (seconds.astype(np.float64) + fraction.astype(np.float64) / 1e6) / 86400 + 1
    return known_number_tails(serial.tolist(), known.tolist())


def _tail(value: Any, text: Callable[[str], str]) -> str:
    """One cell of a column of mixed values, as :func:`salesplan.outputs.tabs.put` writes it."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return BLANK_TAIL
    if isinstance(value, str):
        return string_tail(text(value))
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return number_tail(_serial(pd.Timestamp(value).to_pydatetime()))
    if isinstance(value, bool):
        return bool_tail(value)
    number = float(value)
    if number in (float("inf"), float("-inf")):
        raise NotBulk("infinity")
    return number_tail(number)


def _serial(moment: dt.datetime) -> float:
    if moment.tzinfo is not None:
        raise NotBulk("time zone")  # XlsxWriter refuses it, with its own message
    if moment < _FIRST_BULK_DATE:
        raise NotBulk("date before March 1900")
    delta = moment - _EPOCH
    return delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400 + 1
