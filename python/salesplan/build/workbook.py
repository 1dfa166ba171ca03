"""salesplan.xlsm from source: the Start tab with its buttons, the input tabs, xlwings.conf and the
VBA project, then the month's plan.

``salesplan build-workbook`` writes it; the committed ``salesplan.xlsm`` is that output for the
demo distributor and :data:`salesplan.demo.SHIPPED_MONTH`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from ..demo_data import DemoData
from ..excel_setup import NEW_WORKBOOK_CONF
from ..inputs.config import Config
from ..outputs.tabs import new_book, put
from ..texts import t
from .udfs import UDF_MODULE, udf_module_source
from .vba_project import attach_vba_project, default_modules

#: The buttons of the Start tab: (caption key, macro in SalesPlan.bas, cell).
BUTTONS = (("btn.build", "BuildPlan", "B6"), ("btn.instruments", "MakeInstruments", "B9"),
           ("btn.pdf", "PrintInstruments", "B12"), ("btn.import", "ImportSales", "B15"),
           ("btn.dashboard", "RefreshDashboard", "B18"), ("btn.backtest", "CheckMethod", "B21"))

#: xlwings reads RunPython's settings from this sheet (keys in A, values in B, to the first blank);
#: every key that reaches its command line is on it, so no file beside the workbook can give it
#: (see :mod:`salesplan.excel_setup`, which writes the interpreter).
XLWINGS_CONF = NEW_WORKBOOK_CONF


def write_start_tab(book: Any, lang: str, demo: str | None = None) -> None:
    """The first tab a manager sees: buttons, the plan month, the last build, how to use it, and
    ``demo`` (the demo workbook's note that it is a demo) when given."""
    ws = book.add_worksheet(t("sheet.start", lang))
    title = book.add_format({"bold": True, "font_size": 18, "font_color": "#1F4E78"})
    label = book.add_format({"bold": True, "font_size": 11})
    value = book.add_format({"font_size": 11, "font_color": "#1F4E78", "bold": True})
    text = book.add_format({"font_size": 10, "text_wrap": True, "valign": "top"})
    note = book.add_format({"font_size": 9, "italic": True, "font_color": "#595959", "text_wrap": True})
    ws.set_column("A:A", 3)
    ws.set_column("B:B", 34)
    ws.set_column("C:C", 3)
    ws.set_column("D:D", 90)
    put(ws, 0, 1, t("start.title", lang), title)
    if demo:
        warn = book.add_format({"bold": True, "font_size": 11, "font_color": "#C00000", "text_wrap": True,
                                "valign": "vcenter"})
        ws.merge_range(1, 1, 1, 3, demo, warn)
        ws.set_row(1, 32)
    put(ws, 2, 1, t("start.month", lang), label)
    config = t("sheet.config", lang)
    # INDIRECT, so the formulas survive the program replacing the tabs they point at.
    ws.write_formula(2, 3, f'=IF(INDIRECT("\'{config}\'!C6")="","{t("start.month_empty", lang)}",'
                           f'INDIRECT("\'{config}\'!C6"))', value, "")
    put(ws, 3, 1, t("start.built", lang), label)
    plan = t("sheet.plan", lang)
    ws.write_formula(3, 3, f'=IFERROR(INDIRECT("\'{plan}\'!A2"),"{t("start.not_built", lang)}")', value, "")
    for key, macro, cell in BUTTONS:
        ws.insert_button(cell, {"macro": macro, "caption": t(key, lang), "width": 250, "height": 40})
    put(ws, 5, 3, t("start.how", lang), label)
    for i in range(1, 6):
        put(ws, 5 + i * 2 - 1, 3, t(f"start.step{i}", lang), text)
        ws.set_row(5 + i * 2 - 1, 30)
    put(ws, 19, 3, t("start.note", lang), note)
    ws.activate()


def write_xlwings_conf(book: Any) -> None:
    ws = book.add_worksheet("xlwings.conf")
    for r, (key, val) in enumerate(XLWINGS_CONF):
        put(ws, r, 0, key)
        put(ws, r, 1, val)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 60)
    ws.hide()


def write_workbook(path: Path, data: DemoData | pd.DataFrame, config: Config, lang: str, month: str, *,
                   crosssell, exclusions, catalog, created: dt.datetime | None = None,
                   xlwings_bas: str | None = None, prospects=None, wishes=None, previous_lists=None,
                   demo: str | None = None) -> None:
    """A new salesplan workbook: Start, Sales, Config, Catalog, xlwings.conf and, for .xlsm, the VBA.

    ``data``: the demo's data, or the Sales rows alone (a frame with the columns of
    :data:`~salesplan.outputs.input_tabs.SALES_FIELDS`; empty for a new workbook).
    ``xlwings_bas`` replaces xlwings' module (tests put a stub there that LibreOffice can run);
    ``demo``: the Start tab's note that this is the demo workbook."""
    from ..outputs.input_tabs import (
        write_catalog_tab,
        write_config_tab,
        write_prospects_tab,
        write_sales_tab,
        write_wishes_tab,
    )

    path = Path(path)
    book = new_book(path)
    if created is not None:  # a fixed creation time makes the build reproducible byte for byte
        book.set_properties({"created": created})
    write_start_tab(book, lang, demo)
    write_sales_tab(book, data if isinstance(data, pd.DataFrame) else data.ledger, lang)
    write_config_tab(book, config, lang, crosssell=crosssell, exclusions=exclusions)
    write_catalog_tab(book, catalog, lang)
    if prospects is not None:
        write_prospects_tab(book, prospects, lang)
    if wishes is not None:
        write_wishes_tab(book, wishes, lang)
    fm = None
    if previous_lists is not None:  # last month's lists as managers left them
        from ..outputs import lists
        from ..outputs.tabs import Formats

        result, short, month_number = previous_lists
        fm = Formats(book)
        lists.write_long_list_tab(book, fm, result, month_number, lang)
        lists.write_short_list_tab(book, fm, short, month_number, lang)
    write_xlwings_conf(book)
    if path.suffix.lower() == ".xlsm":
        # The buttons' macros, and the cell functions' wrappers as xlwings' «Import Functions» writes them.
        attach_vba_project(book, {**default_modules(), UDF_MODULE: udf_module_source()}, xlwings_bas=xlwings_bas)
    book.close()
    if fm is not None:  # table rows written in bulk, if any
        from ..ooxml.worksheet import insert_blocks

        insert_blocks(path, fm.blocks)


def write_new_workbook(path: Path, lang: str = "ru", created: dt.datetime | None = None) -> Path:
    """``salesplan new``: a clean workbook for a real company, with no demo data anywhere.

    The same Start tab, buttons and VBA project as the demo; the Config tab at its defaults (plan
    month empty = the current month) with empty Targets, Clients and Exclusions and the seed's two
    cross-selling examples as a starting map; empty Sales, Catalog, Prospects and Wishes tabs. The
    plan tabs and the lists appear with the first build. An existing file is never overwritten
    (``err.new_exists``), even one made by another program in the meantime.

    Returns:
        ``path``.
    """
    import os
    import tempfile

    from ..errors import InputError, WorkbookWriteError
    from ..inputs.config import DEFAULT_CROSSSELL, DEFAULT_TIERS
    from ..inputs.lists import PROSPECT_FIELDS, WISH_FIELDS
    from ..outputs.input_tabs import CATALOG_FIELDS, SALES_FIELDS

    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise InputError("err.new_suffix", path=path, suggestion=path.with_suffix(".xlsm").name)
    if path.exists() or path.is_symlink():
        raise InputError("err.new_exists", path=path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("err.output_no_folder", option="salesplan new", path=path, folder=folder)
    config = Config(tiers=DEFAULT_TIERS[lang]).with_params(language=lang)

    def empty(fields: Any) -> pd.DataFrame:
        return pd.DataFrame({f: pd.Series([], dtype=object) for f in fields})

    try:
        handle, temporary = tempfile.mkstemp(prefix=f".~{path.stem}.", suffix=".xlsm", dir=folder)
        os.close(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # a file like any other the user makes, not mkstemp's 0600
    except OSError as exc:
        raise WorkbookWriteError("err.write_failed", path=path, detail=exc.strerror or exc) from None
    try:
        write_workbook(Path(temporary), empty(SALES_FIELDS), config, lang, "", crosssell=DEFAULT_CROSSSELL,
                       exclusions=(), catalog=empty(CATALOG_FIELDS), created=created,
                       prospects=empty([f for f, _ in PROSPECT_FIELDS]), wishes=empty([f for f, _ in WISH_FIELDS]))
        # A hard link, not a rename: it fails rather than replace a file that appeared meanwhile.
        os.link(temporary, path)
    except FileExistsError:
        raise InputError("err.new_exists", path=path) from None
    except OSError as exc:
        raise WorkbookWriteError("err.write_failed", path=path, detail=exc.strerror or exc) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path
