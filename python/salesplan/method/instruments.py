"""The content of each manager's two A4 sheets, from the month's plan.

Stated in ``docs/method.md#3a-and-instrument-1`` and ``docs/method.md#instrument-2``.

Instrument #1 (3A): the 3A figure, the volume to place (× ``offer_multiplier``), the offers on the
page, their sum and the shortfall, the 3A amount in typical orders of familiar goods, and the key
clients. Instrument #2:
the catalog items for the manager. ``capacity`` is how many table rows fit on the page; it comes
from the template, so a restyled template with bigger rows simply gets fewer rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..errors import Problem
from ..inputs.instrument2 import Instrument2Sheet
from ..inputs.shapes import CrossSellRule
from ..words import company_key
from ..words import fold as norm
from . import catalog as catalog_rules
from . import crosssell
from .plan import MonthPlan
from .turnover import window_months

#: Key clients on Instrument #1: at most this many, and room for at least this many beside the offers.
KEY_CLIENTS_MAX = 8
KEY_CLIENTS_MIN = 3


#: What either instrument reads of a sale line.
_WINDOW_COLUMNS = ("client", "category", "brand", "product", "quantity", "amount", "kind", "month", "order",
                   "date")
#: What each reads: Instrument #1 (shares, main products, typical orders) and #2 (the catalog's
#: totals by category and brand). Each copies only its own: a long history's window is a million
#: lines, and a text column of them costs its copy.
_INSTRUMENT1_COLUMNS = ("client", "category", "product", "quantity", "amount", "kind", "month", "order", "date")
_INSTRUMENT2_COLUMNS = ("client", "category", "brand", "amount", "kind", "month")


def window_sales(ledger: pd.DataFrame, plan: MonthPlan, columns: tuple[str, ...] = _WINDOW_COLUMNS) -> pd.DataFrame:
    """The sale lines of W (the months before the plan month), the only lines the instruments read
    (``columns`` of them, those the ledger has).

    Taken once for all their steps, each of which looks at W alone, rather than copying every
    line up to the plan month (a million-row ledger, whole).
    """
    months = window_months(plan.plan_month, plan.params["window_months"])
    in_window = (ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1)
    return ledger.loc[in_window, [c for c in columns if c in ledger]]


@dataclass(frozen=True)
class Instrument1:
    """One manager's Instrument #1, as printed on its page and on the Plan tab.

    Attributes:
        existing_clients_plan: 3A.
        volume_to_place: 3A × ``offer_multiplier``.
        offers: the offers on the page (crosssell.OFFER_COLUMNS), regular clients first.
        offered_total: the sum of their volumes.
        shortfall: ``max(0, volume_to_place - offered_total)``.
        candidates_total: the sum of every candidate's volume, on the page or not.
        offers_left_out: candidates that are not on the page; ``left_out_total`` their volume.
        familiar_goods: the 3A amount as typical orders (crosssell.familiar_goods), alternatives.
        audience: who the offers go to: ``regular``, ``mixed`` (regular and one-time), ``one_time``,
            or ``none`` (no offer).
        key_clients: client, turnover, buys, wishes (the open ones, from the Wishes tab).
        key_clients_left_out: key clients that did not fit on the page.
        threshold_hint: when there is a shortfall and another ``minimal_share`` (twice or half the
            Config's) gives this manager more candidates: {minimal_share, candidates_total}.
    """

    manager: str
    existing_clients_plan: float
    volume_to_place: float
    offers: pd.DataFrame
    offered_total: float
    shortfall: float
    candidates_total: float
    offers_left_out: int
    left_out_total: float
    familiar_goods: list[dict[str, Any]]
    audience: str
    key_clients: pd.DataFrame
    key_clients_left_out: int = 0
    threshold_hint: dict[str, float] | None = None

    @property
    def left_out_would_close(self) -> bool:
        """Whether the candidates left off the page would close the shortfall (then, and only then,
        the page says how many did not fit)."""
        return self.shortfall > 0 and self.offers_left_out > 0 and self.candidates_total >= self.volume_to_place


@dataclass(frozen=True)
class Instrument2:
    """A manager's Instrument #2 page.

    Attributes:
        items: the page's lines (:data:`catalog.ITEM_COLUMNS`), the catalog's most relevant first,
            then the manager's own lines: section, item, brand, category, clients (a list of
            names), own (a line he added), edited (his line, or an item whose clients he wrote).
        left_out: catalog items that did not fit on the page.
        struck: the items he struck (kept on the sheet, hidden, so they stay struck).
        sheet: the tab his edits were read from when he renamed it (the page keeps that name).
    """

    manager: str
    items: pd.DataFrame
    left_out: int
    struck: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=catalog_rules.ITEM_COLUMNS))
    sheet: str | None = None

    def listed(self) -> list[dict[str, Any]]:
        """The page's lines as plain values: section (new, promo, motivation, clearance), item,
        brand, category, clients, own, edited — for ``--json``."""
        return [{"section": catalog_rules.SECTION_NAMES.get(r["section"], r["section"]), "item": r["item"],
                 "brand": r["brand"], "category": r["category"], "clients": list(r["clients"]),
                 "own": bool(r["own"]), "edited": bool(r["edited"])}
                for r in self.items.to_dict("records")]


def instrument1(plan: MonthPlan, ledger: pd.DataFrame, rules: list[CrossSellRule],
                exclusions: pd.DataFrame, capacity: int,
                wishes: pd.DataFrame | None = None, catalog: pd.DataFrame | None = None,
                offer_lines: Callable[[Any], float] | None = None,
                key_client_lines: Callable[[Any], float] | None = None) -> dict[str, Instrument1]:
    """Instrument #1's content for every manager of the plan.

    ``capacity``: the lines the page's tables hold together; ``offer_lines`` and
    ``key_client_lines`` say how many lines one record of each takes (one by default: a
    template whose cells wrap makes a long name take two). ``wishes``: the Wishes tab (client,
    what, status); a key client's open wishes are pre-written in its «Что ещё привезти?» cell, so
    the manager sees what was already asked. ``catalog``: the Catalog tab; the current promotions
    of a category are named first in its offers.
    """
    params = plan.params
    asked = open_wishes(wishes)
    window = params["window_months"]
    ledger = window_sales(ledger, plan, _INSTRUMENT1_COLUMNS)
    codes = crosssell.line_codes(ledger, plan.owners)  # hashed and looked up once for the steps below
    shares = crosssell.category_shares(ledger, plan.owners, plan.plan_month, window, codes)
    promotions = current_promotions(catalog, plan.plan_month)
    products = crosssell.main_products(ledger, plan.owners, promotions, codes=codes)
    regular = set(plan.regular["client"])
    by_code = crosssell.baskets(shares)  # for the candidates at the Config's minimal share and the hint's
    all_candidates = crosssell.candidates(shares, rules, exclusions, params["minimal_share"], window, products,
                                          regular=regular, by_code=by_code)
    orders = crosssell.typical_orders(ledger, plan.owners, codes)
    other_shares: dict[float, pd.Series] = {}  # what-if totals by manager, worked out when needed
    names = {norm(c): str(c) for c in shares["category"].unique()}
    out: dict[str, Instrument1] = {}
    key_clients = crosssell.key_clients_by_manager(shares, window, KEY_CLIENTS_MAX, params["minimal_share"])
    no_key_clients = pd.DataFrame(columns=["client", "turnover", "buys", "wishes"])
    # Each manager's candidates, split once rather than found by comparing every row's manager per manager.
    candidates_of = dict(iter(all_candidates.groupby("manager", sort=False)))
    row: Any  # a Plan tab row (pandas types its cells loosely)
    for row in plan.summary.itertuples(index=False):
        manager = str(row.manager)
        key = key_clients.get(manager, no_key_clients)
        key = key.assign(wishes=[asked.get(company_key(client), "") for client in key["client"]])
        # The offers come first: they get the page but the rows of KEY_CLIENTS_MIN key clients (an
        # empty table still takes a row for its "none" line); the key clients then get what is left.
        reserve = max(sum(_lines_of(key_client_lines, r) for r in key.head(KEY_CLIENTS_MIN).to_dict("records")),
                      1.0)
        three_a = float(row.existing_clients_plan)
        volume = three_a * params["offer_multiplier"]
        mine = candidates_of.get(manager, all_candidates.iloc[:0])
        offers, left_out = crosssell.pick_offers(mine, volume, max(capacity - reserve, 1.0), offer_lines)
        used = max(sum(_lines_of(offer_lines, r) for r in offers.to_dict("records")), 1.0)
        key, key_left_out = _fit_lines(key, max(capacity - used, 1.0), key_client_lines)
        offered = float(offers["volume"].sum())
        candidates_total = float(mine["volume"].sum())
        categories = list(offers.groupby("offer_category", sort=False)["volume"].sum()
                          .sort_values(ascending=False).index)
        goods = crosssell.familiar_goods(three_a, categories, orders, manager, names)
        hint = None
        if candidates_total < volume:
            if not other_shares:
                for share in (min(1.0, params["minimal_share"] * 2), params["minimal_share"] / 2):
                    other_shares[share] = crosssell.candidate_volumes(shares, rules, exclusions, share, window,
                                                                      by_code)
            best = max(other_shares, key=lambda share: (float(other_shares[share].get(manager, 0.0)), -share))
            best_total = float(other_shares[best].get(manager, 0.0))
            if best_total > candidates_total * 1.05 and best != params["minimal_share"]:
                hint = {"minimal_share": best, "candidates_total": best_total}
        out[manager] = Instrument1(
            manager, three_a, volume, offers, offered, max(0.0, volume - offered), candidates_total, left_out,
            candidates_total - offered, goods, _audience(offers), key, key_left_out, hint)
    return out


def _audience(offers: pd.DataFrame) -> str:
    if offers.empty:
        return "none"
    regular = offers.drop_duplicates("client")["regular"]
    return "regular" if regular.all() else "one_time" if not regular.any() else "mixed"


def _lines_of(lines: Callable[[Any], float] | None, record: Any) -> float:
    return 1.0 if lines is None else max(1.0, float(lines(record)))


def _fit_lines(frame: pd.DataFrame, budget: float,
               lines: Callable[[Any], float] | None) -> tuple[pd.DataFrame, int]:
    """The first rows of ``frame`` that fit in ``budget`` lines, and how many did not."""
    used, keep = 0.0, 0
    for record in frame.to_dict("records"):
        need = _lines_of(lines, record)
        if used + need > budget:
            break
        used, keep = used + need, keep + 1
    return frame.head(keep).reset_index(drop=True), len(frame) - keep


def current_promotions(catalog: pd.DataFrame | None, plan_month: int) -> dict[str, list[str]]:
    """Normalised category -> the items of the catalog's promotions valid in the plan month."""
    if catalog is None or catalog.empty:
        return {}
    valid = catalog_rules.valid_items(catalog, plan_month)
    promo = valid[valid["section"] == "promo"]
    out: dict[str, list[str]] = {}
    for category, item in zip(promo["category"], promo["item"]):
        if norm(category):
            out.setdefault(norm(category), []).append(str(item))
    return out


#: Wish statuses that close a wish (delivered, declined), in both languages.
CLOSED_WISHES = {"привезли", "отказались", "in stock", "declined"}


def open_wishes(wishes: pd.DataFrame | None) -> dict[str, str]:
    """client key -> its wishes not yet delivered or declined, joined with «; »."""
    if wishes is None or wishes.empty:
        return {}
    out: dict[str, list[str]] = {}
    for client, what, status in zip(wishes["client"], wishes["what"], wishes["status"]):
        if str(status).strip().casefold() not in CLOSED_WISHES and str(what).strip():
            out.setdefault(company_key(client), []).append(str(what).strip())
    return {k: "; ".join(v) for k, v in out.items()}


def instrument2(plan: MonthPlan, ledger: pd.DataFrame, catalog: pd.DataFrame, exclusions: pd.DataFrame,
                room: int | catalog_rules.PageRoom, sheets: Mapping[str, Instrument2Sheet] | None = None,
                known_clients: Iterable[str] = ()) -> tuple[dict[str, Instrument2], list[Problem]]:
    """Instrument #2's content for every manager of the plan, with his edits kept.

    Args:
        room: how much the page holds (:class:`catalog.PageRoom`, or a number of one-line rows).
        sheets: manager -> his sheet as it was (:func:`salesplan.inputs.instrument2.read_instrument2`).
        known_clients: every client there is, beyond the ledger's (the Clients table): a client he
            names that is in neither is a problem.
    Returns:
        (the pages by manager, the problems of his edits).
    """
    window = plan.params["window_months"]
    everyone = ledger["client"]
    names: dict[str, str] | None = None  # worked out for the first page with the manager's edits
    ledger = window_sales(ledger, plan, _INSTRUMENT2_COLUMNS)
    sheets = sheets or {}
    out = {}
    problems: list[Problem] = []
    for manager in plan.summary["manager"]:
        items = catalog_rules.manager_items(catalog, ledger, plan.owners, manager, plan.plan_month, window,
                                            exclusions)
        struck = items.iloc[:0]
        sheet = sheets.get(manager)
        if sheet is not None:
            if names is None:
                names = catalog_rules.client_names(set(everyone.unique()) | set(known_clients))
            items, struck, found = catalog_rules.apply_edits(items, sheet.edits, names, sheet.name,
                                                             sheet.clients_column)
            problems += [replace(p, fields={**p.fields, "manager": manager}) for p in found]
        kept, left_out = catalog_rules.fit_items(items, room)
        out[manager] = Instrument2(manager, kept, left_out, struck, sheet.name if sheet is not None else None)
    return out, problems
