"""The Config tab and the parameter table."""

import datetime as dt
import math

import pandas as pd
import pytest

from salesplan import params as P
from salesplan.errors import InputError
from salesplan.inputs.config import _target_number, apply_overrides, read_config
from salesplan.inputs.ledger import parse_amounts
from salesplan.inputs.rows import SheetRows


def config_sheet(param_rows=(), target_rows=(), client_rows=()):
    rows = [["Настройки планирования"] + [""] * 8, [""] * 9,
            ["Параметры", "", "", "", "", "", "", "Планы менеджеров", ""],
            ["Ключ", "Параметр", "Значение", "", "", "", "", "Менеджер", "План на месяц, ₽"]]
    n = max(len(param_rows), len(target_rows))
    for i in range(n):
        p = list(param_rows[i]) if i < len(param_rows) else ["", ""]
        tg = list(target_rows[i]) if i < len(target_rows) else ["", ""]
        rows.append([p[0], "", p[1], "", "", "", "", tg[0], tg[1]])
    return SheetRows("Настройки", rows)


def test_defaults_without_a_config_tab():
    config, problems = read_config(None)
    assert config.params == P.defaults()
    assert config.params["window_months"] == 4 and config.params["funnel_rate"] == 0.2
    assert "отказ" in config.statuses.refused


def test_params_and_targets_are_read_by_block_title():
    config, _ = read_config(config_sheet(
        [("plan_month", "2026-09"), ("funnel_rate", "25%"), ("window_months", 4.0), ("language", "EN")],
        [("Иванов", 1_000_000), ("Петрова", "500 000")]))
    assert config.params["plan_month"] == "2026-09"
    assert config.params["funnel_rate"] == pytest.approx(0.25)
    assert config.params["language"] == "en"
    assert list(config.targets["manager"]) == ["Иванов", "Петрова"]
    assert list(config.targets["target"]) == [1_000_000, 500_000]


@pytest.mark.parametrize("key, value, message_key", [
    ("window_months", 0, "param_range"),
    ("window_months", 2.5, "param_int"),
    ("funnel_rate", "много", "param_number"),
    ("funnel_rate", 1.5, "param_share"),
    ("language", "de", "param_choice"),
    ("no_such_thing", 1, "unknown_param"),
])
def test_a_bad_parameter_is_a_problem_naming_sheet_row_and_column_and_keeps_the_default(key, value, message_key):
    config, problems = read_config(config_sheet([("plan_month", ""), (key, value)]))
    [problem] = [p for p in problems if p.key != "prob.block_missing"]
    assert (problem.sheet, problem.row, problem.column) == ("Настройки", 6, "Значение")
    assert problem.fields["error"].key == message_key
    text = problem.text("ru")
    assert "Настройки" in text and "строка 6" in text and "C (Значение)" in text and key in text
    if key in P.PARAMS_BY_KEY:
        assert config.params[key] == P.PARAMS_BY_KEY[key].default  # the plan is made with the default
        assert "по умолчанию" in text
    else:
        assert "не используется" in text


def test_a_plan_month_that_is_not_a_month_stops_with_sheet_row_and_column():
    with pytest.raises(InputError) as info:
        read_config(config_sheet([("plan_month", "сентябрь")]))
    assert info.value.key == "param_month"
    assert "строка 5" in info.value.text("ru") and "C (Значение)" in info.value.text("ru")


def test_target_row_naming_nobody_is_fatal_with_its_place():
    with pytest.raises(InputError) as info:
        read_config(config_sheet(target_rows=[("Иванов", 100), ("", 200)]))
    assert info.value.key == "err.target_nobody"
    assert "строка 6" in info.value.text("ru") and "H" in info.value.text("ru")


def test_duplicate_target_is_fatal():
    with pytest.raises(InputError) as info:
        read_config(config_sheet(target_rows=[("Иванов", 100), ("Иванов", 200)]))
    assert info.value.key == "err.target_duplicate"


def test_set_and_month_overrides():
    config, _ = read_config(None)
    config = apply_overrides(config, ["funnel_rate=0.25", "window_months = 6"], "2026-9")
    assert config.params["funnel_rate"] == 0.25
    assert config.params["window_months"] == 6
    assert config.params["plan_month"] == "2026-09"
    with pytest.raises(InputError):
        apply_overrides(config, ["funnel_rate"], None)
    with pytest.raises(InputError):
        apply_overrides(config, ["long_list_min=200", "long_list_max=100"], None)


def test_every_parameter_of_the_method_is_declared_with_labels_and_range():
    expected = {"plan_month", "window_months", "regular_min_months", "funnel_rate", "existing_share",
                "offer_multiplier", "minimal_share", "new_after_months", "long_list_min", "long_list_max",
                "lookback_months", "min_monthly_potential", "min_yearly_potential", "calls_per_week",
                "max_skipped_share", "language", "company", "as_of_date", "sales_source"}
    assert {p.key for p in P.PARAMS} == expected
    # The typed view of the values has exactly these keys.
    assert set(P.Params.__annotations__) == expected
    for p in P.PARAMS:
        assert p.label_ru and p.label_en and p.help_ru and p.help_en
        if p.kind not in ("month", "date", "choice", "text", "path"):
            assert p.minimum is not None and p.maximum is not None
            assert p.minimum <= p.default <= p.maximum
            assert P.coerce(p.key, p.default) == p.default


@pytest.mark.parametrize(("typed", "value"), [
    ("10.11.2026", "2026-11-10"), ("2026-11-10", "2026-11-10"), ("1.2.2027", "2027-02-01"),
    (dt.datetime(2026, 11, 10, 0, 0), "2026-11-10"), ("", ""), (None, ""),
])
def test_the_fact_date_is_read_as_a_day(typed, value):
    assert P.coerce("as_of_date", typed) == value


@pytest.mark.parametrize("typed", ["31.11.2026", "ноябрь", "2026-11", "10/11/2026", 46336])
def test_a_fact_date_that_is_no_day_is_refused_with_the_format(typed):
    with pytest.raises(InputError) as found:
        P.coerce("as_of_date", typed, where="Настройки!C7")
    assert "ДД.ММ.ГГГГ" in found.value.text("ru") and "Настройки!C7" in found.value.text("ru")


def test_a_cleared_row_in_the_middle_of_a_table_does_not_hide_the_rows_below():
    config, _ = read_config(config_sheet(target_rows=[("Иванов", 100), ("", ""), ("Петрова", 200)]))
    assert list(config.targets["manager"]) == ["Иванов", "Петрова"]


def test_contradictions_on_the_config_tab_are_problems_not_silent_changes():
    """A status in two lists, a mistyped block title, more regular months than the window."""
    from salesplan.inputs.config import config_problems

    sheet = config_sheet([("window_months", 4)], [("Иванов", 100000)])
    sheet.rows[2][7] = "Планы менеджров"  # mistyped: the targets would silently be empty
    sheet.rows += [[""] * 9, ["Статусы заказов", "", ""], ["Продажа", "Открыт", "Отказ"],
                   ["отгружен", "в работе", "отказ"], ["Отказ ", "", ""]]
    config, problems = read_config(sheet)
    by_key = {p.key: p for p in problems}
    missing = {p.fields["block"] for p in problems if p.key == "prob.block_missing"}
    assert "Планы менеджеров" in missing and "Статусы заказов" not in missing
    assert len(config.targets) == 0  # the defaults, as the message says
    twice = by_key["prob.status_twice"]
    # «Отказ » in row 10 (Продажа) after «отказ» in row 9 (Отказ): case and spaces ignored
    assert (twice.sheet, twice.row, twice.column, twice.value) == ("Настройки", 10, "Продажа", "Отказ")
    assert "Отказ, Продажа" in twice.text()
    config = apply_overrides(config, ["regular_min_months=4"], None)
    assert config_problems(config, "Настройки") == []
    config = apply_overrides(config, ["regular_min_months=5"], None)
    [problem] = config_problems(config, "Настройки")
    assert problem.key == "prob.min_above_window" and "5" in problem.text() and "4" in problem.text()


@pytest.mark.parametrize("value", [3000000, 2.5, -5, "3000000", "007", "12 000", "1.234", "1,5", "-5", "",
                                   None, "abc", True, float("nan"), "٣", "(500)", "1e6"])
def test_a_target_reads_as_the_amount_rule_reads_it(value):
    fast, rule = _target_number(value), float(parse_amounts(pd.Series([value], dtype=object)).iloc[0])
    assert fast == rule or (math.isnan(fast) and math.isnan(rule))
