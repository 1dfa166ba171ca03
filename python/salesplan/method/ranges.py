"""The seed's ranges, and the warnings of a plan that leaves them (METHOD.md, "Parameters outside the
seed's ranges").

Stated in ``docs/method.md#parameters-outside-the-seeds-ranges``.

The seed gives ranges: the funnel 20–25% of the remainder, the 3A share ½–⅔ of the gap, offers ×5
the 3A volume, a gap of 25–40% of the target, a long list of 50–100 companies. A supervisor may set
any value the Config tab allows; one outside the seed's range is used, and said:

===================  ==========  =====================================================
what                 value       warning (manager "" = the whole plan)
===================  ==========  =====================================================
funnel_rate          0.5         ("", warn.funnel_rate: 50%, the seed's 20–25%)
existing_share       0.9         ("", warn.existing_share: 90%, the seed's ½–⅔)
a manager's share    0.3         ("Иванов", warn.manager_share: 30%)
gap                  10%         ("Иванов", warn.gap_low) — from :mod:`.gap`
long list            12          ("Иванов", warn.long_list_short: 12 of 50)
===================  ==========  =====================================================

Besides the ranges, the plan's other warnings are gathered here too, each with its manager: no
target, no sales, returns that matter (:mod:`.returns`), clients left without a manager with a target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..params import Params, show_share
from ..texts import t

#: The seed's range of each parameter it gives one for: (low, high), inclusive.
SEED_RANGES: dict[str, tuple[float, float]] = {
    "funnel_rate": (0.20, 0.25),
    "existing_share": (1 / 2, 2 / 3),
    "offer_multiplier": (5, 5),
    "long_list_min": (50, 100),
    "long_list_max": (50, 100),
}
#: The seed's long list: 50 to 100 companies a month.
LONG_LIST_SEED = (50, 100)
#: Clients named in one warning at most (the rest are counted).
NAMED_MAX = 5
_EPS = 1e-9


@dataclass(frozen=True)
class PlanWarning:
    """One thing the supervisor should see: about one manager (``manager``) or the whole plan ("")."""

    manager: str
    key: str  # a text key, "warn.…"; also the warning's code in the JSON
    fields: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "ru") -> str:
        return t(self.key, lang, **self.fields)


def outside(key: str, value: float) -> bool:
    low, high = SEED_RANGES[key]
    return value < low - _EPS or value > high + _EPS


def param_warnings(params: Params, targets: pd.DataFrame) -> list[PlanWarning]:
    """A warning for each Config value outside the seed's range, and each manager's 3A share."""
    out = []
    for key in ("funnel_rate", "existing_share"):
        if outside(key, params[key]):
            out.append(PlanWarning("", f"warn.{key}", {"value": show_share(params[key])}))
    if outside("offer_multiplier", params["offer_multiplier"]):
        out.append(PlanWarning("", "warn.offer_multiplier", {"value": f"{params['offer_multiplier']:g}"}))
    low, high = params["long_list_min"], params["long_list_max"]
    if outside("long_list_min", low) or outside("long_list_max", high):
        out.append(PlanWarning("", "warn.long_list_range", {"low": low, "high": high}))
    for manager, share in zip(targets["manager"], targets["existing_share"]):
        if isinstance(share, float) and not math.isnan(share) and outside("existing_share", share):
            out.append(PlanWarning(str(manager), "warn.manager_share", {"value": show_share(share)}))
    return out


def plan_warnings(summary: pd.DataFrame, returns: pd.DataFrame, unassigned: pd.DataFrame,
                  list_stats: pd.DataFrame | None, money: Any) -> list[PlanWarning]:
    """Each manager's warnings: those of the layers (``summary["warnings"]``: no target, no sales,
    the gap's share), the returns that matter, a long list short of ``long_list_min`` (its
    ``missing`` companies; a minimum below the seed's 50 is a parameter warning of its own), and
    the clients of managers without a target. ``money`` formats an amount (``1 234 ₽``)."""
    out: list[PlanWarning] = []
    sizes = {}
    if list_stats is not None and len(list_stats) and "missing" in list_stats:
        sizes = dict(zip(list_stats["manager"], zip(list_stats["total"], list_stats["missing"])))
    for manager, warnings in zip(summary["manager"], summary["warnings"]):
        out += [PlanWarning(manager, key, dict(fields)) for key, fields in warnings]
        mine = returns[returns["manager"] == manager]
        if len(mine):
            named = ", ".join(f"{c} −{money(r)}" + (" (0)" if clipped else "")
                              for c, r, clipped in zip(mine["client"][:NAMED_MAX], mine["returns"][:NAMED_MAX],
                                                       mine["plan_clipped"][:NAMED_MAX]))
            more = len(mine) - NAMED_MAX
            out.append(PlanWarning(manager, "warn.returns", {"n": len(mine), "clients": named,
                                                             "more": f" (+{more})" if more > 0 else ""}))
        size, missing = sizes.get(manager, (0, 0))
        target = summary.loc[summary["manager"] == manager, "target"].iloc[0]
        if missing and not pd.isna(target):
            out.append(PlanWarning(manager, "warn.long_list_short",
                                   {"n": int(size), "low": int(size + missing), "missing": int(missing)}))
    if len(unassigned):
        for owner, group in unassigned.groupby("owner", sort=False):
            out.append(PlanWarning(str(owner), "warn.unassigned",
                                   {"n": len(group), "turnover": money(group["lookback_turnover"].sum())}))
    return out
