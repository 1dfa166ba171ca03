"""Printing the instruments: every sheet exactly one A4 page, readable, with its text.

The tests marked ``libreoffice`` convert real workbooks with LibreOffice and read the PDFs back with
poppler-utils (``pdfinfo``, ``pdftotext``); without them they fail in CI (``.ci/run`` installs them)
and are skipped elsewhere (conftest.py). The others check the error paths with a stand-in ``soffice``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from salesplan.errors import InputError, ToolMissingError
from salesplan.outputs import pdf as pdf_module
from salesplan.outputs.pdf import PdfExportError, page_info, soffice_path, workbook_to_pdf, workbooks_to_pdf
from salesplan.outputs.templates import page_capacity, render_book, table_lines, table_room
from salesplan.templates_build import SECTIONS, sample_items, sample_key_clients, sample_offers, sample_pages

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = (REPO / "templates" / "instrument1.xlsx", REPO / "templates" / "instrument2.xlsx")
A4 = (595.3, 841.9)
LONG_NAME = ("Общество с ограниченной ответственностью «Северо-Западная торгово-монтажная компания "
             "систем видеонаблюдения, контроля доступа и охранно-пожарной сигнализации Щит и Меч» ")
LONG_NAME = (LONG_NAME * 2)[:200]


def cut_to(tables: dict[str, list], capacity: float, rows_of: dict | None = None) -> dict[str, list]:
    """Records taken in turn from each table while the rows they take stay within ``capacity`` (an
    empty table still takes one row: its empty-state line). ``rows_of``: per table, the rows one
    record takes (:func:`table_lines`; 1 each by default)."""
    rows_of = rows_of or {}
    taken = {name: 0 for name in tables}

    def used() -> float:
        return sum(max(1.0, sum(rows_of.get(name, lambda r: 1.0)(r) for r in tables[name][:n]))
                   for name, n in taken.items())

    grew = True
    while grew:
        grew = False
        for name, rows in tables.items():
            if taken[name] < len(rows):
                taken[name] += 1
                if used() > capacity + 1e-9:
                    taken[name] -= 1
                else:
                    grew = True
    return {name: rows[:taken[name]] for name, rows in tables.items()}


def fill2(tables: dict[str, list], extra: int = 0) -> dict[str, list]:
    """Instrument #2's records taken in turn from each section while the page holds them, measured
    as the program measures them (wrapped texts make a record taller; every section keeps a line for
    its empty state or its first item, and a blank yellow line); then ``extra`` records more."""
    room = table_room(TEMPLATES[1])
    used = sum(room.row[t] + room.row[f"{t}_own"] for t in tables)
    taken: dict[str, list] = {t: [] for t in tables}
    open_ = [t for t in tables if tables[t]]
    while open_:
        for t in list(open_):
            record = tables[t][len(taken[t])]
            need = room.height(t, record) - (0 if taken[t] else room.row[t])
            if used + need > room.available:
                open_.remove(t)
                continue
            used += need
            taken[t].append(record)
            if len(taken[t]) == len(tables[t]):
                open_.remove(t)
    first = next(iter(tables))
    taken[first] += [dict(taken[first][0]) for _ in range(extra)]
    return {**taken, **{f"{t}_own": [{"section": t}] for t in tables}}


#: Instrument #1's text wraps: the rows each record takes on its page.
ROWS1 = {table: table_lines(TEMPLATES[0], table) for table in ("offers", "key_clients")}


def scenario(name: str) -> tuple:
    """The two pages of one test manager."""
    capacity1 = page_capacity(TEMPLATES[0])
    page1, page2 = sample_pages(f"Тестов {name.capitalize()}")
    page1.fields["existing_clients_plan"] = 1234567
    if name == "full":
        page1.tables = cut_to({"offers": sample_offers(capacity1), "key_clients": sample_key_clients(8)},
                              capacity1, ROWS1)
        page2.tables = fill2({t: sample_items(t, 12) for t, _ in SECTIONS})
    elif name == "many":  # 300 records each, cut to the page's capacity
        page1.tables = cut_to({"offers": sample_offers(300), "key_clients": sample_key_clients(300)}, capacity1,
                              ROWS1)
        page2.tables = fill2({t: sample_items(t, 300) for t, _ in SECTIONS})
    elif name == "empty":
        page1.tables = {"offers": [], "key_clients": []}
        page2.tables = {t: [] for t, _ in SECTIONS}
    elif name == "long":
        offers, keys = sample_offers(capacity1), sample_key_clients(8)
        for record in offers + keys:
            record["client"] = LONG_NAME
        page1.tables = cut_to({"offers": offers, "key_clients": keys}, capacity1, ROWS1)
        items = {t: sample_items(t, 12) for t, _ in SECTIONS}
        for rows in items.values():
            for record in rows:
                record["item"] = record["clients"] = LONG_NAME
        page2.tables = fill2(items)
    elif name == "over":  # three rows more than the capacity: must shrink, still one page
        page1.tables = cut_to({"offers": sample_offers(capacity1 + 3), "key_clients": sample_key_clients(8)},
                              capacity1 + 3, ROWS1)
        page2.tables = fill2({t: sample_items(t, 12) for t, _ in SECTIONS}, extra=3)
    return page1, page2


SCENARIOS = ("full", "many", "empty", "long", "over")


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Every scenario's workbook printed with one LibreOffice run: name -> (pages, pdf)."""
    folder = tmp_path_factory.mktemp("printed")
    books, pages = [], {}
    for name in SCENARIOS:
        page1, page2 = scenario(name)
        book = folder / f"{name}.xlsx"
        render_book([(TEMPLATES[0], [page1]), (TEMPLATES[1], [page2])], book)
        books.append(book)
        pages[name] = (page1, page2)
    pdfs = workbooks_to_pdf(books, folder / "pdf")
    return {name: (pages[name], pdf) for name, pdf in zip(SCENARIOS, pdfs)}


def text_of(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    # LibreOffice groups digits with a no-break space (or a narrow one): read them as plain spaces
    return out.decode().replace("\u00a0", " ").replace("\u202f", " ")


def title_widths(pdf: Path) -> list[float]:
    """Printed width of the word ИНСТРУМЕНТ in the title band of each page: it shrinks with the page."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return [float(b) - float(a) for a, b in
            re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">ИНСТРУМЕНТ</word>', out)]


def is_a4(size: tuple[float, float]) -> bool:
    return abs(size[0] - A4[0]) <= 1 and abs(size[1] - A4[1]) <= 1


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)  # pdftotext reads the text back
@pytest.mark.parametrize("name", SCENARIOS)
def test_each_instrument_prints_on_exactly_one_a4_page(printed, name):
    (page1, page2), pdf = printed[name]
    sizes = page_info(pdf)
    assert len(sizes) == 2 and all(is_a4(s) for s in sizes), sizes
    text = text_of(pdf)
    pages = text.split("\f")
    assert "ИНСТРУМЕНТ №1" in pages[0] and "ИНСТРУМЕНТ №2" in pages[1]
    manager = page1.fields["manager"]
    assert all(manager in p and "ООО «ТехноСфера»" in p for p in pages[:2])
    assert "1 234 567 ₽" in pages[0]  # the 3A figure, formatted the Russian way
    assert "2 050 000 ₽" in pages[0]


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)  # pdftotext reads the text back
@pytest.mark.parametrize("name", ["full", "many", "long"])
def test_a_page_at_capacity_prints_at_full_size(printed, name):
    """page_capacity rows fit at 100 %: the title is as wide as on a page with no records."""
    _, pdf = printed[name]
    _, empty = printed["empty"]
    assert title_widths(pdf) == pytest.approx(title_widths(empty), abs=0.05)


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)  # pdftotext reads the text back
def test_capacity_is_close_to_what_really_fits(printed):
    """Three rows beyond the capacity the page has to shrink: the capacity wastes little of it."""
    _, pdf = printed["over"]
    _, empty = printed["empty"]
    assert all(w < full - 0.3 for w, full in zip(title_widths(pdf), title_widths(empty)))
    assert all(is_a4(s) for s in page_info(pdf)) and len(page_info(pdf)) == 2


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)  # pdftotext reads the text back
def test_records_are_on_the_page_and_empty_tables_say_so(printed):
    (page1, page2), pdf = printed["full"]
    text = text_of(pdf)
    last_offer = page1.tables["offers"][-1]
    assert f"{last_offer['volume']:,} ₽".replace(",", " ") in text
    assert "Клиент может позвонить сам" in text  # the line below both tables
    (_, _), empty = printed["empty"]
    text = text_of(empty)
    for line in ("Нет клиентов, которым можно предложить новую категорию", "Нет ключевых клиентов",
                 "Новинок в этом месяце нет", "Действующих акций нет", "Распродажи нет"):
        assert line in text


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)  # pdftotext reads the text back
def test_long_names_are_printed_whole_on_both_sheets(printed):
    (_, page2), pdf = printed["long"]
    first, second = text_of(pdf).split("\f")[:2]
    # Instrument #1 wraps it: every word is printed, nothing cut
    assert "Щит и Меч" in first and "…" not in first
    # №2: nothing a manager needs is cut: the whole name, wrapped, in every record that fits
    assert "…" not in second and second.count("Щит и") >= 2 * sum(len(page2.tables[t]) for t, _ in SECTIONS)


@pytest.mark.slow
@pytest.mark.libreoffice
def test_page_info_reads_the_pdf_without_pdfinfo_too(printed, monkeypatch):
    _, pdf = printed["full"]
    with_pdfinfo = page_info(pdf)
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    without = page_info(pdf)
    assert len(without) == len(with_pdfinfo)
    assert [x for size in without for x in size] == pytest.approx([x for size in with_pdfinfo for x in size],
                                                                  abs=0.01)


@pytest.mark.slow
@pytest.mark.libreoffice
def test_one_workbook_and_parallel_runs(tmp_path):
    books = []
    for name in ("Первый", "Второй"):
        page1, page2 = sample_pages(name)
        book = tmp_path / f"{name}.xlsx"
        render_book([(TEMPLATES[0], [page1]), (TEMPLATES[1], [page2])], book)
        books.append(book)
    errors: list[BaseException] = []

    def convert(book: Path) -> None:
        try:
            workbook_to_pdf(book, tmp_path / "out" / f"{book.stem}.pdf")
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    started = time.monotonic()
    threads = [threading.Thread(target=convert, args=(b,)) for b in books]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert time.monotonic() - started < 120
    for book in books:
        sizes = page_info(tmp_path / "out" / f"{book.stem}.pdf")
        assert len(sizes) == 2 and all(is_a4(s) for s in sizes)


# --- without LibreOffice --------------------------------------------------------------------------

def test_missing_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("SALESPLAN_SOFFICE", raising=False)
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf_module.sys, "platform", "linux")
    with pytest.raises(ToolMissingError) as err:
        soffice_path()
    assert err.value.key == "err.no_libreoffice"


def test_a_missing_workbook_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        workbook_to_pdf(tmp_path / "nope.xlsx", tmp_path / "nope.pdf")


def test_not_a_pdf_is_unreadable(tmp_path, monkeypatch):
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    monkeypatch.setattr(pdf_module.shutil, "which", lambda name: None)
    with pytest.raises(PdfExportError) as err:
        page_info(bad)
    assert err.value.key == "err.pdf_unreadable"


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="stand-in soffice is a shell script")


def fake_soffice(tmp_path: Path, monkeypatch, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    monkeypatch.setenv("SALESPLAN_SOFFICE", str(script))
    book = tmp_path / "book.xlsx"
    render_book([(TEMPLATES[0], [sample_pages()[0]])], book)
    return book


def alive(pid: int) -> bool:
    """Whether a process runs (a killed one nobody has reaped yet is a zombie: not running)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.joinpath("self").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow  # waits out its timeout
@posix_only
def test_a_hanging_libreoffice_is_stopped(tmp_path, monkeypatch):
    pids = tmp_path / "pids"
    book = fake_soffice(tmp_path, monkeypatch, f"echo $$ > {pids}; sleep 60 & echo $! >> {pids}; wait")
    started = time.monotonic()
    with pytest.raises(PdfExportError) as err:
        workbook_to_pdf(book, tmp_path / "out.pdf", timeout=1)
    assert err.value.key == "err.pdf_timeout"
    assert time.monotonic() - started < 15
    time.sleep(0.2)
    assert not [pid for pid in map(int, pids.read_text().split()) if alive(pid)]  # the launcher and its child
    assert not (tmp_path / "out.pdf").exists()


@posix_only
def test_a_failing_libreoffice_says_why(tmp_path, monkeypatch):
    book = fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded'; exit 1")
    with pytest.raises(PdfExportError) as err:
        workbook_to_pdf(book, tmp_path / "out.pdf")
    assert err.value.key == "err.pdf_failed"
    assert "could not be loaded" in err.value.fields["detail"]


@posix_only
def test_libreoffice_that_writes_nothing_is_a_failure(tmp_path, monkeypatch):
    book = fake_soffice(tmp_path, monkeypatch, "exit 0")
    with pytest.raises(PdfExportError) as err:
        workbooks_to_pdf([book], tmp_path / "out")
    assert err.value.key == "err.pdf_failed"
