"""A month's result -> tabs: the one render path of the command line, the Excel buttons and the demo.

:func:`render` writes every tab the program owns into a new workbook: the plan tabs (XlsxWriter),
then each manager's Instrument #1, then each manager's Instrument #2 (filled from the templates with
openpyxl). The caller puts them into the user's workbook: the command line splices them into the file
(:func:`salesplan.outputs.workbook.save_with_tabs`), a button has Excel copy them in.

The set of tabs the program owns is declared here once (:data:`PLAN_TABS`, :func:`owned_sheets`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..beside import Beside
from ..months import month_label
from ..ooxml.splice import replace_sheets
from ..ooxml.worksheet import Block, insert_blocks
from ..scratch import scratch_folder
from ..texts import names
from . import dashboard, instruments, lists
from .tabs import Formats, new_book, write_calls_tab, write_open_orders_tab, write_plan_tab, write_problems_tab
from .templates import Page, render_sheets

#: The plan tabs, by text key, in their order in the workbook. A build replaces each of them under
#: either language's name; the A4 sheets follow them (see :func:`owned_sheets`).
PLAN_TABS = ("sheet.plan", "sheet.calls", "sheet.open_orders", "sheet.long_list", "sheet.short_list",
             "sheet.list_summary", "sheet.list_archive", "sheet.notes_archive", "sheet.dashboard", "sheet.problems")


def owned_sheets(sheet_names: Iterable[str] = ()) -> set[str]:
    """The tabs a build replaces: every plan tab's name in both languages, and those of
    ``sheet_names`` (the workbook's tabs) that are A4 sheets (``№1 …``, ``#2 …``)."""
    return ({n for key in PLAN_TABS for n in names(key)}
            | {n for n in sheet_names if instruments.is_instrument_sheet(n)})


def render_plan_tabs(path: Path, result: Any, rows_later: list[Block] | None = None) -> list[str]:
    """Write the plan tabs of ``result`` (a :class:`~salesplan.result.MonthResult`) into a new
    workbook at ``path``; returns the tab names in order.

    Each writer reads the result alone: their order is only the tabs' order in the workbook.
    ``rows_later``: the tables' body rows are left out of the book and added to this list, for
    :func:`salesplan.ooxml.splice.replace_sheets` to write into the user's workbook.
    """
    plan, lang, month = result.plan, result.lang, result.plan.plan_month
    book = new_book(path)
    fm = Formats(book)
    write_plan_tab(book, fm, plan, lang, result.built, result.skipped, result.instrument1)
    write_calls_tab(book, fm, plan, lang, result.progress, result.notes)
    write_open_orders_tab(book, fm, plan, lang, result.notes)
    lists.write_long_list_tab(book, fm, result.lists.long, month, lang)
    lists.write_short_list_tab(book, fm, result.lists.short, month, lang)
    lists.write_summary_tab(book, fm, result.lists.long, result.lists.left, month, lang, plan.params["long_list_min"])
    lists.write_archive_tab(book, fm, result.lists.archive, lang)
    lists.write_notes_archive_tab(book, fm, result.notes.archive, lang)
    dashboard.write_dashboard_tab(book, fm, plan, result.progress, lang, result.built)
    write_problems_tab(book, fm, list(result.problems), result.rows_read, lang)
    written = [ws.get_name() for ws in book.worksheets()]
    book.close()
    if rows_later is None:
        insert_blocks(path, fm.blocks)
    else:
        rows_later.extend(fm.blocks)
    return written


def instrument1_pages(result: Any, template: Path | None = None) -> list[Page]:
    """Instrument #1 of every manager, as pages for its template."""
    params = result.params
    return instruments.instrument1_pages(result.instrument1, result.plan.summary, result.plan.plan_month,
                                         params.get("company", ""), params["offer_multiplier"], result.lang,
                                         params["minimal_share"], template)


def instrument2_pages(result: Any) -> list[Page]:
    """Instrument #2 of every manager, as pages for its template."""
    return instruments.instrument2_pages(result.instrument2, result.plan.plan_month,
                                         result.params.get("company", ""), result.lang)


def render(result: Any, templates: tuple[Path, Path], out: Path, *,
           rows_later: list[Block] | None = None) -> list[str]:
    """Every tab of ``result`` into a new workbook at ``out``: the plan tabs, then every manager's
    Instrument #1, then every Instrument #2. Returns the tab names in that order.

    ``templates``: the Instrument #1 and #2 templates (:func:`salesplan.monthly.template_paths`).
    ``rows_later``: as :func:`render_plan_tabs` (the command line's splice writes those rows).
    """
    with scratch_folder("render") as folder:
        plan_book, both = folder / "plan.xlsx", folder / "instruments.xlsx"
        books = (folder / "instrument1.xlsx", folder / "instrument2.xlsx")
        pages = (lambda r: instrument1_pages(r, templates[0]), instrument2_pages)

        def instrument(number: int) -> Any:
            return lambda: render_sheets(templates[number], pages[number](result), books[number])

        # The A4 sheets are filled beside the plan tabs, each in its own process where the platform
        # forks (see salesplan.beside): three pieces share the two cores of a small machine.
        with Beside(instrument(0)) as first, Beside(instrument(1)) as second:
            written = render_plan_tabs(plan_book, result, rows_later)
            written += first.result() + second.result()
        # Scratch files, read back at once: stored, not compressed.
        replace_sheets(*books, both, owned=set(), compresslevel=0)
        replace_sheets(plan_book, both, out, owned=set(), compresslevel=0)
    return written


def file_names(managers: list[str], month: str) -> dict[str, str]:
    """A file name per manager, unique in a folder even where Windows or macOS ignore case and two
    names differ only in characters a file name cannot hold («Иванов Пётр», «Иванов Пётр?»)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for manager in managers:
        base = f"{instruments.file_name(manager)} {month}"
        name, n = base, 2
        while name.casefold() in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(name.casefold())
        out[manager] = name
    return out


def print_instruments(result: Any, templates: tuple[Path, Path], out_dir: Path) -> list[Path]:
    """One PDF per manager in ``out_dir``: Instrument #1, then #2, each one A4 page."""
    from .pdf import workbooks_to_pdf

    out_dir.mkdir(parents=True, exist_ok=True)
    names = file_names(result.managers, month_label(result.plan.plan_month))
    with scratch_folder("pdf") as scratch:
        books = []
        for manager, page1, page2 in zip(result.managers, instrument1_pages(result, templates[0]),
                                         instrument2_pages(result)):
            xlsx = Path(scratch) / f"{names[manager]}.xlsx"
            instruments.render_instruments(xlsx, templates, [page1], [page2])
            books.append(xlsx)
        return workbooks_to_pdf(books, out_dir)
