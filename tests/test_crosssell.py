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


def candidates(minimal_share=0.05):
    ledger = parse(LEDGER)
    config = Config().with_params(plan_month="2026-10")
    plan = plan_month(ledger, config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]))
    shares = crosssell.category_shares(ledger, plan.owners, plan.plan_month, 4)
    products = crosssell.main_products(ledger, plan.owners)
    return crosssell.candidates(shares, RULES, EXCLUDED, minimal_share, 4, products)


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


# Typical shares come from mixed baskets only: Б (cameras .588, DVR .196, ACS .196) and Г (intercoms .5,
# cable .5); А and В buy one category above 5% and say nothing. All mixed shares' median = .5, and a
# category's own median counts as 1 buyer against 5 of that prior:
#   DVR, ACS: (1 × .196078 + 5 × .5) / 6 = .449346;  intercoms, cable: (.5 + 2.5) / 6 = .5
#   PSU, batteries, alarms: nobody buys them -> the minimal share .05
DVR_SHARE = (100000 / 510000 + 2.5) / 6


def test_estimated_volume_is_monthly_turnover_times_typical_share():
    c = candidates().set_index(["client", "offer_category"])
    assert c.loc[("А", DVR), "volume"] == pytest.approx(100000 * DVR_SHARE)        # 44 934.6
    assert c.loc[("А", INTERCOM), "volume"] == pytest.approx(50000)
    assert c.loc[("Б", INTERCOM), "volume"] == pytest.approx(127500 * 0.5)
    assert c.loc[("Б", PSU), "volume"] == pytest.approx(127500 * 0.05)
    assert c.loc[("В", ACS), "volume"] == pytest.approx(26000 * DVR_SHARE)
    # suggested products are the category's main products by value
    assert c.loc[("Б", INTERCOM), "products"] == ("Комплект видеодомофона",)
    assert c.loc[("А", INTERCOM), "buys_now"] == CAMS


def test_a_small_ledger_never_claims_a_whole_basket():
    # one buyer of intercoms, who buys nothing else: its share (100%) says nothing about a mixed basket
    shares = pd.DataFrame({"client": ["Х", "Y", "Y"], "category": [INTERCOM, CAMS, DVR],
                           "turnover": [100.0, 90.0, 10.0], "client_turnover": [100.0, 100.0, 100.0],
                           "share": [1.0, 0.9, 0.1], "manager": ["М", "М", "М"]})
    typical = crosssell.typical_shares(shares, 0.05)
    assert set(typical) == {crosssell.norm(CAMS), crosssell.norm(DVR)}  # intercoms: no mixed basket
    # cameras: (1 × .9 + 5 × median(.9, .1) = .5) / 6 = .5667 -> at most half the client's turnover
    assert typical[crosssell.norm(CAMS)] == crosssell.MAX_OFFER_SHARE == 0.5
    assert typical[crosssell.norm(DVR)] == pytest.approx((0.1 + 5 * 0.5) / 6)


def test_offers_are_picked_largest_first_until_the_volume_is_placed():
    mine = candidates()
    mine = mine[mine["manager"] == "Иванов"]
    offers, left_out = crosssell.pick_offers(mine, 150000, capacity=20)
    # largest first: Б intercoms 63 750, Б cable 63 750 (127 500 < 150 000), А intercoms 50 000 -> 177 500
    assert list(zip(offers["client"], offers["offer_category"])) == [("Б", INTERCOM), ("Б", CABLE), ("А", INTERCOM)]
    assert offers["volume"].sum() == pytest.approx(177500) and left_out == len(mine) - 3
    small, left = crosssell.pick_offers(mine, 10**9, capacity=2)
    assert len(small) == 2 and left == len(mine) - 2


def offers_of(rows):
    return pd.DataFrame([{"manager": "М", "client": c, "regular": r, "client_turnover": t, "buys_now": "",
                          "offer_category": f"К{i}", "products": (), "volume": v}
                         for i, (c, r, t, v) in enumerate(rows)], columns=crosssell.OFFER_COLUMNS)


def test_offers_are_spread_over_clients_and_regular_clients_listed_first():
    # Х has five big offers, Y two small, Z one; Z is a regular client
    frame = offers_of([("Х", False, 900.0, v) for v in (100, 90, 80, 70, 60)]
                      + [("Y", False, 50.0, v) for v in (10, 9)] + [("Z", True, 10.0, 5)])
    # 3 clients, 4 rows: at most max(2, ceil(4 / 3)) = 2 each -> Х 100, Х 90, Y 10, Y 9 (not Х 80, Х 70)
    offers, left_out = crosssell.pick_offers(frame, 10**9, capacity=4)
    assert sorted(offers["volume"]) == [9, 10, 90, 100] and left_out == 4
    # 6 rows: the first pass takes Х 100, 90, Y 10, 9, Z 5; the room left goes to Х's next (80):
    # nothing else qualifies, and still Х holds 3 of 6, not most of the page
    offers, _ = crosssell.pick_offers(frame, 10**9, capacity=6)
    assert sorted(offers["volume"]) == [5, 9, 10, 80, 90, 100]
    assert list(offers["client"]) == ["Z", "Х", "Х", "Х", "Y", "Y"]  # regular first, then by turnover
    # a record two rows high takes two of the page's rows
    # (5 rows: Х 100 and 90 take 4, Х 80 is over Х's cap, Y 10 takes the last one)
    offers, _ = crosssell.pick_offers(frame, 10**9, capacity=5, lines=lambda r: 2.0 if r["client"] == "Х" else 1.0)
    assert sorted(offers["volume"]) == [10, 90, 100]
    # a client alone on the page takes it all: nothing else qualifies
    alone = offers_of([("Х", False, 900.0, v) for v in (100, 90, 80)])
    assert len(crosssell.pick_offers(alone, 10**9, capacity=3)[0]) == 3


def test_familiar_goods_are_a_few_typical_orders_of_the_pages_categories():
    orders = pd.DataFrame({"manager": ["М", "М", "М", None, None],
                           "category": ["скуд", "домофоны", "кабель", "скуд", "опс"],
                           "order_amount": [40000.0, 24000.0, 3000.0, 10000.0, 60000.0],
                           "orders": [5, 8, 30, 40, 2]})
    names = {"скуд": "СКУД", "домофоны": "Домофоны", "кабель": "Кабель", "опс": "ОПС"}
    goods = crosssell.familiar_goods(120000, ["Кабель", "Домофоны", "СКУД", "ОПС"], orders, "М", names)
    # 120 000 / 40 000 = 3 orders of ACS; / 24 000 = 5 of intercoms; ОПС: the manager's clients have no
    # order of it -> company-wide 60 000 -> 2; cable: 120 000 / 3 000 = 40 orders, not a small number
    assert [(g["category"], g["orders"]) for g in goods] == [("ОПС", 2), ("СКУД", 3), ("Домофоны", 5)]
    assert all(isinstance(g["orders"], int) for g in goods)
    # only big counts: the smallest is still shown, so the line is never empty while orders exist
    assert crosssell.familiar_goods(120000, ["Кабель"], orders, "М", names) == [
        {"category": "Кабель", "orders": 40, "order_amount": 3000.0}]
    assert crosssell.familiar_goods(0, ["СКУД"], orders, "М", names) == []


def test_typical_orders_are_median_order_amounts_per_category():
    ledger = parse(LEDGER + [("20.09.2026", "Иванов", "Б", CABLE, "Кабель КВК", 10, 30000),
                             ("25.09.2026", "Иванов", "Б", CABLE, "Кабель КВК", 5, 20000)])
    config = Config().with_params(plan_month="2026-10")
    plan = plan_month(ledger, config.params, pd.DataFrame(columns=["manager", "target", "existing_share"]))
    orders = crosssell.typical_orders(ledger, plan.owners).set_index(["manager", "category"])
    # Иванов's cable orders (one client, one day each): 10 000, 30 000, 20 000 -> median 20 000;
    # company-wide add Г's 50 000 -> median of 10, 20, 30, 50 thousand = 25 000
    assert orders.loc[("Иванов", "кабель"), "order_amount"] == 20000
    assert orders["order_amount"][orders.index.get_level_values(0).isna()].loc[(None, "кабель")] == 25000


def test_main_products_leave_out_parts_and_put_promotions_first():
    rows = [("10.08.2026", "Иванов", "Б", "Шлагбаумы", "Шлагбаум G4000", 10, 985000),
            ("10.08.2026", "Иванов", "Б", "Шлагбаумы", "Опора стрелы", 100, 419000),
            ("10.08.2026", "Иванов", "Б", "Шлагбаумы", "Шлагбаум PRO", 1, 128000)]
    ledger = parse(rows)
    owners = pd.Series({"Б": "Иванов"})
    got = crosssell.main_products(ledger, owners)
    # value-weighted median unit price 98 500; «Опора стрелы» at 4 190 < 0.25 × 98 500: a part
    assert got[("Иванов", "шлагбаумы")] == ["Шлагбаум G4000", "Шлагбаум PRO"]
    assert got[(None, "шлагбаумы")] == ["Шлагбаум G4000", "Шлагбаум PRO"]
    promo = crosssell.main_products(ledger, owners, {"шлагбаумы": ["Шлагбаум CAME по акции"]})
    assert promo[("Иванов", "шлагбаумы")] == ["Шлагбаум CAME по акции", "Шлагбаум G4000", "Шлагбаум PRO"]


def test_instrument1_places_three_a_times_the_multiplier_and_says_what_is_short():
    ledger = parse(LEDGER)
    config = Config().with_params(plan_month="2026-10")
    targets = pd.DataFrame({"manager": ["Иванов"], "target": [300000.0], "existing_share": [float("nan")]})
    plan = plan_month(ledger, config.params, targets)
    # average 1 014 000 / 4 = 253 500; no regular clients; funnel 50 700; gap 249 300; 3A 124 650
    row = plan.summary.set_index("manager").loc["Иванов"]
    assert row["existing_clients_plan"] == pytest.approx(124650)
    inst = instrument1(plan, ledger, RULES, EXCLUDED, capacity=30)["Иванов"]
    assert inst.volume_to_place == pytest.approx(124650 * 5)
    # every candidate is offered: А 2 × 44 934.6 + 50 000; Б 2 × 63 750 + 3 × 6 375; В 2 × 11 683.0
    everything = 100000 * DVR_SHARE * 2 + 50000 + 63750 * 2 + 6375 * 3 + 26000 * DVR_SHARE * 2
    assert len(inst.offers) == 10 and inst.offers_left_out == 0
    assert inst.offered_total == pytest.approx(everything) == pytest.approx(inst.offers["volume"].sum())
    assert inst.shortfall == pytest.approx(124650 * 5 - everything)              # ≈ 313 390
    assert inst.candidates_total == pytest.approx(everything) and not inst.left_out_would_close
    # twice the minimal share: the categories nobody buys count at 10% -> PSU, batteries, alarms
    # twice as big (+3 × 6 375); half of it shrinks them: the hint is 10%
    assert inst.threshold_hint == {"minimal_share": 0.1, "candidates_total": pytest.approx(everything + 3 * 6375)}
    assert inst.audience == "one_time"  # nobody bought in 3 of the 4 months
    assert list(inst.key_clients["client"]) == ["Б", "А", "В"]
    assert inst.key_clients["turnover"].iloc[0] == pytest.approx(127500)
    # familiar goods: the page's categories, typical orders of Иванов's clients (one client, one day each):
    # DVR 100 000 and ACS 100 000 -> 1 order each; cable 10 000 -> 12; intercoms 4 000 -> 31, too many
    assert {(g["category"], g["orders"]) for g in inst.familiar_goods} == {(CABLE, 12), (DVR, 1), (ACS, 1)}
