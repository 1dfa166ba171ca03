"""Worksheet parts (``xl/worksheets/sheetN.xml``; ECMA-376 Part 1, §18.3 Worksheets).

Three things are done to a sheet's XML, all as text:

* a rendered sheet is made part of the user's workbook (:func:`adapt_rendered_sheet`): its style
  numbers mapped onto the merged styles, its shared strings written inline, only the active sheet
  selected, the code name of the sheet it replaces kept;
* long table bodies are written as ``<row>`` elements from whole columns (:class:`Block`,
  :func:`insert_rows`, :func:`insert_blocks`), in the XML XlsxWriter itself writes for such cells;
* the first rows of a big sheet are cut from the rest (:func:`salesplan.ooxml.peek.cut_sheet`,
  kept apart so that a reader wanting a sheet's header loads none of the above).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import PackageError
from .package import edit_in_place
from .xml import (
    PREFIX,
    attr_re,
    del_attr,
    esc_attr,
    get_attr,
    root_tag,
    set_attr,
    start_tag_re,
)

__all__ = [
    "BLANK_TAIL", "Block", "adapt_rendered_sheet", "bool_tail", "code_name", "code_name_of_workbook", "escape_text",
    "insert_blocks",
    "insert_rows", "known_number_tails", "number_tail", "number_tails", "string_tail",
]


# --------------------------------------------------------------------------
# A rendered sheet made part of the user's workbook
# --------------------------------------------------------------------------

_DXF_ATTR = re.compile(r"""(?<=\s)dxfId\s*=\s*["'](\d+)["']""")
_CF_RULE_TAG = re.compile(rf"<{PREFIX}cfRule(?=[\s/>])[^>]*>")
_SST_CELL = re.compile(rf"<({PREFIX})c(?=[\s>])([^>]*)>\s*<\1v>\s*(\d+)\s*</\1v>\s*</\1c>")
_FORMULA = re.compile(rf"<{PREFIX}f[\s/>]")


def adapt_rendered_sheet(xml: str, xf_map: dict[int, int], dxf_map: dict[int, int], strings: list[str],
                         where: str, selected: bool, code_name: str | None,
                         rows: list[Block] | None) -> tuple[str, bool]:
    """The rendered sheet `xml` as the user's workbook is to hold it: styles mapped by `xf_map` and
    `dxf_map`, the shared `strings` inlined, selected or not, given `code_name` (if any) and the
    table `rows` it still lacks. Returns it and whether it holds a formula."""
    xml = _rewrite_sheet(xml, xf_map, dxf_map, strings, where)
    xml = _set_tab_selected(xml, selected)
    xml = _set_code_name(xml, code_name)
    formulas = bool(_FORMULA.search(xml))
    if rows:  # after the passes above: they need not read these rows
        xml = insert_rows(xml, rows, where)
    return xml, formulas


# The style of a <c> or <row> (its s="N") and of a <col> (its style="N"), found in one pass over a
# big sheet rather than by a search inside every tag. Group 1 is everything up to the number.
_STYLED_TAG_S = re.compile(rf"""(<{PREFIX}(?:c|row)(?=[\s/>])[^>]*?\ss\s*=\s*["'])(\d+)(?=["'])""")
_STYLED_COL = re.compile(rf"""(<{PREFIX}col(?=[\s/>])[^>]*?\sstyle\s*=\s*["'])(\d+)(?=["'])""")
_T_ATTR = attr_re("t")


def _remap_styles_in_sheet(xml: str, xf_map: dict[int, int], dxf_map: dict[int, int],
                           styled_tags: tuple[re.Pattern[str], ...] = (_STYLED_TAG_S, _STYLED_COL),
                           cf_rule: re.Pattern[str] = _CF_RULE_TAG) -> str:
    def style(m: re.Match[str]) -> str:
        return f"{m.group(1)}{xf_map.get(int(m.group(2)), 0)}"

    def dxf(m: re.Match[str]) -> str:
        return _DXF_ATTR.sub(lambda a: f'dxfId="{dxf_map.get(int(a.group(1)), 0)}"', m.group(0), count=1)

    for tags in styled_tags:
        xml = tags.sub(style, xml)
    return cf_rule.sub(dxf, xml)


# A cell as XlsxWriter and openpyxl write it: <c r="B7" s="5"...>, a shared string as
# <c r="B7" s="5" t="s"><v>12</v></c>. One pass over a sheet in this form remaps the style and
# inlines the string of every cell at once (the open-orders tab of a million-row ledger has some
# 90 000 cells); anything else goes through the two general passes.
_CANONICAL_CELL = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="([0-9]+)")?( t="s"><v>([0-9]+)</v></c>)?')
# The same for a sheet with no prefixed element at all: patterns that start with a literal, which
# the regex engine finds by a fast scan instead of trying every "<" (four times faster on the
# open orders of a million-row ledger).
_STYLED_ROW_S = re.compile(r"""(<row(?=[\s/>])[^>]*?\ss\s*=\s*["'])(\d+)(?=["'])""")
_STYLED_COL_UNPREFIXED = re.compile(r"""(<col(?=[\s/>])[^>]*?\sstyle\s*=\s*["'])(\d+)(?=["'])""")
_CF_RULE_UNPREFIXED = re.compile(r"<cfRule(?=[\s/>])[^>]*>")
_PREFIXED_TAG = re.compile(r"<[\w.-]+:")


def _rewrite_sheet(xml: str, xf_map: dict[int, int], dxf_map: dict[int, int], strings: list[str], where: str) -> str:
    """Styles remapped and shared strings inlined (see :func:`_remap_styles_in_sheet` and
    :func:`_inline_shared_strings`), in one pass when every cell is in the canonical form."""
    fast = _rewrite_canonical_cells(xml, xf_map, strings, where)
    if fast is None:
        return _inline_shared_strings(_remap_styles_in_sheet(xml, xf_map, dxf_map), strings, where)
    # The cells are done; rows and columns may carry a style too.
    return _remap_styles_in_sheet(fast, xf_map, dxf_map, (_STYLED_ROW_S, _STYLED_COL_UNPREFIXED), _CF_RULE_UNPREFIXED)


def _rewrite_canonical_cells(xml: str, xf_map: dict[int, int], strings: list[str], where: str) -> str | None:
    if _PREFIXED_TAG.search(xml):  # the one-pass form is XlsxWriter's and openpyxl's: no prefixes
        return None
    styles = {old: f' s="{new}"' for old, new in xf_map.items()}
    unknown = ' s="0"'  # as the general pass maps a style it does not know
    count = 0

    def cell(m: re.Match[str]) -> str:
        nonlocal count
        count += 1
        ref, style, shared, index = m.groups()
        out = f'<c r="{ref}"' if style is None else f'<c r="{ref}"{styles.get(int(style), unknown)}'
        if shared is None:
            return out
        i = int(index)
        if i >= len(strings):
            raise PackageError(f"rendered workbook: {where} refers to shared string {i}, the table has {len(strings)}")
        return f'{out} t="inlineStr"><is>{strings[i]}</is></c>'

    out = _CANONICAL_CELL.sub(cell, xml)
    if count != xml.count("<c ") + xml.count("<c>") or ' t="s"' in out:
        return None  # a cell in another form: the general passes take the original
    return out


def _inline_shared_strings(xml: str, strings: list[str], where: str) -> str:
    """Turn t="s" cells into t="inlineStr" cells, so the user's shared string
    table does not have to be rewritten."""
    def inline(m: re.Match[str]) -> str:
        p, attrs, index = m.group(1), " " + m.group(2), int(m.group(3))
        t = _T_ATTR.search(attrs)
        if t is None or html.unescape(t.group(2) if t.group(2) is not None else t.group(3)) != "s":
            return m.group(0)
        if index >= len(strings):
            raise PackageError(f"rendered workbook: {where} refers to shared string {index}, "
                               f"the table has {len(strings)}")
        attrs = attrs[:t.start()] + 't="inlineStr"' + attrs[t.end():]
        return f"<{p}c {attrs.strip()}><{p}is>{strings[index]}</{p}is></{p}c>"

    return _SST_CELL.sub(inline, xml)


def _set_tab_selected(xml: str, selected: bool) -> str:
    """Only the active sheet may be selected, else Excel opens with sheets grouped."""
    def fix(m: re.Match[str]) -> str:
        tag = del_attr(m.group(0), "tabSelected")
        return set_attr(tag, "tabSelected", "1") if selected else tag
    return start_tag_re("sheetView").sub(fix, xml, count=1)


def _set_code_name(xml: str, code_name: str | None) -> str:
    """Give the new sheet its VBA code name (that of the sheet it replaces keeps the sheet's document
    module in vbaProject.bin bound to it), or none: a rendered sheet's own is never kept."""
    m = start_tag_re("sheetPr").search(xml)
    if m:
        tag = del_attr(m.group(0), "codeName")
        return xml[: m.start()] + (set_attr(tag, "codeName", code_name) if code_name else tag) + xml[m.end():]
    if not code_name:
        return xml
    root = root_tag(xml)
    prefix = re.match(r"<([\w.-]+:)?", root)
    p = (prefix.group(1) if prefix else None) or ""
    at = xml.index(root) + len(root)
    return xml[:at] + f'<{p}sheetPr codeName="{esc_attr(code_name)}"/>' + xml[at:]


def code_name(head: str) -> str | None:
    """The VBA code name of the sheet whose part starts with `head`, if it has one."""
    m = start_tag_re("sheetPr").search(head)
    return get_attr(m.group(0), "codeName") if m else None


def code_name_of_workbook(head: str) -> str | None:
    """The VBA code name of the workbook whose part starts with `head` (``<workbookPr codeName>``)."""
    m = start_tag_re("workbookPr").search(head)
    return get_attr(m.group(0), "codeName") if m else None


# --------------------------------------------------------------------------
# Table bodies written from whole columns
# --------------------------------------------------------------------------

@dataclass
class Block:
    """Body rows of one table still to be written: rows ``first_row`` onwards (0-based), one
    entry per column of the table starting at column A (``None``: blank cells)."""

    sheet: int  # the worksheet's 0-based position in the book
    sheet_name: str
    first_row: int
    columns: list[list[str] | None]  # per column: its cells' tails (see below), None for blanks
    rows: int
    heights: list[float] | None = None  # per row: its height in points (wrapped text), None: default


# A cell is written as ``<c r="B7" s="5"`` and its *tail*: what follows, up to its end.

#: The tail of a blank (styled) cell.
BLANK_TAIL = "/>"

# As XlsxWriter escapes text: "_x0041_" stays literal text, control characters become _xHHHH_.
_ESCAPE_LIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")


def escape_text(value: str) -> str:
    """Cell text as the file holds it, which Excel reads back as `value`: a literal ``_x0041_``
    is written ``_x005F_x0041_`` (else Excel shows it as «A»), a control character as
    ``_xHHHH_`` (ECMA-376 Part 1, §22.9.2.19, ST_Xstring)."""
    return _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", _ESCAPE_LIKE.sub(r"_x005F\1", value))


#: Anything :func:`string_tail` changes or marks in a string: most names have none of it.
_NOT_PLAIN = re.compile(r"[\x00-\x1f&<>]|_x[0-9a-fA-F]{4}_|^\s|\s$")


def string_tail(value: str) -> str:
    """The tail of a cell holding the string `value` inline, its ``<t>`` as XlsxWriter writes it in
    the shared string table."""
    if _NOT_PLAIN.search(value) is None:  # one search instead of five passes (a table's every name)
        return f' t="inlineStr"><is><t>{value}</t></is></c>'
    value = escape_text(value)
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(value) else ""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{space}>{value}</t></is></c>'


def number_tail(value: float) -> str:
    """The tail of a cell holding the number `value` (finite), as XlsxWriter writes it."""
    return f"><v>{value:.16G}</v></c>"


def bool_tail(value: bool) -> str:
    return f' t="b"><v>{int(value)}</v></c>'


def number_tails(numbers: list[float]) -> list[str]:
    """The tails of a column of finite numbers; NaN is a blank cell."""
    # v != v: NaN, tested without a call per cell
    return ["/>" if v != v else f"><v>{v:.16G}</v></c>" for v in numbers]  # noqa: PLR0124


def known_number_tails(numbers: list[float], known: list[bool]) -> list[str]:
    """The tails of a column of numbers, blank where not `known`."""
    return [f"><v>{v:.16G}</v></c>" if k else "/>" for v, k in zip(numbers, known)]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rows_xml(block: Block, styles: list[str]) -> str:
    """The ``<row>`` elements of ``block``; ``styles`` are the columns' `` s="N"`` attributes."""
    width = len(block.columns)
    blank = ["/>"] * block.rows
    columns = [(f'<c r="{_column_letter(c)}', f'"{styles[c]}', blank if tails is None else tails)
               for c, tails in enumerate(block.columns)]
    out = []
    heights = block.heights
    for i in range(block.rows):
        r = block.first_row + i + 1
        cells = "".join(f"{prefix}{r}{style}{tails[i]}" for prefix, style, tails in columns)
        height = f' ht="{heights[i]:g}" customHeight="1"' if heights and heights[i] else ""
        out.append(f'<row r="{r}" spans="1:{width}"{height}>{cells}</row>')
    return "".join(out)


_CELL_STYLE = re.compile(r'<c r="([A-Z]+)[0-9]+"( s="[0-9]+")?')


def _styles_of_row(xml: str, row: int, width: int, where: str) -> tuple[int, list[str]]:
    """Where the row ``row`` (1-based) starts in ``xml``, and the ``s`` attribute of its first
    ``width`` cells, as XlsxWriter wrote them."""
    start = xml.find(f'<row r="{row}"')
    end = xml.find("</row>", start)
    if start < 0 or end < 0:
        raise RuntimeError(f"{where}: row {row}, written to place the table's rows before it, is missing")
    found = {m.group(1): m.group(2) or "" for m in _CELL_STYLE.finditer(xml, start, end)}
    try:
        return start, [found[_column_letter(c)] for c in range(width)]
    except KeyError as missing:
        raise RuntimeError(f"{where}: row {row} has no cell in column {missing}") from None


def insert_blocks(path: Path, blocks: list[Block]) -> None:
    """Put the rows of ``blocks`` into the XlsxWriter workbook at ``path`` (rewritten in place)."""
    if not blocks:
        return
    by_sheet: dict[str, list[Block]] = {}
    for block in blocks:
        by_sheet.setdefault(f"xl/worksheets/sheet{block.sheet + 1}.xml", []).append(block)

    def edit(name: str) -> Callable[[bytes], bytes]:
        return lambda data: insert_rows(data.decode("utf-8"), by_sheet[name], name).encode("utf-8")

    edit_in_place(path, {name: edit(name) for name in by_sheet}, "worksheet part")


def insert_rows(xml: str, blocks: list[Block], where: str) -> str:
    """The sheet ``xml`` with the rows of ``blocks`` in place, each column in the style its last
    body row has in ``xml``."""
    # From the last block back, so the positions found stay valid.
    for block in sorted(blocks, key=lambda b: b.first_row, reverse=True):
        at, styles = _styles_of_row(xml, block.first_row + block.rows + 1, len(block.columns), where)
        xml = xml[:at] + _rows_xml(block, styles) + xml[at:]
    return xml
