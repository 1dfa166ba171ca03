"""VBA code names in step with the tabs (issue 18, item 4): every tab the program writes gets a
unique code name and its document module, a tab it removes takes its module with it, a template's
code name is never copied; a signed project is left byte for byte.

Tested on workbooks saved by Excel (tests/golden/excel/, from XlsxWriter's test suite), into which
the Sales and Config tabs are spliced as a user would add them, then planned, then planned again
with another set of managers.
"""

from __future__ import annotations

import csv
import re
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from oletools.olevba import VBA_Parser

from conftest import libreoffice_missing
from salesplan.build.cfb import find_stream, read_cfb
from salesplan.build.ovba_compression import decompress
from salesplan.build.vba_dir import PROJECTMODULES, parse_records
from salesplan.build.vba_project import build_vba_project, default_modules, read_vba_modules
from salesplan.cli import main
from salesplan.ooxml.splice import replace_sheets
from salesplan.ooxml.vba import SOURCE_ONLY, edit_document_modules, read_project
from salesplan.outputs.instruments import template_path
from salesplan.outputs.templates import Page, render_sheets
from workbooks import make_workbook, simple_sales

GOLDEN = Path(__file__).resolve().parent / "golden" / "excel"
ROOT = Path(__file__).resolve().parent.parent
HEADER = ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ"]


def sales_rows(managers: list[str]) -> list[list]:
    """Each manager: a regular client (four months) and a one-time sale with an open order."""
    rows = []
    for i, manager in enumerate(managers):
        for m in ("06", "07", "08", "09"):
            rows.append([f"05.{m}.2026", manager, f"ООО «Клиент {i}»", "Кабель", 100000 + i, "отгружен", f"{i}-{m}"])
        rows.append(["12.09.2026", manager, f"ИП Разовый {i}", "Камеры", 50000, "конечный потребитель не оплатил", f"{i}-X"])
    return rows


def write_csv(path: Path, managers: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(sales_rows(managers))
    return path


def facts(path: Path) -> dict:
    """Code names of the workbook and of each sheet (in order), and the VBA project's modules."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        sheets = {}
        for m in re.finditer(r'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook):
            target = re.search(r'<Relationship [^>]*?Id="%s"[^>]*>' % m.group(2), rels).group(0)
            part = "xl/" + re.search(r'Target="([^"]+)"', target).group(1).removeprefix("/xl/")
            code = re.search(r'<sheetPr[^>]*?codeName="([^"]*)"', z.read(part).decode())
            sheets[m.group(1)] = code.group(1) if code else None
        book_code = re.search(r'<workbookPr[^>]*?codeName="([^"]*)"', workbook)
        vba = z.read("xl/vbaProject.bin")
    return {"workbook": book_code.group(1) if book_code else None, "sheets": sheets, "vba": vba}


def assert_in_step(path: Path) -> dict:
    """Code names unique, one per sheet; the document modules exactly the workbook's and the
    sheets'; the project parses with oletools, which finds every module the dir stream counts."""
    found = facts(path)
    codes = list(found["sheets"].values())
    assert None not in codes, found["sheets"]
    assert len({c.casefold() for c in codes}) == len(codes), codes
    project = read_project(found["vba"])
    assert sorted(d.casefold() for d in project.documents) == sorted(
        c.casefold() for c in [found["workbook"], *codes])
    streams = read_cfb(found["vba"])
    records = parse_records(decompress(find_stream(streams, "VBA/dir")))
    count = struct.unpack("<H", next(d for i, d in records if i == PROJECTMODULES))[0]
    parser = VBA_Parser("vbaProject.bin", data=found["vba"])
    olevba = {name for _, _, name, _ in parser.extract_macros()}
    assert count == len(project.modules) == len(olevba)
    assert {n.rsplit(".", 1)[0] for n in olevba} == set(project.modules)
    return found


def user_workbook(golden: str, tmp_path: Path, managers: list[str]) -> Path:
    """A workbook saved by Excel with the Sales and Config tabs put in, as a user would."""
    inputs = make_workbook(tmp_path / "inputs.xlsx", sales_rows(managers), extra=False)
    book = tmp_path / golden
    replace_sheets(GOLDEN / golden, inputs, book, owned=set())
    return book


@pytest.mark.parametrize("golden", ["macro01.xlsm", "macro02.xlsm", "button07.xlsm"])
def test_a_replan_with_other_managers_keeps_code_names_and_modules_in_step(golden, tmp_path):
    book = user_workbook(golden, tmp_path, ["Иванов", "Петров", "Сидоров"])
    original = facts(GOLDEN / golden)
    assert main(["plan", str(book), "--backups", "0"]) == 0
    first = assert_in_step(book)
    assert {"№1 Петров", "№2 Сидоров"} <= set(first["sheets"])

    # Петров and Сидоров leave, Козлов and Орлова come: their tabs take and bring their modules.
    csv_file = write_csv(tmp_path / "sales.csv", ["Иванов", "Козлов", "Орлова"])
    assert main(["plan", str(book), "--sales", str(csv_file), "--backups", "0"]) == 0
    second = assert_in_step(book)
    assert not {"№1 Петров", "№2 Петров", "№1 Сидоров", "№2 Сидоров"} & set(second["sheets"])
    assert {"№1 Козлов", "№2 Орлова"} <= set(second["sheets"])
    gone = {first["sheets"][n] for n in ("№1 Петров", "№2 Петров", "№1 Сидоров", "№2 Сидоров")}
    assert not gone & set(read_project(second["vba"]).modules) - set(second["sheets"].values())
    # The user's sheet, the workbook and their modules are Excel's as saved; so is the user's code.
    assert second["workbook"] == original["workbook"]
    for sheet, code in original["sheets"].items():
        assert second["sheets"][sheet] == code
    # A tab planned twice keeps its code name: a manager's code in its module stays with it.
    assert second["sheets"]["План"] == first["sheets"]["План"]
    assert second["sheets"]["№1 Иванов"] == first["sheets"]["№1 Иванов"]
    before, after = read_vba_modules(original["vba"]), read_vba_modules(second["vba"])
    assert after["Module1"] == before["Module1"] and after[original["workbook"]] == before[original["workbook"]]
    assert find_stream(read_cfb(second["vba"]), "VBA/_VBA_PROJECT") == SOURCE_ONLY  # Excel compiles anew
    if golden == "button07.xlsm":  # the button still calls its macro
        with zipfile.ZipFile(book) as z:
            vml = [z.read(n).decode() for n in z.namelist() if n.endswith(".vml")]
        assert any("<x:FmlaMacro>[0]!say_hello</x:FmlaMacro>" in v for v in vml)


def test_a_signed_project_is_left_byte_for_byte(tmp_path):
    """Changing a signed project would break its signature (Excel would disable the macros): it stays
    as signed, and the new tabs have no code name, which Excel gives them on open."""
    book = user_workbook("macro04.xlsm", tmp_path, ["Иванов", "Петров"])
    original = facts(GOLDEN / "macro04.xlsm")
    assert main(["plan", str(book), "--backups", "0"]) == 0
    after = facts(book)
    assert after["vba"] == original["vba"]
    with zipfile.ZipFile(book) as z, zipfile.ZipFile(GOLDEN / "macro04.xlsm") as g:
        assert z.read("xl/vbaProjectSignature.bin") == g.read("xl/vbaProjectSignature.bin")
    assert after["sheets"]["Foo"] == "Sheet1"
    assert {code for name, code in after["sheets"].items() if name != "Foo"} == {None}


def test_orphan_modules_an_earlier_build_left_are_removed(tmp_path):
    """A workbook planned by an earlier version: document modules of tabs long gone."""
    book = make_workbook(tmp_path / "old.xlsm", simple_sales())
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    stale = build_vba_project(default_modules(), sheets=[f"Sheet{n}" for n in range(1, 21)])
    parts["xl/vbaProject.bin"] = stale
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert len(read_project(stale).documents) == 21
    assert main(["plan", str(book), "--backups", "0"]) == 0
    found = assert_in_step(book)
    assert len(read_project(found["vba"]).documents) == len(found["sheets"]) + 1
    assert set(read_vba_modules(found["vba"])) >= {"xlwings", "SalesPlan", "Dictionary", "ThisWorkbook"}


def test_a_templates_code_name_is_never_copied(tmp_path):
    """A supervisor restyles a template in Russian Excel: it carries codeName «Лист1»."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("instrument1.xlsx", "instrument2.xlsx"):
        wb = openpyxl.load_workbook(template_path(name))
        wb.worksheets[0].sheet_properties.codeName = "Лист1"
        wb.save(folder / name)
    names = render_sheets(folder / "instrument2.xlsx", [Page("№2 А"), Page("№2 Б")], tmp_path / "pages.xlsx")
    rendered = openpyxl.load_workbook(tmp_path / "pages.xlsx")
    assert [rendered[n].sheet_properties.codeName for n in names] == [None, None]

    book = make_workbook(tmp_path / "plan.xlsm", sales_rows(["Иванов", "Петров", "Сидоров"]))
    assert main(["plan", str(book), "--backups", "0"]) == 0
    found = assert_in_step(book)
    assert "Лист1" not in found["sheets"].values()


def test_an_xlsx_gets_no_code_names_and_no_project(tmp_path):
    book = make_workbook(tmp_path / "plan.xlsx", sales_rows(["Иванов"]))
    assert main(["plan", str(book), "--backups", "0"]) == 0
    with zipfile.ZipFile(book) as z:
        assert "xl/vbaProject.bin" not in z.namelist()
        assert not any(b"codeName" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


def test_the_edit_refuses_what_it_cannot_do_and_the_project_reads_back():
    data = zipfile.ZipFile(GOLDEN / "macro01.xlsm").read("xl/vbaProject.bin")
    with pytest.raises(ValueError):
        edit_document_modules(data, ["Module1"], [])  # a standard module is not a sheet's
    with pytest.raises(ValueError):
        edit_document_modules(data, [], ["sheet1"])  # VBA compares names case-blind
    with pytest.raises(ValueError):
        edit_document_modules(data, [], ["Лист2"])  # new names are ASCII identifiers
    edited = edit_document_modules(data, ["Sheet1"], ["Sheet2", "Sheet3"])
    project = read_project(edited)
    assert project.documents == ("ThisWorkbook", "Sheet2", "Sheet3")
    text = find_stream(read_cfb(edited), "PROJECT").decode("cp1252")
    assert "Document=Sheet1/" not in text and "Sheet1=" not in text
    assert "Document=Sheet2/&H00000000" in text and "Sheet3=0, 0, 0, 0, C" in text
    assert 'CMG="DDDF6944971F9B1F9B1F9B1F9B"' in text  # the protection fields as they were
    wm = find_stream(read_cfb(edited), "PROJECTwm")
    assert b"Sheet1\0" not in wm and b"Sheet3\0S\0h\0e\0e\0t\x003\0\0\0\0\0" in wm
    assert not [p for p in read_cfb(edited) if "__SRP" in p]


def test_the_shipped_workbook_has_a_code_name_and_a_module_for_every_tab():
    assert_in_step(ROOT / "salesplan.xlsm")


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(bool(libreoffice_missing()), reason="LibreOffice is not installed")
def test_a_workbook_saved_by_libreoffice_is_replanned_with_its_vba_buttons_and_notes(tmp_path):
    """LibreOffice writes its own VBA project and drops every code name: the re-plan keeps its
    modules, the button and what the user typed, and names its own tabs."""
    book = make_workbook(tmp_path / "user.xlsm", sales_rows(["Иванов", "Петров"]))
    assert main(["plan", str(book), "--backups", "0"]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb["Мои заметки"]["A3"] = "позвонить в пятницу"
    wb.save(book)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "xlsm", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=240)
    saved = out / "user.xlsm"
    modules = read_vba_modules(facts(saved)["vba"])
    csv_file = write_csv(tmp_path / "sales.csv", ["Иванов", "Орлова"])
    replanned = tmp_path / "replanned.xlsm"
    shutil.copyfile(saved, replanned)
    assert main(["plan", str(replanned), "--sales", str(csv_file), "--backups", "0"]) == 0
    found = facts(replanned)
    after = read_vba_modules(found["vba"])
    assert {n: after[n] for n in ("SalesPlan", "xlwings")} == {n: modules[n] for n in ("SalesPlan", "xlwings")}
    program = {n: c for n, c in found["sheets"].items() if n.startswith(("№", "План"))}
    assert None not in program.values() and len(set(program.values())) == len(program)
    assert set(program.values()) <= set(read_project(found["vba"]).documents)
    notes = openpyxl.load_workbook(replanned)["Мои заметки"]
    assert notes["A1"].value == "Позвонить Альфе во вторник" and notes["A3"].value == "позвонить в пятницу"
    assert "№2 Орлова" in found["sheets"] and "№2 Петров" not in found["sheets"]
    # The button as LibreOffice saved it (it drops a binding to a macro the project lacks), byte for byte.
    with zipfile.ZipFile(saved) as z:
        button = {n: z.read(n) for n in z.namelist() if n.endswith(".vml") and b'ObjectType="Button"' in z.read(n)}
        button |= {n: z.read(n) for n in z.namelist() if n.startswith("xl/ctrlProps/")}
    assert button and any("Построить план".encode() in data for data in button.values())
    with zipfile.ZipFile(replanned) as z:
        assert {n: z.read(n) for n in button} == button
