"""Layer 2: one-time clients, the funnel, and open orders (seed 2, 2.1, 2.1.1, 2.1.2).

Stated in ``docs/method.md#layer-2-one-time-clients-and-the-funnel``.

Average monthly turnover = window turnover / ``window_months`` — always the window length, even for
a manager who has worked fewer months (seed 2.1.1). Remainder = average − regular plan; only
``funnel_rate`` of it is planned.

Seed's example: two months of 100 000, no regular clients, window 4, rate 20%:

=================  =======
average monthly    200 000 / 4 = 50 000
remainder          50 000 − 0 = 50 000
funnel plan        50 000 × 0.20 = 10 000
=================  =======

Open orders (status *open*, no refusal on the same order) are the funnel's working list: one line
per order, largest first, with how often to contact the client from the amount tiers.
"""

from __future__ import annotations

import pandas as pd

from .turnover import window_months

ORDER_COLUMNS = ["manager", "order", "client", "date", "amount", "lines", "contact"]


def funnel(turnover: pd.DataFrame, owners: pd.Series, regular_plan: pd.Series, plan_month: int,
           window: int, rate: float) -> pd.DataFrame:
    """Per manager: window_turnover, average_monthly, remainder, funnel_plan.

    ``regular_plan`` is manager -> regular plan. A negative remainder (returns larger than one-time
    sales) plans nothing rather than a negative funnel.
    """
    months = window_months(plan_month, window)
    in_window = turnover[turnover["month"].between(months.start, months.stop - 1)]
    by_manager = in_window.assign(manager=in_window["client"].map(owners)).groupby(
        "manager", observed=True)["turnover"].sum()
    managers = by_manager.index.union(regular_plan.index)
    out = pd.DataFrame(index=managers)
    out.index.name = "manager"
    out["window_turnover"] = by_manager.reindex(managers).fillna(0.0)
    out["average_monthly"] = out["window_turnover"] / window
    out["remainder"] = out["average_monthly"] - regular_plan.reindex(managers).fillna(0.0)
    out["funnel_plan"] = out["remainder"].clip(lower=0.0) * rate
    return out


def open_orders(ledger: pd.DataFrame, owners: pd.Series, plan_month: int, window: int,
                tiers: tuple[tuple[float, str], ...]) -> pd.DataFrame:
    """The follow-up list: open orders dated in the window or the plan month, largest first.

    An order is its ``order`` number, or — when the export has none — the client's lines of one day.
    An order with any refused line is dropped: there is an explicit refusal. ``tiers`` is
    ((amount_from, contact), ...); an order takes the contact of the highest tier it reaches.
    """
    months = window_months(plan_month, window)
    recent = ledger.loc[ledger["month"].between(months.start, plan_month),
                        ["order", "client", "date", "kind", "amount"]]
    key = recent["order"]
    unnumbered = (key == "").to_numpy()
    if unnumbered.any():  # dates are written out only where they are needed
        key = key.copy()
        lines_ = recent[unnumbered]
        key[unnumbered] = lines_["client"] + " · " + lines_["date"].dt.strftime("%d.%m.%Y")
    recent = recent.assign(_key=key)
    refused = set(recent.loc[recent["kind"] == "refused", "_key"])
    lines = recent[(recent["kind"] == "open") & ~recent["_key"].isin(refused)]
    if lines.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ORDER_COLUMNS}).astype(
            {"amount": "float64", "lines": "int64", "date": "datetime64[us]"})
    orders = lines.groupby("_key", sort=False).agg(
        client=("client", "first"), date=("date", "min"), amount=("amount", "sum"),
        lines=("amount", "size")).reset_index().rename(columns={"_key": "order"})
    orders["manager"] = orders["client"].map(owners)
    orders["contact"] = orders["amount"].map(lambda a: contact_for(a, tiers))
    orders = orders.sort_values(["manager", "amount", "order"], ascending=[True, False, True])
    return orders[ORDER_COLUMNS].reset_index(drop=True)


def contact_for(amount: float, tiers: tuple[tuple[float, str], ...]) -> str:
    """The contact frequency of the highest tier whose threshold ``amount`` reaches."""
    for threshold, contact in sorted(tiers, reverse=True):
        if amount >= threshold:
            return contact
    return tiers[-1][1] if tiers else ""


def open_orders_by_manager(orders: pd.DataFrame) -> pd.DataFrame:
    grouped = orders.groupby("manager", observed=True)["amount"]
    return pd.DataFrame({"open_orders_count": grouped.size(), "open_orders_amount": grouped.sum()})
