"""The Sales tab: sale lines as a typed DataFrame, with the Problems of the rows left out.

Accepts what accounting systems export: Russian or English headers under many names (1C calls the
client «Контрагент» and the product «Номенклатура»), in any order, with a title above them; dates as
real dates, Excel serial numbers or ``dd.mm.yyyy`` text; amounts as numbers or text such as
``1 234,50 ₽`` or ``−500``.

Output columns: ``row`` (the sheet's row number), ``date``, ``month`` (a month number, see
:func:`salesplan.months.month_number`), ``manager``, ``client``, ``category``, ``brand``,
``product``, ``quantity``, ``amount``, ``order``, ``status``, ``kind`` (``sale``/``open``/``refused``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..months import month_number
from .rows import SheetRows

REQUIRED = ("date", "manager", "client", "category", "amount")
OPTIONAL = ("brand", "product", "quantity", "order", "status")
FIELDS = REQUIRED + OPTIONAL

#: Header names seen in exports, normalised by :func:`normalise_header`.
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "дата", "дата продажи", "дата документа", "дата реализации", "дата отгрузки",
             "период", "sale date", "invoice date", "день"),
    "manager": ("manager", "менеджер", "ответственный", "продавец", "менеджер клиента",
                "менеджер контрагента", "sales manager", "salesperson", "сотрудник", "торговый представитель"),
    "client": ("client", "клиент", "контрагент", "покупатель", "заказчик", "партнер", "customer",
               "buyer", "организация покупателя", "контрагент покупатель"),
    "category": ("category", "категория", "группа товаров", "товарная группа", "номенклатурная группа",
                 "группа номенклатуры", "вид номенклатуры", "группа", "product group", "категория товара"),
    "brand": ("brand", "бренд", "производитель", "марка", "торговая марка", "manufacturer"),
    "product": ("product", "товар", "номенклатура", "наименование", "наименование товара", "item",
                "sku", "модель", "product name"),
    "quantity": ("quantity", "количество", "кол-во", "кол во", "колво", "qty", "шт"),
    "amount": ("amount", "сумма", "сумма продажи", "выручка", "сумма с ндс", "сумма руб", "стоимость",
               "sum", "revenue", "sales", "сумма документа", "итого сумма"),
    "order": ("order", "заказ", "номер заказа", "заказ клиента", "документ", "order no", "order number",
              "номер документа", "счет", "счёт"),
    "status": ("status", "статус", "статус заказа", "состояние", "order status"),
}

#: How far down a header row is looked for (exports put titles and filters above it).
HEADER_SCAN_ROWS = 30

_TEXT_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y", "%Y-%m-%d",
                      "%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y")
_TOTAL_WORDS = re.compile(r"^\s*(итого|всего|total|grand total)\b", re.IGNORECASE)


@dataclass(frozen=True)
class StatusWords:
    """The three groups of status words from the Config tab, normalised."""

    sale: frozenset[str]
    open: frozenset[str]
    refused: frozenset[str]

    def kind_of(self) -> dict[str, str]:
        kinds = {w: "sale" for w in self.sale}
        kinds.update({w: "open" for w in self.open})
        kinds.update({w: "refused" for w in self.refused})
        return kinds


def normalise_header(value: object) -> str:
    """``' Сумма, руб. '`` -> ``'сумма руб'``: lower case, ё as е, no punctuation or extra spaces."""
    text = str(value).strip().casefold().replace("ё", "е")
    text = re.sub(r"[\s\.,:;()\[\]№#*_/\\₽-]+", " ", text)
    return text.strip()


def normalise_status(value: object) -> str:
    return re.sub(r"\s+", " ", str(value).strip().casefold().replace("ё", "е"))


def find_header(sheet: SheetRows, aliases: dict[str, tuple[str, ...]] | None = None,
                required: tuple[str, ...] = REQUIRED) -> tuple[int, dict[str, int]]:
    """The 1-based header row and the 0-based column of each field found in it.

    ``aliases`` maps each field to the header names it may have (the Sales fields by default); the
    first alias of each is its display name. Raises InputError for an empty sheet, no header row,
    duplicate or missing required columns.
    """
    aliases = aliases or ALIASES
    alias_to_field = {normalise_header(a): f for f, names_ in aliases.items() for a in names_}
    if not any(filled(v) for row in sheet.rows for v in row):
        raise InputError("err.empty_sheet", sheet=sheet.name)
    best_row, best_hits = 0, 0
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        hits = sum(1 for v in row if filled(v) and normalise_header(v) in alias_to_field)
        if hits > best_hits:
            best_row, best_hits = index + 1, hits
    if best_hits < 2:
        raise InputError("err.no_header", sheet=sheet.name, scanned=HEADER_SCAN_ROWS,
                         required=", ".join(_display(f, aliases) for f in required))
    header = sheet.rows[best_row - 1]
    columns: dict[str, int] = {}
    for col, value in enumerate(header):
        if not filled(value):
            continue
        field = alias_to_field.get(normalise_header(value))
        if field is None:
            continue  # extra columns are allowed and ignored
        if field in columns:
            first = columns[field]
            raise InputError(
                "err.duplicate_header", sheet=sheet.name, row=best_row, field=_display(field, aliases),
                columns=f"{column_letter(first)} «{header[first]}», {column_letter(col)} «{value}»")
        columns[field] = col
    missing = [f for f in required if f not in columns]
    if missing:
        found = ", ".join(str(header[c]) for c in sorted(columns.values()))
        raise InputError("err.missing_columns", sheet=sheet.name, row=best_row,
                         missing=", ".join(_display(f, aliases) for f in missing), found=found)
    return best_row, columns


def read_ledger(sheet: SheetRows, statuses: StatusWords) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse the sale lines of ``sheet``; rows that cannot be used become Problems."""
    header_row, columns = find_header(sheet)
    header = sheet.rows[header_row - 1]
    body = sheet.rows[header_row:]
    width = max(columns.values()) + 1
    padded = [r if len(r) >= width else list(r) + [""] * (width - len(r)) for r in body]
    raw = pd.DataFrame({f: [r[c] for r in padded] for f, c in columns.items()}, dtype=object)
    raw.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(raw))  # sheet row numbers
    for field in OPTIONAL:
        if field not in raw:
            raw[field] = ""

    problems: list[Problem] = []

    def report(mask: pd.Series, field: str, key: str, **fields: object) -> None:
        col = columns.get(field)
        name = str(header[col]) if col is not None else ""
        for row, value in raw.loc[mask, field].items() if field in raw else []:
            problems.append(Problem(sheet.name, int(row), name, value, key, dict(fields)))

    present = raw[list(columns)].map(filled)
    empty = ~present.any(axis=1)
    raw = raw[~empty]
    present = present[~empty]

    totals = (raw["client"].map(_is_total) | raw["date"].map(_is_total)
              | raw["manager"].map(_is_total)) & ~raw["date"].map(_is_date_like)
    report(totals, "client", "prob.totals_row")
    raw, present = raw[~totals], present[~totals]

    dates = parse_dates(raw["date"])
    amounts = parse_amounts(raw["amount"])
    text = {f: raw[f].map(_text) for f in ("manager", "client", "category", "brand", "product",
                                          "order", "status")}
    status_norm = text["status"].map(normalise_status)
    kinds = status_norm.map(statuses.kind_of())
    kinds = kinds.where(status_norm != "", "sale")

    bad_date = dates.isna()
    bad_amount = ~bad_date & amounts.isna()
    no_manager = ~bad_date & ~bad_amount & (text["manager"] == "")
    no_client = ~bad_date & ~bad_amount & ~no_manager & (text["client"] == "")
    unknown = ~bad_date & ~bad_amount & ~no_manager & ~no_client & kinds.isna()
    report(bad_date, "date", "prob.bad_date")
    report(bad_amount, "amount", "prob.bad_amount")
    report(no_manager, "manager", "prob.no_manager")
    report(no_client, "client", "prob.no_client")
    for row, status in text["status"][unknown].items():
        col = columns["status"]
        problems.append(Problem(sheet.name, int(row), str(header[col]), status,
                                "prob.unknown_status", {"status": status}))

    keep = ~(bad_date | bad_amount | no_manager | no_client | unknown)
    quantity = parse_amounts(raw["quantity"])
    bad_qty = keep & present.get("quantity", pd.Series(False, index=raw.index)) & quantity.isna()
    report(bad_qty, "quantity", "prob.bad_quantity")

    ledger = pd.DataFrame({
        "row": raw.index[keep].astype("int64"),
        "date": dates[keep].to_numpy(),
        "manager": text["manager"][keep].to_numpy(),
        "client": text["client"][keep].to_numpy(),
        "category": text["category"][keep].to_numpy(),
        "brand": text["brand"][keep].to_numpy(),
        "product": text["product"][keep].to_numpy(),
        "quantity": quantity[keep].to_numpy(dtype="float64"),
        "amount": amounts[keep].to_numpy(dtype="float64"),
        "order": text["order"][keep].to_numpy(),
        "status": text["status"][keep].to_numpy(),
        "kind": kinds[keep].to_numpy(),
    })
    ledger["date"] = pd.to_datetime(ledger["date"])
    ledger.insert(2, "month", month_number(ledger["date"]))
    problems.sort(key=lambda p: (p.row or 0))
    return ledger, problems


def ledger_from_frame(frame: pd.DataFrame, statuses: StatusWords, name: str = "Sales") -> tuple[pd.DataFrame, list[Problem]]:
    """Parse a DataFrame whose columns are headers (e.g. the demo's) as if it were a sheet."""
    rows = [list(frame.columns)] + frame.astype(object).where(frame.notna(), "").values.tolist()
    return read_ledger(SheetRows(name, rows), statuses)


def parse_dates(values: pd.Series) -> pd.Series:
    """Cell values -> datetime64; NaT where a value is not a date.

    Real dates pass through; numbers are Excel serial dates (1900 system); text is tried against the
    formats exports use (``dd.mm.yyyy`` first, as Russian systems write it).
    """
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if values.empty:
        return out
    kinds = values.map(type)
    is_date = kinds.map(lambda k: issubclass(k, (dt.date, np.datetime64)))
    if is_date.any():
        out[is_date] = pd.to_datetime(values[is_date].map(_as_datetime))
    is_number = kinds.map(lambda k: k in (int, float) or issubclass(k, (np.integer, np.floating)))
    if is_number.any():
        serial = pd.to_numeric(values[is_number], errors="coerce").astype("float64")
        plausible = serial.between(1, 2958465)  # 1900-01-01 .. 9999-12-31
        days = pd.to_timedelta(serial[plausible].round(6), unit="D")
        out[plausible[plausible].index] = pd.Timestamp("1899-12-30") + days
    is_text = kinds.map(lambda k: issubclass(k, str))
    if is_text.any():
        text = values[is_text].str.strip()
        todo = text != ""
        for fmt in _TEXT_DATE_FORMATS:
            if not todo.any():
                break
            parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
            hit = parsed.notna()
            out[hit[hit].index] = parsed[hit]
            todo[hit[hit].index] = False
    return out.dt.normalize()


_AMOUNT_JUNK = re.compile(r"[\s\u00a0\u202f\u2009'₽$€]|руб\.?|р\.|rub", re.IGNORECASE)


def parse_amounts(values: pd.Series) -> pd.Series:
    """Cell values -> float64; NaN where a value is empty or not a number.

    Text such as ``1 234,50``, ``1.234,50``, ``1,234.50``, ``-500 ₽``, ``−500`` (Unicode minus) and
    ``(500)`` (accounting negative) is understood.
    """
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    if values.empty:
        return out
    kinds = values.map(type)
    is_number = kinds.map(lambda k: (k in (int, float) or issubclass(k, (np.integer, np.floating)))
                          and not issubclass(k, bool))
    out[is_number] = pd.to_numeric(values[is_number], errors="coerce")
    is_text = kinds.map(lambda k: issubclass(k, str))
    if is_text.any():
        text = values[is_text].str.replace(_AMOUNT_JUNK, "", regex=True)
        text = text.str.replace("\u2212", "-", regex=False).str.replace("\u2013", "-", regex=False)
        negative = text.str.match(r"^\(.*\)$")
        text = text.str.strip("()")
        # The separator that comes last is the decimal one; the other groups thousands.
        last_comma, last_dot = text.str.rfind(","), text.str.rfind(".")
        comma_decimal = last_comma > last_dot
        text = text.where(~comma_decimal, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
        text = text.where(comma_decimal, text.str.replace(",", "", regex=False))
        number = pd.to_numeric(text.where(text.str.match(r"^[+-]?(\d+\.?\d*|\.\d+)$"), None), errors="coerce")
        out[is_text] = number.where(~negative, -number)
    return out.astype("float64")


def column_letter(index0: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    n = index0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _display(field: str, aliases: dict[str, tuple[str, ...]] | None = None) -> str:
    names_ = (aliases or ALIASES)[field]
    return f"{names_[1].capitalize()} ({names_[0].capitalize()})"


def filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, float) and np.isnan(value):
        return False
    return True


def _text(value: object) -> str:
    if not filled(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a client or order number typed as a number
    return re.sub(r"\s+", " ", str(value)).strip()


def _is_total(value: object) -> bool:
    return isinstance(value, str) and bool(_TOTAL_WORDS.match(value))


def _is_date_like(value: object) -> bool:
    return isinstance(value, (dt.date, np.datetime64))


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return pd.Timestamp(value).to_pydatetime()
