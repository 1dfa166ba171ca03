"""The input tabs of a new workbook: Sales and Config (the demo and the built workbook use them).

These tabs belong to the user once written: ``salesplan plan`` reads them and never rewrites them.
The Config tab is generated from :data:`salesplan.params.PARAMS`, so a new parameter appears on it,
with its validation and note, without touching this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .. import params as P
from ..inputs.config import DEFAULT_CROSSSELL, Config
from ..texts import t
from .tabs import DATE, MONEY, put

SALES_HEADERS = {
    "ru": ("Дата", "Менеджер", "Клиент", "Категория", "Бренд", "Товар", "Количество", "Сумма", "Заказ", "Статус"),
    "en": ("Date", "Manager", "Client", "Category", "Brand", "Product", "Quantity", "Amount", "Order", "Status"),
}
SALES_FIELDS = ("Date", "Manager", "Client", "Category", "Brand", "Product", "Quantity", "Amount", "Order", "Status")
SALES_WIDTHS = (11, 22, 34, 22, 12, 44, 10, 14, 12, 30)

#: Where the Config blocks start (0-based row, col). The reader finds them by title, not here.
PARAMS_AT = (3, 0)
STATUSES_AT = (3, 7)
TIERS_AT = (3, 11)
TARGETS_AT = (3, 14)
CLIENTS_AT = (3, 18)
CROSSSELL_AT = (3, 21)
EXCLUSIONS_AT = (3, 24)

CATALOG_HEADERS = {
    "ru": ("Позиция", "Бренд", "Категория", "Раздел", "Цена", "Действует с", "Действует по", "Примечание"),
    "en": ("Item", "Brand", "Category", "Section", "Price", "Valid from", "Valid until", "Note"),
}
CATALOG_FIELDS = ("item", "brand", "category", "section", "price", "valid_from", "valid_until", "note")
CATALOG_WIDTHS = (46, 14, 24, 30, 12, 12, 12, 40)
SECTION_LABELS = {
    "ru": {"new": "Новинки", "promo": "Действующие акции", "brands": "Бренды повышенной мотивации",
           "sale": "Распродажа"},
    "en": {"new": "New products", "promo": "Promotions", "brands": "Motivation brands", "sale": "Clearance"},
}


def write_sales_tab(book: Any, ledger: pd.DataFrame, lang: str) -> None:
    """The Sales tab from a frame with the columns of :data:`SALES_FIELDS`."""
    _records_tab(book, t("sheet.sales", lang), list(SALES_HEADERS[lang]), list(SALES_FIELDS), ledger,
                 widths=list(SALES_WIDTHS), money={"Amount"}, dates={"Date"})


def write_catalog_tab(book: Any, catalog: pd.DataFrame, lang: str) -> None:
    """The Catalog tab that supervisors keep: the items of Instrument #2, with a list of sections."""
    labels = SECTION_LABELS[lang]
    shown = catalog.assign(section=[labels.get(v, v) for v in catalog["section"]])
    ws = _records_tab(book, t("sheet.catalog", lang), list(CATALOG_HEADERS[lang]), list(CATALOG_FIELDS), shown,
                      widths=list(CATALOG_WIDTHS), money={"price"}, dates={"valid_from", "valid_until"})
    last = max(len(catalog) + 200, 500)  # room to add items, with the same list of sections
    ws.data_validation(1, 3, last, 3, {"validate": "list", "source": list(labels.values())})


def write_config_tab(book: Any, config: Config, lang: str,
                     crosssell: tuple[tuple[str, str], ...] = DEFAULT_CROSSSELL,
                     exclusions: tuple[tuple[str, str, str], ...] = ()) -> None:
    """The Config tab: parameters with validation and notes, status words, tiers, Targets, Clients,
    Cross-sell rules and Exclusions."""
    ws = book.add_worksheet(t("sheet.config", lang))
    title = book.add_format({"bold": True, "font_size": 14})
    note = book.add_format({"italic": True, "font_color": "#595959"})
    block = book.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                              "valign": "vcenter"})
    key = book.add_format({"font_color": "#808080", "border": 1, "font_size": 9})
    text = book.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
    grey = book.add_format({"border": 1, "font_color": "#595959", "valign": "vcenter"})
    grey_share = book.add_format({"border": 1, "font_color": "#595959", "valign": "vcenter", "num_format": "0%"})
    grey_money = book.add_format({"border": 1, "font_color": "#595959", "valign": "vcenter", "num_format": MONEY})
    help_ = book.add_format({"border": 1, "font_color": "#595959", "text_wrap": True, "font_size": 9,
                             "valign": "vcenter"})
    entry = book.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False, "valign": "vcenter"})
    entry_share = book.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "0%"})
    entry_money = book.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": MONEY})
    entry_date = book.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False, "num_format": "dd.mm.yyyy"})

    put(ws, 0, 0, t("config.title", lang), title)
    put(ws, 1, 0, t("config.note", lang), note)

    # Parameters
    r0, c0 = PARAMS_AT
    put(ws, r0, c0, t("config.params", lang), block)
    for i, k in enumerate(("config.key", "config.param", "config.value", "config.default",
                           "config.allowed", "config.help")):
        put(ws, r0 + 1, c0 + i, t(k, lang), header)
    for i, param in enumerate(P.PARAMS):
        r = r0 + 2 + i
        value = config.params.get(param.key, param.default)
        style = entry_share if param.kind == "share" else entry_money if param.kind == "money" else entry
        put(ws, r, c0, param.key, key)
        put(ws, r, c0 + 1, param.label(lang), text)
        if param.kind == "date" and value:
            value = dt.date.fromisoformat(value)
            style = entry_date
        put(ws, r, c0 + 2, value if value != "" else None, style)
        put(ws, r, c0 + 3, param.default if param.default != "" else "—",
            grey_share if param.kind == "share" else grey_money if param.kind == "money" else grey)
        put(ws, r, c0 + 4, param.allowed(lang), grey)
        put(ws, r, c0 + 5, param.help(lang), help_)
        _validate(ws, r, c0 + 2, param, lang)
        ws.write_comment(r, c0 + 2, f"{param.label(lang)}\n{param.help(lang)}\n{param.allowed(lang)}",
                         {"x_scale": 2, "y_scale": 1.3})
        ws.set_row(r, 30)
    ws.set_column(c0, c0, 16)
    ws.set_column(c0 + 1, c0 + 1, 30)
    ws.set_column(c0 + 2, c0 + 2, 13)
    ws.set_column(c0 + 3, c0 + 3, 13)
    ws.set_column(c0 + 4, c0 + 4, 22)
    ws.set_column(c0 + 5, c0 + 5, 52)

    # Status words: three columns.
    r0, c0 = STATUSES_AT
    put(ws, r0, c0, t("config.statuses", lang), block)
    groups = [sorted(config.statuses.sale), sorted(config.statuses.open), sorted(config.statuses.refused)]
    for i, k in enumerate(("config.status_sale", "config.status_open", "config.status_refused")):
        put(ws, r0 + 1, c0 + i, t(k, lang), header)
        for j in range(max(len(g) for g in groups) + 10):
            put(ws, r0 + 2 + j, c0 + i, groups[i][j] if j < len(groups[i]) else None, entry)
    ws.set_column(c0, c0 + 2, 22)

    # Contact tiers
    r0, c0 = TIERS_AT
    put(ws, r0, c0, t("config.tiers", lang), block)
    put(ws, r0 + 1, c0, t("config.tier_from", lang), header)
    put(ws, r0 + 1, c0 + 1, t("config.tier_contact", lang), header)
    for j in range(len(config.tiers) + 5):
        amount, contact = config.tiers[j] if j < len(config.tiers) else (None, None)
        put(ws, r0 + 2 + j, c0, amount, entry_money)
        put(ws, r0 + 2 + j, c0 + 1, contact, entry)
    ws.set_column(c0, c0, 16)
    ws.set_column(c0 + 1, c0 + 1, 20)

    # Targets, as an Excel table so that a new row extends it.
    r0, c0 = TARGETS_AT
    put(ws, r0, c0, t("config.targets", lang), block)
    targets = config.targets
    data = [[m, (None if pd.isna(tg) else float(tg)), (None if pd.isna(s) else float(s))]
            for m, tg, s in zip(targets["manager"], targets["target"], targets["existing_share"])]
    _table(ws, r0 + 1, c0, [t("config.manager", lang), t("config.target", lang),
                            t("config.existing_share", lang)], data, [entry, entry_money, entry_share],
           "Targets", room=40)
    ws.set_column(c0, c0, 24)
    ws.set_column(c0 + 1, c0 + 2, 16)

    # Clients: explicit owners
    r0, c0 = CLIENTS_AT
    put(ws, r0, c0, t("config.clients", lang), block)
    owners = config.owners
    _table(ws, r0 + 1, c0, [t("config.client", lang), t("config.owner", lang)],
           [[c, o] for c, o in zip(owners["client"], owners["owner"])], [entry, entry], "Clients", room=400)
    ws.set_column(c0, c0, 34)
    ws.set_column(c0 + 1, c0 + 1, 24)

    # Cross-sell rules (seed 3.1.1) and exclusions ("отсутствие явных объективных причин")
    r0, c0 = CROSSSELL_AT
    put(ws, r0, c0, t("config.crosssell", lang), block)
    _table(ws, r0 + 1, c0, [t("config.cs_when", lang), t("config.cs_offer", lang)],
           [list(rule) for rule in crosssell], [entry, entry], "CrossSell")
    ws.set_column(c0, c0, 36)
    ws.set_column(c0 + 1, c0 + 1, 44)
    r0, c0 = EXCLUSIONS_AT
    put(ws, r0, c0, t("config.exclusions", lang), block)
    _table(ws, r0 + 1, c0, [t("config.client", lang), t("config.ex_category", lang), t("config.ex_reason", lang)],
           [list(row) for row in exclusions], [entry, entry, entry], "Exclusions", room=200)
    ws.set_column(c0, c0, 30)
    ws.set_column(c0 + 1, c0 + 1, 22)
    ws.set_column(c0 + 2, c0 + 2, 36)
    ws.freeze_panes(PARAMS_AT[0] + 2, 0)
    # Labels, keys and explanations are locked against slips; inputs are unlocked. No password:
    # a supervisor who means it can unprotect the sheet.
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": True})


def _table(ws: Any, row: int, col: int, headers: list[str], data: list[list[Any]], styles: list[Any],
           name: str, room: int = 30) -> None:
    """An Excel table with ``room`` unlocked rows to spare: the tab is protected, and a protected
    sheet cannot grow a table, so the rows a supervisor will add are there already."""
    last_row = row + max(len(data) + room, 1)
    ws.add_table(row, col, last_row, col + len(headers) - 1, {
        "name": name, "style": "Table Style Light 9", "autofilter": False,
        "columns": [{"header": h, "format": s} for h, s in zip(headers, styles)]})
    for r, values in enumerate(data, start=row + 1):
        for c, value in enumerate(values):
            put(ws, r, col + c, value, styles[c])


def _validate(ws: Any, row: int, col: int, param: P.Param, lang: str) -> None:
    title = param.label(lang)[:32]
    message = param.help(lang)[:255]
    if param.kind == "choice":
        ws.data_validation(row, col, row, col, {"validate": "list", "source": list(param.choices),
                                                "input_title": title, "input_message": message})
    elif param.kind in ("int", "float", "share", "money"):
        ws.data_validation(row, col, row, col, {
            "validate": "integer" if param.kind == "int" else "decimal", "criteria": "between",
            "minimum": param.minimum, "maximum": param.maximum, "ignore_blank": True,
            "input_title": title, "input_message": message, "error_title": title,
            "error_message": f"{param.allowed(lang)}"[:255]})


def write_prospects_tab(book: Any, prospects: pd.DataFrame, lang: str) -> None:
    """Companies that never bought, kept by managers: the source of new names for the long list."""
    from ..inputs.lists import PROSPECT_FIELDS

    widths = {"company": 34, "city": 16, "contact": 28, "phone": 18, "email": 24, "site": 18, "potential": 16,
              "source": 14, "manager": 20}
    _records_tab(book, t("sheet.prospects", lang), [t(k, lang) for _, k in PROSPECT_FIELDS],
                 [f for f, _ in PROSPECT_FIELDS], prospects, widths=[widths[f] for f, _ in PROSPECT_FIELDS],
                 money={"potential"})


def write_wishes_tab(book: Any, wishes: pd.DataFrame, lang: str) -> None:
    """What key clients asked to have stocked (seed 3.1.3), all managers in one table."""
    from ..inputs.lists import WISH_FIELDS

    widths = {"client": 34, "what": 40, "date": 12, "manager": 20, "status": 14}
    ws = _records_tab(book, t("sheet.wishes", lang), [t(k, lang) for _, k in WISH_FIELDS],
                      [f for f, _ in WISH_FIELDS], wishes, widths=[widths[f] for f, _ in WISH_FIELDS], dates={"date"})
    ws.data_validation(1, 4, len(wishes) + 500, 4, {"validate": "list", "source": t("wi.statuses", lang).split("|"),
                                                    "error_type": "information"})


def _records_tab(book: Any, name: str, headers: list[str], fields: list[str], frame: pd.DataFrame, *,
                 widths: list[float], money: set[str] = frozenset(), dates: set[str] = frozenset()) -> Any:
    """A tab of records under one header row, filterable, with money and date columns formatted."""
    ws = book.add_worksheet(name)
    header = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    money_fmt = book.add_format({"num_format": MONEY})
    date_fmt = book.add_format({"num_format": DATE})
    for c, (title, field_) in enumerate(zip(headers, fields)):
        ws.write_string(0, c, title, header)
        ws.set_column(c, c, widths[c], money_fmt if field_ in money else date_fmt if field_ in dates else None)
    columns = [frame[f].tolist() for f in fields]
    for r in range(len(frame)):
        for c in range(len(fields)):
            put(ws, r + 1, c, columns[c][r])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(frame), 1), len(fields) - 1)
    return ws
