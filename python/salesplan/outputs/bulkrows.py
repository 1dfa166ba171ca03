"""Long table bodies written straight into a worksheet's XML, whole columns at a time.

XlsxWriter spends several microseconds of Python on every cell: it stores the cell, writes its XML
at close, and the splice into the user's workbook reads it again. The open orders of a million-row
ledger are some 90 000 cells, half a second of the build. The body rows of a table all have the
same shape (one style per column, values of a few kinds), so they are made here from whole columns
after XlsxWriter has written the book, in the XML XlsxWriter itself writes for such cells (the tests
compare the two paths cell for cell), and put into the sheet part.

XlsxWriter still writes each table's header, totals and *last* body row. That last row names each
column's style as XlsxWriter numbered it (read back from its XML, not from XlsxWriter's internals),
keeps the sheet's dimension right, and marks where the rows made here go: just before it.

Strings are written inline (``t="inlineStr"``), which every reader and the splice understand,
rather than growing the shared string table.

The rows go into the XlsxWriter book itself (:func:`insert_blocks`), or, when the book is only a
step on the way into the user's workbook, straight into the spliced sheet with the user's style
numbers (:func:`insert_rows`, from :func:`salesplan.ooxml.splice.replace_sheets`): then the
splice never reads them back.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import NotBulk

#: Excel's 1900 date system as XlsxWriter counts it: day 1 is 1900-01-01, and the phantom
#: 29 February 1900 moves every later date on by one. Dates up to that day take XlsxWriter's path.
_EPOCH = dt.datetime(1899, 12, 31)
_EPOCH64 = np.datetime64("1899-12-31", "us")
_FIRST_BULK_DATE = dt.datetime(1900, 3, 1)
_DAY_US = 86_400_000_000

# As XlsxWriter escapes text: "_x0041_" stays literal text, control characters become _xHHHH_.
_ESCAPE_LIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")


@dataclass
class Block:
    """Body rows of one table still to be written: rows ``first_row`` onwards (0-based), one
    entry per column of the table starting at column A (``None``: blank cells)."""

    sheet: int  # the worksheet's 0-based position in the book
    sheet_name: str
    first_row: int
    columns: list[Any]  # per column: a list of cell tails (see column_tails) or None for blanks
    rows: int


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
    return [_tail(v, text) for v in values.tolist()]


def _number_tails(numbers: np.ndarray) -> list[str]:
    if np.isinf(numbers).any():
        raise NotBulk("infinity")  # XlsxWriter writes it as an error cell
    return ["/>" if v != v else f"><v>{v:.16G}</v></c>" for v in numbers.tolist()]


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
    return [f"><v>{v:.16G}</v></c>" if k else "/>" for v, k in zip(serial.tolist(), known.tolist())]


def _tail(value: Any, text: Callable[[str], str]) -> str:
    """One cell of a column of mixed values, as :func:`salesplan.outputs.tabs.put` writes it."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return "/>"
    if isinstance(value, str):
        return f' t="inlineStr"><is>{text_xml(text(value))}</is></c>'
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return f"><v>{_serial(pd.Timestamp(value).to_pydatetime()):.16G}</v></c>"
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    number = float(value)
    if number in (float("inf"), float("-inf")):
        raise NotBulk("infinity")
    return f"><v>{number:.16G}</v></c>"


def _serial(moment: dt.datetime) -> float:
    if moment.tzinfo is not None:
        raise NotBulk("time zone")  # XlsxWriter refuses it, with its own message
    if moment < _FIRST_BULK_DATE:
        raise NotBulk("date before March 1900")
    delta = moment - _EPOCH
    return delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / 86400 + 1


def text_xml(value: str) -> str:
    """``<t>`` of a string as XlsxWriter writes it in the shared string table."""
    value = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", _ESCAPE_LIKE.sub(r"_x005F\1", value))
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(value) else ""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<t{space}>{value}</t>"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rows_xml(block: Block, styles: list[str]) -> str:
    """The ``<row>`` elements of ``block``; ``styles`` are the columns' `` s="N"`` attributes."""
    width = len(block.columns)
    blank = ["/>"] * block.rows
    columns = [(f'<c r="{_column_letter(c)}', f'"{styles[c]}', blank if tails is None else tails)
               for c, tails in enumerate(block.columns)]
    out = []
    for i in range(block.rows):
        r = block.first_row + i + 1
        cells = "".join(f"{prefix}{r}{style}{tails[i]}" for prefix, style, tails in columns)
        out.append(f'<row r="{r}" spans="1:{width}">{cells}</row>')
    return "".join(out)


_CELL_STYLE = re.compile(r'<c r="([A-Z]+)[0-9]+"( s="[0-9]+")?')


def _styles_of_row(xml: str, row: int, width: int, where: str) -> tuple[int, list[str]]:
    """Where the row ``row`` (1-based) starts in ``xml``, and the ``s`` attribute of its first
    ``width`` cells, as XlsxWriter wrote them."""
    start = xml.find(f'<row r="{row}"')
    end = xml.find("</row>", start)
    if start < 0 or end < 0:
        raise RuntimeError(f"{where}: row {row}, written to place the table's rows before it, is missing")
    found = {m.group(1): m.group(2) or "" for m in _CELL_STYLE.finditer(xml, start, end)}
    try:
        return start, [found[_column_letter(c)] for c in range(width)]
    except KeyError as missing:
        raise RuntimeError(f"{where}: row {row} has no cell in column {missing}") from None


def insert_blocks(path: Path, blocks: list[Block]) -> None:
    """Put the rows of ``blocks`` into the XlsxWriter workbook at ``path`` (rewritten in place)."""
    if not blocks:
        return
    by_sheet: dict[str, list[Block]] = {}
    for block in blocks:
        by_sheet.setdefault(f"xl/worksheets/sheet{block.sheet + 1}.xml", []).append(block)
    with zipfile.ZipFile(path) as book:
        entries = [(info, book.read(info)) for info in book.infolist()]
    parts = {info.filename for info, _ in entries}
    if missing := set(by_sheet) - parts:
        raise RuntimeError(f"{path.name}: no worksheet part {sorted(missing)}")
    scratch = path.with_name(path.name + ".part")
    with zipfile.ZipFile(scratch, "w") as out:
        for info, data in entries:
            if info.filename in by_sheet:
                xml = insert_rows(data.decode("utf-8"), by_sheet[info.filename], info.filename)
                # A scratch book, read back at once: stored, not deflated.
                out.writestr(info.filename, xml.encode("utf-8"), compress_type=zipfile.ZIP_STORED)
            else:
                out.writestr(info, data)
    scratch.replace(path)


def insert_rows(xml: str, blocks: list[Block], where: str) -> str:
    """The sheet ``xml`` with the rows of ``blocks`` in place, each column in the style its last
    body row has in ``xml``."""
    # From the last block back, so the positions found stay valid.
    for block in sorted(blocks, key=lambda b: b.first_row, reverse=True):
        at, styles = _styles_of_row(xml, block.first_row + block.rows + 1, len(block.columns), where)
        xml = xml[:at] + _rows_xml(block, styles) + xml[at:]
    return xml
