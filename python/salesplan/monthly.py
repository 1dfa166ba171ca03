"""The monthly build: read the workbook, plan the month, write the output tabs.

This is the one sequence behind ``salesplan plan`` and the Excel button; the two differ only in
where rows come from (a file or the live workbook) and where tabs go.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .beside import Beside
from .errors import InputError, Problem, WorkbookWriteError
from .inputs.catalog import empty_catalog, read_catalog
from .inputs.config import Config, apply_overrides, read_config, read_targets_file
from .inputs.ledger import KEPT_ROW_PROBLEMS, read_ledger_deferring_duplicates
from .inputs.lists import read_long_list, read_prospects, read_short_list, read_wishes
from .inputs.rows import SheetRows, WorkbookSource, read_sales_file
from .inputs.sniff import check_workbook_file
from .method.plan import MonthPlan, plan_month, to_json
from .method import instruments as instrument_content
from .method import longlist
from .method.longlist import ListResult
from .outputs import dashboard, instruments, tabs
from .outputs import lists as lists_out
from .ooxml.splice import replace_sheets, start_entry_check
from .outputs.templates import page_capacity, render_sheets
from .outputs.workbook import check_writable, save_with_tabs
from .months import month_label
from .texts import names, t


@dataclass
class Inputs:
    """Everything read from the workbook and the command line, typed, with the problems found."""

    ledger: pd.DataFrame
    config: Config
    problems: list[Problem]
    rows_read: int
    catalog: pd.DataFrame = field(default_factory=empty_catalog)
    sheet_names: list[str] = field(default_factory=list)  # of the workbook the inputs came from
    long_list: pd.DataFrame | None = None     # what the Long list tab holds now (managers' notes)
    short_list: pd.DataFrame | None = None
    archive: pd.DataFrame | None = None
    prospects: pd.DataFrame | None = None
    wishes: pd.DataFrame | None = None
    #: The search for repeated Sales rows, when left for later (``defer_duplicates``), and where in
    #: ``problems`` its findings go (after the other Sales problems).
    duplicates: Callable[[], list[Problem]] | None = None
    duplicates_at: int = 0

    def find_duplicates(self) -> list[Problem]:
        """Run the search for repeated rows that was left for later (once; then [])."""
        search, self.duplicates = self.duplicates, None
        return search() if search is not None else []

    def add_duplicates(self, found: list[Problem]) -> None:
        self.problems[self.duplicates_at:self.duplicates_at] = found

#: The tabs managers write in, read with the inputs: text key -> Inputs field.
LIST_TABS = {"sheet.long_list": "long_list", "sheet.short_list": "short_list", "sheet.list_archive": "archive",
             "sheet.prospects": "prospects", "sheet.wishes": "wishes"}


def read_inputs(sales: SheetRows, config_rows: SheetRows | None, catalog_rows: SheetRows | None = None, *,
                targets_file: Path | None = None, month: str | None = None, settings: list[str] = (),
                lists: dict[str, SheetRows | None] | None = None, defer_duplicates: bool = False) -> Inputs:
    """Parse the Config tab (with command-line overrides), the Sales rows, the Catalog tab and the
    tabs managers write in (``lists``: text key of the tab -> its rows).

    ``defer_duplicates``: leave the search for repeated Sales rows to ``Inputs.find_duplicates``.
    """
    config, problems = read_config(config_rows)
    config = apply_overrides(config, list(settings), month)
    if targets_file is not None:
        config.targets = read_targets_file(targets_file)
    ledger, ledger_problems, duplicates = read_ledger_deferring_duplicates(sales, config.statuses)
    if not defer_duplicates:
        ledger_problems, duplicates = ledger_problems + duplicates(), None
    catalog, catalog_problems = read_catalog(catalog_rows)
    duplicates_at = len(problems) + len(ledger_problems)
    problems = problems + ledger_problems + catalog_problems
    skipped = {p.row for p in ledger_problems if p.key not in KEPT_ROW_PROBLEMS}
    inputs = Inputs(ledger, config, problems, rows_read=len(ledger) + len(skipped), catalog=catalog,
                    duplicates=duplicates, duplicates_at=duplicates_at)
    lists = lists or {}
    inputs.long_list, long_problems = read_long_list(lists.get("sheet.long_list"))
    inputs.archive, _ = read_long_list(lists.get("sheet.list_archive"))
    inputs.short_list = read_short_list(lists.get("sheet.short_list"))
    inputs.prospects, prospect_problems = read_prospects(lists.get("sheet.prospects"))
    inputs.wishes = read_wishes(lists.get("sheet.wishes"))
    inputs.problems += long_problems + prospect_problems
    return inputs


def read_workbook_inputs(workbook: Path, *, sales_file: Path | None = None, targets_file: Path | None = None,
                         month: str | None = None, settings: list[str] = (),
                         sources: dict[Path, WorkbookSource] | None = None,
                         defer_duplicates: bool = False) -> Inputs:
    """Inputs from a workbook file: its Config tab, and its Sales tab unless ``sales_file`` is given.

    ``sources``: files already opened, by path (a head start, see :mod:`salesplan.inputs.early`).
    """
    sources = sources or {}
    check_workbook_file(workbook)
    if sales_file is not None and Path(sales_file).suffix.lower() not in {".csv", ".txt"}:
        check_workbook_file(sales_file)
    source = sources.get(Path(workbook)) or WorkbookSource(workbook)
    config_name = source.find_sheet(names("sheet.config"))
    config_rows = source.rows(config_name) if config_name else None
    if sales_file is not None:
        sales = read_sales_file(sales_file, names("sheet.sales"), sources.get(Path(sales_file)))
    else:
        sales_name = source.find_sheet(names("sheet.sales"))
        if sales_name is None:
            raise InputError("err.no_sheet", path=str(workbook), sheet=" / ".join(names("sheet.sales")),
                             sheets=", ".join(source.sheet_names))
        sales = source.rows(sales_name)
    catalog_name = source.find_sheet(names("sheet.catalog"))
    catalog_rows = source.rows(catalog_name) if catalog_name else None
    lists = {}
    for key in LIST_TABS:
        name = source.find_sheet(names(key))
        lists[key] = source.rows(name) if name else None
    inputs = read_inputs(sales, config_rows, catalog_rows, targets_file=targets_file, month=month,
                         settings=settings, lists=lists, defer_duplicates=defer_duplicates)
    inputs.sheet_names = list(source.sheet_names)
    return inputs


def new_client_lists(inputs: Inputs, plan: MonthPlan) -> tuple[ListResult, pd.DataFrame, pd.DataFrame]:
    """This month's long lists, short list and archive, from last month's and the ledger (3B)."""
    params, lang = inputs.config.params, inputs.config.lang
    lapsed = longlist.lapsed_clients(plan.turnover, plan.owners, plan.plan_month, params["new_after_months"],
                                     params["lookback_months"], params["min_monthly_potential"],
                                     params["min_yearly_potential"])
    result = longlist.build_long_lists(
        inputs.long_list, lapsed, inputs.prospects, plan.turnover, list(plan.summary["manager"]), plan.plan_month,
        params, {"lapsed": t("ll.reason_lapsed", lang), "prospect": t("ll.reason_prospect", lang)},
        archive=inputs.archive)
    short = longlist.short_list(result.entries, inputs.short_list)
    archive = pd.concat([inputs.archive, result.left], ignore_index=True) if len(result.left) else inputs.archive
    archive = archive.drop_duplicates(subset=["manager", "company", "left_month"], keep="first")
    return result, short, archive


def list_writers(inputs: Inputs, plan: MonthPlan) -> list:
    """The writers of the new-client tabs, for :func:`salesplan.outputs.tabs.render_plan_tabs`."""
    result, short, archive = new_client_lists(inputs, plan)
    plan.extras["long_list"], plan.extras["short_list"] = result, short
    lang, month = inputs.config.lang, plan.plan_month
    minimum = inputs.config.params["long_list_min"]
    return [lambda book, fm: lists_out.write_long_list_tab(book, fm, result, month, lang),
            lambda book, fm: lists_out.write_short_list_tab(book, fm, short, month, lang),
            lambda book, fm: lists_out.write_summary_tab(book, fm, result, month, lang, minimum),
            lambda book, fm: lists_out.write_archive_tab(book, fm, archive, lang)]


def make_plan(inputs: Inputs, today: dt.date | None = None) -> MonthPlan:
    config = inputs.config
    return plan_month(inputs.ledger, config.params, config.targets, config.owners, config.tiers, today)


def target_problems(inputs: Inputs, plan: MonthPlan) -> list[Problem]:
    """Targets and Clients rows that name nobody known: listed, not fatal."""
    sheet = names("sheet.config")[0 if inputs.config.lang == "ru" else 1]
    known = set(inputs.ledger["manager"].unique()) | set(plan.owners.unique())
    out = []
    for row in inputs.config.targets.itertuples(index=False):
        if row.manager not in known:
            out.append(Problem(sheet, int(row.row), "", row.manager, "prob.target_unknown_manager"))
    clients = set(inputs.ledger["client"].unique())
    for row in inputs.config.owners.itertuples(index=False):
        if row.client not in clients:
            out.append(Problem(sheet, int(row.row), "", row.client, "prob.client_unknown"))
    return out


@dataclass
class BuildResult:
    plan: MonthPlan
    inputs: Inputs
    problems: list[Problem]
    written: Path
    backup: Path | None
    tabs: list[str]


def build(workbook: Path, *, out: Path | None = None, sales_file: Path | None = None,
          targets_file: Path | None = None, month: str | None = None, settings: list[str] = (),
          json_path: Path | None = None, today: dt.date | None = None,
          keep_backups: int = 5, built: dt.datetime | None = None,
          sources: dict[Path, WorkbookSource] | None = None) -> BuildResult:
    """``salesplan plan``: plan the month and write the output tabs into the workbook (or ``out``).

    ``sources``: files already opened (see :func:`read_workbook_inputs`)."""
    workbook = Path(workbook)
    target = Path(out) if out else workbook
    check_writable(target)  # before the work, so a locked file fails at once
    # The workbook's zip entries are checked (inflated, CRCs compared) on the core the Sales read
    # leaves free, rather than later beside the rendering, which has work for both cores.
    entry_check = start_entry_check(workbook) if workbook.exists() else None
    inputs = read_workbook_inputs(workbook, sales_file=sales_file, targets_file=targets_file,
                                  month=month, settings=settings, sources=sources, defer_duplicates=True)
    # Repeated rows are looked for while the month is planned: both are numpy and pandas work that
    # mostly lets go of the GIL, so the two overlap on the two cores.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="salesplan-duplicates") as pool:
        repeated = pool.submit(inputs.find_duplicates)
        plan = make_plan(inputs, today)
    inputs.add_duplicates(repeated.result())
    problems = inputs.problems + target_problems(inputs, plan)
    lang = inputs.config.lang
    written_tabs: list[str] = []

    templates = template_paths(workbook, lang)
    owned = (tabs.owned_sheet_names() | lists_out.owned_sheet_names() | dashboard.owned_sheet_names()
             | {n for n in inputs.sheet_names if instruments.is_instrument_sheet(n)})

    with tempfile.TemporaryDirectory(prefix="salesplan-") as scratch:
        plan_tabs, instrument_tabs = Path(scratch) / "plan.xlsx", Path(scratch) / "instruments.xlsx"
        instrument_books = [Path(scratch) / "instrument1.xlsx", Path(scratch) / "instrument2.xlsx"]

        def make_instrument(number: int) -> Callable[[], tuple[list[str], object]]:
            def work() -> tuple[list[str], object]:
                pages = INSTRUMENT_PAGES[number](plan, inputs, templates[number - 1])
                names_ = render_sheets(templates[number - 1], pages, instrument_books[number - 1])
                return names_, plan.extras[f"instrument{number}"]
            return work

        def render(path: Path) -> list[str]:
            more = list_writers(inputs, plan)  # the lists first: the dashboard counts their companies as new
            more.append(dashboard.writer(plan, inputs.ledger, lang, today=today, built=built,
                                         archive=inputs.archive))
            written_tabs.extend(tabs.render_plan_tabs(plan_tabs, plan, problems, inputs.rows_read, lang,
                                                        built, more, rows_later=table_rows))
            for number, job in enumerate(instrument_jobs, start=1):
                names_, plan.extras[f"instrument{number}"] = job.result()
                written_tabs.extend(names_)
            # Scratch files, read back at once: stored, not compressed.
            replace_sheets(*instrument_books, instrument_tabs, owned=set(), compresslevel=0)
            replace_sheets(plan_tabs, instrument_tabs, path, owned=set(), compresslevel=0)
            return written_tabs

        # Instrument #1 and #2 are made beside the plan tabs, each in its own process: three
        # pieces of some 0.3-0.45 s at a million rows share the two cores better than two.
        # The long tables' rows are written straight into the user's workbook by the splice, in its
        # style numbers, rather than into the scratch books and read back (see outputs/bulkrows.py).
        table_rows: list = []
        with Beside(make_instrument(1)) as first, Beside(make_instrument(2)) as second:
            instrument_jobs = (first, second)
            backup = save_with_tabs(workbook, target, render, owned, keep_backups, check=entry_check,
                                    rows=table_rows)
    if json_path is not None:
        write_json(plan, Path(json_path))
    return BuildResult(plan, inputs, problems, target, backup, written_tabs)


def instrument_pages(plan: MonthPlan, inputs: Inputs, templates: tuple[Path, Path]) -> tuple[list, list]:
    """The Instrument #1 and #2 pages of every manager, in the plan's manager order."""
    return instrument1_pages(plan, inputs, templates[0]), instrument2_pages(plan, inputs, templates[1])


def instrument1_pages(plan: MonthPlan, inputs: Inputs, template: Path) -> list:
    """Instrument #1 of every manager (its content is kept in ``plan.extras["instrument1"]``)."""
    config = inputs.config
    content = instrument_content.instrument1(plan, inputs.ledger, config.crosssell, config.exclusions,
                                             page_capacity(template))
    plan.extras["instrument1"] = content
    return instruments.instrument1_pages(content, plan.summary, plan.plan_month, config.params.get("company", ""),
                                         config.params["offer_multiplier"], config.lang, inputs.wishes)


def instrument2_pages(plan: MonthPlan, inputs: Inputs, template: Path) -> list:
    """Instrument #2 of every manager (its content is kept in ``plan.extras["instrument2"]``)."""
    config = inputs.config
    content = instrument_content.instrument2(plan, inputs.ledger, inputs.catalog, config.exclusions,
                                             page_capacity(template))
    plan.extras["instrument2"] = content
    return instruments.instrument2_pages(content, plan.plan_month, config.params.get("company", ""), config.lang)


INSTRUMENT_PAGES = {1: instrument1_pages, 2: instrument2_pages}


def render_instrument_sheets(out: Path, plan: MonthPlan, inputs: Inputs, templates: tuple[Path, Path]) -> list[str]:
    """Instrument #1 and #2 of every manager, filled from the templates, into a workbook at ``out``."""
    pages1, pages2 = instrument_pages(plan, inputs, templates)
    return instruments.render_instruments(out, templates, pages1, pages2)


def write_pdfs(workbook: Path, out_dir: Path, *, sales_file: Path | None = None, month: str | None = None,
               settings: list[str] = (), today: dt.date | None = None,
               sources: dict[Path, WorkbookSource] | None = None) -> list[Path]:
    """``salesplan pdf``: one PDF per manager with Instrument #1 then #2, each one A4 page."""
    workbook = Path(workbook)
    inputs = read_workbook_inputs(workbook, sales_file=sales_file, month=month, settings=settings,
                                  sources=sources)
    plan = make_plan(inputs, today)
    templates = template_paths(workbook, inputs.config.lang)
    return print_instruments(plan, inputs, templates, Path(out_dir))


def print_instruments(plan: MonthPlan, inputs: Inputs, templates: tuple[Path, Path], out_dir: Path) -> list[Path]:
    """One PDF per manager in ``out_dir``: Instrument #1, then #2, each one A4 page."""
    from .outputs.pdf import workbooks_to_pdf

    pages1, pages2 = instrument_pages(plan, inputs, templates)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="salesplan-pdf-") as scratch:
        books = []
        for manager, page1, page2 in zip(plan.summary["manager"], pages1, pages2):
            xlsx = Path(scratch) / f"{instruments.file_name(manager)} {month_label(plan.plan_month)}.xlsx"
            instruments.render_instruments(xlsx, templates, [page1], [page2])
            books.append(xlsx)
        return workbooks_to_pdf(books, out_dir)


def template_paths(workbook: Path, lang: str = "ru") -> tuple[Path, Path]:
    """The templates in ``lang`` beside the workbook (a supervisor's restyled copies) or the shipped
    ones; the Russian ones when a language has none."""
    folders = [Path(workbook).parent / "templates"]
    return tuple(instruments.template_path(name, folders, lang) for name in instruments.TEMPLATE_NAMES)


def write_json(plan: MonthPlan, path: Path) -> None:
    try:
        path.write_text(json.dumps(to_json(plan), ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise WorkbookWriteError("err.bad_json_path", path=str(path), detail=exc.strerror or str(exc)) from None


def as_json_text(plan: MonthPlan) -> str:
    return json.dumps(to_json(plan), ensure_ascii=False, indent=2)
