"""The content of each manager's two A4 sheets, from the month's plan.

Stated in ``docs/method.md#3a-and-instrument-1`` and ``docs/method.md#instrument-2``.

Instrument #1 (3A): the 3A figure, the volume to place (× ``offer_multiplier``), the figure in units
of familiar products, the offers picked largest clients first, and the key clients. Instrument #2:
the catalog items for the manager. ``capacity`` is how many table rows fit on the page; it comes
from the template, so a restyled template with bigger rows simply gets fewer rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..errors import Problem
from ..inputs.instrument2 import Instrument2Sheet
from ..inputs.shapes import CrossSellRule
from ..words import company_key
from . import catalog as catalog_rules
from . import crosssell
from .plan import MonthPlan
from .turnover import window_months

#: Key clients on Instrument #1: at most this many, and at most a third of the page.
KEY_CLIENTS_MAX = 8


#: What either instrument reads of a sale line.
_WINDOW_COLUMNS = ("client", "category", "brand", "product", "quantity", "amount", "kind", "month")


def window_sales(ledger: pd.DataFrame, plan: MonthPlan) -> pd.DataFrame:
    """The sale lines of W (the months before the plan month), the only lines the instruments read.

    Taken once for all their steps, each of which looks at W alone, rather than copying every
    line up to the plan month (a million-row ledger, whole).
    """
    months = window_months(plan.plan_month, plan.params["window_months"])
    in_window = (ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1)
    return ledger.loc[in_window, [c for c in _WINDOW_COLUMNS if c in ledger]]


@dataclass(frozen=True)
class Instrument1:
    manager: str
    existing_clients_plan: float
    offer_volume: float
    units_text: str
    offers: pd.DataFrame        # crosssell.OFFER_COLUMNS
    offers_left_out: int        # candidates that did not fit on the page
    offers_total: float         # the sum of the picked offers' volumes
    key_clients: pd.DataFrame   # client, turnover, buys, wishes (the open ones, from the Wishes tab)


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
                wishes: pd.DataFrame | None = None) -> dict[str, Instrument1]:
    """Instrument #1's content for every manager of the plan.

    ``wishes``: the Wishes tab (client, what, status); a key client's open wishes are pre-written in
    its «Что ещё привезти?» cell, so the manager sees what was already asked.
    """
    params = plan.params
    asked = open_wishes(wishes)
    window = params["window_months"]
    ledger = window_sales(ledger, plan)
    shares = crosssell.category_shares(ledger, plan.owners, plan.plan_month, window)
    products = crosssell.best_sellers(ledger, plan.plan_month, window)
    all_candidates = crosssell.candidates(shares, rules, exclusions, params["minimal_share"], window, products)
    sellers = crosssell.manager_best_sellers(ledger, plan.owners, plan.plan_month, window)
    out: dict[str, Instrument1] = {}
    row: Any  # a Plan tab row (pandas types its cells loosely)
    for row in plan.summary.itertuples(index=False):
        manager = str(row.manager)
        n_clients = shares.loc[shares["manager"] == manager, "client"].nunique()
        n_key = min(KEY_CLIENTS_MAX, n_clients, max(capacity // 3, 1))
        key = crosssell.key_clients(shares, manager, window, n_key, params["minimal_share"])
        key = key.assign(wishes=[asked.get(company_key(client), "") for client in key["client"]])
        volume = float(row.existing_clients_plan) * params["offer_multiplier"]
        mine = all_candidates[all_candidates["manager"] == manager]
        # An empty key-client table still takes a row for its "none" line.
        offers, left_out = crosssell.pick_offers(mine, volume, max(capacity - max(len(key), 1), 1))
        units = crosssell.units_text(float(row.existing_clients_plan), sellers[sellers["manager"] == manager])
        out[manager] = Instrument1(manager, float(row.existing_clients_plan), volume, units, offers, left_out,
                                   float(offers["volume"].sum()), key)
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
    names = catalog_rules.client_names(set(ledger["client"].unique()) | set(known_clients))
    ledger = window_sales(ledger, plan)
    sheets = sheets or {}
    out = {}
    problems: list[Problem] = []
    for manager in plan.summary["manager"]:
        items = catalog_rules.manager_items(catalog, ledger, plan.owners, manager, plan.plan_month, window,
                                            exclusions)
        struck = items.iloc[:0]
        sheet = sheets.get(manager)
        if sheet is not None:
            items, struck, found = catalog_rules.apply_edits(items, sheet.edits, names, sheet.name,
                                                             sheet.clients_column)
            problems += [replace(p, fields={**p.fields, "manager": manager}) for p in found]
        kept, left_out = catalog_rules.fit_items(items, room)
        out[manager] = Instrument2(manager, kept, left_out, struck, sheet.name if sheet is not None else None)
    return out, problems
