"""``salesplan new``: a clean workbook for a real company, planned with that company's own ledger.

The company below is made up here and shares no name with the demo distributor: 12 managers,
1 500 clients (most of them one-time, a fifth regular, some lapsed), 14 months of sales in six
categories, exported as a 1C-like CSV. Nothing of the demo may reach any tab of its plan.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from salesplan import cli
from salesplan.build.workbook import BUTTONS
from salesplan.inputs.config import DEFAULT_CROSSSELL, Config, read_config
from salesplan.inputs.rows import SheetRows

ROOT = Path(__file__).resolve().parents[1]
MANAGERS = ("Григорьев Роман", "Тарасова Нина", "Беляков Олег", "Жукова Вера", "Комаров Пётр", "Орлова Ирина",
            "Фёдоров Глеб", "Зайцева Юлия", "Медведев Лев", "Белова Алла", "Титов Кирилл", "Ершова Майя")
CATEGORIES = ("Камеры видеонаблюдения", "Видеорегистраторы", "СКУД", "Кабель", "Блоки питания", "Домофоны")


def company_ledger(path: Path, clients: int = 1500, seed: int = 3) -> Path:
    """A year and two months of the made-up company's sales, as a CSV export (``;``, UTF-8)."""
    rng = np.random.default_rng(seed)
    rows = []
    months = [(2025, m) for m in range(10, 13)] + [(2026, m) for m in range(1, 12)]  # Oct 2025 .. Nov 2026
    for i in range(clients):
        client = f"ООО «Профмонтаж-{i:04d}»" if i % 3 else f"ИП Сидоренко-{i:04d}"
        manager = MANAGERS[i % len(MANAGERS)]
        regular = i % 5 == 0
        lapsed = i % 11 == 0
        size = float(np.round(rng.lognormal(10.5, 0.7), -2))
        favourite = CATEGORIES[i % 4]
        for k, (year, month) in enumerate(months):
            if lapsed and k > 4:
                break
            if not regular and rng.random() > 0.12:
                continue
            day = 3 + int(rng.integers(0, 6)) if (year, month) == (2026, 11) else int(rng.integers(2, 27))
            category = favourite if rng.random() < 0.8 else CATEGORIES[int(rng.integers(0, len(CATEGORIES)))]
            amount = float(np.round(size * rng.uniform(0.6, 1.4), 2))
            rows.append((f"{day:02d}.{month:02d}.{year}", manager, client, category, "Бренд-Т",
                         f"Артикул {category[:4]}-{i % 37}", 1, amount, f"ЗК-{len(rows):06d}", "отгружен"))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["Дата", "Менеджер", "Клиент", "Категория", "Бренд", "Товар", "Количество", "Сумма",
                         "Заказ", "Статус"])
        writer.writerows(rows)
    return path


def company_targets(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["Менеджер", "План"])
        for i, manager in enumerate(MANAGERS):
            writer.writerow([manager, 1_500_000 + 50_000 * i])
    return path


def demo_names() -> set[str]:
    """Every name of the demo company a tab could carry: clients, managers (full and as the A4 tabs
    shorten them), prospects and their contacts, phones and e-mails."""
    from salesplan.demo import demo_prospects
    from salesplan.demo_data import make_demo

    data = make_demo("2026-11")
    prospects = demo_prospects(data)
    names = set(data.ledger["Client"]) | set(data.ledger["Manager"]) | set(data.managers)
    names |= {f"{m.split()[0]} {m.split()[1][0]}." for m in data.managers if len(m.split()) > 1}
    for column in ("company", "contact", "phone", "email"):
        names |= {str(v) for v in prospects[column] if str(v).strip()}
    return {" ".join(n.split()) for n in names if n and n.strip()}


def macro_modules(vba_bin: bytes) -> dict[str, str]:
    """The standard modules' source, as oletools reads it: module name -> code."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser("vbaProject.bin", data=vba_bin)
    try:
        modules = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()
    return {name: code for name, code in modules.items() if "Attribute VB_Base" not in code}


def every_text(path: Path) -> tuple[set[str], list[str]]:
    """The text of every cell of every tab (and the tab names)."""
    book = openpyxl.load_workbook(path, read_only=True)
    texts: set[str] = set()
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            texts |= {" ".join(v.split()) for v in row if isinstance(v, str)}
    return texts, list(book.sheetnames)


def test_a_new_workbook_has_the_buttons_config_defaults_the_seed_cross_sell_and_no_rows(tmp_path):
    book = tmp_path / "Компания.xlsm"
    assert cli.main(["new", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Старт", "Продажи", "Настройки", "Каталог", "Потенциальные клиенты",
                             "Пожелания клиентов", "xlwings.conf"]
    for name in ("Продажи", "Каталог", "Потенциальные клиенты", "Пожелания клиентов"):
        assert wb[name].max_row == 1 and wb[name]["A1"].value, name  # the header and nothing under it
    rows = [list(r) for r in wb["Настройки"].iter_rows(values_only=True)]
    config, problems = read_config(SheetRows("Настройки", rows))
    assert problems == []
    assert config.params == Config().params  # every parameter at its default, the plan month empty
    assert config.targets.empty and config.owners.empty and config.exclusions.empty
    tables = {t.name: t for ws in wb.worksheets for t in ws.tables.values()}
    cross = wb["Настройки"][tables["CrossSell"].ref]
    written = [[c.value for c in r] for r in cross[1:]]
    assert [r for r in written if any(r)] == [list(rule) for rule in DEFAULT_CROSSSELL]
    # The same macros and buttons as the shipped workbook (the project's sheet modules differ: the
    # shipped one has the plan tabs too)
    with zipfile.ZipFile(book) as new, zipfile.ZipFile(ROOT / "salesplan.xlsm") as shipped:
        modules = [macro_modules(z.read("xl/vbaProject.bin")) for z in (new, shipped)]
        assert modules[0] == modules[1] and {"SalesPlan", "xlwings"} <= set(modules[0])
        macros = sorted(a for a in new.read("xl/drawings/vmlDrawing1.vml").decode().split('"') if "!" in a)
        assert macros == sorted(a for a in shipped.read("xl/drawings/vmlDrawing1.vml").decode().split('"') if "!" in a)
        assert len(macros) == len(BUTTONS)
    assert "ДЕМО" not in " ".join(every_text(book)[0])


def test_new_never_overwrites_and_names_the_problem(tmp_path, capsys):
    book = tmp_path / "plan.xlsm"
    book.write_bytes(b"someone's workbook")
    assert cli.main(["new", str(book)]) == 2
    assert book.read_bytes() == b"someone's workbook"
    assert "уже есть" in capsys.readouterr().err
    assert cli.main(["new", str(tmp_path / "plan.xlsx")]) == 2
    assert not (tmp_path / "plan.xlsx").exists() and "«plan.xlsm»" in capsys.readouterr().err
    assert cli.main(["new", str(tmp_path / "нет" / "plan.xlsm")]) == 2
    assert "папки" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsm"]  # no temporary left behind


def test_new_in_english(tmp_path):
    book = tmp_path / "company.xlsm"
    assert cli.main(["new", str(book), "--lang", "en"]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:4] == ["Start", "Sales", "Config", "Catalog"]
    assert wb["Sales"]["A1"].value == "Date"


@pytest.mark.slow  # a 5 800-row ledger planned end to end, every cell read back
def test_a_new_workbook_planned_with_a_real_ledger_holds_no_row_of_the_demo(tmp_path):
    book = tmp_path / "Профмонтаж.xlsm"
    assert cli.main(["new", str(book)]) == 0
    sales = company_ledger(tmp_path / "выгрузка.csv")
    targets = company_targets(tmp_path / "планы.csv")
    planned = tmp_path / "Профмонтаж-план.xlsm"
    assert cli.main(["plan", str(book), "--sales", str(sales), "--targets", str(targets), "--month", "2026-11",
                     "--out", str(planned)]) == 0
    texts, tabs = every_text(planned)
    found = demo_names() & texts
    assert not found, sorted(found)[:10]
    assert not [tab for tab in tabs if any(tab.endswith(" " + n) for n in demo_names())]
    # The company's own plan is there: every manager on the Plan tab, with both A4 sheets
    assert set(MANAGERS) <= texts
    assert {f"№1 {m.split()[0]} {m.split()[1][0]}." for m in MANAGERS} <= set(tabs)
    # Its long list holds its own lapsed clients, none of the demo's prospects
    long_list = {c for c in texts if c.startswith(("ООО «Профмонтаж-", "ИП Сидоренко-"))}
    assert len(long_list) > 100


@pytest.mark.slow
def test_the_check_finds_the_demo_in_the_demo_workbook(demo_workbooks):
    # The check above can fail: the demo's own workbook is full of the names it looks for.
    texts, _ = every_text(demo_workbooks())
    assert len(demo_names() & texts) > 300
