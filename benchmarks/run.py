"""Times ``salesplan plan`` end to end against a bare read of the same file, and the engine alone.

    python benchmarks/run.py                      # 100 000, 300 000 and 1 048 575 rows, 3 runs each
    python benchmarks/run.py 100000 --repeat 5    # any sizes
    python benchmarks/run.py --markdown           # the tables as Markdown, for the README
    python benchmarks/run.py --grid --markdown    # rows × clients: the grid of clients.py (issue 19)

Missing ledgers are made first (``make_ledger.py``, into ``benchmarks/data/``). For each size, in
one run and taking turns, each of these runs in its own process, timed from start to exit (so
Python's start and imports count for all of them alike), with the process's peak memory (maximum
resident set size, from ``wait4``):

- ``fastexcel``: the bare read by the fastest reader available — ``fastexcel.read_excel(f)
  .load_sheet("Продажи", eager=True).to_pandas()``, the Rust calamine reader filling Arrow arrays
  directly (eager: a fifth faster than a lazy sheet's ``to_pandas()``), into a DataFrame, nothing else;
- ``calamine rows``: python-calamine's ``to_python()`` of the same sheet (the reader salesplan
  used before, giving a list of row lists), for comparison;
- ``salesplan plan``: ``salesplan plan FILE --month 2026-12 --out TMP --backups 0``: read, check,
  plan, render every tab, write the workbook.

The figure reported is the median of the runs; the ratio is salesplan's median over fastexcel's.
Then, in this process, the engine alone on the parsed ledger of each size (median of the runs):
``plan_month`` (every plan figure), the Instrument #1 and #2 content, and — where this version has
them — the new-client lists and the month-to-date dashboard figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__" and "--grid" in sys.argv[1:]:
    # The rows × clients grid (issue 19) is clients.py's: started afresh, before this module loads
    # pandas, so that no run of the grid inherits this process's memory in its peak.
    os.execv(sys.executable, [sys.executable, str(HERE / "clients.py"), *(a for a in sys.argv[1:] if a != "--grid")])

from make_ledger import PLAN_MONTH, SHEET, SIZES, ledger_path, ledger_rows, write_xlsx  # noqa: E402
from measure import machine, timed  # noqa: E402

READERS = {
    "fastexcel": ("import fastexcel, sys; "
                  "fastexcel.read_excel(sys.argv[1]).load_sheet(sys.argv[2], eager=True).to_pandas()"),
    "calamine rows": ("import python_calamine, sys; "
                      "python_calamine.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name(sys.argv[2])"
                      ".to_python()"),
}


def end_to_end(path: Path, repeat: int) -> dict[str, dict[str, float]]:
    """Median wall time and peak memory of each reader and of ``salesplan plan`` on ``path``."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in [*READERS, "salesplan plan"]}
    with tempfile.TemporaryDirectory(prefix="salesplan-bench-") as scratch:
        out = Path(scratch) / "planned.xlsx"
        salesplan = [sys.executable, "-m", "salesplan", "plan", str(path), "--month", PLAN_MONTH,
                     "--out", str(out), "--backups", "0"]
        for _ in range(repeat):  # taking turns, so a busy moment of the machine hits all alike
            for name, code in READERS.items():
                runs[name].append(timed([sys.executable, "-c", code, str(path), SHEET]))
            runs["salesplan plan"].append(timed(salesplan))
    return {name: {"seconds": statistics.median(t for t, _ in r), "peak_mib": statistics.median(m for _, m in r),
                   "runs": [round(t, 2) for t, _ in r]} for name, r in runs.items()}


def engine(path: Path, repeat: int) -> dict[str, float]:
    """Median seconds of each part of the engine on the ledger of ``path`` (already parsed)."""
    from salesplan.inputs.config import Config
    from salesplan.inputs.ledger import read_ledger
    from salesplan.inputs.rows import WorkbookSource
    from salesplan.memory import hold_freed_memory
    from salesplan.method import instruments
    from salesplan.method.plan import plan_month

    hold_freed_memory()  # as the command does
    config = Config()
    params = dict(config.params, plan_month=PLAN_MONTH)
    ledger, _ = read_ledger(WorkbookSource(path).rows(SHEET), config.statuses)
    catalog = _demo_catalog()
    parts: dict[str, list[float]] = {}

    def clock(name: str, work):
        start = time.perf_counter()
        result = work()
        parts.setdefault(name, []).append(time.perf_counter() - start)
        return result

    for _ in range(repeat):
        plan = clock("plan_month", lambda: plan_month(ledger, params, config.targets, config.owners, config.tiers))
        clock("instrument content", lambda plan=plan: (
            instruments.instrument1(plan, ledger, config.crosssell, config.exclusions, 20),
            instruments.instrument2(plan, ledger, catalog, config.exclusions, 20)))
        lists = _new_client_lists(ledger, config, plan)
        if lists is not None:
            clock("new-client lists", lists)
        month_to_date = _month_to_date(ledger, plan)
        if month_to_date is not None:
            clock("month to date", month_to_date)
    medians = {name: statistics.median(t) for name, t in parts.items()}
    medians["total"] = sum(medians.values())
    medians["rows"] = len(ledger)
    return medians


def _demo_catalog():
    from salesplan.demo import demo_catalog
    from salesplan.demo_data import make_demo

    return demo_catalog(make_demo(PLAN_MONTH), PLAN_MONTH)


def _new_client_lists(ledger, config, plan):
    """The 3B long and short lists as the monthly build makes them, when this version has them."""
    try:
        from salesplan.inputs.lists import read_long_list, read_prospects, read_short_list
        from salesplan.method.longlist import new_client_lists
    except ImportError:
        return None
    # No list tabs yet: a first month.
    previous, _ = read_long_list(None)
    prospects, _ = read_prospects(None)
    reasons = {"lapsed": "", "prospect": ""}
    return lambda: new_client_lists(previous, read_short_list(None), previous, prospects, plan.turnover, plan.owners,
                                    list(plan.summary["manager"]), plan.plan_month, plan.params, reasons)


def _month_to_date(ledger, plan):
    """The dashboard's plan-against-fact figures, when this version has them."""
    try:
        from salesplan.method.progress import month_to_date
    except ImportError:
        return None
    return lambda: month_to_date(ledger, plan)


def markdown(report: dict) -> str:
    def rows(n: int | str) -> str:
        return f"{int(n):,}".replace(",", " ")

    lines = ["| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report["machine"].items()]
    lines += ["", "| rows | fastexcel read | calamine rows | `salesplan plan` | ratio to fastexcel | "
              "peak memory: fastexcel / calamine / salesplan |", "|---:|---:|---:|---:|---:|---|"]
    for size, r in report["end_to_end"].items():
        f, c, s = r["fastexcel"], r["calamine rows"], r["salesplan plan"]
        lines.append(f"| {rows(size)} | {f['seconds']:.2f} s | {c['seconds']:.2f} s | {s['seconds']:.2f} s | "
                     f"{s['seconds'] / f['seconds']:.2f}× | {f['peak_mib']:.0f} / {c['peak_mib']:.0f} / "
                     f"{s['peak_mib']:.0f} MiB |")
    parts = [k for k in next(iter(report["engine"].values()), {}) if k not in ("total", "rows")]
    lines += ["", "| rows | " + " | ".join(parts) + " | engine total | per 100 000 rows |",
              "|---:|" + "---:|" * (len(parts) + 2)]
    for size, e in report["engine"].items():
        lines.append(f"| {rows(size)} | " + " | ".join(f"{e[p]:.3f} s" for p in parts)
                     + f" | {e['total']:.3f} s | {e['total'] / e['rows'] * 1e5:.3f} s |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="*", type=int, default=list(SIZES), help="ledger sizes (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default: %(default)s)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="ledger folder (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)

    args.data.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine(), "end_to_end": {}, "engine": {}}
    for rows in args.rows:
        path = ledger_path(args.data, rows)
        if not path.exists():
            print(f"making {path.name} ...", file=sys.stderr)
            write_xlsx(ledger_rows(rows), path)
        print(f"{rows:,} rows: end to end ...", file=sys.stderr)
        report["end_to_end"][rows] = end_to_end(path, args.repeat)
        print(f"{rows:,} rows: engine ...", file=sys.stderr)
        report["engine"][rows] = engine(path, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(report) if args.markdown else json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
