"""The Catalog tab: what supervisors put on Instrument #2 (new items, promotions, brands, clearance).

Columns (Russian or English headers, any order): Item, Brand, Category, Section, Price, Valid from,
Valid until, Note. Section is one of the four sections of Instrument #2, by its Russian or English
name or key. Rows with an unknown section or an unreadable date are left out and listed.
"""

from __future__ import annotations

import pandas as pd

from ..errors import Problem
from .ledger import filled, find_header, normalise_header, parse_amounts, parse_dates
from .rows import SheetRows

ALIASES: dict[str, tuple[str, ...]] = {
    "item": ("item", "позиция", "товар", "наименование", "номенклатура", "product"),
    "brand": ("brand", "бренд", "производитель", "марка"),
    "category": ("category", "категория", "группа товаров", "товарная группа"),
    "section": ("section", "раздел", "секция", "тип"),
    "price": ("price", "цена", "цена руб", "стоимость"),
    "valid_from": ("valid from", "действует с", "с", "начало", "дата начала"),
    "valid_until": ("valid until", "действует по", "по", "окончание", "дата окончания", "до"),
    "note": ("note", "примечание", "комментарий", "условия"),
}
REQUIRED = ("item", "section")

#: Section names a supervisor may type -> section key.
SECTION_NAMES = {
    "new": ("new", "новинки", "новинка", "new products", "new items"),
    "promo": ("promo", "акции", "акция", "действующие акции", "promotions", "promotion"),
    "brands": ("brands", "бренды", "бренды повышенной мотивации", "мотивация", "motivation brands",
               "high-motivation brands"),
    "sale": ("sale", "распродажа", "clearance", "ликвидация"),
}
_SECTION = {normalise_header(n): key for key, names in SECTION_NAMES.items() for n in names}

COLUMNS = ["row", "item", "brand", "category", "section", "price", "valid_from", "valid_until", "note"]


def empty_catalog() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="datetime64[us]" if c.startswith("valid") else
                                      "float64" if c == "price" else "int64" if c == "row" else object)
                         for c in COLUMNS})


def read_catalog(sheet: SheetRows | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Catalog items; ``None`` (no tab) or a tab without rows gives an empty catalog."""
    if sheet is None or not any(filled(v) for row in sheet.rows for v in row):
        return empty_catalog(), []
    header_row, columns = find_header(sheet, ALIASES, REQUIRED)
    header = sheet.rows[header_row - 1]
    problems: list[Problem] = []
    rows = []
    for r, values in enumerate(sheet.rows[header_row:], start=header_row + 1):
        cell = {f: (values[c] if c < len(values) else "") for f, c in columns.items()}
        if not any(filled(v) for v in cell.values()):
            continue
        item = str(cell["item"]).strip() if filled(cell["item"]) else ""
        if not item:
            problems.append(Problem(sheet.name, r, str(header[columns["item"]]), "", "prob.catalog_no_item"))
            continue
        section = _SECTION.get(normalise_header(cell.get("section", "")))
        if section is None:
            problems.append(Problem(sheet.name, r, str(header[columns["section"]]), cell.get("section", ""),
                                    "prob.catalog_section", {"value": cell.get("section", "")}))
            continue
        dates = {}
        bad = False
        for field in ("valid_from", "valid_until"):
            value = cell.get(field, "")
            parsed = parse_dates(pd.Series([value], dtype=object)).iloc[0] if filled(value) else pd.NaT
            if filled(value) and pd.isna(parsed):
                problems.append(Problem(sheet.name, r, str(header[columns[field]]), value, "prob.bad_date"))
                bad = True
            dates[field] = parsed
        if bad:
            continue
        price = parse_amounts(pd.Series([cell.get("price", "")], dtype=object)).iloc[0]
        rows.append({"row": r, "item": item, "brand": _text(cell.get("brand")),
                     "category": _text(cell.get("category")), "section": section, "price": price,
                     "valid_from": dates["valid_from"], "valid_until": dates["valid_until"],
                     "note": _text(cell.get("note"))})
    if not rows:
        return empty_catalog(), problems
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["valid_from"] = pd.to_datetime(frame["valid_from"])
    frame["valid_until"] = pd.to_datetime(frame["valid_until"])
    frame = frame.astype({"price": "float64"})
    # Where the rows came from, for the problems found once the plan month is known.
    frame.attrs.update(sheet=sheet.name, headers={f: str(header[c]) for f, c in columns.items()})
    return frame, problems


def _text(value: object) -> str:
    return " ".join(str(value).split()) if filled(value) else ""
