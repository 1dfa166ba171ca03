"""Tests of salesplan.ooxml.splice.replace_sheets: splicing rendered sheets
into a user's .xlsm without touching anything else."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

try:
    from salesplan.errors import PackageError
    from salesplan.ooxml.splice import replace_sheets
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
    from salesplan.errors import PackageError
    from salesplan.ooxml.splice import replace_sheets

from package_fixtures import (
    EXPECTED_ORDER,
    OWNED,
    RUB,
    defined_names,
    make_original,
    make_rendered,
    make_rendered_with_image,
    package_problems,
    relationships,
    sheet_closure,
    workbook_sheets,
)
from salesplan.build.vba_project import read_vba_modules
from salesplan.outputs.pdf import soffice_path

# Entries that replace_sheets is allowed to rewrite; every other entry of the
# original must come out byte for byte, unless it belongs to a removed sheet.
MAY_CHANGE = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
              "docProps/app.xml", "xl/calcChain.xml", "xl/vbaProject.bin"}


@pytest.fixture()
def books(tmp_path: Path) -> tuple[Path, Path, Path]:
    original = make_original(tmp_path / "Планирование.xlsm")
    rendered = make_rendered(tmp_path / "rendered.xlsx")
    out = tmp_path / "out.xlsm"
    replace_sheets(original, rendered, out, OWNED)
    return original, rendered, out


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_untouched_entries_are_byte_identical(books):
    original, _, out = books
    before, after = entries(original), entries(out)
    with zipfile.ZipFile(original) as z:
        removed = sheet_closure(z, "План") | sheet_closure(z, "Старый отчёт")
    # the removed sheets' own parts are really gone from the original's list
    assert "xl/charts/chart1.xml" in removed and "xl/drawings/drawing3.xml" in removed
    for name, data in before.items():
        if name in MAY_CHANGE or name in removed:
            continue
        assert after.get(name) == data, f"{name} changed or disappeared"
    # the things the user cares most about, spelled out
    # the VBA project keeps every module as it was (and gains the new tabs' document modules)
    modules = read_vba_modules(before["xl/vbaProject.bin"])
    assert {n: s for n, s in read_vba_modules(after["xl/vbaProject.bin"]).items() if n in modules} == modules
    for name in ["xl/drawings/vmlDrawing1.vml", "xl/worksheets/sheet1.xml",
                 "xl/worksheets/_rels/sheet1.xml.rels", "xl/worksheets/sheet2.xml", "xl/comments1.xml",
                 "xl/sharedStrings.xml", "xl/media/image1.png", "xl/tables/table1.xml", "docProps/core.xml"]:
        assert after[name] == before[name], name
    with zipfile.ZipFile(original) as z:
        button_vml = [t for _, typ, t in relationships(z, "xl/worksheets/sheet1.xml") if typ.endswith("/vmlDrawing")]
    assert button_vml == ["xl/drawings/vmlDrawing1.vml"]
    assert "Построить план".encode() in after["xl/drawings/vmlDrawing1.vml"]


def test_output_package_is_consistent(books):
    _, _, out = books
    assert package_problems(out) == []


def test_openpyxl_reads_spliced_workbook(books):
    _, _, out = books
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb.sheetnames == EXPECTED_ORDER
    assert wb.vba_archive is not None and "xl/vbaProject.bin" in wb.vba_archive.namelist()

    plan = wb["План"]
    assert plan["A1"].value == "Новый план"
    assert plan["A1"].font.b is True
    assert plan["A1"].font.color.rgb == "FFC00000"
    assert plan["A1"].font.sz == 14
    assert plan["A1"].fill.fill_type == "solid" and plan["A1"].fill.fgColor.rgb == "FFFFF2CC"
    assert plan["A1"].alignment.horizontal == "center"
    assert plan["B3"].value == 1234567.5
    assert plan["B3"].number_format == RUB
    assert plan["B3"].border.bottom.style == "thin"
    assert plan["B4"].value == "=B3*2" and plan["B4"].number_format == RUB
    assert plan["B2"].value == "Сумма"  # not the old sheet's "устаревшее значение"
    assert plan["A3"].font.b is not True  # default cells stay default
    assert [str(r) for r in plan.merged_cells.ranges] == ["A1:D1"]
    assert plan.print_area == "'План'!$A$1:$D$20"
    assert plan.page_setup.paperSize == 9 and plan.page_setup.orientation == "landscape"
    assert plan.sheet_properties.pageSetUpPr.fitToPage is True
    assert plan.freeze_panes == "A3"
    assert plan.column_dimensions["A"].width == 30
    assert plan.row_dimensions[1].height == 28
    assert plan.oddFooter.center.text == "Стр. &P"
    rules = [rule for cf in plan.conditional_formatting for rule in cf.rules]
    assert len(rules) == 1 and rules[0].dxf.fill.bgColor.rgb == "FFFFC7CE"
    assert plan["C3"].comment.text == "Проверьте остатки"
    assert plan._charts == []  # the old sheet's chart went with it

    assert wb["Проблемы"]["A2"].value == "Нет продаж"
    assert wb["Проблемы"].auto_filter.ref == "A1:B2"
    assert wb["Проблемы"].print_title_rows == "$1:$1"


def test_vba_code_name_of_replaced_sheet_is_kept(books):
    original, _, out = books
    before = openpyxl.load_workbook(original, keep_vba=True)
    after = openpyxl.load_workbook(out, keep_vba=True)
    assert before["План"].sheet_properties.codeName  # XlsxWriter named it for the VBA project
    assert after["План"].sheet_properties.codeName == before["План"].sheet_properties.codeName


def test_chart_and_tables(books):
    _, _, out = books
    wb = openpyxl.load_workbook(out, keep_vba=True)
    charts = wb["Диаграмма"]._charts
    assert len(charts) == 1 and type(charts[0]).__name__ == "BarChart"
    tables = [(ws.title, name) for ws in wb.worksheets for name in ws.tables]
    names = [name.casefold() for _, name in tables]
    assert len(names) == len(set(names)) == 2
    assert ("Продажи", "Итоги") in tables  # the user's table keeps its name
    new_table = wb["Таблица"].tables[next(iter(wb["Таблица"].tables))]
    assert new_table.ref == "A1:B3" and new_table.name != "Итоги"
    with zipfile.ZipFile(out) as z:
        ids = [re.search(rb'\sid="(\d+)"', z.read(n)).group(1)
               for n in z.namelist() if n.startswith("xl/tables/") and n.endswith(".xml")]
    assert len(ids) == len(set(ids)) == 2


def test_defined_names_point_at_the_right_sheets(books):
    original, _, out = books
    assert ("_xlnm.Print_Area", "Старый отчёт", "'Старый отчёт'!$A$1:$D$10") in defined_names(original)
    names = defined_names(out)
    assert sorted((n, s) for n, s, _ in names) == sorted([
        ("_xlnm.Print_Area", "Продажи"),        # user's, renumbered (a sheet before it went)
        ("Локальное", "Мои заметки"),
        ("Итого", None),
        ("_xlnm.Print_Area", "План"),           # the rendered one, not the old
        ("_xlnm._FilterDatabase", "Проблемы"),
        ("_xlnm.Print_Titles", "Проблемы"),
    ])
    formulas = {(n, s): f for n, s, f in names}
    assert formulas[("_xlnm.Print_Area", "План")] == "'План'!$A$1:$D$20"
    assert formulas[("Итого", None)] == "Продажи!$B$2:$B$6"
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb["Продажи"].print_area == "'Продажи'!$A$1:$C$6"


def test_user_sheets_read_as_before(books):
    original, _, out = books
    before = openpyxl.load_workbook(original, keep_vba=True)
    after = openpyxl.load_workbook(out, keep_vba=True)
    for title in ["Start", "Мои заметки", "Продажи"]:
        old = [[c.value for c in row] for row in before[title].iter_rows()]
        new = [[c.value for c in row] for row in after[title].iter_rows()]
        assert new == old, title
    notes = after["Мои заметки"]
    assert notes["A1"].value == "Заметка пользователя"
    assert notes["A1"].comment.text == "Комментарий пользователя"
    assert [dv.formula1 for dv in notes.data_validations.dataValidation] == ['"да,нет"']
    assert after["Продажи"]["A2"].value == "SKU1" and after["Продажи"]["C6"].value == "Москва"
    assert after.defined_names["Итого"].attr_text == "Продажи!$B$2:$B$6"


def test_styles_are_appended_not_replaced(books):
    original, _, out = books
    with zipfile.ZipFile(original) as z:
        old_styles = z.read("xl/styles.xml").decode()
    with zipfile.ZipFile(out) as z:
        new_styles = z.read("xl/styles.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    # the user's fonts list is still there, in front
    old_fonts = old_styles[old_styles.index("<fonts"):old_styles.index("</fonts>")]
    body = old_fonts[old_fonts.index(">") + 1:]
    assert body in new_styles
    assert 'formatCode="# ##0 &quot;₽&quot;"' in new_styles
    assert workbook.index("</sheets>") < workbook.index("<definedNames>") < workbook.index("<calcPr")
    assert 'fullCalcOnLoad="1"' in workbook  # the rendered formula has no cached value


def test_clash_with_a_user_sheet_raises_and_writes_nothing(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    rendered = tmp_path / "clash.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "План"
    wb.create_sheet("продажи")  # the user's "Продажи", in another case
    wb.save(rendered)
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "out.xlsm"
    with pytest.raises(ValueError, match="Продажи"):
        replace_sheets(original, rendered, out, ["План"])
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, no temp file


@pytest.mark.parametrize("which", ["original", "rendered"])
def test_not_a_package_raises_package_error(tmp_path, which):
    good_original = make_original(tmp_path / "orig.xlsm")
    good_rendered = make_rendered(tmp_path / "rendered.xlsx")
    bad = tmp_path / "notes.xlsm"
    bad.write_text("просто текст, не zip")
    args = {"original": good_original, "rendered": good_rendered}
    args[which] = bad
    with pytest.raises(PackageError, match="notes.xlsm"):
        replace_sheets(args["original"], args["rendered"], tmp_path / "out.xlsm", OWNED)
    plain_zip = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    args[which] = plain_zip
    with pytest.raises(PackageError, match="plain.xlsx"):
        replace_sheets(args["original"], args["rendered"], tmp_path / "out.xlsm", OWNED)
    assert not (tmp_path / "out.xlsm").exists()
    assert issubclass(PackageError, ValueError)


def test_rerun_on_own_output_is_stable(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    rendered = make_rendered(tmp_path / "rendered.xlsx")
    outs = [tmp_path / f"run{i}.xlsm" for i in (1, 2, 3)]
    replace_sheets(original, rendered, outs[0], OWNED)
    replace_sheets(outs[0], rendered, outs[1], OWNED)
    replace_sheets(outs[1], rendered, outs[2], OWNED)
    first, second, third = (entries(p) for p in outs)
    assert set(second) == set(third) == set(first)
    assert second == third  # not one byte grows: no orphans, no duplicated styles
    assert package_problems(outs[2]) == []
    wb = openpyxl.load_workbook(outs[2], keep_vba=True)
    assert wb.sheetnames == EXPECTED_ORDER
    assert wb["План"]["B3"].number_format == RUB


def test_in_place_update(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    rendered = make_rendered(tmp_path / "rendered.xlsx")
    replace_sheets(original, rendered, original, OWNED)
    assert openpyxl.load_workbook(original, keep_vba=True).sheetnames == EXPECTED_ORDER
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["orig.xlsm", "rendered.xlsx", "vbaProject.bin", "user_logo.png"])


def test_shared_strings_and_images_from_another_producer(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    rendered = make_rendered_with_image(tmp_path / "panel.xlsx")
    out = tmp_path / "out.xlsm"
    replace_sheets(original, rendered, out, ["Панель"])
    assert package_problems(out) == []
    before, after = entries(original), entries(out)
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    assert after["xl/media/image1.png"] == before["xl/media/image1.png"]  # the user's logo
    with zipfile.ZipFile(out) as z:
        panel_part = dict(workbook_sheets(z))["Панель"]
        panel_xml = z.read(panel_part).decode()
        media = sheet_closure(z, "Панель")
    assert 't="s"' not in panel_xml and 't="inlineStr"' in panel_xml
    new_images = [p for p in media if p.startswith("xl/media/")]
    assert len(new_images) == 1 and new_images[0] != "xl/media/image1.png"
    assert after[new_images[0]] == entries(rendered)["xl/media/image1.png"]
    wb = openpyxl.load_workbook(out, keep_vba=True)
    panel = wb["Панель"]
    assert wb.sheetnames[-1] == "Панель"
    assert panel["A1"].value == "Панель руководителя" and panel["A1"].font.i is True
    assert panel["A2"].value == 42 and panel["A2"].number_format == RUB
    assert panel["A2"].font.color.rgb == "FF1F4E78"
    assert panel["A3"].value == "обычный жирный"


def test_a_styled_column_keeps_its_style(tmp_path):
    """A column's format (<col style="N">, say a template's money column) is remapped like a cell's."""
    import xlsxwriter

    original = tmp_path / "orig.xlsx"  # a user's book whose styles come first
    wb = xlsxwriter.Workbook(str(original))
    ws = wb.add_worksheet("Мои данные")
    for row, props in enumerate([{"font_color": "#FF0000"}, {"underline": 1}, {"num_format": "0.000"}]):
        ws.write(row, 0, row, wb.add_format(props))
    wb.close()
    rendered = tmp_path / "columns.xlsx"
    wb = xlsxwriter.Workbook(str(rendered))
    ws = wb.add_worksheet("Колонки")
    ws.write("A1", "x", wb.add_format({"italic": True}))
    ws.set_column("C:C", 14, wb.add_format({"bold": True, "num_format": RUB, "bg_color": "#FFF2CC"}))
    wb.close()
    out = tmp_path / "out.xlsx"
    replace_sheets(original, rendered, out, ["Колонки"])
    assert package_problems(out) == []
    column = openpyxl.load_workbook(out)["Колонки"].column_dimensions["C"]
    assert column.font.b is True and column.number_format == RUB
    assert column.fill.fgColor.rgb == "FFFFF2CC"


def test_active_owned_sheet_removed_keeps_views_valid(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    # make the owned, no longer rendered sheet the active one
    data = entries(original)
    workbook = data["xl/workbook.xml"].decode().replace("<workbookView ", '<workbookView activeTab="2" firstSheet="2" ')
    data["xl/workbook.xml"] = workbook.encode()
    with zipfile.ZipFile(original, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in data.items():
            z.writestr(name, content)
    rendered = make_rendered(tmp_path / "rendered.xlsx")
    out = tmp_path / "out.xlsm"
    replace_sheets(original, rendered, out, OWNED)
    wb = openpyxl.load_workbook(out, keep_vba=True)
    view = wb.views[0]
    assert 0 <= view.activeTab < len(wb.sheetnames)
    assert view.firstSheet <= view.activeTab


def test_owned_given_as_a_single_string(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    rendered = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "План"
    wb.active["A1"] = "только план"
    wb.save(rendered)
    out = tmp_path / "out.xlsm"
    replace_sheets(original, rendered, out, "План")
    result = openpyxl.load_workbook(out, keep_vba=True)
    assert result.sheetnames == ["Start", "Мои заметки", "Старый отчёт", "Продажи", "План"]
    assert result["План"]["A1"].value == "только план"


def rewrite_zip(path: Path, changes: dict[str, bytes | None]) -> None:
    """Add, replace (bytes) or delete (None) entries of a zip, for fixtures."""
    data = entries(path)
    for name, content in changes.items():
        if content is None:
            data.pop(name, None)
        else:
            data[name] = content
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in data.items():
            z.writestr(name, content)


def add_excel_only_parts(original: Path) -> None:
    """Give the XlsxWriter file what Excel itself writes: a calcChain, a
    customXml item, printer settings, and Excel 2010 form controls
    (<controls> + ctrlProps) on the kept Start sheet and on the owned План."""
    data = entries(original)
    with zipfile.ZipFile(original) as z:
        sheets = dict(workbook_sheets(z))
    start, plan = sheets["Start"], sheets["План"]
    ct = data["[Content_Types].xml"].decode()
    overrides = (
        '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>'
        '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'
        '<Override PartName="/xl/ctrlProps/ctrlProp1.xml" ContentType="application/vnd.ms-excel.controlproperties+xml"/>'
        '<Override PartName="/xl/ctrlProps/ctrlProp2.xml" ContentType="application/vnd.ms-excel.controlproperties+xml"/>'
        '<Override PartName="/xl/printerSettings/printerSettings1.bin" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>')
    ct = ct.replace("</Types>", overrides + "</Types>")
    wb_rels = data["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>",
        '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
        '<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/>'
        "</Relationships>")
    ctrl_rel = ('<Relationship Id="rId50" Type="http://schemas.microsoft.com/office/2006/relationships/ctrlProp" '
                'Target="../ctrlProps/ctrlProp{n}.xml"/>')
    controls = ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                '<mc:Choice Requires="x14"><controls><mc:AlternateContent><mc:Choice Requires="x14">'
                '<control shapeId="1025" r:id="rId50" name="Button 1"><controlPr defaultSize="0" print="0" '
                'autoFill="0" autoPict="0" macro="[0]!SampleCall"/></control></mc:Choice></mc:AlternateContent>'
                "</controls></mc:Choice></mc:AlternateContent>")
    start_xml = data[start].decode().replace("</worksheet>", controls + "</worksheet>")
    start_rels_name = start.replace("worksheets/", "worksheets/_rels/") + ".rels"
    start_rels = data[start_rels_name].decode().replace("</Relationships>", ctrl_rel.format(n=1) + "</Relationships>")
    plan_rels_name = plan.replace("worksheets/", "worksheets/_rels/") + ".rels"
    plan_rels = data[plan_rels_name].decode().replace("</Relationships>", ctrl_rel.format(n=2) +
        '<Relationship Id="rId51" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings" '
        'Target="../printerSettings/printerSettings1.bin"/></Relationships>')
    ctrl = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" objectType="Button" lockText="1"/>'
    rewrite_zip(original, {
        "[Content_Types].xml": ct.encode(),
        "xl/_rels/workbook.xml.rels": wb_rels.encode(),
        "xl/calcChain.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B4" i="5"/></calcChain>',
        "customXml/item1.xml": b"<root>user data</root>",
        "customXml/itemProps1.xml": b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="{11111111-2222-3333-4444-555555555555}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>',
        "customXml/_rels/item1.xml.rels": b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" Target="itemProps1.xml"/></Relationships>',
        "xl/ctrlProps/ctrlProp1.xml": ctrl,
        "xl/ctrlProps/ctrlProp2.xml": ctrl,
        "xl/printerSettings/printerSettings1.bin": b"\x00printer\x01" * 20,
        start: start_xml.encode(),
        start_rels_name: start_rels.encode(),
        plan_rels_name: plan_rels.encode(),
    })


def test_excel_parts_kept_or_dropped_with_their_sheet(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    add_excel_only_parts(original)
    assert package_problems(original) == []
    rendered = make_rendered(tmp_path / "rendered.xlsx")
    out = tmp_path / "out.xlsm"
    replace_sheets(original, rendered, out, OWNED)
    assert package_problems(out) == []
    before, after = entries(original), entries(out)
    with zipfile.ZipFile(original) as z:
        start = dict(workbook_sheets(z))["Start"]
    for name in [start, "xl/ctrlProps/ctrlProp1.xml", "customXml/item1.xml", "customXml/itemProps1.xml",
                 "customXml/_rels/item1.xml.rels"]:
        assert after[name] == before[name], name
    assert b"<controls>" in after[start]
    # the owned sheet's form control and printer settings went with it; the
    # calculation chain (it lists cells of removed sheets) is dropped for Excel to rebuild
    for name in ["xl/ctrlProps/ctrlProp2.xml", "xl/printerSettings/printerSettings1.bin", "xl/calcChain.xml"]:
        assert name not in after, name
    assert b"calcChain" not in after["[Content_Types].xml"] + after["xl/_rels/workbook.xml.rels"]
    assert openpyxl.load_workbook(out, keep_vba=True).sheetnames == EXPECTED_ORDER


def test_app_properties_list_the_new_sheets(books):
    _, _, out = books
    app = entries(out)["docProps/app.xml"].decode()
    titles = re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr>", app.split("<TitlesOfParts>")[1])
    heading = re.findall(r"<vt:(?:lpstr|i4)>([^<]*)<", app.split("<HeadingPairs>")[1].split("</HeadingPairs>")[0])
    assert heading[:2] == ["Worksheets", str(len(EXPECTED_ORDER))]
    assert titles[: len(EXPECTED_ORDER)] == EXPECTED_ORDER
    named = titles[len(EXPECTED_ORDER):]
    assert int(heading[3]) == len(named)
    assert "'Старый отчёт'!Print_Area" not in named and "Проблемы!Print_Titles" in named


def test_output_keeps_the_original_permissions(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    original.chmod(0o644)
    out = tmp_path / "out.xlsm"
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    assert out.stat().st_mode & 0o777 == 0o644


def test_damaged_entry_raises_package_error_and_writes_nothing(tmp_path):
    original = make_original(tmp_path / "orig.xlsm")
    raw = bytearray(original.read_bytes())
    with zipfile.ZipFile(original) as z:
        info = z.getinfo("xl/vbaProject.bin")
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(data_start + 10, data_start + 40):  # corrupt the compressed data
        raw[i] ^= 0xFF
    original.write_bytes(bytes(raw))
    rendered = make_rendered(tmp_path / "rendered.xlsx")
    out = tmp_path / "out.xlsm"
    with pytest.raises(PackageError, match="orig.xlsm"):
        replace_sheets(original, rendered, out, OWNED)
    assert not out.exists() and not list(tmp_path.glob("*.tmp"))


def test_excel_namespace_declarations_survive(tmp_path):
    """Excel's styles.xml and workbook.xml declare namespaces that only
    mc:Ignorable mentions; re-serialising with ElementTree would drop them
    and Excel would refuse the file. The splice edits them as text."""
    original = make_original(tmp_path / "orig.xlsm")
    data = entries(original)
    ignorable = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2" '
                 'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
                 'xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main" ')
    styles = data["xl/styles.xml"].decode().replace("<styleSheet ", "<styleSheet " + ignorable, 1)
    styles = styles.replace('<fonts count="2">', '<fonts count="2" x14ac:knownFonts="1">', 1)
    workbook = data["xl/workbook.xml"].decode().replace("<workbook ", "<workbook " + ignorable, 1)
    rewrite_zip(original, {"xl/styles.xml": styles.encode(), "xl/workbook.xml": workbook.encode()})
    out = tmp_path / "out.xlsm"
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    after = entries(out)
    for name in ["xl/styles.xml", "xl/workbook.xml"]:
        text = after[name].decode()
        assert ignorable.strip() in text, name
    assert 'x14ac:knownFonts="1"' in after["xl/styles.xml"].decode()
    assert package_problems(out) == []


def test_defined_names_inserted_in_schema_order(tmp_path):
    import xlsxwriter

    original = tmp_path / "plain.xlsx"
    wb = xlsxwriter.Workbook(str(original))
    wb.add_worksheet("Данные").write("A1", 1)
    wb.close()
    assert b"definedNames" not in entries(original)["xl/workbook.xml"]
    out = tmp_path / "out.xlsx"
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    workbook = entries(out)["xl/workbook.xml"].decode()
    assert workbook.index("</sheets>") < workbook.index("<definedNames>") < workbook.index("<calcPr")
    assert package_problems(out) == []
    assert openpyxl.load_workbook(out)["План"].print_area == "'План'!$A$1:$D$20"


def soffice_convert(source: Path, target_format: str, outdir: Path, profile: Path) -> None:
    """Convert with headless LibreOffice, in a private profile so parallel or
    earlier runs do not interfere."""
    result = subprocess.run(
        [soffice_path(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_opens_the_output(books, tmp_path):
    _, _, out = books
    converted = tmp_path / "converted"
    soffice_convert(out, "xlsx", converted, tmp_path / "lo-profile")
    wb = openpyxl.load_workbook(converted / "out.xlsx")
    assert wb.sheetnames == EXPECTED_ORDER
    assert wb["План"]["A1"].value == "Новый план"
    assert wb["План"]["B3"].value == 1234567.5
    assert "₽" in wb["План"]["B3"].number_format
    assert wb["План"]["A1"].font.b is True
    assert wb["Проблемы"]["A2"].value == "Нет продаж"
    assert wb["Таблица"]["B3"].value == 20
    assert wb["Мои заметки"]["A1"].value == "Заметка пользователя"
    assert wb["Продажи"]["A6"].value == "SKU5"


@pytest.mark.slow
@pytest.mark.libreoffice
def test_original_saved_by_libreoffice(tmp_path):
    """Another producer's conventions (rIds, part names, defined name
    attributes, an app.xml without sheet lists)."""
    profile = tmp_path / "lo-profile"
    make_original(tmp_path / "user.xlsm")
    soffice_convert(tmp_path / "user.xlsm", "xlsx", tmp_path / "lo", profile)
    original = tmp_path / "lo" / "user.xlsx"
    out = tmp_path / "spliced.xlsx"
    replace_sheets(original, make_rendered(tmp_path / "rendered.xlsx"), out, OWNED)
    assert package_problems(out) == []
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == EXPECTED_ORDER
    assert wb["План"]["B3"].number_format == RUB
    assert ("_xlnm.Print_Area", "Продажи") in [(n, s) for n, s, _ in defined_names(out)]
    # LibreOffice reads it back and computes the rendered formula
    soffice_convert(out, 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
                    tmp_path / "csv", profile)
    plan = (tmp_path / "csv" / "spliced-План.csv").read_text(encoding="utf-8").splitlines()
    assert plan[0].startswith("Новый план") and plan[2] == "Москва-1,1234567.5," and plan[3] == ",2469135,"
    notes = (tmp_path / "csv" / "spliced-Мои заметки.csv").read_text(encoding="utf-8")
    assert notes.startswith("Заметка пользователя")
