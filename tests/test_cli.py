"""`salesplan plan` end to end on real files: outputs, what survives, bad input, JSON."""

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from salesplan.build.vba_project import read_vba_modules
from salesplan.cli import main
from workbooks import make_workbook, simple_sales


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture
def book(tmp_path):
    return make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})


def test_plan_writes_the_output_tabs_with_the_figures(book, capsys):
    assert main(["plan", str(book)]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb.sheetnames == ["Старт", "Продажи", "Настройки", "Мои заметки", "План",
                             "Обзвон постоянных", "Открытые заказы", "Длинный список", "Короткий список",
                             "Итоги списков", "Архив списка", "Архив записей", "Панель", "Проблемы",
                             "№1 Иванов", "№1 Петров", "№2 Иванов", "№2 Петров"]
    ws = wb["План"]
    header = [c.value for c in ws[5]]
    rows = {r[0].value: {h: c.value for h, c in zip(header, r)} for r in ws.iter_rows(min_row=6)}
    # Иванов: regular Альфа 4 × 100 000 -> plan 100 000; average 100 000; base 100 000; gap 50 000
    iv = rows["Иванов"]
    assert iv["1. Постоянные клиенты"] == pytest.approx(100000)
    assert iv["Базовый план (1+2)"] == pytest.approx(100000)
    assert iv["3. Разрыв до плана"] == pytest.approx(50000)
    assert iv["3А. Старые клиенты"] == pytest.approx(25000)
    assert iv["Факт с начала месяца"] == pytest.approx(30000)
    # Петров: 400 000 one-time -> average 100 000, funnel 20 000, gap 80 000 (80%: warned)
    pe = rows["Петров"]
    assert pe["2. Воронка"] == pytest.approx(20000)
    assert pe["3. Разрыв до плана"] == pytest.approx(80000)
    assert "больше 40%" in pe["Замечания"]
    assert pe["Открытых заказов"] == 1 and pe["Сумма открытых"] == pytest.approx(150000)
    total = rows["ИТОГО"]
    assert total["План месяца"] == pytest.approx(250000)
    assert total["3. Разрыв до плана"] == pytest.approx(130000)
    # money formatted as roubles with Russian grouping, A4 landscape
    assert "₽" in ws.cell(6, 2).number_format and "#,##0" in ws.cell(6, 2).number_format
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert "План на 2026-10" in capsys.readouterr().out


def test_everything_the_program_does_not_own_survives_byte_for_byte(book):
    before = parts(book)
    assert main(["plan", str(book)]) == 0
    after = parts(book)
    # the VBA project's modules (it gains the new tabs' document modules), the button's drawing and
    # the user tabs are untouched
    modules = read_vba_modules(before["xl/vbaProject.bin"])
    assert {n: s for n, s in read_vba_modules(after["xl/vbaProject.bin"]).items() if n in modules} == modules
    for name, data in before.items():
        if name.startswith(("xl/worksheets/sheet", "xl/drawings/", "xl/comments", "xl/tables/")):
            assert after.get(name) == data, name
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb["Мои заметки"]["A1"].value == "Позвонить Альфе во вторник"
    assert "МоиКлиенты" in wb.defined_names
    assert len(wb["Мои заметки"].data_validations.dataValidation) == 1


def test_rerun_replaces_only_the_output_tabs(book):
    assert main(["plan", str(book)]) == 0
    first = parts(book)
    assert main(["plan", str(book), "--set", "funnel_rate=0.25"]) == 0
    second = parts(book)
    assert set(first) == set(second)  # no tab or part added twice
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames.count("План") == 1
    header = [c.value for c in wb["План"][5]]
    petrov = next(r for r in wb["План"].iter_rows(min_row=6, values_only=True) if r[0] == "Петров")
    assert petrov[header.index("2. Воронка")] == pytest.approx(25000)  # 100 000 × 25%
    backups = list((book.parent / "salesplan-backups").glob("plan.*.xlsm"))
    assert len(backups) == 2


def test_out_leaves_the_input_unchanged_and_json_has_the_stable_keys(book, tmp_path):
    before = digest(book)
    out, js = tmp_path / "out.xlsm", tmp_path / "plan.json"
    assert main(["plan", str(book), "--out", str(out), "--json", str(js), "--month", "2026-10"]) == 0
    assert digest(book) == before
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["plan_month"] == "2026-10"
    iv = next(m for m in data["managers"] if m["manager"] == "Иванов")
    for key in ("target", "regular_plan", "average_monthly", "remainder", "funnel_plan", "base_plan", "gap",
                "existing_clients_plan", "new_clients_plan", "regular_clients", "open_orders"):
        assert key in iv
    assert iv["regular_clients"] == [{"client": "ООО «Альфа»", "active_months": 4, "window_turnover": 400000.0,
                                      "monthly_plan": 100000.0, "weekly_target": 25000.0,
                                      "mtd_turnover": 30000.0, "missing": 70000.0}]
    pe = next(m for m in data["managers"] if m["manager"] == "Петров")
    assert pe["open_orders"]["count"] == 1 and pe["open_orders"]["amount"] == 150000.0


def test_text_from_the_data_is_written_as_text_never_as_a_formula(tmp_path):
    rows = simple_sales()
    evil = ['=HYPERLINK("http://x.example","click")', "=1+1", "+7 (900) 000", "@SUM(A1)"]
    for m in ("06", "07", "08"):
        for name in evil:
            rows.append([f"01.{m}.2026", "Иванов", name, "Кабель", 1000, "", ""])
    book = make_workbook(tmp_path / "evil.xlsx", rows, targets={"Иванов": 1})
    assert main(["plan", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Обзвон постоянных"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for name in evil:
        assert name in cells, name
        assert cells[name].data_type == "s"
    with zipfile.ZipFile(book) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(n), n


@pytest.mark.slow  # a whole build: the --sales/--targets options
def test_sales_from_a_cp1251_csv_with_semicolons_and_targets_from_csv(book, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_bytes(("Период;Контрагент;Ответственный;Номенклатурная группа;Сумма\n"
                     "05.08.2026;ООО Гамма;Сидорова;СКУД;\"1 000 000,00\"\n").encode("cp1251"))
    targets = tmp_path / "targets.csv"
    targets.write_text("Manager,Target\nСидорова,100000\n", encoding="utf-8")
    js = tmp_path / "p.json"
    assert main(["plan", str(book), "--sales", str(csv), "--targets", str(targets), "--json", str(js)]) == 0
    data = json.loads(js.read_text(encoding="utf-8"))
    assert [m["manager"] for m in data["managers"]] == ["Сидорова"]
    s = data["managers"][0]
    assert s["average_monthly"] == 250000.0 and s["funnel_plan"] == 50000.0 and s["gap"] == 50000.0


@pytest.mark.parametrize("case", ["missing_column", "not_a_workbook", "target_nobody", "bad_param", "no_sales_tab"])
def test_bad_input_exits_2_with_a_message_and_leaves_the_file_unchanged(tmp_path, capsys, case):
    if case == "missing_column":
        book = make_workbook(tmp_path / "b.xlsm", [["01.09.2026", "И", "А", "К"]],
                             sales_header=["Дата", "Менеджер", "Клиент", "Категория"])
        expect = ["Продажи", "строка заголовков 1", "Сумма"]
    elif case == "not_a_workbook":
        book = tmp_path / "b.xlsm"
        book.write_bytes(b"this is not a zip file at all")
        expect = ["не является книгой Excel"]
    elif case == "target_nobody":
        book = make_workbook(tmp_path / "b.xlsm", simple_sales(), targets={"Иванов": 1, " ": 5})
        expect = ["Настройки", "строка 7", "O (Менеджер)"]
    elif case == "bad_param":
        book = make_workbook(tmp_path / "b.xlsm", simple_sales(), month="13-2026")
        expect = ["Настройки", "строка 6", "C (Значение)", "plan_month"]
    else:
        book = make_workbook(tmp_path / "b.xlsm", simple_sales())
        wb = openpyxl.load_workbook(book, keep_vba=True)
        wb["Продажи"].title = "Данные"
        wb.save(book)
        expect = ["нет листа", "Продажи"]
    before = digest(book)
    assert main(["plan", str(book)]) == 2
    err = capsys.readouterr().err
    for text in expect:
        assert text in err, (text, err)
    assert "Traceback" not in err
    assert digest(book) == before
    assert not list(tmp_path.glob(".~*"))  # no temporary file left behind


def test_read_only_workbook_exits_2(book, capsys, monkeypatch):
    before = digest(book)
    book.chmod(0o444)
    real_access = os.access
    # Tests run as root in CI, and root may write anything: let the check see what a user would.
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == book and mode == os.W_OK
                        else real_access(p, mode))
    assert main(["plan", str(book)]) == 2
    assert "только для чтения" in capsys.readouterr().err
    assert digest(book) == before


def test_workbook_open_in_excel_exits_2_and_is_unchanged(book, capsys):
    before = digest(book)
    (book.parent / ("~$" + book.name)).write_bytes(b"owner")  # what Excel leaves beside an open file
    assert main(["plan", str(book)]) == 2
    assert "открыт в Excel" in capsys.readouterr().err
    assert digest(book) == before


@pytest.mark.slow  # a new Python process
def test_the_console_script_runs_without_a_traceback(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("nope")
    proc = subprocess.run([sys.executable, "-m", "salesplan", "plan", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "x.xlsx" in proc.stderr


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_opens_the_planned_workbook(book, tmp_path):
    from salesplan.outputs.pdf import soffice_path

    soffice = soffice_path()
    assert main(["plan", str(book)]) == 0
    out = tmp_path / "lo"
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "xlsx", "--outdir", str(out), str(book)],
                          capture_output=True, text=True, timeout=180)
    converted = out / "plan.xlsx"
    assert converted.exists(), proc.stderr
    wb = openpyxl.load_workbook(converted)
    assert "План" in wb.sheetnames and "Мои заметки" in wb.sheetnames
    names = [r[0] for r in wb["План"].iter_rows(min_row=6, values_only=True)]
    assert "Иванов" in names and "Петров" in names


@pytest.mark.parametrize("damage", ["broken workbook part", "missing sheet part"])
def test_a_written_file_that_does_not_hold_together_is_never_swapped_in(book, capsys, monkeypatch, damage):
    """The new version is checked before it replaces the workbook: every rewritten part parses and
    every tab's part is there. A splice gone wrong leaves the original as it was, exit 2."""
    from salesplan.outputs import workbook as saving

    real = saving.replace_sheets

    def damaging(original, rendered, out, owned, **kwargs):
        real(original, rendered, out, owned, **kwargs)
        parts = {n: d for n, d in ((n, zipfile.ZipFile(out).read(n)) for n in zipfile.ZipFile(out).namelist())}
        if damage == "broken workbook part":
            parts["xl/workbook.xml"] = parts["xl/workbook.xml"][:-20]
        else:
            del parts[next(n for n in parts if n.startswith("xl/worksheets/sheet"))]
        with zipfile.ZipFile(out, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)

    monkeypatch.setattr(saving, "replace_sheets", damaging)
    before = digest(book)
    assert main(["plan", str(book)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert digest(book) == before
    assert not list(book.parent.glob(f".~{book.stem}*"))  # no temporary file left behind


@pytest.mark.slow  # a whole build for one flag
def test_the_cycle_collector_is_on_again_after_a_build(book):
    import gc

    assert gc.isenabled()
    assert main(["plan", str(book)]) == 0
    assert gc.isenabled()


@pytest.mark.slow  # a whole build for one cell's layout
def test_a_note_instead_of_a_table_reads_on_one_line_across_the_table(tmp_path):
    """«Проблем не найдено.» in one narrow cell wrapped after the first word."""
    # Cross-sell rules of the ledger's own categories (the default ones name categories it lacks)
    book = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000},
                         crosssell=(("Камеры видеонаблюдения", "Кабель"),))
    assert main(["plan", str(book)]) == 0
    ws = openpyxl.load_workbook(book)["Проблемы"]
    assert ws["A4"].value == "Проблем не найдено."
    merged = next(r for r in ws.merged_cells.ranges if r.min_row == 4 and r.min_col == 1)
    assert merged.max_row == 4 and merged.max_col >= 4


@pytest.mark.slow  # a whole build, for speed
def test_the_sales_tab_is_read_once_and_the_read_starts_before_pandas_is_needed(book, monkeypatch):
    """The command line starts the Sales read itself (inputs/early.py); the build takes that read
    rather than reading the sheet again."""
    from salesplan.inputs import rows

    calls = []
    real = rows.load_columns

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(rows, "load_columns", counting)
    assert main(["plan", str(book)]) == 0
    assert calls == ["Продажи"]


@pytest.mark.slow  # a new Python process, for speed
def test_the_head_start_imports_no_pandas():
    code = ("import sys; import salesplan.cli; from salesplan.inputs.early import head_start; "
            "assert 'pandas' not in sys.modules, 'pandas imported'; print('ok')")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.strip() == "ok", run.stderr


@pytest.mark.slow  # a whole build in a new process
def test_the_console_script_flushes_its_output_and_keeps_its_exit_code(book, tmp_path):
    """The process ends without Python's teardown: what it printed must still all arrive."""
    out = tmp_path / "planned.xlsm"
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as on a user's machine
    proc = subprocess.run([sys.executable, "-m", "salesplan", "plan", str(book), "--json", "-", "--out", str(out)],
                          capture_output=True, text=True, env=buffered)
    assert proc.returncode == 0, proc.stderr
    plan = json.loads(proc.stdout)  # the whole JSON, flushed before the exit
    assert {m["manager"] for m in plan["managers"]} == {"Иванов", "Петров"}
    assert "Иванов" in openpyxl.load_workbook(out, keep_vba=True)["План"]["A6"].value
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsm", "planned.xlsm"]  # no scratch left


@pytest.mark.slow  # a new Python process
def test_the_exit_without_teardown_flushes_what_is_buffered():
    code = ("import sys; from salesplan.cli import _exit_without_teardown; "
            "sys.stdout.write('на месте'); sys.stderr.write('тоже'); _exit_without_teardown(3)")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as on a user's machine
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          env=buffered)
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "на месте", "тоже")
