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
    # ООО «Мелкий»: 50 000 in each of two months -> best month 50 000 < 60 000, best 12 months
    # 100 000 < 500 000: below both thresholds, never on the list
    rows.append(["10.01.2026", "Иванов", "ООО «Мелкий»", "Камеры", 50000, "", ""])
    rows.append(["10.02.2026", "Иванов", "ООО «Мелкий»", "Камеры", 50000, "", ""])
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


def months_from(first: str, n: int) -> list[str]:
    """``n`` dates, the 10th of each month from ``first`` (YYYY-MM)."""
    y, m = map(int, first.split("-"))
    out = []
    for _ in range(n):
        out.append(f"10.{m:02d}.{y}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_a_lapsed_client_enters_by_its_best_month_or_by_its_best_12_months():
    """M = 2026-11: no purchase in Jun-Oct 2026 (new_after 5), lookback Nov 2024 - Oct 2026 (24)."""
    rows = [("05.10.2026", "Иванов", "ООО «Постоянный»", "Кабель", 10000)]
    # One month of 70 000: 70 000 ≥ 60 000 a month (a year of 70 000 < 500 000) -> enters
    rows.append(("10.02.2026", "Иванов", "ООО «Один месяц»", "Камеры", 70000))
    # Exactly 60 000 in a month -> enters (the threshold is reached)
    rows.append(("10.12.2025", "Иванов", "ООО «Ровно»", "Камеры", 60000))
    # 80 000 sold and 30 000 returned in January: net 50 000 < 60 000 -> stays out
    rows += [("10.01.2026", "Иванов", "ООО «Возврат»", "Камеры", 80000),
             ("20.01.2026", "Иванов", "ООО «Возврат»", "Камеры", -30000)]
    # 42 000 a month for 12 months (May 2025 - Apr 2026): no month reaches 60 000, but
    # 12 × 42 000 = 504 000 ≥ 500 000 -> enters by the yearly test
    rows += [(d, "Иванов", "ООО «Ровный год»", "СКУД", 42000) for d in months_from("2025-05", 12)]
    # 41 000 a month for 19 months (Nov 2024 - May 2026): 779 000 in the lookback, but any 12
    # consecutive months give 12 × 41 000 = 492 000 < 500 000 and no month 60 000 -> stays out
    rows += [(d, "Петров", "ООО «Долгий мелкий»", "ОПС", 41000) for d in months_from("2024-11", 19)]
    # 90 000 in Oct 2024: before the lookback -> stays out
    rows.append(("10.10.2024", "Петров", "ООО «Давний»", "ОПС", 90000))
    # 65 000 in Jul 2026: bought within the last 5 months, not lapsed -> stays out
    rows.append(("10.07.2026", "Петров", "ООО «Недавний»", "ОПС", 65000))
    config = Config().with_params(plan_month="2026-11")
    plan = plan_month(ledger(rows), config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]))
    lapsed = longlist.lapsed_clients(plan.turnover, plan.owners, plan.plan_month, 5, 24, 60000, 500000)
    got = {r.company: (r.best_month, r.best_12m) for r in lapsed.itertuples()}
    assert got == {"ООО «Один месяц»": (70000, 70000), "ООО «Ровно»": (60000, 60000),
                   "ООО «Ровный год»": (42000, 504000)}
    # biggest 12 months first; potential = best 12 months / 12
    assert list(lapsed["company"]) == ["ООО «Ровный год»", "ООО «Один месяц»", "ООО «Ровно»"]
    assert lapsed["potential"].tolist() == pytest.approx([42000, 70000 / 12, 5000])
    assert list(lapsed["last_purchase"]) == ["2026-04", "2026-02", "2025-12"]
    # Raising the monthly threshold to 70 001 leaves only the yearly test: «Ровный год» alone
    only_year = longlist.lapsed_clients(plan.turnover, plan.owners, plan.plan_month, 5, 24, 70001, 500000)
    assert list(only_year["company"]) == ["ООО «Ровный год»"]


def test_company_key_matches_retyped_names():
    assert longlist.company_key('ооо "Лапсед-1"') == longlist.company_key("ООО «Лапсед-1»")
    assert longlist.company_key("  ООО   «Ёлка»  ") == longlist.company_key("ооо елка")


def columns_of(ws, header_row=3):
    return {c.value: c.column for c in ws[header_row] if c.value}


def is_heading(company) -> bool:
    """The lines the program writes above each manager's block (3Б, what is missing)."""
    return str(company).startswith(("Менеджер:", "⚠"))


def rows_by_company(ws, header_row=3):
    cols = columns_of(ws, header_row)
    out = {}
    for r in range(header_row + 1, ws.max_row + 1):
        company = ws.cell(r, cols["Компания"]).value
        if company and not is_heading(company):
            out[company] = {h: ws.cell(r, c).value for h, c in cols.items()}
    return out


def headings(ws, header_row=3) -> list[str]:
    col = columns_of(ws, header_row)["Компания"]
    return [ws.cell(r, col).value for r in range(header_row + 1, ws.max_row + 1)
            if is_heading(ws.cell(r, col).value or "")]


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
    # Петров's list holds 1 of the 3 asked: the block says 2 are missing and where to add them
    assert headings(ws) == [
        "Менеджер: Иванов · 3Б, новые клиенты: 0 ₽ · в списке 3 (нужно 3–5)",
        "Менеджер: Петров · 3Б, новые клиенты: 0 ₽ · в списке 1 (нужно 3–5)",
        "⚠ не хватает 2 компаний до 3: добавьте потенциальных клиентов на лист «Потенциальные клиенты»"]
    plan_tab = {r[0]: r for r in wb["План"].iter_rows(values_only=True) if r[0] in ("Иванов", "Петров")}
    # Петров has no target: his row says that, not what his list lacks (the list's block does)
    assert "нет плана" in plan_tab["Петров"][-1] and "длинный список" not in plan_tab["Петров"][-1]
    assert "длинный список" not in (plan_tab["Иванов"][-1] or "")

    # The managers work their lists during October.
    cols = columns_of(ws)
    row_of = {ws.cell(r, cols["Компания"]).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(3, ws.max_column + 1).value = "Email"                           # a column a manager added
    email_col = ws.max_column
    r = row_of["ООО «Лапсед-1»"]
    ws.cell(r, cols["Компания"]).value = 'ооо "Лапсед-1"'                   # retyped by hand
    ws.cell(r, cols["Дата звонка"]).value = dt.datetime(2026, 10, 5)
    ws.cell(r, cols["Результат звонка"]).value = "перезвонить"
    ws.cell(r, cols["Интерес (да/нет)"]).value = "да"
    ws.cell(r, cols["Заметки"]).value = "=не формула, а заметка"
    ws.cell(r, cols["Заметки"]).data_type = "s"
    ws.cell(r, email_col).value = "zakup@lapsed.example"
    ws.cell(r, cols["Телефон"]).value = "+7 900 000-00-00"                   # none in any source: typed
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
    # October's call moved to the last-call columns; November's call columns are empty for the new call
    assert kept["Прошлый звонок"] == dt.datetime(2026, 10, 5)
    assert kept["Результат прошлого звонка"] == "перезвонить"
    assert kept["Дата звонка"] is None and kept["Результат звонка"] is None
    assert kept["Интерес (да/нет)"] == "да"
    assert kept["Заметки"] == "=не формула, а заметка"
    assert kept["Телефон"] == "+7 900 000-00-00" and kept["Email"] == "zakup@lapsed.example"
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


def test_lapsed_companies_keyed_by_position_as_by_name():
    """The long list takes the lapsed companies' keys by their clients' positions (the plan's codes);
    the lists are those it makes looking each name up, also where two clients share one key and a
    list fills up before every lapsed client has entered."""
    rows = []
    # March's rows first, the clients backwards: the ledger's order of clients is not the owners'.
    for month in ("03", "01", "02"):
        for i in (reversed(range(60)) if month == "03" else range(60)):
            name = f"ООО «Клиент {i % 45}»" if i < 45 else f"ИП Клиент {i % 45}"  # ИП Клиент 3 ~ ООО «Клиент 3»
            rows.append((f"10.{month}.2026", "Иванов" if i % 3 else "Петров", name, "Камеры", 60000 + 1000 * i))
    rows.append(("10.09.2026", "Иванов", "ООО «Постоянный»", "Кабель", 5000))
    config = Config().with_params(plan_month="2026-10", long_list_min=5, long_list_max=12)
    assigned = pd.DataFrame({"client": ["ООО «Клиент 7»"], "owner": ["Сидоров"]})  # the Clients table's
    p = plan_month(ledger(rows, config), config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]),
                   assigned)
    params = config.params
    lapsed, codes = longlist.lapsed_clients_and_codes(
        p.turnover, p.owners, p.plan_month, params["new_after_months"], params["lookback_months"],
        params["min_monthly_potential"], params["min_yearly_potential"], clients=p.turnover_clients)
    assert len(lapsed) == 60
    assert list(p.turnover_clients.names[codes]) == list(lapsed["company"])
    # Their managers taken by position are those looked up by name.
    by_name = longlist.lapsed_clients(p.turnover, p.owners, p.plan_month, params["new_after_months"],
                                      params["lookback_months"], params["min_monthly_potential"],
                                      params["min_yearly_potential"])
    pd.testing.assert_frame_equal(lapsed, by_name)
    assert lapsed.set_index("company").loc["ООО «Клиент 7»", "manager"] == "Сидоров"
    empty = pd.DataFrame(columns=longlist.ENTRY_COLUMNS + longlist.TYPED + ["own_columns"])
    prospects = pd.DataFrame(columns=["company", "manager", "potential", "source", "city"])
    args = (empty, lapsed, prospects, p.turnover, ["Иванов", "Петров"], p.plan_month, params,
            {"lapsed": "{last}", "prospect": "{source}"})
    by_position = longlist.build_long_lists(*args, clients=p.turnover_clients, lapsed_codes=codes)
    by_name = longlist.build_long_lists(*args, clients=p.turnover_clients)
    pd.testing.assert_frame_equal(by_position.entries, by_name.entries)
    assert list(by_position.stats["total"]) == [12, 12]
    companies = list(by_position.entries["company"])
    assert not {"ООО «Клиент 3»", "ИП Клиент 3"} <= set(companies)  # one key: one entry
