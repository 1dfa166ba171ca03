"""Filling the A4 instrument templates: placeholders, table regions, restyling, page setup.

Every test renders a template with openpyxl and reads the written file back, as Excel would.
Printing (one A4 page per sheet) is tested with LibreOffice in test_pdf.py.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from salesplan import templates_build
from salesplan.outputs.tabs import MONEY
from salesplan.outputs.templates import (
    DEFAULT_EMPTY,
    Page,
    TableLines,
    TemplateError,
    page_capacity,
    render_book,
    render_sheets,
    table_lines,
    template_placeholders,
    unique_sheet_name,
    wrapped_height,
)
from salesplan.templates_build import sample_pages

REPO = Path(__file__).resolve().parents[1]
INSTRUMENT1 = REPO / "templates" / "instrument1.xlsx"
INSTRUMENT2 = REPO / "templates" / "instrument2.xlsx"


def where(path: Path, text: str) -> tuple[int, int]:
    """(row, column) of the template cell whose value contains ``text``."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and text in cell.value:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in {path.name}")


def render(tmp_path: Path, page: Page, template: Path = INSTRUMENT1):
    out = tmp_path / "out.xlsx"
    names = render_sheets(template, [page], out)
    wb = openpyxl.load_workbook(out)
    return wb[names[0]]


def page1(offers: int = 15, key_clients: int = 8, **fields) -> Page:
    page = sample_pages(offers=offers, key_clients=key_clients)[0]
    page.fields.update(fields)
    return page


def find(ws, text: str) -> list[tuple[int, int]]:
    return [(c.row, c.column) for row in ws.iter_rows() for c in row if isinstance(c.value, str) and text in c.value]


# --- the templates themselves ---------------------------------------------------------------------

def test_the_committed_templates_are_what_the_builder_makes(tmp_path):
    built = templates_build.build(tmp_path)
    for fresh, committed in zip(built, (INSTRUMENT1, INSTRUMENT2)):
        a, b = openpyxl.load_workbook(fresh).worksheets[0], openpyxl.load_workbook(committed).worksheets[0]
        def cells(ws):
            return {(c.coordinate, c.value, c.number_format, c.font.b, c.font.sz, c.fill.fgColor.rgb)
                    for row in ws.iter_rows() for c in row}
        assert cells(a) == cells(b), committed.name
        assert {m.coord for m in a.merged_cells.ranges} == {m.coord for m in b.merged_cells.ranges}
        assert {k: d.height for k, d in a.row_dimensions.items()} == {k: d.height for k, d in b.row_dimensions.items()}
        assert a.print_area == b.print_area


def test_templates_ask_for_the_documented_fields_and_tables():
    one = template_placeholders(INSTRUMENT1)
    assert {"manager", "month", "company", "target", "base_plan", "gap", "existing_clients_plan",
            "offer_multiplier", "offer_volume", "units_text", "offers_total", "shortfall_note", "title",
            "offers_title", "key_clients_note"} <= one.fields
    assert one.tables == {"offers": ("client", "buys_now", "offer_category", "products", "volume"),
                          "key_clients": ("client", "turnover", "buys", "wishes")}
    two = template_placeholders(INSTRUMENT2)
    assert {"manager", "month", "company", "omitted_note"} <= two.fields
    # the visible columns, «✗», and the hidden ones the manager's edits are read against
    item = ("item", "brand", "category", "price", "valid_until", "note", "clients", "mark", "section", "key",
            "proposed")
    sections = ("new", "promo", "brands", "sale")
    assert two.tables == {**dict.fromkeys(sections, item), **dict.fromkeys([f"{s}_own" for s in sections], item)}


@pytest.mark.parametrize("template", [INSTRUMENT1, INSTRUMENT2], ids=["instrument1", "instrument2"])
def test_templates_are_designed_a4_pages(template):
    ws = openpyxl.load_workbook(template).worksheets[0]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    # Columns print at 100 % on A4 in LibreOffice (5.55 pt per character unit), the wider of the two.
    width = sum(d.width for d in ws.column_dimensions.values() if not d.hidden)
    assert width * 5.55 <= 595.3 - 72 * (ws.page_margins.left + ws.page_margins.right)
    texts = [p.text or "" for hf in (ws.oddHeader, ws.oddFooter) for p in (hf.left, hf.center, hf.right)]
    assert "{{ manager }}" in texts and "{{ company }}" in texts and "{{ month }}" in texts
    assert not any("&P" in t or "&N" in t for t in texts)
    # Every printed row has its height set, so page_capacity knows the page's height.
    first, last = 1, max(r.max_row for r in ws._print_area.ranges)
    assert all(ws.row_dimensions[r].height for r in range(first, last + 1))


# --- fields ---------------------------------------------------------------------------------------

def test_fields_are_replaced_and_numbers_keep_the_templates_format(tmp_path):
    ws = render(tmp_path, page1())
    r, c = where(INSTRUMENT1, "{{ existing_clients_plan }}")
    assert ws.cell(r, c).value == 410000 and ws.cell(r, c).number_format == MONEY
    r, c = where(INSTRUMENT1, "{{ offer_volume }}")
    assert ws.cell(r, c).value == 2050000 and ws.cell(r, c).number_format == MONEY
    r, c = where(INSTRUMENT1, "{{ manager }} · {{ month }}")
    assert ws.cell(r, c).value == "Смирнов Алексей · ноябрь 2026"
    r, c = where(INSTRUMENT1, "Разместить в предложениях")
    assert ws.cell(r, c).value == "Разместить в предложениях (× 5)"
    assert not find(ws, "{{")


def test_numbers_and_dates_inside_text_read_the_russian_way(tmp_path):
    page = page1(manager="Иванов", month=dt.date(2026, 11, 30), offer_multiplier=4.5, units_text=1234567)
    ws = render(tmp_path, page)
    r, c = where(INSTRUMENT1, "{{ manager }} · {{ month }}")
    assert ws.cell(r, c).value == "Иванов · 30.11.2026"
    r, c = where(INSTRUMENT1, "Разместить в предложениях")
    assert ws.cell(r, c).value == "Разместить в предложениях (× 4,5)"
    r, c = where(INSTRUMENT1, "{{ units_text }}")
    assert ws.cell(r, c).value == 1234567  # a whole-cell placeholder gets the typed value


def test_a_placeholder_without_a_value_stays_visible(tmp_path):
    page = page1()
    del page.fields["units_text"]
    ws = render(tmp_path, page)
    r, c = where(INSTRUMENT1, "{{ units_text }}")
    assert ws.cell(r, c).value == "{{ units_text }}"


def test_text_stays_text_and_loses_control_characters(tmp_path):
    page = page1(offers=4)
    for record, name in zip(page.tables["offers"], ["=1+1", "+7 900 000", "-минус", "@ссылка"]):
        record["client"] = name
    page.fields["manager"] = "=HYPERLINK(\"x\")\x07"
    out = tmp_path / "out.xlsx"
    render_sheets(INSTRUMENT1, [page], out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    r, c = where(INSTRUMENT1, "{{ offers.client }}")
    assert [ws.cell(r + i, c).value for i in range(4)] == ["=1+1", "+7 900 000", "-минус", "@ссылка"]
    assert all(ws.cell(r + i, c).data_type == "s" for i in range(4))
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "\x07" not in sheet
    r, c = where(INSTRUMENT1, "{{ manager }} · {{ month }}")
    assert ws.cell(r, c).value == "=HYPERLINK(\"x\") · ноябрь 2026"


def test_missing_values_leave_cells_empty(tmp_path):
    page = sample_pages()[1]
    page.tables["new"][0].update(price=float("nan"), valid_until=None)
    del page.tables["new"][0]["note"]
    ws = render(tmp_path, page, INSTRUMENT2)
    r, _ = where(INSTRUMENT2, "{{ new.item }}")
    _, price = where(INSTRUMENT2, "{{ new.price }}")
    _, valid = where(INSTRUMENT2, "{{ new.valid_until }}")
    _, note = where(INSTRUMENT2, "{{ new.note }}")
    assert ws.cell(r, price).value is None and ws.cell(r, valid).value is None and ws.cell(r, note).value is None


def test_dates_are_dates_shown_day_month_year(tmp_path):
    page = sample_pages()[1]
    ws = render(tmp_path, page, INSTRUMENT2)
    r, c = where(INSTRUMENT2, "{{ promo.valid_until }}")
    cell = ws.cell(r + len(page.tables["new"]) - 1, c)  # below the new products
    assert cell.is_date and cell.value.date() == dt.date(2026, 11, 30) and cell.number_format == "dd.mm.yyyy"


# --- tables ---------------------------------------------------------------------------------------

def style_of(cell):
    return (cell.font.name, cell.font.sz, cell.font.b, cell.font.color and cell.font.color.rgb,
            cell.fill.fill_type, cell.fill.fgColor.rgb, cell.border.left.style, cell.border.bottom.style,
            cell.border.bottom.color and cell.border.bottom.color.rgb, cell.number_format,
            cell.alignment.horizontal, cell.alignment.shrink_to_fit)


def cut(text: str) -> str:
    """A table cell's text without the "…" that cut it to the column's width."""
    return text[:-1] if text.endswith("…") else text


def test_a_table_repeats_its_row_with_the_rows_styles(tmp_path):
    template = openpyxl.load_workbook(INSTRUMENT1).worksheets[0]
    r, _ = where(INSTRUMENT1, "{{ offers.client }}")
    ws = render(tmp_path, page1(offers=15))
    records = sample_pages(offers=15)[0].tables["offers"]
    # Instrument #1's text cells wrap: every word is kept, never cut with "…"
    assert [ws.cell(r + i, 1).value for i in range(15)] == [o["client"] for o in records]
    assert [ws.cell(r + i, 5).value for i in range(15)] == [o["products"] for o in records]
    assert [ws.cell(r + i, 6).value for i in range(15)] == [o["volume"] for o in records]
    for i in range(15):
        assert ws.row_dimensions[r + i].height >= template.row_dimensions[r].height
        for c in range(1, 7):
            assert style_of(ws.cell(r + i, c)) == style_of(template.cell(r, c)), (i, c)


def test_merged_cells_of_a_table_row_repeat_and_everything_below_moves(tmp_path):
    template = openpyxl.load_workbook(INSTRUMENT1).worksheets[0]
    offers_row, _ = where(INSTRUMENT1, "{{ offers.client }}")
    key_row, _ = where(INSTRUMENT1, "{{ key_clients.client }}")
    closing_row, _ = where(INSTRUMENT1, "Клиент может позвонить сам")
    title_row, _ = where(INSTRUMENT1, "КЛЮЧЕВЫЕ КЛИЕНТЫ")
    ws = render(tmp_path, page1(offers=15, key_clients=8))
    # 14 rows more for the offers, 7 more for the key clients
    assert find(ws, "КЛЮЧЕВЫЕ КЛИЕНТЫ") == [(title_row + 14, 1)]
    assert find(ws, "Клиент может позвонить сам") == [(closing_row + 21, 1)]
    assert ws.cell(key_row + 14 + 7, 1).value == "ООО «Интегратор-Плюс»"  # the 8th key client
    merged = {m.coord for m in ws.merged_cells.ranges}
    assert {f"E{key_row + 14 + i}:F{key_row + 14 + i}" for i in range(8)} <= merged  # "Что ещё привезти?"
    assert f"A{title_row + 14}:F{title_row + 14}" in merged
    assert f"A{title_row}:F{title_row}" not in merged
    assert ws.row_dimensions[closing_row + 21].height == template.row_dimensions[closing_row].height
    assert ws.row_dimensions[title_row + 14].height == template.row_dimensions[title_row].height
    assert ws.print_area == f"'{ws.title}'!$A$1:$F${closing_row + 21}"


def test_an_empty_table_is_one_clear_line(tmp_path):
    r, _ = where(INSTRUMENT1, "{{ offers.client }}")
    key_row, _ = where(INSTRUMENT1, "{{ key_clients.client }}")
    page = page1(offers=0, key_clients=0)
    del page.fields["key_clients_empty"]
    ws = render(tmp_path, page)
    assert ws.cell(r, 1).value == "Нет клиентов, которым можно предложить новую категорию"
    assert ws.cell(r, 1).font.i
    assert f"A{r}:F{r}" in {m.coord for m in ws.merged_cells.ranges}
    assert ws.cell(key_row, 1).value == DEFAULT_EMPTY
    assert f"A{key_row}:F{key_row}" in {m.coord for m in ws.merged_cells.ranges}
    assert find(ws, "Клиент может позвонить сам") == [(where(INSTRUMENT1, "Клиент может позвонить сам")[0], 1)]


def test_every_section_of_instrument2_fills_or_says_it_is_empty(tmp_path):
    page = sample_pages()[1]
    page.tables["promo"] = []
    page.tables["brands_own"].insert(0, {**page.tables["brands"][0], "item": "Мой товар", "key": ""})
    ws = render(tmp_path, page, INSTRUMENT2)
    values = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    new, promo, brands, sale = (values.index(t) for t in ("НОВИНКИ", "ДЕЙСТВУЮЩИЕ АКЦИИ",
                                                         "БРЕНДЫ ПОВЫШЕННОЙ МОТИВАЦИИ", "РАСПРОДАЖА"))
    def items(table):
        return [i["item"] for i in page.tables[table]]

    # every section: the program's items, whole, then its yellow lines: the manager's own and a blank one
    assert values[new + 1:promo] == items("new") + [None]
    assert values[promo + 1:brands] == ["Действующих акций нет", None]
    assert values[brands + 1:sale] == items("brands") + ["Мой товар", None]
    assert values[sale + 1:sale + 5] == items("sale") + [None]
    yellow, first = templates_build.WRITE_IN, brands + 2  # the first item's sheet row (values is 0-based)
    assert ws.cell(first + len(items("brands")), 1).fill.fgColor.rgb.endswith(yellow)
    assert not ws.cell(first, 1).fill.fgColor.rgb.endswith(yellow)
    assert ws.cell(first, 7).fill.fgColor.rgb.endswith(yellow)  # «Кому предложить» is his to write


def test_instrument2_wraps_what_a_manager_needs_instead_of_cutting_it(tmp_path):
    page = sample_pages()[1]
    clients = "Северная звезда, Видеоконтроль-Сервис, Городские системы безопасности"
    page.tables["new"][0].update(clients=clients, note="бонус менеджеру +3% с оборота до конца квартала")
    ws = render(tmp_path, page, INSTRUMENT2)
    r = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == page.tables["new"][0]["item"])
    assert ws.cell(r, 7).value == clients and ws.cell(r, 6).value.endswith("до конца квартала")
    assert ws.cell(r, 7).alignment.wrap_text
    # three lines of clients at least: the row grows from one line (16 pt) by a line (11.75 pt) each
    assert ws.row_dimensions[r].height >= 16 + 2 * 11.75
    assert not any(isinstance(c.value, str) and c.value.endswith("…") for row in ws.iter_rows() for c in row)


def test_long_text_in_a_wrapping_cell_is_kept_whole_and_its_row_grows(tmp_path):
    page = page1(offers=3)
    long = "Общество с ограниченной ответственностью «" + "Безопасность " * 12 + "»"
    page.tables["offers"][0]["client"] = long
    page.tables["offers"][1]["client"] = "ООО «Лидер СБ»"
    ws = render(tmp_path, page)
    r, _ = where(INSTRUMENT1, "{{ offers.client }}")
    assert ws.cell(r, 1).value == " ".join(long.split()) and ws.cell(r, 1).alignment.wrap_text
    assert ws.cell(r + 1, 1).value == "ООО «Лидер СБ»"
    # 24 character units at 9 pt hold about 23 such letters a line: 183 characters take 8 or 9 lines;
    # the row is the region row (16 pt) and one 9-pt line (11.75 pt) more per line, as table_lines
    # counts it: the filler and the picking of records measure alike
    lines = table_lines(INSTRUMENT1, "offers")
    n = lines.lines("client", long)
    assert 7 <= n <= 10
    assert ws.row_dimensions[r].height == 16 + (n - 1) * 11.75
    assert lines({"client": long}) == pytest.approx(1 + (n - 1) * 11.75 / 16)
    assert lines({"client": "ООО «Лидер СБ»"}) == 1


def test_a_texts_height_is_kept_per_cell_not_per_text():
    """The heights TableLines keeps are those of each cell: the same text in a narrow and in a wide
    cell is measured for each, and measured again it gives the same record height."""
    from openpyxl.styles import Font

    text = "Видеорегистратор гибридный 16-канальный с поддержкой IP-камер"
    lines = TableLines((("client", 60.0, Font(sz=9)), ("products", 400.0, Font(sz=9))), 16.0)
    narrow = lines({"client": text})
    wide = lines({"products": text})
    assert narrow > 1 and wide == 1
    assert lines({"products": text}) == wide and lines({"client": text}) == narrow
    assert lines({"client": text, "products": text}) == narrow
    assert narrow == pytest.approx(wrapped_height(text, 60.0, Font(sz=9), 16.0) / 16.0)


# --- page setup -----------------------------------------------------------------------------------

def test_print_settings_header_and_footer_are_kept_and_filled(tmp_path):
    page = page1(company="Рога & Копыта")
    ws = render(tmp_path, page)
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    template = openpyxl.load_workbook(INSTRUMENT1).worksheets[0]
    assert (ws.page_margins.left, ws.page_margins.top) == (template.page_margins.left, template.page_margins.top)
    assert ws.oddHeader.left.text == "Рога && Копыта"  # a single & would start a header code
    assert ws.oddHeader.center.text == "Смирнов Алексей"
    assert ws.oddHeader.right.text == "ноябрь 2026"
    assert ws.oddFooter.right.text == "Рога && Копыта · ноябрь 2026"
    assert ws.sheet_view.showGridLines is False


def test_sheet_names_are_valid_and_unique(tmp_path):
    pages = [Page("Иванов/Петров: [план]*?"), Page("Иванов/Петров: [план]*?"), Page("Я" * 40), Page("")]
    names = render_sheets(INSTRUMENT2, pages, tmp_path / "out.xlsx")
    assert names == ["Иванов Петров план", "Иванов Петров план (2)", "Я" * 31, "Лист"]
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames == names
    assert unique_sheet_name("History") != "History"
    assert unique_sheet_name("'цитата'") == "цитата"


def test_many_pages_from_one_template_and_two_templates_in_one_book(tmp_path):
    one, two = sample_pages("Иванов Иван")
    three, four = sample_pages("Петрова Анна")
    out = tmp_path / "book.xlsx"
    names = render_book([(INSTRUMENT1, [one, three]), (INSTRUMENT2, [two, four])], out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == names == [one.title, three.title, two.title, four.title]
    assert wb[names[1]].oddHeader.center.text == "Петрова Анна"
    assert wb[names[2]].cell(*where(INSTRUMENT2, "НОВИНКИ")).fill.fgColor.rgb.endswith("548235")
    assert all(wb[n].page_setup.paperSize == 9 and wb[n].print_area for n in names)
    assert [wb[n].sheet_view.tabSelected for n in names] == [True, False, False, False]


# --- a supervisor restyles a template in Excel ----------------------------------------------------

def test_a_restyled_template_prints_with_its_styles_and_wording(tmp_path):
    wb = openpyxl.load_workbook(INSTRUMENT1)
    ws = wb.worksheets[0]
    title = ws.cell(*where(INSTRUMENT1, "{{ title }}"))
    title.font = Font(name="Arial", size=18, bold=True, color="FFFF0000")
    header_row, header_col = where(INSTRUMENT1, "Покупает сейчас")
    for c in range(1, 7):
        ws.cell(header_row, c).fill = PatternFill("solid", start_color="FF00B050", end_color="FF00B050")
    ws.cell(header_row, header_col).value = "Что берёт сейчас"
    ws.column_dimensions["A"].width = 30
    r, _ = where(INSTRUMENT1, "{{ offers.client }}")
    ws.cell(r, 1).font = Font(name="Calibri", size=10, italic=True)
    restyled = tmp_path / "restyled.xlsx"
    wb.save(restyled)

    out = render(tmp_path, page1(offers=5), restyled)
    assert out.cell(title.row, title.column).font.color.rgb == "FFFF0000"
    assert out.cell(title.row, title.column).font.sz == 18 and out.cell(title.row, title.column).font.b
    assert out.cell(header_row, header_col).value == "Что берёт сейчас"
    assert all(out.cell(header_row, c).fill.fgColor.rgb == "FF00B050" for c in (1, 2, 4, 5, 6))  # C: in B:C
    assert out.column_dimensions["A"].width == 30
    assert all(out.cell(r + i, 1).font.i and out.cell(r + i, 1).font.sz == 10 for i in range(5))


def test_a_restyled_template_with_validation_formats_and_a_total_keeps_them(tmp_path):
    wb = openpyxl.load_workbook(INSTRUMENT1)
    ws = wb.worksheets[0]
    r, _ = where(INSTRUMENT1, "{{ offers.client }}")
    note_row, _ = where(INSTRUMENT1, "{{ key_clients_note }}")
    ws.unmerge_cells(f"A{note_row}:F{note_row}")
    ws.merge_cells(f"A{note_row}:E{note_row}")
    ws.cell(note_row, 6).value = f"=SUM(F{r}:F{r})"
    ws.conditional_formatting.add(f"F{r}", CellIsRule(operator="greaterThan", formula=["150000"],
                                                       font=Font(bold=True, color="FF00B050")))
    dv = DataValidation(type="list", formula1='"да,нет"')
    dv.add(f"F{note_row}")
    ws.add_data_validation(dv)
    restyled = tmp_path / "restyled.xlsx"
    wb.save(restyled)

    page = page1(offers=6)
    below = 5 + len(page.tables["key_clients"]) - 1  # the rows both tables add above the note
    out = render(tmp_path, page, restyled)
    assert out.cell(note_row + below, 6).value == f"=SUM(F{r}:F{r + 5})"
    cf = {str(c.sqref): c.rules for c in out.conditional_formatting}
    assert f"F{r}:F{r + 5}" in cf and cf[f"F{r}:F{r + 5}"][0].dxf.font.b
    assert [str(d.sqref) for d in out.data_validations.dataValidation] == [f"F{note_row + below}"]


def test_a_logo_in_the_template_is_on_every_page(tmp_path):
    from openpyxl.drawing.image import Image
    from PIL import Image as PILImage

    logo = tmp_path / "logo.png"
    PILImage.new("RGB", (120, 40), (31, 78, 120)).save(logo)
    wb = openpyxl.load_workbook(INSTRUMENT1)
    wb.worksheets[0].add_image(Image(logo), "E1")
    restyled = tmp_path / "restyled.xlsx"
    wb.save(restyled)
    out = tmp_path / "out.xlsx"
    render_sheets(restyled, list(sample_pages()[:1]) + [Page("второй")], out)
    wb = openpyxl.load_workbook(out)
    assert [len(ws._images) for ws in wb.worksheets] == [1, 1]


def test_a_template_with_one_table_in_two_rows_is_refused(tmp_path):
    wb = openpyxl.load_workbook(INSTRUMENT1)
    wb.worksheets[0]["A30"] = "{{ offers.client }}"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(TemplateError) as err:
        render_sheets(bad, [page1()], tmp_path / "out.xlsx")
    assert err.value.key == "err.template_table_rows"
    assert err.value.fields == {"table": "offers", "first": where(INSTRUMENT1, "{{ offers.client }}")[0],
                                "row": 30, "path": str(bad)}


# --- capacity -------------------------------------------------------------------------------------

def test_capacity_is_the_page_height_left_by_the_fixed_rows():
    ws = openpyxl.load_workbook(INSTRUMENT1).worksheets[0]
    regions = {where(INSTRUMENT1, "{{ offers.client }}")[0], where(INSTRUMENT1, "{{ key_clients.client }}")[0]}
    last = max(r.max_row for r in ws._print_area.ranges)
    fixed = sum(ws.row_dimensions[r].height for r in range(1, last + 1) if r not in regions)
    height = 842 - 72 * (ws.page_margins.top + ws.page_margins.bottom)
    expected = math.floor((height - fixed - 4) / templates_build.TABLE_ROW_HEIGHT)
    assert page_capacity(INSTRUMENT1) == expected
    assert page_capacity(INSTRUMENT1) >= 15 + 8  # the designed rows: ~15 offers, ~8 key clients
    assert page_capacity(INSTRUMENT2) >= 4 * 6  # up to 6 items in every section


def test_capacity_follows_a_restyled_template(tmp_path):
    wb = openpyxl.load_workbook(INSTRUMENT1)
    ws = wb.worksheets[0]
    ws.row_dimensions[where(INSTRUMENT1, "{{ units_text }}")[0]].height += 32  # two rows' worth
    taller = tmp_path / "taller.xlsx"
    wb.save(taller)
    assert page_capacity(taller) == page_capacity(INSTRUMENT1) - 2
    ws.page_setup.orientation = "landscape"
    wb.save(taller)
    assert page_capacity(taller) < page_capacity(INSTRUMENT1) - 10
