"""The Excel side: what the workbook's buttons run (xlwings ``RunPython``) and the cell functions.

Thin on purpose. Every entry point reads the caller workbook's live sheets (so unsaved edits count),
runs the same engine and the same renderers as the command line, and puts the resulting tabs into
the workbook. Printing plans nothing: Excel prints the №1/№2 sheets as they are on the screen,
paired as ``salesplan pdf`` pairs them (:mod:`salesplan.outputs.printing`). Excel is reached only
through :class:`Session`, a small interface: tests drive the entry points with a double, Excel with
:class:`XlwingsSession`.

How tabs get into an open workbook: they are rendered into a temporary .xlsx exactly as on the
command line, then Excel itself copies those sheets in (xlwings' ``Sheet.copy``), which keeps every
style, print setting and chart — no cell-by-cell formatting.

Windows and Mac: :class:`XlwingsSession` uses xlwings' own API, which drives Excel through COM on
Windows and through AppleScript on a Mac. Where xlwings has no call of its own (the file picker; a
sheet «very hidden»; the workbook's «saved» flag) it reaches the platform's object behind
``.api`` in a branch per platform: COM's members on Windows (``GetOpenFilename``, ``Visible``,
``Saved``), the AppleScript dictionary's on a Mac (``choose file``, ``visible``, ``saved``).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from .errors import InputError, Problem, SalesplanError
from .inputs.rows import FAST_SUFFIXES, SheetRows, WorkbookSource, read_sales_file
from .scratch import scratch_folder
from .texts import names, t

#: Rows per read when a sheet is fetched from Excel: one COM call per block, not per cell.
READ_BLOCK_ROWS = 50_000
#: Excel's XlSheetVisibility.xlSheetVeryHidden (COM, Windows).
_XL_SHEET_VERY_HIDDEN = 2
#: What the file picker offers: Windows' filter string, the Mac's file types (UTIs).
_OPEN_FILTER_WIN = "Excel, CSV (*.xlsx;*.xlsm;*.xls;*.csv),*.xlsx;*.xlsm;*.xls;*.csv"
_OPEN_TYPES_MAC = ("org.openxmlformats.spreadsheetml.sheet", "org.openxmlformats.spreadsheetml.sheet.macroenabled",
                   "com.microsoft.excel.xls", "public.comma-separated-values-text")
#: AppleScript's error number for «User canceled».
_MAC_USER_CANCELED = -128


class Session(Protocol):
    """What the entry points need from Excel."""

    def sheet_names(self) -> list[str]: ...
    def sheet_marks(self) -> dict[str, str]: ...
    def read_sheet(self, name: str) -> SheetRows: ...
    def workbook_path(self) -> Path: ...
    def unsaved_changes(self) -> bool:
        """True when the file on disk may differ from what the workbook shows (edits not saved, or
        never saved at all)."""
        ...
    def replace_sheets(self, rendered: Path, names_: Sequence[str], owned: set[str]) -> None: ...
    def write_values(self, name: str, rows: list[list[Any]]) -> None: ...
    def status(self, text: str | None) -> None: ...
    def message(self, text: str, title: str) -> None: ...
    def ask_open_file(self, title: str) -> Path | None: ...
    def export_pdf(self, sheet_names: Sequence[str], path: Path) -> None:
        """Print these sheets, as the workbook shows them now, into one PDF at ``path`` (replaced)."""
        ...


# --- entry points behind the buttons -------------------------------------------------------------


def build_plan(session: Session | None = None) -> None:
    """Button «Построить план»: the whole monthly build into this workbook."""
    _run(session, _build_plan)


def make_instruments(session: Session | None = None) -> None:
    """Button «Листы А4»: Instrument #1 and #2 sheets only (the plan tabs stay as they are)."""
    _run(session, _make_instruments)


def print_instruments(session: Session | None = None) -> None:
    """Button «Печать в PDF»: each manager's №1 and №2 sheets, as they are in the workbook (edits
    included, nothing planned again), printed by Excel into one PDF per manager in a «PDF» folder
    beside the workbook."""
    _run(session, _print_instruments)


def import_sales(session: Session | None = None) -> None:
    """Button «Загрузить продажи»: pick an export file, parse it as ``--sales`` does, fill the Sales tab."""
    _run(session, _import_sales)


def refresh_dashboard(session: Session | None = None) -> None:
    """Button «Обновить панель»: the dashboard needs the plan, the lists and this month's sales, so
    it is the monthly build (the Sales tab as it is now, unsaved edits included)."""
    _run(session, _build_plan)


def backtest(session: Session | None = None) -> None:
    """Button «Проверить метод на прошлых месяцах»: the 12 months before the plan month, each planned
    from the sales before it and compared with what came, on the «Проверка метода» tab."""
    _run(session, _backtest)


# --- what they do ---------------------------------------------------------------------------------


def _inputs(session: Session):
    from .monthly import read_inputs

    sheets = session.sheet_names()

    def find(key: str) -> str | None:
        wanted = {n.casefold() for n in names(key)}
        return next((s for s in sheets if s.strip().casefold() in wanted), None)

    from .monthly import LIST_TABS, configured_sales_source, instrument2_candidates

    config_name, catalog_name = find("sheet.config"), find("sheet.catalog")
    config_rows = session.read_sheet(config_name) if config_name else None
    # The Config may name a history kept outside the workbook (sales_source): then the Sales tab is
    # not read at all.
    sales_source = configured_sales_source(config_rows, [], session.workbook_path())
    sales = find("sheet.sales")
    if sales is None and sales_source is None:
        raise InputError("err.no_sheet", path=session.workbook_path().name, sheet=" / ".join(names("sheet.sales")),
                         sheets=", ".join(sheets))
    session.status(t("xl.reading", "ru"))
    lists = {key: (session.read_sheet(name) if (name := find(key)) else None) for key in LIST_TABS}
    # The managers' Instrument #2 sheets (their edits), renamed ones too: a tab is read when it
    # starts like one.
    read: dict[str, SheetRows] = {}

    def rows(name: str) -> SheetRows:
        if name not in read:
            read[name] = session.read_sheet(name)
        return read[name]

    second = [rows(name) for name in instrument2_candidates(sheets, lambda name: rows(name).rows[:3])]
    if sales_source is not None:  # the Config's history outside the workbook, said in the status bar
        session.status(t("xl.reading_source", "ru", path=str(sales_source)))
        sales_rows: SheetRows | Path = sales_source
    else:
        sales_rows = _read_sales(session, sales)
    inputs = read_inputs(sales_rows, config_rows, session.read_sheet(catalog_name) if catalog_name else None,
                         lists=lists, instrument2=second)
    inputs.sheet_names = sheets
    return inputs


def _read_sales(session: Session, name: str) -> SheetRows:
    """The Sales tab, by the faster of two paths, named in the status bar.

    Through Excel (COM) a sheet comes in blocks of :data:`READ_BLOCK_ROWS` rows, each value a Python
    object: minutes for a million rows. When the workbook has no unsaved changes, the file on disk
    holds the same cells, and the command line's reader (fastexcel, typed columns) takes them from
    it in seconds. Anything in the way of that file (locked, gone, unreadable) falls back to the
    live sheet: slower, never stale.
    """
    path = session.workbook_path()
    if path.suffix.lower() in FAST_SUFFIXES and not session.unsaved_changes():
        session.status(t("xl.reading_saved", "ru", sheet=name))
        try:
            return WorkbookSource(path).rows(name)
        except (OSError, InputError) as exc:
            session.status(t("xl.reading_live_unreadable", "ru", sheet=name, detail=str(exc)))
    else:
        session.status(t("xl.reading_live", "ru", sheet=name))
    return session.read_sheet(name)


def _plan(session: Session) -> tuple[Any, tuple[Path, Path]]:
    """The live workbook's month, planned as the command line plans it; and its templates."""
    from .monthly import plan, template_paths

    inputs = _inputs(session)
    session.status(t("xl.planning", inputs.config.lang))
    templates = template_paths(session.workbook_path(), inputs.config.lang)
    return plan(inputs, templates), templates


def _build_plan(session: Session) -> str:
    from .outputs.render import place_tabs, render

    result, templates = _plan(session)
    result, placement = place_tabs(result, session.sheet_names(), session.sheet_marks())
    with scratch_folder("xl") as scratch:
        rendered = scratch / "tabs.xlsx"
        written = render(result, templates, rendered, renamed=placement.renamed)
        session.status(t("xl.writing", result.lang))
        session.replace_sheets(rendered, written, set(placement.owned))
    return t("xl.done", result.lang, managers=len(result.managers), problems=len(result.problems))


def _make_instruments(session: Session) -> str:
    """Only the A4 sheets are put in: the plan tabs stay as they are."""
    from .outputs.render import PLAN_TABS, place_tabs, render

    result, templates = _plan(session)
    result, placement = place_tabs(result, session.sheet_names(), session.sheet_marks(), only_instruments=True)
    with scratch_folder("xl") as scratch:
        rendered = scratch / "tabs.xlsx"
        plan_tabs = {placement.renamed.get(t(k, result.lang), t(k, result.lang)) for k in PLAN_TABS}
        written = [n for n in render(result, templates, rendered, renamed=placement.renamed) if n not in plan_tabs]
        session.replace_sheets(rendered, written, set(placement.owned))
    return t("xl.done_instruments", result.lang, sheets=len(written))


def _backtest(session: Session) -> str:
    """The same check as ``salesplan backtest``, on the live workbook's sheets."""
    from .inputs.history import read_targets_history
    from .methodcheck import MONTHS, check_method, render_method_check, tab_placement

    inputs = _inputs(session)
    lang = inputs.config.lang
    wanted = {n.casefold() for n in names("sheet.targets_history")}
    tab = next((s for s in session.sheet_names() if s.strip().casefold() in wanted), None)
    history, problems = read_targets_history(session.read_sheet(tab) if tab else None)
    session.status(t("xl.planning", lang))
    result = check_method(inputs, MONTHS, history=history)
    owned, name = tab_placement(session.sheet_names(), session.sheet_marks(), lang)
    with scratch_folder("xl") as scratch:
        rendered = scratch / "tab.xlsx"
        written = render_method_check(result, rendered, lang, name=name, problems=problems)
        session.status(t("xl.writing", lang))
        session.replace_sheets(rendered, written, owned)
    return t("xl.done_backtest", lang, tested=len(result.tested))


def _print_instruments(session: Session) -> str:
    """What the workbook shows is printed: the sheets are paired as on the command line
    (:func:`salesplan.outputs.printing.print_jobs`), and Excel prints each pair itself."""
    from .errors import PdfExportError
    from .outputs.printing import no_instrument_sheets, print_jobs
    from .outputs.render import instrument_tabs

    written = instrument_tabs(session.sheet_names(), session.sheet_marks())
    tabs = list(written)
    if not tabs:
        raise no_instrument_sheets(session.workbook_path())
    lang = "en" if written[tabs[0]].lstrip().startswith("#") else "ru"
    session.status(t("xl.printing", lang))
    jobs = print_jobs({name: session.read_sheet(name) for name in tabs}, written)
    out_dir = session.workbook_path().parent / "PDF"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PdfExportError("err.pdf_failed", path=str(out_dir), detail=exc.strerror or str(exc)) from None
    for job in jobs:
        session.export_pdf(job.sheets, out_dir / f"{job.file_name}.pdf")
    done = [t("xl.done_pdf", lang, n=len(jobs), folder=str(out_dir))]
    done += [t("pdf.alone", lang, sheet=job.sheets[0], other=job.missing) for job in jobs if job.alone]
    return " ".join(done)


def _import_sales(session: Session) -> str:
    """The export is parsed exactly as ``--sales`` does, and the Sales tab gets the clean, typed rows
    (real dates and numbers): Excel never has to guess what ``05.08.2026`` or ``1 234,50`` means, a
    guess that depends on the PC's regional settings."""
    from .inputs.config import Config
    from .inputs.ledger import read_ledger
    from .outputs.input_tabs import SALES_FIELDS, SALES_HEADERS

    path = session.ask_open_file(t("xl.pick_file", "ru"))
    if path is None:
        return ""
    ledger, problems = read_ledger(read_sales_file(path, names("sheet.sales")), Config().statuses)
    sheets = session.sheet_names()
    target = next((s for s in sheets if s.casefold() in {n.casefold() for n in names("sheet.sales")}),
                  names("sheet.sales")[0])
    lang = "en" if target == names("sheet.sales")[1] else "ru"
    columns = [ledger[f.lower()] for f in SALES_FIELDS]
    rows = [list(SALES_HEADERS[lang])] + [
        [_excel_value(col.iloc[i]) for col in columns] for i in range(len(ledger))]
    session.write_values(target, rows)
    message = t("xl.done_import", lang, rows=len(ledger), path=path.name)
    if problems:
        first = "; ".join(f"{p.row}: {p.text(lang)}" for p in problems[:3])
        message += " " + t("xl.import_skipped", lang, n=len({p.row for p in problems}), first=first)
    return message


def _excel_value(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float) and value != value:
        return ""
    return value


def _run(session: Session | None, action) -> None:
    """Run an action and tell the user how it went: a message box, never a traceback window."""
    session = session or XlwingsSession.caller()
    try:
        done = action(session)
        if done:
            session.message(done, "salesplan")
    except SalesplanError as exc:
        session.message(exc.text("ru"), "salesplan")
    except Exception:  # the last line of defence: a log for us, a sentence for the user
        from .errorlog import write_error_log

        log = write_error_log()
        session.message(t("xl.internal", "ru", log=str(log or "—")), "salesplan")
    finally:
        session.status(None)


# --- cell functions (UDFs) -------------------------------------------------------------------------


def plan_figures(sales: list[list[Any]], manager: str, month: str | None = None,
                 target: float | None = None) -> list[list[Any]]:
    """A manager's plan figures as a two-column table (name, value), from a Sales range with headers."""
    plan = _udf_plan(sales, month, {manager: target} if target else None)
    rows = plan.summary[plan.summary["manager"] == manager]
    if rows.empty:
        return [[t("udf.no_manager", "ru", manager=manager), ""]]
    row = rows.iloc[0]
    keys = ["target", "regular_clients", "regular_plan", "average_monthly", "remainder", "funnel_plan",
            "base_plan", "gap", "existing_clients_plan", "new_clients_plan", "open_orders_count",
            "open_orders_amount", "mtd_turnover"]
    return [[t(f"col.{k}", "ru"), _cell(row[k])] for k in keys]


def client_plan(sales: list[list[Any]], client: str, month: str | None = None) -> list[list[Any]]:
    """A client's classification and monthly plan: kind, owner, active months, W turnover, plan, weekly."""
    plan = _udf_plan(sales, month, None)
    owner = plan.owners.get(client)
    if owner is None:
        return [[t("udf.no_client", "ru", client=client), ""]]
    regular = plan.regular[plan.regular["client"] == client]
    months = plan.window
    turnover = plan.turnover[(plan.turnover["client"] == client)
                             & plan.turnover["month"].between(months.start, months.stop - 1)]
    active = int((turnover["turnover"] > 0).sum())
    window_turnover = float(turnover["turnover"].sum())
    if len(regular):
        kind, monthly = t("udf.regular", "ru"), float(regular["monthly_plan"].iloc[0])
    else:
        kind, monthly = (t("udf.one_time", "ru") if window_turnover > 0 else t("udf.lapsed", "ru")), 0.0
    return [[t("udf.kind", "ru"), kind], [t("config.owner", "ru"), owner],
            [t("col.active_months", "ru"), active], [t("col.window_turnover", "ru"), window_turnover],
            [t("col.monthly_plan", "ru"), monthly], [t("col.weekly_target", "ru"), monthly / 4]]


def _udf_plan(sales: list[list[Any]], month: str | None, targets: dict | None):
    from .inputs.config import Config, apply_overrides
    from .inputs.ledger import read_ledger
    from .method.plan import plan_month

    config = apply_overrides(Config(), [], month or None)
    ledger, _ = read_ledger(SheetRows("Sales", [list(r) for r in sales or []]), config.statuses)
    frame = pd.DataFrame({"manager": list(targets or {}), "target": [float(v) for v in (targets or {}).values()],
                          "existing_share": [float("nan")] * len(targets or {})})
    return plan_month(ledger, config.params, frame, None, config.tiers)


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return float(value) if not isinstance(value, str) else value


def _udf_errors(func):
    """A UDF shows its message in the cell instead of raising (Excel would show #VALUE! only)."""
    import functools

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except SalesplanError as exc:
            return [[exc.text("ru"), ""]]
    return wrapper


try:  # the decorators are plain pass-throughs without Excel, so the functions stay testable
    import xlwings as xw

    @xw.func
    @xw.arg("sales", ndim=2)
    @xw.ret(expand="table")
    @_udf_errors
    def SALESPLAN_MANAGER(sales, manager, month=None, target=None):  # noqa: N802 - Excel's style
        """План менеджера: показатели слоёв метода по диапазону продаж с заголовками."""
        return plan_figures(sales, str(manager), month, target)

    @xw.func
    @xw.arg("sales", ndim=2)
    @xw.ret(expand="table")
    @_udf_errors
    def SALESPLAN_CLIENT(sales, client, month=None):  # noqa: N802
        """Клиент: постоянный/разовый/ушедший, менеджер, план на месяц и цель на неделю."""
        return client_plan(sales, str(client), month)

    #: The cell functions, by name: the built workbook's ``xlwings_udfs`` module declares each
    #: (:mod:`salesplan.build.udfs`), so they work in Excel on Windows without an import.
    CELL_FUNCTIONS = {"SALESPLAN_MANAGER": SALESPLAN_MANAGER, "SALESPLAN_CLIENT": SALESPLAN_CLIENT}
except ImportError:  # pragma: no cover - xlwings is a dependency; this keeps the engine importable
    CELL_FUNCTIONS = {}


# --- the real Excel --------------------------------------------------------------------------------


class XlwingsSession:
    """:class:`Session` over a live workbook through xlwings (Windows/macOS with Excel only)."""

    def __init__(self, book: Any, platform: str | None = None) -> None:
        self.book = book
        #: "mac" or "win": which object model stands behind ``.api`` (Excel runs where Python does).
        self.platform = platform or ("mac" if sys.platform == "darwin" else "win")

    @classmethod
    def caller(cls) -> XlwingsSession:
        import xlwings as xw

        return cls(xw.Book.caller())

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def sheet_marks(self) -> dict[str, str]:
        """The program's marks (see :mod:`salesplan.ooxml.marks`): Excel lists a sheet's local names
        in ``Worksheet.Names``, named ``Sheet!name``, hidden ones included."""
        from .ooxml.marks import MARK_NAME, mark_value

        marks = {}
        for sheet in self.book.sheets:
            for name in sheet.names:
                recorded = mark_value(name.refers_to) if name.name.rpartition("!")[2] == MARK_NAME else None
                if recorded is not None:
                    marks[sheet.name] = recorded
        return marks

    def workbook_path(self) -> Path:
        return Path(self.book.fullname)

    def unsaved_changes(self) -> bool:
        """Excel's «saved» flag, and a file behind it (a new book is «Книга1», no path); what cannot
        be read counts as changed, so the live sheet is read."""
        try:
            return not (self.workbook_path().is_file() and self._saved())
        except Exception:  # noqa: BLE001 - COM and AppleScript errors have no common type
            return True

    def read_sheet(self, name: str) -> SheetRows:
        sheet = self.book.sheets[name]
        used = sheet.used_range
        last_row, last_col = used.last_cell.row, used.last_cell.column
        rows: list[list[Any]] = []
        for start in range(1, last_row + 1, READ_BLOCK_ROWS):
            end = min(start + READ_BLOCK_ROWS - 1, last_row)
            block = sheet.range((start, 1), (end, last_col)).options(ndim=2, empty="").value
            rows.extend(block)
            if last_row > READ_BLOCK_ROWS:
                self.status(t("xl.read_progress", "ru", done=end, total=last_row))
        return SheetRows(name, rows)

    def replace_sheets(self, rendered: Path, names_: Sequence[str], owned: set[str]) -> None:
        app = self.book.app
        alerts = app.display_alerts
        app.display_alerts = False
        try:
            for sheet in list(self.book.sheets):
                if sheet.name in owned:
                    sheet.delete()
            source = app.books.open(str(rendered))
            try:
                for name in names_:
                    source.sheets[name].copy(after=self.book.sheets[-1])
            finally:
                source.close()
        finally:
            app.display_alerts = alerts

    def write_values(self, name: str, rows: list[list[Any]]) -> None:
        sheet = self.book.sheets[name]
        sheet.clear_contents()
        width = max((len(r) for r in rows), default=0)
        for start in range(0, len(rows), READ_BLOCK_ROWS):
            block = [list(r) + [""] * (width - len(r)) for r in rows[start:start + READ_BLOCK_ROWS]]
            # Text is written as text: Excel would turn "=..." into a formula, so prefix it.
            block = [[("'" + v) if isinstance(v, str) and v[:1] in "=+-@" else v for v in r] for r in block]
            sheet.range((start + 1, 1)).value = block

    def status(self, text: str | None) -> None:
        self.book.app.status_bar = text if text else False

    def message(self, text: str, title: str) -> None:
        self.book.app.alert(text, title=title)

    def ask_open_file(self, title: str) -> Path | None:
        """Excel's own «open file» dialog; None when the user cancels it."""
        app = self.book.app
        if self.platform == "mac":
            # StandardAdditions' «choose file», shown by Excel (xlwings' alert goes the same way).
            import osax

            try:
                chosen = osax.OSAX(pid=app.pid).choose_file(with_prompt=title, of_type=list(_OPEN_TYPES_MAC))
            except Exception as exc:  # appscript's CommandError; «User canceled» is an answer
                if getattr(exc, "errornumber", None) == _MAC_USER_CANCELED:
                    return None
                raise
            return Path(chosen.path) if chosen else None
        chosen = app.api.GetOpenFilename(_OPEN_FILTER_WIN, 1, title)
        return Path(chosen) if chosen else None  # False when cancelled

    def export_pdf(self, sheet_names: Sequence[str], path: Path) -> None:
        """Excel prints the sheets into ``path`` (xlwings' open-source ``Book.to_pdf``), each by its
        own page setup, in the order of the tabs.

        ``to_pdf`` hides every other sheet while Excel prints and shows them again afterwards; a
        sheet hidden so that only a macro can show it («very hidden») would come back merely hidden,
        so it is hidden that way again, and the workbook's saved state is put back as it was.
        """
        from .errors import PdfExportError

        book = self.book
        very_hidden: list[Any] = []
        saved = None
        with contextlib.suppress(Exception):  # what cannot be read stays as to_pdf leaves it
            very_hidden = [s for s in book.sheets if self._very_hidden(s)]
            saved = self._saved()
        try:
            # Sheets whose names start with ``exclude_start_string`` are left out, "#" by default:
            # the English "#1 …" sheets. No sheet name can start with "[" (Excel forbids it).
            book.to_pdf(str(path), include=list(sheet_names), exclude_start_string="[")
        except Exception as exc:  # noqa: BLE001 - Excel's COM errors have no common type
            raise PdfExportError("err.pdf_failed", path=str(path), detail=str(exc) or type(exc).__name__) from None
        finally:
            with contextlib.suppress(Exception):
                for sheet in very_hidden:
                    self._hide_very(sheet)
                if saved is not None:
                    self._set_saved(saved)

    # What xlwings has no call for: COM on Windows, the AppleScript dictionary on a Mac (appscript,
    # which xlwings itself drives Excel with there).

    def _very_hidden(self, sheet: Any) -> bool:
        if self.platform == "mac":
            from appscript import k

            return bool(sheet.api.visible.get() == k.sheet_very_hidden)
        return bool(sheet.api.Visible == _XL_SHEET_VERY_HIDDEN)

    def _hide_very(self, sheet: Any) -> None:
        if self.platform == "mac":
            from appscript import k

            sheet.api.visible.set(k.sheet_very_hidden)
        else:
            sheet.api.Visible = _XL_SHEET_VERY_HIDDEN

    def _saved(self) -> bool:
        if self.platform == "mac":
            return bool(self.book.api.saved.get())
        return bool(self.book.api.Saved)

    def _set_saved(self, saved: bool) -> None:
        if self.platform == "mac":
            self.book.api.saved.set(saved)
        else:
            self.book.api.Saved = saved


__all__ = ["Session", "XlwingsSession", "build_plan", "make_instruments", "print_instruments", "import_sales",
           "refresh_dashboard", "backtest", "plan_figures", "client_plan", "Problem"]
