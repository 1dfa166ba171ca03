"""Instrument #1 tells the truth (issue 16): on a realistic ledger of several managers with thin and
rich cross-sell maps, every №1 sheet prints the offers' total and the shortfall that the result holds,
the Plan tab shows them too, and Config categories that match no sales category are Problems."""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
import pytest

from salesplan import monthly
from salesplan.cli import main
from salesplan.errors import Problem
from salesplan.inputs.config import Config, crosssell_rule
from salesplan.inputs.ledger import ledger_from_frame
from salesplan.method import crosssell
from salesplan.outputs.instruments import abbreviate_legal_form, rub, sheet_names
from salesplan.outputs.render import render
from salesplan.result import to_json
from workbooks import make_workbook

CAMS = "Камеры видеонаблюдения"
RICH = (CAMS, CAMS, "Видеорегистраторы", "Домофоны", "СКУД", "Кабель", "Блоки питания")
THIN = ("ОПС", "Кабель", "Аккумуляторы", "Блоки питания", CAMS)  # the default rules hardly apply
MANAGERS = ("Орлов Павел", "Белова Ирина", "Ткаченко Олег", "Зайцева Нина", "Гусев Артём")


def realistic_rows(seed: int = 3) -> list[list]:
    """About 4 000 sale lines of 5 managers and 400 clients over Jun–Sep 2026 (plan month 2026-10):
    most clients buy one or two categories, some buy many; a few have long legal names. The first
    three managers' clients buy what the default Cross-sell rules start from (a rich map), the last
    two's mostly what they do not (a thin map)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(400):
        manager = MANAGERS[i % len(MANAGERS)]
        pool = RICH if MANAGERS.index(manager) < 3 else THIN
        name = (f"Общество с ограниченной ответственностью «Охранные системы {i:03d}»" if i % 37 == 0
                else f"ООО «Клиент-{i:03d}»")
        n_cats = int(rng.choice([1, 1, 2, 2, 3, 4]))
        cats = list(dict.fromkeys(rng.choice(pool, size=n_cats)))
        months = rng.choice(["06", "07", "08", "09"], size=rng.integers(1, 5), replace=False)
        size = rng.lognormal(10.5, 0.9)
        for month in months:
            for c in cats:
                for _ in range(rng.integers(1, 4)):
                    rows.append([f"{rng.integers(1, 28):02d}.{month}.2026", manager, name, str(c),
                                 round(float(size * rng.uniform(0.3, 1.5)), 2), "отгружен",
                                 f"З-{len(rows)}"])
    return rows


TARGETS = dict(zip(MANAGERS, (8_500_000, 13_000_000, 10_500_000, 9_500_000, 10_000_000)))  # gaps of ~30%


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    path = tmp_path_factory.mktemp("honest") / "book.xlsx"
    make_workbook(path, realistic_rows(), targets=TARGETS, extra=False)
    inputs = monthly.read_workbook_inputs(path)
    return path, inputs, monthly.plan(inputs, monthly.template_paths(path))


def test_every_manager_has_the_figures_and_they_add_up(planned):
    _, _, result = planned
    assert list(result.instrument1) == list(MANAGERS)
    short = 0
    for manager, inst in result.instrument1.items():
        row = result.plan.summary.set_index("manager").loc[manager]
        assert inst.volume_to_place == pytest.approx(row["existing_clients_plan"] * 5)
        assert inst.offered_total == pytest.approx(inst.offers["volume"].sum())
        assert inst.shortfall == pytest.approx(max(0.0, inst.volume_to_place - inst.offered_total))
        assert inst.candidates_total >= inst.offered_total - 1e-6
        # an offer never claims more than half of the client's monthly turnover
        assert (inst.offers["volume"] <= inst.offers["client_turnover"] / 4 * 0.5 + 1e-6).all()
        # spread: no client holds more than half of the offers while others qualify
        if inst.offers["client"].nunique() > 1:
            assert inst.offers["client"].value_counts().max() <= max(2, len(inst.offers) / 2)
        # regular clients first
        flags = list(inst.offers["regular"])
        assert flags == sorted(flags, reverse=True)
        short += inst.shortfall > 0
    assert short >= 1  # a manager whose candidates cannot reach the volume


def test_every_sheet_prints_the_total_and_the_shortfall_of_the_result(planned, tmp_path):
    path, _, result = planned
    out = tmp_path / "planned.xlsx"
    assert main(["plan", str(path), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    plan = wb["План"]
    header = [c.value for c in plan[5]]
    volume_col = next(i for i, h in enumerate(header) if h and h.startswith("№1: разместить"))
    rows = {r[0]: r for r in plan.iter_rows(min_row=6, values_only=True) if r[0] in MANAGERS}
    for manager, inst in result.instrument1.items():
        ws = wb[next(n for n in wb.sheetnames if n.startswith("№1 " + manager.split()[0]))]
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        numbers = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
        # the offers' total is printed twice (the figure on top, the table's total row)
        assert sum(1 for n in numbers if n == pytest.approx(inst.offered_total)) >= 2
        assert rub(inst.offered_total) in " ".join(texts) or inst.volume_to_place <= 0
        if inst.shortfall > 0:
            note = next(t for t in texts if t.startswith("Не хватает"))
            assert note.startswith(f"Не хватает {rub(inst.shortfall)}")
            assert rub(inst.shortfall / 5) in note  # what to move to 3B
            if not inst.left_out_would_close:  # offers left out that would not close the gap: not counted
                assert not any("предложений" in t and "не поместились" in t for t in texts)
        else:
            assert any(t.startswith("Предложений на листе хватает") for t in texts)
        # the page's offers, as the result holds them, with whole client names
        clients = [abbreviate_legal_form(c) for c in inst.offers["client"]]
        assert all(c in texts for c in clients)
        assert not any(t.endswith("…") for t in texts)
        # the Plan tab: to place, offered, short by
        row = rows[manager]
        assert row[volume_col:volume_col + 3] == pytest.approx(
            (inst.volume_to_place, inst.offered_total, inst.shortfall))


def test_a_config_category_missing_from_the_sales_is_a_problem(tmp_path):
    # the shipped Config's rules say «Камеры видеонаблюдения»; these sales say «Камеры»
    rows = [[f"05.{m}.2026", "Иванов", f"ООО «К{i}»", "Камеры" if i % 2 else "СКУД", 50000 + i, "отгружен", ""]
            for i in range(6) for m in ("07", "08", "09")]
    book = make_workbook(tmp_path / "b.xlsx", rows, targets={"Иванов": 600000}, extra=False)
    assert main(["plan", str(book), "--json", str(tmp_path / "plan.json")]) == 0
    inputs = monthly.read_workbook_inputs(book)
    found = [p for p in monthly.category_problems(inputs) if p.value == CAMS]
    # the JSON's problems carry them too, with sheet, row, column and the message
    exported = [p for p in json.loads((tmp_path / "plan.json").read_text("utf-8"))["problems"] if p["value"] == CAMS]
    assert len(exported) == 2 and all(p["sheet"] == "Настройки" and p["row"] for p in exported)
    assert all("похожие: «Камеры»" in p["message"] for p in exported)
    assert {p.column for p in found} == {"Если клиент покупает"}  # both default rules start from it
    assert found[0].text() == (f"«{CAMS}» — в продажах нет такой категории; похожие: «Камеры». "
                               "Исправьте название, иначе правило не сработает.")
    wb = openpyxl.load_workbook(book)
    problems = [r for r in wb["Проблемы"].iter_rows(values_only=True) if r[3] == CAMS]
    assert len(problems) == 2 and all(r[0] == "Настройки" and isinstance(r[1], int) for r in problems)
    assert "похожие: «Камеры»" in problems[0][4]
    # the rest of the plan is still made
    assert any(n.startswith("№1 ") for n in wb.sheetnames) and "План" in wb.sheetnames


def test_exclusions_and_catalog_categories_are_checked_too():
    ledger, _ = ledger_from_frame(pd.DataFrame({"Дата": ["10.09.2026"] * 2, "Менеджер": ["И"] * 2,
                                                "Клиент": ["А", "Б"], "Категория": ["Камеры", "СКУД"],
                                                "Сумма": [100.0, 200.0]}, dtype=object), Config().statuses)
    config = Config()
    config.crosssell = [crosssell_rule("камеры", "скуд", row=5)]
    config.exclusions = pd.DataFrame({"client": ["А", "Б"], "category": ["шлагбаумы", "*"], "reason": ["", ""],
                                      "row": [9, 10], "category_text": ["Шлагбаумы", "все"]})
    catalog = pd.DataFrame({"row": [2, 3, 4], "category": ["СКУД ", "Скуды", ""], "item": ["x", "y", "z"]})
    inputs = monthly.Inputs(ledger, config, [], 2, catalog=catalog)
    problems = monthly.category_problems(inputs)
    assert [(p.sheet, p.row, p.column, p.value, p.key) for p in problems] == [
        ("Настройки", 9, "Категория (или «все»)", "Шлагбаумы", "prob.category_unknown_none"),
        ("Каталог", 3, "Категория", "Скуды", "prob.category_unknown")]
    assert "«Камеры», «СКУД»" in problems[0].text()
    assert problems[1].fields["similar"] == "«СКУД»"


def test_unmatched_categories_use_the_one_normaliser():
    got = crosssell.unmatched_categories([(1, " камеры "), (2, "Камеры видеонаблюдения"), (3, "ЁЛКИ")],
                                         ["Камеры", "Елки", "Кабель"])
    assert got == [(2, "Камеры видеонаблюдения", ["Камеры"])]
    assert crosssell.unmatched_categories([(1, "Камеры")], [""]) == []  # a ledger without categories


def test_legal_forms_are_abbreviated_never_cut():
    assert abbreviate_legal_form("Общество  с ограниченной ответственностью «Альфа»") == "ООО «Альфа»"
    assert abbreviate_legal_form("Индивидуальный предприниматель Петров П. П.") == "ИП Петров П. П."
    assert abbreviate_legal_form("ООО «Альфа»") == "ООО «Альфа»"


def test_problem_is_a_value():
    assert isinstance(Problem("Настройки", 1, "", "x", "prob.category_unknown", {"value": "x", "similar": ""}).text(),
                      str)


def test_offers_left_off_the_page_are_counted_only_when_they_would_close_the_gap():
    from salesplan.method.instruments import Instrument1
    from salesplan.outputs.instruments import shortfall_text

    def inst(candidates_total, left_out):
        return Instrument1("И", 100000.0, 500000.0, pd.DataFrame(), 300000.0, 200000.0, candidates_total,
                           left_out, candidates_total - 300000.0, [], "regular", pd.DataFrame())

    closes = shortfall_text(inst(650000.0, 12), 0.05, 5, "ru")
    assert closes == (f"Не хватает {rub(200000)}: на листе предложения на {rub(300000)} из {rub(500000)}. Ещё 12 "
                      f"предложений на {rub(350000)} не поместились на лист (их хватило бы); или перенесите "
                      f"{rub(40000)} плана из 3А в 3Б.")
    short = shortfall_text(inst(450000.0, 12), 0.05, 5, "ru")
    assert "не поместились" not in short and rub(40000) in short
    assert f"все кандидаты вместе дали бы лишь {rub(450000)}" in short
    alone = shortfall_text(inst(300000.0, 0), 0.05, 5, "ru")
    assert "других кандидатов нет" in alone and rub(40000) in alone
    enough = Instrument1("И", 100000.0, 500000.0, pd.DataFrame(), 520000.0, 0.0, 900000.0, 30, 380000.0, [],
                         "mixed", pd.DataFrame())
    assert shortfall_text(enough, 0.05, 5, "ru").startswith("Предложений на листе хватает")

def test_the_json_carries_what_the_a4_sheets_and_the_long_list_print(planned, tmp_path):
    """Per manager: Instrument #1's figures and offers as the №1 sheet prints them, Instrument #2's
    lines, the long list's entries; the figures agree with the sheets."""
    path, _, result = planned
    out = tmp_path / "tabs.xlsx"
    render(result, monthly.template_paths(path), out)
    exported = json.loads(json.dumps(to_json(result), ensure_ascii=False))
    wb = openpyxl.load_workbook(out)
    assert any(m["instrument1"]["offers"] for m in exported["managers"])
    for manager in exported["managers"]:
        first = manager["instrument1"]
        inst = result.instrument1[manager["manager"]]
        assert first["volume_to_place"] == pytest.approx(inst.volume_to_place)
        assert first["offered_total"] == pytest.approx(sum(o["volume"] for o in first["offers"]), abs=0.05)
        assert first["shortfall"] == pytest.approx(max(0.0, first["volume_to_place"] - first["offered_total"]),
                                                   abs=0.05)
        names1 = sheet_names([m["manager"] for m in exported["managers"]], 1, "ru")
        names2 = sheet_names([m["manager"] for m in exported["managers"]], 2, "ru")
        sheet = wb[names1[manager["manager"]]]
        printed = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert all(any(o["category"] in p for p in printed) for o in first["offers"])
        if first["shortfall"] > 0:
            assert any(first["note"][:20] in p for p in printed)
        lines = manager["instrument2"]["items"]
        second = [str(c.value) for row in wb[names2[manager["manager"]]].iter_rows() for c in row if c.value]
        assert all(any(line["item"] in p for p in second) for line in lines)
        assert manager["long_list"] == result.lists.long.entries_of(manager["manager"])
