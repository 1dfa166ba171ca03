"""Times ``salesplan plan`` on a sales history beyond Excel's sheet against a bare pyarrow read of it.

    python benchmarks/parquet.py                          # 10 000 000 rows × 100 000 clients, 3 runs
    python benchmarks/parquet.py 1000000 --clients 20000 --repeat 5
    python benchmarks/parquet.py --markdown               # the table for the README

Missing histories are made first (``make_parquet.py``, into ``benchmarks/data/``): one Parquet file
and the same lines as a folder of monthly exports. Each of these runs in its own process, timed
from start to exit (Python's start and imports count for all alike), with the process's peak
memory (maximum resident set size, from ``wait4``) and CPU seconds (user and system, of the process
and the children it waited for: on a machine shared with other work these vary less than the wall
time), taking turns, median of the runs:

- ``pyarrow read``: ``pyarrow.parquet.read_table(f).to_pandas()``, nothing else — every line in
  pandas, the cost salesplan must stay within 2× of;
- ``salesplan plan``: ``salesplan plan BOOK --sales FILE --targets T.csv --month 2026-12 --out TMP``:
  read, split and sum, plan, render every tab, write the workbook (BOOK: a workbook with no Sales tab);
- the same two for the folder of monthly exports.

Then, in this process, where a plan's time goes (median of the runs): reading the history (DuckDB's
split and sums, the cell rules on what reaches pandas) and the method on what was read.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_parquet import MANAGERS, PLAN_MONTH, manager_names  # noqa: E402
from measure import machine  # noqa: E402
from measure import timed_with_cpu as timed  # noqa: E402

BARE = "import pyarrow.parquet as pq, sys; pq.read_table(sys.argv[1]).to_pandas()"


def data(folder: Path, rows: int, clients: int) -> tuple[Path, Path]:
    """The history as one file and as monthly exports, made when missing."""
    path = folder / f"history-{rows}-{clients}.parquet"
    monthly = folder / f"history-{rows}-{clients}-monthly"
    if not path.exists() or not monthly.exists():
        # In a process of its own: Linux carries a process's peak memory over to the programs it
        # starts, and the ten million lines in this one would be counted in every run.
        subprocess.run([sys.executable, str(HERE / "make_parquet.py"), str(rows), "--clients", str(clients),
                        "--out", str(path), "--monthly", str(monthly), "--both"], check=True)
    return path, monthly


def workbook(folder: Path) -> tuple[Path, Path]:
    """A workbook with no Sales tab (the history replaces it) and every manager's target."""
    import openpyxl

    book = folder / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Старт"
    wb.save(book)
    targets = folder / "targets.csv"
    targets.write_text("Менеджер;План\n" + "".join(f"{m};3000000\n" for m in manager_names()), encoding="utf-8")
    return book, targets


def end_to_end(sources: dict[str, Path], book: Path, targets: Path, repeat: int) -> dict[str, dict]:
    runs: dict[str, list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="salesplan-bench-") as scratch:
        out = Path(scratch) / "planned.xlsx"
        for _ in range(repeat):  # taking turns, so a busy moment of the machine hits all alike
            for name, source in sources.items():
                runs.setdefault(f"{name}: pyarrow read", []).append(timed([sys.executable, "-c", BARE, str(source)]))
                runs.setdefault(f"{name}: salesplan plan", []).append(timed(
                    [sys.executable, "-m", "salesplan", "plan", str(book), "--sales", str(source), "--targets",
                     str(targets), "--month", PLAN_MONTH, "--out", str(out), "--backups", "0"]))
    return {name: {"seconds": statistics.median(t for t, _, _ in r), "peak_mib": statistics.median(m for _, m, _ in r),
                   "cpu_seconds": statistics.median(c for _, _, c in r),
                   "runs": [round(t, 2) for t, _, _ in r]} for name, r in runs.items()}


def breakdown(source: Path, targets: Path, repeat: int) -> dict[str, float]:
    """Median seconds of reading the history and of planning what was read, in this process."""
    from salesplan.memory import hold_freed_memory
    from salesplan.monthly import plan, read_inputs, template_paths

    hold_freed_memory()  # as the command does
    parts: dict[str, list[float]] = {"read, split and sum": [], "the method (plan)": []}
    for _ in range(repeat):
        start = time.perf_counter()
        inputs = read_inputs(source, None, None, month=PLAN_MONTH, targets_file=targets)
        middle = time.perf_counter()
        plan(inputs, template_paths(source))
        parts["read, split and sum"].append(middle - start)
        parts["the method (plan)"].append(time.perf_counter() - middle)
        rows = len(inputs.ledger)
        del inputs
    medians = {name: statistics.median(t) for name, t in parts.items()}
    medians["rows reaching pandas"] = rows
    return medians


def markdown(report: dict) -> str:
    lines = ["| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report["machine"].items()]
    rows, clients = (f"{report[k]:,}".replace(",", " ") for k in ("rows", "clients"))
    lines += ["", f"{rows} rows × {clients} clients, {MANAGERS} managers, median of {report['repeat']}:", "",
              "| source | pyarrow read | `salesplan plan` | ratio | CPU: pyarrow / salesplan "
              "| peak: pyarrow / salesplan |",
              "|---|---:|---:|---:|---|---|"]
    e = report["end_to_end"]
    for name in ("one Parquet file", "folder of monthly exports"):
        bare, plan = e[f"{name}: pyarrow read"], e[f"{name}: salesplan plan"]
        lines.append(f"| {name} | {bare['seconds']:.1f} s | {plan['seconds']:.1f} s | "
                     f"{plan['seconds'] / bare['seconds']:.2f}× | "
                     f"{bare['cpu_seconds']:.1f} / {plan['cpu_seconds']:.1f} s | "
                     f"{bare['peak_mib']:.0f} / {plan['peak_mib']:.0f} MiB |")
    b = report["breakdown"]
    lines += ["", "| where the plan's time goes (one Parquet file, in process) | |", "|---|---:|"]
    lines += [f"| {k} | {v:.1f} s |" if isinstance(v, float) else f"| {k} | {v:,} |".replace(",", " ")
              for k, v in b.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="?", type=int, default=10_000_000)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default: %(default)s)")
    parser.add_argument("--data", type=Path, default=HERE / "data", help="history folder (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)

    args.data.mkdir(parents=True, exist_ok=True)
    path, monthly = data(args.data, args.rows, args.clients)
    from importlib import metadata

    report = {"machine": machine(), "rows": args.rows, "clients": args.clients, "repeat": args.repeat}
    report["machine"]["libraries"] += f", duckdb {metadata.version('duckdb')}"
    with tempfile.TemporaryDirectory(prefix="salesplan-book-") as scratch:
        book, targets = workbook(Path(scratch))
        print(f"{args.rows:,} rows: end to end ...", file=sys.stderr)
        report["end_to_end"] = end_to_end({"one Parquet file": path, "folder of monthly exports": monthly}, book,
                                          targets, args.repeat)
        print(f"{args.rows:,} rows: where the time goes ...", file=sys.stderr)
        report["breakdown"] = breakdown(path, targets, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(markdown(report) if args.markdown else json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
