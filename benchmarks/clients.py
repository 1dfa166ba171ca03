"""The speed grid of issue 19: rows × clients, `salesplan plan` against the bare read, and the engine.

    python benchmarks/clients.py                                  # the whole grid, 3 runs each
    python benchmarks/clients.py --rows 1048575 --clients 30000 --repeat 5
    python benchmarks/clients.py --engine-only --clients 300 30000 100000
    python benchmarks/clients.py --markdown                       # the tables for the README

The ledgers (``make_ledger.py --clients``: the demo distributor's rows dealt to N clients) are made
on first use and kept in ``--data`` (default ``$SALESPLAN_BENCH_DATA``, else
``~/.cache/salesplan-bench``; a 1 048 575-row file takes about a minute to make), each with a
targets CSV beside it: every manager's target is 1.15 × his average month of the last four, so the
gap, Instrument #1's offers and the long lists all have work to do.

For each cell of the grid, taking turns, each in its own process timed from start to exit, with its
peak memory (maximum resident set of the process and its children, from ``wait4``):

- ``bare read``: ``fastexcel.read_excel(f).load_sheet("Продажи", eager=True).to_pandas()``;
- ``salesplan plan``: ``salesplan plan FILE --targets T.csv --month 2026-12 --out TMP --backups 0``.

The median of the runs is reported, and the ratio of the medians. Then the engine alone, in a
process of its own, on the ledger already read: ``monthly.plan`` in place (``SALESPLAN_PARALLEL=0``)
with each step timed where it is called — the steps of ``plan_month`` (owners, turnover, regular
clients, funnel, open orders, returns, unassigned, shared order numbers), both instruments' content,
the new-client lists, the month to date and the typed notes — and, taking turns with it, the whole
of ``monthly.plan`` as the command runs it (the lists, the month to date and the notes forked onto
the second core beside Instrument #1): median of the runs per step, and how each step grows from
the fewest clients to the most.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from measure import machine, timed  # noqa: E402  (the standard library only: this process stays small)

# This process only starts the others and stays small: a child's peak memory (wait4's maximum
# resident set) is never below its parent's at the moment it starts, so the ledgers are made and
# the engine is timed in processes of their own.
PLAN_MONTH = "2026-12"
SHEET = "Продажи"
BARE_READ = ("import fastexcel, sys; "
             "fastexcel.read_excel(sys.argv[1]).load_sheet(sys.argv[2], eager=True).to_pandas()")

ROWS = (100_000, 1_048_575)
CLIENTS = (300, 3_000, 30_000, 100_000)


def data_folder(given: Path | None) -> Path:
    if given is not None:
        return given
    env = os.environ.get("SALESPLAN_BENCH_DATA")
    return Path(env) if env else Path.home() / ".cache" / "salesplan-bench"


def ledger_files(folder: Path, rows: int, clients: int) -> tuple[Path, Path]:
    """The ledger of ``rows`` × ``clients`` and its targets CSV, made (in a process of its own)
    when missing."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ledger-{rows}-{clients}c.xlsx"
    targets = folder / f"ledger-{rows}-{clients}c.targets.csv"
    if not path.exists() or not targets.exists():
        subprocess.run([sys.executable, __file__, "--make", str(rows), str(clients), "--data", str(folder)],
                       check=True)
    return path, targets


def make_files(folder: Path, rows: int, clients: int) -> None:
    from make_ledger import make, write_xlsx

    start = time.perf_counter()
    path = folder / f"ledger-{rows}-{clients}c.xlsx"
    ledger = make(rows, clients)
    write_xlsx(ledger, path)
    write_targets(ledger, folder / f"ledger-{rows}-{clients}c.targets.csv")
    print(f"made {path.name} ({ledger['Client'].nunique():,} clients) in {time.perf_counter() - start:.0f} s",
          file=sys.stderr)


def write_targets(ledger: Any, path: Path) -> None:
    """Every manager's target: 1.15 × his average month of the four full months before the plan month."""
    import pandas as pd

    month = pd.Period(PLAN_MONTH, "M")
    months = ledger["Date"].dt.to_period("M")
    sales = ledger[(months >= month - 4) & (months < month) & ledger["Status"].isin(["оплачен", "отгружен",
                                                                                     "возврат"])]
    targets = (sales.groupby("Manager")["Amount"].sum() / 4 * 1.15).round(-3)
    pd.DataFrame({"Менеджер": targets.index, "План": targets.to_numpy()}).to_csv(path, index=False)


def end_to_end(path: Path, targets: Path, repeat: int) -> dict[str, dict[str, Any]]:
    """Median wall time and peak memory of the bare read and of ``salesplan plan`` on ``path``."""
    runs: dict[str, list[tuple[float, float]]] = {"bare read": [], "salesplan plan": []}
    with tempfile.TemporaryDirectory(prefix="salesplan-grid-") as scratch:
        out = Path(scratch) / "planned.xlsx"
        salesplan = [sys.executable, "-m", "salesplan", "plan", str(path), "--targets", str(targets),
                     "--month", PLAN_MONTH, "--out", str(out), "--backups", "0"]
        for _ in range(repeat):  # taking turns, so a busy moment of the machine hits both alike
            runs["bare read"].append(timed([sys.executable, "-c", BARE_READ, str(path), SHEET]))
            runs["salesplan plan"].append(timed(salesplan))
    return {name: {"seconds": statistics.median(t for t, _ in r), "peak_mib": statistics.median(m for _, m in r),
                   "runs": [round(t, 2) for t, _ in r]} for name, r in runs.items()}


#: (module, function, step name): where the engine's steps are called from, timed there.
STEPS = (
    ("salesplan.method.plan", "client_owners_codes", "owners"),
    ("salesplan.method.plan", "client_month_turnover_codes", "turnover"),
    ("salesplan.method.regular", "regular_clients", "regular clients"),
    ("salesplan.method.funnel", "funnel", "funnel"),
    ("salesplan.method.funnel", "orders_found", "open orders"),
    ("salesplan.method.returns", "returns_found", "returns"),
    ("salesplan.method.plan", "unassigned_clients", "unassigned"),
    ("salesplan.method.funnel", "shared_order_numbers", "shared orders"),
    ("salesplan.monthly", "plan_layers", "plan_month (all of the above)"),
    ("salesplan.method.instruments", "instrument1", "Instrument #1 content"),
    ("salesplan.method.instruments", "instrument2", "Instrument #2 content"),
    ("salesplan.method.longlist", "new_client_lists", "new-client lists"),
    ("salesplan.monthly", "month_to_date", "month to date"),
    ("salesplan.method.notes", "typed_notes", "typed notes"),
)


@contextlib.contextmanager
def step_timer(times: dict[str, float]) -> Iterator[None]:
    """Wrap each of :data:`STEPS` where it is looked up, adding its seconds to ``times``."""
    import importlib

    saved = []
    for module_name, function, step in STEPS:
        module = importlib.import_module(module_name)
        original = getattr(module, function)

        def wrapper(*args: Any, _original: Callable[..., Any] = original, _step: str = step, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                times[_step] = times.get(_step, 0.0) + time.perf_counter() - start

        saved.append((module, function, original))
        setattr(module, function, wrapper)
    try:
        yield
    finally:
        for module, function, original in reversed(saved):
            setattr(module, function, original)


#: The engine's time as ``salesplan plan`` spends it: what the lists, the month to date and the notes
#: take is worked out on the second core beside Instrument #1 (``engine total`` is every step in one
#: process, one after the other: the sum the steps above add up to).
AS_RUN = "engine total, as run (two cores)"


def engine(path: Path, targets: Path, repeat: int) -> dict[str, float]:
    """:func:`engine_here` in a process of its own."""
    command = [sys.executable, __file__, "--engine-cell", str(path), str(targets), "--repeat", str(repeat)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def engine_here(path: Path, targets: Path, repeat: int) -> dict[str, float]:
    """Median seconds of each step of the engine on the ledger of ``path``, already read; and of
    the engine as the command runs it (:data:`AS_RUN`)."""
    import datetime as dt

    from salesplan import monthly
    from salesplan.beside import ENVIRONMENT_SWITCH
    from salesplan.memory import hold_freed_memory

    hold_freed_memory()  # as the command does

    inputs = monthly.read_workbook_inputs(path, targets_file=targets, month=PLAN_MONTH)
    templates = monthly.template_paths(path)
    built = dt.datetime(2026, 12, 10, 9, 0)
    runs: list[dict[str, float]] = []
    as_run: list[float] = []
    for _ in range(repeat + 1):  # the first run warms the caches (templates, imports): not counted
        # Every step in this process, where it can be timed ...
        os.environ[ENVIRONMENT_SWITCH] = "0"
        times: dict[str, float] = {}
        with step_timer(times):
            start = time.perf_counter()
            monthly.plan(inputs, templates, built=built)
            times["engine total"] = time.perf_counter() - start
        runs.append(times)
        # ... and, taking turns with it, as the command runs it: the work beside Instrument #1 in a
        # forked process on the second core (salesplan.beside).
        os.environ.pop(ENVIRONMENT_SWITCH, None)
        start = time.perf_counter()
        monthly.plan(inputs, templates, built=built)
        as_run.append(time.perf_counter() - start)
    runs, as_run = runs[1:], as_run[1:]
    out = {step: statistics.median(r.get(step, 0.0) for r in runs) for step in runs[0]}
    out[AS_RUN] = statistics.median(as_run)
    out["rows"] = len(inputs.ledger)
    out["clients"] = int(inputs.ledger["client"].nunique())
    return out


def markdown(report: dict[str, Any]) -> str:
    def n(value: Any) -> str:
        return f"{int(value):,}".replace(",", " ")

    lines = ["| machine | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in report["machine"].items()]
    if report["end_to_end"]:
        lines += ["", "| rows | clients | bare fastexcel read | `salesplan plan` | ratio | peak memory: read / plan |",
                  "|---:|---:|---:|---:|---:|---|"]
        for cell in report["end_to_end"]:
            read, plan = cell["bare read"], cell["salesplan plan"]
            lines.append(f"| {n(cell['rows'])} | {n(cell['clients'])} | {read['seconds']:.2f} s | "
                         f"{plan['seconds']:.2f} s | {plan['seconds'] / read['seconds']:.2f}× | "
                         f"{read['peak_mib']:.0f} / {plan['peak_mib']:.0f} MiB |")
    # One table per row count: a step's growth is read across clients at the same rows.
    for rows in dict.fromkeys(c["rows"] for c in report["engine"]):
        cells = [c for c in report["engine"] if c["rows"] == rows]
        steps = [k for k in cells[0] if k not in ("rows", "clients")]
        lines += ["", f"| step ({n(rows)} rows) | " + " | ".join(f"{n(c['clients'])} clients" for c in cells)
                  + " | growth, fewest → most clients |", "|---|" + "---:|" * (len(cells) + 1)]
        for step in steps:
            values = [c.get(step, 0.0) for c in cells]
            growth = values[-1] / values[0] if values[0] > 0.0005 else float("nan")
            lines.append(f"| {step} | " + " | ".join(f"{v:.3f} s" for v in values)
                         + (f" | {growth:.1f}× |" if growth == growth else " | – |"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", nargs="+", type=int, default=list(ROWS))
    parser.add_argument("--clients", nargs="+", type=int, default=list(CLIENTS))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default: %(default)s)")
    parser.add_argument("--data", type=Path, help="ledger folder (default: $SALESPLAN_BENCH_DATA or "
                                                  "~/.cache/salesplan-bench)")
    parser.add_argument("--engine-only", action="store_true", help="only the engine, per step")
    parser.add_argument("--end-to-end-only", action="store_true", help="only the grid of end-to-end runs")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--make", nargs=2, type=int, help=argparse.SUPPRESS)  # rows, clients: in a child
    parser.add_argument("--engine-cell", nargs=2, type=Path, help=argparse.SUPPRESS)  # ledger, targets
    args = parser.parse_args(argv)
    if args.make:
        make_files(data_folder(args.data), *args.make)
        return 0
    if args.engine_cell:
        print(json.dumps(engine_here(*args.engine_cell, args.repeat)))
        return 0

    folder = data_folder(args.data)
    report: dict[str, Any] = {"machine": machine(), "end_to_end": [], "engine": []}
    for rows in args.rows:
        for clients in args.clients:
            if clients > rows:
                continue
            path, targets = ledger_files(folder, rows, clients)
            if not args.engine_only:
                print(f"{rows:,} rows × {clients:,} clients: end to end ...", file=sys.stderr)
                report["end_to_end"].append({"rows": rows, "clients": clients,
                                             **end_to_end(path, targets, args.repeat)})
            if not args.end_to_end_only:
                print(f"{rows:,} rows × {clients:,} clients: engine ...", file=sys.stderr)
                report["engine"].append(engine(path, targets, args.repeat))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(report) if args.markdown else json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
