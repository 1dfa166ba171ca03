"""Small ledgers written as tables, parsed by the real Sales reader."""

from __future__ import annotations

import pandas as pd
from hypothesis import settings

from salesplan.inputs.config import Config
from salesplan.inputs.ledger import ledger_from_frame
from salesplan.method.plan import plan_month

HEADERS = ["Дата", "Менеджер", "Клиент", "Категория", "Сумма", "Статус", "Заказ"]


def ledger(rows: list[tuple], config: Config | None = None) -> pd.DataFrame:
    """rows: (date 'dd.mm.yyyy', manager, client, category, amount[, status[, order]])."""
    config = config or Config()
    full = [tuple(r) + ("",) * (len(HEADERS) - len(r)) for r in rows]
    frame = pd.DataFrame(full, columns=HEADERS, dtype=object)
    parsed, problems = ledger_from_frame(frame, config.statuses)
    # A repeated row is only a note (it is counted): generated ledgers may well repeat one.
    assert not [p for p in problems if p.key != "prob.duplicate_row"], problems
    return parsed


def targets(**by_manager: float) -> pd.DataFrame:
    return pd.DataFrame({"manager": list(by_manager), "target": [float(v) for v in by_manager.values()],
                         "existing_share": [float("nan")] * len(by_manager)})


def plan(rows: list[tuple], month: str, tgts: pd.DataFrame | None = None, **params):
    config = Config().with_params(plan_month=month, **params)
    return plan_month(ledger(rows, config), config.params,
                      tgts if tgts is not None else targets(), None, config.tiers)


def row_of(plan_, manager: str) -> dict:
    summary = plan_.summary.set_index("manager")
    return summary.loc[manager].to_dict()


def examples(full: int) -> int:
    """A property test's number of examples: ``full`` under Hypothesis' default profile (100
    examples), a quarter under the fast set's profile "fast" (conftest.py), never fewer than 10."""
    return max(10, full * settings.default.max_examples // 100)
