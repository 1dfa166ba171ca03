"""A month's result -> tabs: the one render path of the command line, the Excel buttons and the demo.

:func:`render` writes every tab the program owns into a new workbook: the plan tabs (XlsxWriter),
then each manager's Instrument #1, then each manager's Instrument #2 (filled from the templates with
openpyxl). The caller puts them into the user's workbook: the command line splices them into the file
(:func:`salesplan.outputs.workbook.save_with_tabs`), a button has Excel copy them in.

The set of tabs the program owns is declared here once (:data:`PLAN_TABS`, :func:`owned_sheets`).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..beside import Beside
from ..errors import Problem
from ..ooxml.marks import owns
from ..ooxml.splice import replace_sheets
from ..ooxml.worksheet import Block, insert_blocks
from ..scratch import scratch_folder
from ..texts import names, t
from . import dashboard, instruments, lists
from .tabs import Formats, new_book, write_calls_tab, write_open_orders_tab, write_plan_tab, write_problems_tab
from .templates import Page, render_sheets, unique_sheet_name

#: The plan tabs, by text key, in their order in the workbook; the A4 sheets follow them.
PLAN_TABS = ("sheet.plan", "sheet.calls", "sheet.open_orders", "sheet.long_list", "sheet.short_list",
             "sheet.list_summary", "sheet.list_archive", "sheet.notes_archive", "sheet.dashboard", "sheet.problems")

#: The program's tabs a monthly build leaves as they are: each has its own command (the Method
#: check: ``salesplan backtest``), which alone replaces it.
KEPT_TABS = ("sheet.method_check",)

#: Plan tabs whose content a build reads back (what managers typed there is carried into the new
#: tab), found by name like every input tab: the tab of that name is the program's, marked or not.
READ_BACK_TABS = ("sheet.calls", "sheet.open_orders", "sheet.long_list", "sheet.short_list",
                  "sheet.list_archive", "sheet.notes_archive")


def program_tabs(sheet_names: Iterable[str] = (), marks: Mapping[str, str] | None = None) -> dict[str, str]:
    """The tabs of a workbook (``sheet_names``) that are the program's: tab name -> the name the
    program wrote it under.

    ``marks``: sheet name -> the name the program wrote it under (:func:`salesplan.ooxml.peek.sheet_marks`).
    A marked tab is the program's when it has that name, or when the user renamed it (no other tab
    has or records that name): it is still the manager's №2, the Plan he moved. A copy of a program
    tab (Excel's «Панель (2)», beside «Панель») is the user's snapshot. The tabs a build reads back
    (:data:`READ_BACK_TABS`) are found by name like every input tab. A workbook without any mark was
    planned by a version that did not mark its tabs, or never planned: when it has both the Plan and
    the Problems tab it is taken as planned, its tabs recognised by name; otherwise none is the
    program's.
    """
    sheet_names = list(sheet_names)
    read_back = {n.casefold() for k in READ_BACK_TABS for n in names(k)}
    found = {n: n for n in sheet_names if n.strip().casefold() in read_back}
    if marks:
        present = {n.casefold() for n in sheet_names}
        carriers = Counter(recorded.casefold() for n, recorded in marks.items() if n in sheet_names)
        for n in sheet_names:
            recorded = marks.get(n)
            if recorded is None or n in found:
                continue
            renamed = carriers[recorded.casefold()] == 1 and recorded.casefold() not in present
            if owns(n, recorded) or renamed:
                found[n] = recorded
        return found
    folded = {n.strip().casefold() for n in sheet_names}
    planned_before = all(any(n.casefold() in folded for n in names(k)) for k in ("sheet.plan", "sheet.problems"))
    if planned_before:
        by_name = {n.casefold() for k in PLAN_TABS for n in names(k)}
        found |= {n: n for n in sheet_names
                  if n.strip().casefold() in by_name or instruments.is_instrument_sheet(n)}
    return found


def owned_sheets(sheet_names: Iterable[str] = (), marks: Mapping[str, str] | None = None) -> set[str]:
    """The tabs of a workbook that a build replaces (see :func:`program_tabs`)."""
    return set(program_tabs(sheet_names, marks))


def instrument_tabs(sheet_names: Iterable[str], marks: Mapping[str, str] | None = None) -> dict[str, str]:
    """The program's №1/№2 sheets of a workbook, in its order, whatever the user renamed them:
    tab name -> the name the program wrote it under (``№1 Иванов П.``)."""
    return {n: written for n, written in program_tabs(sheet_names, marks).items()
            if instruments.is_instrument_sheet(written)}


@dataclass(frozen=True)
class TabPlacement:
    """Where a build puts its tabs in a workbook.

    owned: the workbook's tabs the build replaces (:func:`owned_sheets`).
    renamed: a program tab's own name -> the name it is written under, because a tab of the user's
        has its name (``План`` -> ``План (2)``).
    """

    owned: frozenset[str] = frozenset()
    renamed: Mapping[str, str] = field(default_factory=dict)


def place_tabs(result: Any, sheet_names: Sequence[str], marks: Mapping[str, str] | None = None,
               only_instruments: bool = False) -> tuple[Any, TabPlacement]:
    """The tabs ``result`` will replace in a workbook of ``sheet_names``, and the new names of those
    whose name a user's tab has; ``result`` comes back with a note on its Problems for each such tab.
    ``only_instruments``: the A4 sheets alone are put in (the button «Листы А4»)."""
    placement, notes = tab_placement(result.instrument2, result.managers, result.lang, sheet_names, marks,
                                     only_instruments)
    if notes:
        result = replace(result, problems=(*result.problems, *notes))
    return result, placement


def tab_placement(instrument2: Mapping[str, Any], managers: Sequence[str], lang: str, sheet_names: Sequence[str],
                  marks: Mapping[str, str] | None = None, only_instruments: bool = False
                  ) -> tuple[TabPlacement, list[Problem]]:
    """:func:`place_tabs` from what it reads of a result: its Instrument #2 content, managers and
    language; the notes for the Problems tab come back beside the placement."""
    owned = set(instrument_tabs(sheet_names, marks) if only_instruments else owned_sheets(sheet_names, marks))
    # A №2 sheet a manager renamed is rebuilt under its new name, in its place (found by its content
    # in a workbook without marks: see salesplan.inputs.instrument2).
    owned |= {inst.sheet for inst in instrument2.values()
              if getattr(inst, "sheet", "") and inst.sheet in sheet_names}
    kept_tabs = {n.casefold() for k in KEPT_TABS for n in names(k)}
    owned = {n for n in owned if (marks or {}).get(n, n).strip().casefold() not in kept_tabs}
    kept = [n for n in sheet_names if n not in owned]
    kept_by_key = {n.casefold(): n for n in kept}
    wanted = [] if only_instruments else [t(k, lang) for k in PLAN_TABS]
    wanted += [name for number in (1, 2)
               for name in instruments.sheet_names(list(managers), number, lang).values()]
    taken = set(kept_by_key) | {n.casefold() for n in wanted}
    renamed: dict[str, str] = {}
    notes = []
    for name in wanted:
        if name.casefold() in kept_by_key:
            new = unique_sheet_name(name, taken)
            taken.add(new.casefold())
            renamed[name] = new
            user_tab = kept_by_key[name.casefold()]
            notes.append(Problem(user_tab, None, "", user_tab, "prob.tab_kept", {"tab": user_tab, "new": new}))
    return TabPlacement(frozenset(owned), renamed), notes


@dataclass
class EarlyInstrument2:
    """Instrument #2's A4 sheets made as soon as their content is known, in the process that worked
    it out (:func:`salesplan.monthly.plan`), while Instrument #1's content is still being worked
    out; :func:`render` then takes them instead of making them again.

    template: the Instrument #2 template; book: where the sheets are saved; sheet_names, marks: the
    workbook's tabs and marks, for the sheets' names (:func:`tab_placement`). ``made`` is set by the
    plan: (the renamed tabs the sheets were named by, the sheets' names), or None if they were not
    made (the render then makes them as usual, and says why if it cannot).
    """

    template: Path
    book: Path
    sheet_names: Sequence[str] = ()
    marks: Mapping[str, str] | None = None
    made: tuple[dict[str, str], list[str]] | None = None

    def make(self, content2: Mapping[str, Any], plan: Any, lang: str) -> tuple[dict[str, str], list[str]] | None:
        """The sheets of ``content2``, saved to :attr:`book`; None if that failed."""
        try:
            placement, _ = tab_placement(content2, list(plan.summary["manager"]), lang, self.sheet_names, self.marks)
            pages = _instrument2_pages(content2, plan, lang)
            tabs = render_sheets(self.template, [_titled(p, placement.renamed) for p in pages], self.book)
        except Exception:  # noqa: BLE001 - made again by the render, which reports what is wrong
            return None
        return dict(placement.renamed), tabs


def render_plan_tabs(path: Path, result: Any, rows_later: list[Block] | None = None,
                     renamed: Mapping[str, str] | None = None) -> list[str]:
    """Write the plan tabs of ``result`` (a :class:`~salesplan.result.MonthResult`) into a new
    workbook at ``path``; returns the tab names in order.

    Each writer reads the result alone: their order is only the tabs' order in the workbook.
    ``rows_later``: the tables' body rows are left out of the book and added to this list, for
    :func:`salesplan.ooxml.splice.replace_sheets` to write into the user's workbook.
    ``renamed``: tabs written under another name (:class:`TabPlacement`).
    """
    plan, lang, month = result.plan, result.lang, result.plan.plan_month
    book = new_book(path, renamed)
    fm = Formats(book)
    limits = (plan.params["long_list_min"], plan.params["long_list_max"])
    plan_3b = dict(zip(plan.summary["manager"], plan.summary["new_clients_plan"]))
    write_plan_tab(book, fm, plan, lang, result.built, result.skipped, result.warnings, result.lists.long.entries,
                   result.instrument1)
    write_calls_tab(book, fm, plan, lang, result.progress, result.notes)
    write_open_orders_tab(book, fm, plan, lang, result.notes)
    lists.write_long_list_tab(book, fm, result.lists.long, month, lang, plan_3b, limits)
    lists.write_short_list_tab(book, fm, result.lists.short, month, lang, plan_3b, list(plan.summary["manager"]))
    lists.write_summary_tab(book, fm, result.lists.long, result.lists.left, month, lang, plan.params["long_list_min"])
    lists.write_archive_tab(book, fm, result.lists.archive, lang)
    lists.write_notes_archive_tab(book, fm, result.notes.archive, lang)
    dashboard.write_dashboard_tab(book, fm, plan, result.progress, lang, result.built)
    write_problems_tab(book, fm, list(result.problems), result.rows_read, lang, result.sales_sheet or None)
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
    return _instrument2_pages(result.instrument2, result.plan, result.lang)


def _instrument2_pages(content2: Mapping[str, Any], plan: Any, lang: str) -> list[Page]:
    summary = plan.summary
    return instruments.instrument2_pages(content2, plan.plan_month, plan.params.get("company", ""), lang,
                                         frozenset(summary.loc[summary["target"].isna(), "manager"]))


def render(result: Any, templates: tuple[Path, Path], out: Path, *,
           rows_later: list[Block] | None = None, renamed: Mapping[str, str] | None = None,
           early: EarlyInstrument2 | None = None) -> list[str]:
    """Every tab of ``result`` into a new workbook at ``out``: the plan tabs, then every manager's
    Instrument #1, then every Instrument #2. Returns the tab names in that order.

    ``templates``: the Instrument #1 and #2 templates (:func:`salesplan.monthly.template_paths`).
    ``rows_later``: as :func:`render_plan_tabs` (the command line's splice writes those rows).
    ``renamed``: tabs written under another name, as :func:`place_tabs` decided.
    ``early``: Instrument #2's sheets, if the plan made them already under the same names.
    Every tab carries the program's mark (:mod:`salesplan.ooxml.marks`).
    """
    renamed = dict(renamed or {})
    with scratch_folder("render") as folder:
        plan_book, both = folder / "plan.xlsx", folder / "instruments.xlsx"
        books = (folder / "instrument1.xlsx", folder / "instrument2.xlsx")
        pages = (lambda r: instrument1_pages(r, templates[0]), instrument2_pages)

        def instrument(number: int) -> Any:
            return lambda: render_sheets(templates[number], [_titled(p, renamed) for p in pages[number](result)],
                                         books[number])

        # Instrument #2's sheets made by the plan are taken when named as they are named here.
        made: tuple[dict[str, str], list[str]] | None = None
        if early is not None and early.made is not None and early.made[0] == renamed:
            made, books = early.made, (books[0], early.book)
        # The A4 sheets are filled beside the plan tabs, each in its own process where the platform
        # forks (see salesplan.beside): three pieces share the two cores of a small machine.
        with contextlib.ExitStack() as stack:
            first = stack.enter_context(Beside(instrument(0)))
            second = stack.enter_context(Beside(instrument(1))) if made is None else None
            written = render_plan_tabs(plan_book, result, rows_later, renamed)
            written += first.result()
            if second is not None:
                written += second.result()
            elif made is not None:
                written += made[1]
        # Scratch files, read back at once: stored, not compressed.
        replace_sheets(*books, both, owned=set(), compresslevel=0)
        replace_sheets(plan_book, both, out, owned=set(), compresslevel=0, mark=True)
    return written


def _titled(page: Page, renamed: Mapping[str, str]) -> Page:
    return replace(page, title=renamed.get(page.title, page.title))


def file_names(managers: list[str], month: str) -> dict[str, str]:
    """A file name per manager, unique in a folder even where Windows or macOS ignore case and two
    names differ only in characters a file name cannot hold («Иванов Пётр», «Иванов Пётр?»)."""
    from .printing import unique_names

    return dict(zip(managers, unique_names([f"{instruments.file_name(m)} {month}" for m in managers])))
