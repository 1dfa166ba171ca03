"""Benchmark ledgers: the demo distributor scaled to any number of rows, written as .xlsx.

    python benchmarks/make_ledger.py                     # 100 000, 300 000 and 1 048 575 rows
    python benchmarks/make_ledger.py 50000 --out /tmp    # any sizes, any folder
    python benchmarks/make_ledger.py 1048575 --clients 30000   # a company with 30 000 clients

Each file holds one tab, «Продажи», with the demo's ten columns under Russian headers (Дата,
Менеджер, Клиент, Категория, Бренд, Товар, Количество, Сумма, Заказ, Статус): 24 months and the
current month to the 10th, eight managers, ~310 clients with Cyrillic names, all five statuses
(sales, returns, open and refused orders). There is no Config tab, so every parameter takes its
default; plan it with ``--month 2026-12`` (the month the data is generated for).

``--clients N`` gives the same rows to N clients instead of the demo's ~310, keeping the shape: each
demo client's orders are dealt among copies of it («ООО Ромашка №2», «ООО Ромашка №3» …, one
manager, one purchase profile, the same statuses, returns and open orders), so a copy buys what its
original bought, only less often. A whole order goes to one copy; a client with fewer orders than
copies is dealt row by row, each piece of an order then numbered apart («ЗК-000123/2») so no order
number is shared by two clients. Fewer clients than the demo's merge demo clients instead. Client
names stay unique and Cyrillic. Every copy gets at least one row while rows suffice.

The file is written the way Excel saves one — dates as serial numbers with a date format, text in
the shared-strings table, a ``r`` attribute on every row and cell, the parts deflated at level 6 —
so readers meet what a user's file gives them. The XML is written directly (one string per row);
XlsxWriter would take minutes for a million rows, and its ``constant_memory`` mode writes inline
strings, which Excel never does.
"""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from salesplan.demo_data import make_demo

SIZES = (100_000, 300_000, 1_048_575)
PLAN_MONTH = "2026-12"
SHEET = "Продажи"
HEADERS = ("Дата", "Менеджер", "Клиент", "Категория", "Бренд", "Товар", "Количество", "Сумма", "Заказ", "Статус")
FIELDS = ("Date", "Manager", "Client", "Category", "Brand", "Product", "Quantity", "Amount", "Order", "Status")
TEXT_FIELDS = ("Manager", "Client", "Category", "Brand", "Product", "Order", "Status")
ROWS_PER_SCALE = 24_650  # make_demo gives about this many rows per unit of scale


def ledger_rows(rows: int, seed: int = 7) -> pd.DataFrame:
    """Exactly ``rows`` sale lines of the demo distributor, in date order.

    The demo is generated a little larger than needed and thinned by an even random sample, so
    every month, client and status keeps its share.
    """
    scale = rows / ROWS_PER_SCALE * 1.03
    while True:
        ledger = make_demo(PLAN_MONTH, seed=seed, today_day=10, scale=scale).ledger
        if len(ledger) >= rows:
            break
        scale *= 1.05
    keep = np.sort(np.random.default_rng(seed).choice(len(ledger), rows, replace=False))
    return ledger.iloc[keep].reset_index(drop=True)


def with_clients(ledger: pd.DataFrame, clients: int, seed: int = 7) -> pd.DataFrame:
    """``ledger``'s rows dealt to ``clients`` distinct clients (see the module's docstring)."""
    rng = np.random.default_rng(seed + 1)
    names, client = np.unique(ledger["Client"].to_numpy(dtype=object), return_inverse=True)
    base = len(names)
    out = ledger.copy()
    if clients <= base:  # merge: demo client c becomes demo client c mod N
        out["Client"] = names[client % clients]
        return out
    copies = _copies(np.bincount(client, minlength=base), clients)
    order = pd.factorize(ledger["Order"])[0]
    pair = pd.factorize(client.astype(np.int64) * (order.max() + 1) + order)[0]
    orders_per_client = pd.Series(pair).groupby(client).nunique().reindex(range(base), fill_value=0).to_numpy()
    by_order = orders_per_client[client] >= copies[client]
    # A unit is an order of a client with enough orders, else a single row; units are ranked at
    # random within their client, and the rank modulo the client's copies picks the copy, so every
    # copy gets a unit while units suffice.
    unit = np.where(by_order, pair, len(ledger) + np.arange(len(ledger)))
    units, unit_code = np.unique(unit, return_inverse=True)
    unit_client = np.zeros(len(units), dtype=np.int64)
    unit_client[unit_code] = client
    shuffled = rng.permutation(len(units))
    rank = pd.Series(shuffled).groupby(unit_client).rank(method="first").to_numpy().astype(np.int64) - 1
    copy = (rank % copies[unit_client])[unit_code]
    suffix = np.where(copy > 0, np.char.add(" №", (copy + 1).astype(str)).astype(object), "")
    out["Client"] = names[client] + suffix
    split = ~by_order & (copy > 0)
    out.loc[split, "Order"] = out.loc[split, "Order"] + "/" + (copy[split] + 1).astype(str)
    return out


def _copies(rows: np.ndarray, clients: int) -> np.ndarray:
    """How many copies of each demo client, in proportion to its rows (a big client splits into
    more), at least one and at most its rows each, ``clients`` in all when rows suffice."""
    ideal = clients * rows / rows.sum()
    copies = np.clip(np.floor(ideal).astype(np.int64), 1, rows)
    while (short := clients - copies.sum()) > 0 and (room := copies < rows).any():
        # the clients furthest below their share take one more each, as many as are short
        want = np.where(room, ideal - copies, -np.inf)
        take = np.argsort(-want, kind="stable")[: min(short, int(room.sum()))]
        copies[take] += 1
    return copies


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _col(index: int) -> str:
    return "ABCDEFGHIJ"[index]


def write_xlsx(ledger: pd.DataFrame, path: Path) -> None:
    """Write ``ledger`` (columns :data:`FIELDS`) as the Sales tab of a new .xlsx at ``path``."""
    strings: dict[str, int] = {}
    for h in HEADERS:
        strings.setdefault(h, len(strings))
    codes = {}
    for f in TEXT_FIELDS:  # one shared string per distinct value, in order of first use per column
        cat = pd.Categorical(ledger[f].astype(str))
        index = np.array([strings.setdefault(v, len(strings)) for v in cat.categories], dtype=np.int64)
        codes[f] = index[cat.codes].astype(str)
    serial = ((ledger["Date"].to_numpy("datetime64[D]") - np.datetime64("1899-12-30", "D"))
              .astype(np.int64).astype(str))
    quantity = ledger["Quantity"].astype(np.int64).astype(str).to_numpy()
    amount = np.array([repr(float(a)).removesuffix(".0") for a in ledger["Amount"]], dtype=object)

    n = len(ledger)
    last = n + 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("docProps/app.xml", APP)
        z.writestr("xl/workbook.xml", WORKBOOK.format(sheet=_esc(SHEET), last=last))
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/styles.xml", STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(SHEET_HEAD.format(last=last).encode())
            head = "".join(f'<c r="{_col(c)}1" t="s"><v>{strings[h]}</v></c>' for c, h in enumerate(HEADERS))
            out.write(f'<row r="1" spans="1:10">{head}</row>'.encode())
            cols = [serial] + [codes[f] for f in FIELDS[1:6]] + [quantity, amount, codes["Order"], codes["Status"]]
            step = 50_000
            for start in range(0, n, step):
                part = []
                for i, (d, m, c, g, b, p, q, a, o, s) in enumerate(
                        zip(*(col[start:start + step] for col in cols)), start + 2):
                    part.append(
                        f'<row r="{i}" spans="1:10"><c r="A{i}" s="1"><v>{d}</v></c>'
                        f'<c r="B{i}" t="s"><v>{m}</v></c><c r="C{i}" t="s"><v>{c}</v></c>'
                        f'<c r="D{i}" t="s"><v>{g}</v></c><c r="E{i}" t="s"><v>{b}</v></c>'
                        f'<c r="F{i}" t="s"><v>{p}</v></c><c r="G{i}"><v>{q}</v></c>'
                        f'<c r="H{i}" s="2"><v>{a}</v></c><c r="I{i}" t="s"><v>{o}</v></c>'
                        f'<c r="J{i}" t="s"><v>{s}</v></c></row>')
                out.write("".join(part).encode())
            out.write(SHEET_TAIL.format(last=last).encode())
        count = len(ledger) * len(TEXT_FIELDS) + len(HEADERS)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{NS}" '
                      f'count="{count}" uniqueCount="{len(strings)}">'.encode())
            out.write("".join(f"<si><t>{_esc(s)}</t></si>" for s in strings).encode())
            out.write(b"</sst>")


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'extended-properties" Target="docProps/app.xml"/>'
    '</Relationships>')
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<Application>Microsoft Excel</Application>'
    '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Листы</vt:lpstr></vt:variant>'
    '<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>'
    f'<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>{SHEET}</vt:lpstr></vt:vector></TitlesOfParts>'
    '</Properties>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>'
    '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets>'
    '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
    "'{sheet}'!$A$1:$J${last}</definedName></definedNames>"
    '<calcPr calcId="191029"/></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\.mm\\.yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<dimension ref="A1:J{last}"/>'
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/>'
    '<cols><col min="1" max="1" width="11" customWidth="1"/><col min="2" max="3" width="30" customWidth="1"/>'
    '<col min="4" max="6" width="24" customWidth="1"/><col min="7" max="10" width="14" customWidth="1"/></cols>'
    '<sheetData>')
SHEET_TAIL = ('</sheetData><autoFilter ref="A1:J{last}"/>'
              '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
              '</worksheet>')


def ledger_path(folder: Path, rows: int, clients: int | None = None) -> Path:
    return Path(folder) / (f"ledger-{rows}.xlsx" if clients is None else f"ledger-{rows}-{clients}c.xlsx")


def make(rows: int, clients: int | None = None, seed: int = 7) -> pd.DataFrame:
    """The ledger of ``rows`` rows, with ``clients`` clients (None: the demo's own ~310)."""
    ledger = ledger_rows(rows, seed)
    return ledger if clients is None else with_clients(ledger, clients, seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", nargs="*", type=int, default=list(SIZES), help="row counts (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data",
                        help="folder (default: %(default)s)")
    parser.add_argument("--clients", type=int, help="distinct clients (default: the demo's ~310)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for rows in args.rows:
        if not 1 <= rows <= 1_048_575:
            parser.error(f"rows must be 1 .. 1 048 575 (an Excel sheet's rows less the header), got {rows}")
        start = time.perf_counter()
        path = ledger_path(args.out, rows, args.clients)
        ledger = make(rows, args.clients, args.seed)
        write_xlsx(ledger, path)
        print(f"{path}: {rows:,} rows, {ledger['Client'].nunique():,} clients, {path.stat().st_size / 2**20:.1f} MiB, "
              f"{time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
