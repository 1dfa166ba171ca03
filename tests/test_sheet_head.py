"""The first rows of a sheet read from a small copy of the package (``peek.sheet_head``), whose
shared strings are only those the rows use, numbered anew (``peek.with_own_strings``)."""

from __future__ import annotations

import re
import zipfile

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from salesplan.inputs.rows import read_head
from salesplan.ooxml import peek

SST = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="4">'
       b'<si><t>zero</t></si><si><t>one</t></si><si><r><t>t</t></r><r><t>wo</t></r></si><si><t>three</t></si></sst>')


def cell(ref: str, index: int) -> bytes:
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'.encode()


def test_the_rows_keep_their_strings_under_new_numbers():
    sheet = b"<row r=\"1\">" + cell("A1", 3) + cell("B1", 2) + b'<c r="C1"><v>2</v></c>' + cell("D1", 3) + b"</row>"
    got = peek.with_own_strings(sheet, SST)
    assert got is not None
    rows, table = got
    # three (3) is string 0 now, "two" (2) string 1; the number 2 in C1 is left alone
    assert rows == b'<row r="1">' + cell("A1", 0) + cell("B1", 1) + b'<c r="C1"><v>2</v></c>' + cell("D1", 0) + b"</row>"
    assert table.endswith(b"<si><t>three</t></si><si><r><t>t</t></r><r><t>wo</t></r></si></sst>")
    assert b"count=" not in table  # the old counts are dropped, not left wrong


@pytest.mark.parametrize("sheet, strings", [
    (cell("A1", 4), SST),  # a string the table does not have
    (b'<c r="A1" t="s"><f>X</f><v>1</v></c>', SST),  # not written as read here
    (cell("A1", 1), SST.replace(b"<si><t>one</t></si>", b"<si/>")),
    (cell("A1", 1), SST.replace(b"<t>one</t>", b"<t><![CDATA[</si>]]></t>")),
    (cell("A1", 1), SST.replace(b"<sst ", b"<x:sst ").replace(b"</sst>", b"</x:sst>")),
])
def test_a_table_or_cell_not_read_here_keeps_the_whole_table(sheet, strings):
    assert peek.with_own_strings(sheet, strings) is None


def test_the_head_reads_as_the_whole_sheet_with_strings_far_down_the_table(tmp_path):
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    other = book.add_worksheet("Клиенты")
    for i in range(5000):  # their strings come first in the table
        other.write_string(i, 0, f"клиент {i}")
    sales = book.add_worksheet("Продажи")
    bold = book.add_format({"bold": True})
    sales.write_rich_string(0, 0, "Да", bold, "та")
    for c, name in enumerate(["Клиент", "Сумма", "A & B <c>", "_x0041_", " края "], start=1):
        sales.write_string(0, c, name)
    for r in range(1, 60):
        sales.write_string(r, 0, f"клиент {(r * 37) % 5000}")
        sales.write_number(r, 1, r * 10.5)
        sales.write_string(r, 2, f"строка {r}")
    book.close()

    with zipfile.ZipFile(path) as package:
        with package.open(peek.sheet_parts(package)[1]["Продажи"]) as stream:
            cut = peek.cut_sheet(stream, 30)
    head = peek.sheet_head(path, "Продажи", 30)
    with zipfile.ZipFile(head) as small:
        table = small.read("xl/sharedStrings.xml")
    assert cut is not None and len(re.findall(rb"</si>", table)) == len(set(re.findall(rb't="s"><v>(\d+)<', cut)))
    whole = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Продажи").to_python(skip_empty_area=False)
    assert read_head(path, "Продажи", 30) == whole[:30]


def test_cells_without_references_or_with_a_prefix_keep_their_strings():
    sheet = b'<x:c t="s"><x:v>3</x:v></x:c><c t="s"><v>1</v></c>'
    rows, table = peek.with_own_strings(sheet, SST)
    assert rows == b'<x:c t="s"><x:v>0</x:v></x:c><c t="s"><v>1</v></c>'
    assert table.endswith(b"<si><t>three</t></si><si><t>one</t></si></sst>")
