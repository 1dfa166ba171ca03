"""Layer 1: regular clients and their call sheet (seed 1, 1.1, 1.1.1).

Stated in ``docs/method.md#layer-1-regular-clients``.

A client is **regular** when it has at least ``regular_min_months`` active months (turnover > 0)
among the ``window_months`` full months before the plan month. Its monthly plan is its window
turnover divided by the window length, never below 0 (returns larger than its purchases give a
plan of 0, and ``returns.py`` names the client); its weekly target is a quarter of that.

Example, window Jun–Sep, regular_min_months 3, window_months 4:

=======  ====  ====  ====  ====  ======  ============
client   Jun   Jul   Aug   Sep   active  monthly plan
=======  ====  ====  ====  ====  ======  ============
А        100   100   100   100   4       100
Б        120     0    90    90   3       75
В        400     0     0     0   1       (not regular)
Г        100   100   100  -500   3       0 (not −50)
=======  ====  ====  ====  ====  ======  ============
"""

from __future__ import annotations

import pandas as pd

from .turnover import TurnoverClients, window_months

COLUMNS = ["manager", "client", "active_months", "window_turnover", "monthly_plan", "weekly_target",
           "mtd_turnover", "missing"]


def regular_clients(turnover: pd.DataFrame, owners: pd.Series, plan_month: int, window: int,
                    min_active: int, clients: TurnoverClients | None = None) -> pd.DataFrame:
    """One row per regular client, biggest monthly plan first within each manager.

    Args:
        turnover: client × month turnover (:func:`client_month_turnover`).
        owners: client -> manager.
        plan_month: the month being planned (month number).
        window: ``window_months``.
        min_active: ``regular_min_months``.
        clients: each turnover row's client as a code, when the plan has them: the clients are
            then grouped by code, not hashed by name again.
    """
    months = window_months(plan_month, window)
    if clients is not None:
        per_client, mtd = _per_client_by_code(turnover, clients, months, plan_month)
    else:
        in_window = turnover[turnover["month"].between(months.start, months.stop - 1)]
        by_client = in_window.assign(active=in_window["turnover"] > 0).groupby("client", observed=True)
        per_client = pd.DataFrame({"window_turnover": by_client["turnover"].sum(),
                                   "active_months": by_client["active"].sum()})
        mtd = turnover[turnover["month"] == plan_month].groupby("client", observed=True)["turnover"].sum()
    regular = per_client[per_client["active_months"] >= min_active].copy()
    regular["monthly_plan"] = (regular["window_turnover"] / window).clip(lower=0.0)
    regular["weekly_target"] = regular["monthly_plan"] / 4
    regular["mtd_turnover"] = mtd.reindex(regular.index).fillna(0.0)
    regular["missing"] = (regular["monthly_plan"] - regular["mtd_turnover"]).clip(lower=0.0)
    regular["manager"] = owners.reindex(regular.index)
    regular = regular.reset_index()
    regular["active_months"] = regular["active_months"].astype("int64")
    regular = regular.sort_values(["manager", "monthly_plan", "client"], ascending=[True, False, True])
    out: pd.DataFrame = regular[COLUMNS].reset_index(drop=True)
    return out


def _per_client_by_code(turnover: pd.DataFrame, clients: TurnoverClients, months: range,
                        plan_month: int) -> tuple[pd.DataFrame, pd.Series]:
    """(window_turnover and active_months by client, the plan month's turnover by client), grouped
    over the clients' codes: each client's rows summed in the same order as by name. The clients
    come in the order of their codes, not of their names; the caller's sort by manager, plan and
    client gives the same table either way."""
    month = turnover["month"].to_numpy()
    amount = turnover["turnover"].to_numpy()
    in_window = (month >= months.start) & (month <= months.stop - 1)
    code = clients.codes[in_window]
    by_client = pd.DataFrame({"window_turnover": amount[in_window], "active_months": amount[in_window] > 0}).groupby(
        code).sum()
    names = pd.Series(clients.names)
    by_client.index = pd.Index(names.take(by_client.index.to_numpy()).array, name="client")
    in_month = month == plan_month
    mtd = pd.Series(amount[in_month]).groupby(clients.codes[in_month]).sum()
    mtd.index = pd.Index(names.take(mtd.index.to_numpy()).array, name="client")
    return by_client, mtd


def regular_plan_by_manager(regular: pd.DataFrame) -> pd.DataFrame:
    """manager -> regular_plan (sum of monthly plans) and regular_clients (count)."""
    grouped = regular.groupby("manager", observed=True)
    return pd.DataFrame({"regular_plan": grouped["monthly_plan"].sum(),
                         "regular_clients": grouped["client"].count()})
