"""Client × month turnover: the one aggregate every layer of the method uses.

Stated in ``docs/method.md#terms``.

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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


def window_months(plan_month: int, length: int) -> range:
    """The ``length`` full months before ``plan_month`` (M-length .. M-1)."""
    return range(plan_month - length, plan_month)


#: ``pd.factorize(ledger["client"])``: each line's client as a code, and the clients.
ClientCodes = tuple[np.ndarray, Any]


@dataclass(frozen=True)
class TurnoverClients:
    """Each row of a client × month turnover as a code: its client's position in ``names`` (the
    ledger's clients, hashed once by the plan). The steps that work over client codes take them
    from here instead of hashing the turnover's client column again (100 000 clients: some
    280 000 turnover rows, 0.1-0.2 s each time)."""

    codes: np.ndarray
    names: Any  # the distinct clients, an Index of text
    #: Each of ``names``' place among the plan's owners (-1: none), when the plan has set it
    #: (:func:`with_owner_places`): a client's owner is then taken by position, not looked up by name.
    owner_at: np.ndarray | None = None


def with_owner_places(clients: TurnoverClients | None, owner_codes: np.ndarray | None) -> TurnoverClients | None:
    """``clients`` knowing where each of its names is among the owners whose rows are the clients
    ``owner_codes`` (:func:`client_owners_codes`)."""
    if clients is None or owner_codes is None or not len(owner_codes) or owner_codes.min() < 0:
        return clients
    at = np.full(len(clients.names), -1, dtype=np.intp)
    at[owner_codes] = np.arange(len(owner_codes))
    return TurnoverClients(clients.codes, clients.names, at)


def client_month_turnover(ledger: pd.DataFrame, category: bool = False,
                          clients: ClientCodes | None = None) -> pd.DataFrame:
    """Turnover per client and month (and category when ``category``): columns client, month,
    [category,] turnover, in the order each first appears among the sale lines.

    ``clients``: the ledger's client codes when the caller has them (the plan hashes the client
    column once for this and the owners)."""
    if not category:
        return client_month_turnover_codes(ledger, clients or pd.factorize(ledger["client"]))[0]
    keys = ["client", "month"] + (["category"] if category else [])
    sales = ledger.loc[ledger["kind"] == "sale", keys + ["amount"]]
    out = sales.groupby(keys, sort=False, observed=True)["amount"].sum().rename("turnover").reset_index()
    return out


def client_month_turnover_codes(ledger: pd.DataFrame,
                                clients: ClientCodes) -> tuple[pd.DataFrame, TurnoverClients | None]:
    """:func:`client_month_turnover` by client, and each of its rows' client code (None when the
    ledger has no sale line with a client); grouped over one integer per (client, month) rather than
    over the names and the months (a million names hashed again)."""
    code, names = clients
    sale = (ledger["kind"] == "sale").to_numpy() & (code >= 0)  # a line without a client is no one's
    if not sale.any():
        sales = ledger.loc[ledger["kind"] == "sale", ["client", "month", "amount"]]
        return sales.groupby(["client", "month"], sort=False, observed=True)["amount"].sum().rename(
            "turnover").reset_index(), None
    client, month = code[sale].astype(np.int64), ledger["month"].to_numpy(dtype="int64")[sale]
    first, span = int(month.min()), int(month.max() - month.min()) + 1
    summed = pd.Series(ledger["amount"].to_numpy()[sale]).groupby(client * span + (month - first), sort=False).sum()
    key = summed.index.to_numpy()
    row_clients = key // span
    frame = pd.DataFrame({"client": pd.Series(names).take(row_clients).array, "month": key % span + first,
                          "turnover": summed.to_numpy()})
    return frame, TurnoverClients(row_clients, names)


def client_owners(ledger: pd.DataFrame, assigned: pd.DataFrame | None = None,
                  clients: ClientCodes | None = None) -> pd.Series:
    """client -> owner manager.

    The Clients table wins; otherwise the manager of the client's most recent sale row (latest
    date, then the lowest row on the sheet); a client with no sale at all takes the manager of its
    most recent row of any kind (e.g. an open order).
    """
    return client_owners_codes(ledger, assigned, clients)[0]


def client_owners_codes(ledger: pd.DataFrame, assigned: pd.DataFrame | None = None,
                        clients: ClientCodes | None = None) -> tuple[pd.Series, np.ndarray | None]:
    """:func:`client_owners`, and the client code of each of its rows (a position among the
    names of ``clients``; None for an empty ledger)."""
    codes = None
    if ledger.empty:
        owners = pd.Series([], dtype=object, name="owner")
    else:
        owners, codes = _latest_manager(ledger, clients or pd.factorize(ledger["client"]))
    owners.index.name = "client"
    owners.name = "owner"
    if assigned is not None and len(assigned):
        explicit = assigned.drop_duplicates("client", keep="last").set_index("client")["owner"]
        known = explicit[explicit.index.isin(owners.index)]
        owners = owners.copy()
        owners.loc[known.index] = known
    return owners, codes


def managers_by_code(owners: pd.Series, codes: np.ndarray | None, turnover: TurnoverClients | None) -> pd.Series | None:
    """The owner of each turnover row, taken by its client's code rather than looked up by name
    (:func:`salesplan.wordcolumns.lookup` hashes 100 000 names each time); the same values. None
    when the codes are not known or the owners are not Arrow text (the steps look them up)."""
    arrow_text = [isinstance(d, pd.StringDtype) and d.storage == "pyarrow"
                  for d in (owners.dtype, getattr(turnover.names, "dtype", None) if turnover else None)]
    if codes is None or turnover is None or not all(arrow_text) or not len(codes) or codes.min() < 0:
        return None
    at = np.full(len(turnover.names), -1, dtype=np.intp)
    at[codes] = np.arange(len(codes))
    return pd.Series(owners.array.take(at[turnover.codes], allow_fill=True))


def _latest_manager(ledger: pd.DataFrame, clients: ClientCodes) -> tuple[pd.Series, np.ndarray]:
    """client -> the manager of its last row when the rows are ordered by (is a sale, date, row),
    the clients in the order they first appear in that ordering; and their codes.

    The same as sorting the ledger stably by those keys and taking each client's last manager, but
    only the keys and a code array are sorted, not the whole frame.
    """
    code, names = clients
    keys = (ledger["row"].to_numpy(), ledger["date"].to_numpy().view("int64"),
            (ledger["kind"] == "sale").to_numpy())
    order = np.lexsort(keys)  # stable, the last key first: as sort_values(kind="stable")
    ordered = code[order]
    last = np.zeros(len(names), dtype=np.int64)
    np.maximum.at(last, ordered, np.arange(len(ordered)))
    appearance = pd.unique(ordered)  # clients in order of first appearance, as groupby(sort=False)
    managers = ledger["manager"].iloc[order[last[appearance]]]
    owners = pd.Series(managers.array, index=pd.Index(names[appearance], name="client"), name="manager")
    return owners, appearance
