"""Times ``salesplan backtest`` (12 months) against one ``salesplan plan`` of the same ledger.

    python benchmarks/backtest.py                   # 1 048 575 rows, 3 runs each
    python benchmarks/backtest.py 300000 --repeat 5
    python benchmarks/backtest.py --markdown        # the tables for the README

The issue's bar: the backtest of 12 months takes no more than 3× one plan. For each size, in one
run and taking turns, each command runs in its own process, timed from start to exit, with its
peak memory (as ``run.py`` measures ``salesplan plan``):

- ``salesplan plan FILE --month 2026-12 --out TMP --backups 0``
- ``salesplan backtest FILE --month 2026-12 --months 12 --out TMP --backups 0``

Then, in this process, the engine alone on the parsed ledger: ``plan_month`` (one month's layers)
against ``backtest`` (twelve months planned and compared, the calibration and the pairs).
Missing ledgers are made first (``make_ledger.py``, into ``benchmarks/data/``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_ledger import PLAN_MONTH, SHEET, ledger_path, ledger_rows, write_xlsx  # noqa: E402
from measure import machine, timed  # noqa: E402

COMMANDS = ("salesplan plan", "salesplan backtest")


def end_to_end(path: Path, repeat: int, months: int) -> dict[str, dict]:
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    with tempfile.TemporaryDirectory(prefix="salesplan-bench-") as scratch:
        out = Path(scratch) / "out.xlsx"
        commands = {
            "salesplan plan": [sys.executable, "-m", "salesplan", "plan", str(path), "--month", PLAN_MONTH,
                               "--out", str(out), "--backups", "0"],
            "salesplan backtest": [sys.executable, "-m", "salesplan", "backtest", str(path), "--month", PLAN_MONTH,
                                   "--months", str(months), "--out", str(out), "--backups", "0"],
        }
        for _ in range(repeat):
            for name in COMMANDS:
                runs[name].append(timed(commands[name]))
    return {name: {"seconds": statistics.median(t for t, _ in r), "peak_mib": statistics.median(m for _, m in r),
                   "runs": [round(t, 2) for t, _ in r]} for name, r in runs.items()}


def engine(path: Path, repeat: int, months: int) -> dict[str, float]:
    from salesplan.inputs.config import Config
    from salesplan.inputs.ledger import read_ledger
    from salesplan.inputs.rows import WorkbookSource
    from salesplan.method.backtest import backtest
    from salesplan.method.plan import plan_month
    from salesplan.months import parse_label

    config = Config()
    params = dict(config.params, plan_month=PLAN_MONTH)
    ledger, _ = read_ledger(WorkbookSource(path).rows(SHEET), config.statuses)
    times: dict[str, list[float]] = {"plan_month": [], "backtest": []}
    for _ in range(repeat):
        start = time.perf_counter()
        plan_month(ledger, params, config.targets, config.owners, config.tiers)
        times["plan_month"].append(time.perf_counter() - start)
        start = time.perf_counter()
        backtest(ledger, params, parse_label(PLAN_MONTH), months, assigned_owners=config.owners,
                 rules=config.crosssell, exclusions=config.exclusions)
        times["backtest"].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()} | {"rows": len(ledger)}


def markdown(report: dict) -> str:
    def rows(n: int | str) -> str:
        return f"{int(n):,}".replace(",", " ")

    lines = ["| machine | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in report["machine"].items()]
    lines += ["", "| rows | `salesplan plan` | `salesplan backtest` (12 months) | ratio "
              "| peak memory: plan / backtest |", "|---:|---:|---:|---:|---|"]
    for size, r in report["end_to_end"].items():
        p, b = r["salesplan plan"], r["salesplan backtest"]
        lines.append(f"| {rows(size)} | {p['seconds']:.2f} s | {b['seconds']:.2f} s | "
                     f"{b['seconds'] / p['seconds']:.2f}× | {p['peak_mib']:.0f} / {b['peak_mib']:.0f} MiB |")
    lines += ["", "| rows | engine: `plan_month` | engine: `backtest` (12 months) | ratio |", "|---:|---:|---:|---:|"]
    for size, e in report["engine"].items():
        lines.append(f"| {rows(size)} | {e['plan_month']:.2f} s | {e['backtest']:.2f} s | "
                     f"{e['backtest'] / e['plan_month']:.1f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="*", type=int, default=[1_048_575], help="ledger sizes (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default: %(default)s)")
    parser.add_argument("--months", type=int, default=12, help="months backtested (default: %(default)s)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="ledger folder (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "end_to_end": {}, "engine": {}}
    for rows in args.rows:
        path = ledger_path(args.data, rows)
        if not path.exists():
            print(f"making {path.name} ...", file=sys.stderr)
            write_xlsx(ledger_rows(rows), path)
        print(f"{rows:,} rows: end to end ...", file=sys.stderr)
        report["end_to_end"][rows] = end_to_end(path, args.repeat, args.months)
        print(f"{rows:,} rows: engine ...", file=sys.stderr)
        report["engine"][rows] = engine(path, args.repeat, args.months)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(report) if args.markdown else json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
