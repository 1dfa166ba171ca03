"""The Dashboard tab: plan against fact during the month, one A4 landscape page with live charts.

Layout (0-based rows): the title, the as-of line, the expected share by today (cell ``I3``, which the
red flags compare against), a line on the rules, then the table: one two-row block per manager
(``план``: the four plan layers, their total and the target; ``факт``: the four fact layers, their
total, the share reached, what is still to sell, the pace needed a day and the pace status) and the
team's block. Below the table two native Excel charts whose series point at cells of this tab, so
they follow any edit in Excel:

- plan layers against fact as stacked columns, a plan column (pale) and a fact column (solid) per
  manager, one colour per layer (1 ↔ regular, 2 ↔ one-time, 3A ↔ cross-selling, 3B ↔ new); the
  categories are the two-level range manager × план/факт of the table;
- the team's cumulative fact per working day against the target at an even pace and the target,
  as lines; their data sits right of the printed area (columns N–Q).

A block is filled red by a conditional format when its share reached is below the expected share.
The page is A4 landscape, fitted to one page, print area = the table and the charts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from ..method.progress import LAYERS, PLAN_LAYERS, Progress
from ..months import month_name
from ..texts import t
from .tabs import MONEY, PERCENT, Formats, page_setup, put, put_note

#: (header text key, width) of the table's columns, A..L.
COLUMNS = [("dash.col.manager", 20), ("dash.col.kind", 6), ("dash.col.regular", 13), ("dash.col.one_time", 13),
           ("dash.col.crosssell", 13), ("dash.col.new", 13), ("dash.col.total", 13), ("dash.col.target", 13),
           ("dash.col.reached", 10), ("dash.col.remaining", 13), ("dash.col.pace", 12), ("dash.col.status", 10)]
LAST = len(COLUMNS) - 1
LAYER_COL = 2            # C..F: the four layers
TOTAL_COL, TARGET_COL, REACHED_COL, REMAINING_COL, PACE_COL, STATUS_COL = range(6, 12)
EXPECTED_CELL = (2, REACHED_COL)  # I3
HEADER_ROW = 4
DATA_COL = LAST + 2      # N: the team chart's data, right of the print area
CHART_ROWS = 18          # rows of 20 px under the charts
#: Per layer: (solid fact colour, pale plan colour).
COLOURS = {"regular": ("#2E75B6", "#BDD7EE"), "one_time": ("#548235", "#C5E0B4"),
           "crosssell": ("#C55A11", "#F8CBAD"), "new": ("#7030A0", "#D9C3E9")}
RED_FILL, RED_FONT = "#FFC7CE", "#9C0006"


def _px(width: float) -> int:
    """A column width in characters -> pixels, as Excel and XlsxWriter size it."""
    return int(width * 7 + 5) if width >= 1 else int(width * 12 + 0.5)


class _Styles:
    """The dashboard's own formats, next to the shared :class:`Formats`."""

    def __init__(self, book: Any) -> None:
        base = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter", "border": 1, "border_color": "#BFBFBF"}

        def fmt(**props: Any) -> Any:
            return book.add_format({**base, **props})

        plan = {"font_color": "#404040", "bg_color": "#F2F2F2"}
        team = {"bold": True, "bg_color": "#DDEBF7"}
        self.name = fmt(bold=True, text_wrap=True)
        self.team_name = fmt(**team, text_wrap=True)
        self.kind_plan = fmt(**plan, italic=True, align="center")
        self.kind_fact = fmt(italic=True, align="center")
        self.kind_team = fmt(**team, italic=True, align="center")
        self.plan_money = fmt(**plan, num_format=MONEY)
        self.plan_blank = fmt(**plan)
        self.fact_money = fmt(num_format=MONEY)
        self.fact_percent = fmt(num_format=PERCENT, align="center", bold=True)
        self.fact_blank = fmt()
        self.team_money = fmt(**team, num_format=MONEY)
        self.team_percent = fmt(**team, num_format=PERCENT, align="center")
        self.team_blank = fmt(**team)
        self.behind = fmt(bold=True, font_color="#C00000", align="center")
        self.on_pace = fmt(font_color="#375623", align="center")
        self.neutral = fmt(font_color="#595959", align="center")
        self.team_behind = fmt(**{**team, "font_color": "#C00000"}, align="center")
        self.team_on_pace = fmt(**{**team, "font_color": "#375623"}, align="center")
        self.expected_label = book.add_format({"font_name": "Calibri", "font_size": 10, "align": "right",
                                               "valign": "vcenter", "bold": True})
        self.expected = book.add_format({"font_name": "Calibri", "font_size": 11, "bold": True, "align": "center",
                                         "valign": "vcenter", "num_format": PERCENT, "border": 2,
                                         "border_color": "#C00000"})
        self.rule = book.add_format({"font_name": "Calibri", "font_size": 8, "font_color": "#595959",
                                     "text_wrap": True, "valign": "top"})
        self.red = book.add_format({"bg_color": RED_FILL, "font_color": RED_FONT})
        self.demo_title = book.add_format({"font_name": "Calibri", "bold": True, "font_size": 14,
                                           "font_color": "#C00000"})
        self.day = book.add_format({"font_name": "Calibri", "font_size": 9, "num_format": "dd.mm", "align": "center",
                                    "border": 1, "border_color": "#BFBFBF"})
        self.data_money = book.add_format({"font_name": "Calibri", "font_size": 9, "num_format": MONEY, "border": 1,
                                           "border_color": "#BFBFBF"})


def write_dashboard_tab(book: Any, fm: Formats, plan: Any, progress: Progress, lang: str,
                        built: dt.datetime | None = None) -> None:
    """Write the Dashboard tab («Панель» / «Dashboard») into ``book``.

    Args:
        book: the XlsxWriter workbook of the output tabs (:func:`salesplan.outputs.tabs.new_book`).
        fm: its shared formats.
        plan: the month's :class:`~salesplan.method.plan.MonthPlan`.
        progress: :func:`salesplan.method.progress.month_to_date` of the same plan.
        lang: ``"ru"`` or ``"en"``.
        built: when the build ran (the as-of line); now by default.
    """
    built = built or dt.datetime.now()
    st = _Styles(book)
    ws = book.add_worksheet(t("sheet.dashboard", lang))
    sheet = ws.get_name()
    days = progress.days
    ws.hide_gridlines(2)
    for c, (_, width) in enumerate(COLUMNS):
        ws.set_column(c, c, width)

    # A month that is over is its result: no pace, no days left (method.progress).
    over = "_over" if days.over else ""
    title = t(f"dash.title{over}", lang, month=month_name(plan.plan_month, lang))
    if is_demo(plan.params):
        title = t("dash.title_demo", lang, title=title, last=progress.today.strftime("%d.%m.%Y"))
    put(ws, 0, 0, title, st.demo_title if is_demo(plan.params) else fm.title)
    ws.set_row(0, 22)
    put(ws, 1, 0, t(f"dash.subtitle{over}", lang, today=progress.today.strftime("%d.%m.%Y"), all=days.all,
                    elapsed=days.elapsed, left=days.left, built=built.strftime("%d.%m.%Y %H:%M")), fm.subtitle)
    ws.merge_range(2, 0, 2, REACHED_COL - 1, t(f"dash.expected{over}", lang, elapsed=days.elapsed, all=days.all),
                   st.expected_label)
    put(ws, *EXPECTED_CELL, days.expected_share, st.expected)
    ws.set_row(2, 18)
    rule = t(f"dash.rule{over}", lang, new_after=plan.params["new_after_months"])
    if is_demo(plan.params):
        rule = t("dash.demo", lang, month=month_name(plan.plan_month, lang),
                 last=progress.today.strftime("%d.%m.%Y")) + "\n" + rule
    ws.merge_range(3, 0, 3, LAST, rule, st.rule)
    ws.set_row(3, 36 if is_demo(plan.params) else 24)

    for c, (key, _) in enumerate(COLUMNS):
        put(ws, HEADER_ROW, c, t(key, lang) or None, fm.header)
    ws.set_row(HEADER_ROW, 28)

    managers = progress.managers
    row = HEADER_ROW + 1
    if managers.empty:
        put_note(ws, row, t("dash.none", lang), fm.note, LAST + 1)
        _finish(ws, row + 1)
        return
    first = row
    for record in managers.to_dict("records"):
        _write_block(ws, st, row, record, str(record["manager"]), lang, team=False, over=days.over)
        row += 2
    last = row - 1
    _write_block(ws, st, row, progress.team, t("dash.team", lang), lang, team=True, over=days.over)
    row += 2

    chart_row = row + 1
    widths = [_px(w) for _, w in COLUMNS]
    biggest = managers[["plan_total", "fact_total"]].max().max()
    # The two-level categories (manager, план/факт): XlsxWriter caches them only when given.
    categories = [[name for m in managers["manager"] for name in (str(m), None)],
                  [t(key, lang) for _ in range(len(managers)) for key in ("dash.plan", "dash.fact")]]
    layers = _layers_chart(book, sheet, first, last, lang, _axis_format(biggest, lang), categories)
    layers.set_size({"width": sum(widths[:TARGET_COL]) - 8, "height": CHART_ROWS * 20 - 6})
    ws.insert_chart(chart_row, 0, layers, {"x_offset": 2, "y_offset": 2, "object_position": 3})
    days_first, days_last = _write_team_data(ws, st, fm, progress, lang)
    if days_last >= days_first:
        team_max = max(_number(progress.team["target"]) or 0.0, progress.team["fact_total"])
        team = _team_chart(book, sheet, days_first, days_last, lang, _axis_format(team_max, lang))
        team.set_size({"width": sum(widths[TARGET_COL:]) - 6, "height": CHART_ROWS * 20 - 6})
        ws.insert_chart(chart_row, TARGET_COL, team, {"x_offset": 4, "y_offset": 2, "object_position": 3})
    _finish(ws, chart_row + CHART_ROWS)


def _write_block(ws: Any, st: _Styles, row: int, record: Any, label: str, lang: str, team: bool,
                 over: bool = False) -> None:
    """The plan row and the fact row of one manager (or the team), and the red flag over both."""
    fact = row + 1
    ws.merge_range(row, 0, fact, 0, label, st.team_name if team else st.name)
    put(ws, row, 1, t("dash.plan", lang), st.kind_team if team else st.kind_plan)
    put(ws, fact, 1, t("dash.fact", lang), st.kind_team if team else st.kind_fact)
    plan_money = st.team_money if team else st.plan_money
    fact_money = st.team_money if team else st.fact_money
    plan_blank = st.team_blank if team else st.plan_blank
    fact_blank = st.team_blank if team else st.fact_blank
    for i, (plan_field, layer) in enumerate(zip(PLAN_LAYERS, LAYERS)):
        put(ws, row, LAYER_COL + i, record[plan_field], plan_money)
        put(ws, fact, LAYER_COL + i, record[f"fact_{layer}"], fact_money)
    put(ws, row, TOTAL_COL, record["plan_total"], plan_money)
    put(ws, fact, TOTAL_COL, record["fact_total"], fact_money)
    put(ws, row, TARGET_COL, _number(record["target"]), plan_money)
    put(ws, fact, TARGET_COL, None, fact_blank)
    put(ws, fact, REACHED_COL, _number(record["reached"]), st.team_percent if team else st.fact_percent)
    put(ws, fact, REMAINING_COL, _number(record["remaining"]), fact_money)
    put(ws, fact, PACE_COL, _number(record["pace_needed"]), fact_money)
    for c in range(REACHED_COL, LAST + 1):
        put(ws, row, c, None, plan_blank)
    if _number(record["reached"]) is None:
        status, style = t("dash.no_target", lang), (st.team_blank if team else st.neutral)
    elif record["behind"]:
        status, style = t("dash.not_done" if over else "dash.behind", lang), (st.team_behind if team else st.behind)
    else:
        status, style = t("dash.done" if over else "dash.on_pace", lang), (st.team_on_pace if team else st.on_pace)
    put(ws, fact, STATUS_COL, status, style)
    reached = xl_rowcol_to_cell(fact, REACHED_COL, row_abs=True, col_abs=True)
    expected = xl_rowcol_to_cell(*EXPECTED_CELL, row_abs=True, col_abs=True)
    ws.conditional_format(row, 0, fact, LAST, {"type": "formula",
                                               "criteria": f"=AND(ISNUMBER({reached}),{reached}<{expected})",
                                               "format": st.red})


def is_demo(params: Any) -> bool:
    """The shipped demo's workbook (its Config names the demo company): its tabs say it is a demo."""
    from ..demo import DEMO_COMPANY

    return bool(params.get("company") == DEMO_COMPANY and params.get("as_of_date"))


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(value)


def _axis_format(biggest: float, lang: str) -> str:
    """Roubles on a value axis: in millions, thousands or units, by the largest value plotted."""
    key = ("dash.axis_millions" if biggest >= 3e6 else "dash.axis_thousands" if biggest >= 3e3
           else "dash.axis_units")
    return t(key, lang)


def _layers_chart(book: Any, sheet: str, first: int, last: int, lang: str, axis_format: str,
                  categories: list[list[str | None]]) -> Any:
    """Stacked columns: per manager a pale plan column and a solid fact column, one series a layer."""
    chart = book.add_chart({"type": "column", "subtype": "stacked"})
    for i, layer in enumerate(LAYERS):
        solid, pale = COLOURS[layer]
        col = LAYER_COL + i
        points = [{"fill": {"color": pale if (r - first) % 2 == 0 else solid}, "border": {"none": True}}
                  for r in range(first, last + 1)]
        chart.add_series({
            "name": [sheet, HEADER_ROW, col],
            "categories": [sheet, first, 0, last, 1],
            "categories_data": categories,
            "values": [sheet, first, col, last, col],
            "fill": {"color": solid},
            "border": {"none": True},
            "points": points,
            "gap": 40,
        })
    chart.set_title({"name": t("dash.chart_layers", lang), "name_font": {"size": 10, "bold": True}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_y_axis({"num_format": axis_format, "num_font": {"size": 8},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                      "line": {"none": True}})
    chart.set_x_axis({"num_font": {"size": 8}, "line": {"color": "#808080"}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    return chart


def _write_team_data(ws: Any, st: _Styles, fm: Formats, progress: Progress, lang: str) -> tuple[int, int]:
    """The team chart's data right of the print area: working day, even pace, fact, target."""
    keys = ["dash.col.day", "dash.series_pace", "dash.series_fact", "dash.series_target"]
    put(ws, HEADER_ROW - 1, DATA_COL, t("dash.data", lang), fm.subtitle)
    for i, key in enumerate(keys):
        put(ws, HEADER_ROW, DATA_COL + i, t(key, lang), fm.header)
        ws.set_column(DATA_COL + i, DATA_COL + i, 12 if i == 0 else 15)
    row = HEADER_ROW + 1
    for record in progress.daily.to_dict("records"):
        put(ws, row, DATA_COL, record["date"], st.day)
        for i, field in enumerate(["plan_cumulative", "fact_cumulative", "target"], start=1):
            put(ws, row, DATA_COL + i, _number(record[field]), st.data_money)
        row += 1
    return HEADER_ROW + 1, row - 1


def _team_chart(book: Any, sheet: str, first: int, last: int, lang: str, axis_format: str) -> Any:
    """Lines: the team's cumulative fact against the target at an even pace and the target."""
    chart = book.add_chart({"type": "line"})
    styles = [{"line": {"color": "#7F7F7F", "width": 1.5, "dash_type": "dash"}},
              {"line": {"color": "#2E75B6", "width": 2.75}, "marker": {"type": "circle", "size": 4,
                                                                        "fill": {"color": "#2E75B6"},
                                                                        "border": {"color": "#2E75B6"}}},
              {"line": {"color": "#C00000", "width": 1.25, "dash_type": "long_dash"}}]
    for i, style in enumerate(styles, start=1):
        chart.add_series({"name": [sheet, HEADER_ROW, DATA_COL + i],
                          "categories": [sheet, first, DATA_COL, last, DATA_COL],
                          "values": [sheet, first, DATA_COL + i, last, DATA_COL + i], **style})
    chart.show_blanks_as("gap")
    chart.set_title({"name": t("dash.chart_team", lang), "name_font": {"size": 10, "bold": True}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_y_axis({"num_format": axis_format, "num_font": {"size": 8}, "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                      "line": {"none": True}})
    chart.set_x_axis({"num_format": "d", "num_font": {"size": 7}, "name": t("dash.axis_days", lang),
                      "name_font": {"size": 8, "bold": False},
                      "line": {"color": "#808080"}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    return chart


def _finish(ws: Any, last_row: int) -> None:
    page_setup(ws, landscape=True, title_rows=None, fit_width=False)
    ws.fit_to_pages(1, 1)
    ws.center_horizontally()
    ws.print_area(0, 0, last_row, LAST)
