"""3B: the long and short lists carried from month to month, and nothing a manager typed is lost."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from helpers import ledger
from salesplan.cli import main
from salesplan.inputs.config import Config
from salesplan.method import longlist
from salesplan.method.plan import plan_month
from workbooks import make_workbook

SMALL = {"long_list_min": 3, "long_list_max": 5}


def sales_for_month_one():
    rows = []
    # Иванов's regular client keeps him in the plan; Петров has one sale.
    for m in ("06", "07", "08", "09"):
        rows.append([f"05.{m}.2026", "Иванов", "ООО «Постоянный»", "Кабель", 50000, "", ""])
    rows.append(["05.09.2026", "Петров", "ИП Петровский", "Кабель", 10000, "", ""])
    # ООО «Лапсед-1»: 600 000 in Nov 2025 - Mar 2026, nothing since -> lapsed, potential 600 000
    for m in ("2025-11", "2025-12", "2026-01", "2026-02", "2026-03"):
        y, mm = m.split("-")
        rows.append([f"10.{mm}.{y}", "Иванов", "ООО «Лапсед-1»", "Камеры", 120000, "", ""])
    # ООО «Мелкий»: 100 000 in total -> below both thresholds, never on the list
    rows.append(["10.01.2026", "Иванов", "ООО «Мелкий»", "Камеры", 100000, "", ""])
    # ООО «Вернётся»: 900 000 in Jan-Feb 2026 -> lapsed now; it buys again in November
    rows.append(["10.01.2026", "Иванов", "ООО «Вернётся»", "СКУД", 450000, "", ""])
    rows.append(["10.02.2026", "Иванов", "ООО «Вернётся»", "СКУД", 450000, "", ""])
    # ООО «Май»: 600 000 up to May 2026 -> not lapsed in October (May is within 5 months), lapsed in November
    for m in ("12", "01", "02", "03", "04", "05"):
        rows.append([f"10.{m}.{'2025' if m == '12' else '2026'}", "Иванов", "ООО «Май»", "ОПС", 100000, "", ""])
    return rows


PROSPECTS = [["ООО «Перспектива»", "Казань", 80000, "выставка", "Иванов"],
             ["ООО «Маленькая»", "Тула", 30000, "сайт", "Иванов"],          # 30 000 × 12 < 500 000: never
             ["ООО «Ничья»", "Пермь", 70000, "2ГИС", ""]]                   # unassigned: smallest list


def lapsed_at(month):
    config = Config().with_params(plan_month=month)
    plan = plan_month(ledger([tuple(r[:5]) for r in sales_for_month_one()]), config.params,
                      pd.DataFrame(columns=["manager", "target", "existing_share"]))
    return longlist.lapsed_clients(plan.turnover, plan.owners, plan.plan_month, 5, 24, 60000, 500000)


def test_lapsed_clients_by_the_rule():
    october = lapsed_at("2026-10")
    # Лапсед-1: 600 000; Вернётся: 900 000; Май bought in May (within 5 months): not yet; Мелкий: too small
    assert list(october["company"]) == ["ООО «Вернётся»", "ООО «Лапсед-1»"]
    assert list(october["best_12m"]) == [900000, 600000]
    assert october["potential"].iloc[1] == pytest.approx(50000)   # 600 000 / 12
    assert list(october["last_purchase"]) == ["2026-02", "2026-03"]
    november = lapsed_at("2026-11")
    assert "ООО «Май»" in set(november["company"])


def test_company_key_matches_retyped_names():
    assert longlist.company_key('ооо "Лапсед-1"') == longlist.company_key("ООО «Лапсед-1»")
    assert longlist.company_key("  ООО   «Ёлка»  ") == longlist.company_key("ооо елка")


def columns_of(ws, header_row=3):
    return {c.value: c.column for c in ws[header_row] if c.value}


def rows_by_company(ws, header_row=3):
    cols = columns_of(ws, header_row)
    out = {}
    for r in range(header_row + 1, ws.max_row + 1):
        company = ws.cell(r, cols["Компания"]).value
        if company:
            out[company] = {h: ws.cell(r, c).value for h, c in cols.items()}
    return out


def test_two_months_carry_everything_typed_and_follow_the_rules(tmp_path):
    book = make_workbook(tmp_path / "lists.xlsm", sales_for_month_one(), month="2026-10", settings=SMALL,
                         prospects=PROSPECTS)
    assert main(["plan", str(book)]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["Длинный список"]
    october = rows_by_company(ws)
    # Иванов: two lapsed clients (biggest first) then his prospect; the unassigned one goes to Петров
    assert {c: r["Менеджер"] for c, r in october.items()} == {
        "ООО «Вернётся»": "Иванов", "ООО «Лапсед-1»": "Иванов", "ООО «Перспектива»": "Иванов",
        "ООО «Ничья»": "Петров"}
    assert "ООО «Маленькая»" not in october and "ООО «Мелкий»" not in october

    # The managers work their lists during October.
    cols = columns_of(ws)
    row_of = {ws.cell(r, cols["Компания"]).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(3, ws.max_column + 1).value = "Телефон"                         # a column a manager added
    phone_col = ws.max_column
    r = row_of["ООО «Лапсед-1»"]
    ws.cell(r, cols["Компания"]).value = 'ооо "Лапсед-1"'                   # retyped by hand
    ws.cell(r, cols["Дата звонка"]).value = dt.datetime(2026, 10, 5)
    ws.cell(r, cols["Результат звонка"]).value = "перезвонить"
    ws.cell(r, cols["Интерес (да/нет)"]).value = "да"
    ws.cell(r, cols["Заметки"]).value = "=не формула, а заметка"
    ws.cell(r, cols["Заметки"]).data_type = "s"
    ws.cell(r, phone_col).value = "+7 900 000-00-00"
    ws.cell(row_of["ООО «Перспектива»"], cols["Результат звонка"]).value = "отказ навсегда"
    ws.cell(row_of["ООО «Ничья»"], cols["Компания"]).value = "ООО «Переименованная»"
    ws.cell(row_of["ООО «Ничья»"], cols["Заметки"]).value = "теперь называются иначе"
    short = wb["Короткий список"]
    wb.save(book)
    assert main(["plan", str(book)]) == 0  # same month again: the short list now has Лапсед-1
    wb = openpyxl.load_workbook(book, keep_vba=True)
    short = wb["Короткий список"]
    scols = columns_of(short)
    srow = next(r for r in range(4, short.max_row + 1) if short.cell(r, scols["Компания"]).value == 'ооо "Лапсед-1"')
    short.cell(srow, scols["Потребности"]).value = "камеры для складов"
    wb.save(book)

    # November's export: «Вернётся» bought again.
    wb = openpyxl.load_workbook(book, keep_vba=True)
    sales = wb["Продажи"]
    sales.append(["05.11.2026", "Иванов", "ООО «Вернётся»", "СКУД", 300000, "", ""])
    wb.save(book)
    assert main(["plan", str(book), "--month", "2026-11"]) == 0

    wb = openpyxl.load_workbook(book, keep_vba=True)
    november = rows_by_company(wb["Длинный список"])
    kept = november['ооо "Лапсед-1"']
    assert kept["Дата звонка"] == dt.datetime(2026, 10, 5)
    assert kept["Результат звонка"] == "перезвонить" and kept["Интерес (да/нет)"] == "да"
    assert kept["Заметки"] == "=не формула, а заметка"
    assert kept["Телефон"] == "+7 900 000-00-00"
    assert kept["В списке с"] == "2026-10" and kept["Месяц списка"] == "2026-11"
    assert not kept["Отметка программы"]                      # matched despite the retyping
    assert "ООО «Лапсед-1»" not in november                   # and not added a second time
    renamed = november["ООО «Переименованная»"]
    assert renamed["Заметки"] == "теперь называются иначе" and "переименована" in renamed["Отметка программы"]
    assert "ООО «Вернётся»" not in november and "ООО «Перспектива»" not in november
    assert "ООО «Май»" in november                            # newly lapsed, added
    assert "ООО «Маленькая»" not in november
    for manager in ("Иванов", "Петров"):
        assert sum(1 for r in november.values() if r["Менеджер"] == manager) <= SMALL["long_list_max"]
    archive = rows_by_company(wb["Архив списка"], header_row=1)
    assert archive["ООО «Вернётся»"]["Почему ушёл из списка"] == "купил — стал клиентом"
    assert archive["ООО «Перспектива»"]["Почему ушёл из списка"] == "отказ навсегда"
    short = rows_by_company(wb["Короткий список"])
    assert short['ооо "Лапсед-1"']["Потребности"] == "камеры для складов"
    summary = [r for r in wb["Итоги списков"].iter_rows(min_row=4, max_row=5, values_only=True)]
    ivanov = next(r for r in summary if r[0] == "Иванов")
    # carried: Лапсед-1 (Вернётся and Перспектива left); added: Май -> 1 of 2 carried
    assert ivanov[1] == 1 and ivanov[3] == 1 and ivanov[5] == 2 and ivanov[2] == pytest.approx(0.5)

    # Re-running the same month loses and duplicates nothing.
    before = {n: rows_by_company(wb[n]) for n in ("Длинный список", "Короткий список")}
    archived = rows_by_company(wb["Архив списка"], header_row=1)
    assert main(["plan", str(book), "--month", "2026-11"]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    for name, rows in before.items():
        assert rows_by_company(wb[name]) == rows, name
    assert rows_by_company(wb["Архив списка"], header_row=1) == archived
    assert wb["Архив списка"].max_row == 1 + len(archived)


def test_an_unreadable_long_list_stops_the_build_instead_of_being_overwritten(tmp_path):
    book = make_workbook(tmp_path / "x.xlsm", sales_for_month_one(), settings=SMALL, prospects=PROSPECTS)
    assert main(["plan", str(book)]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["Длинный список"]
    for cell in ws[3]:
        cell.value = None  # the header row wiped by accident
    ws["B5"] = "important notes"
    wb.save(book)
    before = book.read_bytes()
    assert main(["plan", str(book)]) == 2
    assert book.read_bytes() == before
