"""Instrument #2: new products, promotions, motivation brands, clearance — per manager (seed 3.1.2).

Stated in ``docs/method.md#instrument-2``.

Items come from the Catalog tab. Only items valid in the plan month are shown. For each manager
they are ordered by how much that manager's clients bought of the item's category in the window W
(an item without a category: of its brand), each with up to three of the manager's clients that buy
the most of it. The sheet is one A4 page: when the items do not fit, the least relevant are left
out (every section keeps its most relevant item while there is room) and the sheet says how many.

Example, manager's clients bought in W: cameras 900 000, cable 100 000. Catalog: a cable promo
and a camera novelty → the camera item ranks first (relevance 900 000), offered to the three biggest
camera buyers.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..words import fold as norm
from .turnover import window_months

SECTIONS = ("new", "promo", "brands", "sale")
ITEM_COLUMNS = ["section", "item", "brand", "category", "price", "valid_until", "note", "clients", "relevance"]


def valid_items(catalog: pd.DataFrame, plan_month: int) -> pd.DataFrame:
    """Catalog rows valid at some day of the plan month (empty dates are open-ended)."""
    from ..months import first_day

    start = pd.Timestamp(first_day(plan_month))
    end = pd.Timestamp(first_day(plan_month + 1)) - pd.Timedelta(days=1)
    ok = (catalog["valid_from"].isna() | (catalog["valid_from"] <= end)) & (
        catalog["valid_until"].isna() | (catalog["valid_until"] >= start))
    return catalog[ok]


def manager_items(catalog: pd.DataFrame, ledger: pd.DataFrame, owners: pd.Series, manager: str,
                  plan_month: int, window: int, exclusions: pd.DataFrame | None = None,
                  clients_per_item: int = 3) -> pd.DataFrame:
    """The manager's valid catalog items, most relevant first, with the clients to offer them to."""
    totals = _window_totals(ledger, owners, plan_month, window)
    cat_total = totals.category_total.get(manager, _NO_TOTALS)
    brand_total = totals.brand_total.get(manager, _NO_TOTALS)
    cat_clients = totals.category_clients.get(manager, {})
    brand_clients = totals.brand_clients.get(manager, {})
    excluded = set()
    if exclusions is not None:
        excluded = {(r.client, r.category) for r in exclusions.itertuples(index=False)}

    rows = []
    for item in valid_items(catalog, plan_month).itertuples(index=False):
        category, brand = norm(item.category), norm(item.brand)
        if category:
            relevance = float(cat_total.get(category, 0.0))
            ranked = cat_clients.get(category, [])
        else:
            relevance = float(brand_total.get(brand, 0.0))
            ranked = brand_clients.get(brand, [])
        clients = [c for c in ranked if (c, "*") not in excluded and (c, category) not in excluded]
        rows.append({"section": item.section, "item": item.item, "brand": item.brand, "category": item.category,
                     "price": item.price, "valid_until": item.valid_until, "note": item.note,
                     "clients": clients[:clients_per_item], "relevance": relevance})
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    return frame.sort_values(["relevance", "item"], ascending=[False, True], kind="stable").reset_index(drop=True)


@dataclass
class _Totals:
    """Every manager's window sales by category and by brand (normalised), and each one's top clients."""

    category_total: dict[str, pd.Series]
    brand_total: dict[str, pd.Series]
    category_clients: dict[str, dict[str, list[str]]]
    brand_clients: dict[str, dict[str, list[str]]]


_NO_TOTALS = pd.Series(dtype="float64")
#: The last ledger's totals: Instrument #2 asks for every manager of one plan in turn.
_cache: tuple[Any, Any, tuple[int, int], _Totals] | None = None


def _window_totals(ledger: pd.DataFrame, owners: pd.Series, plan_month: int, window: int) -> _Totals:
    """The sales of W by manager (the client's owner) and category or brand, computed once per
    ledger for all managers (the same sums, grouped by manager too)."""
    global _cache
    if _cache is not None and _cache[0]() is ledger and _cache[1]() is owners and _cache[2] == (plan_month, window):
        return _cache[3]
    months = window_months(plan_month, window)
    sales = ledger.loc[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1),
                       ["client", "category", "brand", "amount"]]
    sales = pd.DataFrame({
        "manager": _per_distinct(sales["client"], lambda c: owners.get(c, None)),
        "client": sales["client"], "category": sales["category"], "brand": sales["brand"],
        "category_key": _per_distinct(sales["category"], norm), "brand_key": _per_distinct(sales["brand"], norm),
        "amount": sales["amount"],
    })
    sales = sales[sales["manager"].notna()]
    by_category = sales.groupby(["manager", "category_key"])["amount"].sum()
    by_brand = sales[sales["brand"] != ""].groupby(["manager", "brand_key"])["amount"].sum()
    totals = _Totals(
        {str(m): t.droplevel(0).rename_axis("key") for m, t in by_category.groupby(level=0)},
        {str(m): t.droplevel(0).rename_axis("key") for m, t in by_brand.groupby(level=0)},
        _top_clients(sales, "category"), _top_clients(sales, "brand"))
    _cache = (weakref.ref(ledger), weakref.ref(owners), (plan_month, window), totals)
    return totals


def _per_distinct(values: pd.Series, rule: Any) -> np.ndarray:
    """``rule`` of each value, computed once per distinct value."""
    codes, distinct = pd.factorize(values)
    return np.array([rule(v) for v in distinct] + [None], dtype=object)[codes]


def fit_items(items: pd.DataFrame, capacity: int) -> tuple[pd.DataFrame, int]:
    """Keep as many items as fit in ``capacity`` rows: first the best of each section, then by relevance.

    A section without items still takes one row on the page (its "nothing this month" line), so that
    row is reserved. Returns (kept items in their original order, number left out).
    """
    empty_sections = len(set(SECTIONS) - set(items["section"]))
    capacity = max(capacity - empty_sections, 0)
    if len(items) <= capacity:
        return items, 0
    firsts = items.groupby("section", sort=False).head(1).index.tolist()[:capacity]
    rest = [i for i in items.index if i not in set(firsts)][: max(0, capacity - len(firsts))]
    keep = sorted(firsts + rest)
    return items.loc[keep], len(items) - len(keep)


def _top_clients(sales: pd.DataFrame, column: str) -> dict[str, dict[str, list[str]]]:
    """Manager -> normalised category (or brand) -> the clients that bought the most of it, best first."""
    rows = sales[sales[column] != ""]
    amounts = rows.groupby(["manager", f"{column}_key", "client"], observed=True)["amount"].sum()
    grouped = amounts[amounts > 0].reset_index().rename(columns={f"{column}_key": "key"})
    out: dict[str, dict[str, list[str]]] = {}
    for manager, mine in grouped.groupby("manager", sort=False):
        ranked = mine.sort_values(["key", "amount", "client"], ascending=[True, False, True])
        out[str(manager)] = {str(key): list(group["client"]) for key, group in ranked.groupby("key", sort=False)}
    return out
