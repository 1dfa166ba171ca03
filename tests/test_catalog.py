"""Instrument #2: validity in the plan month, relevance order, clients, fitting one page; the Catalog tab."""

import datetime as dt

import pandas as pd

from salesplan.inputs.catalog import read_catalog
from salesplan.inputs.config import Config
from salesplan.inputs.ledger import ledger_from_frame
from salesplan.inputs.rows import SheetRows
from salesplan.method import catalog as rules
from salesplan.method.plan import plan_month

HEAD = ["Дата", "Менеджер", "Клиент", "Категория", "Бренд", "Сумма"]
# Иванов's clients in W (Jun..Sep 2026): cameras А 500 000, Б 300 000, В 100 000; cable Б 100 000;
# Hikvision bought by А and Б.
LEDGER = [("10.06.2026", "Иванов", "А", "Камеры", "Hikvision", 500000),
          ("10.07.2026", "Иванов", "Б", "Камеры", "Hikvision", 300000),
          ("10.07.2026", "Иванов", "В", "Камеры", "Dahua", 100000),
          ("10.08.2026", "Иванов", "Б", "Кабель", "Паритет", 100000),
          ("10.08.2026", "Петров", "Г", "Кабель", "Паритет", 900000)]

CATALOG = SheetRows("Каталог", [
    ["Позиция", "Бренд", "Категория", "Раздел", "Цена", "Действует с", "Действует по", "Примечание"],
    ["Кабель КВК-П акция", "Паритет", "Кабель", "Акции", "1 500", "01.10.2026", "31.10.2026", "-10%"],
    ["Камера 8 Мп новинка", "Hikvision", "Камеры", "Новинки", 12000, dt.date(2026, 10, 1), "", ""],
    ["Бренд месяца", "Hikvision", "", "Бренды повышенной мотивации", "", "", "", "бонус 2%"],
    ["Старая акция", "Dahua", "Камеры", "акции", 1000, "01.08.2026", "30.09.2026", ""],   # expired
    ["Будущая новинка", "Dahua", "Камеры", "new", 1000, "01.11.2026", "", ""],            # not yet
    ["Распродажа БП", "Бастион", "Блоки питания", "Распродажа", 900, "", "", ""],
    ["Ошибка", "", "", "Хиты", 1, "", "", ""],                                             # bad section
    ["Ещё ошибка", "", "", "new", 1, "завтра", "", ""],                                     # bad date
])


def test_catalog_tab_is_read_with_sections_and_problems():
    catalog, problems = read_catalog(CATALOG)
    assert list(catalog["section"]) == ["promo", "new", "brands", "promo", "new", "sale"]
    assert catalog["price"].iloc[0] == 1500
    assert [(p.row, p.key) for p in problems] == [(8, "prob.catalog_section"), (9, "prob.bad_date")]


def test_items_valid_in_the_month_ordered_by_the_managers_category_turnover():
    catalog, _ = read_catalog(CATALOG)
    ledger, _ = ledger_from_frame(pd.DataFrame(LEDGER, columns=HEAD, dtype=object), Config().statuses)
    config = Config().with_params(plan_month="2026-10")
    plan = plan_month(ledger, config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]))
    items = rules.manager_items(catalog, ledger, plan.owners, "Иванов", plan.plan_month, 4)
    # relevance: cameras 900 000; Hikvision, a motivation brand without a category, stands for the
    # cameras, bought from other brands by В alone (Dahua 100 000: А and Б already buy Hikvision);
    # cable 100 000; PSU 0
    assert list(items["item"]) == ["Камера 8 Мп новинка", "Бренд месяца", "Кабель КВК-П акция", "Распродажа БП"]
    assert list(items["relevance"]) == [900000, 100000, 100000, 0]
    assert items["clients"].iloc[0] == ["А", "Б", "В"]
    assert items["clients"].iloc[1] == ["В"]
    assert items["clients"].iloc[2] == ["Б"]      # Г is Петров's client
    assert items["clients"].iloc[3] == []
    # one item per section: each takes the place of its section's "nothing this month" line, so even
    # a page of three rows keeps them (a page is never shorter than a line per section)
    kept, left = rules.fit_items(items, 3)
    assert list(kept["item"]) == list(items["item"]) and left == 0


def test_a_section_without_items_keeps_a_row_for_its_empty_line():
    items = pd.DataFrame({"section": ["new", "new", "promo", "promo"], "item": list("abcd"),
                          "relevance": [4.0, 3.0, 2.0, 1.0]})
    # 4 rows on the page, 2 sections empty (brands, sale) -> 2 rows for items
    kept, left = rules.fit_items(items, 4)
    assert list(kept["item"]) == ["a", "c"] and left == 2
