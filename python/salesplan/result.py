"""What planning a month produces: one typed, frozen object.

:func:`salesplan.monthly.plan` computes every table of a :class:`MonthResult` with the method; the
writers in :mod:`salesplan.outputs` only place it on tabs and A4 pages, and ``--json`` serialises
it (:func:`to_json`). Nothing is added to it later, so the writers' order cannot matter and what is
printed cannot differ from what is exported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .errors import Problem
from .inputs.ledger import SkippedRows
from .method.instruments import Instrument1, Instrument2
from .method.longlist import NewClientLists
from .method.notes import TypedNotes
from .method.plan import MonthPlan
from .method.progress import Progress
from .method.ranges import PlanWarning
from .months import month_label
from .params import Params


@dataclass(frozen=True)
class MonthResult:
    """Every table one month's plan produces, for every manager.

    Attributes:
        plan: layers 1-3 — the Plan tab's figures, the regular clients (call sheet), open orders.
        lists: 3B — the long lists, the short list, the archive of entries that left.
        progress: plan against fact on the as-of day (Dashboard, the call sheet's week columns).
        instrument1, instrument2: each manager's A4 content, by manager in the plan's order.
        notes: what managers typed on the call sheet and the open orders, on this build's rows, and
            the archive of notes whose row or column is gone.
        problems: every input row that was skipped or looks wrong, in the order found.
        rows_read: rows of the Sales tab that were read (kept or skipped).
        skipped: the Sales rows skipped, by cause; too many make the plan incomplete (said on the
            Plan tab and by the command's exit code).
        lang: the workbook's language (``ru``/``en``): tab names, labels.
        built: when the month was planned (shown on the tabs).
        warnings: what the supervisor should see on the Plan tab: values outside the seed's ranges,
            returns that matter, managers without a target and their clients (:mod:`.method.ranges`).
    """

    plan: MonthPlan
    lists: NewClientLists
    progress: Progress
    instrument1: Mapping[str, Instrument1]
    instrument2: Mapping[str, Instrument2]
    notes: TypedNotes
    problems: tuple[Problem, ...]
    rows_read: int
    skipped: SkippedRows
    lang: str
    built: dt.datetime
    warnings: tuple[PlanWarning, ...] = ()
    sales_sheet: str = ""  # the sheet the sale lines came from (the Problems tab counts its rows apart)

    @property
    def managers(self) -> list[str]:
        """Every manager of the plan, in the Plan tab's order."""
        return list(self.plan.summary["manager"])

    @property
    def params(self) -> Params:
        """The Config parameters the month was planned with."""
        return self.plan.params


def to_json(result: MonthResult) -> dict[str, Any]:
    """The figures for other programs; the keys documented in the README stay stable."""
    plan = result.plan

    def money(x: Any) -> float | None:
        return None if pd.isna(x) else round(float(x), 2)

    managers = []
    for row in _rows(plan.summary):
        regular = plan.regular[plan.regular["manager"] == row.manager]
        orders = plan.open_orders[plan.open_orders["manager"] == row.manager]
        managers.append({
            "manager": row.manager,
            "target": money(row.target),
            "regular_plan": money(row.regular_plan),
            "average_monthly": money(row.average_monthly),
            "remainder": money(row.remainder),
            "funnel_plan": money(row.funnel_plan),
            "base_plan": money(row.base_plan),
            "gap": money(row.gap),
            "gap_share": None if pd.isna(row.gap_share) else round(float(row.gap_share), 4),
            "existing_clients_plan": money(row.existing_clients_plan),
            "new_clients_plan": money(row.new_clients_plan),
            "mtd_turnover": money(row.mtd_turnover),
            "warnings": [key for key, _ in row.warnings],
            "regular_clients": [
                {"client": r.client, "active_months": int(r.active_months),
                 "window_turnover": money(r.window_turnover), "monthly_plan": money(r.monthly_plan),
                 "weekly_target": money(r.weekly_target), "mtd_turnover": money(r.mtd_turnover),
                 "missing": money(r.missing)}
                for r in _rows(regular)
            ],
            "open_orders": {
                "count": int(row.open_orders_count),
                "amount": money(row.open_orders_amount),
                "orders": [{"order": o.order, "client": o.client, "date": o.date.strftime("%Y-%m-%d"),
                            "amount": money(o.amount), "contact": o.contact}
                           for o in _rows(orders)],
            },
            "instrument1": _instrument1(result, row.manager, money),
            "instrument2": _instrument2(result, row.manager),
            "long_list": result.lists.long.entries_of(row.manager),
        })
    return {
        "plan_month": month_label(plan.plan_month),
        "window": [month_label(plan.window.start), month_label(plan.window.stop - 1)],
        "parameters": dict(plan.params),
        "managers": managers,
        "problems": [{"sheet": p.sheet, "row": p.row, "column": p.column, "value": _plain(p.value),
                      "message": p.text(result.lang)} for p in result.problems],
        "warnings": [{"manager": w.manager, "code": w.key, "message": w.text(result.lang)}
                     for w in result.warnings],
    }


def _instrument1(result: MonthResult, manager: str, money: Any) -> dict[str, Any] | None:
    """What a manager's №1 sheet prints: the figures, the note on the shortfall, the offers, the
    familiar goods and the key clients."""
    from .outputs.instruments import shortfall_text

    inst = result.instrument1.get(manager)
    if inst is None:
        return None
    params = result.plan.params
    return {
        "existing_clients_plan": money(inst.existing_clients_plan),
        "volume_to_place": money(inst.volume_to_place),
        "offered_total": money(inst.offered_total),
        "shortfall": money(inst.shortfall),
        "candidates_total": money(inst.candidates_total),
        "audience": inst.audience,
        "note": shortfall_text(inst, params["minimal_share"], params["offer_multiplier"], result.lang),
        "offers": [{"client": o["client"], "regular": bool(o["regular"]), "buys_now": _plain(o["buys_now"]),
                    "category": o["offer_category"], "products": _names(o["products"]),
                    "volume": money(o["volume"])}
                   for o in inst.offers.to_dict("records")],
        "familiar_goods": [{"category": g["category"], "orders": int(g["orders"]),
                            "order_amount": money(g["order_amount"])} for g in inst.familiar_goods],
        "key_clients": [{"client": k["client"], "turnover": money(k["turnover"]), "buys": _plain(k["buys"]),
                         "wishes": _plain(k["wishes"])} for k in inst.key_clients.to_dict("records")],
    }


def _instrument2(result: MonthResult, manager: str) -> dict[str, Any] | None:
    """What a manager's №2 sheet prints: its lines (his own and his edits marked), and how many
    catalog items did not fit or he struck."""
    inst = result.instrument2.get(manager)
    if inst is None:
        return None
    return {"items": inst.listed(), "left_out": int(inst.left_out), "struck": int(len(inst.struck))}


def _names(value: Any) -> list[str]:
    """A cell's list of names (products) as a JSON list."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [] if value is None or value == "" else [str(value)]


def _plain(value: Any) -> Any:
    """A cell's value as JSON holds it: numbers and text as they are, a date as YYYY-MM-DD."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if value != value or value in (float("inf"), float("-inf")) else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """A table's rows as named tuples (pandas types their cells loosely)."""
    return frame.itertuples(index=False)


def as_json_text(result: MonthResult) -> str:
    """:func:`to_json` as the text ``--json`` writes."""
    return json.dumps(to_json(result), ensure_ascii=False, indent=2)
