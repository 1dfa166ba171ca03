"""Cross-sell pairs from the data: which categories the same clients buy together (issue 20).

Stated in ``docs/method.md#checking-the-method-on-past-months``.

A client's **basket** is the set of categories it bought in the months looked at, each more than
``minimal_share`` of its turnover there (what Instrument #1 calls "buys"). For an ordered pair of
categories A → B over ``n`` clients with a basket:

- support    = clients buying A and B / n
- confidence = clients buying A and B / clients buying A   (of A's buyers, the share that buys B)
- lift       = confidence / (clients buying B / n)          (> 1: more often than chance)

Example, 10 clients: 4 buy cameras, 5 buy DVRs, 3 buy both. Cameras → DVRs: support 3/10 = 0.3,
confidence 3/4 = 0.75, lift 0.75 / (5/10) = 1.5.

A pair counts only on at least ``min_clients`` clients buying both: three clients are an anecdote.
Each (condition, offer) of the Cross-sell table is measured the same way, a condition of several
categories meaning the clients that buy all of them, and is **supported** when its lift is above 1
on enough clients, **not supported** otherwise; a pair of the data with lift at least
:data:`LIFT_MIN` on enough clients that no rule of one condition offers is **missing**. Nothing is
applied: the supervisor copies a pair into the table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..inputs.shapes import CrossSellRule
from ..wordcolumns import folded

#: A missing pair is suggested from this lift up.
LIFT_MIN = 1.2
#: Columns of :func:`pairs`' table.
COLUMNS = ["from", "to", "clients", "support", "confidence", "lift", "in_config", "verdict"]
SUPPORTED, NOT_SUPPORTED, MISSING = "supported", "not_supported", "missing"


def baskets(turnover: pd.DataFrame, minimal_share: float) -> tuple[np.ndarray, list[str], dict[str, str]]:
    """clients × categories bought (bool), the categories (normalised) and their ledger spelling.

    ``turnover``: client, category, turnover (summed over the months looked at).
    """
    by_cat = turnover.groupby(["client", "category"], observed=True, sort=False)["turnover"].sum().reset_index()
    total = by_cat.groupby("client", sort=False)["turnover"].transform("sum")
    bought = by_cat[(total > 0) & (by_cat["turnover"] > minimal_share * total)]
    keys = folded(bought["category"])
    spelled = {k: str(c) for k, c in zip(keys, bought["category"])}
    clients, _ = pd.factorize(bought["client"])
    codes, categories = pd.factorize(keys, sort=True)
    matrix = np.zeros((int(clients.max()) + 1 if len(clients) else 0, len(categories)), dtype=bool)
    matrix[clients, codes] = True
    return matrix, [str(c) for c in categories], spelled


def pairs(turnover: pd.DataFrame, rules: list[CrossSellRule], minimal_share: float, min_clients: int,
          most_missing: int = 15) -> pd.DataFrame:
    """The Cross-sell table's pairs measured on the data, then the strongest pairs it lacks.

    Args:
        turnover: client, category, turnover over the months looked at.
        rules: the Cross-sell table.
        minimal_share: a category is in a client's basket above this share of its turnover.
        min_clients: fewest clients buying both for a pair to count.
        most_missing: at most this many missing pairs, by lift.

    Returns COLUMNS: from and to as the ledger spells them (a condition of several categories
    joined by « + »), clients buying both, support, confidence and lift (None where nobody buys
    the condition), in_config, verdict (supported / not_supported / missing).
    """
    matrix, categories, spelled = baskets(turnover, minimal_share)
    n = len(matrix)
    index = {c: i for i, c in enumerate(categories)}
    both = matrix.T.astype(np.int64) @ matrix.astype(np.int64)
    buyers = np.diag(both)
    rows = []
    single: set[tuple[str, str]] = set()
    for rule in rules:
        when = sorted(rule.when)
        names = rule.names()
        if len(when) == 1:
            single |= {(when[0], o) for o in rule.offer}
        has_when = np.ones(n, dtype=bool)
        for c in when:
            has_when &= matrix[:, index[c]] if c in index else np.zeros(n, dtype=bool)
        for offer in rule.offer:
            has_offer = matrix[:, index[offer]] if offer in index else np.zeros(n, dtype=bool)
            together = int((has_when & has_offer).sum())
            stats = _stats(together, int(has_when.sum()), int(has_offer.sum()), n)
            verdict = SUPPORTED if together >= min_clients and (stats[2] or 0) > 1 else NOT_SUPPORTED
            rows.append([" + ".join(spelled.get(c, c) for c in when), spelled.get(offer, names.get(offer, offer)),
                         together, *stats, True, verdict])
    missing: list[list[Any]] = []
    for i, first in enumerate(categories):
        for j, second in enumerate(categories):
            if i == j or (first, second) in single or both[i, j] < min_clients:
                continue
            stats = _stats(int(both[i, j]), int(buyers[i]), int(buyers[j]), n)
            if stats[2] is not None and stats[2] >= LIFT_MIN:
                missing.append([spelled[first], spelled[second], int(both[i, j]), *stats, False, MISSING])
    missing.sort(key=lambda r: (-r[5], -r[2], r[0], r[1]))
    frame = pd.DataFrame(rows + missing[:most_missing], columns=COLUMNS)
    return frame.astype({"clients": "int64", "in_config": "bool"})


def _stats(together: int, a: int, b: int, n: int) -> tuple[float | None, float | None, float | None]:
    """(support, confidence, lift); None where a share would divide by nothing."""
    support = together / n if n else None
    confidence = together / a if a else None
    lift = confidence / (b / n) if confidence is not None and b and n else None
    return support, confidence, lift
