"""Benchmark sales histories beyond Excel's sheet: a distributor's sale lines written as Parquet.

    python benchmarks/make_parquet.py                              # 10 000 000 rows, 100 000 clients
    python benchmarks/make_parquet.py 1000000 --clients 20000 --out /tmp/history.parquet
    python benchmarks/make_parquet.py 10000000 --monthly /tmp/exports   # one file per month

The shape follows benchmarks/make_ledger.py, scaled to a large company: 36 months up to the 10th
of the plan month (2026-12), forty managers each with their own clients, twelve categories, sixty
brands and 3 000 products; each client keeps buying a handful of favourite products (a cross-sell
map has something to find), a few clients are large and most are small, some stopped buying a year
or more ago (the long list has lapsed clients). Orders hold one to five lines under one number; the
statuses are those of the demo: paid and shipped sales, returns (negative amounts), orders the end
customer has not paid yet (open, recent months only) and refusals. Every client name is distinct.

Columns carry the demo's Russian headers with Parquet types: a date, numbers for quantity and
amount, text for the rest. Text is written as plain strings (not dictionary-encoded), as an export
from an accounting system or a database would be. Everything is numpy and pyarrow: 10 000 000 rows
take well under a minute.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

PLAN_MONTH = "2026-12"
MONTHS = 36
HEADERS = ("Дата", "Менеджер", "Клиент", "Категория", "Бренд", "Товар", "Количество", "Сумма", "Заказ", "Статус")
CATEGORIES = ("Камеры видеонаблюдения", "Видеорегистраторы", "СКУД", "Домофоны", "Кабель", "Блоки питания",
              "Аккумуляторы", "Охранная сигнализация", "Шлагбаумы", "Сетевое оборудование", "Монтажные коробки",
              "Жёсткие диски")
MANAGER_FIRST = ("Алексей", "Елена", "Игорь", "Андрей", "Ольга", "Дмитрий", "Мария", "Сергей", "Наталья", "Павел")
MANAGER_LAST = ("Смирнов", "Васильев", "Морозов", "Соколов", "Попов")
CLIENT_FORMS = ("ООО", "АО", "ИП", "ПАО")
CLIENT_WORDS = ("Монолит", "Дозор", "Контроль", "Безопасность", "Охрана", "Системы", "Техно", "Альфа", "Вектор",
                "Гарант", "Страж", "Кордон", "Щит", "Интеграция", "Монтаж", "Сервис", "Телеком", "Сеть")
#: (status, share of orders); returns carry negative amounts, open orders are recent.
STATUSES = (("оплачен", 0.70), ("отгружен", 0.18), ("конечный потребитель не оплатил", 0.06), ("отказ", 0.03),
            ("возврат", 0.03))
MANAGERS = 40
PRODUCTS = 3000
BRANDS = 60
FAVOURITES = 8


def manager_names() -> list[str]:
    """The forty managers' names (a targets file names them)."""
    return [f"{MANAGER_LAST[i % len(MANAGER_LAST)]}{'а' if MANAGER_FIRST[i % 10][-1] == 'а' else ''} "
            f"{MANAGER_FIRST[i % 10]} {i // 10 + 1}" for i in range(MANAGERS)]


def month_start(label: str, shift: int) -> np.datetime64:
    return np.datetime64(label, "M") + np.timedelta64(shift, "M")


def client_names(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` distinct company names: a legal form, two words and a number only where needed."""
    forms = rng.integers(0, len(CLIENT_FORMS), count)
    first = rng.integers(0, len(CLIENT_WORDS), count)
    second = rng.integers(0, len(CLIENT_WORDS), count)
    return [f"{CLIENT_FORMS[f]} «{CLIENT_WORDS[a]}-{CLIENT_WORDS[b]} {i + 1}»"
            for i, (f, a, b) in enumerate(zip(forms, first, second))]


def history(rows: int, clients: int, seed: int = 19) -> pa.Table:
    """``rows`` sale lines of ``clients`` clients, in date order, as an Arrow table."""
    rng = np.random.default_rng(seed)
    managers = manager_names()
    names = client_names(clients, rng)
    first_day = month_start(PLAN_MONTH, -MONTHS + 1).astype("datetime64[D]")
    last_day = month_start(PLAN_MONTH, 0).astype("datetime64[D]") + np.timedelta64(9, "D")
    days = int((last_day - first_day).astype(np.int64)) + 1

    # Clients: a home manager, a size (few large, many small) and the span of days they buy in.
    home = rng.integers(0, MANAGERS, clients)
    size = rng.pareto(1.2, clients) + 0.2
    start = rng.integers(0, days // 2, clients) * (rng.random(clients) < 0.4)
    lapsed = rng.random(clients) < 0.15
    stop = np.where(lapsed, rng.integers(days // 4, days - 120, clients), days)
    stop = np.maximum(stop, start + 60)
    favourites = rng.integers(0, PRODUCTS, (clients, FAVOURITES))

    # Products: a category, a brand and a price each.
    category = rng.integers(0, len(CATEGORIES), PRODUCTS)
    brand = rng.integers(0, BRANDS, PRODUCTS)
    price = np.round(np.exp(rng.normal(7.5, 1.0, PRODUCTS)), 1)
    brands = [f"Бренд {chr(0x410 + b % 32)}{b // 32 + 1}" for b in range(BRANDS)]
    products = [f"{CATEGORIES[category[p]].split()[0]} {brands[brand[p]]} модель {p + 1:04d}" for p in range(PRODUCTS)]

    # Orders: a client (by size), a day within its span, one to five lines.
    lines_per_order = rng.integers(1, 6, rows // 2)
    ends = np.cumsum(lines_per_order)
    orders = int(np.searchsorted(ends, rows)) + 1
    lines_per_order = lines_per_order[:orders]
    lines_per_order[-1] -= int(ends[orders - 1] - rows)
    client = rng.choice(clients, orders, p=size / size.sum())
    day = start[client] + (rng.random(orders) * (stop[client] - start[client])).astype(np.int64)
    day = np.minimum(day, days - 1)
    by_day = np.argsort(day, kind="stable")
    client, day = client[by_day], day[by_day]
    shares = np.array([s for _, s in STATUSES])
    status = rng.choice(len(STATUSES), orders, p=shares / shares.sum())
    open_code = 2
    recent = day >= days - 75
    status = np.where((status == open_code) & ~recent, 0, status)  # an old open order was paid since
    manager = np.where(rng.random(orders) < 0.03, rng.integers(0, MANAGERS, orders), home[client])

    # Lines: each order's rows, mostly the client's favourite products.
    line_order = np.repeat(np.arange(orders), lines_per_order)
    line_client = client[line_order]
    favourite = favourites[line_client, rng.integers(0, FAVOURITES, rows)]
    product = np.where(rng.random(rows) < 0.8, favourite, rng.integers(0, PRODUCTS, rows))
    quantity = rng.integers(1, 21, rows).astype(np.float64)
    amount = np.round(quantity * price[product], 1)
    returned = status[line_order] == len(STATUSES) - 1
    quantity = np.where(returned, -quantity, quantity)
    amount = np.where(returned, -amount, amount)

    def text(values: list[str], codes: np.ndarray) -> pa.Array:
        return pa.array(values, pa.string()).take(pa.array(codes))

    dates = (first_day + day[line_order].astype("timedelta64[D]")).astype("datetime64[D]")
    order_numbers = pa.array(np.char.add("ЗК-", np.char.zfill(np.arange(1, orders + 1).astype(str), 8)))
    return pa.table({
        HEADERS[0]: pa.array(dates, pa.date32()),
        HEADERS[1]: text(managers, manager[line_order]),
        HEADERS[2]: text(names, line_client),
        HEADERS[3]: text(list(CATEGORIES), category[product]),
        HEADERS[4]: text(brands, brand[product]),
        HEADERS[5]: text(products, product),
        HEADERS[6]: pa.array(quantity),
        HEADERS[7]: pa.array(amount),
        HEADERS[8]: order_numbers.take(pa.array(line_order)),
        HEADERS[9]: text([s for s, _ in STATUSES], status[line_order]),
    })


def write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, row_group_size=1_000_000, use_dictionary=False)


def write_monthly(table: pa.Table, folder: Path) -> list[Path]:
    """One Parquet file per month (``2026-01.parquet``...), as monthly exports are kept."""
    import pyarrow.compute as pc

    folder.mkdir(parents=True, exist_ok=True)
    months = pc.strftime(pc.cast(table.column(HEADERS[0]), pa.timestamp("s")), "%Y-%m")
    written = []
    for label in pc.unique(months).to_pylist():
        path = folder / f"{label}.parquet"
        write(table.filter(pc.equal(months, label)), path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=10_000_000)
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("history.parquet"))
    parser.add_argument("--monthly", type=Path, help="write one file per month into this folder instead")
    parser.add_argument("--both", action="store_true", help="write --out and --monthly both")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    table = history(args.rows, args.clients, args.seed)
    if args.both:
        write(table, args.out)
    if args.monthly:
        paths = write_monthly(table, args.monthly)
        print(f"{len(paths)} files in {args.monthly}: {args.rows:,} rows, {args.clients:,} clients "
              f"({time.perf_counter() - started:.1f} s); plan with --month {PLAN_MONTH}", file=sys.stderr)
    else:
        write(table, args.out)
        print(f"{args.out}: {args.rows:,} rows, {args.clients:,} clients, {args.out.stat().st_size >> 20} MiB "
              f"({time.perf_counter() - started:.1f} s); plan with --month {PLAN_MONTH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
