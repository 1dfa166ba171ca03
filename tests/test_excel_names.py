"""Names and text Excel accepts (issue 18, item 5): tab names counted in UTF-16 units as Excel
counts them, and characters XML cannot carry left out wherever data text is written, with a
Problems line naming where they were found."""

from __future__ import annotations

import csv
import json
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesplan.cli import main
from salesplan.inputs.config import Config
from salesplan.inputs.ledger import read_ledger
from salesplan.inputs.rows import SheetRows
from salesplan.outputs.instruments import is_instrument_sheet, sheet_names
from salesplan.outputs.tabs import new_book, put
from salesplan.outputs.templates import unique_sheet_name
from salesplan.words import utf16_cut, utf16_len, xml_text
from workbooks import make_workbook, simple_sales

FORBIDDEN = set("[]:*?/\\")
EMOJI = "\U0001F600"
#: Managers whose names Excel would refuse or repair as tab names, cut naively.
AWKWARD = [f"Петров {EMOJI}{EMOJI} Отдел продаж «Север-Запад»",  # emoji near the cut
           "Смирнов [Old] Team",
           "О'Брайен Пётр",
           "'Кавычкин'",
           "Менеджер-с-очень-длинным-именем-сорок-знаков"[:40],
           "Менеджер-с-очень-длинным-именем-сорок-знаков"[:40] + " второй",  # same first 31
           EMOJI * 20]


def excel_accepts(name: str) -> bool:
    """What Excel asks of a sheet name."""
    return (0 < utf16_len(name) <= 31 and not set(name) & FORBIDDEN and not name.startswith("'")
            and not name.endswith("'") and xml_text(name) == name and name.casefold() != "history")


def test_utf16_length_and_cut_never_split_a_character():
    assert utf16_len("ab" + EMOJI) == 4
    assert utf16_cut("a" * 30 + EMOJI, 31) == "a" * 30  # the emoji would need units 31 and 32
    assert utf16_cut("a" * 29 + EMOJI, 31) == "a" * 29 + EMOJI
    assert utf16_cut("короткое", 31) == "короткое"


def test_xml_text_removes_what_xml_cannot_carry_and_joins_split_pairs():
    assert xml_text("A\ufffeB\uffffC\x01D\x1fE\tF\nG\rH") == "ABCDE\tF\nG\rH"
    assert xml_text("лон\ud800г\udc00") == "лонг"
    assert xml_text("\ud83d\ude00") == EMOJI  # a pair as two characters, as UTF-16 hands it over
    assert xml_text("обычный текст") == "обычный текст"


def test_instrument_tab_names_of_awkward_managers_are_valid_and_unique():
    for number, lang in ((1, "ru"), (2, "ru"), (1, "en")):
        names = sheet_names(AWKWARD, number, lang)
        assert len({n.casefold() for n in names.values()}) == len(AWKWARD)
        for manager, name in names.items():
            assert excel_accepts(name), (manager, name)
            assert is_instrument_sheet(name)
    names = sheet_names(AWKWARD, 1, "ru")
    assert names[AWKWARD[0]] == "№1 Петров 😀😀 Отдел продаж «Се"  # 31 units, 29 characters
    assert utf16_len(names[AWKWARD[0]]) == 31 and len(names[AWKWARD[0]]) == 29
    assert names["Смирнов [Old] Team"] == "№1 Смирнов Old Team"
    assert names["О'Брайен Пётр"] == "№1 ОБрайен П."
    assert names[AWKWARD[4]] == "№1 Менеджер-с-очень-длинным-име"
    assert names[AWKWARD[5]] == "№1 Менеджер-с-очень-длинным (2)"
    assert names[EMOJI * 20] == "№1 " + EMOJI * 14  # 3 + 28 units


def test_unique_sheet_name_counts_utf16_units_and_keeps_the_suffix_inside_31():
    name = unique_sheet_name("Итоги " + EMOJI * 20)
    assert name == "Итоги " + EMOJI * 12 and utf16_len(name) == 30  # a 13th emoji would make 32
    taken = {name}
    second = unique_sheet_name("Итоги " + EMOJI * 20, taken)
    assert second == "Итоги " + EMOJI * 10 + " (2)" and utf16_len(second) == 30
    assert unique_sheet_name("Клиент\ufffe\uffff\x01") == "Клиент"
    assert unique_sheet_name("'" + "я" * 29 + "' хвост") == "я" * 29  # no apostrophe left at the cut


@given(st.text(max_size=60), st.lists(st.text(max_size=40), max_size=5))
def test_any_title_becomes_a_name_excel_accepts(title, used):
    name = unique_sheet_name(title, used)
    assert excel_accepts(name)
    assert name.casefold() not in {u.casefold() for u in used}


@given(st.lists(st.text(min_size=1, max_size=50), min_size=1, max_size=6, unique=True))
def test_any_managers_get_instrument_tabs_excel_accepts(managers):
    names = sheet_names(managers, 2, "ru")
    assert len({n.casefold() for n in names.values()}) == len(managers)
    assert all(excel_accepts(n) and is_instrument_sheet(n) for n in names.values())


def test_a_cell_with_a_lone_surrogate_or_ufffe_is_written_without_it(tmp_path):
    path = tmp_path / "tab.xlsx"
    book = new_book(path)
    ws = book.add_worksheet("Лист")
    put(ws, 0, 0, "Альфа\ud800\ufffe\uffff\x02")
    put(ws, 1, 0, "=HYPERLINK(\"x\")\uffff")
    book.close()
    sheet = openpyxl.load_workbook(path)["Лист"]
    assert sheet["A1"].value == "Альфа"
    assert sheet["A2"].value == '=HYPERLINK("x")' and sheet["A2"].data_type == "s"


def test_the_sales_reader_names_sheet_row_and_column_of_unwritable_text():
    rows = [["Дата", "Менеджер", "Клиент", "Категория", "Сумма"],
            ["05.09.2026", "Иванов", "ООО «Альфа»", "Кабель", 100],
            ["06.09.2026", "Иванов\ud800", "Бета\ufffe", "Кабель", 200],
            ["07.09.2026", "Петров", "Гамма", "Кабель\x01", 300]]
    ledger, problems = read_ledger(SheetRows("Продажи", rows), Config().statuses)
    assert len(ledger) == 3  # the rows are counted
    found = sorted((p.sheet, p.row, p.column, p.value, p.fields["chars"]) for p in problems if p.key == "prob.bad_chars")
    assert found == [("Продажи", 3, "Клиент", "Бета", "U+FFFE"), ("Продажи", 3, "Менеджер", "Иванов", "U+D800"),
                     ("Продажи", 4, "Категория", "Кабель", "U+0001")]
    assert set(ledger["client"]) == {"ООО «Альфа»", "Бета\ufffe", "Гамма"}  # the data itself stays as typed


def test_a_client_and_a_manager_excel_cannot_name_do_not_stop_the_build(tmp_path):
    """Before: «ParseError: not well-formed» and nothing written. Now: the plan, valid tab names,
    the characters left out of every tab and a Problems line naming the file, row and column."""
    manager = f"Петров {EMOJI} [Old] 'X' Очень-длинное-имя-менеджера"
    client = "Клиент\ufffe\uffffX\x01"
    sales = tmp_path / "sales.csv"
    rows = [["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ"]]
    rows += [[f"05.{m}.2026", "Иванов", "ООО «Альфа»", "Камеры", 100000, "отгружен", f"А-{m}"] for m in ("07", "08", "09")]
    rows += [[f"05.{m}.2026", manager, client, "Кабель", 5000, "отгружен", f"Z-{m}"] for m in ("07", "08", "09")]
    with sales.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    book = make_workbook(tmp_path / "plan.xlsm", simple_sales())
    out_json = tmp_path / "plan.json"
    assert main(["plan", str(book), "--sales", str(sales), "--json", str(out_json), "--backups", "0"]) == 0

    wb = openpyxl.load_workbook(book)
    assert all(excel_accepts(n) for n in wb.sheetnames)
    mine = [n for n in wb.sheetnames if n.startswith(("№1 Петров", "№2 Петров"))]
    assert mine == ["№1 Петров 😀 Old X Очень-длинно", "№2 Петров 😀 Old X Очень-длинно"]
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                text = z.read(name).decode("utf-8")
                assert not re.search("[\ufffe\uffff\x01]", text), name
    calls = wb["Обзвон постоянных"]
    assert "КлиентX" in {c.value for row in calls.iter_rows() for c in row}
    problems = [r for r in wb["Проблемы"].iter_rows(values_only=True) if r[0] == "sales.csv"]
    assert [r[:4] for r in problems] == [("sales.csv", row, "Клиент", "КлиентX") for row in (5, 6, 7)]
    assert "U+FFFE, U+FFFF, U+0001" in problems[0][4]
    assert client in strings(json.loads(out_json.read_text(encoding="utf-8")))  # the JSON stays faithful


def strings(value: object) -> set[str]:
    """Every text in a JSON value."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(strings(v) for v in items))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_problem_reads_in_both_languages(lang):
    from salesplan.errors import Problem

    text = Problem("Продажи", 3, "Клиент", "Бета", "prob.bad_chars", {"chars": "U+FFFE"}).text(lang)
    assert "U+FFFE" in text and "{" not in text
