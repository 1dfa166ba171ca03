"""Client × month turnover: the one aggregate every layer of the method uses.

Turnover is the sum of ``amount`` over rows whose status counts as a sale; returns are negative
sale rows and reduce it; open and refused orders are not turnover.

==========  =====  ======  ======
client      month  kind    amount
==========  =====  ======  ======
А           9      sale    100
А           9      sale    -30    (a return)
А           9      open    500    (not turnover)
==========  =====  ======  ======

gives one row: А, 9, turnover 70.

Each client has one **owner**: the manager named for it on the Clients table, else the manager of
its most recent sale. All of a client's turnover counts for its owner, so a client that changed
manager is planned entirely by the new one.
"""

from __future__ import annotations

import pandas as pd


def window_months(plan_month: int, length: int) -> range:
    """The ``length`` full months before ``plan_month`` (M-length .. M-1)."""
    return range(plan_month - length, plan_month)


def client_month_turnover(ledger: pd.DataFrame, category: bool = False) -> pd.DataFrame:
    """Turnover per client and month (and category when ``category``): columns client, month,
    [category,] turnover."""
    keys = ["client", "month"] + (["category"] if category else [])
    sales = ledger.loc[ledger["kind"] == "sale", keys + ["amount"]]
    out = sales.groupby(keys, sort=False, observed=True)["amount"].sum().rename("turnover").reset_index()
    return out


def client_owners(ledger: pd.DataFrame, assigned: pd.DataFrame | None = None) -> pd.Series:
    """client -> owner manager.

    The Clients table wins; otherwise the manager of the client's most recent sale row (latest
    date, then the lowest row on the sheet); a client with no sale at all takes the manager of its
    most recent row of any kind (e.g. an open order).
    """
    if ledger.empty:
        owners = pd.Series([], dtype=object, name="owner")
    else:
        ordered = ledger.assign(_is_sale=ledger["kind"] == "sale").sort_values(
            ["_is_sale", "date", "row"], kind="stable")
        owners = ordered.groupby("client", sort=False, observed=True)["manager"].last()
    owners.index.name = "client"
    owners.name = "owner"
    if assigned is not None and len(assigned):
        explicit = assigned.drop_duplicates("client", keep="last").set_index("client")["owner"]
        known = explicit[explicit.index.isin(owners.index)]
        owners = owners.copy()
        owners.loc[known.index] = known
    return owners
