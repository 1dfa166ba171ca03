"""The Sales reader: headers, dates, amounts, statuses, Problems, fatal errors."""

import datetime as dt

import pandas as pd
import pytest

from salesplan.errors import InputError
from salesplan.inputs.config import Config
from salesplan.inputs.ledger import parse_amounts, parse_dates, read_ledger
from salesplan.inputs.rows import SheetRows

STATUSES = Config().statuses


def sheet(*rows, name="Продажи"):
    return SheetRows(name, [list(r) for r in rows])


def test_russian_1c_headers_in_any_order_under_a_title_with_text_dates_and_amounts():
    s = sheet(
        ["Отчёт о продажах за 2026 год", "", "", "", "", ""],
        ["", "", "", "", "", ""],
        ["Сумма", "Контрагент", "Номенклатура", "Период", "Ответственный", "Номенклатурная группа", "Склад"],
        ["1 234,50", "ООО «Альфа»", "Камера IP", "01.09.2026", "Иванов", "Камеры", "Основной"],
        ["−500", "ООО «Альфа»", "Камера IP", "02.09.2026", "Иванов", "Камеры", "Основной"],
        [2000, "ИП Бета", "Кабель", dt.datetime(2026, 9, 3, 14, 30), "Петров", "Кабель", ""],
        ["3\u00a0000 ₽", "ИП Бета", "Кабель", 46269.0, "Петров", "Кабель", ""],  # 46269 = 2026-09-04
    )
    ledger, problems = read_ledger(s, STATUSES)
    assert problems == []
    assert list(ledger["row"]) == [4, 5, 6, 7]
    assert list(ledger["amount"]) == [1234.5, -500.0, 2000.0, 3000.0]
    assert list(ledger["date"].dt.strftime("%Y-%m-%d")) == ["2026-09-01", "2026-09-02", "2026-09-03",
                                                            "2026-09-04"]
    assert list(ledger["client"]) == ["ООО «Альфа»", "ООО «Альфа»", "ИП Бета", "ИП Бета"]
    assert list(ledger["product"])[0] == "Камера IP"
    assert set(ledger["kind"]) == {"sale"}  # no Status column: every row is a sale


def test_unusable_rows_become_problems_with_row_and_column_and_do_not_stop():
    s = sheet(
        ["Date", "Manager", "Client", "Category", "Amount", "Status"],
        ["01.09.2026", "Ivanov", "A", "Cams", 100, "shipped"],
        ["31.02.2026", "Ivanov", "A", "Cams", 100, ""],           # not a date
        ["02.09.2026", "Ivanov", "A", "Cams", "сто", ""],          # not a number
        ["03.09.2026", "", "A", "Cams", 100, ""],                  # no manager
        ["04.09.2026", "Ivanov", "", "Cams", 100, ""],             # no client
        ["05.09.2026", "Ivanov", "A", "Cams", 100, "в пути"],      # unknown status
        ["", "", "", "", "", ""],                                  # blank: ignored silently
        ["Итого", "", "", "", 600, ""],                            # totals row
    )
    ledger, problems = read_ledger(s, STATUSES)
    assert list(ledger["row"]) == [2]
    got = [(p.sheet, p.row, p.column, p.key) for p in problems]
    assert got == [
        ("Продажи", 3, "Date", "prob.bad_date"),
        ("Продажи", 4, "Amount", "prob.bad_amount"),
        ("Продажи", 5, "Manager", "prob.no_manager"),
        ("Продажи", 6, "Client", "prob.no_client"),
        ("Продажи", 7, "Status", "prob.unknown_status"),
        ("Продажи", 9, "Client", "prob.totals_row"),
    ]
    assert "в пути" in problems[4].text("ru")


def test_status_groups_from_config_words_case_and_yo_insensitive():
    s = sheet(["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус"],
              ["01.09.2026", "И", "А", "К", 1, "ОТГРУЖЕН"],
              ["01.09.2026", "И", "А", "К", 1, "Конечный потребитель не оплатил"],
              ["01.09.2026", "И", "А", "К", 1, " отказ "],
              ["01.09.2026", "И", "А", "К", 1, "отменён"])
    ledger, problems = read_ledger(s, STATUSES)
    assert list(ledger["kind"]) == ["sale", "open", "refused", "refused"]


@pytest.mark.parametrize("rows, key", [
    ([], "err.empty_sheet"),
    ([["", ""], ["", ""]], "err.empty_sheet"),
    ([["Дата", "Менеджер", "Клиент", "Категория"], ["01.09.2026", "И", "А", "К"]], "err.missing_columns"),
    ([["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Выручка"]], "err.duplicate_header"),
    ([["a", "b", "c"], [1, 2, 3]], "err.no_header"),
])
def test_fatal_header_errors_name_the_sheet_and_row(rows, key):
    with pytest.raises(InputError) as info:
        read_ledger(sheet(*rows), STATUSES)
    assert info.value.key == key
    text = info.value.text("ru")
    assert "Продажи" in text
    if key == "err.duplicate_header":
        assert "строка 1" in text and "E «Сумма»" in text and "F «Выручка»" in text
    if key == "err.missing_columns":
        assert "Сумма" in text


def test_parse_amounts_formats():
    values = pd.Series(["1 234,50", "1.234,50", "1,234.50", "-500 ₽", "−500", "(700)", "12,5", "abc", "",
                        7, 2.5, None], dtype=object)
    got = parse_amounts(values).tolist()
    assert got[:7] == [1234.5, 1234.5, 1234.5, -500.0, -500.0, -700.0, 12.5]
    assert pd.isna(got[7]) and pd.isna(got[8]) and pd.isna(got[11])
    assert got[9:11] == [7.0, 2.5]


def test_parse_dates_formats():
    values = pd.Series(["01.09.2026", "2026-09-02", "03.09.26", dt.date(2026, 9, 4), 46269, "32.01.2026",
                        "завтра", 5e9], dtype=object)
    got = parse_dates(values)
    assert list(got[:5].dt.strftime("%Y-%m-%d")) == ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04",
                                                     "2026-09-04"]
    assert got[5:].isna().all()


HEADER = ["Дата", "Менеджер", "Клиент", "Категория", "Товар", "Кол-во", "Сумма", "Заказ"]


def duplicates(rows):
    ledger, problems = read_ledger(sheet(HEADER, *rows), STATUSES)
    return [(p.row, p.fields["first"]) for p in problems if p.key == "prob.duplicate_row"]


def test_a_row_repeating_an_earlier_one_in_every_field_is_reported_with_the_first_and_still_counted():
    line = ["01.09.2026", "Иванов", "ООО Альфа", "Камеры", "Камера IP", 2, 1000, "З-1"]
    rows = [line,
            [*line[:6], 1001, "З-1"],            # row 3: another amount
            line,                                # row 4: repeats row 2
            ["01.09.2026", "Иванов", "ООО  Альфа ", "Камеры", "Камера IP", 2, "1 000", "З-1"],  # row 5: same once cleaned
            [*line[:5], "", 1000, "З-1"],        # row 6: no quantity
            [*line[:5], None, 1000, "З-1"],      # row 7: no quantity either: repeats row 6
            [*line[:7], "З-2"]]                  # row 8: another order
    assert duplicates(rows) == [(4, 2), (5, 2), (7, 6)]
    ledger, _ = read_ledger(sheet(HEADER, *rows), STATUSES)
    assert len(ledger) == 7  # reported, not dropped


def test_rows_whose_hashes_collide_are_still_compared_field_by_field(monkeypatch):
    import numpy as np

    monkeypatch.setattr(pd.util, "hash_array", lambda values, *a, **k: np.zeros(len(values), dtype=np.uint64))
    line = ["01.09.2026", "Иванов", "ООО Альфа", "Камеры", "Камера IP", 2, 1000, "З-1"]
    rows = [line, [*line[:6], 2000, "З-1"], ["02.09.2026", *line[1:]], line]
    assert duplicates(rows) == [(5, 2)]


def test_no_repeated_rows_no_report():
    rows = [["01.09.2026", "Иванов", "ООО Альфа", "Камеры", "Камера IP", 1, n, "З-1"] for n in range(1, 50)]
    assert duplicates(rows) == []


def test_a_serial_date_beyond_2262_is_read_as_that_date_not_a_crash():
    # pandas' nanosecond timestamps end in April 2262; Excel's serial dates go on to 9999.
    ledger, problems = read_ledger(sheet(HEADER, [150000, "Иванов", "ООО Альфа", "Камеры", "Камера", 1, 100, "З"]),
                                   STATUSES)
    assert problems == []
    assert ledger["date"].iloc[0] == pd.Timestamp("2310-09-07")


def test_repeated_rows_left_for_later_land_after_the_other_sales_problems():
    from salesplan.monthly import read_inputs

    line = ["01.09.2026", "Иванов", "ООО Альфа", "Камеры", "Камера IP", 2, 1000, "З-1"]
    sales = sheet(HEADER, line, ["нет даты", *line[1:]], line)
    now = read_inputs(sales, None, month="2026-10")
    later = read_inputs(sales, None, month="2026-10", defer_duplicates=True)
    assert [p.key for p in later.problems] == [p.key for p in now.problems if p.key != "prob.duplicate_row"]
    found = later.find_duplicates()
    assert [(p.row, p.fields["first"]) for p in found] == [(4, 2)] and later.find_duplicates() == []
    later.add_duplicates(found)
    assert later.problems == now.problems  # the same list in the same order
    assert later.rows_read == now.rows_read == 3


def test_serial_dates_stored_as_text_are_dates():
    """A Date column formatted as text before the paste holds «46269»: the README accepts serials."""
    import pandas as pd

    from salesplan.inputs.ledger import parse_dates

    got = parse_dates(pd.Series(["46269", "46269.75", 46269.0, "4626", "сегодня"], dtype=object))
    # 46269 days after 30.12.1899 is 04.09.2026; four digits are no date of this century
    assert [None if pd.isna(d) else d.strftime("%d.%m.%Y") for d in got] == [
        "04.09.2026", "04.09.2026", "04.09.2026", None, None]


@pytest.mark.parametrize("column, expected", [
    (["1.234", "$1,000"], [None, None]),                  # nothing tells: both left out
    (["1.234", "5,50"], [1234.0, 5.5]),                   # «5,50»: the comma is the decimal separator
    (["1,234", "2.345,00"], [1.234, 2345.0]),             # «2.345,00»: likewise
    (["1,234", "1,234.56"], [1234.0, 1234.56]),           # «1,234.56»: the dot is
    (["1,234", "5,50", "7.25"], [None, 5.5, 7.25]),       # the column contradicts itself: left out
])
def test_an_amount_with_one_separator_before_three_digits_is_read_as_the_column_writes_them(column, expected):
    import pandas as pd

    from salesplan.inputs.ledger import parse_amounts

    got = parse_amounts(pd.Series(column, dtype=object))
    assert [None if pd.isna(v) else v for v in got] == expected


def test_an_ambiguous_amount_is_a_problem_naming_it():
    from salesplan.inputs.config import Config
    from salesplan.inputs.ledger import read_ledger
    from salesplan.inputs.rows import SheetRows

    rows = [["Дата", "Менеджер", "Клиент", "Категория", "Сумма"], ["05.09.2026", "Иванов", "А", "К", "1.234"],
            ["06.09.2026", "Иванов", "А", "К", "abc"]]
    _, problems = read_ledger(SheetRows("Продажи", rows), Config().statuses)
    assert [(p.row, p.column, p.value, p.key) for p in problems] == [
        (2, "Сумма", "1.234", "prob.ambiguous_amount"), (3, "Сумма", "abc", "prob.bad_amount")]
    assert "«1.234» неоднозначна" in problems[0].text()


def test_a_date_with_a_mistyped_year_is_named_not_silently_left_out(tmp_path):
    """«05.09.1926» and «05.09.2126» are no sale of any plan: each is a Problem naming its row."""
    from salesplan import monthly
    from workbooks import make_workbook

    rows = [[f"05.{m}.2026", "Иванов", "А", "К", 100000] for m in ("06", "07", "08", "09")]
    rows += [["05.09.1926", "Иванов", "А", "К", 5], ["05.09.2126", "Иванов", "А", "К", 7]]
    book = make_workbook(tmp_path / "in.xlsm", rows, sales_header=["Дата", "Менеджер", "Клиент", "Категория", "Сумма"])
    result = monthly.plan(monthly.read_workbook_inputs(book), monthly.template_paths(book))
    far = [(p.row, p.value) for p in result.problems if p.key == "prob.far_date"]
    assert far == [(6, "05.09.1926"), (7, "05.09.2126")]
    assert result.plan.summary.set_index("manager").loc["Иванов", "average_monthly"] == 100000  # neither counted
    assert not result.skipped.too_many  # a mistyped year is named, not counted as a lost sale
