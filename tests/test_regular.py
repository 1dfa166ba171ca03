"""Layer 1: regular clients (seed 1.1): at least 3 active months of the last 4; plan = 1/4 of W."""

import pytest

from helpers import plan, row_of


def test_four_of_four_and_three_of_four_months_are_regular():
    # Plan month 2026-10, window Jun..Sep.
    rows = [
        # А buys every month: 100+100+100+100 = 400 -> plan 100, weekly 25
        ("05.06.2026", "Иванов", "А", "Камеры", 100), ("05.07.2026", "Иванов", "А", "Камеры", 100),
        ("05.08.2026", "Иванов", "А", "Камеры", 100), ("05.09.2026", "Иванов", "А", "Камеры", 100),
        # Б: exactly 3 of 4 months: 120+90+90 = 300 -> plan 75
        ("10.06.2026", "Иванов", "Б", "СКУД", 120), ("10.08.2026", "Иванов", "Б", "СКУД", 90),
        ("10.09.2026", "Иванов", "Б", "СКУД", 90),
        # В: only 2 of 4 -> not regular
        ("10.06.2026", "Иванов", "В", "СКУД", 500), ("10.07.2026", "Иванов", "В", "СКУД", 500),
    ]
    p = plan(rows, "2026-10")
    reg = p.regular.set_index("client")
    assert set(reg.index) == {"А", "Б"}
    assert reg.loc["А", "active_months"] == 4
    assert reg.loc["А", "monthly_plan"] == pytest.approx(100)
    assert reg.loc["А", "weekly_target"] == pytest.approx(25)
    assert reg.loc["Б", "active_months"] == 3
    assert reg.loc["Б", "monthly_plan"] == pytest.approx(75)  # 300 / 4
    assert row_of(p, "Иванов")["regular_plan"] == pytest.approx(175)
    assert row_of(p, "Иванов")["regular_clients"] == 2


def test_a_return_that_empties_a_month_makes_it_inactive():
    # Б bought in Jun, Jul, Aug, Sep, but returned all of August: 3 active months remain.
    # Г bought Jun, Jul, Aug; the August return empties August: 2 active months, not regular.
    rows = [
        ("01.06.2026", "Иванов", "Б", "Камеры", 100), ("01.07.2026", "Иванов", "Б", "Камеры", 100),
        ("01.08.2026", "Иванов", "Б", "Камеры", 100), ("20.08.2026", "Иванов", "Б", "Камеры", -100, "возврат"),
        ("01.09.2026", "Иванов", "Б", "Камеры", 100),
        ("01.06.2026", "Иванов", "Г", "Кабель", 200), ("01.07.2026", "Иванов", "Г", "Кабель", 200),
        ("01.08.2026", "Иванов", "Г", "Кабель", 200), ("25.08.2026", "Иванов", "Г", "Кабель", -250, "возврат"),
    ]
    p = plan(rows, "2026-10")
    reg = p.regular.set_index("client")
    assert list(reg.index) == ["Б"]
    assert reg.loc["Б", "active_months"] == 3
    assert reg.loc["Б", "window_turnover"] == pytest.approx(300)  # 100+100+0+100
    assert reg.loc["Б", "monthly_plan"] == pytest.approx(75)


def test_sales_in_the_plan_month_do_not_count_in_the_window_but_show_as_month_to_date():
    rows = [
        ("01.06.2026", "Иванов", "А", "Камеры", 100), ("01.07.2026", "Иванов", "А", "Камеры", 100),
        ("01.08.2026", "Иванов", "А", "Камеры", 100),
        ("03.10.2026", "Иванов", "А", "Камеры", 60),   # the plan month: month-to-date, not window
        ("03.11.2026", "Иванов", "А", "Камеры", 999),  # after the plan month: ignored
    ]
    p = plan(rows, "2026-10")
    reg = p.regular.set_index("client")
    assert reg.loc["А", "window_turnover"] == pytest.approx(300)
    assert reg.loc["А", "monthly_plan"] == pytest.approx(75)
    assert reg.loc["А", "mtd_turnover"] == pytest.approx(60)
    assert reg.loc["А", "missing"] == pytest.approx(15)
    assert row_of(p, "Иванов")["mtd_turnover"] == pytest.approx(60)


def test_a_month_before_the_window_does_not_count():
    rows = [("01.05.2026", "Иванов", "А", "Камеры", 100), ("01.07.2026", "Иванов", "А", "Камеры", 100),
            ("01.08.2026", "Иванов", "А", "Камеры", 100)]
    p = plan(rows, "2026-10")  # window Jun..Sep: only 2 active months
    assert p.regular.empty


def test_open_and_refused_orders_are_not_turnover():
    rows = [
        ("01.06.2026", "Иванов", "А", "Камеры", 100), ("01.07.2026", "Иванов", "А", "Камеры", 100),
        ("01.08.2026", "Иванов", "А", "Камеры", 100, "конечный потребитель не оплатил"),
        ("01.09.2026", "Иванов", "А", "Камеры", 100, "отказ"),
    ]
    p = plan(rows, "2026-10")
    assert p.regular.empty
    assert row_of(p, "Иванов")["average_monthly"] == pytest.approx(50)  # 200 / 4


def test_client_that_changed_manager_is_planned_entirely_by_its_new_owner():
    # Д was Петров's until July, then Иванов's: its most recent sale is Иванов's.
    rows = [
        ("01.06.2026", "Петров", "Д", "Камеры", 100), ("01.07.2026", "Петров", "Д", "Камеры", 100),
        ("01.08.2026", "Иванов", "Д", "Камеры", 100), ("01.09.2026", "Иванов", "Д", "Камеры", 100),
        ("01.09.2026", "Петров", "Е", "Кабель", 40),
    ]
    p = plan(rows, "2026-10")
    reg = p.regular.set_index("client")
    assert reg.loc["Д", "manager"] == "Иванов"
    assert reg.loc["Д", "monthly_plan"] == pytest.approx(100)  # all 400 of W, / 4
    assert row_of(p, "Иванов")["average_monthly"] == pytest.approx(100)
    assert row_of(p, "Петров")["average_monthly"] == pytest.approx(10)  # only Е: 40 / 4


def test_clients_table_overrides_the_most_recent_manager():
    import pandas as pd

    from helpers import ledger, targets
    from salesplan.inputs.config import Config
    from salesplan.method.plan import plan_month

    rows = [("01.08.2026", "Иванов", "Д", "Камеры", 100), ("01.09.2026", "Иванов", "Д", "Камеры", 100)]
    config = Config().with_params(plan_month="2026-10")
    owners = pd.DataFrame({"client": ["Д"], "owner": ["Петров"]})
    p = plan_month(ledger(rows), config.params, targets(), owners, config.tiers)
    assert p.owners["Д"] == "Петров"
    assert row_of(p, "Петров")["average_monthly"] == pytest.approx(50)
    assert "Иванов" not in set(p.summary["manager"])
