"""A big sheet read in parts on every core (inputs/splitread.py) gives what one read gives.

The parts are forced here on small sheets (a real one from 32 MiB of XML), in sheets shaped
to meet each case at a cut: empty rows, a column empty in a whole part, title rows above the
header, cells without references, a far cell in a later part, a column changing kind."""

from __future__ import annotations

import datetime as dt
import random
import re
import threading
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

from salesplan.errors import InputError
from salesplan.inputs import rows, splitread
from salesplan.inputs.header import find_header
from salesplan.monthly import read_workbook_inputs
from salesplan.ooxml import package
from salesplan.ooxml.limits import LimitError

HEADER = ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ"]


def write_sales(path: Path, n: int, *, seed: int = 7, titles: int = 0, blank_share: float = 0.2,
                order_until: int | None = None, extra: dict[tuple[int, int], object] | None = None) -> Path:
    """A Sales tab of about ``n`` rows: a date, text and number columns, every fifth row left out
    (rows without a cell are not written at all), ``titles`` title rows above the header, and the
    order column filled only up to row ``order_until``. ``extra``: (row, column) -> value."""
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Продажи")
    dates = book.add_format({"num_format": "dd.mm.yyyy"})
    for r in range(titles):
        sheet.write(r, 0, f"Выгрузка продаж, часть {r + 1}")
    sheet.write_row(titles, 0, HEADER)
    row = titles + 1
    for i in range(n):
        if rng.random() < blank_share:
            row += rng.randint(1, 4)
            continue
        sheet.write_datetime(row, 0, dt.datetime(2026, 1, 1) + dt.timedelta(days=i % 300), dates)
        sheet.write(row, 1, rng.choice(["Иванов", "Петров", "Сидорова"]))
        sheet.write(row, 2, f"ООО «Клиент {rng.randint(1, 500)}»")
        sheet.write(row, 3, rng.choice(["Камеры", "Кабель", "Домофоны"]))
        sheet.write_number(row, 4, rng.randint(-50, 5000) * 10.5)
        sheet.write(row, 5, rng.choice(["отгружен", "оплачен"]))
        if order_until is None or row < order_until:
            sheet.write(row, 6, f"З-{i}")
        row += 1
    for (r, c), value in (extra or {}).items():
        sheet.write(r - 1, c, value)
    book.close()
    return path


def columns(path: Path, parts: int | None, monkeypatch) -> dict[str, pd.Series] | None:
    """The typed Sales columns of ``path``, read in ``parts`` parts (None: in one piece)."""
    monkeypatch.setattr(rows, "split_count", lambda size, cores=None: parts or 1)
    source = rows.WorkbookSource(path, defer=True)
    sheet = source.rows("Продажи")
    header_row, wanted = find_header(sheet)
    first_row = header_row + 1
    names = sheet._header_names(first_row, wanted)
    return rows.typed_columns(source.load_checked("Продажи", first_row, wanted, names), first_row, wanted)


def assert_same(got: dict[str, pd.Series] | None, expected: dict[str, pd.Series] | None) -> None:
    assert got is not None and expected is not None
    assert list(got) == list(expected)
    for name in expected:
        pd.testing.assert_series_equal(got[name], expected[name], check_dtype=True)


def loads(monkeypatch) -> list[int]:
    """Record the first row of every part handed to a reader."""
    started: list[int] = []
    original = rows.load_columns

    def recording(path, sheet, first_row, wanted, names):
        started.append(first_row)
        return original(path, sheet, first_row, wanted, names)

    monkeypatch.setattr(rows, "load_columns", recording)
    return started


@pytest.mark.parametrize("parts", [2, 3, 5])
@pytest.mark.parametrize("titles", [0, 2])
def test_a_sheet_read_in_parts_gives_what_one_read_gives(tmp_path, monkeypatch, parts, titles, small_chunks):
    path = write_sales(tmp_path / "s.xlsx", 3000, titles=titles, order_until=900)
    whole = columns(path, None, monkeypatch)
    started = loads(monkeypatch)
    split = columns(path, parts, monkeypatch)
    assert len(started) == parts, "the sheet was read in as many parts as asked"
    assert_same(split, whole)
    assert whole is not None and whole["order"].isna().sum() > len(whole) / 2, "a column empty in the later parts"


def test_empty_rows_at_every_cut_are_empty_rows_of_the_whole(tmp_path, monkeypatch, small_chunks):
    """Half the rows left out, in long runs: parts end on rows that are not written at all."""
    path = write_sales(tmp_path / "s.xlsx", 2000, blank_share=0.5, seed=3)
    assert_same(columns(path, 4, monkeypatch), columns(path, None, monkeypatch))


def without_cell_references(path: Path) -> Path:
    """The Sales part rewritten with no ``r`` on its cells (rows keep theirs): a reader places each
    cell after the one before."""
    out = path.with_name("noref.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<c r="[A-Z]+\d+"', b"<c", data)
            dst.writestr(info.filename, data)
    return out


def prefixed(path: Path) -> Path:
    """The Sales part written with a namespace prefix on every element (``<x:row>``), as some
    exporters write it."""
    out = path.with_name("prefixed.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<(/?)([A-Za-z]+[ />])", rb"<\1x:\2", data).replace(b'xmlns="', b'xmlns:x="', 1)
                assert b"<x:row " in data
            dst.writestr(info.filename, data)
    return out


@pytest.mark.parametrize("rewrite", [without_cell_references, prefixed])
def test_cells_without_references_or_with_a_prefix_are_read_as_one_read_reads_them(tmp_path, monkeypatch,
                                                                                   small_chunks, rewrite):
    path = rewrite(write_sales(tmp_path / "s.xlsx", 1500, blank_share=0.1))
    whole = columns(path, None, monkeypatch)
    started = loads(monkeypatch)
    assert_same(columns(path, 3, monkeypatch), whole)
    assert len(started) == 3


@pytest.fixture
def small_chunks(monkeypatch):
    """Inflate the sheet 16 KiB at a time (4 MiB in use): the parts of a small sheet are checked
    and handed over one after the other, as those of a big one are."""
    monkeypatch.setattr(splitread, "CHUNK", 16 << 10)


def with_far_cell(path: Path, row: int) -> Path:
    """The Sales part with a value added in column XFD of ``row`` (XlsxWriter takes seconds to
    write one so far out)."""
    out = path.with_name("far.xlsx")
    cell = f'<c r="XFD{row}" t="inlineStr"><is><t>забыли</t></is></c>'.encode()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data, n = re.subn(rb'(<row r="' + str(row).encode() + rb'"[^>]*>.*?)</row>',
                                  lambda m: m.group(1) + cell + b"</row>", data, count=1, flags=re.S)
                assert n == 1
            dst.writestr(info.filename, data)
    return out


def holds_far_cell(package: Path) -> bool:
    with zipfile.ZipFile(package) as parts:
        return b'r="XFD' in parts.read("xl/worksheets/sheet1.xml")


def test_a_far_cell_in_a_later_part_is_refused_before_a_reader_lays_that_part_out(tmp_path, monkeypatch,
                                                                                    small_chunks):
    """XFD5990 in the last rows of a 6 000-row sheet (its grid past the limit): the message names
    the cell; the first parts, checked already, went to readers, the one holding it never did."""
    path = with_far_cell(write_sales(tmp_path / "s.xlsx", 6000, blank_share=0.0), 5990)
    handed: list[bool] = []
    original = rows.load_columns

    def recording(package, sheet, first_row, wanted, names):
        handed.append(holds_far_cell(package))
        return original(package, sheet, first_row, wanted, names)

    monkeypatch.setattr(rows, "load_columns", recording)
    with pytest.raises(InputError) as caught:
        columns(path, 6, monkeypatch)
    assert "XFD5990" in str(caught.value)
    assert handed and not any(handed), handed


def test_read_in_parts_hands_over_only_checked_bytes(tmp_path, small_chunks):
    path = with_far_cell(write_sales(tmp_path / "s.xlsx", 6000, blank_share=0.0), 5990)
    handed: list[bool] = []
    with pytest.raises(LimitError) as caught:
        splitread.read_in_parts(path, "Продажи", 2, lambda package, row: handed.append(holds_far_cell(package)),
                                parts=6)
    assert caught.value.far_column is not None and caught.value.far_column.name == "XFD5990"
    assert handed and not any(handed), handed


def test_a_far_column_within_the_limit_waits_for_the_whole_check_and_reads_the_same(tmp_path, monkeypatch):
    """A value in column BZ (past the 64 columns the quick check knows to be safe) but few rows:
    the sheet is within the limit, and is read in parts once the whole check has passed."""
    path = write_sales(tmp_path / "s.xlsx", 1500, blank_share=0.1, extra={(40, 77): "в стороне"})
    assert_same(columns(path, 3, monkeypatch), columns(path, None, monkeypatch))


def test_a_column_changing_kind_between_parts_is_read_row_by_row_as_with_one_read(tmp_path, monkeypatch):
    """Text among the amounts in the last rows: one read of the sheet refuses such a column, and so
    does the joining of the parts; both then read the sheet row by row."""
    path = write_sales(tmp_path / "s.xlsx", 2000, blank_share=0.0, extra={(1990, 4): "много"})
    monkeypatch.setattr(rows, "split_count", lambda size, cores=None: 4)
    source = rows.WorkbookSource(path, defer=True)
    sheet = source.rows("Продажи")
    header_row, wanted = find_header(sheet)
    names = sheet._header_names(header_row + 1, wanted)
    assert source.load_checked("Продажи", header_row + 1, wanted, names) is None
    assert rows.load_columns(path, "Продажи", header_row + 1, wanted, names) is None


def test_the_ledger_of_a_workbook_read_in_parts_is_the_ledger_of_one_read(tmp_path, monkeypatch):
    """The whole entrance, problems and all, on a Sales tab with returns, a bad date and a bad amount."""
    from workbooks import make_workbook

    sales = []
    rng = random.Random(11)
    for i in range(1200):
        sales.append([f"{1 + i % 28:02d}.{1 + i % 9:02d}.2026", rng.choice(["Иванов", "Петров"]),
                      f"ООО «Клиент {i % 97}»", rng.choice(["Кабель", "Камеры видеонаблюдения"]),
                      rng.choice([1000, 2500, -300]), rng.choice(["отгружен", "оплачен"]), f"З-{i}"])
    sales[500][0] = "тридцать второе"
    sales[900][4] = "нет"
    path = make_workbook(tmp_path / "book.xlsx", sales)
    monkeypatch.setattr(rows, "split_count", lambda size, cores=None: 1)
    whole = read_workbook_inputs(path)
    monkeypatch.setattr(rows, "split_count", lambda size, cores=None: 3)
    split = read_workbook_inputs(path)
    pd.testing.assert_frame_equal(split.ledger, whole.ledger)
    assert split.problems == whole.problems and whole.problems


def with_wrong_crc(path: Path) -> Path:
    """The Sales part's CRC-32 changed in both its local header and the zip directory: its bytes
    inflate to the declared size, but not to what was stored."""
    out = path.with_name("crc.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
    data = bytearray(out.read_bytes())
    with zipfile.ZipFile(out) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    good = info.CRC.to_bytes(4, "little")
    bad = (info.CRC ^ 0x5A5A5A5A).to_bytes(4, "little")
    assert data.count(good) == 2
    out.write_bytes(bytes(data).replace(good, bad))
    return out


def test_a_damaged_sheet_read_in_parts_is_a_message_not_a_plan(tmp_path, monkeypatch):
    path = with_wrong_crc(write_sales(tmp_path / "s.xlsx", 2000, blank_share=0.0))
    with pytest.raises(InputError) as caught:
        columns(path, 3, monkeypatch)
    assert "sheet1.xml" in str(caught.value) and "CRC" in str(caught.value)


def inflated_by_the_check(path: Path, monkeypatch) -> list[str]:
    """Run the check of every entry of ``path``; the entries it inflated itself."""
    inflated: list[str] = []
    original = package._inflate
    monkeypatch.setattr(package, "_inflate", lambda z, info: (inflated.append(info.filename), original(z, info)))
    check = package.EntryCheck(path)
    check.start()
    check.join()
    assert check.error is None
    return inflated


def test_the_entry_check_leaves_the_sheet_read_in_parts_to_its_reader(tmp_path, monkeypatch):
    """Read in parts, the Sales part's CRC is checked as it is inflated; the check of every entry
    before the plan is written inflates it again only if that read could not vouch for it."""
    path = write_sales(tmp_path / "s.xlsx", 2000, blank_share=0.0)
    columns(path, 3, monkeypatch)
    inflated = inflated_by_the_check(path, monkeypatch)
    assert "xl/worksheets/sheet1.xml" not in inflated and "xl/sharedStrings.xml" in inflated
    assert "xl/worksheets/sheet1.xml" in inflated_by_the_check(path, monkeypatch), "a claim serves one check"
    claim = package.claim_entry(path, "xl/worksheets/sheet1.xml")
    claim.settle(False)  # a read that stopped half-way
    assert "xl/worksheets/sheet1.xml" in inflated_by_the_check(path, monkeypatch)


def test_the_header_moves_with_its_cells(tmp_path):
    header = b'<row r="3" spans="1:2"><c r="A3" t="s"><v>0</v></c><c r="B3" s="1" t="s"><v>1</v></c></row>'
    moved = splitread._moved(header, 1207)
    assert moved == (b'<row r="1207" spans="1:2"><c r="A1207" t="s"><v>0</v></c>'
                     b'<c r="B1207" s="1" t="s"><v>1</v></c></row>')
    assert splitread._moved(b"<row><c><v>1</v></c></row>", 9) == b'<row r="9"><c><v>1</v></c></row>'


def test_a_small_sheet_or_one_core_is_read_in_one_piece():
    assert splitread.split_count(2 * splitread.SPLIT_FROM - 1, cores=8) == 1
    assert splitread.split_count(400 << 20, cores=1) == 1
    assert splitread.split_count(400 << 20, cores=2) == 6
    assert splitread.split_count(400 << 20, cores=64) == 400 // 16


def test_the_first_and_last_parts_are_the_small_ones():
    size = 394_000_000
    cuts = splitread.cut_points(size, 6)
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, size])]
    assert sum(sizes) == size and cuts == sorted(cuts)
    # weights 0.5, 1, 1, 1, 1, 0.35 of 4.85
    assert sizes[0] == pytest.approx(size * 0.5 / 4.85, abs=2)
    assert sizes[-1] == pytest.approx(size * 0.35 / 4.85, abs=2)
    assert all(s == pytest.approx(size / 4.85, abs=2) for s in sizes[1:-1])
    assert splitread.cut_points(size, 2) == [int(size * 0.5 / 0.85)]
    assert splitread.cut_points(size, 1) == []


def test_readers_wait_for_a_seat_and_more_seats_free_them():
    seats = threading.Semaphore(1)
    started, release = threading.Event(), threading.Event()
    running = []

    def load(package, row):
        running.append(row)
        if row == 1:
            started.set()
            release.wait(5)
        return row

    seated = splitread._seated(seats, load)
    first = threading.Thread(target=seated, args=(None, 1))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=seated, args=(None, 2))
    second.start()
    second.join(0.3)
    assert running == [1], "the second reader waits: one seat, taken"
    seats.release()  # the check's seat, freed
    second.join(5)
    assert running == [1, 2]
    release.set()
    first.join(5)


def pause_inflating(monkeypatch, until: threading.Event, at: int = 40) -> None:
    """The sheet part's inflating waits at chunk ``at`` (a third of a 6 000-row sheet in small
    chunks) until ``until`` is set: the other thread's step comes first, whichever runs faster."""
    inflate = splitread.entry_chunks

    def paused(source, info, chunk):
        for number, data in enumerate(inflate(source, info, chunk)):
            if number == at:
                assert until.wait(30)
            yield data

    monkeypatch.setattr(splitread, "entry_chunks", paused)


def test_a_cancelled_read_stops_at_the_next_chunk(tmp_path, monkeypatch, small_chunks):
    """Set by the first part's reader, the cancel event stops the inflating and checking at the
    next chunk: the rest of the sheet never reaches a reader. (The inflating waits a third of the
    way through for the reader, so that the test does not depend on which thread runs first.)"""
    path = write_sales(tmp_path / "s.xlsx", 6000, blank_share=0.0)
    cancel = threading.Event()
    handed: list[int] = []

    def load(package, row):
        handed.append(row)
        cancel.set()

    pause_inflating(monkeypatch, until=cancel)
    with pytest.raises(splitread.ReadCancelled):
        splitread.read_in_parts(path, "Продажи", 2, load, parts=6, cancel=cancel)
    assert handed == [2], "only the first part, checked before the cancel, went to a reader"


def test_a_configured_sales_source_cancels_the_head_start_on_the_sales_tab(tmp_path, monkeypatch, small_chunks):
    """The command line starts reading the workbook's Sales tab before the Config is read; when the
    Config names a ``sales_source`` that read is stopped, and the plan's rows are the source's."""
    from salesplan.inputs.early import head_start
    from test_salessource import small_lines, write_parquet
    from workbooks import make_workbook

    sales = [[f"{1 + i % 28:02d}.{1 + i % 9:02d}.2026", "Петров", f"ООО «Клиент {i % 97}»", "Кабель", 1000,
              "отгружен", f"З-{i}"] for i in range(6000)]
    book = make_workbook(tmp_path / "plan.xlsx", sales, settings={"sales_source": "history.parquet"})
    write_parquet(small_lines(), tmp_path / "history.parquet")
    monkeypatch.setattr(rows, "split_count", lambda size, cores=None: 6)
    started = loads(monkeypatch)
    # The read waits a third of the way through until the build has read the Config, as a big
    # sheet's read would still be going on then.
    config_read = threading.Event()
    cancel_reads = rows.WorkbookSource.cancel_reads
    monkeypatch.setattr(rows.WorkbookSource, "cancel_reads", lambda self: (config_read.set(), cancel_reads(self)))
    pause_inflating(monkeypatch, until=config_read)
    sources = head_start(book)
    assert sources, "the head start began reading the Sales tab"
    inputs = read_workbook_inputs(book, sources=sources)
    assert inputs.sales_sheet == "history.parquet" and set(inputs.ledger["client"]) == {"ООО «Альфа»"}
    assert len(started) < 6, "the Sales tab's read was stopped before its last part"
