"""Layer 3: gap, its share, the 3A/3B split (seed 3, 3.1.1)."""

import math

import pandas as pd
import pytest

from helpers import plan, row_of, targets


def _one_time(amount):
    return [("01.07.2026", "Иванов", "Б", "СКУД", amount)]


def test_gap_and_split_with_default_share():
    # window turnover 4 000 000 -> average 1 000 000, funnel 200 000 = base plan
    p = plan(_one_time(4_000_000), "2026-10", targets(Иванов=300_000))
    r = row_of(p, "Иванов")
    assert r["base_plan"] == pytest.approx(200_000)
    assert r["gap"] == pytest.approx(100_000)
    assert r["gap_share"] == pytest.approx(1 / 3)
    assert r["existing_clients_plan"] == pytest.approx(50_000)
    assert r["new_clients_plan"] == pytest.approx(50_000)
    assert r["warnings"] == []  # 33% is inside 25-40%


def test_per_manager_share_and_warnings_outside_25_to_40_percent():
    tg = pd.DataFrame({"manager": ["Иванов"], "target": [1_000_000.0], "existing_share": [2 / 3]})
    p = plan(_one_time(4_000_000), "2026-10", tg)
    r = row_of(p, "Иванов")
    assert r["gap"] == pytest.approx(800_000)  # 1 000 000 - 200 000
    assert r["existing_clients_plan"] == pytest.approx(800_000 * 2 / 3)
    assert r["new_clients_plan"] == pytest.approx(800_000 / 3)
    assert r["warnings"][0][0] == "warn.gap_high"


def test_base_plan_above_target_gives_zero_gap_and_a_low_warning():
    p = plan(_one_time(4_000_000), "2026-10", targets(Иванов=150_000))
    r = row_of(p, "Иванов")
    assert r["gap"] == 0 and r["existing_clients_plan"] == 0 and r["new_clients_plan"] == 0
    assert r["warnings"][0][0] == "warn.gap_low"


def test_manager_without_target_has_no_gap_and_says_so():
    p = plan(_one_time(400), "2026-10")
    r = row_of(p, "Иванов")
    assert math.isnan(r["target"])
    assert r["gap"] == 0
    assert ("warn.no_target", {}) in r["warnings"]


def test_a_target_finds_its_manager_whatever_the_case_and_yo():
    """«Федоров Артем» in the Targets is «Фёдоров Артём» of the ledger: one manager, with his target."""
    from helpers import plan, row_of, targets

    rows = [(f"05.{m}.2026", "Фёдоров Артём", "Альфа", "Камеры", 100000) for m in ("06", "07", "08", "09")]
    p = plan(rows, "2026-10", targets(**{"федоров  АРТЕМ": 150000.0, "Сидорова": 90000.0}))
    assert list(p.summary["manager"]) == ["Фёдоров Артём", "Сидорова"]
    # regular 100 000, funnel 0: gap = 150 000 − 100 000
    assert row_of(p, "Фёдоров Артём")["target"] == 150000 and row_of(p, "Фёдоров Артём")["gap"] == 50000
