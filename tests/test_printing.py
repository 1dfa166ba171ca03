"""Print what the workbook shows: the №1/№2 sheets that are in it, as they are, one PDF a manager.

The fast tests pair sheets, take sheets out of a workbook and check the messages; the tests marked
``libreoffice`` plan a workbook for another month and other managers (``--sales``/``--targets``),
type on its sheets, and print it with ``salesplan pdf``.
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from salesplan import excel
from salesplan.cli import main
from salesplan.errors import PdfExportError
from salesplan.inputs.rows import SheetRows
from salesplan.ooxml.splice import extract_sheets
from salesplan.outputs.pdf import page_info
from salesplan.outputs.printing import PrintJob, print_jobs, sheet_heading
from test_excel import FileSession
from workbooks import make_workbook, simple_sales

A4 = (595.3, 841.9)


def sheet(heading: str | None = None, *rows: list) -> SheetRows:
    """A sheet's cells as the readers give them: a title row, the heading in row 2, then ``rows``."""
    return SheetRows("x", [["ИНСТРУМЕНТ"], [heading or ""], *rows])


# --- pairing ----------------------------------------------------------------------------------------

def test_sheets_pair_by_the_manager_in_their_heading_whatever_the_tabs_are_called():
    jobs = print_jobs({
        "№2 мой список": sheet("Иванов Пётр · сентябрь 2026"),  # renamed, and moved before №1
        "№1 Иванов П.": sheet("Иванов Пётр · сентябрь 2026"),
        "№1 Иванов П. (2)": sheet("Иванов Павел · сентябрь 2026"),
        "№2 Иванов П.": sheet("Иванов Павел · сентябрь 2026"),
    })
    assert jobs == [
        PrintJob("Иванов Пётр", "2026-09", ("№1 Иванов П.", "№2 мой список"), "Иванов Пётр 2026-09"),
        PrintJob("Иванов Павел", "2026-09", ("№1 Иванов П. (2)", "№2 Иванов П."), "Иванов Павел 2026-09"),
    ]


def test_sheets_without_a_heading_pair_by_their_tab_names():
    """A restyled template without the «manager · month» line: the tab names pair the sheets."""
    jobs = print_jobs({"№1 Петров": sheet(), "№1 Сидорова": sheet("Сидорова Анна · October 2026"),
                       "№2 Петров": sheet("Компания · Москва"), "№2 Сидорова": sheet()})
    assert [(j.manager, j.month, j.sheets, j.file_name) for j in jobs] == [
        ("Петров", "", ("№1 Петров", "№2 Петров"), "Петров"),
        ("Сидорова Анна", "2026-10", ("№1 Сидорова", "№2 Сидорова"), "Сидорова Анна 2026-10"),
    ]


def test_a_heading_on_every_sheet_is_nobodys_name():
    """A restyled heading that names the company on every sheet must not pair all №1 with one №2."""
    company = "ООО Щит · ноябрь 2026"
    jobs = print_jobs({"№1 А": sheet(company), "№1 Б": sheet(company), "№2 Б": sheet(company), "№2 А": sheet(company)})
    assert [j.sheets for j in jobs] == [("№1 А", "№2 А"), ("№1 Б", "№2 Б")]
    assert [j.file_name for j in jobs] == ["ООО Щит 2026-11", "ООО Щит 2026-11 (2)"]  # unique all the same


def test_a_sheet_without_its_pair_prints_alone_and_says_which_is_missing():
    jobs = print_jobs({"#2 Smith J.": sheet("John Smith · September 2026"), "№1 Орлов Т.": sheet(),
                       "План": sheet(), "Мой №1": sheet()})  # not instrument sheets
    assert [(j.sheets, j.alone, j.missing) for j in jobs] == [(("#2 Smith J.",), True, "#1"),
                                                                (("№1 Орлов Т.",), True, "№2")]


def test_file_names_are_unique_where_the_disk_ignores_case():
    jobs = print_jobs({"№1 a": sheet("Иванов Пётр · май 2026"), "№1 b": sheet("иванов пётр? · май 2026"),
                       "№2 a": sheet("Иванов Пётр · май 2026"), "№2 b": sheet("иванов пётр? · май 2026")})
    assert [j.file_name for j in jobs] == ["Иванов Пётр 2026-05", "иванов пётр 2026-05 (2)"]
    assert [j.sheets for j in jobs] == [("№1 a", "№2 a"), ("№1 b", "№2 b")]


@pytest.mark.parametrize("text, expected", [
    ("Иванов Пётр · сентябрь 2026", ("Иванов Пётр", "2026-09")),
    ("  Smith, John · December 2027 ", ("Smith, John", "2027-12")),
    ("Иванов Пётр · сентябрь", None),       # no year
    ("Иванов Пётр · неделя 2026", None),    # not a month
    ("Иванов Пётр - сентябрь 2026", None),  # not the heading's separator
])
def test_the_heading_names_a_manager_and_a_month(text, expected):
    assert sheet_heading(sheet(text)) == expected


# --- a workbook of chosen sheets ------------------------------------------------------------------

@pytest.fixture
def planned(tmp_path):
    """A small workbook planned by the program: plan tabs, №1 and №2 of two managers, user tabs."""
    book = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})
    assert main(["plan", str(book), "--backups", "0"]) == 0
    return book


@pytest.mark.slow  # a whole build
def test_extract_sheets_keeps_only_those_sheets_as_they_are_in_the_order_asked(planned, tmp_path):
    out = tmp_path / "two.xlsx"
    extract_sheets(planned, out, ["№2 Петров", "№1 Петров"])
    original, got = openpyxl.load_workbook(planned), openpyxl.load_workbook(out)
    assert got.sheetnames == ["№2 Петров", "№1 Петров"]
    for name in got.sheetnames:
        values = [[c.value for c in row] for row in original[name].iter_rows()]
        assert [[c.value for c in row] for row in got[name].iter_rows()] == values
        assert got[name].print_area == original[name].print_area  # the page setup goes with the sheet
        assert got[name].page_setup.paperSize == original[name].page_setup.paperSize == 9  # A4
        assert got[name].sheet_properties.pageSetUpPr.fitToPage
    with pytest.raises(KeyError, match="№3"):
        extract_sheets(planned, tmp_path / "none.xlsx", ["№3 Петров"])


def test_a_workbook_without_instrument_sheets_is_a_message_and_nothing_is_written(tmp_path, capsys):
    book = make_workbook(tmp_path / "new.xlsm", simple_sales(), targets={"Иванов": 150000})
    before = book.read_bytes()
    out = tmp_path / "pdf"
    assert main(["pdf", str(book), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "нет листов А4" in err and "Сначала постройте план" in err and "salesplan plan" in err, err
    assert "Traceback" not in err
    assert not out.exists() and book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.xlsm"]


@pytest.mark.parametrize("option", [["--month", "2026-09"], ["--sales", "x.csv"], ["--set", "language=en"]])
def test_pdf_never_plans_again_and_says_to_plan_with_that_option(tmp_path, capsys, option):
    book = make_workbook(tmp_path / "b.xlsm", simple_sales())
    out = tmp_path / "pdf"
    assert main(["pdf", str(book), "--out", str(out), *option]) == 2
    err = capsys.readouterr().err
    assert "план заново не строит" in err and f"salesplan plan «{book}» {option[0]}" in err, err
    assert not out.exists()


def test_the_print_button_without_instrument_sheets_says_to_plan_first(tmp_path):
    book = make_workbook(tmp_path / "new.xlsm", simple_sales())
    session = PrintingSession(book)
    excel.print_instruments(session)
    assert len(session.messages) == 1 and "Сначала постройте план" in session.messages[0]
    assert session.exported == [] and not (tmp_path / "PDF").exists()


@pytest.mark.slow  # a whole build
def test_the_print_button_has_excel_print_each_managers_two_sheets_without_planning(planned, monkeypatch):
    def no_plan(*args, **kwargs):
        raise AssertionError("printing must not plan the month again")

    monkeypatch.setattr(excel, "_plan", no_plan)
    session = PrintingSession(planned)
    excel.print_instruments(session)
    folder = planned.parent / "PDF"
    assert session.exported == [(("№1 Иванов", "№2 Иванов"), folder / "Иванов 2026-10.pdf"),
                                (("№1 Петров", "№2 Петров"), folder / "Петров 2026-10.pdf")]
    assert session.messages == [f"PDF готовы: 2 файлов в папке {folder}."]
    assert session.statuses[-1] is None


class PrintingSession(FileSession):
    """Excel as a file that notes what it was asked to print instead of printing it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.exported: list[tuple[tuple[str, ...], Path]] = []

    def export_pdf(self, sheet_names, path):
        self.exported.append((tuple(sheet_names), path))


# --- Excel's own print: xlwings' open-source Book.to_pdf -----------------------------------------

class FakeSheet:
    def __init__(self, name: str, visible: int) -> None:
        self.name = name
        self.api = type("Api", (), {"Visible": visible})()


class FakeBook:
    """What XlwingsSession.export_pdf uses of an xlwings Book: ``sheets``, ``api`` and ``to_pdf``,
    which hides the other sheets and shows them again as xlwings does (visible True/False only)."""

    def __init__(self, fail: bool = False) -> None:
        self.sheets = [FakeSheet("Старт", -1), FakeSheet("Секрет", 2), FakeSheet("#1 Smith J.", -1),
                       FakeSheet("#2 Smith J.", -1)]
        self.api = type("Api", (), {"Saved": False})()
        self.calls: list[tuple] = []
        self.fail = fail

    def to_pdf(self, path, include=None, exclude=None, layout=None, exclude_start_string="#", show=False,
               quality="standard"):
        self.calls.append((path, include, exclude, layout, exclude_start_string))
        # xlwings hides every sheet not printed and then sets each back to visible True/False:
        # a very hidden sheet (2) comes back merely hidden (0), and the workbook is «changed».
        visible = {s.name: s.api.Visible == -1 for s in self.sheets}
        for s in self.sheets:
            s.api.Visible = -1 if s.name in include and not s.name.startswith(exclude_start_string) else 0
        for s in self.sheets:
            s.api.Visible = -1 if visible[s.name] else 0
        self.api.Saved = False
        if self.fail:
            raise RuntimeError("(-2147352567, 'Документ не сохранён. Он может быть открыт')")


def test_excel_prints_the_sheets_itself_with_the_open_source_api(tmp_path):
    book = FakeBook()
    book.api.Saved = True
    excel.XlwingsSession(book).export_pdf(["#1 Smith J.", "#2 Smith J."], tmp_path / "Smith.pdf")
    path, include, exclude, layout, start = book.calls[0]
    assert (path, include, exclude) == (str(tmp_path / "Smith.pdf"), ["#1 Smith J.", "#2 Smith J."], None)
    assert layout is None  # the PRO-only option is never used
    assert not any(n.startswith(start) for n in include)  # the English «#1 …» sheets are not left out
    assert [s.api.Visible for s in book.sheets] == [-1, 2, -1, -1]  # the very hidden sheet stays so
    assert book.api.Saved is True  # printing does not leave the workbook «changed»


def test_excel_failing_to_print_is_a_message_naming_the_file(tmp_path):
    book = FakeBook(fail=True)
    with pytest.raises(PdfExportError) as err:
        excel.XlwingsSession(book).export_pdf(["#1 Smith J."], tmp_path / "Smith.pdf")
    assert err.value.key == "err.pdf_failed" and "Smith.pdf" in err.value.text("ru")
    assert "может быть открыт" in err.value.text("ru")


# --- printed with LibreOffice -------------------------------------------------------------------------

MANAGERS = ("Журавлёва Вера", "Орлов Тимур", "Белова Инна", "Гусейнов Руслан", "Тихонова Алла", "Яковлев Олег")
CATEGORIES = ("Камеры", "Видеорегистраторы", "СКУД", "Домофоны", "Кабель", "Блоки питания", "Шлагбаумы")


def company_sales(path: Path) -> Path:
    """A year of a distributor's sales for September 2026: six managers, 900 clients, each client
    buying one to four categories in a share of the months, from 12 000 to 400 000 ₽ an order."""
    rng = random.Random(20260901)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус"])
        for i in range(900):
            manager = MANAGERS[i % len(MANAGERS)]
            client = f"ООО «{rng.choice(['Альфа', 'Вектор', 'Щит', 'Рубеж', 'Дозор', 'Страж'])}-{i:03d}»"
            buys = rng.sample(CATEGORIES, rng.randint(1, 4))
            regularity = rng.random()
            for month in range(9, 21):  # 2025-09 … 2026-08
                if rng.random() < regularity:
                    year, m = 2025 + (month - 1) // 12, (month - 1) % 12 + 1
                    for category in buys[: rng.randint(1, len(buys))]:
                        out.writerow([f"{rng.randint(1, 28):02d}.{m:02d}.{year}", manager, client, category,
                                      rng.randint(12, 400) * 1000, "отгружен"])
    return path


TYPED = "ПРАВКА-7731"


@pytest.fixture(scope="module")
def printed(demo_workbooks, tmp_path_factory):
    """The demo workbook planned with ``--sales``/``--targets`` for September 2026 (other managers
    than the demo's), a value typed on one №1 sheet, one №2 tab renamed and moved first, printed
    with ``salesplan pdf``: (folder of PDFs, the workbook)."""
    folder = tmp_path_factory.mktemp("print")
    book = folder / "company.xlsm"
    shutil.copyfile(demo_workbooks(), book)
    sales = company_sales(folder / "sales.csv")
    targets = folder / "targets.csv"
    targets.write_text("Manager,Target\n" + "".join(f"{m},{30_000_000 + 1_000_000 * i}\n" for i, m in
                                                    enumerate(MANAGERS)), encoding="utf-8")
    assert main(["plan", str(book), "--sales", str(sales), "--targets", str(targets), "--month", "2026-09",
                 "--backups", "0"]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    first = wb["№1 Орлов Т."]
    # What a manager typed on his sheet in Excel: a word of his own over the first offer's client.
    header = next(c for row in first.iter_rows(max_col=1) for c in row if c.value == "Клиент")
    first.cell(header.row + 1, 1).value = TYPED
    second = wb["№2 Белова И."]
    second.title = "№2 мои акции"
    wb.move_sheet(second, offset=-wb.index(second))
    wb.save(book)
    out = folder / "pdf"
    assert main(["pdf", str(book), "--out", str(out)]) == 0
    return out, book


def pdf_text(pdf: Path) -> list[str]:
    """The text of each page."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return text.replace("\u00a0", " ").replace("\u202f", " ").split("\f")[:-1]


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)
def test_pdf_prints_the_managers_the_workbook_was_planned_for(printed):
    out, _ = printed
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{m} 2026-09.pdf" for m in MANAGERS)


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)
def test_each_managers_pdf_is_his_no1_then_his_no2_on_two_a4_pages(printed):
    out, _ = printed
    for manager in MANAGERS:
        pdf = out / f"{manager} 2026-09.pdf"
        sizes = page_info(pdf)
        assert len(sizes) == 2 and all(abs(w - A4[0]) < 1.5 and abs(h - A4[1]) < 1.5 for w, h in sizes), sizes
        first, second = pdf_text(pdf)
        assert "ИНСТРУМЕНТ №1" in first and "ИНСТРУМЕНТ №2" in second, manager
        assert f"{manager} · сентябрь 2026" in first and f"{manager} · сентябрь 2026" in second
        assert not any(other in first + second for other in MANAGERS if other != manager)


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)
def test_what_a_manager_typed_on_his_sheet_is_printed(printed):
    out, _ = printed
    first, second = pdf_text(out / "Орлов Тимур 2026-09.pdf")
    assert TYPED in first and TYPED not in second
    assert all(TYPED not in "".join(pdf_text(out / f"{m} 2026-09.pdf")) for m in MANAGERS if m != "Орлов Тимур")


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)
def test_a_renamed_and_moved_no2_still_prints_second_with_its_no1(printed):
    out, book = printed
    assert openpyxl.load_workbook(book, read_only=True).sheetnames[0] == "№2 мои акции"
    first, second = pdf_text(out / "Белова Инна 2026-09.pdf")
    assert "ИНСТРУМЕНТ №1" in first and "ИНСТРУМЕНТ №2" in second
    assert "Белова Инна · сентябрь 2026" in second


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)
def test_the_print_button_prints_the_same_through_its_session(printed, tmp_path):
    """The button with a session that prints through LibreOffice (Excel does it on Windows)."""
    _, planned_book = printed
    book = tmp_path / "company.xlsm"
    shutil.copyfile(planned_book, book)
    session = FileSession(book)
    excel.print_instruments(session)
    assert session.messages == [f"PDF готовы: 6 файлов в папке {tmp_path / 'PDF'}."]
    pdf = tmp_path / "PDF" / "Орлов Тимур 2026-09.pdf"
    assert len(page_info(pdf)) == 2 and TYPED in pdf_text(pdf)[0]
