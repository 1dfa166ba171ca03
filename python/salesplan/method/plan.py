"""The month's plan for every manager, composed from the layers.

``plan_month`` is the one entry point: ledger and Config in, a :class:`MonthPlan` out. Each layer
lowers what is left to the target: regular clients (1), the funnel (2), then the gap (3), split into
existing (3A) and new clients (3B).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..months import current_month, month_label, parse_label
from ..params import Params
from ..wordcolumns import isin, lookup
from ..words import fold
from . import funnel as funnel_layer
from . import gap as gap_layer
from . import regular as regular_layer
from . import returns as returns_layer
from .turnover import (
    TurnoverClients,
    client_month_turnover_codes,
    client_owners_codes,
    managers_by_code,
    window_months,
    with_owner_places,
)

SUMMARY_COLUMNS = ["manager", "target", "regular_clients", "regular_plan", "window_turnover",
                   "average_monthly", "remainder", "funnel_plan", "base_plan", "gap", "gap_share",
                   "existing_share", "existing_clients_plan", "new_clients_plan", "open_orders_count",
                   "open_orders_amount", "mtd_turnover", "warnings"]

#: A client of a manager without a target: its former owner, what it bought, when it last bought.
UNASSIGNED_COLUMNS = ["client", "owner", "window_turnover", "lookback_turnover", "last_purchase", "regular"]


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
    #: Clients whose returns in W matter (returns.COLUMNS): named on the Plan tab.
    returns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=returns_layer.COLUMNS))
    #: Clients whose owner has no target (left the company, or not given one): UNASSIGNED_COLUMNS.
    unassigned: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNASSIGNED_COLUMNS))
    #: The managers with a target: they take the clients of those without one (the long list).
    takers: tuple[str, ...] = ()
    #: Order numbers two clients share (funnel.shared_order_numbers): planned as two orders.
    shared_orders: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["order", "clients", "row"]))
    #: Each turnover row's client as a code, for the steps after the plan (the lists): the client
    #: column is hashed once per plan. None: no codes (the steps hash the names themselves).
    turnover_clients: TurnoverClients | None = None



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
    ledger_managers = ledger["manager"].unique()
    targets = with_ledger_names(targets, ledger_managers)
    # Sales after the plan month are not part of this plan at all. A ledger that ends with the
    # month is taken as it is (nor are its managers looked for again).
    later = (ledger["month"] > month).to_numpy()
    if later.any():
        ledger = ledger[~later]
        ledger_managers = ledger["manager"].unique()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="salesplan-orders") as beside:
        return _plan_month(ledger, month, ledger_managers, targets, params, assigned_owners, tiers, beside)


def _plan_month(ledger: pd.DataFrame, month: int, ledger_managers: Any, targets: pd.DataFrame, params: Params,
                assigned_owners: pd.DataFrame | None, tiers: tuple[tuple[float, str], ...],
                beside: ThreadPoolExecutor) -> MonthPlan:
    """:func:`plan_month` of a ledger ending with the plan month. The order numbers two clients
    share, then the open orders and the large returns, are worked out in ``beside``'s thread while
    the clients are: each is hash tables and Arrow kernels over a million window lines that mostly
    let go of the GIL, so they overlap on two cores. The orders and returns are found there without
    their managers, so the thread need not wait for the owners; they get them here."""
    window = params["window_months"]
    # Found without their managers, so that the thread starts at once; given them below.
    shared_soon = beside.submit(funnel_layer.shared_order_numbers, ledger, month, window)
    orders_soon = beside.submit(funnel_layer.orders_found, ledger, month, window)
    returns_soon = beside.submit(returns_layer.returns_found, ledger, month, window)
    clients = pd.factorize(ledger["client"])  # hashed once, for the owners and the turnover
    owners, owner_codes = client_owners_codes(
        ledger, known_owners(assigned_owners, ledger_managers, targets["manager"]), clients=clients)
    turnover, turnover_clients = client_month_turnover_codes(ledger, clients)
    turnover_clients = with_owner_places(turnover_clients, owner_codes)
    # Each turnover row's manager, by code: for the funnel and the month to date.
    turnover_managers = managers_by_code(owners, owner_codes, turnover_clients)

    regular = regular_layer.regular_clients(turnover, owners, month, window, params["regular_min_months"],
                                            turnover_clients)
    by_regular = regular_layer.regular_plan_by_manager(regular)
    funnel = funnel_layer.funnel(turnover, owners, by_regular["regular_plan"], month, window,
                                 params["funnel_rate"], row_owners=turnover_managers)
    orders = funnel_layer.orders_with_managers(orders_soon.result(), owners, tiers)
    by_orders = funnel_layer.open_orders_by_manager(orders)
    in_month = turnover["month"] == month
    mtd = turnover[in_month]
    mtd_managers = (lookup(mtd["client"], owners) if turnover_managers is None
                    else turnover_managers[in_month.to_numpy()])
    mtd_by_manager = mtd.assign(manager=mtd_managers).groupby("manager")["turnover"].sum()

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
    takers = tuple(summary.loc[summary["target"].notna(), "manager"])
    returns = returns_layer.returns_with_managers(returns_soon.result(), owners)
    unassigned = unassigned_clients(turnover, owners, regular, takers, month, window, params["lookback_months"])
    shared = shared_soon.result()
    return MonthPlan(month, window_months(month, window), params.copy(), summary, regular, orders,
                     owners, turnover, returns, unassigned, takers, shared, turnover_clients)


def known_owners(assigned: pd.DataFrame | None, ledger_managers: Iterable[str],
                 target_managers: Iterable[str]) -> pd.DataFrame | None:
    """The Clients table with each manager under the name the ledger (or the Targets table) spells
    it («петров » is the ledger's «Петров»). A name known to neither is kept as typed: that manager
    has no target, so the client is listed as unassigned, and the Problems tab names the row with
    the closest names (``monthly.target_problems``)."""
    if assigned is None or not len(assigned):
        return assigned
    spelled = {fold(m): m for m in list(target_managers) + list(ledger_managers) if isinstance(m, str)}
    return assigned.assign(owner=[spelled.get(fold(o), o) for o in assigned["owner"]])


def unassigned_clients(turnover: pd.DataFrame, owners: pd.Series, regular: pd.DataFrame, takers: tuple[str, ...],
                       plan_month: int, window: int, lookback: int) -> pd.DataFrame:
    """Clients with turnover in the last ``lookback`` months whose owner is not among ``takers``
    (the managers with a target), biggest first. None when no manager has a target (a Targets table
    not filled in yet: every client stays with its manager)."""
    if not takers:
        return pd.DataFrame(columns=UNASSIGNED_COLUMNS)
    orphaned = owners[~owners.isin(set(takers))]
    recent = turnover[isin(turnover["client"], orphaned.index)
                      & turnover["month"].between(plan_month - lookback, plan_month)]
    by_client = recent.groupby("client", observed=True)
    lookback_turnover = by_client["turnover"].sum()
    active = recent[recent["turnover"] > 0]
    last = active.groupby("client", observed=True)["month"].max()
    months = window_months(plan_month, window)
    in_window = recent[recent["month"].between(months.start, months.stop - 1)].groupby(
        "client", observed=True)["turnover"].sum()
    out = pd.DataFrame({"lookback_turnover": lookback_turnover[lookback_turnover.index.isin(last.index)]})
    out["window_turnover"] = in_window.reindex(out.index).fillna(0.0)
    out["last_purchase"] = last.reindex(out.index).map(month_label)
    out["owner"] = owners.reindex(out.index)
    out["regular"] = isin(out.index, regular["client"])
    out = out.rename_axis("client").reset_index().sort_values(["lookback_turnover", "client"],
                                                              ascending=[False, True])
    return out[UNASSIGNED_COLUMNS].reset_index(drop=True)


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
