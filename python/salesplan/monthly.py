"""The month, from ledger to tabs: read the inputs, plan the month, render the tabs, save.

::

    read_workbook_inputs(workbook) -> Inputs      cells -> typed tables and Problems (inputs/)
    plan(inputs, templates)        -> MonthResult every table the month produces (method/)
    render(result, templates, out) -> tab names   the tabs, written by pure writers (outputs/)
    save_with_tabs(...)                            spliced into the workbook: temp file, check, swap

``salesplan plan`` (:func:`build`), the Excel buttons (:mod:`salesplan.excel`) and the demo all
call :func:`plan` and :func:`render`; they differ only in where rows come from (a file or the live
workbook) and how the tabs get into the workbook (a splice of the file, or Excel copying them in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .beside import Beside
from .errors import InputError, Problem, WorkbookWriteError
from .inputs.catalog import empty_catalog, read_catalog
from .inputs.config import Config, apply_overrides, config_problems, read_config, read_targets_file
from .inputs.ledger import KEPT_ROW_PROBLEMS, far_dates, read_ledger_deferring_duplicates, skipped_rows
from .inputs.lists import read_long_list, read_notes_archive, read_prospects, read_short_list, read_wishes
from .inputs.notes import CALL_NOTES, ORDER_NOTES, read_notes
from .inputs.rows import SheetRows, WorkbookSource, read_sales_file
from .inputs.sniff import check_workbook_file
from .method import crosssell, longlist, notes
from .method import instruments as instrument_content
from .method.plan import MonthPlan, plan_month
from .method.progress import month_to_date
from .ooxml.splice import start_entry_check
from .outputs import instruments
from .outputs.render import owned_sheets, print_instruments, render
from .outputs.templates import page_capacity
from .outputs.workbook import (
    check_outputs,
    check_pdf_folder,
    check_writable,
    file_stamp,
    full_temp_folder_is_a_message,
    same_file,
    save_with_tabs,
    written_path,
)
from .result import MonthResult, as_json_text
from .scratch import remove_stale
from .texts import names, t
from .words import fold


@dataclass
class Inputs:
    """Everything read from the workbook and the command line, typed, with the problems found."""

    ledger: pd.DataFrame
    config: Config
    problems: list[Problem]
    rows_read: int
    sales_sheet: str = ""  # the name of the sheet the sale lines came from (their problems name it)
    catalog: pd.DataFrame = field(default_factory=empty_catalog)
    sheet_names: list[str] = field(default_factory=list)  # of the workbook the inputs came from
    long_list: pd.DataFrame | None = None     # what the Long list tab holds now (managers' notes)
    short_list: pd.DataFrame | None = None
    archive: pd.DataFrame | None = None
    prospects: pd.DataFrame | None = None
    wishes: pd.DataFrame | None = None
    #: What managers typed in the yellow columns of the call sheet and the open orders (read back
    #: before the tabs are rewritten), and the notes that left those tabs earlier.
    call_notes: pd.DataFrame = field(default_factory=lambda: read_notes(None, CALL_NOTES))
    order_notes: pd.DataFrame = field(default_factory=lambda: read_notes(None, ORDER_NOTES))
    notes_archive: pd.DataFrame = field(default_factory=lambda: read_notes_archive(None))
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
             "sheet.prospects": "prospects", "sheet.wishes": "wishes", "sheet.calls": "call_notes",
             "sheet.open_orders": "order_notes", "sheet.notes_archive": "notes_archive"}


def read_inputs(sales: SheetRows, config_rows: SheetRows | None, catalog_rows: SheetRows | None = None, *,
                targets_file: Path | None = None, month: str | None = None, settings: list[str] = (),
                lists: dict[str, SheetRows | None] | None = None, defer_duplicates: bool = False) -> Inputs:
    """Parse the Config tab (with command-line overrides), the Sales rows, the Catalog tab and the
    tabs managers write in (``lists``: text key of the tab -> its rows).

    ``defer_duplicates``: leave the search for repeated Sales rows to ``Inputs.find_duplicates``.
    """
    config, problems = read_config(config_rows)
    config = apply_overrides(config, list(settings), month)
    problems += config_problems(config, config_rows.name if config_rows is not None else "--set")
    if targets_file is not None:
        config.targets = read_targets_file(targets_file)
    ledger, ledger_problems, duplicates = read_ledger_deferring_duplicates(sales, config.statuses)
    if not defer_duplicates:
        ledger_problems, duplicates = ledger_problems + duplicates(), None
    catalog, catalog_problems = read_catalog(catalog_rows)
    duplicates_at = len(problems) + len(ledger_problems)
    problems = problems + ledger_problems + catalog_problems
    skipped = {p.row for p in ledger_problems if p.key not in KEPT_ROW_PROBLEMS}
    inputs = Inputs(ledger, config, problems, rows_read=len(ledger) + len(skipped), sales_sheet=sales.name,
                    catalog=catalog, duplicates=duplicates, duplicates_at=duplicates_at)
    lists = lists or {}
    inputs.long_list, long_problems = read_long_list(lists.get("sheet.long_list"))
    inputs.archive, _ = read_long_list(lists.get("sheet.list_archive"))
    inputs.short_list = read_short_list(lists.get("sheet.short_list"))
    inputs.prospects, prospect_problems = read_prospects(lists.get("sheet.prospects"))
    inputs.wishes = read_wishes(lists.get("sheet.wishes"))
    inputs.call_notes = read_notes(lists.get("sheet.calls"), CALL_NOTES)
    inputs.order_notes = read_notes(lists.get("sheet.open_orders"), ORDER_NOTES)
    inputs.notes_archive = read_notes_archive(lists.get("sheet.notes_archive"))
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


def now() -> dt.datetime:
    """The time a build is stamped with (one place, so that a test can pin it)."""
    return dt.datetime.now()


def target_problems(inputs: Inputs, plan: MonthPlan) -> list[Problem]:
    """Targets and Clients rows that name nobody known: listed, not fatal."""
    sheet = names("sheet.config")[0 if inputs.config.lang == "ru" else 1]
    known = {fold(m) for m in set(inputs.ledger["manager"].unique()) | set(plan.owners.unique())}
    out = []
    for row in inputs.config.targets.itertuples(index=False):
        if fold(row.manager) not in known:
            out.append(Problem(sheet, int(row.row), "", row.manager, "prob.target_unknown_manager"))
    clients = set(inputs.ledger["client"].unique())
    for row in inputs.config.owners.itertuples(index=False):
        if row.client not in clients:
            out.append(Problem(sheet, int(row.row), "", row.client, "prob.client_unknown"))
    return out


def category_problems(inputs: Inputs) -> list[Problem]:
    """Categories of the Cross-sell and Exclusions tables and of the Catalog that match no category
    of the sales: each a Problem with the closest ones (the rest of the plan is still made)."""
    lang = inputs.config.lang
    config_sheet = names("sheet.config")[0 if lang == "ru" else 1]
    catalog_sheet = names("sheet.catalog")[0 if lang == "ru" else 1]
    named: list[tuple[tuple[str, int | None, str], str]] = []
    for rule in inputs.config.crosssell:
        named += [((config_sheet, rule.row, t("config.cs_when", lang)), c) for c in rule.when_names]
        named += [((config_sheet, rule.row, t("config.cs_offer", lang)), c) for c in rule.offer_names]
    exclusions = inputs.config.exclusions
    if "category_text" in exclusions:
        named += [((config_sheet, int(row), t("config.ex_category", lang)), str(text))
                  for text, category, row in zip(exclusions["category_text"], exclusions["category"],
                                                 exclusions["row"]) if category != "*"]
    catalog = inputs.catalog
    named += [((catalog_sheet, int(row), t("col.category", lang)), str(category))
              for category, row in zip(catalog["category"], catalog["row"]) if fold(category)]
    seen: set[tuple[str, int | None, str, str]] = set()
    out = []
    ledger_categories = inputs.ledger["category"].unique() if "category" in inputs.ledger else []
    for (sheet, row, column), name, close in crosssell.unmatched_categories(named, ledger_categories):
        if (sheet, row, column, fold(name)) in seen:
            continue
        seen.add((sheet, row, column, fold(name)))
        if close:
            out.append(Problem(sheet, row, column, name, "prob.category_unknown",
                               {"value": name, "similar": ", ".join(f"«{c}»" for c in close)}))
        else:
            some = sorted({str(c) for c in ledger_categories if fold(c)})[:5]
            out.append(Problem(sheet, row, column, name, "prob.category_unknown_none",
                               {"value": name, "some": ", ".join(f"«{c}»" for c in some)}))
    return out


def plan_layers(inputs: Inputs, today: dt.date | None = None) -> MonthPlan:
    """Layers 1-3 alone (the Plan tab's figures): what ``salesplan check`` needs."""
    config = inputs.config
    return plan_month(inputs.ledger, config.params, config.targets, config.owners, config.tiers, today)


def plan(inputs: Inputs, templates: tuple[Path, Path], *, today: dt.date | None = None,
         built: dt.datetime | None = None) -> MonthResult:
    """Plan the month: every table it produces, for every manager.

    Args:
        inputs: what was read (:func:`read_workbook_inputs`, or the live workbook's sheets).
        templates: the Instrument #1 and #2 templates; how many rows each page holds decides how
            many offers and items the instruments get.
        today: the day the month-to-date figures are for (and the month, when Config leaves it
            empty); by default the real date, within the plan month.
        built: when the month is planned (shown on the tabs); now by default.
    """
    built = built or now()
    config, params = inputs.config, inputs.config.params
    # Repeated Sales rows, if their search was left for later, are looked for while the layers are
    # planned: both are numpy and pandas work that mostly lets go of the GIL, so they overlap on
    # two cores.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="salesplan-duplicates") as pool:
        repeated = pool.submit(inputs.find_duplicates)
        layers = plan_layers(inputs, today)
    inputs.add_duplicates(repeated.result())
    problems = (inputs.problems + far_dates(inputs.ledger, layers.plan_month, inputs.sales_sheet)
                + target_problems(inputs, layers) + category_problems(inputs))

    def instrument1() -> dict[str, instrument_content.Instrument1]:
        offer_lines, key_lines = instruments.instrument1_lines(templates[0])
        return instrument_content.instrument1(layers, inputs.ledger, config.crosssell, config.exclusions,
                                              page_capacity(templates[0]), inputs.wishes, inputs.catalog,
                                              offer_lines, key_lines)

    def instrument2() -> dict[str, instrument_content.Instrument2]:
        return instrument_content.instrument2(layers, inputs.ledger, inputs.catalog, config.exclusions,
                                              page_capacity(templates[1]))

    # Both instruments' content is worked out beside the lists and the month to date, each in its
    # own process where the platform forks (see salesplan.beside).
    with Beside(instrument1) as first, Beside(instrument2) as second:
        reasons = {"lapsed": t("ll.reason_lapsed", config.lang), "prospect": t("ll.reason_prospect", config.lang)}
        lists = longlist.new_client_lists(inputs.long_list, inputs.short_list, inputs.archive, inputs.prospects,
                                          layers.turnover, layers.owners, list(layers.summary["manager"]),
                                          layers.plan_month, params, reasons)
        # The long list first: its companies' sales count as new clients'.
        progress = month_to_date(inputs.ledger, layers, today, archive=inputs.archive, long_list=lists.long)
        typed = notes.typed_notes(layers.regular, layers.open_orders, inputs.call_notes, inputs.order_notes,
                                  inputs.notes_archive, layers.plan_month)
        content1, content2 = first.result(), second.result()
    skipped = skipped_rows(problems, inputs.rows_read, inputs.sales_sheet, params["max_skipped_share"])
    return MonthResult(layers, lists, progress, content1, content2, typed, tuple(problems), inputs.rows_read,
                       skipped, config.lang, built)


@dataclass
class BuildResult:
    result: MonthResult
    inputs: Inputs
    written: Path
    backup: Path | None
    tabs: list[str]

    @property
    def plan(self) -> MonthPlan:
        return self.result.plan

    @property
    def problems(self) -> list[Problem]:
        return list(self.result.problems)


def build(workbook: Path, *, out: Path | None = None, sales_file: Path | None = None,
          targets_file: Path | None = None, month: str | None = None, settings: list[str] = (),
          json_path: Path | None = None, today: dt.date | None = None,
          keep_backups: int = 5, built: dt.datetime | None = None,
          sources: dict[Path, WorkbookSource] | None = None,
          read_stamp: tuple[int, int] | None = None) -> BuildResult:
    """``salesplan plan``: plan the month and write the output tabs into the workbook (or ``out``).

    Every output is checked before any work: none may name an input (the workbook, ``sales_file``,
    ``targets_file``, a template), an existing folder or a missing folder's file, and ``out`` keeps the
    workbook's suffix. A workbook saved by another program while the plan was built is not
    overwritten (``err.changed_during_build``).

    ``sources``: files already opened (see :func:`read_workbook_inputs`); ``read_stamp``: the
    workbook's :func:`~salesplan.outputs.workbook.file_stamp` from before they were opened (by default
    it is taken here, before the workbook is read)."""
    workbook = Path(workbook)
    remove_stale()  # what a killed build left in the temporary folder
    check_outputs(workbook, out=Path(out) if out else None, json_path=Path(json_path) if json_path else None,
                  inputs=(("--sales", sales_file), ("--targets", targets_file)),
                  templates=[p for lang in ("ru", "en") for p in template_paths(workbook, lang) if p.exists()])
    target = Path(out) if out else workbook
    check_writable(written_path(target))  # before the work, so a locked file fails at once
    # The workbook as it is before it is read: if another program saves it while the plan is built,
    # the swap finds another file and stops instead of losing that save.
    read_stamp = (read_stamp or file_stamp(workbook)) if same_file(target, workbook) else None
    # The workbook's zip entries are checked (inflated, CRCs compared) on the core the Sales read
    # leaves free, rather than later beside the rendering, which has work for both cores.
    entry_check = start_entry_check(workbook) if workbook.exists() else None
    inputs = read_workbook_inputs(workbook, sales_file=sales_file, targets_file=targets_file,
                                  month=month, settings=settings, sources=sources, defer_duplicates=True)
    templates = template_paths(workbook, inputs.config.lang)
    result = plan(inputs, templates, today=today, built=built)
    # The long tables' rows are written straight into the user's workbook by the splice, in its
    # style numbers, rather than into the rendered book and read back (see outputs/bulkrows.py).
    table_rows: list = []
    tabs: list[str] = []

    def render_tabs(path: Path) -> list[str]:
        tabs.extend(render(result, templates, path, rows_later=table_rows))
        return tabs

    backup = save_with_tabs(workbook, target, render_tabs, owned_sheets(inputs.sheet_names), keep_backups,
                            check=entry_check, rows=table_rows, unchanged_since=read_stamp)
    if json_path is not None:
        write_json(result, Path(json_path))
    return BuildResult(result, inputs, target, backup, tabs)


def write_pdfs(workbook: Path, out_dir: Path, *, sales_file: Path | None = None, month: str | None = None,
               settings: list[str] = (), today: dt.date | None = None,
               sources: dict[Path, WorkbookSource] | None = None) -> list[Path]:
    """``salesplan pdf``: one PDF per manager with Instrument #1 then #2, each one A4 page.

    ``out_dir`` is a folder (made if missing); an existing file there is refused before any work."""
    workbook = Path(workbook)
    remove_stale()
    check_pdf_folder(Path(out_dir))
    inputs = read_workbook_inputs(workbook, sales_file=sales_file, month=month, settings=settings,
                                  sources=sources)
    templates = template_paths(workbook, inputs.config.lang)
    result = plan(inputs, templates, today=today)
    with full_temp_folder_is_a_message():
        return print_instruments(result, templates, Path(out_dir))


def template_paths(workbook: Path, lang: str = "ru") -> tuple[Path, Path]:
    """The templates in ``lang`` beside the workbook (a supervisor's restyled copies) or the shipped
    ones; the Russian ones when a language has none."""
    folders = [Path(workbook).parent / "templates"]
    first, second = (instruments.template_path(name, folders, lang) for name in instruments.TEMPLATE_NAMES)
    return first, second


def write_json(result: MonthResult, path: Path) -> None:
    try:
        path.write_text(as_json_text(result), encoding="utf-8")
    except OSError as exc:
        raise WorkbookWriteError("err.bad_json_path", path=str(path), detail=exc.strerror or str(exc)) from None
