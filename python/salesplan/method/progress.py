"""Plan against fact during the month: month-to-date sales per manager and per layer, and the pace.

Stated in ``docs/method.md#plan-against-fact-during-the-month``.

**Layers of the fact.** Every sale row of the plan month M dated up to ``today`` (kind ``sale``;
returns are negative sale rows) goes to exactly one layer, the one that mirrors a layer of the plan:

==============  =====================================================  ==================
fact layer      the client and category of the sale                     plan layer
==============  =====================================================  ==================
``new``         the client was on a long list for M (matched by         3B new clients
                :func:`~salesplan.words.company_key`), or
                had no turnover in the ``new_after_months`` full
                months before M (never bought counts too)
``crosssell``   otherwise: a client with turnover in the window W       3A existing clients
                buying a category it had not bought in W
``regular``     otherwise: a regular client (``plan.regular``)          1 regular clients
``one_time``    every other client                                      2 the funnel
==============  =====================================================  ==================

The rules are tried in this order and the first that fits wins, so a regular client buying a new
category counts once, as cross-selling; a long-list company counts as new whatever it buys. The
layer depends only on (client, category), so a return lands in the same layer as the purchase.
Every rouble is in exactly one layer and the layers sum to the month-to-date total. A category is
"bought in W" when the client's W turnover in it (case, ё/е and spaces ignored) is above 0.

Example: M = 2026-10, W = Jun–Sep, new_after_months 5; А is regular and bought cameras in W; Б
bought cable once in July; В was on the long list.

=======  ========  ======  =============
client   category  amount  layer
=======  ========  ======  =============
А        Камеры    100     regular
А        СКУД       40     crosssell
Б        Кабель     30     one_time
В        Камеры     70     new
=======  ========  ======  =============

gives fact 240: regular 100, one-time 30, cross-selling 40, new 70.

**Working days and pace.** Working days are those of Russia's production calendar
(:mod:`salesplan.workdays`: public holidays and the days off moved by decree are not working days,
a Saturday made a working day is). ``today`` counts as *left* (the build runs during the day, its
sales are not all in yet): elapsed = working days before ``today``, left = working days from
``today`` to the month's end. A month that is **over** (the real date, or the ``today`` given, is
after its last day) has every working day elapsed and none left: its figures are the month's result.

- reached = fact / target;
- pace needed = max(0, target − fact) / working days left (none once no working day is left);
- expected share = elapsed / all working days of M (1 once the month is over);
- **behind pace** when reached < expected share (a manager without a target is never behind); for
  a month that is over, behind means the target was not reached.

Example: November 2026 has 20 working days (4 November, Unity Day, is a holiday); on Tuesday
10 November 5 have passed (2, 3, 5, 6 and 9) and 15 are left. Target 2 000 000, fact 400 000:
reached 20% < expected 5/20 = 25%, behind; pace needed (2 000 000 − 400 000) / 15 = 106 667 a day.
Seen on 2 December the month is over: 20 of 20 elapsed, none left, expected 100%, no pace needed.

**This week's ask** (the regular clients' call sheet): monthly plan / 4 against the client's sales
in the ISO week of ``today``, Monday to ``today`` (also days of the previous month when the week
started there); met when the sales reach the ask.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..months import first_day, month_label
from ..wordcolumns import company_keys, isin, lookup
from ..words import company_key
from ..words import fold as norm
from ..workdays import month_working_days

#: The fact layers, in the order of the plan layers they mirror (1, 2, 3A, 3B).
LAYERS = ("regular", "one_time", "crosssell", "new")
#: The plan layers (MonthPlan.summary columns) in the same order.
PLAN_LAYERS = ("regular_plan", "funnel_plan", "existing_clients_plan", "new_clients_plan")
FACT_COLUMNS = tuple(f"fact_{layer}" for layer in LAYERS)

COLUMNS = ["manager", "target", *PLAN_LAYERS, "plan_total", *FACT_COLUMNS, "fact_total", "reached",
           "remaining", "pace_needed", "expected_share", "behind"]
SALE_COLUMNS = ["manager", "client", "category", "date", "amount", "layer"]
DAILY_COLUMNS = ["date", "plan_cumulative", "fact_cumulative", "target"]
WEEK_COLUMNS = ["week_sales", "week_target", "week_met"]


@dataclass(frozen=True)
class WorkingDays:
    """The working days of a month as seen on ``today``: all = elapsed + left.

    ``over``: the month has ended (seen after its last day): every working day has passed.
    """

    days: tuple[dt.date, ...]
    today: dt.date
    over: bool = False

    @property
    def all(self) -> int:
        return len(self.days)

    @property
    def elapsed(self) -> int:
        """Working days before ``today`` (all of them once the month is over)."""
        if self.over:
            return self.all
        return sum(1 for d in self.days if d < self.today)

    @property
    def left(self) -> int:
        """Working days from ``today`` (included) to the month's end; none once it is over."""
        return self.all - self.elapsed

    @property
    def expected_share(self) -> float:
        """The share of the target a manager at an even pace has reached by now."""
        return self.elapsed / self.all if self.all else float("nan")


@dataclass(frozen=True)
class Progress:
    """Plan against fact on ``today``: per manager, the team, the days, and the sales behind them."""

    plan_month: int
    today: dt.date
    days: WorkingDays
    managers: pd.DataFrame      # one row per manager: COLUMNS
    team: pd.Series             # the same figures for the whole team (COLUMNS; manager = None)
    sales: pd.DataFrame         # every sale row counted: SALE_COLUMNS
    daily: pd.DataFrame         # the team's cumulative fact per working day: DAILY_COLUMNS
    week: pd.DataFrame          # regular client -> WEEK_COLUMNS
    week_start: dt.date = field(default=dt.date.min)


def working_days(plan_month: int, today: dt.date, days: Iterable[dt.date] | None = None) -> WorkingDays:
    """The working days of ``plan_month`` counted on ``today``: by default Russia's production
    calendar (:func:`salesplan.workdays.month_working_days`), or the ``days`` given (dates outside
    the month are ignored). A ``today`` after the month's last day sees the month over.

    >>> d = working_days(2026 * 12 + 10, dt.date(2026, 11, 10))   # November 2026, a Tuesday
    >>> d.all, d.elapsed, d.left
    (20, 5, 15)
    """
    start = first_day(plan_month)
    end = _month_end(start)
    if days is None:
        month_days = month_working_days(start.year, start.month)
    else:
        month_days = tuple(sorted({d for d in days if start <= d <= end}))
    return WorkingDays(month_days, min(today, end), over=today > end)


def as_of_date(ledger: pd.DataFrame, plan_month: int, today: dt.date | None = None) -> dt.date:
    """The day the month-to-date figures are for when none is given.

    The real date, kept within the plan month (a past month is seen from its last day, a future one
    from its first); a ledger with rows of the plan month dated later than that (a plan built ahead
    of time, like the demo) moves it to the latest such row.
    """
    start = first_day(plan_month)
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    day = min(max(today or dt.date.today(), start), end)
    dates = ledger.loc[ledger["month"] == plan_month, "date"]
    if len(dates) and pd.notna(dates.max()):
        day = max(day, pd.Timestamp(dates.max()).date())
    return day


def long_list_keys(long_list: Any, plan_month: int, archive: pd.DataFrame | None = None) -> set[str]:
    """Company keys of everything on a long list for ``plan_month``: the entries, and what left the
    list in that month (a company that bought again leaves the list the moment it buys)."""
    keys: set[str] = set()
    label = month_label(plan_month)
    if long_list is not None:
        keys |= {company_key(c) for c in long_list.entries.get("company", [])}
        left = long_list.left
        if len(left):
            in_month = left[left["left_month"].astype(str) == label] if "left_month" in left else left
            keys |= {company_key(c) for c in in_month["company"]}
    if archive is not None and len(archive) and "left_month" in archive:
        keys |= {company_key(c) for c in archive.loc[archive["left_month"].astype(str) == label, "company"]}
    return keys


def classify_sales(ledger: pd.DataFrame, plan: Any, today: dt.date,
                   on_long_list: AbstractSet[str] = frozenset()) -> pd.DataFrame:
    """Every sale row of the plan month up to ``today`` with its owner and its fact layer.

    Args:
        ledger: typed sale lines (:func:`salesplan.inputs.ledger.read_ledger`).
        plan: the :class:`~salesplan.method.plan.MonthPlan` of the month.
        today: the last day counted.
        on_long_list: company keys on a long list for the month (:func:`long_list_keys`).

    Returns:
        SALE_COLUMNS, one row per sale row.
    """
    month = plan.plan_month
    sales = ledger[(ledger["kind"] == "sale") & (ledger["month"] == month)
                   & (ledger["date"] <= pd.Timestamp(today))]
    if sales.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "amount" else object) for c in SALE_COLUMNS})
    # Only the months that matter, the columns used and the clients who bought this month (what
    # came before is asked of them alone): a million-row ledger is not copied.
    first = min(plan.window.start, month - int(plan.params["new_after_months"]))
    months = ledger["month"]
    # The clients are looked up among the sale lines of those months only, not among a million.
    lines = np.flatnonzero(((ledger["kind"] == "sale") & (months >= first) & (months < month)).to_numpy())
    lines = lines[isin(ledger["client"].iloc[lines], sales["client"].unique())]
    before = ledger[["client", "month", "category", "amount"]].iloc[lines]
    window = before[before["month"].between(plan.window.start, plan.window.stop - 1)]
    window_turnover = window.groupby("client", observed=True)["amount"].sum()
    window_clients = window_turnover[window_turnover > 0].index
    by_category = window.groupby(["client", "category"], observed=True)["amount"].sum()
    by_category = by_category[by_category > 0]
    recent_months = before[before["month"] >= month - int(plan.params["new_after_months"])]
    recent = recent_months.groupby(["client", "month"], observed=True)["amount"].sum()
    recent_clients = recent[recent > 0].index.get_level_values("client")
    # The layer of each sale row, worked out over whole columns: company keys and categories folded
    # once per distinct name, (client, category) pairs matched as integer codes.
    client_code, clients = pd.factorize(sales["client"])
    keys = company_keys(pd.Series(clients, dtype=object)).to_numpy(dtype=object)
    on_list = isin(pd.Index(keys), list(on_long_list))[client_code]
    new = on_list | ~isin(pd.Index(clients), recent_clients)[client_code]
    in_window = isin(pd.Index(clients), window_clients)[client_code]
    category_code, categories = pd.factorize(pd.Index(_folded_once(sales["category"]), dtype=object))
    bought_clients = pd.Index(clients).get_indexer(by_category.index.get_level_values("client"))
    bought_categories = categories.get_indexer(pd.Index(_folded_once(pd.Series(
        by_category.index.get_level_values("category"))), dtype=object))
    known = (bought_clients >= 0) & (bought_categories >= 0)
    width = max(len(categories), 1)
    bought = np.isin(client_code.astype(np.int64) * width + category_code,
                     bought_clients[known].astype(np.int64) * width + bought_categories[known])
    regular = isin(pd.Index(clients), plan.regular["client"])[client_code]
    layer = np.select([new, in_window & ~bought, regular], ["new", "crosssell", "regular"], "one_time")
    owners = lookup(sales["client"], plan.owners)
    out = pd.DataFrame({
        "manager": owners.where(owners.notna(), sales["manager"]).astype(object),
        "client": sales["client"].astype(object),
        "category": sales["category"].astype(object),
        "date": sales["date"],
        "amount": sales["amount"].astype("float64"),
        "layer": pd.Series(layer.astype(object), index=sales.index, dtype="str"),
    })
    return out.reset_index(drop=True)


def _folded_once(values: pd.Series) -> np.ndarray:
    """:func:`norm` of each value, worked out once per distinct value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return np.array([norm(v) for v in distinct], dtype=object)[codes]


def fact_by_manager(sales: pd.DataFrame, plan: Any, days: WorkingDays) -> pd.DataFrame:
    """Plan and fact per manager, in the plan's manager order: COLUMNS."""
    fact = (sales.pivot_table(index="manager", columns="layer", values="amount", aggfunc="sum")
            if len(sales) else pd.DataFrame())
    fact = fact.reindex(columns=list(LAYERS)).fillna(0.0)
    fact.columns = list(FACT_COLUMNS)
    summary = plan.summary.set_index("manager")
    managers = list(summary.index) + sorted(set(fact.index) - set(summary.index))
    out = summary.reindex(managers)[["target", *PLAN_LAYERS]].join(fact).reset_index()
    out[list(PLAN_LAYERS) + list(FACT_COLUMNS)] = out[list(PLAN_LAYERS) + list(FACT_COLUMNS)].fillna(0.0)
    return _with_pace(out, days)


def team_total(managers: pd.DataFrame, days: WorkingDays) -> pd.Series:
    """The team's figures: sums of the managers', the team target being the sum of the targets set."""
    sums = managers[["target", *PLAN_LAYERS, *FACT_COLUMNS]].sum(min_count=1).to_frame().T
    sums[list(PLAN_LAYERS) + list(FACT_COLUMNS)] = sums[list(PLAN_LAYERS) + list(FACT_COLUMNS)].fillna(0.0)
    sums.insert(0, "manager", None)
    team: pd.Series = _with_pace(sums, days).iloc[0]
    return team


def _with_pace(frame: pd.DataFrame, days: WorkingDays) -> pd.DataFrame:
    frame = frame.copy()
    frame["plan_total"] = frame[list(PLAN_LAYERS)].sum(axis=1)
    frame["fact_total"] = frame[list(FACT_COLUMNS)].sum(axis=1)
    target = frame["target"].astype("float64")
    with_target = target.where(target > 0)
    frame["reached"] = frame["fact_total"] / with_target
    frame["remaining"] = (with_target - frame["fact_total"]).clip(lower=0.0)
    frame["pace_needed"] = frame["remaining"] / days.left if days.left else float("nan")
    frame["expected_share"] = days.expected_share
    frame["behind"] = (frame["reached"] < days.expected_share).fillna(False).astype(bool)
    return frame[COLUMNS].reset_index(drop=True)


def team_by_day(sales: pd.DataFrame, days: WorkingDays, target: float) -> pd.DataFrame:
    """Per working day: the target at an even pace (target × k / all) and the team's fact to date.

    The fact of a working day includes the weekend after it; days after ``today`` have no fact.
    """
    rows = []
    dates = pd.to_datetime(sales["date"]) if len(sales) else pd.Series(dtype="datetime64[ns]")
    for k, day in enumerate(days.days, start=1):
        following = days.days[k] if k < len(days.days) else None
        cutoff = (following - dt.timedelta(days=1)) if following else _month_end(day)
        cutoff = min(cutoff, days.today)
        fact = float(sales.loc[dates <= pd.Timestamp(cutoff), "amount"].sum()) if day <= days.today else None
        pace = target * k / days.all if target == target and target else None
        rows.append({"date": day, "plan_cumulative": pace, "fact_cumulative": fact,
                     "target": target if target == target else None})
    return pd.DataFrame(rows, columns=DAILY_COLUMNS)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def week_asks(ledger: pd.DataFrame, plan: Any, today: dt.date) -> pd.DataFrame:
    """This week's ask of every regular client against its sales from Monday to ``today``.

    Returns:
        Indexed by client (join with ``plan.regular.join(week, on="client")``): week_sales,
        week_target (monthly plan / 4), week_met (week_sales ≥ week_target).
    """
    monday = today - dt.timedelta(days=today.weekday())
    in_week = ledger[(ledger["kind"] == "sale") & (ledger["date"] >= pd.Timestamp(monday))
                     & (ledger["date"] <= pd.Timestamp(today))]
    sold = in_week.groupby("client", observed=True)["amount"].sum()
    regular = plan.regular.drop_duplicates("client").set_index("client")
    week = pd.DataFrame(index=regular.index)
    week["week_sales"] = sold.reindex(week.index).fillna(0.0).astype("float64")
    week["week_target"] = regular["weekly_target"].astype("float64")
    week["week_met"] = (week["week_sales"] >= week["week_target"]).astype(bool)
    return week[WEEK_COLUMNS]


def month_to_date(ledger: pd.DataFrame, plan: Any, today: dt.date | None = None,
                  workdays: Iterable[dt.date] | None = None, archive: pd.DataFrame | None = None,
                  long_list: Any = None) -> Progress:
    """Plan against fact of every manager and the team on ``today``.

    Args:
        ledger: typed sale lines (:func:`salesplan.inputs.ledger.read_ledger`), all months.
        plan: the month's :class:`~salesplan.method.plan.MonthPlan`.
        today: the day the figures are for; by default :func:`as_of_date` of the real date. A day
            after the month's end sees the month over (its result; the figures are as of its last day).
        workdays: the month's working days; by default Russia's production calendar.
        archive: the List archive tab (entries that left a list): companies that left in the plan
            month count as on the long list too (an earlier rebuild may have moved them there).
    """
    seen = today or dt.date.today()
    days = working_days(plan.plan_month, seen, workdays)
    today = days.today if today is not None else as_of_date(ledger, plan.plan_month, seen)
    if today != days.today:  # the as-of day moved to the latest sale of the month (a plan ahead)
        days = WorkingDays(days.days, today, days.over)
    keys = long_list_keys(long_list, plan.plan_month, archive)
    sales = classify_sales(ledger, plan, today, keys)
    managers = fact_by_manager(sales, plan, days)
    team = team_total(managers, days)
    daily = team_by_day(sales, days, team["target"])
    week = week_asks(ledger, plan, today)
    return Progress(plan.plan_month, today, days, managers, team, sales, daily, week,
                    week_start=today - dt.timedelta(days=today.weekday()))
