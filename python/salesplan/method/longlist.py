"""3B: the long list and the short list of new clients, carried from month to month (seed 3.2.1).

Stated in ``docs/method.md#3b-the-long-list-and-the-short-list``.

A client is **new** when it has no turnover in the last ``new_after_months`` full months before the
plan month M; companies that never bought (the Prospects tab) are new too. Each manager's long list
for M holds ``long_list_min``..``long_list_max`` entries:

1. what the list held before and is still open, with everything the manager typed (80-90% expected);
   an entry leaves only when the company bought again (it became a client) or the manager marked it
   refused for good — and even then it goes to the archive with its notes, never away;
2. lapsed clients of the manager: turnover within the last ``lookback_months``, none in the last
   ``new_after_months``, and big enough by either of two tests: its best single month in the lookback
   ≥ ``min_monthly_potential``, or its best 12 consecutive months ≥ ``min_yearly_potential`` (net of
   returns); biggest 12 months first;
3. prospects above the same threshold, biggest first; an unassigned prospect goes to the manager
   with the smallest list.

Example: M = 2026-11, new_after 5, lookback 24. Client А bought 900 000 in 2025-12..2026-05 and
nothing since June: lapsed (no turnover Jun–Oct), potential 900 000 ≥ 500 000 → enters. Client Б
bought 200 000 in the same months, at most 40 000 in a month: below both thresholds → stays out.
Client В bought 70 000 once, in 2026-02: 70 000 < 500 000 a year, but one month ≥ 60 000 → enters.

When the qualifying companies cannot fill ``long_list_min``, the manager's list says how many are
missing (``stats.missing``) and asks for prospects: the program never pads the list with small ones.

Entries are matched to companies by a normalised name (case, spaces, ё/е, «» and "" quotes), so a
manager's retyped «ООО "Альфа"» is still ООО «Альфа».
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, cast

import numpy as np
import pandas as pd
from pandas.api.indexers import BaseIndexer

from ..months import month_label, parse_label
from ..params import Params
from ..wordcolumns import company_keys, isin, lookup
from ..words import company_key, fold, fold_case
from .turnover import TurnoverClients

#: How to reach the company: filled from the Prospects tab, the Sales tab's or the Clients table's
#: columns of that name; what a manager typed there is kept (the sources only fill empty cells).
CONTACT = ["phone", "contact", "city"]
#: Last month's call and its result, moved out of this month's columns when a new month begins.
PREVIOUS = ["prev_called_on", "prev_result"]
#: Columns the program fills; the manager's own columns ride along untouched (see TYPED).
ENTRY_COLUMNS = ["manager", "company", "kind", "reason", "potential", "last_purchase", "entered", "list_month",
                 "flag", *CONTACT, *PREVIOUS]
#: What the manager types on the long list: kept exactly as typed, month after month (the call and
#: its result of a month move to PREVIOUS when the next month begins).
TYPED = ["called_on", "result", "interested", "why_not", "next_step", "notes"]
#: This month's call: empty at the start of every month.
MONTHLY = {"called_on": "prev_called_on", "result": "prev_result"}
#: What the manager types on the short list.
SHORT_TYPED = ["needs", "why_before", "objections", "to_solve", "next_step", "next_date"]

REFUSED_FOR_GOOD = {"отказ навсегда", "отказ", "refused for good", "refused", "не звонить", "do not call"}
YES = {"да", "yes", "y", "д", "+", "1", "true", "интерес", "интересно"}


def is_yes(value: object) -> bool:
    # Case and the ends only, as it always was: see salesplan.words on fold_case.
    return fold_case(value) in YES


def is_refused_for_good(value: object) -> bool:
    return fold(value) in REFUSED_FOR_GOOD


#: The columns of :func:`lapsed_clients`.
LAPSED_COLUMNS = ["manager", "company", "potential", "best_12m", "best_month", "last_purchase"]


def lapsed_clients(turnover: pd.DataFrame, owners: pd.Series, plan_month: int, new_after: int, lookback: int,
                   min_monthly: float, min_yearly: float, clients: TurnoverClients | None = None) -> pd.DataFrame:
    """Clients that stopped buying and are big enough: manager, company, potential (per month: the
    best 12 months / 12), best_12m, best_month (the best single month's net turnover), last_purchase
    (month label); biggest 12 months first.

    A client qualifies when ``best_month >= min_monthly`` or ``best_12m >= min_yearly``: two tests,
    either one enough (seed: 60 000 a month or 500 000 a year).

    ``clients``: the turnover rows' client codes when the plan has them."""
    return lapsed_clients_and_codes(turnover, owners, plan_month, new_after, lookback, min_monthly, min_yearly,
                                    clients)[0]


def lapsed_clients_and_codes(turnover: pd.DataFrame, owners: pd.Series, plan_month: int, new_after: int,
                             lookback: int, min_monthly: float, min_yearly: float,
                             clients: TurnoverClients | None = None) -> tuple[pd.DataFrame, np.ndarray | None]:
    """:func:`lapsed_clients`, and each of its rows' client as a position among ``clients.names``
    (None without ``clients``): the long list then takes the lapsed companies' keys by position
    instead of hashing their names again (100 000 clients: 70 ms)."""
    recent_start, look_start = plan_month - new_after, plan_month - lookback
    in_lookback = turnover["month"].between(look_start, plan_month)
    window = turnover[in_lookback]
    # Over client codes: the client column is hashed once per plan, and the grid is filled from the
    # codes rather than pivoted (which sorts and groups the names again).
    if clients is None:
        code, names = pd.factorize(window["client"])
    else:
        code, names = clients.codes[in_lookback.to_numpy()], clients.names
    month = window["month"].to_numpy(dtype="int64")
    amount = window["turnover"].to_numpy(dtype="float64")
    active = amount > 0
    recent = np.zeros(len(names), dtype=bool)
    recent[code[active & (month >= recent_start)]] = True
    lapsed_rows = active & ~recent[code] & (month < plan_month)
    if not lapsed_rows.any():
        return pd.DataFrame(columns=LAPSED_COLUMNS), (np.zeros(0, dtype=np.int64) if clients is not None else None)
    # Best 12-month turnover: a rolling sum over a complete month grid per client.
    lapsed = np.zeros(len(names), dtype=bool)
    lapsed[code[lapsed_rows]] = True
    picked = np.flatnonzero(lapsed)
    grid_row = np.full(len(names), -1, dtype=np.int64)
    grid_row[picked] = np.arange(len(picked))
    cells = lapsed[code] & (month < plan_month)
    grid = np.zeros((len(picked), plan_month - look_start))
    at = (grid_row[code[cells]], month[cells] - look_start)
    if not len(at[0]) or np.bincount(at[0] * grid.shape[1] + at[1], minlength=grid.size).max() <= 1:
        grid[at] = amount[cells]  # one row per client and month, as client_month_turnover gives
    else:
        np.add.at(grid, at, amount[cells])
    best_month = grid.max(axis=1)
    # A client whose purchases in the lookback add up to less than min_yearly cannot reach it in
    # 12 months, nor, below min_monthly in its best month, qualify at all: its best run is not
    # summed (most lapsed clients at 100 000). Each row's runs are its own (see _best_runs), so the
    # others' are the same; the bound is widened by far more than a sum's rounding.
    hopeless = (np.clip(grid, 0.0, None).sum(axis=1) < min_yearly * (1 - 1e-9)) & (best_month < min_monthly)
    best_12m = np.full(len(picked), np.nan)
    best_12m[~hopeless] = _best_runs(grid[~hopeless], 12)
    last_month = np.full(len(picked), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last_month, grid_row[code[lapsed_rows]], month[lapsed_rows])
    # Only the big enough are named (with 100 000 clients, most lapsed ones are not).
    big = (best_month >= min_monthly) | (best_12m >= min_yearly)
    index = pd.Index(pd.Series(names).take(picked[big]).array, name="client")
    out = pd.DataFrame({"best_12m": pd.Series(best_12m[big], index=index, name="best_12m"),
                        "best_month": pd.Series(best_month[big], index=index),
                        "last_month": pd.Series(last_month[big], index=index)})
    out["potential"] = out["best_12m"] / 12
    owner_at = clients.owner_at if clients is not None else None
    # The plan's owners by position (every one of its clients has a place): not hashed again.
    if owner_at is not None and len(owner_at) == len(names) and int((owner_at >= 0).sum()) == len(owners):
        out["manager"] = pd.Series(owners.array.take(owner_at[picked[big]], allow_fill=True), index=out.index)
    else:
        out["manager"] = owners.reindex(out.index)
    out["last_purchase"] = _month_labels(out["last_month"])
    out = out.rename_axis("company").reset_index()
    order = _biggest_first(out["best_12m"].to_numpy(), out["company"])
    out = out.take(order)
    return out[LAPSED_COLUMNS].reset_index(drop=True), (picked[big][order] if clients is not None else None)


def _biggest_first(best: np.ndarray, names: pd.Series) -> np.ndarray:
    """The order of ``sort_values(["best_12m", "company"], ascending=[False, True])``: by the
    figure, and by name only among equal figures (few), so the names are not sorted all."""
    order = np.argsort(-best, kind="stable")
    ranked = best[order]
    tied = np.isnan(ranked)
    same = ranked[1:] == ranked[:-1]
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        at = order[tied]
        among = pd.DataFrame({"best": best[at], "name": names.iloc[at].array}).sort_values(
            ["best", "name"], ascending=[False, True])
        order[tied] = at[among.index.to_numpy()]
    ordered: np.ndarray = order
    return ordered


def _month_labels(months: pd.Series) -> pd.Series:
    """Month numbers as labels, each distinct month written once."""
    if months.empty:
        return months.map(month_label)
    return months.map({m: month_label(m) for m in months.unique()})


class _RunsOfEachRow(BaseIndexer):
    """Windows of up to ``window_size`` consecutive cells that never leave their row of a grid laid
    out row after row (``row_length`` cells each)."""

    window_size: int
    row_length: int

    def get_window_bounds(self, num_values: int = 0, min_periods: int | None = None, center: bool | None = None,
                          closed: str | None = None, step: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        end = np.arange(1, num_values + 1, dtype=np.int64)
        row_start = (end - 1) // self.row_length * self.row_length
        return np.maximum(end - self.window_size, row_start), end


def _best_runs(grid: np.ndarray, length: int) -> np.ndarray:
    """Each row's largest sum of up to ``length`` consecutive cells.

    One rolling sum over the grid laid out row after row, its windows cut at each row's start:
    pandas starts a window that shares no cell with the one before afresh, so every row's sums are
    exactly those of a rolling sum over that row alone (``grid.T.rolling(length, min_periods=1)``,
    which takes a Python step per row)."""
    rows, months = grid.shape
    if not rows or not months:
        return np.full(rows, np.nan)
    flat = pd.Series(grid.reshape(-1))
    sums = flat.rolling(_RunsOfEachRow(window_size=length, row_length=months), min_periods=1).sum()
    best: np.ndarray = sums.to_numpy().reshape(rows, months).max(axis=1)
    return best


STATS_COLUMNS = ["manager", "carried", "added_lapsed", "added_prospects", "total", "carried_share", "interested",
                 "below_min", "missing"]


@dataclass(frozen=True)
class ListResult:
    """The month's long lists, what left them, and how each manager's list was made."""

    entries: pd.DataFrame        # ENTRY_COLUMNS + TYPED + "own_columns" + "source" (carried|lapsed|prospect)
    left: pd.DataFrame           # entries that left, with "left_reason" and "left_month"
    stats: pd.DataFrame          # per manager: carried, added_lapsed, added_prospects, total, carried_share,
                                 # interested, below_min, missing (how many short of long_list_min)
    warnings: list[str] = field(default_factory=list)

    def entries_of(self, manager: str) -> list[dict[str, Any]]:
        """A manager's long list as plain fields, in the list's order: client, source (carried,
        lapsed or prospect), potential (a month), phone, contact, city."""
        mine = self.entries[self.entries["manager"] == manager]
        return [{"client": r["company"], "source": r.get("source") or r.get("kind") or "lapsed",
                 "potential": float(r["potential"] or 0.0), **{c: str(r.get(c) or "") for c in CONTACT}}
                for r in records(mine)]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dicts by column name."""
    return cast(list[dict[str, Any]], frame.to_dict("records"))


def build_long_lists(previous: pd.DataFrame, lapsed: pd.DataFrame, prospects: pd.DataFrame,
                     turnover: pd.DataFrame, managers: list[str], plan_month: int, params: Params,
                     reason_texts: dict[str, str], archive: pd.DataFrame | None = None,
                     takers: tuple[str, ...] | None = None, clients: TurnoverClients | None = None,
                     lapsed_codes: np.ndarray | None = None) -> ListResult:
    """The long list of every manager for ``plan_month``.

    Args:
        previous: entries read from the Long list tab (ENTRY_COLUMNS + TYPED + own_columns).
        lapsed: :func:`lapsed_clients`.
        prospects: company, manager ("" = unassigned), potential (monthly), source, city.
        turnover: client × month turnover (to see who bought again).
        managers: every manager of the plan, in order.
        reason_texts: templates for the "why on the list" text: keys "lapsed", "prospect".
        archive: entries that left in earlier months; a company refused for good never comes back.
        takers: the managers with a target (None: every manager). A lapsed client or prospect whose
            manager is not one of them (left the company) goes, like an unassigned prospect, to the
            taker with the shortest list.
        clients: the turnover rows' client codes when the plan has them.
        lapsed_codes: each lapsed client's position among ``clients.names``, when known
            (:func:`lapsed_clients_and_codes`).
    """
    label = month_label(plan_month)
    low, high = params["long_list_min"], params["long_list_max"]
    code, names = (clients.codes, clients.names) if clients is not None else pd.factorize(turnover["client"])
    # The codes may name clients without turnover (the plan's are all the ledger's): only those of
    # the turnover are keyed, each once.
    in_turnover = np.zeros(len(names), dtype=bool)
    in_turnover[code] = True
    present = np.flatnonzero(in_turnover)
    present_names = pd.Series(names).take(present).array
    client_keys = company_keys(pd.Series(present_names))
    key_of_client = pd.Series(client_keys.array, index=pd.Index(present_names))  # for the lapsed, below
    bought = _bought_since(turnover, _positions(code, present, len(names)), names[present], client_keys)

    kept: list[dict[str, Any]] = []
    left: list[dict[str, Any]] = []
    previous_entries = records(previous)
    previous_keys = [company_key(entry["company"]) for entry in previous_entries]
    # A carried company is known when a client or a prospect has its key: looked up at once.
    looked_up = pd.Series(previous_keys, dtype="str")
    known = (isin(looked_up, client_keys) | isin(looked_up, company_keys(prospects["company"]))).tolist()
    listed_bought = bought[isin(bought.index, previous_keys)]  # the listed companies' only
    bought_before = dict(zip(listed_bought.index, listed_bought.tolist()))
    for entry, key, is_known in zip(previous_entries, previous_keys, known):
        entered = _month_or(entry.get("entered"), plan_month)
        if is_refused_for_good(entry.get("result", "")):
            left.append({**entry, "left_reason": "refused", "left_month": label})
        elif bought_before.get(key, -1) >= entered:
            left.append({**entry, "left_reason": "became_client", "left_month": label})
        else:
            carried = {**entry, "list_month": label}
            # On an earlier month's list (a rebuild of this month finds it on this month's list,
            # entered earlier): counted as carried on every build of the month alike.
            carried["_carried"] = min(_month_or(entry.get("list_month"), plan_month), entered) < plan_month
            # Renamed in the accounting system, or taken off the Prospects tab: kept, and said so.
            carried["flag"] = "" if is_known else "missing"
            kept.append(carried)
    refused_before = set()
    if archive is not None and len(archive):
        refused_before = {company_key(c) for c, why in zip(archive["company"], archive["left_reason"])
                          if why == "refused" or is_refused_for_good(why)}
    on_list = ({company_key(e["company"]) for e in kept} | {company_key(e["company"]) for e in left}
               | refused_before)
    by_manager: dict[str, list[dict[str, Any]]] = {m: [] for m in managers}
    for entry in kept:
        by_manager.setdefault(entry["manager"], []).append(entry)

    row: Any  # a table row (pandas types its cells loosely)
    lapsed_company_keys = None
    if lapsed_codes is not None and clients is not None and len(lapsed_codes) == len(lapsed):
        at = _positions(lapsed_codes, present, len(names))
        if (at >= 0).all():  # every lapsed client has turnover, so its key is among the clients'
            lapsed_company_keys = pd.Series(client_keys.array.take(at), index=lapsed.index, dtype="str")
    lapsed, lapsed_keys = _lapsed_that_may_enter(lapsed, on_list, high, takers, key_of_client, lapsed_company_keys)
    for row, key in zip(lapsed.itertuples(index=False), lapsed_keys):
        manager = row.manager if takers is None or row.manager in takers else _smallest(by_manager, high, takers)
        if key in on_list or manager not in by_manager or len(by_manager[manager]) >= high:
            continue
        by_manager[manager].append(_new_entry(manager, row.company, "lapsed", row.potential, label,
                                                  reason_texts["lapsed"].format(
                                                      last=row.last_purchase, best=_money(row.best_12m),
                                                      best_month=_money(getattr(row, "best_month", 0.0))),
                                                  last_purchase=row.last_purchase))
        on_list.add(key)

    eligible = prospects[(prospects["potential"] >= params["min_monthly_potential"])
                         | (prospects["potential"] * 12 >= params["min_yearly_potential"])]
    eligible = eligible[~isin(company_keys(eligible["company"]), bought.index)]
    eligible = eligible.sort_values(["potential", "company"], ascending=[False, True])
    # Assigned prospects first, so the unassigned ones go where there is room left.
    for assigned in (True, False):
        for row in eligible[(eligible["manager"] != "") == assigned].itertuples(index=False):
            key = company_key(row.company)
            if key in on_list:
                continue
            manager = (row.manager if assigned and (takers is None or row.manager in takers)
                       else _smallest(by_manager, high, takers))
            if manager is None or manager not in by_manager or len(by_manager[manager]) >= high:
                continue
            by_manager[manager].append(_new_entry(manager, row.company, "prospect", row.potential, label,
                                                  reason_texts["prospect"].format(
                                                      potential=_money(row.potential), source=row.source)))
            on_list.add(key)

    entries: list[dict[str, Any]] = []
    stats: list[dict[str, Any]] = []
    for manager, items in by_manager.items():
        entries.extend(items)
        size = len(items)
        n_carried = sum(1 for e in items if e.get("_carried"))
        # What this month added: this build's additions and, on a rebuild, those of the builds before.
        added = [e.get("kind") for e in items if not e.get("_carried")]
        stats.append({"manager": manager, "carried": n_carried, "added_lapsed": added.count("lapsed"),
                      "added_prospects": added.count("prospect"), "total": size,
                      "carried_share": n_carried / size if size else float("nan"),
                      "interested": sum(1 for e in items if is_yes(e.get("interested", ""))),
                      "below_min": size < low, "missing": max(0, low - size)})
    columns = ENTRY_COLUMNS + TYPED + ["own_columns"]
    frame = pd.DataFrame([{c: e.get(c, "") for c in columns} for e in entries], columns=columns)
    # Where each entry comes from this month: carried from an earlier month's list, or added now.
    frame["source"] = pd.Series(["carried" if e.get("_carried") else (e.get("kind") or "lapsed") for e in entries],
                                index=frame.index, dtype=object)
    left_frame = pd.DataFrame(left, columns=columns + ["left_reason", "left_month"]) if left else pd.DataFrame(
        columns=columns + ["left_reason", "left_month"])
    return ListResult(frame, left_frame, pd.DataFrame(stats, columns=STATS_COLUMNS))


def _lapsed_that_may_enter(lapsed: pd.DataFrame, on_list: set[str], high: int, takers: tuple[str, ...] | None,
                           key_of_client: pd.Series | None = None,
                           keys: pd.Series | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The lapsed clients the loop of :func:`build_long_lists` may add, with their company keys;
    the others it would pass over, so they are left out before it (with 100 000 clients, thousands).

    A company already on a list is passed over. A lapsed client of a manager who keeps his clients
    either enters or finds that manager's list full, so once ``high`` of them have been reached the
    list is full and his later ones are passed over; one whose manager gives his clients away goes
    to a taker's list while any has room, so after ``high`` × takers of those every list is full. A
    company key that two lapsed clients share is kept whatever its place (the second is passed
    over for the first, not for a full list). ``key_of_client``: client name -> company key, for
    the lapsed companies that are clients (all of them, from :func:`lapsed_clients`); ``keys``: the
    lapsed companies' keys themselves, when already taken by position."""
    if keys is None:
        keys = _company_keys_known(lapsed["company"], key_of_client)
    if lapsed.empty:
        return lapsed, []
    listed = isin(keys, list(on_list))
    shared = keys.duplicated(keep=False).to_numpy()
    keeps_own = (np.ones(len(lapsed), dtype=bool) if takers is None
                 else isin(lapsed["manager"], list(takers)))
    group = lapsed["manager"].astype(object).fillna("").where(keeps_own, "\x00given away")
    reached = pd.Series(~listed & ~shared, index=lapsed.index).groupby(group, sort=False).cumsum()
    room = np.where(keeps_own, high, high * (len(takers) if takers else 0))
    keep = ~listed & (shared | (reached.to_numpy() <= room))
    return lapsed[keep], keys[keep].tolist()


def _company_keys_known(companies: pd.Series, known: pd.Series | None) -> pd.Series:
    """:func:`company_keys` of ``companies``, each taken from ``known`` (name -> key, without
    repeats) where the name is there: a look-up, not the string kernels again (50 000 lapsed
    clients of 100 000: 20 against 50 ms)."""
    if known is None or known.empty or companies.empty or not known.index.is_unique:
        return company_keys(companies)
    found = lookup(companies, known)
    missing = found.isna().to_numpy()
    if not missing.any():
        return found.astype("str")
    keys = found.to_numpy(dtype=object)
    keys[missing] = company_keys(companies[missing]).to_numpy(dtype=object)
    return pd.Series(keys, index=companies.index, dtype="str")


def _positions(code: np.ndarray, present: np.ndarray, n: int) -> np.ndarray:
    """``code`` (positions among ``n`` clients) as positions among the clients ``present`` only."""
    at = np.full(n, -1, dtype=np.int64)
    at[present] = np.arange(len(present))
    positions: np.ndarray = at[code]
    return positions


def _bought_since(turnover: pd.DataFrame, code: np.ndarray, clients: Any, keys: pd.Series) -> pd.Series:
    """company key -> the last month with turnover > 0 (of two clients with one key, the one whose
    name sorts last), a Series under the keys (each once).

    ``code``: each turnover row's client, a position in ``clients``, whose company keys are ``keys``."""
    active = turnover["turnover"].to_numpy() > 0
    last = np.full(len(clients), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, code[active], turnover["month"].to_numpy(dtype="int64")[active])
    bought = np.flatnonzero(last > np.iinfo(np.int64).min)
    bought_keys = keys.iloc[bought].reset_index(drop=True)
    shared = bought_keys.duplicated(keep=False).to_numpy()
    if shared.any():
        # Of the clients that share a key (few), the one whose name sorts last wins: only they are
        # put in the order of their names.
        sharing = np.flatnonzero(shared)
        sharing = sharing[pd.Series(pd.Series(clients).take(bought[sharing]).array).argsort(kind="stable").to_numpy()]
        winners = sharing[~bought_keys.iloc[sharing].duplicated(keep="last").to_numpy()]
        bought = np.concatenate([bought[~shared], bought[winners]])
        bought_keys = pd.concat([bought_keys[~shared], bought_keys.iloc[winners]], ignore_index=True)
    return pd.Series(last[bought], index=pd.Index(bought_keys.array, dtype="str"), name="month")


def _new_entry(manager: str, company: str, kind: str, potential: float, label: str, reason: str,
               last_purchase: str = "") -> dict[str, Any]:
    return {"manager": manager, "company": company, "kind": kind, "reason": reason, "potential": potential,
            "last_purchase": last_purchase, "entered": label, "list_month": label, "flag": "",
            **{c: "" for c in TYPED}, "own_columns": {}, "_carried": False}


def _smallest(by_manager: dict[str, list[dict[str, Any]]], high: int,
              among: tuple[str, ...] | None = None) -> str | None:
    room = [(len(items), m) for m, items in by_manager.items()
            if len(items) < high and (among is None or m in among)]
    return min(room)[1] if room else None


def _month_or(value: object, default: int) -> int:
    try:
        return parse_label(str(value).strip()[:7])
    except (ValueError, AttributeError):
        return default


def _money(x: float) -> str:
    return f"{x:,.0f}".replace(",", "\u00a0") + " ₽"


def short_list(entries: pd.DataFrame, previous_short: pd.DataFrame) -> pd.DataFrame:
    """The interested entries with what the manager wrote on the short list, matched by company.

    A short-list row whose entry is no longer marked interested but whose notes were typed stays,
    flagged, so nothing written there is lost.
    """
    notes = {(company_key(r["company"])): r for r in records(previous_short)}
    rows: list[dict[str, Any]] = []
    for entry in records(entries):
        key = company_key(entry["company"])
        typed = notes.pop(key, None)
        interested = is_yes(entry.get("interested", ""))
        has_notes = typed is not None and any(str(typed.get(c, "")).strip() for c in SHORT_TYPED)
        if not interested and not has_notes:
            continue
        row = {"manager": entry["manager"], "company": entry["company"], "potential": entry["potential"],
               "interested": interested, "own_columns": (typed or {}).get("own_columns", {}),
               **{c: entry.get(c, "") for c in CONTACT}}
        row.update({c: (typed or {}).get(c, "") for c in SHORT_TYPED})
        rows.append(row)
    orphans = [{**r, "interested": False, "orphan": True} for r in notes.values()
               if any(str(r.get(c, "")).strip() for c in SHORT_TYPED)]
    columns = ["manager", "company", *CONTACT, "potential", "interested"] + SHORT_TYPED + ["own_columns", "orphan"]
    frame = pd.DataFrame(rows + orphans, columns=columns, dtype=object)
    frame["orphan"] = frame["orphan"].map(lambda v: v is True)
    return frame


def roll_calls(previous: pd.DataFrame, plan_month: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A new month's call columns: the entries of an earlier month's list have their call and its
    result moved to the "last call" columns, and this month's left empty for the new call.

    An entry not called last month keeps the call before as its last call; a last call that a newer
    one replaces goes to the notes archive (nothing typed is lost). A rebuild of the same month moves
    nothing (its entries are already this month's).

    ======== ========== =========== ========= ============== ===========
    company  list_month called_on   result    prev_called_on prev_result
    ======== ========== =========== ========= ============== ===========
    Альфа    2026-10    05.10.2026  перезвон  12.09.2026     не дозв.
    ======== ========== =========== ========= ============== ===========

    planned for 2026-11 gives Альфа ``called_on`` = ``result`` = "", ``prev_called_on`` = 05.10.2026,
    ``prev_result`` = перезвон, and the archive rows (Альфа, prev_called_on, 12.09.2026) and
    (Альфа, prev_result, не дозв.).

    Returns:
        (the entries, the notes archive rows of the replaced last calls: tab, key, field, value,
        left_month, reason).
    """
    label = month_label(plan_month)
    rows = []
    archived: list[tuple[str, str, str, Any, str, str]] = []
    for entry in records(previous):
        entry = dict(entry)
        # A refusal for good leaves the list with the call that said so (build_long_lists reads it).
        if _month_or(entry.get("list_month"), plan_month) < plan_month and any(
                _typed(entry.get(now)) for now in MONTHLY) and not is_refused_for_good(entry.get("result", "")):
            for now, before in MONTHLY.items():
                if _typed(entry.get(before)):
                    archived.append(("sheet.long_list", str(entry.get("company", "")), before, entry[before],
                                     label, "older_call"))
                entry[before], entry[now] = entry.get(now, ""), ""
        rows.append(entry)
    frame = pd.DataFrame(rows, columns=list(dict.fromkeys([*previous.columns, *PREVIOUS])), dtype=object)
    return frame.fillna(""), pd.DataFrame(archived, columns=["tab", "key", "field", "value", "left_month", "reason"])


def _typed(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and value != value) and str(value).strip() != ""


def fill_contacts(entries: pd.DataFrame, prospects: pd.DataFrame, contacts: pd.DataFrame | None) -> pd.DataFrame:
    """Phone, contact and city of each entry: what the list holds (a manager may have typed it),
    else the Prospects tab's, else ``contacts`` (company, phone, contact, city: the Sales tab's or
    the Clients table's columns), else empty; companies matched by :func:`company_key`."""
    out = entries.copy()
    keys = company_keys(out["company"]).tolist()
    found: dict[str, dict[str, str]] = {column: {} for column in CONTACT}
    for frame in (prospects, contacts):
        if frame is None or not len(frame):
            continue
        frame = frame.reindex(columns=["company", *CONTACT]).fillna("")
        # Only the rows of the listed companies are looked at (the Sales tab's are a million):
        # each distinct company's key worked out once, then matched against the list's.
        code, companies = pd.factorize(frame["company"], use_na_sentinel=False)
        listed = isin(company_keys(pd.Series(companies, dtype=object)), keys)[code]
        frame = frame[listed]
        frame_keys = company_keys(frame["company"]).tolist()
        for column in CONTACT:
            for key, value in zip(frame_keys, frame[column]):
                if _typed(value):
                    found[column].setdefault(key, str(value).strip())
    for column in CONTACT:
        typed = out[column] if column in out else pd.Series([""] * len(out), index=out.index)
        out[column] = pd.Series([value if _typed(value) else found[column].get(key, "")
                                 for key, value in zip(keys, typed)], index=out.index, dtype=object)
    return out


def client_contacts(ledger: pd.DataFrame, clients: pd.DataFrame | None = None) -> pd.DataFrame:
    """company, phone, contact, city of the ledger's clients, for :func:`fill_contacts`: the Clients
    table's columns of those names first (a supervisor's), then the Sales tab's, its latest row
    first; only columns the tables have (none: no rows).

    ======== ===== =========== ==========
    client   date  phone       city
    ======== ===== =========== ==========
    Альфа    03.01 +7 1        Казань
    Альфа    05.02             Самара
    ======== ===== =========== ==========

    gives Альфа phone +7 1 (the latest row has none), city Самара.
    """
    frames = []
    if clients is not None and any(c in clients for c in CONTACT):
        frames.append(clients.rename(columns={"client": "company"}).reindex(columns=["company", *CONTACT]))
    if any(c in ledger for c in CONTACT):
        latest = ledger.sort_values("date", ascending=False, kind="stable")
        frames.append(latest.rename(columns={"client": "company"}).reindex(columns=["company", *CONTACT]))
    if not frames:
        return pd.DataFrame(columns=["company", *CONTACT])
    return pd.concat(frames, ignore_index=True).astype(object).fillna("")


@dataclass(frozen=True)
class NewClientLists:
    """3B for the month: the long lists, the short list, and the archive of entries that left."""

    long: ListResult
    short: pd.DataFrame
    archive: pd.DataFrame
    left: pd.DataFrame       # every entry that left a list this month, on this build or an earlier one
    #: Last calls replaced by a newer one at the start of this month (:func:`roll_calls`), for the
    #: notes archive.
    older_calls: pd.DataFrame = field(default_factory=lambda: roll_calls(pd.DataFrame(), 0)[1])


def new_client_lists(previous_long: pd.DataFrame, previous_short: pd.DataFrame, archive: pd.DataFrame,
                     prospects: pd.DataFrame, turnover: pd.DataFrame, owners: pd.Series, managers: list[str],
                     plan_month: int, params: Params, reason_texts: dict[str, str],
                     contacts: pd.DataFrame | None = None,
                     takers: tuple[str, ...] | None = None, clients: TurnoverClients | None = None) -> NewClientLists:
    """This month's long lists, short list and archive, from last month's tabs and the ledger.

    Args:
        previous_long, previous_short, archive: what the Long list, Short list and List archive tabs
            hold now (everything the managers typed).
        prospects: the Prospects tab.
        turnover, owners: client × month turnover and client -> manager (the month's plan).
        managers: every manager of the plan, in order.
        reason_texts: the "why on the list" templates (:func:`build_long_lists`).
        contacts: company, phone, contact, city of the ledger's clients (:func:`fill_contacts`).
        takers: the managers with a target (:func:`build_long_lists`).
        clients: the turnover rows' client codes (the month's plan), when it has them.
    """
    lapsed, lapsed_codes = lapsed_clients_and_codes(
        turnover, owners, plan_month, params["new_after_months"], params["lookback_months"],
        params["min_monthly_potential"], params["min_yearly_potential"], clients=clients)
    rolled, older_calls = roll_calls(previous_long, plan_month)
    result = build_long_lists(rolled, lapsed, prospects, turnover, managers, plan_month, params,
                              reason_texts, archive=archive, takers=takers, clients=clients,
                              lapsed_codes=lapsed_codes)
    result = replace(result, entries=fill_contacts(result.entries, prospects, contacts))
    short = short_list(result.entries, previous_short)
    # Whatever left a list this month joins the archive once, however often the month is rebuilt.
    archive = pd.concat([archive, result.left], ignore_index=True) if len(result.left) else archive
    archive = archive.drop_duplicates(subset=["manager", "company", "left_month"], keep="first")
    left = archive[archive["left_month"].astype(str) == month_label(plan_month)].reset_index(drop=True)
    return NewClientLists(result, short, archive, left, older_calls)
