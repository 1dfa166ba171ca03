"""A sales history outside the workbook (issue 19): a Parquet file or a folder of monthly exports.

The proof that matters: the same lines planned from a Sales sheet (.xlsx) and from Parquet or a
folder give the same month, figure for figure (the JSON the plan exports, compared whole). Then the
rule of what is summed, and every bad input named with its file.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter

from salesplan.cli import main
from salesplan.demo_data import make_demo
from salesplan.errors import InputError
from salesplan.inputs.config import Config
from salesplan.inputs.rows import WorkbookSource
from salesplan.inputs.salessource import read_history
from salesplan.monthly import plan, read_inputs, template_paths
from salesplan.result import as_json_text
from workbooks import make_workbook, simple_sales

HEADERS = ["Дата", "Менеджер", "Клиент", "Категория", "Бренд", "Товар", "Количество", "Сумма", "Заказ", "Статус"]
TODAY = dt.date(2026, 12, 10)
BUILT = dt.datetime(2026, 12, 10, 12, 0)


def demo_lines(scale: float = 0.12) -> pd.DataFrame:
    """The demo distributor's lines (24 months and December to the 10th), under Russian headers,
    with a few lines any rule reports: in an old month (so that their group is read line by line)
    and in the window."""
    lines = make_demo("2026-12", seed=7, today_day=10, scale=scale).ledger
    lines.columns = HEADERS
    bad = lines.iloc[[5, 6, 7, len(lines) - 40]].copy()
    bad.iloc[0, 1] = "   "                 # no manager (an old month)
    bad.iloc[1, 9] = "непонятно"           # an unknown status (an old month)
    bad.iloc[2, 7] = float("nan")          # no amount (an old month)
    bad.iloc[3, 2] = ""                    # no client (the window)
    lines = pd.concat([lines.iloc[:100], bad, lines.iloc[100:]], ignore_index=True)
    return lines


def write_xlsx(lines: pd.DataFrame, path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Продажи")
    dates = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, list(lines.columns))
    for r, row in enumerate(lines.itertuples(index=False), start=1):
        sheet.write_datetime(r, 0, row[0].to_pydatetime(), dates)
        for c, value in enumerate(row[1:], start=1):
            if isinstance(value, float) and value != value:
                continue  # an empty cell
            sheet.write(r, c, value)
    book.close()
    return path


def arrow_table(lines: pd.DataFrame) -> pa.Table:
    table = pa.Table.from_pandas(lines, preserve_index=False)
    return table.set_column(0, HEADERS[0], pa.array(lines[HEADERS[0]].dt.date, pa.date32()))


def write_parquet(lines: pd.DataFrame, path: Path) -> Path:
    pq.write_table(arrow_table(lines), path)
    return path


def write_folder(lines: pd.DataFrame, folder: Path) -> Path:
    """One export per month, as .parquet, .csv and .xlsx in turns."""
    folder.mkdir()
    months = lines[HEADERS[0]].dt.strftime("%Y-%m")
    for i, (month, part) in enumerate(lines.groupby(months, sort=True)):
        kind = ("parquet", "csv", "xlsx")[i % 3]
        if kind == "parquet":
            write_parquet(part, folder / f"{month}.parquet")
        elif kind == "csv":
            part.assign(**{HEADERS[0]: part[HEADERS[0]].dt.strftime("%d.%m.%Y")}).to_csv(
                folder / f"{month}.csv", index=False, sep=";")
        else:
            write_xlsx(part, folder / f"{month}.xlsx")
    return folder


def planned(sales):
    inputs = read_inputs(sales, None, None, month="2026-12", today=TODAY)
    result = plan(inputs, template_paths(Path("x.xlsm")), today=TODAY, built=BUILT)
    return inputs, result, json.loads(as_json_text(result))


def same_figures(got, expected, where: str = "") -> bool:
    """Equal JSON, every text, count, order and list exactly; a sum of money may differ in its last
    bit (below a millionth of a kopeck): the lines of an old month are added up as groups first, and
    floating-point addition in another order may round the last bit the other way."""
    if isinstance(expected, float) and isinstance(got, (int, float)):
        assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-9), (where, got, expected)
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and list(got) == list(expected), where
        for key in expected:
            same_figures(got[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), where
        for i, (a, b) in enumerate(zip(got, expected)):
            same_figures(a, b, f"{where}[{i}]")
    else:
        assert got == expected, (where, got, expected)
    return True


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("history")
    lines = demo_lines()
    xlsx = write_xlsx(lines, folder / "sales.xlsx")
    return {"lines": lines, "xlsx": xlsx, "parquet": write_parquet(lines, folder / "sales.parquet"),
            "folder": write_folder(lines, folder / "monthly")}


@pytest.fixture(scope="module")
def from_sheet(sources):
    return planned(WorkbookSource(sources["xlsx"]).rows("Продажи"))


@pytest.mark.parametrize("kind", ["parquet", "folder"])
def test_the_same_lines_plan_the_same_month_from_a_sheet_parquet_or_a_folder(sources, from_sheet, kind):
    sheet_inputs, _, expected = from_sheet
    expected = dict(expected)  # shared by both cases
    inputs, _, got = planned(sources[kind])
    # Fewer rows reach pandas (the old months as sums), every line is still counted.
    assert len(inputs.ledger) < len(sheet_inputs.ledger) * 0.8
    assert inputs.rows_read == sheet_inputs.rows_read == len(sources["lines"])
    problems, expected_problems = got.pop("problems"), expected.pop("problems")
    assert same_figures(got, expected)  # every figure of every manager, list and instrument
    # The same Problems; those of sale lines name the file and the row in it (a Parquet row is its
    # record number, a sheet's row counts its header: one more).
    lines = [p for p in problems if p["row"] is not None and p["sheet"] != "Настройки"]
    expected_lines = [p for p in expected_problems if p["sheet"] == "Продажи"]
    assert [p for p in problems if p not in lines] == [p for p in expected_problems if p not in expected_lines]
    assert [p["message"] for p in lines] == [p["message"] for p in expected_lines] and len(lines) == 4
    if kind == "parquet":
        assert {p["sheet"] for p in lines} == {"sales.parquet"}
        assert [p["row"] for p in lines] == [p["row"] - 1 for p in expected_lines]
    else:  # the first three in an old month's export, the fourth in December's
        files = sorted(f.name for f in sources["folder"].iterdir())
        assert [p["sheet"] for p in lines] == [files[0]] * 3 + [files[-1]]
        assert all(p["row"] < 200 for p in lines)


def test_the_skipped_lines_are_named_in_old_months_as_in_the_window(from_sheet):
    inputs, _, _ = from_sheet
    keys = sorted(p.key for p in inputs.problems if p.sheet == "Продажи")
    assert keys == ["prob.bad_amount", "prob.no_client", "prob.no_manager", "prob.unknown_status"]


def test_old_months_are_summed_and_the_window_kept_line_by_line(tmp_path):
    # Two lines of one client in an old month, two in the window: the old ones become one line with
    # their sum, dated at the later one; the window's stay as they are.
    lines = pd.DataFrame({
        "Дата": pd.to_datetime(["2026-03-02", "2026-03-20", "2026-10-05", "2026-10-06"]),
        "Менеджер": ["Иванов"] * 4, "Клиент": ["Альфа"] * 4, "Категория": ["Кабель"] * 4,
        "Товар": ["КСПВ", "UTP", "КСПВ", "UTP"], "Сумма": [100.0, 50.5, 70.0, 30.0], "Заказ": ["1", "2", "3", "4"],
    })
    path = write_parquet(lines, tmp_path / "h.parquet")
    history = read_history(path, Config().statuses, plan_month=2026 * 12 + 11, window=4)
    ledger = history.ledger
    assert history.rows_read == 4
    assert list(ledger["amount"]) == [150.5, 70.0, 30.0]
    assert list(ledger["row"]) == [2, 3, 4]  # the group carries its latest line's row...
    assert list(ledger["date"].dt.strftime("%d.%m")) == ["20.03", "05.10", "06.10"]  # ...and date
    assert list(ledger["product"]) == ["", "КСПВ", "UTP"] and list(ledger["order"]) == ["", "3", "4"]


# --------------------------------------------------------------------------------------------------
# Bad input: a message naming the file, exit 2 (1 for a month exported twice), no traceback


@pytest.fixture
def book(tmp_path):
    return make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})


def small_lines() -> pd.DataFrame:
    return pd.DataFrame({
        "Дата": pd.to_datetime(["2026-06-05", "2026-07-05", "2026-08-05", "2026-09-05"]),
        "Менеджер": ["Иванов"] * 4, "Клиент": ["ООО «Альфа»"] * 4, "Категория": ["Камеры"] * 4,
        "Сумма": [100000.0] * 4, "Статус": ["отгружен"] * 4,
    })


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_a_folder_of_files_with_other_columns_names_the_file(book, tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    lines = small_lines()
    write_parquet(lines.iloc[:2], folder / "2026-06.parquet")
    write_parquet(lines.iloc[2:].drop(columns=["Статус"]), folder / "2026-08.parquet")
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(folder), "--month", "2026-10"], capsys)
    assert code == 2
    assert "2026-08.parquet" in text and "2026-06.parquet" in text and "missing Статус" in text


@pytest.mark.parametrize("column, values, found", [
    ("Сумма", ["100 000,00 ₽"] * 4, "text, but a number is needed"),
    ("Дата", ["05.06.2026", "05.07.2026", "05.08.2026", "05.09.2026"], "text, but a date is needed"),
    ("Клиент", [1.5] * 4, "a number, but text is needed"),
])
def test_a_parquet_file_with_other_types_names_the_file_and_column(book, tmp_path, capsys, column, values, found):
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.Table.from_pandas(small_lines().assign(**{column: values}), preserve_index=False), path)
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(path), "--month", "2026-10"], capsys)
    assert code == 2
    assert f"'{path}': column '{column}' holds {found}" in text


def test_a_month_in_two_exports_is_counted_once_and_named(book, tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    lines = small_lines()
    write_parquet(lines, folder / "a-all.parquet")
    write_parquet(lines.iloc[[3]], folder / "b-september.parquet")  # September again
    inputs = read_inputs(folder, None, None, month="2026-10")
    assert inputs.rows_read == 4 and inputs.ledger["amount"].sum() == 400000  # not 500 000
    [twice] = [p for p in inputs.problems if p.key == "prob.source_month_twice"]
    # Of the two, the file with more lines of the month is kept; of two alike, the later by name.
    assert twice.fields == {"month": "2026-09", "kept": "b-september.parquet", "kept_lines": 1,
                            "left": "a-all.parquet", "left_lines": 1}
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(folder), "--month", "2026-10",
                      "--out", str(tmp_path / "out.xlsm")], capsys)
    assert code == 1
    assert "Month 2026-09 is in two exports: counted once, from 'b-september.parquet'" in text
    assert "'a-all.parquet' (1 lines) are left out" in text


def test_a_planned_workbook_among_the_exports_is_left_out_and_named(book, tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    lines = small_lines()
    write_parquet(lines.iloc[:2], folder / "2026-06.parquet")
    write_xlsx(lines.iloc[2:], folder / "2026-08.xlsx")  # an export as a workbook: read
    code, _ = run(["plan", str(book), "--month", "2026-10", "--out", str(folder / "planned.xlsm")], capsys)
    assert code == 0  # a plan saved among the exports: a workbook with the program's tabs
    inputs = read_inputs(folder, None, None, month="2026-10")
    assert inputs.rows_read == 4 and inputs.ledger["amount"].sum() == 400000
    [own] = [p for p in inputs.problems if p.key == "prob.source_own_workbook"]
    assert own.sheet == "planned.xlsm"
    code, _ = run(["--lang", "en", "plan", str(book), "--sales", str(folder), "--month", "2026-10",
                   "--out", str(tmp_path / "out.xlsm"), "--json", str(tmp_path / "out.json")], capsys)
    said = [p["message"] for p in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["problems"]]
    assert code == 0 and "«planned.xlsm» — книга salesplan с листами плана, а не выгрузка продаж: в продажи не взята." \
        " Храните выгрузки в отдельной папке." in said  # the workbook's language (Config), as every Problem
    for export in ("2026-06.parquet", "2026-08.xlsx"):
        (folder / export).unlink()
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(folder), "--month", "2026-10"], capsys)
    assert code == 2 and "exports" in text  # nothing but the plan: no exports, as in an empty folder


def test_a_sales_source_that_does_not_exist_is_named(book, tmp_path, capsys):
    code, text = run(["--lang", "en", "plan", str(book), "--set", "sales_source=history/sales.parquet"], capsys)
    assert code == 2
    assert "Sales source 'history/sales.parquet' named by the 'sales_source' setting was not found" in text
    assert str(tmp_path) in text


def test_a_sales_source_relative_to_the_workbook_is_planned(book, tmp_path, capsys):
    (tmp_path / "history").mkdir()
    write_parquet(small_lines(), tmp_path / "history" / "sales.parquet")
    json_path = tmp_path / "plan.json"
    code, _ = run(["plan", str(book), "--set", "sales_source=history/sales.parquet", "--month", "2026-10",
                   "--json", str(json_path)], capsys)
    assert code == 0
    figures = {m["manager"]: m for m in json.loads(json_path.read_text(encoding="utf-8"))["managers"]}
    # Альфа bought 100 000 in each of June to September: regular, 400 000 / 4 a month. Петров's sales
    # of the Sales tab are not read: the Config's source replaces the tab.
    assert figures["Иванов"]["regular_plan"] == pytest.approx(100000)
    assert figures.get("Петров", {}).get("average_monthly", 0) == 0


def test_an_empty_folder_is_named(book, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(tmp_path / "empty")], capsys)
    assert code == 2
    assert f"Folder '{tmp_path / 'empty'}' holds no sales exports" in text


@pytest.mark.parametrize("name", ["2026-07.parquet", "2026-07.xlsx"])
def test_a_damaged_file_is_named(book, tmp_path, capsys, name):
    folder = tmp_path / "exports"
    folder.mkdir()
    write_parquet(small_lines().iloc[:1], folder / "2026-06.parquet")
    (folder / name).write_bytes(b"PAR1 not really" * 10)
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(folder), "--month", "2026-10"], capsys)
    assert code == 2
    assert name in text


def test_a_folder_file_damaged_past_its_header_is_named(book, tmp_path, capsys):
    # The folder's Parquet files are scanned together; the one whose data DuckDB cannot decode
    # (its schema reads well) is still the one named.
    folder = tmp_path / "exports"
    folder.mkdir()
    write_parquet(small_lines().iloc[:2], folder / "2026-06.parquet")
    damaged = write_parquet(small_lines().iloc[2:], folder / "2026-08.parquet")
    column = pq.ParquetFile(damaged).metadata.row_group(0).column(0)
    data = bytearray(damaged.read_bytes())
    data[column.data_page_offset:column.data_page_offset + column.total_compressed_size] = \
        b"\xff" * column.total_compressed_size
    damaged.write_bytes(bytes(data))
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(folder), "--month", "2026-10"], capsys)
    assert code == 2
    assert f"Could not read '{damaged}'" in text


def test_a_damaged_parquet_file_given_alone_is_named(book, tmp_path, capsys):
    path = tmp_path / "sales.parquet"
    path.write_bytes(b"\x00" * 100)
    code, text = run(["--lang", "en", "plan", str(book), "--sales", str(path)], capsys)
    assert code == 2
    assert f"Could not read '{path}'" in text


def test_an_unknown_error_kind_is_not_swallowed():
    with pytest.raises(InputError):
        read_history(Path("/nonexistent/folder"), Config().statuses, 2026 * 12, 4)


def test_check_names_a_folder_line_by_its_file_and_row(book, tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    lines = small_lines()
    write_parquet(lines.iloc[:2], folder / "2026-06.parquet")
    write_parquet(lines.iloc[2:].assign(Менеджер=["Иванов", " "]), folder / "2026-08.parquet")
    code, text = run(["--lang", "en", "check", str(book), "--sales", str(folder), "--month", "2026-10"], capsys)
    # The second record of the second file: its own row 2, not the folder's numbering.
    [line] = [row for row in text.splitlines() if row.startswith("2026-08.parquet")]
    assert line.split("\t")[1:3] == ["2", "Менеджер"]


class LiveWorkbook:
    """The Excel session as the buttons see it (tests/test_excel.py): sheets read from a file, each
    read counted."""

    def __init__(self, path: Path) -> None:
        self.path, self.read = path, []

    def sheet_names(self):
        return WorkbookSource(self.path).sheet_names

    def read_sheet(self, name):
        self.read.append(name)
        return WorkbookSource(self.path).rows(name)

    def workbook_path(self):
        return self.path

    def status(self, text):
        pass


def test_the_excel_button_reads_the_configured_source_not_the_sales_tab(tmp_path):
    from salesplan import excel

    book = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000},
                         settings={"sales_source": "history.parquet"})
    write_parquet(small_lines(), tmp_path / "history.parquet")
    session = LiveWorkbook(book)
    inputs = excel._inputs(session)
    assert "Продажи" not in session.read
    assert inputs.sales_sheet == "history.parquet" and inputs.rows_read == 4
    assert set(inputs.ledger["client"]) == {"ООО «Альфа»"}


@pytest.mark.parametrize("layout", ["dated file", "many runs", "no groups", "no lines", "groups first", "lines first"])
def test_lines_and_groups_are_joined_in_row_order_whatever_their_runs(layout):
    """salessource._in_row_order: the single lines and the groups as one ledger in the order of
    their rows (a group's first), as sorting the two joined frames would give them, with the same
    dtypes, whether the rows come in a few runs (a dated file) or in many."""
    import random

    import numpy as np

    from salesplan.inputs.salessource import _in_row_order

    rng = random.Random(layout)
    rows = list(range(2, 400))
    if layout == "many runs":
        rng.shuffle(rows)
    is_line = {r: (layout != "no lines" and (layout == "no groups" or r < 100 or 300 <= r < 340
                                              or (layout == "many runs" and rng.random() < .5)))
               for r in rows}
    if layout in ("groups first", "lines first"):  # "lines first": one run from the last line on
        is_line = {r: (r >= 200) == (layout == "groups first") for r in rows}
    line_rows = sorted(r for r in rows if is_line[r])  # the lines come in row order
    group_rows = sorted((r for r in rows if not is_line[r]), key=lambda r: (rng.random() if layout == "many runs" else r))

    def frame(numbers, text):
        return pd.DataFrame({"row": pd.Series(numbers, dtype="int64"),
                             "client": pd.Series([f"{text}{n}" for n in numbers], dtype="str"),
                             "amount": pd.Series([float(n) for n in numbers], dtype="float64")})

    lines, groups = frame(line_rows, "line "), frame(group_rows, "group ")
    combined, keys = _in_row_order(lines, np.array(line_rows), groups, np.array(group_rows))
    expected = pd.concat([lines, groups], ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(combined, expected)
    assert keys.tolist() == sorted(line_rows + group_rows)
