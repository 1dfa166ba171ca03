"""The Targets history tab («Планы прошлых месяцев»): the targets past months had, for the method
check (issue 20): Месяц, Менеджер, План — one row per month and manager.

========  ========  =========
Месяц     Менеджер  План
========  ========  =========
2026-09   Иванов    1 500 000
09.2026   Петров      900 000
========  ========  =========

A row whose month or target cannot be read is skipped and named (a Problem); the tab is optional:
without it the method check measures the gap against the month's actual turnover.
"""

from __future__ import annotations

import pandas as pd

from ..errors import InputError, Problem
from ..months import parse_label
from ..params import parse_month
from ..texts import names
from .ledger import parse_amounts
from .lists import read_tab
from .rows import SheetRows

FIELDS = [("month", "th.month"), ("manager", "th.manager"), ("target", "th.target")]
COLUMNS = ["month", "manager", "target"]


def read_targets_history(sheet: SheetRows | None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """month (a month number), manager, target; None when there is no such tab or it is empty."""
    frame = read_tab(sheet, FIELDS, ("month", "manager", "target"))
    if sheet is None or frame.empty:
        return None, []
    problems, rows = [], []
    for record in frame.to_dict("records"):
        try:
            month = parse_label(parse_month(record["month"], key=names("th.month")[0]))
        except InputError:
            problems.append(Problem(sheet.name, int(record["row"]), names("th.month")[0], record["month"],
                                    "prob.bad_month"))
            continue
        target = parse_amounts(pd.Series([record["target"]], dtype=object)).iloc[0]
        if pd.isna(target) or target < 0:
            problems.append(Problem(sheet.name, int(record["row"]), names("th.target")[0], record["target"],
                                    "prob.bad_amount"))
            continue
        manager = " ".join(str(record["manager"]).split())
        if manager:
            rows.append({"month": month, "manager": manager, "target": float(target)})
    return pd.DataFrame(rows, columns=COLUMNS), problems
