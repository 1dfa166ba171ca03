"""Fill the A4 instrument templates, keeping whatever styling a supervisor gave them in Excel.

A template is an ordinary .xlsx page. Its cells (and its header and footer) hold placeholders:

==========================================  ========================================================
in the template                             after filling
==========================================  ========================================================
``{{ existing_clients_plan }}``              the typed value: 1234567 in a cell formatted
                                            ``# ##0 ₽`` prints ``1 234 567 ₽``
``План 3А: {{ existing_clients_plan }}``     text: ``План 3А: 1 234 567``
``{{ offers.client }}`` … in one row          that row (the table's *region row*) repeated once per
                                            record of ``offers``, with its styles, height and
                                            merged cells; everything below moves down
the same row, no records                    one line with the text of the field ``offers_empty``
==========================================  ========================================================

A placeholder with no value in :attr:`Page.fields` stays visible, so a typo in a restyled template
shows on the page instead of vanishing. A record without a field leaves that cell empty. Text from
the data is always written as text (a client called ``=1+1`` stays ``=1+1``), without XML-illegal
control characters, and table cells are cut with "…" to their column's width, so that every record
is exactly one line of known height: :func:`page_capacity` can then tell how many records fit on
one A4 page at 100 % scale. A table cell that wraps (``wrap_text``) is never cut: its record's row
is as many times the region row's height as its text needs lines, and :func:`table_lines` tells a
caller in advance how many, so that it can fill the page without going over.

The page setup is the template's own (A4, fit to one page, print area, margins, header and footer);
the filler moves the print area and everything else below a region row down with it.

A template is layout, not code. Its formulas may compute with the cells of its own sheet and call the
functions of :data:`SAFE_FUNCTIONS` (a total, a rounding, a condition); a formula, conditional format,
validation or name that refers to another workbook (an external link), reaches out by DDE
(``=cmd|' /c calc'!A0``) or the web (``WEBSERVICE``), or calls anything else, stops the build with a
message naming the template and the cell, for the supervisor to fix. External links and data
connections are never copied (openpyxl reads the template without them), and a template is checked
against the package limits of :mod:`salesplan.ooxml.limits` before openpyxl inflates it. Text keeps
Excel's meaning both ways: the template's ``_x0041_`` is read as Excel shows it («A»), and text
written into the pages is escaped as Excel reads it (a client named ``_x0041_`` shows as
``_x0041_``).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import logging
import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import InputError, TemplateError, WorkbookWriteError
from ..inputs.rows import check_limits
from ..ooxml.worksheet import escape_text
from ..words import utf16_cut, xml_text
from .tabs import DATE, clean_text

log = logging.getLogger(__name__)

#: ``{{ name }}`` or ``{{ table.field }}``; spaces inside the braces are optional.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}")

#: Shown for an empty table when the page gives no ``<table>_empty`` field.
DEFAULT_EMPTY = "Нет записей"

#: Paper sizes (width, height) in points by the spreadsheet ``paperSize`` code.
PAPER = {1: (612.0, 792.0), 5: (612.0, 1008.0), 8: (842.0, 1191.0), 9: (595.0, 842.0), 11: (420.0, 595.0)}

#: Kept free on every page for rounding in the spreadsheet program (points).
HEIGHT_RESERVE = 4.0

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

#: A template file is a page: its parts may inflate to this much (a logo included), and a sheet of
#: it may span this many cells from A1 (openpyxl walks them all).
TEMPLATE_PART = 64 << 20
TEMPLATE_TOTAL = 128 << 20
TEMPLATE_CELLS = 1 << 20

#: The functions a template's formulas may call: computing with the cells of its own sheet. Not
#: INDIRECT or OFFSET (a reference made from text), HYPERLINK, WEBSERVICE, FILTERXML, RTD, CALL,
#: INFO, CELL, IMAGE, or anything else that looks outside the sheet.
SAFE_FUNCTIONS = frozenset("""
    ABS AND AVERAGE AVERAGEA AVERAGEIF AVERAGEIFS CEILING CHOOSE COLUMN COLUMNS CONCAT CONCATENATE COUNT
    COUNTA COUNTBLANK COUNTIF COUNTIFS DATE DAY DAYS EDATE EOMONTH EXACT FIND FIXED FLOOR HLOOKUP IF
    IFERROR IFNA IFS INDEX INT ISBLANK ISERROR ISEVEN ISNA ISNUMBER ISODD ISTEXT LARGE LEFT LEN LOOKUP
    LOWER MATCH MAX MAXA MAXIFS MEDIAN MID MIN MINA MINIFS MOD MONTH N NETWORKDAYS NOT NOW OR POWER
    PRODUCT PROPER RANK REPLACE REPT RIGHT ROUND ROUNDDOWN ROUNDUP ROW ROWS SEARCH SIGN SMALL SQRT
    SUBSTITUTE SUBTOTAL SUM SUMIF SUMIFS SUMPRODUCT SWITCH T TEXT TEXTJOIN TODAY TRIM TRUNC UPPER VALUE
    VLOOKUP WEEKDAY WEEKNUM WORKDAY XLOOKUP YEAR
""".split())
#: A reference into the formula's own sheet: B7, $B$7, B7:D9, B:D, 7:9.
_LOCAL_REF = re.compile(r"\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?"
                        r"|\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}|\$?\d+:\$?\d+")
#: ... or into another sheet of the same workbook (allowed in names, which go with their sheets).
_SHEET_REF = re.compile(r"(?:'(?:[^'\[\]|]|'')+'|[^'!\[\]|\s]+)!(?:" + _LOCAL_REF.pattern + ")")
#: Text as the file holds it and Excel shows it: _x0041_ is «A» (ECMA-376 Part 1, §22.9.2.19).
_EXCEL_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass
class Page:
    """One sheet to make from a template.

    Attributes:
        title: the sheet's name (made valid and unique when needed).
        fields: values of the ``{{ name }}`` placeholders, and ``<table>_empty`` texts.
        tables: records of each table, e.g. ``{"offers": [{"client": ..., "volume": ...}]}``.
    """

    title: str
    fields: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Placeholders:
    """What a template asks for: its fields and, per table, the table's fields and region row."""

    fields: frozenset[str]
    tables: dict[str, tuple[str, ...]]
    rows: dict[str, int]


# --- public API -----------------------------------------------------------------------------------

def render_sheets(template: Path, pages: Sequence[Page], out: Path) -> list[str]:
    """Make one sheet per page from ``template`` and save them, and nothing else, to ``out``.

    Args:
        template: the .xlsx template (its first sheet with a placeholder is the page).
        pages: the sheets to make, in order.
        out: the workbook to write (.xlsx).

    Returns:
        The names of the sheets written, in order.

    Raises:
        InputError: the template is missing or not a workbook.
        TemplateError: the template's table rows are ambiguous.
        WorkbookWriteError: ``out`` cannot be written (open in Excel, read-only).
    """
    return render_book([(template, pages)], out)


def render_book(parts: Sequence[tuple[Path, Sequence[Page]]], out: Path) -> list[str]:
    """Like :func:`render_sheets`, with pages from several templates in one workbook.

    ``render_book([(instrument1, [page1]), (instrument2, [page2])], out)`` makes one manager's
    workbook with both instruments, ready for :func:`salesplan.outputs.pdf.workbook_to_pdf`.
    The first template's workbook is the base (its default font sets the column width unit).
    """
    if not any(pages for _, pages in parts):
        raise ValueError("render_book needs at least one page")
    wb, base = _template(parts[0][0])
    keep = set()
    sources: list[tuple[Worksheet, Placeholders, Sequence[Page]]] = [(base, _scan(base, parts[0][0]), parts[0][1])]
    for path, pages in parts[1:]:
        _, other = _template(path)
        found = _scan(other, path)
        sources.append((_transfer(other, wb), found, pages))
    names: list[str] = []
    made: list[tuple[Worksheet, str]] = []
    for source, found, pages in sources:
        for page in pages:
            ws = wb.copy_worksheet(source)
            # copy_worksheet shares the source's merged ranges and page setup: give the copy its own
            ws.merged_cells = MultiCellRange([MergedCellRange(ws, m.coord) for m in source.merged_cells.ranges])
            ws.page_setup._parent = ws
            _copy_extras(source, ws)
            _fill(ws, found, page)
            made.append((ws, page.title))
            keep.add(id(ws))
    removed = [ws.title for ws in wb.worksheets if id(ws) not in keep]
    for ws in list(wb.worksheets):
        if id(ws) not in keep:
            wb.remove(ws)
    _drop_names_of(wb, removed)
    for i, (ws, _) in enumerate(made):
        ws.title = f"page {i + 1} {id(ws)}"[:31]
    used: set[str] = set()
    for ws, title in made:
        # A template's VBA code name («Лист1» of a restyled template) is its own: sixteen pages
        # carrying it would be sixteen sheets with one name (the splice gives each its own).
        ws.sheet_properties.codeName = None
        ws.title = unique_sheet_name(title, used)
        used.add(ws.title.casefold())
        names.append(ws.title)
        for view in ws.views.sheetView:
            view.tabSelected = False
    if made:
        made[0][0].views.sheetView[0].tabSelected = True
        wb.active = 0
    wb.calculation.fullCalcOnLoad = True
    for ws in wb.worksheets:  # the pages' text as Excel will read it (see the module's docstring)
        for cell in ws._cells.values():
            if cell.data_type == "s" and isinstance(cell._value, str):
                cell._value = escape_text(cell._value)
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        wb.save(out)
    except PermissionError as exc:
        raise WorkbookWriteError("err.locked", path=str(out), detail=exc.strerror or str(exc)) from exc
    except OSError as exc:
        raise WorkbookWriteError("err.write_failed", path=str(out), detail=exc.strerror or str(exc)) from exc
    return names


def page_capacity(template: Path) -> int:
    """How many table records fit on one page at 100 % beside the template's fixed rows.

    The count is summed over all tables of the template; an empty table still takes one row (its
    empty-state line), so a caller fills the tables so that ``sum(max(1, len(records)))`` stays at
    most this number. Rows are measured as the template sets them (a row without a set height counts
    as one line of its largest font); table rows are all counted at the tallest region row's height.
    """
    ws = _measured(template)
    found = _scan(ws, template)
    if not found.rows:
        return 0
    first, last = _print_rows(ws)
    region_rows = set(found.rows.values())
    fixed = sum(row_height(ws, r) for r in range(first, last + 1) if r not in region_rows)
    per_record = max(row_height(ws, r) for r in region_rows)
    return max(0, math.floor((printable_height(ws) - fixed - HEIGHT_RESERVE) / per_record))


def scan(ws: Worksheet) -> Placeholders:
    """The placeholders of a template sheet.

    Raises:
        TemplateError: ``err.template_two_tables`` when a row holds fields of two tables (fields
            ``row``, ``tables``), ``err.template_table_rows`` when a table's fields sit in two rows
            (``table``, ``first``, ``row``); the file callers add ``path``.
    """
    fields: set[str] = set()
    tables: dict[str, list[str]] = {}
    rows: dict[str, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or "{{" not in cell.value:
                continue
            for name in PLACEHOLDER.findall(cell.value):
                if "." not in name:
                    fields.add(name)
                    continue
                table, column = name.split(".", 1)
                if rows.setdefault(table, cell.row) != cell.row:
                    raise TemplateError("err.template_table_rows", table=table, first=rows[table], row=cell.row)
                others = [t for t, r in rows.items() if r == cell.row and t != table]
                if others:
                    raise TemplateError("err.template_two_tables", row=cell.row, tables=f"{others[0]}, {table}")
                if column not in tables.setdefault(table, []):
                    tables[table].append(column)
    for title in _header_footer_texts(ws):
        fields.update(n for n in PLACEHOLDER.findall(title) if "." not in n)
    return Placeholders(frozenset(fields), {t: tuple(c) for t, c in tables.items()}, rows)


def template_placeholders(template: Path) -> Placeholders:
    """The placeholders of a template file (see :func:`scan`)."""
    return _scan(_measured(template), template)


def _scan(ws: Worksheet, path: Path) -> Placeholders:
    try:
        return scan(ws)
    except TemplateError as exc:
        exc.fields["path"] = str(path)
        raise


def unique_sheet_name(title: str, used: Iterable[str] = ()) -> str:
    """A valid sheet name not in ``used`` (case-blind): at most 31 UTF-16 units as Excel counts them
    (an emoji counts two), none of ``[]:*?/\\``, no character XML cannot carry, no apostrophe at
    either end."""
    taken = {u.casefold() for u in used}
    base = _BAD_SHEET_CHARS.sub(" ", xml_text(str(title)))
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or "Лист"
    if base.casefold() == "history":  # reserved by Excel
        base = "History 1"
    name = _sheet_cut(base, 31)
    n = 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name = _sheet_cut(base, 31 - len(suffix)) + suffix
        n += 1
    return name


def _sheet_cut(name: str, units: int) -> str:
    """``name`` cut to ``units`` UTF-16 units, with no space or apostrophe left at its end."""
    return utf16_cut(name, units).rstrip().rstrip("'").rstrip() or "Лист"


# --- reading a template ---------------------------------------------------------------------------

def _load(path: Path) -> Workbook:
    path = Path(path)
    if not path.exists():
        raise InputError("err.no_file", path=str(path))
    check_limits(path, max_part=TEMPLATE_PART, max_total=TEMPLATE_TOTAL)
    try:
        # keep_links=False: a template's external links (workbooks it refers to) are not read,
        # so never written; openpyxl reads no data connections either.
        wb = openpyxl.load_workbook(path, keep_links=False)
    except Exception as exc:  # zip, XML and openpyxl errors alike: not a readable workbook
        raise InputError("err.not_workbook", path=str(path), detail=str(exc)) from exc
    for ws in wb.worksheets:
        if ws.max_row * ws.max_column > TEMPLATE_CELLS:
            far = max(ws._cells, key=lambda rc: rc[0] * rc[1])
            raise TemplateError("err.template_far_cell", path=str(path), sheet=ws.title,
                                cell=f"{get_column_letter(far[1])}{far[0]}")
    return wb


def _measured(path: Path) -> Worksheet:
    """The template's page sheet for reading its measures (:func:`page_capacity`,
    :func:`table_room`, :func:`table_lines`, :func:`template_placeholders`): loaded once while the
    file stays the same, where each of those loaded it again (a plan asks for four measures of two
    templates). Never written to: the renderers load their own copy (:func:`_template`)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return _template(path)[1]  # a missing file: the error _load gives
    return _measured_as_of(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _measured_as_of(path: str, _mtime_ns: int, _size: int) -> Worksheet:
    return _template(Path(path))[1]


def _template(path: Path) -> tuple[Workbook, Worksheet]:
    """The template's workbook and its page sheet, checked to be layout only, its text as Excel
    shows it (see the module's docstring)."""
    wb = _load(path)
    ws = _template_sheet(wb)
    _check_layout(wb, ws, Path(path))
    for cell in ws._cells.values():
        if cell.data_type == "s" and isinstance(cell._value, str) and "_x" in cell._value:
            cell._value = _as_excel_shows(cell._value)
    return wb, ws


def _as_excel_shows(text: str) -> str:
    """``_xHHHH_`` read as Excel reads it: the UTF-16 unit HHHH (a pair of them, one character)."""
    units = _EXCEL_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _check_layout(wb: Workbook, ws: Worksheet, path: Path) -> None:
    """TemplateError for the first formula of the page, its conditional formats and validations, or
    the workbook's names that is not layout: see :func:`formula_is_layout`."""
    for (r, c), cell in sorted(ws._cells.items()):
        if cell.data_type != "f":
            continue
        text = getattr(cell.value, "text", cell.value)  # an array formula keeps its text apart
        if not isinstance(text, str) or not formula_is_layout(text):
            raise TemplateError("err.template_formula", path=str(path), cell=f"{get_column_letter(c)}{r}",
                                formula=_shown(text if isinstance(text, str) else "{data table}"))
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            for text in rule.formula or ():
                if not formula_is_layout(str(text)):
                    raise TemplateError("err.template_formula_rule", path=str(path), range=str(cf.sqref),
                                        formula=_shown(str(text)))
    for dv in ws.data_validations.dataValidation:
        for text in (dv.formula1, dv.formula2):
            if text is not None and not formula_is_layout(str(text)):
                raise TemplateError("err.template_formula_rule", path=str(path), range=str(dv.sqref),
                                    formula=_shown(str(text)))
    for name, defined in wb.defined_names.items():
        text = defined.attr_text or ""
        if not formula_is_layout(text, other_sheets=True):
            raise TemplateError("err.template_formula_name", path=str(path), name=name, formula=_shown(text))


def formula_is_layout(formula: str, *, other_sheets: bool = False) -> bool:
    """Whether a template may keep ``formula`` (with or without its "="): it calls only
    :data:`SAFE_FUNCTIONS` and refers only to cells of its own sheet (``other_sheets``: or of
    another sheet of the workbook). Not an external reference (``[1]Sheet1!A1``,
    ``'[other.xlsx]Sheet1'!A1``), DDE (``cmd|' /c calc'!A0``), a name, a table, or a formula
    openpyxl cannot take apart."""
    try:
        tokens = Tokenizer(formula if formula.startswith("=") else "=" + formula).items
    except Exception:  # noqa: BLE001 - DDE among others: what cannot be read is not kept
        return False
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            name = token.value[:-1].upper()
            for prefix in ("_XLFN.", "_XLWS."):
                name = name.removeprefix(prefix)
            if name not in SAFE_FUNCTIONS:
                return False
        elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
            if not (_LOCAL_REF.fullmatch(token.value) or other_sheets and _SHEET_REF.fullmatch(token.value)):
                return False
    return True


def _shown(formula: str) -> str:
    formula = " ".join(formula.split())
    return formula if len(formula) <= 80 else formula[:79] + "…"


def _template_sheet(wb: Workbook) -> Worksheet:
    """The first worksheet with a placeholder, else the active one."""
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            if any(isinstance(v, str) and PLACEHOLDER.search(v) for v in row):
                return ws
    return wb.active


def _print_rows(ws: Worksheet) -> tuple[int, int]:
    ranges = ws._print_area.ranges if ws._print_area else []
    if ranges:
        return min(r.min_row for r in ranges), max(r.max_row for r in ranges)
    return 1, max(ws.max_row, 1)


def printable_height(ws: Worksheet) -> float:
    """The page's height inside the top and bottom margins, in points."""
    width, height = PAPER.get(ws.page_setup.paperSize or 9, PAPER[9])
    if ws.page_setup.orientation == "landscape":
        width, height = height, width
    margins = ws.page_margins
    return height - 72.0 * ((margins.top or 0.0) + (margins.bottom or 0.0))


def row_height(ws: Worksheet, r: int) -> float:
    """A row's printed height in points: its set height, else one line of its largest font."""
    dim = ws.row_dimensions.get(r) if r in ws.row_dimensions else None
    if dim is not None and dim.hidden:
        return 0.0
    if dim is not None and dim.ht:
        return float(dim.ht)
    size = max((c.font.sz or 11.0 for c in ws[r] if c.value is not None), default=11.0)
    return max(float(ws.sheet_format.defaultRowHeight or 15.0), math.ceil(size * 1.3 + 0.7))


def _header_footer_texts(ws: Worksheet) -> list[str]:
    return [part.text for hf in _header_footers(ws) for part in (hf.left, hf.center, hf.right) if part.text]


def _header_footers(ws: Worksheet) -> list[Any]:
    hf = ws.HeaderFooter
    return [hf.oddHeader, hf.oddFooter, hf.evenHeader, hf.evenFooter, hf.firstHeader, hf.firstFooter]


# --- copying what copy_worksheet misses -----------------------------------------------------------

def _copy_extras(src: Worksheet, dst: Worksheet) -> None:
    """Header and footer, views, print area and titles, validations, conditional formats, images."""
    dst.HeaderFooter = copy.deepcopy(src.HeaderFooter)
    dst.views = copy.deepcopy(src.views)
    if src._print_area and src._print_area.ranges:
        dst.print_area = [r.coord for r in src._print_area.ranges]
    dst.print_title_rows = src.print_title_rows
    dst.print_title_cols = src.print_title_cols
    dst.protection = copy.copy(src.protection)
    dst.auto_filter = copy.deepcopy(src.auto_filter)
    for dv in src.data_validations.dataValidation:
        dst.add_data_validation(copy.deepcopy(dv))
    for cf in src.conditional_formatting:
        for rule in cf.rules:
            dst.conditional_formatting.add(str(cf.sqref), _portable_rule(rule, src.parent))
    for image in src._images:
        dst.add_image(_copy_image(image))


def _portable_rule(rule: Any, wb: Workbook) -> Any:
    """A copy of a conditional format rule that carries its own style (valid in any workbook)."""
    rule = copy.deepcopy(rule)
    if rule.dxfId is not None and rule.dxf is None and rule.dxfId < len(wb._differential_styles.styles):
        rule.dxf = copy.deepcopy(wb._differential_styles.styles[rule.dxfId])
        rule.dxfId = None
    return rule


def _copy_image(image: Any) -> Any:
    """A new image object with the same picture, size and anchor (a logo; needs Pillow to load)."""
    from openpyxl.drawing.image import Image

    # Image._data() closes the picture's file after one read: read the bytes without it when we can
    ref = image.ref
    if isinstance(ref, io.BytesIO) and not ref.closed:
        data = ref.getvalue()
    else:
        data = image._data()
        image.ref = io.BytesIO(data)
    new = Image(io.BytesIO(data))
    new.width, new.height = image.width, image.height
    new.anchor = copy.deepcopy(image.anchor)
    return new


def _transfer(src: Worksheet, wb: Workbook) -> Worksheet:
    """Copy a template sheet from another workbook into ``wb`` (styles by value, not by index)."""
    dst = wb.create_sheet(src.title)
    for (r, c), cell in src._cells.items():
        if isinstance(cell, MergedCell):
            continue
        new = dst.cell(r, c)
        new._value = cell._value
        new.data_type = cell.data_type
        if cell.has_style:
            new.font = copy.copy(cell.font)
            new.fill = copy.copy(cell.fill)
            new.border = copy.copy(cell.border)
            new.alignment = copy.copy(cell.alignment)
            new.protection = copy.copy(cell.protection)
            new.number_format = cell.number_format
        if cell.hyperlink:
            new._hyperlink = copy.copy(cell.hyperlink)
        if cell.comment:
            new.comment = copy.copy(cell.comment)
    for r, dim in src.row_dimensions.items():
        new_dim = dst.row_dimensions[r]
        new_dim.ht, new_dim.hidden, new_dim.outlineLevel = dim.ht, dim.hidden, dim.outlineLevel
    for key, dim in src.column_dimensions.items():
        new_dim = dst.column_dimensions[key]
        new_dim.width, new_dim.hidden, new_dim.outlineLevel = dim.width, dim.hidden, dim.outlineLevel
        new_dim.min, new_dim.max = dim.min, dim.max
    for merged in src.merged_cells.ranges:
        # merge_cells would reset the merged cells' borders: copy the borders back from the source
        dst.merge_cells(merged.coord)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col) and (r, c) in src._cells and src._cells[r, c].has_style:
                    dst._cells[r, c].border = copy.copy(src._cells[r, c].border)
                    dst._cells[r, c].fill = copy.copy(src._cells[r, c].fill)
    dst.sheet_format = copy.copy(src.sheet_format)
    dst.sheet_properties = copy.deepcopy(src.sheet_properties)
    dst.page_margins = copy.copy(src.page_margins)
    dst.page_setup = copy.copy(src.page_setup)
    dst.page_setup._parent = dst
    dst.print_options = copy.copy(src.print_options)
    _copy_extras(src, dst)
    return dst


def _drop_names_of(wb: Workbook, titles: list[str]) -> None:
    """Workbook names that point into removed sheets would be broken references: drop them."""
    for name in list(wb.defined_names):
        text = wb.defined_names[name].attr_text or ""
        if any(f"{t}!" in text or f"'{t}'!" in text for t in titles):
            del wb.defined_names[name]


# --- filling ----------------------------------------------------------------------------------------

def _fill(ws: Worksheet, found: Placeholders, page: Page) -> None:
    region_rows = {r: t for t, r in found.rows.items()}
    # Fixed cells first, then the tables: values put in are never scanned for placeholders again.
    for (r, _c), cell in list(ws._cells.items()):
        if r not in region_rows and isinstance(cell.value, str) and "{{" in cell.value:
            _fill_cell(cell, page.fields, table_fields=False)
    for r in sorted(region_rows, reverse=True):
        table = region_rows[r]
        records = list(page.tables.get(table) or [])
        empty = page.fields.get(f"{table}_empty")
        _expand(ws, r, table, records, DEFAULT_EMPTY if empty is None else _as_text(empty), page.fields)
    _fill_header_footer(ws, page.fields)


def _fill_cell(cell: Any, values: Mapping[str, Any], *, table_fields: bool) -> None:
    text = cell.value
    whole = PLACEHOLDER.fullmatch(text.strip())
    if whole:
        name = whole.group(1)
        if name in values:
            _put(cell, values[name])
        elif table_fields and "." in name:
            cell.value = None
        else:
            log.warning("template placeholder without a value: %s", name)
        return

    def value_of(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in values:
            return _as_text(values[name])
        if table_fields and "." in name:
            return ""
        log.warning("template placeholder without a value: %s", name)
        return m.group(0)

    _put_text(cell, PLACEHOLDER.sub(value_of, text))


def _put(cell: Any, value: Any) -> None:
    """The value with its own type; a number keeps the cell's number format."""
    value = _plain(value)
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        _put_text(cell, value)
    elif isinstance(value, (bool, int, float)):
        cell.value = value
    elif isinstance(value, numbers.Real):
        cell.value = float(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
            value = value.date()
        cell.value = value
        if cell.number_format == "General":
            cell.number_format = DATE
    else:
        _put_text(cell, str(value))


def _put_text(cell: Any, text: str) -> None:
    """Text as text, even when it starts with ``=``."""
    cell.value = clean_text(text)
    cell.data_type = "s"


def _plain(value: Any) -> Any:
    """numpy and pandas scalars as plain Python values; NaN, NaT and NA as None."""
    if value is None or isinstance(value, (str, bool)):
        return value
    try:
        if value != value:  # NaN, NaT
            return None
    except (TypeError, ValueError):  # pandas.NA refuses to compare
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (int, float)):
        return value.item()
    return value


def _as_text(value: Any) -> str:
    """A value written into surrounding text: 1 234 567, 4,5, 31.12.2026."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, numbers.Real):
        if float(value).is_integer():
            return f"{int(value):,}".replace(",", "\u00a0")
        whole, _, frac = f"{value:,.2f}".rstrip("0").partition(".")
        return whole.replace(",", "\u00a0") + ("," + frac if frac else "")
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _fill_header_footer(ws: Worksheet, fields: Mapping[str, Any]) -> None:
    def value_of(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in fields:
            return m.group(0)
        # Excel allows 255 characters in a header or footer: keep each value short
        return clean_text(_as_text(fields[name]))[:80].replace("\n", " ").replace("&", "&&")

    for hf in _header_footers(ws):
        for part in (hf.left, hf.center, hf.right):
            if part.text and "{{" in part.text:
                part.text = PLACEHOLDER.sub(value_of, part.text)


# --- table regions ----------------------------------------------------------------------------------

def _expand(ws: Worksheet, r: int, table: str, records: list[Mapping[str, Any]], empty_text: str,
            fields: Mapping[str, Any]) -> None:
    """Repeat region row ``r`` once per record (or write the empty-state line) and fill it."""
    if not records:
        _empty_line(ws, r, empty_text)
        return
    row_merges = [m.coord for m in ws.merged_cells.ranges if m.min_row == m.max_row == r]
    source = [(c, cell._value, cell.data_type, copy.copy(cell._style), isinstance(cell, MergedCell))
              for (rr, c), cell in sorted(ws._cells.items()) if rr == r]
    extra = len(records) - 1
    if extra:
        shift_rows(ws, r, extra)
        dim = ws.row_dimensions[r] if r in ws.row_dimensions else None
        for i in range(1, extra + 1):
            target = r + i
            for coord in row_merges:
                c1, _, c2, _ = range_boundaries(coord)
                ws.merge_cells(start_row=target, start_column=c1, end_row=target, end_column=c2)
            for c, value, data_type, style, merged in source:
                cell = ws._cells.get((target, c)) or ws.cell(target, c)
                cell._style = copy.copy(style)
                if merged or isinstance(cell, MergedCell):
                    continue
                if data_type == "f" and isinstance(value, str):
                    origin = f"{get_column_letter(c)}{r}"
                    value = Translator(value, origin).translate_formula(f"{get_column_letter(c)}{target}")
                cell._value = value
                cell.data_type = data_type
            if dim is not None:
                new = copy.copy(dim)
                new.index = target
                ws.row_dimensions[target] = new
    for i, record in enumerate(records):
        values = {f"{table}.{k}": v for k, v in record.items()}
        values.update({k: v for k, v in fields.items() if k not in values})
        for c, *_ in source:
            cell = ws._cells.get((r + i, c))
            if cell is None or isinstance(cell, MergedCell):
                continue
            if isinstance(cell.value, str) and "{{" in cell.value:
                _fill_cell(cell, values, table_fields=True)
            if isinstance(cell.value, str) and cell.data_type == "s" and not _whole_text(ws, cell):
                cell.value = fit_text(cell.value, _cell_width(ws, cell), cell.font)
                cell.data_type = "s"
        _size_row(ws, r + i, bool(record.get(HIDDEN_RECORD)))


#: A record with this field true fills a hidden row (kept in the sheet, not printed).
HIDDEN_RECORD = "_hidden"


def _whole_text(ws: Worksheet, cell: Any) -> bool:
    """A cell whose text is kept whole: it wraps (the row grows), or its column is hidden."""
    return bool(cell.alignment.wrap_text) or _column_hidden(ws, cell.column)


def _column_hidden(ws: Worksheet, col: int) -> bool:
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= col <= dim.max:
            return bool(dim.hidden)
    letter = get_column_letter(col)
    return letter in ws.column_dimensions and bool(ws.column_dimensions[letter].hidden)


def _size_row(ws: Worksheet, r: int, hidden: bool) -> None:
    """A table row as tall as its wrapping cells need (never lower than the template's row), or
    hidden."""
    dim = ws.row_dimensions[r]
    if hidden:
        dim.hidden = True
        return
    cells = [cell for (rr, _), cell in ws._cells.items()
             if rr == r and not isinstance(cell, MergedCell) and isinstance(cell.value, str) and cell.value
             and cell.alignment.wrap_text and not _column_hidden(ws, cell.column)]
    if not cells:
        return
    base = float(dim.ht) if dim.ht else row_height(ws, r)
    needed = max(wrapped_height(cell.value, _cell_width(ws, cell), cell.font, base) for cell in cells)
    if needed > base:
        dim.ht = needed


def line_height(font: Any) -> float:
    """The height one more line of wrapped text adds, in points (a little generous)."""
    return math.ceil(float(font.sz or 11) * 1.3 * 4) / 4


def wrap_lines(text: str, width_pt: float, font: Any) -> list[str]:
    """``text`` broken into lines that fit ``width_pt`` in ``font``, at spaces (and at the new lines
    typed in it); a word longer than a line is broken inside."""
    scale = _scale(float(font.sz or 11), bool(font.b), font.name or "Calibri")
    room = max(width_pt / scale, 1.0)
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line, used = "", 0.0
        for word in paragraph.split():
            size = _word_em(word)
            gap = _em(" ") if line else 0.0
            if line and used + gap + size <= room:
                line, used = line + " " + word, used + gap + size
                continue
            if line:
                lines.append(line)
            line, used = "", 0.0
            while size > room:  # a word wider than the cell: broken where it reaches the edge
                cut, width = 0, 0.0
                while cut < len(word) and width + _em(word[cut]) <= room:
                    width += _em(word[cut])
                    cut += 1
                cut = max(cut, 1)
                lines.append(word[:cut])
                word = word[cut:]
                size = sum(_em(ch) for ch in word)
            line, used = word, size
        lines.append(line)
    return lines


def wrapped_height(text: str, width_pt: float, font: Any, base: float) -> float:
    """A row's height for ``text`` wrapped in a cell of a row ``base`` points high for one line."""
    return base + (len(wrap_lines(text, width_pt, font)) - 1) * line_height(font)


@dataclass(frozen=True)
class TableRoom:
    """How the tables of a template fill its page, for a caller that chooses what fits.

    Attributes:
        available: the page's printable height less its fixed rows (points, at 100 %).
        row: each table's region row height (one record of one line).
        wrapping: each table's cells that wrap: (field, room for text in points, font).
    """

    available: float
    row: dict[str, float]
    wrapping: dict[str, tuple[tuple[str, float, Any], ...]]

    def height(self, table: str, record: Mapping[str, Any]) -> float:
        """The printed height of ``record`` in ``table`` (its wrapping cells' lines)."""
        base = self.row[table]
        heights = [wrapped_height(_as_text(record.get(name)), width, font, base)
                   for name, width, font in self.wrapping.get(table, ()) if _as_text(record.get(name))]
        return max([base, *heights])


def table_room(template: Path) -> TableRoom:
    """The page of ``template`` as :class:`TableRoom`: what its tables may fill, and how tall a record
    prints. A cell counts as wrapping when it holds one ``{{ table.field }}`` and wraps its text."""
    ws = _measured(template)
    found = _scan(ws, template)
    first, last = _print_rows(ws)
    region_rows = set(found.rows.values())
    fixed = sum(row_height(ws, r) for r in range(first, last + 1) if r not in region_rows)
    wrapping: dict[str, list[tuple[str, float, Any]]] = {}
    for table, r in found.rows.items():
        for (rr, _c), cell in ws._cells.items():
            if rr != r or not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            whole = PLACEHOLDER.fullmatch(cell.value.strip())
            if whole and whole.group(1).startswith(table + ".") and not _column_hidden(ws, cell.column):
                wrapping.setdefault(table, []).append((whole.group(1).split(".", 1)[1], _cell_width(ws, cell),
                                                       copy.copy(cell.font)))
    return TableRoom(printable_height(ws) - fixed - HEIGHT_RESERVE,
                     {table: row_height(ws, r) for table, r in found.rows.items()},
                     {table: tuple(cells) for table, cells in wrapping.items()})


def _empty_line(ws: Worksheet, r: int, text: str) -> None:
    """The region row as one merged line saying the table is empty."""
    cells = {c: cell for (rr, c), cell in ws._cells.items() if rr == r}
    merges = [m for m in ws.merged_cells.ranges if m.min_row == m.max_row == r]
    columns = [c for c, cell in cells.items() if cell.value is not None or cell.has_style]
    columns += [m.max_col for m in merges]
    if not columns:
        return
    c1, c2 = min(columns), max(columns)
    if ws._print_area and ws._print_area.ranges:  # not beyond the page
        c2 = max(c1, min(c2, max(rng.max_col for rng in ws._print_area.ranges)))
    styles = {c: copy.copy(cell._style) for c, cell in cells.items()}
    for m in merges:
        ws.unmerge_cells(m.coord)
    for c in range(c1, c2 + 1):
        cell = ws.cell(r, c)
        if c in styles:
            cell._style = copy.copy(styles[c])
        cell.value = None
    first = ws.cell(r, c1)
    first.font = _styled(first.font, italic=True)
    first.alignment = _styled(first.alignment, horizontal="left", indent=1)
    first.number_format = "General"
    if c2 > c1:
        borders = {c: copy.copy(ws.cell(r, c).border) for c in range(c1, c2 + 1)}
        ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)
        for c in range(c1 + 1, c2 + 1):
            ws._cells[r, c].border = borders[c]
    _put_text(first, fit_text(text, _cell_width(ws, first), first.font))


def _styled(style: Any, **changes: Any) -> Any:
    new = copy.copy(style)
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def shift_rows(ws: Worksheet, r: int, n: int) -> None:
    """Move everything below row ``r`` down by ``n`` rows; ranges that hold row ``r`` grow by ``n``.

    Moves cells, formulas' references, row heights, merged cells, the print area and titles, data
    validations, conditional formats, the autofilter and images' anchors.
    """
    moved: dict[tuple[int, int], Any] = {}
    for (row, col), cell in ws._cells.items():
        if row > r:
            cell.row = row + n
            if cell.hyperlink:
                cell.hyperlink.ref = cell.coordinate
        moved[cell.row, col] = cell
    ws._cells = moved
    for cell in ws._cells.values():
        if cell.data_type == "f" and isinstance(cell._value, str):
            cell._value = _shift_formula(cell._value, r, n, grow=cell.row != r)

    dims = sorted(ws.row_dimensions.items())
    ws.row_dimensions.clear()
    for index, dim in dims:
        if index > r:
            dim.index = index + n
        ws.row_dimensions[dim.index] = dim

    for merged in ws.merged_cells.ranges:
        if merged.min_row > r:
            merged.shift(row_shift=n)
        elif merged.min_row <= r < merged.max_row:
            merged.expand(down=n)

    if ws._print_area and ws._print_area.ranges:
        ws.print_area = [_shift_range(rng.coord, r, n) for rng in ws._print_area.ranges]
    if ws._print_rows is not None and ws._print_rows.min_row and ws._print_rows.min_row > r:
        ws.print_title_rows = f"{ws._print_rows.min_row + n}:{ws._print_rows.max_row + n}"
    for dv in ws.data_validations.dataValidation:
        dv.sqref = MultiCellRange([_shift_range(rng.coord, r, n) for rng in dv.sqref.ranges])
    old = ws.conditional_formatting
    ws.conditional_formatting = ConditionalFormattingList()
    for cf in old:
        sqref = " ".join(_shift_range(rng.coord, r, n) for rng in cf.sqref.ranges)
        for rule in cf.rules:
            ws.conditional_formatting.add(sqref, rule)
    if ws.auto_filter.ref:
        ws.auto_filter.ref = _shift_range(ws.auto_filter.ref, r, n)
    for image in ws._images:
        anchor = image.anchor
        for marker in (getattr(anchor, "_from", None), getattr(anchor, "to", None)):
            if marker is not None and marker.row >= r:  # 0-based row index: below row r
                marker.row += n


def _shift_range(coord: str, r: int, n: int) -> str:
    """A1-style range after inserting n rows below row r (a range holding row r grows)."""
    rng = CellRange(coord)
    if rng.max_row + n > _MAX_ROW:  # a whole column stays a whole column
        return coord
    if rng.min_row > r:
        rng.shift(row_shift=n)
    elif rng.max_row >= r:
        rng.expand(down=n)
    return rng.coord


_MAX_ROW = 1048576
_REF = re.compile(r"(\$?[A-Za-z]{1,3})(\$?)(\d+)")


def _shift_formula(formula: str, r: int, n: int, *, grow: bool) -> str:
    """A formula's references to this sheet after inserting n rows below row r."""
    try:
        tokens = Tokenizer(formula).items
    except Exception:  # a formula openpyxl cannot parse is left as it is
        return formula
    changed = False
    for token in tokens:
        if token.type != Token.OPERAND or token.subtype != Token.RANGE or "!" in token.value:
            continue
        parts = token.value.split(":")
        refs = [_REF.fullmatch(p) for p in parts]
        if not all(refs):
            continue
        rows = [int(m.group(3)) for m in refs]
        if len(rows) == 2 and rows[0] <= r <= rows[1] and grow:
            rows[1] += n
        else:
            rows = [row + n if row > r else row for row in rows]
        new = ":".join(f"{m.group(1)}{m.group(2)}{row}" for m, row in zip(refs, rows))
        if new != token.value:
            token.value = new
            changed = True
    return "=" + "".join(t.value for t in tokens) if changed else formula


# --- fitting text into a cell -------------------------------------------------------------------------

#: Advance widths (in ems) of Calibri, whose metrics Carlito shares; the rest fall into classes.
_NARROW = dict.fromkeys(" .,:;'!|ilIjf", 0.25) | dict.fromkeys("trJ()[]-", 0.34) | {"/": 0.39}
_WIDE = dict.fromkeys("жшщюмыфЖФЫ", 0.72) | dict.fromkeys("ШЩЮМmwMWНДOQ", 0.87) | {"№": 1.03, "%": 0.72,
                                                                                    "…": 0.69, "«": 0.52,
                                                                                    "»": 0.52}
#: Other font families relative to Calibri.
_FAMILY_FACTOR = (("calibri", 1.0), ("carlito", 1.0), ("dejavu", 1.2), ("verdana", 1.25), ("tahoma", 1.1),
                  ("times", 1.0), ("cambria", 1.05))


@functools.lru_cache(maxsize=1 << 16)
def _word_em(word: str) -> float:
    """A word's width in ems: the same sum as adding its characters' :func:`_em`, worked out once
    per distinct word (a page measures the same legal forms, categories and products again and again)."""
    return sum(_em(ch) for ch in word)


def _em(ch: str) -> float:
    if ch in _NARROW:
        return _NARROW[ch]
    if ch in _WIDE:
        return _WIDE[ch]
    if ch.isdigit():
        return 0.507
    if "А" <= ch <= "я" or ch in "Ёё":
        return 0.62 if ch.isupper() else 0.52
    return 0.6 if ch.isupper() else 0.5


def _scale(size: float, bold: bool, family: str) -> float:
    family = family.lower()
    factor = next((f for name, f in _FAMILY_FACTOR if name in family), 1.12)
    return size * factor * (1.05 if bold else 1.0)


def text_width(text: str, size: float, *, bold: bool = False, family: str = "Calibri") -> float:
    """An estimate of the printed width of one line of text, in points (a few per cent generous)."""
    return sum(_em(ch) for ch in text) * _scale(size, bold, family)


@dataclass(frozen=True)
class TableLines:
    """How tall a table's records are on a template's page (see :func:`table_lines`).

    Calling it with a record gives how many of :func:`page_capacity`'s rows the record takes: 1, or
    more when a wrapping cell's text needs several lines: the row is then as tall as the filler makes
    it (:func:`wrapped_height`, the one measure of wrapped text), in region rows.
    """

    cells: tuple[tuple[str, float, Any], ...]  # (field, width in points, font) of each wrapping cell
    base: float                                # the region row's height, in points
    # Each cell's height by its text, measured once: the offers of one category share its products'
    # text, and a manager of 10 000 candidates may have hundreds measured before his page is full.
    _heights: dict[tuple[int, str], float] = field(default_factory=dict, compare=False, repr=False)

    def lines(self, field: str, text: Any) -> int:
        """Lines ``text`` takes in ``field``'s cell (1 when the cell does not wrap)."""
        return max([1] + [len(wrap_lines(_as_text(text), width, font)) for name, width, font in self.cells
                          if name == field and _as_text(text)])

    def __call__(self, record: Mapping[str, Any]) -> float:
        if len(self._heights) > _MEASURED_TEXTS:  # a long session of builds: the oldest month's go
            self._heights.clear()
        tallest = self.base
        for at, (name, width, font) in enumerate(self.cells):
            text = _as_text(record.get(name))
            if not text:
                continue
            height = self._heights.get((at, text))
            if height is None:
                height = self._heights[(at, text)] = wrapped_height(text, width, font, self.base)
            tallest = max(tallest, height)
        return tallest / self.base


#: The texts a :class:`TableLines` keeps the heights of.
_MEASURED_TEXTS = 1 << 16


def table_lines(template: Path, table: str) -> TableLines:
    """How tall the records of ``table`` are on the template's page: a :class:`TableLines`."""
    ws = _measured(template)
    found = _scan(ws, template)
    r = found.rows.get(table)
    wrapping: list[tuple[str, float, Any]] = []
    base = 15.0
    if r is not None:
        base = row_height(ws, r)
        for (rr, _c), cell in ws._cells.items():
            if rr != r or isinstance(cell, MergedCell) or not isinstance(cell.value, str):
                continue
            if not cell.alignment.wrap_text or _column_hidden(ws, cell.column):
                continue
            whole = PLACEHOLDER.fullmatch(cell.value.strip())
            if whole and whole.group(1).startswith(table + "."):
                wrapping.append((whole.group(1).split(".", 1)[1], _cell_width(ws, cell), copy.copy(cell.font)))
    return TableLines(tuple(wrapping), base)


def fit_text(text: str, width_pt: float, font: Any) -> str:
    """``text`` on one line, cut with "…" so that it fits ``width_pt`` in ``font``."""
    line = " ".join(text.split())
    scale = _scale(float(font.sz or 11), bool(font.b), font.name or "Calibri")
    if sum(_em(ch) for ch in line) * scale <= width_pt:
        return line
    room = width_pt / scale - _em("…")
    used, cut = 0.0, 0
    for ch in line:
        used += _em(ch)
        if used > room:
            break
        cut += 1
    return line[:cut].rstrip(" ,.;:-—/") + "…"


def _column_width(ws: Worksheet, col: int) -> float:
    """A column's width in character units as stored in the file."""
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= col <= dim.max and dim.width:
            return float(dim.width)
    letter = get_column_letter(col)
    if letter in ws.column_dimensions and ws.column_dimensions[letter].width:
        return float(ws.column_dimensions[letter].width)
    return float(ws.sheet_format.defaultColWidth or 9.140625)


def _cell_width(ws: Worksheet, cell: Any) -> float:
    """The room for text in a cell (its merged range in that row), in points, less the padding."""
    c1 = c2 = cell.column
    for merged in ws.merged_cells.ranges:
        if merged.min_row == cell.row and merged.min_col == cell.column:
            c2 = merged.max_col
            break
    units = sum(_column_width(ws, c) for c in range(c1, c2 + 1))
    # A character unit prints as 5.25 pt in Excel and 5.55 pt in LibreOffice; text a little too wide
    # for Excel shrinks to fit there. About 2 pt of padding on each side; an indent level is 3 spaces.
    indent = (cell.alignment.indent or 0) * 3 * text_width(" ", float(cell.font.sz or 11))
    return units * 5.4 - 4.0 - indent
