"""The Method check tab («Проверка метода»): the backtest of past months on one A4 landscape width.

Layout, top to bottom: the title and what was done; months not checked and why; the team's table,
one row per tested month (plan and actual of layers 1 and 2, the gap's share, Instrument #1's
conversion, the long list's comebacks); a native Excel chart of plan against actual per layer over
the months, whose series point at that table; the calibration lines (each setting now, what the
data says, the evidence); the category pairs from the sales against the Cross-sell table; the same
table as the team's per manager. A share whose base is zero is «—», never a number.

A4 landscape, fitted to the page width, the title rows repeated on every page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..errors import Problem
from ..method.backtest import Backtest
from ..months import month_label, month_name
from ..texts import t
from .dashboard import COLOURS, _axis_format
from .tabs import MONEY, PERCENT, Formats, page_setup, put, put_note

#: (field, header key, width, kind) of the month tables; kind: month, text, money, int, share, gap_of, notes.
COLUMNS = [
    ("month", "bt.col.month", 18, "month"),
    ("regular_plan", "bt.col.regular_plan", 12, "money"),
    ("regular_actual", "bt.col.regular_actual", 12, "money"),
    ("regular_fit", "bt.col.regular_fit", 8, "share"),
    ("regular_clients", "bt.col.regular_clients", 10, "int"),
    ("regular_bought", "bt.col.regular_bought", 8, "int"),
    ("remainder", "bt.col.remainder", 11, "money"),
    ("funnel_plan", "bt.col.funnel_plan", 11, "money"),
    ("one_time_actual", "bt.col.one_time_actual", 11, "money"),
    ("remainder_share", "bt.col.remainder_share", 9, "share"),
    ("actual", "bt.col.actual", 12, "money"),
    ("gap_share", "bt.col.gap_share", 8, "share"),
    ("gap_of", "bt.col.gap_of", 7, "gap_of"),
    ("offers", "bt.col.offers", 11, "int"),
    ("offers_bought", "bt.col.offers_bought", 7, "int"),
    ("conversion", "bt.col.conversion", 9, "share"),
    ("long_list", "bt.col.long_list", 10, "int"),
    ("came_back", "bt.col.came_back", 8, "int"),
    ("came_back_share", "bt.col.came_back_share", 7, "share"),
    ("notes", "bt.col.notes", 26, "notes"),
]
LAST = len(COLUMNS) - 1
#: The chart's series: (field, text key, layer colour, plan or actual).
SERIES = [("regular_plan", "bt.series.regular_plan", "regular", True),
          ("regular_actual", "bt.series.regular_actual", "regular", False),
          ("funnel_plan", "bt.series.funnel_plan", "one_time", True),
          ("one_time_actual", "bt.series.one_time_actual", "one_time", False)]
CHART_ROWS = 17
DASH = "—"


def write_backtest_tab(book: Any, fm: Formats, result: Backtest, lang: str, built: dt.datetime | None = None,
                       problems: Sequence[Problem] = ()) -> str:
    """Write the Method check tab into ``book``; returns its name.

    Args:
        book: an XlsxWriter workbook (:func:`salesplan.outputs.tabs.new_book`).
        fm: its shared formats.
        result: :func:`salesplan.method.backtest.backtest`.
        lang: ``"ru"`` or ``"en"``.
        built: when the check ran; now by default.
        problems: rows of the Targets history tab that were skipped, each named on a line.
    """
    built = built or dt.datetime.now()
    ws = book.add_worksheet(t("sheet.method_check", lang))
    st = _Styles(book)
    ws.hide_gridlines(2)
    for c, (_, _, width, _) in enumerate(COLUMNS):
        ws.set_column(c, c, width)
    first, last = result.plan_month - len(result.tested) - len(result.skipped), result.plan_month - 1
    put(ws, 0, 0, t("bt.title", lang, first=month_name(first, lang), last=month_name(last, lang)), fm.title)
    ws.set_row(0, 22)
    put(ws, 1, 0, t("bt.subtitle", lang, window=result.params["window_months"], rate=result.params["funnel_rate"],
                    built=built.strftime("%d.%m.%Y %H:%M")), fm.subtitle)
    row = 2
    for month, key, fields in result.skipped:
        put_note(ws, row, t(key, lang, month=month_label(month), **fields), st.warning, LAST + 1)
        row += 1
    for p in problems:
        put_note(ws, row, t("bt.problem", lang, sheet=p.sheet, row=p.row or "—", column=p.column,
                            value=p.value, problem=p.text(lang)), st.warning, LAST + 1)
        row += 1
    if not result.targets_known:
        put_note(ws, row, t("bt.targets_unknown", lang), fm.note, LAST + 1)
        row += 1
    row += 1
    if not result.tested:
        put_note(ws, row, t("bt.none", lang), st.warning, LAST + 1)
        _finish(ws, row)
        return str(ws.get_name())

    # The team, month by month, and the chart over it.
    put(ws, row, 0, t("bt.team", lang), fm.block)
    row += 1
    _header(ws, fm, row, lang, manager=False)
    row += 1
    team_first = row
    for record in result.team.to_dict("records"):
        _row(ws, st, row, record, lang, manager=False)
        row += 1
    team_last = row - 1
    row += 1
    # One chart a layer: the funnel is a tenth of the regular clients' turnover, on one scale a flat line.
    widths = [int(w * 7 + 5) for _, _, w, _ in COLUMNS]
    half = 10
    for i, layer in enumerate(("regular", "one_time")):
        series = [s for s in SERIES if s[2] == layer]
        biggest = float(result.team[[s[0] for s in series]].max().max() or 0.0)
        chart = _chart(book, ws.get_name(), team_first, team_last, lang, series, f"bt.chart.{layer}", biggest)
        span = widths[:half] if i == 0 else widths[half:]
        chart.set_size({"width": sum(span) - 6, "height": CHART_ROWS * 20})
        ws.insert_chart(row, 0 if i == 0 else half, chart, {"x_offset": 2, "y_offset": 2, "object_position": 3})
    row += CHART_ROWS + 1

    row = _calibration(ws, fm, st, row, result, lang)
    row = _pairs(ws, fm, st, row + 1, result, lang)

    put(ws, row + 1, 0, t("bt.managers", lang), fm.block)
    row += 2
    _header(ws, fm, row, lang, manager=True)
    row += 1
    month = None
    for record in result.months.to_dict("records"):
        if record["month"] != month:
            month = record["month"]
            put_note(ws, row, month_name(int(month), lang), st.month, LAST + 1)
            row += 1
        _row(ws, st, row, record, lang, manager=True)
        row += 1
    _finish(ws, row - 1, title_rows=None)
    return str(ws.get_name())


class _Styles:
    def __init__(self, book: Any) -> None:
        base = {"font_name": "Calibri", "font_size": 9, "valign": "vcenter", "border": 1, "border_color": "#BFBFBF"}

        def fmt(**props: Any) -> Any:
            return book.add_format({**base, **props})

        self.text = fmt()
        self.bold = fmt(bold=True)
        self.wrap = fmt(text_wrap=True, font_size=8)
        self.money = fmt(num_format=MONEY)
        self.int = fmt(num_format="0", align="center")
        self.share = fmt(num_format=PERCENT, align="center")
        self.dash = fmt(align="center", font_color="#808080")
        self.lift = fmt(num_format="0.00", align="center")
        self.month = fmt(bold=True, bg_color="#F2F2F2")
        self.warning = book.add_format({"font_name": "Calibri", "font_size": 10, "font_color": "#C00000",
                                        "text_wrap": True, "valign": "top"})
        self.evidence = fmt(text_wrap=True, valign="top", font_size=9)
        self.setting = fmt(bold=True, text_wrap=True, valign="top")
        self.value = fmt(align="center", valign="top", bold=True)
        self.found = fmt(align="center", valign="top", bold=True, font_color="#1F4E78", bg_color="#DDEBF7")


def _header(ws: Any, fm: Formats, row: int, lang: str, manager: bool) -> None:
    for c, (field, key, _, _) in enumerate(COLUMNS):
        label = t(key, lang)
        if manager and field == "month":
            label = t("bt.col.manager", lang)
        put(ws, row, c, label, fm.header)
    ws.set_row(row, 40)


def _row(ws: Any, st: _Styles, row: int, record: dict[str, Any], lang: str, manager: bool) -> None:
    for c, (field, _, _, kind) in enumerate(COLUMNS):
        value = record.get(field)
        if kind == "month":
            put(ws, row, c, str(record["manager"]) if manager else month_name(int(value), lang), st.bold)
        elif kind == "money":
            put(ws, row, c, float(value), st.money)
        elif kind == "int":
            put(ws, row, c, int(value), st.int)
        elif kind == "share":
            if value is None or (isinstance(value, float) and value != value):
                put(ws, row, c, DASH, st.dash)
            else:
                put(ws, row, c, float(value), st.share)
        elif kind == "gap_of":
            put(ws, row, c, t(f"bt.gap_of.{value}", lang) if value else DASH, st.dash if not value else st.text)
        else:
            text = "; ".join(t(k, lang) for k in (value or []))
            put(ws, row, c, text, st.wrap)
            if len(text) > 40:  # the notes column holds about 40 characters a line
                ws.set_row(row, 12 * (len(text) // 40 + 1))


def _chart(book: Any, sheet: str, first: int, last: int, lang: str, series: list[tuple[str, str, str, bool]],
           title: str, biggest: float) -> Any:
    """Lines over the months: a layer's plan dashed, its actual solid, from the team's table."""
    chart = book.add_chart({"type": "line"})
    fields = [f for f, *_ in COLUMNS]
    for field, key, layer, is_plan in series:
        col = fields.index(field)
        solid, pale = COLOURS[layer]
        line = ({"color": solid, "width": 1.75, "dash_type": "dash"} if is_plan
                else {"color": solid, "width": 2.75})
        chart.add_series({
            "name": t(key, lang),
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, col, last, col],
            "line": line,
            "marker": {"type": "circle" if not is_plan else "none", "size": 4,
                       "fill": {"color": solid}, "border": {"color": solid}},
        })
    chart.set_title({"name": t(title, lang), "name_font": {"size": 10, "bold": True}})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_y_axis({"num_format": _axis_format(biggest, lang), "num_font": {"size": 8}, "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, "line": {"none": True}})
    chart.set_x_axis({"num_font": {"size": 8}, "line": {"color": "#808080"}})
    chart.set_chartarea({"border": {"color": "#BFBFBF"}})
    return chart


def _percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.0%}"


def _calibration(ws: Any, fm: Formats, st: _Styles, row: int, result: Backtest, lang: str) -> int:
    """The calibration lines: setting, now, from the data, evidence; returns the next free row."""
    cal = result.calibration
    put(ws, row, 0, t("bt.calibration", lang), fm.block)
    row += 1
    # Columns: A-C the setting, D the value now, E the data's, F-T the evidence.
    spans = [(0, 2, "bt.cal.col.setting"), (3, 3, "bt.cal.col.config"), (4, 5, "bt.cal.col.data"),
             (6, LAST, "bt.cal.col.evidence")]
    for a, b, key in spans:
        _merged(ws, row, a, b, t(key, lang), fm.header)
    row += 1
    shares = ", ".join(_percent(s) for s in cal.funnel_shares)
    lines = [
        ("bt.cal.funnel", _percent(cal.funnel_rate), _percent(cal.funnel_rate_met),
         t("bt.cal.funnel_evidence", lang, met=0.8, rate=_percent(cal.funnel_rate_met), config=cal.funnel_rate,
           config_met=cal.funnel_config_met, months=cal.funnel_months, shares=shares)),
        ("bt.cal.multiplier", f"×{cal.offer_multiplier:g}",
         DASH if cal.suggested_multiplier is None else f"×{cal.suggested_multiplier:.1f}",
         t("bt.cal.multiplier_evidence", lang, offers=cal.offers, bought=cal.offers_bought,
           conversion=_percent(cal.conversion))),
    ]
    window = result.params["window_months"]
    regular_lines = []
    for r in cal.regular.to_dict("records"):
        line = t("bt.cal.regular_line", lang, minimum=r["minimum"], window=window, clients=r["clients"],
                 bought=_percent(r["bought_share"]), fit=_percent(r["fit"]))
        regular_lines.append(("► " if r["minimum"] == cal.regular_min_months else "") + line)
    verdict = t(f"bt.cal.verdict.{cal.regular_verdict}", lang) if cal.regular_verdict else DASH
    lines.append(("bt.cal.regular", str(cal.regular_min_months), verdict, "; ".join(regular_lines)))
    lines.append(("bt.cal.long_list", DASH, _percent(cal.came_back_share),
                  t("bt.cal.long_list_evidence", lang, listed=cal.long_list, back=cal.came_back)))
    for key, now, found, evidence in lines:
        _merged(ws, row, 0, 2, t(key, lang), st.setting)
        put(ws, row, 3, now, st.value)
        _merged(ws, row, 4, 5, found, st.found)
        _merged(ws, row, 6, LAST, evidence, st.evidence)
        ws.set_row(row, 36 if len(evidence) > 160 else 26)
        row += 1
    put_note(ws, row, t("bt.cal.note", lang), fm.note, LAST + 1)
    return row + 1


def _pairs(ws: Any, fm: Formats, st: _Styles, row: int, result: Backtest, lang: str) -> int:
    """The category pairs table; returns the next free row."""
    span = result.pairs_months
    put(ws, row, 0, t("bt.pairs", lang, first=month_label(span.start), last=month_label(span.stop - 1),
                      min=result.min_pair_clients), fm.block)
    row += 1
    spans = [(0, 3, "bt.pairs.col.from"), (4, 6, "bt.pairs.col.to"), (7, 8, "bt.pairs.col.clients"),
             (9, 10, "bt.pairs.col.support"), (11, 12, "bt.pairs.col.confidence"), (13, 14, "bt.pairs.col.lift"),
             (15, 18, "bt.pairs.col.verdict")]
    for a, b, key in spans:
        _merged(ws, row, a, b, t(key, lang), fm.header)
    row += 1
    if result.pairs.empty:
        put_note(ws, row, t("bt.pairs.none", lang), fm.note, LAST + 1)
        return row + 1
    for p in result.pairs.to_dict("records"):
        cells = [p["from"], p["to"], int(p["clients"]), p["support"], p["confidence"], p["lift"],
                 t(f"bt.pairs.{p['verdict']}", lang)]
        styles = [st.text, st.text, st.int, st.share, st.share, st.lift,
                  st.bold if p["verdict"] == "missing" else st.text]
        for (a, b, _), value, style in zip(spans, cells, styles):
            if value is None or (isinstance(value, float) and value != value):
                value, style = DASH, st.dash
            _merged(ws, row, a, b, value, style)
        row += 1
    put_note(ws, row, t("bt.pairs.note", lang), fm.note, LAST + 1)
    return row + 1


def _merged(ws: Any, row: int, first: int, last: int, value: Any, style: Any) -> None:
    if first == last:
        put(ws, row, first, value, style)
    elif isinstance(value, str):
        ws.merge_range(row, first, row, last, "", style)
        put(ws, row, first, value, style)
    else:
        ws.merge_range(row, first, row, last, None, style)
        put(ws, row, first, value, style)


def _finish(ws: Any, last_row: int, title_rows: tuple[int, int] | None = None) -> None:
    page_setup(ws, landscape=True, title_rows=title_rows, fit_width=True)
    ws.print_area(0, 0, last_row, LAST)
