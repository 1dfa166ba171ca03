"""The workbook part (``xl/workbook.xml``; ECMA-376 Part 1, §18.2 Workbook).

It lists the sheets (name, id, state and the relationship to each sheet's part), the defined names
(whose ``localSheetId`` is a sheet's position) and the workbook views (whose ``activeTab`` and
``firstSheet`` are positions too). Parsed and edited as text (see :mod:`salesplan.ooxml.xml`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import PackageError
from .xml import (
    NS_MAIN,
    NS_R,
    NS_STRICT_MAIN,
    element_re,
    esc_attr,
    get_attr,
    insert_child,
    key,
    ns_prefix,
    root_tag,
    set_attr,
    start_tag,
    start_tag_re,
)

if TYPE_CHECKING:
    from .package import Package

__all__ = [
    "DefinedName", "Sheet", "Workbook", "active_tab", "defined_names", "edit_workbook", "parse_workbook",
    "sheet_element",
]

# Child order of <workbook> per the schema; Excel rejects files whose children are out of order,
# so new elements are inserted after the last present predecessor.
WORKBOOK_BEFORE_DEFINED_NAMES = ["fileVersion", "fileSharing", "workbookPr", "workbookProtection",
                                 "bookViews", "sheets", "functionGroups", "externalReferences"]
WORKBOOK_BEFORE_CALC_PR = WORKBOOK_BEFORE_DEFINED_NAMES + ["definedNames"]


@dataclass
class Sheet:
    name: str
    sheet_id: int
    rid: str
    state: str        # visible / hidden / veryHidden
    raw: str          # the <sheet> element as written
    part: str | None  # sheet part name
    rel_type: str


@dataclass
class DefinedName:
    name: str
    local: int | None  # localSheetId (a position in <sheets>)
    raw: str


@dataclass
class Workbook:
    text: str
    prefix: str           # prefix of the spreadsheetml namespace ('' usually)
    r_prefix: str | None  # prefix of the relationships namespace
    sheets: list[Sheet]
    names: list[DefinedName]


def parse_workbook(pkg: Package) -> Workbook:
    text = pkg.text(pkg.workbook_part)
    try:
        root = root_tag(text)
    except ValueError:
        raise PackageError(f"{pkg.role} workbook {pkg.path}: empty {pkg.workbook_part}") from None
    prefix = ns_prefix(root, NS_MAIN)
    if prefix is None:
        if ns_prefix(root, NS_STRICT_MAIN) is not None:
            raise PackageError(f"{pkg.role} workbook {pkg.path}: Strict Open XML is not supported; "
                               f"save it as a regular Excel workbook")
        raise PackageError(f"{pkg.role} workbook {pkg.path}: {pkg.workbook_part} is not a SpreadsheetML workbook")
    r_prefix = ns_prefix(root, NS_R)
    rels = {r.id: r for r in pkg.rels(pkg.workbook_part)}
    sheets: list[Sheet] = []
    sheets_el = element_re("sheets", prefix).search(text)
    if sheets_el is None:
        raise PackageError(f"{pkg.role} workbook {pkg.path}: {pkg.workbook_part} has no <sheets>")
    for m in element_re("sheet", prefix).finditer(sheets_el.group(0)):
        tag = start_tag(m.group(0))
        rid_m = re.search(r"""\s[\w.-]+:id\s*=\s*["']([^"']*)["']""", tag)
        rid = html.unescape(rid_m.group(1)) if rid_m else ""
        rel = rels.get(rid)
        sheets.append(Sheet(
            name=get_attr(tag, "name") or "",
            sheet_id=int(get_attr(tag, "sheetId") or 0),
            rid=rid,
            state=get_attr(tag, "state") or "visible",
            raw=m.group(0),
            part=pkg.entry(rel.part) if rel and rel.part else None,
            rel_type=rel.type if rel else "",
        ))
    names: list[DefinedName] = []
    names_el = element_re("definedNames", prefix).search(text)
    for m in element_re("definedName", prefix).finditer(names_el.group(0) if names_el else ""):
        tag = start_tag(m.group(0))
        local = get_attr(tag, "localSheetId")
        names.append(DefinedName(get_attr(tag, "name") or "", int(local) if local is not None else None, m.group(0)))
    return Workbook(text, prefix, r_prefix, sheets, names)


def active_tab(wb: Workbook) -> int:
    """The position of the active sheet, as the first workbook view says (0 if none does)."""
    view = start_tag_re("workbookView", wb.prefix, literal=True).search(wb.text)
    return int(get_attr(view.group(0), "activeTab") or 0) if view else 0


def sheet_element(prefix: str, r_prefix: str | None, name: str, sheet_id: int, state: str, rid: str) -> str:
    state_attr = f' state="{esc_attr(state)}"' if state != "visible" else ""
    if r_prefix:
        rel = f'{r_prefix}id="{esc_attr(rid)}"'
    else:  # the workbook does not declare the relationships namespace on its root
        rel = f'xmlns:r="{NS_R}" r:id="{esc_attr(rid)}"'
    return f'<{prefix}sheet name="{esc_attr(name)}" sheetId="{sheet_id}"{state_attr} {rel}/>'


def _with_prefix(raw: str, local: str, from_prefix: str, to_prefix: str) -> str:
    if from_prefix == to_prefix:
        return raw
    return re.sub(rf"<(/?){re.escape(from_prefix + local)}(?=[\s/>])", rf"<\g<1>{to_prefix}{local}", raw)


def defined_names(orig: Workbook, rend: Workbook, sheets: list[str], owned: set[str]) -> list[str]:
    """The output's <definedName> elements, its sheets being named `sheets` in order: names local
    to removed (`owned`) sheets are dropped, rendered names are added (a rendered global name
    replaces the original global of the same name), and every localSheetId is renumbered to the
    new sheet positions."""
    position = {key(name): i for i, name in enumerate(sheets)}
    rendered_globals = {key(n.name) for n in rend.names if n.local is None}
    result = []

    def relocal(raw: str, index: int) -> str:
        start = start_tag(raw)
        return set_attr(start, "localSheetId", str(index)) + raw[len(start):]

    for n in orig.names:
        if n.local is None:
            if key(n.name) not in rendered_globals:
                result.append(n.raw)
        elif 0 <= n.local < len(orig.sheets):
            sheet = key(orig.sheets[n.local].name)
            if sheet not in owned:
                result.append(relocal(n.raw, position[sheet]))
        # a localSheetId out of range was already invalid: drop it
    for n in rend.names:
        raw = _with_prefix(n.raw, "definedName", rend.prefix, orig.prefix)
        if n.local is None:
            result.append(raw)
        elif 0 <= n.local < len(rend.sheets):
            result.append(relocal(raw, position[key(rend.sheets[n.local].name)]))
    return result


def edit_workbook(wb: Workbook, sheet_elements: list[str], names: list[str],
                  active: int, new_position: dict[int, int], full_calc: bool) -> str:
    """The workbook part with these <sheet> elements and defined names, sheet `active` active,
    the first sheet shown moved with its sheet (`new_position`: old position -> new), and, if
    `full_calc`, Excel asked to calculate every formula on open."""
    text, p = wb.text, wb.prefix
    sheets = element_re("sheets", p).search(text)
    assert sheets is not None, "parse_workbook found <sheets>"
    start = start_tag(sheets.group(0))
    if start.endswith("/>"):
        start = start[:-2].rstrip() + ">"
    text = text[: sheets.start()] + start + "".join(sheet_elements) + f"</{p}sheets>" + text[sheets.end():]

    names_xml = f"<{p}definedNames>{''.join(names)}</{p}definedNames>" if names else ""
    existing = element_re("definedNames", p).search(text)
    if existing:
        text = text[: existing.start()] + names_xml + text[existing.end():]
    elif names_xml:
        text = insert_child(text, p, WORKBOOK_BEFORE_DEFINED_NAMES + ["definedNames"], "definedNames", names_xml)

    def fix_view(m: re.Match[str]) -> str:
        # activeTab and firstSheet are positions; activeTab must name an existing, visible sheet
        tag = m.group(0)
        if active or get_attr(tag, "activeTab") is not None:
            tag = set_attr(tag, "activeTab", str(active))
        first = get_attr(tag, "firstSheet")
        if first is not None:
            old = int(first) if first.isdigit() else 0
            tag = set_attr(tag, "firstSheet", str(min(new_position.get(old, 0), active)))
        return tag
    text = start_tag_re("workbookView", p, literal=True).sub(fix_view, text)

    if full_calc:
        # openpyxl writes formulas without cached values: ask Excel to compute on open
        calc = start_tag_re("calcPr", p, literal=True).search(text)
        if calc:
            text = text[: calc.start()] + set_attr(calc.group(0), "fullCalcOnLoad", "1") + text[calc.end():]
        else:
            text = insert_child(text, p, WORKBOOK_BEFORE_CALC_PR + ["calcPr"], "calcPr",
                                f'<{p}calcPr fullCalcOnLoad="1"/>')
    return text
