"""Instrument #2 made by the manager: motivation brands as a switch, clients spread over the page,
and his edits (struck items, his own lines, his clients) kept through rebuilds and a renamed tab."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from salesplan.cli import main
from salesplan.inputs.catalog import read_catalog
from salesplan.inputs.config import Config
from salesplan.inputs.instrument2 import read_instrument2
from salesplan.inputs.ledger import ledger_from_frame
from salesplan.inputs.rows import SheetRows
from salesplan.method import catalog as rules
from salesplan.method.instruments import instrument2
from salesplan.method.plan import plan_month
from salesplan.outputs.instruments import instrument2_room
from salesplan.outputs.templates import table_room
from salesplan.words import company_key
from workbooks import make_workbook

REPO = Path(__file__).resolve().parents[1]
TEMPLATE2 = REPO / "templates" / "instrument2.xlsx"

#: Categories and the brands each is sold under.
BRANDS = {"Камеры": ("Hikvision", "Dahua", "HiWatch", "Trassir"),
          "Видеорегистраторы": ("Hikvision", "Dahua", "Trassir"),
          "Кабель": ("Rexant", "Паритет"),
          "Домофоны": ("Tantos", "Falcon Eye", "CTV"),
          "Блоки питания": ("Бастион", "CTV")}
MANAGERS = ("Иванов Пётр", "Петрова Анна", "Сидоров Олег", "Кузнецова Мария")
SALES_HEADER = ["Дата", "Менеджер", "Клиент", "Категория", "Бренд", "Сумма", "Статус", "Заказ"]


def company_ledger(seed: int = 7, clients_per_manager: int = 60) -> list[list]:
    """A distributor's sales, June to September 2026: four managers, 60 clients each (one manager has
    three, buying every category), every client buying two to four categories, each from one to three of
    its brands."""
    rng = random.Random(seed)
    rows = []
    n = 0
    for m, manager in enumerate(MANAGERS):
        count = 3 if m == 3 else clients_per_manager
        for c in range(count):
            client = f"ООО «{manager.split()[0]}-{c + 1:03d}»"
            categories = sorted(BRANDS) if m == 3 else rng.sample(sorted(BRANDS), rng.randint(2, 4))
            for category in categories:
                for brand in rng.sample(BRANDS[category], rng.randint(1, min(3, len(BRANDS[category])))):
                    for month in rng.sample(["06", "07", "08", "09"], rng.randint(1, 3)):
                        n += 1
                        rows.append([f"{rng.randint(1, 28):02d}.{month}.2026", manager, client, category, brand,
                                     rng.randint(5, 200) * 1000, "отгружен", f"З-{n}"])
    return rows


CATALOG_ROWS = [
    ["Позиция", "Бренд", "Категория", "Раздел", "Цена", "Действует с", "Действует по", "Примечание"],
    ["Камера Dahua 4 Мп", "Dahua", "Камеры", "Бренды повышенной мотивации", 7000, "", "", "бонус менеджеру +3%"],
    ["Вся линейка Trassir", "Trassir", "", "Бренды повышенной мотивации", "", "", "", "бонус 2%"],
    ["Кабель UTP Rexant", "Rexant", "Кабель", "Акции", 8690, "", "31.10.2026", "−10% от 5 бухт"],
    ["Монитор Tantos Marilyn", "Tantos", "Домофоны", "Новинки", 12300, "", "", ""],
    ["Камера HiWatch 2 Мп", "HiWatch", "Камеры", "Новинки", 3100, "", "", ""],
    ["Регистратор Hikvision 8-кан.", "Hikvision", "Видеорегистраторы", "Новинки", 16800, "", "", ""],
    ["БП Бастион СКАТ", "Бастион", "Блоки питания", "Распродажа", 1900, "", "", "остаток 12 шт."],
    ["Камера CTV уличная", "CTV", "Камеры", "Распродажа", 2390, "", "", ""],
    ["Домофон без бренда", "", "Домофоны", "Акции", 4500, "", "", ""],                  # no brand
    ["Старая акция Dahua", "Dahua", "Камеры", "Акции", 1000, "01.08.2026", "30.09.2026", ""],  # expired
]


def frame(rows: list[list]) -> pd.DataFrame:
    ledger, problems = ledger_from_frame(pd.DataFrame(rows, columns=SALES_HEADER, dtype=object), Config().statuses)
    assert not [p for p in problems if p.key != "prob.duplicate_row"], problems[:3]
    return ledger


@pytest.fixture(scope="module")
def company():
    ledger = frame(company_ledger())
    config = Config().with_params(plan_month="2026-10")
    plan = plan_month(ledger, config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]))
    catalog, _ = read_catalog(SheetRows("Каталог", CATALOG_ROWS))
    return ledger, plan, catalog


def bought(ledger: pd.DataFrame, **where: str) -> set[str]:
    """The clients with a sale line in W (June to September) matching ``where`` (category, brand)."""
    june, september = (2026 * 12 + 5, 2026 * 12 + 8)  # month numbers: year × 12 + month − 1
    rows = ledger[(ledger["kind"] == "sale") & ledger["month"].between(june, september)]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return set(rows["client"])


# --- the switch -------------------------------------------------------------------------------------

def test_a_motivation_brand_goes_only_to_clients_who_buy_its_category_from_other_brands(company):
    ledger, plan, catalog = company
    content, _ = instrument2(plan, ledger, catalog, Config().exclusions, instrument2_room(table_room(TEMPLATE2)))
    dahua_buyers = bought(ledger, brand="Dahua")
    trassir_buyers = bought(ledger, brand="Trassir")
    # Trassir has no category: it stands for the categories it sells in (cameras and recorders)
    other_cameras = bought(ledger, category="Камеры") - dahua_buyers
    trassir_categories = bought(ledger, category="Камеры") | bought(ledger, category="Видеорегистраторы")
    offered = Counter()
    for manager in MANAGERS[:3]:
        items = content[manager].items.set_index("item")
        dahua, trassir = items.loc["Камера Dahua 4 Мп", "clients"], items.loc["Вся линейка Trassir", "clients"]
        assert dahua and trassir, manager
        assert not set(dahua) & dahua_buyers and set(dahua) <= other_cameras
        assert not set(trassir) & trassir_buyers and set(trassir) <= trassir_categories
        offered.update(dahua + trassir)
        # the candidates are all the manager's clients who could switch, none missing
        mine = {c for c, owner in plan.owners.items() if owner == manager}
        all_dahua = rules.manager_items(catalog, ledger, plan.owners, manager, plan.plan_month, 4)
        candidates = all_dahua.set_index("item").loc["Камера Dahua 4 Мп", "candidates"]
        assert set(candidates) == mine & other_cameras
    assert sum(offered.values()) >= 12  # the rule was tested on real offers, not on empty lists


def test_a_motivation_brand_ranks_by_what_could_switch():
    # Иванов's clients in W: А buys cameras from Dahua 500 000 (and Hikvision 50 000), Б from
    # HiWatch 300 000, В from Hikvision 200 000 alone. Hikvision as a motivation brand: only Б can
    # switch (А and В already buy it): relevance 300 000. A Hikvision novelty of cameras ranks by all
    # the cameras: 1 050 000.
    ledger = frame([["10.06.2026", "Иванов", "А", "Камеры", "Dahua", 500000, "", ""],
                    ["10.07.2026", "Иванов", "А", "Камеры", "Hikvision", 50000, "", ""],
                    ["10.07.2026", "Иванов", "Б", "Камеры", "HiWatch", 300000, "", ""],
                    ["10.08.2026", "Иванов", "В", "Камеры", "Hikvision", 200000, "", ""]])
    config = Config().with_params(plan_month="2026-10")
    plan = plan_month(ledger, config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]))
    catalog, _ = read_catalog(SheetRows("Каталог", [CATALOG_ROWS[0],
                                                    ["Hikvision", "Hikvision", "Камеры", "Бренды", "", "", "", ""],
                                                    ["Камера Hik", "Hikvision", "Камеры", "Новинки", "", "", "", ""]]))
    items = rules.manager_items(catalog, ledger, plan.owners, "Иванов", plan.plan_month, 4).set_index("item")
    assert items.loc["Hikvision", "relevance"] == 300000 and items.loc["Hikvision", "clients"] == ["Б"]
    assert items.loc["Камера Hik", "relevance"] == 1050000
    assert items.loc["Камера Hik", "clients"] == ["А", "Б", "В"]


# --- spread -----------------------------------------------------------------------------------------

def test_a_client_is_on_the_page_at_most_twice_unless_few_clients_exist(company):
    ledger, plan, catalog = company
    content, _ = instrument2(plan, ledger, catalog, Config().exclusions, instrument2_room(table_room(TEMPLATE2)))
    for manager in MANAGERS[:3]:
        named = Counter(c for clients in content[manager].items["clients"] for c in clients)
        assert named and max(named.values()) <= 2, (manager, named.most_common(3))
        assert len(content[manager].items) >= 8  # a full page: the spread did not come from empty items
    # Кузнецова has three clients: they are named on more items than twice rather than leave
    # items without anyone to offer them to
    few = content["Кузнецова Мария"].items
    named = Counter(c for clients in few["clients"] for c in clients)
    assert max(named.values()) > 2
    assert all(clients for clients, cands in zip(few["clients"], few["candidates"]) if cands)


def test_spreading_serves_the_most_important_item_first():
    items = pd.DataFrame({"section": ["new"] * 3, "clients": [[]] * 3, "clients_text": [None] * 3,
                          "candidates": [["А", "Б", "В"], ["А", "Б", "Г"], ["А", "Б", "Д"]]})
    spread = rules.spread_clients(items)
    assert list(spread["clients"]) == [["А", "Б", "В"], ["А", "Б", "Г"], ["Д"]]
    # only А and Б can take the third item: the least named of them, rather than nobody
    items.loc[2, "candidates"] = ["А", "Б"]
    assert rules.spread_clients(items)["clients"].iloc[2] == ["А"]


# --- the catalog's problems -------------------------------------------------------------------------

def test_an_item_without_a_brand_or_expired_is_a_problem_naming_its_cell(company):
    _, plan, catalog = company
    problems = rules.catalog_problems(catalog, plan.plan_month, catalog.attrs["sheet"], catalog.attrs["headers"])
    assert [(p.sheet, p.row, p.column, p.key) for p in problems] == [
        ("Каталог", 10, "Бренд", "prob.catalog_no_brand"),
        ("Каталог", 11, "Действует по", "prob.catalog_expired")]
    assert "Домофон без бренда" in problems[0].text() and "Старая акция Dahua" in problems[1].text()


# --- reading the manager's typing -------------------------------------------------------------------

def test_typed_clients_are_found_with_or_without_the_legal_form_and_with_commas_in_names():
    names = rules.client_names(["ООО «Альфа»", "ИП Захаров А. В.", "ООО «Рога, Копыта»"])
    found, unknown = rules.read_clients("альфа; Захаров А. В., Рога, Копыта\nБета-Строй", names)
    assert found == ["ООО «Альфа»", "ИП Захаров А. В.", "ООО «Рога, Копыта»", "Бета-Строй"]
    assert unknown == ["Бета-Строй"]


# --- edits through rebuilds ---------------------------------------------------------------------------

BUILT = dt.datetime(2026, 10, 14, 9, 0)


def company_workbook(path: Path) -> Path:
    """A user's workbook: the company's sales (with brands), a Catalog tab, targets."""
    make_workbook(path, company_ledger(), month="2026-10", sales_header=SALES_HEADER,
                  targets={m: 2_000_000 for m in MANAGERS})
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb.create_sheet("Каталог")
    for row in CATALOG_ROWS:
        ws.append(row)
    wb.save(path)
    return path


def plan_cli(path: Path) -> None:
    assert main(["plan", str(path), "--backups", "0"]) == 0


def lines(path: Path, sheet: str) -> dict[str, dict]:
    """The visible lines of an Instrument #2 sheet by item: section, clients, mark, hidden."""
    ws = openpyxl.load_workbook(path)[sheet]
    read = read_instrument2(SheetRows(sheet, [[c.value if c.value is not None else "" for c in row]
                                              for row in ws.iter_rows()]))
    assert read is not None
    return {e.item: {"row": e.row, "section": e.section, "clients": e.clients, "key": e.key,
                     "struck": e.struck, "hidden": bool(ws.row_dimensions[e.row].hidden)}
            for e in read.edits.itertuples(index=False)}


def blank_line(path: Path, sheet: str, section: str) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 9).value == section and not ws.cell(r, 1).value and not ws.cell(r, 10).value:
            return r
    raise AssertionError(f"no blank yellow line in {section}")


def type_cells(path: Path, sheet: str, cells: dict[tuple[int, int], object], rename: str | None = None) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[sheet]
    for (r, c), value in cells.items():
        ws.cell(r, c).value = value
    if rename:
        ws.title = rename
    wb.save(path)


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> Path:
    path = company_workbook(tmp_path_factory.mktemp("i2") / "company.xlsm")
    plan_cli(path)
    return path


def problems_tab(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["Проблемы"]
    return [row for row in ws.iter_rows(values_only=True) if row and row[0]]


@pytest.mark.slow
def test_a_managers_edits_survive_two_rebuilds_and_a_renamed_sheet(planned, tmp_path):
    path = tmp_path / "edited.xlsm"
    shutil.copy(planned, path)
    sheet = "№2 Иванов П."
    before = lines(path, sheet)
    program = [item for item, line in before.items() if line["key"]]
    struck, changed = program[0], program[1]
    ws = openpyxl.load_workbook(path)[sheet]
    header = next(r for r in range(1, 12) if ws.cell(r, 10).value == "key")
    mark_col = next(c for c in range(1, 12) if ws.cell(header, c).value == "✗")
    clients_col = next(c for c in range(1, 12) if ws.cell(header, c).value == "Кому предложить")
    own_row = blank_line(path, sheet, "promo")
    type_cells(path, sheet, {
        (before[struck]["row"], mark_col): "х",
        (before[changed]["row"], clients_col): "Петров-001, Несуществующая фирма",
        (own_row, 1): "Свой товар: датчики Аякс", (own_row, 2): "Ajax", (own_row, clients_col): "Иванов-002",
    })

    def check(sheet_name: str) -> None:
        after = lines(path, sheet_name)
        assert after[struck]["struck"] and after[struck]["hidden"]
        assert after[changed]["clients"] == "Петров-001, Несуществующая фирма" and not after[changed]["hidden"]
        own = after["Свой товар: датчики Аякс"]
        assert own["section"] == "promo" and own["clients"] == "Иванов-002" and own["key"] == ""
        unknown = [p for p in problems_tab(path) if p[0] == sheet_name and "Несуществующая фирма" in str(p)]
        assert unknown and unknown[0][1] == after[changed]["row"] and unknown[0][2] == "Кому предложить"

    for _ in range(2):
        plan_cli(path)
        check(sheet)
    # the page still fits one A4 sheet beside the edits: the struck row takes no room
    assert len([line for line in lines(path, sheet).values() if not line["hidden"]]) >= 8

    # renamed: found by its content, rebuilt under its new name, edits kept, no second №2 for him
    type_cells(path, sheet, {}, rename="Мой список Иванова")
    plan_cli(path)
    names = openpyxl.load_workbook(path).sheetnames
    assert "Мой список Иванова" in names and sheet not in names
    check("Мой список Иванова")
    plan_cli(path)
    check("Мой список Иванова")
    # the other managers' sheets are as the program made them
    assert "№2 Петрова А." in names


@pytest.mark.slow
def test_a_sheet_found_by_the_managers_name_in_its_header_when_the_hidden_cell_is_gone(planned, tmp_path):
    path = tmp_path / "edited.xlsm"
    shutil.copy(planned, path)
    sheet = "№2 Петрова А."
    before = lines(path, sheet)
    first = next(item for item, line in before.items() if line["key"])
    ws = openpyxl.load_workbook(path)[sheet]
    mark_col = next(c for c in range(1, 12) if ws.cell(7, c).value == "✗" or ws.cell(6, c).value == "✗")
    # the hidden name cell under the marker erased: the «Петрова Анна · октябрь 2026» line still tells
    type_cells(path, sheet, {(before[first]["row"], mark_col): "✗", (2, 9): None}, rename="Петрова")
    plan_cli(path)
    after = lines(path, "Петрова")
    assert after[first]["struck"] and after[first]["hidden"]


def test_the_sheet_names_its_manager_and_lines_without_a_hidden_section_belong_to_the_one_above():
    rows = [["ИНСТРУМЕНТ №2 · Держите перед глазами", "", "", "", "", "", "", "", "salesplan:instrument2", "", ""],
            ["Иванов Пётр · октябрь 2026", "", "", "", "", "", "", "", "", "", ""],
            ["Товар", "Бренд", "Категория", "Цена", "Действует до", "Условия", "Кому предложить", "✗",
             "section", "key", "proposed"],
            ["АКЦИИ", "", "", "", "", "", "", "", "[promo]", "", ""],
            ["Кабель", "Rexant", "Кабель", 100, "", "", "Альфа", "", "promo", "Кабель", "Альфа"],
            ["Вставлено вручную", "", "", "", "", "", "Бета", "", "", "", ""],
            ["", "", "", "", "", "", "", "", "[end]", "", ""],
            ["Заметка под листом", "", "", "", "", "", "", "", "", "", ""]]
    read = read_instrument2(SheetRows("Лист1", rows))
    assert read.manager == ("ИНСТРУМЕНТ №2", "Иванов Пётр")  # the plan's managers tell which is a name and read.clients_column == "Кому предложить"
    assert [(e.item, e.section, e.key, e.struck) for e in read.edits.itertuples()] == [
        ("Кабель", "promo", "Кабель", False), ("Вставлено вручную", "promo", "", False)]
    assert read_instrument2(SheetRows("Лист2", [["Просто таблица"]])) is None


def test_edits_applied_to_the_items():
    items = pd.DataFrame([
        {"section": "new", "item": "A", "brand": "b", "category": "c", "price": 1.0, "valid_until": pd.NaT,
         "note": "", "clients": ["ООО «Альфа»"], "relevance": 10.0, "candidates": ["ООО «Альфа»"],
         "clients_text": None, "own": False, "edited": False, "key": "A"},
        {"section": "new", "item": "B", "brand": "b", "category": "c", "price": 1.0, "valid_until": pd.NaT,
         "note": "", "clients": [], "relevance": 5.0, "candidates": [], "clients_text": None, "own": False,
         "edited": False, "key": "B"}], columns=rules.ITEM_COLUMNS)
    edits = pd.DataFrame([
        {"row": 8, "section": "new", "key": "A", "item": "A", "brand": "", "category": "", "price": None,
         "valid_until": None, "note": "", "clients": "Бета", "proposed": "Альфа", "struck": False},
        {"row": 9, "section": "new", "key": "B", "item": "B", "brand": "", "category": "", "price": None,
         "valid_until": None, "note": "", "clients": "", "proposed": "", "struck": True},
        {"row": 10, "section": "sale", "key": "", "item": "Моё", "brand": "", "category": "", "price": 5,
         "valid_until": None, "note": "", "clients": "альфа", "proposed": "", "struck": False}])
    names = rules.client_names(["ООО «Альфа»"])
    kept, struck, problems = rules.apply_edits(items, edits, names, "№2 Иванов П.", "Кому предложить")
    assert list(kept["item"]) == ["A", "Моё"] and list(struck["item"]) == ["B"]
    assert kept["clients"].iloc[0] == ["Бета"] and kept["edited"].iloc[0]
    assert kept["clients"].iloc[1] == ["ООО «Альфа»"] and kept["own"].iloc[1]
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [("№2 Иванов П.", 8, "Кому предложить", "Бета")]
    assert company_key("Бета") not in names
