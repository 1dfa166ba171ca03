"""``salesplan excel-setup``: the interpreter goes into the workbook's xlwings.conf tab, proved first.

The tests marked slow start real Python processes (the proof runs the interpreter as RunPython
would); the others stand a recorded answer in for that process.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from salesplan import excel_setup
from salesplan.cli import main
from salesplan.excel_setup import PINNED, Probe, updated_conf
from salesplan.ooxml.peek import sheet_names

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "salesplan.xlsm"
PINNED_KEYS = [key for key, _ in PINNED]


@pytest.fixture
def book(tmp_path) -> Path:
    path = tmp_path / "Продажи отдела" / "salesplan.xlsm"
    path.parent.mkdir()
    shutil.copyfile(SHIPPED, path)
    return path


@pytest.fixture
def answered(monkeypatch):
    """The interpreter's answer without starting it: salesplan and the pinned xlwings, found
    without a PYTHONPATH. Each call is recorded."""
    calls: list[tuple[str, str]] = []

    def fake(interpreter: str, pythonpath: str) -> Probe:
        calls.append((interpreter, pythonpath))
        return Probe(True, "0.1.0", "0.37.8", "/venv/lib/salesplan/__init__.py")

    monkeypatch.setattr(excel_setup, "probe", fake)
    return calls


def conf(path: Path) -> dict:
    """The xlwings.conf tab as xlwings reads it (calamine, not openpyxl: the shipped workbook is
    big enough for openpyxl to take seconds)."""
    with zipfile.ZipFile(path) as z:
        assert re.search(r'<sheet name="xlwings.conf" sheetId="\d+" state="hidden"', z.read("xl/workbook.xml").decode())
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("xlwings.conf").to_python()
    keys = [r[0] for r in rows]
    assert "" not in keys  # xlwings reads down to the first empty key: all of them are in its block
    return {r[0]: r[1] for r in rows}


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_dry_run_prints_what_it_would_write_and_changes_nothing(book, answered, capsys):
    before = book.read_bytes()
    assert main(["excel-setup", str(book), "--platform", "win", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert book.read_bytes() == before and not (book.parent / "salesplan-backups").exists()
    assert out.startswith(f"Пробный запуск, книга не изменена. В «{book}», лист «xlwings.conf», было бы записано:")
    # the shipped tab has every other key already: one cell to change
    assert [line for line in out.splitlines() if line.startswith("  ")] == [
        f"  Interpreter_Win = '{sys.executable}'  (было «python»)"]
    assert "Проверено: " in out and "xlwings 0.37.8" in out
    assert answered == [(sys.executable, "")]


def test_mac_dry_run_names_the_install_step_and_runs_it_not(book, answered, capsys, monkeypatch):
    monkeypatch.setattr(excel_setup, "current_platform", lambda: "mac")
    monkeypatch.setattr(excel_setup.subprocess, "run", lambda *a, **k: pytest.fail("ran something"))
    before = book.read_bytes()
    assert main(["excel-setup", str(book), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"  Interpreter_Mac = '{sys.executable}'  (было «python»)" in out.splitlines()
    assert "Было бы выполнено: xlwings runpython install" in out
    assert book.read_bytes() == before


def test_setup_writes_the_tab_and_nothing_else_of_the_file(book, answered, capsys):
    before = entries(book)
    assert main(["excel-setup", str(book), "--platform", "win"]) == 0
    out = capsys.readouterr().out
    settings = conf(book)
    assert settings["Interpreter_Win"] == sys.executable
    assert settings["Interpreter_Mac"] == "python" and settings["PYTHONPATH"] == ""
    assert settings["ADD_WORKBOOK_TO_PYTHONPATH"] is False and settings["UDF Modules"] == "salesplan.excel"
    assert set(PINNED_KEYS) <= set(settings)
    after = entries(book)
    changed = {name for name in before if before[name] != after.get(name)}
    conf_part = next(n for n in changed if n.startswith("xl/worksheets/"))
    assert changed - {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} == {conf_part}
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert sheet_names(book) == sheet_names(SHIPPED)
    assert "Предыдущая версия сохранена" in out and list((book.parent / "salesplan-backups").iterdir())
    # done again: nothing to change, nothing written
    written = book.read_bytes()
    assert main(["excel-setup", str(book), "--platform", "win"]) == 0
    assert "уже такой, как нужно" in capsys.readouterr().out
    assert book.read_bytes() == written


def test_linux_without_platform_says_which_to_choose(book, answered, capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    before = book.read_bytes()
    assert main(["excel-setup", str(book)]) == 2
    err = capsys.readouterr().err
    assert "--platform win" in err and "--platform mac" in err and "Книга не изменена" in err
    assert book.read_bytes() == before and answered == []


def test_read_only_workbook_is_a_message_and_stays_as_it_was(book, answered, capsys, monkeypatch):
    before = book.read_bytes()
    book.chmod(0o444)
    real_access = os.access
    # Tests run as root in CI, and root may write anything: let the check see what a user would.
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == book and mode == os.W_OK
                        else real_access(p, mode))
    assert main(["excel-setup", str(book), "--platform", "win"]) == 2
    err = capsys.readouterr().err
    assert "только для чтения" in err and "Только чтение" in err and "Книга не изменена" in err
    assert book.read_bytes() == before


def test_workbook_open_in_excel_is_a_message(book, answered, capsys):
    before = book.read_bytes()
    (book.parent / ("~$" + book.name)).write_bytes(b"owner")  # what Excel leaves beside an open file
    assert main(["excel-setup", str(book), "--platform", "win"]) == 2
    assert "открыт в Excel" in capsys.readouterr().err
    assert book.read_bytes() == before


def test_without_xlwings_here_it_says_what_to_install(book, answered, capsys, monkeypatch):
    monkeypatch.setattr(excel_setup, "installed_xlwings", lambda: None)
    before = book.read_bytes()
    assert main(["excel-setup", str(book), "--platform", "win"]) == 2
    err = capsys.readouterr().err
    assert 'нет xlwings 0.37.8' in err and "-m pip install xlwings==0.37.8" in err and "Книга не изменена" in err
    assert book.read_bytes() == before


def test_an_interpreter_with_another_xlwings_is_refused(book, capsys, monkeypatch):
    monkeypatch.setattr(excel_setup, "probe", lambda i, p: Probe(True, "0.1.0", "0.33.1", "/x/salesplan/__init__.py"))
    before = book.read_bytes()
    assert main(["excel-setup", str(book), "--platform", "win"]) == 2
    err = capsys.readouterr().err
    assert "xlwings 0.33.1" in err and "нужен xlwings 0.37.8" in err and "xlwings==0.37.8" in err
    assert book.read_bytes() == before


def test_a_mac_interpreter_path_with_a_space_is_refused(book, answered, capsys):
    before = book.read_bytes()
    assert main(["excel-setup", str(book), "--platform", "mac", "--python", "/Users/anna/My venv/bin/python"]) == 2
    assert "пробел" in capsys.readouterr().err
    assert book.read_bytes() == before and answered == []


def test_salesplan_found_only_with_a_pythonpath_gets_one(monkeypatch):
    """A source checkout run with PYTHONPATH=python: the tab gets that folder, and the proof runs
    with it."""
    answers = iter([Probe(False, missing="salesplan", error="ModuleNotFoundError: No module named 'salesplan'"),
                    Probe(True, "0.1.0", "0.37.8", "/src/python/salesplan/__init__.py")])
    calls = []

    def run(interpreter, pythonpath):
        calls.append(pythonpath)
        return next(answers)

    pythonpath, answer = excel_setup.find_pythonpath("/venv/bin/python", run)
    assert calls == ["", excel_setup.own_package_folder()] and pythonpath == calls[1] and answer.ok
    assert (Path(pythonpath) / "salesplan" / "__init__.py").is_file()


def test_conf_rows_are_set_in_xlwings_block_and_the_rest_kept():
    rows = [["Interpreter_WIN", r"C:\old\python.exe"], ["Show Console", False], ["show console", True],
            ["", ""], ["моя заметка", "не трогать"]]
    new, changes = updated_conf(rows, {"Interpreter_Win": r"C:\venv\Scripts\python.exe", "PYTHONPATH": ""})
    keys = [r[0] for r in new]
    # set in place (xlwings compares keys in upper case), a repeated key dropped, the pinned keys
    # added to the block, the user's row after the blank kept below it
    assert new[0] == ["Interpreter_WIN", r"C:\venv\Scripts\python.exe"]
    assert keys.count("show console") == 0 and ("show console", True, None) in changes
    block = keys[:keys.index("")]
    assert set(PINNED_KEYS) - {"Interpreter_Win"} <= set(block)
    assert new[-1] == ["моя заметка", "не трогать"] and new[-2][0] == ""
    assert ("Interpreter_WIN", r"C:\old\python.exe", r"C:\venv\Scripts\python.exe") in changes


# --- real interpreters -------------------------------------------------------------------------------------


@pytest.mark.slow  # starts Python
def test_the_proof_runs_this_python_as_runpython_would(book, capsys):
    assert main(["excel-setup", str(book), "--platform", "win", "--dry-run"]) == 0
    out = capsys.readouterr().out
    import xlwings

    import salesplan

    assert (f"Проверено: {sys.executable} запускает salesplan {salesplan.__version__} и xlwings "
            f"{xlwings.__version__} так же, как кнопка") in out
    assert xlwings.__version__ == "0.37.8"


def wrapper(folder: Path, env: str) -> Path:
    """An interpreter that starts this venv's Python without its site-packages (``-S``)."""
    script = folder / "python"
    script.write_text(f'#!/bin/sh\n{env}exec "{sys.executable}" -S "$@"\n')
    script.chmod(0o755)
    return script


@pytest.mark.slow  # starts Python
def test_an_interpreter_without_xlwings_is_a_message_and_nothing_is_written(book, tmp_path, capsys):
    python = wrapper(tmp_path, "")
    before = book.read_bytes()
    assert main(["excel-setup", str(book), "--platform", "win", "--python", str(python)]) == 2
    err = capsys.readouterr().err
    assert f"В Python «{python}» нет xlwings 0.37.8" in err and "Книга не изменена" in err
    assert book.read_bytes() == before


@pytest.mark.slow  # starts Python
def test_an_interpreter_that_needs_a_pythonpath_gets_it_proved(book, tmp_path, capsys):
    """xlwings and pandas importable, salesplan not (its editable install is a .pth file that
    -S skips): the tab gets salesplan's folder as PYTHONPATH, and the proof passes with it."""
    import xlwings

    site_packages = Path(xlwings.__file__).parent.parent
    python = wrapper(tmp_path, f'PYTHONPATH="{site_packages}" ')
    assert main(["excel-setup", str(book), "--platform", "win", "--python", str(python)]) == 0
    settings = conf(book)
    assert settings["Interpreter_Win"] == str(python)
    assert settings["PYTHONPATH"] == excel_setup.own_package_folder()
    assert "Проверено" in capsys.readouterr().out


@pytest.mark.slow  # starts Python
def test_on_a_mac_it_installs_runpython_for_the_user(book, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(excel_setup, "current_platform", lambda: "mac")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert main(["excel-setup", str(book)]) == 0
    assert conf(book)["Interpreter_Mac"] == sys.executable
    script = tmp_path / "home/Library/Application Scripts/com.microsoft.Excel/xlwings-0.37.8.applescript"
    assert script.is_file()  # where Excel's AppleScriptTask finds it
    assert "Выполнено: " in capsys.readouterr().out
