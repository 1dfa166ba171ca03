"""What managers type in the yellow columns of the program's tabs, read back before the tabs are
rewritten: the call sheet's week grid, last contact and notes; the open orders' next step.

Each tab declares the column that identifies a row (its key: the client, the order) and the columns
a manager types (:class:`NoteColumns`). The reader takes every row under every header row of the
tab, wherever the blocks are and however the manager sorted them, and returns one record per typed
cell: key, field, value. A week column is read by the dates in its header («Нед. 1 · 02.11–08.11»),
so a week of another month is told apart (see :func:`week_field`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..texts import names
from ..words import fold
from .header import normalise_header
from .ledger import filled
from .rows import SheetRows

#: A typed cell: the row's key, the field (``notes``, ``week:02.11–08.11``), the value as typed,
#: and where it was (sheet row, 1-based).
NOTE_COLUMNS = ["key", "field", "value", "row"]

#: A week column's header ends with its dates: «02.11–08.11» or one day «30.11».
_WEEK_DATES = re.compile(r"(\d{2}\.\d{2}(?:\s*[–-]\s*\d{2}\.\d{2})?)\s*$")


@dataclass(frozen=True)
class NoteColumns:
    """A tab where a manager writes: the key column and the typed columns, by field and the text key
    of their header; ``weeks``: the tab has a week grid (headers starting with ``week_key``'s text)."""

    tab: str
    key: tuple[str, str]
    typed: tuple[tuple[str, str], ...]
    week_key: str | None = None


CALL_NOTES = NoteColumns("sheet.calls", ("client", "col.client"),
                         (("last_contact", "col.last_contact"), ("notes", "col.call_notes"),
                          ("notes", "col.calls")),  # the notes column's header before the week grid
                         week_key="col.week")
ORDER_NOTES = NoteColumns("sheet.open_orders", ("order", "col.order"), (("next_step", "col.next_step"),))


def week_field(label: str) -> str:
    """The field of a week column: its dates (``02.11–08.11``), whatever the language of the header."""
    return "week:" + label.replace(" ", "").replace("-", "–")


def read_notes(sheet: SheetRows | None, columns: NoteColumns) -> pd.DataFrame:
    """Every typed cell of the tab: NOTE_COLUMNS, in the order of the sheet."""
    if sheet is None:
        return pd.DataFrame(columns=NOTE_COLUMNS)
    key_names = {normalise_header(n) for n in names(columns.key[1])}
    typed_names = {normalise_header(n): field for field, key in columns.typed for n in names(key)}
    week_names = [fold(n) for n in names(columns.week_key)] if columns.week_key else []
    out: list[tuple[str, str, object, int]] = []
    key_col: int | None = None
    fields: dict[int, str] = {}
    for r, values in enumerate(sheet.rows, start=1):
        header = _header(values, key_names, typed_names, week_names)
        if header is not None:
            key_col, fields = header
            continue
        if key_col is None or key_col >= len(values) or not filled(values[key_col]):
            continue
        key = " ".join(str(values[key_col]).split())
        for c, field in fields.items():
            if c < len(values) and filled(values[c]):
                out.append((key, field, values[c], r))
    return pd.DataFrame(out, columns=NOTE_COLUMNS)


def _header(values: list[object], key_names: set[str], typed_names: dict[str, str],
            week_names: list[str]) -> tuple[int, dict[int, str]] | None:
    """(key column, typed column -> field) when ``values`` is a header row of the tab."""
    key_col = next((c for c, v in enumerate(values) if filled(v) and normalise_header(v) in key_names), None)
    if key_col is None:
        return None
    fields: dict[int, str] = {}
    for c, value in enumerate(values):
        if not filled(value):
            continue
        text = str(value)
        if normalise_header(text) in typed_names:
            fields[c] = typed_names[normalise_header(text)]
        elif week_names and any(fold(text).startswith(w) for w in week_names):
            dates = _WEEK_DATES.search(text.strip())
            if dates:
                fields[c] = week_field(dates.group(1))
    return (key_col, fields) if fields else None
