"""The program's mark on the tabs it writes: a hidden defined name local to each of its sheets.

A tab is the program's because the program marked it, not because of its name: a user's tab
named «План» or «№1 заметки» is the user's. The mark is the defined name :data:`MARK_NAME`,
scoped to the sheet (``localSheetId``), hidden, whose value is the text constant of the name the
sheet was written under (ECMA-376 Part 1, §18.2.5: a defined name may be a constant).

Why a defined name: Excel and LibreOffice keep a sheet's local names when the workbook is saved and
when the sheet is moved or copied, and they cost nothing to read. Why the name as written: a copy
of a program tab (Excel names it «План (2)») or a program tab the user renamed carries the mark of
«План»; it no longer has its name, so it is the user's now and the next build leaves it alone.
"""

from __future__ import annotations

import html

__all__ = ["MARK_NAME", "mark_element", "mark_value", "owns"]

MARK_NAME = "_salesplan_tab"


def mark_element(prefix: str, position: int, sheet_name: str) -> str:
    """The <definedName> that marks the sheet at ``position`` as written under ``sheet_name``."""
    constant = '"' + sheet_name.replace('"', '""') + '"'
    escaped = html.escape(constant, quote=False)
    return (f'<{prefix}definedName name="{MARK_NAME}" localSheetId="{position}" hidden="1">'
            f'{escaped}</{prefix}definedName>')


def mark_value(formula: str | None) -> str | None:
    """The sheet name a mark's value records (``"План"`` or ``="План"`` -> ``План``); None if it
    is not a text constant."""
    text = (formula or "").strip()
    if text.startswith("="):
        text = text[1:].strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        return None
    return text[1:-1].replace('""', '"')


def owns(sheet_name: str, recorded: str | None) -> bool:
    """A marked sheet is the program's while it keeps the name it was written under (Excel
    compares sheet names case-blind)."""
    return recorded is not None and recorded.casefold() == sheet_name.casefold()
