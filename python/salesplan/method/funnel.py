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

Open orders are the funnel's working list: one line per order whose latest status is *open* (no
later row of the same order and client says it was paid, shipped or refused), largest first, with
how often to contact the client from the amount tiers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..wordcolumns import isin, lookup
from .turnover import window_months

ORDER_COLUMNS = ["manager", "order", "client", "date", "amount", "lines", "contact"]


def funnel(turnover: pd.DataFrame, owners: pd.Series, regular_plan: pd.Series, plan_month: int,
           window: int, rate: float, row_owners: pd.Series | None = None) -> pd.DataFrame:
    """Per manager: window_turnover, average_monthly, remainder, funnel_plan.

    ``regular_plan`` is manager -> regular plan. A negative remainder (returns larger than one-time
    sales) plans nothing rather than a negative funnel. ``row_owners``: each turnover row's owner,
    when the plan has them (by code), else looked up in ``owners``.
    """
    months = window_months(plan_month, window)
    window_rows = turnover["month"].between(months.start, months.stop - 1)
    in_window = turnover[window_rows]
    manager = (lookup(in_window["client"], owners) if row_owners is None
               else row_owners[window_rows.to_numpy()])
    by_manager = in_window.assign(manager=manager).groupby("manager", observed=True)["turnover"].sum()
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

    An order is its ``order`` number and client (two clients' orders that share a number are two
    orders), or — when the export has no number — the client's lines of one day. The latest status
    wins: an order is open while its latest row is *open*; a later row saying it was paid, shipped
    (a sale) or refused closes it, and on the same day the closing row wins. An unnumbered order is
    closed by a refusal only (a sale of the same day may be another purchase). Its amount is the
    sum of its open lines after the last closing row. ``tiers`` is ((amount_from, contact), ...);
    an order takes the contact of the highest tier it reaches.

    =====  ======  ==========  ==============  =======================
    order  client  date        status          open?
    =====  ======  ==========  ==============  =======================
    З-1    А       05.09       не оплатил      no: paid on 20.09
    З-1    А       20.09       оплачен
    З-2    Б       06.09       не оплатил      yes
    З-2    В       07.09       оплачен         (В's own order З-2)
    =====  ======  ==========  ==============  =======================
    """
    return orders_with_managers(orders_found(ledger, plan_month, window), owners, tiers)


def orders_found(ledger: pd.DataFrame, plan_month: int, window: int) -> pd.DataFrame | None:
    """:func:`open_orders` before their managers are known (order, client, date, amount, lines, in
    the order their keys first appear; None when there is none): the plan looks for them while it
    works out the owners (see ``method/plan.py``)."""
    months = window_months(plan_month, window)
    recent = ledger.loc[ledger["month"].between(months.start, plan_month),
                        ["order", "client", "date", "kind", "amount", "row"]]
    key = recent["order"]
    unnumbered = (key == "").to_numpy()
    if unnumbered.any():  # dates are written out only where they are needed
        key = key.copy()
        lines_ = recent[unnumbered]
        key[unnumbered] = lines_["client"] + " · " + lines_["date"].dt.strftime("%d.%m.%Y")
    kind = recent["kind"].to_numpy()
    closing = (kind == "refused") | ((kind == "sale") & ~unnumbered)
    # Only orders with an open line can be open: the rest of the window is left out at once.
    keep = isin(key, key[kind == "open"].unique()) & ((kind == "open") | closing)
    recent = recent[keep].assign(_key=key[keep], _closing=closing[keep])
    # Rows in time order, a closing row after an open one of the same day; then each open line
    # counts only when no closing row of its order comes after it.
    order = np.lexsort((recent["row"].to_numpy(), recent["_closing"].to_numpy(),
                        recent["date"].to_numpy().view("int64")))
    recent = recent.iloc[order]
    position = pd.Series(np.arange(len(recent)), index=recent.index)
    groups = [recent["_key"], recent["client"]]
    last_closing = position.where(recent["_closing"]).groupby(groups, sort=False).transform("max")
    lines = recent[(recent["kind"] == "open") & ~(position <= last_closing)]
    if lines.empty:
        return None
    found: pd.DataFrame = lines.groupby(["_key", "client"], sort=False).agg(
        date=("date", "min"), amount=("amount", "sum"),
        lines=("amount", "size")).reset_index().rename(columns={"_key": "order"})
    return found


def orders_with_managers(found: pd.DataFrame | None, owners: pd.Series,
                         tiers: tuple[tuple[float, str], ...]) -> pd.DataFrame:
    """:func:`orders_found` with each order's manager (its client's owner) and contact, as
    :func:`open_orders` lists them."""
    if found is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ORDER_COLUMNS}).astype(
            {"amount": "float64", "lines": "int64", "date": "datetime64[us]"})
    orders = found.assign(manager=lookup(found["client"], owners))
    orders["contact"] = contacts_for(orders["amount"], tiers)
    orders = orders.sort_values(["manager", "amount", "order", "client"], ascending=[True, False, True, True])
    out: pd.DataFrame = orders[ORDER_COLUMNS].reset_index(drop=True)
    return out


def shared_order_numbers(ledger: pd.DataFrame, plan_month: int, window: int) -> pd.DataFrame:
    """Order numbers used by more than one client in the window or the plan month: order, clients
    (in the order of their rows), row (the first row of the second client). They are planned as
    different orders (see :func:`open_orders`); the Problems tab names them."""
    months = window_months(plan_month, window)
    numbered = ledger.loc[ledger["month"].between(months.start, plan_month) & (ledger["order"] != ""),
                          ["order", "client", "row"]]
    row_numbers = numbered["row"].to_numpy()
    # The ledger's lines are mostly in the order of their rows already: sorted only when not.
    in_order = bool((row_numbers[1:] > row_numbers[:-1]).all())
    firsts = (numbered if in_order else numbered.sort_values("row")).drop_duplicates(["order", "client"])
    shared = firsts[firsts.duplicated("order", keep=False)]
    rows = [{"order": order, "clients": list(group["client"]), "row": int(group["row"].iloc[1])}
            for order, group in shared.groupby("order", sort=True)]
    out = pd.DataFrame(rows, columns=["order", "clients", "row"])
    return out


def contact_for(amount: float, tiers: tuple[tuple[float, str], ...]) -> str:
    """The contact frequency of the highest tier whose threshold ``amount`` reaches."""
    for threshold, contact in sorted(tiers, reverse=True):
        if amount >= threshold:
            return contact
    return tiers[-1][1] if tiers else ""


def contacts_for(amounts: pd.Series, tiers: tuple[tuple[float, str], ...]) -> pd.Series:
    """:func:`contact_for` of every amount at once: the tiers from the lowest up, each overwriting
    the amounts that reach it, so the highest tier reached is left (of two tiers with one
    threshold, the one :func:`contact_for` meets first, the greater contact)."""
    contact = np.full(len(amounts), tiers[-1][1] if tiers else "", dtype=object)
    values = amounts.to_numpy(dtype="float64")
    for threshold, name in sorted(tiers):
        contact[values >= threshold] = name
    # Typed as Series.map would type them: text, or float64 when there is none.
    return pd.Series(contact, index=amounts.index, dtype="str" if len(contact) else "float64")


def open_orders_by_manager(orders: pd.DataFrame) -> pd.DataFrame:
    grouped = orders.groupby("manager", observed=True)["amount"]
    return pd.DataFrame({"open_orders_count": grouped.size(), "open_orders_amount": grouped.sum()})
