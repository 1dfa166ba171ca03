"""The new-client tabs: Long list, Short list, their summary and the archive.

The manager's columns (yellow) are written back exactly as they were read, together with any column
a manager added; the program only fills its own columns. Drop-down lists help typing the call result
and the interest, but any text is accepted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..inputs.lists import ARCHIVE_FIELDS, LONG_FIELDS, NOTES_ARCHIVE_FIELDS, SHORT_TAB_FIELDS
from ..method.longlist import SHORT_TYPED, TYPED, ListResult
from ..months import month_name
from ..texts import t
from .tabs import Formats, page_setup, put, put_note

SPARE_ROWS = 200  # rows below the list keep the drop-downs for entries a manager adds by hand
_WIDTHS = {"manager": 20, "company": 34, "kind": 15, "reason": 44, "potential": 14, "entered": 11,
           "list_month": 11, "flag": 24, "called_on": 12, "result": 20, "interested": 11, "why_not": 28,
           "next_step": 28, "notes": 34, "left_reason": 22, "left_month": 11, "needs": 30, "why_before": 30,
           "objections": 30, "to_solve": 30, "next_date": 13}


def _display(field: str, value: Any, lang: str) -> Any:
    if field == "kind" and value in ("lapsed", "prospect"):
        return t(f"ll.kind_{value}", lang)
    if field == "flag" and value == "missing":
        return t("ll.flag_missing", lang)
    if field == "left_reason" and value in ("became_client", "refused"):
        return t(f"ll.left_{value}", lang)
    if field == "interested" and isinstance(value, bool):
        return t("ll.yes_no", lang).split("|")[0 if value else 1]
    return value


def _write_rows(ws: Any, fm: Formats, row: int, fields: list[tuple[str, str]], frame: pd.DataFrame,
                typed: set[str], lang: str) -> tuple[int, list[str]]:
    """Header and records from ``row``; returns (next row, extra headers written after the fields)."""
    own_columns: list[str] = []
    for record_own_columns in frame.get("own_columns", pd.Series(dtype=object)):
        for header in (record_own_columns or {}):
            if header not in own_columns:
                own_columns.append(header)
    for c, (field, key) in enumerate(fields):
        put(ws, row, c, t(key, lang), fm.header)
        ws.set_column(c, c, _WIDTHS.get(field, 16))
    for c, header in enumerate(own_columns, start=len(fields)):
        put(ws, row, c, header, fm.header)
        ws.set_column(c, c, 18)
    ws.set_row(row, 30)
    for record in frame.to_dict("records"):
        row += 1
        for c, (field, _) in enumerate(fields):
            value = _display(field, record.get(field, ""), lang)
            style = fm.write_in if field in typed else fm.money if field == "potential" else fm.text
            put(ws, row, c, value, fm.write_in_date if isinstance(value, dt.date) else style)
        for c, header in enumerate(own_columns, start=len(fields)):
            value = (record.get("own_columns") or {}).get(header)
            put(ws, row, c, value, fm.write_in_date if isinstance(value, dt.date) else fm.write_in)
    return row + 1, own_columns


def write_long_list_tab(book: Any, fm: Formats, result: ListResult, plan_month: int, lang: str) -> None:
    ws = book.add_worksheet(t("sheet.long_list", lang))
    put(ws, 0, 0, t("ll.title", lang, month=month_name(plan_month, lang)), fm.title)
    put(ws, 1, 0, t("ll.rule", lang), fm.subtitle)
    header = 2
    end, own_columns = _write_rows(ws, fm, header, LONG_FIELDS, result.entries, set(TYPED), lang)
    columns = [f for f, _ in LONG_FIELDS]
    last = end + SPARE_ROWS
    for c in range(len(columns) + len(own_columns)):
        if c >= len(columns) or columns[c] in TYPED:
            ws.set_column(c, c, None, fm.write_in)  # spare rows below are the manager's too
    ws.data_validation(header + 1, columns.index("result"), last, columns.index("result"),
                       {"validate": "list", "source": t("ll.results", lang).split("|"), "error_type": "information"})
    ws.data_validation(header + 1, columns.index("interested"), last, columns.index("interested"),
                       {"validate": "list", "source": t("ll.yes_no", lang).split("|"), "error_type": "information"})
    ws.autofilter(header, 0, max(end - 1, header + 1), len(columns) + len(own_columns) - 1)
    ws.freeze_panes(header + 1, 2)
    page_setup(ws, landscape=True, title_rows=(header, header))


def write_short_list_tab(book: Any, fm: Formats, short: pd.DataFrame, plan_month: int, lang: str) -> None:
    ws = book.add_worksheet(t("sheet.short_list", lang))
    put(ws, 0, 0, t("sl.title", lang, month=month_name(plan_month, lang)), fm.title)
    put(ws, 1, 0, t("sl.rule", lang), fm.subtitle)
    header = 2
    fields = SHORT_TAB_FIELDS
    shown = short.assign(flag=[t("sl.orphan", lang) if o else "" for o in short["orphan"]])
    end, own_columns = _write_rows(ws, fm, header, fields, shown, set(SHORT_TYPED), lang)
    ws.autofilter(header, 0, max(end - 1, header + 1), len(fields) + len(own_columns) - 1)
    ws.freeze_panes(header + 1, 2)
    page_setup(ws, landscape=True, title_rows=(header, header))


def write_summary_tab(book: Any, fm: Formats, result: ListResult, left: pd.DataFrame, plan_month: int,
                      lang: str, long_list_min: int) -> None:
    """The month's list summary; ``left``: every entry that left a list this month (the same on every
    rebuild of the month)."""
    ws = book.add_worksheet(t("sheet.list_summary", lang))
    put(ws, 0, 0, t("ls.title", lang, month=month_name(plan_month, lang)), fm.title)
    keys = ["ll.manager", "ls.carried", "ls.carried_share", "ls.added_lapsed", "ls.added_prospects", "ls.total",
            "ls.interested", "ls.left", "col.warnings"]
    for c, key in enumerate(keys):
        put(ws, 2, c, t(key, lang), fm.header)
        ws.set_column(c, c, 24 if c in (0, 8) else 14)
    ws.set_row(2, 42)
    left_by = left.groupby("manager").size() if len(left) else pd.Series(dtype=int)
    row = 3
    for s in result.stats.to_dict("records"):
        values = [s["manager"], s["carried"], s["carried_share"], s["added_lapsed"], s["added_prospects"], s["total"],
                  s["interested"], int(left_by.get(s["manager"], 0)),
                  t("ls.below_min", lang, min=long_list_min) if s["below_min"] else ""]
        styles = [fm.text, fm.int, fm.percent, fm.int, fm.int, fm.int, fm.int, fm.int, fm.warning]
        for c, (v, st) in enumerate(zip(values, styles)):
            put(ws, row, c, v, st)
        row += 1
    row += 1
    put(ws, row, 0, t("ls.left_title", lang), fm.block)
    if left.empty:
        put_note(ws, row + 1, t("ls.none_left", lang), fm.note, len(keys))
    else:
        fields = [("manager", "ll.manager"), ("company", "ll.company"), ("left_reason", "ll.left_reason"),
                  ("result", "ll.result"), ("notes", "ll.notes")]
        _write_rows(ws, fm, row + 1, fields, left, set(), lang)
    page_setup(ws, landscape=True, title_rows=None)


def write_archive_tab(book: Any, fm: Formats, archive: pd.DataFrame, lang: str) -> None:
    ws = book.add_worksheet(t("sheet.list_archive", lang))
    end, own_columns = _write_rows(ws, fm, 0, ARCHIVE_FIELDS, archive, set(TYPED), lang)
    ws.autofilter(0, 0, max(end - 1, 1), len(ARCHIVE_FIELDS) + len(own_columns) - 1)
    ws.freeze_panes(1, 2)


#: How a note's field is headed on its tab (the week columns are headed by their dates).
_NOTE_FIELDS = {"last_contact": "col.last_contact", "notes": "col.call_notes", "next_step": "col.next_step"}


def note_display(archive: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The notes archive as its tab shows it: tab and column by their names, the reason in words.
    Rows read back from the tab are already in words and stay as they are."""
    shown = archive.copy()

    def tab(value: Any) -> Any:
        return t(value, lang) if value in ("sheet.calls", "sheet.open_orders") else value

    def field(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("week:"):
            return f"{t('col.week', lang)} {value[5:]}"
        return t(_NOTE_FIELDS[value], lang) if value in _NOTE_FIELDS else value

    def reason(value: Any) -> Any:
        return t(f"na.{value}", lang) if value in ("row_gone", "column_gone", "duplicate") else value

    for column, show in (("tab", tab), ("field", field), ("reason", reason)):
        shown[column] = [show(v) for v in shown[column]]
    return shown


def write_notes_archive_tab(book: Any, fm: Formats, archive: pd.DataFrame, lang: str) -> None:
    """Every note that left the call sheet or the open orders, with the month it left and why."""
    ws = book.add_worksheet(t("sheet.notes_archive", lang))
    end, own_columns = _write_rows(ws, fm, 0, NOTES_ARCHIVE_FIELDS, note_display(archive, lang), {"value"}, lang)
    ws.autofilter(0, 0, max(end - 1, 1), len(NOTES_ARCHIVE_FIELDS) + len(own_columns) - 1)
    ws.freeze_panes(1, 2)
    page_setup(ws, landscape=True, title_rows=(0, 0))
