"""The monthly build: read the workbook, plan the month, write the output tabs.

This is the one sequence behind ``salesplan plan`` and the Excel button; the two differ only in
where rows come from (a file or the live workbook) and where tabs go.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
import pandas as pd

from .errors import InputError, Problem, WorkbookWriteError
from .inputs.config import Config, apply_overrides, read_config, read_targets_file
from .inputs.ledger import read_ledger
from .inputs.rows import SheetRows, WorkbookSource, read_sales_file
from .method.plan import MonthPlan, plan_month, to_json
from .outputs import tabs
from .outputs.workbook import check_writable, save_with_tabs
from .texts import names


@dataclass
class Inputs:
    """Everything read from the workbook and the command line, typed, with the problems found."""

    ledger: pd.DataFrame
    config: Config
    problems: list[Problem]
    rows_read: int


def read_inputs(sales: SheetRows, config_rows: SheetRows | None, *, targets_file: Path | None = None,
                month: str | None = None, settings: list[str] = ()) -> Inputs:
    """Parse the Config tab (with command-line overrides) and the Sales rows."""
    config, problems = read_config(config_rows)
    config = apply_overrides(config, list(settings), month)
    if targets_file is not None:
        config.targets = read_targets_file(targets_file)
    ledger, ledger_problems = read_ledger(sales, config.statuses)
    problems = problems + ledger_problems
    return Inputs(ledger, config, problems, rows_read=len(ledger) + len(ledger_problems))


def read_workbook_inputs(workbook: Path, *, sales_file: Path | None = None, targets_file: Path | None = None,
                         month: str | None = None, settings: list[str] = ()) -> Inputs:
    """Inputs from a workbook file: its Config tab, and its Sales tab unless ``sales_file`` is given."""
    source = WorkbookSource(workbook)
    config_name = source.find_sheet(names("sheet.config"))
    config_rows = source.rows(config_name) if config_name else None
    if sales_file is not None:
        sales = read_sales_file(sales_file, names("sheet.sales"))
    else:
        sales_name = source.find_sheet(names("sheet.sales"))
        if sales_name is None:
            raise InputError("err.no_sheet", path=str(workbook), sheet=" / ".join(names("sheet.sales")),
                             sheets=", ".join(source.sheet_names))
        sales = source.rows(sales_name)
    return read_inputs(sales, config_rows, targets_file=targets_file, month=month, settings=settings)


def make_plan(inputs: Inputs, today: dt.date | None = None) -> MonthPlan:
    config = inputs.config
    return plan_month(inputs.ledger, config.params, config.targets, config.owners, config.tiers, today)


def target_problems(inputs: Inputs, plan: MonthPlan) -> list[Problem]:
    """Targets and Clients rows that name nobody known: listed, not fatal."""
    sheet = names("sheet.config")[0 if inputs.config.lang == "ru" else 1]
    known = set(inputs.ledger["manager"]) | set(plan.owners)
    out = []
    for row in inputs.config.targets.itertuples(index=False):
        if row.manager not in known:
            out.append(Problem(sheet, int(row.row), "", row.manager, "prob.target_unknown_manager"))
    clients = set(inputs.ledger["client"])
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
          keep_backups: int = 5) -> BuildResult:
    """``salesplan plan``: plan the month and write the output tabs into the workbook (or ``out``)."""
    workbook = Path(workbook)
    target = Path(out) if out else workbook
    check_writable(target)  # before the work, so a locked file fails at once
    inputs = read_workbook_inputs(workbook, sales_file=sales_file, targets_file=targets_file,
                                  month=month, settings=settings)
    plan = make_plan(inputs, today)
    problems = inputs.problems + target_problems(inputs, plan)
    lang = inputs.config.lang
    written_tabs: list[str] = []

    def render(path: Path) -> list[str]:
        written_tabs.extend(tabs.render_plan_tabs(path, plan, problems, inputs.rows_read, lang))
        return written_tabs

    backup = save_with_tabs(workbook, target, render, tabs.owned_sheet_names(), keep_backups)
    if json_path is not None:
        write_json(plan, Path(json_path))
    return BuildResult(plan, inputs, problems, target, backup, written_tabs)


def write_json(plan: MonthPlan, path: Path) -> None:
    try:
        path.write_text(json.dumps(to_json(plan), ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise WorkbookWriteError("err.bad_json_path", path=str(path), detail=exc.strerror or str(exc)) from None


def as_json_text(plan: MonthPlan) -> str:
    return json.dumps(to_json(plan), ensure_ascii=False, indent=2)
