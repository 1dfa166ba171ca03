"""The month's plan for every manager, composed from the layers.

``plan_month`` is the one entry point: ledger and Config in, a :class:`MonthPlan` out. Each layer
lowers what is left to the target: regular clients (1), the funnel (2), then the gap (3), split into
existing (3A) and new clients (3B).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..months import current_month, parse_label
from ..params import Params
from ..words import fold
from . import funnel as funnel_layer
from . import gap as gap_layer
from . import regular as regular_layer
from .turnover import client_month_turnover, client_owners, window_months

SUMMARY_COLUMNS = ["manager", "target", "regular_clients", "regular_plan", "window_turnover",
                   "average_monthly", "remainder", "funnel_plan", "base_plan", "gap", "gap_share",
                   "existing_share", "existing_clients_plan", "new_clients_plan", "open_orders_count",
                   "open_orders_amount", "mtd_turnover", "warnings"]


@dataclass(frozen=True)
class MonthPlan:
    """Layers 1-3 of the month's plan for every manager, as plain tables (the rest of what a month
    produces is in :class:`salesplan.result.MonthResult`, which holds this)."""

    plan_month: int
    window: range
    params: Params
    summary: pd.DataFrame          # one row per manager, SUMMARY_COLUMNS
    regular: pd.DataFrame          # regular clients: regular.COLUMNS
    open_orders: pd.DataFrame      # follow-up list: funnel.ORDER_COLUMNS
    owners: pd.Series              # client -> manager
    turnover: pd.DataFrame         # client x month turnover


def resolve_plan_month(value: str, today: dt.date | None = None) -> int:
    """Config ``plan_month`` (``"YYYY-MM"`` or empty) -> month number."""
    return parse_label(value) if value else current_month(today)


def plan_month(ledger: pd.DataFrame, params: Params, targets: pd.DataFrame,
               assigned_owners: pd.DataFrame | None = None,
               tiers: tuple[tuple[float, str], ...] = (), today: dt.date | None = None) -> MonthPlan:
    """Plan the month for every manager that owns a client with turnover or open orders, or has a
    target.

    Args:
        ledger: typed sale lines (:func:`salesplan.inputs.ledger.read_ledger`).
        params: the Config parameters (:mod:`salesplan.params`).
        targets: manager, target, existing_share (NaN = the Config default).
        assigned_owners: the Clients table (client, owner).
        tiers: open-order contact tiers ((amount_from, contact), ...).
        today: to resolve an empty ``plan_month``.
    """
    month = resolve_plan_month(params["plan_month"], today)
    targets = with_ledger_names(targets, ledger["manager"].unique())
    window = params["window_months"]
    # Sales after the plan month are not part of this plan at all.
    ledger = ledger[ledger["month"] <= month]
    owners = client_owners(ledger, assigned_owners)
    turnover = client_month_turnover(ledger)

    regular = regular_layer.regular_clients(turnover, owners, month, window, params["regular_min_months"])
    by_regular = regular_layer.regular_plan_by_manager(regular)
    funnel = funnel_layer.funnel(turnover, owners, by_regular["regular_plan"], month, window,
                                 params["funnel_rate"])
    orders = funnel_layer.open_orders(ledger, owners, month, window, tiers)
    by_orders = funnel_layer.open_orders_by_manager(orders)
    mtd = turnover[turnover["month"] == month]
    mtd_by_manager = mtd.assign(manager=mtd["client"].map(owners)).groupby("manager")["turnover"].sum()

    managers = _managers_in_order(targets, funnel.index, by_orders.index, mtd_by_manager.index)
    summary = pd.DataFrame(index=pd.Index(managers, name="manager"))
    summary = summary.join(by_regular).join(funnel).join(by_orders)
    summary["mtd_turnover"] = mtd_by_manager.reindex(summary.index)
    numeric = ["regular_clients", "regular_plan", "window_turnover", "average_monthly", "remainder",
               "funnel_plan", "open_orders_count", "open_orders_amount", "mtd_turnover"]
    summary[numeric] = summary[numeric].fillna(0.0)
    summary["regular_clients"] = summary["regular_clients"].astype("int64")
    summary["open_orders_count"] = summary["open_orders_count"].astype("int64")
    summary["base_plan"] = summary["regular_plan"] + summary["funnel_plan"]

    by_target = targets.set_index("manager") if len(targets) else pd.DataFrame(
        columns=["target", "existing_share"], dtype="float64")
    gaps = gap_layer.gap(summary["base_plan"], by_target["target"], by_target["existing_share"],
                         params["existing_share"])
    summary = summary.join(gaps)
    summary["warnings"] = [
        w + ([("warn.no_sales", {})] if turnover_ == 0 else [])
        for w, turnover_ in zip(summary["warnings"], summary["window_turnover"])
    ]
    summary = summary.reset_index()[SUMMARY_COLUMNS]
    return MonthPlan(month, window_months(month, window), params.copy(), summary, regular, orders,
                     owners, turnover)


def with_ledger_names(targets: pd.DataFrame, ledger_managers: Iterable[str]) -> pd.DataFrame:
    """The Targets table under the names the ledger spells: a target for «Федоров Артем» is the
    target of the ledger's «Фёдоров Артём» (case, ё/е and spaces ignored, as everywhere words are
    compared); a name the ledger does not know stays as it is.

    ======================  ==============  =================
    Targets                 ledger          planned as
    ======================  ==============  =================
    Федоров Артем           Фёдоров Артём   Фёдоров Артём
    ИВАНОВ                  Иванов          Иванов
    Сидорова                —               Сидорова
    ======================  ==============  =================
    """
    if not len(targets):
        return targets
    spelled = {fold(m): m for m in ledger_managers if isinstance(m, str)}
    named = targets.assign(manager=[spelled.get(fold(m), m) for m in targets["manager"]])
    return named.drop_duplicates("manager", keep="first")  # the first of two spellings of one name


def _managers_in_order(targets: pd.DataFrame, *others: pd.Index) -> list[str]:
    """Managers in the Targets table's order, then every other manager alphabetically."""
    listed = [m for m in targets["manager"]] if len(targets) else []
    rest = sorted(set().union(*(set(o) for o in others)) - set(listed))
    return listed + rest
