"""salesplan.xlsm is built from source: the committed file is what `salesplan build-workbook` makes."""

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from salesplan.build.vba_project import default_modules, read_vba_modules
from salesplan.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "salesplan.xlsm"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "salesplan.xlsm"
    assert main(["build-workbook", "--out", str(out)]) == 0
    return out


def values(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    sheets = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        if name in ("План", "Plan"):
            rows[1] = ["<built at>"]  # the build time is the one volatile cell
        sheets[name] = rows
    return sheets


def buttons(path: Path) -> list[tuple[str, str]]:
    """(macro, caption) of every form button, from the VML drawings."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".vml"):
                xml = z.read(name).decode("utf-8")
                for shape in re.findall(r"<v:shape .*?</v:shape>", xml, re.S):
                    if 'ObjectType="Button"' not in shape:
                        continue  # comments are VML shapes too
                    macro = re.search(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", shape)
                    caption = re.sub(r"<[^>]+>", "", re.search(r"<v:textbox.*?</v:textbox>", shape, re.S).group(0))
                    found.append((macro.group(1) if macro else "", caption.strip()))
    return sorted(found)


def vba(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return read_vba_modules(z.read("xl/vbaProject.bin"))


@pytest.mark.slow
def test_committed_workbook_equals_the_build(rebuilt):
    assert values(SHIPPED) == values(rebuilt)
    assert vba(SHIPPED) == vba(rebuilt)
    assert buttons(SHIPPED) == buttons(rebuilt)


@pytest.mark.slow
def test_start_tab_has_a_button_for_every_macro_and_the_vba_is_ours(rebuilt):
    assert buttons(rebuilt) == sorted([
        ("[0]!BuildPlan", "Построить план"), ("[0]!MakeInstruments", "Листы А4: Инструменты №1 и №2"),
        ("[0]!PrintInstruments", "Печать листов А4 в PDF"), ("[0]!ImportSales", "Загрузить продажи из файла…"),
        ("[0]!RefreshDashboard", "Обновить панель"), ("[0]!CheckMethod", "Проверить метод на прошлых месяцах")])
    modules = vba(rebuilt)
    assert "xlwings" in modules
    ours = modules["SalesPlan"].replace("\r\n", "\n")
    assert ours.strip() == default_modules()["SalesPlan"].replace("\r\n", "\n").strip()
    for macro in ("BuildPlan", "MakeInstruments", "PrintInstruments", "ImportSales", "RefreshDashboard", "CheckMethod"):
        assert f"Sub {macro}()" in ours
    for source in default_modules().values():
        source.encode("ascii")  # VBA source is stored in codepage 1252: keep it ASCII


def test_oletools_reads_our_exact_macro_sources_from_the_shipped_workbook():
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(SHIPPED))
    modules = {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    parser.close()
    source = default_modules()["SalesPlan"].replace("\r\n", "\n").strip()
    assert modules["SalesPlan"].replace("\r\n", "\n").strip() == source
    assert "Function RunPython" in modules["xlwings"]


@pytest.mark.slow
def test_workbook_tabs_and_settings(rebuilt):
    wb = openpyxl.load_workbook(rebuilt, keep_vba=True)
    assert wb.sheetnames[:9] == ["Старт", "Продажи", "Настройки", "Каталог", "Потенциальные клиенты",
                                 "Пожелания клиентов", "Длинный список", "Короткий список", "xlwings.conf"]
    assert wb["xlwings.conf"].sheet_state == "hidden"
    conf = {r[0]: r[1] for r in wb["xlwings.conf"].iter_rows(values_only=True)}
    assert conf["ADD_WORKBOOK_TO_PYTHONPATH"] is False and conf["UDF Modules"] == "salesplan.excel"
    # every key that reaches xlwings' command line is on the tab, so no xlwings.conf file beside the
    # workbook can give it: the interpreters as xlwings' default until excel-setup, the rest empty
    assert conf["Interpreter_Win"] == conf["Interpreter_Mac"] == "python"
    for key in ("PYTHONPATH", "Conda Path", "Conda Env", "LICENSE_KEY", "ONEDRIVE_CONSUMER_WIN", "SHAREPOINT_MAC"):
        assert key in conf and conf[key] in (None, ""), key
    config = wb["Настройки"]
    # every parameter's value cell is an unlocked, validated input with a note
    rows = {config.cell(r, 1).value: r for r in range(6, 30) if config.cell(r, 1).value}
    assert {"plan_month", "funnel_rate", "language", "window_months"} <= set(rows)
    cell = config.cell(rows["funnel_rate"], 3)
    assert cell.protection.locked is False and cell.comment is not None
    validated = {str(dv.sqref) for dv in config.data_validations.dataValidation}
    assert f"C{rows['funnel_rate']}" in validated and f"C{rows['language']}" in validated
    assert {t for t in config.tables} >= {"Targets", "Clients", "CrossSell", "Exclusions"}
    # protected against slips, without a password; a key cell is locked
    assert config.protection.sheet is True and not config.protection.password
    assert config.cell(rows["funnel_rate"], 1).protection.locked is True


@pytest.mark.slow
def test_building_twice_gives_the_same_file_byte_for_byte(rebuilt, tmp_path):
    again = tmp_path / "again.xlsm"
    assert main(["build-workbook", "--out", str(again)]) == 0
    assert again.read_bytes() == rebuilt.read_bytes()


STUB = ('Attribute VB_Name = "xlwings"\r\n'
        "Public Function RunPython(PythonCommand As String)\r\n"
        '    ThisWorkbook.Worksheets(1).Range("Z1").Value = PythonCommand\r\n'
        "End Function\r\n")


@pytest.mark.slow
@pytest.mark.libreoffice(uno=True)
def test_libreoffice_clicks_every_start_button_and_reaches_its_python_entry_point(tmp_path):
    """LibreOffice loads the product workbook with macros on; each button's macro hands RunPython a
    command that names an existing function of salesplan.excel."""
    from salesplan import excel
    from salesplan.build.workbook import write_workbook
    from salesplan.demo import DEMO_CROSSSELL, demo_catalog, demo_config, demo_exclusions
    from salesplan.demo_data import make_demo
    from test_vba_project import SYSTEM_PYTHON, UNO_PROBE

    data = make_demo("2026-11", scale=0.05)
    book = tmp_path / "stub.xlsm"
    write_workbook(book, data, demo_config(data, "2026-11"), "ru", "2026-11", crosssell=DEMO_CROSSSELL,
                   exclusions=demo_exclusions(data), catalog=demo_catalog(data, "2026-11"), xlwings_bas=STUB)
    (tmp_path / "probe.py").write_text(UNO_PROBE)
    spec = [{"path": str(book), "click": True, "log_sheet": "Старт"}]
    result = subprocess.run([SYSTEM_PYTHON, str(tmp_path / "probe.py"), str(tmp_path / "profile"),
                             f"salesplan_build_{os.getpid()}_{tmp_path.name}", json.dumps(spec)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)[0]
    assert report["vba_mode"]
    # the cell functions' module is in the project and does not stop LibreOffice compiling it
    assert "Function SALESPLAN_MANAGER(" in report["libraries"]["VBAProject"]["xlwings_udfs"]
    ran = {b["label"]: b["ran"] for b in report["buttons"]}
    assert set(ran) == {"Построить план", "Листы А4: Инструменты №1 и №2", "Печать листов А4 в PDF",
                        "Загрузить продажи из файла…", "Обновить панель", "Проверить метод на прошлых месяцах"}
    for label, commands in ran.items():
        assert len(commands) == 1, label
        match = re.fullmatch(r"import salesplan\.excel as x; x\.(\w+)\(\)", commands[0])
        assert match, commands[0]
        assert callable(getattr(excel, match.group(1))), match.group(1)
    assert ran["Построить план"] == ["import salesplan.excel as x; x.build_plan()"]
    assert ran["Проверить метод на прошлых месяцах"] == ["import salesplan.excel as x; x.backtest()"]
