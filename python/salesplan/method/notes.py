"""What managers typed on the program's tabs, put back on the rows it belongs to.

Every build rewrites the call sheet and the open orders, so what a manager typed in their yellow
columns (read by :mod:`salesplan.inputs.notes`) is carried by the row's key — the client, the order
— to wherever that row is now: another block, another position, the next month. A typed cell whose
row is gone (the client is no longer regular, the order was paid or refused) or whose column is gone
(a week of last month) goes to the notes archive with the month it left: nothing typed is lost.

Example, plan month November, weeks 02.11–06.11 … 30.11:

=======  ==================  ==========  ======================================
key      field               value       this build
=======  ==================  ==========  ======================================
Альфа    week:02.11–06.11    ✓ 03.11     back on Альфа's row, week 1
Альфа    last_contact        03.11.2026  back on Альфа's row
Бета     notes               перезвонить archived: Бета is no longer regular
Альфа    week:05.10–09.10    ✓✓          archived: a week of October
=======  ==================  ==========  ======================================
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..inputs.notes import week_field
from ..months import first_day, month_label
from ..wordcolumns import folded
from ..words import fold

#: A note that left its tab: which tab (text key), the row's key, the field, the value, the month
#: it left and why (``row_gone``: the client or order is no longer on the tab; ``column_gone``: a
#: week of another month).
ARCHIVE_COLUMNS = ["tab", "key", "field", "value", "left_month", "reason"]


def call_weeks(plan_month: int) -> list[str]:
    """The weeks of the call grid: Monday to Friday of each week with a weekday in the month, cut to
    the month (``02.11–06.11``, or one day: ``30.11``)."""
    start = first_day(plan_month)
    last = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    labels = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= last:
        first_day_, friday = max(monday, start), min(monday + dt.timedelta(days=4), last)
        if first_day_ <= friday:
            labels.append(first_day_.strftime("%d.%m") if first_day_ == friday
                          else f"{first_day_:%d.%m}–{friday:%d.%m}")
        monday += dt.timedelta(days=7)
    return labels


def carry_notes(keys: pd.Series, notes: pd.DataFrame, fields: Iterable[str], tab: str,
                plan_month: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typed cells back on the rows of this build.

    Args:
        keys: the key of each row of the tab as built now (its index is kept).
        notes: :func:`salesplan.inputs.notes.read_notes` of the tab as it was.
        fields: the typed columns the tab has now, in order.
        tab: the tab's text key (for the archive).
    Returns:
        (a table indexed like ``keys`` with one column per field — the value typed, or None — and
        the notes that have no place now: ARCHIVE_COLUMNS).
    """
    fields = list(fields)
    placed = pd.DataFrame({f: pd.Series([None] * len(keys), index=keys.index, dtype=object) for f in fields},
                          columns=fields)
    text = keys[[isinstance(k, str) for k in keys]] if keys.dtype == object else keys[keys.notna()]
    where = dict(zip(folded(text).tolist(), text.index.tolist()))  # a key twice: its last row
    archived = []
    label = month_label(plan_month)
    for key, field, value in zip(notes["key"], notes["field"], notes["value"]):
        at = where.get(fold(key))
        if at is None or field not in placed.columns:
            archived.append((tab, key, field, value, label, "row_gone" if at is None else "column_gone"))
        elif placed.at[at, field] is None:  # the first typed value for this row and column
            placed.at[at, field] = value
        else:  # typed twice for one key (a copied row): the first stays, the other is kept aside
            archived.append((tab, key, field, value, label, "duplicate"))
    return placed, pd.DataFrame(archived, columns=ARCHIVE_COLUMNS)


def merge_archive(archive: pd.DataFrame, *new: pd.DataFrame) -> pd.DataFrame:
    """The notes archive (as its tab holds it, with any column a manager added) and what left it
    this build, in that order; a rebuild adds nothing twice."""
    columns = ARCHIVE_COLUMNS + ["own_columns"]
    frames = [f.reindex(columns=columns) for f in (archive, *new) if len(f)]
    if not frames:
        return pd.DataFrame(columns=columns)
    merged = pd.concat(frames, ignore_index=True)
    merged["own_columns"] = pd.Series([v if isinstance(v, dict) else {} for v in merged["own_columns"]],
                                      index=merged.index, dtype=object)
    text = merged.astype(str)
    return merged[~text.duplicated()].reset_index(drop=True)


CALL_FIELDS = ("last_contact", "notes")
ORDER_FIELDS = ("next_step",)


@dataclass(frozen=True)
class TypedNotes:
    """What managers typed, placed on this build's rows.

    Attributes:
        weeks: the call grid's weeks of the month (:func:`call_weeks`).
        calls: indexed like the regular clients' table: a column per week (``week:02.11–06.11``),
            then ``last_contact`` and ``notes``.
        orders: indexed like the open orders: ``next_step``.
        archive: every note that left its tab, this month or before (ARCHIVE_COLUMNS, own_columns).
    """

    weeks: tuple[str, ...]
    calls: pd.DataFrame
    orders: pd.DataFrame
    archive: pd.DataFrame


def typed_notes(regular: pd.DataFrame, orders: pd.DataFrame, call_notes: pd.DataFrame,
                order_notes: pd.DataFrame, archive: pd.DataFrame, plan_month: int) -> TypedNotes:
    """The call sheet's and the open orders' typed cells for this build (see the module).

    Args:
        regular, orders: the regular clients (client) and the open orders (order) of the month.
        call_notes, order_notes: what the tabs held (:func:`salesplan.inputs.notes.read_notes`).
        archive: the Notes archive tab.
    """
    weeks = tuple(call_weeks(plan_month))
    call_fields = [week_field(w) for w in weeks] + list(CALL_FIELDS)
    calls, calls_gone = carry_notes(regular["client"], call_notes, call_fields, "sheet.calls", plan_month)
    placed, orders_gone = carry_notes(orders["order"], order_notes, ORDER_FIELDS, "sheet.open_orders", plan_month)
    return TypedNotes(weeks, calls, placed, merge_archive(archive, calls_gone, orders_gone))
