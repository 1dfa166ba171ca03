"""The demo distributor's data: shape, determinism and every case the method must show.

The method's terms are recomputed here with plain pandas (not with salesplan.method), so these tests
check the data itself: an active month is a month whose net turnover over the statuses
«отгружен», «оплачен» and «возврат» is > 0; the window W is the 4 full months before the plan month.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

try:
    from salesplan import demo_data
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
    from salesplan import demo_data

from salesplan.demo_data import (
    CATEGORIES,
    CHANGED_OWNER_CLIENT,
    CHANGED_OWNER_FROM,
    CHANGED_OWNER_TO,
    EMPTIED_MONTH_CLIENT,
    HANDED_OVER_CLIENTS,
    LEDGER_COLUMNS,
    NEW_MANAGER,
    PROSPECT_COLUMNS,
    make_demo,
)

PLAN = pd.Period("2026-12", "M")
WINDOW = [PLAN - 4, PLAN - 3, PLAN - 2, PLAN - 1]
SALE = ("отгружен", "оплачен", "возврат")
OPEN = "конечный потребитель не оплатил"


@pytest.fixture(scope="module")
def demo() -> demo_data.DemoData:
    return make_demo("2026-12", seed=7, today_day=10)


@pytest.fixture(scope="module")
def ledger(demo) -> pd.DataFrame:
    out = demo.ledger.copy()
    out["Month"] = out["Date"].dt.to_period("M")
    return out


@pytest.fixture(scope="module")
def turnover(ledger) -> pd.Series:
    """Net sale turnover by (Client, Month)."""
    sales = ledger[ledger["Status"].isin(SALE)]
    return sales.groupby(["Client", "Month"])["Amount"].sum()


@pytest.fixture(scope="module")
def owner(demo, ledger) -> pd.Series:
    """The method's owner: the Clients table, else the manager of the most recent sale row."""
    last = ledger.sort_values("Date", kind="stable").groupby("Client")["Manager"].last()
    explicit = demo.clients.set_index("Client")["Owner"]
    return explicit.combine_first(last).loc[last.index]


@pytest.fixture(scope="module")
def window(turnover, owner) -> pd.DataFrame:
    """Per client: owner, active months in W and W turnover."""
    in_w = turnover[turnover.index.get_level_values("Month").isin(WINDOW)]
    out = pd.DataFrame({"owner": owner})
    out["active"] = (in_w > 0).groupby(level="Client").sum().reindex(out.index, fill_value=0)
    out["turnover"] = in_w.groupby(level="Client").sum().reindex(out.index, fill_value=0.0)
    return out


def long_standing(demo) -> list[str]:
    return [m for m in demo.managers if m != NEW_MANAGER]


# -- shape ----------------------------------------------------------------------------------------
@pytest.mark.slow  # three more demos
def test_same_seed_same_data_other_seed_other_data():
    a, b = make_demo(seed=7), make_demo(seed=7)
    pd.testing.assert_frame_equal(a.ledger, b.ledger)
    pd.testing.assert_frame_equal(a.clients, b.clients)
    pd.testing.assert_frame_equal(a.products, b.products)
    pd.testing.assert_frame_equal(a.prospects, b.prospects)
    assert a.managers == b.managers
    c = make_demo(seed=8)
    assert not c.ledger["Amount"].equals(a.ledger["Amount"])


def test_ledger_columns_and_dtypes(demo):
    ledger = demo.ledger
    assert tuple(ledger.columns) == LEDGER_COLUMNS
    assert ledger["Date"].dtype == np.dtype("datetime64[ns]")
    assert (ledger["Date"] == ledger["Date"].dt.normalize()).all()
    assert ledger["Quantity"].dtype == np.int64
    assert ledger["Amount"].dtype == np.float64
    for column in ("Manager", "Client", "Category", "Brand", "Product", "Order", "Status"):
        assert pd.api.types.is_string_dtype(ledger[column]), column
        assert ledger[column].notna().all() and (ledger[column] != "").all(), column
    assert ledger["Date"].is_monotonic_increasing


def test_size_and_speed_at_scale_one():
    start = time.perf_counter()
    demo = make_demo()
    assert time.perf_counter() - start < 2.0
    assert 15_000 <= len(demo.ledger) <= 30_000
    assert 250 <= demo.ledger["Client"].nunique() <= 350


@pytest.mark.slow  # two more demos, one three times the size
def test_scale_multiplies_the_rows():
    one, three = make_demo(scale=1.0), make_demo(scale=3.0)
    assert 2.5 <= len(three.ledger) / len(one.ledger) <= 3.5
    # The cast stays: same clients, same special cases.
    assert set(three.ledger["Client"]) == set(one.ledger["Client"])


def test_months_24_full_months_and_month_to_date(ledger):
    months = sorted(ledger["Month"].unique())
    assert months == list(pd.period_range(PLAN - 24, PLAN, freq="M"))
    assert ledger.loc[ledger["Month"] == PLAN, "Date"].dt.day.max() <= 10


def test_orders_fall_on_working_days(ledger):
    assert (ledger["Date"].dt.day_of_week < 5).all()
    assert not ledger["Date"].dt.strftime("%m-%d").isin(["01-01", "01-02", "03-08", "05-09", "11-04"]).any()


def test_other_plan_month_and_today_day():
    demo = make_demo("2025-03", seed=1, today_day=31)
    dates = demo.ledger["Date"]
    assert dates.min() >= pd.Timestamp("2023-03-01")
    assert dates.max() <= pd.Timestamp("2025-03-31")
    assert (dates.dt.to_period("M") == pd.Period("2025-03", "M")).any()
    # 3 January: the New Year holidays, nothing sold in the plan month yet.
    holidays = make_demo("2026-01", today_day=3).ledger["Date"]
    assert holidays.max() < pd.Timestamp("2026-01-01")


@pytest.mark.parametrize("kwargs", [{"plan_month": "2026/12"}, {"plan_month": "2026-13"},
                                    {"today_day": 0}, {"scale": 0}])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        make_demo(**kwargs)


def test_amount_is_quantity_times_price_less_a_small_discount(demo):
    ledger = demo.ledger.merge(demo.products[["Product", "Category", "Brand", "Price"]],
                               on=["Product", "Category", "Brand"], how="left", validate="many_to_one")
    assert ledger["Price"].notna().all()
    assert (ledger["Quantity"] != 0).all()
    ratio = ledger["Amount"] / (ledger["Quantity"] * ledger["Price"])
    assert ratio.between(0.89, 1.0001).all()
    assert np.allclose(ledger["Amount"], ledger["Amount"].round(2))


def test_orders_are_numbered_documents(demo):
    ledger = demo.ledger
    assert ledger["Order"].str.fullmatch(r"ЗК-\d{6,}").all()
    per_order = ledger.groupby("Order")[["Date", "Client", "Manager", "Status"]].nunique()
    assert (per_order == 1).all().all()
    assert not ledger.duplicated(["Order", "Product"]).any()


# -- catalogue and managers -----------------------------------------------------------------------
def test_catalogue(demo):
    products = demo.products
    assert list(products.columns) == ["Product", "Category", "Brand", "Price"]
    assert tuple(products["Category"].unique()) == CATEGORIES
    assert products.groupby("Category").size().between(6, 15).all()
    assert products["Product"].is_unique
    assert (products["Price"] > 0).all()
    for name in ("Видеорегистратор 8-кан. Hikvision DS-7108NI", "Комплект видеодомофона Tantos Amelie",
                 "Шлагбаум DoorHan Barrier-4000 (G4000)", "Кабель КВК-П-2 2х0.75 (200 м)",
                 "Блок питания Бастион СКАТ-1200", "Аккумулятор Delta DTM 1207"):
        assert name in set(products["Product"])
    assert set(demo.ledger["Category"]) == set(CATEGORIES)
    assert set(demo.ledger["Product"]) <= set(products["Product"])


def test_managers(demo, ledger):
    assert len(demo.managers) == 8
    assert demo.managers[-1] == NEW_MANAGER
    assert all(re.fullmatch(r"[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+", m) for m in demo.managers)
    assert set(ledger["Manager"]) == set(demo.managers)
    for manager in long_standing(demo):
        months = set(ledger.loc[ledger["Manager"] == manager, "Month"])
        assert set(pd.period_range(PLAN - 24, PLAN - 1, freq="M")) <= months, manager


def test_new_manager_sells_only_from_two_months_ago(ledger, window):
    mine = ledger[ledger["Manager"] == NEW_MANAGER]
    assert mine["Month"].min() == PLAN - 2
    assert {PLAN - 2, PLAN - 1, PLAN} <= set(mine["Month"])
    # Two months of the window at most: no regular client yet, the seed's 2.1.1 case.
    assert (window.loc[window["owner"] == NEW_MANAGER, "active"] <= 2).all()


# -- statuses -------------------------------------------------------------------------------------
def test_every_status_and_their_shares(ledger):
    assert set(ledger["Status"]) == {"отгружен", "оплачен", "возврат", OPEN, "отказ"}
    orders = ledger.groupby("Order").agg(Status=("Status", "first"), Month=("Month", "first"),
                                         Amount=("Amount", "sum"))
    share = orders["Status"].value_counts(normalize=True)
    assert 0.03 <= share[OPEN] <= 0.06
    assert 0.01 <= share["отказ"] <= 0.03
    assert 0.005 <= (ledger["Status"] == "возврат").mean() <= 0.015
    open_orders = orders[orders["Status"] == OPEN]
    assert open_orders["Month"].isin([PLAN - 2, PLAN - 1, PLAN]).mean() >= 0.8
    assert open_orders["Amount"].max() >= 500_000 and open_orders["Amount"].min() < 50_000


def test_returns_are_negative_and_everything_else_positive(ledger):
    returns = ledger["Status"] == "возврат"
    assert (ledger.loc[returns, "Amount"] < 0).all() and (ledger.loc[returns, "Quantity"] < 0).all()
    assert (ledger.loc[~returns, "Amount"] > 0).all() and (ledger.loc[~returns, "Quantity"] > 0).all()


def test_a_return_empties_a_month(ledger, turnover, window):
    assert (turnover <= 0).any()
    mine = ledger[(ledger["Client"] == EMPTIED_MONTH_CLIENT) & ledger["Status"].isin(SALE)]
    assert set(WINDOW) <= set(mine["Month"])          # sale rows in all four months of W ...
    assert turnover[(EMPTIED_MONTH_CLIENT, PLAN - 2)] <= 0
    assert window.loc[EMPTIED_MONTH_CLIENT, "active"] == 3  # ... but only three active months


# -- kinds of clients -----------------------------------------------------------------------------
def test_client_names_are_unique_russian_companies(demo):
    clients = demo.ledger["Client"].unique()
    forms = r"(ООО|АО|ИП|ЧОП|ООО ЧОО) .+"
    assert all(re.fullmatch(forms, c) for c in clients)
    assert any(c.startswith("ИП ") for c in clients) and any(c.startswith("ЧОП") for c in clients)


def test_regular_clients_for_every_long_standing_manager(demo, window):
    regular = window[window["active"] >= 3]
    counts = regular.groupby("owner").size()
    for manager in long_standing(demo):
        assert counts.get(manager, 0) >= 8, manager
    exactly_three = window[window["active"] == 3]
    assert len(exactly_three) >= 10
    monthly_plan = regular["turnover"] / 4
    assert monthly_plan.min() < 60_000 and monthly_plan.max() > 800_000
    assert monthly_plan.median() > 60_000


def test_occasional_clients_for_every_long_standing_manager(demo, window):
    occasional = window[window["active"].between(1, 2)]
    counts = occasional.groupby("owner").size()
    for manager in long_standing(demo):
        assert counts.get(manager, 0) >= 5, manager


def test_lapsed_clients_big_and_small(demo, turnover, owner):
    months = pd.period_range(PLAN - 24, PLAN - 1, freq="M")
    table = turnover.unstack("Month", fill_value=0.0).reindex(columns=list(months) + [PLAN],
                                                              fill_value=0.0)
    recent = table[[PLAN - k for k in range(1, 6)] + [PLAN]]
    lapsed = table[(recent <= 0).all(axis=1) & (table[months[:19]] > 0).any(axis=1)]
    best_year = lapsed[months].T.rolling(12, min_periods=1).sum().max()
    big = best_year[best_year >= 500_000]
    small = best_year[best_year < 500_000]
    for manager in long_standing(demo):
        assert (owner[big.index] == manager).sum() >= 2, manager
        assert (owner[small.index] == manager).sum() >= 2, manager
    assert set(HANDED_OVER_CLIENTS) <= set(big.index)
    assert (owner[list(HANDED_OVER_CLIENTS)] == NEW_MANAGER).all()


def test_client_that_changed_manager(demo, ledger, window):
    mine = ledger[ledger["Client"] == CHANGED_OWNER_CLIENT]
    assert set(mine["Manager"]) == {CHANGED_OWNER_FROM, CHANGED_OWNER_TO}
    assert (mine.loc[mine["Month"] < PLAN - 3, "Manager"] == CHANGED_OWNER_FROM).all()
    assert (mine.loc[mine["Month"] >= PLAN - 3, "Manager"] == CHANGED_OWNER_TO).all()
    owners = demo.clients.set_index("Client")["Owner"]
    assert owners[CHANGED_OWNER_CLIENT] == CHANGED_OWNER_TO
    assert window.loc[CHANGED_OWNER_CLIENT, "active"] == 4
    assert list(demo.clients.columns) == ["Client", "Owner"]


def test_cross_selling_candidates_exist(ledger):
    sales = ledger[ledger["Status"].isin(SALE) & ledger["Month"].isin(WINDOW)]
    by_category = sales.groupby(["Client", "Category"])["Amount"].sum().unstack(fill_value=0.0)
    share = by_category.div(by_category.sum(axis=1), axis=0)
    cameras_only = share[share["Камеры видеонаблюдения"] >= 0.999]
    video_access = share[(share[["Камеры видеонаблюдения", "Видеорегистраторы", "СКУД"]] > 0.05).all(axis=1)
                         & (share["Кабель"] <= 0.05) & (share["Блоки питания"] <= 0.05)]
    broad = share[(share > 0.02).sum(axis=1) >= 7]
    assert len(cameras_only) >= 10 and len(video_access) >= 10 and len(broad) >= 10


def test_profiles_answer_key(demo):
    profiles = demo.profiles
    assert set(profiles["Client"]) == set(demo.ledger["Client"])
    assert {"regular", "regular_3of4", "occasional", "lapsed_big", "lapsed_small", "new_manager",
            "changed_owner", "emptied_month"} == set(profiles["Kind"])


# -- prospects ------------------------------------------------------------------------------------
def test_prospects(demo):
    prospects = demo.prospects
    assert tuple(prospects.columns) == PROSPECT_COLUMNS
    assert 30 <= len(prospects) <= 50
    assert prospects["Company"].is_unique
    assert not set(prospects["Company"]) & set(demo.ledger["Client"])
    assert prospects["Phone"].str.fullmatch(r"\+7 \(9\d\d\) \d{3}-\d{2}-\d{2}").all()
    assert prospects["Email"].str.fullmatch(r"[a-z0-9.\-]+@[a-z0-9.\-]+\.ru").all()
    potential = prospects["MonthlyPotential"]
    assert potential.between(20_000, 600_000).all()
    assert (potential < 60_000).sum() >= 3 and (potential >= 60_000).sum() >= 20
    assert set(prospects["Source"]) == {"сайт", "выставка", "2ГИС", "рекомендация"}
    assigned = prospects["Manager"] != ""
    assert 3 <= (~assigned).sum() < assigned.sum()
    assert set(prospects.loc[assigned, "Manager"]) <= set(demo.managers)
