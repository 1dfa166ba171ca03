"""Tabs are the program's by its mark, not by name: a user's tab that has a program tab's name is
kept, with everything on it, and the program's tab is written beside it under another name."""

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from salesplan.cli import main
from salesplan.ooxml.marks import MARK_NAME
from salesplan.ooxml.peek import sheet_marks, sheet_names
from salesplan.ooxml.splice import replace_sheets
from salesplan.outputs.render import owned_sheets
from salesplan.outputs.tabs import new_book, put
from workbooks import make_workbook, simple_sales

TARGETS = {"Иванов": 150000, "Петров": 100000}


def add_user_tabs(book: Path, tabs: dict[str, str]) -> None:
    """Put tabs of the user's (name -> the text in A1) into ``book``, as a user adds them in Excel:
    no mark."""
    extra = book.with_name("user-tabs.xlsx")
    wb = new_book(extra)
    for name, text in tabs.items():
        put(wb.add_worksheet(name), 0, 0, text)
    wb.close()
    replace_sheets(book, extra, book, owned=set())


def a1(book: Path, sheet: str):
    return openpyxl.load_workbook(book, read_only=True)[sheet]["A1"].value


def rename_tab(book: Path, old: str, new: str) -> None:
    """Rename a tab in the workbook part, as Excel does (its local names stay with it)."""
    tmp = book.with_suffix(".tmp")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.decode().replace(f'<sheet name="{old}"', f'<sheet name="{new}"').encode()
            dst.writestr(item, data)
    tmp.replace(book)


def problems_text(book: Path) -> str:
    ws = openpyxl.load_workbook(book, read_only=True)["Проблемы"]
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


@pytest.fixture
def planned(tmp_path):
    book = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets=TARGETS)
    assert main(["plan", str(book), "--backups", "0"]) == 0
    return book


def test_every_tab_the_program_writes_carries_its_mark_and_no_user_tab_does(planned):
    marks = sheet_marks(planned)
    assert {"План", "Панель", "Проблемы", "№1 Иванов", "№2 Петров"} <= set(marks)
    assert all(marks[name] == name for name in marks)
    assert not {"Старт", "Продажи", "Настройки", "Мои заметки"} & set(marks)
    xml = zipfile.ZipFile(planned).read("xl/workbook.xml").decode()
    # hidden, so that the Name Manager does not show them; one per marked tab
    assert xml.count(f'name="{MARK_NAME}"') == len(marks)
    assert all('hidden="1"' in m for m in re.findall(rf'<definedName name="{MARK_NAME}"[^>]*>', xml))


def test_user_tabs_with_program_names_are_kept_and_the_programs_tabs_renamed(planned, capsys):
    user = {"Plan": "мой план на квартал", "Problems": "мои проблемы", "Dashboard": "моя панель",
            "#1 заметки": "заметки к инструменту", "№2 идеи": "идеи"}
    add_user_tabs(planned, user)
    assert main(["plan", str(planned), "--backups", "0"]) == 0
    names = sheet_names(planned)
    for tab, text in user.items():  # the English names in a Russian workbook, the №/# prefixes
        assert tab in names and a1(planned, tab) == text
    assert names.count("План") == 1 and "№1 Иванов" in names  # no clash: nothing renamed
    assert "План (2)" not in names


def test_a_user_tab_named_like_a_program_tab_is_kept_and_the_note_says_where_the_programs_went(planned, capsys):
    # the user deletes the program's Plan tab and makes his own «план» (Excel compares names case-blind)
    tmp = planned.with_name("mine.xlsx")
    wb = new_book(tmp)
    put(wb.add_worksheet("план"), 0, 0, "мой собственный план")
    wb.close()
    replace_sheets(planned, tmp, planned, owned={"План"})
    assert main(["plan", str(planned), "--backups", "0"]) == 0
    names = sheet_names(planned)
    assert "план" in names and a1(planned, "план") == "мой собственный план"
    assert "План (2)" in names and sheet_marks(planned)["План (2)"] == "План (2)"
    assert "«план»" in problems_text(planned) and "«План (2)»" in problems_text(planned)
    # the next build replaces its own «План (2)»: no «План (3)», the user's tab still there
    assert main(["plan", str(planned), "--backups", "0"]) == 0
    names = sheet_names(planned)
    assert "План (2)" in names and "План (3)" not in names and a1(planned, "план") == "мой собственный план"
    assert len(names) == len(set(n.casefold() for n in names))


def copy_tab(book: Path, name: str, copy: str) -> None:
    """Copy a tab as Excel's «Move or Copy… → Create a copy» does: its local names go with it."""
    from salesplan.ooxml.splice import extract_sheets

    tmp = book.with_name("copy-source.xlsx")
    extract_sheets(book, tmp, [name])  # the tab alone, with its mark
    rename_tab(tmp, name, copy)
    replace_sheets(book, tmp, book, owned=set())


def test_a_copy_of_a_program_tab_is_the_users_snapshot_and_kept(planned):
    copy_tab(planned, "Панель", "Панель (2)")
    assert sheet_marks(planned)["Панель (2)"] == "Панель"  # the copy carries the mark of «Панель»
    assert main(["plan", str(planned), "--backups", "0"]) == 0
    names = sheet_names(planned)
    assert "Панель (2)" in names and names.count("Панель") == 1
    assert str(a1(planned, "Панель (2)")) == str(a1(planned, "Панель"))  # the dashboard's title, kept
    assert "Панель (2)" not in owned_sheets(names, sheet_marks(planned))


def test_a_program_tab_the_user_renamed_is_still_the_programs(planned):
    """A manager who renames «№2 Петров» to «Петров идеи» still has one №2: the build rebuilds it
    under his name for it, in its place, instead of leaving a stale copy beside a new one."""
    before = sheet_names(planned)
    rename_tab(planned, "№2 Петров", "Петров идеи")
    assert "Петров идеи" in owned_sheets(sheet_names(planned), sheet_marks(planned))
    assert main(["plan", str(planned), "--backups", "0"]) == 0
    names = sheet_names(planned)
    assert "№2 Петров" not in names and names.index("Петров идеи") == before.index("№2 Петров")
    assert sheet_marks(planned)["Петров идеи"] == "Петров идеи"


def test_a_never_planned_workbook_keeps_a_tab_named_like_the_plan(tmp_path):
    book = make_workbook(tmp_path / "own.xlsm", simple_sales(), targets=TARGETS)
    add_user_tabs(book, {"План": "план отдела на год", "№1 Иванов": "мои записи"})
    assert main(["plan", str(book), "--backups", "0"]) == 0
    names = sheet_names(book)
    assert a1(book, "План") == "план отдела на год" and a1(book, "№1 Иванов") == "мои записи"
    assert {"План (2)", "№1 Иванов (2)", "Панель"} <= set(names)


def test_a_workbook_planned_before_marks_existed_is_recognised_by_its_tab_names(planned):
    """A workbook planned by a version that did not mark its tabs: its program tabs are replaced,
    not doubled."""
    tmp = planned.with_suffix(".tmp")
    with zipfile.ZipFile(planned) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rf'<definedName name="{MARK_NAME}"[^>]*>[^<]*</definedName>', "", data.decode()).encode()
            dst.writestr(item, data)
    tmp.replace(planned)
    before = sheet_names(planned)
    assert sheet_marks(planned) == {}
    assert main(["plan", str(planned), "--backups", "0"]) == 0
    assert sheet_names(planned) == before and set(sheet_marks(planned)) >= {"План", "№1 Иванов"}


def test_the_excel_button_keeps_user_tabs_as_the_command_line_does(planned):
    from salesplan import excel
    from test_excel import FileSession

    add_user_tabs(planned, {"Plan": "мой план", "#2 список": "мой список"})
    session = FileSession(planned)
    excel.build_plan(session)
    names = sheet_names(planned)
    assert a1(planned, "Plan") == "мой план" and a1(planned, "#2 список") == "мой список"
    assert names.count("План") == 1 and "№2 Петров" in names
    excel.make_instruments(session)
    assert a1(planned, "#2 список") == "мой список" and sheet_names(planned) == names


@pytest.mark.slow
@pytest.mark.libreoffice
def test_marks_survive_a_save_in_libreoffice(planned, tmp_path):
    import subprocess

    from salesplan.outputs.pdf import soffice_path

    soffice = soffice_path()
    out = tmp_path / "lo"
    out.mkdir()
    copy = tmp_path / "copy.xlsx"
    shutil.copy(planned, copy)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(copy)],
                   check=True, capture_output=True, timeout=180)
    marks = sheet_marks(out / "copy.xlsx")
    assert {"План", "Проблемы", "№1 Иванов"} <= set(marks) and all(marks[n] == n for n in marks)
