"""The fast Sales reader parses exactly as the row reader: same ledger, same Problems.

Three things are new: the parsing rules run once per distinct value of a column (_Cells); a text
column is cleaned with Arrow's string kernels; and an .xlsx/.xlsm Sales tab is read column by column
with fastexcel after its header is found in a copy of the package cut after row 30. Each is checked
against the plain way on the same cells, including the awkward ones: mixed types in one column,
Excel serial numbers, text dates, ``1 234,50``, a Unicode minus, odd whitespace.
"""

import datetime as dt
import io
import random
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from salesplan.errors import InputError
from salesplan.inputs import rows as rows_module
from salesplan.inputs.config import Config
from salesplan.inputs.ledger import _WHITESPACE, _Cells, _text, filled, parse_amounts, parse_dates, read_ledger
from salesplan.inputs.rows import SheetRows, WorkbookSource, read_head

STATUSES = Config().statuses

#: Cells of every kind a Sales column may hold (as the row reader gives them).
ODD_CELLS = [
    "", " ", "\u00a0", "  Иванов  И.\t", "Иванов", "Иванов И.", "x\x1fy", "a\u2009b", "итого", "Итого:", "Total",
    0, 1, 1.0, True, False, -0.0, 2.5, 46269, 46269.0, 46269.5, 5e9, -3, None, float("nan"), 12345678901234567890,
    np.float64(3.0), np.int64(7), dt.date(2026, 9, 4), dt.datetime(2026, 9, 4, 10, 30), dt.datetime(2026, 9, 4),
    np.datetime64("2026-09-04"), pd.Timestamp("2026-09-05 12:00"), dt.time(10, 0), dt.timedelta(days=1),
    "01.09.2026", "2026-09-02", "03.09.26", "04.09.2026 10:30", "32.01.2026", "завтра",
    "1 234,50", "1.234,50", "1,234.50", "-500 ₽", "−500", "–7", "(700)", "12,5", "3\u00a0000 руб.", "abc",
    "отгружен", " ОТГРУЖЁН ", "отказ", "в пути", "NA", "nan", "#N/A",
]


def one_by_one(parse, values):
    """``parse`` applied to each value alone: the rule itself, with nothing shared between cells."""
    return pd.concat([parse(pd.Series([v], dtype=object)) for v in values], ignore_index=True)


@pytest.mark.parametrize("parse", [parse_dates, parse_amounts])
def test_a_column_parses_as_its_cells_one_by_one(parse):
    values = ODD_CELLS * 3
    random.Random(1).shuffle(values)
    together = parse(pd.Series(values, dtype=object))
    pd.testing.assert_series_equal(together.reset_index(drop=True), one_by_one(parse, values))


@pytest.mark.parametrize("values, parse", [
    (["01.09.2026", "2026-09-02", "03.09.26", "32.01.2026", "завтра", "", None], parse_dates),
    (["1 234,50", "1.234,50", "1,234.50", "-500 ₽", "−500", "(700)", "12,5", "abc", "", None], parse_amounts),
])
def test_a_typed_text_column_parses_as_the_same_cells(values, parse):
    """The fast reader gives text as a str column, an empty cell as a missing value ("" to the row
    reader)."""
    typed = parse(pd.Series(values, dtype="str"))
    cells = parse(pd.Series(["" if v is None else v for v in values], dtype=object))
    pd.testing.assert_series_equal(typed, cells)


def test_typed_numbers_and_dates_parse_as_the_same_cells():
    serials = pd.Series([46269.0, 46269.75, 1.0, 5e9, np.nan])   # 46269 = 2026-09-04; 5e9 is no date
    as_cells = pd.Series([46269.0, 46269.75, 1.0, 5e9, ""], dtype=object)
    pd.testing.assert_series_equal(parse_dates(serials), parse_dates(as_cells))
    pd.testing.assert_series_equal(parse_amounts(serials), parse_amounts(as_cells))
    stamps = pd.Series([pd.Timestamp("2026-09-04"), pd.Timestamp("2026-09-04 10:30"), pd.NaT])
    as_cells = pd.Series([dt.date(2026, 9, 4), dt.datetime(2026, 9, 4, 10, 30), ""], dtype=object)
    pd.testing.assert_series_equal(parse_dates(stamps), parse_dates(as_cells))
    assert list(parse_dates(stamps)[:2].dt.strftime("%Y-%m-%d")) == ["2026-09-04", "2026-09-04"]


def test_distinct_cells_keep_their_types_apart():
    cells = _Cells(pd.Series(["a", 1.0, "a", True, 1, None, float("nan"), 1.0], dtype=object))
    assert [type(v) for v in cells.values] == [str, float, float, bool, int, type(None)]
    assert cells.values[5] is None
    assert [cells.values[c] for c in cells.codes][:5] == ["a", 1.0, "a", True, 1]
    assert cells.value(3) is True and cells.value(4) == 1 and type(cells.value(4)) is int


def test_typed_cells_are_what_the_row_reader_gives():
    cells = _Cells(pd.Series([pd.Timestamp("2026-09-04"), pd.Timestamp("2026-09-04 10:30"), pd.NaT]))
    assert cells.values == [dt.date(2026, 9, 4), dt.datetime(2026, 9, 4, 10, 30), ""]
    cells = _Cells(pd.Series([1.0, np.nan, 2.5]))
    assert [cells.value(i) for i in range(3)] == [1.0, "", 2.5] and type(cells.value(0)) is float


def test_whitespace_for_arrow_is_pythons():
    """Text is cleaned by Arrow only where Python would leave it as it is; the class of characters
    it looks for must be exactly Python's whitespace."""
    import pyarrow as pa
    import pyarrow.compute as pc

    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    found = pc.match_substring_regex(pa.array(every), f"^{_WHITESPACE}$").to_pylist()
    assert [c for c, hit in zip(every, found) if hit] == [c for c in every if c.isspace()]


@pytest.mark.parametrize("text", ["a  b", " a", "a ", "a\tb", "a\u00a0b", "a\u3000\u2009b", "\x1c", "  ", "",
                                  "ООО «Альфа»", "a\u200bb", "a\u180eb", "line\nbreak"])
def test_text_cleaning_is_the_regular_expression_rule(text):
    assert _text(text) == (re.sub(r"\s+", " ", text).strip() if filled(text) else "")


def sheet(*rows, name="Продажи"):
    return SheetRows(name, [list(r) for r in rows])


def as_typed(s: SheetRows):
    """The same sheet with its columns typed as the fast reader types a clean column."""
    class Typed(SheetRows):
        def columns(self, first_row, wanted):
            out = {}
            for field, series in super().columns(first_row, wanted).items():
                kinds = {type(v) for v in series if v != ""}
                if kinds <= {str}:
                    out[field] = series.where(series != "", None).astype("str")
                elif kinds <= {float}:
                    out[field] = pd.to_numeric(series.where(series != "", None)).astype("float64")
                elif kinds <= {dt.date, dt.datetime}:
                    out[field] = pd.to_datetime(series.where(series != "", None)).astype("datetime64[ms]")
                else:
                    out[field] = series
            return out
    return Typed(s.name, s.rows)


def assert_same_reading(a, b):
    (la, pa_), (lb, pb) = a, b
    pd.testing.assert_frame_equal(la, lb)
    assert [(p.row, p.column, repr(p.value), p.key, p.fields) for p in pa_] == \
           [(p.row, p.column, repr(p.value), p.key, p.fields) for p in pb]


def test_typed_columns_read_as_the_rows_they_came_from():
    s = sheet(
        ["Отчёт", "", "", "", "", "", "", ""],
        ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ", "Количество"],
        [dt.date(2026, 9, 1), "Иванов ", "ООО  «Альфа»", "Камеры", 100.0, "отгружен", "З-1", 2.0],
        [dt.datetime(2026, 9, 2, 10, 30), "Иванов", "ООО «Альфа»", "Камеры", -20.5, "", "", ""],
        [dt.date(2026, 9, 3), "", "ООО «Бета»", "Кабель", 7.0, "в пути", "З-2", 1.0],
        [dt.date(2026, 9, 3), "Петров", "Итого", "", 107.0, "", "", ""],
        ["", "", "", "", "", "", "", ""],
        [dt.date(2026, 9, 4), "Петров", "ИП\u00a0Гамма", "Кабель", 5.0, "конечный потребитель не оплатил", "", ""],
    )
    assert_same_reading(read_ledger(s, STATUSES), read_ledger(as_typed(s), STATUSES))


def test_mixed_columns_parse_cell_by_cell():
    s = sheet(
        ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ"],
        ["01.09.2026", "Иванов", "А", "Камеры", "1 234,50", "отгружен", 1001.0],
        [46269.0, "Иванов", 123.0, "Камеры", "−500", "", "З-7"],
        [dt.datetime(2026, 9, 5, 14, 0), "Иванов", "А", "Камеры", 2000, "ОТГРУЖЕН", 1001],
        ["Итого", "", "", "", 2734.5, "", ""],
        [True, "Иванов", "А", "Камеры", True, "", ""],
    )
    ledger, problems = read_ledger(s, STATUSES)
    assert list(ledger["amount"]) == [1234.5, -500.0, 2000.0]
    assert list(ledger["date"].dt.strftime("%d.%m.%Y")) == ["01.09.2026", "04.09.2026", "05.09.2026"]
    assert list(ledger["client"]) == ["А", "123", "А"]
    assert list(ledger["order"]) == ["1001", "З-7", "1001"]
    assert [(p.row, p.key, p.value) for p in problems] == [(5, "prob.totals_row", ""), (6, "prob.bad_date", True)]


# --------------------------------------------------------------------------------------------------
# The fast reader of .xlsx files

HEADERS = ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Количество", "Заказ"]


def cells(n=20, top=0, left=0, title=False):
    out = {}
    if title:
        out[(0, left)] = "Отчёт о продажах"
    for c, h in enumerate(HEADERS):
        out[(top, left + c)] = h
    for i in range(n):
        r = top + 1 + i
        out.update({(r, left): dt.date(2026, 1 + i % 12, 1 + i % 28), (r, left + 1): ["Иванов", "Петров  И.", " Сидоров"][i % 3],
                    (r, left + 2): f"ООО «К{i % 5}»", (r, left + 3): "Камеры", (r, left + 4): 100.5 * i - 50,
                    (r, left + 5): ["отгружен", "", "отказ", "конечный потребитель не оплатил"][i % 4],
                    (r, left + 6): float(i % 7), (r, left + 7): f"ЗК-{i:04d}"})
    return out


def write_xlsx(path, content):
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    ws = book.add_worksheet("Продажи")
    date, stamp = book.add_format({"num_format": "dd.mm.yyyy"}), book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    for (r, c), v in content.items():
        if isinstance(v, dt.datetime):
            ws.write_datetime(r, c, v, stamp if (v.hour or v.minute) else date)
        elif isinstance(v, dt.date):
            ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date)
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, str) and v.startswith("="):
            ws.write_formula(r, c, v)
        elif isinstance(v, str):
            ws.write_string(r, c, v)
        elif v is None:
            ws.write_blank(r, c, None)
        else:
            ws.write_number(r, c, v)
    book.close()
    return path


def read_both(path, monkeypatch):
    """(the fast reading, the row reading, whether the fast path gave the columns)."""
    used = []
    real = rows_module.typed_columns

    def spy(*args, **kwargs):
        out = real(*args, **kwargs)
        used.append(out is not None)
        return out

    monkeypatch.setattr(rows_module, "typed_columns", spy)
    fast = read_ledger(WorkbookSource(path).rows("Продажи"), STATUSES)
    slow = read_ledger(SheetRows("Продажи", WorkbookSource(path).read_rows("Продажи")), STATUSES)
    return fast, slow, (used[-1] if used else None)


def edit(change):
    content = cells()
    change(content)
    return content


CASES = [
    ("plain", cells(), True),
    ("a title above, the table from C4", cells(top=3, left=2, title=True), True),
    ("the header on row 30", cells(top=29), True),
    ("text in a column right of the table", edit(lambda c: c.update({(30, 9): "примечание"})), True),
    ("a totals row with text in text columns", edit(lambda c: c.update({(21, 1): "Итого", (21, 4): 999.0})), True),
    ("all amounts as text", edit(lambda c: c.update({(r, 4): f"{r} 000,50" for r in range(1, 21)})), True),
    ("all dates as text", edit(lambda c: c.update({(r, 0): f"{r:02d}.03.2026" for r in range(1, 21)})), True),
    ("all dates as serial numbers", edit(lambda c: c.update({(r, 0): 46000.0 + r for r in range(1, 21)})), True),
    ("a date with a time", edit(lambda c: c.update({(5, 0): dt.datetime(2026, 3, 3, 14, 30)})), True),
    ("order numbers as numbers", edit(lambda c: c.update({(r, 7): 1000.0 + r for r in range(1, 21)})), True),
    ("odd whitespace in names", edit(lambda c: c.update({(r, 2): f"  ООО\u00a0 «К{r}»\t" for r in range(1, 21)})), True),
    ("blank cells and empty text", edit(lambda c: c.update({(8, 0): None, (9, 4): None, (5, 2): "", (6, 1): "  "})), True),
    ("no status at all", edit(lambda c: [c.pop((r, 5)) for r in range(1, 21)]), True),
    ("a formula amount", edit(lambda c: c.update({(5, 4): "=1/0"})), True),
    ("a text date among dates", edit(lambda c: c.update({(5, 0): "01.02.2026"})), False),
    ("a serial number among dates", edit(lambda c: c.update({(5, 0): 46269.0})), False),
    ("a totals row in the date column", edit(lambda c: c.update({(21, 0): "Итого", (21, 4): 999.0})), False),
    ("a text amount among numbers", edit(lambda c: c.update({(5, 4): "1 234,50"})), False),
    ("NA text among numbers", edit(lambda c: c.update({(5, 4): "NA"})), False),
    ("nan text among numbers", edit(lambda c: c.update({(5, 4): "nan"})), False),
    ("N/A text among dates", edit(lambda c: c.update({(5, 0): "N/A"})), False),
    ("a boolean amount", edit(lambda c: c.update({(5, 4): True})), False),
    ("a date before March 1900", edit(lambda c: c.update({(5, 0): dt.date(1900, 1, 1)})), False),
    ("a duplicate header", edit(lambda c: c.update({(0, 9): "Сумма"})), None),
    ("no header in the first 30 rows", {(40, i): h for i, h in enumerate(HEADERS)}, None),
    ("an empty sheet", {(0, 0): "", (1, 1): None}, None),
    ("a header and no rows", cells(n=0), True),
    ("repeated rows, some only once cleaned", edit(lambda c: c.update(
        {**{(21, k): c[(1, k)] for k in range(8)},                                   # row 2 again
         **{(22, k): c[(2, k)] for k in range(8)}, (22, 2): "  ООО  «К1» ",          # row 3, spaced
         **{(23, k): c[(5, k)] for k in range(8)}, (23, 5): " ",                      # row 6, blank status
         **{(24, k): c[(5, k)] for k in range(5)}, (24, 6): c[(5, 6)], (24, 7): c[(5, 7)]})), True),
]


@pytest.mark.parametrize("plain", [False, True], ids=["encoded", "plain"])
@pytest.mark.parametrize("label, content, fast", CASES, ids=[c[0] for c in CASES])
def test_fast_reader_reads_as_the_row_reader(tmp_path, monkeypatch, label, content, fast, plain):
    """Clean columns come typed from fastexcel; a column it cannot give exactly (mixed kinds, an
    error or boolean cell, a date Excel and readers disagree on) sends the sheet to the row reader.

    ``plain``: every text column of more than a fifth distinct values is kept as it is rather than
    encoded (as order numbers are in a long ledger), so that path meets every case too."""
    if plain:
        import salesplan.inputs.ledger as ledger_module

        monkeypatch.setattr(ledger_module, "_PLAIN_MIN_ROWS", 0)
    path = write_xlsx(tmp_path / "sales.xlsx", content)
    try:
        read_ledger(SheetRows("Продажи", WorkbookSource(path).read_rows("Продажи")), STATUSES)
    except InputError as expected:
        with pytest.raises(InputError) as got:
            read_ledger(WorkbookSource(path).rows("Продажи"), STATUSES)
        assert (got.value.key, str(got.value)) == (expected.key, str(expected))
        assert fast is None
        return
    got, expected, used_fast = read_both(path, monkeypatch)
    assert_same_reading(got, expected)
    assert used_fast == fast


def test_head_of_a_package_without_row_numbers_and_with_prefixes(tmp_path):
    """Rows need not carry r="..." and elements may be prefixed (the .NET SDK writes <x:row>)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rows = "".join(f'<x:row><x:c t="inlineStr"><x:is><x:t>r{i}</x:t></x:is></x:c></x:row>' for i in range(1, 101))
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                               'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                               'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
                               '.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                       '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><x:workbook xmlns:x="{ns}" xmlns:r="{rel}"><x:sheets>'
                           '<x:sheet name="Продажи" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                                      f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                                      'Target="/xl/worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><x:worksheet xmlns:x="{ns}"><x:sheetData>{rows}'
                                    '</x:sheetData></x:worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(buffer.getvalue())
    head = read_head(path, "Продажи", 30)
    assert head == [[f"r{i}"] for i in range(1, 31)]
    assert WorkbookSource(path).rows("Продажи").head(30) == head


def test_the_benchmark_ledger_reads_the_same_both_ways(tmp_path, monkeypatch):
    """A few thousand rows of the demo distributor, written the way Excel saves a workbook."""
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "benchmarks"))
    from make_ledger import ledger_rows
    from make_ledger import write_xlsx as write_ledger

    path = tmp_path / "ledger.xlsx"
    write_ledger(ledger_rows(3000), path)
    fast, slow, used = read_both(path, monkeypatch)
    assert used is True
    assert_same_reading(fast, slow)
    assert len(fast[0]) == 3000 and not fast[1]
