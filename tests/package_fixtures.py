"""Workbooks and package checks for tests/test_package.py.

The original is an .xlsm written by XlsxWriter (VBA project, a form button,
comments, data validation, images, charts, a table, defined names); the
rendered workbooks are written by openpyxl, as salesplan does, and by
XlsxWriter (shared strings, an image) to cover a second producer.
"""

from __future__ import annotations

import posixpath
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import xlsxwriter
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.table import Table, TableStyleInfo

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL_ATTR = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NS_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"

RUB = '# ##0 "₽"'
OWNED = ["План", "Старый отчёт", "Проблемы", "Диаграмма", "Таблица"]
# The output order: the owned "Старый отчёт" is not rendered any more, so it goes.
EXPECTED_ORDER = ["Start", "Мои заметки", "Продажи", "План", "Проблемы", "Диаграмма", "Таблица"]


def vba_project_bytes() -> bytes:
    import xlwings

    source = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(source) as z:
        return z.read("xl/vbaProject.bin")


def png_bytes(width: int = 4, height: int = 4, rgb: bytes = b"\xff\x00\x00") -> bytes:
    """A tiny valid PNG, so no image library is needed."""
    raw = b"".join(b"\x00" + rgb * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def make_original(path: Path) -> Path:
    """The user's macro workbook."""
    vba = path.parent / "vbaProject.bin"
    vba.write_bytes(vba_project_bytes())
    logo = path.parent / "user_logo.png"
    logo.write_bytes(png_bytes(rgb=b"\x00\x00\xff"))

    wb = xlsxwriter.Workbook(str(path))
    wb.set_vba_name("ThisWorkbook")
    wb.add_vba_project(str(vba))

    start = wb.add_worksheet("Start")
    start.write("A1", "Нажмите кнопку")
    start.insert_button("B3", {"macro": "SampleCall", "caption": "Построить план", "width": 160})

    notes = wb.add_worksheet("Мои заметки")
    notes.write("A1", "Заметка пользователя")
    notes.write_comment("A1", "Комментарий пользователя")
    notes.data_validation("B2", {"validate": "list", "source": ["да", "нет"]})
    notes.insert_image("D2", str(logo))

    old = wb.add_worksheet("Старый отчёт")  # owned, and no longer rendered
    old.write_row(0, 0, ["x", 1, 2, 3])
    chart = wb.add_chart({"type": "line"})
    chart.add_series({"values": "='Старый отчёт'!$B$1:$D$1"})
    old.insert_chart("A3", chart)
    old.print_area("A1:D10")

    sales = wb.add_worksheet("Продажи")
    sales.write_row(0, 0, ["Артикул", "Штук", "Город"])
    for i in range(1, 6):
        sales.write_row(i, 0, [f"SKU{i}", i * 10, "Москва"])
    sales.add_table("E1:F3", {"name": "Итоги", "columns": [{"header": "Итог"}, {"header": "Сумма"}]})
    sales.print_area("A1:C6")

    plan = wb.add_worksheet("План")  # owned: replaced by the rendered one
    plan.write("A1", "старый план")
    plan.write("B2", "устаревшее значение")
    old_chart = wb.add_chart({"type": "column"})
    old_chart.add_series({"values": "='Продажи'!$B$2:$B$6"})
    plan.insert_chart("D2", old_chart)
    plan.print_area("A1:D10")

    wb.define_name("Итого", "=Продажи!$B$2:$B$6")
    wb.define_name("'Мои заметки'!Локальное", "='Мои заметки'!$A$1")
    wb.close()
    return path


def make_rendered(path: Path) -> Path:
    """The program's output tabs, written by openpyxl."""
    wb = openpyxl.Workbook()
    plan = wb.active
    plan.title = "План"
    plan["A1"] = "Новый план"
    plan["A1"].font = Font(bold=True, color="FFC00000", size=14)
    plan["A1"].fill = PatternFill("solid", fgColor="FFFFF2CC")
    plan["A1"].alignment = Alignment(horizontal="center")
    plan.merge_cells("A1:D1")
    plan["A2"] = "Магазин"
    plan["B2"] = "Сумма"
    plan["A3"] = "Москва-1"
    plan["B3"] = 1234567.5
    plan["B3"].number_format = RUB
    thin = Side(style="thin", color="FF000000")
    plan["B3"].border = Border(bottom=thin)
    plan["B4"] = "=B3*2"
    plan["B4"].number_format = RUB
    plan.column_dimensions["A"].width = 30
    plan.row_dimensions[1].height = 28
    plan.freeze_panes = "A3"
    plan.print_area = "A1:D20"
    plan.page_setup.paperSize = plan.PAPERSIZE_A4
    plan.page_setup.orientation = "landscape"
    plan.sheet_properties.pageSetUpPr.fitToPage = True
    plan.page_setup.fitToWidth = 1
    plan.page_setup.fitToHeight = 0
    plan.oddFooter.center.text = "Стр. &P"
    plan.conditional_formatting.add(
        "B3:B10", CellIsRule(operator="greaterThan", formula=["1000000"], fill=PatternFill("solid", bgColor="FFFFC7CE")))
    plan["C3"].comment = Comment("Проверьте остатки", "salesplan")

    problems = wb.create_sheet("Проблемы")
    problems.append(["Проблема", "Где"])
    problems.append(["Нет продаж", "Москва-2"])
    problems.auto_filter.ref = "A1:B2"
    problems.print_title_rows = "1:1"

    chart_sheet = wb.create_sheet("Диаграмма")
    for month, value in [("янв", 3), ("фев", 5), ("мар", 4)]:
        chart_sheet.append([month, value])
    chart = BarChart()
    chart.title = "Продажи по месяцам"
    chart.add_data(Reference(chart_sheet, min_col=2, min_row=1, max_row=3))
    chart.set_categories(Reference(chart_sheet, min_col=1, min_row=1, max_row=3))
    chart_sheet.add_chart(chart, "D2")

    table_sheet = wb.create_sheet("Таблица")
    table_sheet.append(["Артикул", "План"])
    table_sheet.append(["SKU1", 10])
    table_sheet.append(["SKU2", 20])
    table = Table(displayName="Итоги", ref="A1:B3")  # the user has a table of that name
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    table_sheet.add_table(table)
    wb.save(path)
    return path


def make_rendered_with_image(path: Path) -> Path:
    """A rendered workbook from another producer: XlsxWriter writes shared
    strings and can place an image without an image library."""
    logo = path.parent / "our_logo.png"
    logo.write_bytes(png_bytes(rgb=b"\x00\xff\x00"))
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Панель")
    bold = wb.add_format({"bold": True, "font_color": "#1F4E78", "num_format": RUB})
    ws.write("A1", "Панель руководителя", wb.add_format({"bold": True, "italic": True}))
    ws.write_number("A2", 42, bold)
    ws.write_rich_string("A3", "обычный ", wb.add_format({"bold": True}), "жирный")
    ws.insert_image("C2", str(logo))
    wb.close()
    return path


# --------------------------------------------------------------------------
# Package inspection (independent of the module under test)
# --------------------------------------------------------------------------

def rels_name(part: str) -> str:
    d, b = posixpath.split(part)
    return posixpath.join(d, "_rels", b + ".rels")


def relationships(z: zipfile.ZipFile, part: str) -> list[tuple[str, str, str | None]]:
    """(id, type, resolved target or None if external) of `part`."""
    name = rels_name(part)
    if name not in z.namelist():
        return []
    out = []
    for el in ET.fromstring(z.read(name)):
        target = el.get("Target")
        if el.get("TargetMode") == "External":
            out.append((el.get("Id"), el.get("Type"), None))
            continue
        target = unquote(target)
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(part), target))
        out.append((el.get("Id"), el.get("Type"), resolved))
    return out


def reachable(z: zipfile.ZipFile, roots: list[str]) -> set[str]:
    seen, stack = set(), list(roots)
    while stack:
        part = stack.pop()
        for _, _, target in relationships(z, part):
            if target and target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def workbook_sheets(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part) of every sheet, in order."""
    rels = {rid: target for rid, _, target in relationships(z, "xl/workbook.xml")}
    root = ET.fromstring(z.read("xl/workbook.xml"))
    return [(s.get("name"), rels[s.get(NS_REL_ATTR)]) for s in root.iter(NS_MAIN + "sheet")]


def sheet_closure(z: zipfile.ZipFile, sheet: str) -> set[str]:
    """The parts a sheet uses, with their .rels files."""
    part = dict(workbook_sheets(z))[sheet]
    parts = {part} | reachable(z, [part])
    return parts | {rels_name(p) for p in parts if rels_name(p) in z.namelist()}


def content_type_of(z: zipfile.ZipFile, part: str) -> str | None:
    root = ET.fromstring(z.read("[Content_Types].xml"))
    for el in root.iter(NS_CT + "Override"):
        if el.get("PartName").lstrip("/").lower() == part.lower():
            return el.get("ContentType")
    ext = posixpath.splitext(part)[1].lstrip(".").lower()
    for el in root.iter(NS_CT + "Default"):
        if el.get("Extension").lower() == ext:
            return el.get("ContentType")
    return None


def package_problems(path: Path) -> list[str]:
    """What is wrong with a package: dangling relationships, parts without a
    content type, overrides of missing parts, unreachable (orphaned) parts,
    invalid XML."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
        if len(names) != len(set(names)):
            problems.append("duplicate zip entries")
        name_set = set(names)
        for name in names:
            if name.endswith((".xml", ".rels", ".vml")):
                try:
                    ET.fromstring(z.read(name))
                except ET.ParseError as e:
                    problems.append(f"{name}: bad XML {e}")
        parts = {n for n in names if not n.endswith(".rels") and n != "[Content_Types].xml"}
        for source in [""] + sorted(parts):
            for rid, _, target in relationships(z, source):
                if target is not None and target not in name_set:
                    problems.append(f"{source or 'package'} {rid} -> missing {target}")
        for part in parts:
            if content_type_of(z, part) is None:
                problems.append(f"{part}: no content type")
        for el in ET.fromstring(z.read("[Content_Types].xml")).iter(NS_CT + "Override"):
            if el.get("PartName").lstrip("/") not in name_set:
                problems.append(f"override of missing part {el.get('PartName')}")
        orphans = parts - reachable(z, [""])
        problems += [f"orphaned part {p}" for p in sorted(orphans)]
        for name in names:
            if name.endswith(".rels") and name != "_rels/.rels":
                d, b = posixpath.split(name)
                owner = posixpath.join(posixpath.dirname(d), b[: -len(".rels")])
                if owner not in name_set:
                    problems.append(f"{name}: rels of missing part")
    return problems


def defined_names(path: Path) -> list[tuple[str, str | None, str]]:
    """(name, name of the sheet it is local to or None, formula)."""
    with zipfile.ZipFile(path) as z:
        sheets = [name for name, _ in workbook_sheets(z)]
        root = ET.fromstring(z.read("xl/workbook.xml"))
    out = []
    for el in root.iter(NS_MAIN + "definedName"):
        local = el.get("localSheetId")
        out.append((el.get("name"), sheets[int(local)] if local is not None else None, el.text))
    return out
