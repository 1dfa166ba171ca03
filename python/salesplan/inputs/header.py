"""Where the columns of a sheet are: the header row, found by the names exports give each field.

Light on purpose (no pandas): ``salesplan plan`` finds the Sales header and starts reading the sheet
before the heavy libraries are even imported (see :func:`salesplan.inputs.rows.WorkbookSheet.start_columns`).
"""

from __future__ import annotations

import math

from ..errors import InputError
from ..words import label_key
from .rows import SheetRows

REQUIRED = ("date", "manager", "client", "category", "amount")
OPTIONAL = ("brand", "product", "quantity", "order", "status")
#: How to reach a client, when the export has it: shown on the long list for a lapsed client.
CONTACT_FIELDS = ("phone", "contact", "city")
FIELDS = REQUIRED + OPTIONAL + CONTACT_FIELDS

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
    "phone": ("phone", "телефон", "тел", "телефон клиента", "телефон контрагента", "контактный телефон",
              "phone number"),
    "contact": ("contact person", "контактное лицо", "контакт", "контакт клиента", "contact"),
    "city": ("city", "город", "город клиента", "населенный пункт"),
}

#: How far down a header row is looked for (exports put titles and filters above it).
HEADER_SCAN_ROWS = 30

def normalise_header(value: object) -> str:
    """``' Сумма, руб. '`` -> ``'сумма руб'``: lower case, ё as е, no punctuation or extra spaces
    (:func:`~salesplan.words.label_key`)."""
    return label_key(value)


def find_header(sheet: SheetRows, aliases: dict[str, tuple[str, ...]] | None = None,
                required: tuple[str, ...] = REQUIRED) -> tuple[int, dict[str, int]]:
    """The 1-based header row and the 0-based column of each field found in it.

    ``aliases`` maps each field to the header names it may have (the Sales fields by default); the
    first alias of each is its display name. Raises InputError for an empty sheet, no header row,
    duplicate or missing required columns.
    """
    aliases = aliases or ALIASES
    alias_to_field = {normalise_header(a): f for f, names_ in aliases.items() for a in names_}
    head = sheet.head(HEADER_SCAN_ROWS)
    if not any(filled(v) for row in head for v in row) and not any(filled(v) for row in sheet.rows for v in row):
        raise InputError("err.empty_sheet", sheet=sheet.name)
    best_row, best_hits = 0, 0
    for index, row in enumerate(head):
        hits = sum(1 for v in row if filled(v) and normalise_header(v) in alias_to_field)
        if hits > best_hits:
            best_row, best_hits = index + 1, hits
    if best_hits < 2:
        raise InputError("err.no_header", sheet=sheet.name, scanned=HEADER_SCAN_ROWS,
                         required=", ".join(_display(f, aliases) for f in required))
    header = head[best_row - 1]
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
    if isinstance(value, float) and math.isnan(value):
        return False
    return True
