"""The long and short lists as sheets a manager calls from: one block per manager with its 3Б on top
and what is missing, a page each when printed (A4 landscape, fit to width, header rows repeated),
phone, contact and city for each entry, last month's call apart from this month's."""

import datetime as dt
import re
import subprocess

import numpy as np
import openpyxl
import pandas as pd
import pytest

from salesplan.cli import main
from salesplan.method import longlist
from salesplan.outputs.pdf import page_info, workbooks_to_pdf
from workbooks import make_workbook

SETTINGS = {"long_list_min": 4, "long_list_max": 6}
HEADER = ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ", "Телефон", "Город"]
TARGETS = {"Иванов": 1_000_000, "Петров": 600_000, "Сидоров": 400_000}


def months_from(first: str, n: int) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    for _ in range(n):
        out.append(f"10.{m:02d}.{y}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def sales() -> list[list]:
    """Planned for 2026-11 (window Jul-Oct). Иванов's one regular client buys 10 000 a month:
    regular plan 40 000 / 4 = 10 000 = average month, funnel 0, base plan 10 000, gap 990 000,
    3Б = 990 000 / 2 = 495 000. Петров and Сидоров sold nothing in the window: 3Б = target / 2.
    Lapsed clients (nothing since May 2026): Иванов 6 (one with a phone and a city in the export),
    Петров 5, Сидоров 1 (a list of 4 lacks 3)."""
    rows = [[d, "Иванов", "ООО «Постоянный»", "Кабель", 10000, "", "", "", ""] for d in months_from("2026-07", 4)]
    for manager, n in (("Иванов", 6), ("Петров", 5), ("Сидоров", 1)):
        for i in range(n):
            # 100 000 + i × 10 000 in Feb 2026: one month ≥ 60 000 -> each enters
            rows.append(["10.02.2026", manager, f"ООО «{manager}-{i}»", "Камеры", 100000 + i * 10000, "", "",
                         "", ""])
    rows[4][7:9] = ["+7 843 000-00-01", "Казань"]           # Иванов-0: the export has its phone and city
    rows.append(["10.03.2026", "Иванов", "ООО «Иванов-0»", "Камеры", 5000, "", "", "", "Набережные Челны"])
    return rows


PROSPECTS = [["ООО «Проспект»", "Тула", 90000, "выставка", "Петров"]]


def planned(tmp_path, month="2026-11"):
    book = make_workbook(tmp_path / "lists.xlsx", sales(), month=month, settings=SETTINGS, targets=TARGETS,
                         sales_header=HEADER, prospects=PROSPECTS)
    wb = openpyxl.load_workbook(book)
    ws = wb["Потенциальные клиенты"]  # the Prospects tab has a phone and a contact person
    ws.cell(1, 6).value, ws.cell(1, 7).value = "Телефон", "Контактное лицо"
    ws.cell(2, 6).value, ws.cell(2, 7).value = "+7 4872 00-00-00", "Иван Петрович"
    wb.save(book)
    assert main(["plan", str(book)]) == 0
    return book


def header_columns(ws, row=3) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value}


def block_rows(ws) -> list[tuple[int, str]]:
    """(row, text) of each line the program wrote above a manager's block."""
    col = header_columns(ws)["Компания"]
    return [(r, ws.cell(r, col).value) for r in range(4, ws.max_row + 1)
            if str(ws.cell(r, col).value or "").startswith(("Менеджер:", "⚠"))]


def test_each_manager_has_a_block_with_its_3b_and_what_is_missing(tmp_path):
    wb = openpyxl.load_workbook(planned(tmp_path))
    ws = wb["Длинный список"]
    # 3Б by hand (see sales()); Иванов 6 entries (max 6), Петров 5 lapsed + 1 prospect = 6,
    # Сидоров 1 of 4: 3 missing
    assert [text for _, text in block_rows(ws)] == [
        "Менеджер: Иванов · 3Б, новые клиенты: 495\u00a0000 ₽ · в списке 6 (нужно 4–6)",
        "Менеджер: Петров · 3Б, новые клиенты: 300\u00a0000 ₽ · в списке 6 (нужно 4–6)",
        "Менеджер: Сидоров · 3Б, новые клиенты: 200\u00a0000 ₽ · в списке 1 (нужно 4–6)",
        "⚠ не хватает 3 компаний до 4: добавьте потенциальных клиентов на лист «Потенциальные клиенты»"]
    plan = {r[0]: r[-1] for r in wb["План"].iter_rows(values_only=True) if r[0] in TARGETS}
    assert "длинный список: 1 из 4, не хватает 3" in plan["Сидоров"]
    assert "длинный список" not in (plan["Иванов"] or "") and "длинный список" not in (plan["Петров"] or "")
    summary = {r[0]: r for r in wb["Итоги списков"].iter_rows(min_row=4, values_only=True) if r[0] in TARGETS}
    assert summary["Сидоров"][8].startswith("не хватает 3 компаний до 4")


def test_phone_contact_and_city_come_from_the_prospects_tab_and_the_sales_export(tmp_path):
    ws = openpyxl.load_workbook(planned(tmp_path))["Длинный список"]
    cols = header_columns(ws)
    got = {ws.cell(r, cols["Компания"]).value: (ws.cell(r, cols["Телефон"]).value,
                                                ws.cell(r, cols["Контактное лицо"]).value,
                                                ws.cell(r, cols["Город"]).value)
           for r in range(4, ws.max_row + 1) if ws.cell(r, cols["Менеджер"]).value}
    assert got["ООО «Проспект»"] == ("+7 4872 00-00-00", "Иван Петрович", "Тула")
    # the export's latest row with a value: the city of March, the phone of February
    assert got["ООО «Иванов-0»"] == ("+7 843 000-00-01", None, "Набережные Челны")
    assert got["ООО «Петров-1»"] == (None, None, None)


def test_the_entries_are_plain_fields_for_the_json(tmp_path):
    """What the lead serialises as ``long_list``: October's entries are carried in November."""
    from salesplan import monthly

    book = planned(tmp_path, month="2026-10")
    inputs = monthly.read_workbook_inputs(book, month="2026-11")
    lists = monthly.plan(inputs, monthly.template_paths(book)).lists.long
    petrov = lists.entries_of("Петров")
    assert [e["source"] for e in petrov] == ["carried"] * 6
    assert petrov[-1] == {"client": "ООО «Проспект»", "source": "carried", "potential": 90000.0,
                          "phone": "+7 4872 00-00-00", "contact": "Иван Петрович", "city": "Тула"}
    october = monthly.plan(monthly.read_workbook_inputs(book, month="2026-10"), monthly.template_paths(book))
    # biggest first: Петров-4 bought 100 000 + 4 × 10 000 = 140 000 in Feb; potential 140 000 / 12
    first = october.lists.long.entries_of("Петров")[0]
    assert first["client"] == "ООО «Петров-4»" and first["source"] == "lapsed"
    assert first["potential"] == pytest.approx(140000 / 12)


def test_a_phone_column_beside_the_clients_table_reaches_the_long_list(tmp_path):
    book = make_workbook(tmp_path / "lists.xlsx", sales(), month="2026-11", settings=SETTINGS, targets=TARGETS,
                         sales_header=HEADER)
    wb = openpyxl.load_workbook(book)
    ws = wb["Настройки"]
    assert ws["S4"].value == "Закрепление клиентов" and ws["S5"].value == "Клиент"
    ws["U5"], ws["S6"], ws["T6"], ws["U6"] = "Телефон", "ООО «Петров-1»", "Петров", "+7 900 111-22-33"
    wb.save(book)
    assert main(["plan", str(book)]) == 0
    ws = openpyxl.load_workbook(book)["Длинный список"]
    cols = header_columns(ws)
    phones = {ws.cell(r, cols["Компания"]).value: ws.cell(r, cols["Телефон"]).value for r in range(4, ws.max_row + 1)}
    assert phones["ООО «Петров-1»"] == "+7 900 111-22-33"
    assert phones["ООО «Петров-2»"] is None


def test_the_print_settings_of_both_lists(tmp_path):
    wb = openpyxl.load_workbook(planned(tmp_path))
    for name, printed in (("Длинный список", 12), ("Короткий список", 11)):
        ws = wb[name]
        setup = ws.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        # one page wide (an absent fitToWidth is 1, the file format's default), as many pages long as needed
        assert int(setup.fitToWidth or 1) == 1 and int(setup.fitToHeight) == 0, name
        assert ws.print_title_rows == "$1:$3", name  # the title, the rule and the column headers
        last = openpyxl.utils.get_column_letter(printed)
        assert re.fullmatch(rf"'?{name}'?!\$A\$1:\${last}\$\d+", ws.print_area), (name, ws.print_area)
    ws = wb["Длинный список"]
    # a page break above every manager's block but the first: a break after row n starts row n + 1
    starts = [r for r, text in block_rows(ws) if text.startswith("Менеджер:")]
    assert [b.id for b in ws.row_breaks.brk] == [r - 1 for r in starts[1:]]
    cols = header_columns(ws)
    # the printed columns end with this month's call and the notes, wide enough to write in
    assert list(cols)[:12] == ["Компания", "Город", "Контактное лицо", "Телефон", "Потенциал в месяц",
                               "Почему в списке", "Прошлый звонок", "Результат прошлого звонка", "Дата звонка",
                               "Результат звонка", "Интерес (да/нет)", "Заметки"]
    assert ws.column_dimensions["L"].width >= 30
    assert ws.row_dimensions[starts[0] + 1].height >= 30


def test_a_new_month_moves_the_call_to_last_call_and_archives_an_older_one(tmp_path):
    book = planned(tmp_path, month="2026-10")
    wb = openpyxl.load_workbook(book)
    ws = wb["Длинный список"]
    cols = header_columns(ws)
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, cols["Компания"]).value == "ООО «Петров-2»")
    ws.cell(row, cols["Дата звонка"]).value = dt.datetime(2026, 10, 6)
    ws.cell(row, cols["Результат звонка"]).value = "не дозвонился"
    wb.save(book)
    assert main(["plan", str(book), "--month", "2026-11"]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Длинный список"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, cols["Компания"]).value == "ООО «Петров-2»")
    assert ws.cell(row, cols["Прошлый звонок"]).value == dt.datetime(2026, 10, 6)
    assert ws.cell(row, cols["Результат прошлого звонка"]).value == "не дозвонился"
    assert ws.cell(row, cols["Дата звонка"]).value is None
    ws.cell(row, cols["Дата звонка"]).value = dt.datetime(2026, 11, 3)
    ws.cell(row, cols["Результат звонка"]).value = "перезвонить"
    wb.save(book)
    assert main(["plan", str(book)]) == 0  # the same month again: nothing moves
    assert main(["plan", str(book), "--month", "2026-12"]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Длинный список"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, cols["Компания"]).value == "ООО «Петров-2»")
    assert ws.cell(row, cols["Прошлый звонок"]).value == dt.datetime(2026, 11, 3)
    assert ws.cell(row, cols["Результат прошлого звонка"]).value == "перезвонить"
    archived = [r[:6] for r in wb["Архив записей"].iter_rows(min_row=2, values_only=True)
                if r[1] == "ООО «Петров-2»"]
    assert sorted(archived, key=str) == sorted([
        ("Длинный список", "ООО «Петров-2»", "Прошлый звонок", dt.datetime(2026, 10, 6), "2026-12",
         "заменён звонком следующего месяца"),
        ("Длинный список", "ООО «Петров-2»", "Результат прошлого звонка", "не дозвонился", "2026-12",
         "заменён звонком следующего месяца")], key=str)


def test_roll_calls_by_the_rule():
    previous = pd.DataFrame([
        # called in October: its call becomes the last call, the September one goes to the archive
        {"company": "Альфа", "list_month": "2026-10", "called_on": "05.10.2026", "result": "перезвонить",
         "prev_called_on": "12.09.2026", "prev_result": "не дозвонился"},
        # not called in October: the September call stays its last call
        {"company": "Бета", "list_month": "2026-10", "called_on": "", "result": "",
         "prev_called_on": "14.09.2026", "prev_result": "отправил КП"},
        # already November's (a rebuild): nothing moves
        {"company": "Гамма", "list_month": "2026-11", "called_on": "02.11.2026", "result": "да",
         "prev_called_on": "", "prev_result": ""},
        # refused for good in October: leaves the list with the call that said so
        {"company": "Дельта", "list_month": "2026-10", "called_on": "03.10.2026", "result": "отказ навсегда",
         "prev_called_on": "", "prev_result": ""},
    ])
    rolled, archived = longlist.roll_calls(previous, 2026 * 12 + 10)  # November 2026
    got = rolled.set_index("company")[["called_on", "result", "prev_called_on", "prev_result"]]
    assert got.loc["Альфа"].tolist() == ["", "", "05.10.2026", "перезвонить"]
    assert got.loc["Бета"].tolist() == ["", "", "14.09.2026", "отправил КП"]
    assert got.loc["Гамма"].tolist() == ["02.11.2026", "да", "", ""]
    assert got.loc["Дельта"].tolist() == ["03.10.2026", "отказ навсегда", "", ""]
    assert archived.values.tolist() == [
        ["sheet.long_list", "Альфа", "prev_called_on", "12.09.2026", "2026-11", "older_call"],
        ["sheet.long_list", "Альфа", "prev_result", "не дозвонился", "2026-11", "older_call"]]


def test_contacts_fill_only_what_the_list_leaves_empty():
    entries = pd.DataFrame({"company": ["ООО «Альфа»", "Бета", "Гамма"], "phone": ["8 800 typed", "", ""],
                            "contact": ["", "", ""], "city": ["", "", ""]})
    prospects = pd.DataFrame({"company": ["ооо альфа"], "phone": ["+7 prospects"], "contact": ["Анна"],
                              "city": [""]})
    ledger = pd.DataFrame({"client": ["Бета", "Бета", "ООО «Альфа»"],
                           "date": pd.to_datetime(["2026-01-10", "2026-03-10", "2026-02-01"]),
                           "phone": ["+7 old", "", "+7 ledger"], "city": ["Омск", "Томск", "Уфа"]})
    clients = pd.DataFrame({"client": ["Бета"], "owner": ["Иванов"], "row": [5], "contact": ["Олег"]})
    contacts = longlist.client_contacts(ledger, clients)
    got = longlist.fill_contacts(entries, prospects, contacts).set_index("company")
    # typed phone kept; the Prospects tab before the ledger; for Бета the Clients table's contact, the
    # ledger's latest phone that is filled (January's) and latest city (March's)
    assert got.loc["ООО «Альфа»"].tolist() == ["8 800 typed", "Анна", "Уфа"]
    assert got.loc["Бета"].tolist() == ["+7 old", "Олег", "Томск"]
    assert got.loc["Гамма"].tolist() == ["", "", ""]


def printed_block_starts(book, tmp_path) -> list[tuple[int, str]]:
    """Print the Long list tab of ``book`` alone; (page, manager) where each manager's block starts.
    Every page is A4 landscape, holds at most one block's start, and a block starts its page."""
    wb = openpyxl.load_workbook(book)
    for name in wb.sheetnames:
        if name != "Длинный список":
            del wb[name]
    only = tmp_path / "long.xlsx"
    wb.save(only)
    [pdf] = workbooks_to_pdf([only], tmp_path / "pdf")
    pages = page_info(pdf)
    assert pages and all(abs(w - 841.9) < 1.5 and abs(h - 595.3) < 1.5 for w, h in pages), pages
    texts = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    starts = []
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        headings = [i for i, line in enumerate(lines) if line.startswith("Менеджер:")]
        assert len(headings) <= 1, (number, lines)
        if headings:
            # the block starts the page: only the repeated title, rule and column headers above it
            assert not any("ООО «" in line for line in lines[:headings[0]]), lines
            starts.append((number, lines[headings[0]].split("·")[0].removeprefix("Менеджер:").strip()))
        elif lines:
            assert starts, "a page before the first manager's block"
    return starts


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)  # pdftotext reads the pages back
def test_the_printed_long_list_gives_each_manager_its_own_a4_landscape_pages(tmp_path):
    assert printed_block_starts(planned(tmp_path), tmp_path) == [(1, "Иванов"), (2, "Петров"), (3, "Сидоров")]


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)
def test_a_company_sized_ledger_prints_every_managers_block_from_a_new_page(tmp_path):
    """9 managers, 3 000 clients over two years, half of them stopped buying: each list is short of
    50, says by how much, and prints from its own page."""
    rng = np.random.default_rng(5)
    managers = [f"Менеджер {chr(ord('А') + i)}" for i in range(9)]
    months = [(2024 + (9 + k) // 12, (9 + k) % 12 + 1) for k in range(25)]  # 2024-10 .. 2026-10
    rows = []
    for c in range(3000):
        size, stop = rng.lognormal(10, 1.2), (int(rng.integers(5, 25)) if rng.random() < 0.5 else 25)
        for k in range(int(rng.integers(0, stop)), stop):
            if rng.random() < 0.4:
                y, m = months[k]
                rows.append([f"10.{m:02d}.{y}", managers[c % 9], f"ООО «Клиент {c:04d}»", "Камеры",
                             round(size * rng.uniform(0.3, 2)), "", ""])
    book = make_workbook(tmp_path / "big.xlsx", rows, month="2026-11", targets={m: 3_000_000 for m in managers})
    assert main(["plan", str(book)]) == 0
    ws = openpyxl.load_workbook(book)["Длинный список"]
    lines = [text for _, text in block_rows(ws)]
    sizes = [int(re.search(r"в списке (\d+)", t).group(1)) for t in lines if t.startswith("Менеджер:")]
    missing = [int(re.search(r"не хватает (\d+)", t).group(1)) for t in lines if t.startswith("⚠")]
    assert len(sizes) == 9 and all(n < 50 for n in sizes) and missing == [50 - n for n in sizes]
    starts = printed_block_starts(book, tmp_path)
    assert [m for _, m in starts] == managers
    assert [n for n, _ in starts] == sorted({n for n, _ in starts})
