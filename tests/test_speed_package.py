"""Untouched entries are copied as they are stored, and still checked.

A million-row Sales sheet is some 400 MB of XML; inflating and deflating it again took most of the
write. The splice now copies each untouched entry's stored bytes (so they are the user's byte for
byte, compressed too), while a thread inflates every entry and checks its CRC, so a damaged one
still stops the write.
"""

import re
import zipfile
from pathlib import Path

import pytest

from package_fixtures import OWNED, make_original, make_rendered, package_problems
from salesplan.errors import PackageError
from salesplan.ooxml.splice import replace_sheets, start_entry_check


def stored(path: Path, name: str) -> tuple[bytes, zipfile.ZipInfo]:
    """The bytes of entry ``name`` as they lie in the zip (compressed), and its record."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    raw = path.read_bytes()
    name_length, extra_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    return raw[start:start + info.compress_size], info


def with_big_stored_and_deflated_entries(path: Path) -> Path:
    """The original with a large deflated part and a part stored without compression."""
    big = ("<x>" + "строка " * 300_000 + "</x>").encode()
    with zipfile.ZipFile(path, "a") as z:
        z.writestr(zipfile.ZipInfo("customXml/big.xml", (2024, 5, 6, 7, 8, 10)), big, zipfile.ZIP_DEFLATED, 9)
        z.writestr(zipfile.ZipInfo("customXml/plain.bin", (2024, 5, 6, 7, 8, 10)), b"\x00\x01" * 5000, zipfile.ZIP_STORED)
    return path


def test_untouched_entries_keep_their_stored_bytes(tmp_path):
    original = with_big_stored_and_deflated_entries(make_original(tmp_path / "orig.xlsm"))
    out = tmp_path / "out.xlsm"
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    for name in ("customXml/big.xml", "customXml/plain.bin", "xl/drawings/vmlDrawing1.vml", "xl/styles.xml"):
        before, old = stored(original, name)
        after, new = stored(out, name)
        if name == "xl/styles.xml":  # edited: new styles are appended
            assert after != before
            continue
        assert after == before, name
        assert (new.CRC, new.file_size, new.compress_type, new.date_time) == \
               (old.CRC, old.file_size, old.compress_type, old.date_time)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert z.read("customXml/big.xml").startswith(b"<x>")
    assert [p for p in package_problems(out) if "customXml/" not in p] == []  # the two added parts are orphans


def test_a_damaged_big_entry_stops_the_write_though_it_is_not_inflated_to_copy_it(tmp_path):
    original = with_big_stored_and_deflated_entries(make_original(tmp_path / "orig.xlsm"))
    data, info = stored(original, "customXml/big.xml")
    raw = bytearray(original.read_bytes())
    start = raw.index(data)
    for i in range(start + len(data) // 2, start + len(data) // 2 + 16):
        raw[i] ^= 0x5A
    original.write_bytes(bytes(raw))
    out = tmp_path / "out.xlsm"
    with pytest.raises(PackageError, match="damaged"):
        replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))


def test_a_check_started_early_is_used(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    check = start_entry_check(original)
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), tmp_path / "out.xlsm", OWNED, check=check)
    assert not check.is_alive() and check.error is None
    assert package_problems(tmp_path / "out.xlsm") == []


def test_a_check_of_a_file_saved_again_since_is_not_trusted(tmp_path):
    """The check now starts with the build, seconds before the write: a workbook saved meanwhile (and
    damaged) is checked again, not passed on the strength of the earlier check."""
    import os

    original = with_big_stored_and_deflated_entries(make_original(tmp_path / "orig.xlsm"))
    check = start_entry_check(original)
    check.join()
    assert check.error is None
    data, _ = stored(original, "customXml/big.xml")
    raw = bytearray(original.read_bytes())
    start = raw.index(data) + len(data) // 2
    raw[start:start + 16] = bytes(b ^ 0x5A for b in raw[start:start + 16])
    original.write_bytes(bytes(raw))
    os.utime(original, ns=(check.stamp[1] + 10**9, check.stamp[1] + 10**9))  # a later save
    with pytest.raises(PackageError, match="damaged"):
        replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), tmp_path / "out.xlsm", OWNED, check=check)


def _sheets_and_strings(path: Path) -> tuple[list[str], list[str]]:
    import re

    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/worksheets/sheet")]
        sst = z.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in z.namelist() else ""
    return sheets, [m.group(2) or "" for m in re.finditer(r"<(\w*:?)si(?:\s[^>]*)?(?:/>|>(.*?)</\1si>)", sst, re.S)]


@pytest.mark.parametrize("writer", ["xlsxwriter", "openpyxl"])
def test_the_one_pass_rewrite_of_canonical_cells_equals_the_two_general_passes(tmp_path, writer):
    """Every kind of cell the two writers make (text with markup characters, numbers, dates, styled
    blanks, formulas, booleans, styled rows and columns, conditional formats) comes out of the fast
    pass as out of the general ones."""
    from salesplan.ooxml import worksheet as pkg

    path = tmp_path / "rendered.xlsx"
    values = ["ООО «Альфа» & <Бета>", 12.5, None, "=SUM(A1:A2)", True, "  пробелы  ", "x" * 300]
    if writer == "xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": True})
        ws = book.add_worksheet("Лист")
        bold, money = book.add_format({"bold": True}), book.add_format({"num_format": "#,##0"})
        ws.set_row(3, 20, bold)
        ws.set_column(9, 9, 12, money)
        ws.conditional_format("B1:B30", {"type": "cell", "criteria": ">", "value": 5, "format": bold})
        for r in range(30):
            for c, v in enumerate(values):
                ws.write(r, c, v, money if (r + c) % 3 == 0 else (bold if (r + c) % 3 == 1 else None))
        book.close()
    else:
        import openpyxl
        from openpyxl.styles import Font

        book = openpyxl.Workbook()
        ws = book.active
        for r in range(1, 31):
            for c, v in enumerate(values, start=1):
                cell = ws.cell(r, c, v)
                if (r + c) % 2:
                    cell.font = Font(bold=True)
        ws.row_dimensions[4].font = Font(italic=True)
        book.save(path)
    sheets, strings = _sheets_and_strings(path)
    xf_map = {i: i + 7 for i in range(0, 20, 2)}  # some styles known, some not (they map to 0)
    xf_map[3] = 21
    dxf_map = {0: 4}
    for xml in sheets:
        fast = pkg._rewrite_canonical_cells(xml, xf_map, strings, "sheet")
        assert fast is not None  # the fast pass took every cell
        general = pkg._inline_shared_strings(pkg._remap_styles_in_sheet(xml, xf_map, dxf_map), strings, "sheet")
        assert pkg._rewrite_sheet(xml, xf_map, dxf_map, strings, "sheet") == general
        if writer == "xlsxwriter":  # the styled column and the rule's format were remapped
            column_style = int(re.search(r'<col min="10" max="10" [^>]*style="(\d+)"', xml).group(1))
            remapped = re.search(r'<col min="10" max="10" [^>]*style="(\d+)"', general).group(1)
            assert remapped == str(xf_map.get(column_style, 0))
            assert 'dxfId="4"' in general and "<cfRule" in xml


def test_a_cell_in_another_form_sends_the_sheet_through_the_general_passes():
    from salesplan.ooxml import worksheet as pkg

    xml = ('<worksheet><sheetData><row r="1" s="2"><c r="A1" s="1" t="s"><v>0</v></c>'
           '<c s="1" r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>')
    assert pkg._rewrite_canonical_cells(xml, {1: 5, 2: 6}, ["а", "б"], "sheet") is None
    assert pkg._rewrite_sheet(xml, {1: 5, 2: 6}, {}, ["а", "б"], "sheet") == (
        '<worksheet><sheetData><row r="1" s="6"><c r="A1" s="5" t="inlineStr"><is>а</is></c>'
        '<c s="5" r="B1" t="inlineStr"><is>б</is></c></row></sheetData></worksheet>')
