"""Layer 3: the gap to target and its split (seed 3, 3.1.1, 3.2.1).

Stated in ``docs/method.md#layer-3-active-sales-the-gap``.

Gap = max(0, target − base plan). The seed expects it to be 25–40% of the target; outside that the
plan carries a warning. 3A (existing clients) = gap × existing_share (per manager, else the Config
default); 3B (new clients) = the rest.

Example: target 1 000 000, base plan 680 000, share 0.5 → gap 320 000 (32%), 3A 160 000, 3B 160 000.
"""

from __future__ import annotations

import math

import pandas as pd

GAP_SHARE_LOW, GAP_SHARE_HIGH = 0.25, 0.40


def gap(base_plan: pd.Series, targets: pd.Series, shares: pd.Series, default_share: float) -> pd.DataFrame:
    """Per manager (the union of both indexes): target, gap, gap_share, existing_clients_plan,
    new_clients_plan and a list of warnings as (text key, fields).

    A manager without a target (NaN) gets no gap and the warning ``warn.no_target``.
    """
    managers = base_plan.index.union(targets.index, sort=False)
    base = base_plan.reindex(managers).fillna(0.0)
    target = targets.reindex(managers)
    share = shares.reindex(managers).fillna(default_share)
    out = pd.DataFrame(index=managers)
    out.index.name = "manager"
    out["target"] = target
    out["gap"] = (target - base).clip(lower=0.0).fillna(0.0)
    out["gap_share"] = (out["gap"] / target.where(target > 0)).astype("float64")
    out["existing_share"] = share
    out["existing_clients_plan"] = out["gap"] * share
    out["new_clients_plan"] = out["gap"] - out["existing_clients_plan"]
    out["warnings"] = pd.Series([gap_warnings(t, s) for t, s in zip(out["target"], out["gap_share"])],
                                index=out.index, dtype=object)
    return out


def gap_warnings(target: float, gap_share: float) -> list[tuple[str, dict[str, object]]]:
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return [("warn.no_target", {})]
    if gap_share is None or math.isnan(gap_share):
        return []
    if gap_share < GAP_SHARE_LOW:
        return [("warn.gap_low", {"share": f"{gap_share:.0%}"})]
    if gap_share > GAP_SHARE_HIGH:
        return [("warn.gap_high", {"share": f"{gap_share:.0%}"})]
    return []
