"""The method check (issue 20): past months planned from the rows before them and compared.

The first ledgers are made so that the truth is known: one-time clients bring exactly 30% of the
remainder every month, and Instrument #1's offers convert exactly 1 in 4. The backtest must find
those numbers; and it must plan a month the same whatever the ledger holds from that month on.
"""

from __future__ import annotations

import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from helpers import ledger, targets
from salesplan.cli import main
from salesplan.inputs.config import Config, crosssell_rule
from salesplan.method.backtest import OwnersByMonth, backtest
from salesplan.method.pairs import pairs
from salesplan.method.plan import plan_month
from salesplan.method.turnover import client_month_turnover, client_owners
from salesplan.months import month_label, parse_label
from salesplan.ooxml.peek import sheet_marks
from workbooks import make_workbook

FIRST = parse_label("2025-01")
PLAN = parse_label("2026-05")   # the plan month: 2025-05 .. 2026-04 are tested
REGULAR = [f"ООО «Постоянный-{i}»" for i in range(8)]


def day(month: int, d: int = 10) -> str:
    label = month_label(month)
    return f"{d:02d}.{label[5:]}.{label[:4]}"


def one_time_amounts() -> dict[int, float]:
    """o[M] = 0.3 × mean(o[M-4 .. M-1]) from M = FIRST + 4 on: with regular clients whose plan is
    their whole turnover, the remainder of M is mean(o[M-4 .. M-1]), so 30% of it comes each month."""
    amounts = {FIRST + i: 4_000_000.0 + 250_000.0 * i for i in range(4)}
    for month in range(FIRST + 4, PLAN + 1):
        amounts[month] = 0.3 * sum(amounts[month - k] for k in range(1, 5)) / 4
    return amounts


def truth_rows(last: int = PLAN) -> list[tuple]:
    """One manager, Иванов. Eight regular clients buy 100 000 of cameras every month; in each even
    month two of them (a different pair each time) also buy one DVR for 1 000 — the only offer
    (Камеры → Видеорегистраторы) that converts, 2 of 8 within any month and the next. A new
    one-time client buys cable each month for o[M] (:func:`one_time_amounts`)."""
    rows = []
    amounts = one_time_amounts()
    for month in range(FIRST, last):
        for client in REGULAR:
            rows.append((day(month), "Иванов", client, "Камеры видеонаблюдения", 100_000))
        if month % 2 == 0:
            pair = (month // 2) % 4
            for client in REGULAR[2 * pair: 2 * pair + 2]:
                rows.append((day(month, 20), "Иванов", client, "Видеорегистраторы", 1_000))
        rows.append((day(month, 15), "Иванов", f"ИП Разовый-{month}", "Кабель", round(amounts[month], 6)))
    return rows


RULES = [crosssell_rule("Камеры видеонаблюдения", "Видеорегистраторы")]


def run(rows, months: int = 12, plan: int = PLAN, **params):
    config = Config().with_params(**params)
    return backtest(ledger(rows, config), config.params, plan, months, rules=RULES)


@pytest.fixture(scope="module")
def truth():
    return run(truth_rows())


def test_one_time_clients_bring_exactly_30_percent_of_the_remainder_and_the_backtest_finds_it(truth):
    amounts = one_time_amounts()
    assert truth.tested == list(range(PLAN - 12, PLAN)) and truth.skipped == []
    for row in truth.months.to_dict("records"):
        month = row["month"]
        remainder = sum(amounts[month - k] for k in range(1, 5)) / 4
        assert row["remainder"] == pytest.approx(remainder, rel=1e-9)
        assert row["funnel_plan"] == pytest.approx(0.2 * remainder, rel=1e-9)
        assert row["one_time_actual"] == pytest.approx(amounts[month], rel=1e-9)
        assert row["remainder_share"] == pytest.approx(0.3, rel=1e-9)
        assert row["regular_clients"] == 8 and row["regular_bought"] == 8
    cal = truth.calibration
    assert cal.funnel_rate_met == pytest.approx(0.3, rel=1e-9)
    assert (cal.funnel_config_met, cal.funnel_months) == (12, 12)  # 0.20 ≤ 0.30 every month


def test_offers_converting_1_in_4_give_conversion_25_percent_and_multiplier_4(truth):
    known = truth.months[truth.months["month"] < PLAN - 1]
    assert list(known["offers"]) == [8] * 11          # every regular client: cameras, no DVRs to speak of
    assert list(known["offers_bought"]) == [2] * 11   # two of them within the month and the next
    assert list(known["conversion"]) == [0.25] * 11
    last = truth.months[truth.months["month"] == PLAN - 1].iloc[0]
    # The next month is the plan month: not over, so no conversion is claimed for the last one.
    assert last["conversion"] is None and "bt.note.offers_pending" in last["notes"]
    cal = truth.calibration
    assert (cal.offers, cal.offers_bought, cal.conversion, cal.suggested_multiplier) == (88, 22, 0.25, 4.0)


def test_regular_min_months_is_judged_by_what_the_regular_clients_bought(truth):
    regular = truth.calibration.regular.set_index("minimum")
    # 4 of 4 and 3 of 4 pick the eight regular clients in each of the 12 months; all of them bought.
    assert regular.loc[3, "clients"] == 96 and regular.loc[3, "bought"] == 96
    # 1 of 4 adds the four one-time clients of the window, none of whom bought again.
    assert regular.loc[1, "clients"] == 96 + 48 and regular.loc[1, "bought"] == 96
    assert regular.loc[1, "bought_share"] == pytest.approx(96 / 144)
    assert truth.calibration.regular_verdict == "good"


def test_no_look_ahead_rows_from_the_tested_month_on_do_not_change_its_plan(truth):
    tested = PLAN - 6
    extra = []
    for month in range(tested, PLAN):
        # A huge new client, a regular client moved to another manager, a new manager, open orders.
        extra.append((day(month, 3), "Петров", "АО «Огромный»", "СКУД", 9_000_000))
        extra.append((day(month, 4), "Петров", REGULAR[0], "Кабель", 5_000))
        extra.append((day(month, 5), "Сидорова", "ООО «Новое»", "Кабель", 70_000, "ожидает оплаты", f"Н-{month}"))
    rows = [r for r in truth_rows() if parse_label(_label(r[0])) < tested] + extra
    changed = run(rows)
    plan_columns = ["manager", "regular_clients", "regular_plan", "remainder", "funnel_plan", "base_plan", "offers"]
    before = truth.months[truth.months["month"] == tested].set_index("manager")
    after = changed.months[changed.months["month"] == tested].set_index("manager")
    assert before.loc["Иванов", plan_columns[1:]].tolist() == after.loc["Иванов", plan_columns[1:]].tolist()
    assert after.loc["Иванов", "regular_actual"] != before.loc["Иванов", "regular_actual"]
    # The newcomers are compared (their actual is there), with no plan of their own.
    # The moved client's cable counts for Иванов, its owner on the first day of the month.
    assert after.loc["Петров", "base_plan"] == 0 and after.loc["Петров", "actual"] == 9_000_000
    assert after.loc["Петров", "regular_fit"] is None and "bt.note.new_manager" in after.loc["Петров", "notes"]


def _label(date: str) -> str:
    d, m, y = date.split(".")
    return f"{y}-{m}"


def test_each_month_is_planned_as_plan_month_plans_it_from_the_rows_before_it(demo_ledger):
    """The backtest's fast path (one sort, one turnover table) against the engine itself on the
    rows before each month, for a demo company of many managers and clients."""
    frame, config = demo_ledger
    plan = parse_label("2026-11")
    result = backtest(frame, config.params, plan, 6, assigned_owners=config.owners, rules=config.crosssell)
    for month in result.tested:
        engine = plan_month(frame[frame["month"] < month], config.with_params(plan_month=month_label(month)).params,
                            targets(), config.owners, config.tiers).summary.set_index("manager")
        mine = result.months[result.months["month"] == month].set_index("manager")
        planned = engine[engine["window_turnover"] != 0].index
        for column in ("regular_clients", "regular_plan", "remainder", "funnel_plan", "base_plan"):
            assert mine.loc[planned, column].tolist() == pytest.approx(engine.loc[planned, column].tolist()), column


def test_owners_before_each_month_are_client_owners_of_the_rows_before_it(demo_ledger):
    frame, config = demo_ledger
    owners = OwnersByMonth(frame, config.owners)
    for month in range(parse_label("2025-06"), parse_label("2026-12"), 5):
        expected = client_owners(frame[frame["month"] < month], config.owners)
        assert owners.before(month).sort_index().to_dict() == expected.sort_index().to_dict()


@pytest.fixture(scope="module")
def demo_ledger():
    from salesplan.demo import demo_config
    from salesplan.demo_data import make_demo
    from salesplan.inputs.ledger import ledger_from_frame

    data = make_demo("2026-11", scale=0.5)
    config = demo_config(data, "2026-11")
    frame, _ = ledger_from_frame(data.ledger, config.statuses)
    return frame, config


def test_pairs_of_a_real_sized_company_rate_every_rule_of_a_rich_table_and_fill_a_thin_one(demo_ledger):
    from salesplan.demo import DEMO_CROSSSELL

    frame, config = demo_ledger
    turnover = client_month_turnover(frame[frame["month"].between(parse_label("2025-11"), parse_label("2026-10"))],
                                     category=True)
    rich = [crosssell_rule(w, o) for w, o in DEMO_CROSSSELL]
    rated = pairs(turnover, rich, 0.05, min_clients=10)
    in_table = rated[rated["in_config"]]
    assert len(in_table) == sum(len(rule.offer) for rule in rich)  # every (condition, offer), none dropped
    assert set(in_table["verdict"]) <= {"supported", "not_supported"}
    assert ((in_table["verdict"] == "supported") == ((in_table["lift"].fillna(0) > 1) & (in_table["clients"] >= 10))).all()
    thin = pairs(turnover, [], 0.05, min_clients=10)
    assert len(thin) == 15 and (thin["verdict"] == "missing").all() and (thin["lift"] >= 1.2).all()
    assert list(thin["lift"]) == sorted(thin["lift"], reverse=True)


# --- too little history, managers who come and go, a month without sales -------------------------


def test_months_with_too_little_history_are_skipped_and_say_why():
    result = run(truth_rows(), months=15)
    assert [(month_label(m), key, f) for m, key, f in result.skipped] == [
        ("2025-02", "bt.skip_history", {"have": 1, "window": 4}),
        ("2025-03", "bt.skip_history", {"have": 2, "window": 4}),
        ("2025-04", "bt.skip_history", {"have": 3, "window": 4})]
    assert result.tested[0] == parse_label("2025-05")


def test_a_ledger_shorter_than_the_window_tests_nothing_and_writes_no_number():
    rows = [(day(PLAN - 2), "Иванов", "ООО «А»", "Кабель", 1000)]
    result = run(rows)
    assert result.tested == [] and len(result.skipped) == 12
    assert result.months.empty and result.team.empty
    assert result.calibration.funnel_rate_met is None and result.calibration.conversion is None


def test_a_month_without_sales_and_a_manager_who_left_give_no_division_by_zero():
    rows = [r for r in truth_rows() if _label(r[0]) != "2025-09"]  # nothing at all in September
    rows += [(day(m), "Петров", "ООО «Уходящий»", "Кабель", 50_000) for m in range(FIRST, parse_label("2025-10"))]
    result = run(rows)
    september = result.months[result.months["month"] == parse_label("2025-09")].set_index("manager")
    assert september.loc["Иванов", "actual"] == 0 and "bt.note.no_sales" in september.loc["Иванов", "notes"]
    assert september.loc["Иванов", "regular_fit"] == 0.0        # planned, nothing came: a true zero
    assert september.loc["Иванов", "gap_share"] is None          # no target, no actual: no share
    team = result.team.set_index("month").loc[parse_label("2025-09")]
    assert team["actual"] == 50_000 and team["gap_share"] == 0.0  # Петров sold his plan: a share of his
    # Петров sold until September and left: in October he is planned (regular, 50 000) and sells nothing.
    october = result.months[result.months["month"] == parse_label("2025-10")].set_index("manager")
    assert october.loc["Петров", "regular_plan"] == 50_000 and october.loc["Петров", "actual"] == 0
    assert october.loc["Петров", "regular_fit"] == 0.0 and october.loc["Петров", "gap_share"] is None
    assert october.loc["Петров", "remainder_share"] is None  # no remainder planned: no share of it
    # By December the window (Aug–Nov) holds two of his months: no longer regular, a remainder.
    december = result.months[result.months["month"] == parse_label("2025-12")].set_index("manager")
    assert december.loc["Петров", "regular_clients"] == 0 and december.loc["Петров", "remainder"] == 25_000
    assert december.loc["Петров", "remainder_share"] == 0.0


def test_targets_history_gives_the_gap_as_a_share_of_the_target(truth):
    history = pd.DataFrame({"month": [PLAN - 3], "manager": ["ИВАНОВ"], "target": [2_000_000.0]})
    config = Config()
    result = backtest(ledger(truth_rows(), config), config.params, PLAN, 12, rules=RULES, targets_history=history)
    row = result.months[result.months["month"] == PLAN - 3].iloc[0]
    assert row["target"] == 2_000_000 and row["gap_of"] == "target"
    assert row["gap"] == pytest.approx(2_000_000 - row["base_plan"])
    assert row["gap_share"] == pytest.approx((2_000_000 - row["base_plan"]) / 2_000_000)
    other = result.months[result.months["month"] == PLAN - 4].iloc[0]
    assert other["gap_of"] == "actual"  # a month the history does not name


def test_lapsed_clients_that_come_back_are_counted_within_three_months():
    rows = [(day(m), "Иванов", "ООО «Постоянный»", "Кабель", 10_000) for m in range(FIRST, PLAN)]
    # Two big clients bought 700 000 in Jan 2025 and stopped; one comes back in Sep 2025.
    rows += [(day(FIRST), "Иванов", name, "СКУД", 700_000) for name in ("АО «Ушедший»", "АО «Вернувшийся»")]
    rows += [(day(parse_label("2025-09")), "Иванов", "АО «Вернувшийся»", "СКУД", 80_000)]
    result = run(rows).months.set_index("month")
    # Lapsed from July 2025 on (no turnover in the 5 months before): July's list holds both.
    july = result.loc[parse_label("2025-07")]
    assert (july["long_list"], july["came_back"], july["came_back_share"]) == (2, 1, 0.5)  # Sep is within Jul..Sep
    june = result.loc[parse_label("2025-06")]
    assert june["long_list"] == 0 and june["came_back_share"] is None


# --- pairs from the data ------------------------------------------------------------------------


def test_pairs_support_confidence_and_lift_by_hand():
    # 20 clients: 10 buy cameras and DVRs, 5 cameras only, 5 cable only.
    rows = ([(f"К{i}", "Камеры", 100.0) for i in range(15)] + [(f"К{i}", "Регистраторы", 100.0) for i in range(10)]
            + [(f"К{i}", "Кабель", 100.0) for i in range(15, 20)])
    turnover = pd.DataFrame(rows, columns=["client", "category", "turnover"])
    rules = [crosssell_rule("Камеры", "Регистраторы, Кабель")]
    found = pairs(turnover, rules, 0.05, min_clients=5).set_index(["from", "to"])
    cams_dvr = found.loc[("Камеры", "Регистраторы")]
    # support 10/20; confidence 10/15; lift (10/15) / (10/20) = 4/3
    assert cams_dvr["support"] == 0.5 and cams_dvr["confidence"] == pytest.approx(2 / 3)
    assert cams_dvr["lift"] == pytest.approx(4 / 3) and cams_dvr["verdict"] == "supported" and cams_dvr["in_config"]
    cams_cable = found.loc[("Камеры", "Кабель")]
    assert cams_cable["clients"] == 0 and cams_cable["verdict"] == "not_supported"
    # DVRs -> cameras: confidence 10/10, lift 1 / (15/20) = 4/3 ≥ 1.2, not in the table: missing.
    dvr_cams = found.loc[("Регистраторы", "Камеры")]
    assert dvr_cams["verdict"] == "missing" and not dvr_cams["in_config"]
    assert dvr_cams["lift"] == pytest.approx(4 / 3)
    # Too few clients: nothing suggested below min_clients.
    assert pairs(turnover, [], 0.05, min_clients=11).empty


def test_a_category_below_minimal_share_is_not_in_the_basket():
    turnover = pd.DataFrame([("А", "Камеры", 1000.0), ("А", "Кабель", 10.0)], columns=["client", "category", "turnover"])
    found = pairs(turnover, [crosssell_rule("Камеры", "Кабель")], 0.05, min_clients=1)
    assert found.iloc[0]["clients"] == 0  # 1% of А's turnover: А does not "buy" cable


# --- the command, the tab, the JSON ---------------------------------------------------------------


def sales_rows() -> list[list]:
    return [[r[0], r[1], r[2], r[3], r[4], "отгружен", ""] for r in truth_rows()]


@pytest.fixture
def book(tmp_path):
    return make_workbook(tmp_path / "book.xlsm", sales_rows(), month="2026-05",
                         settings={}, targets={"Иванов": 1_500_000})


def test_command_writes_the_marked_tab_and_the_json_and_a_second_run_replaces_it(book, tmp_path, capsys):
    out_json = tmp_path / "bt.json"
    assert main(["backtest", str(book), "--json", str(out_json), "--backups", "0"]) == 0
    said = capsys.readouterr().out
    assert "Проверка метода: 12 мес. проверено, 0 пропущено, 1 менеджеров" in said
    data = json.loads(out_json.read_text(encoding="utf-8"))["backtest"]
    assert data["plan_month"] == "2026-05" and len(data["months"]) == 12 and data["targets_known"] is False
    first = data["months"][0]
    assert first["month"] == "2025-05" and first["manager"] == "Иванов"
    # The default Cross-sell table offers camera buyers DVRs, intercoms and access control: three
    # offers to each of the eight clients, of which the two DVRs were bought.
    assert first["remainder_share"] == 0.3 and first["offers"] == 24 and first["conversion"] == round(2 / 24, 4)
    assert data["calibration"]["funnel_rate"]["met_in_80_percent"] == 0.3
    assert data["calibration"]["conversion"]["suggested_multiplier"] == 12.0
    assert data["months"][-1]["conversion"] is None  # not a number: the next month is not over
    assert {"from", "to", "support", "confidence", "lift", "in_config"} <= set(data["pairs"][0])
    assert sheet_marks(book)["Проверка метода"] == "Проверка метода"
    wb = openpyxl.load_workbook(book)
    ws = wb["Проверка метода"]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    # Fitted to the page width (1 is the default width, left out), as many pages tall as it takes.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert int(ws.page_setup.fitToHeight) == 0
    cells: dict = {}
    for row in ws.iter_rows():
        for c in row:
            cells.setdefault(c.value, c)  # the first: the team's table
    assert "Команда по месяцам" in cells and "Что говорят прошлые месяцы о настройках" in cells
    header = cells["Пришло от остатка"]
    assert ws.cell(header.row + 1, header.column).value == pytest.approx(0.3)
    assert ws.cell(header.row + 1, 1).value == "май 2025"
    conversion = cells["Конверсия"]
    assert ws.cell(header.row + 12, conversion.column).value == "—"  # last month: no number shown
    with zipfile.ZipFile(book) as z:
        assert sum(n.startswith("xl/charts/chart") for n in z.namelist()) == 2
    # Again: the tab is replaced, not doubled; the user's tabs stay.
    assert main(["backtest", str(book), "--backups", "0", "--months", "6"]) == 0
    names = openpyxl.load_workbook(book).sheetnames
    assert names.count("Проверка метода") == 1 and "Мои заметки" in names
    # And the monthly plan leaves it as it is.
    assert main(["plan", str(book), "--backups", "0"]) == 0
    assert "Проверка метода" in openpyxl.load_workbook(book).sheetnames


def test_targets_history_tab_is_read_and_its_bad_rows_named_on_the_tab(tmp_path, capsys):
    path = make_workbook(tmp_path / "h.xlsx", sales_rows(), month="2026-05")
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Планы прошлых месяцев")
    for row in (["Месяц", "Менеджер", "План"], ["2026-03", "иванов", 2_000_000], ["04.2026", "Иванов", "1 900 000"],
                ["март", "Иванов", 1], ["2026-02", "Иванов", "много"]):
        ws.append(row)
    wb.save(path)
    out = tmp_path / "h.json"
    assert main(["backtest", str(path), "--backups", "0", "--months", "3", "--json", str(out)]) == 0
    months = {m["month"]: m for m in json.loads(out.read_text(encoding="utf-8"))["backtest"]["months"]}
    assert months["2026-03"]["target"] == 2_000_000 and months["2026-03"]["gap_of"] == "target"
    assert months["2026-04"]["target"] == 1_900_000
    assert months["2026-02"]["target"] is None and months["2026-02"]["gap_of"] == "actual"
    assert months["2026-03"]["gap_share"] == round((2_000_000 - months["2026-03"]["base_plan"]) / 2_000_000, 4)
    texts = [c.value for row in openpyxl.load_workbook(path)["Проверка метода"].iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("строка 4" in x and "«март»" in x and "Месяц не распознан" in x for x in texts)
    assert any("строка 5" in x and "«много»" in x for x in texts)
    assert not any("Планы прошлых месяцев не известны" in x for x in texts)


def test_a_users_tab_of_that_name_is_kept_and_the_check_goes_beside_it(tmp_path):
    path = tmp_path / "book.xlsx"
    make_workbook(path, sales_rows(), month="2026-05")
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Проверка метода")["A1"] = "мои мысли о методе"
    wb.save(path)
    assert main(["backtest", str(path), "--backups", "0", "--months", "3"]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb["Проверка метода"]["A1"].value == "мои мысли о методе"
    assert "Проверка метода (2)" in wb.sheetnames


def test_bad_input_exits_2_with_a_message_and_changes_nothing(book, capsys):
    before = book.read_bytes()
    assert main(["backtest", str(book), "--month", "2026-13"]) == 2
    assert "--month" in capsys.readouterr().err
    assert main(["backtest", str(book), "--months", "0"]) == 2
    assert "--months 0" in capsys.readouterr().err
    assert book.read_bytes() == before


def test_button_writes_the_same_tab(book):
    from salesplan import excel
    from test_excel import FileSession

    session = FileSession(book)
    excel.backtest(session)
    assert session.messages == ["Готово: лист «Проверка метода», проверено месяцев: 12."]
    assert "Проверка метода" in openpyxl.load_workbook(book).sheetnames


def test_english_workbook_gets_the_english_tab(tmp_path):
    path = make_workbook(tmp_path / "en.xlsx", sales_rows(), month="2026-05", settings={"language": "en"})
    assert main(["backtest", str(path), "--backups", "0", "--months", "2"]) == 0
    ws = openpyxl.load_workbook(path)["Method check"]
    assert ws["A1"].value == "The method checked on past months: March 2026 – April 2026"


def test_client_text_is_written_as_text(tmp_path):
    rows = sales_rows() + [[day(PLAN - 1), "=HYPERLINK(\"x\")", "ООО «Х»", "Кабель", 10, "отгружен", ""]]
    path = make_workbook(tmp_path / "f.xlsx", rows, month="2026-05")
    assert main(["backtest", str(path), "--backups", "0", "--months", "1"]) == 0
    ws = openpyxl.load_workbook(path)["Проверка метода"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("x")' in texts and all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_month_turnover_is_not_read_from_the_plan_month(truth):
    # Rows of the plan month itself (its month to date) change nothing of the check.
    extra = [(day(PLAN, 3), "Иванов", REGULAR[0], "Видеорегистраторы", 1_000_000)]
    again = run(truth_rows() + extra)
    pd.testing.assert_frame_equal(again.months, truth.months)
    assert client_month_turnover(ledger(extra))["month"].iloc[0] == PLAN


@pytest.mark.slow
@pytest.mark.libreoffice(poppler=True)
def test_the_tab_prints_on_a4_landscape_pages_with_its_sections(book, tmp_path):
    import subprocess

    from salesplan.ooxml.splice import extract_sheets
    from salesplan.outputs.pdf import page_info, workbook_to_pdf

    assert main(["backtest", str(book), "--backups", "0"]) == 0
    alone, pdf = tmp_path / "tab.xlsx", tmp_path / "tab.pdf"
    extract_sheets(book, alone, ["Проверка метода"])
    workbook_to_pdf(alone, pdf)
    pages = page_info(pdf)
    assert 1 <= len(pages) <= 3
    assert all(w == pytest.approx(841.9, abs=2) and h == pytest.approx(595.3, abs=2) for w, h in pages)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    first = text.split("\f")[0]
    # The whole width on the page: the first column and the last, the calibration and the charts' titles.
    assert "май 2025" in first and "Примечания" in first and "Слой 2, разовые клиенты" in first
    assert "Кратность предложений" in text and "×4.0" not in text and "×12.0" in text
    assert "Пары категорий из продаж" in text and "По менеджерам" in text
