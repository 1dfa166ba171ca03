"""3A and Instrument #1: what each existing client could buy that it hardly buys yet (seed 3.1.1).

Stated in ``docs/method.md#3a-and-instrument-1``.

The volume to place in offers is 3A × ``offer_multiplier`` (only about a fifth converts: "распределяем
х5 раз от требуемого объема"). A (client, category) pair is a **candidate** when

- the client is the manager's and has turnover in the window W;
- the category complements what the client buys: a Cross-sell rule whose categories the client all
  buys (more than ``minimal_share`` of its W turnover each) names it;
- the client's W turnover in that category is at most ``minimal_share`` of its W turnover;
- no Exclusions row names the client with that category (or with every category).

Each offer's **estimated monthly volume** is the client's average monthly turnover times the typical
share of that category in the baskets of the clients who do buy it (the median share). Offers are
picked largest clients first, each client's offers largest first, until their sum reaches the volume
to place or the page is full.

Example: rule Камеры → Видеорегистраторы; client А buys 400 000 of cameras in W (window 4), nothing
else; buyers of DVRs spend a median 25% of their turnover on them. Candidate: (А, Видеорегистраторы),
volume 400 000 / 4 × 0.25 = 25 000 a month.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd

from ..inputs.shapes import CrossSellRule
from ..words import fold as norm  # categories are matched ignoring case, ё/е and extra spaces
from .turnover import window_months

OFFER_COLUMNS = ["manager", "client", "client_turnover", "buys_now", "offer_category", "products", "volume"]


def category_shares(ledger: pd.DataFrame, owners: pd.Series, plan_month: int, window: int) -> pd.DataFrame:
    """Per client and category in W: turnover, the client's W turnover, and the share.

    Columns: manager, client, category, turnover, client_turnover, share.
    """
    months = window_months(plan_month, window)
    sales = ledger.loc[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1),
                       ["client", "category", "amount"]]
    by_cat = sales.groupby(["client", "category"], observed=True)["amount"].sum().rename("turnover").reset_index()
    total = by_cat.groupby("client")["turnover"].transform("sum")
    by_cat["client_turnover"] = total
    by_cat["share"] = by_cat["turnover"] / total.where(total > 0)
    by_cat["manager"] = by_cat["client"].map(owners)
    return by_cat[by_cat["client_turnover"] > 0].reset_index(drop=True)


def typical_shares(shares: pd.DataFrame, minimal_share: float) -> dict[str, float]:
    """Normalised category -> the median share it has in the baskets of clients that buy it."""
    buyers = shares[shares["share"] > minimal_share]
    medians = buyers.groupby(buyers["category"].map(norm))["share"].median()
    return {str(category): float(share) for category, share in medians.items()}


def best_sellers(ledger: pd.DataFrame, plan_month: int, window: int, per_category: int = 3) -> dict[str, list[str]]:
    """Normalised category -> its best-selling products in W (company-wide), best first."""
    months = window_months(plan_month, window)
    sales = ledger.loc[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1)
                       & (ledger["product"] != ""), ["category", "product", "amount"]]
    by_product = sales.groupby(["category", "product"], observed=True)["amount"].sum().reset_index()
    by_product = by_product.sort_values(["amount", "product"], ascending=[False, True])
    out: dict[str, list[str]] = {}
    for category, group in by_product.groupby(by_product["category"].map(norm), sort=False):
        out[category] = list(group["product"].head(per_category))
    return out


def candidates(shares: pd.DataFrame, rules: list[CrossSellRule], exclusions: pd.DataFrame,
               minimal_share: float, window: int, products: dict[str, list[str]] | None = None,
               display_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Every candidate (client, category) pair with its estimated monthly volume (OFFER_COLUMNS).

    ``exclusions`` has columns client, category (normalised; ``"*"`` = every category).
    ``display_names`` maps a normalised category to how the ledger spells it.
    """
    products = products or {}
    names = {k: v for rule in rules for k, v in rule.names().items()}
    names.update(display_names or {})
    names.update({norm(c): c for c in shares["category"].unique()})
    typical = typical_shares(shares, minimal_share)
    excluded = {(row.client, row.category) for row in exclusions.itertuples(index=False)}
    rows = []
    for client, basket in shares.groupby("client", sort=False):
        share_of = {norm(c): s for c, s in zip(basket["category"], basket["share"])}
        bought = {c for c, s in share_of.items() if s > minimal_share}
        client_turnover = float(basket["client_turnover"].iloc[0])
        manager = basket["manager"].iloc[0]
        offered: set[str] = set()
        for rule in rules:
            if not rule.when or not rule.when <= bought:
                continue
            for category in rule.offer:
                if category in offered or share_of.get(category, 0.0) > minimal_share:
                    continue
                if (client, "*") in excluded or (client, category) in excluded:
                    continue
                offered.add(category)
                volume = client_turnover / window * typical.get(category, minimal_share)
                rows.append({
                    "manager": manager, "client": client, "client_turnover": client_turnover,
                    "buys_now": ", ".join(names.get(c, c) for c in _top(share_of, minimal_share)),
                    "offer_category": names.get(category, category),
                    "products": ", ".join(products.get(category, [])),
                    "volume": volume,
                })
    frame = pd.DataFrame(rows, columns=OFFER_COLUMNS)
    return frame.astype({"client_turnover": "float64", "volume": "float64"})


def pick_offers(candidates_: pd.DataFrame, volume_to_place: float, capacity: int) -> tuple[pd.DataFrame, int]:
    """The offers for one manager: largest clients first, each client's largest offers first, until
    the sum reaches ``volume_to_place`` or ``capacity`` rows; returns (offers, candidates left out)."""
    ordered = candidates_.sort_values(["client_turnover", "client", "volume", "offer_category"],
                                      ascending=[False, True, False, True])
    picked: list[Hashable] = []
    total = 0.0
    for index, volume in zip(ordered.index, ordered["volume"]):
        if total >= volume_to_place or len(picked) >= capacity:
            break
        picked.append(index)
        total += volume
    return ordered.loc[picked].reset_index(drop=True), len(ordered) - len(picked)


def _top(share_of: dict[str, float], minimal_share: float, n: int = 3) -> list[str]:
    ranked = sorted(((s, c) for c, s in share_of.items() if s > minimal_share), reverse=True)
    return [c for _, c in ranked[:n]]


def units_text(amount: float, top_products: pd.DataFrame, lang: str = "ru", n: int = 3) -> str:
    """The 3A figure in units of familiar products: ``≈ 1 × Шлагбаум / 3 × Регистратор / 5 × Комплект``.

    ``top_products`` has columns product, category, price (typical unit price), turnover, and holds
    the manager's best sellers, best first; one product per category is used.
    """
    parts: list[tuple[int, str]] = []
    seen: set[str] = set()
    for category, price, product in zip(top_products["category"], top_products["price"], top_products["product"]):
        if len(parts) >= n:
            break
        if category in seen or not price or price <= 0:
            continue
        units = amount / float(price)
        if units < 1:
            continue
        seen.add(category)
        parts.append((round(units), str(product)))
    if not parts or amount <= 0:
        return ""
    parts.sort()
    return "≈ " + " / ".join(f"{u} × {p}" for u, p in parts)


def manager_best_sellers(ledger: pd.DataFrame, owners: pd.Series, plan_month: int, window: int) -> pd.DataFrame:
    """Per manager, its products by W turnover with the typical (median) unit price.

    Columns: manager, product, category, price, turnover. Needs Product and Quantity.
    """
    months = window_months(plan_month, window)
    sales = ledger.loc[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1)
                       & (ledger["product"] != "") & (ledger["quantity"] > 0) & (ledger["amount"] > 0),
                       ["client", "product", "category", "quantity", "amount"]]
    if sales.empty:
        return pd.DataFrame(columns=["manager", "product", "category", "price", "turnover"])
    sales = sales.assign(manager=sales["client"].map(owners), unit=sales["amount"] / sales["quantity"])
    grouped = sales.groupby(["manager", "product"], observed=True).agg(
        category=("category", "first"), price=("unit", "median"), turnover=("amount", "sum")).reset_index()
    return grouped.sort_values(["manager", "turnover"], ascending=[True, False]).reset_index(drop=True)


def key_clients(shares: pd.DataFrame, manager: str, window: int, n: int, minimal_share: float) -> pd.DataFrame:
    """The manager's biggest clients by W turnover: client, turnover (monthly average), buys."""
    mine = shares[shares["manager"] == manager]
    if mine.empty:
        return pd.DataFrame(columns=["client", "turnover", "buys", "wishes"])
    totals = mine.groupby("client")["client_turnover"].first().sort_values(ascending=False).head(n)
    rows = []
    for client, turnover in totals.items():
        basket = mine[mine["client"] == client]
        share_of = dict(zip(basket["category"], basket["share"]))
        rows.append({"client": client, "turnover": turnover / window,
                     "buys": ", ".join(_top(share_of, minimal_share)), "wishes": ""})
    return pd.DataFrame(rows)
