"""Table bodies written in bulk equal what XlsxWriter writes cell by cell, through to the user's file."""

import dataclasses
import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.ooxml import worksheet as bulkrows
from salesplan.ooxml.splice import replace_sheets
from salesplan.outputs import tabs
from salesplan.outputs.tabs import (
    Column,
    Formats,
    clean_text,
    new_book,
    put,
    write_table,
)


def _parts(path):
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist()}


@pytest.mark.slow
def test_a_planned_workbook_is_the_same_whether_tables_are_written_in_bulk_or_cell_by_cell(demo_copy, tmp_path,
                                                                                          monkeypatch):
    from salesplan.monthly import build

    source = demo_copy("book.xlsm")
    built, today = dt.datetime(2026, 11, 10, 9, 0), dt.date(2026, 11, 10)
    written = []
    real_insert = bulkrows.insert_rows
    monkeypatch.setattr(bulkrows, "insert_rows",
                        lambda xml, blocks, where: (written.extend(blocks), real_insert(xml, blocks, where))[1])
    outputs = {}
    for bulk_from in (tabs.BULK_MIN_ROWS, 10**9):
        monkeypatch.setattr(tabs, "BULK_MIN_ROWS", bulk_from)
        out = tmp_path / f"planned-{bulk_from}.xlsm"
        build(source, out=out, built=built, today=today, keep_backups=0)
        build(out, built=built, today=today, keep_backups=0)  # and again, in place: the tabs are replaced
        outputs[bulk_from] = _parts(out)
    # The bulk path did the long tables (the open orders, the call sheet), written by the splice
    # straight into the user's workbook; the Plan summary is written row by row (its rows get the
    # height of their warnings).
    assert sum(block.rows for block in written) > 100
    assert len({block.sheet for block in written}) >= 2
    assert outputs[tabs.BULK_MIN_ROWS] == outputs[10**9]


COLUMNS = [
    Column("col.order", "text", "text", 16),
    Column("col.amount", "number", "money", 14, "sum"),
    Column("col.date", "date", "date", 11),
    Column("col.client", "mixed", "wrap", 30),
    Column("col.lines", "count", "int", 7),
    Column("col.next_step", None, "write_in", 20),
]

# Text that tests the escaping: markup, quotes, Excel's own _xHHHH_ escapes, control characters
# (some illegal in XML), edge spaces, Cyrillic, a character beyond the BMP.
TEXT = st.text(alphabet=st.sampled_from(list("&<>\"' _x0041AbЖё😀\t\n\r\x01\x1f\x0b")), max_size=12)
MOMENT = st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1))
NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=False, width=64), st.integers(-10**15, 10**15))
MIXED = st.one_of(st.none(), TEXT, NUMBER, MOMENT, MOMENT.map(lambda m: m.date()), st.booleans(),
                  st.just(float("nan")), st.just(pd.NaT))


def _render(path, frame, bulk_from):
    old, tabs.BULK_MIN_ROWS = tabs.BULK_MIN_ROWS, bulk_from
    try:
        book = new_book(path)
        fm = Formats(book)
        ws = book.add_worksheet("Таблица")
        put(ws, 0, 0, "Открытые заказы", fm.title)
        end = write_table(ws, fm, 2, COLUMNS, frame, "ru", total_label="Итого")
        put(ws, end + 1, 0, "после таблицы", fm.note)
        book.close()
        bulkrows.insert_blocks(path, fm.blocks)
        return fm.blocks
    finally:
        tabs.BULK_MIN_ROWS = old


def _spliced_sheet(tmp_path, rendered, name):
    original = tmp_path / "user.xlsx"
    if not original.exists():  # a user's book with styles of its own, so the styles are remapped
        book = xlsxwriter.Workbook(str(original))
        ws = book.add_worksheet("Мои данные")
        ws.write(0, 0, "моё", book.add_format({"italic": True, "font_color": "#FF0000"}))
        book.close()
    out = tmp_path / f"{name}.xlsx"
    replace_sheets(original, rendered, out, ["Таблица"])
    with zipfile.ZipFile(out) as package:
        return package.read("xl/worksheets/sheet2.xml")


def _is_rich_looking(value):
    return isinstance(value, str) and value.startswith("<r>") and value.endswith("</r>")


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT, NUMBER, st.one_of(st.none(), MOMENT), MIXED, st.integers(0, 99)),
                min_size=0, max_size=25))
def test_bulk_rows_equal_cell_by_cell_rows_in_the_spliced_workbook(tmp_path, records):
    frame = pd.DataFrame(records, columns=["text", "number", "date", "mixed", "count"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["number"] = frame["number"].astype("float64")
    bulk = _render(tmp_path / "bulk.xlsx", frame, tabs.BULK_MIN_ROWS)
    _render(tmp_path / "cells.xlsx", frame, 10**9)
    if len(frame) >= tabs.BULK_MIN_ROWS:
        assert bulk and bulk[0].rows == len(frame) - 1
    assert _spliced_sheet(tmp_path, tmp_path / "bulk.xlsx", "a") == _spliced_sheet(tmp_path, tmp_path / "cells.xlsx", "b")


def test_bulk_rows_read_back_with_their_values_and_styles(tmp_path):
    frame = pd.DataFrame({
        "text": ["ООО «Альфа» & <Бета>", "  пробелы  ", "ИП Ёлкин 😀", "=HYPERLINK(\"http://x\")", "<r>Ромашка</r>"],
        "number": [1234567.5, float("nan"), -0.1, 1e20, 7],
        "date": pd.to_datetime(["2026-11-03", None, "2026-11-04 13:30", "1900-03-01", "2099-12-31"], format="ISO8601"),
        "mixed": ["текст", None, pd.Timestamp("2026-11-05"), True, 42],
        "count": [1, 2, 3, 4, 5],
    })
    blocks = _render(tmp_path / "bulk.xlsx", frame, tabs.BULK_MIN_ROWS)
    assert [b.rows for b in blocks] == [4]
    ws = openpyxl.load_workbook(tmp_path / "bulk.xlsx")["Таблица"]
    rows = list(ws.iter_rows(min_row=4, max_row=8, max_col=6, values_only=True))
    assert [r[0] for r in rows] == frame["text"].tolist()  # text stays text, formula-like or rich-looking
    assert [r[1] for r in rows][:1] == [1234567.5] and rows[1][1] is None and rows[3][1] == 1e20
    assert rows[0][2] == dt.datetime(2026, 11, 3) and rows[1][2] is None
    assert rows[2][2] == dt.datetime(2026, 11, 4, 13, 30) and rows[3][2] == dt.datetime(1900, 3, 1)
    # A date in a column without a date format shows as Excel's day number, as XlsxWriter writes it.
    assert [r[3] for r in rows] == ["текст", None, (dt.date(2026, 11, 5) - dt.date(1899, 12, 30)).days, True, 42]
    assert all(r[5] is None for r in rows)
    # Each column keeps its style: money, date, the yellow write-in column.
    assert ws["B4"].number_format == tabs.MONEY and ws["C5"].number_format == tabs.DATE
    assert ws["F4"].fill.fgColor.rgb == "FFFFFDE7" and ws["F4"].protection.locked is False
    assert ws["A9"].value == "Итого" and ws["B9"].value == pytest.approx(1234567.5 - 0.1 + 1e20 + 7)
    assert ws.max_row == 11  # the dimension: the note after the table, one row below the totals


def test_a_value_only_xlsxwriter_writes_sends_the_table_through_it(tmp_path):
    frame = pd.DataFrame({"text": ["a", "b", "c"], "number": [1.0, float("inf"), 2.0],
                          "date": pd.to_datetime(["2026-11-03"] * 3), "mixed": [None] * 3, "count": [1, 2, 3]})
    assert _render(tmp_path / "inf.xlsx", frame, tabs.BULK_MIN_ROWS) == []
    early = frame.assign(number=[1.0, 2.0, 3.0], date=pd.to_datetime(["1900-01-05", "2026-11-03", "2026-11-04"]))
    assert _render(tmp_path / "early.xlsx", early, tabs.BULK_MIN_ROWS) == []
    ws = openpyxl.load_workbook(tmp_path / "early.xlsx")["Таблица"]
    assert ws["C4"].value == dt.datetime(1900, 1, 5)


def test_text_is_cut_at_excels_limit_without_splitting_a_character():
    assert clean_text("я" * 40000) == "я" * 32767
    text = "a" * 32766 + "😀" + "b"  # the emoji would take units 32767 and 32768
    assert clean_text(text) == "a" * 32766
    assert clean_text("ok\x01\x0b") == "ok"


def test_rich_looking_text_outside_tables_is_written_as_text(tmp_path):
    book = new_book(tmp_path / "rich.xlsx")
    fm = Formats(book)
    ws = book.add_worksheet("Таблица")
    put(ws, 0, 0, "<r>Ромашка</r>", fm.title)
    put(ws, 1, 0, "<r><t>x</t></r>", fm.text)
    put(ws, 2, 0, "<r>без стиля</r>")
    book.close()
    sheet = openpyxl.load_workbook(tmp_path / "rich.xlsx")["Таблица"]
    assert [sheet[f"A{r}"].value for r in (1, 2, 3)] == ["<r>Ромашка</r>", "<r><t>x</t></r>", "<r>без стиля</r>"]
    assert sheet["A1"].font.b is True
    assert _spliced_sheet(tmp_path, tmp_path / "rich.xlsx", "rich").count(b"&lt;") >= 3


def test_rows_for_a_sheet_the_rendered_book_lacks_are_refused_and_nothing_is_written(tmp_path):
    frame = pd.DataFrame({"text": list("abcd"), "number": [1.0] * 4, "date": pd.to_datetime(["2026-11-03"] * 4),
                          "mixed": [None] * 4, "count": [1] * 4})
    rendered = tmp_path / "rendered.xlsx"
    book = new_book(rendered)
    fm = Formats(book)
    write_table(book.add_worksheet("Таблица"), fm, 0, COLUMNS, frame, "ru")
    book.close()
    lost = [dataclasses.replace(fm.blocks[0], sheet_name="Другой лист")]
    out = tmp_path / "out.xlsx"
    with pytest.raises(ValueError, match="Другой лист"):
        replace_sheets(rendered, rendered, out, ["Таблица"], rows=lost)
    assert not out.exists()


def _long_list_sheet(tmp_path, name, entries, bulk_from):
    from salesplan.method.longlist import STATS_COLUMNS, ListResult
    from salesplan.outputs.lists import write_long_list_tab

    old, tabs.BULK_MIN_ROWS = tabs.BULK_MIN_ROWS, bulk_from
    try:
        path = tmp_path / f"{name}.xlsx"
        book = new_book(path)
        fm = Formats(book)
        stats = pd.DataFrame([{"manager": m, "carried": 0, "added_lapsed": 0, "added_prospects": 0, "total": n,
                               "carried_share": 0.0, "interested": 0, "below_min": n < 3, "missing": max(0, 3 - n)}
                              for m, n in entries["manager"].value_counts(sort=False).items()], columns=STATS_COLUMNS)
        write_long_list_tab(book, fm, ListResult(entries, pd.DataFrame(), stats), 24322, "ru", {}, (3, 100))
        book.close()
        bulkrows.insert_blocks(path, fm.blocks)
        return path, fm.blocks
    finally:
        tabs.BULK_MIN_ROWS = old


def test_a_long_list_with_what_managers_typed_is_the_same_in_bulk_or_cell_by_cell(tmp_path):
    """Rebuilt mid-month: a call date typed among notes (its column's style changes down the rows),
    a manager's own column, text that looks like a formula or markup, a blank potential."""
    rows = []
    for i in range(12):
        manager = "Иванов" if i < 7 else "Петрова Анна"
        rows.append({"manager": manager, "company": ["=HYPERLINK(\"x\")", "ООО «Альфа» & <Бета>", f"ИП Ёлкин {i}"][i % 3],
                     "kind": "lapsed" if i % 2 else "prospect", "reason": "купил 12 месяцев назад",
                     "potential": float("nan") if i == 4 else 60000.0 + i, "entered": "2026-10", "list_month": "2026-11",
                     "flag": "missing" if i == 5 else "", "phone": "+7 900", "contact": "", "city": "Казань",
                     "prev_called_on": dt.date(2026, 10, 3) if i % 3 == 0 else "", "prev_result": "перезвонить",
                     "called_on": dt.date(2026, 11, 2) if i in (1, 9) else "", "result": "", "interested": "да",
                     "why_not": "", "next_step": "КП", "notes": "  пробел  ",
                     "own_columns": {"Моя колонка": "важно"} if i % 4 == 0 else {}, "source": "carried"})
    entries = pd.DataFrame(rows)
    # Each manager's block has a call date typed among blanks in «called_on» (rows 1 and 9): a date
    # style among the yellow text style, so both blocks are written cell by cell.
    bulk, blocks = _long_list_sheet(tmp_path, "bulk", entries, tabs.BULK_MIN_ROWS)
    cells, _ = _long_list_sheet(tmp_path, "cells", entries, 10**9)
    assert blocks == []
    sheet = _spliced_sheet(tmp_path, bulk, "a")
    assert "Ёлкин 8".encode() in sheet and sheet == _spliced_sheet(tmp_path, cells, "b")
    # The calls not typed yet: every column keeps one style, each block but its last row in bulk
    # (dates of the last call, blanks, own columns, a blank potential among numbers).
    typed_free = entries.assign(called_on="")
    bulk, blocks = _long_list_sheet(tmp_path, "bulk2", typed_free, tabs.BULK_MIN_ROWS)
    cells, _ = _long_list_sheet(tmp_path, "cells2", typed_free, 10**9)
    assert [b.rows for b in blocks] == [6, 4]
    assert _spliced_sheet(tmp_path, bulk, "c") == _spliced_sheet(tmp_path, cells, "d")
    ws = openpyxl.load_workbook(bulk).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "=HYPERLINK(\"x\")" in values and "ООО «Альфа» & <Бета>" in values and "важно" in values
