"""The Excel entry points, driven through a Session double over a real workbook file."""

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest

from salesplan import excel
from salesplan.inputs.rows import SheetRows, WorkbookSource
from salesplan.ooxml.peek import sheet_marks
from salesplan.ooxml.splice import extract_sheets, replace_sheets
from salesplan.outputs.pdf import workbook_to_pdf
from workbooks import make_workbook, simple_sales


class FileSession:
    """Excel as a file: reads the workbook's sheets, applies sheet replacements to the file."""

    def __init__(self, path: Path, pick: Path | None = None, unsaved: bool = False) -> None:
        self.path, self.pick, self.unsaved = path, pick, unsaved
        self.read: list[str] = []
        self.messages: list[str] = []
        self.statuses: list[str | None] = []
        self.written: dict[str, list[list]] = {}

    def sheet_names(self):
        return WorkbookSource(self.path).sheet_names

    def sheet_marks(self):
        return sheet_marks(self.path)

    def read_sheet(self, name):
        self.read.append(name)
        if name in self.written:
            return SheetRows(name, self.written[name])
        return WorkbookSource(self.path).rows(name)

    def workbook_path(self):
        return self.path

    def unsaved_changes(self):
        return self.unsaved

    def replace_sheets(self, rendered, names_, owned):
        replace_sheets(self.path, rendered, self.path, owned)

    def write_values(self, name, rows):
        self.written[name] = rows

    def status(self, text):
        self.statuses.append(text)

    def message(self, text, title):
        self.messages.append(text)

    def ask_open_file(self, title):
        return self.pick

    def export_pdf(self, sheet_names, path):
        """Print as ``salesplan pdf`` does, where Excel would print itself: the sheets taken out of
        the file as they are, printed by LibreOffice."""
        with tempfile.TemporaryDirectory() as scratch:
            book = Path(scratch) / "sheets.xlsx"
            extract_sheets(self.path, book, list(sheet_names))
            workbook_to_pdf(book, path)


@pytest.fixture
def book(tmp_path):
    return make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})


@pytest.mark.slow  # two whole builds through the button
def test_build_plan_button_writes_the_same_tabs_as_the_command_line(book):
    session = FileSession(book)
    excel.build_plan(session)
    assert session.messages and "План построен: 2 менеджеров" in session.messages[0]
    assert session.statuses[-1] is None  # the status bar is given back to Excel
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert {"План", "Обзвон постоянных", "Проблемы", "№1 Иванов", "№2 Петров"} <= set(wb.sheetnames)
    assert wb.sheetnames[:4] == ["Старт", "Продажи", "Настройки", "Мои заметки"]
    excel.build_plan(session)  # twice: replaced, not duplicated
    assert openpyxl.load_workbook(book).sheetnames.count("План") == 1


def test_bad_input_shows_a_message_with_the_place_not_a_traceback(tmp_path):
    book = make_workbook(tmp_path / "b.xlsm", [["01.09.2026", "И", "А", "К"]],
                         sales_header=["Дата", "Менеджер", "Клиент", "Категория"])
    session = FileSession(book)
    before = book.read_bytes()
    excel.build_plan(session)
    assert len(session.messages) == 1
    assert "Продажи" in session.messages[0] and "Сумма" in session.messages[0]
    assert "Traceback" not in session.messages[0]
    assert book.read_bytes() == before


def test_a_saved_workbooks_sales_tab_is_read_from_the_file_on_disk(book):
    session = FileSession(book, unsaved=False)
    inputs = excel._inputs(session)
    assert "Продажи" not in session.read  # not through Excel: the fast reader took the file
    assert any("из файла на диске" in (s or "") and "«Продажи»" in (s or "") for s in session.statuses)
    assert len(inputs.ledger) == len(simple_sales())


def test_unsaved_edits_are_read_from_the_live_sheet_and_the_status_bar_says_so(book):
    session = FileSession(book, unsaved=True)
    on_disk = WorkbookSource(book).rows("Продажи").rows
    session.written["Продажи"] = on_disk[:2]  # the user deleted every sale line but one, not saved yet
    inputs = excel._inputs(session)
    assert "Продажи" in session.read
    assert any("несохранённые изменения" in (s or "") for s in session.statuses)
    assert len(inputs.ledger) == 1 < len(simple_sales())


def test_a_saved_flag_over_an_unreadable_file_falls_back_to_the_live_sheet(book, monkeypatch):
    session = FileSession(book, unsaved=False)

    def locked(path):
        raise PermissionError(13, "locked by another program")

    monkeypatch.setattr(excel, "WorkbookSource", locked)  # the file only; the live sheets still read
    inputs = excel._inputs(session)
    assert "Продажи" in session.read and len(inputs.ledger) == len(simple_sales())
    assert any("не читается" in (s or "") and "locked by another program" in (s or "") for s in session.statuses)


def test_import_sales_checks_the_file_then_fills_the_sales_tab(book, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("Период;Контрагент;Ответственный;Номенклатурная группа;Сумма\n"
                      "05.08.2026;ООО Гамма;Сидорова;СКУД;1000\n", encoding="utf-8")
    session = FileSession(book, pick=export)
    excel.import_sales(session)
    written = session.written["Продажи"]
    assert written[0][:4] == ["Дата", "Менеджер", "Клиент", "Категория"]
    # typed values: a real date and a number, never text for Excel to guess at
    assert written[1][:4] == [dt.datetime(2026, 8, 5), "Сидорова", "ООО Гамма", "СКУД"]
    assert written[1][7] == 1000.0
    assert "Загружено 1 строк" in session.messages[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("a;b\n1;2\n", encoding="utf-8")
    session = FileSession(book, pick=bad)
    excel.import_sales(session)
    assert "Продажи" not in session.written and "заголовков" in session.messages[0]


def test_udfs_return_tables_that_spill():
    sales = [["Дата", "Менеджер", "Клиент", "Категория", "Сумма"]] + [
        [f"05.{m}.2026", "Иванов", "Альфа", "Камеры", 100000] for m in ("06", "07", "08", "09")] + [
        ["10.07.2026", "Иванов", "Бета", "Кабель", 400000]]
    figures = dict(map(tuple, excel.SALESPLAN_MANAGER(sales, "Иванов", "2026-10", 300000)))
    # regular 100 000; average (400 000 + 400 000) / 4 = 200 000; remainder 100 000; funnel 20 000
    assert figures["1. Постоянные клиенты"] == 100000
    assert figures["2. Воронка"] == 20000
    assert figures["3. Разрыв до плана"] == 180000
    client = dict(map(tuple, excel.SALESPLAN_CLIENT(sales, "Альфа", "2026-10")))
    assert client["Тип клиента"] == "постоянный" and client["План на месяц"] == 100000
    assert client["Цель на неделю"] == 25000
    assert dict(map(tuple, excel.SALESPLAN_CLIENT(sales, "Бета", "2026-10")))["Тип клиента"] == "разовый"
    assert "Нет клиента" in excel.SALESPLAN_CLIENT(sales, "Гамма", "2026-10")[0][0]
    # a range without headers: the cell says what is wrong instead of #VALUE!
    assert "не найдена строка заголовков" in excel.SALESPLAN_MANAGER([["x"]], "Иванов")[0][0]


@pytest.mark.slow
def test_build_plan_on_the_demo_tabs_gives_the_command_lines_figures(demo_copy, tmp_path):
    import json

    from salesplan.cli import main

    book = demo_copy("demo.xlsm")
    assert main(["plan", str(book), "--out", str(tmp_path / "cli.xlsm"), "--json", str(tmp_path / "p.json")]) == 0
    expected = {m["manager"]: m for m in json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))["managers"]}
    excel.build_plan(FileSession(book))
    ws = openpyxl.load_workbook(book)["План"]
    header = [c.value for c in ws[5]]
    got = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=6, values_only=True) if r[0] in expected}
    assert set(got) == set(expected) and len(got) == 8
    for manager, figures in expected.items():
        assert got[manager]["1. Постоянные клиенты"] == pytest.approx(figures["regular_plan"], abs=0.01)
        assert got[manager]["2. Воронка"] == pytest.approx(figures["funnel_plan"], abs=0.01)
        assert got[manager]["3А. Старые клиенты"] == pytest.approx(figures["existing_clients_plan"], abs=0.01)


class SavingSession(FileSession):
    """Excel as a file that takes the rendered tabs the way ``salesplan plan`` writes its own:
    the same splice, the same safe save. What differs is only the button's path to them."""

    def replace_sheets(self, rendered, names_, owned):
        import shutil

        from salesplan.outputs.workbook import save_with_tabs

        def copy(path):
            shutil.copyfile(rendered, path)
            return list(names_)

        save_with_tabs(self.path, self.path, copy, owned, keep_backups=0)


@pytest.mark.slow
def test_the_button_and_the_command_line_write_the_same_bytes(tmp_path, monkeypatch):
    """One plan, one render: the button «Построить план» and ``salesplan plan`` make the same file."""
    import shutil

    from salesplan import monthly
    from salesplan.cli import main

    # An hour after the shipped build: the demo's figures are as of its «Дата факта» (10.11.2026), so
    # only the build's time stamp tells the planned files from the shipped one.
    fixed = dt.datetime(2026, 11, 10, 10, 0)
    monkeypatch.setattr(monthly, "now", lambda: fixed)
    shipped = Path(__file__).parent.parent / "salesplan.xlsm"
    by_button, by_command = tmp_path / "button" / "salesplan.xlsm", tmp_path / "command" / "salesplan.xlsm"
    for path in (by_button, by_command):
        path.parent.mkdir()
        shutil.copyfile(shipped, path)
    session = SavingSession(by_button)
    excel.build_plan(session)
    assert session.messages and "План построен" in session.messages[0]
    assert main(["plan", str(by_command), "--backups", "0"]) == 0
    assert by_button.read_bytes() != shipped.read_bytes()  # both were planned ...
    assert by_button.read_bytes() == by_command.read_bytes()  # ... into the same bytes
