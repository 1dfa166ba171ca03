"""Plan against fact during the month: the fact layers, the working days and pace, this week's ask.

The October 2026 case below is computed by hand. Plan month 2026-10, window Jun–Sep, new_after 5
(recent months May–Sep); today is Wednesday 14 October: 22 working days (1, 2, 5–9, 12–16, 19–23,
26–30), 9 before today, 13 left, expected share 9/22.
"""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples, ledger, plan, targets
from salesplan import workdays
from salesplan.inputs.config import Config
from salesplan.method import longlist, progress

TODAY = dt.date(2026, 10, 14)

OCTOBER = [
    # А, Иванов: regular (Камеры 100 000 a month in W) -> monthly plan 100 000, weekly ask 25 000
    *[(f"05.{m}.2026", "Иванов", "ООО «Альфа»", "Камеры", 100000) for m in ("06", "07", "08", "09")],
    ("13.10.2026", "Иванов", "ООО «Альфа»", "Камеры", 30000),              # regular
    ("14.10.2026", "Иванов", "ООО «Альфа»", "Камеры", -2000, "возврат"),    # regular (a return)
    ("06.10.2026", "Иванов", "ООО «Альфа»", "СКУД", 5000),                 # regular client, new category: cross-sell
    ("07.10.2026", "Иванов", "ООО «Альфа»", "Камеры", 50000, "конечный потребитель не оплатил"),  # open: not fact
    ("20.10.2026", "Иванов", "ООО «Альфа»", "Камеры", 99000),              # after today: not yet
    # Е, Иванов: regular (Кабель 40 000 a month) -> weekly ask 10 000
    *[(f"05.{m}.2026", "Иванов", "ООО «Ель»", "Кабель", 40000) for m in ("06", "07", "08", "09")],
    ("05.10.2026", "Иванов", "ООО «Ель»", "кабель ", 20000),               # regular (same category, spelled otherwise)
    ("12.10.2026", "Иванов", "ООО «Ель»", "Кабель", 9000),                 # regular, this week
    # Б, Иванов: one-time (July only)
    ("10.07.2026", "Иванов", "ИП Бета", "Кабель", 40000),
    ("07.10.2026", "Иванов", "ИП Бета", "Кабель", 7000),                   # one-time
    ("08.10.2026", "Иванов", "ИП Бета", "Домофоны", 3000),                 # one-time client, new category: cross-sell
    # В, Петров: lapsed (Jan–Mar), no turnover May–Sep: new
    *[(f"10.{m}.2026", "Петров", "ООО «Вега»", "Камеры", 200000) for m in ("01", "02", "03")],
    ("02.10.2026", "Петров", "ООО «Вега»", "Камеры", 9000),                # new
    # Г, Петров: bought in May (within new_after), not in W; on Петров's long list since September
    ("15.05.2026", "Петров", "ООО «Гамма»", "СКУД", 50000),
    ("09.10.2026", "Петров", "ООО «Гамма»", "СКУД", 12000),                # new: it was on the long list
    # Д, Петров: never bought before; buys on a Saturday
    ("10.10.2026", "Петров", "ООО «Дельта»", "ОПС", 25000),                # new
    ("08.10.2026", "Петров", "ООО «Дельта»", "ОПС", 10000, "отказ"),       # refused: not fact
]


def long_list_with_gamma(p) -> longlist.ListResult:
    """Петров's long list as the monthly build makes it: «Гамма» entered in September, bought in
    October, so it left the list this month (``left``)."""
    entry = {c: "" for c in longlist.ENTRY_COLUMNS + longlist.TYPED}
    entry.update(manager="Петров", company='ооо "Гамма"', kind="prospect", potential=80000.0, entered="2026-09",
                 list_month="2026-09", own_columns={})
    previous = pd.DataFrame([entry], columns=longlist.ENTRY_COLUMNS + longlist.TYPED + ["own_columns"])
    prospects = pd.DataFrame(columns=["company", "manager", "potential", "source", "city"])
    lapsed = pd.DataFrame(columns=["manager", "company", "potential", "best_12m", "last_purchase"])
    return longlist.build_long_lists(previous, lapsed, prospects, p.turnover, list(p.summary["manager"]),
                                     p.plan_month, p.params, {"lapsed": "", "prospect": ""})


def october_case(today=TODAY, with_long_list=True):
    """(ledger, plan, progress) of the hand-computed October case."""
    p = plan(OCTOBER, "2026-10", targets(Иванов=200000, Петров=100000))
    long_list = long_list_with_gamma(p) if with_long_list else None
    led = ledger(OCTOBER)
    return led, p, progress.month_to_date(led, p, today, long_list=long_list)


def by_manager(pr) -> pd.DataFrame:
    return pr.managers.set_index("manager")


def test_the_long_list_case_is_built_the_way_the_monthly_build_makes_it():
    _, p, _ = october_case()
    result = long_list_with_gamma(p)
    assert result.entries.empty
    assert list(result.left["company"]) == ['ооо "Гамма"'] and list(result.left["left_reason"]) == ["became_client"]


def test_every_sale_of_the_month_so_far_gets_exactly_one_layer():
    _, _, pr = october_case()
    layers = pr.sales.groupby(["client", "category"])["layer"].unique().map(list).to_dict()
    assert layers == {
        ("ИП Бета", "Домофоны"): ["crosssell"], ("ИП Бета", "Кабель"): ["one_time"],
        ("ООО «Альфа»", "Камеры"): ["regular"], ("ООО «Альфа»", "СКУД"): ["crosssell"],
        ("ООО «Вега»", "Камеры"): ["new"], ("ООО «Гамма»", "СКУД"): ["new"], ("ООО «Дельта»", "ОПС"): ["new"],
        ("ООО «Ель»", "Кабель"): ["regular"], ("ООО «Ель»", "кабель"): ["regular"],
    }
    # open, refused and the sale after today are not fact; the return is
    assert len(pr.sales) == 10
    assert pr.sales["amount"].sum() == pytest.approx(118000)


def test_fact_per_manager_and_layer_by_hand():
    _, _, pr = october_case()
    m = by_manager(pr)
    # Иванов: regular А 30 000 − 2 000 + Е 20 000 + 9 000 = 57 000; cross-selling А СКУД 5 000 + Б Домофоны
    # 3 000 = 8 000; one-time Б 7 000; new 0; total 72 000
    assert m.loc["Иванов", ["fact_regular", "fact_one_time", "fact_crosssell", "fact_new", "fact_total"]].tolist() == \
        pytest.approx([57000, 7000, 8000, 0, 72000])
    # Петров: new В 9 000 + Г 12 000 (long list) + Д 25 000 = 46 000
    assert m.loc["Петров", ["fact_regular", "fact_one_time", "fact_crosssell", "fact_new", "fact_total"]].tolist() == \
        pytest.approx([0, 0, 0, 46000, 46000])
    # plan layers are the MonthPlan's: Иванов regular 140 000, funnel (600 000/4 − 140 000) × 0.2 = 2 000,
    # gap 58 000 split 29 000 / 29 000
    assert m.loc["Иванов", ["regular_plan", "funnel_plan", "existing_clients_plan", "new_clients_plan",
                            "plan_total"]].tolist() == pytest.approx([140000, 2000, 29000, 29000, 200000])


def test_a_long_list_company_counts_as_new_only_through_the_long_list():
    # Without the long list «Гамма» bought within new_after months but not in W: a one-time client.
    _, _, pr = october_case(with_long_list=False)
    m = by_manager(pr)
    assert m.loc["Петров", "fact_new"] == pytest.approx(34000)
    assert m.loc["Петров", "fact_one_time"] == pytest.approx(12000)


def test_a_long_list_entry_still_open_matches_the_client_by_company_key():
    _, p, _ = october_case(with_long_list=False)
    entries = pd.DataFrame({"manager": ["Петров"], "company": ["  ООО \"ГАММА\" "]})
    long_list = longlist.ListResult(entries, pd.DataFrame(columns=["company", "left_month"]), pd.DataFrame())
    pr = progress.month_to_date(ledger(OCTOBER), p, TODAY, long_list=long_list)
    assert by_manager(pr).loc["Петров", "fact_new"] == pytest.approx(46000)


def test_an_archived_entry_that_left_this_month_counts_as_on_the_long_list():
    led, p, _ = october_case(with_long_list=False)
    archive = pd.DataFrame({"company": ["ООО «Гамма»"], "left_month": ["2026-10"], "left_reason": ["became_client"]})
    assert by_manager(progress.month_to_date(led, p, TODAY, archive=archive)).loc["Петров", "fact_new"] == 46000
    archive["left_month"] = "2026-08"  # left in August: a client since, not a new one this month
    assert by_manager(progress.month_to_date(led, p, TODAY, archive=archive)).loc["Петров", "fact_new"] == 34000


def test_share_reached_pace_and_behind_by_hand():
    _, _, pr = october_case()
    assert (pr.days.all, pr.days.elapsed, pr.days.left) == (22, 9, 13)
    m = by_manager(pr)
    # Иванов: 72 000 / 200 000 = 36% < 9/22 = 40.9%: behind; (200 000 − 72 000) / 13 = 9 846.15 a day
    assert m.loc["Иванов", "reached"] == pytest.approx(0.36)
    assert m.loc["Иванов", "expected_share"] == pytest.approx(9 / 22)
    assert m.loc["Иванов", "remaining"] == pytest.approx(128000)
    assert m.loc["Иванов", "pace_needed"] == pytest.approx(128000 / 13)
    assert bool(m.loc["Иванов", "behind"]) is True
    # Петров: 46 000 / 100 000 = 46% ≥ 40.9%: on pace; 54 000 / 13 = 4 153.85
    assert m.loc["Петров", "reached"] == pytest.approx(0.46)
    assert m.loc["Петров", "pace_needed"] == pytest.approx(54000 / 13)
    assert bool(m.loc["Петров", "behind"]) is False
    # team: 118 000 / 300 000 = 39.3% < 40.9%: behind; 182 000 / 13 = 14 000 a day
    assert pr.team["target"] == 300000 and pr.team["fact_total"] == pytest.approx(118000)
    assert pr.team["reached"] == pytest.approx(118000 / 300000)
    assert pr.team["pace_needed"] == pytest.approx(14000)
    assert bool(pr.team["behind"]) is True


def test_layers_add_up_to_the_plans_month_to_date_turnover():
    # Seen from the month's end every sale of the month counts: the same total as the Plan tab.
    _, p, pr = october_case(today=dt.date(2026, 10, 31))
    m = by_manager(pr)
    mtd = p.summary.set_index("manager")["mtd_turnover"]
    assert m["fact_total"].to_dict() == pytest.approx(mtd.to_dict())
    assert m.loc["Иванов", "fact_total"] == pytest.approx(72000 + 99000)
    assert pr.days.left == 0 and m["pace_needed"].isna().all()


def test_working_days_follow_the_russian_production_calendar_and_today_counts_as_left():
    nov = 2026 * 12 + 10
    d = progress.working_days(nov, dt.date(2026, 11, 10))  # Tuesday
    # 21 days Monday to Friday, less Wednesday 4 November (Unity Day): 20
    assert d.all == 20 and dt.date(2026, 11, 4) not in d.days
    assert (d.elapsed, d.left) == (5, 15)                   # 2, 3, 5, 6, 9 past; 10..30 left
    assert d.expected_share == pytest.approx(5 / 20)
    sat = progress.working_days(nov, dt.date(2026, 11, 14))
    assert (sat.elapsed, sat.left) == (9, 11)               # the whole week past, Monday 16 is next
    assert progress.working_days(nov, dt.date(2026, 10, 20)).elapsed == 0
    last = progress.working_days(nov, dt.date(2026, 11, 30))  # Monday, the last day: still open
    assert (last.over, last.elapsed, last.left) == (False, 19, 1)
    # Days given instead of the calendar: only those of the month count
    given = progress.working_days(nov, dt.date(2026, 11, 10), days=[dt.date(2026, 11, 2), dt.date(2026, 11, 11),
                                                                      dt.date(2026, 12, 1)])
    assert (given.all, given.elapsed, given.left) == (2, 1, 1)


@pytest.mark.parametrize(("year", "month", "count", "note"), [
    (2026, 11, 20, "4 November, Wednesday, is Unity Day"),
    (2025, 11, 19, "Saturday 1 November worked, Monday 3 (moved) and Tuesday 4 off"),
    (2026, 1, 15, "1-9 January off (9 January moved from Saturday 3 January)"),
    (2026, 5, 19, "1 May and Monday 11 May (for Saturday 9 May) off"),
    (2027, 2, 19, "Saturday 20 February worked, Monday 22 and Tuesday 23 off"),
    (2026, 10, 22, "no holiday"),
])
def test_months_working_days_by_the_production_calendar(year, month, count, note):
    # The counts of the government's published production calendars (Минтруд) for these months.
    assert len(workdays.month_working_days(year, month)) == count, note


def test_a_month_that_is_over_has_every_working_day_elapsed_and_none_left():
    nov = 2026 * 12 + 10
    d = progress.working_days(nov, dt.date(2026, 12, 2))
    assert d.over and (d.all, d.elapsed, d.left) == (20, 20, 0) and d.expected_share == 1.0
    assert d.today == dt.date(2026, 11, 30)  # seen from its last day


def test_a_month_seen_after_its_end_is_its_result_not_a_pace():
    # The October case seen on 2 November: every October sale counts (Иванов 72 000 + 99 000 on the
    # 20th = 171 000 of 200 000: 85.5%, not reached -> behind; Петров 46 000 of 100 000: behind too),
    # no day is left, so no pace is needed.
    led = ledger(OCTOBER)
    p = plan(OCTOBER, "2026-10", targets(Иванов=200000, Петров=100000))
    pr = progress.month_to_date(led, p, dt.date(2026, 11, 2), long_list=long_list_with_gamma(p))
    assert pr.days.over and pr.today == dt.date(2026, 10, 31)
    m = by_manager(pr)
    assert m.loc["Иванов", "fact_total"] == pytest.approx(171000)
    assert m["expected_share"].eq(1.0).all() and m["pace_needed"].isna().all()
    assert bool(m.loc["Иванов", "behind"]) and bool(m.loc["Петров", "behind"])
    # A manager who reached the target is not behind once the month is over
    p = plan(OCTOBER, "2026-10", targets(Иванов=150000, Петров=100000))
    m = by_manager(progress.month_to_date(led, p, dt.date(2026, 11, 2)))
    assert not bool(m.loc["Иванов", "behind"]) and m.loc["Иванов", "remaining"] == 0


def test_a_manager_without_target_is_never_behind():
    p = plan(OCTOBER, "2026-10", targets(Петров=100000))
    pr = progress.month_to_date(ledger(OCTOBER), p, TODAY)
    ivanov = by_manager(pr).loc["Иванов"]
    assert pd.isna(ivanov["reached"]) and pd.isna(ivanov["pace_needed"]) and not ivanov["behind"]
    assert pr.team["target"] == 100000  # the team target is the sum of the targets set


def test_team_cumulative_fact_per_working_day():
    _, _, pr = october_case()
    daily = pr.daily.set_index("date")
    assert len(daily) == 22
    assert daily.loc[dt.date(2026, 10, 1), "fact_cumulative"] == 0
    assert daily.loc[dt.date(2026, 10, 2), "fact_cumulative"] == pytest.approx(9000)  # В on the 2nd
    # Friday 9th carries the weekend after it: Д's Saturday sale is in: 9 + 20 + 5 + 7 + 3 + 12 + 25 = 81 000
    assert daily.loc[dt.date(2026, 10, 9), "fact_cumulative"] == pytest.approx(81000)
    assert daily.loc[dt.date(2026, 10, 14), "fact_cumulative"] == pytest.approx(118000)
    assert daily.loc[dt.date(2026, 10, 15):, "fact_cumulative"].isna().all()
    # the even pace: the 7th working day (9 October) -> 300 000 × 7/22
    assert daily.loc[dt.date(2026, 10, 9), "plan_cumulative"] == pytest.approx(300000 * 7 / 22)
    assert daily["target"].eq(300000).all()


def test_this_weeks_ask_met_or_not():
    _, p, pr = october_case()
    week = pr.week
    assert pr.week_start == dt.date(2026, 10, 12)
    # Альфа: Mon 12 – Wed 14: 30 000 − 2 000 = 28 000 ≥ 25 000 -> met
    assert week.loc["ООО «Альфа»"].tolist() == [28000, 25000, True]
    # Ель: 9 000 (the 20 000 of the 5th was last week) < 10 000 -> not met
    assert week.loc["ООО «Ель»"].tolist() == [9000, 10000, False]
    joined = p.regular.join(week, on="client")
    assert list(joined.columns[-3:]) == ["week_sales", "week_target", "week_met"]
    assert joined["week_met"].tolist() == [True, False]


def test_the_week_reaches_back_into_the_previous_month():
    rows = [*[(f"05.{m}.2026", "Иванов", "ООО «Альфа»", "Камеры", 100000) for m in ("06", "07", "08")],
            ("29.09.2026", "Иванов", "ООО «Альфа»", "Камеры", 30000),   # Tuesday of the week of 1 October
            ("01.10.2026", "Иванов", "ООО «Альфа»", "Камеры", 1000)]
    p = plan(rows, "2026-10")
    pr = progress.month_to_date(ledger(rows), p, dt.date(2026, 10, 1))
    # ask: (300 000 + 30 000) / 4 / 4 = 20 625; week Mon 28 Sep – Thu 1 Oct: 31 000
    assert pr.week.loc["ООО «Альфа»"].tolist() == pytest.approx([31000, 20625, True])
    assert by_manager(pr).loc["Иванов", "fact_total"] == 1000  # the month's fact stays the month's


def test_no_sales_this_month_gives_zeros_not_errors():
    rows = [(f"05.{m}.2026", "Иванов", "А", "Камеры", 100000) for m in ("06", "07", "08", "09")]
    p = plan(rows, "2026-10", targets(Иванов=100000))
    pr = progress.month_to_date(ledger(rows), p, TODAY)
    assert pr.sales.empty
    assert by_manager(pr).loc["Иванов", "fact_total"] == 0 and by_manager(pr).loc["Иванов", "behind"]
    assert not pr.week.loc["А", "week_met"]


def test_as_of_date_defaults():
    led = ledger(OCTOBER)
    oct_ = 2026 * 12 + 9
    assert progress.as_of_date(led, oct_, dt.date(2026, 10, 14)) == dt.date(2026, 10, 20)  # a row dated later
    assert progress.as_of_date(led, oct_, dt.date(2026, 10, 25)) == dt.date(2026, 10, 25)
    assert progress.as_of_date(led, oct_, dt.date(2027, 3, 1)) == dt.date(2026, 10, 31)    # a past month
    assert progress.as_of_date(led[led["month"] < oct_], oct_, dt.date(2026, 9, 1)) == dt.date(2026, 10, 1)


def test_module_examples():
    import doctest

    assert doctest.testmod(progress).failed == 0


# --- invariants on random ledgers ----------------------------------------------------------------

CLIENTS = [f"Клиент {i}" for i in range(8)]


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.dates(dt.date(2026, 1, 1), dt.date(2026, 10, 31)),
                          st.sampled_from(["Иванов", "Петрова"]), st.sampled_from(CLIENTS),
                          st.sampled_from(["Камеры", "Кабель", "СКУД"]),
                          st.floats(-20000, 200000).map(lambda a: round(a, 2))), max_size=50),
       st.sets(st.sampled_from(CLIENTS), max_size=3))
def test_layers_partition_the_month_to_date_total(rows, listed):
    rows = [(d.strftime("%d.%m.%Y"), m, c, k, a) for d, m, c, k, a in rows]
    config = Config().with_params(plan_month="2026-10")
    p = plan(rows, "2026-10", targets(Иванов=500000, Петрова=300000))
    long_list = longlist.ListResult(pd.DataFrame({"company": sorted(listed)}),
                                    pd.DataFrame(columns=["company", "left_month"]), pd.DataFrame())
    pr = progress.month_to_date(ledger(rows, config), p, dt.date(2026, 10, 31), long_list=long_list)
    assert set(pr.sales["layer"]) <= set(progress.LAYERS)
    m = by_manager(pr)
    layers = m[list(progress.FACT_COLUMNS)].sum(axis=1)
    assert layers.to_dict() == pytest.approx(m["fact_total"].to_dict(), abs=1e-6)
    mtd = p.summary.set_index("manager")["mtd_turnover"]
    assert m["fact_total"].to_dict() == pytest.approx(mtd.reindex(m.index).fillna(0).to_dict(), abs=1e-6)
    assert pr.team["fact_total"] == pytest.approx(mtd.sum(), abs=1e-6)
    new = set(pr.sales.loc[pr.sales["layer"] == "new", "client"])
    assert set(pr.sales["client"]) & listed <= new
