"""The splice into workbooks saved by real Excel (tests/golden/excel/, see its README).

Each golden workbook gets a small rendered tab spliced in, as a build puts its tabs into the user's
file. Then: every part the splice has no reason to touch is the original's, byte for byte (even as
stored in the zip); the parts it edits keep everything the original had; the package is consistent
(relationships, content types, defined names, ids that must be unique); openpyxl and LibreOffice
read the original sheets as they were and the new tab as rendered.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from package_fixtures import defined_names, package_problems, workbook_sheets
from salesplan.build.vba_project import read_vba_modules
from salesplan.ooxml.splice import replace_sheets

GOLDEN = Path(__file__).resolve().parent / "golden" / "excel"
FILES = sorted(p.name for p in GOLDEN.glob("*.xls[xm]"))

#: The parts a splice that adds a sheet edits; every other part must stay the original's bytes.
EDITED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
          "docProps/app.xml"}

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TABLE_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"

TAB = "План"
PLANNED = dt.datetime(2026, 11, 10)


def test_the_golden_files_are_there():
    assert len(FILES) >= 8, FILES
    assert {Path(f).suffix for f in FILES} == {".xlsx", ".xlsm"}


def render(path: Path, amount: float = 1234567.5, name: str = TAB) -> Path:
    """A tab as a build renders it with XlsxWriter: text (Cyrillic, markup characters), a number in
    a money format, a date, a formula, styles, a conditional format, a table named like Excel's
    first table, a comment (VML, shape ids from block 1), a global name and a print area."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    ws = book.add_worksheet(name)
    bold = book.add_format({"bold": True, "font_color": "#1F4E78"})
    money = book.add_format({"num_format": '# ##0 "₽"'})
    date = book.add_format({"num_format": "dd.mm.yyyy"})
    red = book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    ws.write_string(0, 0, "Новый план & <итоги>", bold)
    ws.write_string(1, 0, "Москва-1")
    ws.write_number(1, 1, amount, money)
    ws.write_datetime(1, 2, PLANNED, date)
    ws.write_string(2, 0, "Итого")
    ws.write_formula(2, 1, "=B2*2", money)
    ws.conditional_format("B2:B3", {"type": "cell", "criteria": ">", "value": 1000000, "format": red})
    ws.add_table("E1:F3", {"name": "Table1", "columns": [{"header": "Клиент"}, {"header": "Сумма"}],
                           "data": [["ООО «Альфа»", 10], ["ИП Бета", 20]]})
    ws.write_comment("A1", "План на ноябрь")
    ws.print_area("A1:F20")
    book.define_name("План_итого", f"='{name}'!$B$3")
    book.close()
    return path


@pytest.fixture(params=FILES)
def spliced(request, tmp_path):
    """(the golden workbook, the rendered tab, the golden workbook with the tab spliced in)."""
    original = GOLDEN / request.param
    rendered = render(tmp_path / "rendered.xlsx")
    out = tmp_path / f"spliced{original.suffix}"
    replace_sheets(original, rendered, out, [TAB])
    return original, rendered, out


def contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def stored(path: Path) -> dict[str, tuple[int, int, int, bytes]]:
    """Per entry: compression method, CRC-32, size and its bytes as they lie in the zip."""
    out = {}
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for info in z.infolist():
            f.seek(info.header_offset + 26)
            name_length, extra_length = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
            f.seek(name_length + extra_length, 1)
            out[info.filename] = (info.compress_type, info.CRC, info.file_size, f.read(info.compress_size))
    return out


# --- untouched parts, and what the edited ones keep -------------------------------------------------

def test_every_part_the_splice_has_no_reason_to_touch_is_the_originals_bytes(spliced):
    original, _, out = spliced
    before, after = stored(original), stored(out)
    # The VBA project gets the new tab's document module (tests/test_code_names.py).
    untouched = [name for name in before if name not in EDITED | {"xl/vbaProject.bin"}]
    assert untouched, "a workbook has sheets, a theme..."
    for name in untouched:
        assert after[name] == before[name], name  # the same bytes, compressed as they were
    # The original's entries come first, in their order; the new tab's parts follow.
    assert list(after)[:len(before)] == list(before)
    assert set(EDITED) <= set(before)
    assert any(n.startswith("xl/worksheets/sheet") for n in list(after)[len(before):])


def test_the_edited_parts_keep_all_the_original_had(spliced):
    original, _, out = spliced
    old, new = contents(original), contents(out)
    for name in EDITED:
        assert new[name] != old[name], f"{name}: adding a sheet changes it"
    # Relationships, content types and sheets: every original element is there as written.
    for name, element in (("xl/_rels/workbook.xml.rels", "Relationship"), ("[Content_Types].xml", "Default"),
                          ("[Content_Types].xml", "Override"), ("xl/workbook.xml", "sheet"),
                          ("xl/workbook.xml", "definedName")):
        written = re.findall(rf"<{element}\b[^>]*?(?:/>|>.*?</{element}>)", old[name].decode())
        for raw in written:
            assert raw in new[name].decode(), (name, raw)
    # Styles: the original's entries keep their positions (the cells that name them look the same).
    old_styles, new_styles = ET.fromstring(old["xl/styles.xml"]), ET.fromstring(new["xl/styles.xml"])
    for local in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"):
        before, after = old_styles.find(NS + local), new_styles.find(NS + local)
        if before is None:
            continue
        assert after is not None, local
        assert [ET.tostring(e) for e in after][:len(before)] == [ET.tostring(e) for e in before], local
        assert int(after.get("count", len(after))) == len(after), local
    assert len(new_styles.find(NS + "cellXfs")) > len(old_styles.find(NS + "cellXfs"))  # the tab's formats


# --- a consistent package ----------------------------------------------------------------------------

def test_relationships_content_types_and_names_are_consistent(spliced):
    original, _, out = spliced
    assert package_problems(out) == []
    with zipfile.ZipFile(out) as z:
        sheets = workbook_sheets(z)
        names = [name for name, _ in sheets]
        with zipfile.ZipFile(original) as o:
            assert names == [name for name, _ in workbook_sheets(o)] + [TAB]
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        sheet_ids = [el.get("sheetId") for el in workbook.iter(NS + "sheet")]
        assert len(set(sheet_ids)) == len(sheet_ids)
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rids = [el.get("Id") for el in rels.iter(RELS + "Relationship")]
        assert len(set(rids)) == len(rids)
        # Every part has the content type of what it is.
        types = ET.fromstring(z.read("[Content_Types].xml"))
        overrides = {el.get("PartName").lstrip("/"): el.get("ContentType") for el in types.iter(CT + "Override")}
        new_sheet = dict(sheets)[TAB]
        assert overrides[new_sheet] == WORKSHEET_CT
        tables = [n for n, t in overrides.items() if t == TABLE_CT]
        assert set(tables) - set(contents(original))  # the rendered tab's table
        assert [n for n, t in overrides.items() if t == COMMENTS_CT]
        # Table ids and names are unique in the workbook (the rendered Table1 meets Excel's).
        roots = [ET.fromstring(z.read(n)) for n in tables]
        assert len({r.get("id") for r in roots}) == len(roots)
        assert len({r.get("name").casefold() for r in roots} | {r.get("displayName").casefold() for r in roots}) \
            == len(roots)
        # VML shape ids are unique in the workbook (the rendered comment's and Excel's button or comment).
        shape_ids = [int(n) for name in z.namelist() if name.endswith(".vml")
                     for n in re.findall(r"_x0000_s(\d+)", z.read(name).decode("utf-8", "replace"))]
        assert len(set(shape_ids)) == len(shape_ids)
        app = z.read("docProps/app.xml").decode()
    # Defined names: the original's, still on their sheets, and the tab's.
    before, after = defined_names(original), defined_names(out)
    assert [n for n in after if n in before] == before
    assert set(after) - set(before) == {("План_итого", None, "'План'!$B$3"),
                                        ("_xlnm.Print_Area", TAB, "План!$A$1:$F$20")}
    # docProps/app.xml lists the sheets, the new tab with them, and counts every title.
    titles = re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr>", app.split("<TitlesOfParts>")[1])
    counts = [int(c) for c in re.findall(r"<vt:i4>(\d+)</vt:i4>", app.split("<TitlesOfParts>")[0])]
    assert titles[:len(names)] == names and sum(counts) == len(titles)


def test_a_users_sheet_taken_over_drops_its_local_names_and_renumbers_the_others(tmp_path):
    """Owning Excel's Sheet2: it goes with its local names; 'Sheet 3' moves up one place and so
    do the localSheetIds of its names."""
    original = GOLDEN / "defined_name01.xlsx"
    out = tmp_path / "out.xlsx"
    replace_sheets(original, render(tmp_path / "rendered.xlsx"), out, ["Sheet2", TAB])
    assert package_problems(out) == []
    assert openpyxl.load_workbook(out).sheetnames == ["Sheet1", "Sheet 3", TAB]
    before, after = defined_names(original), defined_names(out)
    assert ("aaa", "Sheet2", "Sheet2!$A$1") in before and ("Bar", "Sheet2", "Sheet2!$A$1") in before
    assert [n for n in before if n[1] != "Sheet2"] == [n for n in after if n in before]
    assert not [n for n in after if n[1] == "Sheet2"]
    workbook = contents(out)["xl/workbook.xml"].decode()
    assert '<definedName name="Bar" localSheetId="1">\'Sheet 3\'!$A$1</definedName>' in workbook
    assert "Sheet2" not in contents(out)["docProps/app.xml"].decode().split("<TitlesOfParts>")[1]


def test_planning_again_replaces_the_tab_and_changes_nothing_else(spliced, tmp_path):
    """A second build into the spliced workbook replaces the tab in place: the same rendered tab
    gives the same package again, a changed one changes the tab alone."""
    _, rendered, out = spliced
    again = tmp_path / f"again{out.suffix}"
    replace_sheets(out, rendered, again, [TAB])
    assert contents(again) == contents(out)
    changed = tmp_path / f"changed{out.suffix}"
    replace_sheets(out, render(tmp_path / "changed.xlsx", amount=7654321.25), changed, [TAB])
    first, second = contents(out), contents(changed)
    assert first.keys() == second.keys()
    differ = {name for name in first if first[name] != second[name]}
    with zipfile.ZipFile(changed) as z:
        sheet = dict(workbook_sheets(z))[TAB]
    assert differ == {sheet}
    assert openpyxl.load_workbook(changed)[TAB]["B2"].value == 7654321.25


# --- read back ---------------------------------------------------------------------------------------

def facts(ws) -> dict:
    """What a user sees of a sheet: values, merged cells, validations, links, comments, filters,
    tables and charts."""
    return {
        "values": [[c for c in row] for row in ws.iter_rows(values_only=True)],
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "validations": sorted((str(v.sqref), v.type, v.formula1) for v in ws.data_validations.dataValidation),
        "links": sorted((c.coordinate, c.hyperlink.target) for row in ws.iter_rows() for c in row if c.hyperlink),
        "comments": sorted((c.coordinate, c.comment.text) for row in ws.iter_rows() for c in row if c.comment),
        "filter": ws.auto_filter.ref,
        "tables": sorted((t.name, t.ref) for t in ws.tables.values()),
        "charts": len(ws._charts),
        "code name": ws.sheet_properties.codeName,
    }


def test_openpyxl_reads_the_original_sheets_as_they_were_and_the_new_tab(spliced):
    original, _, out = spliced
    old = openpyxl.load_workbook(original, keep_vba=original.suffix == ".xlsm")
    new = openpyxl.load_workbook(out, keep_vba=out.suffix == ".xlsm")
    assert new.sheetnames == old.sheetnames + [TAB]
    for name in old.sheetnames:
        assert facts(new[name]) == facts(old[name]), name
    tab = new[TAB]
    assert tab["A1"].value == "Новый план & <итоги>" and tab["A1"].font.b is True
    assert tab["B2"].value == 1234567.5 and tab["B2"].number_format == '# ##0 "₽"'
    assert tab["C2"].value == PLANNED
    assert tab["B3"].value == "=B2*2"
    assert tab["A1"].comment.text == "План на ноябрь"
    assert [(t.ref, [c.name for c in t.tableColumns]) for t in tab.tables.values()] == [("E1:F3", ["Клиент", "Сумма"])]
    assert new.active.title == old.active.title
    if original.suffix == ".xlsm":  # every module as it was; a document module for the new tab at most
        before, after = read_vba_modules(contents(original)["xl/vbaProject.bin"]), read_vba_modules(
            contents(out)["xl/vbaProject.bin"])
        assert {name: after[name] for name in before} == before
        assert len(set(after) - set(before)) <= 1


# --- LibreOffice ---------------------------------------------------------------------------------------

#: A LibreOffice profile that recalculates every formula of an .xlsx on load (OOXMLRecalcMode 0:
#: always; its default is never, which would show the values cached in the file).
RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def through_libreoffice(tmp_path_factory):
    """Every golden workbook and its spliced copy, converted (loaded, recalculated and saved) by
    headless LibreOffice in one run: name -> (original as LibreOffice saw it, spliced as it saw it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: .ci/run installs it")
    work = tmp_path_factory.mktemp("golden-lo")
    rendered = render(work / "rendered.xlsx")
    sources = []
    for name in FILES:
        original = GOLDEN / name
        copy = work / f"{original.stem}-original{original.suffix}"
        shutil.copy(original, copy)
        out = work / f"{original.stem}-spliced{original.suffix}"
        replace_sheets(original, rendered, out, [TAB])
        sources += [copy, out]
    converted = work / "converted"
    (work / "profile" / "user").mkdir(parents=True)
    (work / "profile" / "user" / "registrymodifications.xcu").write_text(RECALCULATE, encoding="utf-8")
    result = subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                             "--norestore", "--convert-to", "xlsx", "--outdir", str(converted),
                             *map(str, sources)], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return {name: (converted / f"{Path(name).stem}-original.xlsx", converted / f"{Path(name).stem}-spliced.xlsx")
            for name in FILES}


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", FILES)
def test_libreoffice_reads_the_original_sheets_as_they_were_and_computes_the_new_tab(through_libreoffice, name):
    original, spliced = through_libreoffice[name]
    assert original.exists() and spliced.exists(), "LibreOffice could not read one of them"
    old = openpyxl.load_workbook(original, data_only=True)
    new = openpyxl.load_workbook(spliced, data_only=True)
    assert new.sheetnames == old.sheetnames + [TAB]
    for sheet in old.sheetnames:
        assert [list(r) for r in new[sheet].iter_rows(values_only=True)] == \
            [list(r) for r in old[sheet].iter_rows(values_only=True)], sheet
    tab = new[TAB]
    assert tab["A1"].value == "Новый план & <итоги>"
    assert tab["B2"].value == 1234567.5
    assert tab["B3"].value == 2469135  # the formula, computed by LibreOffice on load
    assert tab["C2"].value == PLANNED
    assert tab["F3"].value == 20
