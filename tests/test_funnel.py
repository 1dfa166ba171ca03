"""Layer 2: average monthly turnover, remainder, funnel; open orders (seed 2.1, 2.1.1, 2.1.2)."""

import pytest

from helpers import plan, row_of, targets


def test_seed_worked_example_two_months_of_100000():
    # Seed 2.1.1: worked two months, sold 100 000 in each; nobody bought in 3 of 4 months.
    rows = [("15.08.2026", "Новикова", "ООО Альфа", "Камеры", 60000),
            ("20.08.2026", "Новикова", "ООО Бета", "Кабель", 40000),
            ("10.09.2026", "Новикова", "ООО Гамма", "СКУД", 100000)]
    p = plan(rows, "2026-10")
    r = row_of(p, "Новикова")
    assert r["regular_plan"] == 0
    assert r["average_monthly"] == pytest.approx(50000)   # 200 000 / 4, not / 2
    assert r["remainder"] == pytest.approx(50000)
    assert r["funnel_plan"] == pytest.approx(10000)       # 20%
    assert r["base_plan"] == pytest.approx(10000)
    p25 = plan(rows, "2026-10", funnel_rate=0.25)
    assert row_of(p25, "Новикова")["funnel_plan"] == pytest.approx(12500)


def test_remainder_is_what_regular_clients_do_not_cover():
    rows = [
        # regular А: 4 × 100 = 400 -> plan 100
        ("01.06.2026", "Иванов", "А", "Камеры", 100), ("01.07.2026", "Иванов", "А", "Камеры", 100),
        ("01.08.2026", "Иванов", "А", "Камеры", 100), ("01.09.2026", "Иванов", "А", "Камеры", 100),
        # one-time Б: 800 once
        ("01.07.2026", "Иванов", "Б", "СКУД", 800),
    ]
    r = row_of(plan(rows, "2026-10"), "Иванов")
    # average = 1200 / 4 = 300; remainder = 300 - 100 = 200; funnel = 40; base = 140
    assert r["average_monthly"] == pytest.approx(300)
    assert r["remainder"] == pytest.approx(200)
    assert r["funnel_plan"] == pytest.approx(40)
    assert r["base_plan"] == pytest.approx(140)


def test_open_orders_largest_first_with_contact_tiers_and_refusals_dropped():
    rows = [
        ("01.09.2026", "Иванов", "А", "Камеры", 100),
        ("05.09.2026", "Иванов", "А", "Камеры", 50000, "конечный потребитель не оплатил", "З-1"),
        ("05.09.2026", "Иванов", "А", "Кабель", 70000, "конечный потребитель не оплатил", "З-1"),
        ("06.09.2026", "Иванов", "Б", "СКУД", 400000, "конечный потребитель не оплатил", "З-2"),
        ("07.09.2026", "Иванов", "В", "СКУД", 9000, "конечный потребитель не оплатил", "З-3"),
        # З-4 has an explicit refusal on one of its lines: not followed up
        ("08.09.2026", "Иванов", "Г", "СКУД", 90000, "конечный потребитель не оплатил", "З-4"),
        ("09.09.2026", "Иванов", "Г", "СКУД", 90000, "отказ", "З-4"),
        # an old open order from before the window is stale
        ("01.01.2026", "Иванов", "Д", "СКУД", 90000, "конечный потребитель не оплатил", "З-0"),
    ]
    p = plan(rows, "2026-10")
    orders = p.open_orders
    assert list(orders["order"]) == ["З-2", "З-1", "З-3"]
    assert list(orders["amount"]) == pytest.approx([400000, 120000, 9000])
    assert list(orders["lines"]) == [1, 2, 1]
    # default tiers: >= 300 000 every day, >= 100 000 2-3 a week, else once a week
    assert list(orders["contact"]) == ["каждый день", "2–3 раза в неделю", "раз в неделю"]
    r = row_of(p, "Иванов")
    assert r["open_orders_count"] == 3
    assert r["open_orders_amount"] == pytest.approx(529000)
    assert r["average_monthly"] == pytest.approx(25)  # only the 100 sale is turnover


def test_manager_with_a_target_but_no_sales_is_listed_with_zeros():
    rows = [("01.09.2026", "Иванов", "А", "Камеры", 400)]
    p = plan(rows, "2026-10", targets(Иванов=1000, Смирнова=500000))
    r = row_of(p, "Смирнова")
    assert r["regular_plan"] == 0 and r["average_monthly"] == 0 and r["base_plan"] == 0
    assert r["gap"] == pytest.approx(500000)
    assert list(p.summary["manager"]) == ["Иванов", "Смирнова"]


@pytest.mark.parametrize("module, step", [("funnel", "shared_order_numbers"), ("funnel", "orders_found"),
                                          ("returns", "returns_found")])
def test_a_failure_in_the_orders_worked_out_beside_the_clients_reaches_the_caller(monkeypatch, module, step):
    """The order numbers, the open orders and the returns are worked out in a thread of their own
    (method/plan.py): what goes wrong there is raised by plan_month itself, not lost."""
    import importlib

    def broken(*args, **kwargs):
        raise ValueError(f"{step} broke")

    monkeypatch.setattr(importlib.import_module(f"salesplan.method.{module}"), step, broken)
    rows = [("15.08.2026", "Новикова", "ООО Альфа", "Камеры", 60000)]
    with pytest.raises(ValueError, match=f"{step} broke"):
        plan(rows, "2026-10")
