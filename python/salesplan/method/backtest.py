"""The method checked on the company's own past: every past month planned and compared (issue 20).

Stated in ``docs/method.md#checking-the-method-on-past-months``.

For each of the ``months`` months before the plan month P, the month M is planned as it would have
been on its first day: with the ledger rows dated before M only (the same layer functions as
:func:`salesplan.method.plan.plan_month`; no row of M or later is seen), then compared with what
came in M, per manager:

==============  ==================================  ============================================
layer           planned for M                       compared with, in M
==============  ==================================  ============================================
1 regular       the regular clients' monthly plans   their turnover; how many of them bought
2 funnel        remainder × funnel_rate              the other clients' turnover, and its share
                                                     of the remainder
gap             target − base plan                   as a share of the target (Targets history)
                                                     or else of the month's actual turnover
#1 offers       every (client, category) candidate   bought that category in M or M+1
long list       lapsed clients, biggest first        bought again in M, M+1 or M+2
==============  ==================================  ============================================

Example, one manager, window 4, funnel_rate 0.2: before M a regular client bought 100 a month and
one-time clients 400 in the window; regular plan 100, remainder (4·100 + 400) / 4 − 100 = 100,
funnel plan 20. In M the regular client buys 90 and a new client 30: layer 1 90 of 100, layer 2 30,
0.30 of the remainder came.

Only months before P are read for the comparison, never the plan month's own rows (its
month-to-date): an offer made for P − 1 is judged on P − 1 alone and said to be incomplete, as
is the long list of P − 2 and P − 1.

A month with fewer than ``window_months`` months of ledger before it is skipped, and said why. A
share whose base is zero (no plan, no remainder, no sales) is None, never a number.

The calibration then reads the months: the funnel rate that was met in 80% of them, the conversion
of the offers (and so the multiplier it suggests), and how well ``regular_min_months`` picked the
clients that did buy — each beside the Config value; nothing is changed by it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..inputs.shapes import CrossSellRule
from ..params import Params
from ..words import fold
from . import crosssell, longlist
from . import funnel as funnel_layer
from . import pairs as pairs_step
from . import regular as regular_layer
from .turnover import client_month_turnover

#: The share of months the funnel rate should be met in (the seed's "смело планировать").
MET_IN = 0.8
#: Months after M in which a #1 offer may be bought (M and the next) and a long-list client may
#: come back (M and the next two).
OFFER_MONTHS, COMEBACK_MONTHS = 2, 3
#: regular_min_months predicts well while the regular clients' actual is within this of their plan.
REGULAR_FIT = (0.85, 1.15)

MONTH_COLUMNS = ["month", "manager", "regular_clients", "regular_bought", "regular_plan", "regular_actual",
                 "regular_fit", "remainder", "funnel_plan", "one_time_actual", "remainder_share", "base_plan",
                 "actual", "target", "gap", "gap_share", "gap_of", "offers", "offers_bought", "conversion",
                 "long_list", "came_back", "came_back_share", "notes"]
#: Columns summed for the team's row of a month.
SUMMED = ["regular_clients", "regular_bought", "regular_plan", "regular_actual", "remainder", "funnel_plan",
          "one_time_actual", "base_plan", "actual", "offers", "offers_bought", "long_list", "came_back"]


@dataclass(frozen=True)
class Calibration:
    """What the tested months say about four Config values, beside them (nothing is applied)."""

    months: int                                   # months tested
    funnel_rate: float                            # Config's
    funnel_rate_met: float | None                 # the rate met in MET_IN of the months
    funnel_shares: list[float | None]             # the team's remainder share, month by month
    funnel_config_met: int                        # months in which Config's rate was met
    funnel_months: int                            # months with a remainder to measure
    offer_multiplier: float                       # Config's
    offers: int
    offers_bought: int
    conversion: float | None
    suggested_multiplier: float | None            # 1 / conversion
    regular_min_months: int                       # Config's
    regular: pd.DataFrame                         # per minimum: clients, bought, plan, actual, bought_share, fit
    regular_verdict: str                          # "good" / "over" / "under" / "" (nothing to judge)
    long_list: int
    came_back: int
    came_back_share: float | None


@dataclass(frozen=True)
class Backtest:
    """Every tested month, per manager and for the team, the calibration and the data's pairs."""

    plan_month: int
    tested: list[int]                             # months planned and compared, oldest first
    skipped: list[tuple[int, str, dict[str, Any]]]  # (month, text key, fields): months not tested, why
    months: pd.DataFrame                          # MONTH_COLUMNS, one row per month and manager
    team: pd.DataFrame                            # MONTH_COLUMNS, one row per month (manager "")
    calibration: Calibration
    pairs: pd.DataFrame                           # pairs.COLUMNS
    pairs_months: range                           # the months whose baskets gave the pairs
    params: Params
    targets_known: bool = False
    min_pair_clients: int = 10


def backtest(ledger: pd.DataFrame, params: Params, plan_month: int, months: int = 12, *,
             assigned_owners: pd.DataFrame | None = None, rules: list[CrossSellRule] | None = None,
             exclusions: pd.DataFrame | None = None, targets_history: pd.DataFrame | None = None,
             min_pair_clients: int = 10) -> Backtest:
    """Plan each of the ``months`` months before ``plan_month`` from the rows before it and compare.

    Args:
        ledger: typed sale lines (:func:`salesplan.inputs.ledger.read_ledger`), any months.
        params: the Config parameters.
        plan_month: P, a month number; the months P − months .. P − 1 are tested.
        months: how many months to test.
        assigned_owners: the Clients table (client, owner).
        rules, exclusions: the Cross-sell and Exclusions tables (Instrument #1's candidates).
        targets_history: month (number), manager, target: the targets past months had.
        min_pair_clients: fewest clients buying both categories for a pair to count.
    """
    window = params["window_months"]
    rules = list(rules or [])
    exclusions = exclusions if exclusions is not None else pd.DataFrame(columns=["client", "category"])
    # Rows of the plan month and later are never read: not to plan, not to compare.
    # Only the columns the layers read are taken along (a million rows of every text column cost more
    # to filter than all twelve months).
    ledger = ledger.loc[ledger["month"] < plan_month, [c for c in _LEDGER_COLUMNS if c in ledger]]
    # The two aggregates every month reads, made once; their names as plain objects, since the
    # months filter them hundreds of times and Arrow's take on string columns costs more than the sums.
    turnover = _plain(client_month_turnover(ledger), "client")
    by_category = _plain(client_month_turnover(ledger, category=True), "client", "category")
    owners_before = OwnersByMonth(ledger, assigned_owners)
    history = _history(targets_history)
    first = int(ledger["month"].min()) if len(ledger) else plan_month
    tested, skipped, frames = [], [], []
    for month in range(plan_month - months, plan_month):
        if month - first < window:
            skipped.append((month, "bt.skip_history", {"have": max(month - first, 0), "window": window}))
            continue
        tested.append(month)
        frames.append(_month(month, plan_month, turnover, by_category, owners_before, params, rules, exclusions,
                             history))
    table = (pd.concat(frames, ignore_index=True) if frames
             else pd.DataFrame(columns=MONTH_COLUMNS))
    team = _team(table)
    calibration = calibrate(table, team, turnover, tested, params)
    span = range(max(plan_month - months, first), plan_month)
    in_span = by_category[by_category["month"].between(span.start, span.stop - 1)]
    found = pairs_step.pairs(in_span, rules, params["minimal_share"], min_pair_clients)
    return Backtest(plan_month, tested, skipped, table, team, calibration, found, span, params.copy(),
                    targets_known=history is not None, min_pair_clients=min_pair_clients)


#: What the backtest reads of a sale line.
_LEDGER_COLUMNS = ("row", "date", "month", "client", "manager", "category", "kind", "amount")


def _plain(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    return frame.assign(**{c: frame[c].astype(object) for c in columns})


class OwnersByMonth:
    """client -> owner as :func:`salesplan.method.turnover.client_owners` gives it from the rows
    before a month, for any month, from one sort of the whole ledger.

    client_owners takes the manager of a client's last row ordered by (is a sale, date, row). The
    ledger is ordered so once; a row's place in that order is its rank, and the owner before M is
    the manager of the client's highest-ranked row of a month before M.
    """

    def __init__(self, ledger: pd.DataFrame, assigned: pd.DataFrame | None = None) -> None:
        keys = (ledger["row"].to_numpy(), ledger["date"].to_numpy().view("int64"),
                (ledger["kind"] == "sale").to_numpy())
        order = np.lexsort(keys)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        frame = pd.DataFrame({"client": ledger["client"].to_numpy(), "month": ledger["month"].to_numpy(),
                              "rank": rank})
        best = frame.groupby(["client", "month"], sort=False)["rank"].max().reset_index()
        self._best = best.sort_values(["month", "client"], kind="stable").reset_index(drop=True)
        self._managers = ledger["manager"].to_numpy()[order]
        self._assigned = (assigned.drop_duplicates("client", keep="last").set_index("client")["owner"]
                          if assigned is not None and len(assigned) else None)

    def before(self, month: int) -> pd.Series:
        """client -> owner from the rows dated before ``month``."""
        best = self._best[self._best["month"] < month]
        last = best.groupby("client", sort=False)["rank"].max()
        owners = pd.Series(self._managers[last.to_numpy()], index=pd.Index(last.index, name="client"),
                           name="owner")
        if self._assigned is not None:
            known = self._assigned[self._assigned.index.isin(owners.index)]
            owners.loc[known.index] = known
        return owners


def _history(targets: pd.DataFrame | None) -> dict[tuple[int, str], float] | None:
    if targets is None or not len(targets):
        return None
    rows = zip(targets["month"], targets["manager"], targets["target"])
    return {(int(m), fold(who)): float(v) for m, who, v in rows if not pd.isna(v)}


def _month(month: int, plan_month: int, turnover: pd.DataFrame, by_category: pd.DataFrame,
           owners_before: OwnersByMonth, params: Params, rules: list[CrossSellRule], exclusions: pd.DataFrame,
           history: dict[tuple[int, str], float] | None) -> pd.DataFrame:
    """One tested month: its plan from the rows before it, and what came."""
    window = params["window_months"]
    before = turnover[turnover["month"] < month]
    owners = owners_before.before(month)
    # The plan, as plan_month makes it on the rows before M.
    regular = regular_layer.regular_clients(before, owners, month, window, params["regular_min_months"])
    by_regular = regular_layer.regular_plan_by_manager(regular)
    funnel = funnel_layer.funnel(before, owners, by_regular["regular_plan"], month, window, params["funnel_rate"])

    # What came in M: a client new in M counts for the manager of its first rows.
    came = turnover[turnover["month"] == month].groupby("client", sort=False)["turnover"].sum()
    owner_after = owners_before.before(month + 1)
    who = owners.reindex(came.index).fillna(owner_after.reindex(came.index))
    actual = came.groupby(who).sum()
    regular_came = came.reindex(regular["client"]).fillna(0.0).to_numpy()
    regular = regular.assign(came=regular_came, bought=regular_came > 0)
    regular_actual = regular.groupby("manager")["came"].sum()
    regular_bought = regular.groupby("manager")["bought"].sum()

    offers = _offers(month, plan_month, by_category, owners, params, rules, exclusions)
    comebacks = _comebacks(month, plan_month, before, turnover, owners, params)

    managers = sorted(set(funnel.index) | set(actual.index) | set(offers.index) | set(comebacks.index))
    out = pd.DataFrame(index=pd.Index(managers, name="manager"))
    out["regular_clients"] = by_regular["regular_clients"].reindex(out.index).fillna(0).astype("int64")
    out["regular_bought"] = regular_bought.reindex(out.index).fillna(0).astype("int64")
    out["regular_plan"] = by_regular["regular_plan"].reindex(out.index).fillna(0.0)
    out["regular_actual"] = regular_actual.reindex(out.index).fillna(0.0)
    out["remainder"] = funnel["remainder"].reindex(out.index).fillna(0.0)
    out["funnel_plan"] = funnel["funnel_plan"].reindex(out.index).fillna(0.0)
    out["actual"] = actual.reindex(out.index).fillna(0.0)
    out["one_time_actual"] = out["actual"] - out["regular_actual"]
    out["base_plan"] = out["regular_plan"] + out["funnel_plan"]
    out["target"] = [history.get((month, fold(m)), math.nan) if history else math.nan for m in out.index]
    for column in ("offers", "offers_bought", "long_list", "came_back"):
        source = offers if column.startswith("offers") else comebacks
        out[column] = source[column].reindex(out.index).fillna(0).astype("int64") if column in source else 0
    out["offers_known"] = month + OFFER_MONTHS - 1 < plan_month
    out["comeback_known"] = month + COMEBACK_MONTHS - 1 < plan_month
    out = out.reset_index()
    out.insert(0, "month", month)
    return _shares(out, with_notes=True)


def _offers(month: int, plan_month: int, by_category: pd.DataFrame, owners: pd.Series,
            params: Params, rules: list[CrossSellRule], exclusions: pd.DataFrame) -> pd.DataFrame:
    """Per manager: the #1 candidates of M and how many were bought in M or M + 1 (before P)."""
    window = params["window_months"]
    in_window = by_category[by_category["month"].between(month - window, month - 1)]
    sales = pd.DataFrame({"client": in_window["client"], "category": in_window["category"],
                          "amount": in_window["turnover"], "month": in_window["month"], "kind": "sale"})
    shares = crosssell.category_shares(sales, owners, month, window)
    found = crosssell.candidates(shares, rules, exclusions, params["minimal_share"], window)
    if found.empty:
        return pd.DataFrame(columns=["offers", "offers_bought"])
    later = by_category[by_category["month"].between(month, min(month + OFFER_MONTHS, plan_month) - 1)
                        & (by_category["turnover"] > 0)]
    bought = set(zip(later["client"], later["category"].map(fold)))
    found = found.assign(bought=[(c, fold(k)) in bought for c, k in zip(found["client"], found["offer_category"])])
    grouped = found.groupby("manager")["bought"]
    return pd.DataFrame({"offers": grouped.size(), "offers_bought": grouped.sum()})


def _comebacks(month: int, plan_month: int, before: pd.DataFrame, turnover: pd.DataFrame, owners: pd.Series,
               params: Params) -> pd.DataFrame:
    """Per manager: the lapsed clients its long list of M would have started with, and how many
    bought again in M .. M + 2 (before P)."""
    lapsed = longlist.lapsed_clients(before, owners, month, params["new_after_months"], params["lookback_months"],
                                     params["min_monthly_potential"], params["min_yearly_potential"])
    if lapsed.empty:
        return pd.DataFrame(columns=["long_list", "came_back"])
    listed = lapsed.groupby("manager", sort=False).head(params["long_list_max"])
    later = turnover[turnover["month"].between(month, min(month + COMEBACK_MONTHS, plan_month) - 1)
                     & (turnover["turnover"] > 0)]
    back = listed["company"].isin(set(later["client"]))
    grouped = listed.assign(back=back).groupby("manager")["back"]
    return pd.DataFrame({"long_list": grouped.size(), "came_back": grouped.sum()})


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, None where the denominator is not above zero."""
    ok = denominator > 0
    out = pd.Series([None] * len(numerator), index=numerator.index, dtype=object)
    out[ok] = (numerator[ok] / denominator[ok]).astype("float64")
    return out


def _shares(frame: pd.DataFrame, with_notes: bool) -> pd.DataFrame:
    """The shares of a month table (per manager or team), and each row's notes."""
    out = frame.copy()
    out["regular_fit"] = _ratio(out["regular_actual"], out["regular_plan"])
    out["remainder_share"] = _ratio(out["one_time_actual"], out["remainder"])
    has_target = out["target"].notna()
    out["gap"] = np.where(has_target, (out["target"] - out["base_plan"]).clip(lower=0.0),
                          (out["actual"] - out["base_plan"]).clip(lower=0.0))
    base = out["target"].where(has_target, out["actual"])
    out["gap_share"] = _ratio(out["gap"], base)
    out["gap_of"] = np.where(has_target, "target", np.where(out["actual"] > 0, "actual", ""))
    out["conversion"] = _ratio(out["offers_bought"], out["offers"])
    out["came_back_share"] = _ratio(out["came_back"], out["long_list"])
    notes: list[list[str]] = []
    row: Any  # a table row (pandas types its cells loosely)
    for row in out.itertuples(index=False):
        said = []
        if with_notes and row.base_plan == 0 and row.regular_clients == 0 and row.actual > 0:
            said.append("bt.note.new_manager")
        if row.actual == 0:
            said.append("bt.note.no_sales")
        if not row.offers_known:
            out.loc[out.index[len(notes)], "conversion"] = None
            said.append("bt.note.offers_pending")
        if not row.comeback_known:
            out.loc[out.index[len(notes)], "came_back_share"] = None
            said.append("bt.note.comeback_pending")
        notes.append(said)
    out["notes"] = notes
    return out[MONTH_COLUMNS + ["offers_known", "comeback_known"]]


def _team(table: pd.DataFrame) -> pd.DataFrame:
    """One row per month: the managers' sums, the shares of the sums."""
    if table.empty:
        return pd.DataFrame(columns=MONTH_COLUMNS + ["offers_known", "comeback_known"])
    grouped = table.groupby("month", sort=True)
    team = grouped[SUMMED].sum()
    targets = grouped["target"].agg(lambda s: s.sum() if s.notna().all() else math.nan)
    team["target"] = targets
    team["offers_known"] = grouped["offers_known"].all()
    team["comeback_known"] = grouped["comeback_known"].all()
    team = team.reset_index()
    team["manager"] = ""
    return _shares(team, with_notes=False)


def _lower_quantile(values: list[float], met_in: float) -> float | None:
    """The largest x with at least ``met_in`` of ``values`` ≥ x (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[int(math.floor((1 - met_in) * len(ordered) + 1e-9))]


def calibrate(table: pd.DataFrame, team: pd.DataFrame, turnover: pd.DataFrame, tested: list[int],
              params: Params) -> Calibration:
    """The funnel rate met in :data:`MET_IN` of the months, the offers' conversion, and how well
    each regular_min_months would have picked the clients that bought."""
    shares = [None if s is None else float(s) for s in team["remainder_share"]]
    measured = [s for s in shares if s is not None]
    rate = params["funnel_rate"]
    known = team[team["offers_known"].astype(bool)] if len(team) else team
    offers, bought = int(known["offers"].sum()), int(known["offers_bought"].sum())
    conversion = bought / offers if offers else None
    back = team[team["comeback_known"].astype(bool)] if len(team) else team
    listed, came_back = int(back["long_list"].sum()), int(back["came_back"].sum())
    regular = regular_minimums(turnover, tested, params["window_months"])
    mine = regular[regular["minimum"] == params["regular_min_months"]]
    verdict = ""
    if len(mine) and mine["fit"].iloc[0] is not None:
        fit = float(mine["fit"].iloc[0])
        verdict = "good" if REGULAR_FIT[0] <= fit <= REGULAR_FIT[1] else ("over" if fit < REGULAR_FIT[0] else "under")
    return Calibration(
        months=len(tested), funnel_rate=rate, funnel_rate_met=_lower_quantile(measured, MET_IN),
        funnel_shares=shares, funnel_config_met=sum(1 for s in measured if s >= rate - 1e-12),
        funnel_months=len(measured), offer_multiplier=params["offer_multiplier"], offers=offers,
        offers_bought=bought, conversion=conversion,
        suggested_multiplier=1 / conversion if conversion else None,
        regular_min_months=params["regular_min_months"], regular=regular, regular_verdict=verdict,
        long_list=listed, came_back=came_back, came_back_share=came_back / listed if listed else None)


def regular_minimums(turnover: pd.DataFrame, tested: list[int], window: int) -> pd.DataFrame:
    """For each possible regular_min_months (1 .. window), over the tested months: how many clients
    it makes regular, how many of them bought in the month, their plan and their actual.

    Columns: minimum, clients, bought, plan, actual, bought_share, fit (actual / plan).
    """
    totals = {m: [0, 0, 0.0, 0.0] for m in range(1, window + 1)}
    for month in tested:
        before = turnover[turnover["month"].between(month - window, month - 1)]
        before = before.assign(active=(before["turnover"] > 0).astype("int64"))
        per_client = before.groupby("client", sort=False)[["turnover", "active"]].sum()
        came = turnover[turnover["month"] == month].groupby("client", sort=False)["turnover"].sum()
        came_ = came.reindex(per_client.index).fillna(0.0).to_numpy()
        active, window_turnover = per_client["active"].to_numpy(), per_client["turnover"].to_numpy()
        for minimum, total in totals.items():
            chosen = active >= minimum
            total[0] += int(chosen.sum())
            total[1] += int((came_[chosen] > 0).sum())
            total[2] += float(window_turnover[chosen].sum()) / window
            total[3] += float(came_[chosen].sum())
    rows = []
    for minimum, (clients, bought, plan, actual) in totals.items():
        rows.append({"minimum": minimum, "clients": clients, "bought": bought, "plan": plan, "actual": actual,
                     "bought_share": bought / clients if clients else None,
                     "fit": actual / plan if plan > 0 else None})
    return pd.DataFrame(rows, columns=["minimum", "clients", "bought", "plan", "actual", "bought_share", "fit"])
