"""Invariants of the method on random ledgers, and the reader on random cell garbage (hypothesis)."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples
from salesplan.errors import InputError
from salesplan.inputs.config import Config
from salesplan.inputs.ledger import KEPT_ROW_PROBLEMS, ledger_from_frame, read_ledger
from salesplan.inputs.rows import SheetRows
from salesplan.method.plan import plan_month

MANAGERS = ["Иванов", "Петрова", "Сидоров"]
CLIENTS = [f"Клиент {i}" for i in range(12)]
STATUSES = ["", "отгружен", "оплачен", "конечный потребитель не оплатил", "отказ"]


def sale_rows(allow_returns: bool):
    amount = st.floats(-50_000, 500_000) if allow_returns else st.floats(0.01, 500_000)
    return st.lists(st.tuples(
        st.dates(dt.date(2025, 11, 1), dt.date(2026, 10, 31)),
        st.sampled_from(MANAGERS), st.sampled_from(CLIENTS), st.sampled_from(["Камеры", "Кабель"]),
        amount.map(lambda a: round(a, 2)), st.sampled_from(STATUSES)), min_size=0, max_size=60)


def run(rows, targets, **params):
    frame = pd.DataFrame(rows, columns=["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус"],
                         dtype=object)
    config = Config().with_params(plan_month="2026-10", **params)
    ledger, problems = ledger_from_frame(frame, config.statuses)
    assert [p for p in problems if p.key != "prob.duplicate_row"] == []  # a repeated row is a note
    tg = pd.DataFrame({"manager": list(targets), "target": [float(v) for v in targets.values()],
                       "existing_share": [float("nan")] * len(targets)})
    return ledger, plan_month(ledger, config.params, tg, None, config.tiers)


targets_st = st.dictionaries(st.sampled_from(MANAGERS + ["Новенькая"]), st.floats(0, 3_000_000), max_size=4)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sale_rows(allow_returns=False), targets_st, st.floats(0, 1), st.integers(1, 6))
def test_invariants_without_returns(rows, targets, rate, window):
    ledger, plan = run(rows, targets, funnel_rate=rate, window_months=window,
                       regular_min_months=min(3, window))
    s = plan.summary
    eps = 1e-6
    assert (s["regular_plan"] <= s["average_monthly"] + eps).all()
    assert (s["remainder"] >= -eps).all()
    assert (s["gap"] >= 0).all()
    assert ((s["existing_clients_plan"] + s["new_clients_plan"] - s["gap"]).abs() < 1e-6).all()
    with_target = s[s["target"].notna()]
    assert (with_target["base_plan"] + with_target["gap"] >= with_target["target"] - eps).all()
    # Every manager with a target is listed; turnover is neither lost nor counted twice.
    assert set(targets) <= set(s["manager"])
    window_sales = ledger[(ledger["kind"] == "sale") & ledger["month"].between(
        plan.window.start, plan.window.stop - 1)]["amount"].sum()
    assert s["average_monthly"].sum() == pytest.approx(window_sales / window, abs=1e-6)
    # Each regular client really has enough active months, and its plan is 1/window of its turnover.
    for r in plan.regular.itertuples():
        assert r.active_months >= min(3, window)
        assert r.monthly_plan == pytest.approx(r.window_turnover / window)


@settings(max_examples=examples(40), deadline=None)
@given(sale_rows(allow_returns=True), targets_st)
def test_gap_invariants_hold_with_returns(rows, targets):
    _, plan = run(rows, targets)
    s = plan.summary
    assert (s["gap"] >= 0).all() and (s["funnel_plan"] >= 0).all()
    with_target = s[s["target"].notna()]
    assert (with_target["base_plan"] + with_target["gap"] >= with_target["target"] - 1e-6).all()


cell = st.one_of(st.none(), st.text(max_size=12), st.integers(-10**12, 10**12),
                 st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                 st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
                 st.sampled_from(["01.09.2026", "1 234,50", "−5", "Итого", "=1+1", "отказ", "31.02.2026"]))


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.lists(cell, min_size=0, max_size=8), max_size=12))
def test_reader_never_crashes_on_garbage_under_a_valid_header(body):
    header = ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус"]
    ledger, problems = read_ledger(SheetRows("Продажи", [header] + body), Config().statuses)
    skipped = {p.row for p in problems if p.key not in KEPT_ROW_PROBLEMS}
    assert len(ledger) + len(skipped) <= len(body)
    assert not skipped & set(ledger["row"])  # a row is either planned or skipped, never both
    assert ledger["amount"].notna().all() and ledger["date"].notna().all()
    assert all(p.sheet == "Продажи" and 2 <= p.row <= len(body) + 1 for p in problems)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.lists(cell, min_size=0, max_size=8), max_size=10))
def test_reader_raises_only_input_errors_on_any_sheet(rows):
    try:
        read_ledger(SheetRows("Продажи", rows), Config().statuses)
    except InputError as exc:
        assert "Продажи" in exc.text("ru")
