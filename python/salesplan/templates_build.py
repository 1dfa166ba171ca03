"""Build the A4 instrument templates: ``templates/instrument1.xlsx`` and ``instrument2.xlsx`` (Russian),
``instrument1.en.xlsx`` and ``instrument2.en.xlsx`` (English).

    python -m salesplan.templates_build [OUTDIR]

It rewrites all four files (OUTDIR defaults to the repository's ``templates/``). :func:`sample_pages`
fills them for the tests; the README's pictures are what the program prints
(``docs/make_pictures.py``), never a sample page. The templates are ordinary
workbooks that a supervisor may restyle in Excel; :mod:`salesplan.outputs.templates` fills them.
This script is only their reproducible first design: once a supervisor has restyled a template,
do not run it over their file.

Both languages come from one description: the layout, placeholders, widths and styles are written
once and only the words are looked up in :data:`LABELS`, so the Russian and English pages have the
same rows, tables and capacity. The files are saved with a fixed time stamp (:data:`BUILT`), so
rebuilding an unchanged design gives the same bytes.

What a template holds (see :mod:`salesplan.outputs.templates` for the rules):

* ``{{ name }}`` placeholders in cells and in the header and footer;
* one *region row* per table, whose cells hold ``{{ table.field }}``: filling repeats it per record;
* the page set up for printing: A4 portrait, fit to one page, print area, margins, header, footer.

Every row has an explicit height, so the page's height is known in advance and
:func:`salesplan.outputs.templates.page_capacity` can tell how many records fit. Instrument #2's table
cells never wrap; Instrument #1's text cells wrap (nothing a manager must read is cut) and the filler
makes a record's row as tall as its text needs, which
:func:`salesplan.outputs.templates.table_lines` tells the planner in advance.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .ooxml.core import set_times
from .ooxml.package import copy_stamped
from .outputs.instruments import TEMPLATE_NAMES, localized_template_name
from .outputs.tabs import DATE, MONEY
from .outputs.templates import Page

FONT = "Calibri"
NAVY = "1F4E78"
PALE_BLUE = "DDEBF7"
PALE_ORANGE = "FCE4D6"
BROWN = "843C0C"
GREY = "595959"
WRITE_IN = "FFFDE7"
LINE = "A6A6A6"

#: Section title colours of Instrument #2.
SECTION_COLOURS = {"new": "548235", "promo": "C55A11", "brands": "2F5597", "sale": "C00000"}

#: Height of every table row (points): one line of 9 pt text, also enough to write on by hand.
TABLE_ROW_HEIGHT = 16.0

#: The languages built, in order; the ``ru`` files keep the plain names (``instrument1.xlsx``).
LANGUAGES = ("ru", "en")

#: Creation and modification time written into every template and its zip entries.
BUILT = dt.datetime(2026, 11, 29, 12, 41, 52)

#: Every word on the templates: key -> (Russian, English). Placeholders are kept as they are.
LABELS: dict[str, tuple[str, str]] = {
    # Instrument #1
    "i1.sheet": ("Инструмент 1", "Instrument 1"),
    "i1.footer": ("Инструмент №1", "Instrument #1"),
    "i1.plan_3a": ("План 3А: допродажи клиентам", "3A plan: more sales to clients"),
    "i1.offer_volume": ("Разместить в предложениях (× {{ offer_multiplier }})",
                        "Place in offers (× {{ offer_multiplier }})"),
    "i1.offers_total": ("В предложениях на этом листе", "Offered on this sheet"),
    "i1.offers_sum": ("Итого в предложениях на листе", "Total offered on this sheet"),
    "i1.target": ("План месяца", "Monthly target"),
    "i1.base_plan": ("Постоянные клиенты + воронка", "Regular clients + funnel"),
    "i1.gap": ("Не хватает до плана (разрыв)", "Short of target (gap)"),
    "i1.units": ("План 3А в типовых заказах (любой из):", "3A in typical orders (any one of):"),
    "i1.why": ("Почему ×{{ offer_multiplier }}: в заказ превращается лишь около 20% предложений, поэтому "
               "предлагаем в {{ offer_multiplier }} раз больше нужного, и только то, что клиент пока почти "
               "не покупает.",
               "Why ×{{ offer_multiplier }}: only about 20% of offers turn into orders, so we offer "
               "{{ offer_multiplier }} times what is needed, and only what the client hardly buys yet."),
    "i1.client": ("Клиент", "Client"),
    "i1.buys_now": ("Покупает сейчас", "Buys now"),
    "i1.offer_category": ("Что предложить", "What to offer"),
    "i1.products": ("Товары для предложения", "Products to offer"),
    "i1.volume": ("Объём в месяц", "Volume a month"),
    "i1.key_clients": ("КЛЮЧЕВЫЕ КЛИЕНТЫ: СПРОСИТЕ, ЧТО ЕЩЁ ДЛЯ НИХ ПРИВЕЗТИ",
                       "KEY CLIENTS: ASK WHAT ELSE WE SHOULD STOCK FOR THEM"),
    "i1.turnover": ("Оборот в месяц", "Turnover a month"),
    "i1.buys": ("Покупает", "Buys"),
    "i1.wishes": ("Что ещё привезти?", "What else should we stock?"),
    "i1.keep_at_hand": ("Клиент может позвонить сам в любой момент: держите лист перед глазами и предлагайте "
                        "при первом же контакте.",
                        "A client may call at any moment: keep this sheet at hand and make the offer at the "
                        "first contact."),
    # Instrument #2
    "i2.sheet": ("Инструмент 2", "Instrument 2"),
    "i2.footer": ("Инструмент №2", "Instrument #2"),
    "i2.title": ("ИНСТРУМЕНТ №2 · Держите перед глазами", "INSTRUMENT #2 · Keep this at hand"),
    "i2.intro": ("Новинки, акции, бренды повышенной мотивации и распродажа: предлагайте при каждом контакте. "
                 "«Кому предложить» — кому из ваших клиентов в первую очередь.",
                 "New products, promotions, high-motivation brands and clearance: offer them at every contact. "
                 "«Offer to»: which of your clients to offer them to first."),
    "i2.item": ("Товар", "Product"),
    "i2.brand": ("Бренд", "Brand"),
    "i2.category": ("Категория", "Category"),
    "i2.price": ("Цена", "Price"),
    "i2.valid_until": ("Действует до", "Valid until"),
    "i2.note": ("Условия", "Terms"),
    "i2.clients": ("Кому предложить", "Offer to"),
    "i2.edits": ("Лист ваш: ✗ — убрать позицию; «Кому предложить» и жёлтые строки пишите сами. Правки "
                 "сохранятся при пересчёте.",
                 "Your sheet: ✗ removes an item; write your own clients and lines in yellow. Your edits stay "
                 "when the plan is rebuilt."),
    "i2.section.new": ("НОВИНКИ", "NEW PRODUCTS"),
    "i2.section.promo": ("ДЕЙСТВУЮЩИЕ АКЦИИ", "CURRENT PROMOTIONS"),
    "i2.section.brands": ("БРЕНДЫ ПОВЫШЕННОЙ МОТИВАЦИИ", "HIGH-MOTIVATION BRANDS"),
    "i2.section.sale": ("РАСПРОДАЖА", "CLEARANCE"),
    "i2.footnote": ("Список подобран по покупкам ваших клиентов. Не больше одного листа А4.",
                    "The list is chosen from your clients' purchases. One A4 sheet at most."),
}


def label(key: str, lang: str = "ru") -> str:
    """The template text ``key`` in ``lang`` (``ru`` or ``en``; anything else gets Russian)."""
    ru, en = LABELS[key]
    return en if lang == "en" else ru


def _font(size: float = 9, *, bold: bool = False, italic: bool = False, color: str = "000000") -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=color)


def _fill(color: str) -> PatternFill:
    return PatternFill("solid", start_color=color, end_color=color)


_THIN = Side(style="thin", color=LINE)
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
UNDERLINE = Border(bottom=Side(style="medium", color=NAVY))


@dataclass
class Designer:
    """Writes styled cells and merged blocks onto one template sheet."""

    ws: Worksheet
    last_col: int

    def row(self, r: int, height: float) -> None:
        self.ws.row_dimensions[r].height = height

    def put(self, r: int, c1: int, value: object = None, c2: int | None = None, *, font: Font | None = None,
            fill: PatternFill | None = None, border: Border | None = None, align: Alignment | None = None,
            number_format: str | None = None) -> None:
        """Write ``value`` into columns c1..c2 of row r (merged when c2 > c1), styling every cell."""
        c2 = c2 or c1
        for c in range(c1, c2 + 1):
            cell = self.ws.cell(r, c)
            if font:
                cell.font = font
            if fill:
                cell.fill = fill
            if border:
                cell.border = border
            if align:
                cell.alignment = align
            if number_format:
                cell.number_format = number_format
        self.ws.cell(r, c1).value = value
        if c2 > c1:
            self.ws.merge_cells(start_row=r, start_column=c1, end_row=r, end_column=c2)

    def band(self, r: int, text: str, height: float = 30) -> None:
        """The title band across the page."""
        self.row(r, height)
        self.put(r, 1, text, self.last_col, font=_font(16, bold=True, color="FFFFFF"), fill=_fill(NAVY),
                 align=Alignment(horizontal="left", vertical="center", indent=1))

    def line(self, r: int, text: str, height: float, *, font: Font, wrap: bool = False,
             border: Border | None = None, fill: PatternFill | None = None) -> None:
        """One text line across the page."""
        self.row(r, height)
        self.put(r, 1, text, self.last_col, font=font, border=border, fill=fill,
                 align=Alignment(horizontal="left", vertical="center", wrap_text=wrap))

    def header(self, r: int, spans: list[tuple[int, int, str]], height: float = 26) -> None:
        """A filled table header; spans are (first column, last column, label)."""
        self.row(r, height)
        for c1, c2, label in spans:
            self.put(r, c1, label, c2, font=_font(9, bold=True, color="FFFFFF"), fill=_fill(NAVY), border=BOX,
                     align=Alignment(horizontal="center", vertical="center", wrap_text=True))

    def region(self, r: int, spans: list[tuple[int, int, str, str]], *, fill: dict[int, str] | None = None,
               wrap: bool | set[str] | frozenset[str] = frozenset(), small: set[str] = frozenset()) -> None:
        """The table's region row; spans are (first column, last column, placeholder, kind).

        kind is ``text``, ``money``, ``date`` or ``mark`` (a centred tick). Cells never wrap and
        shrink a little when the text is a touch too long (the filler already cut it to the width), so
        each record is one line; except the fields of ``wrap`` (``True``: every text field), which
        wrap and are never cut (the filler makes the row as tall as they need); the fields of
        ``small`` are in 8 pt.
        """
        self.row(r, TABLE_ROW_HEIGHT)
        for c1, c2, placeholder, kind in spans:
            horizontal = {"text": "left", "money": "right", "date": "center", "mark": "center"}[kind]
            number_format = {"text": "@", "money": MONEY, "date": DATE, "mark": "@"}[kind]
            colour = (fill or {}).get(c1)
            name = placeholder.split(".")[-1].strip(" }")
            wraps = (wrap is True and kind == "text") or (not isinstance(wrap, bool) and name in wrap)
            self.put(r, c1, placeholder, c2, font=_font(8 if name in small else 9, bold=kind == "mark"), border=BOX,
                     fill=_fill(colour) if colour else None,
                     number_format=number_format if kind != "text" else None,
                     align=Alignment(horizontal=horizontal, vertical="top" if wrap else "center",
                                     shrink_to_fit=not wraps, wrap_text=wraps,
                                     indent=1 if kind == "money" else 0))


def page_setup(ws: Worksheet, last_row: int, last_col: int, instrument: str) -> None:
    """A4 portrait, one page, margins, print area, header and footer with placeholders."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    # 0.3" side margins leave 552 pt: 98 character units of columns print at 100 % in LibreOffice
    # (5.55 pt a unit) and in Excel (5.25 pt a unit).
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = 0.65
    ws.page_margins.bottom = 0.55
    ws.page_margins.header = ws.page_margins.footer = 0.25
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    # No page numbers: LibreOffice counts &P/&N across every sheet of a file.
    for part, text in ((ws.oddHeader.left, "{{ company }}"), (ws.oddHeader.center, "{{ manager }}"),
                       (ws.oddHeader.right, "{{ month }}"),
                       (ws.oddFooter.left, instrument), (ws.oddFooter.right, "{{ company }} · {{ month }}")):
        part.text = text
        part.size = 8
        part.color = GREY
    ws.sheet_view.showGridLines = False
    ws.sheet_view.zoomScale = 100


def widths(ws: Worksheet, values: list[float]) -> None:
    for i, width in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def build_instrument1(lang: str = "ru") -> Workbook:
    """Instrument #1: the 3A figure, the volume to place, what the offers on the page place and what is
    short, the offers (regular clients first), the key clients. Table text wraps, never cut."""
    L = lambda key: label(key, lang)  # noqa: E731
    wb = Workbook()
    ws = wb.active
    ws.title = L("i1.sheet")
    # 98 units: fits A4 portrait at 100 % (see page_setup). The offers use A | B:C | D | E | F, the key
    # clients A | B | C:D | E:F (a wide column to write in).
    widths(ws, [24, 12, 6, 17, 27, 12])
    d = Designer(ws, last_col=6)
    note = _font(8.5, italic=True, color=GREY)
    label_blue = _font(9, color=NAVY)
    label_orange = _font(9, color=BROWN)

    d.band(1, "{{ title }}")
    d.line(2, "{{ manager }} · {{ month }}", 20, font=_font(12, bold=True, color=NAVY))
    d.row(3, 6)

    # The three key figures, large: 3A, the volume to place, what the offers on this page place.
    d.row(4, 16)
    for c1, c2, key, font, colour in ((1, 1, "i1.plan_3a", label_blue, PALE_BLUE),
                                      (2, 4, "i1.offer_volume", label_orange, PALE_ORANGE),
                                      (5, 6, "i1.offers_total", label_blue, PALE_BLUE)):
        d.put(4, c1, L(key), c2, font=font, fill=_fill(colour),
              align=Alignment(horizontal="left", vertical="bottom", indent=1))
    d.row(5, 30)
    for c1, c2, field, colour, fill in ((1, 1, "existing_clients_plan", NAVY, PALE_BLUE),
                                        (2, 4, "offer_volume", BROWN, PALE_ORANGE),
                                        (5, 6, "offers_total", NAVY, PALE_BLUE)):
        d.put(5, c1, "{{ %s }}" % field, c2, font=_font(18, bold=True, color=colour), fill=_fill(fill),
              number_format=MONEY, align=Alignment(horizontal="left", vertical="center", indent=1))
    # Whether the page's offers place the volume; when not, by how much and what would close it.
    d.line(6, "{{ shortfall_note }}", 36, font=_font(9, bold=True, color=BROWN), wrap=True)

    # How the figure came about, small.
    small_label = _font(8, color=GREY)
    d.row(7, 14)
    for c1, c2, text in ((1, 1, L("i1.target")), (2, 4, L("i1.base_plan")),
                         (5, 6, L("i1.gap"))):
        d.put(7, c1, text, c2, font=small_label, align=Alignment(horizontal="left", vertical="bottom", indent=1))
    d.row(8, 17)
    for c1, c2, field in ((1, 1, "target"), (2, 4, "base_plan"), (5, 6, "gap")):
        d.put(8, c1, "{{ %s }}" % field, c2, font=_font(11, bold=True), number_format=MONEY,
              border=Border(bottom=_THIN), align=Alignment(horizontal="left", vertical="center", indent=1))
    d.row(9, 30)
    d.put(9, 1, L("i1.units"), font=_font(9, color=GREY),
          align=Alignment(horizontal="left", vertical="center", indent=1, wrap_text=True))
    d.put(9, 2, "{{ units_text }}", 6, font=_font(10, bold=True),
          align=Alignment(horizontal="left", vertical="center", wrap_text=True))
    d.line(10, L("i1.why"), 24, font=note, wrap=True)
    d.row(11, 6)

    d.line(12, "{{ offers_title }}", 20, font=_font(11, bold=True, color=NAVY), border=UNDERLINE)
    d.header(13, [(1, 1, L("i1.client")), (2, 3, L("i1.buys_now")), (4, 4, L("i1.offer_category")),
                  (5, 5, L("i1.products")), (6, 6, L("i1.volume"))])
    d.region(14, [(1, 1, "{{ offers.client }}", "text"), (2, 3, "{{ offers.buys_now }}", "text"),
                  (4, 4, "{{ offers.offer_category }}", "text"), (5, 5, "{{ offers.products }}", "text"),
                  (6, 6, "{{ offers.volume }}", "money")], wrap=True)
    d.row(15, 16)
    d.put(15, 1, L("i1.offers_sum"), 5, font=_font(9, bold=True), border=BOX,
          align=Alignment(horizontal="right", vertical="center", indent=1))
    d.put(15, 6, "{{ offers_total }}", font=_font(9, bold=True), border=BOX, number_format=MONEY,
          align=Alignment(horizontal="right", vertical="center", indent=1))
    d.row(16, 6)

    d.line(17, L("i1.key_clients"), 20, font=_font(11, bold=True, color=NAVY),
           border=UNDERLINE)
    d.header(18, [(1, 1, L("i1.client")), (2, 2, L("i1.turnover")), (3, 4, L("i1.buys")), (5, 6, L("i1.wishes"))])
    d.region(19, [(1, 1, "{{ key_clients.client }}", "text"), (2, 2, "{{ key_clients.turnover }}", "money"),
                  (3, 4, "{{ key_clients.buys }}", "text"), (5, 6, "{{ key_clients.wishes }}", "text")],
             fill={5: WRITE_IN}, wrap=True)
    d.line(20, "{{ key_clients_note }}", 14, font=note)
    d.line(21, L("i1.keep_at_hand"), 16, font=note)
    page_setup(ws, last_row=21, last_col=6, instrument=L("i1.footer"))
    return wb


#: Instrument #2's sections: table name and (Russian) title; :data:`LABELS` has both languages. Each
#: section has two tables: the program's items (``new``) and the manager's own lines (``new_own``,
#: yellow, always with one blank line to write in).
SECTIONS = tuple((table, label(f"i2.section.{table}")) for table in ("new", "promo", "brands", "sale"))
ITEM_FIELDS = (("item", "text"), ("brand", "text"), ("category", "text"), ("price", "money"),
               ("valid_until", "date"), ("note", "text"), ("clients", "text"), ("mark", "mark"))
#: The hidden columns beside the page: what the program put on each line, read back with the
#: manager's edits (see :mod:`salesplan.inputs.instrument2`).
HIDDEN_FIELDS = ("section", "key", "proposed")
#: Instrument #2's columns that wrap: nothing a manager needs is cut; and those in a smaller font, so
#: that their longest words («Видеорегистраторы») fit a line.
WRAPPING = {"item", "brand", "category", "note", "clients"}
SMALL = {"brand", "category", "note"}


def build_instrument2(lang: str = "ru") -> Workbook:
    """Instrument #2: new products, promotions, high-motivation brands, clearance; the manager's own
    lines and clients in yellow, his «✗» to strike an item."""
    from .inputs.instrument2 import MARKER

    L = lambda key: label(key, lang)  # noqa: E731
    wb = Workbook()
    ws = wb.active
    ws.title = L("i2.sheet")
    last = len(ITEM_FIELDS)
    widths(ws, [22, 9, 14.5, 8, 8.5, 13, 19.5, 3.5])  # 98 units
    for c in range(last + 1, last + 1 + len(HIDDEN_FIELDS)):
        ws.column_dimensions[get_column_letter(c)].width = 12
        ws.column_dimensions[get_column_letter(c)].hidden = True
    d = Designer(ws, last_col=last)
    note = _font(8.5, italic=True, color=GREY)

    d.band(1, L("i2.title"))
    d.line(2, "{{ manager }} · {{ month }}", 20, font=_font(12, bold=True, color=NAVY))
    ws.cell(1, last + 1).value = MARKER  # the hidden column: see salesplan.inputs.instrument2
    ws.cell(2, last + 1).value = "{{ manager }}"
    d.line(3, L("i2.intro"), 24, font=note, wrap=True)
    d.line(4, L("i2.edits"), 14, font=_font(8.5, italic=True, color=BROWN), fill=_fill(WRITE_IN))
    d.row(5, 6)
    d.header(6, [(c, c, "✗" if field == "mark" else L(f"i2.{field}"))
                 for c, (field, _) in enumerate(ITEM_FIELDS, start=1)])
    for c, name in enumerate(HIDDEN_FIELDS, start=last + 1):
        ws.cell(6, c).value = name
    r = 7
    for table, _ in SECTIONS:
        d.row(r, 18)
        d.put(r, 1, L(f"i2.section.{table}"), last, font=_font(10, bold=True, color="FFFFFF"),
              fill=_fill(SECTION_COLOURS[table]), border=BOX,
              align=Alignment(horizontal="left", vertical="center", indent=1))
        ws.cell(r, last + 1).value = f"[{table}]"
        for row, name, yellow in ((r + 1, table, {7, 8}), (r + 2, f"{table}_own", set(range(1, last + 1)))):
            d.region(row, [(c, c, "{{ %s.%s }}" % (name, field), kind)
                           for c, (field, kind) in enumerate(ITEM_FIELDS, start=1)],
                     fill=dict.fromkeys(yellow, WRITE_IN), wrap=WRAPPING, small=SMALL)
            for c, field in enumerate(HIDDEN_FIELDS, start=last + 1):
                ws.cell(row, c).value = "{{ %s.%s }}" % (name, field)
                ws.cell(row, c).number_format = "@"
        r += 3
    d.line(r, "{{ omitted_note }}", 14, font=note)
    ws.cell(r, last + 1).value = "[end]"
    d.line(r + 1, L("i2.footnote"), 16, font=note)
    page_setup(ws, last_row=r + 1, last_col=last, instrument=L("i2.footer"))
    return wb


def build(outdir: Path) -> list[Path]:
    """Write both templates in every language into ``outdir``; returns their paths, Russian first:
    ``instrument1.xlsx``, ``instrument2.xlsx``, ``instrument1.en.xlsx``, ``instrument2.en.xlsx``."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for lang in LANGUAGES:
        for name, make in zip(TEMPLATE_NAMES, (build_instrument1, build_instrument2)):
            path = outdir / localized_template_name(name, lang)
            save(make(lang), path)
            paths.append(path)
    return paths


def save(wb: Workbook, path: Path) -> None:
    """Save ``wb`` like ``wb.save(path)``, with :data:`BUILT` as its time stamps (document properties
    and zip entries), so that the same design always gives the same bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = BUILT.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    copy_stamped(buffer, path, BUILT.timetuple()[:6], {"docProps/core.xml": lambda data: set_times(data, stamp)})


def default_dir() -> Path:
    """The repository's ``templates/`` folder."""
    return Path(__file__).resolve().parents[2] / "templates"


# --- sample pages: the pictures in docs/ and the print tests ------------------------------------------

SAMPLE_CLIENTS = ("ООО «Видеоконтроль-Сервис»", "ООО «СтройМонтажСервис»", "АО «Городские системы безопасности»",
                  "ООО «Охранные технологии»", "ИП Захаров А. В.", "ООО «Телекам»", "ООО «Безопасный город»",
                  "ООО «Интегратор-Плюс»", "ООО «СК Магистраль»", "ООО «Альфа-Монтаж»", "ООО «ТехноЩит»",
                  "ИП Григорьева Н. С.", "ООО «Северный периметр»", "ООО «Домофон-Сервис»", "ООО «Лидер СБ»")
_SAMPLE_OFFERS = (
    ("Камеры видеонаблюдения", "Видеорегистраторы", "HiWatch DS-N208(C), Dahua DHI-NVR2108HS"),
    ("Камеры, регистраторы, СКУД", "Кабель", "КВК-П-2 2х0.75 (200 м), UTP cat.5e"),
    ("Домофоны", "СКУД", "Замок Tantos TS-ML300, кнопка TS-CLACK"),
    ("Камеры, регистраторы, СКУД", "Блоки питания", "Бастион СКАТ-1200, РАПАН-50"),
    ("Камеры видеонаблюдения", "Домофоны", "Комплект видеодомофона Tantos Amelie"),
    ("СКУД, шлагбаумы", "Камеры видеонаблюдения", "HiWatch DS-I452, Dahua HDW2431TP"),
    ("ОПС", "Аккумуляторы", "Delta DTM 1207, DTM 1217"),
)
_SAMPLE_ITEMS = {
    "new": (("Камера IP 4 Мп купольная HiWatch DS-I452", "HiWatch", "Камеры видеонаблюдения", 7290, None,
             "новинка месяца"),
            ("Видеорегистратор 8-кан. Dahua DHI-NVR2108HS-8P-S3", "Dahua", "Видеорегистраторы", 16800, None,
             "PoE на 8 портов"),
            ("Монитор видеодомофона Tantos Marilyn HD", "Tantos", "Домофоны", 12300, None, ""),
            ("Электронный замок Rubetek RL-3320", "Rubetek", "СКУД", 11900, None, "Wi-Fi")),
    "promo": (("Кабель UTP 4PR 24AWG cat.5e (305 м) Rexant", "Rexant", "Кабель", 8690, dt.date(2026, 11, 30),
               "−10% от 5 бухт"),
              ("Аккумулятор Delta DTM 1207", "Delta", "Аккумуляторы", 1450, dt.date(2026, 11, 20), "3 по цене 2"),
              ("Блок питания Бастион СКАТ-1200", "Бастион", "Блоки питания", 3890, dt.date(2026, 12, 15), "−7%"),
              ("Комплект видеодомофона Falcon Eye Cosmo HD", "Falcon Eye", "Домофоны", 16900,
               dt.date(2026, 11, 30), "трубка в подарок"),
              ("Считыватель Proximity Болид Proxy-2МА", "Болид", "СКУД", 2590, dt.date(2026, 12, 31), "")),
    "brands": (("Шлагбаум DoorHan Barrier-4000 (G4000)", "DoorHan", "Шлагбаумы", 98500, None, "бонус 3%"),
               ("Камера IP 4 Мп Hikvision DS-2CD2043G2-IU", "Hikvision", "Камеры видеонаблюдения", 14800, None,
                "бонус 2%"),
               ("Прибор приемно-контрольный Болид Сигнал-20П", "Болид", "ОПС", 9290, None, "бонус 2%")),
    "sale": (("Камера MHD 2 Мп уличная CTV-HDB282A PE", "CTV", "Камеры видеонаблюдения", 2390,
              dt.date(2026, 11, 30), "осталось 40 шт."),
             ("Видеорегистратор гибридный 8-кан. HiWatch DS-H208QA", "HiWatch", "Видеорегистраторы", 7900,
              dt.date(2026, 11, 30), "12 шт."),
             ("Вызывная панель CTV-D4000S", "CTV", "Домофоны", 2890, dt.date(2026, 12, 10), "")),
}


def sample_offers(n: int) -> list[dict[str, object]]:
    """``n`` plausible Instrument #1 offers, largest first."""
    offers = []
    for i in range(n):
        buys, category, products = _SAMPLE_OFFERS[i % len(_SAMPLE_OFFERS)]
        offers.append({"client": SAMPLE_CLIENTS[i % len(SAMPLE_CLIENTS)], "buys_now": buys,
                       "offer_category": category, "products": products, "volume": 186000 - 7000 * (i % 25)})
    return offers


def sample_key_clients(n: int) -> list[dict[str, object]]:
    """``n`` plausible key clients, largest first."""
    return [{"client": SAMPLE_CLIENTS[i % len(SAMPLE_CLIENTS)], "turnover": 2450000 - 160000 * (i % 14),
             "buys": _SAMPLE_OFFERS[i % len(_SAMPLE_OFFERS)][0]} for i in range(n)]


def sample_items(table: str, n: int | None = None) -> list[dict[str, object]]:
    """Plausible Instrument #2 items of one section (all of them, or ``n`` repeating them)."""
    rows = _SAMPLE_ITEMS[table]
    n = len(rows) if n is None else n
    from .words import without_legal_form

    out = []
    for i, r in enumerate(rows[i % len(rows)] for i in range(n)):
        clients = ", ".join(without_legal_form(SAMPLE_CLIENTS[(3 * i + j) % len(SAMPLE_CLIENTS)]) for j in range(3))
        out.append({"item": r[0], "brand": r[1], "category": r[2], "price": r[3], "valid_until": r[4], "note": r[5],
                    "clients": clients, "mark": "", "section": table, "key": r[0], "proposed": clients})
    return out


def sample_pages(manager: str = "Смирнов Алексей", *, offers: int = 15, key_clients: int = 8) -> tuple[Page, Page]:
    """A demo manager's two instrument pages: the pictures in docs/ show them."""
    common = {"manager": manager, "month": "ноябрь 2026", "company": "ООО «ТехноСфера»"}
    page1 = Page(f"{manager} — №1"[:31], fields={
        **common, "target": 2500000, "base_plan": 1680000, "gap": 820000, "existing_clients_plan": 410000,
        "offer_multiplier": 5, "offer_volume": 2050000, "offers_total": 1460000, "shortfall": 590000,
        "title": "ИНСТРУМЕНТ №1 · Что предложить постоянным и разовым клиентам",
        "offers_title": "ЧТО ПРЕДЛОЖИТЬ ПОСТОЯННЫМ (ПЕРВЫМИ) И РАЗОВЫМ КЛИЕНТАМ",
        "shortfall_note": "Не хватает 590 000 ₽: на листе предложения на 1 460 000 ₽ из 2 050 000 ₽, других "
                          "кандидатов нет. Закрыть: добавить правила в «Кросс-продажи» (Настройки) или "
                          "перенести 118 000 ₽ плана из 3А в 3Б.",
        "units_text": "Шлагбаумы — 3 заказа по ≈ 136 000 ₽ / СКУД — 8 заказов по ≈ 51 000 ₽ / "
                      "Домофоны — 14 заказов по ≈ 29 000 ₽",
        "offers_note": "", "key_clients_note": "",
        "offers_empty": "Нет клиентов, которым можно предложить новую категорию",
        "key_clients_empty": "Нет ключевых клиентов"},
        tables={"offers": sample_offers(offers), "key_clients": sample_key_clients(key_clients)})
    page2 = Page(f"{manager} — №2"[:31], fields={
        **common, "omitted_note": "",
        "new_empty": "Новинок в этом месяце нет", "promo_empty": "Действующих акций нет",
        "brands_empty": "Брендов повышенной мотивации нет", "sale_empty": "Распродажи нет"},
        tables={**{table: sample_items(table) for table, _ in SECTIONS},
                **{f"{table}_own": [{"section": table}] for table, _ in SECTIONS}})
    return page1, page2


if __name__ == "__main__":
    made = build(Path(sys.argv[1]) if len(sys.argv) > 1 else default_dir())
    for written in made:
        print(written)
