"""The engine's faster paths give what the plain definitions give.

Each rule is stated here the plain way (sort the whole ledger, group per manager, write every date
out) and compared with the module on random ledgers full of ties: same day, same client, sales and
open orders mixed, orders with and without numbers.
"""

import random

import numpy as np
import pandas as pd
import pytest

from salesplan.inputs.config import Config
from salesplan.inputs.ledger import ledger_from_frame
from salesplan.method import catalog as catalog_rules
from salesplan.method.crosssell import norm
from salesplan.method.funnel import contact_for, open_orders
from salesplan.method.turnover import client_owners, window_months

CONFIG = Config()


def random_ledger(seed: int, n: int = 400) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        rows.append({
            "Дата": f"{rng.randint(1, 3):02d}.{rng.randint(7, 12):02d}.2026",  # few days: many ties
            "Менеджер": rng.choice(["Иванов", "Петров", "Сидоров"]),
            "Клиент": rng.choice(["А", "Б", "В", "Г", "Д"]),
            "Категория": rng.choice(["Камеры", "камеры ", "Кабель", "СКУД"]),
            "Бренд": rng.choice(["", "Hikvision", "hikvision", "Rexant"]),
            "Сумма": rng.choice([100, 250.5, -40, 1000]),
            "Статус": rng.choice(["отгружен", "конечный потребитель не оплатил", "отказ", ""]),
            "Заказ": rng.choice(["", "", "З-1", "З-2", "З-3"]),
        })
    ledger, problems = ledger_from_frame(pd.DataFrame(rows, dtype=object), CONFIG.statuses)
    assert {p.key for p in problems} <= {"prob.duplicate_row"}  # few choices: rows may repeat (and count)
    return ledger.sample(frac=1, random_state=seed).reset_index(drop=True) if seed % 2 else ledger


def owners_by_sorting(ledger: pd.DataFrame) -> pd.Series:
    """The definition: sort every row by (is a sale, date, row), each client's last manager."""
    ordered = ledger.assign(_is_sale=ledger["kind"] == "sale").sort_values(["_is_sale", "date", "row"], kind="stable")
    owners = ordered.groupby("client", sort=False, observed=True)["manager"].last()
    owners.index.name, owners.name = "client", "owner"
    return owners


@pytest.mark.parametrize("seed", range(8))
def test_owners_are_the_last_manager_of_the_sorted_ledger(seed):
    ledger = random_ledger(seed)
    pd.testing.assert_series_equal(client_owners(ledger), owners_by_sorting(ledger))
    pd.testing.assert_series_equal(client_owners(ledger.iloc[:0]).astype(object), owners_by_sorting(ledger.iloc[:0]).astype(object),
                                   check_index_type=False)


def open_orders_plainly(ledger, owners, plan_month, window, tiers):
    """The definition, row by row: an order is (number, client), or a client's unnumbered lines of
    one day; its rows in time order (a closing row after an open one of the same day, then by row);
    its open lines after the last row that closes it (a refusal; a sale when it has a number)."""
    months = window_months(plan_month, window)
    recent = ledger[ledger["month"].between(months.start, plan_month)]
    found: dict = {}
    for r in recent.itertuples(index=False):
        numbered = r.order != ""
        key = (r.order if numbered else f"{r.client} · {r.date.strftime('%d.%m.%Y')}", r.client)
        closing = r.kind == "refused" or (r.kind == "sale" and numbered)
        if r.kind == "open" or closing:
            found.setdefault(key, []).append((r.date, closing, r.row, r))
    records = []
    for (order, client), rows in found.items():
        rows.sort(key=lambda x: x[:3])
        last = max((i for i, x in enumerate(rows) if x[1]), default=-1)
        lines = [x[3] for i, x in enumerate(rows) if i > last and x[3].kind == "open"]
        if lines:
            records.append({"order": order, "client": client, "date": min(x.date for x in lines),
                            "amount": sum(x.amount for x in lines), "lines": len(lines)})
    orders = pd.DataFrame(records)
    orders["manager"] = orders["client"].map(owners)
    orders["contact"] = orders["amount"].map(lambda a: contact_for(a, tiers))
    orders = orders.sort_values(["manager", "amount", "order", "client"], ascending=[True, False, True, True])
    return orders[["manager", "order", "client", "date", "amount", "lines", "contact"]].reset_index(drop=True)


@pytest.mark.parametrize("seed", range(6))
def test_open_orders_name_unnumbered_orders_by_client_and_day(seed):
    ledger = random_ledger(seed)
    owners = client_owners(ledger)
    month = int(ledger["month"].max())
    got = open_orders(ledger, owners, month, 4, CONFIG.tiers)
    expected = open_orders_plainly(ledger, owners, month, 4, CONFIG.tiers)
    pd.testing.assert_frame_equal(got, expected)
    assert any(" · " in o for o in got["order"])


def items_plainly(catalog, ledger, owners, manager, plan_month, window):
    """Relevance and clients of each item, from the manager's own rows only."""
    months = window_months(plan_month, window)
    sales = ledger[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1)]
    sales = sales[sales["client"].map(owners) == manager]
    everyone = ledger[(ledger["kind"] == "sale") & ledger["month"].between(months.start, months.stop - 1)]
    out = {}
    for item in catalog.itertuples(index=False):
        if item.section == "brands" and norm(item.brand):
            # a switch: the brand's categories bought from other brands by clients who never bought it
            brand = sales["brand"].map(norm) == norm(item.brand)
            categories = ({norm(item.category)} if norm(item.category) else
                          set(everyone.loc[everyone["brand"].map(norm) == norm(item.brand), "category"].map(norm)))
            mine = sales[sales["category"].map(norm).isin(categories) & ~brand
                         & ~sales["client"].isin(set(sales.loc[brand, "client"]))]
            by_client = mine.groupby("client")["amount"].sum()
            by_client = by_client[by_client > 0].reset_index().sort_values(["amount", "client"],
                                                                           ascending=[False, True])
            out[item.item] = (float(mine["amount"].sum()), list(by_client["client"])[:3])
            continue
        column, key = ("category", norm(item.category)) if norm(item.category) else ("brand", norm(item.brand))
        mine = sales[(sales[column] != "") & (sales[column].map(norm) == key)] if column == "brand" else \
            sales[sales[column].map(norm) == key]
        relevance = float(mine["amount"].sum()) if len(mine) else 0.0
        by_client = mine[mine[column] != ""].groupby("client")["amount"].sum()
        by_client = by_client[by_client > 0].reset_index().sort_values(["amount", "client"], ascending=[False, True])
        out[item.item] = (relevance, list(by_client["client"])[:3])
    return out


def test_catalog_items_are_each_managers_own_sums_and_a_new_ledger_is_not_mixed_up():
    catalog = pd.DataFrame({"section": ["new", "promo", "brands"], "item": ["Камера X", "Кабель Y", "Всё Hikvision"],
                            "brand": ["", "", "HIKVISION"], "category": ["Камеры", "кабель", ""],
                            "price": [1.0, 2.0, 3.0], "valid_from": [pd.NaT] * 3, "valid_until": [pd.NaT] * 3,
                            "note": [""] * 3})
    for seed in (1, 2):  # a second ledger right after the first: nothing of the first is reused
        ledger = random_ledger(seed)
        owners = client_owners(ledger)
        month = int(ledger["month"].max())
        for manager in ("Иванов", "Петров", "Сидоров", "Никто"):
            items = catalog_rules.manager_items(catalog, ledger, owners, manager, month, 4)
            expected = items_plainly(catalog, ledger, owners, manager, month, 4)
            got = {r.item: (r.relevance, r.clients) for r in items.itertuples(index=False)}
            assert got.keys() == expected.keys()
            for item, (relevance, clients) in expected.items():
                assert got[item][0] == pytest.approx(relevance) and got[item][1] == clients
            assert list(items["relevance"]) == sorted(items["relevance"], reverse=True)
    assert np.isfinite(items["relevance"]).all()
