"""Returns that matter: which clients' returns in W lower the plan (layer 1's "never negative").

Stated in ``docs/method.md#layer-1-regular-clients``.

Returns are sale rows with a negative amount; they reduce turnover (``turnover.py``), and so a
client's monthly plan, which is clipped at 0 (``regular.py``). A client's returns **matter** when
they take at least :data:`MATTER_SHARE` (a quarter) off what it bought in W, or it bought nothing:
the Plan tab names those clients and amounts, so that a manager whose plan fell does not have to
look for why.

Example, window Jun–Sep:

=======  =========  ========  =======  ==========================
client   purchases  returns   net      matters?
=======  =========  ========  =======  ==========================
А        400 000    175 000   225 000  yes (44% of purchases)
Б        400 000     20 000   380 000  no (5%)
В              0     50 000   −50 000  yes (only returns): plan 0
=======  =========  ========  =======  ==========================
"""

from __future__ import annotations

import pandas as pd

from ..wordcolumns import isin
from .turnover import window_months

#: Returns of at least this share of a client's purchases in W are named on the Plan tab.
MATTER_SHARE = 0.25

COLUMNS = ["manager", "client", "purchases", "returns", "window_turnover", "plan_clipped"]


def large_returns(ledger: pd.DataFrame, owners: pd.Series, plan_month: int, window: int) -> pd.DataFrame:
    """One row per client whose returns in W matter (see the module), biggest returns first within
    each manager: purchases and returns (both ≥ 0), window_turnover (= purchases − returns) and
    ``plan_clipped`` (the net is below 0, so its monthly plan is 0 rather than negative)."""
    return returns_with_managers(returns_found(ledger, plan_month, window), owners)


def returns_found(ledger: pd.DataFrame, plan_month: int, window: int) -> pd.DataFrame | None:
    """:func:`large_returns` before their managers are known (under the clients; None when no
    client has returns): the plan looks for them while it works out the owners."""
    months = window_months(plan_month, window)
    sales = ledger.loc[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1),
                       ["client", "amount"]]
    returning = sales.loc[sales["amount"] < 0, "client"].unique()
    sales = sales[isin(sales["client"], returning)]
    if sales.empty:
        return None
    amount = sales["amount"]
    by = sales.assign(purchases=amount.clip(lower=0.0), returns=(-amount).clip(lower=0.0)).groupby(
        "client", observed=True)[["purchases", "returns"]].sum()
    by = by[by["returns"] >= MATTER_SHARE * by["purchases"]].copy()
    by["window_turnover"] = by["purchases"] - by["returns"]
    by["plan_clipped"] = by["window_turnover"] < 0
    return by


def returns_with_managers(found: pd.DataFrame | None, owners: pd.Series) -> pd.DataFrame:
    """:func:`returns_found` with each client's manager, as :func:`large_returns` lists them."""
    if found is None:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("purchases", "returns", "window_turnover")
                                          else bool if c == "plan_clipped" else object) for c in COLUMNS})
    by = found.assign(manager=owners.reindex(found.index))
    out = by.rename_axis("client").reset_index().sort_values(["manager", "returns", "client"],
                                                              ascending=[True, False, True])
    return out[COLUMNS].reset_index(drop=True)
