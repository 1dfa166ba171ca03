"""Tests of salesplan.outputs.package.replace_sheets: splicing rendered sheets
into a user's .xlsm without touching anything else."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

try:
    from salesplan.outputs.package import PackageError, replace_sheets
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
    from salesplan.outputs.package import PackageError, replace_sheets

from package_fixtures import (
    EXPECTED_ORDER, OWNED, RUB, defined_names, make_original, make_rendered, make_rendered_with_image,
    package_problems, relationships, sheet_closure, workbook_sheets,
)

# Entries that replace_sheets is allowed to rewrite; every other entry of the
# original must come out byte for byte, unless it belongs to a removed sheet.
MAY_CHANGE = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
              "docProps/app.xml", "xl/calcChain.xml"}


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
    for name in ["xl/vbaProject.bin", "xl/drawings/vmlDrawing1.vml", "xl/worksheets/sheet1.xml",
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


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_output(books, tmp_path):
    _, _, out = books
    converted = tmp_path / "converted"
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(converted), str(out)],
        capture_output=True, text=True, timeout=300)
    xlsx = converted / "out.xlsx"
    assert result.returncode == 0 and xlsx.exists(), result.stdout + result.stderr
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == EXPECTED_ORDER
    assert wb["План"]["A1"].value == "Новый план"
    assert wb["План"]["B3"].value == 1234567.5
    assert "₽" in wb["План"]["B3"].number_format
    assert wb["План"]["A1"].font.b is True
    assert wb["Проблемы"]["A2"].value == "Нет продаж"
    assert wb["Таблица"]["B3"].value == 20
    assert wb["Мои заметки"]["A1"].value == "Заметка пользователя"
    assert wb["Продажи"]["A6"].value == "SKU5"
