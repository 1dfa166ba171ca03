"""The plan's output tabs: Plan summary, regular clients' calls, open orders, Problems.

All cell addresses and styles of these tabs live here. Tabs are written with XlsxWriter into a small
workbook of their own, which :mod:`salesplan.outputs.workbook` then splices into the user's file.
XlsxWriter is created with ``strings_to_formulas`` and ``strings_to_urls`` off, so text from the data
(a client named ``=HYPERLINK(...)``) is always written as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from ..errors import NotBulk, Problem
from ..inputs.ledger import KEPT_ROW_PROBLEMS
from ..inputs.notes import week_field
from ..method.notes import call_weeks
from ..months import month_name
from ..ooxml.worksheet import Block
from ..params import show_share
from ..texts import TEXTS, t
from ..words import company_key, xml_text
from .bulkrows import column_tails

#: Money as Russian Excel shows it: 1 234 567 ₽. The locale tag makes LibreOffice and an English
#: Excel use the Russian digit grouping too.
MONEY = '[$-419]#,##0 "₽";[Red][$-419]-#,##0 "₽"'
PERCENT = "0%"
DATE = "dd.mm.yyyy"



def clean_text(value: str) -> str:
    """Text as a cell can hold it: no character XML cannot carry (:func:`salesplan.words.xml_text`),
    at most 32 767 characters as Excel counts them (UTF-16 units: an emoji counts two; none is cut
    in half)."""
    value = xml_text(value)
    if len(value) > 16383 and len(units := value.encode("utf-16-le")) > 65534:
        value = units[:65534].decode("utf-16-le", errors="ignore")
    return value


class Formats:
    """The styles of the output tabs, made once per workbook, and the tables' body rows that
    :mod:`salesplan.outputs.bulkrows` writes once XlsxWriter has closed the book."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.blocks: list[Block] = []
        base = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter"}

        def fmt(**props: Any) -> Any:
            return book.add_format({**base, **props})

        self.title = fmt(bold=True, font_size=14)
        self.subtitle = fmt(italic=True, font_color="#595959")
        self.note = fmt(font_color="#595959", text_wrap=True, valign="top")
        self.header = fmt(bold=True, bg_color="#1F4E78", font_color="#FFFFFF", text_wrap=True,
                          border=1, align="center")
        self.block = fmt(bold=True, font_size=12, bg_color="#DDEBF7", bottom=1)
        self.text = fmt(border=1, text_wrap=False)
        self.wrap = fmt(border=1, text_wrap=True)
        self.int = fmt(border=1, num_format="0", align="center")
        self.money = fmt(border=1, num_format=MONEY)
        self.percent = fmt(border=1, num_format=PERCENT, align="center")
        self.date = fmt(border=1, num_format=DATE, align="center")
        self.write_in = fmt(border=1, bg_color="#FFFDE7", locked=False)
        self.write_in_date = fmt(border=1, bg_color="#FFFDE7", locked=False, num_format=DATE, align="center")
        self.total_text = fmt(bold=True, top=2, bg_color="#F2F2F2", border=1)
        self.total_money = fmt(bold=True, top=2, bg_color="#F2F2F2", border=1, num_format=MONEY)
        self.total_int = fmt(bold=True, top=2, bg_color="#F2F2F2", border=1, num_format="0", align="center")
        self.total_percent = fmt(bold=True, top=2, bg_color="#F2F2F2", border=1, num_format=PERCENT,
                                 align="center")
        self.warning = fmt(border=1, font_color="#C00000", text_wrap=True)
        self.warning_line = fmt(bold=True, font_color="#C00000")


def new_book(path: Path, renamed: Mapping[str, str] | None = None) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook that never turns data text into formulas, links or numbers.

    ``renamed``: tab name -> the name to write it under (a user's tab has its name; see
    :func:`salesplan.outputs.render.place_tabs`), so that writers keep naming tabs by their text key."""
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
               "nan_inf_to_errors": True}
    if renamed:
        return _RenamingBook(str(path), options, renamed=dict(renamed))
    return xlsxwriter.Workbook(str(path), options)


class _RenamingBook(xlsxwriter.Workbook):  # type: ignore[misc]
    def __init__(self, filename: str, options: dict[str, Any], *, renamed: dict[str, str]) -> None:
        super().__init__(filename, options)
        self.renamed = renamed

    def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
        return super().add_worksheet(self.renamed.get(name, name) if name else name, worksheet_class)


def put(ws: Any, row: int, col: int, value: Any, style: Any = None) -> None:
    """Write one value with its own type; text always as text (0-based row and col)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        ws.write_blank(row, col, None, style)
    elif isinstance(value, str):
        text = clean_text(value)
        if text.startswith("<r>") and text.endswith("</r>"):
            # XlsxWriter would take such text for rich-text XML of its own; two runs in the cell's
            # own font keep it text (a client named "<r>...</r>" must show as written).
            if style is None:
                ws.write_rich_string(row, col, text[:1], text[1:2], text[2:])
            else:
                ws.write_rich_string(row, col, style, text[:1], style, text[1:], style)
        else:
            ws.write_string(row, col, text, style)
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        ws.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), style)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    else:
        ws.write_number(row, col, float(value), style)


def put_note(ws: Any, row: int, text: str, style: Any, columns: int) -> None:
    """A one-line note across the first ``columns`` columns (in one narrow cell it would wrap
    after a word or two)."""
    if columns > 1:
        ws.merge_range(row, 0, row, columns - 1, clean_text(text), style)
    else:
        put(ws, row, 0, text, style)


#: Tables of at least this many rows have their body written in bulk (see :mod:`.bulkrows`).
BULK_MIN_ROWS = 3


@dataclass(frozen=True)
class Column:
    """One column of a table: header text key, the field it shows, its style name, its width."""

    key: str
    field: str | None
    style: str
    width: float
    total: str | None = None  # "sum" to total the column
    header: str | None = None  # the header's own text, when not the text of ``key`` (a week's dates)


def write_table(ws: Any, fm: Formats, row: int, columns: list[Column], frame: pd.DataFrame, lang: str,
                total_label: str | None = None, fit_rows: bool = False, bulk_rows: bool = True) -> int:
    """Headers at ``row``, then one row per record, then an optional totals row; returns the next row.

    ``fit_rows``: give each body row the height its wrapped text needs, so that no line of it is
    hidden or printed over the next row (a program's sheet is not laid out again by its reader).
    ``bulk_rows=False``: every row is written here (a short table whose rows get their own heights)."""
    for c, column in enumerate(columns):
        put(ws, row, c, column.header or t(column.key, lang), fm.header)
    ws.set_row(row, 30)
    row += 1
    n = len(frame)
    fields = [frame[c.field] if c.field and c.field in frame else None for c in columns]
    # All body rows but the last are written in bulk once the book is closed (a million-row ledger
    # gives tens of thousands of open orders); the last one, written here, gives their styles.
    bulk = n - 1 if n >= BULK_MIN_ROWS and bulk_rows else 0
    heights = wrapped_heights(columns, frame) if fit_rows else None
    if bulk:
        try:
            tails = [column_tails(None if v is None else v.iloc[:bulk], clean_text) for v in fields]
        except NotBulk:
            bulk = 0
        else:
            fm.blocks.append(Block(ws.index, ws.get_name(), row, tails, bulk,
                                   None if heights is None else heights[:bulk]))
    if heights is not None:
        for i in range(bulk, n):
            if heights[i]:
                ws.set_row(row + i, heights[i])
    # Column by column: each column's values go through one writer chosen once, not a type test
    # per cell.
    for c, column in enumerate(columns):
        values = fields[c]
        _write_column(ws, row + bulk, c, None if values is None else values.iloc[bulk:], n - bulk,
                      getattr(fm, column.style))
    row += n
    if total_label is not None:
        for c, column in enumerate(columns):
            style = {"money": fm.total_money, "int": fm.total_int, "percent": fm.total_percent}.get(
                column.style, fm.total_text)
            if c == 0:
                put(ws, row, c, total_label, style)
            elif column.total == "sum" and column.field:
                put(ws, row, c, float(frame[column.field].sum()) if len(frame) else 0.0, style)
            else:
                put(ws, row, c, None, style)
        row += 1
    return row


#: Points per line of 11-point text, and how many characters of it a column unit holds (Calibri/Carlito).
_LINE_POINTS = 15.0
_CHARS_PER_UNIT = 1.1


def wrapped_heights(columns: list[Column], frame: pd.DataFrame) -> list[float]:
    """Per record: the height of its row when a wrapped column needs more than one line, else 0 (the
    default height). Lines are estimated from the text's length and the column's width, rounded up,
    each explicit line break counted."""
    lines = pd.Series(1, index=frame.index)
    for column in columns:
        if column.style != "wrap" or not column.field or column.field not in frame:
            continue
        per_line = max(1, int(column.width * _CHARS_PER_UNIT))
        text = frame[column.field].fillna("").astype(str)
        needed = text.str.split("\n").map(lambda parts, width=per_line: sum(-(-len(p) // width) or 1 for p in parts))
        lines = lines.where(lines >= needed, needed)
    return [float(n * _LINE_POINTS) if n > 1 else 0.0 for n in lines.tolist()]


def _write_column(ws: Any, first_row: int, col: int, values: pd.Series | None, n: int, style: Any) -> None:
    if values is None:
        for r in range(first_row, first_row + n):
            ws.write_blank(r, col, None, style)
        return
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        for r, v in enumerate(values.to_numpy(dtype="float64"), start=first_row):
            if v != v:
                ws.write_blank(r, col, None, style)
            else:
                ws.write_number(r, col, v, style)
        return
    for r, v in enumerate(values.tolist(), start=first_row):
        put(ws, r, col, v, style)


def set_widths(ws: Any, columns: list[Column]) -> None:
    for c, column in enumerate(columns):
        ws.set_column(c, c, column.width)


def page_setup(ws: Any, *, landscape: bool, title_rows: tuple[int, int] | None, fit_width: bool = True) -> None:
    """A4, margins, fit to page width, repeated header rows, page numbers in the footer."""
    ws.set_paper(9)
    ws.set_landscape() if landscape else ws.set_portrait()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if fit_width:
        ws.fit_to_pages(1, 0)
    if title_rows:
        ws.repeat_rows(*title_rows)
    ws.set_footer("&L&8&A&R&8&P / &N")


# --- the tabs -----------------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("col.manager", "manager", "text", 20),
    Column("col.target", "target", "money", 12.5, "sum"),
    Column("col.regular_clients", "regular_clients", "int", 11, "sum"),
    Column("col.regular_plan", "regular_plan", "money", 12.5, "sum"),
    Column("col.average_monthly", "average_monthly", "money", 14.5, "sum"),
    Column("col.remainder", "remainder", "money", 12.5, "sum"),
    Column("col.funnel_plan", "funnel_plan", "money", 12, "sum"),
    # The funnel's working list beside its plan: the seed calls the count of open orders very important.
    Column("col.open_orders_count", "open_orders_count", "int", 10, "sum"),
    Column("col.open_orders_amount", "open_orders_amount", "money", 12.5, "sum"),
    Column("col.base_plan", "base_plan", "money", 12.5, "sum"),
    Column("col.gap", "gap", "money", 12.5, "sum"),
    Column("col.gap_share", "gap_share", "percent", 10),
    Column("col.existing_clients_plan", "existing_clients_plan", "money", 12.5, "sum"),
    Column("col.new_clients_plan", "new_clients_plan", "money", 12.5, "sum"),
    Column("col.i1_volume", "i1_volume", "money", 13.5, "sum"),
    Column("col.i1_offered", "i1_offered", "money", 12.5, "sum"),
    Column("col.i1_shortfall", "i1_shortfall", "money", 12.5, "sum"),
    Column("col.mtd_turnover", "mtd_turnover", "money", 12.5, "sum"),
    Column("col.warnings", "warnings_text", "warning", 36),
]

CALL_COLUMNS = [
    Column("col.client", "client", "text", 38),
    Column("col.active_months", "active_months", "int", 10),
    Column("col.window_turnover", "window_turnover", "money", 14, "sum"),
    Column("col.monthly_plan", "monthly_plan", "money", 14, "sum"),
    Column("col.weekly_target", "weekly_target", "money", 13, "sum"),
    Column("col.client_mtd", "mtd_turnover", "money", 13, "sum"),
    Column("col.week_sales", "week_sales", "money", 13, "sum"),
    Column("col.week_met", "week_met_text", "text", 12),
    Column("col.missing", "missing", "money", 13, "sum"),
]
#: After the figures, the manager's own columns: a cell per week of the month for the calls made
#: (seed: two a week), the last contact and notes; all carried by client from build to build.
CALL_NOTE_COLUMNS = [
    Column("col.last_contact", "last_contact", "write_in_date", 12),
    Column("col.call_notes", "notes", "write_in", 22),
]
WEEK_WIDTH = 10

ORDER_COLUMNS = [
    Column("col.order", "order", "text", 16),
    Column("col.client", "client", "text", 36),
    Column("col.date", "date", "date", 11),
    Column("col.amount", "amount", "money", 14, "sum"),
    Column("col.lines", "lines", "int", 7),
    Column("col.contact", "contact", "text", 20),
    Column("col.next_step", "next_step", "write_in", 28),
]

#: Warnings short enough for a manager's row; the others are written in full under the table.
ROW_WARNINGS = frozenset({"warn.no_target", "warn.no_sales", "warn.gap_low", "warn.gap_high", "warn.manager_share",
                          "warn.long_list_short"})

#: The plan's own warnings (beyond the layers') shown in the manager's row.
_ROW_PLAN_WARNINGS = ("warn.manager_share", "warn.long_list_short")

UNASSIGNED_COLUMNS = [
    Column("col.client", "client", "text", 0),
    Column("col.former_owner", "owner", "text", 0),
    Column("col.window_turnover", "window_turnover", "money", 0, "sum"),
    Column("col.lookback_turnover", "lookback_turnover", "money", 0, "sum"),
    Column("col.last_purchase", "last_purchase", "text", 0),
    Column("col.is_regular", "regular_text", "text", 0),
    Column("col.long_list_now", "long_list", "text", 0),
]

PROBLEM_COLUMNS = [
    Column("col.sheet", "sheet", "text", 16),
    Column("col.row", "row", "int", 8),
    Column("col.column", "column", "text", 18),
    Column("col.value", "value", "text", 30),
    Column("col.problem", "text", "wrap", 80),
]


def skipped_text(skipped: Any, lang: str) -> str:
    """What the skipped Sales rows cost the plan, by cause, when more than allowed; else ""."""
    if not skipped.too_many:
        return ""
    causes = []
    for key, n in skipped.causes:
        if f"skip.{key}" in TEXTS:
            causes.append(t(f"skip.{key}", lang, n=n))
        else:  # a cause without words of its own: its problem's text, with no cell to name
            causes.append(t("skip.other", lang, n=n, what=t(key, lang, value="…", status="…")))
    return t("skip.summary", lang, skipped=skipped.skipped, read=skipped.read, share=f"{skipped.share:.1%}",
             limit=f"{skipped.limit:.0%}", causes="; ".join(causes))


def write_plan_tab(book: Any, fm: Formats, plan: Any, lang: str, built: dt.datetime, skipped: Any = None,
                   warnings: Any = (), long_list: pd.DataFrame | None = None, instrument1: Any = None) -> None:
    """The Plan summary: one row per manager with every figure of the layers, and a totals row.
    ``skipped``: the Sales rows skipped (:class:`~salesplan.inputs.ledger.SkippedRows`); when more
    than allowed, the tab says the plan is incomplete and why, above the table.
    ``warnings``: the plan's :class:`~salesplan.method.ranges.PlanWarning` values; the short ones of
    a manager in its row, every other one under the table, then the clients of managers without a
    target (``plan.unassigned``) with the long list each is on now (``long_list``: its entries).
    ``instrument1``: each manager's Instrument #1 (:class:`~salesplan.method.instruments.Instrument1`),
    for its volume to place, the offers' sum and the shortfall (a warning too when there is one)."""
    ws = book.add_worksheet(t("sheet.plan", lang))
    summary = plan.summary.copy()
    below = [w for w in warnings if w.key not in ROW_WARNINGS]
    noted = {w.manager for w in below}
    inst = [None if instrument1 is None else instrument1.get(m) for m in summary["manager"]]
    summary["i1_volume"] = [float("nan") if i is None else i.volume_to_place for i in inst]
    summary["i1_offered"] = [float("nan") if i is None else i.offered_total for i in inst]
    summary["i1_shortfall"] = [float("nan") if i is None else i.shortfall for i in inst]
    shortfalls = [[t("warn.i1_shortfall", lang, shortfall=f"{round(i.shortfall):,} ₽".replace(",", "\u00a0"))]
                  if i is not None and i.shortfall > 0 else [] for i in inst]
    summary["warnings_text"] = [
        "; ".join([t(k, lang, **f) for k, f in ws_]
                  + [w.text(lang) for w in warnings if w.manager == m and w.key in _ROW_PLAN_WARNINGS]
                  + short
                  + ([t("plan.see_below", lang)] if m in noted else []))
        for m, ws_, short in zip(summary["manager"], summary["warnings"], shortfalls)]
    put(ws, 0, 0, t("plan.title", lang, month=month_name(plan.plan_month, lang)), fm.title)
    window = f"{month_name(plan.window.start, lang)} — {month_name(plan.window.stop - 1, lang)}"
    put(ws, 1, 0, t("plan.subtitle", lang, window=window, built=built.strftime("%d.%m.%Y %H:%M")), fm.subtitle)
    put(ws, 2, 0, t("plan.layers_note", lang, window=plan.params["window_months"],
                    rate=show_share(plan.params["funnel_rate"])), fm.subtitle)
    incomplete = skipped_text(skipped, lang) if skipped is not None else ""
    if incomplete:
        ws.merge_range(3, 0, 3, len(PLAN_COLUMNS) - 1, incomplete, fm.warning)
        ws.set_row(3, 30)
    elif below:
        put(ws, 3, 0, t("plan.attention_pointer", lang, n=len(below)), fm.warning_line)
    header_row = 4
    # One row per manager, written here so that a row whose warnings take two lines is two lines high.
    multiplier = f"{plan.params['offer_multiplier']:g}"
    columns = [replace(c, header=t(c.key, lang, multiplier=multiplier)) if c.key == "col.i1_volume" else c
               for c in PLAN_COLUMNS]
    end = write_table(ws, fm, header_row, columns, summary, lang, total_label=t("plan.total", lang),
                      bulk_rows=False)
    width = PLAN_COLUMNS[-1].width
    for i, text in enumerate(summary["warnings_text"]):
        lines = -(-len(text) // int(width * 1.1))
        if lines > 1:
            ws.set_row(header_row + 1 + i, 13 * lines)
    # The team's gap share is worth a figure of its own, not the sum of shares.
    targets = summary["target"].sum()
    share_col = [c.field for c in PLAN_COLUMNS].index("gap_share")
    put(ws, end - 1, share_col, summary["gap"].sum() / targets if targets else None, fm.total_percent)
    last = _write_plan_notes(ws, fm, end + 1, below, plan, long_list, lang)
    set_widths(ws, PLAN_COLUMNS)
    ws.set_row(header_row, 42)
    ws.freeze_panes(header_row + 1, 1)
    ws.autofilter(header_row, 0, end - 2, len(PLAN_COLUMNS) - 1)
    page_setup(ws, landscape=True, title_rows=(header_row, header_row))
    ws.print_area(0, 0, max(end, last) - 1, len(PLAN_COLUMNS) - 1)


def _write_plan_notes(ws: Any, fm: Formats, row: int, below: list[Any], plan: Any, long_list: pd.DataFrame | None,
                      lang: str) -> int:
    """Under the Plan table: the warnings in full (who, what), then the clients of managers without
    a target. Returns the next free row."""
    width = len(PLAN_COLUMNS)
    if below:
        put(ws, row, 0, t("plan.attention", lang), fm.block)
        for c in range(1, width):
            put(ws, row, c, None, fm.block)
        row += 1
        for warning in below:
            # One merged cell: who, then what (a manager's name alone in column A would read as its row).
            text = f"{warning.manager or t('plan.whole_plan', lang)}: {warning.text(lang)}"
            ws.merge_range(row, 0, row, width - 1, clean_text(text), fm.wrap)
            ws.set_row(row, 15 * max(1, -(-len(text) // 220)))  # about 220 characters a line across the page
            row += 1
        row += 1
    unassigned = plan.unassigned
    if len(unassigned):
        put(ws, row, 0, t("plan.unassigned", lang), fm.block)
        for c in range(1, width):
            put(ws, row, c, None, fm.block)
        on_list: dict[str, str] = {}
        if long_list is not None and len(long_list):
            on_list = {company_key(c): m for c, m in zip(long_list["company"], long_list["manager"])}
        table = unassigned.assign(
            regular_text=[t("yes", lang) if r else "" for r in unassigned["regular"]],
            long_list=[on_list.get(company_key(c), "") for c in unassigned["client"]])
        row = write_table(ws, fm, row + 1, UNASSIGNED_COLUMNS, table, lang, total_label=t("plan.total", lang))
    return row


def call_columns(weeks: tuple[str, ...], lang: str) -> list[Column]:
    """The call sheet's columns: the figures, a column per week of the month, last contact, notes."""
    grid = [Column("col.week", week_field(w), "write_in", WEEK_WIDTH, header=f"{t('col.week', lang)} {i} · {w}")
            for i, w in enumerate(weeks, start=1)]
    return CALL_COLUMNS + grid + CALL_NOTE_COLUMNS


def write_calls_tab(book: Any, fm: Formats, plan: Any, lang: str, progress: Any = None, notes: Any = None) -> None:
    """The regular clients' call sheet: one block per manager, each starting on a new page.

    ``progress``: the month to date (:class:`~salesplan.method.progress.Progress`), for this week's
    columns; without it they stay empty. ``notes``: what managers typed
    (:class:`~salesplan.method.notes.TypedNotes`), put back on their clients' rows.
    """
    columns = call_columns(notes.weeks if notes is not None else tuple(call_weeks(plan.plan_month)), lang)
    ws = book.add_worksheet(t("sheet.calls", lang))
    put(ws, 0, 0, t("calls.title", lang, month=month_name(plan.plan_month, lang)), fm.title)
    put(ws, 1, 0, t("calls.rule", lang, calls=plan.params["calls_per_week"]), fm.subtitle)
    # This week's ask (monthly plan / 4) against this week's sales, when the month to date is known.
    regular = plan.regular if notes is None else plan.regular.join(notes.calls)
    if progress is not None:
        regular = regular.join(progress.week, on="client")
        regular["week_met_text"] = [t("calls.week_met" if m else "calls.week_not_met", lang)
                                    for m in regular["week_met"]]
        put(ws, 2, 0, t("calls.week", lang, start=progress.week_start.strftime("%d.%m.%Y"),
                        today=progress.today.strftime("%d.%m.%Y")), fm.subtitle)
    else:
        regular = regular.assign(week_sales=float("nan"), week_met_text=None)
    row, breaks = 3, []
    for manager in plan.summary["manager"]:
        clients = regular[regular["manager"] == manager]
        if row > 3:
            breaks.append(row)
        put(ws, row, 0, t("calls.manager", lang, manager=manager), fm.block)
        for c in range(1, len(columns)):
            put(ws, row, c, None, fm.block)
        row += 1
        if clients.empty:
            put_note(ws, row, t("calls.none", lang), fm.note, len(columns))
            row += 2
            continue
        row = write_table(ws, fm, row, columns, clients, lang, total_label=t("plan.total", lang)) + 1
    set_widths(ws, columns)
    ws.set_h_pagebreaks(breaks)
    page_setup(ws, landscape=True, title_rows=(0, 1))  # the figures and the week grid read better across
    ws.print_area(0, 0, max(row - 1, 1), len(columns) - 1)


def write_open_orders_tab(book: Any, fm: Formats, plan: Any, lang: str, notes: Any = None) -> None:
    """The open orders' follow-up list: one block per manager, largest orders first; ``notes``: the
    next steps managers typed (:class:`~salesplan.method.notes.TypedNotes`), back on their orders."""
    open_orders = plan.open_orders if notes is None else plan.open_orders.join(notes.orders)
    ws = book.add_worksheet(t("sheet.open_orders", lang))
    put(ws, 0, 0, t("orders.title", lang), fm.title)
    put(ws, 1, 0, t("orders.rule", lang), fm.subtitle)
    row, breaks = 3, []
    for manager in plan.summary["manager"]:
        orders = open_orders[open_orders["manager"] == manager]
        if orders.empty:
            continue
        if row > 3:
            breaks.append(row)
        put(ws, row, 0, t("calls.manager", lang, manager=manager), fm.block)
        for c in range(1, len(ORDER_COLUMNS)):
            put(ws, row, c, None, fm.block)
        row = write_table(ws, fm, row + 1, ORDER_COLUMNS, orders, lang, total_label=t("plan.total", lang)) + 1
    if row == 3:
        put_note(ws, row, t("orders.none", lang), fm.note, len(ORDER_COLUMNS))
        row += 1
    set_widths(ws, ORDER_COLUMNS)
    ws.set_h_pagebreaks(breaks)
    page_setup(ws, landscape=False, title_rows=(0, 1))
    ws.print_area(0, 0, max(row - 1, 1), len(ORDER_COLUMNS) - 1)


def write_problems_tab(book: Any, fm: Formats, problems: list[Problem], rows_read: int, lang: str,
                       sales_sheet: str | None = None) -> None:
    """Every input row that was skipped or doubted: sheet, row, column, value, what to do.

    The counter above counts the Sales rows skipped (``sales_sheet``'s; a row once) apart from the
    other notes (Config, the lists, the plan)."""
    ws = book.add_worksheet(t("sheet.problems", lang))
    put(ws, 0, 0, t("problems.title", lang), fm.title)
    on_sales = [p for p in problems if sales_sheet is None or p.sheet == sales_sheet]
    skipped = len({(p.sheet, p.row) for p in on_sales if p.row is not None and p.key not in KEPT_ROW_PROBLEMS})
    other = len(problems) - len(on_sales)
    put(ws, 1, 0, t("problems.summary", lang, read=rows_read, skipped=skipped, other=other), fm.subtitle)
    frame = pd.DataFrame([{"sheet": p.sheet, "row": p.row, "column": p.column,
                           "value": _display_value(p.value), "text": p.text(lang)} for p in problems],
                         columns=["sheet", "row", "column", "value", "text"])
    if frame.empty:
        put_note(ws, 3, t("problems.none", lang), fm.note, len(PROBLEM_COLUMNS))
        end = 4
    else:
        end = write_table(ws, fm, 3, PROBLEM_COLUMNS, frame, lang, fit_rows=True)
        ws.autofilter(3, 0, end - 1, len(PROBLEM_COLUMNS) - 1)
        ws.freeze_panes(4, 0)
    set_widths(ws, PROBLEM_COLUMNS)
    page_setup(ws, landscape=True, title_rows=(3, 3))


def _display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d.%m.%Y")
    return str(value)
