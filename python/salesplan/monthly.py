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
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .beside import Beside, Either
from .errors import InputError, Problem, WorkbookWriteError
from .inputs.catalog import empty_catalog, read_catalog
from .inputs.config import (
    Config,
    apply_overrides,
    config_problems,
    override_notes,
    read_config,
    read_targets_file,
)
from .inputs.instrument2 import Instrument2Sheet, is_instrument2, read_instrument2
from .inputs.ledger import KEPT_ROW_PROBLEMS, far_dates, read_ledger_deferring_duplicates, skipped_rows
from .inputs.lists import read_long_list, read_notes_archive, read_prospects, read_short_list, read_wishes
from .inputs.notes import CALL_NOTES, ORDER_NOTES, read_notes
from .inputs.rows import SheetRows, WorkbookSource, read_sales_file
from .inputs.salessource import is_history, read_history
from .inputs.sniff import check_workbook_file
from .method import catalog as catalog_rules
from .method import crosssell, longlist, notes, ranges
from .method import instruments as instrument_content
from .method.plan import MonthPlan, plan_month, resolve_plan_month
from .method.progress import Progress, month_to_date
from .ooxml.peek import sheet_marks
from .ooxml.splice import start_entry_check
from .outputs import instruments
from .outputs.render import PLAN_TABS, EarlyInstrument2, place_tabs, render
from .outputs.templates import page_capacity, table_room, template_placeholders
from .outputs.workbook import (
    check_outputs,
    check_writable,
    file_stamp,
    same_file,
    save_with_tabs,
    written_path,
)
from .result import MonthResult, as_json_text
from .scratch import remove_stale, scratch_folder
from .texts import names, t
from .wordcolumns import isin
from .words import closest_names, fold, fold_case


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
    #: The Instrument #2 sheets as managers left them (their edits), found by content.
    instrument2_sheets: list[Instrument2Sheet] = field(default_factory=list)
    #: The search for repeated Sales rows, when left for later (``defer_duplicates``), and where in
    #: ``problems`` its findings go (after the other Sales problems).
    duplicates: Callable[[], list[Problem]] | None = None
    duplicates_at: int = 0
    #: A Problem of a sale line as the user finds it: a line of a folder's export names that file
    #: and its row there (see :class:`salesplan.inputs.salessource.History`).
    locate: Callable[[Problem], Problem] | None = None
    #: Categories of sale lines that reached the ledger only as sums (a history's older months).
    summed_categories: set[str] = field(default_factory=set)

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


def read_inputs(sales: SheetRows | Path, config_rows: SheetRows | None, catalog_rows: SheetRows | None = None, *,
                targets_file: Path | None = None, month: str | None = None, settings: list[str] = (),
                lists: dict[str, SheetRows | None] | None = None, defer_duplicates: bool = False,
                instrument2: list[SheetRows] = (), today: dt.date | None = None,
                more_single_months: int = 0) -> Inputs:
    """Parse the Config tab (with command-line overrides), the Sales rows, the Catalog tab and the
    tabs managers write in (``lists``: text key of the tab -> its rows; ``instrument2``: sheets that
    may be managers' Instrument #2, see :func:`instrument2_candidates`).

    ``sales``: the rows, or the path of a history outside the workbook (a Parquet file or a folder,
    :mod:`salesplan.inputs.salessource`), read for the plan month (``today``: as in :func:`plan`),
    with single lines from ``window_months + more_single_months`` months before it (a back test).
    ``defer_duplicates``: leave the search for repeated Sales rows to ``Inputs.find_duplicates``.
    """
    config, problems = read_config(config_rows)
    config = apply_overrides(config, list(settings), month)
    problems += override_notes(list(settings))
    problems += config_problems(config, config_rows.name if config_rows is not None else "--set")
    if targets_file is not None:
        config.targets = read_targets_file(targets_file)
    locate, summed_categories = None, set()
    if isinstance(sales, Path):
        params = config.params
        plan_month = resolve_plan_month(params["plan_month"], today or config_as_of(params))
        history = read_history(sales, config.statuses, plan_month, params["window_months"] + more_single_months,
                               names("sheet.sales"))
        ledger, ledger_problems, duplicates = history.ledger, history.problems, history.duplicates
        rows_read, sales_name, locate = history.rows_read, history.name, history.locate
        summed_categories = history.categories
    else:
        ledger, ledger_problems, duplicates = read_ledger_deferring_duplicates(sales, config.statuses)
        skipped = {p.row for p in ledger_problems if p.key not in KEPT_ROW_PROBLEMS}
        rows_read, sales_name = len(ledger) + len(skipped), sales.name
    if not defer_duplicates:
        ledger_problems, duplicates = ledger_problems + duplicates(), None
    catalog, catalog_problems = read_catalog(catalog_rows)
    duplicates_at = len(problems) + len(ledger_problems)
    problems = problems + ledger_problems + catalog_problems
    inputs = Inputs(ledger, config, problems, rows_read=rows_read, sales_sheet=sales_name,
                    catalog=catalog, duplicates=duplicates, duplicates_at=duplicates_at, locate=locate,
                    summed_categories=summed_categories)
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
    inputs.instrument2_sheets = [found for rows in instrument2 if (found := read_instrument2(rows)) is not None]
    return inputs


def instrument2_candidates(sheet_names: list[str], head: Callable[[str], list[list[object]]]) -> list[str]:
    """The sheets that are managers' Instrument #2: ``№2 …``/``#2 …`` tabs, and any other tab (not
    one of the program's own) whose first rows carry the Instrument #2 marker — a sheet the manager
    renamed. ``head``: a sheet's first rows."""
    known = {fold(n) for key in ("sheet.sales", "sheet.config", "sheet.catalog", *LIST_TABS, *PLAN_TABS)
             for n in names(key)}
    out = []
    for name in sheet_names:
        if instruments.is_instrument_sheet(name):
            if name.lstrip("№#").startswith("2"):
                out.append(name)
        elif fold(name) not in known and is_instrument2(head(name)):
            out.append(name)
    return out


def read_workbook_inputs(workbook: Path, *, sales_file: Path | None = None, targets_file: Path | None = None,
                         month: str | None = None, settings: list[str] = (),
                         sources: dict[Path, WorkbookSource] | None = None,
                         defer_duplicates: bool = False, today: dt.date | None = None,
                         more_single_months: int = 0) -> Inputs:
    """Inputs from a workbook file: its Config tab, and its Sales tab unless ``sales_file`` is given
    or the Config names a ``sales_source``.

    ``sources``: files already opened, by path (a head start, see :mod:`salesplan.inputs.early`).
    """
    sources = sources or {}
    check_workbook_file(workbook)
    source = sources.get(Path(workbook)) or WorkbookSource(workbook)
    config_name = source.find_sheet(names("sheet.config"))
    config_rows = source.rows(config_name) if config_name else None
    if sales_file is None:
        sales_file = configured_sales_source(config_rows, settings, Path(workbook))
        if sales_file is not None:
            # The head start began reading this workbook's own Sales tab before the Config was
            # read: those rows are not wanted, and the cores are (see inputs/early.py).
            source.cancel_reads()
    sales: SheetRows | Path
    if sales_file is not None and is_history(sales_file):
        sales = Path(sales_file)
    elif sales_file is not None:
        if Path(sales_file).suffix.lower() not in {".csv", ".txt"}:
            check_workbook_file(sales_file)
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
    second = [source.rows(name) for name in instrument2_candidates(list(source.sheet_names),
                                                                   lambda name: source.rows(name).head(3))]
    inputs = read_inputs(sales, config_rows, catalog_rows, targets_file=targets_file, month=month,
                         settings=settings, lists=lists, defer_duplicates=defer_duplicates, instrument2=second,
                         today=today, more_single_months=more_single_months)
    inputs.sheet_names = list(source.sheet_names)
    return inputs


def configured_sales_source(config_rows: SheetRows | None, settings: list[str], workbook: Path) -> Path | None:
    """The Config's ``sales_source`` (or ``--set sales_source=``), relative to the workbook's folder;
    None when empty. A path that does not exist is an InputError naming it."""
    config, _ = read_config(config_rows)
    value = str(apply_overrides(config, list(settings), None).params.get("sales_source") or "")
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = Path(workbook).resolve().parent / path
    if not path.exists():
        raise InputError("err.sales_source_missing", path=value, key="sales_source",
                         folder=str(Path(workbook).resolve().parent))
    return path


def instrument2_sheets(sheets: list[Instrument2Sheet], managers: list[str], lang: str) -> dict[str, Instrument2Sheet]:
    """Each manager's Instrument #2 sheet: the one naming him (in its hidden cell or its header),
    else the one with his sheet's name. Of two naming him (a copy), the one with the program's name
    for his sheet, else the first."""
    default = instruments.sheet_names(managers, 2, lang)
    by_name = {fold_case(default[m]): m for m in managers}
    known = {fold(m): m for m in managers}
    out: dict[str, Instrument2Sheet] = {}
    for sheet in sheets:
        manager = next((known[fold(m)] for m in sheet.manager if fold(m) in known), None)
        manager = manager or by_name.get(fold_case(sheet.name))
        if manager is None:
            continue
        if manager not in out or fold_case(sheet.name) == fold_case(default[manager]):
            out[manager] = sheet
    return out


def now() -> dt.datetime:
    """The time a build is stamped with (one place, so that a test can pin it)."""
    return dt.datetime.now()


def target_problems(inputs: Inputs, plan: MonthPlan) -> list[Problem]:
    """What the Targets and Clients tables and the plan's managers ask of the supervisor, listed,
    not fatal: a name that matches no manager (with the closest names of the ledger), a manager with
    sales but no target, returns larger than a manager's sales, an order number two clients share."""
    lang = inputs.config.lang
    # The Config tab as the workbook names it (a Russian tab in an English plan stays «Настройки»).
    sheet = next((n for n in inputs.sheet_names if n in names("sheet.config")),
                 names("sheet.config")[0 if lang == "ru" else 1])
    ledger_managers = sorted(m for m in inputs.ledger["manager"].unique() if isinstance(m, str))
    known = {fold(m) for m in set(ledger_managers) | set(plan.owners.unique())}
    out = []
    targets = inputs.config.targets
    for row in targets.itertuples(index=False):
        if fold(row.manager) not in known:
            out.append(_unknown_name(sheet, int(row.row), t("config.manager", lang), row.manager, ledger_managers,
                                     "prob.target_unknown_manager"))
    listed = inputs.config.owners["client"]
    # The Clients table's clients the ledger knows (not every client; none to look for without a table).
    clients = set(listed[isin(listed, inputs.ledger["client"].unique())]) if len(listed) else set()
    known_owners = {fold(m) for m in ledger_managers} | {fold(m) for m in targets["manager"]}
    for row in inputs.config.owners.itertuples(index=False):
        if row.client not in clients:
            out.append(Problem(sheet, int(row.row), t("config.client", lang), row.client, "prob.client_unknown"))
        elif fold(row.owner) not in known_owners:
            out.append(_unknown_name(sheet, int(row.row), t("config.owner", lang), row.owner,
                                     ledger_managers + [m for m in targets["manager"] if m not in ledger_managers],
                                     "prob.owner_unknown"))
    out += _managers_without_target(plan, sheet, targets, lang)
    sales = inputs.sales_sheet or names("sheet.sales")[0 if lang == "ru" else 1]
    for row in plan.summary.itertuples(index=False):
        if row.average_monthly < 0:
            out.append(Problem(sales, None, "", row.manager, "prob.negative_turnover",
                               {"manager": row.manager, "average": _money(row.average_monthly)}))
    for row in plan.shared_orders.itertuples(index=False):
        out.append(Problem(sales, int(row.row), t("col.order", lang), row.order, "prob.order_two_clients",
                           {"order": row.order, "clients": ", ".join(f"«{c}»" for c in row.clients)}))
    return out


def _unknown_name(sheet: str, row: int, column: str, name: str, known: list[str], key: str) -> Problem:
    """A name that matches no manager; with the closest names when there are any (``<key>_like``)."""
    closest = closest_names(name, known)
    if not closest:
        return Problem(sheet, row, column, name, key)
    return Problem(sheet, row, column, name, key + "_like", {"closest": ", ".join(f"«{c}»" for c in closest)})


def _managers_without_target(plan: MonthPlan, sheet: str, targets: pd.DataFrame, lang: str) -> list[Problem]:
    """A manager with sales (or open orders) and no target, named with what to do. With no target
    at all (the Targets table not filled in), one line says so."""
    summary = plan.summary
    active = summary[summary["target"].isna() & ((summary["window_turnover"] != 0) | (summary["mtd_turnover"] != 0)
                                                | (summary["open_orders_count"] > 0))]
    column = t("config.target", lang)
    if len(active) and summary["target"].isna().all():
        return [Problem(sheet, None, column, "", "prob.no_targets",
                        {"managers": ", ".join(f"«{m}»" for m in active["manager"])})]
    # A manager who left may have sold nothing in the window: its clients of the lookback name it.
    averages = dict(zip(summary["manager"], summary["average_monthly"]))
    managers = list(active["manager"])
    managers += [m for m in plan.unassigned["owner"].unique() if m not in set(managers)]
    rows = dict(zip(targets["manager"].map(fold), targets["row"])) if "row" in targets else {}
    counts = plan.unassigned["owner"].value_counts()
    out = []
    for manager in managers:
        average = averages.get(manager, 0.0)
        row = rows.get(fold(manager))
        out.append(Problem(sheet, None if row is None else int(row), column, manager, "prob.no_target",
                           {"manager": manager, "clients": int(counts.get(manager, 0)), "average": _money(average)}))
    return out


def _money(x: float) -> str:
    return f"{x:,.0f}".replace(",", "\u00a0").replace("-", "−") + "\u00a0₽"


def config_as_of(params: Mapping[str, Any]) -> dt.date | None:
    """The Config's «Дата факта» (``as_of_date``): the day the month to date is seen from, when set
    (the shipped demo keeps its month as of its last day of sales); ``None``: today."""
    value = params.get("as_of_date") or ""
    return dt.date.fromisoformat(value) if value else None


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
    if inputs.summed_categories:  # a history's older months: a group names one category of its lines
        ledger_categories = list(dict.fromkeys([*ledger_categories, *sorted(inputs.summed_categories)]))
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
    today = today or config_as_of(config.params)
    return plan_month(inputs.ledger, config.params, config.targets, config.owners, config.tiers, today)


#: Instrument #2's content and edit Problems, and its A4 sheets if made early (``EarlyInstrument2.made``).
_Instrument2Made = tuple[tuple[dict[str, instrument_content.Instrument2], list[Problem]],
                         tuple[dict[str, str], list[str]] | None]


def plan(inputs: Inputs, templates: tuple[Path, Path], *, today: dt.date | None = None,
         built: dt.datetime | None = None, early: EarlyInstrument2 | None = None) -> MonthResult:
    """Plan the month: every table it produces, for every manager.

    Args:
        inputs: what was read (:func:`read_workbook_inputs`, or the live workbook's sheets).
        templates: the Instrument #1 and #2 templates; how many rows each page holds decides how
            many offers and items the instruments get.
        today: the day the month-to-date figures are for (and the month, when Config leaves it
            empty); by default the real date, within the plan month.
        built: when the month is planned (shown on the tabs); now by default.
        early: Instrument #2's A4 sheets are made as soon as its content is known, beside
            Instrument #1's content, and ``early.made`` says how (see :func:`render`).
    """
    built = built or now()
    config, params = inputs.config, inputs.config.params
    today = today or config_as_of(params)
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

    def instrument2() -> tuple[dict[str, instrument_content.Instrument2], list[Problem]]:
        room = instruments.instrument2_room(table_room(templates[1]))
        sheets = instrument2_sheets(inputs.instrument2_sheets, list(layers.summary["manager"]), config.lang)
        return instrument_content.instrument2(layers, inputs.ledger, inputs.catalog, config.exclusions, room,
                                              sheets, set(config.owners["client"]))

    def instrument2_and_sheets() -> _Instrument2Made:
        content2 = instrument2()
        return content2, (early.make(content2[0], layers, config.lang) if early is not None else None)

    instrument2_done_by = Either()

    def lists_notes_and_instrument2() -> tuple[longlist.NewClientLists, Progress, notes.TypedNotes,
                                               _Instrument2Made | None]:
        reasons = {"lapsed": t("ll.reason_lapsed", config.lang), "prospect": t("ll.reason_prospect", config.lang)}
        lists = longlist.new_client_lists(inputs.long_list, inputs.short_list, inputs.archive, inputs.prospects,
                                          layers.turnover, layers.owners, list(layers.summary["manager"]),
                                          layers.plan_month, params, reasons,
                                          contacts=longlist.client_contacts(inputs.ledger, config.owners),
                                          takers=layers.takers or None, clients=layers.turnover_clients)
        # The long list first: its companies' sales count as new clients'.
        progress = month_to_date(inputs.ledger, layers, today, archive=inputs.archive, long_list=lists.long)
        typed = notes.typed_notes(layers.regular, layers.open_orders, inputs.call_notes, inputs.order_notes,
                                  notes.merge_archive(inputs.notes_archive, lists.older_calls), layers.plan_month)
        return lists, progress, typed, instrument2_and_sheets() if instrument2_done_by.take() else None

    # Instrument #1's content, the longest piece, is worked out here while the lists, the month to
    # date and the notes are worked out beside it, in one process where the platform forks (see
    # salesplan.beside); the larger result is not handed between processes. Instrument #2 (its A4
    # sheets too, when asked for) is done by whichever of the two is free first: the lists and the
    # month to date grow with the window's lines and Instrument #1 with its clients, so which is
    # longer depends on the ledger (at ten million lines the lists are; at a million, Instrument #1).
    with Beside(lists_notes_and_instrument2) as rest:
        content1 = instrument1()
        mine = instrument2_and_sheets() if instrument2_done_by.take() else None
        lists, progress, typed, theirs = rest.result()
    # Neither, if the child took it and then died (its work then ran again here, without it).
    (content2, edit_problems), sheets = mine or theirs or instrument2_and_sheets()
    if early is not None:
        early.made = sheets
    catalog = inputs.catalog
    if edit_problems:  # named by where the line is on the sheet as rebuilt
        pages = instruments.instrument2_pages(content2, layers.plan_month, params.get("company", ""), config.lang)
        edit_problems = instruments.edit_problems_placed(edit_problems, dict(zip(content2, pages)),
                                                         template_placeholders(templates[1]).rows)
    problems += catalog_rules.catalog_problems(catalog, layers.plan_month, catalog.attrs.get("sheet", ""),
                                               catalog.attrs.get("headers", {})) + edit_problems
    skipped = skipped_rows(problems, inputs.rows_read, inputs.sales_sheet, params["max_skipped_share"])
    if inputs.locate is not None:  # counted above by the lines' own numbers, shown by file
        problems = [inputs.locate(p) for p in problems]
    warnings = (ranges.param_warnings(params, config.targets)
                + ranges.plan_warnings(layers.summary, layers.returns, layers.unassigned, lists.long.stats, _money))
    return MonthResult(layers, lists, progress, content1, content2, typed, tuple(problems), inputs.rows_read,
                       skipped, config.lang, built, tuple(warnings), inputs.sales_sheet)


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
                                  month=month, settings=settings, sources=sources, defer_duplicates=True,
                                  today=today)
    templates = template_paths(workbook, inputs.config.lang)
    marks = sheet_marks(workbook)
    with scratch_folder("early") as early_folder:
        early = EarlyInstrument2(templates[1], early_folder / "instrument2.xlsx", tuple(inputs.sheet_names), marks)
        result = plan(inputs, templates, today=today, built=built, early=early)
        # The long tables' rows are written straight into the user's workbook by the splice, in its
        # style numbers, rather than into the rendered book and read back (see outputs/bulkrows.py).
        table_rows: list = []
        tabs: list[str] = []

        # Tabs are the program's by its mark, not by name: a user's tab named «План» stays, the
        # program's is written beside it under another name (a note on the Problems tab says so).
        result, placement = place_tabs(result, inputs.sheet_names, marks)

        def render_tabs(path: Path) -> list[str]:
            tabs.extend(render(result, templates, path, rows_later=table_rows, renamed=placement.renamed,
                               early=early))
            return tabs

        backup = save_with_tabs(workbook, target, render_tabs, set(placement.owned), keep_backups,
                                check=entry_check, rows=table_rows, unchanged_since=read_stamp)
    if json_path is not None:
        write_json(result, Path(json_path))
    return BuildResult(result, inputs, target, backup, tabs)


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
