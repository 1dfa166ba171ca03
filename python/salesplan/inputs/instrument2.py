"""A manager's Instrument #2 sheet, read back before it is rebuilt: what he struck, added and changed.

The sheet is the program's (``№2 Фамилия И.``), but the seed wants the list made by the manager, so
its lines carry, in hidden columns beside the page, what the program put there: the section, the
catalog item (its *key*) and the clients it proposed. Reading a line against them tells his edits:

=====================================  ==========================================================
on the sheet                           read as
=====================================  ==========================================================
a mark in the «✗» column               the item is struck (or his own line deleted)
the item's name erased                 the item is struck
«Кому предложить» not what the         his clients for the item (erased: the program's again)
program proposed
a filled yellow line (no key)          a line of his own, in the section it stands in
=====================================  ==========================================================

A sheet is recognised by its content, not its tab name: the hidden marker :data:`MARKER` near the
top, and the manager's name in the hidden cell below it (else the «Фамилия Имя · месяц» line of its
header). A manager may rename his tab; the next build finds it and keeps its name. A line inserted
by hand (no hidden section) belongs to the section above it; the section titles are marked
``[new]`` … in the hidden column, the end of the last section ``[end]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..words import fold, label_key
from .ledger import filled
from .rows import SheetRows

#: In the hidden column of the sheet's first row: this is an Instrument #2 sheet.
MARKER = "salesplan:instrument2"
#: The hidden columns' titles (in the header row): the section, the catalog item, the clients proposed.
HIDDEN = ("section", "key", "proposed")
SECTIONS = ("new", "promo", "brands", "sale")
#: The hidden section cell of a section's title row is ``[new]``; that of the line under the last
#: section ``[end]``.
END = "[end]"
#: The visible columns, by the words of their title in either language.
HEADERS: dict[str, tuple[str, ...]] = {
    "item": ("Товар", "Product"),
    "brand": ("Бренд", "Brand"),
    "category": ("Категория", "Category"),
    "price": ("Цена", "Price"),
    "valid_until": ("Действует до", "Valid until"),
    "note": ("Условия", "Terms"),
    "clients": ("Кому предложить", "Offer to"),
    "mark": ("✗",),
}
#: Marks that keep a line rather than strike it.
KEEP_MARKS = {"✓", "✔", "+", "v", "да", "yes"}

#: One line of the sheet with something on it (a catalog item, or a line of his own).
EDIT_COLUMNS = ["row", "section", "key", "item", "brand", "category", "price", "valid_until", "note", "clients",
                "proposed", "struck"]


@dataclass(frozen=True)
class Instrument2Sheet:
    """What one Instrument #2 sheet holds.

    Attributes:
        name: the tab's name (as the manager may have renamed it).
        manager: who the sheet names as its manager, as written, most certain first: the hidden cell
            under the marker, then the first part of each «Фамилия Имя · месяц» line of its top
            rows (the plan's managers tell which one is a name).
        edits: its lines (:data:`EDIT_COLUMNS`), in the order of the sheet.
        clients_column: the title of its «Кому предложить» column (for the problems).
    """

    name: str
    manager: tuple[str, ...]
    edits: pd.DataFrame
    clients_column: str = ""


def is_instrument2(head: list[list[object]]) -> bool:
    """Whether a sheet's first rows carry the Instrument #2 marker."""
    return any(str(v).strip() == MARKER for row in head[:3] for v in row if filled(v))


def read_instrument2(sheet: SheetRows) -> Instrument2Sheet | None:
    """The lines of an Instrument #2 sheet; None when the sheet has no marker or no header with the
    hidden columns (a sheet of another kind, or one whose hidden columns were deleted)."""
    rows = sheet.rows
    if not is_instrument2(rows):
        return None
    manager = _manager(rows)
    at = _header(rows)
    if at is None:
        return Instrument2Sheet(sheet.name, manager, pd.DataFrame(columns=EDIT_COLUMNS))
    header_row, columns = at
    out = []
    section = ""
    for r in range(header_row + 1, len(rows) + 1):
        values = rows[r - 1]

        def cell(field: str, values: list[object] = values) -> object:
            c = columns.get(field)
            return values[c] if c is not None and c < len(values) and filled(values[c]) else ""

        written = str(cell("section")).strip()
        if written == END:
            break
        if written.startswith("[") and written.strip("[]") in SECTIONS:
            section = written.strip("[]")  # a section's title
            continue
        if written in SECTIONS:
            section = written
        if not section:
            continue
        text = {f: _text(cell(f)) for f in ("key", "item", "brand", "category", "note", "clients", "proposed")}
        mark = _text(cell("mark"))
        if not (text["key"] or text["item"] or text["clients"]):
            continue  # an empty line, a blank yellow line
        out.append({"row": r, "section": section, **text, "price": _value(cell("price")),
                    "valid_until": _value(cell("valid_until")),
                    "struck": bool(mark) and fold(mark) not in KEEP_MARKS})
    clients_title = ""
    if "clients" in columns:
        clients_title = str(rows[header_row - 1][columns["clients"]])
    return Instrument2Sheet(sheet.name, manager, pd.DataFrame(out, columns=EDIT_COLUMNS), clients_title)


def _manager(rows: list[list[object]]) -> tuple[str, ...]:
    """Who the sheet may name as its manager (see :class:`Instrument2Sheet`)."""
    out = []
    for r, values in enumerate(rows[:3]):
        for c, v in enumerate(values):
            if filled(v) and str(v).strip() == MARKER:
                below = rows[r + 1][c] if r + 1 < len(rows) and c < len(rows[r + 1]) else ""
                if filled(below):
                    out.append(" ".join(str(below).split()))
    for values in rows[:4]:
        for v in values:
            if filled(v) and " · " in str(v):
                out.append(" ".join(str(v).split(" · ")[0].split()))
    return tuple(out)


def _header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """(1-based row, field -> 0-based column) of the row titled with the hidden columns."""
    visible = {label_key(n): f for f, names in HEADERS.items() for n in names}
    for r, values in enumerate(rows, start=1):
        texts = [str(v).strip() if filled(v) else "" for v in values]
        if not all(h in texts for h in HIDDEN):
            continue
        columns = {h: texts.index(h) for h in HIDDEN}
        for c, text in enumerate(texts):
            field = visible.get(label_key(text)) if text not in ("✗",) else "mark"
            if field and field not in columns:
                columns[field] = c
        return r, columns
    return None


def _text(value: object) -> str:
    """A cell's text, its spaces as typed inside lines (a manager's Alt+Enter kept)."""
    if not filled(value):
        return ""
    return "\n".join(" ".join(line.split()) for line in str(value).strip().splitlines() if line.strip())


def _value(value: object) -> object:
    """A price or a date as the cell holds it (a number, a date, or text as typed); None if empty."""
    if not filled(value):
        return None
    return value.strip() if isinstance(value, str) else value
