"""The method check, from workbook to tab: ``salesplan backtest`` and the button behind it.

::

    read_workbook_inputs(workbook)      -> Inputs     the same inputs as ``salesplan plan``
    check_method(inputs, months)        -> Backtest   method/backtest.py: past months planned, compared
    render_method_check(result, out)    -> tab names  outputs/backtest.py, the tab marked as the program's
    save_with_tabs(...)                               spliced into the workbook: temp file, check, swap

The tab replaces the program's earlier Method check tab and nothing else; a monthly build leaves
it as it is (:data:`salesplan.outputs.render.KEPT_TABS`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import Problem, WorkbookWriteError
from .inputs.history import read_targets_history
from .inputs.ledger import skipped_rows
from .inputs.rows import SheetRows, WorkbookSource
from .method.backtest import Backtest, backtest
from .method.plan import resolve_plan_month
from .monthly import Inputs, read_workbook_inputs
from .months import month_label
from .ooxml.peek import sheet_marks
from .ooxml.splice import replace_sheets
from .outputs.backtest import write_backtest_tab
from .outputs.render import program_tabs
from .outputs.tabs import Formats, new_book
from .outputs.templates import unique_sheet_name
from .outputs.workbook import check_outputs, check_writable, file_stamp, same_file, save_with_tabs, written_path
from .scratch import remove_stale, scratch_folder
from .texts import names, t

#: Months tested by default.
MONTHS = 12


@dataclass(frozen=True)
class MethodCheck:
    """What ``salesplan backtest`` did: the backtest, where it went, what the inputs said."""

    result: Backtest
    inputs: Inputs
    written: Path | None
    backup: Path | None
    tab: str
    problems: tuple[Problem, ...]


def check_method(inputs: Inputs, months: int = MONTHS, today: dt.date | None = None,
                 history: pd.DataFrame | None = None) -> Backtest:
    """Backtest the ``months`` months before the plan month of ``inputs`` (Config ``plan_month``,
    ``--month``, else the current month); ``history``: :func:`read_targets_history`."""
    config = inputs.config
    plan_month = resolve_plan_month(config.params["plan_month"], today)
    return backtest(inputs.ledger, config.params, plan_month, months, assigned_owners=config.owners,
                    rules=config.crosssell, exclusions=config.exclusions, targets_history=history)


def history_rows(source: WorkbookSource | None) -> SheetRows | None:
    """The Targets history tab's rows, if the workbook has one."""
    name = source.find_sheet(names("sheet.targets_history")) if source is not None else None
    return source.rows(name) if source is not None and name else None


def tab_placement(sheet_names: Sequence[str], marks: Mapping[str, str] | None, lang: str) -> tuple[set[str], str]:
    """The workbook's tabs the check replaces (its own earlier tab) and the name it writes under:
    its own name, or the next free one when a tab of the user's has it."""
    own = {n.casefold() for n in names("sheet.method_check")}
    owned = {n for n, written in program_tabs(sheet_names, marks).items() if written.strip().casefold() in own}
    wanted = t("sheet.method_check", lang)
    kept = {n.casefold() for n in sheet_names if n not in owned}
    return owned, (unique_sheet_name(wanted, kept) if wanted.casefold() in kept else wanted)


def render_method_check(result: Backtest, out: Path, lang: str, built: dt.datetime | None = None,
                        name: str | None = None, problems: Sequence[Problem] = ()) -> list[str]:
    """The Method check tab into a new workbook at ``out``, carrying the program's mark."""
    renamed = {t("sheet.method_check", lang): name} if name else None
    with scratch_folder("backtest") as folder:
        plain = folder / "tab.xlsx"
        book = new_book(plain, renamed)
        written = write_backtest_tab(book, Formats(book), result, lang, built, problems)
        book.close()
        # The tab replaces itself: the splice is what gives every sheet of ``out`` the mark.
        replace_sheets(plain, plain, out, owned={written}, compresslevel=1, mark=True)
    return [written]


def build_backtest(workbook: Path, *, out: Path | None = None, sales_file: Path | None = None,
                   targets_file: Path | None = None, month: str | None = None, months: int = MONTHS,
                   settings: Sequence[str] = (), json_path: Path | None = None, today: dt.date | None = None,
                   keep_backups: int = 5, built: dt.datetime | None = None,
                   sources: dict[Path, WorkbookSource] | None = None,
                   read_stamp: tuple[int, int] | None = None) -> MethodCheck:
    """``salesplan backtest``: check the method on past months, write the tab (and the JSON).

    The outputs are checked before any work as ``salesplan plan`` checks them; a workbook saved by
    another program meanwhile is not overwritten."""
    workbook = Path(workbook)
    remove_stale()
    check_outputs(workbook, out=Path(out) if out else None, json_path=Path(json_path) if json_path else None,
                  inputs=(("--sales", sales_file), ("--targets", targets_file)))
    target = Path(out) if out else workbook
    check_writable(written_path(target))
    read_stamp = (read_stamp or file_stamp(workbook)) if same_file(target, workbook) else None
    # A history outside the workbook keeps single lines for every month a past plan looks at.
    inputs = read_workbook_inputs(workbook, sales_file=sales_file, targets_file=targets_file, month=month,
                                  settings=list(settings), sources=sources, today=today, more_single_months=months)
    history, history_problems = read_targets_history(history_rows((sources or {}).get(workbook)
                                                                   or WorkbookSource(workbook)))
    result = check_method(inputs, months, today, history)
    lang = inputs.config.lang
    owned, name = tab_placement(inputs.sheet_names, sheet_marks(workbook), lang)
    tabs: list[str] = []

    def render(path: Path) -> list[str]:
        tabs.extend(render_method_check(result, path, lang, built, name, history_problems))
        return tabs

    backup = save_with_tabs(workbook, target, render, owned, keep_backups, unchanged_since=read_stamp)
    if json_path is not None:
        write_json(result, Path(json_path))
    return MethodCheck(result, inputs, target, backup, tabs[0] if tabs else name,
                       tuple(inputs.problems) + tuple(history_problems))


def incomplete_text(check: MethodCheck, lang: str) -> str:
    """Too many Sales rows skipped (as ``plan`` says it): the check is of an incomplete ledger."""
    from .outputs.tabs import skipped_text

    inputs = check.inputs
    return skipped_text(skipped_rows(list(inputs.problems), inputs.rows_read, inputs.sales_sheet,
                                     inputs.config.params["max_skipped_share"]), lang)


# --- JSON -------------------------------------------------------------------------------------------


def _number(value: Any, digits: int = 2) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return round(float(value), digits)


#: The month rows' fields in the JSON, and their rounding (None: an integer).
_FIELDS = {"regular_clients": None, "regular_bought": None, "regular_plan": 2, "regular_actual": 2,
           "regular_fit": 4, "remainder": 2, "funnel_plan": 2, "one_time_actual": 2, "remainder_share": 4,
           "base_plan": 2, "actual": 2, "target": 2, "gap": 2, "gap_share": 4, "offers": None, "offers_bought": None,
           "conversion": 4, "long_list": None, "came_back": None, "came_back_share": 4}


def _month_rows(frame: Any) -> list[dict[str, Any]]:
    out = []
    for r in frame.to_dict("records"):
        row: dict[str, Any] = {"month": month_label(int(r["month"])), "manager": r["manager"] or None}
        for key, digits in _FIELDS.items():
            row[key] = int(r[key]) if digits is None else _number(r[key], digits)
        row["gap_of"] = r["gap_of"] or None
        row["notes"] = list(r["notes"])
        out.append(row)
    return out


def to_json(result: Backtest) -> dict[str, Any]:
    """The backtest for other programs: ``months`` (per month and manager), ``team`` (per month),
    ``skipped``, ``calibration`` and ``pairs``."""
    cal = result.calibration
    return {
        "plan_month": month_label(result.plan_month),
        "tested": [month_label(m) for m in result.tested],
        "skipped": [{"month": month_label(m), "reason": key, **fields} for m, key, fields in result.skipped],
        "targets_known": result.targets_known,
        "months": _month_rows(result.months),
        "team": _month_rows(result.team),
        "calibration": {
            "months": cal.months,
            "funnel_rate": {"config": cal.funnel_rate, "met_in_80_percent": _number(cal.funnel_rate_met, 4),
                            "config_met_months": cal.funnel_config_met, "months_measured": cal.funnel_months,
                            "shares": [_number(s, 4) for s in cal.funnel_shares]},
            "conversion": {"offers": cal.offers, "bought": cal.offers_bought, "rate": _number(cal.conversion, 4),
                           "offer_multiplier": cal.offer_multiplier,
                           "suggested_multiplier": _number(cal.suggested_multiplier, 2)},
            "regular_min_months": {"config": cal.regular_min_months, "verdict": cal.regular_verdict or None,
                                   "by_minimum": [{"minimum": int(r["minimum"]), "client_months": int(r["clients"]),
                                                   "bought": int(r["bought"]),
                                                   "bought_share": _number(r["bought_share"], 4),
                                                   "plan": _number(r["plan"]), "actual": _number(r["actual"]),
                                                   "actual_to_plan": _number(r["fit"], 4)}
                                                  for r in cal.regular.to_dict("records")]},
            "long_list": {"listed": cal.long_list, "came_back": cal.came_back,
                          "share": _number(cal.came_back_share, 4)},
        },
        "pairs": [{"from": p["from"], "to": p["to"], "clients": int(p["clients"]), "support": _number(p["support"], 4),
                   "confidence": _number(p["confidence"], 4), "lift": _number(p["lift"], 4),
                   "in_config": bool(p["in_config"]), "verdict": p["verdict"]}
                  for p in result.pairs.to_dict("records")],
    }


def as_json_text(result: Backtest) -> str:
    return json.dumps({"backtest": to_json(result)}, ensure_ascii=False, indent=2)


def write_json(result: Backtest, path: Path) -> None:
    try:
        path.write_text(as_json_text(result), encoding="utf-8")
    except OSError as exc:
        raise WorkbookWriteError("err.bad_json_path", path=str(path), detail=exc.strerror or str(exc)) from None
