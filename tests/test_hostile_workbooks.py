"""The hostile-workbook corpus: files that would make a reader allocate without bound, take
quadratic time, raise its own exceptions or panic, and templates that carry code. Each case is
planned (or checked) through the command line and must end with its exit code and a message naming
the file and the sheet, part or cell — never a traceback, never an aborted process, never a changed
input file. The files are built here, small, with openpyxl and zipfile.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from salesplan.cli import main
from salesplan.ooxml import limits, peek
from salesplan.ooxml.limits import Cell, LimitError, SheetScan
from workbooks import make_workbook, simple_sales

REPO = Path(__file__).resolve().parents[1]
INSTRUMENT1 = REPO / "templates" / "instrument1.xlsx"


# --- helpers --------------------------------------------------------------------------------------

def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def unchanged(*paths: Path) -> Iterator[None]:
    """The files' bytes are the same after the block as before it, and nothing was added beside
    the first (no output, backup or temporary file) but what the block was asked to write."""
    before = {p: digest(p) for p in paths}
    beside = {p.name for p in paths[0].parent.iterdir()}
    yield
    for p in paths:
        assert digest(p) == before[p], f"{p} was changed"
    assert {p.name for p in paths[0].parent.iterdir()} - beside <= {"out.xlsm"}, "left beside the workbook"


def run(capsys, *argv: str) -> tuple[int, str]:
    """``salesplan ARGV``: the exit code and all it printed, which holds no traceback."""
    code = main(list(argv))
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert "Traceback" not in said and "panicked" not in said and "stack backtrace" not in said, said
    return code, said


def book(tmp: Path, name: str = "in.xlsm") -> Path:
    return make_workbook(tmp / name, simple_sales(), targets={"Иванов": 200000})


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    change(wb)
    wb.save(path)
    return path


def rewrite(path: Path, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> Path:
    """The zip at ``path`` with some parts replaced (bytes) or edited (a function of the old bytes)."""
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info)) for info in old.infolist()]
    names = {info.filename for info, _ in entries}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            change = parts.get(info.filename)
            new.writestr(info.filename, change(data) if callable(change) else change if change is not None else data)
        for name, data in parts.items():
            if name not in names:
                new.writestr(name, data if isinstance(data, bytes) else data(b""))
    return path


def declare_size(path: Path, name: str, size: int) -> Path:
    """Write another inflated size for entry ``name`` into the zip's local header and directory: a
    zip whose directory lies."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        local = z.getinfo(name).header_offset
    struct.pack_into("<L", data, local + 22, size)
    end = data.rfind(b"PK\x05\x06")
    at = struct.unpack_from("<L", data, end + 16)[0]
    while data[at:at + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, at + 28)
        if data[at + 46:at + 46 + name_len].decode() == name:
            struct.pack_into("<L", data, at + 24, size)
        at += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    return path


def shared_strings_inflating_to(path: Path, size: int) -> Path:
    """The workbook's shared-string table replaced by one that inflates to ``size`` bytes of one
    long string: a zip bomb in sharedStrings (deflate packs it about a thousand times)."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
    tail = b"</t></si></sst>"
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in entries:
            if info.filename == "xl/sharedStrings.xml":
                with new.open("xl/sharedStrings.xml", "w") as out:
                    out.write(head)
                    left = size - len(head) - len(tail)
                    block = b"A" * (1 << 20)
                    while left > 0:
                        out.write(block[:left])
                        left -= len(block)
                    out.write(tail)
            else:
                new.writestr(info.filename, data)
    return path


@pytest.fixture
def no_reader_may_inflate(monkeypatch):
    """Fail if python-calamine, fastexcel or openpyxl opens a file: the check comes first."""
    import fastexcel
    import python_calamine

    def refuse(*args, **kwargs):
        raise AssertionError("a reader was handed the file")

    class Refusing:
        from_path = from_filelike = staticmethod(refuse)

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Refusing)
    monkeypatch.setattr(fastexcel, "read_excel", refuse)
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# --- 1. a far stray cell --------------------------------------------------------------------------

@pytest.mark.parametrize("tab", ["Настройки", "Продажи", "Пожелания клиентов"])
def test_a_value_typed_in_xfd1048576_is_a_message_naming_the_cell_not_512_gib(tmp_path, capsys, tab):
    """One value in the last cell of the Config, Sales or Wishes tab would make the Rust readers lay
    out a grid of 17 179 869 184 cells (512 GiB) and end the process."""
    path = book(tmp_path)

    def far(wb):
        ws = wb[tab] if tab in wb.sheetnames else wb.create_sheet(tab)
        if ws.max_row == 1 and ws.max_column == 1:
            ws.append(["Клиент", "Пожелание"])
        ws["XFD1048576"] = "забыли здесь"

    edit(path, far)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
        assert code == 2
        assert f"«{tab}»" in said and "XFD1048576" in said and "столбец XFD" in said, said
        code, said = run(capsys, "check", str(path))
        assert code == 1 and "XFD1048576" in said, said


def test_a_far_cell_in_a_separate_sales_file_is_a_message_naming_file_and_cell(tmp_path, capsys):
    path = book(tmp_path)
    sales = tmp_path / "export.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Продажи"
    ws.append(["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ"])
    for row in simple_sales():
        ws.append(row)
    ws["XFD1048576"] = 1
    wb.save(sales)
    with unchanged(path, sales):
        code, said = run(capsys, "plan", str(path), "--sales", str(sales))
    assert code == 2 and "export.xlsx" in said and "XFD1048576" in said, said


def test_a_far_column_over_many_rows_names_both_cells_that_stretch_the_sheet(tmp_path, capsys):
    """A stray value in XFD5 over 5 000 rows of sales: 82 million cells. The message names the
    rightmost cell and one in the lowest row, so the stray one is plain to see."""
    path = book(tmp_path)

    def stray(wb):
        ws = wb["Продажи"]
        for i in range(5000):
            ws.append(["05.06.2026", "Иванов", f"Клиент {i}", "Кабель", 1000, "отгружен", f"Z-{i}"])
        ws["XFD5"] = "?"

    edit(path, stray)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and "XFD5" in said and re.search("[A-G]5008 ", said) and "«Продажи»" in said, said


def test_a_formatted_empty_far_cell_is_not_a_value_and_the_plan_is_built(tmp_path, capsys):
    """Formatting XFD1048576 (no value) writes <c r="XFD1048576" s="…"/> and a dimension up to it;
    the readers skip such a cell, and so does the scan: the used range is read from the cells."""
    path = book(tmp_path)
    edit(path, lambda wb: setattr(wb["Продажи"]["XFD1048576"], "font", Font(bold=True)))
    with zipfile.ZipFile(path) as z:
        sheet = next(z.read(n) for n in z.namelist() if b"XFD1048576" in z.read(n))
    assert re.search(rb'<dimension ref="A1:XFD1048576"', sheet)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path), "--out", str(tmp_path / "out.xlsm"))
    assert code == 0, said


def test_a_sheet_declaring_a_small_dimension_is_still_scanned_for_its_far_cells(tmp_path, capsys):
    path = book(tmp_path)
    edit(path, lambda wb: wb["Настройки"].__setitem__("XFD1048576", 1))
    with zipfile.ZipFile(path) as z:
        part = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and b"XFD1048576" in z.read(n))
    rewrite(path, {part: lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:C30"/>', xml)})
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and "XFD1048576" in said, said


SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>{}</sheetData></worksheet>')


@pytest.mark.parametrize("cells", [
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c><c r="xfd1048576"><v>1</v></c></row>',  # lower case
    "<row r='1'><c r='A1'><v>1</v></c><c r='XFD1048576'><v>1</v></c></row>",  # single quotes
    '<row r="1"><c r="A1"><v>1</v></c><c r = "XFD1048576"><v>1</v></c></row>',  # spaces
    '<row r="1"><c s="1" r="XFD1048576"><v>1</v></c><c r="A1"><v>1</v></c></row>',  # r not first
    '<row r="1"><c r="A1"><v>1</v></c><x:c xmlns:x="urn:x" r="XFD1048576"><x:v>1</x:v></x:c></row>',  # prefix
    '<row r="1"><c r="A1"><v>1</v></c><c r="B4000000000"><v>1</v></c></row>',  # past Excel's rows
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576">' + "<c></c>" * 100 + "<c><v>1</v></c></row>",
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
])
def test_every_spelling_of_a_far_cell_the_readers_accept_is_found(cells):
    scan = SheetScan()
    with pytest.raises(LimitError) as raised:
        scan.feed(SHEET.format(cells).encode())
        scan.finish()
    assert raised.value.kind == "cells" and raised.value.size > limits.MAX_CELLS


@pytest.mark.parametrize("far", ['<c r="XFD1048576"><v>1</v></c>',
                                 '<y:c xmlns:y="urn:y" r="XFD1048576"><y:v>1</y:v></y:c>',
                                 '<x:c r="XFD1048576"><x:v>1</x:v></x:c>', "<x:c><x:v>1</x:v></x:c>" * 70])
def test_a_far_cell_in_a_sheet_written_with_a_prefix_is_found(far):
    """The Open XML SDK writes <x:c …>; a cell with no prefix or another one among them is a cell."""
    xml = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="1048576">' + far
           + "</x:row></x:sheetData></x:worksheet>")
    scan = SheetScan()
    with pytest.raises(LimitError):
        scan.feed(xml.encode())
        scan.finish()


@pytest.mark.parametrize("cells", [
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" s="1"/></row>',  # formatted, empty
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v></v></c></row>',  # an empty value
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><f>1+1</f></c></row>',  # no cached value
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="BL1048576"><v>1</v></c></row>',  # 64 columns
    '<row r="1"><c r="A1"><v>1</v></c><c r="XFD9"><v>1</v></c></row>',  # far right, few rows: 147 456 cells
])
def test_cells_the_readers_lay_out_within_the_limit_pass(cells):
    scan = SheetScan()
    scan.feed(SHEET.format(cells).encode())
    scan.finish()


@pytest.mark.parametrize("prefix", [b"", b"x:"])
def test_the_fast_patterns_know_exactly_which_references_are_near(prefix):
    """Near: column 1 to 64 (A to BL), row 1 to 1 048 576. The first pattern passes one letter and a
    near row; the second, every near reference; both stop at anything else."""
    narrow, odd, _ = limits._fast_patterns(prefix)
    for column in [*range(1, 80), 702, 703, 16384, 16385]:
        for row in [1, 9, 10, 99999, 999999, 1000000, 1048575, 1048576, 1048577, 1049999, 1099999, 9999999, 10 ** 8]:
            tag = b"<" + prefix + f'c r="{limits.column_name(column)}{row}" t="s">'.encode()
            near = column <= limits.NEAR_COLUMNS and row <= limits.MAX_ROWS
            assert (odd.match(tag) is None) == near, tag
            assert (narrow.match(tag) is None) == (near and column <= 26), tag
    for tag in [b"<c>", b"<c/>", b'<c s="1" r="A1">', b"<c r='A1'>", b'<c r = "A1">', b'<c r="A01">', b'<c\tr="A1">']:
        tag = tag.replace(b"<c", b"<" + prefix + b"c")
        assert odd.match(tag) is not None and narrow.match(tag) is not None, tag


def test_a_wide_sales_tab_within_64_columns_is_planned(tmp_path, capsys):
    """64 columns (A to BL) on every row: the narrow search gives way to the one that knows them."""
    path = book(tmp_path)

    def wide(wb):
        ws = wb["Продажи"]
        for r in range(1, ws.max_row + 1):
            for c in range(8, 65):
                ws.cell(r, c, f"доп {c}" if r == 1 else c)
        for i in range(limits._WIDE // 30):  # past _WIDE cells in AA:BL
            ws.append(["05.06.2026", "Иванов", f"Клиент {i}", "Кабель", 1000, "отгружен", f"W-{i}"]
                      + list(range(8, 65)))

    edit(path, wide)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path), "--out", str(tmp_path / "out.xlsm"))
    assert code == 0, said


def readers_farthest(xml: str) -> tuple[int, int]:
    """The lowest row and rightmost column holding a value, as python-calamine places cells (a model:
    a cell's ``r``, else the place after the cell before it in its row; a row's ``r``, else the
    row after the one before; an empty element <c/> passed by; only inside sheetData)."""
    row = column = 0
    far = (0, 0)
    data = xml.split("<sheetData>", 1)[1].split("</sheetData>", 1)[0]
    for tag in re.finditer(r"<(/?)(row|c)(?=[\s/>])([^>]*)>", data):
        closing, name, attributes = tag.groups()
        content = data[tag.end():data.find("</c>", tag.end())] if name == "c" else ""
        reference = re.search(r'\sr="(\w+)"', attributes)
        if name == "row" and closing:
            row, column = row + 1, 0
        elif name == "row" and not attributes.endswith("/"):
            row = int(reference.group(1)) - 1 if reference else row
        elif name == "c" and not closing and not attributes.endswith("/"):
            if reference:
                letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", reference.group(1)).groups()
                cell = (int(digits) - 1, limits._column_number(letters.encode()) - 1)
            else:
                cell = (row, column)
            column = cell[1] + 1
            if content and re.search(r"<v>[^<]|<is>", content):
                far = (max(far[0], cell[0] + 1), max(far[1], cell[1] + 1))
    return far


def random_sheet(rng, rows: int = 12, far: int = 90000, wide: int = 200) -> str:
    """A sheet mixing cells with and without references, values and empty cells, rows with and
    without r (rows up to ``far``, columns up to ``wide``)."""
    out, r = [], 0
    for _ in range(rng.randint(0, rows)):
        r = rng.choice([r + 1, r + 1, r + rng.randint(1, 5000), rng.randint(1, far)])
        cells, c = [], 0
        for _ in range(rng.randint(0, 8)):
            c = rng.choice([c + 1, c + rng.randint(1, 40), rng.randint(1, wide)])
            at = rng.choice([r, r, rng.randint(1, far)])
            ref = f' r="{limits.column_name(c)}{at}"' if rng.random() < .5 else ""
            cells.append(rng.choice([f"<c{ref}><v>1</v></c>", f'<c{ref} t="inlineStr"><is><t>x</t></is></c>',
                                     f'<c{ref} s="1"/>', f"<c{ref}/>", f"<c{ref}><f>A1</f></c>"]))
        if rng.random() < .3:  # a cell with a reference but no value: not counted
            cells.append(f'<c r="{limits.column_name(rng.randint(1, wide))}{r}"></c>')
        attributes = f' r="{r}"' if rng.random() < .6 else ""
        out.append(f"<row{attributes}>{''.join(cells)}</row>" if cells or rng.random() < .5
                   else f"<row{attributes}/>")
    return SHEET.format("".join(out))


def fed_in_pieces(scan: SheetScan, data: bytes, rng) -> tuple[Cell | None, Cell | None]:
    cut = sorted(rng.sample(range(len(data)), min(3, len(data))))
    for piece in (data[a:b] for a, b in zip([0, *cut], [*cut, len(data)])):
        scan.feed(piece)
    return scan.finish()


def test_the_exact_scan_places_every_cell_where_the_reader_does():
    """Random sheets fed in random pieces: the exact scan finds the readers' lowest row and
    rightmost column (past 64) every time."""
    import random

    rng = random.Random(15)
    for _ in range(300):
        xml = random_sheet(rng)
        expected_row, expected_column = readers_farthest(xml)
        scan = SheetScan()
        scan._exact_from_start()
        far_row, far_column = fed_in_pieces(scan, xml.encode(), rng)
        assert (far_row.row if far_row else 0) == expected_row, xml
        assert (far_column.column if far_column else 0) == (expected_column if expected_column > 64 else 0), xml


def test_the_scan_refuses_exactly_the_sheets_whose_grid_passes_the_limit():
    """Random sheets, some stretched far (rows to 3 million, columns to XFD): the scan, fast or
    exact, refuses a sheet if and only if the readers' grid (counted at least 64 columns wide)
    passes MAX_CELLS."""
    import random

    rng = random.Random(8)
    refused = 0
    for _ in range(400):
        xml = random_sheet(rng, rows=6, far=rng.choice([90000, 3_000_000]), wide=rng.choice([60, 16384]))
        if rng.random() < .5:  # canonical: every cell with its reference, as Excel writes them
            xml = re.sub(r"<c(?= |/|>)(?! r=)", '<c r="A1"', xml)
        rows, columns = readers_farthest(xml)
        too_big = rows * max(columns, limits.NEAR_COLUMNS) > limits.MAX_CELLS
        if rng.random() < .25:  # as the Open XML SDK writes: every element with the x: prefix
            xml = re.sub(r"<(/?)(worksheet|dimension|sheetData|row|c|v|is|t|f)(?=[ />])", r"<\1x:\2", xml)
            xml = xml.replace("<x:worksheet xmlns=", "<x:worksheet xmlns:x=")
        try:
            fed_in_pieces(SheetScan(), xml.encode(), rng)
        except LimitError:
            refused += 1
            assert too_big, xml
        else:
            assert not too_big, xml
    assert 40 < refused < 360  # both kinds were met


def test_the_scan_reads_a_cell_split_across_chunks():
    xml = SHEET.format('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576">'
                       '<v>1</v></c></row>').encode()
    for cut in range(len(xml) - 60, len(xml) - 5):
        scan = SheetScan()
        with pytest.raises(LimitError) as raised:
            for piece in (xml[:cut], xml[cut:]):
                scan.feed(piece)
            scan.finish()
        assert raised.value.far_column == Cell(1048576, 16384)


def test_the_scan_holds_a_bounded_buffer_however_long_the_text_between_tags():
    """Megabytes of spaces, in the fast scan and in the exact one: nothing grows but the count."""
    for start in ("", "<c>"):  # an r-less cell sends the scan to its exact mode
        scan = SheetScan()
        scan.feed(SHEET.format("").split("<sheetData>")[0].encode() + b"<sheetData><row>" + start.encode())
        for _ in range(256):
            scan.feed(b" " * (1 << 16))
            assert len(scan._buffer) <= 1 << 10
        scan.feed(b"</row></sheetData></worksheet>")
        scan.finish()


# --- 2. zip bombs ---------------------------------------------------------------------------------

def test_a_zip_bomb_in_the_shared_strings_is_refused_from_the_zip_directory(tmp_path, capsys, no_reader_may_inflate):
    """64 MiB of one string deflated to some 64 KiB (a thousand times, as a bomb is): refused from
    the sizes the zip directory declares, before any reader inflates a byte of it."""
    path = shared_strings_inflating_to(book(tmp_path), 64 << 20)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and "xl/sharedStrings.xml" in said and "zip-бомб" in said, said


def test_a_part_declaring_more_than_a_gib_is_refused_without_inflating_it(tmp_path, capsys, no_reader_may_inflate):
    path = declare_size(book(tmp_path), "xl/sharedStrings.xml", 3 << 30)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and "xl/sharedStrings.xml" in said and "3\u202f072 МБ" in said and "1\u202f024 МБ" in said, said


def test_a_part_inflating_past_what_the_directory_declares_is_stopped_while_inflating(tmp_path, capsys):
    """The directory says 200 bytes, the deflated stream holds 64 MiB: the Rust readers would
    believe the stream. The check inflates it first and stops one byte past the claim."""
    path = declare_size(shared_strings_inflating_to(book(tmp_path), 64 << 20), "xl/sharedStrings.xml", 200)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and "xl/sharedStrings.xml" in said and "повреждена" in said, said


def test_a_sales_sheet_inflating_past_its_declared_size_is_stopped_while_scanned(tmp_path, capsys):
    path = book(tmp_path)
    with zipfile.ZipFile(path) as z:
        part = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and "Альфа".encode() not in z.read(n)
                    and b"<c r=\"G7\"" in z.read(n))
        size = z.getinfo(part).file_size
    declare_size(path, part, size - 100)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and part in said and "повреждена" in said, said


def test_the_limits_leave_room_for_excels_largest_sales_tab():
    """A 1 048 575-row, ten-column Sales tab (benchmarks/make_ledger.py) inflates to 405 MB of
    sheet XML and 9 MB of shared strings, compressed 8.7 and 10.2 times."""
    assert limits.MAX_PART >= 2.5 * 405e6 and limits.MAX_TOTAL >= 2 * limits.MAX_PART
    assert limits.MAX_RATIO >= 5 * 10.2
    assert limits.MAX_CELLS >= 1_048_576 * 10 * 6


# --- 3. the head read is linear -------------------------------------------------------------------

class Recording:
    """A compiled pattern that records the length of every text searched with it."""

    def __init__(self, pattern: re.Pattern[bytes], lengths: list[int]) -> None:
        self.pattern, self.lengths = pattern, lengths

    def finditer(self, text, *args):
        self.lengths.append(len(text))
        return self.pattern.finditer(text, *args)

    def search(self, text, *args):
        self.lengths.append(len(text))
        return self.pattern.search(text, *args)


def test_whitespace_before_row_1_is_read_once_by_the_head_read(monkeypatch):
    """16 MiB of spaces before the first row: each search of the cut looks at one chunk and a few
    bytes of the one before, never at all that came before it (a growing buffer searched again
    and again took 40 s at 64 MiB), and the stream is read once."""
    lengths: list[int] = []
    for name in ("ROW_TAG", "_SHEET_DATA_END", "ROOT_TAG"):
        monkeypatch.setattr(peek, name, Recording(getattr(peek, name), lengths))
    spaces = 16 << 20
    xml = SHEET.format(" " * spaces + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 50)))

    class Stream(io.BytesIO):
        served = 0

        def read(self, size=-1):
            data = super().read(size)
            Stream.served += len(data)
            return data

    cut = peek.cut_sheet(Stream(xml.encode()), 5)
    assert cut is not None and b'<row r="5">' in cut and b'<row r="6">' not in cut
    assert cut.endswith(b"</sheetData></worksheet>")
    assert Stream.served <= len(xml.encode()) + peek._CHUNK  # read once, and not past the cut much
    assert max(lengths) <= peek._CHUNK + peek._OVERLAP
    assert sum(lengths) <= 3 * (spaces + peek._CHUNK)


def test_a_sales_tab_with_megabytes_of_whitespace_before_row_1_is_planned(tmp_path, capsys):
    path = book(tmp_path)
    with zipfile.ZipFile(path) as z:
        part = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and b'<c r="G7"' in z.read(n))
    rewrite(path, {part: lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (4 << 20), 1)})
    with unchanged(path):
        code, said = run(capsys, "plan", str(path), "--out", str(tmp_path / "out.xlsm"))
    assert code == 0, said


# --- 4. no Rust or Python backtrace reaches the user ----------------------------------------------

class PanicException(BaseException):
    """What pyo3 raises for a panic in Rust: a BaseException, which ``except Exception`` misses."""


def reader_that_panics(monkeypatch, sheet: str, error: type[BaseException] = PanicException):
    """python-calamine, except that reading ``sheet`` panics (or raises ``error``)."""
    import python_calamine

    real = python_calamine.CalamineWorkbook

    class Book:
        def __init__(self, book):
            self._book, self.sheet_names = book, book.sheet_names

        def get_sheet_by_name(self, name):
            if name == sheet:
                raise error("called `Option::unwrap()` on a `None` value")
            return self._book.get_sheet_by_name(name)

    class Workbook:
        @staticmethod
        def from_path(path):
            return Book(real.from_path(path))

        @staticmethod
        def from_filelike(data):
            return Book(real.from_filelike(data))

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Workbook)


@pytest.mark.parametrize("error", [PanicException, RuntimeError])
def test_a_panic_or_an_error_in_the_rust_reader_is_a_message_naming_file_and_sheet(tmp_path, capsys, monkeypatch,
                                                                                   error):
    path = book(tmp_path)
    reader_that_panics(monkeypatch, "Настройки", error)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
        assert code == 2 and "«Настройки»" in said and str(path) in said and "unwrap" in said, said
        code, said = run(capsys, "check", str(path))
        assert code == 1 and "«Настройки»" in said, said


def test_a_panic_in_the_sales_tab_read_is_a_message_too(tmp_path, capsys, monkeypatch):
    """fastexcel panics (its columns are then read by python-calamine), and so does python-calamine."""
    import fastexcel

    def panics(*args, **kwargs):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(fastexcel, "read_excel", panics)
    reader_that_panics(monkeypatch, "Продажи")
    path = book(tmp_path)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and "«Продажи»" in said and str(path) in said, said


def test_a_panic_in_fastexcel_alone_falls_back_to_the_row_reader(tmp_path, capsys, monkeypatch):
    import fastexcel

    def panics(*args, **kwargs):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(fastexcel, "read_excel", panics)
    path = book(tmp_path)
    with unchanged(path):
        code, said = run(capsys, "plan", str(path), "--out", str(tmp_path / "out.xlsm"))
    assert code == 0, said


# --- 5. templates are layout, not code ------------------------------------------------------------

def restyled(tmp: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """templates/instrument1.xlsx beside the workbook: the shipped one, changed by a supervisor."""
    folder = tmp / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / "instrument1.xlsx"
    shutil.copy(INSTRUMENT1, path)
    return edit(path, change)


@pytest.mark.parametrize("formula, shown", [
    ('=WEBSERVICE("http://x")', "WEBSERVICE"),
    ('=_xlfn.WEBSERVICE("http://x")', "WEBSERVICE"),
    ("=cmd|' /c calc'!A0", "cmd|"),
    ("='[other.xlsx]Sheet1'!A1", "[other.xlsx]"),
    ("=[1]Sheet1!A1", "[1]Sheet1"),
    ('=HYPERLINK("http://x", "x")', "HYPERLINK"),
    ('=INDIRECT("A1")', "INDIRECT"),
    ("='Лист 2'!A1", "Лист 2"),
])
def test_a_template_formula_reaching_outside_its_sheet_stops_the_build_naming_template_and_cell(
        tmp_path, capsys, formula, shown):
    path = book(tmp_path)
    template = restyled(tmp_path, lambda wb: wb.worksheets[0].__setitem__("H3", formula))
    with unchanged(path, template):
        code, said = run(capsys, "plan", str(path))
    assert code == 2, said
    assert str(template) in said and "ячейка H3" in said and shown in said, said


def test_a_template_total_over_its_own_cells_is_kept(tmp_path, capsys):
    path = book(tmp_path)
    template = restyled(tmp_path, lambda wb: wb.worksheets[0].__setitem__("H3", "=ROUND(SUM(A1:E2)*1.2,0)"))
    with unchanged(path, template):
        code, said = run(capsys, "plan", str(path), "--out", str(tmp_path / "out.xlsm"))
    assert code == 0, said


def test_a_template_name_or_rule_reaching_outside_stops_the_build(tmp_path, capsys):
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.workbook.defined_name import DefinedName

    path = book(tmp_path)
    template = restyled(tmp_path, lambda wb: wb.defined_names.add(DefinedName("Курс", attr_text='WEBSERVICE("x")')))
    with unchanged(path, template):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and str(template) in said and "«Курс»" in said and "WEBSERVICE" in said, said
    template = restyled(tmp_path, lambda wb: wb.worksheets[0].conditional_formatting.add(
        "A1:E5", FormulaRule(formula=["[1]Sheet1!$A$1>0"], font=Font(bold=True))))
    with unchanged(path, template):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and str(template) in said and "A1:E5" in said, said


WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def with_external_link_and_connection(template: Path) -> Path:
    """The template with an external link (to other.xlsx, as Excel writes one for ='[other.xlsx]…'),
    a data connection and a query table on its sheet, none of them used by a formula."""
    link = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="' + NS_REL.encode() + b'"><externalBook '
            b'r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>')
    link_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
                 b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="' + NS_REL.encode()
                 + b'/externalLinkPath" Target="other.xlsx" TargetMode="External"/></Relationships>')
    connections = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><connections xmlns="http://schemas.'
                   b'openxmlformats.org/spreadsheetml/2006/main"><connection id="1" name="web" type="4" '
                   b'refreshOnLoad="1"><webPr url="http://x/"/></connection></connections>')
    query = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><queryTable xmlns="http://schemas.'
             b'openxmlformats.org/spreadsheetml/2006/main" name="web" connectionId="1" autoFormatId="16" '
             b'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0" '
             b'applyAlignmentFormats="0" applyWidthHeightFormats="0"/>')

    def rels(xml: bytes) -> bytes:
        return xml.replace(b"</Relationships>", b'<Relationship Id="rIdX1" Type="' + NS_REL.encode()
                           + b'/externalLink" Target="externalLinks/externalLink1.xml"/><Relationship Id="rIdX2" '
                           b'Type="' + NS_REL.encode() + b'/connections" Target="connections.xml"/></Relationships>')

    def workbook(xml: bytes) -> bytes:
        return xml.replace(b"</sheets>", b'</sheets><externalReferences><externalReference r:id="rIdX1"/>'
                                         b'</externalReferences>', 1)

    def types(xml: bytes) -> bytes:
        return xml.replace(b"</Types>", b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType='
                           b'"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
                           b'<Override PartName="/xl/connections.xml" ContentType="application/vnd.openxmlformats-'
                           b'officedocument.spreadsheetml.connections+xml"/><Override PartName="/xl/queryTables/'
                           b'queryTable1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                           b'spreadsheetml.queryTable+xml"/></Types>')

    sheet_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
                  b'openxmlformats.org/package/2006/relationships"><Relationship Id="rIdQ1" Type="' + NS_REL.encode()
                  + b'/queryTable" Target="../queryTables/queryTable1.xml"/></Relationships>')
    return rewrite(template, {WORKBOOK_RELS: rels, "xl/workbook.xml": workbook, "[Content_Types].xml": types,
                              "xl/externalLinks/externalLink1.xml": link,
                              "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
                              "xl/connections.xml": connections, "xl/queryTables/queryTable1.xml": query,
                              "xl/worksheets/_rels/sheet1.xml.rels": sheet_rels})


def test_external_links_and_data_connections_of_a_template_never_reach_the_plan(tmp_path, capsys):
    path = book(tmp_path)
    template = with_external_link_and_connection(restyled(tmp_path, lambda wb: None))
    with zipfile.ZipFile(template) as z:
        assert "xl/worksheets/sheet1.xml" in z.namelist()
    linked = openpyxl.reader.excel.load_workbook(template, keep_links=True)
    assert len(linked._external_links) == 1  # a link openpyxl would carry over, were it asked to
    out = tmp_path / "out.xlsm"
    with unchanged(path, template):
        code, said = run(capsys, "plan", str(path), "--out", str(out))
    assert code == 0, said
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert not [n for n in names if "externalLink" in n or "connections" in n or "queryTable" in n], names
        assert b"externalReference" not in z.read("xl/workbook.xml")
        assert not any(b"other.xlsx" in z.read(n) or b"http://x/" in z.read(n) for n in names)

    from salesplan.outputs.templates import Page, render_sheets

    rendered = tmp_path / "rendered.xlsx"
    render_sheets(template, [Page("Иванов")], rendered)
    with zipfile.ZipFile(rendered) as z:
        assert not [n for n in z.namelist() if "externalLink" in n or "connections" in n or "queryTable" in n]


def test_a_far_cell_in_a_template_is_a_message_not_a_walk_over_17_billion_cells(tmp_path, capsys):
    path = book(tmp_path)
    template = restyled(tmp_path, lambda wb: wb.worksheets[0].__setitem__("XFD1048576", "x"))
    with unchanged(path, template):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and str(template) in said and "XFD1048576" in said, said


def test_a_zip_bomb_as_a_template_is_refused_before_openpyxl_inflates_it(tmp_path, capsys):
    path = book(tmp_path)
    template = restyled(tmp_path, lambda wb: None)
    declare_size(template, "xl/styles.xml", 1 << 30)
    with unchanged(path, template):
        code, said = run(capsys, "plan", str(path))
    assert code == 2 and "xl/styles.xml" in said and str(template) in said, said


def test_text_like_an_excel_escape_shows_as_typed_on_the_instrument_pages(tmp_path):
    """A client named _x0041_ is written _x005F_x0041_, which Excel shows as _x0041_ (written raw,
    Excel would show «A»); the template's own _x0041_ still shows as «A», and its _xD83D__xDE00_ as
    the one character Excel makes of the pair."""
    from salesplan.outputs.templates import Page, render_sheets

    def escapes(wb):
        wb.worksheets[0]["H3"] = "Итого_x0041_"
        wb.worksheets[0]["H4"] = "Смайл_xD83D__xDE00_"  # a UTF-16 pair: one character

    template = restyled(tmp_path, escapes)
    page = Page("Иванов", fields={"manager": "_x0041_ и _x005F_"},
                tables={"offers": [{"client": "_x0041_", "category": "Кабель"}]})
    out = tmp_path / "pages.xlsx"
    render_sheets(template, [page], out)
    with zipfile.ZipFile(out) as z:
        strings = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml") and "heet" in n
                          or n.endswith("sharedStrings.xml"))
    assert "<t>_x005F_x0041_</t>" in strings
    assert "_x005F_x0041_ и _x005F_x005F_" in strings
    assert "ИтогоA" in strings and "_x0041_</t>" not in strings.replace("_x005F_x0041_</t>", "")
    assert "Смайл\U0001F600" in strings


def test_a_client_named_like_an_excel_escape_keeps_its_name_in_the_planned_workbook(tmp_path, capsys):
    rows = [[r[0], r[1], "_x0041_" if r[2] == "ООО «Альфа»" else r[2], *r[3:]] for r in simple_sales()]
    path = make_workbook(tmp_path / "in.xlsm", rows, targets={"Иванов": 200000})
    out = tmp_path / "out.xlsm"
    with unchanged(path):
        code, said = run(capsys, "plan", str(path), "--out", str(out))
    assert code == 0, said
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    written = [s for s in sheets if b"_x0041_" in s]
    assert any("ИНСТРУМЕНТ".encode() in s for s in written), "the client is on an instrument page"
    for sheet in written:
        assert re.search(rb"(?<!_x005F)_x0041_", sheet) is None, "written raw: Excel would show «A»"


@pytest.mark.parametrize("chunk", [97, 4096, 1 << 20])
def test_an_entry_inflates_to_its_bytes_whatever_the_chunk_and_a_cut_stream_is_damaged(tmp_path, chunk):
    # ISA-L may keep inflated bytes back when a call may give only `chunk` of them: every one must
    # still come out, and a stream cut short must still be refused.
    text = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7919 % 10007) for i in range(20000))
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", text)
    with zipfile.ZipFile(path) as z, open(path, "rb") as source:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert b"".join(limits.entry_chunks(source, info, chunk)) == text
        assert limits.crc32(text) == info.CRC
    data = path.read_bytes()
    start = data.index(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[:start + info.compress_size // 2] + b"\0" * (info.compress_size - info.compress_size // 2)
                    + data[start + info.compress_size:])
    with zipfile.ZipFile(cut) as z, open(cut, "rb") as source, pytest.raises(LimitError, match="damaged"):
        list(limits.entry_chunks(source, z.getinfo("xl/worksheets/sheet1.xml"), chunk))
