"""3A and Instrument #1: what each existing client could buy that it hardly buys yet (seed 3.1.1).

Stated in ``docs/method.md#3a-and-instrument-1``.

The volume to place in offers is 3A × ``offer_multiplier`` (only about a fifth converts: "распределяем
х5 раз от требуемого объема"). A (client, category) pair is a **candidate** when

- the client is the manager's and has turnover in the window W;
- the category complements what the client buys: a Cross-sell rule whose categories the client all
  buys (more than ``minimal_share`` of its W turnover each) names it;
- the client's W turnover in that category is at most ``minimal_share`` of its W turnover;
- no Exclusions row names the client with that category (or with every category).

Each offer's **estimated monthly volume** is the client's average monthly turnover times the share a
category it does not buy yet is expected to take (:func:`typical_shares`: the median share in mixed
baskets, blended towards all categories' median while few clients buy it, at most half). Offers are
picked largest first and spread over clients (:func:`pick_offers`) until their sum reaches the volume
to place or the page is full; what they do not reach is the page's **shortfall**. The 3A amount is
said in **familiar goods**: a few typical orders of the page's categories (:func:`familiar_goods`).

Example: rule Камеры → Видеорегистраторы; client А buys 400 000 of cameras in W (window 4), nothing
else; in mixed baskets DVRs take a median 25% (many buyers). Candidate: (А, Видеорегистраторы),
volume 400 000 / 4 × 0.25 = 25 000 a month.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..inputs.shapes import CrossSellRule
from ..wordcolumns import isin, lookup
from ..words import fold as norm  # categories are matched ignoring case, ё/е and extra spaces
from ..words import similar
from .turnover import window_months

OFFER_COLUMNS = ["manager", "client", "regular", "client_turnover", "buys_now", "offer_category", "products", "volume"]


@dataclass(frozen=True)
class LineCodes:
    """The sale lines' client and category as codes (:func:`line_codes`): the text columns hashed
    once for the steps of Instrument #1 that group them (the shares, the main products, the
    typical orders), rather than once per step (2.4 million lines of a long history: 0.1-0.2 s
    each time); and each client's owner, looked up once for them (at 100 000 owners, 25 ms a time)."""

    client: np.ndarray       # each line's client, a position in ``clients`` (-1: none) ...
    clients: pd.Index        # ... the clients, sorted
    category: np.ndarray     # each line's category as spelled, a position in ``categories`` (-1: none) ...
    categories: pd.Index     # ... the categories, sorted
    owner_of_client: pd.Series  # each of ``clients``' owner, missing where it has none


def line_codes(sales: pd.DataFrame, owners: pd.Series) -> LineCodes:
    """:class:`LineCodes` of ``sales`` (client, category), their clients' owners in ``owners``."""
    client, clients = pd.factorize(sales["client"], sort=True)
    category, categories = pd.factorize(sales["category"], sort=True)
    owner_of_client = (lookup(pd.Series(clients), owners) if len(owners)
                       else pd.Series(np.nan, index=range(len(clients))))
    return LineCodes(client, pd.Index(clients), category, pd.Index(categories), owner_of_client)


def category_shares(ledger: pd.DataFrame, owners: pd.Series, plan_month: int, window: int,
                    codes: LineCodes | None = None) -> pd.DataFrame:
    """Per client and category in W: turnover, the client's W turnover, and the share.

    Columns: manager, client, category, turnover, client_turnover, share; sorted by client and
    category. ``codes``: :func:`line_codes` of ``ledger`` and ``owners``, when the caller has them.
    """
    months = window_months(plan_month, window)
    in_window = ((ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1)).to_numpy()
    codes = codes or line_codes(ledger, owners)
    client, category = codes.client[in_window], codes.category[in_window]
    known = (client >= 0) & (category >= 0)  # a line without a client or a category is in no pair
    if not known.any():
        return _category_shares_by_name(ledger[in_window], owners)
    # One integer per (client, category), in the order of the names: the pairs come out sorted by
    # client then category, each pair's lines summed in their order, as grouping the names gives.
    n_categories = max(len(codes.categories), 1)
    amount = ledger["amount"].to_numpy(dtype="float64")[in_window][known]
    summed = pd.Series(amount).groupby(client[known].astype(np.int64) * n_categories + category[known]).sum()
    pair = summed.index.to_numpy()
    row_client = pair // n_categories
    turnover = summed.to_numpy()
    total = pd.Series(turnover).groupby(row_client).transform("sum")
    by_cat = pd.DataFrame({"client": codes.clients.array.take(row_client),
                           "category": codes.categories.array.take(pair % n_categories),
                           "turnover": turnover, "client_turnover": total.to_numpy()})
    by_cat["share"] = by_cat["turnover"] / total.where(total > 0)
    by_cat["manager"] = codes.owner_of_client.array.take(row_client)
    return by_cat[by_cat["client_turnover"] > 0].reset_index(drop=True)


def _category_shares_by_name(sales: pd.DataFrame, owners: pd.Series) -> pd.DataFrame:
    """:func:`category_shares` of W's sale lines when none has both a client and a category (the
    empty table, typed as grouping the names gives it)."""
    sales = sales[["client", "category", "amount"]]
    by_cat = sales.groupby(["client", "category"], observed=True)["amount"].sum().rename("turnover").reset_index()
    total = by_cat.groupby("client")["turnover"].transform("sum")
    by_cat["client_turnover"] = total
    by_cat["share"] = by_cat["turnover"] / total.where(total > 0)
    by_cat["manager"] = lookup(by_cat["client"], owners)
    return by_cat[by_cat["client_turnover"] > 0].reset_index(drop=True)


#: An offer is never estimated above this share of the client's own monthly turnover: a category it
#: does not buy yet is an addition to its basket, not a second basket (a small ledger, where one buyer
#: of a category buys nothing else, would otherwise claim 100% of the client's turnover).
MAX_OFFER_SHARE = 0.5
#: How many buyers a category's own median share counts as; it is blended with the median share of
#: every category in mixed baskets as if that were seen ``PRIOR_BUYERS`` times.
PRIOR_BUYERS = 5
#: A product is one of a category's main products when its typical unit price is at least this share
#: of the category's typical unit price (weighted by value): spare parts and cheap accessories
#: («Опора стрелы» beside a barrier, a 700 ₽ power supply beside cameras) are not.
MAIN_PRICE_SHARE = 0.25
#: Products named per offer (the catalog's current promotions of the category first).
PRODUCTS_PER_OFFER = 3


def typical_shares(shares: pd.DataFrame, minimal_share: float, by_code: Baskets | None = None) -> dict[str, float]:
    """Normalised category -> the share of a client's turnover an offer of it is estimated at.

    Only mixed baskets count (a client that buys one category only says nothing about the share a
    category takes beside others): the category's median share in the mixed baskets that buy it
    (more than ``minimal_share``), blended with the median share of all categories in mixed baskets
    as if seen :data:`PRIOR_BUYERS` times, at most :data:`MAX_OFFER_SHARE`.

    ==========  ========================================  ====================================
    category    buyers with mixed baskets (share)         estimate
    ==========  ========================================  ====================================
    Домофоны    one buyer, 0.50; all mixed median 0.50     (1 × 0.50 + 5 × 0.50) / 6 = 0.50
    СКУД        one buyer, 0.20; all mixed median 0.50     (1 × 0.20 + 5 × 0.50) / 6 = 0.45
    ==========  ========================================  ====================================

    ``by_code``: :func:`baskets` of ``shares``, when the caller has them.
    """
    if by_code is not None:
        return _typical_shares_by_code(shares, minimal_share, by_code)
    buyers = shares[shares["share"] > minimal_share]
    mixed = buyers[buyers.groupby("client")["category"].transform("size") > 1]
    if mixed.empty:
        return {}
    overall = float(mixed["share"].median())
    stats = mixed.groupby(_per_distinct(mixed["category"], norm))["share"].agg(["median", "size"])
    return {str(category): min(MAX_OFFER_SHARE, (n * median + PRIOR_BUYERS * overall) / (n + PRIOR_BUYERS))
            for category, median, n in zip(stats.index, stats["median"], stats["size"])}


def _typical_shares_by_code(shares: pd.DataFrame, minimal_share: float, by_code: Baskets) -> dict[str, float]:
    """:func:`typical_shares` over the codes of :func:`baskets`: the same figures, without hashing
    the client and category names again for every minimal share asked."""
    share = shares["share"].to_numpy(dtype="float64")
    buyer = share > minimal_share
    client = by_code.client[buyer]
    size = np.bincount(client[client >= 0], minlength=len(by_code.clients))
    mixed = buyer.copy()
    mixed[buyer] = (client >= 0) & (size[np.maximum(client, 0)] > 1)
    if not mixed.any():
        return {}
    mixed_share = pd.Series(share[mixed])
    overall = float(mixed_share.median())
    stats = mixed_share.groupby(by_code.category[mixed]).agg(["median", "size"])
    return {str(category): min(MAX_OFFER_SHARE, (n * median + PRIOR_BUYERS * overall) / (n + PRIOR_BUYERS))
            for category, median, n in zip(by_code.categories[stats.index.to_numpy()], stats["median"],
                                           stats["size"])}


@dataclass(frozen=True)
class Baskets:
    """:func:`category_shares` by code (:func:`baskets`): worked out once for every minimal share
    Instrument #1 asks candidates of (its own and the two of its hint)."""

    client: np.ndarray       # each row's client, a position in ``clients`` ...
    clients: pd.Index        # ... the clients in the order they first appear
    category: np.ndarray     # each row's category as compared, a position in ``categories`` ...
    categories: pd.Index     # ... the folded categories, sorted
    spelled: list[str]       # each distinct category as spelled ...
    folded: list[str]        # ... and as compared
    pairs: pd.DataFrame      # client, category (codes), share: a client's share of a category as
                             # compared (two spellings of one category: the last)


def baskets(shares: pd.DataFrame) -> Baskets:
    """``shares`` (:func:`category_shares`) as codes, for :func:`candidates`,
    :func:`candidate_volumes` and :func:`typical_shares` at any minimal share."""
    spelled, folded = _folded_categories(shares["category"])
    client, clients = pd.factorize(shares["client"])  # the order of first appearance
    compared = pd.Categorical(folded)
    category = compared.codes[_codes(shares["category"])]
    pairs = pd.DataFrame({"client": client, "category": category,
                          "share": shares["share"].to_numpy(dtype="float64")})
    pairs = pairs.drop_duplicates(["client", "category"], keep="last")
    return Baskets(client, pd.Index(clients), category, pd.Index(compared.categories), spelled, folded, pairs)


def main_products(sales: pd.DataFrame, owners: pd.Series, promotions: dict[str, list[str]] | None = None,
                  per_category: int = PRODUCTS_PER_OFFER,
                  codes: LineCodes | None = None) -> dict[tuple[str | None, str], list[str]]:
    """(manager, normalised category) -> the products to name in an offer of that category, best first.

    ``sales``: the sale lines of W (client, category, product, quantity, amount). A category's main
    products are those whose median unit price is at least :data:`MAIN_PRICE_SHARE` of the category's
    value-weighted median unit price (without quantities, every product), ranked by value among the
    manager's clients. Key ``(None, category)``: the same company-wide, for a manager whose clients
    do not buy the category. ``promotions``: the catalog's current promotions by normalised
    category; they come first. ``codes``: :func:`line_codes` of ``sales`` and ``owners``, when the
    caller has them.

    ==========================  ============  ========  ================================
    product (Шлагбаумы)         unit price    value     main?
    ==========================  ============  ========  ================================
    Шлагбаум G4000              98 500        985 000   yes (weighted median 98 500)
    Опора стрелы                4 190         419 000   no: 4 190 < 0.25 × 98 500
    ==========================  ============  ========  ================================
    """
    promotions = promotions or {}
    sold = ((sales["product"] != "") & (sales["amount"] > 0)).to_numpy()
    amount = sales["amount"].to_numpy(dtype="float64")[sold]
    if "quantity" in sales:
        quantity = sales["quantity"].to_numpy(dtype="float64")[sold]
        unit = amount / np.where(quantity > 0, quantity, np.nan)
    else:
        unit = np.full(len(amount), np.nan)
    # The lines as integer codes, each text column hashed once: the category as compared (folded
    # once per distinct name), the product, the client's manager; then every step below groups
    # integers. The codes of each are in the order of the names, so sorting by code sorts by name
    # as pandas would (a line without a manager last).
    codes = codes or line_codes(sales, owners)
    category, categories = _folded_codes(codes.category[sold], codes.categories)
    product, products = pd.factorize(sales["product"][sold], sort=True)  # a missing product: -1
    manager_of, managers = _owner_codes(codes)
    manager = manager_of[codes.client[sold]]  # a line without a client (-1): the last, no manager
    n_categories, n_products = max(len(categories), 1), max(len(products), 1)
    threshold = MAIN_PRICE_SHARE * _weighted_medians(category, unit, amount, len(categories))
    # A product's typical unit price (its lines' median; none without quantities) against its
    # category's threshold (none: every product of the category is a main one).
    named = product >= 0
    pair = category[named].astype(np.int64) * n_products + product[named]
    median = pd.Series(unit[named]).groupby(pair).median()
    pair_category = median.index.to_numpy() // n_products
    floor = np.nan_to_num(threshold[pair_category], nan=0.0)
    main_pairs = median.index[np.isnan(median.to_numpy()) | (median.to_numpy() >= floor)]
    main = np.zeros(len(amount), dtype=bool)
    main[np.flatnonzero(named)[isin(pd.Index(pair), main_pairs)]] = True
    # Each main product's value per manager (the lines of no manager kept for the company's), then
    # company-wide as the sum of the managers' values in their order, as a group-by of those gives.
    key = ((manager[main].astype(np.int64) * n_categories + category[main]) * n_products + product[main])
    value = pd.Series(amount[main]).groupby(key).sum()
    value_key = value.index.to_numpy()
    value_manager, value_pair = value_key // (n_categories * n_products), value_key % (n_categories * n_products)
    company = value.groupby(value_pair).sum()
    out: dict[tuple[str | None, str], list[str]] = {}
    product_names = list(products)
    category_names = [str(c) for c in categories]
    manager_names = [str(m) for m in managers]
    scoped = value_manager < len(managers)  # a line of no manager counts for the company only
    for pairs_, amounts, group_managers in (
            (company.index.to_numpy(), company.to_numpy(), None),
            (value_pair[scoped], value.to_numpy()[scoped], value_manager[scoped])):
        pair_categories = pairs_ // n_products
        group = pair_categories if group_managers is None else group_managers * n_categories + pair_categories
        for group_key, best in _best_products(group, pairs_ % n_products, amounts, per_category, promotions,
                                              category_names, n_categories, product_names):
            if group_managers is None:
                manager_name, category_name = None, category_names[group_key]
            else:
                manager_name = manager_names[group_key // n_categories]
                category_name = category_names[group_key % n_categories]
            names = list(promotions.get(category_name, []))
            names += [p for p in best if p not in names]
            out[manager_name, category_name] = names[:per_category]
    for category_name, names in promotions.items():  # promoted, not sold yet
        out.setdefault((None, category_name), names[:per_category])
    return out


def _folded_codes(code: np.ndarray, distinct: Any) -> tuple[np.ndarray, list[str]]:
    """Each line's category as compared (:func:`norm`, once per distinct name; a missing one, code
    -1, is folded as such) as a code into the folded names, which are sorted."""
    folded = [norm(v) for v in distinct] + [norm(float("nan"))]
    names = sorted(set(folded))
    position = {name: i for i, name in enumerate(names)}
    at = np.array([position[f] for f in folded], dtype=np.int64)
    return at[code], names


def _owner_codes(codes: LineCodes) -> tuple[np.ndarray, pd.Series]:
    """Each of the distinct clients' owner as a code into the managers (sorted, as the owners
    spell them); a client without an owner gets the code after the last, and so does code -1 (the
    array's last entry): a line without a client."""
    code, managers = pd.factorize(codes.owner_of_client, sort=True)
    code = np.append(np.where(code < 0, len(managers), code), len(managers))
    return code.astype(np.int64), pd.Series(managers)


def _weighted_medians(category: np.ndarray, value: np.ndarray, weight: np.ndarray, n: int) -> np.ndarray:
    """Per category code: the value-weighted median of its lines with a value (NaN: none).

    One sort of the lines by (category, value), stable, as each category's own would be; each
    category's cumulative weights are then summed over its run alone (the same additions, in the
    same order, as a sum over that category's lines), one numpy call per category."""
    out = np.full(n, np.nan)
    known = ~np.isnan(value)
    category, value, weight = category[known], value[known], weight[known]
    order = np.lexsort((value, category))
    category, value, weight = category[order], value[order], weight[order]
    starts = np.flatnonzero(np.r_[True, category[1:] != category[:-1]]) if len(category) else np.zeros(0, int)
    for start, stop in zip(starts, np.r_[starts[1:], len(category)]):
        cumulative = weight[start:stop].cumsum()
        out[category[start]] = value[start + int((cumulative >= cumulative[-1] / 2).argmax())]
    return out


def _best_products(group: np.ndarray, product: np.ndarray, amount: np.ndarray, per_category: int,
                   promotions: dict[str, list[str]], category_names: list[str], n_categories: int,
                   product_names: list[str]) -> list[tuple[int, list[str]]]:
    """(group, its products by value, then by name) in the order the groups first appear when all
    rows are so ordered; only as many products as a page names beside the group's promotions."""
    if not len(group):
        return []
    order = np.lexsort((product, -amount))  # product codes follow the names
    group, product = group[order], product[order]
    first_seen, at_first = np.unique(group, return_index=True)
    rank = np.empty(len(first_seen), dtype=np.int64)
    rank[np.argsort(at_first, kind="stable")] = np.arange(len(first_seen))
    by_group = np.argsort(rank[np.searchsorted(first_seen, group)], kind="stable")
    group, product = group[by_group], product[by_group]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    out = []
    for start, stop in zip(starts, np.r_[starts[1:], len(group)]):
        key = int(group[start])
        wanted = per_category + len(promotions.get(category_names[key % n_categories], []))
        out.append((key, [product_names[p] for p in product[start:min(stop, start + wanted)]]))
    return out


def candidates(shares: pd.DataFrame, rules: list[CrossSellRule], exclusions: pd.DataFrame,
               minimal_share: float, window: int,
               products: dict[tuple[str | None, str], list[str]] | None = None,
               display_names: dict[str, str] | None = None, regular: set[str] | frozenset[str] = frozenset(),
               by_code: Baskets | None = None) -> pd.DataFrame:
    """Every candidate (client, category) pair with its estimated monthly volume (OFFER_COLUMNS).

    ``exclusions`` has columns client, category (normalised; ``"*"`` = every category).
    ``products``: :func:`main_products`. ``display_names`` maps a normalised category to how the
    ledger spells it. ``regular``: the regular clients (layer 1), marked in the column ``regular``.
    ``by_code``: :func:`baskets` of ``shares``, when the caller has them.

    The clients are listed in the order they first appear in ``shares``, each client's offers in
    the order of the rules and of each rule's categories. Worked out over whole columns: a matrix
    of clients × the rules' categories, one pass of numpy per rule and category (the Config's
    size), never a Python step per client.
    """
    products = products or {}
    names = {k: v for rule in rules for k, v in rule.names().items()}
    names.update(display_names or {})
    pairs = _candidate_pairs(shares, rules, exclusions, minimal_share, by_code or baskets(shares))
    if pairs is None:
        return pd.DataFrame([], columns=OFFER_COLUMNS).astype(
            {"client_turnover": "float64", "volume": "float64", "regular": "bool"})
    names.update(dict(zip(pairs.folded, pairs.spelled)))
    client, clients, basket, categories, rule_categories = (pairs.client, pairs.clients, pairs.basket,
                                                              pairs.categories, pairs.rule_categories)
    at_client, at_category = pairs.at_client, pairs.at_category
    first = np.unique(client, return_index=True)[1]  # each client's first row: its manager and turnover
    manager = shares["manager"].iloc[first[at_client]].reset_index(drop=True)
    client_turnover = shares["client_turnover"].to_numpy(dtype="float64")[first[at_client]]
    category_names = np.array([names.get(c, c) for c in rule_categories], dtype=object)
    offered_to = np.zeros(len(clients), dtype=bool)
    offered_to[at_client] = True
    frame = pd.DataFrame({
        "manager": manager,
        "client": pd.Series(clients).take(at_client).reset_index(drop=True),
        "regular": isin(pd.Index(clients), list(regular))[at_client],
        "client_turnover": client_turnover,
        "buys_now": _buys_now(basket, len(clients), categories, names, minimal_share, wanted=offered_to)
        .take(at_client)
        .reset_index(drop=True),
        "offer_category": pd.Series(category_names[at_category]),
        "products": _offer_products(manager, at_category, rule_categories, products),
        "volume": client_turnover / window * pairs.typical_share[at_category],
    })
    return frame.astype({"client_turnover": "float64", "volume": "float64", "regular": "bool"})


def candidate_volumes(shares: pd.DataFrame, rules: list[CrossSellRule], exclusions: pd.DataFrame,
                      minimal_share: float, window: int, by_code: Baskets | None = None) -> pd.Series:
    """manager -> the sum of his candidates' volumes: ``candidates(...).groupby("manager")["volume"]
    .sum()``, without the columns only a page shows (what each client buys now, the products).

    Instrument #1 asks it for other values of ``minimal_share``, to say whether one would give a
    manager more to offer."""
    pairs = _candidate_pairs(shares, rules, exclusions, minimal_share, by_code or baskets(shares))
    if pairs is None:
        return pd.DataFrame([], columns=OFFER_COLUMNS).astype({"volume": "float64"}).groupby("manager")[
            "volume"].sum()
    first = np.unique(pairs.client, return_index=True)[1]
    rows = first[pairs.at_client]
    client_turnover = shares["client_turnover"].to_numpy(dtype="float64")[rows]
    frame = pd.DataFrame({"manager": shares["manager"].iloc[rows].reset_index(drop=True),
                          "volume": client_turnover / window * pairs.typical_share[pairs.at_category]})
    return frame.groupby("manager")["volume"].sum()


@dataclass(frozen=True)
class _Pairs:
    """The candidate (client, category) pairs of :func:`candidates`, by code, in its order."""

    client: np.ndarray              # each row of ``shares``: its client's code
    clients: pd.Index               # the clients in order of first appearance
    basket: pd.DataFrame            # client, category (codes), share
    categories: pd.Index            # the categories as compared (folded), by code
    rule_categories: pd.Index       # the rules' categories, the columns of the matrix
    spelled: list[str]              # each distinct category of ``shares`` as spelled ...
    folded: list[str]               # ... and as compared
    at_client: np.ndarray           # each candidate's client (code) ...
    at_category: np.ndarray         # ... and category (a column of ``rule_categories``)
    typical_share: np.ndarray       # each of ``rule_categories``: the share an offer is estimated at


def _candidate_pairs(shares: pd.DataFrame, rules: list[CrossSellRule], exclusions: pd.DataFrame,
                     minimal_share: float, by_code: Baskets) -> _Pairs | None:
    """The candidate pairs, ordered by client then by rule and category; None when there are none."""
    spelled, folded = by_code.spelled, by_code.folded
    typical = typical_shares(shares, minimal_share, by_code)
    client, clients, basket, categories = by_code.client, by_code.clients, by_code.pairs, by_code.categories
    rule_categories = pd.Index(list(dict.fromkeys(c for rule in rules for c in [*sorted(rule.when), *rule.offer])),
                               dtype=object)
    share = np.zeros((len(clients), len(rule_categories)))  # a category the client never bought: 0
    present = np.zeros(share.shape, dtype=bool)
    column = rule_categories.get_indexer(categories)[basket["category"].to_numpy()]
    known = column >= 0
    share[basket["client"].to_numpy()[known], column[known]] = basket["share"].to_numpy()[known]
    present[basket["client"].to_numpy()[known], column[known]] = True
    over = share > minimal_share
    bought = present & over
    excluded_all, excluded = _excluded(exclusions, pd.Index(clients), rule_categories)
    offered = np.zeros_like(bought)
    found_client, found_category, found_turn = [], [], []
    turn = 0
    for rule in rules:
        if not rule.when:
            continue
        applies = bought[:, rule_categories.get_indexer(pd.Index(sorted(rule.when)))].all(axis=1)
        for category in rule.offer:
            k = rule_categories.get_loc(category)
            offer = applies & ~offered[:, k] & ~over[:, k] & ~excluded_all & ~excluded[:, k]
            offered[:, k] |= offer
            at = np.flatnonzero(offer)
            found_client.append(at)
            found_category.append(np.full(len(at), k))
            found_turn.append(np.full(len(at), turn))
            turn += 1
    if not found_client or not sum(len(a) for a in found_client):
        return None
    at_client, at_category, at_turn = (np.concatenate(a) for a in (found_client, found_category, found_turn))
    order = np.lexsort((at_turn, at_client))
    at_client, at_category = at_client[order], at_category[order]
    typical_share = np.array([typical.get(c, minimal_share) for c in rule_categories], dtype="float64")
    return _Pairs(client, pd.Index(clients), basket, categories, rule_categories, spelled, folded, at_client,
                  at_category, typical_share)


def _per_distinct(values: pd.Series, rule: Callable[[Any], Any]) -> pd.Series:
    """``rule`` of each value of a column, worked out once per distinct value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return pd.Series(np.array([rule(v) for v in distinct], dtype=object)[codes], index=values.index,
                     dtype=values.dtype if len(values) else object)


def _codes(values: pd.Series) -> np.ndarray:
    return pd.factorize(values)[0]


def _folded_categories(categories: pd.Series) -> tuple[list[str], list[str]]:
    """(each distinct category as spelled, as compared): :func:`norm` once per distinct name."""
    spelled = [c for c in pd.factorize(categories)[1]]
    return spelled, [norm(c) for c in spelled]


def _excluded(exclusions: pd.DataFrame, clients: pd.Index, categories: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """(clients excluded from every category, clients × categories excluded) from the Exclusions
    rows (the Config's size: one step per row)."""
    every = np.zeros(len(clients), dtype=bool)
    pairs = np.zeros((len(clients), len(categories)), dtype=bool)
    if exclusions is None or not len(exclusions):
        return every, pairs
    at = clients.get_indexer(pd.Index(exclusions["client"]))
    for i, category in zip(at, exclusions["category"]):
        if i < 0:
            continue
        if category == "*":
            every[i] = True
        elif category in categories:
            pairs[i, categories.get_loc(category)] = True
    return every, pairs


def _buys_now(basket: pd.DataFrame, n_clients: int, categories: pd.Index, names: dict[str, str],
              minimal_share: float, n: int = 3, wanted: np.ndarray | None = None) -> pd.Series:
    """Per client (by code): its ``n`` biggest categories above ``minimal_share`` (the same share:
    the later name first), as spelled, joined with «, ». ``wanted``: the clients (a mask by code)
    whose text is asked for; the others' is left empty (the candidates' clients: a fifth of all)."""
    above = (basket["share"] > minimal_share).to_numpy()
    if wanted is not None:
        above = above & wanted[basket["client"].to_numpy()]
    bought = basket[above]
    name_order = np.argsort(np.argsort(np.array([str(c) for c in categories], dtype=object), kind="stable"))
    bought = bought.assign(rank=name_order[bought["category"].to_numpy()])
    bought = bought.sort_values(["client", "share", "rank"], ascending=[True, False, False], kind="stable")
    place = bought.groupby("client").cumcount().to_numpy()
    spelled = np.array([names.get(c, c) for c in categories], dtype=object)
    out = np.full(n_clients, "", dtype=object)  # filled as an array: a Series' iloc costs more
    for k in range(n):
        top = bought[place == k]
        at = top["client"].to_numpy()
        text = spelled[top["category"].to_numpy()]
        out[at] = text if k == 0 else out[at] + ", " + text
    return pd.Series(out)


def _offer_products(manager: pd.Series, category: np.ndarray, categories: pd.Index,
                    products: dict[tuple[str | None, str], list[str]]) -> pd.Series:
    """The products named in each offer: the manager's main products of the category, else the
    company's; one tuple per distinct (manager, category), shared by its offers."""
    manager_code, managers = pd.factorize(manager)
    pair, pairs = pd.factorize(pd.Series(manager_code.astype(np.int64) * len(categories) + category))
    named = np.empty(len(pairs), dtype=object)
    for i, code in enumerate(pairs):
        m, k = divmod(int(code), len(categories))
        key = categories[k]
        found = (products.get((managers[m], key)) if m >= 0 else None) or products.get((None, key), [])
        named[i] = tuple(found)
    return pd.Series(named[pair], dtype=object)


#: Rows of candidates made Python values at a time by :func:`pick_offers`.
_RECORD_BLOCK = 256


def pick_offers(candidates_: pd.DataFrame, volume_to_place: float, capacity: float,
                lines: Callable[[Any], float] | None = None) -> tuple[pd.DataFrame, int]:
    """The offers for one manager's page; returns (offers, candidates left out).

    The page should place as much of ``volume_to_place`` as it holds, spread over clients: offers
    are taken largest first, at most ``ceil(capacity / clients)`` (and at least 2) per client, until
    their sum reaches the volume or the page's ``capacity`` lines are used; when room is left, a
    second pass lifts the per-client cap (nothing else qualifies). ``lines(record)``: how many of the
    page's rows an offer takes (1 each by default; a wrapped name takes more). The offers are listed
    regular clients first, then by the client's W turnover, each client's offers together, largest
    first.

    =======  ======  ==========================  ====================================
    client   offers  capacity 4, volume 10**9    picked
    =======  ======  ==========================  ====================================
    А        9, 8, 7  cap = max(2, ceil(4/2)) = 2  А 9, А 8, Б 6, Б 5 (not А 7: its cap)
    Б        6, 5
    =======  ======  ==========================  ====================================
    """
    lines = lines or (lambda record: 1.0)
    # The order of the candidates, largest first, as positions: the sort looks at its keys only,
    # and the other columns are taken in that order only where the loop reads them.
    keys = ["volume", "regular", "client_turnover", "client", "offer_category"]
    order = candidates_[keys].reset_index(drop=True).sort_values(
        keys, ascending=[False, False, False, True, True]).index.to_numpy()
    n_clients = max(candidates_["client"].nunique(), 1)
    cap = max(2, math.ceil(capacity / n_clients))
    # A record is made only for an offer the loop reaches, and the loop ends once the page has no
    # room for one more line (every offer takes at least one): its cost follows the page, not the
    # number of candidates. So the columns become Python values a block of rows at a time, as the
    # loop first reaches the block (a manager of 100 000 clients has some 12 000 candidates).
    clients = candidates_["client"].iloc[order].tolist()
    volumes = candidates_["volume"].iloc[order].tolist()
    blocks: dict[int, dict[str, list[Any]]] = {}

    def record_at(i: int) -> dict[str, Any]:
        block, at = divmod(i, _RECORD_BLOCK)
        if block not in blocks:
            part = candidates_.iloc[order[block * _RECORD_BLOCK:(block + 1) * _RECORD_BLOCK]]
            blocks[block] = {name: part[name].tolist() for name in part.columns}
        return {name: values[at] for name, values in blocks[block].items()}
    picked: set[int] = set()
    taken: dict[str, int] = {}
    needs: dict[int, float] = {}  # an offer measured in the first pass is not measured again
    used, total = 0.0, 0.0
    for limit in (cap, len(order)):
        for i, client in enumerate(clients):
            if total >= volume_to_place or capacity - used < 1.0:
                break
            if i in picked or taken.get(client, 0) >= limit:
                continue
            need = needs.get(i)
            if need is None:
                need = needs[i] = max(1.0, float(lines(record_at(i))))
            if used + need > capacity:
                continue
            picked.add(i)
            taken[client] = taken.get(client, 0) + 1
            used += need
            total += volumes[i]
    chosen = candidates_.iloc[order[sorted(picked)]]
    chosen = chosen.sort_values(["regular", "client_turnover", "client", "volume", "offer_category"],
                                ascending=[False, False, True, False, True])
    return chosen.reset_index(drop=True), len(order) - len(picked)


def _top(share_of: dict[str, float], minimal_share: float, n: int = 3) -> list[str]:
    ranked = sorted(((s, c) for c, s in share_of.items() if s > minimal_share), reverse=True)
    return [c for _, c in ranked[:n]]


#: Familiar goods: at most this many alternatives, and an alternative of more orders than this is
#: shown only when no category of the page gives fewer.
FAMILIAR_MAX = 3
FAMILIAR_MAX_ORDERS = 20


def typical_orders(sales: pd.DataFrame, owners: pd.Series, codes: LineCodes | None = None) -> pd.DataFrame:
    """The median amount of one order of each category in W, per manager and company-wide.

    ``sales``: the sale lines of W (client, category, amount, and order and date when known). An
    order is the lines of one category under one order number (without one: one client on one day).
    Columns: manager (None: company-wide), category (normalised), order_amount, orders.
    ``codes``: :func:`line_codes` of ``sales`` and ``owners``, when the caller has them.
    """
    bought = (sales["amount"] > 0).to_numpy()
    if not bought.any():
        return pd.DataFrame(columns=["manager", "category", "order_amount", "orders"])
    amount = sales["amount"].to_numpy(dtype="float64")[bought]
    codes = codes or line_codes(sales, owners)
    client = codes.client[bought]  # a line without a client: -1, no order
    category, categories = _folded_codes(codes.category[bought], codes.categories)
    # An order's key as integer codes: its number's, or (no number) its day's after every number's.
    # A missing number, or a missing day where there is no number, makes no order (as a key that is
    # missing makes no group).
    order = sales["order"][bought].astype(str) if "order" in sales else pd.Series("", index=range(len(amount)))
    unnumbered = (order == "").to_numpy()
    key, numbers = pd.factorize(order)
    if unnumbered.any():
        day = (pd.factorize(sales["date"][bought][unnumbered])[0] if "date" in sales
               else np.zeros(int(unnumbered.sum()), dtype=np.intp))
        key[unnumbered] = np.where(day >= 0, len(numbers) + day, -1)
    known = (client >= 0) & (key >= 0)
    n_categories, n_keys = max(len(categories), 1), max(int(key.max()) + 1, 1)
    group = (client[known].astype(np.int64) * n_categories + category[known]) * n_keys + key[known]
    summed = pd.Series(amount[known]).groupby(group, sort=False).sum()
    order_client = summed.index.to_numpy() // (n_categories * n_keys)
    order_category = summed.index.to_numpy() // n_keys % n_categories
    manager_of, managers = _owner_codes(codes)
    order_manager = manager_of[order_client]
    amounts = pd.Series(summed.to_numpy())
    names = pd.Series(categories, dtype=sales["category"].dtype)
    company = amounts.groupby(order_category).agg(["median", "size"])
    company = pd.DataFrame({"manager": None, "category": names.take(company.index.to_numpy()).array,
                            "median": company["median"].to_numpy(), "size": company["size"].to_numpy()})
    mine = order_manager < len(managers)
    per_manager = amounts[mine].groupby(order_manager[mine] * n_categories + order_category[mine]).agg(
        ["median", "size"])
    pair = per_manager.index.to_numpy()
    per_manager = pd.DataFrame({"manager": managers.take(pair // n_categories).array,
                                "category": names.take(pair % n_categories).array,
                                "median": per_manager["median"].to_numpy(), "size": per_manager["size"].to_numpy()})
    out = pd.concat([per_manager, company], ignore_index=True)
    return out.rename(columns={"median": "order_amount", "size": "orders"})


def familiar_goods(amount: float, categories: list[str], orders: pd.DataFrame, manager: str,
                   names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The 3A amount as a few typical orders of the page's categories: alternatives, each worth
    ``amount`` (seed: «1 шт шлагбаума G4000 / 3х штук … / 5 комплектов видеодомофонов»).

    ``categories``: the page's offered categories, most volume first. A unit is the median amount of
    one order of the category in W among the manager's clients, company-wide when they have none
    (:func:`typical_orders`); the number is ``round(amount / unit)``, at least 1. Up to
    :data:`FAMILIAR_MAX`, those of at most :data:`FAMILIAR_MAX_ORDERS` orders first, fewest orders
    first. Each: category (as spelled), orders, order_amount.

    =============  =================  =============  ================
    3A amount      category           median order   orders
    =============  =================  =============  ================
    120 000        СКУД               40 000         3
    120 000        Домофоны           24 000         5
    =============  =================  =============  ================
    """
    if amount <= 0 or orders.empty:
        return []
    names = names or {}
    mine = orders[orders["manager"] == manager].set_index("category")["order_amount"]
    company = orders[orders["manager"].isna()].set_index("category")["order_amount"]
    found: list[dict[str, Any]] = []
    for category in dict.fromkeys(norm(c) for c in categories):
        unit = mine.get(category)
        if unit is None or not unit > 0:
            unit = company.get(category)
        if unit is None or not unit > 0:
            continue
        count = max(1, round(amount / float(unit)))
        found.append({"category": names.get(category, category), "orders": int(count),
                      "order_amount": float(unit)})
    small = [f for f in found if f["orders"] <= FAMILIAR_MAX_ORDERS]
    chosen = small if small else found
    return sorted(chosen, key=lambda f: f["orders"])[:FAMILIAR_MAX]


def key_clients(shares: pd.DataFrame, manager: str, window: int, n: int, minimal_share: float) -> pd.DataFrame:
    """The manager's biggest clients by W turnover: client, turnover (monthly average), buys."""
    found = key_clients_by_manager(shares[shares["manager"] == manager], window, n, minimal_share).get(manager)
    return found if found is not None else pd.DataFrame(columns=["client", "turnover", "buys", "wishes"])


def key_clients_by_manager(shares: pd.DataFrame, window: int, n: int, minimal_share: float) -> dict[str, pd.DataFrame]:
    """:func:`key_clients` of every manager of ``shares`` at once: manager -> his key clients (a
    manager without a row is not named).

    The shares' clients are hashed once, not once per manager; each manager's clients are still
    ranked by one sort of their own (the same order, ties included, as :func:`key_clients`).
    """
    if shares.empty:
        return {}
    client, clients = pd.factorize(shares["client"], sort=True)  # groupby("client")'s order
    first = np.unique(client, return_index=True)[1]  # each client's first row
    turnover = shares["client_turnover"].to_numpy(dtype="float64")[first]
    manager, managers = pd.factorize(shares["manager"].iloc[first])
    by_manager = np.argsort(manager, kind="stable")  # each manager's clients by name
    starts = np.searchsorted(manager[by_manager], np.arange(len(managers) + 1))
    top = {m: by_manager[starts[m]:starts[m + 1]][
        pd.Series(turnover[by_manager[starts[m]:starts[m + 1]]]).sort_values(ascending=False).head(n).index]
        for m in range(len(managers))}
    # The key clients' rows, taken once for all managers.
    wanted = np.zeros(len(clients), dtype=bool)
    for codes in top.values():
        wanted[codes] = True
    rows = np.flatnonzero(wanted[client])
    share_of: dict[int, dict[Any, float]] = {}
    for code, category, share in zip(client[rows].tolist(), shares["category"].iloc[rows], shares["share"].iloc[rows]):
        share_of.setdefault(code, {})[category] = share
    out = {}
    for m, codes in top.items():
        out[str(managers[m])] = pd.DataFrame([
            {"client": clients[code], "turnover": turnover[code] / window,
             "buys": ", ".join(_top(share_of[code], minimal_share)), "wishes": ""} for code in codes.tolist()])
    return out


def unmatched_categories(named: Iterable[tuple[Any, str]], ledger_categories: Iterable[str],
                         ) -> list[tuple[Any, str, list[str]]]:
    """The category names of the Config and Catalog tabs that match no category of the ledger.

    ``named``: (where, name as typed) pairs; names are compared with :func:`~salesplan.words.fold`.
    Returns (where, name, up to three similar ledger categories as the ledger spells them) per name
    that matches none, in the order given. A ledger without categories matches nothing and reports
    nothing (it has no cross-selling to check).

    ========================  ======================  ==========================
    named                     ledger categories       result
    ========================  ======================  ==========================
    Камеры видеонаблюдения    Камеры, Кабель          (…, Камеры видеонаблюдения, [Камеры])
    скуд                      СКУД                    nothing: matches
    ========================  ======================  ==========================
    """
    spelled = {norm(c): str(c) for c in ledger_categories if norm(c)}
    if not spelled:
        return []
    out = []
    for where, name in named:
        if norm(name) and norm(name) not in spelled:
            out.append((where, name, similar(name, list(spelled.values()))))
    return out
