"""The Dashboard tab, read back as Excel would: the figures, the live charts, the red flags, the page."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import ledger, plan, targets
from salesplan.method import progress as progress_method
from salesplan.method.plan import plan_month
from salesplan.ooxml.splice import replace_sheets
from salesplan.outputs import dashboard, tabs
from salesplan.outputs.pdf import page_info, workbooks_to_pdf
from test_progress import OCTOBER, TODAY, october_case
from workbooks import make_workbook, simple_sales

BUILT = dt.datetime(2026, 10, 14, 9, 0)
A4_LANDSCAPE = (841.9, 595.3)


def write_dashboard(path: Path, p, pr, lang: str = "ru") -> Path:
    """A workbook holding the Dashboard tab alone."""
    book = tabs.new_book(path)
    dashboard.write_dashboard_tab(book, tabs.Formats(book), p, pr, lang, BUILT)
    book.close()
    return path


@pytest.fixture
def october(tmp_path):
    _, p, pr = october_case()
    return write_dashboard(tmp_path / "dash.xlsx", p, pr), p, pr


def charts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in sorted(z.namelist()) if re.match(r"xl/charts/chart\d+\.xml$", n)}


def formulas(xml: str) -> list[str]:
    return re.findall(r"<c:f>([^<]*)</c:f>", xml)


def test_the_table_holds_plan_and_fact_of_each_manager_and_the_team(october):
    path, _, _ = october
    ws = openpyxl.load_workbook(path)["Панель"]
    assert ws["A1"].value == "План и факт: октябрь 2026"
    assert "14.10.2026" in ws["A2"].value and "22" in ws["A2"].value
    assert ws["I3"].value == pytest.approx(9 / 22) and ws["I3"].number_format == "0%"
    assert [ws.cell(5, c).value for c in range(1, 13)] == [
        "Менеджер", None, "1. Постоянные", "2. Разовые (воронка)", "3А. Кросс-продажи", "3Б. Новые клиенты",
        "Итого", "План месяца", "Выполнено", "Осталось продать", "Нужно в день", "Темп"]

    def row(r):
        return [ws.cell(r, c).value for c in range(1, 13)]

    # Иванов: plan 140 000 / 2 000 / 29 000 / 29 000 = 200 000, target 200 000;
    # fact 57 000 / 7 000 / 8 000 / 0 = 72 000, 36%, 128 000 left, 128 000 / 13 a day, behind
    assert row(6)[:8] == ["Иванов", "план", 140000, 2000, 29000, 29000, 200000, 200000]
    assert row(7)[1:7] == ["факт", 57000, 7000, 8000, 0, 72000]
    assert row(7)[8:11] == pytest.approx([0.36, 128000, 128000 / 13])
    assert row(7)[11] == "отстаёт"
    assert row(8)[0] == "Петров" and row(9)[5] == 46000 and row(9)[11] == "в графике"
    assert row(10)[0] == "Команда" and row(11)[6] == 118000 and row(11)[11] == "отстаёт"
    assert ws["C7"].number_format == tabs.MONEY
    assert "A6:A7" in {str(r) for r in ws.merged_cells.ranges}


def test_the_layers_chart_is_stacked_columns_over_cells_of_the_tab(october):
    path, _, _ = october
    found = charts(path)
    assert len(found) == 2
    bar = next(x for x in found.values() if "<c:barChart>" in x)
    assert '<c:barDir val="col"/>' in bar and '<c:grouping val="stacked"/>' in bar
    assert bar.count("<c:ser>") == 4
    # a name, categories (manager × план/факт, two levels) and values per layer; Иванов and Петров only
    assert formulas(bar) == [f for col in "CDEF" for f in (f"Панель!${col}$5", "Панель!$A$6:$B$9",
                                                            f"Панель!${col}$6:${col}$9")]
    assert "<c:multiLvlStrRef>" in bar
    # the plan columns pale, the fact columns solid, per point
    assert bar.count("<c:dPt>") == 4 * 4
    # the cells the chart reads are the plan and the fact: regular plan 140 000, fact 57 000, ...
    ws = openpyxl.load_workbook(path)["Панель"]
    assert [ws[f"C{r}"].value for r in range(6, 10)] == [140000, 57000, 0, 0]
    assert [ws[f"F{r}"].value for r in range(6, 10)] == [29000, 0, 50000, 46000]


def test_the_team_chart_draws_the_cumulative_fact_against_the_target(october):
    path, _, pr = october
    line = next(x for x in charts(path).values() if "<c:lineChart>" in x)
    assert line.count("<c:ser>") == 3
    assert formulas(line) == [f for col in "OPQ" for f in (f"Панель!${col}$5", "Панель!$N$6:$N$27",
                                                           f"Панель!${col}$6:${col}$27")]
    ws = openpyxl.load_workbook(path)["Панель"]
    assert [ws.cell(5, c).value for c in range(14, 18)] == ["Рабочий день", "План равномерно по дням", "Факт",
                                                          "План месяца"]
    assert ws["N6"].value == dt.datetime(2026, 10, 1) and ws["N27"].value == dt.datetime(2026, 10, 30)
    assert ws["P12"].value == pytest.approx(81000)        # Friday 9 October, with the weekend's sale
    assert ws["P14"].value == pytest.approx(120000)       # Tuesday 13th, before the return
    assert ws["P15"].value == pytest.approx(118000)       # today
    assert ws["P16"].value is None                        # the days to come: a gap in the line
    assert ws["O27"].value == pytest.approx(300000) and ws["Q6"].value == 300000


def test_managers_behind_pace_are_flagged_red(october):
    path, _, _ = october
    ws = openpyxl.load_workbook(path)["Панель"]
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    assert set(rules) == {"A6:L7", "A8:L9", "A10:L11"}  # Иванов, Петров, the team
    rule = rules["A6:L7"][0]
    assert rule.type == "expression" and rule.formula == ["AND(ISNUMBER($I$7),$I$7<$I$3)"]
    assert rule.dxf.fill.fgColor.rgb.endswith("FFC7CE") or rule.dxf.fill.bgColor.rgb.endswith("FFC7CE")
    # the rule agrees with the figures: 36% < 41% for Иванов, 46% is not
    assert ws["I7"].value < ws["I3"].value < ws["I9"].value


def test_the_page_is_one_a4_landscape_with_the_charts_inside_the_print_area(october):
    path, _, _ = october
    ws = openpyxl.load_workbook(path)["Панель"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight or 1) == (1, 1)
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last_col, last_row = re.match(r".*\$([A-Z]+)\$(\d+)$", area).groups()
    assert last_col == "L"
    with zipfile.ZipFile(path) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode()
    ends = re.findall(r"<xdr:to><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", drawing)
    assert len(ends) == 2
    for col, row in ends:
        assert int(col) <= 11 and int(row) < int(last_row)


def test_english_dashboard(tmp_path):
    _, p, pr = october_case()
    path = write_dashboard(tmp_path / "en.xlsx", p, pr, "en")
    ws = openpyxl.load_workbook(path)["Dashboard"]
    assert ws["A1"].value == "Plan against fact: October 2026"
    assert ws["B6"].value == "plan" and ws["L7"].value == "behind" and ws["A10"].value == "Team"
    assert all(f.startswith("Dashboard!") for x in charts(path).values() for f in formulas(x))


def test_no_managers_gives_a_note_and_no_charts(tmp_path):
    p = plan([], "2026-10")
    pr = progress_method.month_to_date(ledger([]), p, TODAY)
    assert pr.managers.empty and pr.team["fact_total"] == 0
    path = write_dashboard(tmp_path / "none.xlsx", p, pr)
    assert openpyxl.load_workbook(path)["Панель"]["A6"].value.startswith("Нет менеджеров")
    assert charts(path) == {}


def month_result(p, pr):
    """A MonthResult of plan ``p`` and progress ``pr`` with the lists a first month makes."""
    from salesplan.inputs.lists import read_long_list, read_prospects, read_short_list
    from salesplan.method.longlist import new_client_lists
    from salesplan.result import MonthResult

    empty_long, _ = read_long_list(None)
    prospects, _ = read_prospects(None)
    lists = new_client_lists(empty_long, read_short_list(None), empty_long, prospects, p.turnover, p.owners,
                             list(p.summary["manager"]), p.plan_month, p.params, {"lapsed": "", "prospect": ""})
    from salesplan.inputs.lists import read_notes_archive
    from salesplan.inputs.notes import CALL_NOTES, ORDER_NOTES, read_notes
    from salesplan.method.notes import typed_notes

    notes = typed_notes(p.regular, p.open_orders, read_notes(None, CALL_NOTES), read_notes(None, ORDER_NOTES),
                        read_notes_archive(None), p.plan_month)
    from salesplan.inputs.ledger import SkippedRows

    return MonthResult(p, lists, pr, {}, {}, notes, (), 0, SkippedRows(0, 0, (), 0.05), "ru", BUILT)


@pytest.mark.slow  # every plan tab rendered and spliced twice
def test_the_call_sheet_reads_the_weeks_progress_and_the_tab_splices_into_a_workbook(tmp_path):
    from salesplan.ooxml.peek import sheet_names
    from salesplan.outputs.render import owned_sheets, render_plan_tabs

    _, p, pr = october_case()
    assert pr.team["fact_total"] == pytest.approx(118000)
    assert pr.week["week_met"].tolist() == [True, False]
    user = make_workbook(tmp_path / "user.xlsm", simple_sales())
    rendered, out = tmp_path / "tabs.xlsx", tmp_path / "out.xlsm"
    names = render_plan_tabs(rendered, month_result(p, pr))
    assert "Панель" in names
    calls = openpyxl.load_workbook(rendered)["Обзвон постоянных"]
    week_met = [c.value for row in calls.iter_rows() for c in row if c.value in ("выполнена", "не выполнена")]
    assert week_met == ["выполнена", "не выполнена"]  # the regular clients' week, as progress.week has it
    replace_sheets(user, rendered, out, owned_sheets(sheet_names(user)))
    # rebuilt: replaced (a workbook with the Plan and Problems tabs and no marks: by their names),
    # charts not doubled
    replace_sheets(out, rendered, out, owned_sheets(sheet_names(out)))
    found = charts(out)
    assert len(found) == 2
    assert all(f.startswith("Панель!") for x in found.values() for f in formulas(x))
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb.sheetnames.count("Панель") == 1 and wb["Панель"]["G11"].value == 118000
    assert {"Панель", "Dashboard"} <= owned_sheets(["План", "Проблемы", "Панель", "Dashboard"])


# --- printed by LibreOffice ---------------------------------------------------------------------


def many_managers_case(n: int = 30):
    rows, tg = [], {}
    for i in range(n):
        manager = f"Менеджер Номер{i:02d}"
        for m in ("06", "07", "08", "09"):
            rows.append((f"05.{m}.2026", manager, f"Клиент {i}", "Камеры", 100000 + 1000 * i))
        rows.append(("06.10.2026", manager, f"Клиент {i}", "Камеры", 20000 * (i % 5)))
        tg[manager] = 150000 + 1000 * i
    p = plan(rows, "2026-10", targets(**tg))
    return p, progress_method.month_to_date(ledger(rows), p, TODAY)


def demo_case():
    from salesplan.demo import demo_config
    from salesplan.demo_data import make_demo
    from salesplan.inputs.ledger import ledger_from_frame

    data = make_demo("2026-11")
    config = demo_config(data, "2026-11")
    led, _ = ledger_from_frame(data.ledger, config.statuses)
    p = plan_month(led, config.params, config.targets, config.owners, config.tiers)
    return p, progress_method.month_to_date(led, p, dt.date(2026, 11, 10))


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_dashboard_prints_on_one_a4_landscape_page(tmp_path):
    _, p, pr = october_case()
    books = [write_dashboard(tmp_path / "october.xlsx", p, pr),
             write_dashboard(tmp_path / "demo.xlsx", *demo_case()),
             write_dashboard(tmp_path / "thirty.xlsx", *many_managers_case(), lang="en")]
    for pdf in workbooks_to_pdf(books, tmp_path / "pdf"):
        pages = page_info(pdf)
        assert len(pages) == 1, (pdf, pages)
        width, height = pages[0]
        assert abs(width - A4_LANDSCAPE[0]) < 1.5 and abs(height - A4_LANDSCAPE[1]) < 1.5, (pdf, pages)


# --- working days by the production calendar; a month that is over; the demo month -------------

NOVEMBER = [
    *[(f"05.{m}.2026", "Иванов", "ООО «Альфа»", "Камеры", 100000) for m in ("07", "08", "09", "10")],
    ("03.11.2026", "Иванов", "ООО «Альфа»", "Камеры", 25000),
    ("09.11.2026", "Иванов", "ООО «Альфа»", "Камеры", 15000),
]


#: Every October sale counted, the month over: Иванов 72 000 + 99 000 (the 20th) = 171 000.
OCTOBER_ALL = OCTOBER


def tab_texts(ws) -> str:
    return " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_november_2026_has_20_working_days_on_the_dashboard(tmp_path):
    # 4 November (Unity Day) is no working day: 21 Monday-Friday days less one. On Tuesday the 10th,
    # 5 have passed (2, 3, 5, 6, 9), 15 are left. Иванов: regular plan 100 000, target 200 000,
    # fact 40 000 = 20% < 5/20 = 25%: behind; (200 000 − 40 000) / 15 = 10 666.67 a day.
    p = plan(NOVEMBER, "2026-11", targets(Иванов=200000))
    pr = progress_method.month_to_date(ledger(NOVEMBER), p, dt.date(2026, 11, 10))
    ws = openpyxl.load_workbook(write_dashboard(tmp_path / "nov.xlsx", p, pr))["Панель"]
    assert "производственному календарю РФ: 20, прошло 5, осталось 15" in ws["A2"].value
    assert ws["I3"].value == pytest.approx(5 / 20) and "5 из 20" in ws["A3"].value
    assert ws["K7"].value == pytest.approx(160000 / 15) and ws["L7"].value == "отстаёт"
    days = [ws.cell(r, 14).value for r in range(6, 6 + 25) if ws.cell(r, 14).value is not None]
    assert len(days) == 20 and dt.datetime(2026, 11, 4) not in days and days[2] == dt.datetime(2026, 11, 5)


def test_a_month_that_is_over_is_shown_as_its_result(tmp_path):
    # The October case seen on 2 November: Иванов sold 171 000 of 200 000, Петров 46 000 of 100 000.
    led, p, _ = october_case()
    pr = progress_method.month_to_date(led, p, dt.date(2026, 11, 2))
    ws = openpyxl.load_workbook(write_dashboard(tmp_path / "over.xlsx", p, pr))["Панель"]
    assert ws["A1"].value == "Итоги месяца: октябрь 2026 (месяц закончился)"
    assert ws["A2"].value.startswith("Месяц закончился: факт за весь месяц, по 31.10.2026")
    assert ws["I3"].value == 1
    assert ws["G7"].value == 171000 and ws["L7"].value == "не выполнен" and ws["K7"].value is None
    assert ws["L11"].value == "не выполнен"
    text = tab_texts(ws)
    assert "отстаёт" not in text and "в графике" not in text and not re.search(r"осталось \d", text)
    assert "Рабочих дней не осталось" in ws["A4"].value
    # A target reached is «выполнен»
    p = plan(OCTOBER_ALL, "2026-10", targets(Иванов=150000))
    pr = progress_method.month_to_date(ledger(OCTOBER_ALL), p, dt.date(2026, 12, 1))
    ws = openpyxl.load_workbook(write_dashboard(tmp_path / "done.xlsx", p, pr))["Панель"]
    assert ws["L7"].value == "выполнен"


def test_the_demo_month_says_it_is_a_demo(tmp_path):
    from salesplan.demo import DEMO_COMPANY

    p = plan(NOVEMBER, "2026-11", targets(Иванов=200000), company=DEMO_COMPANY, as_of_date="2026-11-10")
    pr = progress_method.month_to_date(ledger(NOVEMBER), p, dt.date(2026, 11, 10))
    ws = openpyxl.load_workbook(write_dashboard(tmp_path / "demo.xlsx", p, pr))["Панель"]
    assert ws["A1"].value == "План и факт: ноябрь 2026 — ДЕМО-МЕСЯЦ, продажи по 10.11.2026"
    assert ws["A4"].value.startswith("ДЕМО: вымышленная компания") and "salesplan new" in ws["A4"].value
    # A real company's dashboard says nothing of the kind
    p = plan(NOVEMBER, "2026-11", targets(Иванов=200000), company="ООО «Профмонтаж»", as_of_date="2026-11-10")
    ws = openpyxl.load_workbook(write_dashboard(tmp_path / "real.xlsx", p, pr))["Панель"]
    assert "ДЕМО" not in tab_texts(ws)


@pytest.mark.slow  # the whole shipped demo planned again
def test_the_shipped_demo_planned_again_today_stays_its_demo_month(tmp_path):
    import shutil

    from salesplan.monthly import build

    book = tmp_path / "salesplan.xlsm"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "salesplan.xlsm", book)
    start = openpyxl.load_workbook(book, read_only=True)["Старт"]
    assert str(start["B2"].value).startswith("ДЕМО-КНИГА: вымышленный дистрибьютор, месяц плана — ноябрь 2026")
    build(book, keep_backups=0)  # today, whatever the date: the Config's «Дата факта» is 10.11.2026
    ws = openpyxl.load_workbook(book)["Панель"]
    assert ws["A1"].value == "План и факт: ноябрь 2026 — ДЕМО-МЕСЯЦ, продажи по 10.11.2026"
    assert ws["A2"].value.startswith("Факт на 10.11.2026. Рабочих дней в месяце по производственному календарю РФ: 20")
