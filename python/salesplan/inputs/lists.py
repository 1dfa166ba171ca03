"""The tabs managers write in: Prospects, Long list, Short list, the list archive, Wishes.

The Long list, Short list and archive tabs are rewritten by every build, so reading them must never
lose a cell: every column the program does not know (a manager may add one) is kept by its header
and written back, and a tab that cannot be read stops the build instead of being overwritten.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import InputError, Problem
from ..texts import names
from .ledger import filled, find_header, normalise_header, parse_amounts
from .rows import SheetRows

#: field -> the text key of its header (both languages are accepted when reading).
LONG_FIELDS = [("manager", "ll.manager"), ("company", "ll.company"), ("kind", "ll.kind"), ("reason", "ll.reason"),
               ("potential", "ll.potential"), ("entered", "ll.entered"), ("list_month", "ll.list_month"),
               ("flag", "ll.flag"), ("phone", "pr.phone"), ("contact", "pr.contact"), ("city", "pr.city"),
               ("prev_called_on", "ll.prev_called_on"), ("prev_result", "ll.prev_result"),
               ("called_on", "ll.called_on"), ("result", "ll.result"),
               ("interested", "ll.interested"), ("why_not", "ll.why_not"), ("next_step", "ll.next_step"),
               ("notes", "ll.notes")]
SHORT_FIELDS = [("manager", "ll.manager"), ("company", "ll.company"), ("phone", "pr.phone"),
                ("contact", "pr.contact"), ("city", "pr.city"), ("potential", "ll.potential"),
                ("needs", "sl.needs"), ("why_before", "sl.why_before"), ("objections", "sl.objections"),
                ("to_solve", "sl.to_solve"), ("next_step", "ll.next_step"), ("next_date", "sl.next_date")]
#: The Short list tab as written: the program's interest and note columns are read back as known
#: fields (not as a manager's extra columns), so they are not copied twice.
SHORT_TAB_FIELDS = SHORT_FIELDS + [("interested", "ll.interested"), ("flag", "ll.flag")]
ARCHIVE_FIELDS = LONG_FIELDS + [("left_reason", "ll.left_reason"), ("left_month", "ll.left_month")]
PROSPECT_FIELDS = [("company", "pr.company"), ("city", "pr.city"), ("contact", "pr.contact"), ("phone", "pr.phone"),
                   ("email", "pr.email"), ("site", "pr.site"), ("potential", "pr.potential"),
                   ("source", "pr.source"), ("manager", "pr.manager")]
NOTES_ARCHIVE_FIELDS = [("tab", "na.tab"), ("key", "na.key"), ("field", "na.field"), ("value", "na.value"),
                        ("left_month", "na.left_month"), ("reason", "na.reason")]
WISH_FIELDS = [("client", "wi.client"), ("what", "wi.what"), ("date", "wi.date"), ("manager", "wi.manager"),
               ("status", "wi.status")]

KIND_WORDS = {"lapsed": ("ушедший клиент", "lapsed client", "lapsed"),
              "prospect": ("новая компания", "prospect", "new company")}


def aliases(fields: list[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    return {f: tuple(n.casefold() for n in names(key)) for f, key in fields}


def read_tab(sheet: SheetRows | None, fields: list[tuple[str, str]], required: tuple[str, ...]) -> pd.DataFrame:
    """Rows of a managers' tab as records: known fields by name, every other column under
    ``own_columns`` ({header: value}). An empty or missing tab gives no rows; a tab whose header row
    cannot be found raises (rather than be overwritten and lost)."""
    columns = [f for f, _ in fields] + ["own_columns", "row"]
    if sheet is None or not any(filled(v) for row in sheet.rows for v in row):
        return pd.DataFrame(columns=columns)
    header_row, found = find_header(sheet, aliases(fields), required)
    header = sheet.rows[header_row - 1]
    own_cols = [(c, str(h).strip()) for c, h in enumerate(header) if filled(h) and c not in found.values()]
    records = []
    for r, values in enumerate(sheet.rows[header_row:], start=header_row + 1):
        record: dict[str, Any] = {f: (values[c] if c < len(values) and filled(values[c]) else "")
                                  for f, c in found.items()}
        own_columns = {h: values[c] for c, h in own_cols if c < len(values) and filled(values[c])}
        if not any(filled(v) for v in record.values()) and not own_columns:
            continue
        if is_block_heading(record) and not own_columns:
            continue  # a manager's block heading the program wrote (see outputs/lists.py)
        record["own_columns"], record["row"] = own_columns, r
        records.append(record)
    return pd.DataFrame(records, columns=columns, dtype=object).fillna("")


#: What starts the line the program writes above a block whose list is short of its minimum.
SHORT_OF_MARK = "⚠"
#: The fields a block heading fills: the heading's text (in the company column) and its manager.
_HEADING_FIELDS = {"company", "manager"}


def is_block_heading(record: dict[str, Any]) -> bool:
    """A row the program wrote above a manager's block on the Long and Short list tabs: its company
    cell starts with «Менеджер:» (either language) or «⚠» (a list short of its minimum), and nothing
    else but the manager is filled."""
    company = str(record.get("company", "")).strip()
    return (any(company.startswith(prefix) for prefix in (*names("ll.block_prefix"), SHORT_OF_MARK))
            and not any(filled(v) for f, v in record.items() if f not in _HEADING_FIELDS))


def read_long_list(sheet: SheetRows | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Entries of the Long list tab (or the archive): kind as a key, potential as a number."""
    frame = read_tab(sheet, ARCHIVE_FIELDS, ("manager", "company"))
    problems = []
    if len(frame):
        frame["kind"] = frame["kind"].map(_kind)
        frame["potential"] = parse_amounts(frame["potential"].astype(object)).fillna(0.0)
        for col in ("manager", "company", "entered", "list_month"):
            frame[col] = frame[col].map(lambda v: " ".join(str(v).split()) if filled(v) else "")
        # A row without a company is kept as it is (someone typed there), and reported.
        for row in frame.loc[frame["company"] == "", "row"]:
            problems.append(Problem(sheet.name, int(row), names("ll.company")[0], "", "prob.list_no_company"))
    return frame.reset_index(drop=True), problems


def read_short_list(sheet: SheetRows | None) -> pd.DataFrame:
    return read_tab(sheet, SHORT_TAB_FIELDS, ("company",))


def read_prospects(sheet: SheetRows | None) -> tuple[pd.DataFrame, list[Problem]]:
    """Companies that never bought: company, city, contact..., potential (per month), source, manager."""
    frame = read_tab(sheet, PROSPECT_FIELDS, ("company", "potential"))
    problems = []
    if len(frame):
        potential = parse_amounts(frame["potential"].astype(object))
        bad = potential.isna() & (frame["potential"] != "")
        for row, value in zip(frame.loc[bad, "row"], frame.loc[bad, "potential"]):
            problems.append(Problem(sheet.name, int(row), names("pr.potential")[0], value, "prob.bad_amount"))
        frame["potential"] = potential.fillna(0.0)
        for col in ("company", "manager", "source", "city"):
            frame[col] = frame[col].map(lambda v: " ".join(str(v).split()) if filled(v) else "")
        frame = frame[frame["company"] != ""]
    return frame.reset_index(drop=True), problems


def read_notes_archive(sheet: SheetRows | None) -> pd.DataFrame:
    """The notes that left the call sheet and the open orders, as the Notes archive tab shows them."""
    return read_tab(sheet, NOTES_ARCHIVE_FIELDS, ("key", "value"))


def read_wishes(sheet: SheetRows | None) -> pd.DataFrame:
    return read_tab(sheet, WISH_FIELDS, ("client", "what"))


def _kind(value: object) -> str:
    text = normalise_header(value)
    for kind, words in KIND_WORDS.items():
        if text in {normalise_header(w) for w in words}:
            return kind
    return "lapsed" if not text else text


__all__ = ["read_long_list", "read_short_list", "read_prospects", "read_wishes", "read_notes_archive", "InputError"]
