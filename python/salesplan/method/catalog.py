"""Instrument #2: new products, promotions, motivation brands, clearance — per manager (seed 3.1.2).

Stated in ``docs/method.md#instrument-2``.

Items come from the Catalog tab. Only items valid in the plan month are shown. For each manager
they are ordered by how much that manager's clients bought of the item's category in the window W
(an item without a category: of its brand), each with up to three of the manager's clients that buy
the most of it.

A motivation brand is a *switch*: it is offered to the clients who buy its category from other
brands, never to a client who bought the brand itself in W, and it ranks by what those clients buy
of the category from the others. A motivation brand without a category stands for the categories
the brand sells in (in anyone's sales of W).

Example, manager's clients bought in W: cameras 900 000 (Hikvision 800 000 from А and Б, Dahua
100 000 from В), cable 100 000. Catalog: a camera novelty, a cable promo, Hikvision as a motivation
brand → the novelty ranks 900 000 (offered to А, Б, В), Hikvision 100 000 (offered to В only: А and Б
already buy it), the cable 100 000.

The page is one A4 sheet, and a client is on it at most twice (:func:`spread_clients`), unless the
manager has so few clients that the page could not otherwise name someone for each item. When the
items do not fit, the manager's own lines and the items whose clients he changed stay, then every
section keeps its most relevant item while there is room, then the most relevant of the rest; the
sheet says how many were left out (:func:`fit_items`).

The manager's edits (:func:`apply_edits`), read back from his sheet before it is rebuilt: an item he
struck stays struck (kept on the sheet, hidden), his own lines stay, and the clients he wrote for an
item replace the program's.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from ..errors import Problem
from ..wordcolumns import company_keys, isin, lookup, without_legal_forms
from ..words import company_key
from ..words import fold as norm
from .turnover import window_months

SECTIONS = ("new", "promo", "brands", "sale")
#: The sections as ``--json`` and the README name them.
SECTION_NAMES = {"new": "new", "promo": "promo", "brands": "motivation", "sale": "clearance"}
#: An item of the page. ``candidates``: every client it could be offered to, best first; ``clients``:
#: those the page names; ``clients_text``: what the manager typed instead (None: the program's
#: choice); ``own``: a line the manager added; ``edited``: an item whose clients he changed;
#: ``key``: the catalog item it is (empty for his own lines).
ITEM_COLUMNS = ["section", "item", "brand", "category", "price", "valid_until", "note", "clients", "relevance",
                "candidates", "clients_text", "own", "edited", "key"]

#: Clients named for one item.
CLIENTS_PER_ITEM = 3
#: How many times a client may be named on the page when there are clients enough.
CLIENT_AT_MOST = 2


def valid_items(catalog: pd.DataFrame, plan_month: int) -> pd.DataFrame:
    """Catalog rows valid at some day of the plan month (empty dates are open-ended)."""
    start, end = _month_bounds(plan_month)
    ok = (catalog["valid_from"].isna() | (catalog["valid_from"] <= end)) & (
        catalog["valid_until"].isna() | (catalog["valid_until"] >= start))
    return catalog[ok]


def _month_bounds(plan_month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    from ..months import first_day

    start = pd.Timestamp(first_day(plan_month))
    return start, pd.Timestamp(first_day(plan_month + 1)) - pd.Timedelta(days=1)


def catalog_problems(catalog: pd.DataFrame, plan_month: int, sheet: str, headers: Mapping[str, str]) -> list[Problem]:
    """Catalog rows a supervisor should look at: a motivation brand or any item without a brand (the
    switch needs the brand; the manager needs to know whose product it is), an item whose last day is
    before the plan month (it is left out of the sheet). ``headers``: field -> the tab's column title."""
    start, _ = _month_bounds(plan_month)
    out = []
    row: Any  # a Catalog row (pandas types its cells loosely)
    for row in catalog.itertuples(index=False):
        if not row.brand:
            out.append(Problem(sheet, int(row.row), headers.get("brand", ""), "", "prob.catalog_no_brand",
                               {"value": row.item}))
        if not pd.isna(row.valid_until) and row.valid_until < start:
            out.append(Problem(sheet, int(row.row), headers.get("valid_until", ""),
                               row.valid_until.strftime("%d.%m.%Y"), "prob.catalog_expired", {"item": row.item}))
    return out


def manager_items(catalog: pd.DataFrame, ledger: pd.DataFrame, owners: pd.Series, manager: str,
                  plan_month: int, window: int, exclusions: pd.DataFrame | None = None,
                  clients_per_item: int = CLIENTS_PER_ITEM) -> pd.DataFrame:
    """The manager's valid catalog items, most relevant first, with the clients to offer them to
    (``candidates``: all of them; ``clients``: the first ``clients_per_item``, before spreading)."""
    items = valid_items(catalog, plan_month)
    if items.empty:  # nothing to offer: the window's sales need not be summed at all
        return pd.DataFrame([], columns=ITEM_COLUMNS).sort_values(
            ["relevance", "item"], ascending=[False, True], kind="stable").reset_index(drop=True)
    totals = _window_totals(ledger, owners, plan_month, window)
    mine = totals.by_manager.get(manager, _Sales(_NO_SALES))
    excluded = set()
    if exclusions is not None:
        excluded = {(r.client, r.category) for r in exclusions.itertuples(index=False)}

    rows = []
    for item in items.itertuples(index=False):
        category, brand = norm(item.category), norm(item.brand)
        if item.section == "brands" and brand:
            categories = {category} if category else totals.brand_categories.get(brand, set())
            ranked, relevance = mine.ranked("switch", (frozenset(categories), brand))
        elif category:
            ranked, relevance = mine.ranked("category", category)
        else:
            ranked, relevance = mine.ranked("brand", brand) if brand else ([], 0.0)
        clients = [c for c in ranked if (c, "*") not in excluded and (c, category) not in excluded]
        rows.append({"section": item.section, "item": item.item, "brand": item.brand, "category": item.category,
                     "price": item.price, "valid_until": item.valid_until, "note": item.note,
                     "clients": clients[:clients_per_item], "relevance": relevance,
                     "candidates": clients, "clients_text": None, "own": False, "edited": False,
                     "key": item.item})
    frame = pd.DataFrame(rows, columns=ITEM_COLUMNS)
    return frame.sort_values(["relevance", "item"], ascending=[False, True], kind="stable").reset_index(drop=True)


_NO_SALES = pd.DataFrame({"category_key": pd.Series(dtype=object), "brand_key": pd.Series(dtype=object),
                          "client": pd.Series(dtype=object), "amount": pd.Series(dtype="float64")})


class _Sales:
    """One manager's window sales summed by category, brand and client (normalised names), split by
    category and by brand once, so that each catalog item is a look-up."""

    def __init__(self, sales: pd.DataFrame) -> None:
        self.by_category = {str(k): g for k, g in sales.groupby("category_key", sort=False)}
        self.by_brand = {str(k): g for k, g in sales[sales["brand_key"] != ""].groupby("brand_key", sort=False)}

        self._ranked: dict[tuple[str, Any], tuple[list[str], float]] = {}

    def ranked(self, kind: str, key: Any) -> tuple[list[str], float]:
        """(the clients who bought, biggest first, the ties by name; the sum bought) of a category,
        a brand, or a switch (``key``: categories and the brand); each worked out once."""
        found = self._ranked.get((kind, key))
        if found is None:
            rows = (self.by_category.get(key, _NO_SALES) if kind == "category" else
                    self.by_brand.get(key, _NO_SALES) if kind == "brand" else self._switch(*key))
            per_client = rows.groupby("client", sort=False)["amount"].sum()
            per_client = per_client[per_client > 0]
            order = per_client.rename("amount").rename_axis("client").reset_index().sort_values(
                ["amount", "client"], ascending=[False, True], kind="stable")
            found = self._ranked[kind, key] = ([str(c) for c in order["client"].tolist()],
                                               float(rows["amount"].sum()))
        return found

    def _switch(self, categories: frozenset[str], brand: str) -> pd.DataFrame:
        """The sales of ``categories`` under other brands, to clients who bought none of ``brand``."""
        frames = [self.by_category[c] for c in sorted(categories) if c in self.by_category]
        if not frames:
            return _NO_SALES
        rows = pd.concat(frames) if len(frames) > 1 else frames[0]
        buyers: pd.Series | list[str] = self.by_brand[brand]["client"] if brand in self.by_brand else []
        return rows[(rows["brand_key"] != brand) & ~isin(rows["client"], buyers)]


@dataclass
class _Totals:
    """Every manager's window sales (:class:`_Sales`), and the categories each brand sells in."""

    by_manager: dict[str, _Sales]
    brand_categories: dict[str, set[str]]
#: The last ledger's totals: Instrument #2 asks for every manager of one plan in turn.
_cache: tuple[Any, Any, tuple[int, int], _Totals] | None = None


def _window_totals(ledger: pd.DataFrame, owners: pd.Series, plan_month: int, window: int) -> _Totals:
    """The sales of W by manager (the client's owner), category, brand and client, computed once per
    ledger for all managers."""
    global _cache
    if _cache is not None and _cache[0]() is ledger and _cache[1]() is owners and _cache[2] == (plan_month, window):
        return _cache[3]
    months = window_months(plan_month, window)
    sales = ledger.loc[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1),
                       ["client", "category", "brand", "amount"]]
    sales = pd.DataFrame({
        "manager": lookup(sales["client"], owners),
        "client": sales["client"],
        "category_key": _per_distinct(sales["category"], norm), "brand_key": _per_distinct(sales["brand"], norm),
        "amount": sales["amount"],
    })
    pairs = sales.loc[sales["brand_key"] != "", ["brand_key", "category_key"]].drop_duplicates()
    brand_categories: dict[str, set[str]] = {}
    for brand, category in zip(pairs["brand_key"], pairs["category_key"]):
        brand_categories.setdefault(str(brand), set()).add(str(category))
    sales = sales[sales["manager"].notna()]
    summed = sales.groupby(["manager", "category_key", "brand_key", "client"], sort=False)["amount"].sum()
    grouped = summed.reset_index()
    totals = _Totals({str(m): _Sales(g.drop(columns="manager"))
                      for m, g in grouped.groupby("manager", sort=False)}, brand_categories)
    _cache = (weakref.ref(ledger), weakref.ref(owners), (plan_month, window), totals)
    return totals


def _per_distinct(values: pd.Series, rule: Any) -> np.ndarray:
    """``rule`` of each value, computed once per distinct value."""
    codes, distinct = pd.factorize(values)
    return np.array([rule(v) for v in distinct] + [None], dtype=object)[codes]


# --- the manager's edits --------------------------------------------------------------------------

def client_names(known: Iterable[str]) -> dict[str, str]:
    """How a typed client is found: its company key, with and without the legal form -> the name."""
    names = list(known)
    if not names:
        return {}
    # Each name's two keys in turn, the first name to give a key keeping it: as setdefault would.
    keys = pd.DataFrame({"with": company_keys(pd.Series(names, dtype=object)).to_numpy(),
                         "without": company_keys(without_legal_forms(pd.Series(names, dtype=object))).to_numpy()})
    pairs = pd.DataFrame({"key": keys.to_numpy().reshape(-1), "name": np.repeat(np.array(names, dtype=object), 2)})
    pairs = pairs.drop_duplicates("key", keep="first")
    return dict(zip(pairs["key"].tolist(), pairs["name"].tolist()))


def read_clients(text: str, names: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The clients a manager typed in a cell, separated by commas, semicolons or new lines:
    (each as the known client it names, or as typed when it names none; the ones that name none).
    A comma inside a known name (``Альфа, Бета``) is taken as part of it."""
    pieces = [p.strip() for p in text.replace(";", ",").replace("\n", ",").split(",")]
    pieces = [p for p in pieces if p]
    out, unknown = [], []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):  # the longest run of pieces that names a client
            found = names.get(company_key(", ".join(pieces[i:j])))
            if found is not None:
                out.append(found)
                i = j
                break
        else:
            out.append(pieces[i])
            unknown.append(pieces[i])
            i += 1
    return out, unknown


def apply_edits(items: pd.DataFrame, edits: pd.DataFrame, names: Mapping[str, str], sheet: str,
                clients_column: str = "") -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """The manager's edits of his sheet applied to the program's items.

    Args:
        items: :func:`manager_items`.
        edits: the lines of his sheet (:data:`salesplan.inputs.instrument2.EDIT_COLUMNS`).
        names: :func:`client_names` of every client there is.
        sheet, clients_column: where the edits were read (for the problems).

    Returns:
        (the items with his own lines and changed clients, the items he struck, the problems:
        a client he named that is in no sales — the name is kept as he typed it).

    ============================  ==================================================================
    a line of his sheet           this build
    ============================  ==================================================================
    a catalog item, marked ✗      struck: left off the page (kept on the sheet, hidden)
    a catalog item, clients       his clients, as he typed them, instead of the program's
    changed
    a catalog item, its name      struck, and his text is his own line
    rewritten
    a line of his own             kept, in its section
    ============================  ==================================================================
    """
    problems: list[Problem] = []
    items = items.copy()
    struck_keys: set[tuple[str, str]] = set()
    own: list[dict[str, Any]] = []
    at = {(s, norm(k)): i for i, s, k in zip(items.index, items["section"], items["key"])}
    edit: Any  # a line of his sheet
    for edit in edits.itertuples(index=False):
        typed = str(edit.clients or "").strip()
        key = (str(edit.section), norm(edit.key)) if edit.key else None
        renamed = key is not None and edit.item and norm(edit.item) != norm(edit.key)
        if key is not None and (edit.struck or not edit.item or renamed):
            struck_keys.add(key)
        if edit.struck or not (edit.item or typed):
            continue
        changed = typed != str(edit.proposed or "").strip()
        listed, unknown = read_clients(typed, names) if typed else ([], [])
        if changed or key is None or renamed:
            problems += [Problem(sheet, int(edit.row), clients_column, name, "prob.i2_unknown_client",
                                 {"value": name, "item": edit.item, "section": edit.section}) for name in unknown]
        if key is not None and not renamed:
            i = at.get(key)
            if i is not None and changed:
                items.at[i, "clients"] = cast(Any, listed)
                items.at[i, "clients_text"] = typed
                items.at[i, "edited"] = True
            continue
        own.append({"section": edit.section, "item": edit.item, "brand": edit.brand, "category": edit.category,
                    "price": edit.price, "valid_until": edit.valid_until, "note": edit.note, "clients": listed,
                    "relevance": math.inf, "candidates": [], "clients_text": typed, "own": True, "edited": True,
                    "key": ""})
    gone = [i for i, s, k in zip(items.index, items["section"], items["key"]) if (s, norm(k)) in struck_keys]
    struck = items.loc[gone]
    kept = items.drop(index=gone)
    if own:
        kept = pd.concat([kept, pd.DataFrame(own, columns=ITEM_COLUMNS)], ignore_index=True)
    return kept.reset_index(drop=True), struck.reset_index(drop=True), problems


# --- one page --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageRoom:
    """How much of the page the items may fill and how tall each one prints (from the template).

    ``available``: the height left by the page's fixed rows; ``height``: an item's printed height
    (its texts wrap); ``empty_line``: a section without items prints one line saying so. Any unit:
    :meth:`rows` counts in table rows.
    """

    available: float
    height: Callable[[Mapping[str, Any]], float]
    empty_line: float

    @classmethod
    def rows(cls, capacity: int) -> PageRoom:
        """A page of ``capacity`` one-line rows."""
        return cls(float(capacity), lambda _item: 1.0, 1.0)


def spread_clients(items: pd.DataFrame, per_item: int = CLIENTS_PER_ITEM,
                   at_most: int = CLIENT_AT_MOST) -> pd.DataFrame:
    """Name each item's clients so that no client is on the page more than ``at_most`` times, unless
    an item has no other candidate (a manager with few clients).

    The items are served in the order given (most important first), each its best candidates that
    are not yet used up; an item whose candidates are all used up still gets one, the least named.
    The clients the manager typed are kept and counted.

    ======  ==========  ================================================
    item    candidates  clients (at most twice)
    ======  ==========  ================================================
    1       А Б В       А Б В
    2       А Б Г       А Б Г
    3       А Б Д       Д   (А and Б are on the page twice already)
    ======  ==========  ================================================
    """
    items = items.copy()
    free = items["clients_text"].isna()
    counts: Counter[str] = Counter(c for listed in items.loc[~free, "clients"] for c in listed)
    chosen_all = []
    for listed, cands, is_free in zip(items["clients"], items["candidates"], free):
        if not is_free:
            chosen_all.append(listed)
            continue
        chosen = [c for c in cands if counts[c] < at_most][:per_item]
        if not chosen and len(cands):  # every candidate named twice already: the least named one
            chosen = [min(cands, key=lambda c: counts[c])]
        counts.update(chosen)
        chosen_all.append(chosen)
    items["clients"] = pd.Series(chosen_all, index=items.index, dtype=object)
    return items


def fit_items(items: pd.DataFrame, room: int | PageRoom) -> tuple[pd.DataFrame, int]:
    """Keep the items that fit on the page, and spread their clients (:func:`spread_clients`).

    First the manager's own lines and the items whose clients he changed (his edits are never
    dropped), then the most relevant item of each section while there is room, then by relevance. A
    section without items takes its one "nothing this month" line. Returns (kept items in their
    original order, number left out).
    """
    room = PageRoom.rows(room) if isinstance(room, int) else room
    if "own" not in items:  # a bare table (tests): nothing of the manager's
        items = items.assign(own=False, edited=False)
    if "candidates" not in items:
        clients = items["clients"] if "clients" in items else pd.Series([[]] * len(items), index=items.index)
        items = items.assign(candidates=clients, clients=clients, clients_text=None)
    mine = [i for i in items.index if items.at[i, "own"] or items.at[i, "edited"]]
    is_mine = set(mine)
    program = [i for i in items.index if i not in is_mine]
    firsts = items.loc[program].groupby("section", sort=False).head(1).index.tolist()
    is_first = set(firsts)
    order = mine + firsts + [i for i in program if i not in is_first]

    def heights(placed: pd.DataFrame) -> dict[Any, float]:
        return {i: room.height(cast(Mapping[str, Any], row))
                for i, row in zip(placed.index, placed.to_dict("records"))}

    def height(placed: pd.DataFrame) -> float:
        return (sum(heights(placed).values(), 0.0)
                + room.empty_line * len(set(SECTIONS) - set(placed["section"])))

    # Greedy in the order of importance, the clients spread over all candidates; then the clients
    # spread again over the items kept, and the least important dropped while that overflows.
    # A page is never shorter than a line per section.
    limit = max(room.available, room.empty_line * len(SECTIONS))
    placed = spread_clients(items.loc[order])
    tall = heights(placed)
    used = room.empty_line * len(SECTIONS)
    keep: list[int] = []
    sections: set[str] = set()
    for i, section in zip(order, placed["section"]):
        need = tall[i] - (room.empty_line if section not in sections else 0.0)
        if i not in is_mine and need > 0 and used + need > limit:
            continue
        used += need
        sections.add(section)
        keep.append(i)
    placed = spread_clients(items.loc[keep])
    while height(placed) > limit and any(i not in is_mine for i in keep):
        keep.remove(next(i for i in reversed(keep) if i not in is_mine))
        placed = spread_clients(items.loc[keep])
    return placed.loc[sorted(keep)], len(items) - len(keep)
