"""The English instrument templates: built with the Russian ones from one description, chosen by the
workbook's language, printed as exactly two A4 pages per manager."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from salesplan import templates_build
from salesplan.cli import main
from salesplan.monthly import template_paths
from salesplan.outputs.instruments import TEMPLATE_NAMES, localized_template_name, template_path
from salesplan.outputs.pdf import page_info
from salesplan.outputs.templates import PLACEHOLDER, page_capacity, template_placeholders

REPO = Path(__file__).resolve().parents[1]
RUSSIAN = tuple(REPO / "templates" / name for name in TEMPLATE_NAMES)
ENGLISH = (REPO / "templates" / "instrument1.en.xlsx", REPO / "templates" / "instrument2.en.xlsx")
A4 = (595.3, 841.9)


def texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def has_cyrillic(text: str) -> bool:
    return any("а" <= ch.lower() <= "я" or ch in "ёЁ№" for ch in text)


# --- the templates --------------------------------------------------------------------------------

@pytest.mark.parametrize("ru, en", list(zip(RUSSIAN, ENGLISH)), ids=["instrument1", "instrument2"])
def test_english_templates_ask_for_the_same_placeholders_and_tables(ru, en):
    a, b = template_placeholders(ru), template_placeholders(en)
    assert a.fields == b.fields
    assert a.tables == b.tables
    assert a.rows == b.rows
    assert page_capacity(ru) == page_capacity(en) > 0


@pytest.mark.parametrize("ru, en", list(zip(RUSSIAN, ENGLISH)), ids=["instrument1", "instrument2"])
def test_english_templates_have_the_russian_layout_and_english_words(ru, en):
    a, b = openpyxl.load_workbook(ru).worksheets[0], openpyxl.load_workbook(en).worksheets[0]
    assert {m.coord for m in a.merged_cells.ranges} == {m.coord for m in b.merged_cells.ranges}
    assert {k: d.height for k, d in a.row_dimensions.items()} == {k: d.height for k, d in b.row_dimensions.items()}
    assert {k: d.width for k, d in a.column_dimensions.items()} == {k: d.width for k, d in b.column_dimensions.items()}
    assert a.print_area.split("!")[1] == b.print_area.split("!")[1]
    assert (a.page_setup.paperSize, a.page_setup.orientation) == (b.page_setup.paperSize, b.page_setup.orientation)
    styles = lambda ws: {(c.coordinate, c.number_format, c.font.b, c.font.sz, c.fill.fgColor.rgb)  # noqa: E731
                         for row in ws.iter_rows() for c in row}
    assert styles(a) == styles(b)
    words = texts(b) + [b.title, b.oddFooter.left.text]
    assert not [w for w in words if has_cyrillic(w)]
    # Instrument #1's title names who is on the page: the program fills it in either language
    assert texts(b)[0] == "{{ title }}" or texts(b)[0].startswith("INSTRUMENT #2")


def test_every_label_has_both_languages():
    for key, (ru, en) in templates_build.LABELS.items():
        assert ru and en and has_cyrillic(ru) and not has_cyrillic(en), key
        assert sorted(PLACEHOLDER.findall(ru)) == sorted(PLACEHOLDER.findall(en)), key


def test_the_builder_writes_all_four_files_reproducibly(tmp_path):
    first = templates_build.build(tmp_path / "a")
    second = templates_build.build(tmp_path / "b")
    assert [p.name for p in first] == ["instrument1.xlsx", "instrument2.xlsx",
                                       "instrument1.en.xlsx", "instrument2.en.xlsx"]
    for x, y in zip(first, second):
        assert x.read_bytes() == y.read_bytes(), x.name
    for built in first:  # the committed files are what the builder makes, byte for byte
        assert built.read_bytes() == (REPO / "templates" / built.name).read_bytes(), built.name
    with zipfile.ZipFile(first[2]) as z:
        assert any(b"Instrument #1" in z.read(name) for name in z.namelist())


# --- which template a workbook gets ---------------------------------------------------------------

def test_template_path_prefers_a_restyled_copy_then_the_shipped_one_then_russian(tmp_path):
    assert localized_template_name("instrument1.xlsx", "en") == "instrument1.en.xlsx"
    assert localized_template_name("instrument1.xlsx", "ru") == "instrument1.xlsx"
    assert template_path("instrument1.xlsx", [], "en").name == "instrument1.en.xlsx"
    assert template_path("instrument1.xlsx", []).name == "instrument1.xlsx"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "instrument1.en.xlsx").write_bytes(ENGLISH[0].read_bytes())
    (folder / "instrument2.xlsx").write_bytes(RUSSIAN[1].read_bytes())
    assert template_paths(tmp_path / "book.xlsx", "en") == (folder / "instrument1.en.xlsx", ENGLISH[1].resolve())
    assert template_paths(tmp_path / "book.xlsx") == (RUSSIAN[0].resolve(), folder / "instrument2.xlsx")
    assert template_paths(tmp_path / "book.xlsx", "ru") == template_paths(tmp_path / "book.xlsx")


def test_a_language_without_its_own_template_falls_back_to_russian(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "instrument1.xlsx").write_bytes(RUSSIAN[0].read_bytes())
    assert template_path("instrument1.xlsx", [folder], "de") == folder / "instrument1.xlsx"
    assert template_path("instrument2.xlsx", [folder], "de") == RUSSIAN[1].resolve()


# --- an English workbook --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def english_book(demo_workbooks, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("en") / "demo.xlsx"
    shutil.copyfile(demo_workbooks(lang="en", suffix=".xlsx"), path)
    assert main(["plan", str(path)]) == 0
    return path


@pytest.mark.slow
def test_an_english_workbook_gets_english_instrument_sheets(english_book):
    wb = openpyxl.load_workbook(english_book)
    first = [n for n in wb.sheetnames if n.startswith("#1 ")]
    second = [n for n in wb.sheetnames if n.startswith("#2 ")]
    assert first and len(first) == len(second)
    assert not [n for n in wb.sheetnames if n.startswith("№")]
    for name in first:
        words = texts(wb[name])
        assert any(w.startswith("INSTRUMENT #1") for w in words), name
        assert "3A plan: more sales to clients" in words
        assert "What else should we stock?" in words
        assert not any("ИНСТРУМЕНТ" in w or "Клиент" == w for w in words)
        assert wb[name].oddFooter.left.text == "Instrument #1"
    for name in second:
        words = texts(wb[name])
        assert any(w.startswith("INSTRUMENT #2") for w in words), name
        assert {"NEW PRODUCTS", "CURRENT PROMOTIONS", "HIGH-MOTIVATION BRANDS", "CLEARANCE"} <= set(words)


@pytest.mark.slow
def test_a_russian_workbook_still_gets_russian_sheets(demo_copy):
    path = demo_copy("demo.xlsm")
    assert main(["plan", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    first = [n for n in wb.sheetnames if n.startswith("№1 ")]
    assert first
    assert any(w.startswith("ИНСТРУМЕНТ №1") for w in texts(wb[first[0]]))


@pytest.mark.slow
@pytest.mark.libreoffice
def test_english_instruments_print_as_two_a4_pages(english_book, tmp_path):
    out = tmp_path / "pdf"
    assert main(["pdf", str(english_book), "--out", str(out)]) == 0
    pdfs = sorted(out.glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        pages = page_info(pdf)
        assert len(pages) == 2, (pdf, pages)
        for width, height in pages:
            assert abs(width - A4[0]) < 1.5 and abs(height - A4[1]) < 1.5, (pdf, width, height)
