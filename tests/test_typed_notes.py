"""What managers type in the yellow columns of the call sheet and the open orders is never lost:
carried by client and order through rebuilds, a sort of the sheet and into the next month, and
archived with its reason when its row or its week is gone. The list summary is the same on every
rebuild of a month."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from salesplan import monthly
from salesplan.method.notes import call_weeks
from workbooks import make_workbook

CALLS, ORDERS, ARCHIVE = "Обзвон постоянных", "Открытые заказы", "Архив записей"
BUILT = dt.datetime(2026, 10, 14, 9, 0)


def sales() -> list[list]:
    """Иванов: «Альфа» buys every month Jun–Oct; «Гамма» in Jun, Jul and Sep (regular for October,
    window Jun–Sep: 3 months; not for November, window Jul–Oct: 2). Петров: an open order Б-2."""
    rows = [[f"05.{m}.2026", "Иванов", "ООО «Альфа»", "Камеры", 100000, "отгружен", f"А-{m}"]
            for m in ("06", "07", "08", "09", "10")]
    rows += [[f"07.{m}.2026", "Иванов", "ООО «Гамма»", "Кабель", 50000, "отгружен", f"Г-{m}"] for m in ("06", "07", "09")]
    rows += [["10.07.2026", "Петров", "ИП Бета", "Кабель", 400000, "оплачен", "Б-1"],
             ["12.09.2026", "Петров", "ИП Бета", "Кабель", 150000, "конечный потребитель не оплатил", "Б-2"]]
    return rows


def build(path: Path, month: str) -> None:
    monthly.build(path, month=month, keep_backups=0, built=BUILT, today=dt.date(2026, 10, 14))


def header_columns(ws) -> dict[str, int]:
    """Header text -> column (1-based) of the first header row of a tab (the row with «Клиент»/«Заказ»)."""
    for row in ws.iter_rows():
        texts = {str(c.value): c.column for c in row if c.value is not None}
        if "Клиент" in texts and ("Заказ" in texts or "Месяцев с закупкой" in texts):
            return texts
    raise AssertionError("no header row")


def key_rows(ws, key_header: str) -> dict[str, int]:
    col = header_columns(ws)[key_header]
    return {str(ws.cell(r, col).value): r for r in range(1, ws.max_row + 1)
            if ws.cell(r, col).value and ws.cell(r, col).value != key_header}


def type_notes(path: Path, sheet: str, key_header: str, notes: dict[tuple[str, str], object]) -> None:
    """A manager types ``notes`` ((row key, column header) -> value) and saves, as in Excel."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[sheet]
    columns, rows = header_columns(ws), key_rows(ws, key_header)
    for (key, header), value in notes.items():
        ws.cell(rows[key], columns[header]).value = value
    wb.save(path)


def read_notes(path: Path, sheet: str, key_header: str, headers: list[str]) -> dict[tuple[str, str], object]:
    ws = openpyxl.load_workbook(path)[sheet]
    columns, rows = header_columns(ws), key_rows(ws, key_header)
    return {(key, h): ws.cell(r, columns[h]).value for key, r in rows.items() for h in headers
            if h in columns and ws.cell(r, columns[h]).value is not None}


def swap_rows(path: Path, sheet: str, first: int, second: int) -> None:
    """The manager sorts the block: two rows change places, every cell with them."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[sheet]
    for c in range(1, ws.max_column + 1):
        a, b = ws.cell(first, c), ws.cell(second, c)
        a.value, b.value = b.value, a.value
    wb.save(path)


def archive_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[ARCHIVE]
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


@pytest.fixture
def book(tmp_path) -> Path:
    path = make_workbook(tmp_path / "plan.xlsm", sales(), targets={"Иванов": 400000, "Петров": 100000})
    build(path, "2026-10")
    return path


def test_call_sheet_has_a_cell_per_week_of_the_month_a_last_contact_and_notes(book):
    weeks = call_weeks(2026 * 12 + 9)  # October 2026: Thursday the 1st to Friday the 30th
    assert weeks == ["01.10–02.10", "05.10–09.10", "12.10–16.10", "19.10–23.10", "26.10–30.10"]
    columns = header_columns(openpyxl.load_workbook(book)[CALLS])
    assert [f"Нед. {i} · {w}" for i, w in enumerate(weeks, start=1)] == [h for h in columns if h.startswith("Нед.")]
    assert {"Последний контакт", "Заметки"} <= set(columns)


def test_typed_notes_survive_two_rebuilds_and_a_sort_of_the_sheet(book):
    calls = {("ООО «Альфа»", "Нед. 2 · 05.10–09.10"): "06.10 ✓ 08.10 ✓",
             ("ООО «Альфа»", "Заметки"): "просит КП на СКУД",
             ("ООО «Гамма»", "Последний контакт"): dt.datetime(2026, 10, 6),
             ("ООО «Гамма»", "Нед. 1 · 01.10–02.10"): "02.10 ✓"}
    orders = {("Б-2", "Следующий шаг"): "звонок в понедельник"}
    type_notes(book, CALLS, "Клиент", calls)
    type_notes(book, ORDERS, "Заказ", orders)
    rows = key_rows(openpyxl.load_workbook(book)[CALLS], "Клиент")
    swap_rows(book, CALLS, rows["ООО «Альфа»"], rows["ООО «Гамма»"])
    for _ in range(2):
        build(book, "2026-10")
        assert read_notes(book, CALLS, "Клиент", [h for _, h in calls]) == calls
        assert read_notes(book, ORDERS, "Заказ", ["Следующий шаг"]) == orders
        assert archive_rows(book) == []  # nothing left its place


def test_next_month_keeps_last_contact_notes_and_next_steps_and_archives_the_rest(book):
    type_notes(book, CALLS, "Клиент", {("ООО «Альфа»", "Нед. 2 · 05.10–09.10"): "06.10 ✓",
                                       ("ООО «Альфа»", "Последний контакт"): dt.datetime(2026, 10, 6),
                                       ("ООО «Альфа»", "Заметки"): "просит КП",
                                       ("ООО «Гамма»", "Заметки"): "ушёл к конкуренту?"})
    type_notes(book, ORDERS, "Заказ", {("Б-2", "Следующий шаг"): "звонок 3.11"})
    build(book, "2026-11")
    kept = read_notes(book, CALLS, "Клиент", ["Последний контакт", "Заметки"])
    assert kept == {("ООО «Альфа»", "Последний контакт"): dt.datetime(2026, 10, 6),
                    ("ООО «Альфа»", "Заметки"): "просит КП"}
    assert read_notes(book, ORDERS, "Заказ", ["Следующий шаг"]) == {("Б-2", "Следующий шаг"): "звонок 3.11"}
    archived = {(r[0], r[1], r[2], r[3], r[4], r[5]) for r in archive_rows(book)}
    assert archived == {
        (CALLS, "ООО «Альфа»", "Нед. 05.10–09.10", "06.10 ✓", "2026-11", "неделя прошлого месяца"),
        (CALLS, "ООО «Гамма»", "Заметки", "ушёл к конкуренту?", "2026-11", "строки больше нет на листе"),
    }
    build(book, "2026-11")  # a rebuild archives nothing twice and keeps the archive
    assert {(r[0], r[1], r[2], r[3], r[4], r[5]) for r in archive_rows(book)} == archived


@pytest.mark.slow  # two builds of the whole demo company
def test_the_list_summary_is_the_same_on_every_rebuild_of_the_month(tmp_path):
    path = tmp_path / "salesplan.xlsm"
    shutil.copyfile(Path(__file__).parent.parent / "salesplan.xlsm", path)
    shown = []
    for _ in range(2):
        monthly.build(path, keep_backups=0, built=BUILT, today=dt.date(2026, 11, 10))
        ws = openpyxl.load_workbook(path)["Итоги списков"]
        shown.append([tuple(r) for r in ws.iter_rows(values_only=True)])
    assert shown[0] == shown[1]
    header = shown[0][2]
    first = dict(zip(header, shown[0][3]))
    # The shipped workbook was planned once already: its lists are this month's, carried from October.
    assert first["Перенесено с прошлого месяца"] > 0 and first["Ушли из списка"] > 0
