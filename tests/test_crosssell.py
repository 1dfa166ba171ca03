"""3A and Instrument #1: candidates, volumes, picking order, units (seed 3.1.1), computed by hand."""

import pandas as pd
import pytest

from salesplan.inputs.config import Config, crosssell_rule
from salesplan.inputs.ledger import ledger_from_frame
from salesplan.method import crosssell
from salesplan.method.instruments import instrument1
from salesplan.method.plan import plan_month

HEAD = ["Дата", "Менеджер", "Клиент", "Категория", "Товар", "Количество", "Сумма"]
CAMS, DVR, ACS, INTERCOM = "Камеры видеонаблюдения", "Видеорегистраторы", "СКУД", "Домофоны"
CABLE, PSU = "Кабель", "Блоки питания"


def parse(rows):
    ledger, problems = ledger_from_frame(pd.DataFrame(rows, columns=HEAD, dtype=object), Config().statuses)
    assert not problems
    return ledger


# Window Jun..Sep 2026 (plan month 2026-10, window 4). Turnover in W:
#   А (Иванов): cameras 400 000                      -> buys only cameras
#   Б (Иванов): cameras 300 000, DVRs 100 000, ACS 100 000, cable 10 000 = 510 000
#   В (Иванов): cameras 100 000, intercoms 4 000 (3.8% <= 5%) = 104 000; intercoms excluded
#   Г (Петров): intercoms 50 000, cable 50 000       -> typical intercom and cable share 50%
LEDGER = [
    ("10.06.2026", "Иванов", "А", CAMS, "Камера 4 Мп", 100, 400000),
    ("10.07.2026", "Иванов", "Б", CAMS, "Камера 4 Мп", 75, 300000),
    ("10.07.2026", "Иванов", "Б", DVR, "Видеорегистратор 8-кан.", 3, 100000),
    ("10.08.2026", "Иванов", "Б", ACS, "Контроллер СКУД", 10, 100000),
    ("10.08.2026", "Иванов", "Б", CABLE, "Кабель КВК", 5, 10000),
    ("10.09.2026", "Иванов", "В", CAMS, "Камера 2 Мп", 50, 100000),
    ("10.09.2026", "Иванов", "В", INTERCOM, "Комплект видеодомофона", 1, 4000),
    ("10.09.2026", "Петров", "Г", INTERCOM, "Комплект видеодомофона", 5, 50000),
    ("10.09.2026", "Петров", "Г", CABLE, "Кабель КВК", 25, 50000),
]
RULES = [crosssell_rule(CAMS, f"{DVR}, {INTERCOM}, {ACS}"),
         crosssell_rule(f"{ACS} + {CAMS} + {DVR}", f"{CABLE}, {PSU}, Аккумуляторы, {INTERCOM}, ОПС")]
EXCLUDED = pd.DataFrame({"client": ["В"], "category": [crosssell.norm(INTERCOM)], "reason": ["свой поставщик"]})


def candidates():
    ledger = parse(LEDGER)
    config = Config().with_params(plan_month="2026-10")
    plan = plan_month(ledger, config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]))
    shares = crosssell.category_shares(ledger, plan.owners, plan.plan_month, 4)
    return crosssell.candidates(shares, RULES, EXCLUDED, 0.05, 4, crosssell.best_sellers(ledger, plan.plan_month, 4))


def test_candidate_rule_complements_minimal_share_and_exclusions():
    c = candidates()
    got = {(r.client, r.offer_category) for r in c.itertuples()}
    assert got == {
        ("А", DVR), ("А", INTERCOM), ("А", ACS),                 # cameras only -> rule 1
        ("Б", INTERCOM), ("Б", CABLE), ("Б", PSU),               # DVR and ACS bought > 5%: not offered;
        ("Б", "Аккумуляторы"), ("Б", "ОПС"),                   # rule 2 applies; cable is 1.96% <= 5%
        ("В", DVR), ("В", ACS),                                  # intercoms 3.8% but excluded
    }
    assert not any(c["manager"] == "Петров")                     # Г buys no cameras: no rule applies


def test_estimated_volume_is_monthly_turnover_times_typical_share():
    c = candidates().set_index(["client", "offer_category"])
    # А: 400 000 / 4 = 100 000 a month; DVR buyers' median share = Б's 100 000 / 510 000
    assert c.loc[("А", DVR), "volume"] == pytest.approx(100000 * 100000 / 510000)
    # intercoms: only Г buys them above 5%: share 0.5
    assert c.loc[("А", INTERCOM), "volume"] == pytest.approx(50000)
    assert c.loc[("Б", INTERCOM), "volume"] == pytest.approx(127500 * 0.5)
    # power supplies: nobody buys them: the minimal share stands in
    assert c.loc[("Б", PSU), "volume"] == pytest.approx(127500 * 0.05)
    # suggested products are the category's best sellers
    assert c.loc[("Б", INTERCOM), "products"] == "Комплект видеодомофона"
    assert c.loc[("А", INTERCOM), "buys_now"] == CAMS


def test_offers_are_picked_largest_clients_first_until_the_volume_is_placed():
    c = candidates()
    mine = c[c["manager"] == "Иванов"]
    offers, left_out = crosssell.pick_offers(mine, 150000, capacity=20)
    # Б (510 000) first: intercoms 63 750 and cable 63 750 (tie: alphabetical), then the three at 6 375
    # would follow, but after intercoms + cable + one 6 375 offer we have 133 875 < 150 000,
    # so picking goes on into Б's remaining small offers, then А.
    assert list(offers["client"][:5]) == ["Б"] * 5
    assert list(offers["offer_category"][:2]) == [INTERCOM, CABLE]
    # Б's five sum to 63 750 × 2 + 6 375 × 3 = 146 625 < 150 000 -> А's largest (intercoms 50 000) tops it
    assert offers["offer_category"].iloc[5] == INTERCOM and offers["client"].iloc[5] == "А"
    assert len(offers) == 6 and left_out == len(mine) - 6
    assert offers["volume"].sum() >= 150000
    small, left = crosssell.pick_offers(mine, 10**9, capacity=2)
    assert len(small) == 2 and left == len(mine) - 2


def test_units_of_familiar_products():
    top = pd.DataFrame({"product": ["Шлагбаум G4000", "Видеорегистратор 8-кан.", "Комплект видеодомофона",
                                    "Шлагбаум G3000"],
                        "category": ["Шлагбаумы", "Видеорегистраторы", "Домофоны", "Шлагбаумы"],
                        "price": [100000.0, 33000.0, 20000.0, 90000.0], "turnover": [9.0, 8.0, 7.0, 6.0]})
    assert crosssell.units_text(100000, top) == \
        "≈ 1 × Шлагбаум G4000 / 3 × Видеорегистратор 8-кан. / 5 × Комплект видеодомофона"
    assert crosssell.units_text(0, top) == ""


def test_instrument1_places_three_a_times_the_multiplier():
    ledger = parse(LEDGER)
    config = Config().with_params(plan_month="2026-10")
    targets = pd.DataFrame({"manager": ["Иванов"], "target": [300000.0], "existing_share": [float("nan")]})
    plan = plan_month(ledger, config.params, targets)
    # average 1 014 000 / 4 = 253 500; no regular clients; funnel 50 700; gap 249 300; 3A 124 650
    row = plan.summary.set_index("manager").loc["Иванов"]
    assert row["existing_clients_plan"] == pytest.approx(124650)
    inst = instrument1(plan, ledger, RULES, EXCLUDED, capacity=30)["Иванов"]
    assert inst.offer_volume == pytest.approx(124650 * 5)
    # the whole candidate list (10 offers, ~287 000) is below 623 250: everything is offered
    assert len(inst.offers) == 10 and inst.offers_left_out == 0
    assert list(inst.key_clients["client"]) == ["Б", "А", "В"]
    assert inst.key_clients["turnover"].iloc[0] == pytest.approx(127500)
    # units: the manager's best sellers by turnover, one per category, typical unit price
    # cameras 4 Mp: 4000 each -> 124 650 / 4000 ≈ 31; DVR 100 000 / 3 ≈ 33 333 -> 4; ACS 10 000 -> 12
    assert inst.units_text == "≈ 4 × Видеорегистратор 8-кан. / 12 × Контроллер СКУД / 31 × Камера 4 Мп"
