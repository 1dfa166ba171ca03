"""The new-client tabs: Long list, Short list, their summary and the archive.

The manager's columns (yellow) are written back exactly as they were read, together with any column
a manager added; the program only fills its own columns. Drop-down lists help typing the call result
and the interest, but any text is accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..errors import NotBulk
from ..inputs.lists import ARCHIVE_FIELDS, LONG_FIELDS, NOTES_ARCHIVE_FIELDS, SHORT_OF_MARK, SHORT_TAB_FIELDS
from ..method.longlist import SHORT_TYPED, TYPED, ListResult
from ..months import month_name
from ..ooxml.worksheet import Block
from ..texts import t
from . import tabs
from .bulkrows import column_tails
from .tabs import Formats, clean_text, page_setup, put, put_note

SPARE_ROWS = 200  # rows below the list keep the drop-downs for entries a manager adds by hand
_WIDTHS = {"manager": 20, "company": 34, "kind": 15, "reason": 44, "potential": 14, "entered": 11,
           "list_month": 11, "flag": 24, "called_on": 12, "result": 20, "interested": 11, "why_not": 28,
           "next_step": 28, "notes": 34, "left_reason": 22, "left_month": 11, "needs": 30, "why_before": 30,
           "objections": 30, "to_solve": 30, "next_date": 13, "phone": 15, "contact": 18, "city": 13,
           "prev_called_on": 11, "prev_result": 16}

#: The Long list tab as a manager calls from it: what he reads, last month's call (grey), this
#: month's call and notes (yellow), all printed; then the program's bookkeeping, outside the print
#: area. Each field's width there (the printed ones sized for a sheet of paper written on by hand).
LONG_PRINTED = {"company": 26, "city": 11, "contact": 15, "phone": 14, "potential": 11, "reason": 27,
                "prev_called_on": 10, "prev_result": 13, "called_on": 10, "result": 15, "interested": 8,
                "notes": 36}
#: After the printed columns: the manager's other notes (for the short list's talk), then the program's.
LONG_BOOKKEEPING = ["why_not", "next_step", "flag", "kind", "entered", "list_month", "manager"]
#: The Short list tab likewise.
SHORT_PRINTED = {"company": 26, "city": 11, "contact": 15, "phone": 14, "potential": 11, "needs": 26,
                 "why_before": 22, "objections": 22, "to_solve": 24, "next_step": 20, "next_date": 11}
SHORT_BOOKKEEPING = ["interested", "flag", "manager"]
#: A printed row is tall enough to write a note in by hand (points).
WRITE_ROW_HEIGHT = 36


def _ordered(fields: list[tuple[str, str]], printed: dict[str, float], bookkeeping: list[str]) -> list[tuple[str, str]]:
    by_field = dict(fields)
    order = [*printed, *bookkeeping]
    return [(f, by_field[f]) for f in order if f in by_field] + [(f, k) for f, k in fields if f not in order]


#: The tabs' columns in their order (the reader finds them by header, in any order).
LONG_TAB_FIELDS = _ordered(LONG_FIELDS, LONG_PRINTED, LONG_BOOKKEEPING)
SHORT_TAB_ORDER = _ordered(SHORT_TAB_FIELDS, SHORT_PRINTED, SHORT_BOOKKEEPING)


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


def _own_columns(frame: pd.DataFrame) -> list[str]:
    own_columns: list[str] = []
    for record_own_columns in frame.get("own_columns", pd.Series(dtype=object)):
        for header in (record_own_columns or {}):
            if header not in own_columns:
                own_columns.append(header)
    return own_columns


def _write_header(ws: Any, fm: Formats, row: int, fields: list[tuple[str, str]], own_columns: list[str],
                  lang: str, widths: dict[str, float] | None = None) -> None:
    for c, (field, key) in enumerate(fields):
        put(ws, row, c, t(key, lang), fm.header)
        ws.set_column(c, c, (widths or {}).get(field, _WIDTHS.get(field, 16)))
    for c, header in enumerate(own_columns, start=len(fields)):
        put(ws, row, c, header, fm.header)
        ws.set_column(c, c, 18)
    ws.set_row(row, 30)


def _write_records(ws: Any, fm: Formats, row: int, fields: list[tuple[str, str]], records: list[dict[str, Any]],
                   typed: set[str], own_columns: list[str], lang: str, styles: dict[str, Any] | None = None,
                   height: float | None = None) -> int:
    """One row per record (a table's row as a dict) from ``row``; returns the next row. ``styles``:
    a field's own style.

    As a table's body (:func:`salesplan.outputs.tabs.write_table`), all rows but the last are made
    from whole columns once the book is closed, when each column has one style throughout: forty
    managers' long lists are thousands of rows of twenty cells."""
    cells = [_record_cells(record, fm, fields, typed, own_columns, lang, styles) for record in records]
    bulk = len(cells) - 1 if len(cells) >= tabs.BULK_MIN_ROWS else 0
    if bulk:
        block = _bulk_block(ws, row, cells, bulk, height)
        if block is None:
            bulk = 0
        else:
            fm.blocks.append(block)
    for i in range(bulk, len(cells)):
        for c, (value, style) in enumerate(cells[i]):
            put(ws, row + i, c, value, style)
        if height:
            ws.set_row(row + i, height)
    return row + len(cells)


def _record_cells(record: dict[str, Any], fm: Formats, fields: list[tuple[str, str]], typed: set[str],
                  own_columns: list[str], lang: str, styles: dict[str, Any] | None) -> list[tuple[Any, Any]]:
    """(value, style) of each cell of one record's row: its fields, then the manager's own columns."""
    out = []
    for field, _ in fields:
        value = _display(field, record.get(field, ""), lang)
        value = None if isinstance(value, str) and not value else value  # a blank cell, not ""
        if field in typed:
            style = fm.write_in_date if isinstance(value, dt.date) else (styles or {}).get("_typed", fm.write_in)
        elif styles and field in styles:
            style = styles[field]
        else:
            style = fm.money if field == "potential" else fm.text
        out.append((value, style))
    for header in own_columns:
        value = (record.get("own_columns") or {}).get(header)
        out.append((value, fm.write_in_date if isinstance(value, dt.date) else fm.write_in))
    return out


def _bulk_block(ws: Any, row: int, cells: list[list[tuple[Any, Any]]], bulk: int,
                height: float | None) -> Block | None:
    """The first ``bulk`` rows of ``cells`` as a block of body rows written after the book is
    closed, in the styles of the row after them; None when a column's style changes down the rows
    (a date typed among notes) or a value only XlsxWriter writes right."""
    columns = list(zip(*cells))
    if any(len({id(style) for _, style in column}) > 1 for column in columns):
        return None
    try:
        tails = [column_tails(pd.Series([value for value, _ in column[:bulk]], dtype=object), clean_text)
                 for column in columns]
    except NotBulk:
        return None
    return Block(ws.index, ws.get_name(), row, tails, bulk, [float(height)] * bulk if height else None)


def _write_rows(ws: Any, fm: Formats, row: int, fields: list[tuple[str, str]], frame: pd.DataFrame,
                typed: set[str], lang: str) -> tuple[int, list[str]]:
    """Header and records from ``row``; returns (next row, extra headers written after the fields)."""
    own_columns = _own_columns(frame)
    _write_header(ws, fm, row, fields, own_columns, lang)
    return _write_records(ws, fm, row + 1, fields, frame.to_dict("records"), typed, own_columns, lang), own_columns


def companies_word(n: int, lang: str) -> str:
    """«компании» after 1, 21, 31…, else «компаний» (English: company / companies)."""
    one, many = t("ll.companies", lang).split("|")
    if lang == "ru":
        return one if n % 10 == 1 and n % 100 != 11 else many
    return one if n == 1 else many


def missing_text(missing: int, low: int, lang: str) -> str:
    """How many companies a manager's long list lacks, and what to do about it."""
    return t("ll.missing", lang, n=missing, companies=companies_word(missing, lang), low=low,
             sheet=t("sheet.prospects", lang))


def plan_warnings(stats: pd.DataFrame, low: int, lang: str) -> dict[str, list[str]]:
    """The Plan tab's line for each manager whose long list is short of ``long_list_min``."""
    out: dict[str, list[str]] = {}
    for manager, missing in zip(stats.get("manager", []), stats.get("missing", [])):
        if missing:
            out.setdefault(manager, []).append(t("ll.plan_missing", lang,
                                                 missing=missing_text(int(missing), low, lang)))
    return out


def _money_text(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):,.0f}".replace(",", "\u00a0") + " ₽"


def _blocks(ws: Any, fm: Formats, header: int, fields: list[tuple[str, str]], frame: pd.DataFrame,
            managers: list[str], headings: dict[str, list[tuple[str, Any]]], typed: set[str],
            own_columns: list[str], lang: str, styles: dict[str, Any], printed: int) -> int:
    """Each manager's block below ``header``: its heading rows, then its entries; a page break
    before every block but the first. Returns the next row."""
    columns = [f for f, _ in fields]
    row, breaks = header + 1, []
    order = list(dict.fromkeys([*managers, *frame["manager"]])) if len(frame) else list(managers)
    by_manager: dict[Any, list[dict[str, Any]]] = {}
    for record in frame.to_dict("records"):  # once, not a table's worth of calls per manager
        if record["manager"] == record["manager"]:  # an entry without a manager (NaN) has no block
            by_manager.setdefault(record["manager"], []).append(record)
    for manager in order:
        mine = by_manager.get(manager, [])
        if row > header + 1:
            breaks.append(row)
        for text, style in headings.get(manager, []):
            put(ws, row, 0, text, style)
            for c in range(1, printed):
                ws.write_blank(row, c, None, style)
            put(ws, row, columns.index("manager"), manager, fm.text)
            ws.set_row(row, 21)
            row += 1
        row = _write_records(ws, fm, row, fields, mine, typed, own_columns, lang, styles, WRITE_ROW_HEIGHT)
    if breaks:
        ws.set_h_pagebreaks(breaks)
    return row


def _typed_wrap(book: Any) -> Any:
    """A manager's column (yellow) whose notes wrap in the cell, to be read on paper."""
    return book.add_format({"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1,
                            "bg_color": "#FFFDE7", "locked": False, "text_wrap": True})


def _heading(manager: str, plan_3b: Mapping[str, float] | None, lang: str, key: str, **fields: Any) -> str:
    return " ".join([t("ll.block_prefix", lang),
                     t(key, lang, manager=manager or "—", plan_3b=_money_text((plan_3b or {}).get(manager)), **fields)])


def write_long_list_tab(book: Any, fm: Formats, result: ListResult, plan_month: int, lang: str,
                        plan_3b: Mapping[str, float] | None = None, limits: tuple[int, int] = (50, 100)) -> None:
    """The Long list tab, one block per manager to call from, a page each when printed.

    Args:
        plan_3b: each manager's 3Б (new clients' plan), shown on top of the block.
        limits: ``long_list_min`` and ``long_list_max``: a block short of the minimum says how many
            companies are missing and where to add them.
    """
    ws = book.add_worksheet(t("sheet.long_list", lang))
    put(ws, 0, 0, t("ll.title", lang, month=month_name(plan_month, lang)), fm.title)
    put(ws, 1, 0, t("ll.rule", lang), fm.subtitle)
    header = 2
    fields = LONG_TAB_FIELDS
    entries = result.entries
    own_columns = _own_columns(entries)
    _write_header(ws, fm, header, fields, own_columns, lang, LONG_PRINTED)
    low, high = limits
    headings: dict[str, list[tuple[str, Any]]] = {}
    short_of = book.add_format({"font_name": "Calibri", "font_size": 11, "valign": "vcenter", "bold": True,
                                "font_color": "#C00000", "bg_color": "#FDE9E7"})
    stats = result.stats.to_dict("records") if len(result.stats) else []
    for s in stats:
        lines = [(_heading(s["manager"], plan_3b, lang, "ll.block", total=s["total"], low=low, high=high), fm.block)]
        if s.get("missing"):
            lines.append((f"{SHORT_OF_MARK} {missing_text(int(s['missing']), low, lang)}", short_of))
        headings[s["manager"]] = lines
    earlier = book.add_format({"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1,
                               "bg_color": "#EDEDED", "font_color": "#595959", "text_wrap": True})
    earlier_date = book.add_format({"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1,
                                    "bg_color": "#EDEDED", "font_color": "#595959", "num_format": "dd.mm.yyyy",
                                    "align": "center"})
    wrap = book.add_format({"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1,
                            "text_wrap": True})
    styles = {"prev_called_on": earlier_date, "prev_result": earlier, "company": wrap, "reason": wrap,
              "contact": wrap, "city": wrap, "_typed": _typed_wrap(book)}
    managers = [s["manager"] for s in stats]
    end = _blocks(ws, fm, header, fields, entries, managers, headings, set(TYPED), own_columns, lang, styles,
                  len(LONG_PRINTED))
    columns = [f for f, _ in fields]
    last = end + SPARE_ROWS
    plain = book.add_format()
    for c in range(len(columns) + len(own_columns)):
        if c >= len(columns) or columns[c] in TYPED:
            # spare rows below are the manager's too (the width again: set_column sets both)
            width = 18 if c >= len(columns) else LONG_PRINTED.get(columns[c], _WIDTHS.get(columns[c], 16))
            ws.set_column(c, c, width, fm.write_in)
            for r in range(header):
                ws.write_blank(r, c, None, plain)  # not above the table
    ws.data_validation(header + 1, columns.index("result"), last, columns.index("result"),
                       {"validate": "list", "source": t("ll.results", lang).split("|"), "error_type": "information"})
    ws.data_validation(header + 1, columns.index("interested"), last, columns.index("interested"),
                       {"validate": "list", "source": t("ll.yes_no", lang).split("|"), "error_type": "information"})
    ws.autofilter(header, 0, max(end - 1, header + 1), len(columns) + len(own_columns) - 1)
    ws.freeze_panes(header + 1, 1)
    page_setup(ws, landscape=True, title_rows=(0, header))
    ws.print_area(0, 0, max(end - 1, header), len(LONG_PRINTED) - 1)


def write_short_list_tab(book: Any, fm: Formats, short: pd.DataFrame, plan_month: int, lang: str,
                         plan_3b: Mapping[str, float] | None = None, managers: list[str] | None = None) -> None:
    """The Short list tab, one block per manager (a page each when printed), 3Б on top."""
    ws = book.add_worksheet(t("sheet.short_list", lang))
    put(ws, 0, 0, t("sl.title", lang, month=month_name(plan_month, lang)), fm.title)
    put(ws, 1, 0, t("sl.rule", lang), fm.subtitle)
    header = 2
    fields = SHORT_TAB_ORDER
    shown = short.assign(flag=[t("sl.orphan", lang) if o else "" for o in short["orphan"]])
    own_columns = _own_columns(shown)
    _write_header(ws, fm, header, fields, own_columns, lang, SHORT_PRINTED)
    # Only the managers with companies on it: an empty block would print an empty page.
    order = [m for m in dict.fromkeys([*(managers or []), *shown["manager"]]) if m in set(shown["manager"])]
    counts = shown.groupby("manager").size() if len(shown) else pd.Series(dtype=int)
    headings = {m: [(_heading(m, plan_3b, lang, "sl.block", total=int(counts.get(m, 0))), fm.block)] for m in order}
    wrap = book.add_format({"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1,
                            "text_wrap": True})
    end = _blocks(ws, fm, header, fields, shown, order, headings, set(SHORT_TYPED), own_columns, lang,
                  {"company": wrap, "contact": wrap, "city": wrap, "_typed": _typed_wrap(book)}, len(SHORT_PRINTED))
    ws.autofilter(header, 0, max(end - 1, header + 1), len(fields) + len(own_columns) - 1)
    ws.freeze_panes(header + 1, 1)
    page_setup(ws, landscape=True, title_rows=(0, header))
    ws.print_area(0, 0, max(end - 1, header), len(SHORT_PRINTED) - 1)


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
                  missing_text(int(s["missing"]), long_list_min, lang) if s.get("missing") else ""]
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
_NOTE_FIELDS = {"last_contact": "col.last_contact", "notes": "col.call_notes", "next_step": "col.next_step",
                "prev_called_on": "ll.prev_called_on", "prev_result": "ll.prev_result"}


def note_display(archive: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The notes archive as its tab shows it: tab and column by their names, the reason in words.
    Rows read back from the tab are already in words and stay as they are."""
    shown = archive.copy()

    def tab(value: Any) -> Any:
        return t(value, lang) if value in ("sheet.calls", "sheet.open_orders", "sheet.long_list") else value

    def field(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("week:"):
            return f"{t('col.week', lang)} {value[5:]}"
        return t(_NOTE_FIELDS[value], lang) if value in _NOTE_FIELDS else value

    def reason(value: Any) -> Any:
        return t(f"na.{value}", lang) if value in ("row_gone", "column_gone", "duplicate", "older_call") else value

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
