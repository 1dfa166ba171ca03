"""The month's result and its one render path: the result is complete before any writer runs, each
writer reads the result alone, and --json serialises the same object the tabs show."""

import dataclasses
import datetime as dt
import json

import openpyxl
import pytest

from salesplan import monthly
from salesplan.ooxml.peek import sheet_marks
from salesplan.outputs import dashboard, lists, tabs
from salesplan.outputs.render import PLAN_TABS, owned_sheets, render, render_plan_tabs
from salesplan.result import MonthResult, to_json
from salesplan.texts import names
from workbooks import make_workbook, simple_sales

BUILT = dt.datetime(2026, 10, 14, 9, 30)


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> MonthResult:
    folder = tmp_path_factory.mktemp("render")
    book = make_workbook(folder / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})
    inputs = monthly.read_workbook_inputs(book)
    return monthly.plan(inputs, monthly.template_paths(book), today=dt.date(2026, 10, 14), built=BUILT)


def values(path, sheet: str) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def test_the_result_holds_every_table_and_cannot_be_changed_after_planning(result):
    assert result.managers == ["Иванов", "Петров"]
    assert set(result.instrument1) == set(result.instrument2) == {"Иванов", "Петров"}
    assert set(result.progress.managers["manager"]) == {"Иванов", "Петров"}
    assert list(result.lists.long.stats["manager"]) == ["Иванов", "Петров"]
    assert result.built == BUILT
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.progress = None  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.plan.summary = None  # type: ignore[misc]


def test_each_writer_reads_the_result_alone_so_their_order_does_not_matter(result, tmp_path):
    """Every plan tab written on its own, in a book of its own, is the tab of the full render."""
    full = tmp_path / "full.xlsx"
    written = render_plan_tabs(full, result)
    assert written == [names(key)[0] for key in PLAN_TABS]
    plan, month, lang = result.plan, result.plan.plan_month, result.lang
    limits = (plan.params["long_list_min"], plan.params["long_list_max"])
    plan_3b = dict(zip(plan.summary["manager"], plan.summary["new_clients_plan"]))
    alone = {
        "sheet.plan": lambda b, fm: tabs.write_plan_tab(b, fm, plan, lang, result.built, result.skipped,
                                                        result.warnings, result.lists.long.entries,
                                                        result.instrument1),
        "sheet.calls": lambda b, fm: tabs.write_calls_tab(b, fm, plan, lang, result.progress, result.notes),
        "sheet.open_orders": lambda b, fm: tabs.write_open_orders_tab(b, fm, plan, lang, result.notes),
        "sheet.long_list": lambda b, fm: lists.write_long_list_tab(b, fm, result.lists.long, month, lang, plan_3b,
                                                                  limits),
        "sheet.short_list": lambda b, fm: lists.write_short_list_tab(b, fm, result.lists.short, month, lang,
                                                                    plan_3b, result.managers),
        "sheet.list_summary": lambda b, fm: lists.write_summary_tab(b, fm, result.lists.long, result.lists.left,
                                                                    month, lang, plan.params["long_list_min"]),
        "sheet.list_archive": lambda b, fm: lists.write_archive_tab(b, fm, result.lists.archive, lang),
        "sheet.notes_archive": lambda b, fm: lists.write_notes_archive_tab(b, fm, result.notes.archive, lang),
        "sheet.dashboard": lambda b, fm: dashboard.write_dashboard_tab(b, fm, plan, result.progress, lang,
                                                                       result.built),
        "sheet.problems": lambda b, fm: tabs.write_problems_tab(b, fm, list(result.problems), result.rows_read,
                                                                lang, result.sales_sheet),
    }
    assert list(alone) == list(PLAN_TABS)
    for key in reversed(PLAN_TABS):  # the other way round, each alone
        path = tmp_path / f"{key}.xlsx"
        book = tabs.new_book(path)
        fm = tabs.Formats(book)
        alone[key](book, fm)
        book.close()
        from salesplan.ooxml.worksheet import insert_blocks

        insert_blocks(path, fm.blocks)
        sheet = names(key)[0]
        assert values(path, sheet) == values(full, sheet), sheet


def test_render_writes_the_plan_tabs_then_every_instrument_1_then_every_instrument_2(result, tmp_path):
    out = tmp_path / "tabs.xlsx"
    written = render(result, monthly.template_paths(tmp_path / "x.xlsm"), out)
    assert written == [names(k)[0] for k in PLAN_TABS] + ["№1 Иванов", "№1 Петров", "№2 Иванов", "№2 Петров"]
    assert openpyxl.load_workbook(out).sheetnames == written
    # Every tab carries the program's mark under its own name: the program owns exactly these, and
    # a user's tab is never among them, whatever its name.
    marks = sheet_marks(out)
    assert marks == {name: name for name in written}
    owned = owned_sheets(written + ["Мои заметки", "Plan", "#1 план"], marks)
    assert owned == set(written)


def test_the_json_is_the_result_the_tabs_show(result, tmp_path):
    out = tmp_path / "tabs.xlsx"
    render_plan_tabs(out, result)
    exported = json.loads(json.dumps(to_json(result), ensure_ascii=False))
    shown = {row[0]: row for row in values(out, "План") if row and row[0] in result.managers}
    for manager in exported["managers"]:
        row = shown[manager["manager"]]
        assert row[1] == manager["target"] and row[3] == pytest.approx(manager["regular_plan"])
        assert row[7] == manager["open_orders"]["count"]  # beside the funnel plan (row[6])
        assert row[10] == pytest.approx(manager["gap"])


@pytest.mark.parametrize("count", [2, 40])  # written row by row, and in bulk by the splice
def test_problem_rows_are_as_tall_as_their_wrapped_text(result, tmp_path, count):
    from salesplan.errors import Problem

    long_key = "prob.tab_kept"  # a message of about 100 characters with these fields
    problems = tuple(Problem("Продажи", 10 + i, "Сумма", "x",
                             long_key if i % 2 == 0 else "prob.block_missing",
                             {"tab": "Т" * (60 if i % 2 == 0 else 1), "new": "Н" * 200, "block": "Б"})
                     for i in range(count))
    shown = dataclasses.replace(result, problems=problems)
    out = tmp_path / "book.xlsm"
    make_workbook(out, simple_sales(), targets={"Иванов": 150000, "Петров": 100000})
    from salesplan.outputs.workbook import save_with_tabs

    rows: list = []
    save_with_tabs(out, out, lambda path: render_plan_tabs(path, shown, rows), set(), keep_backups=0, rows=rows)
    ws = openpyxl.load_workbook(out)["Проблемы"]
    width = ws.column_dimensions["E"].width
    for i, problem in enumerate(problems):
        r = 5 + i
        text = ws.cell(r, 5).value
        assert text == problem.text("ru")
        lines = -(-len(text) // int(80 * 1.1))
        assert width >= 80 and lines >= 2 or lines == 1
        if lines > 1:
            assert ws.row_dimensions[r].height == pytest.approx(15 * lines), (r, text)
        else:
            assert ws.row_dimensions[r].height in (None, 15)



def sheet_parts(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/")}


@pytest.mark.parametrize("user_tab", [None, "№2 Петров"])
def test_instrument_2_made_beside_the_plan_is_what_the_render_would_make(tmp_path, monkeypatch, user_tab):
    """The plan makes Instrument #2's sheets as soon as their content is known; the render takes
    them, and forks no process of its own for them, and the workbook is the same as when the render
    makes them. A user's tab with a №2 sheet's name renames it the same way in both."""
    from salesplan.outputs import render as render_module
    from salesplan.outputs.render import EarlyInstrument2, place_tabs

    book = make_workbook(tmp_path / "plan.xlsm", simple_sales(), targets={"Иванов": 150000, "Петров": 100000})
    inputs = monthly.read_workbook_inputs(book)
    sheet_names = [*inputs.sheet_names, *([user_tab] if user_tab else [])]
    templates = monthly.template_paths(book)
    outs = []
    for beside in (True, False):
        early = EarlyInstrument2(templates[1], tmp_path / f"early-{beside}.xlsx", tuple(sheet_names), {})
        planned = monthly.plan(inputs, templates, today=dt.date(2026, 10, 14), built=BUILT,
                               early=early if beside else None)
        assert (early.made is not None) == beside
        planned, placement = place_tabs(planned, sheet_names, {})
        assert ("№2 Петров" in placement.renamed) == bool(user_tab)
        forked = []
        real = render_module.Beside

        def counted(work, real=real, forked=forked):
            forked.append(work)
            return real(work)

        monkeypatch.setattr(render_module, "Beside", counted)
        out = tmp_path / f"tabs-{beside}.xlsx"
        written = render(planned, templates, out, renamed=placement.renamed, early=early if beside else None)
        monkeypatch.setattr(render_module, "Beside", real)
        assert len(forked) == (1 if beside else 2)
        outs.append((written, sheet_parts(out)))
    assert outs[0] == outs[1]
    assert [n for n in outs[0][0] if n.startswith("№2")] == ["№2 Иванов", "№2 Петров (2)" if user_tab else "№2 Петров"]


def test_instrument_2_made_under_other_names_or_not_at_all_is_made_by_the_render(result, tmp_path):
    from salesplan.outputs.render import EarlyInstrument2

    templates = monthly.template_paths(tmp_path / "x.xlsm")
    plain = render(result, templates, tmp_path / "plain.xlsx")
    stale = EarlyInstrument2(templates[1], tmp_path / "missing.xlsx", (), {}, made=({"№2 Иванов": "x"}, ["x"]))
    assert render(result, templates, tmp_path / "stale.xlsx", early=stale) == plain
    broken = EarlyInstrument2(tmp_path / "no-template.xlsx", tmp_path / "early.xlsx", (), {})
    assert broken.make(result.instrument2, result.plan, result.lang) is None
    assert render(result, templates, tmp_path / "none.xlsx", early=broken) == plain
    assert sheet_parts(tmp_path / "none.xlsx") == sheet_parts(tmp_path / "plain.xlsx")
