"""Print what the workbook shows: each manager's №1 and №2 sheets, as they are in the workbook.

Nothing is planned again: the sheets are printed with whatever a manager typed or changed on them.
The command line (``salesplan pdf``) copies each manager's two sheets into a small workbook of their
own (:func:`salesplan.ooxml.splice.extract_sheets`) and has LibreOffice print it; the Excel button
has Excel print them itself (:meth:`salesplan.excel.Session.export_pdf`). Both find the sheets and
pair them here (:func:`print_jobs`).

A sheet is the program's №1 or №2 by its mark (:func:`salesplan.outputs.render.instrument_tabs`,
the tab names of a workbook planned before marks); which instrument it is, by the name the program
wrote it under (``№1 …``/``#1 …``). A manager's two sheets are paired by the manager named in
the sheet's heading (``Иванов Пётр · сентябрь 2026``) and else by what follows the number in the
tab names (``№1 Иванов П.`` and ``№2 Иванов П.``)::

    tabs                                   print jobs (one PDF each)
    №1 Иванов П.   «Иванов Пётр · …»       Иванов Пётр 2026-09.pdf: №1 Иванов П., №2 Иванов П.
    №1 Петров      (heading restyled)      Петров.pdf:              №1 Петров, №2 Петров
    №2 Иванов П.   «Иванов Пётр · …»
    №2 Петров      (heading restyled)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, PackageError, PdfExportError
from ..inputs.rows import SheetRows
from ..months import MONTHS_EN, MONTHS_RU, month_label
from .instruments import file_name, is_instrument_sheet

#: The instrument a tab is by its name: ``№1 Иванов П.`` -> 1, ``Иванов П.``.
_NUMBERED = re.compile(r"^\s*(?:№|#)\s*([12])\s*(.*)$")
#: A sheet's heading: ``Иванов Пётр · сентябрь 2026``.
_HEADING = re.compile(r"^\s*(?P<manager>\S.*?)\s+·\s+(?P<month>[^\W\d_]+)\s+(?P<year>\d{4})\s*$")
#: Rows of a sheet searched for its heading.
HEADING_ROWS = 8
_MONTHS = {name.casefold(): i for names in (MONTHS_RU, MONTHS_EN) for i, name in enumerate(names)}


@dataclass(frozen=True)
class PrintJob:
    """One manager's PDF.

    Attributes:
        manager: the manager as the sheets' heading names him, else the tab name after the number.
        month: the month of the heading as ``2026-09``, or ``""`` when no heading says.
        sheets: the tabs to print, №1 first; one tab when its pair is missing.
        file_name: the PDF's name without ``.pdf``, unique among the jobs (see :func:`unique_names`).
    """
    manager: str
    month: str
    sheets: tuple[str, ...]
    file_name: str = ""

    @property
    def alone(self) -> bool:
        """Only one of the manager's two sheets was found."""
        return len(self.sheets) == 1

    @property
    def missing(self) -> str:
        """The instrument missing from a job printed alone, as its tabs begin: ``№2``, ``#1``; else ``""``."""
        if not self.alone:
            return ""
        sign = "#" if self.sheets[0].lstrip().startswith("#") else "№"
        return f"{sign}{3 - (instrument_number(self.sheets[0]) or 1)}"


def instrument_number(sheet: str) -> int | None:
    """1 or 2 for an instrument tab (``№1 Иванов П.``, ``#2 Smith J.``), else None."""
    if not is_instrument_sheet(sheet):
        return None
    m = _NUMBERED.match(sheet)
    return int(m.group(1)) if m else None


def sheet_heading(rows: SheetRows) -> tuple[str, str] | None:
    """The manager and the month (``2026-09``) the sheet's heading names, or None.

    The heading is the first text cell of the top :data:`HEADING_ROWS` rows that reads
    ``<manager> · <month name> <year>``, as the templates write it (``{{ manager }} · {{ month }}``).
    """
    for row in rows.head(HEADING_ROWS):
        for value in row:
            if not isinstance(value, str):
                continue
            m = _HEADING.match(value)
            if m and m.group("month").casefold() in _MONTHS:
                number = int(m.group("year")) * 12 + _MONTHS[m.group("month").casefold()]
                return m.group("manager").strip(), month_label(number)
    return None


def print_jobs(sheets: Mapping[str, SheetRows], written: Mapping[str, str] | None = None) -> list[PrintJob]:
    """Pair the instrument sheets (tab name -> cells, in the workbook's order) into print jobs.

    ``written``: tab name -> the name the program wrote it under (a tab the manager renamed is
    still his №2: :func:`salesplan.outputs.render.instrument_tabs`); by default the tab's own name.

    A №1 and a №2 pair when their headings name the same manager (a name that heads more than one
    sheet of the same number is no one's in particular and is not used), else when their tab names
    agree after the number. A sheet left without a pair is printed alone. The jobs follow the
    workbook's order of their first sheet and have unique file names.
    """
    written = written or {}
    tabs = [(name, instrument_number(written.get(name, name))) for name in sheets]
    tabs = [(name, number) for name, number in tabs if number is not None]
    headings = {name: sheet_heading(sheets[name]) for name, _ in tabs}
    counts: dict[tuple[int, str], int] = {}
    for name, number in tabs:
        if (heading := headings[name]) is not None:
            counts[number, heading[0].casefold()] = counts.get((number, heading[0].casefold()), 0) + 1

    def by_heading(name: str, number: int) -> str | None:
        heading = headings[name]
        if heading is None or counts[number, heading[0].casefold()] > 1:
            return None
        return heading[0].casefold()

    def by_tab(name: str) -> str:
        m = _NUMBERED.match(written.get(name, name))
        return (m.group(2) if m else name).strip().casefold()

    firsts = [name for name, number in tabs if number == 1]
    seconds = [name for name, number in tabs if number == 2]
    partner: dict[str, str] = {}
    for same in (lambda name, number: by_heading(name, number), lambda name, number: by_tab(name)):
        free = {}
        for name in seconds:
            if name not in partner.values() and (k := same(name, 2)) is not None:
                free.setdefault(k, name)
        for name in firsts:
            if name not in partner and (k := same(name, 1)) is not None and k in free:
                partner[name] = free.pop(k)
    paired = set(partner.values())
    order = {name: i for i, (name, _) in enumerate(tabs)}
    groups = [(name, partner[name]) if name in partner else (name,) for name in firsts]
    groups += [(name,) for name in seconds if name not in paired]
    groups.sort(key=lambda group: order[group[0]])
    jobs = []
    for group in groups:
        heading = next((headings[name] for name in group if headings[name] is not None), None)
        if heading is None:
            m = _NUMBERED.match(group[0])
            manager = (m.group(2) if m else group[0]).strip() or group[0]
            heading = (manager, "")
        jobs.append(PrintJob(heading[0], heading[1], group))
    names = unique_names([" ".join(filter(None, (file_name(job.manager), job.month))) for job in jobs])
    return [PrintJob(job.manager, job.month, job.sheets, name) for job, name in zip(jobs, names)]


def unique_names(bases: Sequence[str]) -> list[str]:
    """File names from ``bases``, unique in a folder even where Windows or macOS ignore case:
    a repeated name gets `` (2)``, `` (3)``…"""
    out: list[str] = []
    taken: set[str] = set()
    for base in bases:
        name, n = base, 2
        while name.casefold() in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(name.casefold())
        out.append(name)
    return out


def no_instrument_sheets(workbook: Path) -> InputError:
    """The message for a workbook without a №1/№2 sheet: plan first."""
    return InputError("err.no_instrument_sheets", path=str(workbook), name=Path(workbook).name)


def print_workbook(workbook: Path, out_dir: Path) -> list[tuple[PrintJob, Path]]:
    """``salesplan pdf``: every manager's №1 and №2 sheets of ``workbook``, as they are, printed by
    LibreOffice into ``out_dir/<manager> <month>.pdf`` (№1 on the first page, №2 on the second).

    Only the visible tabs are printed (a hidden sheet is not what anyone sees). ``out_dir`` is made
    only when there is something to print.

    Raises:
        InputError: ``err.no_instrument_sheets`` when the workbook has no №1/№2 tab (nothing is
            written); ``err.not_workbook`` when it cannot be read as an .xlsx/.xlsm package.
        ToolMissingError, PdfExportError: see :mod:`salesplan.outputs.pdf`.
    """
    from ..inputs.rows import WorkbookSource
    from ..inputs.sniff import check_workbook_file
    from ..ooxml.package import Package
    from ..ooxml.splice import extract_sheets
    from ..ooxml.workbook import parse_workbook
    from ..scratch import scratch_folder
    from .pdf import workbooks_to_pdf

    workbook = Path(workbook)
    check_workbook_file(workbook)
    from ..ooxml.peek import sheet_marks
    from .render import instrument_tabs

    try:
        with Package(workbook, "original") as pkg:
            visible = [s.name for s in parse_workbook(pkg).sheets if s.state == "visible"]
        written = instrument_tabs(visible, sheet_marks(workbook))
        tabs = list(written)
    except PackageError as exc:
        raise InputError("err.not_workbook", path=str(workbook), detail=str(exc)) from None
    if not tabs:
        raise no_instrument_sheets(workbook)
    with scratch_folder("pdf") as scratch:
        # The big workbook is read once: its instrument sheets go into one small copy, and each
        # manager's pair is taken from that.
        every = scratch / "instruments.xlsx"
        try:
            extract_sheets(workbook, every, tabs)
        except PackageError as exc:
            raise InputError("err.not_workbook", path=str(workbook), detail=str(exc)) from None
        source = WorkbookSource(every)
        jobs = print_jobs({name: source.rows(name) for name in tabs}, written)
        books = []
        for job in jobs:  # the file names are unique: each PDF is named after its book
            book = scratch / f"{job.file_name}.xlsx"
            extract_sheets(every, book, job.sheets)
            books.append(book)
        try:
            Path(out_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PdfExportError("err.pdf_failed", path=str(out_dir), detail=exc.strerror or str(exc)) from None
        return list(zip(jobs, workbooks_to_pdf(books, Path(out_dir))))
